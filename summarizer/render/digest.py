"""Many briefs on one page: which records name an actor, and who appears where across them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from summarizer.names import contains_words, name_words
from summarizer.render.view import Brief, Claim, Party
from summarizer.schema import Actor, Record


def names_actor(record: Record, name: str) -> bool:
    """Whether one of the record's actors is `name`: the same words as its name or an alias
    once case, punctuation and titles are set aside ("mr altaf hussain" is "Altaf Hussain"),
    or all of its words inside the actor's name ("Hussain" is in "Altaf Hussain")."""
    wanted = name_words(name)
    if not wanted:
        return False
    return any(_is_named(actor, wanted) for actor in record.actors)


def _is_named(actor: Actor, wanted: tuple[str, ...]) -> bool:
    forms = [name_words(form) for form in (actor.name, *actor.aliases)]
    return wanted in forms or contains_words(forms[0], wanted)


def select_by_actor(records: Iterable[Record], name: str) -> list[Record]:
    return [record for record in records if names_actor(record, name)]


def actor_names(records: Iterable[Record]) -> Counter[str]:
    """Every actor's name, with the number of records naming it."""
    return Counter(
        name for record in records for name in dict.fromkeys(a.name for a in record.actors)
    )


@dataclass(frozen=True)
class Mention:
    """Where an index entry points: a brief, and the claim there when it is about one."""

    brief: Brief
    claim: Claim | None = None
    others: tuple[Party, ...] = ()  # the other side: accusers, accused
    text: str = ""  # what was denied


@dataclass
class IndexEntry:
    """One actor across the page, under the commonest form of its name."""

    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    appears: list[Brief] = field(default_factory=list)
    accused_by: list[Mention] = field(default_factory=list)
    accuses: list[Mention] = field(default_factory=list)
    denies: list[Mention] = field(default_factory=list)


def actor_index(briefs: Iterable[Brief]) -> list[IndexEntry]:
    """Actors across briefs, one entry per name (compared as words), the most present first.

    Only names are compared: "Altaf Hussain" in one article and "Mr Altaf Hussain" in
    another are one entry; "Hussain" alone is another, as the page cannot know they are
    one person.
    """
    entries: dict[tuple[str, ...], IndexEntry] = {}
    forms: dict[tuple[str, ...], Counter[str]] = {}
    for brief in briefs:
        keys: dict[str, tuple[str, ...]] = {}
        for person in brief.people:
            actor = person.actor
            key = name_words(actor.name) or (actor.name,)
            keys[actor.id] = key
            entry = entries.setdefault(key, IndexEntry(name=actor.name, kind=actor.kind))
            forms.setdefault(key, Counter())[actor.name] += 1
            if not entry.appears or entry.appears[-1] is not brief:
                entry.appears.append(brief)
            entry.aliases.extend(a for a in actor.aliases if a not in entry.aliases)
        for claim in brief.allegations:
            for party in claim.against:
                if party.id in keys:
                    entries[keys[party.id]].accused_by.append(Mention(brief, claim, claim.by))
            for party in claim.by:
                if party.id in keys:
                    entries[keys[party.id]].accuses.append(Mention(brief, claim, claim.against))
        for claim in brief.denials:
            for party in claim.by:
                if party.id in keys:
                    entries[keys[party.id]].denies.append(Mention(brief, claim, text=claim.text))
    for key, entry in entries.items():
        entry.name = forms[key].most_common(1)[0][0]
        entry.aliases = [a for a in entry.aliases if a != entry.name]
    return sorted(entries.values(), key=lambda e: (-len(e.appears), e.name.casefold()))
