"""`summarizer brief`: records made earlier as one page or one Markdown digest; the record's
text (carried, left out, found again); the actor filter; bad input."""

from __future__ import annotations

import json
import re
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


def test_the_digest_page_holds_every_article_and_its_text(cli, tmp_path: Path) -> None:
    out = tmp_path / "digest.html"
    ran = cli("brief", str(RECORDS), "-o", str(out))
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout == "" and ran.stderr == ""
    page = out.read_text(encoding="utf-8")
    assert "<title>Briefs: 7 articles</title>" in page
    assert len(re.findall(r'<article class="story"', page)) == 7
    assert page.count('<li data-for="a') == 7  # the contents
    assert "Actors across articles" in page
    # Every piece of evidence that indexes the text is highlighted where it starts.
    for number, record in enumerate(records(), 1):
        for item in record["allegations"] + record["denials"]:
            for evidence in item["evidence"]:
                if evidence["start"] is not None:
                    assert f'id="a{number}-t{evidence["start"]}"' in page


def test_the_page_is_self_contained(cli, tmp_path: Path) -> None:
    out = tmp_path / "digest.html"
    assert cli("brief", str(RECORDS), "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    loads = r"<link[^>]+stylesheet|<script[^>]+src=|@import|@font-face|url\("
    assert re.search(loads, page) is None
    assert re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page) is None
    assert "default-src &#39;none&#39;" in page  # the policy forbids loading anything


def test_the_format_follows_the_output_suffix(cli, tmp_path: Path) -> None:
    out = tmp_path / "digest.md"
    assert cli("brief", str(RECORDS), "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# Briefs: 7 articles\n")
    forced = tmp_path / "digest.txt"
    assert cli("brief", str(RECORDS), "-f", "html", "-o", str(forced)).exit_code == 0
    assert forced.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_actor_keeps_only_the_articles_naming_that_actor(cli) -> None:
    ran = cli("brief", str(RECORDS), "--actor", "qaimkhani", "-f", "md")
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout.startswith("# Briefs naming qaimkhani: 2 articles\n")
    assert "## 1. MQM members could defect" in ran.stdout
    assert "## 2. MQM factions emerge" in ran.stdout
    assert "Orrin Biotech" not in ran.stdout
    # A title is no name: "Mr" is set aside, as in the gold rules.
    titled = cli("brief", str(RECORDS), "--actor", "Mr Wasay Jalil", "-f", "md")
    assert titled.stdout.startswith("# Briefs naming Mr Wasay Jalil: 1 article\n")


def test_an_actor_no_article_names_is_one_line_with_the_closest_names(cli) -> None:
    ran = cli("brief", str(RECORDS), "--actor", "Altaf Husain")
    assert ran.exit_code == 2
    assert ran.stderr.startswith(
        f"error: {RECORDS}: no article names an actor 'Altaf Husain'; closest: Altaf Hussain (2)"
    )
    assert ran.stderr.count("\n") == 1


def test_a_bad_line_is_reported_and_the_rest_is_briefed(cli, tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    lines = RECORDS.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], '{"article_id": "x"}', lines[1]]) + "\n", "utf-8")
    out = tmp_path / "digest.html"
    ran = cli("brief", str(path), "-o", str(out))
    assert ran.exit_code == 2
    assert ran.stderr.startswith(f"error: {path}:2: not a valid record")
    assert ran.stderr.count("\n") == 1
    assert out.read_text(encoding="utf-8").count('<article class="story"') == 2


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


def compact_records(cli, articles: Path, out: Path) -> Path:
    ran = cli("batch", str(articles), "-o", str(out), "--replay", str(EXCHANGES), "--no-text")
    assert ran.exit_code == 0, ran.stderr
    assert all("text" not in json.loads(line) for line in out.read_text().splitlines())
    return out


def test_brief_finds_the_text_a_compact_record_left_out(cli, tmp_path: Path) -> None:
    # The articles were summarized where they were, then moved away.
    moved = tmp_path / "articles"
    moved.mkdir()
    for path in (ROOT / "fixtures/articles").glob("*.txt"):
        (moved / path.name).write_bytes(path.read_bytes())
    compact = compact_records(cli, moved, tmp_path / "compact.jsonl")
    archive = tmp_path / "archive.jsonl"
    archive.write_text(
        "".join(
            json.dumps({"id": f"other-{n}", "text": path.read_text(encoding="utf-8")}) + "\n"
            for n, path in enumerate(sorted(moved.glob("*.txt")))
        ),
        encoding="utf-8",
    )
    for path in moved.glob("*.txt"):
        path.unlink()
    page = tmp_path / "digest.html"
    # With nothing to find it in, the page says how to get it...
    ran = cli("brief", str(compact), "-o", str(page))
    assert ran.exit_code == 0
    assert ran.stderr.startswith("note: 2 of 2 records carry no article text")
    assert page.read_text(encoding="utf-8").count("does not carry the article") == 2
    # ...and from an archive the user names, it is found by hash whatever the ids there.
    ran = cli("brief", str(compact), "--articles", str(archive), "-o", str(page))
    assert ran.exit_code == 0, ran.stderr
    assert ran.stderr == ""
    assert "does not carry the article" not in page.read_text(encoding="utf-8")
    assert "<mark " in page.read_text(encoding="utf-8")


def test_brief_finds_the_text_in_the_source_file_when_it_is_unchanged(cli, tmp_path: Path) -> None:
    compact = compact_records(cli, ROOT / "fixtures/articles", tmp_path / "compact.jsonl")
    page = tmp_path / "digest.html"
    ran = cli("brief", str(compact), "-o", str(page))
    assert ran.exit_code == 0, ran.stderr
    assert ran.stderr == ""
    assert page.read_text(encoding="utf-8").count("<mark ") > 5


def test_summarize_writes_one_articles_page(cli, server: FakeOpenAI, tmp_path: Path) -> None:
    server.script(Reply.completion(json.dumps(birds_draft())))
    out = tmp_path / "brief.html"
    model = ("-m", "m", "--base-url", server.url, *ONEPASS)
    ran = cli("summarize", str(BIRDS), "-f", "html", "-o", str(out), "--no-text", *model)
    assert ran.exit_code == 0, ran.stderr
    page = out.read_text(encoding="utf-8")
    assert "<title>Dozens of MQM members may defect to Mustafa Kamal</title>" in page
    assert 'id="filter"' not in page  # one article: no digest furniture
    assert re.search(r'<mark class="c\w" data-cites="AL1"[^>]*>“Anees Qaimkhani is the real', page)
