"""`summarizer brief`: records made earlier as one Markdown digest; the record's text
(carried, left out); the actor filter; bad input."""

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


def test_records_written_before_the_text_field_still_brief_the_same(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = write_records(
        tmp_path / "old.jsonl", [{k: v for k, v in r.items() if k != "text"} for r in records()]
    )
    monkeypatch.chdir(tmp_path)  # where the records' sources cannot be found either
    ran = cli("brief", str(old))
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout == cli("brief", str(RECORDS)).stdout


def test_actor_keeps_only_the_articles_naming_that_actor(cli) -> None:
    ran = cli("brief", str(RECORDS), "--actor", "qaimkhani")
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout.startswith("# Briefs naming qaimkhani: 2 articles\n")
    assert "## 1. MQM members could defect" in ran.stdout
    assert "## 2. MQM factions emerge" in ran.stdout
    assert "Orrin Biotech" not in ran.stdout
    # A title is no name: "Mr" is set aside, as in the gold rules.
    titled = cli("brief", str(RECORDS), "--actor", "Mr Altaf Hussain")
    assert titled.stdout.startswith("# Briefs naming Mr Altaf Hussain: 1 article\n")


def test_an_actor_no_article_names_is_one_line_with_the_closest_names(cli) -> None:
    ran = cli("brief", str(RECORDS), "--actor", "Altaf Husain")
    assert ran.exit_code == 2
    assert ran.stderr == (
        f"error: {RECORDS}: no article names an actor 'Altaf Husain'; closest: Altaf Hussain (1)\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "file not found"), ("", "holds no valid record to brief")],
)
def test_no_records_is_one_line(cli, tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "records.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    ran = cli("brief", str(path))
    assert ran.exit_code == 2
    assert ran.stderr == f"error: {path}: {message}\n"


def test_a_bad_line_is_reported_and_the_rest_is_briefed(cli, tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    lines = RECORDS.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], '{"article_id": "x"}', lines[1]]) + "\n", "utf-8")
    out = tmp_path / "digest.md"
    ran = cli("brief", str(path), "-o", str(out))
    assert ran.exit_code == 2
    assert ran.stderr.startswith(f"error: {path}:2: not a valid record")
    assert ran.stderr.count("\n") == 1
    assert out.read_text(encoding="utf-8").startswith("# Briefs: 2 articles\n")
