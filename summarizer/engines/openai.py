"""Any OpenAI-compatible endpoint: OpenAI itself, Ollama, vLLM, llama.cpp's server."""

from __future__ import annotations

import email.utils
import time
from typing import Any

from summarizer.engines.base import (
    Labels,
    OutputMode,
    Reply,
    Request,
    as_json_object_request,
    retry_transport,
)
from summarizer.errors import ConfigError, ContextOverflowError, EngineError, SummarizerError

OPENAI_HOST = "api.openai.com"


class OpenAIEngine:
    """Chat completions over HTTP with the openai client; its own retries are off."""

    name = "openai"

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None,
        api_key: str | None,
        timeout: float,
        max_retries: int,
        output_mode: OutputMode,
    ) -> None:
        import openai

        self.model = model
        self.base_url = base_url
        self.output_mode = output_mode
        self._api_key = api_key
        self._timeout = timeout
        self._max_retries = max_retries
        # A server on localhost may want no key, but the client insists on one.
        self._client = openai.OpenAI(
            api_key=api_key or "no-key-set",
            base_url=base_url,
            timeout=timeout,
            max_retries=0,
        )

    @property
    def context_window(self) -> int | None:
        return None

    @property
    def where(self) -> str:
        return self.base_url or f"https://{OPENAI_HOST}/v1"

    def complete(self, request: Request, labels: Labels | None = None) -> Reply:
        if self.output_mode.schema_as_json_object:
            request = as_json_object_request(request)
        tries = 0

        def call() -> Reply:
            nonlocal tries
            tries += 1
            started = time.perf_counter()
            completion = self._client.chat.completions.create(**request)
            return Reply(completion, time.perf_counter() - started)

        try:
            return retry_transport(
                call,
                max_retries=self._max_retries,
                is_transient=is_transient,
                retry_after=retry_after_seconds,
            )
        except Exception as error:
            explained = self._explain(error, tries)
            if explained is None:
                raise
            raise explained from None

    def count_prompt_tokens(self, messages: list[dict[str, str]]) -> int | None:
        return None

    def close(self) -> None:
        self._client.close()

    def _explain(self, error: BaseException, tries: int) -> SummarizerError | None:
        """One line the user can act on, or None for errors that are not the transport's."""
        import openai

        attempts = f"after {tries} {'try' if tries == 1 else 'tries'}"
        where = self.where
        if isinstance(error, openai.APITimeoutError):
            return EngineError(
                f"no answer from {where} within {self._timeout:g} s {attempts}; "
                "raise --timeout or check the server"
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
                "or raise --max-retries"
            )
        if status >= 500:
            return EngineError(
                f"{where} failed with HTTP {status} {attempts}; try again later or raise "
                "--max-retries"
            )
        detail = self._scrub(_server_message(error))
        if "context" in detail.lower() and ("length" in detail.lower() or "token" in detail):
            return ContextOverflowError(
                f"article too long for {self.model} at {where}: {detail}; shorten the article "
                "or use a model with a larger context"
            )
        return EngineError(f"{where} refused the request (HTTP {status}): {detail}")

    def _scrub(self, text: str) -> str:
        if self._api_key:
            text = text.replace(self._api_key, "***")
        return text[:300]


def is_transient(error: BaseException) -> bool:
    """Worth retrying: timeouts, dropped connections, 408, 429 and 5xx."""
    import openai

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
