"""From frames to the brief's allegations and denials: the parties of each frame resolved
to actors where the parse and the article tell, the questions left for the model, and its
answers merged with what the parse read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from summarizer.actors import ActorTable
from summarizer.claims import lexicon
from summarizer.claims.frames import Frame, Part
from summarizer.schema import (
    ActorDraft,
    ActorKind,
    AllegationDraft,
    Attribution,
    ClaimsDraft,
    DenialDraft,
)
from summarizer.sentences import Sentence

Kind = Literal["allegation", "denial", "neither"]
# What the model may answer for a party the parse left open, besides an actor's name.
UNNAMED = "unnamed"
NOBODY = "nobody"
# How many sentences back "he" or "they" looks for whom it stands for.
PRONOUN_REACH = 3
# How many sentences back "the firm" or "the minister" looks for the actor it stands for.
SALIENCE_REACH = 4


@dataclass(frozen=True)
class Parties:
    """Who makes a frame's claim and whom it is about, as far as the tool can tell.
    `makers` and `targets` are actor indexes; `unnamed` describes a source the article
    does not name ("officials", "people familiar with the matter"); a side that is None is
    open: the model is asked."""

    makers: tuple[int, ...] | None
    targets: tuple[int, ...] | None
    unnamed: str = ""
    cites: tuple[int, ...] = ()  # sentences that name who "he" is


@dataclass(frozen=True)
class Verdict:
    """The model's answer for one frame: what it is, and the parties it was asked for."""

    kind: Kind
    maker: str | None = None
    target: str | None = None


def read_parties(
    frames: Sequence[Frame], table: ActorTable, sentences: Sequence[Sentence]
) -> list[Parties]:
    """Each frame's parties resolved to actors: names and descriptions by the actor
    table, pronouns by whom the sentences before name."""
    reader = _PartyReader(table, sentences)
    return [reader.parties(frame) for frame in frames]


class _PartyReader:
    def __init__(self, table: ActorTable, sentences: Sequence[Sentence]) -> None:
        self.table = table
        self.sentences = sentences
        self.makers: dict[int, tuple[int, ...]] = {}  # sentence -> makers found there
        # sentence -> whom its allegations accuse: who denies next is most likely them
        self.accused: dict[int, tuple[int, ...]] = {}
        # sentence -> where in the article it names which actors, in order
        self.mentioned = {
            s.number: [(s.start + start, i) for start, _, i in table.mentions(s.text)]
            for s in sentences
        }

    def parties(self, frame: Frame) -> Parties:
        makers: list[int] = []
        unnamed: list[str] = []
        cites: list[int] = []
        open_maker = not frame.sources
        for part in frame.sources:
            found = self._source(part, frame, cites)
            if found is None and _is_unnamed_source(part):
                # "Prosecutors", "party insiders": a group the article describes.
                unnamed.append(_described(part))
                found = self._group(part)
            elif found is None and part.owned and part.head_lemma in lexicon.ORGANISATION_NOUNS:
                found = self._group(part, "organization")  # "the dockers' union"
            if found is not None:
                makers.append(found)
            else:
                open_maker = True
        targets = []
        for part in frame.targets:
            found = self._resolve(part, frame.sentence, cites, besides=set(makers))
            if found is None and frame.sense == "accuse" and _are_people(part):
                found = self._group(part)  # "accused two Kenyan athletes of ..."
            if found is not None and found not in makers:
                targets.append(found)
        if makers:
            self.makers[frame.sentence] = tuple(makers)
        if targets and kind_by_words(frame) == "allegation":
            self.accused[frame.sentence] = tuple(targets)
        open_target = frame.sense != "deny" and not targets
        return Parties(
            None if open_maker and not makers else tuple(dict.fromkeys(makers)),
            None if open_target else tuple(dict.fromkeys(targets)),
            unnamed="; ".join(unnamed) if unnamed and len(unnamed) == len(makers) else "",
            cites=tuple(sorted(set(cites) - {frame.sentence})),
        )

    def _source(self, part: Part, frame: Frame, cites: list[int]) -> int | None:
        """Who a frame's source is. "He denied the charges", "the firm dismissed these
        allegations": one who denies, referred to and not named, is first of all whom
        the allegations just before accused, not whoever spoke last."""
        if frame.sense == "deny" and (part.is_pronoun or self._named_in(part) is None):
            accused = self._accused(part, frame.sentence)
            if accused is not None:
                if part.is_pronoun:
                    cites.append(accused[1])  # the sentence that names who "he" is
                return accused[0]
        return self._resolve(part, frame.sentence, cites)

    def _accused(self, part: Part, number: int) -> tuple[int, int] | None:
        """The actor, of the kind a pronoun or description stands for, that an allegation
        in this or the sentences just before accused; with that sentence."""
        person = _stands_for_person(part)
        if person is None:
            return None
        for earlier in range(number, max(0, number - SALIENCE_REACH) - 1, -1):
            fitting = [i for i in self.accused.get(earlier, ()) if self._of_kind(i, person)]
            if len(fitting) == 1:
                return fitting[0], earlier
        return None

    def _of_kind(self, index: int, person: bool | None) -> bool:
        """Whether an actor is a person (`person`), or not one (not `person`)."""
        return (self.table.kind(index) == "person") == person

    def _group(self, part: Part, kind: ActorKind = "group") -> int:
        """A group the article describes without naming, as an actor of its own."""
        name = _described(part)
        return self.table.add(ActorDraft(name=name, kind=kind, role="", affiliation="", aliases=[]))

    def _resolve(
        self, part: Part, number: int, cites: list[int], besides: set[int] | None = None
    ) -> int | None:
        """The actor a part names; `besides`: actors it cannot be (a claim's makers,
        for whom it is about)."""
        besides = besides or set()
        if part.is_pronoun:
            standing_for = self._pronoun(part, number, besides)
            if standing_for is not None:
                cites.append(standing_for[1])
                return standing_for[0]
            return None
        found = self._named_in(part)
        if found is not None or part.proper or part.plural or part.owned:
            # "The athletes": many, not one actor; "the dockers' union": one of its own.
            return found
        person = _stands_for_person(part)
        if person is None:
            return None
        return self._salient(part, number, person=person, besides=besides)

    def _named_in(self, part: Part) -> int | None:
        """The actor a part names, but not an organisation or place that only qualifies
        the person it describes: "a Hale Barns businessman" is a businessman."""
        found = self.table.find_in(part.text, part.head)
        if (
            found is not None
            and _describes_one_person(part)
            and self.table.kind(found) != "person"
            and not self.table.holds_word(found, part.head_lemma)
        ):
            return None
        return found

    def named(self, number: int, before: int | None = None) -> list[int]:
        """The actors sentence `number` names, in order; only those before the offset
        `before`, when given."""
        return [i for at, i in self.mentioned.get(number, []) if before is None or at < before]

    def _salient(self, part: Part, number: int, *, person: bool, besides: set[int]) -> int | None:
        """Whom a description ("the firm", "the minister") refers back to: among the
        actors of its kind whose name or role holds its word, the one named last in this
        or the sentences before; an organisation's description that no name or role
        holds ("the firm"), the organisation the article has named most."""
        fitting = [
            i for i in range(len(self.table)) if self._of_kind(i, person) and i not in besides
        ]
        if not fitting:
            return None
        worded = [i for i in fitting if self.table.holds_word(i, part.head_lemma)]
        if not person and not worded:
            # "The firm", "the group": the organisation the story is about so far, the one
            # it names most, not whichever firm it mentioned last in passing.
            return self._most_named(fitting, number, part.start)
        # "The judge" is nobody named yet unless someone is said to be a judge.
        for earlier in range(number, max(0, number - SALIENCE_REACH) - 1, -1):
            named = [i for i in self.named(earlier, part.start) if i in worded]
            if named:
                return named[-1]
        return None

    def _most_named(self, pool: list[int], number: int, before: int) -> int | None:
        """Of the actors in `pool`, the one the sentences up to `number` name most (before
        the offset `before`); between equals, the one named first, whom the story opens on."""
        counts: dict[int, int] = {}
        first: dict[int, int] = {}
        for earlier in range(1, number + 1):
            for at, index in self.mentioned.get(earlier, []):
                if index in pool and at < before:
                    counts[index] = counts.get(index, 0) + 1
                    first.setdefault(index, at)
        if not counts:
            return None
        return max(counts, key=lambda index: (counts[index], -first[index]))

    def _pronoun(self, part: Part, number: int, besides: set[int]) -> tuple[int, int] | None:
        """Whom "he", "she", "they" or "it" stands for: the maker of a claim in the
        sentences just before, or the last actor of its kind they name (the first named
        after, when the story opens with the pronoun); with the sentence that names them."""
        wants_person = _stands_for_person(part)

        def fits(index: int) -> bool:
            return self._of_kind(index, wants_person) and index not in besides

        for earlier in range(number, max(0, number - PRONOUN_REACH) - 1, -1):
            fitting = [m for m in self.makers.get(earlier, ()) if fits(m)]
            if fitting:
                return fitting[-1], earlier
            if earlier == number:
                continue
            named = [index for index in self.named(earlier) if fits(index)]
            if named:
                return named[-1], earlier
        for later in range(number, min(len(self.sentences), number + PRONOUN_REACH - 1) + 1):
            named = [index for index in self.named(later) if fits(index)]
            if named and number <= PRONOUN_REACH:
                return named[0], later
        return None


def kind_by_words(frame: Frame) -> Kind:
    """What a frame is by the lexicon alone: its cue's sense where the cue accuses or
    denies; for a cue that only reports speech, a denial when its words dismiss a claim
    or negate what it says, an allegation when they charge someone with a wrongdoing."""
    if frame.sense == "accuse":
        return "allegation"
    if frame.sense == "deny":
        return "denial"
    wording = frame.wording
    if wording.dismisses or wording.negated:
        return "denial"
    if wording.charges:
        return "allegation"
    return "neither"


def _stands_for_person(part: Part) -> bool | None:
    """Whether a pronoun or a description stands for a person ("he", "the minister") or
    for an organisation ("it", "the firm"); None for a part that is neither."""
    if part.is_pronoun:
        return part.text.casefold() in lexicon.PERSON_PRONOUNS
    if part.head_lemma in lexicon.ORGANISATION_NOUNS:
        return False
    if part.head_lemma in lexicon.PERSON_NOUNS:
        return True
    return None


def _describes_one_person(part: Part) -> bool:
    """Whether a part describes one person by a common noun: "the minister", "a Hale Barns
    businessman"; not a spokesperson, whose words are their organisation's."""
    return (
        not part.plural
        and not part.proper
        and not part.is_pronoun
        and _stands_for_person(part) is True
        and part.head_lemma not in lexicon.SPEAKS_FOR
    )


def _described(part: Part) -> str:
    """How the article describes a group: the part without its article ("the")."""
    words = part.text.split()
    if words and words[0].casefold() in lexicon.POINTERS:
        words = words[1:]
    return " ".join(words)[:60]


def _are_people(part: Part) -> bool:
    """Whether a part describes people as a group: "two Kenyan athletes", "the opposition"."""
    if part.proper:
        return False
    return part.head_lemma in lexicon.PEOPLE_NOUNS and (
        part.plural or part.head_lemma in ("opposition", "media", "police")
    )


def _is_unnamed_source(part: Part) -> bool:
    """'officials', 'party insiders', 'people familiar with the matter': a source that is
    described, not named."""
    return part.head_lemma in lexicon.UNNAMED_SOURCES and not part.proper


@dataclass
class _Item:
    kind: Kind
    makers: tuple[int, ...]
    unnamed: str
    targets: list[int] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)


def claims_from_frames(
    frames: Sequence[Frame],
    parties: Sequence[Parties],
    verdicts: Mapping[int, Verdict],
    table: ActorTable,
) -> ClaimsDraft:
    """Allegations and denials from the frames the model judged to be one (`verdicts`
    by frame index). Frames of one kind by the same makers in a row, or in one sentence,
    are one item citing all their sentences: a statement reported over several sentences
    is one claim."""
    items: list[_Item] = []
    for index, (frame, known) in enumerate(zip(frames, parties, strict=True)):
        verdict = verdicts.get(index)
        if verdict is None or verdict.kind == "neither":
            continue
        makers, unnamed = _makers(known, verdict, table)
        targets = _targets(known, verdict, table, makers) if verdict.kind == "allegation" else []
        cited = sorted({frame.sentence, *known.cites})
        last = items[-1] if items else None
        if (
            last is not None
            and last.kind == verdict.kind
            and last.makers == makers
            and last.unnamed == unnamed
        ):
            last.targets += [t for t in targets if t not in last.targets]
            last.sentences = sorted(set(last.sentences) | set(cited))
            continue
        items.append(_Item(verdict.kind, makers, unnamed, targets, cited))
    # An item that names nobody tells an editor nothing: a denial by no one. Nor is a
    # claim about no one an allegation: it accuses nobody the article names ("ZDF said
    # the footage was shot in Iten"), whoever makes it.
    allegations = [
        _allegation(item, table) for item in items if item.kind == "allegation" and item.targets
    ]
    denials = [_denial(item, table) for item in items if item.kind == "denial" and item.makers]
    # Built by the tool, not filled by the model: the bounds of what the model fills do not
    # apply, hence model_construct.
    return ClaimsDraft.model_construct(allegations=allegations, denials=denials)


def claimants(
    parties: Sequence[Parties], verdicts: Mapping[int, Verdict], table: ActorTable
) -> set[str]:
    """The names of all who make a claim or a denial, as the parse found them: actors of
    the story even when their claim accuses nobody named ("Parents said ...")."""
    return {
        table.name(maker)
        for index, known in enumerate(parties)
        if (verdict := verdicts.get(index)) is not None and verdict.kind != "neither"
        for maker in known.makers or ()
    }


def _makers(known: Parties, verdict: Verdict, table: ActorTable) -> tuple[tuple[int, ...], str]:
    if known.makers is not None:
        return known.makers, known.unnamed
    answer = (verdict.maker or "").strip()
    if not answer or answer in (UNNAMED, NOBODY):
        return (), known.unnamed or (UNNAMED if answer == UNNAMED else "")
    found = table.find(answer)
    return ((found,) if found is not None else ()), known.unnamed


def _targets(
    known: Parties, verdict: Verdict, table: ActorTable, makers: tuple[int, ...]
) -> list[int]:
    if known.targets is not None:
        return [t for t in known.targets if t not in makers]
    answer = (verdict.target or "").strip()
    if not answer or answer in (UNNAMED, NOBODY):
        return []
    found = table.find(answer)
    return [found] if found is not None and found not in makers else []


def _attribution(item: _Item) -> Attribution:
    if item.unnamed:
        return "anonymous"
    return "named" if item.makers else "unattributed"


def _allegation(item: _Item, table: ActorTable) -> AllegationDraft:
    attribution = _attribution(item)
    return AllegationDraft.model_construct(
        sentences=item.sentences,
        made_by=[table.name(i) for i in item.makers],
        against=[table.name(i) for i in item.targets],
        attribution=attribution,
        source=item.unnamed if attribution == "anonymous" and item.unnamed != UNNAMED else "",
        claim="",
    )


def _denial(item: _Item, table: ActorTable) -> DenialDraft:
    return DenialDraft.model_construct(
        sentences=item.sentences, denied_by=[table.name(i) for i in item.makers], content=""
    )
