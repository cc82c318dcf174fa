"""Many articles into one resumable JSONL of records: inputs, resume, errors."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from summarizer.articles import Article, article_from_text, read_article
from summarizer.errors import InputError, SummarizerError
from summarizer.schema import Record


def read_inputs(paths: Iterable[Path]) -> Iterator[Article | InputError]:
    """Articles from text files, folders of `*.txt`, and JSONL archives (`{"id", "text"}` a
    line). A bad input is yielded as its error, naming the file (and line), and the rest go on.
    """
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.txt") if p.is_file())
            if not files:
                yield InputError(str(path), "folder holds no .txt articles")
            for file in files:
                yield _read_file(file)
        elif path.suffix == ".jsonl":
            yield from _read_archive(path)
        else:
            yield _read_file(path)


def _read_file(path: Path) -> Article | InputError:
    try:
        return read_article(path)
    except InputError as error:
        return error


def _read_archive(path: Path) -> Iterator[Article | InputError]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        yield InputError(str(path), "file not found")
        return
    except (OSError, UnicodeDecodeError) as error:
        yield InputError(str(path), f"cannot read the archive: {error}")
        return
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputError(where, f"invalid JSON: {error.msg}")
            continue
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            yield InputError(where, 'each line needs {"id": ..., "text": ...}')
            continue
        article_id = str(item.get("id") or "").strip() or None
        if article_id in seen:
            yield InputError(where, f"id {article_id!r} appears twice in the archive")
            continue
        try:
            article = article_from_text(item["text"], id=article_id, source=where)
        except InputError as error:
            yield error
            continue
        seen.add(article.id)
        yield article


def finished_ids(output: Path) -> set[str]:
    """Ids of the records already in the output, after trimming a line a crash cut short."""
    if not output.exists():
        return set()
    data = output.read_bytes()
    if data and not data.endswith(b"\n"):
        data = data[: data.rfind(b"\n") + 1]
        output.write_bytes(data)
    done = set()
    for line in data.decode("utf-8", errors="replace").splitlines():
        try:
            done.add(json.loads(line)["article_id"])
        except (ValueError, KeyError, TypeError):
            continue
    return done


@dataclass(frozen=True)
class Outcome:
    """What happened to one input."""

    status: Literal["done", "skipped", "failed"]
    article_id: str
    record: Record | None = None
    error: SummarizerError | None = None


def run_batch(
    inputs: Iterable[Article | InputError],
    output: Path,
    summarize: Callable[[list[Article]], Iterable[Record | SummarizerError]],
) -> Iterator[Outcome]:
    """Summarize every input not yet in `output`, appending each record as it is done.

    `summarize` turns the articles still to do into their records or errors, in order
    (`summarize_many` with an engine). Each record is flushed before the next article
    starts, so an interrupted run loses at most the article in progress and a rerun
    picks up where it stopped; failed articles are not written and are tried again.
    """
    done = finished_ids(output)
    pending: list[Article] = []
    for item in inputs:
        if isinstance(item, InputError):
            yield Outcome("failed", item.source, error=item)
        elif item.id in done:
            yield Outcome("skipped", item.id)
        else:
            pending.append(item)
    if not pending:
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("a", encoding="utf-8") as out:
        for article, result in zip(pending, summarize(pending), strict=True):
            if isinstance(result, SummarizerError):
                yield Outcome("failed", article.id, error=result)
                continue
            out.write(result.model_dump_json() + "\n")
            out.flush()
            yield Outcome("done", article.id, record=result)
