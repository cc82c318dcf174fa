"""From the model's draft to a record: quotes located in the text, names resolved to actors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from summarizer.names import GOLD_TITLES, Words, contains_words, name_words
from summarizer.schema import (
    Actor,
    ActorDraft,
    ActorKind,
    Allegation,
    BriefDraft,
    Denial,
    Evidence,
)

FUZZY_THRESHOLD = 90.0
# Resolution drops more titles than scoring does, and honorifics after a name.
TITLES = GOLD_TITLES | {"miss", "sen", "prof", "professor", "gen", "col", "capt"}
HONORIFICS = frozenset({"bhai", "sahib", "saheb", "sahab", "ji", "jr", "sr"})
_TYPOGRAPHIC = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"'}
)
_QUOTE_MARKS = "\"'\u2018\u2019\u201c\u201d"
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "de", "al"})


# --- Quotes -> offsets ------------------------------------------------------------------


def align_quote(article: str, quote: str) -> Evidence:
    """Find the model's quote in the article: exactly, after normalising, or fuzzily."""
    quote = quote.strip().strip(_QUOTE_MARKS).strip(" .\u2026").strip()
    if not quote:
        return Evidence(quote=quote, start=None, end=None, alignment="none")
    start = article.find(quote)
    if start >= 0:
        return Evidence(quote=quote, start=start, end=start + len(quote), alignment="exact")
    folded, positions = _fold_with_positions(article)
    folded_quote, _ = _fold_with_positions(quote)
    found = folded.find(folded_quote)
    if found >= 0 and folded_quote:
        begin, end = positions[found], positions[found + len(folded_quote) - 1] + 1
        return Evidence(quote=article[begin:end], start=begin, end=end, alignment="normalized")
    from rapidfuzz import fuzz

    match = fuzz.partial_ratio_alignment(folded_quote, folded, score_cutoff=FUZZY_THRESHOLD)
    if match is None or match.dest_end <= match.dest_start:
        return Evidence(quote=quote, start=None, end=None, alignment="none")
    begin, end = positions[match.dest_start], positions[match.dest_end - 1] + 1
    return Evidence(quote=article[begin:end], start=begin, end=end, alignment="fuzzy")


def _fold_with_positions(text: str) -> tuple[str, list[int]]:
    """Whitespace runs to one space, typographic quotes to ASCII; each char's origin."""
    chars: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text.translate(_TYPOGRAPHIC)):
        if char.isspace():
            if not chars or chars[-1] == " ":
                continue
            char = " "
        chars.append(char)
        positions.append(index)
    while chars and chars[-1] == " ":
        chars.pop()
        positions.pop()
    return "".join(chars), positions


# --- Names -> actors ----------------------------------------------------------------------


def reference_words(name: str) -> Words:
    """A name as resolution compares it: scoring's rules plus more titles and honorifics."""
    return name_words(name, TITLES, HONORIFICS)


def _acronym(words: Words) -> str:
    return "".join(word[0] for word in words if word not in _ACRONYM_SKIP)


@dataclass
class _Entry:
    name: str
    kind: ActorKind
    role: str
    affiliation: str | None
    aliases: list[str] = field(default_factory=list)

    def forms(self) -> list[Words]:
        return [w for w in (reference_words(f) for f in [self.name, *self.aliases]) if w]

    def absorb(self, name: str, aliases: Iterable[str] = ()) -> None:
        for form in [name, *aliases]:
            if len(reference_words(form)) > len(reference_words(self.name)):
                self.name, form = form, self.name
            # Aliases keep every surface form the article uses ("Mr Kamal" and "Kamal").
            known = {f.strip().casefold() for f in [self.name, *self.aliases]}
            if form.strip() and form.strip().casefold() not in known:
                self.aliases.append(form.strip())


class ActorTable:
    """The actors of one brief. Every reference resolves to exactly one entry."""

    def __init__(self) -> None:
        self._entries: list[_Entry] = []

    @classmethod
    def from_drafts(cls, drafts: Iterable[ActorDraft]) -> ActorTable:
        table = cls()
        for draft in drafts:
            index = table.find(draft.name)
            if index is None:
                for alias in draft.aliases:
                    index = table.find(alias)
                    if index is not None:
                        break
            if index is None and draft.kind == "person":
                index = table._person_named_by_one_word_of(reference_words(draft.name))
            if index is None:
                table._entries.append(
                    _Entry(
                        name=draft.name.strip(),
                        kind=draft.kind,
                        role=draft.role.strip(),
                        affiliation=draft.affiliation.strip() or None,
                    )
                )
                index = len(table._entries) - 1
            entry = table._entries[index]
            entry.absorb(draft.name, draft.aliases)
            entry.role = entry.role or draft.role.strip()
            entry.affiliation = entry.affiliation or draft.affiliation.strip() or None
        return table

    def find(self, reference: str) -> int | None:
        """The index of the one actor a reference names, or None."""
        words = reference_words(reference)
        if not words:
            return None
        for rule in (self._same_form, self._same_acronym, self._same_word, self._contained):
            matches = rule(words)
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                return None  # ambiguous: a later, looser rule must not guess either
        return None

    def resolve(self, reference: str, kind: ActorKind = "person") -> str | None:
        """The id of the actor a reference names, adding a new actor when none does."""
        if not reference_words(reference):
            return None
        index = self.find(reference)
        if index is None:
            self._entries.append(_Entry(reference.strip(), kind, "", None))
            index = len(self._entries) - 1
        return actor_id(index)

    def actors(self) -> list[Actor]:
        return [
            Actor(
                id=actor_id(index),
                name=entry.name,
                kind=entry.kind,
                role=entry.role,
                affiliation=entry.affiliation,
                aliases=entry.aliases,
            )
            for index, entry in enumerate(self._entries)
        ]

    def _same_form(self, words: Words) -> list[int]:
        return [i for i, e in enumerate(self._entries) if words in e.forms()]

    def _same_acronym(self, words: Words) -> list[int]:
        if len(words) != 1 or len(words[0]) < 2:
            return []
        return [
            i
            for i, e in enumerate(self._entries)
            if any(len(f) > 1 and _acronym(f) == words[0] for f in e.forms())
        ]

    def _same_word(self, words: Words) -> list[int]:
        # "Qaimkhani" or "Wasay" for a person whose full name holds that word.
        if len(words) != 1 or len(words[0]) < 3:
            return []
        return [
            i
            for i, e in enumerate(self._entries)
            if e.kind == "person" and any(len(f) > 1 and words[0] in f for f in e.forms())
        ]

    def _person_named_by_one_word_of(self, words: Words) -> int | None:
        # "Kamal" listed before "Mustafa Kamal". Only between people: "Altaf loyalists"
        # is a group, not Altaf.
        matches = [
            i
            for i, e in enumerate(self._entries)
            if e.kind == "person" and any(len(f) == 1 and f[0] in words for f in e.forms())
        ]
        return matches[0] if len(matches) == 1 else None

    def _contained(self, words: Words) -> list[int]:
        # Two or more words standing whole inside a longer form, or the other way round.
        if len(words) < 2:
            return []
        return [
            i
            for i, e in enumerate(self._entries)
            if any(
                (len(f) >= 2 and contains_words(words, f)) or contains_words(f, words)
                for f in e.forms()
            )
        ]


def actor_id(index: int) -> str:
    return f"A{index + 1}"


# --- The record's items -------------------------------------------------------------------


def ground_brief(
    article: str, draft: BriefDraft
) -> tuple[list[Actor], list[Allegation], list[Denial]]:
    """Actors, allegations and denials with ids, resolved references and located quotes."""
    table = ActorTable.from_drafts(draft.actors)
    allegations = []
    for number, item in enumerate(draft.allegations, start=1):
        source_kind: ActorKind = "person" if item.attribution == "named" else "group"
        made_by = _unique(table.resolve(name, source_kind) for name in item.made_by)
        against = _unique(table.resolve(name) for name in item.against)
        evidence = [align_quote(article, quote) for quote in item.evidence if quote.strip()]
        attribution = item.attribution
        if attribution == "named" and not made_by:
            attribution = "unattributed"
        allegations.append(
            Allegation(
                id=f"AL{number}",
                claim=item.claim.strip(),
                made_by=made_by,
                against=against,
                attribution=attribution,
                source_description=(item.source.strip() or None)
                if attribution != "named"
                else None,
                evidence=evidence,
                grounded=_grounded(evidence),
            )
        )
    denials = []
    for number, denial_item in enumerate(draft.denials, start=1):
        denied_by = _unique(table.resolve(name) for name in denial_item.denied_by)
        evidence = [align_quote(article, q) for q in denial_item.evidence if q.strip()]
        denials.append(
            Denial(
                id=f"D{number}",
                denied_by=denied_by,
                responds_to=[a.id for a in allegations if set(a.against) & set(denied_by)],
                content=denial_item.content.strip(),
                evidence=evidence,
                grounded=_grounded(evidence),
            )
        )
    return table.actors(), allegations, denials


def _grounded(evidence: list[Evidence]) -> bool:
    return bool(evidence) and all(item.alignment != "none" for item in evidence)


def _unique(ids: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(i for i in ids if i is not None))
