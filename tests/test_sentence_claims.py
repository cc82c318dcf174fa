"""The `parties.j2` second pass: claim sentences found by their words, one question per
sentence, runs merged into items. Model answers are scripted."""

from __future__ import annotations

import json

import pytest

from summarizer.labels import Label, claim_kind, claim_sentences, claims_from_labels
from summarizer.prompts import builtin_prompts_root, load_prompt_set
from summarizer.schema import ActorDraft
from summarizer.sentences import split_sentences
from tests.conftest import FIXTURES
from tests.fakeserver import FakeOpenAI, Reply

PORT = FIXTURES / "gold" / "port-contract-counter.txt"
PORT_TEXT = PORT.read_text(encoding="utf-8")
SENTENCES = ("--prompts", "sentences")


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Mr. Sorell rejected the claim.", "denial"),
        ("The minister denied the report on Friday.", "denial"),
        ('Mr. Oduya called that "a smear."', "denial"),
        ("She rejected the accusation in a statement.", "denial"),
        ("A member accused the chairman, drawing a flat denial.", "allegation"),
        ("It is alleged that the fund was misused.", "allegation"),
        ("Managers hid the list, according to two officials.", "allegation"),
        ("Informed sources claimed that the party was split.", "allegation"),
        ("The council approved the budget on Tuesday.", None),
        ("Analysts said the dispute could delay the sale.", None),
        ("The denial came late.", "denial"),
    ],
)
def test_the_words_of_a_sentence_say_what_it_reports(sentence: str, kind: str | None) -> None:
    assert claim_kind(sentence) == kind


def test_claim_sentences_skip_the_headline_and_plain_facts() -> None:
    found = [(s.number, kind) for s, kind in claim_sentences(split_sentences(PORT_TEXT))]
    # The headline "... trade accusations ..." restates sentence 2; 3 and 4 are facts.
    assert found == [
        (2, "allegation"),
        (8, "denial"),
        (11, "denial"),
        (12, "allegation"),
        (15, "denial"),
    ]


def actor(name: str, *aliases: str, kind: str = "person") -> ActorDraft:
    return ActorDraft(name=name, kind=kind, role="", affiliation="", aliases=list(aliases))  # type: ignore[arg-type]


ACTORS = [
    actor("Rafael Oduya", "Mr. Oduya"),
    actor("Benedikt Sorell", "Mr. Sorell"),
    actor("Greyhaven Marine", kind="organization"),
]


def test_a_run_of_sentences_with_the_same_parties_is_one_item() -> None:
    claims = claims_from_labels(
        {
            8: Label("denial", ["Mr. Sorell"]),
            11: Label("denial", ["Benedikt Sorell"]),  # the same actor by another name
            12: Label("allegation", ["Sorell"], ["Mr. Oduya"]),
            13: Label("allegation", ["Benedikt Sorell"], ["Rafael Oduya"]),
            15: Label("denial", ["Mr. Oduya"]),
            16: Label("denial", ["Mr. Sorell"]),  # not the party of the denial before it
        },
        ACTORS,
    )
    assert [(d.denied_by, d.sentences) for d in claims.denials] == [
        (["Mr. Sorell"], [8, 11]),
        (["Mr. Oduya"], [15]),
        (["Mr. Sorell"], [16]),
    ]
    assert [(a.made_by, a.against, a.sentences) for a in claims.allegations] == [
        (["Sorell"], ["Mr. Oduya"], [12, 13])
    ]


def test_a_claim_between_breaks_the_run() -> None:
    claims = claims_from_labels(
        {
            3: Label("denial", ["Mr. Sorell"]),
            4: Label("allegation", ["Mr. Oduya"], ["Mr. Sorell"]),
            5: Label("denial", ["Mr. Sorell"]),
        },
        ACTORS,
    )
    assert [d.sentences for d in claims.denials] == [[3], [5]]


@pytest.mark.parametrize(
    ("made_by", "attribution", "source"),
    [
        (["Rafael Oduya"], "named", ""),
        (["two officials at the ministry"], "anonymous", "two officials at the ministry"),
        (["MQM Punjab sources"], "anonymous", "MQM Punjab sources"),
        ([], "unattributed", ""),
    ],
)
def test_who_makes_an_allegation_sets_its_attribution(made_by, attribution, source) -> None:
    (allegation,) = claims_from_labels(
        {2: Label("allegation", made_by, ["Mr. Sorell"])}
    ).allegations
    assert (allegation.attribution, allegation.source) == (attribution, source)


# --- Through the command line, against a scripted endpoint --------------------------------------


def overview() -> str:
    return json.dumps(
        {
            "headline": "Port chief and commissioner trade accusations",
            "summary": "A commissioner accused the chairman over a dredging contract.",
            "key_points": ["The chairman denies it"],
            "actors": [a.model_dump() for a in ACTORS],
        }
    )


def answers(**changed: dict[str, list[str]]) -> list[Reply]:
    """The overview, then one answer per claim sentence of the port article (2, 8, 11, 12,
    15); `s2={...}` replaces the answer for sentence 2."""
    parties = {
        "s2": {"accuser": ["Rafael Oduya"], "accused": ["Benedikt Sorell"]},
        "s8": {"denier": ["Mr. Sorell"]},
        "s11": {"denier": ["Benedikt Sorell"]},
        "s12": {"accuser": ["Mr. Sorell"], "accused": ["Mr. Oduya", "Greyhaven Marine"]},
        "s15": {"denier": ["Mr. Oduya"]},
    }
    parties.update(changed)
    return [Reply.completion(overview())] + [
        Reply.completion(json.dumps(p)) for p in parties.values()
    ]


def summarize(cli, server: FakeOpenAI, *extra: str):
    return cli("summarize", str(PORT), "-m", "m", "--base-url", server.url, *SENTENCES, *extra)


def test_one_question_per_claim_sentence_and_the_answers_merged(cli, server) -> None:
    server.script(*answers())
    ran = summarize(cli, server)
    assert ran.exit_code == 0, ran.stderr
    bodies = [seen.body for seen in server.requests]
    assert len(bodies) == 6
    schemas = [set(b["response_format"]["json_schema"]["schema"]["properties"]) for b in bodies[1:]]
    assert schemas == [
        {"accuser", "accused"},
        {"denier"},
        {"denier"},
        {"accuser", "accused"},
        {"denier"},
    ]
    # Every question opens with the first pass's article block and ends with its sentence.
    first = bodies[0]["messages"][-1]["content"]
    block = first[: first.index("[18]")]
    for body, number in zip(bodies[1:], (2, 8, 11, 12, 15), strict=True):
        question = body["messages"][-1]["content"]
        assert question.startswith(block)
        assert question.splitlines()[-1].startswith(f"The sentence: [{number}] ")
        assert f"Before it: [{number - 1}] " in question
    record = ran.json()
    assert record["meta"]["attempts"] == 6
    names = {a["id"]: a["name"] for a in record["actors"]}
    allegations = [
        ([names[i] for i in a["made_by"]], [names[i] for i in a["against"]], a["attribution"])
        for a in record["allegations"]
    ]
    assert allegations == [
        (["Rafael Oduya"], ["Benedikt Sorell"], "named"),
        (["Benedikt Sorell"], ["Rafael Oduya", "Greyhaven Marine"], "named"),
    ]
    denials = record["denials"]
    assert [[names[i] for i in d["denied_by"]] for d in denials] == [
        ["Benedikt Sorell"],
        ["Rafael Oduya"],
    ]
    assert [[e["sentence"] for e in d["evidence"]] for d in denials] == [[8, 11], [15]]
    assert [d["responds_to"] for d in denials] == [["AL1"], ["AL2"]]
    for item in record["allegations"] + denials:
        assert item["grounded"] is True
        for evidence in item["evidence"]:
            assert PORT_TEXT[evidence["start"] : evidence["end"]] == evidence["quote"]
    # A claim the model gave no words reads as its first cited sentence.
    assert denials[0]["content"] == "Mr. Sorell rejected the claim."


def test_a_name_the_article_does_not_hold_is_asked_again(cli, server) -> None:
    wrong = {"accuser": ["The Harbour Ghost"], "accused": ["Benedikt Sorell"]}
    replies = answers()
    server.script(replies[0], Reply.completion(json.dumps(wrong)), *replies[1:])
    ran = summarize(cli, server)
    assert ran.exit_code == 0, ran.stderr
    reask = server.requests[2].body["messages"][-1]["content"]
    assert (
        "accuser: 'The Harbour Ghost' is not one of the actors and not a name in the article"
        in reask
    )
    assert ran.json()["meta"]["attempts"] == 7
    assert ran.json()["meta"]["problems"] == []


def test_after_the_last_re_ask_the_answer_is_kept_and_the_problem_reported(cli, server) -> None:
    wrong = {"accuser": ["The Harbour Ghost"], "accused": ["Benedikt Sorell"]}
    replies = answers()
    server.script(replies[0], *[Reply.completion(json.dumps(wrong))] * 2, *replies[2:])
    ran = summarize(cli, server, "--max-reasks", "1")
    assert ran.exit_code == 0, ran.stderr
    record = ran.json()
    assert record["meta"]["problems"] == [
        "sentence 2: accuser: 'The Harbour Ghost' is not one of the actors and not a name "
        "in the article; use a name the article uses"
    ]
    names = {a["id"]: a["name"] for a in record["actors"]}
    assert [names[i] for i in record["allegations"][0]["made_by"]] == ["The Harbour Ghost"]


def test_an_impersonal_allegation_has_no_maker(cli, server, tmp_path) -> None:
    article = tmp_path / "fund.txt"
    article.write_text(
        "Fund questions\n\nIt is alleged that Mr. Oduya moved the fund. "
        "Mr. Oduya denied it on Friday.\n",
        encoding="utf-8",
    )
    server.script(
        Reply.completion(overview()),
        Reply.completion(json.dumps({"accuser": ["Mr. Sorell"], "accused": ["Mr. Oduya"]})),
        Reply.completion(json.dumps({"denier": ["Mr. Oduya"]})),
    )
    ran = cli("summarize", str(article), "-m", "m", "--base-url", server.url, *SENTENCES)
    assert ran.exit_code == 0, ran.stderr
    (allegation,) = ran.json()["allegations"]
    assert allegation["made_by"] == []
    assert allegation["attribution"] == "unattributed"


def test_an_article_without_claim_sentences_asks_once(cli, server, tmp_path) -> None:
    article = tmp_path / "budget.txt"
    article.write_text("Budget passes\n\nThe council approved the budget on Tuesday.\n")
    server.script(Reply.completion(overview()))
    ran = cli("summarize", str(article), "-m", "m", "--base-url", server.url, *SENTENCES)
    assert ran.exit_code == 0, ran.stderr
    assert len(server.requests) == 1
    assert ran.json()["allegations"] == ran.json()["denials"] == []


def test_the_fingerprint_covers_both_kinds_of_question(tmp_path) -> None:
    import shutil

    mine = tmp_path / "mine"
    shutil.copytree(builtin_prompts_root() / "sentences", mine)
    shipped = load_prompt_set("sentences").fingerprint
    assert load_prompt_set(mine).fingerprint == shipped
    parties = mine / "parties.j2"
    parties.write_text(parties.read_text().replace("denier: who denies", "denier: who rejects"))
    assert load_prompt_set(mine).fingerprint != shipped


def test_a_set_with_both_second_passes_is_refused(cli, tmp_path) -> None:
    import shutil

    both = tmp_path / "both"
    shutil.copytree(builtin_prompts_root() / "sentences", both)
    shutil.copy(builtin_prompts_root() / "default" / "claims.j2", both / "claims.j2")
    ran = cli("summarize", str(PORT), "--prompts", str(both))
    assert ran.exit_code == 2
    assert "holds both claims.j2 and parties.j2" in ran.stderr
