"""A tiny OpenAI-compatible HTTP server on 127.0.0.1 that plays a script of replies.

Bounded, so a test that goes wrong cannot hang or loop: it answers at most
`max_requests` requests (then HTTP 503) and shuts itself down after `lifetime` seconds.
With `gather=N` the first requests wait until N are in flight together.
With `answer="minimal"` it answers, when nothing is scripted, the smallest JSON that
the request's schema accepts, after a fixed `delay`: enough to drive a whole batch.

    python -m tests.fakeserver --delay 0.1     # prints its base URL, serves until killed
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal


@dataclass
class Reply:
    """One scripted answer: a completion, an HTTP error, or a hang."""

    status: int = 200
    content: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    hang_seconds: float = 0.0
    prompt_tokens: int = 100
    completion_tokens: int = 20
    # Reported as usage.prompt_tokens_details.cached_tokens when given.
    cached_tokens: int | None = None

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


class FakeOpenAI:
    """Start with `with FakeOpenAI() as server:`; `server.url` is the base URL."""

    def __init__(
        self,
        *,
        delay: float = 0.0,
        answer: Literal["scripted", "minimal"] = "scripted",
        max_requests: int = 5000,
        lifetime: float = 120.0,
        keep_requests: bool = True,
        gather: int = 0,
    ) -> None:
        self.replies: deque[Reply] = deque()
        self.requests: list[Seen] = []
        self.delay = delay
        self.answer = answer
        self.max_requests = max_requests
        self.lifetime = lifetime
        self.keep_requests = keep_requests
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
                payload = reply.body if reply.body is not None else _completion(body, reply)
                data = json.dumps(payload).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

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
        "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
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
