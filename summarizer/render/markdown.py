"""Briefs as Markdown that pastes cleanly into a newsroom chat or a CMS: one article, or a
digest of many. The shape is in templates/*.md; this module escapes what goes into them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from jinja2 import Environment

from summarizer.render import template_environment
from summarizer.render.digest import actor_index
from summarizer.render.view import Brief, brief_of
from summarizer.schema import Record


class Verbatim(str):
    """Markdown the templates made themselves (a macro's output, heading marks): never
    escaped again. Templates mark a macro's output so: {{ names(parties) | verbatim }}."""


# What would turn text from an article or a model into Markdown structure: emphasis, code,
# links, tables, raw HTML (an article's "<script>" stays text), an entity, or, at the
# start of a line, a heading, a quote or a list item.
_INLINE = re.compile(r"([\\`*\[\]<>|]|(?<!\w)_|_(?!\w))")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LEADING_MARK = re.compile(r"^([#+\-=~])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])(?=\s|$)")


# Any of the above, found in one pass: most values have none and are left as they are.
_ANY = re.compile(rf"{_INLINE.pattern}|&|^[#+\-=~]|^\d+[.)]")


def escape_markdown(value: Any) -> str:
    """Text made safe to stand anywhere in a line of Markdown; whitespace folded to one
    space, so a stray line break cannot end a list item or a table row."""
    if isinstance(value, Verbatim):
        return value
    text = " ".join(str(value).split())
    if _ANY.search(text) is None:
        return text
    text = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", text))
    return _LEADING_NUMBER.sub(r"\1\\\2", _LEADING_MARK.sub(r"\\\1", text))


def _heading(level: int) -> Verbatim:
    return Verbatim("#" * min(level, 6))


@cache
def _environment() -> Environment:
    # Autoescape is HTML's: here every {{ value }} goes through escape_markdown instead.
    environment = template_environment(
        autoescape=False, keep_trailing_newline=True, finalize=escape_markdown
    )
    environment.globals["heading"] = _heading
    environment.filters["verbatim"] = Verbatim
    return environment


def render_markdown(record: Record) -> str:
    """One article's brief."""
    return _render("brief.md", brief=brief_of(record))


def render_markdown_digest(records: Sequence[Record], title: str) -> str:
    """Many articles: contents, the actors across them, then each brief."""
    briefs = [brief_of(record, number) for number, record in enumerate(records, 1)]
    return _render("digest.md", title=title, briefs=briefs, index=actor_index(briefs))


def _render(template: str, **context: Any) -> str:
    text = _environment().get_template(template).render(**context)
    # Templates stay readable with a blank line after every block; Markdown needs one.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


__all__ = ["Brief", "escape_markdown", "render_markdown", "render_markdown_digest"]
