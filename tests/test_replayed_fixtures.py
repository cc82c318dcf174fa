"""The embedded model's real answers, recorded in fixtures/exchanges, replayed offline.

fixtures/expected holds what replaying them must give (records and the eval report);
`make fixtures` re-records both after a prompt or schema change, and `make expected`
rebuilds the expected outputs alone after a change to grounding or scoring.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import summarizer
from tests.conftest import FIXTURES, ROOT

EXCHANGES = FIXTURES / "exchanges"
EXPECTED = FIXTURES / "expected"
GOLD_IDS = sorted(path.stem for path in (FIXTURES / "gold").glob("*.json"))


def expected_records() -> dict[str, dict[str, Any]]:
    lines = (EXPECTED / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return {record["article_id"]: record for record in map(json.loads, lines)}


def assert_same_record(got: dict[str, Any], expected: dict[str, Any]) -> None:
    """Field by field; only the time stamp may differ."""
    assert set(got) == set(expected)
    for field in expected:
        if field == "meta":
            for key in expected["meta"]:
                if key != "created_at":
                    assert got["meta"][key] == expected["meta"][key], f"meta.{key}"
        else:
            assert got[field] == expected[field], field


@pytest.fixture(autouse=True)
def from_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Sources are recorded relative to the project root, as `make fixtures` runs there.
    monkeypatch.chdir(ROOT)


def test_every_gold_article_is_recorded() -> None:
    assert set(expected_records()) == set(GOLD_IDS)


@pytest.mark.parametrize("article_id", GOLD_IDS)
def test_summarize_replays_each_article_field_by_field(cli, article_id: str) -> None:
    expected = expected_records()[article_id]
    ran = cli("summarize", expected["source"], "--replay", str(EXCHANGES))
    assert ran.exit_code == 0, ran.stderr
    got = ran.json()
    assert_same_record(got, expected)
    text = (ROOT / expected["source"]).read_text(encoding="utf-8")
    for item in got["allegations"] + got["denials"]:
        for evidence in item["evidence"]:
            assert text[evidence["start"] : evidence["end"]] == evidence["quote"]


def test_the_seed_record_names_the_seed_actors(cli) -> None:
    ran = cli("summarize", "fixtures/articles/mqm-birds-in-wings.txt", "--replay", str(EXCHANGES))
    names = {actor["name"] for actor in ran.json()["actors"]}
    assert {"Mustafa Kamal"} <= names
    assert any("Qaimkhani" in name for name in names)


def test_eval_replayed_gives_the_expected_report(cli) -> None:
    ran = cli("eval", "fixtures/gold", "--replay", str(EXCHANGES), "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    assert ran.json() == json.loads((EXPECTED / "eval.json").read_text(encoding="utf-8"))


def test_batch_replayed_gives_the_expected_records(cli, tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    ran = cli(
        "batch", "fixtures/gold", "fixtures/articles", "-o", str(out), "--replay", str(EXCHANGES)
    )
    assert ran.exit_code == 0, ran.stderr
    got = {r["article_id"]: r for r in map(json.loads, out.read_text().splitlines())}
    expected = expected_records()
    assert sorted(got) == sorted(expected)
    for article_id, record in got.items():
        assert_same_record(record, expected[article_id])


def test_the_recordings_are_fresh_for_todays_prompts_and_schema(cli) -> None:
    ran = cli("fixtures", "check", str(EXCHANGES))
    assert ran.exit_code == 0, f"{ran.stdout}\nrun `make fixtures` to re-record"
    assert ran.stdout.splitlines()[-1] == f"{len(GOLD_IDS)} fresh, 0 stale, 0 unused"


def test_the_pytest_fixture_replays_the_default_folder(summarizer_replay: Path) -> None:
    assert summarizer_replay == ROOT / "fixtures" / "exchanges"
    article = summarizer.read_article("fixtures/articles/mqm-new-faction.txt")
    record = summarizer.summarize(article)
    expected = expected_records()["mqm-new-faction"]
    assert [actor.name for actor in record.actors] == [a["name"] for a in expected["actors"]]
