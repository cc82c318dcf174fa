"""The default pipeline: actors from the parse judged by the model, claim frames from the
parse, the model asked in one answer what the parse leaves open, frames merged into the
record's allegations and denials. Model answers are scripted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from summarizer.actors import ActorTable
from summarizer.claims.frames import article_frames
from summarizer.claims.merge import Verdict, claims_from_frames, read_parties
from summarizer.schema import ActorDraft
from summarizer.sentences import split_sentences
from tests.fakeserver import FakeOpenAI, Reply

ARTICLE = (
    "Athletics Kenya (AK) has denied claims by German media that two athletes took EPO.\n"
    "ZDF's undercover journalist, Mr. Markus Harm claimed that AK officials hid doping "
    "results.\n"
    "AK said the athletes met all the conditions.\n"
    "The federation also dismissed the report as baseless.\n"
    "Harm said he would publish the footage next week.\n"
)


def actor(name: str, kind: str = "organization", *aliases: str, role: str = "") -> ActorDraft:
    return ActorDraft(name=name, kind=kind, role=role, affiliation="", aliases=list(aliases))  # type: ignore[arg-type]


TABLE = [
    actor("Athletics Kenya", "organization", "AK"),
    actor("ZDF"),
    actor("Markus Harm", "person", role="journalist"),
]


def parties_of(text: str, drafts: list[ActorDraft]) -> list[tuple[Any, ...]]:
    table = ActorTable.from_drafts(drafts)
    frames = article_frames(text)
    parties = read_parties(frames, table, split_sentences(text))
    names = table.names()

    def named(indexes: tuple[int, ...] | None) -> list[str] | None:
        return None if indexes is None else [names[i] for i in indexes]

    return [
        (f.sentence, f.sense, named(p.makers), named(p.targets), p.unnamed)
        for f, p in zip(frames, parties, strict=True)
    ]


def test_sources_and_targets_resolve_to_actors_by_name_alias_and_head() -> None:
    found = parties_of(ARTICLE, TABLE)
    assert (1, "deny", ["Athletics Kenya"], [], "") in found
    # "ZDF's undercover journalist, Mr. Markus Harm": the head names the maker; "AK
    # officials" are Athletics Kenya's.
    assert (2, "accuse", ["Markus Harm"], ["Athletics Kenya"], "") in found


def test_a_possessive_names_its_owner() -> None:
    text = "Al Jazeera's documentary claimed that the board hid the payments."
    found = parties_of(text, [actor("Al Jazeera"), actor("Pakistan Cricket Board", "organization")])
    assert found[0][2] == ["Al Jazeera"]


def test_a_description_stands_for_the_actor_of_its_kind_named_last() -> None:
    found = parties_of(ARTICLE, TABLE)
    # "The federation" is not named; the organisation named just before it is AK.
    assert (4, "deny", ["Athletics Kenya"], [], "") in found


def test_a_pronoun_stands_for_the_person_named_before_it() -> None:
    text = "Markus Harm filmed the tests.\nHe accused AK officials of hiding the results.\n"
    found = parties_of(text, TABLE)
    assert (2, "accuse", ["Markus Harm"], ["Athletics Kenya"], "") in found


@pytest.mark.parametrize(
    "denial",
    ["He denied the allegations.", "The official rejected the claims."],
)
def test_who_denies_unnamed_is_whom_the_allegation_before_accused(denial: str) -> None:
    """Both are officials and Mr Oduya, who accuses, is named last; but one who denies,
    referred to and not named, is the accused."""
    text = f"Benedikt Sorell was accused by Rafael Oduya of steering the contract.\n{denial}\n"
    drafts = [
        actor("Benedikt Sorell", "person", role="official"),
        actor("Rafael Oduya", "person", role="official"),
    ]
    found = parties_of(text, drafts)
    assert (1, "accuse", ["Rafael Oduya"], ["Benedikt Sorell"], "") in found
    assert (2, "deny", ["Benedikt Sorell"], [], "") in found


def test_a_place_or_body_that_only_qualifies_a_person_is_not_who_denies() -> None:
    """The one who denies in "a Hale Barns businessman denied" is a businessman, not Hale
    Barns: described, not named, that is whom the allegation before accused."""
    text = (
        "Prosecutors accused Lawrence Jones of fraud.\n"
        "A Hale Barns businessman denied the claims in court.\n"
    )
    drafts = [actor("Hale Barns"), actor("Lawrence Jones", "person", role="founder")]
    found = parties_of(text, drafts)
    assert (2, "deny", ["Lawrence Jones"], [], "") in found


def test_the_firm_is_the_organisation_the_story_is_about_not_the_one_named_last() -> None:
    text = (
        "Kestrel Mobility raised its fares in March.\n"
        "Kestrel Mobility also cut three routes.\n"
        "Its supplier Delmar Works delivered twelve buses.\n"
        "Critics accused the firm of misleading riders.\n"
    )
    found = parties_of(text, [actor("Kestrel Mobility"), actor("Delmar Works")])
    assert (4, "accuse", ["Critics"], ["Kestrel Mobility"], "Critics") in found


def test_an_unnamed_source_is_a_group_described_not_a_guess() -> None:
    text = "Officials said the ministry had hidden the losses.\n"
    found = parties_of(text, [actor("Ministry of Finance", role="ministry")])
    # The officials are a group of their own, marked as unnamed; "the ministry" is the
    # one organisation named.
    assert found == [(1, "report", ["Officials"], ["Ministry of Finance"], "Officials")]


def test_frames_of_one_kind_by_one_maker_in_a_row_are_one_item() -> None:
    table = ActorTable.from_drafts(TABLE)
    frames = article_frames(ARTICLE)
    parties = read_parties(frames, table, split_sentences(ARTICLE))
    kinds = {"accuse": "allegation", "deny": "denial", "report": "neither"}
    verdicts = {i: Verdict(kinds[f.sense]) for i, f in enumerate(frames)}  # type: ignore[arg-type]
    claims = claims_from_frames(frames, parties, verdicts, table)
    assert [(a.made_by, a.against) for a in claims.allegations] == [
        (["Markus Harm"], ["Athletics Kenya"])
    ]
    # AK denies in sentence 1 and, as "the federation", in sentence 4; Harm's claim comes
    # between, so they are two denials (of two claims, as the article tells it).
    assert [(d.denied_by, d.sentences) for d in claims.denials] == [
        (["Athletics Kenya"], [1]),
        (["Athletics Kenya"], [4]),
    ]


# --- The whole pipeline, the model scripted ------------------------------------------------

DIGEST = {
    "headline": "Athletics Kenya denies doping claims",
    "summary": "AK rejects a German broadcaster's claims.",
    "key_points": ["AK denies the claims"],
}
# An allegation in plain words whose target the parse cannot name: "the payments".
PAYMENTS = (
    "The Harbour Board paid the contractor Delmar Works twice for one job.\n"
    "The dockers' union said the payments were illegal.\n"
)


def run(cli, server: FakeOpenAI, path: Path, *extra: str) -> Any:
    ran = cli("summarize", str(path), "-m", "m", "--base-url", server.url, *extra)
    assert ran.exit_code == 0, ran.stderr
    return ran.json()


def parties_named(record: dict[str, Any], kind: str) -> list[tuple[list[str], ...]]:
    names = {a["id"]: a["name"] for a in record["actors"]}
    if kind == "allegations":
        return [
            ([names[i] for i in a["made_by"]], [names[i] for i in a["against"]])
            for a in record["allegations"]
        ]
    return [([names[i] for i in d["denied_by"]],) for d in record["denials"]]


def test_one_call_when_the_parse_tells_every_party(cli, server: FakeOpenAI, tmp_path) -> None:
    path = tmp_path / "ak.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    server.script(Reply.completion(json.dumps(DIGEST)))
    record = run(cli, server, path)
    (only,) = (seen.body for seen in server.requests)
    schema = only["response_format"]["json_schema"]["schema"]
    assert set(schema["properties"]) == {"headline", "summary", "key_points"}
    assert record["meta"]["attempts"] == 1
    assert sorted(a["name"] for a in record["actors"]) == ["Athletics Kenya", "Markus Harm", "ZDF"]
    assert parties_named(record, "allegations") == [(["Markus Harm"], ["Athletics Kenya"])]
    # AK denies in sentence 1 and again in sentence 4, Harm's claim between them.
    assert parties_named(record, "denials") == [(["Athletics Kenya"],), (["Athletics Kenya"],)]
    for item in record["allegations"] + record["denials"]:
        assert item["grounded"] is True
        for evidence in item["evidence"]:
            assert ARTICLE[evidence["start"] : evidence["end"]] == evidence["quote"]


def test_the_model_names_whom_an_allegation_is_about_where_the_parse_cannot(
    cli, server: FakeOpenAI, tmp_path
) -> None:
    path = tmp_path / "payments.txt"
    path.write_text(PAYMENTS, encoding="utf-8")
    server.script(
        Reply.completion(json.dumps(DIGEST)),
        Reply.completion(json.dumps({"F1": "Harbour Board"})),
    )
    record = run(cli, server, path)
    second = server.requests[1].body
    frames = second["messages"][-1]["content"]
    assert "F1 [2] dockers' union | said | the payments were illegal" in frames
    schema = second["response_format"]["json_schema"]["schema"]
    # One enum answer: an actor's name, or unnamed / nobody.
    assert schema["properties"]["F1"]["enum"] == [
        "Harbour Board",
        "Delmar Works",
        "dockers' union",
        "unnamed",
        "nobody",
    ]
    assert record["meta"]["attempts"] == 2
    assert parties_named(record, "allegations") == [(["dockers' union"], ["Harbour Board"])]
    # The union, described by its members, is an organisation of its own.
    union = next(a for a in record["actors"] if a["name"] == "dockers' union")
    assert union["kind"] == "organization"


def test_a_claim_about_nobody_the_article_names_is_no_allegation(
    cli, server: FakeOpenAI, tmp_path
) -> None:
    """An allegation says whom it accuses: when the model, asked, names nobody, the union's
    statement is left out of the allegations rather than listed against no one."""
    path = tmp_path / "payments.txt"
    path.write_text(PAYMENTS, encoding="utf-8")
    server.script(
        Reply.completion(json.dumps(DIGEST)), Reply.completion(json.dumps({"F1": "nobody"}))
    )
    record = run(cli, server, path)
    assert record["meta"]["attempts"] == 2
    assert record["allegations"] == []
    # The union still made a claim: it stays an actor of the story.
    assert "dockers' union" in [a["name"] for a in record["actors"]]


def test_a_set_for_a_larger_model_asks_it_what_the_lexicon_decides(
    cli, server: FakeOpenAI, tmp_path
) -> None:
    from summarizer.prompts import builtin_prompts_root

    mine = tmp_path / "larger"
    shutil.copytree(builtin_prompts_root() / "default", mine)
    manifest = (mine / "set.toml").read_text()
    manifest = manifest.replace("judge_names = false", "judge_names = true")
    manifest = manifest.replace('ask = ["against"]', 'ask = ["kind", "by", "against"]')
    (mine / "set.toml").write_text(manifest)
    path = tmp_path / "ak.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    server.script(
        Reply.completion(
            json.dumps({"names": {"E1": "organization", "E2": "other", "E3": "person"}, **DIGEST})
        ),
        Reply.completion(
            json.dumps(
                {
                    "F1": {"kind": "denial", "against": "nobody"},
                    "F2": {"kind": "neither", "against": "nobody"},
                }
            )
        ),
    )
    record = run(cli, server, path, "--prompts", str(mine))
    first, second = (seen.body for seen in server.requests)
    assert "E1 Athletics Kenya (AK)" in first["messages"][-1]["content"]
    frames = second["messages"][-1]["content"]
    # The frames whose cue only reports speech are asked their kind.
    assert "F1 [3] AK | said | the athletes met all the conditions" in frames
    assert "F2 [5] Harm | said | he would publish the footage next week" in frames
    # ZDF, "other" to the model, is no actor: no claim names it.
    assert sorted(a["name"] for a in record["actors"]) == ["Athletics Kenya", "Markus Harm"]
    # AK's words of sentence 3, judged a denial, join its denial of sentence 4.
    denials = [[e["sentence"] for e in d["evidence"]] for d in record["denials"]]
    assert denials == [[1], [3, 4]]


def test_an_article_with_no_frame_at_all_takes_one_call(cli, server, tmp_path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("The council approved the budget on Tuesday.\n", encoding="utf-8")
    server.script(Reply.completion(json.dumps(DIGEST)))
    record = run(cli, server, path)
    assert record["meta"]["attempts"] == 1
    assert record["allegations"] == [] and record["denials"] == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "urdu",
            "کراچی میں ایم کیو ایم نے الزامات کو مسترد کر دیا\u06d4 پارٹی کے ترجمان نے کہا کہ یہ "
            "الزامات بے بنیاد ہیں\u06d4\n",
        ),
        (
            "spanish",
            "El ministro negó las acusaciones de corrupción. La oposición dijo que el gobierno "
            "había ocultado los datos del presupuesto durante meses.\n",
        ),
    ],
)
def test_an_article_the_english_parse_cannot_read_takes_the_fallback(
    cli, server, tmp_path, language: str, text: str
) -> None:
    path = tmp_path / f"{language}.txt"
    path.write_text(text, encoding="utf-8")
    count = len(split_sentences(text))
    brief = {
        "headline": "h",
        "summary": "s",
        "key_points": [],
        "actors": [],
        "allegations": [],
        "denials": [
            {"sentences": [1], "denied_by": [text.split()[2]], "content": "the accusations"}
        ],
    }
    server.script(Reply.completion(json.dumps(brief)))
    record = run(cli, server, path)
    assert record["meta"]["prompt_set"] == "onepass"
    assert "English parse cannot read it" in record["meta"]["fallback"]
    assert record["meta"]["attempts"] == 1
    assert len(record["denials"]) == 1 and count >= 1
    schema = server.requests[0].body["response_format"]["json_schema"]["schema"]
    assert "allegations" in schema["properties"]
