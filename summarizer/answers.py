"""The checked answer models: what the model may answer in each pass, built for one
article so that its JSON schema (and the grammar an embedded engine makes of it) admits only
valid sentence numbers and names, and validation sends the rest back as a re-ask."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, create_model, model_validator

from summarizer.actors import ActorTable, reference_words
from summarizer.claims.lexicon import NOT_NAMES
from summarizer.names import Words, contains_words, name_words
from summarizer.schema import (
    ActorDraft,
    AllegationDraft,
    BriefDraft,
    ClaimsDraft,
    DenialDraft,
    DigestDraft,
)
from summarizer.sentences import Sentence

MAX_CITATIONS = 3


Answer = TypeVar("Answer", bound=BaseModel)
Claims = TypeVar("Claims", bound=ClaimsDraft)


@dataclass(frozen=True)
class Checked(Generic[Answer]):
    """What the model fills for one article: `model`, whose JSON schema admits only the
    article's sentence numbers (one class per sentence count, made once), and `context`,
    what its checks compare an answer with (the actors a name may be, the article's
    words). Answers are checked inside `checking()`, or by `validate`."""

    model: type[Answer]
    context: dict[str, Any]

    @contextmanager
    def checking(self) -> Iterator[None]:
        """Check answers against this article while the block runs. The context is the
        running task's own, so articles in flight together are each checked against
        their own text. (Not instructor's `context`: it renders the messages as Jinja
        templates with it, and an article may hold "{{".)"""
        token = _CHECKING.set(self.context)
        try:
            yield
        finally:
            _CHECKING.reset(token)

    def validate(self, data: Any) -> Answer:
        with self.checking():
            return self.model.model_validate(data)


_CHECKING: ContextVar[dict[str, Any] | None] = ContextVar("checking", default=None)


def draft_model_for(sentences: Sequence[Sentence]) -> Checked[BriefDraft]:
    """BriefDraft for one article, asked for in one pass: its names checked against the
    actors it lists. See `_checked_model`."""
    return Checked(_checked_model(BriefDraft, len(sentences)), _context(sentences, None))


def claims_model_for(
    sentences: Sequence[Sentence], actors: Sequence[ActorDraft]
) -> Checked[ClaimsDraft]:
    """ClaimsDraft for one article's second pass, the actors known from the first."""
    return Checked(_checked_model(ClaimsDraft, len(sentences)), _context(sentences, actors))


def _context(sentences: Sequence[Sentence], actors: Sequence[ActorDraft] | None) -> dict[str, Any]:
    return {
        "article_words": name_words(" ".join(s.text for s in sentences)),
        "actors": None if actors is None else list(actors),
    }


@cache
def _checked_model(base: type[Claims], count: int) -> type[Claims]:
    """`base` for an article of `count` sentences: citations must be its sentence
    numbers, at least one per allegation and denial, and every name an actor (the
    context's, else the answer's own) or a name the article uses.

    The JSON schema carries the valid numbers as an enum, so a grammar-constrained engine
    cannot cite a sentence that does not exist; engines that do not enforce the schema get
    the same rules as validation errors, which instructor sends back as a re-ask.
    """
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
        context = _CHECKING.get()
        if context is None:
            raise TypeError("an article's answer is checked against it: see Checked.checking")
        actors = context["actors"]
        if actors is None:
            actors = draft.actors if isinstance(draft, BriefDraft) else []
        problems = citation_problems(draft, count)
        problems += reference_problems(draft, actors, context["article_words"])
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


# --- The frames pass ---------------------------------------------------------------------

FRAME_KINDS = ("allegation", "denial", "neither")


def frame_key(index: int) -> str:
    """How the frames pass names frame `index` (from 0) to the model: F1, F2, ..."""
    return f"F{index + 1}"


def enum_safe(name: str) -> str:
    """A name as it can stand in an enum the model answers with: straight double quotes
    become single ones and backslashes slashes ('Herbert "Bistek" Bautista'). The grammar
    llama-cpp-python builds from a schema mis-escapes both inside an enum's literals, and
    llama.cpp cannot parse it."""
    return name.replace('"', "'").replace("\\", "/")


def frames_model_for(
    asks: Sequence[Sequence[str]], actors: Sequence[str], *, unnamed: str, nobody: str
) -> type[BaseModel]:
    """The answer for a list of frames, keyed F1, F2, ... in order; `asks[i]` names what
    frame i's answer holds: its "kind" (allegation, denial or neither), who makes it
    ("by") and whom it is about ("against"), as one of the actors' names (each made
    `enum_safe`) or `unnamed` / `nobody`. A frame asked one thing is answered with the
    bare value. Every answer is an enum, so a grammar-constrained engine writes a few
    tokens per frame and cannot name anyone else."""
    kind: Any = Literal[FRAME_KINDS]
    party: Any = Literal[tuple(dict.fromkeys(map(enum_safe, [*actors, unnamed, nobody])))]
    types = {"kind": kind, "by": party, "against": party}
    fields: dict[str, Any] = {}
    for index, asked in enumerate(asks):
        if len(asked) == 1:
            fields[frame_key(index)] = (types[asked[0]], ...)
            continue
        parts: dict[str, Any] = {name: (types[name], ...) for name in asked}
        fields[frame_key(index)] = (
            create_model(f"Frame{index + 1}", __base__=_StrictAnswer, **parts),
            ...,
        )
    return create_model("FrameAnswers", __base__=_StrictAnswer, **fields)


def frame_answers(answers: BaseModel, asks: Sequence[Sequence[str]]) -> list[dict[str, str]]:
    """What was answered for each frame of a `frames_model_for` answer (`asks` as it was
    built with): a dict of "kind", "by" and "against", holding only what was asked."""
    read: list[dict[str, str]] = []
    for index, asked in enumerate(asks):
        value = getattr(answers, frame_key(index), None)
        if isinstance(value, str):
            read.append({asked[0]: value})
        elif isinstance(value, BaseModel):
            read.append({name: str(getattr(value, name)) for name in type(value).model_fields})
        else:
            read.append({})
    return read


class _StrictAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- The overview of a set that reads the parse --------------------------------------------

# What the model may say a candidate is; the last two are no actor (kept only when a
# claim names it).
NOT_ACTORS = ("place", "other")
CANDIDATE_KINDS = ("person", "organization", "group", *NOT_ACTORS)


def candidate_key(index: int) -> str:
    """How the overview names candidate `index` (from 0) to the model: E1, E2, ..."""
    return f"E{index + 1}"


def overview_model_for(candidates: int) -> type[BaseModel]:
    """The overview when the parse found the actor candidates: first, for each candidate,
    keyed E1, E2, ..., what it is in the story (an enum: a few tokens each; asked while
    the list is fresh), then the digest."""
    if not candidates:
        return DigestDraft
    kind: Any = Literal[CANDIDATE_KINDS]
    names: dict[str, Any] = {candidate_key(i): (kind, ...) for i in range(candidates)}
    judged = create_model("CandidateKinds", __base__=_StrictAnswer, **names)
    fields: dict[str, Any] = {
        name: (field.annotation, field) for name, field in DigestDraft.model_fields.items()
    }
    return create_model("Overview", __base__=_StrictAnswer, names=(judged, ...), **fields)


def candidate_kinds(answer: BaseModel, candidates: int) -> list[str]:
    """What the model said each of `candidates` candidates is, from an overview answer."""
    judged = getattr(answer, "names", None)
    return [getattr(judged, candidate_key(i), NOT_ACTORS[-1]) for i in range(candidates)]


def digest_of(answer: BaseModel) -> DigestDraft:
    """The headline, summary and key points of an overview answer."""
    return DigestDraft(**{name: getattr(answer, name) for name in DigestDraft.model_fields})
