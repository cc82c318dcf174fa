"""Scoring briefs against gold annotations (GOLD.md): names, matching, counts and ratios."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from summarizer.articles import Article, read_article, text_sha256
from summarizer.errors import InputError, SummarizerError
from summarizer.names import Words, forms_match, name_words, normalize_name, words_match
from summarizer.schema import Actor, ActorKind, Allegation, Denial, Evidence, Record, Usage

__all__ = ["forms_match", "normalize_name"]  # re-exported: the scoring rules' name matching

# A quote found by fuzzy alignment scores at least this (rapidfuzz partial ratio, 0-100).
FUZZY_QUOTE_THRESHOLD = 90.0

# Typographic quotes, each read as its ASCII counterpart: left and right, low-9, reversed-9,
# prime, and the angle quotes (guillemets).
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2039\u203a"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_TYPOGRAPHIC_QUOTES = str.maketrans(
    {**dict.fromkeys(_SINGLE_QUOTES, "'"), **dict.fromkeys(_DOUBLE_QUOTES, '"')}
)

Item = TypeVar("Item")
ActorForms = tuple[Words, ...]  # every non-empty normalised form (name, aliases) of one actor


# --- Names ---------------------------------------------------------------------------------


def _actor_forms(names: Iterable[str]) -> ActorForms:
    return tuple(words for words in (name_words(name) for name in names) if words)


def _same_actor(a: ActorForms, b: ActorForms) -> bool:
    return any(words_match(x, y) for x in a for y in b)


def _share_an_actor(a: Sequence[ActorForms], b: Sequence[ActorForms]) -> bool:
    return any(_same_actor(x, y) for x in a for y in b)


# --- Gold files ------------------------------------------------------------------------------


class _GoldModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldActor(_GoldModel):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    kind: ActorKind
    minor: bool = False

    @property
    def forms(self) -> list[str]:
        return [self.name, *self.aliases]


class GoldAllegation(_GoldModel):
    made_by: list[str] = Field(default_factory=list)
    against: list[str] = Field(default_factory=list)
    anonymous: bool = False
    claim: str = ""
    optional: bool = False


class GoldDenial(_GoldModel):
    denied_by: list[str] = Field(default_factory=list)
    content: str = ""
    optional: bool = False


class GoldAnnotation(_GoldModel):
    """The content of one gold file. Every actor reference must name exactly one actor."""

    id: str = Field(min_length=1)
    article: str | None = Field(
        default=None, description="Path of the article text, relative to the gold file."
    )
    actors: list[GoldActor]
    allegations: list[GoldAllegation] = Field(default_factory=list)
    denials: list[GoldDenial] = Field(default_factory=list)

    def actors_named(self, reference: str) -> list[int]:
        """Indices of the actors that have `reference` as name or alias, after normalising."""
        key = normalize_name(reference)
        if not key:
            return []
        return [
            index
            for index, actor in enumerate(self.actors)
            if any(normalize_name(form) == key for form in actor.forms)
        ]

    @model_validator(mode="after")
    def _references_name_one_actor(self) -> GoldAnnotation:
        problems = []
        sides: list[tuple[str, list[str]]] = []
        for number, allegation in enumerate(self.allegations):
            sides.append((f"allegations[{number}].made_by", allegation.made_by))
            sides.append((f"allegations[{number}].against", allegation.against))
        for number, denial in enumerate(self.denials):
            sides.append((f"denials[{number}].denied_by", denial.denied_by))
        for where, references in sides:
            for reference in references:
                found = self.actors_named(reference)
                if not found:
                    problems.append(f"{where}: {reference!r} is no actor's name or alias")
                elif len(found) > 1:
                    names = ", ".join(repr(self.actors[index].name) for index in found)
                    problems.append(f"{where}: {reference!r} names more than one actor ({names})")
        if problems:
            raise ValueError("; ".join(problems))
        return self


@dataclass(frozen=True)
class GoldArticle:
    """A loaded gold file: its annotation and the article text it refers to."""

    annotation: GoldAnnotation
    article_text: str
    source: Path | None = None
    article_path: Path | None = None

    @property
    def id(self) -> str:
        return self.annotation.id

    @property
    def article(self) -> Article:
        """The article to summarize, under the gold file's id."""
        source = os.path.normpath(self.article_path or self.source or self.id)
        return Article(id=self.id, source=source, text=self.article_text)


class GoldFileError(SummarizerError):
    """A gold file that cannot be used. The message names the file and the problem."""

    exit_code = 2

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


def load_gold(path: str | Path) -> GoldArticle:
    """Read and check one gold file and the article it names. Raises GoldFileError."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoldFileError(path, "file not found") from None
    except UnicodeDecodeError as error:
        raise GoldFileError(path, f"not valid UTF-8 (bad byte at offset {error.start})") from None
    except json.JSONDecodeError as error:
        raise GoldFileError(
            path, f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except OSError as error:
        raise GoldFileError(path, f"cannot read the file: {error.strerror}") from None
    try:
        annotation = GoldAnnotation.model_validate(data)
    except ValidationError as error:
        raise GoldFileError(path, _describe(error)) from None
    if annotation.id != path.stem:
        raise GoldFileError(
            path, f"id {annotation.id!r} does not match the file name (expected {path.stem!r})"
        )
    if annotation.article is not None:
        article_path = path.parent / annotation.article
        hint = ""
    else:
        article_path = path.parent / f"{annotation.id}.txt"
        hint = " (put it beside the gold file or name it in an 'article' field)"
    try:
        article = read_article(article_path)
    except InputError as error:
        raise GoldFileError(path, f"article {article_path}: {error.problem}{hint}") from None
    return GoldArticle(
        annotation=annotation, article_text=article.text, source=path, article_path=article_path
    )


def load_gold_folder(folder: str | Path) -> tuple[list[GoldArticle], list[GoldFileError]]:
    """Every `*.json` gold file in a folder, by name: the good ones and the errors of the rest.

    Raises GoldFileError only when the folder itself is missing or is not a folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise GoldFileError(folder, "not a folder" if folder.exists() else "folder not found")
    articles: list[GoldArticle] = []
    errors: list[GoldFileError] = []
    for path in sorted(p for p in folder.glob("*.json") if p.is_file()):
        try:
            articles.append(load_gold(path))
        except GoldFileError as error:
            errors.append(error)
    return articles, errors


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        where = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in item["loc"]
        )
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(f"{where.lstrip('.')}: {message}" if where else message)
    return "; ".join(problems)


# --- Scores -----------------------------------------------------------------------------------


def ratio(numerator: int, denominator: int, *, both_sets_empty: bool) -> float:
    """numerator / denominator, with the zero-division rule used for every score here.

    A ratio with a zero denominator is 1.0 when both the predicted and the gold sets are
    empty (nothing to find and nothing claimed: nothing was done wrong) and 0.0 otherwise
    (predictions with no gold behind them, or gold items with no prediction at all).
    """
    if denominator:
        return numerator / denominator
    return 1.0 if both_sets_empty else 0.0


def f1_score(precision: float, recall: float) -> float:
    """The harmonic mean 2PR / (P + R); 0.0 when P + R is 0."""
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


class _Counts:
    """Integer counts that add field by field; `as_dict` gives them with the ratios named
    in RATIOS."""

    RATIOS: ClassVar[tuple[str, ...]] = ()

    def __add__(self, other: Self) -> Self:
        sums = {f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}  # type: ignore[arg-type]
        return type(self)(**sums)

    def as_dict(self) -> dict[str, Any]:
        counts = {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]
        return {**counts, **{name: getattr(self, name) for name in self.RATIOS}}


@dataclass(frozen=True)
class MatchCounts(_Counts):
    """The counts behind precision and recall for one kind of item (actors, allegations...).

    `predicted` and `gold` are the items that count (matched optional gold items and their
    predictions, and minor gold actors for recall, are left out); `correct` is how many of
    the predicted ones match a gold item, `found` how many of the gold ones are matched.
    The two differ only for actors, where matching a minor gold actor is correct but found
    is not counted. Zero denominators follow `ratio`.
    """

    RATIOS = ("precision", "recall", "f1")

    predicted: int = 0
    gold: int = 0
    correct: int = 0
    found: int = 0

    @property
    def precision(self) -> float:
        empty = self.predicted == 0 and self.gold == 0
        return ratio(self.correct, self.predicted, both_sets_empty=empty)

    @property
    def recall(self) -> float:
        empty = self.predicted == 0 and self.gold == 0
        return ratio(self.found, self.gold, both_sets_empty=empty)

    @property
    def f1(self) -> float:
        return f1_score(self.precision, self.recall)


@dataclass(frozen=True)
class GroundingCounts(_Counts):
    """How many predicted evidence quotes occur in the article, exactly or fuzzily.

    `exact` counts quotes found after normalising whitespace and typographic quotes;
    `fuzzy` counts quotes found by fuzzy alignment, the exact ones included. The shares
    are None when there are no quotes at all (not applicable).
    """

    RATIOS = ("exact_share", "fuzzy_share", "support_share")

    quotes: int = 0
    exact: int = 0
    fuzzy: int = 0
    # Allegations and denials, and those whose cited text names one of their actors.
    items: int = 0
    supported: int = 0

    @property
    def exact_share(self) -> float | None:
        return self.exact / self.quotes if self.quotes else None

    @property
    def fuzzy_share(self) -> float | None:
        return self.fuzzy / self.quotes if self.quotes else None

    @property
    def support_share(self) -> float | None:
        return self.supported / self.items if self.items else None


@dataclass(frozen=True)
class _Scored:
    """What is scored for a record, or summed over many: the four kinds of counts."""

    actors: MatchCounts = field(default_factory=MatchCounts)
    allegations: MatchCounts = field(default_factory=MatchCounts)
    denials: MatchCounts = field(default_factory=MatchCounts)
    grounding: GroundingCounts = field(default_factory=GroundingCounts)

    def counts(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(_Scored)}

    def counts_plus(self, other: _Scored) -> dict[str, Any]:
        return {name: value + getattr(other, name) for name, value in self.counts().items()}

    def as_dict(self) -> dict[str, Any]:
        return {name: value.as_dict() for name, value in self.counts().items()}


@dataclass(frozen=True, kw_only=True)
class ArticleScore(_Scored):
    """One article's counts; the ratios are computed from them."""

    article_id: str

    def as_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, **super().as_dict()}


@dataclass(frozen=True, kw_only=True)
class SetScore(_Scored):
    """Counts summed over a set of articles, so its ratios are micro-averages."""

    article_count: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"article_count": self.article_count, **super().as_dict()}


def micro_average(scores: Iterable[ArticleScore]) -> SetScore:
    """Sum the counts of every article; ratios then come from the sums, not from averages."""
    total = SetScore()
    for score in scores:
        total = SetScore(article_count=total.article_count + 1, **total.counts_plus(score))
    return total


# --- Scoring one article -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Allegation:
    made_by: tuple[ActorForms, ...]
    against: tuple[ActorForms, ...]
    anonymous: bool


def score_article(
    gold: GoldArticle,
    prediction: Record | Mapping[str, Any] | None,
    article_text: str | None = None,
) -> ArticleScore:
    """Score one predicted record against its gold annotation (GOLD.md, Scoring).

    `prediction` is a Record or a dict that validates as one; None scores as a record
    that lists nothing (the system produced no record for this article). `article_text` is the text
    the evidence quotes are looked for in; it defaults to the gold article's text.
    Predicted references (actor ids) resolve to that actor's name and aliases; an id that
    names no actor in the record is ignored. A predicted allegation has no named source
    when its attribution is not "named".
    """
    annotation = gold.annotation
    # No record scores as a record that lists nothing.
    record_actors: list[Actor] = []
    record_allegations: list[Allegation] = []
    record_denials: list[Denial] = []
    if prediction is not None:
        record = prediction if isinstance(prediction, Record) else Record.model_validate(prediction)
        record_actors, record_allegations = record.actors, record.allegations
        record_denials = record.denials
    text = gold.article_text if article_text is None else article_text

    gold_forms = [_actor_forms(actor.forms) for actor in annotation.actors]
    predicted_actors = [_actor_forms([actor.name, *actor.aliases]) for actor in record_actors]
    predicted_forms: dict[str, ActorForms] = {}
    for actor, forms in zip(record_actors, predicted_actors, strict=True):
        predicted_forms.setdefault(actor.id, forms)

    def gold_side(references: list[str]) -> tuple[ActorForms, ...]:
        return tuple(gold_forms[i] for ref in references for i in annotation.actors_named(ref)[:1])

    def predicted_side(ids: list[str]) -> tuple[ActorForms, ...]:
        return tuple(predicted_forms[i] for i in ids if i in predicted_forms)

    actor_pairs = _greedy_pairs(
        len(gold_forms), predicted_actors, lambda g, p: _same_actor(gold_forms[g], p)
    )
    actors = MatchCounts(
        predicted=len(predicted_actors),
        gold=sum(not actor.minor for actor in annotation.actors),
        correct=len(actor_pairs),
        found=sum(not annotation.actors[g].minor for g in actor_pairs),
    )

    gold_allegations = [
        _Allegation(gold_side(item.made_by), gold_side(item.against), item.anonymous)
        for item in annotation.allegations
    ]
    predicted_allegations = [
        _Allegation(
            predicted_side(item.made_by),
            predicted_side(item.against),
            item.attribution != "named",
        )
        for item in record_allegations
    ]
    allegations = _item_counts(
        [item.optional for item in annotation.allegations],
        _greedy_pairs(
            len(gold_allegations),
            predicted_allegations,
            lambda g, p: _allegation_matches(gold_allegations[g], p),
        ),
        len(predicted_allegations),
    )

    gold_denials = [gold_side(item.denied_by) for item in annotation.denials]
    predicted_denials = [predicted_side(item.denied_by) for item in record_denials]
    denials = _item_counts(
        [item.optional for item in annotation.denials],
        _greedy_pairs(
            len(gold_denials),
            predicted_denials,
            lambda g, p: _share_an_actor(gold_denials[g], p),
        ),
        len(predicted_denials),
    )

    claims: list[Allegation | Denial] = [*record_allegations, *record_denials]
    evidence = [e for item in claims for e in item.evidence]
    support = GroundingCounts(items=len(claims), supported=sum(c.supported for c in claims))
    return ArticleScore(
        article_id=annotation.id,
        actors=actors,
        allegations=allegations,
        denials=denials,
        grounding=evidence_grounding(evidence, text) + support,
    )


def _greedy_pairs(
    gold_count: int, predicted: Sequence[Item], matches: Callable[[int, Item], bool]
) -> dict[int, int]:
    """One-to-one matching, greedy in gold order: each gold item takes the first unused
    predicted item that matches it. Returns {gold index: predicted index}."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for g in range(gold_count):
        for p, item in enumerate(predicted):
            if p not in used and matches(g, item):
                pairs[g] = p
                used.add(p)
                break
    return pairs


def _allegation_matches(gold: _Allegation, predicted: _Allegation) -> bool:
    if not gold.against:
        return not predicted.against and _share_an_actor(gold.made_by, predicted.made_by)
    if not _share_an_actor(gold.against, predicted.against):
        return False
    both_anonymous = gold.anonymous and predicted.anonymous
    return both_anonymous or _share_an_actor(gold.made_by, predicted.made_by)


def _item_counts(optional: list[bool], pairs: dict[int, int], predicted_count: int) -> MatchCounts:
    """Counts for allegations or denials: matched optional gold items leave both sides,
    unmatched optional ones are ignored."""
    matched_optional = sum(optional[g] for g in pairs)
    found = len(pairs) - matched_optional
    return MatchCounts(
        predicted=predicted_count - matched_optional,
        gold=optional.count(False),
        correct=found,
        found=found,
    )


# --- Grounding -----------------------------------------------------------------------------------


def normalize_quote_text(text: str) -> str:
    """Typographic quotes to ASCII ones, whitespace runs to one space, ends trimmed."""
    return " ".join(text.translate(_TYPOGRAPHIC_QUOTES).split())


def evidence_grounding(evidence: Iterable[Evidence], article_text: str) -> GroundingCounts:
    """Grounding of a record's evidence. The tool aligned the model's quote and kept the
    article's own text with its offsets; where those offsets check out, its alignment says
    how the model's words were found (exact and normalized count as exact, fuzzy as fuzzy
    only). Evidence without verifiable offsets is looked up by its quote text."""
    exact = fuzzy = 0
    unverified: list[str] = []
    for item in evidence:
        verified = (
            item.alignment != "none"
            and item.start is not None
            and item.end is not None
            and article_text[item.start : item.end] == item.quote
        )
        if not verified:
            unverified.append(item.quote)
            continue
        fuzzy += 1
        exact += item.alignment in ("exact", "normalized")
    aligned = GroundingCounts(quotes=fuzzy, exact=exact, fuzzy=fuzzy)
    return aligned + grounding_counts(unverified, article_text)


def grounding_counts(quotes: Iterable[str], article_text: str) -> GroundingCounts:
    """How many quotes occur in the article: exactly after normalising whitespace and
    typographic quotes, and by fuzzy alignment (exact ones included). A quote that is
    blank after normalising counts as found by neither."""
    from rapidfuzz import fuzz

    article = normalize_quote_text(article_text)
    total = exact = fuzzy = 0
    for quote in quotes:
        total += 1
        needle = normalize_quote_text(quote)
        if not needle:
            continue
        if needle in article:
            exact += 1
            fuzzy += 1
        elif (
            len(needle) <= len(article)
            and fuzz.partial_ratio_alignment(needle, article, score_cutoff=FUZZY_QUOTE_THRESHOLD)
            is not None
        ):
            fuzzy += 1
    return GroundingCounts(quotes=total, exact=exact, fuzzy=fuzzy)


# --- A whole set --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleResult:
    """One gold article's score, with what producing its record cost."""

    score: ArticleScore
    has_record: bool
    usage: Usage
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.score.as_dict(),
            "has_record": self.has_record,
            "usage": self.usage.model_dump(),
            "seconds": self.seconds,
        }


@dataclass(frozen=True)
class EvalReport:
    articles: list[ArticleResult]
    total: SetScore
    usage: Usage
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": [article.as_dict() for article in self.articles],
            "total": {
                **self.total.as_dict(),
                "usage": self.usage.model_dump(),
                "seconds": self.seconds,
            },
        }


def pair_records(golds: Sequence[GoldArticle], records: Iterable[Record]) -> dict[str, Record]:
    """Each gold article's record: the one with its id, else the one with its text's hash."""
    by_id: dict[str, Record] = {}
    by_hash: dict[str, Record] = {}
    for record in records:
        by_id.setdefault(record.article_id, record)
        by_hash.setdefault(record.sha256, record)
    paired = {}
    for gold in golds:
        found = by_id.get(gold.id) or by_hash.get(text_sha256(gold.article_text))
        if found is not None:
            paired[gold.id] = found
    return paired


def evaluate_set(golds: Sequence[GoldArticle], records: Mapping[str, Record]) -> EvalReport:
    """Score every gold article; one without a record scores as an empty prediction."""
    results = []
    for gold in golds:
        record = records.get(gold.id)
        results.append(
            ArticleResult(
                score=score_article(gold, record),
                has_record=record is not None,
                usage=record.meta.usage if record else Usage(),
                seconds=record.meta.latency_seconds if record else 0.0,
            )
        )
    total_usage = Usage()
    for result in results:
        total_usage += result.usage
    return EvalReport(
        articles=results,
        total=micro_average(result.score for result in results),
        usage=total_usage,
        seconds=round(sum(result.seconds for result in results), 3),
    )


def load_records(path: str | Path) -> tuple[list[Record], list[SummarizerError]]:
    """Records from a JSONL file (one per line, as summarize or batch write them).

    A line that is not a valid record is reported (file and line) and skipped.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(str(path), "file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), f"cannot read the records: {error}") from None
    records: list[Record] = []
    problems: list[SummarizerError] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            records.append(Record.model_validate_json(line))
        except ValidationError as error:
            problems.append(
                InputError(f"{path}:{number}", f"not a valid record: {_describe(error)}")
            )
    return records, problems
