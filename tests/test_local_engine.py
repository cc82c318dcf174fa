"""The embedded engine's side of a completion, with a stand-in for llama-cpp-python's
`Llama`: what it reports of the prompt cache, and what it tells while it answers; and the
status line `summarize` shows on a terminal."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest

from summarizer.engines.local import LocalEngine
from summarizer.progress import ModelStatus, status_text


class FakeLlama:
    """Answers every request with one completion of two tokens; 30 of its 100 prompt
    tokens were read."""

    prompt_evaluated: int | None = 30

    def __init__(self) -> None:
        self.on_token: Any = None

    def create_chat_completion(self, **request: Any) -> dict[str, Any]:
        for written in (1, 2):
            if self.on_token is not None:
                self.on_token(written)
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


def test_the_pass_and_the_tokens_written_are_told_while_the_model_answers() -> None:
    heard: list[tuple[str, int]] = []
    llama = FakeLlama()
    engine = engine_with(llama, on_tokens=lambda step, tokens: heard.append((step, tokens)))
    engine.complete({"messages": [{"role": "user", "content": "hi"}]}, {"pass": "overview"})
    assert heard == [("overview", 0), ("overview", 1), ("overview", 2)]
    assert llama.on_token is None


def test_the_status_line_names_the_pass_and_its_speed() -> None:
    assert status_text("overview", 0, 0.0) == "overview: reading the article"
    assert status_text("frames", 21, 2.0) == "frames: 21 tokens, 10.0 tokens/s"


def test_the_status_is_drawn_on_a_terminal() -> None:
    from rich.console import Console

    screen = io.StringIO()
    with ModelStatus(Console(file=screen, force_terminal=True, width=80)) as status:
        status("overview", 0)
        status("overview", 3)
    assert "overview" in screen.getvalue()


@pytest.mark.parametrize("terminal", [True, False])
def test_summarize_shows_the_status_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    from summarizer.cli import _model_status

    class Stderr(io.StringIO):
        def isatty(self) -> bool:
            return terminal

    monkeypatch.setattr(sys, "stderr", Stderr())
    assert isinstance(_model_status(), ModelStatus) is terminal
