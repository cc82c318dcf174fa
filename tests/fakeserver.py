"""A tiny OpenAI-compatible HTTP server on 127.0.0.1 that plays a script of replies.

Bounded, so a test that goes wrong cannot hang or loop: it answers at most
`max_requests` requests (then HTTP 503) and shuts itself down after `lifetime` seconds.
With `gather=N` the first requests wait until N are in flight together.
With `answer="minimal"` it answers, when nothing is scripted, the smallest JSON that
the request's schema accepts, after a fixed `delay`: enough to drive a whole batch; a
function as `answer` makes each reply from the request.
With `faults=Faults(rate=0.2)` it answers that share of the requests with a fault picked
at random (`FAULTS`: rate limits, 5xx, hangs, a connection reset mid-body, a body that is
not JSON, an answer that fails the schema or was cut off, no choices) and counts each.

    python -m tests.fakeserver --delay 0.1     # prints its base URL, serves until killed
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import struct
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal


@dataclass
class Reply:
    """One scripted answer: a completion, an HTTP error, a hang, a broken body."""

    status: int = 200
    content: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    hang_seconds: float = 0.0
    prompt_tokens: int = 100
    completion_tokens: int = 20
    # Reported as usage.prompt_tokens_details.cached_tokens when given.
    cached_tokens: int | None = None
    finish_reason: str = "stop"
    raw: bytes | None = None  # sent as the body as it is (content-type still JSON)
    reset_mid_body: bool = False  # half the body, then a TCP reset

    @classmethod
    def truncated(cls, content: str) -> Reply:
        """An answer cut off at the length limit: half of `content`, finish_reason length."""
        return cls(content=content[: len(content) // 2], finish_reason="length")

    @classmethod
    def no_choices(cls) -> Reply:
        body = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": "fake",
            "choices": [],
        }
        return cls(body=body)

    @classmethod
    def not_json(cls) -> Reply:
        return cls(raw=b'{"id": "chatcmpl-fake", "choices": [{"index": 0, "mess')

    @classmethod
    def reset(cls) -> Reply:
        return cls(reset_mid_body=True)

    @classmethod
    def completion(
        cls,
        content: str,
        prompt_tokens: int = 100,
        completion_tokens: int = 20,
        cached_tokens: int | None = None,
    ) -> Reply:
        return cls(
            content=content,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            cached_tokens=cached_tokens,
        )

    @classmethod
    def error(cls, status: int, message: str = "scripted error", **headers: str) -> Reply:
        body = {"error": {"message": message, "type": "scripted", "code": None}}
        return cls(
            status=status, body=body, headers={k.replace("_", "-"): v for k, v in headers.items()}
        )

    @classmethod
    def hang(cls, seconds: float) -> Reply:
        return cls(hang_seconds=seconds)


def _schema_failing(request: dict[str, Any]) -> Reply:
    """Valid JSON that no answer model accepts: every field of the minimal answer a list."""
    answer = minimal_answer(request)
    if isinstance(answer, dict):
        answer = {key: [value, value] for key, value in answer.items()} or {"x": []}
    return Reply.completion(json.dumps(answer))


def _truncated(request: dict[str, Any]) -> Reply:
    return Reply.truncated(json.dumps(minimal_answer(request)))


# Each fault the server injects, by name: the reply it gives, made from the request.
FAULTS: dict[str, Callable[[dict[str, Any]], Reply]] = {
    "429 with Retry-After": lambda request: Reply.error(429, "slow down", retry_after="0.01"),
    "429 without Retry-After": lambda request: Reply.error(429, "slow down"),
    "500": lambda request: Reply.error(500),
    "502": lambda request: Reply.error(502),
    "503": lambda request: Reply.error(503),
    "hang past the timeout": lambda request: Reply.hang(30),
    "reset mid-body": lambda request: Reply.reset(),
    "invalid JSON body": lambda request: Reply.not_json(),
    "answer failing the schema": _schema_failing,
    "answer cut off (length)": _truncated,
    "empty choices": lambda request: Reply.no_choices(),
}


@dataclass
class Faults:
    """Which share of requests get a fault, of which kinds, from which seed."""

    rate: float = 0.2
    kinds: tuple[str, ...] = tuple(FAULTS)
    seed: int = 13

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)
        self.injected: Counter[str] = Counter()

    def pick(self, request: dict[str, Any]) -> Reply | None:
        if self.random.random() >= self.rate:
            return None
        kind = self.random.choice(self.kinds)
        self.injected[kind] += 1
        return FAULTS[kind](request)


@dataclass
class Seen:
    """One request as the server received it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    at: float


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Many clients connect at once under -j 64 or 256; the default backlog is 5.
    request_queue_size = 1024

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out, or a connection reset on purpose, is no news; the
        # traceback would land in the stderr of the command under test.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class FakeOpenAI:
    """Start with `with FakeOpenAI() as server:`; `server.url` is the base URL."""

    def __init__(
        self,
        *,
        delay: float = 0.0,
        answer: Literal["scripted", "minimal"] | Callable[[dict[str, Any]], Reply] = "scripted",
        max_requests: int = 5000,
        lifetime: float = 120.0,
        keep_requests: bool = True,
        gather: int = 0,
        faults: Faults | None = None,
    ) -> None:
        self.replies: deque[Reply] = deque()
        self.requests: list[Seen] = []
        self.delay = delay
        self.answer = answer
        self.max_requests = max_requests
        self.lifetime = lifetime
        self.keep_requests = keep_requests
        self.faults = faults
        self.count = 0  # requests received
        # Hold the first requests until this many are in flight together (or 10 s pass):
        # proof that a client really sends them at once, however slow the machine.
        self.gather = gather
        self._gathered = threading.Event()
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._deadline = threading.Timer(lifetime, self._server.shutdown)
        self._deadline.daemon = True

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        self._deadline.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._deadline.cancel()
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self.count > self.max_requests:
                return Reply.error(503, f"the fake server's budget of {self.max_requests} is spent")
            if self.replies:
                return self.replies.popleft()
            fault = self.faults.pick(body) if self.faults is not None else None
        if fault is not None:
            return fault
        if callable(self.answer):
            return self.answer(body)
        if self.answer == "minimal":
            return Reply.completion(json.dumps(minimal_answer(body), separators=(",", ":")))
        return Reply.error(500, "no reply scripted")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            # Keep-alive, as real servers do: a client reuses its connections.
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: without TCP_NODELAY the second waits
            # for the client's delayed ACK, 40 ms a request.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                with server._lock:
                    server.count += 1
                    server.in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server.in_flight)
                    if server.in_flight >= server.gather:
                        server._gathered.set()
                    if server.keep_requests:
                        server.requests.append(
                            Seen(
                                self.path,
                                {k.lower(): v for k, v in self.headers.items()},
                                body,
                                time.monotonic(),
                            )
                        )
                try:
                    server._gathered.wait(10)
                    self._answer(body)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _answer(self, body: dict[str, Any]) -> None:
                reply = server._next_reply(body)
                if reply.hang_seconds:
                    server._release.wait(reply.hang_seconds)
                    self.close_connection = True
                    return
                if server.delay:
                    time.sleep(server.delay)
                if reply.raw is not None:
                    data = reply.raw
                else:
                    payload = reply.body if reply.body is not None else _completion(body, reply)
                    data = json.dumps(payload).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if reply.reset_mid_body:
                        self.wfile.write(data[: len(data) // 2])
                        self._reset()
                        return
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def _reset(self) -> None:
                """Close with a TCP reset (linger 0), not an orderly end."""
                self.close_connection = True
                linger = struct.pack("ii", 1, 0)
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                self.connection.close()

        return Handler


def _completion(request: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """A chat completion; shaped as a tool call when the request asked for tools."""
    message: dict[str, Any] = {"role": "assistant", "content": reply.content}
    tools = request.get("tools")
    if tools:
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": tools[0]["function"]["name"], "arguments": reply.content},
                }
            ],
        }
    usage: dict[str, Any] = {
        "prompt_tokens": reply.prompt_tokens,
        "completion_tokens": reply.completion_tokens,
        "total_tokens": reply.prompt_tokens + reply.completion_tokens,
    }
    if reply.cached_tokens is not None:
        usage["prompt_tokens_details"] = {"cached_tokens": reply.cached_tokens}
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": request.get("model", "fake"),
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": reply.finish_reason,
                "logprobs": None,
            }
        ],
        "usage": usage,
    }


def minimal_answer(request: dict[str, Any]) -> Any:
    """The smallest value the request's JSON schema (response_format or tool) accepts."""
    response_format = request.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        schema = response_format["json_schema"]["schema"]
    elif "schema" in response_format:
        schema = response_format["schema"]
    elif request.get("tools"):
        schema = request["tools"][0]["function"]["parameters"]
    else:
        return {}
    return _minimal(schema, schema.get("$defs", {}))


def _minimal(schema: dict[str, Any], definitions: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return _minimal(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"] or schema[key]
            return _minimal(options[0], definitions)
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        required = schema.get("required", list(properties))
        return {name: _minimal(properties[name], definitions) for name in required}
    if kind == "array":
        return [_minimal(schema.get("items", {}), definitions)] * schema.get("minItems", 0)
    if kind == "string":
        return "x" * schema.get("minLength", 0)
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--lifetime", type=float, default=3600.0)
    arguments = parser.parse_args()
    server = FakeOpenAI(
        delay=arguments.delay,
        answer="minimal",
        max_requests=arguments.max_requests,
        lifetime=arguments.lifetime,
        keep_requests=False,
    )
    with server:
        print(server.url, flush=True)
        # Served until stdin closes or the process is killed; the count goes out on stderr.
        sys.stdin.read()
        print(server.count, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
