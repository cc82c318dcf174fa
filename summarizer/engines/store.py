"""Recorded exchanges at the engine boundary: record, replay, or cache model answers.

One human-readable JSON file per exchange, named by a hash of the canonical request.
The same store records (always ask the model, keep the answer), replays (never ask;
answer from the store or fail saying why) and caches (answer from the store, else ask
and keep). Only the request's content is stored: no keys, headers or endpoints.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from summarizer.engines.base import (
    AsyncEngine,
    Engine,
    Labels,
    OutputMode,
    Reply,
    Request,
    runs_async,
)
from summarizer.errors import ConfigError, SummarizerError
from summarizer.settings import Settings

StoreMode = Literal["record", "replay", "cache"]
STORE_FORMAT = 1
# The parts of a request that decide the answer. Anything else (timeouts, headers,
# credentials) is neither hashed nor stored.
CANONICAL_KEYS = (
    "model",
    "messages",
    "response_format",
    "tools",
    "tool_choice",
    "temperature",
    "top_p",
    "max_tokens",
    "seed",
    "stop",
)
# Labels compared to say why a request has no stored answer.
_EXPLAINING_LABELS = (
    ("prompt_fingerprint", "prompt fingerprint"),
    ("schema_version", "schema version"),
    ("prompt_set", "prompt set"),
)


class ReplayMissError(SummarizerError):
    """Replay found no stored answer for a request."""


# Set by summarizer.testing.replay(): every engine opened meanwhile replays from it.
forced_replay: ContextVar[Path | None] = ContextVar("forced_replay", default=None)


def store_choice(settings: Settings) -> tuple[StoreMode, Path] | None:
    """Which store mode and folder the settings (or a test's forced replay) ask for."""
    forced = forced_replay.get()
    if forced is not None:
        return "replay", forced
    if settings.replay is not None:
        if not settings.replay.is_dir():
            raise ConfigError(f"{settings.replay}: no such folder of recorded exchanges")
        return "replay", settings.replay
    if settings.record is not None:
        return "record", settings.record
    if settings.cache is not None:
        return "cache", settings.cache
    return None


def canonical_request(request: Request) -> dict[str, Any]:
    return {key: request[key] for key in CANONICAL_KEYS if request.get(key) is not None}


def request_hash(request: Request) -> str:
    text = json.dumps(
        canonical_request(request), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Exchange:
    """One request and the answer it got, with what it was about and how it was made."""

    hash: str
    request: dict[str, Any]
    response: dict[str, Any]
    seconds: float
    labels: dict[str, str]
    recorded_at: str
    recorded_with: dict[str, str]

    def as_json(self) -> dict[str, Any]:
        return {
            "format": STORE_FORMAT,
            "hash": self.hash,
            "labels": self.labels,
            "recorded_at": self.recorded_at,
            "recorded_with": self.recorded_with,
            "seconds": self.seconds,
            "request": self.request,
            "response": self.response,
        }


class ExchangeStore:
    """A folder of exchanges, `<hash>.json` each."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, hash: str) -> Path:
        return self.folder / f"{hash}.json"

    def load(self, hash: str) -> Exchange | None:
        path = self.path_for(hash)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise ConfigError(f"{path}: not a readable exchange ({error})") from None
        return _exchange_from(data, path)

    def save(self, exchange: Exchange) -> Path:
        path = self.path_for(exchange.hash)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Unique per writer: two runs, or two requests of one run, may save one hash.
            partial = path.with_name(f"{path.name}.partial-{os.getpid()}-{secrets.token_hex(4)}")
            text = json.dumps(exchange.as_json(), indent=2, ensure_ascii=False) + "\n"
            partial.write_text(text, encoding="utf-8")
            partial.replace(path)
        except OSError as error:
            raise ConfigError(f"cannot write to {self.folder}: {error.strerror}") from None
        return path

    def exchanges(self) -> Iterator[tuple[Path, Exchange]]:
        if not self.folder.is_dir():
            return
        for path in sorted(self.folder.glob("*.json")):
            try:
                yield path, _exchange_from(json.loads(path.read_text(encoding="utf-8")), path)
            except (OSError, ValueError, ConfigError):
                continue


def _exchange_from(data: dict[str, Any], path: Path) -> Exchange:
    try:
        return Exchange(
            hash=data["hash"],
            request=data["request"],
            response=data["response"],
            seconds=float(data.get("seconds", 0.0)),
            labels=dict(data.get("labels", {})),
            recorded_at=data.get("recorded_at", ""),
            recorded_with=dict(data.get("recorded_with", {})),
        )
    except (KeyError, TypeError) as error:
        raise ConfigError(f"{path}: not an exchange (missing {error})") from None


class StoreEngine:
    """An engine in front of another one (none when replaying), answering from a store."""

    def __init__(
        self,
        store: ExchangeStore,
        mode: StoreMode,
        *,
        inner: Engine | None,
        name: str,
        model: str,
        output_mode: OutputMode,
    ) -> None:
        if mode != "replay" and inner is None:
            raise ValueError(f"{mode} needs an engine to ask")
        self.store = store
        self.mode = mode
        self.inner = inner
        self.name = name
        self.model = model
        self.output_mode = output_mode
        self.used: set[str] = set()  # hashes answered from the store
        self._async_inner: AsyncEngine | None = None

    @property
    def context_window(self) -> int | None:
        return self.inner.context_window if self.inner else None

    def count_prompt_tokens(self, messages: list[dict[str, str]]) -> int | None:
        return self.inner.count_prompt_tokens(messages) if self.inner else None

    def complete(self, request: Request, labels: Labels | None = None) -> Reply:
        hash = request_hash(request)
        stored = self._stored(hash, request, labels)
        if stored is not None:
            return stored
        assert self.inner is not None
        return self._keep(hash, request, labels, self.inner.complete(request, labels))

    async def complete_async(self, request: Request, labels: Labels | None = None) -> Reply:
        hash = request_hash(request)
        stored = self._stored(hash, request, labels)
        if stored is not None:
            return stored
        if self._async_inner is None:
            assert self.inner is not None
            self._async_inner = runs_async(self.inner)
        reply = await self._async_inner.complete_async(request, labels)
        return self._keep(hash, request, labels, reply)

    async def aclose(self) -> None:
        if self._async_inner is not None:
            await self._async_inner.aclose()

    def _stored(self, hash: str, request: Request, labels: Labels | None) -> Reply | None:
        """The stored answer, if this mode answers from the store and it has one."""
        from openai.types.chat import ChatCompletion

        if self.mode == "record":
            return None
        stored = self.store.load(hash)
        if stored is not None:
            self.used.add(hash)
            completion = ChatCompletion.model_validate(stored.response)
            return Reply(completion, stored.seconds, from_store=True)
        if self.mode == "replay":
            raise ReplayMissError(self._explain_miss(hash, request, dict(labels or {})))
        return None

    def _keep(self, hash: str, request: Request, labels: Labels | None, reply: Reply) -> Reply:
        self.store.save(
            Exchange(
                hash=hash,
                request=canonical_request(request),
                response=reply.completion.model_dump(mode="json", exclude_none=True),
                # Unrounded: a replay sums these as the live run summed them.
                seconds=reply.seconds,
                labels=dict(labels or {}),
                recorded_at=datetime.now(UTC).isoformat(timespec="seconds"),
                recorded_with=self._recorded_with(),
            )
        )
        return reply

    def close(self) -> None:
        if self.inner is not None:
            self.inner.close()

    def _recorded_with(self) -> dict[str, str]:
        from summarizer import __version__

        return {
            "tool_version": __version__,
            "engine": self.name,
            "model": self.model,
            "mode": self.output_mode.name,
        }

    def _explain_miss(self, hash: str, request: Request, labels: dict[str, str]) -> str:
        """One line: which request, the nearest stored exchange and what differs, the fix."""
        article = labels.get("article_id", "this article")
        folder = self.store.folder
        line = f"no recorded answer in {folder} for request {hash}"
        nearest = _nearest(self.store, request, labels)
        if nearest is None:
            line += f"; nothing is recorded for {article} there"
        else:
            path, exchange = nearest
            differences = _differences(exchange, request, labels)
            line += f"; nearest for {article} is {path.name}, which differs in {differences}"
        source = labels.get("source") or "ARTICLE"
        option = labels.get("model_option", self.model)
        model = "" if option == "local" else f" -m {option}"
        return f"{line}; re-record with: summarizer summarize {source}{model} --record {folder}"


def _nearest(
    store: ExchangeStore, request: Request, labels: dict[str, str]
) -> tuple[Path, Exchange] | None:
    """The stored exchange for the same article that differs least, the newest on ties."""
    article = labels.get("article_id")
    candidates = [
        (path, exchange)
        for path, exchange in store.exchanges()
        if article and exchange.labels.get("article_id") == article
    ]
    if not candidates:
        return None

    def differing(item: tuple[Path, Exchange]) -> int:
        exchange = item[1]
        count = sum(exchange.labels.get(key) != labels.get(key) for key, _ in _EXPLAINING_LABELS)
        return count + (exchange.request.get("model") != request.get("model"))

    # min keeps the first of equals: newest first, so the newest of the least different.
    newest_first = sorted(candidates, key=lambda item: item[1].recorded_at, reverse=True)
    return min(newest_first, key=differing)


def _differences(exchange: Exchange, request: Request, labels: dict[str, str]) -> str:
    found = []
    for key, name in _EXPLAINING_LABELS:
        was, now = exchange.labels.get(key), labels.get(key)
        if was != now:
            found.append(f"{name} (recorded {was}, now {now})")
    if exchange.request.get("model") != request.get("model"):
        found.append(
            f"model (recorded {exchange.request.get('model')}, now {request.get('model')})"
        )
    if found:
        return ", ".join(found)
    recorded, current = exchange.request, canonical_request(request)
    differing = sorted(k for k in set(recorded) | set(current) if recorded.get(k) != current.get(k))
    if differing == ["messages"]:
        return _message_difference(recorded["messages"], current["messages"])
    return "the request's " + ", ".join(differing or ["content"])


def _message_difference(recorded: list[Any], current: list[Any]) -> str:
    if len(recorded) != len(current):
        return (
            f"the conversation ({len(recorded)} messages recorded, {len(current)} now: a "
            "re-ask that was not recorded)"
        )
    for index, (was, now) in enumerate(zip(recorded, current, strict=True)):
        if was != now:
            return f"message {index + 1} ({now.get('role', '?')})"
    return "the messages"
