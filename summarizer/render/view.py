"""What one article's brief shows, worked out once for the Markdown and the HTML renderers.

Pure functions of a record: the claims with the denials that answer them beneath, which
items are unverified and why, model text cut back to whole words, one colour per actor,
and the article's text cut into runs, each knowing which claims cite it.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, get_args

from pydantic import StringConstraints

from summarizer.schema import (
    Actor,
    Allegation,
    Clause,
    Denial,
    Evidence,
    Headline,
    Paragraph,
    Point,
    Record,
)

# Distinct colours an article's actors take in turn (the stylesheet defines c0..c7).
PALETTE_SIZE = 8
ELLIPSIS = "\u2026"
# What a finished sentence ends with: a string that ends so was not cut off.
_FINISHED = frozenset(".!?\"'\u201d\u2019)]")


def bound_of(annotated: Any) -> int:
    """The max_length a schema string type declares (Point -> 160)."""
    for item in get_args(annotated)[1:]:
        if isinstance(item, StringConstraints) and item.max_length is not None:
            return item.max_length
    raise ValueError(f"{annotated!r} declares no max_length")


HEADLINE_BOUND = bound_of(Headline)
SUMMARY_BOUND = bound_of(Paragraph)
POINT_BOUND = bound_of(Point)
CLAUSE_BOUND = bound_of(Clause)


def whole_words(value: str, bound: int) -> str:
    """Model text that ran into its length bound, cut back to its last whole word.

    The grammar stops a string at `bound` wherever that falls ("... and Anees Qaimkh\u0101").
    It counts the string as JSON, so one with escaped characters stops a few characters
    short. A string that fits within its bound but reaches it as JSON was cut, unless it
    ends a sentence; an ellipsis shows the cut. Where the cut fell on the bound itself, the
    last word is taken to be broken and dropped (a whole word may go with it: never half of
    one). Anything else is returned with its whitespace folded.
    """
    folded = " ".join(value.split())
    if not folded or not len(value) <= bound <= len(json.dumps(value)) - 2:
        return folded
    if folded[-1] in _FINISHED:
        return folded
    head, _, _last = folded.rpartition(" ")
    if head and len(value) >= bound:
        folded = head
    return folded.rstrip(" ,;:-\u2013\u2014") + ELLIPSIS


@dataclass(frozen=True)
class Party:
    """An actor as a claim names it."""

    id: str
    name: str
    colour: int | None  # None: the id is not one of the record's actors


@dataclass(frozen=True)
class Person:
    """A row of the who's-who table."""

    actor: Actor
    colour: int


@dataclass(frozen=True)
class Quote:
    """One piece of evidence; `start` is set only where it indexes the article's text."""

    sentence: int | None
    text: str
    start: int | None
    end: int | None
    found: bool  # grounding found it in the text (the record says so, text or not)
    loose: bool  # found only by fuzzy matching
    repeats: bool  # the claim is worded as this very sentence: no need to quote it again


@dataclass(frozen=True)
class Claim:
    """An allegation or a denial, ready to show."""

    id: str
    kind: Literal["allegation", "denial"]
    by: tuple[Party, ...]
    against: tuple[Party, ...]
    source: str  # how an unnamed source is described: "anonymous: MQM Punjab sources"
    text: str
    quotes: tuple[Quote, ...]
    unverified: str  # why it is not verified; "" when it is
    answers: tuple[Claim, ...] = ()  # for an allegation: the denials that answer it

    @property
    def colour(self) -> int | None:
        return self.by[0].colour if self.by else None

    @property
    def first_start(self) -> int | None:
        """Where its first highlighted evidence starts in the text, if anywhere."""
        return next((q.start for q in self.quotes if q.start is not None), None)


@dataclass(frozen=True)
class Run:
    """A stretch of one paragraph of the article; `cites` are the ids of the claims citing
    it, the first one's maker giving its colour. `anchor` marks where evidence starts."""

    text: str
    start: int
    cites: tuple[str, ...] = ()
    colour: int | None = None
    anchor: bool = False


@dataclass(frozen=True)
class Brief:
    """One record as a brief: `key` prefixes its element ids in a page of many."""

    number: int
    key: str
    record: Record
    headline: str
    summary: str
    key_points: tuple[str, ...]
    people: tuple[Person, ...]
    allegations: tuple[Claim, ...]
    other_denials: tuple[Claim, ...]  # denials that answer no allegation

    @cached_property
    def paragraphs(self) -> tuple[tuple[Run, ...], ...] | None:
        """The text cut into cited runs (only the page needs it); None without a text."""
        text = self.record.text
        return None if text is None else cut_text(text, (*self.allegations, *self.denials))

    @property
    def denials(self) -> tuple[Claim, ...]:
        """Every denial once, those answering allegations first."""
        seen: dict[str, Claim] = {}
        for claim in (*(d for a in self.allegations for d in a.answers), *self.other_denials):
            seen.setdefault(claim.id, claim)
        return tuple(seen.values())

    def home_of(self, denial_id: str) -> str | None:
        """The allegation under which a denial answering several is shown first."""
        return next(
            (a.id for a in self.allegations if any(d.id == denial_id for d in a.answers)), None
        )

    @property
    def unverified_count(self) -> int:
        return sum(bool(claim.unverified) for claim in (*self.allegations, *self.denials))


def brief_of(record: Record, number: int = 1) -> Brief:
    """The brief of one record (the `number`th of a page)."""
    text = record.text
    colours = {actor.id: index % PALETTE_SIZE for index, actor in enumerate(record.actors)}
    names = {actor.id: actor.name for actor in record.actors}

    def parties(ids: list[str]) -> tuple[Party, ...]:
        return tuple(Party(i, names.get(i, i), colours.get(i)) for i in ids)

    def quotes(evidence: list[Evidence], claim: str) -> tuple[Quote, ...]:
        return tuple(_quote(item, text, claim) for item in evidence)

    denials = {
        denial.id: Claim(
            id=denial.id,
            kind="denial",
            by=parties(denial.denied_by),
            against=(),
            source="",
            text=whole_words(denial.content, CLAUSE_BOUND),
            quotes=quotes(denial.evidence, denial.content),
            unverified=_unverified(denial),
        )
        for denial in record.denials
    }
    allegation_ids = {allegation.id for allegation in record.allegations}
    allegations = tuple(
        Claim(
            id=allegation.id,
            kind="allegation",
            by=parties(allegation.made_by),
            against=parties(allegation.against),
            source=_source(allegation, names),
            text=whole_words(allegation.claim, CLAUSE_BOUND),
            quotes=quotes(allegation.evidence, allegation.claim),
            unverified=_unverified(allegation),
            answers=tuple(denials[d.id] for d in record.denials if allegation.id in d.responds_to),
        )
        for allegation in record.allegations
    )
    other_denials = tuple(
        denials[d.id] for d in record.denials if not allegation_ids & set(d.responds_to)
    )
    return Brief(
        number=number,
        key=f"a{number}",
        record=record,
        headline=whole_words(record.headline, HEADLINE_BOUND),
        summary=whole_words(record.summary, SUMMARY_BOUND),
        key_points=_once(whole_words(point, POINT_BOUND) for point in record.key_points),
        people=tuple(Person(actor, colours[actor.id]) for actor in record.actors),
        allegations=allegations,
        other_denials=other_denials,
    )


def _once(points: Iterable[str]) -> tuple[str, ...]:
    """Each key point once: a small model repeats itself ("X accused Y" five times)."""
    seen: dict[str, str] = {}
    for point in points:
        if point:
            seen.setdefault(point.casefold(), point)
    return tuple(seen.values())


def _quote(evidence: Evidence, text: str | None, claim: str) -> Quote:
    start, end = evidence.start, evidence.end
    # Offsets are trusted only where they give the quote back from this very text.
    if text is None or start is None or end is None or text[start:end] != evidence.quote:
        start = end = None
    quoted = " ".join(evidence.quote.split())
    return Quote(
        sentence=evidence.sentence,
        text=quoted,
        start=start,
        end=end,
        found=evidence.alignment != "none" and evidence.start is not None,
        loose=evidence.alignment == "fuzzy",
        repeats=quoted == " ".join(claim.split()),
    )


def _unverified(item: Allegation | Denial) -> str:
    if not item.grounded:
        return "its citations did not hold"
    if not item.supported:
        return "the sentences it cites name none of its actors"
    return ""


def _source(allegation: Allegation, names: dict[str, str]) -> str:
    """How the allegation's source is described, when it is not named."""
    if allegation.attribution == "named":
        return ""
    described = " ".join((allegation.source_description or "").split())
    given = {names.get(i, i).casefold() for i in allegation.made_by}
    if described and described.casefold() not in given:
        return f"{allegation.attribution}: {described}"
    return allegation.attribution


def cut_text(text: str, claims: tuple[Claim, ...]) -> tuple[tuple[Run, ...], ...]:
    """The text as paragraphs (its non-blank lines), each cut into runs where cited
    evidence starts or ends."""
    spans = [
        (quote.start, quote.end, claim.id, claim.colour)
        for claim in claims
        for quote in claim.quotes
        if quote.start is not None and quote.end is not None and quote.end > quote.start
    ]
    starts = {start for start, _, _, _ in spans}
    paragraphs = []
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        if line.strip():
            cuts = sorted(
                {line_start, line_end}
                | {edge for s, e, _, _ in spans for edge in (s, e) if line_start < edge < line_end}
            )
            runs = []
            for begin, finish in itertools.pairwise(cuts):
                covering = [(i, c) for s, e, i, c in spans if s <= begin < e]
                cites = tuple(dict.fromkeys(i for i, _ in covering))
                runs.append(
                    Run(
                        text=text[begin:finish],
                        start=begin,
                        cites=cites,
                        colour=covering[0][1] if covering else None,
                        anchor=begin in starts,
                    )
                )
            paragraphs.append(tuple(runs))
        line_start = line_end + 1
    return tuple(paragraphs)
