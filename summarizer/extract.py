"""One article to one record: run the passes its prompt set declares, asking the model
through instructor, then ground the answer in the article's sentences.

The passes are written once, as a generator of steps that yields each question for the
model and takes its answer back; `extract` asks the questions one by one and
`extract_async` awaits them through instructor's async path, so many articles can be in
flight on one event loop. No step calls the model itself: the claims code returns what
it needs asked and takes the answers in.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Generator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from summarizer import __version__
from summarizer.actors import ActorTable
from summarizer.answers import (
    NOT_ACTORS,
    Checked,
    candidate_key,
    candidate_kinds,
    claims_model_for,
    digest_of,
    draft_model_for,
    enum_safe,
    frame_answers,
    frame_key,
    frames_model_for,
    overview_model_for,
)
from summarizer.articles import Article
from summarizer.claims.frames import Frame
from summarizer.claims.merge import (
    NOBODY,
    UNNAMED,
    Parties,
    Verdict,
    claimants,
    claims_from_frames,
    kind_by_words,
    read_parties,
)
from summarizer.engines import Engine
from summarizer.engines.base import AsyncEngine, Labels, Reply
from summarizer.errors import (
    AnswerCutOffError,
    ContextOverflowError,
    ModelOutputError,
    SummarizerError,
    for_article,
)
from summarizer.grounding import ground_brief
from summarizer.parsing import ENGLISH_SHARE
from summarizer.prompts import Messages, PromptSet, load_prompt_set
from summarizer.reading import Reading, read_english
from summarizer.schema import (
    SCHEMA_VERSION,
    ActorDraft,
    BriefDraft,
    ClaimsDraft,
    Meta,
    OverviewDraft,
    Record,
    Usage,
)
from summarizer.sentences import Sentence, number_sentences, split_sentences
from summarizer.settings import Settings

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion

# At most this many frames go to the model in its one frames answer; a longer article
# keeps the frames whose cue accuses or denies first.
MAX_FRAMES = 30
# How much of a frame's reported words the frames prompt shows.
WHAT_CHARS = 140


class _CountingEngine:
    """Passes requests to the engine and keeps count: every call is one attempt."""

    def __init__(self, engine: Engine, labels: Labels) -> None:
        self.engine = engine
        self.labels = labels
        self.attempts = 0
        self.seconds = 0.0
        self.usage = Usage()
        # The pass being asked, labelled on each request (the embedded engine shows it).
        self.step = ""

    def __call__(self, **request: Any) -> ChatCompletion:
        self.attempts += 1
        return self._counted(self.engine.complete(request, self._labels()))

    async def acall(self, **request: Any) -> ChatCompletion:
        """The same, through an engine that takes requests concurrently."""
        engine: AsyncEngine = self.engine  # type: ignore[assignment]
        self.attempts += 1
        return self._counted(await engine.complete_async(request, self._labels()))

    def _labels(self) -> Labels:
        return {**self.labels, "pass": self.step} if self.step else self.labels

    def _counted(self, reply: Reply) -> ChatCompletion:
        self.seconds += reply.seconds
        completion = _without_control_characters(reply.completion)
        usage = completion.usage
        if usage is not None:
            details = usage.prompt_tokens_details
            self.usage += Usage(
                prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens,
                total_tokens=usage.total_tokens,
                cached_tokens=(details.cached_tokens or 0) if details is not None else 0,
            )
        return completion


_CONTROL = re.compile(r"[\x00-\x1f]")


def _without_control_characters(completion: ChatCompletion) -> ChatCompletion:
    """The completion with raw control characters in its text turned into spaces. JSON
    forbids them inside strings, and a small model writes a line break into one even
    under a grammar; at temperature 0 a re-ask gets the same answer back, so the answer
    is read with the break as a space instead (where JSON allows a break, a space is
    as good)."""
    for choice in completion.choices:
        message = choice.message
        if message.content and _CONTROL.search(message.content):
            message.content = _CONTROL.sub(" ", message.content)
        for call in message.tool_calls or []:
            function = getattr(call, "function", None)
            if function is not None and _CONTROL.search(function.arguments):
                function.arguments = _CONTROL.sub(" ", function.arguments)
    return completion


@dataclass(frozen=True)
class _Question:
    """One structured answer a pass needs: the model to fill, the messages, and the
    schema without the per-article checks that reads an answer still invalid after the
    last re-ask (None: such an answer is an error)."""

    model: type[BaseModel]
    messages: Messages
    lenient: type[BaseModel] | None = None
    step: str = ""  # the pass that asks it
    checked: Checked[Any] | None = None  # the article the answer is checked against


# An answer, and what was still wrong with it after the last re-ask.
Answered = tuple[Any, list[str]]
Steps = Generator[_Question, Answered, Record]


@dataclass(frozen=True)
class _Article:
    """What every pass reads: the article and its numbered sentences."""

    article: Article
    sentences: list[Sentence]
    numbered: str


def extract(article: Article, engine: Engine, prompt_set: PromptSet, settings: Settings) -> Record:
    """Summarize one article with the engine. Errors name the article."""
    try:
        reading = read_english(article.text) if prompt_set.reads_the_parse else None
        counting, steps = _begin(article, engine, prompt_set, settings, reading)
        question = next(steps)
        while True:
            question = steps.send(_ask(counting, question, settings))
    except StopIteration as finished:
        record: Record = finished.value
        return record
    except SummarizerError as error:
        raise for_article(error, article.source) from None


async def extract_async(
    article: Article,
    engine: AsyncEngine,
    prompt_set: PromptSet,
    settings: Settings,
    reading: Awaitable[Reading] | None = None,
) -> Record:
    """`extract`, awaiting the model's answers: the same steps, asked concurrently with
    other articles'. `reading`, when given, is the article's parse being made elsewhere
    (a batch parses ahead in worker processes, see summarizer.reading); else a set that
    reads the parse parses the article here."""
    try:
        if prompt_set.reads_the_parse:
            read = await reading if reading is not None else read_english(article.text)
        else:
            read = None
        counting, steps = _begin(article, engine, prompt_set, settings, read)
        question = next(steps)
        while True:
            question = steps.send(await _ask_async(counting, question, settings))
    except StopIteration as finished:
        record: Record = finished.value
        return record
    except SummarizerError as error:
        raise for_article(error, article.source) from None


def _begin(
    article: Article,
    engine: Engine,
    prompt_set: PromptSet,
    settings: Settings,
    reading: Reading | None,
) -> tuple[_CountingEngine, Steps]:
    """The engine that counts this article's calls, and the steps that ask through it:
    what `extract` and `extract_async` both drive, one calling, the other awaiting."""
    prompt_set, reading, fallback = _prompt_set_for(prompt_set, reading)
    counting = _CountingEngine(engine, _labels(article, prompt_set, settings))
    return counting, _steps(article, engine, prompt_set, settings, reading, fallback, counting)


def with_text(record: Record, article: Article, settings: Settings) -> Record:
    """The record carrying its article's text, or none when the settings leave it out."""
    text = None if settings.omit_text else article.text
    return record if record.text == text else record.model_copy(update={"text": text})


def _prompt_set_for(
    prompt_set: PromptSet, reading: Reading | None
) -> tuple[PromptSet, Reading | None, str | None]:
    """The set that runs for this article, the parse's reading when the set uses one, and
    why the set's fallback runs instead, if it does (the English parse cannot read the
    article)."""
    if reading is None:
        return prompt_set, None, None
    share = reading.english_share
    if share >= ENGLISH_SHARE or prompt_set.fallback is None:
        return prompt_set, reading, None
    fallback = (
        f"only {share:.0%} of the article's words are English function words, so the "
        f"English parse cannot read it: the {prompt_set.fallback!r} set ran instead of "
        f"{prompt_set.name!r}"
    )
    return load_prompt_set(prompt_set.fallback), None, fallback


def _labels(article: Article, prompt_set: PromptSet, settings: Settings) -> dict[str, str]:
    return {
        "article_id": article.id,
        "source": article.source,
        "prompt_set": prompt_set.name,
        "prompt_fingerprint": prompt_set.fingerprint,
        "schema_version": SCHEMA_VERSION,
        "model_option": settings.model,  # the -m that re-records it
    }


def _steps(
    article: Article,
    engine: Engine,
    prompt_set: PromptSet,
    settings: Settings,
    reading: Reading | None,
    fallback: str | None,
    counting: _CountingEngine,
) -> Steps:
    sentences = split_sentences(article.text)
    read = _Article(article, sentences, number_sentences(sentences))
    first = prompt_set.passes[0]
    opening = prompt_set.render(first, article=article.text, numbered=read.numbered, candidates=[])
    _check_fits(engine, opening, settings)
    problems: list[str] = []
    if prompt_set.passes == ("brief",):
        draft = yield from _one_answer(read, prompt_set, problems)
    elif prompt_set.passes == ("overview", "claims"):
        draft = yield from _listed_claims(read, prompt_set, problems)
    else:
        assert reading is not None, "a set with a frames pass reads the parse"
        draft = yield from _read_the_parse(read, prompt_set, reading, problems)
    actors, allegations, denials = ground_brief(draft, sentences, strict=settings.strict)
    return Record(
        article_id=article.id,
        source=article.source,
        source_metadata=article.metadata,
        sha256=article.sha256,
        headline=draft.headline.strip(),
        summary=draft.summary.strip(),
        key_points=[point.strip() for point in draft.key_points if point.strip()],
        actors=actors,
        allegations=allegations,
        denials=denials,
        meta=Meta(
            model=engine.model,
            engine=engine.name,
            mode=engine.output_mode.name,
            prompt_set=prompt_set.name,
            prompt_fingerprint=prompt_set.fingerprint,
            schema_version=SCHEMA_VERSION,
            attempts=counting.attempts,
            usage=counting.usage,
            # Time spent in the model, so a replayed record repeats the recorded one.
            latency_seconds=round(counting.seconds, 3),
            tool_version=__version__,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            problems=problems,
            fallback=fallback,
        ),
    )


def _asked(question: _Question, problems: list[str]) -> Generator[_Question, Answered, Any]:
    """Yield a question; the answer, with what was still wrong with it kept in `problems`."""
    answer, wrong = yield question
    problems += wrong
    return answer


def _one_answer(
    read: _Article, prompt_set: PromptSet, problems: list[str]
) -> Generator[_Question, Answered, BriefDraft]:
    """The `brief` pass: everything in one answer, claims citing sentence numbers."""
    messages = prompt_set.render(
        "brief", article=read.article.text, numbered=read.numbered, candidates=[]
    )
    checked = draft_model_for(read.sentences)
    question = _Question(checked.model, messages, BriefDraft, "brief", checked)
    draft: BriefDraft = yield from _asked(question, problems)
    return draft


def _listed_claims(
    read: _Article, prompt_set: PromptSet, problems: list[str]
) -> Generator[_Question, Answered, BriefDraft]:
    """The `overview` pass with the actors the model lists, then the `claims` it lists."""
    text, numbered = read.article.text, read.numbered
    messages = prompt_set.render("overview", article=text, numbered=numbered, candidates=[])
    question = _Question(OverviewDraft, messages, step="overview")
    overview: OverviewDraft = yield from _asked(question, problems)
    names = [actor.name for actor in overview.actors]
    messages = prompt_set.render("claims", article=text, numbered=numbered, actors=names)
    checked = claims_model_for(read.sentences, overview.actors)
    question = _Question(checked.model, messages, ClaimsDraft, "claims", checked)
    claims: ClaimsDraft = yield from _asked(question, problems)
    return BriefDraft(**dict(overview), **dict(claims))


def _read_the_parse(
    read: _Article, prompt_set: PromptSet, reading: Reading, problems: list[str]
) -> Generator[_Question, Answered, BriefDraft]:
    """The `overview` pass judging the actors the parse found, then the `frames` pass: one
    answer for every claim frame whose kind or parties the parse leaves open."""
    text, numbered = read.article.text, read.numbered
    candidates = reading.candidates
    shown = [
        {"key": candidate_key(i), "name": c.name, "aliases": c.aliases}
        for i, c in enumerate(candidates)
    ]
    judged = shown if prompt_set.judge_names else []
    messages = prompt_set.render("overview", article=text, numbered=numbered, candidates=judged)
    question = _Question(overview_model_for(len(judged)), messages, step="overview")
    overview = yield from _asked(question, problems)
    digest = digest_of(overview)
    kinds = (
        candidate_kinds(overview, len(candidates))
        if prompt_set.judge_names
        else [candidate.kind for candidate in candidates]
    )
    drafts = [
        ActorDraft(
            name=candidate.name,
            kind=candidate.kind if kind in NOT_ACTORS else kind,
            role=candidate.role[:60],
            affiliation="",
            aliases=candidate.aliases[:4],
        )
        for candidate, kind in zip(candidates, kinds, strict=True)
    ]
    table = ActorTable()
    indexes = [table.add(draft) for draft in drafts]
    frames = _chosen(reading.frames)
    parties = read_parties(frames, table, read.sentences)
    asks = [
        _asks(frame, known, prompt_set.frames_ask)
        for frame, known in zip(frames, parties, strict=True)
    ]
    asked = [index for index, ask in enumerate(asks) if ask]
    answers: dict[int, dict[str, str]] = {}
    if asked:
        # The names as the answer's enum can hold them, and back.
        offered = {enum_safe(name): name for name in table.names()}
        names = list(offered)
        model = frames_model_for([asks[i] for i in asked], names, unnamed=UNNAMED, nobody=NOBODY)
        lines = [_frame_line(n, frames[index], asks[index]) for n, index in enumerate(asked)]
        messages = prompt_set.render(
            "frames", article=text, numbered=numbered, actors=names, frames=lines
        )
        answer = yield from _asked(_Question(model, messages, step="frames"), problems)
        answered = frame_answers(answer, [asks[i] for i in asked])
        answers = {
            index: {part: offered.get(value, value) for part, value in said.items()}
            for index, said in zip(asked, answered, strict=True)
        }
    verdicts = {
        index: Verdict(
            answers.get(index, {}).get("kind") or kind_by_words(frame),  # type: ignore[arg-type]
            answers.get(index, {}).get("by"),
            answers.get(index, {}).get("against"),
        )
        for index, frame in enumerate(frames)
    }
    claims = claims_from_frames(frames, parties, verdicts, table)
    # An actor the model called something else stays when a claim names it, and so does a
    # group the claims describe ("officials", "the dockers' union"), and whoever makes one.
    named = {name for item in claims.allegations for name in [*item.made_by, *item.against]}
    named |= {name for item in claims.denials for name in item.denied_by}
    named |= claimants(parties, verdicts, table)
    actors = [
        draft
        for draft, kind, index in zip(drafts, kinds, indexes, strict=True)
        if kind not in NOT_ACTORS or table.name(index) in named
    ]
    listed = set(indexes)
    actors += [
        ActorDraft(name=actor.name, kind=actor.kind, role="", affiliation="", aliases=[])
        for index, actor in enumerate(table.actors())
        if index not in listed and actor.name in named
    ]
    # The tool merged the frames into items: the bounds of what the model fills (three
    # citations, six allegations) do not apply to them.
    return BriefDraft.model_construct(
        headline=digest.headline,
        summary=digest.summary,
        key_points=digest.key_points,
        actors=actors,
        allegations=claims.allegations,
        denials=claims.denials,
    )


def _frame_line(position: int, frame: Frame, asks: list[str]) -> dict[str, Any]:
    """What the frames template shows of one frame."""
    return {
        "key": frame_key(position),
        "sentence": frame.sentence,
        "cue": frame.cue.text,
        "by": "; ".join(part.text for part in frame.sources),
        "about": "; ".join(part.text for part in frame.targets),
        "what": _clipped(frame.content.text) if frame.content is not None else "",
        "asks": asks,
    }


def _chosen(frames: list[Frame]) -> list[Frame]:
    """At most MAX_FRAMES frames, in reading order, those whose cue accuses or denies first."""
    if len(frames) <= MAX_FRAMES:
        return frames
    ranked = sorted(range(len(frames)), key=lambda i: (frames[i].sense == "report", i))
    keep = set(ranked[:MAX_FRAMES])
    return [frame for index, frame in enumerate(frames) if index in keep]


def _asks(frame: Frame, known: Parties, ask: tuple[str, ...]) -> list[str]:
    """What the model is asked about a frame, of what the set lets it ask: its kind when
    its cue only reports speech; who makes it when the parse did not find them; whom it
    is about when the parse did not find them and it may be an allegation (by its kind
    if the model judges it, else by its words)."""
    asks = []
    judged = "kind" in ask and frame.sense == "report"
    if judged:
        asks.append("kind")
    if "by" in ask and known.makers is None:
        asks.append("by")
    may_accuse = frame.sense != "deny" if judged else kind_by_words(frame) == "allegation"
    if "against" in ask and may_accuse and known.targets is None:
        asks.append("against")
    return asks


def _clipped(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= WHAT_CHARS:
        return text
    cut = text[:WHAT_CHARS].rsplit(" ", 1)[0]
    return cut + " ..."


def _ask(counting: _CountingEngine, question: _Question, settings: Settings) -> Answered:
    """The model's answer through instructor, re-asked while it does not validate."""
    counting.step = question.step
    create = _instructed(counting.__call__, counting.engine)
    try:
        with _checking(question):
            return create(**_arguments(question, counting.engine, settings)), []
    except Exception as error:
        return _after_failure(error, question, counting, settings)


async def _ask_async(
    counting: _CountingEngine, question: _Question, settings: Settings
) -> Answered:
    """`_ask` through instructor's async path."""
    counting.step = question.step
    create = _instructed(counting.acall, counting.engine)
    try:
        with _checking(question):
            return await create(**_arguments(question, counting.engine, settings)), []
    except Exception as error:
        return _after_failure(error, question, counting, settings)


def _checking(question: _Question) -> AbstractContextManager[None]:
    return question.checked.checking() if question.checked is not None else nullcontext()


def _instructed(create: Any, engine: Engine) -> Any:
    import instructor

    return instructor.patch(create=create, mode=instructor.Mode[engine.output_mode.instructor_mode])


def _arguments(question: _Question, engine: Engine, settings: Settings) -> dict[str, Any]:
    return {
        "response_model": question.model,
        "messages": question.messages,
        "model": engine.model,
        "temperature": settings.temperature,
        "max_tokens": settings.max_tokens,
        "max_retries": settings.max_reasks,
    }


def _after_failure(
    error: Exception, question: _Question, counting: _CountingEngine, settings: Settings
) -> Answered:
    """After the last re-ask: the answer as `question.lenient` reads it, and what was
    still wrong with it (those items end up flagged); without a lenient reading, or for
    an answer cut off, the error the user reads."""
    from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

    if isinstance(error, InstructorRetryException):
        cause = error.__cause__
        if isinstance(cause, SummarizerError):
            raise cause from None
        lenient = question.lenient
        kept = _lenient_parse(error.last_completion, lenient) if lenient else None
        if kept is None:
            raise ModelOutputError(
                f"the model's answer was still invalid after {counting.attempts} attempts: "
                f"{_first_line(cause or error)}; try a larger model or raise --max-reasks"
            ) from None
        return kept, _validation_messages(cause)
    if isinstance(error, IncompleteOutputException):
        raise AnswerCutOffError(
            f"the model's answer ran into the limit of {settings.max_tokens} tokens we set "
            "on it and was cut off (finish_reason length); raise --max-tokens, or, if the "
            "model repeats itself, try a larger one"
        ) from None
    raise error


def _check_fits(engine: Engine, messages: Messages, settings: Settings) -> None:
    limit = engine.context_window
    if limit is None:
        return
    reserved = settings.max_tokens
    prompt_tokens = engine.count_prompt_tokens(messages)
    if prompt_tokens is not None and prompt_tokens + reserved > limit:
        raise ContextOverflowError.counted(prompt_tokens, reserved, limit, engine.model)


def _lenient_parse(completion: Any, model: type[Any]) -> Any:
    """The last answer as `model` reads it, or None if it does not."""
    from pydantic import ValidationError

    choices = getattr(completion, "choices", None)
    if not choices:
        return None
    message = choices[0].message
    tool_calls = getattr(message, "tool_calls", None)
    text = tool_calls[0].function.arguments if tool_calls else message.content or ""
    if "```" in text:  # md_json: the JSON sits in a fenced block
        text = text.split("```")[1].removeprefix("json")
    try:
        return model.model_validate_json(text)
    except ValidationError:
        return None


def _validation_messages(error: BaseException | None) -> list[str]:
    from pydantic import ValidationError

    if isinstance(error, ValidationError):
        return [str(item["msg"]).removeprefix("Value error, ") for item in error.errors()]
    return [_first_line(error)] if error else []


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return " ".join(lines[:3])[:300] if lines else type(error).__name__
