"""Quotes located in the article, and names resolved to one actor each."""

from __future__ import annotations

import pytest

from summarizer.actors import ActorTable, snap_name
from summarizer.answers import draft_model_for
from summarizer.grounding import cite, ground_brief
from summarizer.schema import ActorDraft, BriefDraft
from summarizer.sentences import split_sentences
from tests.conftest import BIRDS, FIXTURES, birds_draft

ARTICLE = BIRDS.read_text(encoding="utf-8")
FACTION = (FIXTURES / "articles" / "mqm-new-faction.txt").read_text(encoding="utf-8")


def actor(name: str, kind: str = "person", *aliases: str) -> ActorDraft:
    return ActorDraft(name=name, kind=kind, role="", affiliation="", aliases=list(aliases))


def test_citations_become_exact_quotes_with_offsets() -> None:
    sentences = split_sentences(ARTICLE)
    evidence, grounded = cite([16, 3, 16], sentences)
    assert grounded
    assert [e.sentence for e in evidence] == [16, 3]
    for item in evidence:
        assert item.alignment == "exact"
        assert ARTICLE[item.start : item.end] == item.quote
    assert evidence[0].quote.startswith("\u201cAnees Qaimkhani is the real man")


@pytest.mark.parametrize("numbers", [[], [0], [28], [5, 99]])
def test_missing_or_invalid_citations_are_not_grounded(numbers: list[int]) -> None:
    evidence, grounded = cite(numbers, split_sentences(ARTICLE))
    assert not grounded
    assert all(1 <= e.sentence <= 27 for e in evidence if e.sentence)


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


def test_an_organisation_is_named_by_the_word_its_name_opens_with() -> None:
    table = ActorTable.from_drafts(
        [actor("Kestrel Mobility", "organization"), actor("Brightwater Semiconductor", "group")]
    )
    assert table.find("Kestrel") == 0
    assert table.find("Brightwater") == 1
    assert table.find("Mobility") is None


def _brenford() -> ActorTable:
    def draft(name: str, kind: str, role: str, affiliation: str = "") -> ActorDraft:
        return ActorDraft(name=name, kind=kind, role=role, affiliation=affiliation, aliases=[])

    return ActorTable.from_drafts(
        [
            draft("Graham Tulloch", "person", "mayor of Brenford"),
            draft("Anita Ramsay", "person", "chief executive of the city council"),
            draft("Rebecca Lindqvist", "person", "chief executive", "Alwyn Harbour Terminals"),
            draft("ParkRight Services", "organization", "contractor"),
            draft("Harbour and Transport Workers' Union", "organization", "union"),
            draft("Alwyn Harbour Terminals", "organization", "terminal operator"),
            draft("Jonah Whitlock", "person", "former ParkRight engineer"),
        ]
    )


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("the mayor", 0),
        ("Brenford's mayor", 0),
        ("the operator", 5),
        ("the union", 4),
        ("the city council's chief executive", 1),
        ("Alwyn Harbour Terminals' chief executive", 2),
        ("a spokeswoman for ParkRight", 3),
        ("ParkRight's spokeswoman", 3),
        ("a former ParkRight engineer", 6),
        ("the chief executive", None),  # two of them: not guessed
        ("the councillor", None),
        ("Mayor", None),  # a capitalised word is a name, not a description
    ],
)
def test_a_description_resolves_to_the_one_actor_it_fits(
    reference: str, expected: int | None
) -> None:
    assert _brenford().find(reference) == expected


def test_an_unnamed_source_is_never_resolved_by_description() -> None:
    assert _brenford().find("the union", exact=True) is None


def test_an_organisation_s_name_fits_a_description_only_with_its_owner() -> None:
    table = ActorTable.from_drafts([actor("Tessaline Hospitality Group", "organization")])
    assert table.find("the group") == 0
    assert table.find("Tessaline's group") == 0
    assert table.find("Mustafa Kamal's group") is None


def test_a_spokesperson_without_a_name_speaks_for_the_organisation() -> None:
    table = ActorTable.from_drafts([actor("Graham Tulloch")])
    spokeswoman = table.resolve("A spokeswoman for ParkRight")
    assert table.resolve("a ParkRight spokesman") == spokeswoman
    assert [a.name for a in table.actors()] == ["Graham Tulloch", "ParkRight"]
    assert table.actors()[1].kind == "organization"


def test_a_person_s_employer_listed_among_their_aliases_is_not_theirs() -> None:
    hollins = ActorDraft(
        name="Derek Hollins",
        kind="person",
        role="former treasurer",
        affiliation="St. Aldric Foundation",
        aliases=["Hollins", "St. Aldric Foundation", "the Saint Aldric Children's Trust"],
    )
    table = ActorTable.from_drafts([hollins])
    (actor,) = table.actors()
    assert (actor.name, actor.aliases) == ("Derek Hollins", ["Hollins"])
    assert table.find("St. Aldric Foundation") is None


def test_unknown_references_become_new_actors() -> None:
    draft = BriefDraft.model_validate(birds_draft())
    actors, allegations, denials = ground_brief(draft, split_sentences(ARTICLE))
    names = {a.id: a.name for a in actors}
    assert names[allegations[0].made_by[0]] == "MQM Punjab sources"
    assert names[allegations[0].against[0]] == "Anees Qaimkhani"
    assert names[denials[0].denied_by[0]] == "Muttahida Qaumi Movement"
    assert allegations[0].grounded and denials[0].grounded
    assert allegations[0].source_description == "MQM Punjab sources"


def test_a_denial_by_the_accused_answers_the_allegation() -> None:
    draft = BriefDraft.model_validate(
        birds_draft(denials=[{"denied_by": ["Qaimkhani"], "content": "x", "sentences": []}])
    )
    _, allegations, denials = ground_brief(draft, split_sentences(ARTICLE))
    assert denials[0].responds_to == [allegations[0].id]
    assert denials[0].grounded is False  # no citation at all


def test_strict_drops_what_is_not_grounded() -> None:
    draft = BriefDraft.model_validate(
        birds_draft(denials=[{"denied_by": ["MQM"], "content": "x", "sentences": [40]}])
    )
    _, allegations, denials = ground_brief(draft, split_sentences(ARTICLE), strict=True)
    assert len(allegations) == 1 and denials == []


@pytest.mark.parametrize(
    ("sentence", "supported"),
    [
        (16, True),  # "Anees Qaimkhani is the real man ..."
        (18, True),  # "Mr Qaimkhani was the feared-most member": the surname is enough
        (2, False),  # Kamal's camp, MQM: neither source nor target is named
    ],
)
def test_support_means_the_cited_sentence_names_one_of_its_actors(sentence, supported) -> None:
    draft = BriefDraft.model_validate(birds_draft())
    draft.allegations[0].sentences = [sentence]
    draft.allegations[0].made_by = ["Altaf loyalists"]
    _, allegations, _ = ground_brief(draft, split_sentences(ARTICLE))
    assert allegations[0].supported is supported


def test_the_per_article_model_lists_the_valid_sentence_numbers() -> None:
    model = draft_model_for(split_sentences(ARTICLE)).model
    schema = model.model_json_schema()
    assert schema["title"] == "BriefDraft"
    citations = schema["$defs"]["AllegationDraft"]["properties"]["sentences"]
    assert citations["minItems"] == 1 and citations["maxItems"] == 3
    assert citations["items"]["enum"] == list(range(1, 28))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sentences": [99]}, "99 not a sentence number; the article has sentences 1 to 27"),
        ({"sentences": []}, "List should have at least 1 item"),
        ({"made_by": ["he"]}, "'he' is not one of the actors and not a name in the article"),
    ],
)
def test_the_per_article_model_refuses_what_the_article_does_not_hold(change, message) -> None:
    from pydantic import ValidationError

    answer = birds_draft()
    answer["allegations"][0].update(change)
    with pytest.raises(ValidationError, match=message):
        draft_model_for(split_sentences(ARTICLE)).validate(answer)


def test_a_name_from_the_article_need_not_be_an_actor_yet() -> None:
    answer = birds_draft()
    answer["allegations"][0]["made_by"] = ["Altaf loyalists"]
    draft_model_for(split_sentences(ARTICLE)).validate(answer)


@pytest.mark.parametrize(
    ("written", "snapped"),
    [
        ("Anees Qaimkh\u0101", "Anees Qaimkhani"),  # a misspelling: the article's spelling
        ("Izhar ul Hassan", "Izhar-ul-Hassan"),
        ("mustafa kamal", "mustafa kamal"),  # in the article, case aside: kept as written
        ("Kamal camp", "Kamal camp"),  # not close enough to anything: kept
        ("Nine Zero HQ", "Nine Zero HQ"),
    ],
)
def test_names_are_spelled_as_the_article_spells_them(written: str, snapped: str) -> None:
    assert snap_name(written, ARTICLE) == snapped


def test_a_misspelled_actor_resolves_to_the_article_spelling() -> None:
    draft = BriefDraft.model_validate(
        birds_draft(
            actors=[
                {
                    "name": "Anees Qaimkh\u0101",
                    "kind": "person",
                    "role": "",
                    "affiliation": "",
                    "aliases": [],
                }
            ]
        )
    )
    actors, allegations, _ = ground_brief(draft, split_sentences(ARTICLE))
    assert actors[0].name == "Anees Qaimkhani"
    assert allegations[0].against == [actors[0].id]


def test_a_claim_without_words_becomes_the_cited_sentence() -> None:
    answer = birds_draft()
    answer["allegations"][0]["claim"] = "..."
    answer["denials"][0]["content"] = "\u2026"
    _, allegations, denials = ground_brief(
        BriefDraft.model_validate(answer), split_sentences(ARTICLE)
    )
    assert allegations[0].claim.startswith("\u201cAnees Qaimkhani is the real man")
    assert denials[0].content.startswith("Analysts believe a bloody clash")


def test_a_fuller_name_after_a_surname_is_the_same_person() -> None:
    from summarizer.actors import ActorTable

    table = ActorTable.from_drafts([actor("Rafael Oduya")])
    first = table.resolve("Mr. Sorell")
    assert table.resolve("Benedikt Sorell") == first
    assert table.resolve("Sorell") == first
    (sorell,) = [a for a in table.actors() if a.id == first]
    assert (sorell.name, sorell.aliases) == ("Benedikt Sorell", ["Mr. Sorell"])
    # A group named after a person is not that person.
    assert table.resolve("Oduya loyalists", "group") != table.resolve("Rafael Oduya")
    # Only as the last word: "parents" is not "the school's parents' association".
    parents = table.resolve("parents")
    assert table.resolve("school parents association") != parents


@pytest.mark.parametrize(
    ("quote", "supported"),
    [
        ("However, Wasay, rejecting all the information, said the party was united.", True),
        ("Mr Jalil said the party was united.", True),
        ("The spokesman said the party was united.", False),
    ],
)
def test_a_person_is_mentioned_by_any_word_of_the_full_name(quote: str, supported: bool) -> None:
    from summarizer.grounding import mentions_any
    from summarizer.schema import Actor, Evidence

    wasay = Actor(id="A1", name="Wasay Jalil", kind="person", role="", affiliation=None, aliases=[])
    evidence = Evidence(sentence=1, quote=quote, start=0, end=len(quote), alignment="exact")
    assert mentions_any([evidence], [wasay]) is supported


def test_an_unnamed_source_is_not_a_named_actor_whose_alias_it_contains() -> None:
    from summarizer.actors import ActorTable

    table = ActorTable.from_drafts([actor("Mian Attique", "person", "MQM Punjab")])
    president = table.resolve("MQM Punjab")
    assert table.resolve("Sources in MQM Punjab", "group", exact=True) != president
    assert table.resolve("MQM Punjab", "group", exact=True) == president
    # A named reference still resolves by containment.
    fresh = ActorTable.from_drafts([actor("Mian Attique", "person", "MQM Punjab")])
    assert fresh.resolve("the MQM Punjab") == fresh.resolve("Mian Attique")
