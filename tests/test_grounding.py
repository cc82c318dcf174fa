"""Quotes located in the article, and names resolved to one actor each."""

from __future__ import annotations

import pytest

from summarizer.grounding import ActorTable, align_quote, ground_brief
from summarizer.schema import ActorDraft, BriefDraft
from tests.conftest import BIRDS, FIXTURES, birds_draft

ARTICLE = BIRDS.read_text(encoding="utf-8")
FACTION = (FIXTURES / "articles" / "mqm-new-faction.txt").read_text(encoding="utf-8")


def actor(name: str, kind: str = "person", *aliases: str) -> ActorDraft:
    return ActorDraft(name=name, kind=kind, role="", affiliation="", aliases=list(aliases))


@pytest.mark.parametrize(
    ("quote", "alignment"),
    [
        ("Mr Kamal confirmed some of the names", "exact"),
        # Straight quotes and collapsed spaces for the article's curly quotes.
        ('"We are very much sure that almost all  the men in MQM', "normalized"),
        # One word wrong: found by fuzzy alignment.
        ("Qaimkhani was the feared-most member among the party ranks", "fuzzy"),
    ],
)
def test_quotes_are_found_with_exact_offsets(quote: str, alignment: str) -> None:
    evidence = align_quote(ARTICLE, quote)
    assert evidence.alignment == alignment
    assert evidence.start is not None and evidence.end is not None
    assert ARTICLE[evidence.start : evidence.end] == evidence.quote


def test_a_made_up_quote_is_not_found() -> None:
    evidence = align_quote(ARTICLE, "The prime minister resigned in protest yesterday.")
    assert (evidence.alignment, evidence.start, evidence.end) == ("none", None, None)


def test_surrounding_quote_marks_and_ellipses_are_ignored() -> None:
    evidence = align_quote(ARTICLE, "\u201c...Mr Kamal confirmed some of the names...\u201d")
    assert evidence.alignment == "exact"
    assert evidence.quote == "Mr Kamal confirmed some of the names"


def test_duplicate_actors_merge_into_one_with_aliases() -> None:
    table = ActorTable.from_drafts(
        [actor("Kamal"), actor("Mustafa Kamal"), actor("Mr Kamal"), actor("Anees Qaimkhani")]
    )
    actors = table.actors()
    assert [a.name for a in actors] == ["Mustafa Kamal", "Anees Qaimkhani"]
    assert actors[0].aliases == ["Kamal", "Mr Kamal"]


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("Altaf Bhai", "Altaf Hussain"),
        ("Mr Qaimkhani", "Anees Qaimkhani"),
        ("Qaimkhani", "Anees Qaimkhani"),
        ("MQM", "Muttahida Qaumi Movement"),
        ("Dr. Farooq Sattar", "Farooq Sattar"),
        ("Wasay", "Wasay Jalil"),
        ("MQM spokesman Wasay Jalil", "Wasay Jalil"),
    ],
)
def test_seed_names_resolve_to_their_actor(reference: str, expected: str) -> None:
    table = ActorTable.from_drafts(
        [
            actor("Altaf Hussain"),
            actor("Anees Qaimkhani"),
            actor("Muttahida Qaumi Movement", "organization"),
            actor("Farooq Sattar"),
            actor("Wasay Jalil"),
        ]
    )
    index = table.find(reference)
    assert index is not None
    assert table.actors()[index].name == expected


def test_an_ambiguous_surname_is_not_guessed() -> None:
    table = ActorTable.from_drafts([actor("Afaq Ahmed"), actor("Naeem Ahmed")])
    assert table.find("Ahmed") is None
    assert table.find("Naeem") == 1


def test_a_one_word_name_does_not_match_a_longer_group() -> None:
    table = ActorTable.from_drafts([actor("MQM Punjab", "organization")])
    assert table.find("MQM") is None


def test_unknown_references_become_new_actors() -> None:
    draft = BriefDraft.model_validate(birds_draft())
    actors, allegations, denials = ground_brief(ARTICLE, draft)
    names = {a.id: a.name for a in actors}
    assert names[allegations[0].made_by[0]] == "MQM Punjab sources"
    assert names[allegations[0].against[0]] == "Anees Qaimkhani"
    assert names[denials[0].denied_by[0]] == "Muttahida Qaumi Movement"
    assert allegations[0].grounded and denials[0].grounded
    assert allegations[0].source_description == "MQM Punjab sources"


def test_a_denial_by_the_accused_answers_the_allegation() -> None:
    draft = BriefDraft.model_validate(
        birds_draft(
            denials=[{"denied_by": ["Qaimkhani"], "content": "x", "evidence": []}],
        )
    )
    _, allegations, denials = ground_brief(ARTICLE, draft)
    assert denials[0].responds_to == [allegations[0].id]
    assert denials[0].grounded is False  # no evidence at all


def test_faction_article_aliases() -> None:
    assert "Altaf Bhai" in FACTION  # the seed really uses this form
