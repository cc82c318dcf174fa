"""Actor resolution: every way an article names someone ("Kamal", "Mr Kamal", "Mustafa
Kamal", "the former mayor", "a ParkRight spokeswoman") resolves to one actor."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from summarizer.claims.lexicon import ACRONYM_SKIPS, HONORIFICS, TITLES
from summarizer.names import (
    ROLE_TAIL,
    Description,
    Words,
    contains_words,
    description,
    ends_with_words,
    name_words,
    spoken_for,
)
from summarizer.schema import Actor, ActorDraft, ActorKind, BriefDraft

# How close (rapidfuzz partial ratio, 0-100) a misspelled name must be to the article's.
SNAP_THRESHOLD = 85.0


def reference_words(name: str) -> Words:
    """A name as resolution compares it: scoring's rules plus more titles and honorifics,
    and without a possessive's "'s" ("Al Jazeera's documentary" names Al Jazeera)."""
    return name_words(_POSSESSIVE.sub("", name), TITLES, HONORIFICS)


def _own_aliases(draft: ActorDraft) -> list[str]:
    """The draft's aliases that are names of the actor itself. A small model lists a
    person's employer among their aliases ("Derek Hollins" alias "St. Aldric Children's
    Hospital Foundation"), which would merge the two and rename the person: a person's
    alias that is their affiliation, or that has three words or more and none of the
    name's, is not theirs."""
    if draft.kind != "person":
        return list(draft.aliases)
    name = set(reference_words(draft.name))
    affiliation = reference_words(draft.affiliation)
    return [
        alias
        for alias in draft.aliases
        if (words := reference_words(alias)) != affiliation
        and (len(words) < 3 or set(words) & name)
    ]


def _named_by_one_word(entry: _Entry, word: str) -> bool:
    if entry.kind == "person":
        return any(len(form) > 1 and word in form for form in entry.forms())
    return any(_opens_with(form, word) for form in [entry.name, *entry.aliases])


def _opens_with(form: str, word: str) -> bool:
    """Whether an organisation's name of two or more words opens with `word`, written
    as a word, not an acronym ("Kestrel Mobility", not "MQM Punjab")."""
    words = reference_words(form)
    return len(words) > 1 and words[0] == word and not form.split()[0].isupper()


def _acronym(words: Words) -> str:
    return "".join(word[0] for word in words if word not in ACRONYM_SKIPS)


def _role_head(role: str) -> Words:
    """The words that say what an actor is: "managing director of ParkRight" -> director."""
    return name_words(ROLE_TAIL.sub("", role))


def _role_ends_with(entry: _Entry, words: Words) -> bool:
    """Whether an actor's role ends with `words`: "the chief executive", "the operator"."""
    return ends_with_words(_role_head(entry.role), words)


def _kind_named(entry: _Entry, words: Words) -> bool:
    """Whether an organisation's name ends with the words: "the union" for the Harbour and
    Transport Workers' Union, "the procurement office" for City Hall Procurement Office."""
    name = reference_words(entry.name)
    return entry.kind != "person" and len(name) > len(words) and ends_with_words(name, words)


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
            table.add(draft)
        return table

    def add(self, draft: ActorDraft) -> int:
        """The index of the actor a draft names, merged into the one already listed that it
        names (by name or alias), or added."""
        aliases = _own_aliases(draft)
        index = self.find(draft.name)
        if index is None:
            for alias in aliases:
                index = self.find(alias)
                if index is not None:
                    break
        if index is None and draft.kind == "person":
            index = self._person_named_by_one_word_of(reference_words(draft.name))
        if index is None and draft.kind == "person":
            index = self._first_person_with_surname(reference_words(draft.name))
        if index is None:
            self._entries.append(
                _Entry(
                    name=draft.name.strip(),
                    kind=draft.kind,
                    role=draft.role.strip(),
                    affiliation=draft.affiliation.strip() or None,
                )
            )
            index = len(self._entries) - 1
        entry = self._entries[index]
        entry.absorb(draft.name, aliases)
        entry.role = entry.role or draft.role.strip()
        entry.affiliation = entry.affiliation or draft.affiliation.strip() or None
        return index

    def find(self, reference: str, *, exact: bool = False) -> int | None:
        """The index of the one actor a reference names, or None. `exact`: only by one of
        its forms, as for an unnamed source ("sources in MQM Punjab" is not the MQM Punjab
        president whose alias is "MQM Punjab")."""
        words = reference_words(reference)
        if not words:
            return None
        described = description(reference)
        rules: list[Callable[[], list[int]]] = [
            lambda: self._same_form(words),
            lambda: self._same_acronym(words),
            lambda: self._same_word(words),
            # Before containment: "Alwyn Harbour Terminals' chief executive" is a person.
            lambda: self._described(described) if described is not None else [],
            lambda: self._contained(words),
        ]
        for rule in rules[:1] if exact else rules:
            matches = rule()
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                return None  # ambiguous: a later, looser rule must not guess either
        return None

    def resolve(
        self, reference: str, kind: ActorKind = "person", *, exact: bool = False
    ) -> str | None:
        """The id of the actor a reference names, adding a new actor when none does."""
        words = reference_words(reference)
        if not words:
            return None
        index = self.find(reference, exact=exact)
        if index is None and kind == "person" and 2 <= len(words) <= 4:
            # "Benedikt Sorell" after "Mr. Sorell" was added: the fuller name of one person.
            index = self._person_named_by_one_word_of(words[-1:])
            if index is not None:
                self._entries[index].absorb(reference)
        if index is None and not exact:
            spokesperson_of = spoken_for(reference)
            if spokesperson_of[:1].isupper():
                # "A spokeswoman for ParkRight", and ParkRight not listed yet: its word.
                return self.resolve(spokesperson_of, "organization")
        if index is None:
            self._entries.append(_Entry(reference.strip(), kind, "", None))
            index = len(self._entries) - 1
        return actor_id(index)

    def find_in(self, phrase: str, head: str = "") -> int | None:
        """The one actor a phrase names, wherever in it: the phrase as a reference first,
        then the actor named at its head word ("ZDF's undercover journalist, Mr. Markus
        Harm" -> Markus Harm), then the one actor named anywhere in it."""
        index = self.find(phrase)
        if index is not None:
            return index
        mentioned = self.mentions(phrase)
        head_words = reference_words(head)
        if head_words:
            at_head = [i for _, end, i in mentioned if _ends_in(phrase[:end], head_words)]
            if len(set(at_head)) == 1:
                return at_head[0]
        named = {i for _, _, i in mentioned}
        return named.pop() if len(named) == 1 else None

    def mentions(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, actor index) of every place `text` names an actor by one of its
        forms, or a person by one word of their full name; in order, longest first where
        two overlap."""
        tokens = [(m.start(), m.end(), reference_words(m.group())) for m in _TOKEN.finditer(text)]
        words = [(start, end, w) for start, end, ws in tokens for w in ws]
        found: list[tuple[int, int, int]] = []
        for index, entry in enumerate(self._entries):
            forms = set(entry.forms())
            if entry.kind == "person":
                forms |= {
                    (w,) for form in entry.forms() if len(form) > 1 for w in form if len(w) > 2
                }
            for form in forms:
                size = len(form)
                for i in range(len(words) - size + 1):
                    if tuple(w for _, _, w in words[i : i + size]) == form:
                        found.append((words[i][0], words[i + size - 1][1], index))
        found.sort(key=lambda hit: (hit[0], -(hit[1] - hit[0])))
        kept: list[tuple[int, int, int]] = []
        for hit in found:
            if kept and hit[0] < kept[-1][1]:
                continue
            kept.append(hit)
        return kept

    def holds_word(self, index: int, word: str) -> bool:
        """Whether an actor's name, aliases or role hold the word ("group": Adani Group)."""
        entry = self._entries[index]
        forms = [*entry.forms(), reference_words(entry.role)]
        return any(word in form for form in forms)

    def kind(self, index: int) -> ActorKind:
        return self._entries[index].kind

    def name(self, index: int) -> str:
        return self._entries[index].name

    def names(self) -> list[str]:
        return [entry.name for entry in self._entries]

    def __len__(self) -> int:
        return len(self._entries)

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
        # "Qaimkhani" or "Wasay" for a person whose full name holds that word; "Kestrel"
        # or "Brightwater" for an organisation whose name it opens, unless that word is an
        # acronym: "MQM Punjab" is a chapter of the MQM, not the MQM.
        if len(words) != 1 or len(words[0]) < 3:
            return []
        return [i for i, e in enumerate(self._entries) if _named_by_one_word(e, words[0])]

    def _person_named_by_one_word_of(self, words: Words) -> int | None:
        # "Kamal" listed before "Mustafa Kamal". Only between people: "Altaf loyalists"
        # is a group, not Altaf.
        matches = [
            i
            for i, e in enumerate(self._entries)
            if e.kind == "person" and any(len(f) == 1 and f[0] in words for f in e.forms())
        ]
        return matches[0] if len(matches) == 1 else None

    def _first_person_with_surname(self, words: Words) -> int | None:
        """A surname alone that two people share ("Varadan" for Nikhil and Anika Varadan)
        names the one the article introduced first: news calls the others by their first
        names."""
        if len(words) != 1:
            return None
        sharing = [
            i
            for i, e in enumerate(self._entries)
            if e.kind == "person" and any(len(f) > 1 and f[-1] == words[0] for f in e.forms())
        ]
        return sharing[0] if len(sharing) > 1 else None

    def _described(self, described: Description) -> list[int]:
        # "the mayor": the one actor that is the mayor. With several, the one whose own
        # words hold the owner's ("Tessaline's chief executive"). "Kamal's group" is not
        # any group: an organisation's name fits only with the owner in it.
        owner = reference_words(described.owner)
        entries = list(enumerate(self._entries))
        matches = [i for i, e in entries if _role_ends_with(e, described.words)]
        matches += [
            i
            for i, e in entries
            if i not in matches
            and _kind_named(e, described.words)
            and (not owner or self._holds(i, owner))
        ]
        if len(matches) > 1 and owner:
            matches = [i for i in matches if self._holds(i, owner)]
        if not matches and spoken_for(described):
            # "A spokeswoman for ParkRight" said it, without a name: ParkRight's word.
            speaks_for = self.find(described.owner)
            return [speaks_for] if speaks_for is not None else []
        return matches

    def _holds(self, index: int, words: Words) -> bool:
        entry = self._entries[index]
        affiliation = reference_words(entry.affiliation or "")
        own = [*entry.forms(), reference_words(entry.role), affiliation]
        return any(contains_words(form, words) for form in own)

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


_TOKEN = re.compile(r"\S+")
# A possessive's ending after a word: "Al Jazeera's", "ZDF\u2019s".
_POSSESSIVE = re.compile(r"(?<=\w)['\u2019]s\b")


def _ends_in(text: str, words: Words) -> bool:
    """Whether the words of `text` end with `words`."""
    return ends_with_words(reference_words(text), words[-1:])


def actor_id(index: int) -> str:
    return f"A{index + 1}"


def snap_name(name: str, article: str) -> str:
    """The name as the article writes it. A small model may misspell a name it copies
    ("Anees Qaimkh\u0101" for "Anees Qaimkhani"): a name the article does not contain is
    replaced by the closest whole-word span of the article when that is close enough;
    otherwise it is kept as the model wrote it."""
    from rapidfuzz import fuzz

    name = name.strip()
    folded = article.lower()
    if not name or name.lower() in folded or len(folded) != len(article):
        return name
    match = fuzz.partial_ratio_alignment(name.lower(), folded, score_cutoff=SNAP_THRESHOLD)
    if match is None:
        return name
    start, end = match.dest_start, match.dest_end
    while start > 0 and article[start - 1].isalnum():
        start -= 1
    while end < len(article) and article[end].isalnum():
        end += 1
    span = article[start:end].strip()
    # A span much longer than the name, or across lines, would rename it rather than spell it.
    if not span or "\n" in span or len(span) > 1.5 * len(name):
        return name
    return span


def snap_names(draft: BriefDraft, article: str) -> BriefDraft:
    """The draft with every actor name, alias and reference spelled as in the article."""

    def snap(names: list[str]) -> list[str]:
        return [snap_name(name, article) for name in names]

    return draft.model_copy(
        update={
            "actors": [
                actor.model_copy(
                    update={"name": snap_name(actor.name, article), "aliases": snap(actor.aliases)}
                )
                for actor in draft.actors
            ],
            "allegations": [
                item.model_copy(
                    update={"made_by": snap(item.made_by), "against": snap(item.against)}
                )
                for item in draft.allegations
            ],
            "denials": [
                item.model_copy(update={"denied_by": snap(item.denied_by)})
                for item in draft.denials
            ],
        }
    )
