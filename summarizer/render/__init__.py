"""Briefs rendered for people."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment


def template_environment(**options: Any) -> Environment:
    """Jinja2 over render/templates/ (shipped in the wheel), strict about undefined names;
    `options` say how values are escaped."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("summarizer.render", "templates"),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        **options,
    )
