"""Properties of the pure parts, over inputs hypothesis makes up: sentence splitting keeps
every character in order, evidence offsets slice their quote back out, name
normalisation is idempotent, and the scorer's F1 stays in [0, 1] and is 1 on identical
inputs."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.evaluate import GoldAnnotation, GoldArticle, normalize_name, score_article
from summarizer.grounding import cite
from summarizer.schema import Record
from summarizer.sentences import split_sentences
from tests.test_evaluate import record

# Articles made of what makes sentence splitting hard: full stops, quotes and brackets,
# abbreviations, numbers, line breaks, other scripts' stops, and any other character.
PIECES = st.sampled_from(
    [
        "The mayor said.", " ", "  ", "\n", "\n\n", "\r\n", ". ", "? ", "!", "...", '"', "'",
        "\u201d", ")", "(", "Mr. ", "Dr.", "U.S. ", "e.g. ", "3.5", "1. ", "Inc. ", "He ",
        "denied it", "\u06d4", "\u3002", "\u0964", "\u2026", "\t", "\u00a0", "word",
    ]
)  # fmt: skip
ARTICLES = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(ARTICLES)
def test_sentences_and_their_separators_give_the_article_back(text: str) -> None:
    sentences = split_sentences(text)
    rebuilt, position = [], 0
    for number, sentence in enumerate(sentences, start=1):
        assert sentence.number == number
        assert position <= sentence.start < sentence.end  # in order, none empty, no overlap
        separator = text[position : sentence.start]
        assert separator.strip() == "", (separator, sentence)  # only space between them
        assert text[sentence.start : sentence.end] == sentence.text
        rebuilt += [separator, sentence.text]
        position = sentence.end
    tail = text[position:]
    assert tail.strip() == ""
    assert "".join(rebuilt) + tail == text
    paragraphs = [sentence.paragraph for sentence in sentences]
    assert paragraphs == sorted(paragraphs)


@FAST
@given(ARTICLES, st.lists(st.integers(min_value=-3, max_value=60), max_size=8))
def test_evidence_offsets_slice_the_quote_back_out(text: str, numbers: list[int]) -> None:
    sentences = split_sentences(text)
    evidence, grounded = cite(numbers, sentences)
    for item in evidence:
        assert item.start is not None and item.end is not None
        assert text[item.start : item.end] == item.quote
        assert item.quote == sentences[item.sentence - 1].text  # type: ignore[operator]
    valid = [n for n in dict.fromkeys(numbers) if 1 <= n <= len(sentences)]
    assert [item.sentence for item in evidence] == valid
    assert grounded == (bool(valid) and len(valid) == len(dict.fromkeys(numbers)))


NAME_WORDS = [
    "Dr.", "Mr", "Mrs.", "Kamal", "Mustafa", "O'Brien", "al-Hussain", "U.S.", "bhai", "Sahib",
    "\u0130stanbul", "\u00df", "\ufb01", "Ko\u0308nig", "K\u00f6nig", "_", "-",
]  # fmt: skip
NAMES = st.one_of(
    st.text(max_size=30), st.lists(st.sampled_from(NAME_WORDS), max_size=5).map(" ".join)
)


@FAST
@given(NAMES)
def test_name_normalisation_is_idempotent(name: str) -> None:
    once = normalize_name(name)
    assert normalize_name(once) == once


# Names that are actors' names: distinct words, so that no two name the same actor.
SURNAMES = st.lists(
    st.sampled_from(
        [
            "Kamal",
            "Hussain",
            "Qaimkhani",
            "Hoskins",
            "Okafor",
            "Lindqvist",
            "Mbeki",
            "Tanaka",
            "Dubois",
            "Novak",
        ]
    ),
    min_size=1,
    max_size=6,
    unique=True,
)


def _record(names: list[str], pairs: list[tuple[int, int]], deniers: list[int]) -> Record:
    """A record of these actors (unique names), allegations by index pairs and denials."""
    return record(
        names,
        [([names[by]], [names[against]], "named") for by, against in pairs],
        [([names[by]],) for by in deniers],
    )


def _gold(names: list[str], pairs: list[tuple[int, int]], deniers: list[int]) -> GoldArticle:
    annotation = GoldAnnotation.model_validate(
        {
            "id": "article",
            "actors": [{"name": name, "kind": "person"} for name in names],
            "allegations": [
                {"made_by": [names[by]], "against": [names[against]]} for by, against in pairs
            ],
            "denials": [{"denied_by": [names[by]]} for by in deniers],
        }
    )
    return GoldArticle(annotation=annotation, article_text="")


@st.composite
def annotations(draw: st.DrawFn) -> tuple[list[str], list[tuple[int, int]], list[int]]:
    names = draw(SURNAMES)
    index = st.integers(min_value=0, max_value=len(names) - 1)
    pair = st.tuples(index, index).filter(lambda p: p[0] != p[1])
    pairs = draw(st.lists(pair, max_size=5)) if len(names) > 1 else []
    deniers = draw(st.lists(index, max_size=4))
    return names, pairs, deniers


def _f1s(gold: GoldArticle, record: Record) -> list[float]:
    score = score_article(gold, record)
    return [score.actors.f1, score.allegations.f1, score.denials.f1]


@FAST
@given(annotations())
def test_identical_inputs_score_f1_one(annotation) -> None:  # type: ignore[no-untyped-def]
    assert _f1s(_gold(*annotation), _record(*annotation)) == [1.0, 1.0, 1.0]


@FAST
@given(annotations(), annotations())
def test_f1_stays_between_zero_and_one(gold, predicted) -> None:  # type: ignore[no-untyped-def]
    for f1 in _f1s(_gold(*gold), _record(*predicted)):
        assert 0.0 <= f1 <= 1.0
