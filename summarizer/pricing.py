"""What a run on OpenAI's own API costs, estimated from its tokens and list prices."""

from __future__ import annotations

import re

# US dollars per million tokens (prompt, completion), OpenAI's list prices as of
# August 2025, without the discount on cached prompt tokens. A dated snapshot of a model
# ("gpt-4o-mini-2024-07-18") costs what its name does.
PRICES_AS_OF = "August 2025"
PRICES: dict[str, tuple[float, float]] = {
    "gpt-5": (1.25, 10.00),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4-turbo": (10.00, 30.00),
    "gpt-4": (30.00, 60.00),
    "gpt-3.5-turbo": (0.50, 1.50),
    "o1": (15.00, 60.00),
    "o1-mini": (1.10, 4.40),
    "o3": (2.00, 8.00),
    "o3-mini": (1.10, 4.40),
    "o4-mini": (1.10, 4.40),
}
_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")


def price_of(model: str) -> tuple[float, float] | None:
    """Dollars per million prompt and completion tokens, or None for a model not listed."""
    return PRICES.get(_SNAPSHOT.sub("", model.strip().lower()))


def estimate_cost(model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    """Dollars, or None when the model's price is not known."""
    price = price_of(model)
    if price is None:
        return None
    return (prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000
