"""The Markdown brief, through the CLI: its shape, its escaping, and model text cut at a word."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from summarizer.render.view import POINT_BOUND, whole_words
from tests.conftest import BIRDS, FIXTURES, ONEPASS, ROOT, birds_draft
from tests.fakeserver import FakeOpenAI, Reply

EXCHANGES = FIXTURES / "exchanges"
BRIEFS = FIXTURES / "expected" / "briefs"
RECORDS = FIXTURES / "expected" / "records.jsonl"


def expected_sources() -> dict[str, str]:
    lines = RECORDS.read_text(encoding="utf-8").splitlines()
    return {record["article_id"]: record["source"] for record in map(json.loads, lines)}


def test_markdown_brief_names_actors_and_quotes_the_text(cli, server: FakeOpenAI) -> None:
    server.script(Reply.completion(json.dumps(birds_draft())))
    ran = cli(
        "summarize", str(BIRDS), "-m", "m", "--base-url", server.url, "--format", "md", *ONEPASS
    )
    assert ran.exit_code == 0, ran.stderr
    brief = ran.stdout
    assert brief.startswith("# Dozens of MQM members may defect to Mustafa Kamal\n")
    assert "| Name | Kind | Role | Affiliation | Also called |" in brief
    row = "| Mustafa Kamal | person | former Karachi mayor | new party | Kamal, Mr Kamal |"
    assert row in brief
    assert (
        "1. **MQM Punjab sources** (anonymous) → **Anees Qaimkhani**: "
        "Qaimkhani is effecting defections from the party\n" in brief
    )
    assert "   > [16] “Anees Qaimkhani is the real man who is effecting defections" in brief
    # The denial answers no allegation here, so it has a section of its own.
    assert "## Other denials" in brief
    assert "- **Muttahida Qaumi Movement** denies: that a bloody clash could ensue" in brief


def test_a_denial_is_shown_beneath_the_allegation_it_answers(cli, server: FakeOpenAI) -> None:
    # Qaimkhani denies in sentence 17 what sentence 16 accuses him of.
    draft = birds_draft(
        denials=[{"denied_by": ["Anees Qaimkhani"], "content": "that he ...", "sentences": [16]}]
    )
    server.script(Reply.completion(json.dumps(draft)))
    ran = cli("summarize", str(BIRDS), "-m", "m", "--base-url", server.url, "-f", "md", *ONEPASS)
    assert ran.exit_code == 0, ran.stderr
    allegation = ran.stdout.index("1. **MQM Punjab sources**")
    denial = ran.stdout.index("   - **Anees Qaimkhani** denies: that he ...")
    assert allegation < denial
    assert "Other denials" not in ran.stdout


def test_an_unverified_item_is_marked(cli, server: FakeOpenAI) -> None:
    # Sentence 1 is the headline: it names none of the allegation's actors.
    allegation = {**birds_draft()["allegations"][0], "sentences": [1]}
    server.script(Reply.completion(json.dumps(birds_draft(allegations=[allegation]))))
    ran = cli("summarize", str(BIRDS), "-m", "m", "--base-url", server.url, "-f", "md", *ONEPASS)
    assert ran.exit_code == 0, ran.stderr
    line = next(line for line in ran.stdout.splitlines() if line.startswith("1. "))
    assert line.endswith("⚠ *unverified: the sentences it cites name none of its actors*")


@pytest.mark.parametrize("article_id", sorted(expected_sources()))
def test_markdown_of_each_replayed_gold_record_is_the_expected_file(
    cli, monkeypatch: pytest.MonkeyPatch, article_id: str
) -> None:
    monkeypatch.chdir(ROOT)
    ran = cli("summarize", expected_sources()[article_id], "--replay", str(EXCHANGES), "-f", "md")
    assert ran.exit_code == 0, ran.stderr
    expected = (BRIEFS / f"{article_id}.md").read_text(encoding="utf-8")
    assert ran.stdout == expected, "run `make expected` if the change is intended"


def test_the_digest_of_the_replayed_gold_records_is_the_expected_file(cli) -> None:
    ran = cli("brief", str(RECORDS))
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout == (BRIEFS / "digest.md").read_text(encoding="utf-8")


def test_no_key_point_of_the_gold_briefs_ends_mid_word() -> None:
    # A recorded model once cut "Anees Qaimkhani" to "Anees Qaimkhā" at its bound.
    brief = (BRIEFS / "mqm-birds-in-wings.md").read_text(encoding="utf-8")
    assert "Qaimkhā" not in brief


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Cut on the bound: the last word may be broken, so it goes.
        ("x" * 143 + " and Anees Qaimkh", "x" * 143 + " and Anees…"),
        # Reaching the bound only as JSON (U+2019 is six characters there): cut between words,
        # so the last one stays, and the cut is shown.
        ("\u2019" * 2 + "y" * 123 + " running costs, including", None),
        # A finished sentence that happens to fill the bound is left alone.
        ("z" * 147 + " it was done.", "z" * 147 + " it was done."),
        # Well short of the bound: only whitespace is folded.
        ("MQM marked  two dozen\nsuspects", "MQM marked two dozen suspects"),
    ],
)
def test_model_text_at_its_bound_is_cut_at_a_whole_word(value: str, expected: str | None) -> None:
    assert len(value) <= POINT_BOUND
    assert whole_words(value, POINT_BOUND) == (expected or value + "…")


def test_what_the_article_and_model_say_is_escaped_in_markdown(
    cli, server: FakeOpenAI, tmp_path: Path
) -> None:
    article = tmp_path / "hostile.txt"
    article.write_text(
        "Headline\n\nThe mayor said <script>alert(1)</script> and *this* was [a link](x).\n",
        encoding="utf-8",
    )
    draft = {
        "headline": "# <img src=x onerror=alert(1)>",
        "summary": "1. Not a list | nor a table",
        "key_points": ["_not emphasis_"],
        "actors": [
            {"name": "The mayor", "kind": "person", "role": "", "affiliation": "", "aliases": []}
        ],
        "allegations": [
            {
                "claim": "said <script>alert(1)</script>",
                "made_by": ["The mayor"],
                "against": [],
                "attribution": "named",
                "source": "",
                "sentences": [2],
            }
        ],
        "denials": [],
    }
    server.script(Reply.completion(json.dumps(draft)))
    ran = cli("summarize", str(article), "-m", "m", "--base-url", server.url, "-f", "md", *ONEPASS)
    assert ran.exit_code == 0, ran.stderr
    brief = ran.stdout
    assert brief.startswith("# \\# \\<img src=x onerror=alert(1)\\>\n")
    assert "\n1\\. Not a list \\| nor a table\n" in brief
    assert "- \\_not emphasis\\_" in brief
    assert "said \\<script\\>alert(1)\\</script\\>" in brief
    assert "\\*this\\* was \\[a link\\](x)" in brief
    assert re.search(r"(?<!\\)<", brief) is None  # every < is escaped


def test_summarize_writes_the_brief_to_a_file(cli, server: FakeOpenAI, tmp_path: Path) -> None:
    server.script(Reply.completion(json.dumps(birds_draft())))
    out = tmp_path / "brief.md"
    model = ("-m", "m", "--base-url", server.url, *ONEPASS)
    ran = cli("summarize", str(BIRDS), "-f", "md", "-o", str(out), *model)
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# Dozens of MQM members")


def test_an_output_that_cannot_be_written_is_refused_before_the_model_runs(
    cli, server: FakeOpenAI, tmp_path: Path
) -> None:
    out = tmp_path / "missing" / "brief.md"
    ran = cli(
        "summarize", str(BIRDS), "-f", "md", "-o", str(out), "-m", "m", "--base-url", server.url
    )
    assert ran.exit_code == 2
    assert ran.stderr == f"error: {out}: folder {out.parent} does not exist; create it first\n"
    assert server.requests == []
