"""Reading articles: decoding, refusing bad input with a clear reason, ids and hashes.

A text file is read as it is; an HTML file or a URL gives its main text (see web.py).
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

from summarizer.errors import InputError
from summarizer.schema import SourceMetadata

STDIN = "-"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
URL_SCHEMES = ("http://", "https://")
# Tried in order. cp1252 covers the Windows-1252 files that editors call "ANSI"; its
# undefined bytes make it fail where a file is not really text in that encoding.
FALLBACK_ENCODINGS = ("cp1252",)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The longest article taken, in characters: spaCy's own limit for one text, about 250,000
# tokens, beyond the context of any model the tool asks. A longer one is refused before
# its parse or any model call is spent on it.
MAX_ARTICLE_CHARS = 1_000_000


@dataclass(frozen=True)
class Article:
    """One article's text and where it came from. Offsets in records index `text`."""

    id: str
    source: str
    text: str
    encoding: str = "utf-8"
    # Title, URL, date, outlet, when the input gave them: kept in the record.
    metadata: SourceMetadata | None = None

    @cached_property
    def sha256(self) -> str:
        return text_sha256(self.text)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_from_text(
    text: str,
    *,
    id: str | None = None,
    source: str = "<text>",
    metadata: SourceMetadata | None = None,
) -> Article:
    """An article from text already in memory (the API's entry point)."""
    text = normalize_newlines(text)
    if not text.strip():
        raise InputError(source, "article is empty: nothing to summarize")
    _check_length(text, source)
    return Article(id=id or content_id(text), source=source, text=text, metadata=metadata)


def is_url(text: str) -> bool:
    return text.startswith(URL_SCHEMES)


def read_article(path: str | Path, stdin: BinaryIO | None = None) -> Article:
    """Read one article from a file, from stdin when the path is "-", or from a web page
    when it is an http(s) URL. Of an HTML file or page, the main text is kept."""
    source = str(path)
    if is_url(source):
        from summarizer.web import fetch_article

        return fetch_article(source)
    if source == STDIN:
        data = (stdin or sys.stdin.buffer).read()
        text, encoding = decode_article(data, "<stdin>")
        return Article(
            id=f"stdin-{text_sha256(text)[:12]}", source="<stdin>", text=text, encoding=encoding
        )
    file = Path(path)
    if file.is_dir():
        raise InputError(source, "is a directory, not an article; give one text file")
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(source, "file not found") from None
    except PermissionError:
        raise InputError(source, "permission denied: cannot read the file") from None
    except OSError as error:
        raise InputError(source, f"cannot read the file: {error.strerror}") from None
    if file.suffix.lower() in HTML_SUFFIXES:
        from summarizer.web import article_from_html

        return article_from_html(data, id=article_id_for(file), source=source)
    text, encoding = decode_article(data, source)
    return Article(id=article_id_for(file), source=source, text=text, encoding=encoding)


def article_id_for(path: Path, root: Path | None = None) -> str:
    """A stable id from the file name: `articles/mqm-new-faction.txt` -> `mqm-new-faction`;
    below a folder `root`, from the path inside it: `2016/03/story.txt` -> `2016/03/story`."""
    parts = path.relative_to(root).parts if root is not None else (path.name,)
    *folders, name = parts
    named = [_id_part(folder) for folder in folders] + [_id_part(Path(name).stem)]
    return "/".join(part for part in named if part) or "article"


def content_id(text: str) -> str:
    """The id of an article that came with none: from its text, so it is stable too."""
    return f"text-{text_sha256(normalize_newlines(text))[:12]}"


def _id_part(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", name).strip("-")


def decode_article(data: bytes, source: str) -> tuple[str, str]:
    """Bytes to text, refusing what is not an article. Returns (text, encoding used)."""
    if not data.strip():
        raise InputError(source, "article is empty: nothing to summarize")
    text, encoding = _decode(data, source)
    if _looks_binary(text):
        raise InputError(source, "looks like binary data, not text; give a plain-text article")
    text = normalize_newlines(text)
    if not text.strip():
        raise InputError(source, "article is empty: nothing to summarize")
    _check_length(text, source)
    return text, encoding


def _check_length(text: str, source: str) -> None:
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            source,
            f"article is {len(text):,} characters long, more than the {MAX_ARTICLE_CHARS:,} "
            "taken; split it into parts",
        )


def normalize_newlines(text: str) -> str:
    """Windows and old-Mac line ends become \\n; nothing else is changed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, source: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise InputError(
                    source, f"starts with a {encoding} byte-order mark but is not valid {encoding}"
                ) from None
    if b"\x00" in data[:8192]:
        raise InputError(source, "looks like binary data, not text; give a plain-text article")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    for encoding in FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(
        source,
        f"is not valid UTF-8 (bad byte at offset {utf8_error.start}) nor "
        f"{', '.join(FALLBACK_ENCODINGS)}; convert it to UTF-8, e.g. with iconv",
    )


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    return len(_CONTROL.findall(sample)) > max(8, len(sample) // 100)
