"""The second pass of a `parties.j2` prompt set: which sentences report an allegation or
a denial, who the parties of each are, and how a run of such sentences becomes one item.

Asked for a list of allegations, a small model answers with the cardinality of the
example it was shown (one allegation, one denial, whatever the article says); asked
whether each sentence is an allegation, it says yes to nearly every one ("Mr. Sorell
rejected the claim" included). Here the words of a sentence decide whether it reports an
allegation or a denial (accused, alleged, claimed; denied, rejected, "a smear"), so the
count follows the article, and the model is asked, one sentence at a time, only who the
parties are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

from pydantic import create_model, model_validator

from summarizer.grounding import ActorTable, reference_problems, reference_words
from summarizer.names import name_words
from summarizer.schema import (
    ActorDraft,
    AllegationDraft,
    AllegationParties,
    Attribution,
    ClaimsDraft,
    DenialDraft,
    DenialParties,
)
from summarizer.sentences import Sentence

ClaimKind = Literal["allegation", "denial"]


def _words_pattern(forms: str) -> re.Pattern[str]:
    """Whole words or word beginnings ("accus" finds accused, accusation), case folded."""
    return re.compile(r"\b(?:" + "|".join(forms.split("|")) + r")", re.IGNORECASE)


# A verb of denial outweighs a word of accusation ("rejected the accusation"); a noun of
# denial does not outweigh a verb of accusation ("accused him, drawing a flat denial").
_DENIAL_VERBS = _words_pattern(
    r"den(?:y|ies|ied|ying)\b|reject|refut|rebut|disputed|disputing"
    r"|dismissed (?:the|as|all|any|reports?)|smear\b|baseless|unfounded|untrue|not true\b"
    r"|nothing to do with|no truth"
)
_ALLEGATION_WORDS = _words_pattern(
    r"accus|alleg|claim|blam|suspect|believ|according to\b|charged with\b"
)
_DENIAL_NOUNS = _words_pattern(r"denials?\b")
_CUES: tuple[tuple[ClaimKind, re.Pattern[str]], ...] = (
    ("denial", _DENIAL_VERBS),
    ("allegation", _ALLEGATION_WORDS),
    ("denial", _DENIAL_NOUNS),
)
# "It is alleged that ...": an allegation nobody is said to make.
_IMPERSONAL = _words_pattern(r"it (?:is|was|has been) (?:alleged|claimed|reported|said)\b")
# A source described by one of these words is unnamed: "party insiders", "MQM sources".
_UNNAMED_SOURCE = frozenset(["source", "sources", "insider", "insiders", "official", "officials"])


def claim_kind(text: str) -> ClaimKind | None:
    """What a sentence reports, from the words it uses: a denial, an allegation, or None."""
    return next((kind for kind, pattern in _CUES if pattern.search(text)), None)


def is_impersonal(text: str) -> bool:
    """Whether a sentence reports a claim without anyone making it ("it is alleged")."""
    return _IMPERSONAL.search(text) is not None


def claim_sentences(sentences: Sequence[Sentence]) -> list[tuple[Sentence, ClaimKind]]:
    """The sentences that report an allegation or a denial, with which. A headline (a
    first line of its own without a full stop) is left out: it restates the story."""
    chosen = []
    for sentence in sentences:
        if sentence.number == 1 and _is_headline(sentence, sentences):
            continue
        kind = claim_kind(sentence.text)
        if kind is not None:
            chosen.append((sentence, kind))
    return chosen


def _is_headline(first: Sentence, sentences: Sequence[Sentence]) -> bool:
    alone = len(sentences) == 1 or sentences[1].paragraph != first.paragraph
    return alone and not first.text.rstrip().endswith((".", "!", "?", "\u201d", '"'))


def parties_model_for(
    kind: ClaimKind, actors: Sequence[ActorDraft], sentences: Sequence[Sentence]
) -> type[AllegationParties] | type[DenialParties]:
    """What the model answers for one sentence of `kind`, checked against the article:
    every name must be an actor or a name the article uses (otherwise it is asked again)."""
    article_words = name_words(" ".join(s.text for s in sentences))
    base = parties_model(kind)

    def check(parties: AllegationParties | DenialParties) -> AllegationParties | DenialParties:
        claims = claims_from_labels({0: Label.of(parties)})
        problems = reference_problems(claims, actors, article_words)
        if problems:
            raise ValueError("; ".join(_in_answer_terms(problem) for problem in problems))
        return parties

    model = create_model(
        base.__name__,
        __base__=base,
        __validators__={"check_against_the_article": model_validator(mode="after")(check)},  # type: ignore[dict-item]
    )
    return cast("type[AllegationParties] | type[DenialParties]", model)


def _in_answer_terms(problem: str) -> str:
    """A problem found in the merged claims, named by the field of the model's answer."""
    where, _, what = problem.partition(": ")
    field_name = {"made_by": "accuser", "against": "accused", "denied_by": "denier"}
    return f"{field_name.get(where.rpartition('.')[2], where)}: {what}"


def parties_model(kind: ClaimKind) -> type[AllegationParties] | type[DenialParties]:
    """What the model answers for a sentence of `kind`, without the article's checks."""
    return AllegationParties if kind == "allegation" else DenialParties


# --- Labels -> allegations and denials ---------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """One sentence's claim: its kind and the parties the model named."""

    kind: ClaimKind
    by: list[str]
    against: list[str] = field(default_factory=list)

    def unattributed(self) -> Label:
        """The same claim with nobody making it ("it is alleged that ...")."""
        return Label(self.kind, [], self.against)

    @classmethod
    def of(cls, parties: AllegationParties | DenialParties) -> Label:
        if isinstance(parties, AllegationParties):
            return cls("allegation", list(parties.accuser), list(parties.accused))
        return cls("denial", list(parties.denier))


def claims_from_labels(
    labels: Mapping[int, Label], actors: Sequence[ActorDraft] = ()
) -> ClaimsDraft:
    """Allegations and denials from sentence labels, by sentence number. A labelled
    sentence joins the one labelled just before it when both are of the same kind and
    name the same parties (`actors` tells which names are one party): one statement,
    reported over several sentences, is one item citing them all."""
    table = ActorTable.from_drafts(actors)

    def party(names: list[str]) -> frozenset[object]:
        return frozenset(
            index if (index := table.find(name)) is not None else reference_words(name)
            for name in names
        )

    allegations: list[AllegationDraft] = []
    denials: list[DenialDraft] = []
    last: tuple[object, ...] | None = None
    for number in sorted(labels):
        label = labels[number]
        key = (label.kind, party(label.by), party(label.against))
        items: list[AllegationDraft] | list[DenialDraft] = (
            allegations if label.kind == "allegation" else denials
        )
        if key == last:
            items[-1].sentences.append(number)
            continue
        last = key
        # Built by the tool, not filled by the model: the bounds of what the model fills
        # (three citations, six allegations) do not apply, hence model_construct.
        if label.kind == "allegation":
            attribution = source_attribution(label.by)
            allegations.append(
                AllegationDraft.model_construct(
                    sentences=[number],
                    made_by=label.by,
                    against=label.against,
                    attribution=attribution,
                    source=", ".join(label.by) if attribution == "anonymous" else "",
                    claim="",
                )
            )
        else:
            denials.append(
                DenialDraft.model_construct(sentences=[number], denied_by=label.by, content="")
            )
    return ClaimsDraft.model_construct(allegations=allegations, denials=denials)


def source_attribution(made_by: Sequence[str]) -> Attribution:
    """Nobody said to say it: unattributed; sources described, not named ("party
    insiders", "two officials"): anonymous; otherwise named."""
    if not made_by:
        return "unattributed"
    described = [set(name_words(name)) & _UNNAMED_SOURCE for name in made_by]
    return "anonymous" if all(described) else "named"
