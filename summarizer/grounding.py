"""From the model's draft to a record: citations to exact quotes, names resolved to actors."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from pydantic import Field, WithJsonSchema, create_model, model_validator

from summarizer.names import (
    GOLD_TITLES,
    ROLE_TAIL,
    Description,
    Words,
    contains_words,
    description,
    ends_with_words,
    name_words,
    spoken_for,
)
from summarizer.schema import (
    Actor,
    ActorDraft,
    ActorKind,
    Allegation,
    AllegationDraft,
    BriefDraft,
    ClaimsDraft,
    Denial,
    DenialDraft,
    Evidence,
)
from summarizer.sentences import Sentence

# Resolution drops more titles than scoring does, and honorifics after a name.
TITLES = GOLD_TITLES | {"miss", "sen", "prof", "professor", "gen", "col", "capt"}
HONORIFICS = frozenset({"bhai", "sahib", "saheb", "sahab", "ji", "jr", "sr"})
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "de", "al"})
MAX_CITATIONS = 3
# How close (rapidfuzz partial ratio, 0-100) a misspelled name must be to the article's.
SNAP_THRESHOLD = 85.0
# Words that stand for someone without naming them: never a reference on their own.
NOT_NAMES = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "him",
        "her",
        "them",
        "his",
        "hers",
        "their",
        "we",
        "us",
        "i",
        "you",
        "someone",
        "somebody",
        "anyone",
        "nobody",
        "none",
        "unknown",
        "unnamed",
        "others",
        "other",
        "n",
        "a",
        "na",
    ]
)


# --- The answer the model may give for one article -------------------------------------------


def draft_model_for(sentences: Sequence[Sentence]) -> type[BriefDraft]:
    """BriefDraft for one article, asked for in one pass. See `_checked_model`."""
    return _checked_model(BriefDraft, sentences, lambda draft: draft.actors)


def claims_model_for(
    sentences: Sequence[Sentence], actors: Sequence[ActorDraft]
) -> type[ClaimsDraft]:
    """ClaimsDraft for one article's second pass, the actors known from the first."""
    return _checked_model(ClaimsDraft, sentences, lambda draft: actors)


Claims = TypeVar("Claims", bound=ClaimsDraft)


def _checked_model(
    base: type[Claims],
    sentences: Sequence[Sentence],
    actors_of: Callable[[Claims], Sequence[ActorDraft]],
) -> type[Claims]:
    """`base` for one article: citations must be its sentence numbers, at least one per
    allegation and denial, and every name an actor or a name the article uses.

    The JSON schema carries the valid numbers as an enum, so a grammar-constrained engine
    cannot cite a sentence that does not exist; engines that do not enforce the schema get
    the same rules as validation errors, which instructor sends back as a re-ask.
    """
    count = len(sentences)
    article_words = name_words(" ".join(s.text for s in sentences))
    citation = Annotated[
        int, WithJsonSchema({"type": "integer", "enum": list(range(1, count + 1))})
    ]
    citations: Any = (
        list[citation],
        Field(
            min_length=1,
            max_length=MAX_CITATIONS,
            description="Numbers of the sentences that say it.",
        ),
    )
    allegation = create_model("AllegationDraft", __base__=AllegationDraft, sentences=citations)
    denial = create_model("DenialDraft", __base__=DenialDraft, sentences=citations)

    def check(draft: Claims) -> Claims:
        problems = citation_problems(draft, count)
        problems += reference_problems(draft, actors_of(draft), article_words)
        if problems:
            raise ValueError("; ".join(problems))
        return draft

    model: type[Claims] = create_model(
        base.__name__,
        __base__=base,
        __validators__={"check_against_the_article": model_validator(mode="after")(check)},  # type: ignore[dict-item]
        allegations=(list[allegation], Field(max_length=6)),
        denials=(list[denial], Field(max_length=4)),
    )
    return model


def citation_problems(draft: ClaimsDraft, sentence_count: int) -> list[str]:
    problems = []
    groups: list[tuple[str, Sequence[AllegationDraft | DenialDraft]]] = [
        ("allegations", draft.allegations),
        ("denials", draft.denials),
    ]
    for kind, items in groups:
        for index, item in enumerate(items):
            if not item.sentences:
                problems.append(
                    f"{kind}[{index}].sentences is empty: cite the sentences that say it"
                )
            bad = [n for n in item.sentences if not 1 <= n <= sentence_count]
            if bad:
                problems.append(
                    f"{kind}[{index}].sentences: {', '.join(map(str, bad))} not a sentence "
                    f"number; the article has sentences 1 to {sentence_count}"
                )
    return problems


def reference_problems(
    draft: ClaimsDraft, actors: Sequence[ActorDraft], article_words: Words
) -> list[str]:
    """Names that are neither one of the actors nor words of the article."""
    table = ActorTable.from_drafts(actors)
    problems = []
    sides: list[tuple[str, list[str]]] = []
    for index, allegation in enumerate(draft.allegations):
        sides += [(f"allegations[{index}].made_by", allegation.made_by)]
        sides += [(f"allegations[{index}].against", allegation.against)]
    for index, denial in enumerate(draft.denials):
        sides += [(f"denials[{index}].denied_by", denial.denied_by)]
    for where, names in sides:
        for name in names:
            words = reference_words(name)
            in_article = contains_words(article_words, words) and not set(words) <= NOT_NAMES
            if table.find(name) is None and not in_article:
                problems.append(
                    f"{where}: {name!r} is not one of the actors and not a name in the article; "
                    "use a name the article uses"
                )
    return problems


# --- Names -> actors ----------------------------------------------------------------------


def reference_words(name: str) -> Words:
    """A name as resolution compares it: scoring's rules plus more titles and honorifics."""
    return name_words(name, TITLES, HONORIFICS)


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
    return "".join(word[0] for word in words if word not in _ACRONYM_SKIP)


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
            aliases = _own_aliases(draft)
            index = table.find(draft.name)
            if index is None:
                for alias in aliases:
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
            entry.absorb(draft.name, aliases)
            entry.role = entry.role or draft.role.strip()
            entry.affiliation = entry.affiliation or draft.affiliation.strip() or None
        return table

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


def actor_id(index: int) -> str:
    return f"A{index + 1}"


# --- The record's items -------------------------------------------------------------------


def ground_brief(
    draft: BriefDraft, sentences: Sequence[Sentence], *, strict: bool = False
) -> tuple[list[Actor], list[Allegation], list[Denial]]:
    """Actors, allegations and denials with ids, resolved references and cited evidence.

    An item whose citations are missing or invalid is kept with `grounded: false`, or
    dropped when `strict`.
    """
    draft = snap_names(draft, "\n".join(sentence.text for sentence in sentences))
    table = ActorTable.from_drafts(draft.actors)
    allegations: list[Allegation] = []
    seen: set[tuple[object, ...]] = set()
    for item in draft.allegations:
        by_name = item.attribution == "named"
        made_by = _unique(
            table.resolve(name, "person" if by_name else "group", exact=not by_name)
            for name in item.made_by
        )
        # An allegation is about someone else: small models echo the source as the target.
        against = [
            i for i in _unique(table.resolve(name) for name in item.against) if i not in made_by
        ]
        evidence, grounded = cite(item.sentences, sentences)
        key = ("allegation", tuple(made_by), tuple(against), tuple(item.sentences))
        if (strict and not grounded) or key in seen:
            continue
        seen.add(key)
        attribution = item.attribution
        if attribution == "named" and not made_by:
            attribution = "unattributed"
        allegations.append(
            Allegation(
                id=f"AL{len(allegations) + 1}",
                claim=_stated(item.claim, evidence),
                made_by=made_by,
                against=against,
                attribution=attribution,
                source_description=(item.source.strip() or None)
                if attribution != "named"
                else None,
                evidence=evidence,
                grounded=grounded,
                supported=False,
            )
        )
    denials: list[Denial] = []
    for denial_item in draft.denials:
        denied_by = _unique(table.resolve(name) for name in denial_item.denied_by)
        evidence, grounded = cite(denial_item.sentences, sentences)
        key = ("denial", tuple(denied_by), (), tuple(denial_item.sentences))
        if (strict and not grounded) or key in seen:
            continue
        seen.add(key)
        denials.append(
            Denial(
                id=f"D{len(denials) + 1}",
                denied_by=denied_by,
                responds_to=[a.id for a in allegations if set(a.against) & set(denied_by)],
                content=_stated(denial_item.content, evidence),
                evidence=evidence,
                grounded=grounded,
                supported=False,
            )
        )
    actors = table.actors()
    by_id = {actor.id: actor for actor in actors}
    for allegation in allegations:
        named = [by_id[i] for i in allegation.made_by + allegation.against]
        allegation.supported = mentions_any(allegation.evidence, named)
    for denial in denials:
        denial.supported = mentions_any(denial.evidence, [by_id[i] for i in denial.denied_by])
    return actors, allegations, denials


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


def cite(numbers: Iterable[int], sentences: Sequence[Sentence]) -> tuple[list[Evidence], bool]:
    """Cited sentence numbers as evidence with exact quotes and offsets; whether all were
    valid (and there was at least one)."""
    evidence = []
    valid = True
    for number in dict.fromkeys(numbers):
        if not 1 <= number <= len(sentences):
            valid = False
            continue
        sentence = sentences[number - 1]
        evidence.append(
            Evidence(
                sentence=number,
                quote=sentence.text,
                start=sentence.start,
                end=sentence.end,
                alignment="exact",
            )
        )
    return evidence, valid and bool(evidence)


def mentions_any(evidence: Iterable[Evidence], actors: Iterable[Actor]) -> bool:
    """Whether the evidence names at least one of the actors: by name, alias, or one word
    of a person's full name ("Sorell", or "Wasay" for Wasay Jalil)."""
    text = name_words(" ".join(item.quote for item in evidence))
    forms: list[Words] = []
    for actor in actors:
        for form in [actor.name, *actor.aliases]:
            words = reference_words(form)
            forms.append(words)
            if actor.kind == "person" and len(words) > 1:
                forms += [(word,) for word in words if len(word) > 2]
    return any(form and contains_words(text, form) for form in forms)


def _stated(text: str, evidence: list[Evidence]) -> str:
    """The model's wording, or, when it wrote no words (small models copy the "..." of the
    example shape), the first cited sentence: the article's own words."""
    text = text.strip()
    if any(char.isalnum() for char in text) or not evidence:
        return text
    return evidence[0].quote


def _unique(ids: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(i for i in ids if i is not None))
