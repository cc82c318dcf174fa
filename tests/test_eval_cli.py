"""`summarizer eval` through the real CLI, on records written beforehand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from summarizer.schema import Actor, Allegation, Denial, Evidence, Record, Usage
from tests.conftest import FIXTURES, meta

GOLD = FIXTURES / "gold"
PORT = (GOLD / "port-contract-counter.txt").read_text(encoding="utf-8")


def make_record(article_id: str, actors, allegations=(), denials=(), tokens=(100, 10)) -> Record:
    ids = {name: f"A{n}" for n, name in enumerate(actors, start=1)}
    quote = "Mr. Sorell rejected the claim."
    start = PORT.find(quote)
    evidence = [Evidence(quote=quote, start=start, end=start + len(quote), alignment="exact")]
    return Record(
        article_id=article_id,
        source=f"{article_id}.txt",
        sha256="0" * 64,
        headline="h",
        summary="s",
        key_points=[],
        actors=[
            Actor(id=ids[name], name=name, kind="person", role="", affiliation=None, aliases=[])
            for name in actors
        ],
        allegations=[
            Allegation(
                id=f"AL{n}",
                claim="c",
                made_by=[ids[m] for m in made_by],
                against=[ids[a] for a in against],
                attribution="named",
                source_description=None,
                evidence=[],
                grounded=False,
                supported=False,
            )
            for n, (made_by, against) in enumerate(allegations, start=1)
        ],
        denials=[
            Denial(
                id=f"D{n}",
                denied_by=[ids[d] for d in denied_by],
                responds_to=[],
                content="c",
                evidence=evidence,
                grounded=True,
                supported=False,
            )
            for n, denied_by in enumerate(denials, start=1)
        ],
        meta=meta(
            Usage(prompt_tokens=tokens[0], completion_tokens=tokens[1], total_tokens=sum(tokens)),
            latency_seconds=2.5,
        ),
    )


@pytest.fixture
def predictions(tmp_path: Path) -> Path:
    port = make_record(
        "port-contract-counter",
        ["Rafael Oduya", "Mr. Sorell", "Greyhaven", "Harbour Police"],
        allegations=[(["Rafael Oduya"], ["Mr. Sorell"])],
        denials=[["Mr. Sorell"]],
    )
    council = make_record("council-budget-approved", [], tokens=(50, 5))
    path = tmp_path / "records.jsonl"
    path.write_text(port.model_dump_json() + "\n" + council.model_dump_json() + "\n")
    return path


@pytest.fixture
def two_gold(tmp_path: Path) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    for name in ("port-contract-counter", "council-budget-approved"):
        for suffix in (".json", ".txt"):
            shutil.copy(GOLD / f"{name}{suffix}", folder)
    return folder


def test_scores_records_from_a_file_as_json(cli, two_gold: Path, predictions: Path) -> None:
    ran = cli("eval", str(two_gold), "--predictions", str(predictions), "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    report = ran.json()
    council, port = report["articles"]
    assert council["article_id"] == "council-budget-approved"
    # Nothing to find and nothing claimed: perfect.
    assert (council["allegations"]["precision"], council["allegations"]["recall"]) == (1.0, 1.0)
    # Port: 3 of 4 predicted actors are gold actors; 3 of the 5 non-minor gold actors found.
    assert port["actors"]["precision"] == pytest.approx(3 / 4)
    assert port["actors"]["recall"] == pytest.approx(3 / 5)
    assert port["actors"]["f1"] == pytest.approx(2 / 3)
    # One of two allegations, one of two required denials (the optional one is ignored).
    assert (port["allegations"]["precision"], port["allegations"]["recall"]) == (1.0, 0.5)
    assert (port["denials"]["precision"], port["denials"]["recall"]) == (1.0, 0.5)
    assert port["grounding"]["exact_share"] == 1.0
    total = report["total"]
    assert total["article_count"] == 2
    assert total["allegations"]["recall"] == pytest.approx(1 / 2)
    assert total["usage"]["prompt_tokens"] == 150
    assert total["seconds"] == 5.0


def test_the_table_has_a_row_per_article_and_a_micro_total(cli, two_gold, predictions) -> None:
    ran = cli("eval", str(two_gold), "--predictions", str(predictions))
    assert ran.exit_code == 0, ran.stderr
    rows = ran.stdout.splitlines()
    assert rows[2].startswith("council-budget-approved")
    assert rows[3].startswith("port-contract-counter")
    assert "0.75  0.60  0.67" in rows[3]
    assert rows[-1].startswith("micro total (2)")


def test_a_bad_gold_file_is_reported_and_the_rest_scored(cli, two_gold, predictions) -> None:
    (two_gold / "broken.json").write_text('{"id": "broken", "actors": [')
    (two_gold / "stranger.json").write_text(
        '{"id": "stranger", "actors": [{"name": "A", "kind": "person"}],'
        ' "allegations": [{"made_by": ["Nobody"], "against": ["A"]}]}'
    )
    (two_gold / "stranger.txt").write_text("A said things.")
    ran = cli("eval", str(two_gold), "--predictions", str(predictions), "--format", "json")
    assert ran.exit_code == 2
    errors = ran.stderr.splitlines()
    assert any(str(two_gold / "broken.json") in e and "invalid JSON" in e for e in errors)
    assert any("stranger.json" in e and "'Nobody' is no actor" in e for e in errors)
    assert [a["article_id"] for a in ran.json()["articles"]] == [
        "council-budget-approved",
        "port-contract-counter",
    ]


def test_a_gold_article_without_a_record_scores_as_empty(cli, two_gold, tmp_path) -> None:
    only_council = tmp_path / "one.jsonl"
    only_council.write_text(make_record("council-budget-approved", []).model_dump_json() + "\n")
    ran = cli("eval", str(two_gold), "--predictions", str(only_council))
    assert ran.exit_code == 0
    assert "port-contract-counter *" in ran.stdout
    assert "no record for this article" in ran.stdout


def test_a_bad_predictions_line_is_named(cli, two_gold, predictions) -> None:
    with predictions.open("a") as file:
        file.write('{"article_id": "x"}\n')
    ran = cli("eval", str(two_gold), "--predictions", str(predictions))
    assert ran.exit_code == 2
    assert f"{predictions}:3: not a valid record" in ran.stderr


def test_records_pair_by_text_hash_when_ids_differ(cli, two_gold, tmp_path) -> None:
    import hashlib

    text = (two_gold / "council-budget-approved.txt").read_text(encoding="utf-8")
    record = make_record("some-other-name", [])
    record.sha256 = hashlib.sha256(text.encode()).hexdigest()
    path = tmp_path / "renamed.jsonl"
    path.write_text(record.model_dump_json() + "\n")
    ran = cli("eval", str(two_gold), "--predictions", str(path), "--format", "json")
    council = ran.json()["articles"][0]
    assert council["has_record"] is True
