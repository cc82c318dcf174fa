"""The record carries its article's text, unless it is left out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BIRDS, FIXTURES, ONEPASS, ROOT, birds_draft
from tests.fakeserver import FakeOpenAI, Reply

EXCHANGES = FIXTURES / "exchanges"
RECORDS = FIXTURES / "expected" / "records.jsonl"


def records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in RECORDS.read_text(encoding="utf-8").splitlines()]


def write_records(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def test_a_record_carries_its_article_text_last(cli, server: FakeOpenAI) -> None:
    server.script(Reply.completion(json.dumps(birds_draft())))
    ran = cli("summarize", str(BIRDS), "-m", "m", "--base-url", server.url, *ONEPASS)
    assert ran.exit_code == 0, ran.stderr
    record = ran.json()
    assert list(record)[-1] == "text"
    assert record["text"] == BIRDS.read_text(encoding="utf-8")
    for evidence in record["allegations"][0]["evidence"]:
        assert record["text"][evidence["start"] : evidence["end"]] == evidence["quote"]


def test_no_text_leaves_it_out_of_the_record(cli, server: FakeOpenAI) -> None:
    server.script(Reply.completion(json.dumps(birds_draft())))
    ran = cli("summarize", str(BIRDS), "-m", "m", "--base-url", server.url, "--no-text", *ONEPASS)
    assert ran.exit_code == 0, ran.stderr
    assert "text" not in ran.json()


def test_records_written_before_the_text_field_still_load(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = write_records(
        tmp_path / "old.jsonl", [{k: v for k, v in r.items() if k != "text"} for r in records()]
    )
    monkeypatch.chdir(ROOT)
    ran = cli("eval", "fixtures/gold", "--predictions", str(old), "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    expected = json.loads((FIXTURES / "expected" / "eval.json").read_text(encoding="utf-8"))
    assert ran.json() == expected
