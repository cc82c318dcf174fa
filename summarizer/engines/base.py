"""The one interface every model backend implements, and what the backends share."""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion

Request = dict[str, Any]
# What a request is about, for the record: article id, source, prompt set and fingerprint,
# schema version. Backends ignore labels; the exchange store keeps them.
Labels = Mapping[str, str]
# Told, while a model answers, the pass it answers (the request's "pass" label) and how
# many tokens it has written so far: 0 when it begins reading the prompt.
TokensCallback = Callable[[str, int], None]
T = TypeVar("T")


@dataclass(frozen=True)
class Reply:
    """A completion and the seconds the model took to give it."""

    completion: ChatCompletion
    seconds: float
    # Answered from an exchange store: no model was asked (the seconds are the recorded ones).
    from_store: bool = False


class Engine(Protocol):
    """Takes one chat-completion request (OpenAI's shape), returns the model's reply.

    Transport failures are retried inside `complete`; what comes out is either a reply
    or an `EngineError`. Re-asking on invalid output is not the engine's job.
    """

    name: str
    model: str
    output_mode: OutputMode

    def complete(self, request: Request, labels: Labels | None = None) -> Reply: ...

    def count_prompt_tokens(self, messages: list[dict[str, str]]) -> int | None:
        """Tokens the messages take in this model's context, or None when unknown."""
        ...

    @property
    def context_window(self) -> int | None: ...

    def close(self) -> None: ...


class AsyncEngine(Engine, Protocol):
    """An engine that also takes requests concurrently, from one event loop."""

    async def complete_async(self, request: Request, labels: Labels | None = None) -> Reply: ...

    async def aclose(self) -> None:
        """Release what the async calls opened, from the loop that made them."""
        ...


class _Blocking(threading.local):
    active = False


_blocking = _Blocking()


def in_blocking_call() -> bool:
    """Whether this thread is inside a blocking engine's call made from an event loop."""
    return _blocking.active


def runs_async(engine: Engine) -> AsyncEngine:
    """The engine itself when it takes requests concurrently, else behind `InLoop`."""
    if callable(getattr(engine, "complete_async", None)):
        return cast(AsyncEngine, engine)
    return InLoop(engine)


class InLoop:
    """A blocking engine (the embedded model) behind the async interface.

    Its calls run in the event loop's own thread, so they run one at a time, as the
    embedded model generates one answer at a time anyway; a batch gives it concurrency 1,
    so nothing else is waiting on the loop meanwhile. In that thread a second Ctrl-C
    interrupts a generation between two tokens, where no worker thread could.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.name = engine.name
        self.model = engine.model
        self.output_mode = engine.output_mode

    @property
    def context_window(self) -> int | None:
        return self.engine.context_window

    def complete(self, request: Request, labels: Labels | None = None) -> Reply:
        return self.engine.complete(request, labels)

    async def complete_async(self, request: Request, labels: Labels | None = None) -> Reply:
        _blocking.active = True
        try:
            return self.engine.complete(request, labels)
        except KeyboardInterrupt:
            # A second Ctrl-C stopped the generation: for the loop, this call is cancelled.
            raise asyncio.CancelledError from None
        finally:
            _blocking.active = False

    def count_prompt_tokens(self, messages: list[dict[str, str]]) -> int | None:
        return self.engine.count_prompt_tokens(messages)

    def close(self) -> None:
        self.engine.close()

    async def aclose(self) -> None:
        pass


@dataclass(frozen=True)
class OutputMode:
    """How structured output is requested from an endpoint."""

    name: str
    instructor_mode: str
    # llama.cpp's Python server and embedded engine take {"type": "json_object",
    # "schema": ...} and turn the schema into a grammar; OpenAI's json_schema form is
    # rejected there. instructor sends the json_schema form, so we rewrite it.
    schema_as_json_object: bool = False
    description: str = ""


OUTPUT_MODES = {
    mode.name: mode
    for mode in (
        OutputMode("tools", "TOOLS", description="function calling (OpenAI)"),
        OutputMode(
            "json_schema", "JSON_SCHEMA", description="response_format json_schema (vLLM, Ollama)"
        ),
        OutputMode(
            "json_object",
            "JSON_SCHEMA",
            schema_as_json_object=True,
            description="response_format json_object with a schema (llama-cpp-python)",
        ),
        OutputMode("json", "JSON", description="JSON mode, schema pasted into the prompt"),
        OutputMode("md_json", "MD_JSON", description="JSON in a markdown block, no constraint"),
    )
}


def as_json_object_request(request: Request) -> Request:
    """Rewrite OpenAI's json_schema response_format into llama.cpp's json_object form."""
    response_format = request.get("response_format")
    if not isinstance(response_format, dict) or response_format.get("type") != "json_schema":
        return request
    schema = response_format["json_schema"]["schema"]
    return {**request, "response_format": {"type": "json_object", "schema": schema}}


def retry_transport(
    call: Callable[[], T],
    *,
    max_retries: int,
    is_transient: Callable[[BaseException], bool],
    retry_after: Callable[[BaseException], float | None],
    base_delay: float = 0.5,
    max_delay: float = 30.0,
    sleep: Callable[[float], None] | None = None,
) -> T:
    """Call, retrying transient failures with exponential backoff and full jitter.

    A server's Retry-After wins over the computed delay. The last failure is re-raised.
    """
    from tenacity import Retrying

    options = _retry_options(max_retries, is_transient, retry_after, base_delay, max_delay)
    if sleep is not None:
        options["sleep"] = sleep
    return Retrying(**options)(call)


async def retry_transport_async(
    call: Callable[[], Awaitable[T]],
    *,
    max_retries: int,
    is_transient: Callable[[BaseException], bool],
    retry_after: Callable[[BaseException], float | None],
    base_delay: float = 0.5,
    max_delay: float = 30.0,
) -> T:
    """`retry_transport` for a coroutine: the waits between tries are asyncio sleeps."""
    from tenacity import AsyncRetrying

    options = _retry_options(max_retries, is_transient, retry_after, base_delay, max_delay)
    return cast(T, await AsyncRetrying(**options)(call))


def _retry_options(
    max_retries: int,
    is_transient: Callable[[BaseException], bool],
    retry_after: Callable[[BaseException], float | None],
    base_delay: float,
    max_delay: float,
) -> dict[str, Any]:
    from tenacity import retry_if_exception, stop_after_attempt

    def wait(state: Any) -> float:
        error = state.outcome.exception() if state.outcome else None
        hinted = retry_after(error) if error is not None else None
        if hinted is not None:
            return min(max(hinted, 0.0), max_delay)
        ceiling = min(max_delay, base_delay * 2 ** (state.attempt_number - 1))
        return random.uniform(base_delay / 2, ceiling)

    return {
        "stop": stop_after_attempt(max_retries + 1),
        "wait": wait,
        "retry": retry_if_exception(is_transient),
        "reraise": True,
    }
