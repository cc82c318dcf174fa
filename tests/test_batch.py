"""`summarizer batch`: many articles into one resumable JSONL."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import BIRDS, ONEPASS, birds_draft
from tests.fakeserver import FakeOpenAI, Reply

EMPTY = json.dumps(birds_draft(allegations=[], denials=[]))


def archive(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def batch(cli, server: FakeOpenAI, *args: str):
    return cli("batch", *args, "-m", "m", "--base-url", server.url, *ONEPASS)


def ids(path: Path) -> list[str]:
    return [json.loads(line)["article_id"] for line in path.read_text().splitlines()]


def test_an_archive_becomes_one_record_per_line(cli, server, tmp_path) -> None:
    source = archive(
        tmp_path,
        json.dumps({"id": "a1", "text": "The mayor opened a bridge. Nobody objected."}),
        json.dumps({"id": "a2", "text": "The council met on Monday."}),
    )
    out = tmp_path / "out.jsonl"
    server.script(Reply.completion(EMPTY), Reply.completion(EMPTY))
    ran = batch(cli, server, str(source), "-o", str(out))
    assert ran.exit_code == 0, ran.stderr
    assert ids(out) == ["a1", "a2"]
    assert ran.stderr.splitlines()[-1] == f"2 summarized, 0 already in {out}, 0 failed"
    record = json.loads(out.read_text().splitlines()[0])
    assert record["source"] == f"{source}:1"


def test_a_rerun_resumes_and_retries_only_what_is_missing(cli, server, tmp_path) -> None:
    source = archive(
        tmp_path,
        json.dumps({"id": "a1", "text": "First article."}),
        json.dumps({"id": "a2", "text": "Second article."}),
        json.dumps({"id": "a3", "text": "Third article."}),
    )
    out = tmp_path / "out.jsonl"
    # a2 fails for good this time (the server keeps failing), a1 and a3 succeed.
    server.script(Reply.completion(EMPTY), *[Reply.error(500)] * 2, Reply.completion(EMPTY))
    first = batch(cli, server, str(source), "-o", str(out), "--max-retries", "1")
    assert first.exit_code == 1
    assert ids(out) == ["a1", "a3"]
    assert "error: " in first.stderr and "HTTP 500" in first.stderr
    # A crash mid-write leaves half a line: the rerun trims it and carries on.
    with out.open("a") as file:
        file.write('{"article_id": "a2", "head')
    server.script(Reply.completion(EMPTY))
    second = batch(cli, server, str(source), "-o", str(out))
    assert second.exit_code == 0, second.stderr
    assert ids(out) == ["a1", "a3", "a2"]
    assert second.stderr.splitlines()[-1] == f"1 summarized, 2 already in {out}, 0 failed"
    assert len(server.requests) == 5


def test_bad_inputs_are_named_and_the_rest_done(cli, server, tmp_path) -> None:
    source = archive(
        tmp_path,
        "{not json",
        json.dumps({"id": "ok", "text": "A fine article."}),
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps({"title": "no text"}),
    )
    out = tmp_path / "out.jsonl"
    server.script(Reply.completion(EMPTY))
    ran = batch(cli, server, str(source), "-o", str(out))
    assert ran.exit_code == 2
    errors = [line for line in ran.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: {source}:1: invalid JSON: Expecting property name enclosed in double quotes",
        f"error: {source}:3: article is empty: nothing to summarize",
        f'error: {source}:4: each line needs {{"id": ..., "text": ...}}',
    ]
    assert ids(out) == ["ok"]


def test_folders_and_files_are_inputs_too(cli, server, tmp_path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "b.txt").write_text("Second.")
    (folder / "a.txt").write_text("First.")
    out = tmp_path / "out.jsonl"
    server.script(*[Reply.completion(EMPTY)] * 3)
    ran = batch(cli, server, str(folder), str(BIRDS), "-o", str(out))
    assert ran.exit_code == 0, ran.stderr
    assert ids(out) == ["a", "b", "mqm-birds-in-wings"]
