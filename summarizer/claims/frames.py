"""Claim frames read off the parse: in each sentence, every cue that reports a claim or
its denial, with who says it (source), whom it is about (target) and what is said
(content), each a span of the article with exact offsets."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from summarizer.claims import lexicon
from summarizer.claims.lexicon import CueSense
from summarizer.sentences import Sentence, dateline_end

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


@dataclass(frozen=True)
class Part:
    """A span of the article: `text` is exactly `article[start:end]`. `head` is the span's
    main word ("Harm" of "ZDF's undercover journalist, Mr. Markus Harm") and `head_lemma`
    its lemma; `proper` the proper name the head belongs to ("Mr. Markus Harm"), or ""."""

    start: int
    end: int
    text: str
    head: str
    head_lemma: str = ""
    proper: str = ""
    plural: bool = False
    owned: bool = False  # a possessive qualifies the head: "the dockers' union"

    @property
    def is_pronoun(self) -> bool:
        return self.text.casefold() in lexicon.PRONOUNS


@dataclass(frozen=True)
class Wording:
    """What the words of a frame's content say, by the lexicon: that someone did wrong
    ("had inflated cash balances"), that something is negated ("did not pay referees"),
    or that a claim is dismissed ("baseless", "a smear")."""

    charges: bool = False
    negated: bool = False
    dismisses: bool = False


@dataclass(frozen=True)
class Frame:
    """One reported claim or denial in one sentence."""

    sentence: int  # the sentence's number, from 1
    cue: Part
    sense: CueSense
    sources: tuple[Part, ...] = ()
    targets: tuple[Part, ...] = ()
    content: Part | None = None
    wording: Wording = Wording()


def read_frames(sentences: Sequence[Sentence], docs: Sequence[Doc]) -> list[Frame]:
    """The frames of an article, in reading order: `docs[i]` is the parse of
    `sentences[i]` (see parsing.parse_sentences)."""
    frames: list[Frame] = []
    for sentence, doc in zip(sentences, docs, strict=True):
        frames += sentence_frames(sentence, doc)
    return frames


def sentence_frames(sentence: Sentence, doc: Doc) -> list[Frame]:
    """The frames of one parsed sentence."""
    reader = _Reader(sentence)
    frames = [frame for token in doc if (frame := reader.frame(token)) is not None]
    return _without_echoes(_voiced(frames))


def _without_echoes(frames: list[Frame]) -> list[Frame]:
    """One frame per claim: a reporting verb that only carries another cue's frame
    ("said it denied", "claimed that ... accused") gives way to it, unless it names a
    source the other lacks; the frame it carried keeps its source where that is only
    "they", "we" or "it" of the clause said."""
    kept = []
    speakers: dict[int, tuple[Part, ...]] = {}  # inner frame -> the sources that carry it
    for frame in frames:
        inner = [
            other
            for other in frames
            if other is not frame
            and frame.content is not None
            and frame.content.start <= other.cue.start < frame.content.end
        ]
        if frame.sense == "report" and inner and all(o.sources or not frame.sources for o in inner):
            if frame.sources and not any(p.is_pronoun for p in frame.sources):
                # Only the clause said itself, not a verb deeper in a quotation.
                said = [o for o in inner if frame.content and o.cue.head == frame.content.head]
                speakers.update({id(o): frame.sources for o in said})
            continue
        kept.append(frame)
    # "The authorities say they have charged ...": "they" are the authorities. Not "he"
    # ("police said he denied ..." is another voice), nor "their" of "their allegations".
    return [
        replace(frame, sources=speakers[id(frame)])
        if id(frame) in speakers and _only_group_pronouns(frame.sources)
        else frame
        for frame in kept
    ]


def _voiced(frames: list[Frame]) -> list[Frame]:
    """A frame without a source of its own inside what another frame says is that
    frame's claim: "Croatian media claim the brothers are suspected of ...", "police said
    the men were charged with ...": suspected, charged, as they report it."""

    def carrier(frame: Frame) -> Frame | None:
        around = [
            other
            for other in frames
            if other is not frame
            and other.sources
            and other.content is not None
            and other.content.start <= frame.cue.start < other.content.end
        ]
        if not around:
            return None
        # The closest: the one whose content is the shortest.
        return min(around, key=lambda o: o.content.end - o.content.start if o.content else 0)

    voiced = []
    for frame in frames:
        outer = carrier(frame) if not frame.sources and frame.sense == "accuse" else None
        voiced.append(replace(frame, sources=outer.sources) if outer is not None else frame)
    return voiced


def _only_group_pronouns(parts: Sequence[Part]) -> bool:
    return bool(parts) and all(p.text.casefold() in lexicon.GROUP_SUBJECTS for p in parts)


class _Reader:
    def __init__(self, sentence: Sentence) -> None:
        self.sentence = sentence
        self.dateline = dateline_end(sentence)  # no party stands in the dateline

    def frame(self, token: Token) -> Frame | None:
        lemma = token.lemma_.casefold()
        if lemma == lexicon.ACCORDING[0] and token.dep_ == "prep":
            return self._according_frame(token)
        if token.dep_ == "amod":
            return None  # "the alleged incidents": a word of the story, not a claim made
        if token.pos_ == "VERB" or (token.pos_ == "AUX" and lemma == "claim"):
            if lemma in lexicon.DENYING_VERBS:
                return self._verb_frame(token, "deny")
            if lemma in lexicon.ACCUSING_VERBS:
                return self._verb_frame(token, "accuse")
            if lemma in lexicon.REPORTING_VERBS:
                if lemma == "plead" and _pleads_not_guilty(token):
                    return self._verb_frame(token, "deny")
                return self._verb_frame(token, "report")
            return None
        if token.pos_ in ("NOUN", "PROPN"):
            if lemma in lexicon.DENYING_NOUNS:
                return self._noun_frame(token, "deny")
            if lemma in lexicon.ACCUSING_NOUNS:
                return self._noun_frame(token, "accuse")
        return None

    # --- the shapes ---------------------------------------------------------------------

    def _verb_frame(self, verb: Token, sense: CueSense) -> Frame | None:
        passive = any(child.dep_ in ("nsubjpass", "auxpass") for child in verb.children)
        if passive:
            sources = _agents(verb)
            subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
        else:
            sources = _subjects(verb)
            subjects = []
        sources = [_owner(source) for source in sources]
        clause = _reported_clause(verb)
        objects = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
        if sense == "accuse":
            # "accused Y of ...", "Y was accused", "alleged that Y ...", "blamed Y for".
            # A reported clause's doer comes before an object: "claim the brothers are
            # suspected of siphoning off, through companies, fees" gives the parse an
            # object ("fees") that belongs to the clause.
            doers = _doers(clause) if clause is not None and clause.dep_ == "ccomp" else []
            targets = subjects if passive else (doers or objects)
            if not targets and clause is not None:
                targets = _doers(clause)
            content = (
                _of_clause(verb)
                or next(filter(None, (_of_clause(source) for source in sources)), None)
                or clause
                or (objects[0] if objects else None)
            )
        elif sense == "deny":
            # What is denied: the object ("denied the claims"), a clause, or the passive
            # subject ("the claims were rejected by X"); whom it concerns is not needed.
            targets = []
            content = (objects[0] if objects else None) or clause
            if passive and subjects:
                content = subjects[0]
            if content is None and verb.dep_ == "relcl":
                content = verb.head  # "an accusation the director rejected"
        else:
            # "X told Y that Z ...": the reported clause's doer is whom it is about.
            targets = _doers(clause) if clause is not None else []
            content = clause or (objects[0] if objects else None)
        wording = _wording(verb, content)
        if sense == "report" and any(t.lower_ not in lexicon.PRONOUNS for t in targets):
            # Saying that someone else did not do something denies nothing of one's own:
            # "our election agents were not allowed in", against "it did not pay".
            wording = replace(wording, negated=False)
        return Frame(
            self.sentence.number,
            self._part(verb),
            sense,
            self._parties(sources),
            self._parties(targets),
            self._subtree(content) if content is not None else None,
            wording,
        )

    def _noun_frame(self, noun: Token, sense: CueSense) -> Frame | None:
        governor = noun.head
        if governor is not noun and governor.lemma_.casefold() in (
            lexicon.DENYING_VERBS | lexicon.ACCUSING_VERBS | lexicon.REPORTING_VERBS
        ):
            return None  # "rejected the allegations": the verb's frame
        # "an accusation the director rejected": the relative clause's verb has its frame.
        if any(
            c.dep_ == "relcl" and c.lemma_.casefold() in lexicon.DENYING_VERBS
            for c in noun.children
        ):
            return None
        sources = _objects_of(noun, "prep", lexicon.BY_PREPOSITIONS)
        sources += [c for c in noun.children if c.dep_ == "poss"]
        if noun.dep_ == "nsubjpass":
            sources += _agents(noun.head)
        targets = _objects_of(noun, "prep", lexicon.AGAINST_PREPOSITIONS)
        clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp")), None)
        if not targets and clause is not None:
            targets = _subjects(clause)
        if sense == "deny":
            targets = []
        if not sources and not targets:
            return None  # a mention ("the Texas lawsuit"), not a claim someone makes
        return Frame(
            self.sentence.number,
            self._part(noun),
            sense,
            self._parties(sources),
            self._parties(targets),
            self._subtree(clause) if clause is not None else None,
            _wording(noun, clause),
        )

    def _according_frame(self, according: Token) -> Frame | None:
        holders = _objects_of(according, "prep", {lexicon.ACCORDING[1]})
        if not holders:
            return None
        clause = according.head
        return Frame(
            self.sentence.number,
            self._part(according, through=holders[0].head),
            "report",
            self._parties(holders),
            self._parties(_subjects(clause)),
            self._subtree(clause, leaving_out=according),
            _wording(according, clause, leaving_out=according),
        )

    # --- spans --------------------------------------------------------------------------

    def _part(self, token: Token, through: Token | None = None) -> Part:
        last = through or token
        return self._span(token.idx, last.idx + len(last.text), token)

    def _parties(self, tokens: Iterable[Token]) -> tuple[Part, ...]:
        """Each token's noun phrase, and those coordinated with it; none in the dateline."""
        return tuple(
            self._party(token) for token in _with_conjuncts(tokens) if token.idx >= self.dateline
        )

    def _party(self, token: Token) -> Part:
        """The noun phrase a source or target is: its words up to the head, with the
        compounds, titles and appositions around it; not its relative clauses."""
        words = [token]
        for child in token.children:
            if child.dep_ in ("compound", "flat", "poss", "amod", "nmod", "nummod", "det", "case"):
                words += list(child.subtree)
            elif child.dep_ == "appos" and _names_someone(token, child):
                # "Peter Hall, a spokesman for the firm"; not "the director, an accusation".
                words += [w for w in child.subtree if w.dep_ != "punct" or w.i < child.i]
            elif child.dep_ == "prep" and child.lemma_.casefold() in ("of", "for"):
                # "a spokesman for the ministry", "a lawyer for McKim"; not "of funneling".
                named = [w for w in child.subtree if w.pos_ == "PROPN"]
                if named and all(w.pos_ not in ("VERB", "AUX") for w in child.subtree):
                    words += list(child.subtree)
        words = [w for w in words if w.idx >= self.dateline]
        words = [w for w in words if not (w.dep_ == "det" and w.i == min(x.i for x in words))]
        if not words:
            words = [token]
        first = min(words, key=lambda w: w.i)
        last = max(words, key=lambda w: w.i)
        return self._span(first.idx, last.idx + len(last.text), token)

    def _subtree(self, token: Token, leaving_out: Token | None = None) -> Part:
        excluded = set(leaving_out.subtree) if leaving_out is not None else set()
        words = [w for w in token.subtree if w not in excluded and not w.is_space]
        while words and words[-1].is_punct:
            words.pop()
        if not words:
            words = [token]
        first, last = words[0], words[-1]
        return self._span(first.idx, last.idx + len(last.text), token)

    def _span(self, start: int, end: int, head: Token) -> Part:
        offset = self.sentence.start
        return Part(
            offset + start,
            offset + end,
            self.sentence.text[start:end],
            head.text,
            _lemma(head),
            _proper_name(head),
            head.tag_ in ("NNS", "NNPS"),
            any(child.dep_ == "poss" and child.pos_ != "PRON" for child in head.children),
        )


def _wording(cue: Token, content: Token | None, leaving_out: Token | None = None) -> Wording:
    """The lexicon's reading of a frame's words: the content's, and the cue's own
    complements ("called the report a smear", "terming the claims ridiculous")."""
    excluded = set(leaving_out.subtree) if leaving_out is not None else set()
    words = [w for w in (content.subtree if content is not None else ()) if w not in excluded]
    around = [w for w in cue.children if w.dep_ in ("oprd", "acomp", "xcomp", "advcl", "prep")]
    complements = [w for child in around for w in child.subtree if w not in words]
    lemmas = {w.lemma_.casefold() for w in words} | {w.lower_ for w in words}
    negated = any(
        w.dep_ == "neg" or (w.lower_ in lexicon.NEGATIONS and w.dep_ in ("det", "advmod"))
        for w in words
    )
    said_around = {w.lemma_.casefold() for w in complements} | {w.lower_ for w in complements}
    return Wording(
        charges=bool(lemmas & lexicon.WRONGDOING),
        negated=negated,
        dismisses=bool((lemmas | said_around) & lexicon.DISMISSIVE),
    )


def _lemma(head: Token) -> str:
    """A head word's lemma, or the word itself where the lexicon knows it as it stands:
    spaCy reads "media" as the plural of "medium"."""
    word = head.lower_
    if word in lexicon.PEOPLE_NOUNS or word in lexicon.ORGANISATION_NOUNS:
        return word
    return str(head.lemma_.casefold())


def _names_someone(head: Token, apposition: Token) -> bool:
    return head.pos_ == "PROPN" or any(w.pos_ == "PROPN" for w in apposition.subtree)


def _proper_name(head: Token) -> str:
    """The proper name a head word belongs to: its named entity if it is in one that can
    be an actor, else the run of proper nouns it ends ("Mr. Markus Harm"); "" for a
    common noun."""
    if head.ent_type_ in lexicon.ENTITY_KINDS:
        entity = next((e for e in head.doc.ents if e.start <= head.i < e.end), None)
        if entity is not None:
            return str(entity.text)
    if head.pos_ != "PROPN":
        return ""
    words = [w for w in head.lefts if w.dep_ in ("compound", "flat") and w.pos_ == "PROPN"]
    first = min([head, *words], key=lambda w: w.i)
    return str(head.doc[first.i : head.i + 1].text)


def _subjects(verb: Token) -> list[Token]:
    """The subject of a verb, or of the verb it is coordinated with or serves
    ("AK has refuted the claims saying ...": AK says it too); for a relative clause
    ("a lawsuit that accuses ..."), the noun it qualifies."""
    seen = verb
    for _ in range(4):
        subjects = [c for c in seen.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects and seen.dep_ == "relcl" and subjects[0].tag_ in ("WDT", "WP"):
            return [seen.head]
        if subjects:
            return subjects
        if seen.dep_ in ("conj", "advcl", "xcomp", "relcl", "acl") and seen.head is not seen:
            if seen.dep_ in ("relcl", "acl"):
                # "the board, which denied ...", "a report alleging ...": the noun.
                return [seen.head]
            seen = seen.head
            continue
        break
    return []


def _doers(clause: Token) -> list[Token]:
    """Who does what a reported clause says: its subject, or the agent of a passive one
    ("tactics are being used ... by MACC officers")."""
    return _agents(clause) or _subjects(clause)


def _agents(verb: Token) -> list[Token]:
    """The agent of a passive verb: "was accused by the mayor" -> mayor."""
    return _objects_of(verb, "agent")


def _objects_of(
    token: Token, dep: str, words: frozenset[str] | set[str] | None = None
) -> list[Token]:
    """The objects of a token's prepositions of one dependency ("prep", "agent"), of those
    prepositions only that are among `words` when given: "claims by German media"."""
    return [
        pobj
        for prep in token.children
        if prep.dep_ == dep and (words is None or prep.lower_ in words)
        for pobj in prep.children
        if pobj.dep_ == "pobj"
    ]


def _owner(source: Token) -> Token:
    """Who stands behind a document that says something: its possessor or the proper
    name before it ("Muddy Waters' report"), whoever it is "by", or whoever published,
    issued or filed it ("La Vanguardia published an article alleging ...")."""
    if source.lemma_.casefold() not in lexicon.DOCUMENT_NOUNS:
        return source
    for child in source.children:
        if child.dep_ == "poss" or (child.dep_ == "compound" and child.pos_ == "PROPN"):
            return child
    for prep in source.children:
        if prep.dep_ in ("prep", "agent") and prep.lemma_.casefold() in lexicon.BY_PREPOSITIONS:
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    return pobj
    # "filed by X": a participle after the document.
    for child in source.children:
        if child.dep_ == "acl":
            for agent in child.children:
                if agent.dep_ == "agent":
                    return next((w for w in agent.children if w.dep_ == "pobj"), source)
    governor = source.head
    if source.dep_ in ("dobj", "pobj") and governor.pos_ in ("VERB", "ADP"):
        verb = governor if governor.pos_ == "VERB" else governor.head
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.pos_ in ("PROPN", "NOUN"):
            return subject
    return source


def _reported_clause(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp") and child.pos_ in ("VERB", "AUX"):
            return child
    # "'...,' he said": the quoted clause is the verb's head or its parataxis.
    if verb.dep_ in ("parataxis",) or (verb.dep_ == "ccomp" and verb.head.i < verb.i):
        return verb.head if verb.head is not verb else None
    for child in verb.children:
        if child.dep_ == "parataxis":
            return child
    return None


def _of_clause(verb: Token) -> Token | None:
    """What someone is accused of: "accused Y of hiding ...", "blamed Y for ..."."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lemma_.casefold() in ("of", "for", "with"):
            for grandchild in child.children:
                if grandchild.dep_ in ("pcomp", "pobj"):
                    return grandchild
    return None


def _pleads_not_guilty(verb: Token) -> bool:
    return any(t.lower_ in lexicon.PLEA_WORDS for t in verb.subtree)


def _with_conjuncts(tokens: Iterable[Token]) -> Iterator[Token]:
    """Each token and those coordinated with it: "X and Y denied" has two sources."""
    for token in tokens:
        yield token
        yield from (c for c in token.conjuncts if c.i > token.i)


def parts_text(parts: Iterable[Part]) -> str:
    return "; ".join(part.text for part in parts)


def article_frames(text: str) -> list[Frame]:
    """The frames of an article's text: split into sentences, parsed, read."""
    from summarizer.parsing import parse_sentences
    from summarizer.sentences import split_sentences

    sentences = split_sentences(text)
    return read_frames(sentences, parse_sentences(sentences))
