"""The article text a record needs for its page, when the record does not carry it.

Records carry their text unless written with --no-text (or before the field existed).
For those, the text is looked for in articles the user names (files, folders, archives:
whatever `batch` reads), then in the file the record names as its source. A text is only
taken when its SHA-256 is the record's: the offsets index that text and no other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from summarizer.articles import read_article, text_sha256
from summarizer.errors import InputError
from summarizer.inputs import Deferred, read_inputs
from summarizer.schema import Record


def fill_texts(
    records: Sequence[Record], articles: Iterable[Path] = ()
) -> tuple[list[Record], list[InputError]]:
    """The records, each with its text where one was found; and the problems met reading
    `articles` (each names its file), which do not stop the others."""
    wanted = {record.sha256 for record in records if record.text is None}
    if not wanted:
        return list(records), []
    found: dict[str, str] = {}
    problems: list[InputError] = []
    for item in read_inputs(str(path) for path in articles):
        if isinstance(item, Deferred):
            try:
                item = item.load()  # an HTML file or a page: its text is extracted first
            except InputError as error:
                problems.append(error)
                continue
        if isinstance(item, InputError):
            problems.append(item)
        elif item.sha256 in wanted:
            found.setdefault(item.sha256, item.text)
    filled = []
    for record in records:
        if record.text is None:
            text = found.get(record.sha256) or _from_source(record)
            if text is not None:
                record = record.model_copy(update={"text": text})
        filled.append(record)
    return filled, problems


def _from_source(record: Record) -> str | None:
    """The text of the file the record was made from, if it is still there, unchanged."""
    path = Path(record.source)
    if not path.is_file():
        return None
    try:
        article = read_article(path)
    except InputError:
        return None
    return article.text if text_sha256(article.text) == record.sha256 else None
