"""Claim frames read off the English parse: cue, source, target and content of each shape
of reporting, with the exact offsets of every part."""

from __future__ import annotations

import pytest

from summarizer.claims.frames import Frame, Part, article_frames


def one_frame(text: str, sense: str | None = None) -> Frame:
    frames = [f for f in article_frames(text) if sense is None or f.sense == sense]
    assert len(frames) == 1, frames
    return frames[0]


def assert_slices(text: str, part: Part | None) -> None:
    assert part is not None
    assert text[part.start : part.end] == part.text


@pytest.mark.parametrize(
    ("text", "sense", "cue", "source", "target"),
    [
        # Active: the subject accuses the object.
        (
            "The mayor accused the contractor of inflating invoices.",
            "accuse",
            "accused",
            "mayor",
            "contractor",
        ),
        # Passive: the agent accuses the subject.
        (
            "The contractor was accused by the mayor of inflating invoices.",
            "accuse",
            "accused",
            "mayor",
            "contractor",
        ),
        # "according to": the holder makes the claim about the clause's subject.
        (
            "The club hid the reports, according to two officials.",
            "report",
            "according to",
            "two officials",
            "club",
        ),
        # A reported clause: its subject is whom the claim is about.
        (
            "Ms Brodie said the company had breached her contract.",
            "report",
            "said",
            "Ms Brodie",
            "company",
        ),
        ("Police charged three men with fraud.", "accuse", "charged", "Police", "three men"),
        ("The union blamed the operator for the delays.", "accuse", "blamed", "union", "operator"),
        # A source after its verb, with its apposition.
        (
            '"We did nothing wrong," said Peter Hall, a spokesman for the firm.',
            "report",
            "said",
            "Peter Hall, a spokesman for the firm",
            "We",
        ),
    ],
)
def test_each_shape_gives_its_parties(
    text: str, sense: str, cue: str, source: str, target: str
) -> None:
    frame = one_frame(text, sense)
    assert frame.cue.text == cue
    assert [p.text for p in frame.sources] == [source]
    assert [p.text for p in frame.targets] == [target]
    for part in (frame.cue, *frame.sources, *frame.targets, frame.content):
        assert_slices(text, part)


def test_a_noun_cue_answered_in_a_relative_clause_is_a_denial_of_it() -> None:
    text = "A councillor accused the director of lying, an accusation the director rejected."
    accusing = one_frame(text, "accuse")
    denying = one_frame(text, "deny")
    assert [p.text for p in accusing.targets] == ["director"]
    assert [p.text for p in denying.sources] == ["director"]
    assert denying.content is not None and denying.content.head == "accusation"


def test_a_pronoun_source_is_marked_for_resolution() -> None:
    frame = one_frame("He denied the allegations on Friday.")
    assert frame.sense == "deny"
    assert frame.sources[0].is_pronoun
    assert frame.content is not None and frame.content.text == "the allegations"


def test_passive_denial_and_plea() -> None:
    dismissed = one_frame("The claims were dismissed by the company's lawyers as baseless.")
    assert dismissed.sense == "deny"
    assert [p.text for p in dismissed.sources] == ["company's lawyers"]
    assert dismissed.content is not None and dismissed.content.text == "The claims"
    plea = one_frame("She has pleaded not guilty to all charges.")
    assert plea.sense == "deny"


def test_coordinated_sources_are_each_a_source() -> None:
    frame = one_frame("Nzimande and the SACP denied the allegations.")
    assert [p.text for p in frame.sources] == ["Nzimande", "SACP"]


def test_a_claimed_clause_is_about_its_subject_not_an_object_the_parse_hung_on_the_verb() -> None:
    # The parse makes "fees" an object of "claim"; the brothers are whom it accuses.
    text = (
        "Local media claim the brothers are also suspected of siphoning off, through firms "
        "registered abroad, undeclared fees from the sale of players."
    )
    claimed = [f for f in article_frames(text) if f.cue.text == "claim"]
    assert [p.text for p in claimed[0].targets] == ["brothers"]
    # "media" is the lexicon's word, not spaCy's plural of "medium".
    assert claimed[0].sources[0].head_lemma == "media"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        # "They" of the clause said is who says it.
        ("The authorities say they have charged three officials with fraud.", "authorities"),
        # "He" is another voice than the police who report his denial.
        ("Police said he denied the charges.", "he"),
    ],
)
def test_a_group_pronoun_in_the_clause_said_is_its_speaker(text: str, source: str) -> None:
    frame = one_frame(text)
    assert [p.text for p in frame.sources] == [source]


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        # A charge without its own source is the claim of whoever reports it.
        ("Police said the two men were charged with fraud.", "charged", "Police"),
        ("Local media claim the mayor is suspected of taking bribes.", "suspected", "Local media"),
    ],
)
def test_an_accusation_without_a_source_inside_a_report_is_the_reporters(
    text: str, cue: str, source: str
) -> None:
    frame = next(f for f in article_frames(text) if f.cue.text == cue)
    assert [p.text for p in frame.sources] == [source]


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        # What the speaker says it did not do: a denial's words.
        ("The club insists it did not pay referees.", True),
        # What someone else was not allowed to do: no denial of the speaker's.
        ("Party leaders said their election agents were not allowed into the stations.", False),
    ],
)
def test_a_negation_is_the_speakers_denial_only_of_what_it_says_of_itself(
    text: str, negated: bool
) -> None:
    assert one_frame(text).wording.negated is negated


def test_no_party_stands_in_a_dateline_of_a_date_alone() -> None:
    frame = one_frame("April 27 \u2013 Prosecutors say they have charged two bankers with fraud.")
    assert [p.text for p in frame.sources] == ["Prosecutors"]


def test_offsets_are_in_the_article_not_the_sentence() -> None:
    text = "The council met on Monday.\n\nLater, the union blamed the operator for the delays."
    frame = one_frame(text)
    assert frame.sentence == 2
    for part in (frame.cue, *frame.sources, *frame.targets):
        assert_slices(text, part)


@pytest.mark.parametrize(
    "text",
    [
        "The alleged incidents took place in 1996.",  # an adjective, not a claim made
        "The Texas lawsuit was filed on Friday.",  # a mention of a claim, nobody's
        "The council approved the budget on Tuesday.",
    ],
)
def test_sentences_that_report_no_claim_have_no_frame(text: str) -> None:
    assert [f for f in article_frames(text) if f.sense != "report"] == []
