"""Briefs as one self-contained HTML page: one article beside its highlighted text, or a
digest of many with contents, a filter box and an index of actors.

The page loads nothing: its stylesheet and script are inlined from templates/, and its
Content-Security-Policy allows only those two, by hash. Every value from an article or a
model goes through Jinja2's autoescape; the policy is a second wall behind it.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from jinja2 import Environment
from markupsafe import Markup

from summarizer import __version__
from summarizer.render import template_environment
from summarizer.render.digest import actor_index
from summarizer.render.view import PALETTE_SIZE, brief_of
from summarizer.schema import Record


@dataclass(frozen=True)
class _Inline:
    """A stylesheet or script shipped beside the templates, and its CSP source."""

    text: Markup
    source: str  # 'sha256-...'


@cache
def _inline(name: str) -> _Inline:
    text = resources.files("summarizer.render").joinpath("templates", name).read_text("utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    # Our own file, not article or model text: it goes into the page as it is.
    return _Inline(Markup(text), f"'sha256-{digest}'")


@cache
def _environment() -> Environment:
    environment = template_environment(autoescape=True)
    environment.filters["web_link"] = web_link
    environment.filters["count"] = count
    return environment


def count(number: int, noun: str) -> str:
    """3 allegations, 1 denial."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def web_link(source: str) -> str | None:
    """The source as a link target, when it is a web address; never a javascript: or
    data: URL that the record could carry."""
    return source if urlsplit(source).scheme in ("http", "https") else None


def render_html(records: Sequence[Record], title: str, *, digest: bool | None = None) -> str:
    """The page for these records: one article's brief beside its text, or a digest (by
    default when there are several) with contents, a filter box and an actor index."""
    briefs = [brief_of(record, number) for number, record in enumerate(records, 1)]
    digest = len(briefs) != 1 if digest is None else digest
    style, script = _inline("brief.css"), _inline("brief.js")
    return (
        _environment()
        .get_template("page.html")
        .render(
            title=title,
            briefs=briefs,
            digest=len(briefs) != 1,
            index=actor_index(briefs) if len(briefs) != 1 else [],
            style=style.text,
            script=script.text,
            policy=(
                f"default-src 'none'; style-src {style.source}; script-src {script.source}; "
                "img-src data:; base-uri 'none'; form-action 'none'"
            ),
            palette=range(PALETTE_SIZE),
            version=__version__,
        )
    )
