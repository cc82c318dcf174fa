"""The API key: sent to the server, and never written anywhere else (logs, records, the
exchange store, the errors file, error messages, -v output)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from tests.conftest import BIRDS, ONEPASS, birds_draft
from tests.fakeserver import FakeOpenAI, Reply
from tests.test_batch import archive, rows

GOOD = json.dumps(birds_draft())


def new_key() -> str:
    return f"sk-test-{secrets.token_hex(16)}"


def leaks(secret: str, text: str) -> list[str]:
    """Where the key, or a recognisable part of it, shows in the text."""
    tail = secret[-12:]
    return [part for part in (secret, tail) if part in text]


def files_holding(secret: str, folder: Path) -> list[Path]:
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and leaks(secret, path.read_bytes().decode("utf-8", "replace"))
    ]


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "summarizer", "-v", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


def test_the_key_is_sent_but_never_written(tmp_path: Path) -> None:
    secret = new_key()
    env = {
        **os.environ,
        "OPENAI_API_KEY": secret,
        "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"),
        "SUMMARIZER_RETRY_WAIT": "0.01",
        # The openai client's own debug log, on top of -v: still no key.
        "OPENAI_LOG": "debug",
    }
    source = archive(tmp_path, *rows(6))
    out, failed = tmp_path / "out.jsonl", tmp_path / "failed.jsonl"
    echoing = f"Incorrect API key provided: {secret[:7]}...{secret[-12:]} ({secret})"
    with FakeOpenAI(answer="minimal") as server:
        # Each error echoes the key back, as some servers do.
        server.script(
            Reply.error(500, echoing),
            Reply.error(429, echoing),
            Reply.error(400, echoing),  # a refused request: its message is shown
            Reply.error(500, echoing),  # retried, then answered
        )
        ran = run(
            "batch", str(source), "-o", str(out), "--errors", str(failed), "-j", "1",
            "-m", "m", "--base-url", server.url, *ONEPASS, "--max-retries", "1",
            "--cache", str(tmp_path / "exchanges"),
            env=env,
        )  # fmt: skip
        server.script(Reply.completion(GOOD), Reply.error(401, echoing))
        recorded = run(
            "summarize", str(BIRDS), "-m", "m", "--base-url", server.url, *ONEPASS,
            "--record", str(tmp_path / "recorded"), "-o", str(tmp_path / "brief.json"),
            env=env,
        )  # fmt: skip
        refused = run(
            "summarize", str(BIRDS), "-m", "m", "--base-url", server.url, *ONEPASS, env=env
        )
        sent = {seen.headers.get("authorization") for seen in server.requests}
    # The key went to the server with every request...
    assert sent == {f"Bearer {secret}"}
    assert ran.returncode == 1, ran.stderr
    assert recorded.returncode == 0, recorded.stderr
    assert refused.returncode == 2, refused.stderr
    # ... the runs did what they should (so there was something to leak into) ...
    assert len(out.read_text().splitlines()) == 4
    assert len(failed.read_text().splitlines()) == 2
    assert "refused the request (HTTP 400)" in failed.read_text()
    assert any((tmp_path / "exchanges").rglob("*.json"))
    assert any((tmp_path / "recorded").glob("*.json"))
    assert "HTTP Request: POST" in ran.stderr  # -v logs each call
    assert "rejected the API key" in refused.stderr
    # ... and it is nowhere else.
    for process in (ran, recorded, refused):
        assert not leaks(secret, process.stdout + process.stderr), process.stderr
    assert files_holding(secret, tmp_path) == []


def test_the_key_never_reaches_a_record_or_the_cache_in_process(
    cli, server: FakeOpenAI, monkeypatch, tmp_path: Path
) -> None:
    secret = new_key()
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    server.script(Reply.completion(GOOD))
    ran = cli(
        "summarize", str(BIRDS), "-m", "m", "--base-url", server.url, *ONEPASS,
        "--cache", str(tmp_path / "cache"),
    )  # fmt: skip
    assert ran.exit_code == 0, ran.stderr
    assert server.requests[0].headers["authorization"] == f"Bearer {secret}"
    assert not leaks(secret, ran.stdout + ran.stderr)
    assert files_holding(secret, tmp_path) == []
    from summarizer.settings import Settings

    assert secret not in repr(Settings.resolve())
