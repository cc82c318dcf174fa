"""The second pass of a `parties.j2` prompt set: which sentences report an allegation or
a denial, who the parties of each are, and how a run of such sentences becomes one item.

Asked for a list of allegations, a small model answers with the cardinality of the
example it was shown (one allegation, one denial, whatever the article says); asked
whether each sentence is an allegation, it says yes to nearly every one ("Mr. Sorell
rejected the claim" included). Here the words of a sentence decide whether it reports an
allegation or a denial (accused, alleged, claimed; denied, rejected, "a smear"; "the
club said Mensk had breached his contract"), so the count follows the article. Who makes
each claim and against whom is read off the sentence where its shape says so
(attribution.py); the model is asked, one sentence at a time, only about the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, cast

from pydantic import create_model, model_validator

from summarizer.attribution import (
    REPORTING_VERBS,
    dateline_place,
    is_unnamed_source,
    read_parties,
    speaker,
)
from summarizer.grounding import ActorTable, reference_problems, reference_words
from summarizer.names import SPEAKS_FOR, name_words
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
    r"accus(?:e|es|ed|ing)\b|alleg(?:e|es|ed|ing)\b|blam(?:e|es|ed|ing)\b"
    r"|claim(?:ed|ing)\b|claims that\b"
    r"|charg(?:ed|es|ing) (?:\w+ )?(?:with|that)\b"
)
_DENIAL_VERBS = _words_pattern(
    r"den(?:y|ies|ied|ying)\b|reject(?:s|ed|ing)?\b|refut(?:e|es|ed|ing)\b"
    r"|rebut(?:s|ted|ting)?\b|disputed|disputing|dismiss(?:ed|es|ing)(?=\s+(?:the|as|all|any"
    r"|reports?|claims?|allegations?|accusations?|suggestions?|it|them|by)\b)|smear\b"
    r"|baseless|unfounded|untrue|not true\b|nothing to do with|no truth"
    r"|plead(?:ed|s)? not guilty|pleaded innocent"
    r"|(?:described|branded|labell?ed|termed)\s+(?:the|these|those|such|its|his|her|their)\s+"
    r"(?:\w+\s+)?(?:claims?|allegations?|accusations?|reports?|charges?)\s+as\b"
    r"|call(?:s|ed)?\s+(?:the|these|those|such|its|his|her|their)\s+(?:\w+\s+)?"
    r"(?:claims?|allegations?|accusations?|charges?)\b"
    r"|(?:claims?|allegations?|accusations?|charges?|suggestions?)\s+(?:\w+\s+){0,3}"
    r"(?:were|was|are|is|as)\s+(?:\w+\s+){0,2}(?:false|untrue|wrong|groundless|nonsense|lies)\b"
    r"|without (?:merit|foundation|basis)\b|groundless"
    r"|(?:not|never) recogni[sz]e (?:the|these|those|such|any|that)\b"
)
# "accused each other": a summary of what the article reports claim by claim after it.
_RECIPROCAL = re.compile(r"\s+(?:each other|one another)\b", re.IGNORECASE)
# "a diving save denied Delacroix a second": denying someone something is no denial.
_DENIED_SOMETHING = re.compile(
    r"\s+(?:[A-Z][\w'\u2019-]*\s+)+(?:a|an|the|his|her|their|its)\s", re.UNICODE
)
_FIGURE = re.compile(r"\d")
# Who speaks for a party: their denial is the party's, said again.
_SPEAKS_FOR = _words_pattern(
    "|".join(rf"{word}\b" for word in sorted(SPEAKS_FOR)) + "|press officer"
)
# Unnamed sources mark what they say as unproven: "people familiar with the matter said".
_ALLEGATION_WORDS = _words_pattern(
    r"accus|alleg|claim(?:ed|ing)\b|claims?\s+(?:that|to)\b|blam|suspect|believ"
    r"|according to\b|charged with\b"
    r"|people familiar with|asked not to be named|condition of anonymity|requesting anonymity"
    r"|sources\b|insiders\b|counter-?claims?\b|counter-?accusations?\b"
)
_DENIAL_NOUNS = _words_pattern(r"denials?\b")
# Reported speech that charges someone with wrongdoing in plain words carries no verb of
# accusation: "The club said Mensk had breached his contract", "Tallis Creek said
# Castellane knew by January". A reporting verb and a word of wrongdoing in the reported
# words (not in a quotation, which is evidence, not the claim) make it an allegation; the
# same words negated ("there is no breach", "I have never concealed") a denial.
_REPORTING = _words_pattern("|".join(rf"{verb}\b" for verb in sorted(REPORTING_VERBS)))
_WRONGDOING = _words_pattern(
    r"breach(?:es|ed|ing)?\b|ow(?:e|es|ed|ing)\b|withh[eo]ld|hid\b|hidden\b|hiding\b|conceal"
    r"|lied\b|lying\b|misled\b|mislead|misus|misappropriat|fraud|corrupt|illegal|unlawful"
    r"|knew\b|pollut|abus|stole\b|stolen\b|steal|cover(?:ed|ing)?[- ]up|violat|negligen"
    r"|brib|intimidat|harass|discriminat|overcharg|falsif|manipulat|rigged\b|embezzl|cheat"
    r"|bull(?:y|ied|ying)\b|wrongdoing|kickbacks?\b|cut corners|ignored\b|failed to\b"
    r"|infring|copied\b|backdat|siphon|divert(?:ed|ing)\b|fabricat|doctored\b|forged\b"
    r"|retaliat|suppress|inflated\b|threaten(?:ed|ing)\b"
)
# What prosecutors, plaintiffs or a lawsuit say is an allegation whatever its words.
_ACCUSING_SOURCES = _words_pattern(
    r"prosecutors?\b|plaintiffs?\b|lawsuit\b|indictment\b|charge sheet\b"
)
_NEGATED = re.compile(
    r"\b(?:no|not|never|nothing|none|without)\b(?:\s+\S+){0,2}\s*$|n[\u2019']t(?:\s+\S+){0,2}\s*$",
    re.IGNORECASE,
)
_QUOTED = re.compile('\u201c[^\u201d]*(?:\u201d|$)|"[^"]*(?:"|$)')

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
    if accusing and _RECIPROCAL.match(text, accusing.end()):
        return None
    if denying and _DENIED_SOMETHING.match(text, denying.end()):
        denying = None
    if accusing and not (denying and denying.start() < accusing.start()):
        return "allegation", accusing
    if denying:
        return "denial", denying
    for kind, pattern in _WEAKER_CUES:
        found = pattern.search(text)
        if found:
            if found.group().casefold() == "believ" and _NEGATED.search(text[: found.start()]):
                return "denial", found  # "I don't believe a word of it"
            return kind, found
    return _reported_wrongdoing(text)


def _reported_wrongdoing(text: str) -> tuple[ClaimKind, re.Match[str]] | None:
    """Reported speech that charges wrongdoing in plain words, or denies it: the kind and
    its reporting verb, or None."""
    reporting = _REPORTING.search(text)
    if reporting is None:
        return None
    if _ACCUSING_SOURCES.search(text):
        return "allegation", reporting
    for negated, quoted in _wrongdoing(text):
        if negated:
            return "denial", reporting
        if not quoted:
            return "allegation", reporting
    return None


def _charges(text: str) -> bool:
    """Whether the words of `text`, outside its quotations, name a wrongdoing."""
    return any(not negated and not quoted for negated, quoted in _wrongdoing(text))


def _wrongdoing(text: str) -> Iterator[tuple[bool, bool]]:
    """For each word of wrongdoing in `text`, in order: whether it is negated ("there is
    no breach") and whether it stands in a quotation."""
    quoted = _quoted_spans(text)
    for wrong in _WRONGDOING.finditer(text):
        negated = _NEGATED.search(text[: wrong.start()]) is not None
        yield negated, any(start <= wrong.start() < end for start, end in quoted)


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` quotes someone. A sentence that ends a quotation opened in the one
    before (a closing mark before any opening one, or an odd count of straight marks) is
    quoted up to that mark."""
    first_close = text.find("\u201d")
    first_open = text.find("\u201c")
    if first_close != -1 and (first_open == -1 or first_close < first_open):
        return [(0, first_close), *_quoted_spans_from(text, first_close + 1)]
    if text.count('"') % 2 == 1:
        first = text.find('"')
        return [(0, first), *_quoted_spans_from(text, first + 1)]
    return _quoted_spans_from(text, 0)


def _quoted_spans_from(text: str, start: int) -> list[tuple[int, int]]:
    return [found.span() for found in _QUOTED.finditer(text, start)]


def _a_figure_sourced(text: str, cue: re.Match[str]) -> bool:
    """Whether the sentence gives a figure with its source, not a claim: "About 3,000
    visitors came, according to museum staff", with nothing in it charging anyone."""
    return (
        cue.group().casefold().startswith("according to")
        and _FIGURE.search(text) is not None
        and _WRONGDOING.search(text) is None
    )


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
    earlier = _reached(labels, number)
    if not earlier:
        return None
    previous = labels[max(earlier)]
    if kind == "denial" and previous.kind == "allegation":
        return previous.against[:1] or None
    return previous.by or None


def _reached(labels: Mapping[int, Label], number: int) -> list[int]:
    """The labelled sentences a pronoun in sentence `number` may look back to."""
    return [n for n in labels if number - PRONOUN_REACH <= n < number]


def _is_headline(first: Sentence, sentences: Sequence[Sentence]) -> bool:
    alone = len(sentences) == 1 or sentences[1].paragraph != first.paragraph
    return alone and not first.text.rstrip().endswith((".", "!", "?", "\u201d", '"'))


def parties_model_for(
    kind: ClaimKind, actors: Sequence[ActorDraft], sentences: Sequence[Sentence]
) -> type[AllegationParties] | type[DenialParties]:
    """What the model answers for one sentence of `kind`, checked against the article:
    every name must be an actor or a name the article uses (otherwise it is asked again)."""
    article_words = name_words(" ".join(s.text for s in sentences))
    places = {reference_words(p) for s in sentences[:3] if (p := dateline_place(s.text))}
    base = parties_model(kind)

    def check(parties: AllegationParties | DenialParties) -> AllegationParties | DenialParties:
        label = Label.of(parties)
        claims = claims_from_labels({0: label})
        problems = reference_problems(claims, actors, article_words)
        maker = "made_by" if kind == "allegation" else "denied_by"
        problems += [
            f"{side}: {name!r} is the dateline, where the story was filed, not a party"
            for side, names in ((maker, label.by), ("against", label.against))
            for name in names
            if reference_words(name) in places
        ]
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
    joins: bool = False
    context: int | None = None  # the sentence that names the "he" making the claim

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
            joins=self.joins,
            context=self.context,
        )


def label_sentences(
    sentences: Sequence[Sentence],
    ask: Callable[[Sentence, Sentence | None, ClaimKind], AllegationParties | DenialParties | None],
) -> dict[int, Label]:
    """The claim of each sentence that reports one, by sentence number: its parties as the
    shape of the sentence tells them, and `ask(sentence, before, kind)` asked for the rest
    (the model, in the second pass; None leaves them unknown)."""
    labels: dict[int, Label] = {}
    for sentence, kind, cue in claim_sentences(sentences):
        before = sentences[sentence.number - 2] if sentence.number > 1 else None
        known = read_claim(sentence, kind, cue, labels, before)
        if known is None:
            continue
        parties = None if known.complete else ask(sentence, before, kind)
        labels[sentence.number] = known.label(parties).answered_in_place(sentence.text, cue)
    return labels


def read_claim(
    sentence: Sentence,
    kind: ClaimKind,
    cue: re.Match[str],
    labels: Mapping[int, Label],
    before: Sentence | None = None,
) -> Known | None:
    """What the claim sentence's shape tells of its parties, with `labels` the claims of
    the sentences before it and `before` the sentence before it (for "he denied it");
    None when the shape shows it is no claim ("according to figures ...")."""
    reading = read_parties(sentence.text, kind, cue)
    if reading.not_a_claim or _a_figure_sourced(sentence.text, cue):
        return None
    if reading.record and not _charges(sentence.text):
        return None  # "according to figures, crime fell": a fact with its source
    by = reading.by
    naming = sentence.text
    context = None
    if by is None and reading.by_pronoun:
        # "'...,' Mr. Duquesne said. He said the trust was ...": the one just quoted.
        said = speaker(before.text) if before is not None else None
        if said and before is not None:
            by, naming, context = [said], before.text, before.number
        else:
            by = maker_of_pronoun(labels, sentence.number, kind)
            context = max(_reached(labels, sentence.number)) if by else None
    if is_impersonal(sentence.text):
        by = []
    # "The mayor's office rejected it. Its spokeswoman, X, said ...": one denial.
    joins = kind == "denial" and _SPEAKS_FOR.search(naming) is not None
    return Known(kind, by, reading.against, joins=joins, context=context)


@dataclass(frozen=True)
class Label:
    """One sentence's claim: its kind and its parties; `answer`, the denial the same
    sentence reports of an allegation ("..., a claim the club dismissed")."""

    kind: ClaimKind
    by: list[str]
    against: list[str] = field(default_factory=list)
    answer: Label | None = None
    joins: bool = False  # a denial by who speaks for the maker of the denial before it
    context: int | None = None  # the sentence that names the "he" making the claim

    @property
    def cites(self) -> list[int]:
        """Besides its own sentence, the one that names who "he" is: the evidence of who."""
        return [self.context] if self.context is not None else []

    def answered_in_place(self, sentence: str, cue: re.Match[str]) -> Label:
        """The label with the denial its sentence reports after the allegation, if it
        does: "X accused Y of ..., an accusation the director flatly rejected". The one
        who rejects it there is the accused, most often named by a role."""
        if self.kind != "allegation" or not self.against:
            return self
        if _DENIAL_VERBS.search(sentence, cue.end()) is None:
            return self
        return replace(self, answer=Label("denial", self.against[:1]))

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
    ordered = sorted(labels.items())
    # A denial said in passing in the allegation's sentence gives way to the denier's own
    # later denial, which says more.
    deniers = [(n, party(label.by)) for n, label in ordered if label.kind == "denial"]
    later_deniers = {number: {p for n, p in deniers if n > number} for number, _ in ordered}
    last_number = 0
    for number, label in _with_answers(ordered, later_deniers, party):
        key = (label.kind, party(label.by))
        joins = label.joins and last is not None and last[0] == "denial"
        if joins and number - last_number <= PRONOUN_REACH:
            # The spokeswoman's denial is her party's, said again: one item, both named.
            denial = denials[-1]
            named = party(denial.denied_by)
            denial.denied_by += [name for name in label.by if not party([name]) <= named]
            _cite(denial.sentences, label, number)
            last_number = number
            continue
        last_number = number
        if key == last:
            if label.kind == "allegation":
                merged = allegations[-1]
                known = party(merged.against)
                merged.against += [name for name in label.against if not party([name]) <= known]
                _cite(merged.sentences, label, number)
            else:
                _cite(denials[-1].sentences, label, number)
            continue
        last = key
        # Built by the tool, not filled by the model: the bounds of what the model fills
        # (three citations, six allegations) do not apply, hence model_construct.
        if label.kind == "allegation":
            attribution = source_attribution(label.by)
            allegations.append(
                AllegationDraft.model_construct(
                    sentences=_cite([], label, number),
                    made_by=label.by,
                    against=label.against,
                    attribution=attribution,
                    source=", ".join(label.by) if attribution == "anonymous" else "",
                    claim="",
                )
            )
        else:
            denials.append(
                DenialDraft.model_construct(
                    sentences=_cite([], label, number), denied_by=label.by, content=""
                )
            )
    return ClaimsDraft.model_construct(allegations=allegations, denials=denials)


def _cite(sentences: list[int], label: Label, number: int) -> list[int]:
    """`sentences` citing the label's sentence too, and the one naming its maker."""
    for cited in [*label.cites, number]:
        if cited not in sentences:
            sentences.append(cited)
    sentences.sort()
    return sentences


def _with_answers(
    ordered: Sequence[tuple[int, Label]],
    later_deniers: Mapping[int, set[frozenset[object]]],
    party: Callable[[list[str]], frozenset[object]],
) -> Iterator[tuple[int, Label]]:
    """The labels in order, each followed by the denial its sentence reports in passing,
    unless the same party denies again later."""
    for number, label in ordered:
        yield number, label
        if label.answer is not None and party(label.answer.by) not in later_deniers[number]:
            yield number, label.answer


def source_attribution(made_by: Sequence[str]) -> Attribution:
    """Nobody said to say it: unattributed; sources described, not named ("party
    insiders", "two officials"): anonymous; otherwise named."""
    if not made_by:
        return "unattributed"
    return "anonymous" if all(is_unnamed_source(name) for name in made_by) else "named"
