"""Any OpenAI-compatible endpoint: OpenAI itself, Ollama, vLLM, llama.cpp's server.

Several base URLs of servers that serve the same model share the load: each request goes
to the one with the fewest requests in flight, and a server that just failed to answer
is left alone for a while, so its retries go to the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import itertools
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from summarizer.engines.base import (
    Labels,
    OutputMode,
    Reply,
    Request,
    as_json_object_request,
    retry_transport,
    retry_transport_async,
)
from summarizer.errors import ConfigError, ContextOverflowError, EngineError, SummarizerError

OPENAI_HOST = "api.openai.com"
# What a key looks like in a server's message: OpenAI's "sk-" keys, whole or abbreviated.
_KEY_LIKE = re.compile(r"\bsk-[\w.*-]{3,}")
# How long a server that could not be reached is passed over while others answer.
RESTING_SECONDS = 5.0


@dataclass
class _Endpoint:
    """One server and the clients that talk to it."""

    url: str | None  # None: OpenAI's own API
    in_flight: int = 0
    resting_until: float = 0.0
    client: Any = None
    async_client: Any = None
    loop: asyncio.AbstractEventLoop | None = field(default=None, repr=False)

    @property
    def where(self) -> str:
        return self.url or f"https://{OPENAI_HOST}/v1"


class OpenAIEngine:
    """Chat completions over HTTP with the openai client (sync and async); its own retries
    are off, ours are in `retry_transport`."""

    name = "openai"

    def __init__(
        self,
        model: str,
        *,
        base_urls: Sequence[str] = (),
        api_key: str | None,
        timeout: float,
        max_retries: int,
        output_mode: OutputMode,
        retry_wait: float = 0.5,
        max_retry_wait: float = 30.0,
    ) -> None:
        self.model = model
        self.base_urls = tuple(base_urls)
        self.output_mode = output_mode
        self._api_key = api_key
        self._timeout = timeout
        self._max_retries = max_retries
        self._retry_wait = retry_wait
        self._max_retry_wait = max_retry_wait
        self._endpoints = [_Endpoint(url) for url in self.base_urls] or [_Endpoint(None)]
        self._turn = itertools.count()

    @property
    def base_url(self) -> str | None:
        return self.base_urls[0] if self.base_urls else None

    @property
    def context_window(self) -> int | None:
        return None

    @property
    def where(self) -> str:
        return ", ".join(endpoint.where for endpoint in self._endpoints)

    def complete(self, request: Request, labels: Labels | None = None) -> Reply:
        request = self._prepared(request)
        attempts = _Attempts(self)

        def call() -> Reply:
            with attempts.next() as endpoint:
                started = time.perf_counter()
                completion = _checked(self._client(endpoint).chat.completions.create, request)
            return Reply(completion, time.perf_counter() - started)

        with attempts.explained():
            return retry_transport(call, **self._retrying())

    async def complete_async(self, request: Request, labels: Labels | None = None) -> Reply:
        request = self._prepared(request)
        attempts = _Attempts(self)

        async def call() -> Reply:
            with attempts.next() as endpoint:
                started = time.perf_counter()
                client = self._async_client(endpoint)
                completion = await _checked_async(client.chat.completions.create, request)
            return Reply(completion, time.perf_counter() - started)

        with attempts.explained():
            return await retry_transport_async(call, **self._retrying())

    def count_prompt_tokens(self, messages: list[dict[str, str]]) -> int | None:
        return None

    def close(self) -> None:
        for endpoint in self._endpoints:
            if endpoint.client is not None:
                endpoint.client.close()
                endpoint.client = None
            if endpoint.async_client is not None:
                _close_in_its_loop(endpoint)

    async def aclose(self) -> None:
        """Close the async clients, from the loop that used them."""
        for endpoint in self._endpoints:
            if endpoint.async_client is not None:
                await endpoint.async_client.close()
                endpoint.async_client = None

    def _retrying(self) -> dict[str, Any]:
        return {
            "max_retries": self._max_retries,
            "is_transient": is_transient,
            "retry_after": retry_after_seconds,
            "base_delay": self._retry_wait,
            "max_delay": self._max_retry_wait,
        }

    def _prepared(self, request: Request) -> Request:
        if self.output_mode.schema_as_json_object:
            return as_json_object_request(request)
        return request

    def _pick(self) -> _Endpoint:
        """The server with the fewest requests in flight among those not resting; the
        next in turn among equals, so that an idle start spreads too."""
        now = time.monotonic()
        ready = [e for e in self._endpoints if e.resting_until <= now] or self._endpoints
        turn = next(self._turn)
        count = len(ready)
        return min(
            (ready[(turn + offset) % count] for offset in range(count)),
            key=lambda endpoint: endpoint.in_flight,
        )

    def _note_failure(self, endpoint: _Endpoint, error: BaseException) -> None:
        import openai

        if len(self._endpoints) > 1 and isinstance(error, openai.APIConnectionError):
            endpoint.resting_until = time.monotonic() + RESTING_SECONDS

    def _client(self, endpoint: _Endpoint) -> Any:
        import openai

        if endpoint.client is None:
            # A server on localhost may want no key, but the client insists on one.
            endpoint.client = openai.OpenAI(
                api_key=self._api_key or "no-key-set",
                base_url=endpoint.url,
                timeout=self._timeout,
                max_retries=0,
            )
        return endpoint.client

    def _async_client(self, endpoint: _Endpoint) -> Any:
        import openai

        loop = asyncio.get_running_loop()
        if endpoint.async_client is None or endpoint.loop is not loop:
            # Its connection pool is bound to the loop: a new loop needs a new client.
            endpoint.async_client = openai.AsyncOpenAI(
                api_key=self._api_key or "no-key-set",
                base_url=endpoint.url,
                timeout=self._timeout,
                max_retries=0,
            )
            endpoint.loop = loop
        return endpoint.async_client

    def _explain(self, error: BaseException, tries: int, where: str) -> SummarizerError | None:
        """One line the user can act on, or None for errors that are not the transport's."""
        import openai

        attempts = f"after {tries} {'try' if tries == 1 else 'tries'}"
        if isinstance(error, NotACompletion):
            return EngineError(
                f"{where} answered with {error.what} {attempts}: a fault of the server, not "
                "of the model's answer; try again later, or check that --base-url is an "
                "OpenAI-compatible endpoint"
            )
        if isinstance(error, openai.APITimeoutError):
            return EngineError(
                f"no answer from {where} within {self._timeout:g} s {attempts}; "
                "raise --timeout or check the server"
            )
        if isinstance(error, openai.APIConnectionError) and _dropped(error):
            return EngineError(
                f"{where} dropped the connection before its answer was complete {attempts}: "
                "a fault of the server or the network; try again later or raise --max-retries"
            )
        if isinstance(error, openai.APIConnectionError):
            return EngineError(
                f"cannot connect to {where} {attempts}; check --base-url and that the "
                "server is running"
            )
        if not isinstance(error, openai.APIStatusError):
            return None
        status = error.status_code
        if status in (401, 403):
            # The server's message may echo part of the key: it is not shown.
            return ConfigError(
                f"{where} rejected the API key (HTTP {status}); set a valid key in OPENAI_API_KEY"
            )
        if status == 404:
            return ConfigError(
                f"{where} has no model {self.model!r} (HTTP 404); check -m and --base-url"
            )
        if status == 429:
            return EngineError(
                f"{where} kept rate-limiting (HTTP 429) {attempts}; wait and try again, "
                "lower -j, or raise --max-retries"
            )
        if status >= 500:
            return EngineError(
                f"{where} failed with HTTP {status} {attempts}: a fault of the server; try "
                "again later or raise --max-retries"
            )
        detail = self._scrub(_server_message(error))
        if "context" in detail.lower() and ("length" in detail.lower() or "token" in detail):
            return ContextOverflowError(
                f"article too long for {self.model} at {where}: {detail}; shorten the article "
                "or use a model with a larger context"
            )
        return EngineError(f"{where} refused the request (HTTP {status}): {detail}")

    def _scrub(self, text: str) -> str:
        """A server's message without the key, whole or in the abbreviated form servers
        echo it in ("sk-abc...wxyz"), or anything else shaped like a key."""
        key = self._api_key
        if key:
            text = text.replace(key, "***")
            if len(key) >= 16:
                text = text.replace(key[-8:], "***").replace(key[:8], "***")
        return _KEY_LIKE.sub("***", text)[:300]


class _Attempts:
    """The tries of one request: which server each went to, and the error the user reads
    after the last."""

    def __init__(self, engine: OpenAIEngine) -> None:
        self.engine = engine
        self.tries = 0
        self.last: _Endpoint | None = None

    @contextlib.contextmanager
    def next(self) -> Iterator[_Endpoint]:
        """One try, on the server whose turn it is."""
        self.tries += 1
        self.last = endpoint = self.engine._pick()
        endpoint.in_flight += 1
        try:
            yield endpoint
        except Exception as error:
            self.engine._note_failure(endpoint, error)
            raise
        finally:
            endpoint.in_flight -= 1

    @contextlib.contextmanager
    def explained(self) -> Iterator[None]:
        """The transport's last failure as one line to act on; other errors as they are."""
        try:
            yield
        except Exception as error:
            where = self.last.where if self.last else self.engine.where
            explained = self.engine._explain(error, self.tries, where)
            if explained is None:
                raise
            raise explained from None


def _close_in_its_loop(endpoint: _Endpoint) -> None:
    """An async client belongs to the loop that made it (aclose() closes it there); from
    sync code, it is closed in that loop if the loop still runs or can run."""
    client, loop = endpoint.async_client, endpoint.loop
    endpoint.async_client = endpoint.loop = None
    if loop is None or loop.is_closed():
        return  # its connections went with the loop
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        task = loop.create_task(client.close())
        _closing.add(task)
        task.add_done_callback(_closing.discard)
    elif running is None and not loop.is_running():
        loop.run_until_complete(client.close())


_closing: set[asyncio.Task[None]] = set()


class NotACompletion(Exception):
    """The server answered HTTP 200 with something that is not a chat completion (a body
    that is not JSON, no choices, no message): its fault, retried like a 5xx, and never
    shown to the re-ask layer as if the model had answered badly."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def _checked(create: Any, request: Request) -> Any:
    try:
        completion = create(**request)
    except ValueError as error:  # the openai client parses a body that is not JSON
        raise NotACompletion(f"a body that is not JSON ({error})") from error
    return _a_completion(completion)


async def _checked_async(create: Any, request: Request) -> Any:
    try:
        completion = await create(**request)
    except ValueError as error:
        raise NotACompletion(f"a body that is not JSON ({error})") from error
    return _a_completion(completion)


def _a_completion(completion: Any) -> Any:
    """The completion, if it has what the re-ask layer reads: a first choice's message."""
    from openai.types.chat import ChatCompletion

    if not isinstance(completion, ChatCompletion):
        return_type = type(completion).__name__
        raise NotACompletion(f"a body that is not a chat completion (a {return_type})")
    if not completion.choices:
        raise NotACompletion("a completion without choices")
    if completion.choices[0].message is None:
        raise NotACompletion("a completion whose choice has no message")
    return completion


# The transport's errors for a connection made and then lost, by name: the openai client
# uses httpx or its fork httpx2, whose classes are named alike.
_DROPPED = frozenset({"ReadError", "WriteError", "RemoteProtocolError"})


def _dropped(error: BaseException) -> bool:
    """Whether the connection was made and then lost mid-answer (not refused at once)."""
    return any(kind.__name__ in _DROPPED for kind in type(error.__cause__).__mro__)


def is_transient(error: BaseException) -> bool:
    """Worth retrying: timeouts, dropped connections, answers that are not completions,
    408, 429 and 5xx."""
    import openai

    if isinstance(error, NotACompletion):
        return True
    if isinstance(error, openai.APIConnectionError):  # includes timeouts
        return True
    if isinstance(error, openai.APIStatusError):
        return error.status_code in (408, 429) or error.status_code >= 500
    return False


def retry_after_seconds(error: BaseException) -> float | None:
    """The server's Retry-After (seconds or HTTP date) or retry-after-ms, if any."""
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return float(milliseconds) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _server_message(error: Any) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
    return str(getattr(error, "message", "") or error)
