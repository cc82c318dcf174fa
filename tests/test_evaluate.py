"""Tests for the scoring core of `summarizer eval`: names, gold files, matching, ratios."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from summarizer.evaluate import (
    ArticleScore,
    GoldAnnotation,
    GoldArticle,
    GoldFileError,
    MatchCounts,
    forms_match,
    load_gold,
    load_gold_folder,
    micro_average,
    normalize_name,
    score_article,
)
from summarizer.schema import Actor, Allegation, Denial, Evidence, Record
from tests.conftest import meta

# --- Builders ------------------------------------------------------------------------------

ActorSpec = str | tuple[str, ...]  # "Name" or ("Name", "alias", ...)
# (made_by names, against names, attribution) with an optional fourth item: the quotes.
AllegationSpec = tuple[Any, ...]
# (denied_by names,) with an optional second item: the quotes.
DenialSpec = tuple[Any, ...]


def record(
    actors: Sequence[ActorSpec] = (),
    allegations: Sequence[AllegationSpec] = (),
    denials: Sequence[DenialSpec] = (),
) -> Record:
    """A predicted record from compact tuples; items name actors by their name."""
    ids: dict[str, str] = {}
    actor_models = []
    for number, spec in enumerate(actors, start=1):
        name, *aliases = (spec,) if isinstance(spec, str) else spec
        ids[name] = f"A{number}"
        actor_models.append(
            Actor(
                id=f"A{number}",
                name=name,
                kind="person",
                role="",
                affiliation=None,
                aliases=aliases,
            )
        )
    allegation_models = []
    for number, (made_by, against, attribution, *rest) in enumerate(allegations, start=1):
        allegation_models.append(
            Allegation(
                id=f"AL{number}",
                claim="",
                made_by=[ids[name] for name in made_by],
                against=[ids[name] for name in against],
                attribution=attribution,
                source_description=None,
                evidence=evidence(rest[0] if rest else []),
                grounded=False,
                supported=False,
            )
        )
    denial_models = []
    for number, (denied_by, *rest) in enumerate(denials, start=1):
        denial_models.append(
            Denial(
                id=f"D{number}",
                denied_by=[ids[name] for name in denied_by],
                responds_to=[],
                content="",
                evidence=evidence(rest[0] if rest else []),
                grounded=False,
                supported=False,
            )
        )
    return Record(
        article_id="article",
        source="article.txt",
        sha256="0" * 64,
        headline="",
        summary="",
        key_points=[],
        actors=actor_models,
        allegations=allegation_models,
        denials=denial_models,
        meta=meta(),
    )


def evidence(quotes: Sequence[str]) -> list[Evidence]:
    return [Evidence(quote=q, start=None, end=None, alignment="none") for q in quotes]


def actor(name: str, *aliases: str, minor: bool = False) -> dict[str, Any]:
    return {"name": name, "aliases": list(aliases), "kind": "person", "minor": minor}


def alleged(
    made_by: list[str], against: list[str], *, anonymous: bool = False, optional: bool = False
) -> dict[str, Any]:
    return {"made_by": made_by, "against": against, "anonymous": anonymous, "optional": optional}


def denied(denied_by: list[str], *, optional: bool = False) -> dict[str, Any]:
    return {"denied_by": denied_by, "optional": optional}


def gold(
    actors: list[dict[str, Any]],
    allegations: Sequence[dict[str, Any]] = (),
    denials: Sequence[dict[str, Any]] = (),
    *,
    text: str = "",
    id: str = "article",
) -> GoldArticle:
    annotation = GoldAnnotation.model_validate(
        {"id": id, "actors": actors, "allegations": allegations, "denials": denials}
    )
    return GoldArticle(annotation=annotation, article_text=text)


def prf(counts: MatchCounts) -> tuple[float, float, float]:
    return counts.precision, counts.recall, counts.f1


def approx(precision: float, recall: float, f1: float) -> Any:
    return pytest.approx((precision, recall, f1))


# A small story used by several tests.
STORY_ACTORS = [
    actor("Mustafa Kamal", "Kamal"),
    actor("Muttahida Qaumi Movement", "MQM"),
    actor("Wasay Jalil"),
    actor("Raza Haroon", minor=True),
]
STORY_ALLEGATIONS = [alleged(["Kamal"], ["MQM"])]
STORY_DENIALS = [denied(["Wasay Jalil"])]


# --- Names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr Qaimkhani", "qaimkhani"),
        ("Dr. Farooq Sattar", "farooq sattar"),
        ("Dr.Farooq Sattar", "farooq sattar"),
        ("MRS. Bisma  Asif", "bisma asif"),
        ("Senator Mian Attique", "mian attique"),
        ("Syed Mustafa Kamal", "mustafa kamal"),
        ("Sir Ms Mr", ""),
        ("Drew Mrsic", "drew mrsic"),  # a title inside a word stays
        ("  Altaf\tHussain\n", "altaf hussain"),
        # Apostrophes join: the possessive stays one word.
        ("Mustafa Kamal's group", "mustafa kamals group"),
        ("Kamal\u2019s camp", "kamals camp"),
        # Hyphens and other punctuation separate words.
        ("Izhar-ul-Hassan Khawaja", "izhar ul hassan khawaja"),
        ("Nine-Zero", "nine zero"),
        ("MQM (Haqqiqi)", "mqm haqqiqi"),
        ("U.S. Army", "us army"),
        ("Mrs.Khan", "khan"),
        # A text too long to be remembered is read the same way.
        (
            "Dr.Farooq Sattar and Mrs.Bisma Asif met Mr.Kamal at the U.S. embassy, where a "
            "long list of officials from the party waited to see them all",
            "farooq sattar and bisma asif met kamal at the us embassy where a long list of "
            "officials from the party waited to see them all",
        ),
    ],
)
def test_normalize_name(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sonia Gandhi", "Congress president Sonia Gandhi"),
        ("Gautam Adani Group", "Adani Group"),
        ("Mr Qaimkhani", "Qaimkhani"),
        ("Dr. Farooq Sattar", "Farooq Sattar"),
        ("Nine Zero", "Nine-Zero"),
        ("MQM-Haqiqi", "MQM Haqiqi"),
        ("Izhar ul Hassan", "Izhar-ul-Hassan Khawaja"),
        ("Kamal's camp", "KAMAL\u2019S CAMP"),
    ],
)
def test_forms_that_match(a: str, b: str) -> None:
    assert forms_match(a, b)
    assert forms_match(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Adani", "Adani Group"),  # one word must be equal
        ("Gandhi", "Sonia Gandhi"),
        ("Mustafa Kamal", "Mustafa Kamal's group"),  # the person is not the group
        ("Sonia Gandhi", "Gandhi Sonia"),
        ("Sonia Gandhi", "Sonia Rahul Gandhi"),  # words must be consecutive
        ("Altaf Hussain", "Altaf Bhai"),
        ("Mr", "Mr."),  # nothing left after normalising matches nothing
    ],
)
def test_forms_that_do_not_match(a: str, b: str) -> None:
    assert not forms_match(a, b)
    assert not forms_match(b, a)


# --- Scoring one article ---------------------------------------------------------------------


def test_perfect_match() -> None:
    truth = gold(STORY_ACTORS, STORY_ALLEGATIONS, STORY_DENIALS)
    prediction = record(
        ["Mustafa Kamal", "Muttahida Qaumi Movement", "Wasay Jalil", "Raza Haroon"],
        [(["Mustafa Kamal"], ["Muttahida Qaumi Movement"], "named")],
        [(["Wasay Jalil"],)],
    )
    score = score_article(truth, prediction, "")
    assert prf(score.actors) == approx(1, 1, 1)
    assert prf(score.allegations) == approx(1, 1, 1)
    assert prf(score.denials) == approx(1, 1, 1)
    assert score.actors == MatchCounts(predicted=4, gold=3, correct=4, found=3)
    assert score.grounding.exact_share is None
    assert score.grounding.fuzzy_share is None


def test_empty_prediction_scores_zero() -> None:
    truth = gold(STORY_ACTORS, STORY_ALLEGATIONS, STORY_DENIALS)
    score = score_article(truth, record(), "")
    assert prf(score.actors) == approx(0, 0, 0)
    assert prf(score.allegations) == approx(0, 0, 0)
    assert prf(score.denials) == approx(0, 0, 0)
    assert score.grounding.quotes == 0


def test_nothing_to_find_and_nothing_claimed_scores_one() -> None:
    truth = gold([actor("Raza Haroon", minor=True)])
    score = score_article(truth, record(), "")
    assert prf(score.actors) == approx(1, 1, 1)
    assert prf(score.allegations) == approx(1, 1, 1)
    assert prf(score.denials) == approx(1, 1, 1)


def test_zero_denominator_with_one_side_nonempty_is_zero() -> None:
    assert prf(MatchCounts(predicted=2, gold=0)) == approx(0, 0, 0)
    assert prf(MatchCounts(predicted=0, gold=3)) == approx(0, 0, 0)
    assert prf(MatchCounts()) == approx(1, 1, 1)


def test_extra_predicted_actors_lower_precision() -> None:
    truth = gold(STORY_ACTORS[:2])
    prediction = record(["Mustafa Kamal", "MQM", "Karachi police", "Rangers"])
    score = score_article(truth, prediction, "")
    assert prf(score.actors) == approx(2 / 4, 1, 2 / 3)


def test_alias_only_match_for_actors_and_references() -> None:
    truth = gold(
        [actor("Altaf Hussain", "Altaf Bhai"), actor("Wasay Jalil")],
        [alleged(["Wasay Jalil"], ["Altaf Hussain"])],
    )
    prediction = record(
        ["Altaf Bhai", "Wasay Jalil"],
        [(["Wasay Jalil"], ["Altaf Bhai"], "named")],
    )
    score = score_article(truth, prediction, "")
    assert prf(score.actors) == approx(1, 1, 1)
    assert prf(score.allegations) == approx(1, 1, 1)


def test_predicted_alias_matches_gold_name() -> None:
    truth = gold([actor("Altaf Hussain")])
    score = score_article(truth, record([("Altaf", "Altaf Hussain")]), "")
    assert prf(score.actors) == approx(1, 1, 1)


def test_titles_are_stripped() -> None:
    truth = gold(
        [actor("Anees Qaimkhani", "Qaimkhani"), actor("Farooq Sattar")],
        [alleged(["Farooq Sattar"], ["Qaimkhani"])],
    )
    prediction = record(
        ["Mr Qaimkhani", "Dr. Farooq Sattar"],
        [(["Dr. Farooq Sattar"], ["Mr Qaimkhani"], "named")],
    )
    score = score_article(truth, prediction, "")
    assert prf(score.actors) == approx(1, 1, 1)
    assert prf(score.allegations) == approx(1, 1, 1)


def test_multi_word_containment_but_not_one_word() -> None:
    truth = gold([actor("Sonia Gandhi"), actor("Adani Group")])
    prediction = record(["Congress president Sonia Gandhi", "Adani"])
    score = score_article(truth, prediction, "")
    assert score.actors == MatchCounts(predicted=2, gold=2, correct=1, found=1)
    assert prf(score.actors) == approx(1 / 2, 1 / 2, 1 / 2)


def test_anonymous_allegations_match_without_a_shared_source() -> None:
    truth = gold(
        [
            actor("Anees Qaimkhani"),
            actor("Muttahida Qaumi Movement", "MQM"),
            actor("party insiders", minor=True),
        ],
        [
            alleged(["party insiders"], ["Anees Qaimkhani"], anonymous=True),
            alleged([], ["MQM"], anonymous=True),
        ],
    )
    prediction = record(
        ["Anees Qaimkhani", "MQM", "Mustafa Kamal"],
        [
            ([], ["Anees Qaimkhani"], "anonymous"),
            (["Mustafa Kamal"], ["MQM"], "unattributed"),  # not "named": no named source
        ],
    )
    score = score_article(truth, prediction, "")
    assert prf(score.allegations) == approx(1, 1, 1)


def test_anonymous_does_not_match_named_without_a_shared_source() -> None:
    truth = gold(
        [actor("Anees Qaimkhani"), actor("MQM"), actor("Mustafa Kamal")],
        [
            alleged([], ["Anees Qaimkhani"], anonymous=True),
            alleged(["Mustafa Kamal"], ["MQM"]),
        ],
    )
    prediction = record(
        ["Anees Qaimkhani", "MQM", "Mustafa Kamal"],
        [
            (["Mustafa Kamal"], ["Anees Qaimkhani"], "named"),
            ([], ["MQM"], "anonymous"),
        ],
    )
    score = score_article(truth, prediction, "")
    assert prf(score.allegations) == approx(0, 0, 0)


@pytest.mark.parametrize(
    ("predicted", "expected"),
    [
        ((["Wasay Jalil"], [], "named"), (1, 1, 1)),
        ((["Wasay Jalil"], ["MQM"], "named"), (0, 0, 0)),  # against someone
        ((["MQM"], [], "named"), (0, 0, 0)),  # another source
        (([], [], "anonymous"), (0, 0, 0)),  # no shared source
    ],
)
def test_allegation_against_no_one(
    predicted: AllegationSpec, expected: tuple[float, float, float]
) -> None:
    truth = gold([actor("Wasay Jalil"), actor("MQM")], [alleged(["Wasay Jalil"], [])])
    score = score_article(truth, record(["Wasay Jalil", "MQM"], [predicted]), "")
    assert prf(score.allegations) == approx(*expected)


def test_optional_items_matched_are_dropped_and_unmatched_ignored() -> None:
    names = ["Mustafa Kamal", "MQM", "Naeem Ahmed", "Imran Farooq"]
    names += ["Wasay Jalil", "Altaf loyalists"]
    truth = gold(
        [actor(name) for name in names],
        [
            alleged(["Mustafa Kamal"], ["MQM"]),
            alleged(["Naeem Ahmed"], ["Imran Farooq"], optional=True),
            alleged(["Wasay Jalil"], [], optional=True),
        ],
        [
            denied(["Wasay Jalil"]),
            denied(["Altaf loyalists"], optional=True),
            denied(["MQM"], optional=True),
        ],
    )
    prediction = record(
        names,
        [
            (["Mustafa Kamal"], ["MQM"], "named"),
            (["Naeem Ahmed"], ["Imran Farooq"], "named"),  # the optional one: not counted
            (["Mustafa Kamal"], ["Wasay Jalil"], "named"),  # wrong
        ],
        [(["Wasay Jalil"],), (["Altaf loyalists"],)],
    )
    score = score_article(truth, prediction, "")
    assert score.allegations == MatchCounts(predicted=2, gold=1, correct=1, found=1)
    assert prf(score.allegations) == approx(1 / 2, 1, 2 / 3)
    assert score.denials == MatchCounts(predicted=1, gold=1, correct=1, found=1)
    assert prf(score.denials) == approx(1, 1, 1)


def test_only_optional_gold_items_matched_leave_nothing_to_count() -> None:
    truth = gold([actor("Wasay Jalil")], denials=[denied(["Wasay Jalil"], optional=True)])
    score = score_article(truth, record(["Wasay Jalil"], denials=[(["Wasay Jalil"],)]), "")
    assert score.denials == MatchCounts()
    assert prf(score.denials) == approx(1, 1, 1)


def test_matching_is_one_to_one() -> None:
    truth = gold(
        [actor("Mustafa Kamal", "Kamal"), actor("MQM")],
        [alleged(["Kamal"], ["MQM"])],
        [denied(["MQM"])],
    )
    prediction = record(
        ["Mustafa Kamal", "Kamal", "MQM"],
        [(["Mustafa Kamal"], ["MQM"], "named"), (["Kamal"], ["MQM"], "named")],
        [(["MQM"],), (["MQM"],)],
    )
    score = score_article(truth, prediction, "")
    assert prf(score.actors) == approx(2 / 3, 1, 4 / 5)
    assert prf(score.allegations) == approx(1 / 2, 1, 2 / 3)
    assert prf(score.denials) == approx(1 / 2, 1, 2 / 3)


def test_matching_is_greedy_in_gold_order() -> None:
    # The first gold item takes the first prediction it matches, even though that leaves
    # nothing for the second; an optimal assignment would match both.
    truth = gold(
        [actor("Mustafa Kamal"), actor("MQM"), actor("Altaf Hussain")],
        [
            alleged(["Mustafa Kamal"], ["MQM", "Altaf Hussain"]),
            alleged(["Mustafa Kamal"], ["Altaf Hussain"]),
        ],
    )
    prediction = record(
        ["Mustafa Kamal", "MQM", "Altaf Hussain"],
        [
            (["Mustafa Kamal"], ["Altaf Hussain"], "named"),
            (["Mustafa Kamal"], ["MQM"], "named"),
        ],
    )
    score = score_article(truth, prediction, "")
    assert prf(score.allegations) == approx(1 / 2, 1 / 2, 1 / 2)


def test_minor_actors_count_for_precision_not_recall() -> None:
    truth = gold(
        [
            actor("Mustafa Kamal"),
            actor("Raza Haroon", minor=True),
            actor("Waseem Aftab", minor=True),
        ]
    )
    with_minor = score_article(truth, record(["Mustafa Kamal", "Raza Haroon"]), "")
    assert with_minor.actors == MatchCounts(predicted=2, gold=1, correct=2, found=1)
    assert prf(with_minor.actors) == approx(1, 1, 1)
    only_minor = score_article(truth, record(["Raza Haroon", "Karachi"]), "")
    assert prf(only_minor.actors) == approx(1 / 2, 0, 0)


def test_prediction_as_plain_dict_and_unknown_ids_ignored() -> None:
    truth = gold(STORY_ACTORS, [alleged(["Wasay Jalil"], [])], STORY_DENIALS)
    prediction = record(
        ["Wasay Jalil"],
        [(["Wasay Jalil"], [], "named")],
        [(["Wasay Jalil"],)],
    ).model_dump(mode="json")
    prediction["allegations"][0]["against"] = ["A99"]  # names no actor: resolves to nobody
    score = score_article(truth, prediction, "")
    assert prf(score.allegations) == approx(1, 1, 1)
    assert prf(score.denials) == approx(1, 1, 1)
    assert prf(score.actors) == approx(1, 1 / 3, 1 / 2)


# --- Grounding ------------------------------------------------------------------------------

ARTICLE = (
    "Wasay Jalil said: \u201cThe party is united,\u201d and denied   any\nrift. "
    "He called reports of a new faction \u2018baseless\u2019 and malicious."
)


def test_grounding_exact_after_normalising_and_fuzzy() -> None:
    truth = gold([actor("Wasay Jalil"), actor("MQM")], text=ARTICLE)
    quotes = [
        "The party is united",  # as it stands
        'said: "The party is united,"',  # typographic quotes differ
        "denied any rift",  # whitespace differs
    ]
    prediction = record(
        ["Wasay Jalil", "MQM"],
        [(["Wasay Jalil"], ["MQM"], "named", quotes)],
        [
            (
                ["Wasay Jalil"],
                [
                    "He caled reports of a new faction 'baseless'",  # a typo: fuzzy only
                    "The budget was approved by the assembly",  # not in the article
                ],
            )
        ],
    )
    grounding = score_article(truth, prediction).grounding
    assert (grounding.quotes, grounding.exact, grounding.fuzzy) == (5, 3, 4)
    assert grounding.exact_share == pytest.approx(3 / 5)
    assert grounding.fuzzy_share == pytest.approx(4 / 5)


def test_grounding_trusts_a_verified_alignment_over_the_quote_text() -> None:
    truth = gold([actor("Wasay Jalil"), actor("MQM")], text=ARTICLE)
    prediction = record(["Wasay Jalil", "MQM"], denials=[(["Wasay Jalil"], [])])
    start = ARTICLE.index("The party is united")
    end = start + len("The party is united")
    aligned = [
        Evidence(quote=ARTICLE[start:end], start=start, end=end, alignment="fuzzy"),
        Evidence(quote=ARTICLE[start:end], start=start, end=end, alignment="normalized"),
        # Offsets that do not hold the quote: looked up by its text instead.
        Evidence(quote="The party is united", start=0, end=3, alignment="exact"),
    ]
    prediction.denials[0].evidence.extend(aligned)
    grounding = score_article(truth, prediction).grounding
    assert (grounding.quotes, grounding.exact, grounding.fuzzy) == (3, 2, 3)


def test_grounding_uses_the_text_given() -> None:
    truth = gold([actor("Wasay Jalil")], text=ARTICLE)
    prediction = record(["Wasay Jalil"], denials=[(["Wasay Jalil"], ["The party is united"])])
    grounding = score_article(truth, prediction, "Another text altogether.").grounding
    assert (grounding.exact_share, grounding.fuzzy_share) == (0.0, 0.0)


# --- Micro-averaging ------------------------------------------------------------------------


def test_micro_average_sums_counts() -> None:
    first = score_article(
        gold(
            [actor("Mustafa Kamal"), actor("Muttahida Qaumi Movement", "MQM")],
            [alleged(["Mustafa Kamal"], ["MQM"])],
            id="first",
            text=ARTICLE,
        ),
        record(
            ["Mustafa Kamal", "MQM", "Karachi"],
            [
                (["Mustafa Kamal"], ["MQM"], "named", ["The party is united"]),
                (["MQM"], ["Mustafa Kamal"], "named"),
            ],
        ),
    )
    second = score_article(
        gold(
            [actor(n) for n in ("Wasay Jalil", "Altaf Hussain", "Imran Farooq", "Naeem Ahmed")],
            [
                alleged(["Wasay Jalil"], ["Altaf Hussain"]),
                alleged(["Naeem Ahmed"], ["Imran Farooq"]),
                alleged(["Altaf Hussain"], ["Wasay Jalil"]),
            ],
            id="second",
        ),
        record(["Wasay Jalil", "Altaf Hussain"], [(["Wasay Jalil"], ["Altaf Hussain"], "named")]),
    )
    assert prf(first.allegations) == approx(1 / 2, 1, 2 / 3)
    assert prf(second.allegations) == approx(1, 1 / 3, 1 / 2)

    total = micro_average([first, second])
    assert total.article_count == 2
    assert total.actors == MatchCounts(predicted=5, gold=6, correct=4, found=4)
    assert prf(total.actors) == approx(4 / 5, 2 / 3, 8 / 11)
    assert total.allegations == MatchCounts(predicted=3, gold=4, correct=2, found=2)
    assert prf(total.allegations) == approx(2 / 3, 1 / 2, 4 / 7)  # not the mean 3/4, 2/3
    assert prf(total.denials) == approx(1, 1, 1)
    assert (total.grounding.quotes, total.grounding.exact) == (1, 1)
    assert total.grounding.exact_share == pytest.approx(1.0)


def test_scores_turn_into_plain_dicts() -> None:
    truth = gold(STORY_ACTORS, STORY_ALLEGATIONS, STORY_DENIALS, id="story")
    score = score_article(truth, record(["Mustafa Kamal"]), "")
    as_dict = score.as_dict()
    assert as_dict["article_id"] == "story"
    assert as_dict["actors"] == {
        "predicted": 1,
        "gold": 3,
        "correct": 1,
        "found": 1,
        "precision": 1.0,
        "recall": pytest.approx(1 / 3),
        "f1": pytest.approx(1 / 2),
    }
    assert as_dict["grounding"]["exact_share"] is None
    total = micro_average([score, ArticleScore(article_id="empty")]).as_dict()
    assert total["article_count"] == 2
    json.dumps(as_dict)
    json.dumps(total)


# --- Gold files -------------------------------------------------------------------------------


def write_gold(folder: Path, name: str, content: dict[str, Any] | str) -> Path:
    path = folder / f"{name}.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


def gold_file(id: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": id,
        "actors": [{"name": "Wasay Jalil", "aliases": ["Wasay"], "kind": "person"}],
        "denials": [{"denied_by": ["Wasay"], "content": "any groups inside the party"}],
        **fields,
    }


def test_load_gold_finds_the_article_beside_or_named(tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    (tmp_path / "texts").mkdir()
    beside = write_gold(tmp_path / "gold", "beside", gold_file("beside"))
    (tmp_path / "gold" / "beside.txt").write_text("Text beside.", "utf-8")
    named = write_gold(tmp_path / "gold", "named", gold_file("named", article="../texts/n.txt"))
    (tmp_path / "texts" / "n.txt").write_text("Text named.", "utf-8")

    first = load_gold(beside)
    assert (first.id, first.article_text, first.source) == ("beside", "Text beside.", beside)
    second = load_gold(named)
    assert second.article_text == "Text named."
    assert second.article_path == tmp_path / "gold" / "../texts/n.txt"
    assert second.annotation.denials[0].denied_by == ["Wasay"]


def test_bad_gold_files_are_reported_and_the_rest_loaded(tmp_path: Path) -> None:
    write_gold(tmp_path, "good", gold_file("good"))
    (tmp_path / "good.txt").write_text("Wasay Jalil denied it.", "utf-8")
    broken = write_gold(tmp_path, "broken", '{"id": "broken", "actors": [')
    unknown = write_gold(
        tmp_path,
        "unknown",
        gold_file(
            "unknown", allegations=[{"made_by": ["Nobody"], "against": ["Wasay"], "claim": ""}]
        ),
    )
    (tmp_path / "unknown.txt").write_text("Text.", "utf-8")
    no_article = write_gold(tmp_path, "no-article", gold_file("no-article"))
    extra = write_gold(tmp_path, "extra", gold_file("extra", anonymus=True))
    (tmp_path / "extra.txt").write_text("Text.", "utf-8")
    (tmp_path / "notes.txt").write_text("not a gold file", "utf-8")

    articles, errors = load_gold_folder(tmp_path)

    assert [article.id for article in articles] == ["good"]
    assert [error.path for error in errors] == [broken, extra, no_article, unknown]
    messages = [str(error) for error in errors]
    assert messages[0].startswith(f"{broken}: invalid JSON")
    assert messages[1].startswith(f"{extra}: ") and "anonymus" in messages[1]
    assert messages[2].startswith(f"{no_article}: article ") and "not found" in messages[2]
    assert messages[3] == (
        f"{unknown}: allegations[0].made_by: 'Nobody' is no actor's name or alias"
    )
    with pytest.raises(GoldFileError, match="invalid JSON"):
        load_gold(broken)


def test_gold_id_must_match_the_file_name(tmp_path: Path) -> None:
    path = write_gold(tmp_path, "one-name", gold_file("another-name"))
    (tmp_path / "another-name.txt").write_text("Text.", "utf-8")
    with pytest.raises(GoldFileError, match="does not match the file name"):
        load_gold(path)


def test_gold_reference_naming_two_actors_is_refused() -> None:
    with pytest.raises(ValidationError, match="'Kamal' names more than one actor"):
        GoldAnnotation.model_validate(
            {
                "id": "x",
                "actors": [actor("Mustafa Kamal", "Kamal"), actor("Kamal Ahmed", "Mr Kamal")],
                "denials": [denied(["Kamal"])],
            }
        )


def test_missing_gold_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GoldFileError, match="folder not found"):
        load_gold_folder(tmp_path / "nowhere")


@pytest.mark.parametrize("folder", ["gold", "heldout"])
def test_the_shipped_gold_sets_are_consistent(folder: str) -> None:
    """Every article loads, and every reference names a listed actor."""
    from summarizer.evaluate import load_gold_folder
    from tests.conftest import FIXTURES

    articles, errors = load_gold_folder(FIXTURES / folder)
    assert errors == [] and len(articles) >= 7
    for article in articles:
        annotation = article.annotation
        references = [name for item in annotation.allegations for name in item.made_by]
        references += [name for item in annotation.allegations for name in item.against]
        references += [name for item in annotation.denials for name in item.denied_by]
        unknown = [name for name in references if not annotation.actors_named(name)]
        assert unknown == [], annotation.id
        assert article.article_text.strip()
