"""One settings object, made once at the edge: flags, then environment, then defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

DEFAULT_MODEL = "local"


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know. Build it with `Settings.resolve`."""

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    # Further servers of the same model (a second and later --base-url): requests spread
    # over all of them.
    more_base_urls: tuple[str, ...] = ()
    # Never printed: repr=False keeps it out of reprs, logs and error messages.
    api_key: str | None = field(default=None, repr=False)
    mode: str | None = None
    prompts: str | Path | None = None
    max_retries: int = 4
    max_reasks: int = 2
    timeout: float = 120.0
    # The first wait before a transport retry (it doubles at each retry, with jitter), and
    # the longest any wait may be, a server's Retry-After included.
    retry_wait: float = 0.5
    max_retry_wait: float = 30.0
    temperature: float = 0.0
    max_tokens: int = 1536
    context_window: int = 8192
    strict: bool = False
    # Records carry the article's text unless told to leave it out (compact archives).
    omit_text: bool = False
    # Recorded exchanges (at most one): ask and keep, never ask, or ask only when missing.
    record: Path | None = None
    replay: Path | None = None
    cache: Path | None = None

    @classmethod
    def resolve(cls, env: Mapping[str, str] | None = None, **flags: Any) -> Settings:
        """Flags that were given win over the environment, which wins over defaults."""
        env = os.environ if env is None else env
        from_env: dict[str, Any] = {
            "model": env.get("SUMMARIZER_MODEL") or None,
            "base_url": env.get("OPENAI_BASE_URL") or None,
            "api_key": env.get("OPENAI_API_KEY") or None,
            "retry_wait": _seconds(env, "SUMMARIZER_RETRY_WAIT"),
            "max_retry_wait": _seconds(env, "SUMMARIZER_MAX_RETRY_WAIT"),
        }
        chosen = {k: v for k, v in from_env.items() if v is not None}
        chosen.update({k: v for k, v in flags.items() if v is not None})
        urls = chosen.get("base_url")
        if isinstance(urls, list | tuple):  # --base-url given more than once
            chosen["base_url"], chosen["more_base_urls"] = urls[0], tuple(urls[1:])
        return replace(cls(), **chosen)

    @property
    def base_urls(self) -> tuple[str, ...]:
        """Every server to send requests to; empty for OpenAI's own API."""
        return (self.base_url, *self.more_base_urls) if self.base_url else ()

    def __post_init__(self) -> None:
        from summarizer.errors import ConfigError

        if self.max_retries < 0 or self.max_reasks < 0:
            raise ConfigError("--max-retries and --max-reasks must be 0 or more")
        if self.max_tokens < 1:
            raise ConfigError("--max-tokens must be 1 or more")
        if self.timeout <= 0:
            raise ConfigError("--timeout must be a positive number of seconds")
        if self.retry_wait < 0 or self.max_retry_wait < 0:
            raise ConfigError(
                "SUMMARIZER_RETRY_WAIT and SUMMARIZER_MAX_RETRY_WAIT must be 0 or more seconds"
            )
        if sum(folder is not None for folder in (self.record, self.replay, self.cache)) > 1:
            raise ConfigError("give at most one of --record, --replay and --cache")
        for url in self.base_urls:
            if not url.startswith(("http://", "https://")):
                raise ConfigError(
                    f"--base-url {url!r} is not an http(s) URL; give one like "
                    "http://localhost:8000/v1"
                )


def _seconds(env: Mapping[str, str], name: str) -> float | None:
    """A number of seconds from the environment, or None when the variable is unset."""
    from summarizer.errors import ConfigError

    value = env.get(name, "").strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a number of seconds; give e.g. 0.5") from None
