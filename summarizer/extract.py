"""One article to one record: render the prompt, ask the model through instructor, ground."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from summarizer import __version__
from summarizer.articles import Article
from summarizer.engines import Engine
from summarizer.errors import ContextOverflowError, ModelOutputError, SummarizerError, for_article
from summarizer.grounding import ground_brief
from summarizer.prompts import PromptSet
from summarizer.schema import SCHEMA_VERSION, BriefDraft, Meta, Record, Usage
from summarizer.settings import Settings

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion


class _CountingEngine:
    """Passes requests to the engine and keeps count: every call is one attempt."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.attempts = 0
        self.usage = Usage()

    def __call__(self, **request: Any) -> ChatCompletion:
        self.attempts += 1
        completion = self.engine.complete(request)
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
    import instructor
    from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

    messages = prompt_set.render(article.text)
    _check_fits(engine, messages, settings.max_tokens)
    counting = _CountingEngine(engine)
    create = instructor.patch(
        create=counting, mode=instructor.Mode[engine.output_mode.instructor_mode]
    )
    started = time.perf_counter()
    try:
        draft: BriefDraft = create(
            response_model=BriefDraft,
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
        raise ModelOutputError(
            f"the model's answer was still invalid after {counting.attempts} attempts: "
            f"{_first_line(cause or error)}; try a larger model or raise --max-reasks"
        ) from None
    except IncompleteOutputException:
        raise ModelOutputError(
            f"the model's answer was cut off at {settings.max_tokens} tokens; "
            "the answer is bounded, so this points at a prompt that lets it ramble"
        ) from None
    latency = time.perf_counter() - started
    actors, allegations, denials = ground_brief(article.text, draft)
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
            latency_seconds=round(latency, 3),
            tool_version=__version__,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        ),
    )


def _check_fits(engine: Engine, messages: list[dict[str, str]], reserved: int) -> None:
    limit = engine.context_window
    if limit is None:
        return
    prompt_tokens = engine.count_prompt_tokens(messages)
    if prompt_tokens is not None and prompt_tokens + reserved > limit:
        raise ContextOverflowError.counted(prompt_tokens, reserved, limit, engine.model)


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return " ".join(lines[:3])[:300] if lines else type(error).__name__
