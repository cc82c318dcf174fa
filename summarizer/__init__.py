"""summarizer: news articles to typed, evidence-backed briefs.

    >>> import summarizer
    >>> record = summarizer.summarize(summarizer.read_article("article.txt"))
    >>> [actor.name for actor in record.actors]

Heavy libraries load on first use, so importing this package stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from summarizer.articles import Article as Article
    from summarizer.articles import article_from_text as article_from_text
    from summarizer.articles import read_article as read_article
    from summarizer.engines import Engine as Engine
    from summarizer.engines import open_engine as open_engine
    from summarizer.errors import SummarizerError as SummarizerError
    from summarizer.prompts import PromptSet as PromptSet
    from summarizer.prompts import load_prompt_set as load_prompt_set
    from summarizer.schema import Actor as Actor
    from summarizer.schema import Allegation as Allegation
    from summarizer.schema import Denial as Denial
    from summarizer.schema import Evidence as Evidence
    from summarizer.schema import Meta as Meta
    from summarizer.schema import Record as Record
    from summarizer.settings import Settings as Settings

_EXPORTS = {
    "Article": "summarizer.articles",
    "article_from_text": "summarizer.articles",
    "read_article": "summarizer.articles",
    "Engine": "summarizer.engines",
    "open_engine": "summarizer.engines",
    "SummarizerError": "summarizer.errors",
    "PromptSet": "summarizer.prompts",
    "load_prompt_set": "summarizer.prompts",
    "Actor": "summarizer.schema",
    "Allegation": "summarizer.schema",
    "Denial": "summarizer.schema",
    "Evidence": "summarizer.schema",
    "Meta": "summarizer.schema",
    "Record": "summarizer.schema",
    "Settings": "summarizer.settings",
}

__all__ = ["__version__", "summarize", "summarize_async", "summarize_many", *_EXPORTS]


def summarize(
    article: Article | str,
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
    prompts: PromptSet | None = None,
) -> Record:
    """Summarize one article (an `Article`, or its text) into a validated `Record`, which
    carries the article's text (`record.text`) unless `settings.omit_text` is set.

    Settings default to `Settings.resolve()` (environment, then defaults). Pass an
    `engine` from `open_engine(settings)` to reuse one model across many articles.
    """
    from summarizer.articles import article_from_text
    from summarizer.engines import open_engine
    from summarizer.extract import extract, with_text
    from summarizer.prompts import load_prompt_set
    from summarizer.settings import Settings

    settings = settings or Settings.resolve()
    if isinstance(article, str):
        article = article_from_text(article)
    prompts = prompts or load_prompt_set(settings.prompts)
    if engine is not None:
        return with_text(extract(article, engine, prompts, settings), article, settings)
    opened = open_engine(settings)
    try:
        return with_text(extract(article, opened, prompts, settings), article, settings)
    finally:
        opened.close()


async def summarize_async(
    article: Article | str,
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
    prompts: PromptSet | None = None,
) -> Record:
    """`summarize` for asyncio code. Over one engine from `open_engine(settings)`, many
    calls awaited together (asyncio.gather) are in flight at once on an OpenAI-compatible
    endpoint; on the embedded engine they run one after another. Before the loop ends,
    `await summarizer.engines.base.runs_async(engine).aclose()` closes its connections."""
    from summarizer.articles import article_from_text
    from summarizer.engines import open_engine
    from summarizer.engines.base import runs_async
    from summarizer.extract import extract_async, with_text
    from summarizer.prompts import load_prompt_set
    from summarizer.settings import Settings

    settings = settings or Settings.resolve()
    if isinstance(article, str):
        article = article_from_text(article)
    prompts = prompts or load_prompt_set(settings.prompts)
    if engine is not None:
        record = await extract_async(article, runs_async(engine), prompts, settings)
        return with_text(record, article, settings)
    opened = runs_async(open_engine(settings))
    try:
        record = await extract_async(article, opened, prompts, settings)
        return with_text(record, article, settings)
    finally:
        await opened.aclose()
        opened.close()


def summarize_many(
    articles: Iterable[Article],
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
    prompts: PromptSet | None = None,
) -> Iterator[Record | SummarizerError]:
    """Summarize articles one after another with one engine, yielding each article's record
    or, when that article failed, its error (the others go on)."""
    from summarizer.engines import open_engine
    from summarizer.errors import SummarizerError
    from summarizer.extract import extract, with_text
    from summarizer.prompts import load_prompt_set
    from summarizer.settings import Settings

    settings = settings or Settings.resolve()
    prompts = prompts or load_prompt_set(settings.prompts)
    opened = engine or open_engine(settings)
    try:
        for article in articles:
            try:
                yield with_text(extract(article, opened, prompts, settings), article, settings)
            except SummarizerError as error:
                yield error
    finally:
        if engine is None:
            opened.close()


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
