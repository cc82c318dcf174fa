"""What `batch` reads: files, folders, globs, JSONL and CSV archives, URLs and lists of them.

Everything is streamed: one article at a time is read, so memory does not grow with an
archive. A bad input is yielded as its error, naming the file (and line), and the rest go
on. Inputs whose text needs work first (a page to fetch, HTML to extract) come as
`Deferred`, so that work runs beside the model calls instead of before them.
"""

from __future__ import annotations

import csv
import glob
import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

from summarizer.articles import (
    HTML_SUFFIXES,
    Article,
    article_from_text,
    article_id_for,
    is_url,
    read_article,
)
from summarizer.errors import ConfigError, InputError
from summarizer.schema import SourceMetadata

# What a folder holds that is read as articles.
ARTICLE_SUFFIXES = (".txt", ".md", *HTML_SUFFIXES)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv", ".tsv")
URL_LIST_SUFFIXES = (".urls",)
# A text file whose lines in this many first bytes are all URLs is a list of URLs.
_SNIFF_BYTES = 65536
_GLOB_MAGIC = ("*", "?", "[")
# A CSV field may hold a whole article; the csv module's default cap is 128 KiB.
_CSV_FIELD_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class Columns:
    """Which field of an archive row (a JSONL object or a CSV column) holds what."""

    id: str = "id"
    text: str = "text"
    html: str = "html"  # the page's HTML, when the row has no text: its main text is kept
    title: str = "title"
    url: str = "url"
    date: str = "date"
    author: str = "author"
    source: str = "source"  # the outlet that published it

    @classmethod
    def parse(cls, pairs: Iterable[str]) -> Columns:
        """From `--column text=body` pairs; the fields not named keep their names."""
        known = {field.name for field in fields(cls)}
        chosen: dict[str, str] = {}
        for pair in pairs:
            key, equals, name = pair.partition("=")
            key, name = key.strip(), name.strip()
            if not equals or key not in known or not name:
                raise ConfigError(
                    f"--column {pair!r}: give FIELD=NAME, FIELD one of {', '.join(sorted(known))}"
                    ", e.g. --column text=body"
                )
            chosen[key] = name
        return cls(**chosen)


@dataclass(frozen=True)
class Deferred:
    """An input whose text takes work to get: `load()` fetches or extracts it (in a worker
    thread; it raises InputError). `id` is known before, or None when it comes from the
    text; `by_id` says a resumed run may skip it by id alone (a URL is not fetched again)."""

    source: str
    id: str | None
    load: Callable[[], Article]
    by_id: bool = False


Input = Article | Deferred | InputError
Kind = Literal["text", "html", "jsonl", "csv", "urls", "url"]


def read_inputs(
    specs: Iterable[str],
    columns: Columns | None = None,
    fetch: Callable[[str], Article] | None = None,
) -> Iterator[Input]:
    """Every article the inputs name, in order: files (text, HTML), folders (recursively:
    .txt, .md, .html), glob patterns, JSONL and CSV archives, URLs and files of URLs.
    `fetch` gets a page (default: `web.fetch_article`)."""
    columns = columns or Columns()
    fetch = fetch or _fetch_article
    for kind, target, root in _expand(specs):
        if isinstance(target, InputError):
            yield target
        elif isinstance(target, str):
            yield _url_input(target, fetch)
        elif kind == "jsonl":
            yield from _read_jsonl(target, columns)
        elif kind == "csv":
            yield from _read_csv(target, columns)
        elif kind == "urls":
            yield from _read_url_list(target, fetch)
        elif kind == "html":
            yield _html_file(target, root)
        else:
            yield _text_file(target, root)


def count_inputs(specs: Iterable[str]) -> int:
    """How many articles the inputs hold, by a quick pass that reads no text into the
    model: lines of archives and URL lists, rows of CSV files, files of folders."""
    total = 0
    for kind, target, _ in _expand(specs):
        if isinstance(target, InputError):
            continue
        if isinstance(target, Path) and not _regular(target):
            total += kind not in ("jsonl", "csv", "urls")
            continue  # a pipe is read once, by the batch, not counted beforehand
        try:
            if isinstance(target, Path) and kind in ("jsonl", "urls"):
                with open(target, "rb") as file:
                    total += sum(1 for line in file if line.strip())
            elif isinstance(target, Path) and kind == "csv":
                with _csv_rows(target) as (_, rows):
                    total += sum(1 for _ in rows)
            else:
                total += 1
        except (OSError, UnicodeDecodeError, csv.Error):
            continue  # reading it for real will say what is wrong
    return total


Found = tuple[Kind, Path | str | InputError, Path | None]


def _expand(specs: Iterable[str]) -> Iterator[Found]:
    """Each input as (kind, its path, its URL or its error, the folder its ids are
    relative to)."""
    for spec in specs:
        if is_url(spec):
            yield "url", spec, None
            continue
        path = Path(spec).expanduser()
        if path.is_dir():
            found = False
            for file in _walk(path):
                found = True
                yield _kind_of(file), file, path
            if not found:
                yield "text", _no_articles(spec), None
        elif path.exists() or not any(magic in spec for magic in _GLOB_MAGIC):
            yield _kind_of(path), path, None
        else:
            matches = sorted(glob.glob(spec, recursive=True))
            if not matches:
                yield "text", InputError(spec, "no file matches this pattern"), None
            root = _glob_root(spec)
            for match in matches:
                matched = Path(match)
                if matched.is_dir():
                    for file in _walk(matched):
                        yield _kind_of(file), file, root
                else:
                    yield _kind_of(matched), matched, root


def _no_articles(folder: str) -> InputError:
    return InputError(folder, f"folder holds no articles ({', '.join(ARTICLE_SUFFIXES)})")


def _walk(folder: Path) -> Iterator[Path]:
    """The article files below a folder, in name order, one folder read at a time."""
    for directory, subfolders, names in os.walk(folder):
        subfolders.sort()
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in sorted(names):
            if name.lower().endswith(ARTICLE_SUFFIXES) and not name.startswith("."):
                yield Path(directory) / name


def _glob_root(pattern: str) -> Path:
    """The folder a pattern starts from: `news/2016-*/*.txt` -> `news`."""
    parts = Path(pattern).parts
    fixed = []
    for part in parts:
        if any(magic in part for magic in _GLOB_MAGIC):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def _kind_of(path: Path) -> Kind:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in URL_LIST_SUFFIXES or _lists_urls(path):
        return "urls"
    return "text"


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _lists_urls(path: Path) -> bool:
    """A text file whose first lines are all URLs: an article is never only addresses."""
    if not _regular(path):
        return False
    try:
        with open(path, "rb") as file:
            head = file.read(_SNIFF_BYTES)
    except OSError:
        return False
    lines = head.splitlines()
    if len(head) == _SNIFF_BYTES:
        lines = lines[:-1]  # the last may be cut
    words = [line.strip() for line in lines if line.strip() and not line.startswith(b"#")]
    return bool(words) and all(
        word.startswith((b"http://", b"https://")) and b" " not in word for word in words
    )


def _text_file(path: Path, root: Path | None) -> Article | InputError:
    try:
        article = read_article(path)
    except InputError as error:
        return error
    if root is None:
        return article
    return Article(
        id=article_id_for(path, root),
        source=article.source,
        text=article.text,
        encoding=article.encoding,
    )


def _html_file(path: Path, root: Path | None) -> Deferred:
    article_id = article_id_for(path, root)

    def load() -> Article:
        from summarizer.web import article_from_html

        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(str(path), f"cannot read the file: {error.strerror}") from None
        return article_from_html(data, id=article_id, source=str(path))

    return Deferred(str(path), article_id, load)


def _url_input(url: str, fetch: Callable[[str], Article], where: str | None = None) -> Deferred:
    def load() -> Article:
        if where is None:
            return fetch(url)
        try:
            article = fetch(url)
        except InputError as error:
            raise InputError(where, f"{url}: {error.problem}") from None
        # From a list of URLs: the list's line is where it came from; the id stays the URL.
        return Article(article.id, where, article.text, article.encoding, article.metadata)

    return Deferred(where or url, url, load, by_id=True)


def _fetch_article(url: str) -> Article:
    from summarizer.web import fetch_article

    return fetch_article(url)


def _read_url_list(path: Path, fetch: Callable[[str], Article]) -> Iterator[Input]:
    try:
        file = open(path, "rb")  # noqa: SIM115 - closed below, after the last line is yielded
    except OSError as error:
        yield InputError(str(path), f"cannot read the list of URLs: {error.strerror}")
        return
    with file:
        for number, raw in enumerate(file, start=1):
            line = raw.decode("utf-8", errors="replace").strip()
            if not line or line.startswith("#"):
                continue
            where = f"{path}:{number}"
            if not is_url(line) or " " in line:
                yield InputError(where, "not an http(s) URL; a list of URLs has one a line")
                continue
            yield _url_input(line, fetch, where)


def _read_jsonl(path: Path, columns: Columns) -> Iterator[Input]:
    try:
        file = open(path, "rb")  # noqa: SIM115 - closed below, after the last line is yielded
    except OSError as error:
        yield InputError(str(path), f"cannot read the archive: {error.strerror}")
        return
    rows = 0
    with file:
        for number, raw in enumerate(file, start=1):
            if not raw.strip():
                continue
            rows += 1
            where = f"{path}:{number}"
            try:
                item = json.loads(raw)
            except UnicodeDecodeError:
                yield InputError(where, "not valid UTF-8; convert the archive to UTF-8")
                continue
            except json.JSONDecodeError as error:
                yield InputError(where, f"invalid JSON: {error.msg}")
                continue
            if not isinstance(item, dict):
                yield InputError(where, f"each line needs an object with a {columns.text!r} field")
                continue
            yield _row_input(item, where, columns)
    if rows == 0:
        yield InputError(str(path), "archive is empty: no articles in it")


@contextmanager
def _csv_rows(path: Path) -> Iterator[tuple[list[str], csv.DictReader[str]]]:
    """A CSV file's header and rows, streamed; tab-separated for .tsv."""
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    # utf-8-sig: spreadsheets often start a CSV with a byte-order mark.
    with open(path, encoding="utf-8-sig", newline="") as file:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        reader = csv.DictReader(file, delimiter=delimiter)
        yield list(reader.fieldnames or []), reader


def _read_csv(path: Path, columns: Columns) -> Iterator[Input]:
    try:
        with _csv_rows(path) as (header, rows):
            yield from _csv_articles(path, header, rows, columns)
    except OSError as error:
        yield InputError(str(path), f"cannot read the archive: {error.strerror}")
    except UnicodeDecodeError:
        yield InputError(str(path), "not valid UTF-8; convert the archive to UTF-8")
    except csv.Error as error:
        yield InputError(str(path), f"cannot read the CSV: {error}")


def _csv_articles(
    path: Path, header: list[str], rows: csv.DictReader[str], columns: Columns
) -> Iterator[Input]:
    if not header:
        yield InputError(str(path), "archive is empty: no header and no rows")
        return
    if columns.text not in header and columns.html not in header:
        shown = ", ".join(header[:12]) + (", ..." if len(header) > 12 else "")
        yield InputError(
            str(path),
            f"no {columns.text!r} column (the columns are: {shown}); name the one "
            "holding the text with --column text=NAME",
        )
        return
    count = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            yield InputError(f"{path}:{rows.line_num}", f"unreadable row: {error}")
            continue
        count += 1
        yield _row_input(row, f"{path}:{rows.line_num}", columns)
    if count == 0:
        yield InputError(str(path), "archive is empty: a header and no rows")


def _row_input(row: Mapping[str, Any], where: str, columns: Columns) -> Input:
    """One archive row as an article: the id it gives, else its URL, else from its text."""
    metadata = _row_metadata(row, columns)
    given = _field(row, columns.id) or (metadata.url if metadata else None)
    text = row.get(columns.text)
    html = row.get(columns.html)
    if isinstance(text, str) and text.strip():
        try:
            return article_from_text(text, id=given, source=where, metadata=metadata)
        except InputError as error:  # too long: this row's error, the others go on
            return InputError(error.source, error.problem, article_id=given)
    if isinstance(html, str) and html.strip():

        def load() -> Article:
            from summarizer.web import article_from_html

            article = article_from_html(html, id=given or "", source=where, metadata=metadata)
            if given:
                return article
            return article_from_text(article.text, source=where, metadata=article.metadata)

        return Deferred(where, given, load)
    if isinstance(text, str) or isinstance(html, str):
        return InputError(where, "article is empty: nothing to summarize")
    return InputError(
        where,
        f"no {columns.text!r} field (nor {columns.html!r}); name the field holding the text "
        "with --column text=NAME",
    )


def _row_metadata(row: Mapping[str, Any], columns: Columns) -> SourceMetadata | None:
    values = {
        "url": _field(row, columns.url),
        "title": _field(row, columns.title),
        "author": _field(row, columns.author),
        "date": _field(row, columns.date),
        "outlet": _field(row, columns.source),
    }
    if not any(values.values()):
        return None
    return SourceMetadata(**values)


def _field(row: Mapping[str, Any], name: str) -> str | None:
    value = row.get(name)
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None
