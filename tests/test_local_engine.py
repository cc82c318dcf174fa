"""The embedded engine's side of a completion, with a stand-in for llama-cpp-python's
`Llama`: what it reports of the prompt cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from summarizer.engines.local import LocalEngine


class FakeLlama:
    """Answers every request with one completion; 30 of its 100 prompt tokens were read."""

    prompt_evaluated: int | None = 30

    def __init__(self) -> None:
        self.on_token: Any = None

    def create_chat_completion(self, **request: Any) -> dict[str, Any]:
        return {
            "id": "chatcmpl-local",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": "fake",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "{}"},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            "usage": {"prompt_tokens": 100, "completion_tokens": 2, "total_tokens": 102},
        }


def engine_with(llama: FakeLlama, **options: Any) -> LocalEngine:
    engine = LocalEngine(Path("unused.gguf"), model="fake", context_window=1000, **options)
    engine._llama = llama
    return engine


def test_the_prompt_tokens_the_context_already_held_are_reported_as_cached() -> None:
    reply = engine_with(FakeLlama()).complete({"messages": [{"role": "user", "content": "hi"}]})
    usage = reply.completion.usage
    assert usage is not None and usage.prompt_tokens == 100
    assert usage.prompt_tokens_details is not None
    assert usage.prompt_tokens_details.cached_tokens == 70
