"""Checking recorded exchanges against today's prompts and schema, by replaying them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from summarizer.articles import Article, read_article
from summarizer.engines.base import OUTPUT_MODES
from summarizer.engines.store import Exchange, ExchangeStore, StoreEngine
from summarizer.errors import SummarizerError
from summarizer.extract import extract
from summarizer.prompts import load_prompt_set
from summarizer.settings import Settings


@dataclass(frozen=True)
class ArticleCheck:
    """Whether one recorded article still replays; why not, when it does not."""

    article_id: str
    source: str
    exchanges: int
    fresh: bool
    problem: str = ""


@dataclass(frozen=True)
class StoreCheck:
    articles: list[ArticleCheck]
    unused: list[Path]  # exchanges no replay asked for: left from older prompts or schemas

    @property
    def fresh(self) -> bool:
        return all(article.fresh for article in self.articles) and not self.unused


def check_store(folder: Path, prompts: str | Path | None = None) -> StoreCheck:
    """Replay every recorded article with today's prompts and schema.

    The prompt set is the one each article was recorded with (a shipped set by name)
    unless `prompts` is given. Re-asks are replayed too, so a fresh article is one whose
    whole recorded conversation is still what today's code would send.
    """
    store = ExchangeStore(folder)
    recorded_all = list(store.exchanges())
    groups: dict[tuple[str, str], list[tuple[Path, Exchange]]] = defaultdict(list)
    for path, exchange in recorded_all:
        labels = exchange.labels
        groups[(labels.get("article_id", ""), labels.get("source", ""))].append((path, exchange))
    used: set[str] = set()
    results = []
    for (article_id, source), recorded in sorted(groups.items()):
        first = recorded[0][1]
        replaying = StoreEngine(
            store,
            "replay",
            inner=None,
            name=first.recorded_with.get("engine", "local"),
            model=first.recorded_with.get("model", str(first.request.get("model", ""))),
            output_mode=OUTPUT_MODES[first.recorded_with.get("mode", "json_object")],
        )
        try:
            article = _recorded_article(article_id, source)
            prompt_set = load_prompt_set(prompts or first.labels.get("prompt_set"))
            extract(article, replaying, prompt_set, Settings())
        except SummarizerError as error:
            results.append(ArticleCheck(article_id, source, len(recorded), False, str(error)))
        else:
            results.append(ArticleCheck(article_id, source, len(recorded), True))
        used |= replaying.used
    unused = [path for path, exchange in recorded_all if exchange.hash not in used]
    return StoreCheck(results, unused)


def _recorded_article(article_id: str, source: str) -> Article:
    article = read_article(source)
    return Article(id=article_id, source=source, text=article.text, encoding=article.encoding)


def describe(check: StoreCheck) -> Iterator[str]:
    for article in check.articles:
        state = "fresh" if article.fresh else "STALE"
        line = f"{state:<6} {article.article_id} ({article.exchanges} exchanges)"
        yield line if article.fresh else f"{line}: {article.problem}"
    if check.unused:
        names = ", ".join(path.name for path in check.unused[:3])
        more = f" and {len(check.unused) - 3} more" if len(check.unused) > 3 else ""
        yield f"unused {len(check.unused)} exchanges no replay asks for: {names}{more}"
