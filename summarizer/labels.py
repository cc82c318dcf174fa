"""The second pass of a `parties.j2` prompt set: which sentences report an allegation or
a denial, who the parties of each are, and how a run of such sentences becomes one item.

Asked for a list of allegations, a small model answers with the cardinality of the
example it was shown (one allegation, one denial, whatever the article says); asked
whether each sentence is an allegation, it says yes to nearly every one ("Mr. Sorell
rejected the claim" included). Here the words of a sentence decide whether it reports an
allegation or a denial (accused, alleged, claimed; denied, rejected, "a smear"), so the
count follows the article. Who makes each claim and against whom is read off the
sentence where its shape says so (attribution.py); the model is asked, one sentence at a
time, only about the rest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

from pydantic import create_model, model_validator

from summarizer.attribution import is_unnamed_source, read_parties
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


# A verb of accusation decides a sentence when it comes before any verb of denial
# ("accused the director ..., an accusation he flatly rejected"); otherwise a verb of
# denial outweighs a word of accusation ("rejected the accusation", "the claims were
# dismissed by ..."), and a noun of denial outweighs nothing ("accused him, drawing a
# flat denial").
_ACCUSING_VERBS = _words_pattern(
    r"accus(?:e|es|ed|ing)\b|alleg(?:e|es|ed|ing)\b|blam(?:e|es|ed|ing)\b|charged with\b"
)
_DENIAL_VERBS = _words_pattern(
    r"den(?:y|ies|ied|ying)\b|reject(?:s|ed|ing)?\b|refut(?:e|es|ed|ing)\b"
    r"|rebut(?:s|ted|ting)?\b|disputed|disputing|dismiss(?:ed|es|ing)(?=\s+(?:the|as|all|any"
    r"|reports?|claims?|allegations?|accusations?|suggestions?|it|them|by)\b)|smear\b"
    r"|baseless|unfounded|untrue|not true\b|nothing to do with|no truth"
    r"|plead(?:ed|s)? not guilty|pleaded innocent"
)
# Unnamed sources mark what they say as unproven: "people familiar with the matter said".
_ALLEGATION_WORDS = _words_pattern(
    r"accus|alleg|claim|blam|suspect|believ|according to\b|charged with\b"
    r"|people familiar with|asked not to be named|condition of anonymity|requesting anonymity"
    r"|sources\b|insiders\b"
)
_DENIAL_NOUNS = _words_pattern(r"denials?\b")
_WEAKER_CUES: tuple[tuple[ClaimKind, re.Pattern[str]], ...] = (
    ("allegation", _ALLEGATION_WORDS),
    ("denial", _DENIAL_NOUNS),
)
# "It is alleged that ...": an allegation nobody is said to make.
_IMPERSONAL = _words_pattern(r"it (?:is|was|has been) (?:alleged|claimed|reported|said)\b")


def claim_kind(text: str) -> ClaimKind | None:
    """What a sentence reports, from the words it uses: a denial, an allegation, or None."""
    cue = claim_cue(text)
    return cue[0] if cue else None


def claim_cue(text: str) -> tuple[ClaimKind, re.Match[str]] | None:
    """What a sentence reports and the words that say so, or None."""
    accusing, denying = _ACCUSING_VERBS.search(text), _DENIAL_VERBS.search(text)
    if accusing and not (denying and denying.start() < accusing.start()):
        return "allegation", accusing
    if denying:
        return "denial", denying
    for kind, pattern in _WEAKER_CUES:
        found = pattern.search(text)
        if found:
            return kind, found
    return None


def is_impersonal(text: str) -> bool:
    """Whether a sentence reports a claim without anyone making it ("it is alleged")."""
    return _IMPERSONAL.search(text) is not None


def claim_sentences(
    sentences: Sequence[Sentence],
) -> list[tuple[Sentence, ClaimKind, re.Match[str]]]:
    """The sentences that report an allegation or a denial, with which and the words that
    say so. A headline (a first line of its own without a full stop) is left out: it
    restates the story."""
    chosen = []
    for sentence in sentences:
        if sentence.number == 1 and _is_headline(sentence, sentences):
            continue
        cue = claim_cue(sentence.text)
        if cue is not None:
            chosen.append((sentence, *cue))
    return chosen


# How many sentences back a pronoun ("he denied it") looks for the claim it continues.
PRONOUN_REACH = 3


def maker_of_pronoun(labels: Mapping[int, Label], number: int, kind: ClaimKind) -> list[str] | None:
    """Whom "he", "she" or "they", making the claim of sentence `number`, stands for,
    from the claim labelled just before it (at most PRONOUN_REACH sentences back). A
    denial after an allegation is the accused's ("X accused Y. He denied it."); any
    other claim continues its maker ("Mr. Sorell rejected the claim. ... He then accused
    Mr. Oduya")."""
    earlier = [n for n in labels if number - PRONOUN_REACH <= n < number]
    if not earlier:
        return None
    previous = labels[max(earlier)]
    if kind == "denial" and previous.kind == "allegation":
        return previous.against[:1] or None
    return previous.by or None


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
class Known:
    """What the words of a claim sentence tell of its parties before the model is asked:
    `by` is None when they do not name the maker."""

    kind: ClaimKind
    by: list[str] | None
    against: list[str]

    @property
    def complete(self) -> bool:
        """Nothing is left to ask: the maker, and for an allegation whom it is about."""
        return self.by is not None and (self.kind == "denial" or bool(self.against))

    def label(self, asked: AllegationParties | DenialParties | None) -> Label:
        """The sentence's claim: what the words tell, the model's answer for the rest."""
        answer = Label.of(asked) if asked is not None else Label(self.kind, [])
        return Label(
            self.kind,
            self.by if self.by is not None else answer.by,
            self.against or answer.against,
        )


def read_claim(
    sentence: Sentence, kind: ClaimKind, cue: re.Match[str], labels: Mapping[int, Label]
) -> Known | None:
    """What the claim sentence's shape tells of its parties, with `labels` the claims of
    the sentences before it (for "he denied it"); None when the shape shows it is no claim
    ("according to figures ...")."""
    reading = read_parties(sentence.text, kind, cue)
    if reading.not_a_claim:
        return None
    by = reading.by
    if by is None and reading.by_pronoun:
        by = maker_of_pronoun(labels, sentence.number, kind)
    if is_impersonal(sentence.text):
        by = []
    return Known(kind, by, reading.against)


@dataclass(frozen=True)
class Label:
    """One sentence's claim: its kind and its parties."""

    kind: ClaimKind
    by: list[str]
    against: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, parties: AllegationParties | DenialParties) -> Label:
        if isinstance(parties, AllegationParties):
            return cls("allegation", list(parties.accuser), list(parties.accused))
        return cls("denial", list(parties.denier))


def claims_from_labels(
    labels: Mapping[int, Label], actors: Sequence[ActorDraft] = ()
) -> ClaimsDraft:
    """Allegations and denials from sentence labels, by sentence number. A labelled
    sentence joins the one labelled just before it when both are of the same kind by the
    same maker (`actors` tells which names are one party): one statement, reported over
    several sentences, is one item citing them all, against everyone they name."""
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
        key = (label.kind, party(label.by))
        if key == last:
            if label.kind == "allegation":
                merged = allegations[-1]
                known = party(merged.against)
                merged.against += [name for name in label.against if not party([name]) <= known]
                merged.sentences.append(number)
            else:
                denials[-1].sentences.append(number)
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
    return "anonymous" if all(is_unnamed_source(name) for name in made_by) else "named"
