"""Actor candidates read off the parse: named entities cleaned into names, their other
forms gathered, titles taken as roles."""

from __future__ import annotations

import pytest

from summarizer.candidates import Candidate, entity_candidates
from summarizer.parsing import parse_sentences
from summarizer.sentences import split_sentences


def candidates(text: str) -> list[Candidate]:
    sentences = split_sentences(text)
    return entity_candidates(sentences, parse_sentences(sentences))


def named(text: str) -> dict[str, Candidate]:
    return {c.name: c for c in candidates(text)}


def test_an_acronym_in_brackets_is_an_alias_and_a_surname_joins_the_full_name() -> None:
    found = named(
        "Athletics Kenya (AK) has denied claims by Markus Harm, a journalist.\n"
        "AK said Harm had shown no evidence.\n"
    )
    assert found["Athletics Kenya"].aliases == ["AK"]
    assert found["Athletics Kenya"].kind == "organization"
    assert found["Markus Harm"].kind == "person"
    assert "Harm" in found["Markus Harm"].aliases
    assert found["Markus Harm"].mentions == 2


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "District Magistrate Rajiv Rautela said the deaths were not caused by it.",
            "Rajiv Rautela",
            "District Magistrate",
        ),
        (
            "Health Minister Eric Hoskins says hospitals must adjust.",
            "Eric Hoskins",
            "Health Minister",
        ),
    ],
)
def test_a_title_before_a_name_is_the_persons_role(text: str, name: str, role: str) -> None:
    found = named(text)
    assert found[name].role == role
    assert found[name].kind == "person"


def test_a_one_word_title_the_recogniser_calls_a_person_is_the_next_persons_title() -> None:
    found = candidates(
        "Taoiseach Enda Kenny has described the claim as balderdash. Later the Taoiseach "
        "said the Cabinet had been told."
    )
    people = [c for c in found if c.kind == "person"]
    assert [c.name for c in people] == ["Enda Kenny"]
    assert people[0].role == "Taoiseach"
    assert "Taoiseach" in people[0].aliases
    assert people[0].mentions == 2


def test_case_numbers_events_of_a_year_and_capitalised_common_nouns_are_no_names() -> None:
    found = named(
        "The suit, numbered LD/ADR/1632/2018, was filed by Peter Okafor against Zenith Bank. "
        "He said he had applied to the Tribunal and any other relevant Authority before the "
        "Rio 2016 Olympic Games."
    )
    assert sorted(found) == ["Peter Okafor", "Zenith Bank"]


def test_a_compound_adjective_is_not_part_of_the_name() -> None:
    found = named("Abu Dhabi-headquartered NMC Health's shares dipped 17 per cent.")
    assert "NMC Health" in found


def test_an_articles_the_and_possessive_are_not_part_of_the_name() -> None:
    found = named("The Pakistan Cricket Board's statement came on Monday.")
    assert "Pakistan Cricket Board" in found


def test_places_and_addresses_are_not_candidates() -> None:
    found = named("To contact him, email jack.tooth@example.co.uk, said the Paris office.")
    assert not [name for name in found if "@" in name]
    assert "Paris" not in found


def test_a_body_named_by_what_it_is_and_whose_is_a_candidate() -> None:
    found = named(
        "Last month, a Spanish court opened a corruption probe against Barcelona.\n"
        "Zimbabwean police arrested 12 opposition supporters on Friday.\n"
    )
    assert found["Spanish court"].kind == "organization"
    assert "Zimbabwean police" in found


def test_a_line_without_a_verb_names_no_candidate() -> None:
    # Captions, photo credits and bylines: page furniture, not the story.
    found = named(
        "Ravindranath K / The National\n"
        "IMAGE: Photograph: Toby Melville/Reuters\n"
        "NMC Health said it would review its cash balances.\n"
    )
    assert list(found) == ["NMC Health"]
