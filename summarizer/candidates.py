"""Actor candidates read off the parse: the people and organisations the article names
(its named entities and runs of proper nouns), each with the other forms the article uses
for them and what the article says they are."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, cast

from summarizer.actors import ActorTable, reference_words
from summarizer.claims import lexicon
from summarizer.schema import ActorDraft, ActorKind
from summarizer.sentences import Sentence, dateline_end

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

# At most this many candidates are kept (the schema's bound on actors), the most
# mentioned first.
MAX_CANDIDATES = 12


@dataclass
class Candidate:
    """One actor the parse found: its fullest name, other forms, kind, role, and how often
    and where first the article names it."""

    name: str
    kind: ActorKind
    aliases: list[str] = field(default_factory=list)
    role: str = ""
    mentions: int = 0
    first: int = 0  # character offset of the first mention


def entity_candidates(sentences: Sequence[Sentence], docs: Sequence[Doc]) -> list[Candidate]:
    """The people and organisations named in the sentences (`docs[i]` is the parse of
    `sentences[i]`), one candidate per actor however often and in how many forms it is
    named. A dateline's place is none."""
    # A name the recogniser calls a place anywhere in the article is one everywhere:
    # it tags "Nigeria" or "Croatia" an organisation in one sentence, a country in the next.
    places = {
        reference_words(entity.text)
        for doc in docs
        for entity in doc.ents
        if entity.label_ in ("GPE", "LOC", "FAC")
    }
    mentions = [
        mention
        for sentence, doc in zip(sentences, docs, strict=True)
        for mention in _mentions(doc, sentence.start, dateline_end(sentence))
        if reference_words(mention.name) not in places
    ]
    # Fullest forms first, so shorter ones ("Harm", "AK") join them as aliases.
    ordered = sorted(mentions, key=lambda m: (-len(reference_words(m.name)), m.start))
    table = ActorTable()
    found: dict[int, Candidate] = {}
    for mention in ordered:
        draft = ActorDraft(
            name=mention.name[:60],
            kind=mention.kind,
            role=mention.role[:60],
            affiliation="",
            aliases=[alias[:60] for alias in mention.aliases][:4],
        )
        index = table.add(draft)
        candidate = found.setdefault(index, Candidate(table.name(index), mention.kind))
        candidate.mentions += 1
        candidate.first = (
            min(candidate.first, mention.start) if candidate.mentions > 1 else mention.start
        )
        candidate.role = candidate.role or mention.role
    for index, candidate in found.items():
        actor = table.actors()[index]
        candidate.name, candidate.aliases = actor.name, actor.aliases
    chosen = sorted(found.values(), key=lambda c: (-c.mentions, c.first))[:MAX_CANDIDATES]
    return sorted(chosen, key=lambda c: c.first)


@dataclass(frozen=True)
class _Mention:
    name: str
    kind: ActorKind
    start: int
    aliases: tuple[str, ...] = ()
    role: str = ""


def _mentions(doc: Doc, offset: int, dateline: int) -> Iterator[_Mention]:
    if not any(token.pos_ in ("VERB", "AUX") for token in doc):
        return  # a line with no verb is page furniture: a caption, a credit, a byline
    taken: set[int] = set()
    titles = _title_entities(doc)
    for entity in doc.ents:
        kind = lexicon.ENTITY_KINDS.get(entity.label_)
        if kind is None or kind == "group" or entity.start_char < dateline:
            continue
        if entity.end in titles.values():
            continue  # the title of the person named next
        span = _whole_name(entity)
        if kind == "organization" and _titled_person(span) is not None:
            kind = "person"  # "NSFAS board chairperson Ernest Khosa": a person, titled
        title, span = _title_split(span) if kind == "person" else ("", span)
        if entity.start in titles:
            title = doc[entity.start - 1].text  # "Taoiseach Enda Kenny"
        name = _clean(span.text)
        if not _could_be_a_name(name):
            continue
        taken.update(range(span.start, span.end))
        role = title or (_role_of(span) if kind == "person" else "")
        aliases = _acronym_after(span) + ((title,) if entity.start in titles else ())
        yield _Mention(name, cast(ActorKind, kind), offset + span.start_char, aliases, role)
    # Proper names the entity recogniser missed, with an acronym in brackets after them:
    # "Athletics Kenya (AK)".
    for token in doc:
        if token.i in taken or token.pos_ != "PROPN" or token.dep_ in ("compound", "flat"):
            continue
        if token.idx < dateline:
            continue
        start = min(
            [token, *(w for w in token.lefts if w.dep_ in ("compound", "flat"))], key=lambda w: w.i
        )
        span = doc[start.i : token.i + 1]
        acronym = _acronym_after(span)
        if acronym and len(span) > 1:
            yield _Mention(_clean(span.text), "organization", offset + span.start_char, acronym)
    # A body named by what it is and whose: "a Spanish court", "Zimbabwean police", "the
    # Coleman campaign".
    for chunk in doc.noun_chunks:
        head = chunk.root
        if head.i in taken or head.lemma_.casefold() not in lexicon.ORGANISATION_NOUNS:
            continue
        qualifiers = [
            w
            for w in head.lefts
            if w.dep_ in ("amod", "compound") and (w.ent_type_ == "NORP" or w.pos_ == "PROPN")
        ]
        if qualifiers and chunk.start_char >= dateline:
            first = min(qualifiers, key=lambda w: w.i)
            name = _clean(doc[first.i : head.i + 1].text)
            yield _Mention(name, "organization", offset + doc[first.i].idx)


def _could_be_a_name(name: str) -> bool:
    """Whether an entity's text can name an actor: not an address, a case number or an
    event of a year ("LD/ADR/1632/2018", "Rio 2016 Olympic Games"), nor a common noun
    the recogniser took for a name because it was capitalised ("Hospital", "Tribunal")."""
    words = reference_words(name)
    if not words or not any(c.isalpha() for c in name) or "@" in name or "/" in name:
        return False
    if _YEAR.search(name):
        return False
    return not (len(words) == 1 and words[0] in lexicon.NOT_NAMES_ALONE)


_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def _title_entities(doc: Doc) -> dict[int, int]:
    """One-word "persons" the recogniser finds right before a person's name, which are
    that person's title ("Taoiseach Enda Kenny"): where each name starts -> where its
    title ends. The title alone later ("the Taoiseach said") is the same person."""
    people = [entity for entity in doc.ents if entity.label_ == "PERSON"]
    return {
        name.start: title.end
        for title, name in pairwise(people)
        if len(title) == 1 and title.end == name.start and len(name) > 1
    }


def _whole_name(entity: Span) -> Span:
    """The entity with the "of ..." that completes an organisation's name ("the Anti-Doping
    Agency" + "of Kenya", "the Supreme Court of" + "India"), without a compound adjective
    the recogniser took in ("Abu Dhabi-headquartered NMC Health", "Fianna Fáil-led")."""
    doc = entity.doc
    label = entity.label_
    start, end = entity.start, entity.end
    for index in range(start, end - 1):
        if doc[index].text == "-" and doc[index + 1].text.islower():
            if index + 2 < end:
                start = index + 2
            else:
                end = index
            break
    if start >= end:
        return entity
    entity = doc[start:end]
    if label == "ORG":
        if doc[end - 1].lower_ == "of" and end < len(doc) and doc[end].pos_ == "PROPN":
            end += 1
        elif end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end + 1].pos_ == "PROPN":
            end += 2
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end - 1].pos_ == "PROPN":
            end += 1
    return doc[start:end]


def _title_split(span: Span) -> tuple[str, Span]:
    """A person's title that the entity recogniser took into the name: ("District
    Magistrate", "Rajiv Rautela") of "District Magistrate Rajiv Rautela", ("NSFAS board
    chairperson", "Ernest Khosa")."""
    words = lexicon.PERSON_NOUNS | lexicon.TITLE_QUALIFIERS
    cut = span.start
    while cut < span.end - 1 and span.doc[cut].lower_.rstrip(".") in words:
        cut += 1
    titled = _titled_person(span)
    if titled is not None and titled > cut:
        cut = titled
    if cut == span.start:
        return "", span
    return span.doc[span.start : cut].text, span.doc[cut : span.end]


def _titled_person(span: Span) -> int | None:
    """Where the name starts in "<organisation> <title> <Name>" taken for one entity: the
    token after the last title word, when proper nouns follow it."""
    doc = span.doc
    for index in range(span.end - 2, span.start - 1, -1):
        if doc[index].lower_ in lexicon.PERSON_NOUNS and doc[index + 1].pos_ == "PROPN":
            return index + 1
    return None


def _acronym_after(span: Span) -> tuple[str, ...]:
    """The acronym in brackets right after a name: "Athletics Kenya (AK)" -> ("AK",)."""
    doc = span.doc
    if span.end + 2 < len(doc) and doc[span.end].text == "(" and doc[span.end + 2].text == ")":
        acronym = doc[span.end + 1].text
        if acronym.isupper() and 2 <= len(acronym) <= 8:
            return (acronym,)
    return ()


def _role_of(span: Span) -> str:
    """What the article says a person is, from the words around their name: a title
    before it ("Minister Blade Nzimande", "NSFAS board chairperson Ernest Khosa") or an
    apposition after it ("Markus Harm, ZDF's undercover journalist")."""
    head = span.root
    before = [w for w in head.lefts if w.i < span.start and w.dep_ in ("compound", "amod", "nmod")]
    if before:
        first = min(w.left_edge.i for w in before)
        return _clean(span.doc[first : span.start].text)
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            return _clean(span.doc[child.left_edge.i : child.i + 1].text)
    return ""


def _clean(text: str) -> str:
    """A name without the article's "the", a possessive or a dateline's dash."""
    text = " ".join(text.split()).strip(" ,.;:-\u2014\u2013")
    words = text.split()
    if words and words[0].casefold() in lexicon.POINTERS:
        words = words[1:]
    text = " ".join(words)
    for ending in lexicon.POSSESSIVE_ENDINGS:
        if text.endswith(ending) and len(text) > len(ending) + 1:
            text = text[: -len(ending)] + ("s" if ending.startswith("s") else "")
            break
    return text
