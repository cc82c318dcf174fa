"""One article to one record: render the prompt, ask the model through instructor, ground."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from summarizer import __version__
from summarizer.articles import Article
from summarizer.engines import Engine
from summarizer.engines.base import Labels
from summarizer.errors import ContextOverflowError, ModelOutputError, SummarizerError, for_article
from summarizer.grounding import claims_model_for, draft_model_for, ground_brief
from summarizer.labels import (
    ClaimKind,
    claims_from_labels,
    label_sentences,
    parties_model,
    parties_model_for,
)
from summarizer.prompts import PARTIES, PromptSet
from summarizer.schema import (
    SCHEMA_VERSION,
    AllegationParties,
    BriefDraft,
    ClaimsDraft,
    DenialParties,
    Meta,
    OverviewDraft,
    Record,
    Usage,
)
from summarizer.sentences import Sentence, number_sentences, split_sentences
from summarizer.settings import Settings

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion


class _CountingEngine:
    """Passes requests to the engine and keeps count: every call is one attempt."""

    def __init__(self, engine: Engine, labels: Labels) -> None:
        self.engine = engine
        self.labels = labels
        self.attempts = 0
        self.seconds = 0.0
        self.usage = Usage()

    def __call__(self, **request: Any) -> ChatCompletion:
        self.attempts += 1
        reply = self.engine.complete(request, self.labels)
        self.seconds += reply.seconds
        completion = reply.completion
        if completion.usage is not None:
            self.usage += Usage(
                prompt_tokens=completion.usage.prompt_tokens,
                completion_tokens=completion.usage.completion_tokens,
                total_tokens=completion.usage.total_tokens,
            )
        return completion


def extract(article: Article, engine: Engine, prompt_set: PromptSet, settings: Settings) -> Record:
    """Summarize one article with the engine. Errors name the article."""
    try:
        return _extract(article, engine, prompt_set, settings)
    except SummarizerError as error:
        raise for_article(error, article.source) from None


def _extract(article: Article, engine: Engine, prompt_set: PromptSet, settings: Settings) -> Record:
    sentences = split_sentences(article.text)
    numbered = number_sentences(sentences)
    messages = prompt_set.render(article.text, numbered)
    _check_fits(engine, messages, settings.max_tokens)
    labels = {
        "article_id": article.id,
        "source": article.source,
        "prompt_set": prompt_set.name,
        "prompt_fingerprint": prompt_set.fingerprint,
        "schema_version": SCHEMA_VERSION,
        "model_option": settings.model,  # the -m that re-records it
    }
    counting = _CountingEngine(engine, labels)
    if prompt_set.two_pass:
        overview, problems = _ask(counting, OverviewDraft, messages, settings)
        if prompt_set.second_pass == PARTIES:
            claims, more_problems = _ask_parties(
                counting, prompt_set, article.text, numbered, sentences, overview, settings
            )
            # The tool merged the sentences' parties into items: the bounds of what the
            # model fills (three citations, six allegations) do not apply to them.
            draft = BriefDraft.model_construct(**dict(overview), **dict(claims))
        else:
            claims_messages = prompt_set.render_claims(
                article.text, numbered, [actor.name for actor in overview.actors]
            )
            claims_model = claims_model_for(sentences, overview.actors)
            claims, more_problems = _ask(
                counting, claims_model, claims_messages, settings, lenient=ClaimsDraft
            )
            draft = BriefDraft(**dict(overview), **dict(claims))
        problems += more_problems
    else:
        draft, problems = _ask(
            counting, draft_model_for(sentences), messages, settings, lenient=BriefDraft
        )
    actors, allegations, denials = ground_brief(draft, sentences, strict=settings.strict)
    return Record(
        article_id=article.id,
        source=article.source,
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
        ),
    )


def _ask_parties(
    counting: _CountingEngine,
    prompt_set: PromptSet,
    text: str,
    numbered: str,
    sentences: list[Sentence],
    overview: OverviewDraft,
    settings: Settings,
) -> tuple[ClaimsDraft, list[str]]:
    """The second pass of a `parties.j2` set: for each sentence whose words report an
    allegation or a denial, who makes it and against whom, read off the sentence where
    its shape tells and asked of the model where it does not; runs of such sentences are
    merged into claims. The questions differ only in their last lines, so the engine's
    prompt cache serves the rest."""
    names = [actor.name for actor in overview.actors]
    # One checked answer model per kind for the whole article, not one per question.
    models: dict[str, type[AllegationParties] | type[DenialParties]] = {}
    problems: list[str] = []

    def ask(
        sentence: Sentence, before: Sentence | None, kind: ClaimKind
    ) -> AllegationParties | DenialParties:
        messages = prompt_set.render_parties(
            text,
            numbered,
            names,
            sentence=number_sentences([sentence]),
            # "he" is often named in the sentence before.
            before=number_sentences([before] if before is not None else []),
            kind=kind,
        )
        if kind not in models:
            models[kind] = parties_model_for(kind, overview.actors, sentences)
        parties, wrong = _ask(
            counting, models[kind], messages, settings, lenient=parties_model(kind)
        )
        problems.extend(f"sentence {sentence.number}: {problem}" for problem in wrong)
        return parties

    labels = label_sentences(sentences, ask)
    return claims_from_labels(labels, overview.actors), problems


Answer = TypeVar("Answer", bound=BaseModel)


def _ask(
    counting: _CountingEngine,
    model: type[Answer],
    messages: list[dict[str, str]],
    settings: Settings,
    lenient: type[Answer] | None = None,
) -> tuple[Answer, list[str]]:
    """The model's answer through instructor, re-asked while it does not validate. After
    the last re-ask: the answer as `lenient` (the schema without the per-article checks)
    reads it, and what was still wrong with it (those items end up flagged)."""
    import instructor
    from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

    engine = counting.engine
    create = instructor.patch(
        create=counting, mode=instructor.Mode[engine.output_mode.instructor_mode]
    )
    try:
        answer: Answer = create(
            response_model=model,
            messages=messages,
            model=engine.model,
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
            max_retries=settings.max_reasks,
        )
    except InstructorRetryException as error:
        cause = error.__cause__
        if isinstance(cause, SummarizerError):
            raise cause from None
        kept = _lenient_parse(error.last_completion, lenient) if lenient else None
        if kept is None:
            raise ModelOutputError(
                f"the model's answer was still invalid after {counting.attempts} attempts: "
                f"{_first_line(cause or error)}; try a larger model or raise --max-reasks"
            ) from None
        return kept, _validation_messages(cause)
    except IncompleteOutputException:
        raise ModelOutputError(
            f"the model's answer was cut off at {settings.max_tokens} tokens; "
            "the answer is bounded, so this points at a prompt that lets it ramble"
        ) from None
    return answer, []


def _check_fits(engine: Engine, messages: list[dict[str, str]], reserved: int) -> None:
    limit = engine.context_window
    if limit is None:
        return
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
