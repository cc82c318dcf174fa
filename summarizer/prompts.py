"""Prompt sets: Jinja2 templates in a folder, rendered into chat messages, fingerprinted."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from summarizer.errors import ConfigError

TEMPLATES = ("system.j2", "user.j2")
DEFAULT_PROMPT_SET = "default"

Messages = list[dict[str, str]]


def builtin_prompts_root() -> Path:
    """Where the shipped prompt sets are: inside the wheel, or at the top of a checkout."""
    packaged = Path(__file__).parent / "_prompts"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "prompts"


@dataclass(frozen=True)
class PromptSet:
    """A folder holding `system.j2` and `user.j2`; `user.j2` receives the article."""

    name: str
    directory: Path
    sources: tuple[str, ...]

    def render(self, article: str, **variables: Any) -> Messages:
        """The chat messages for one article."""
        system, user = (self._render(i, article, variables) for i in range(len(TEMPLATES)))
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    @cached_property
    def fingerprint(self) -> str:
        """A hash of the rendered templates without the article: it changes with the prompt."""
        rendered = self.render("")
        digest = hashlib.sha256(json.dumps(rendered, sort_keys=True).encode("utf-8"))
        return digest.hexdigest()[:16]

    @cached_property
    def _templates(self) -> list[Any]:
        import jinja2

        environment = jinja2.Environment(
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=False,
            autoescape=False,
        )
        templates = []
        for filename, source in zip(TEMPLATES, self.sources, strict=True):
            try:
                templates.append(environment.from_string(source))
            except jinja2.TemplateSyntaxError as error:
                raise ConfigError(
                    f"{self.directory / filename}:{error.lineno}: template error: {error.message}"
                ) from None
        return templates

    def _render(self, index: int, article: str, variables: dict[str, Any]) -> str:
        import jinja2

        try:
            text: str = self._templates[index].render(article=article, **variables)
        except jinja2.UndefinedError as error:
            raise ConfigError(
                f"{self.directory / TEMPLATES[index]}: template uses an unknown variable "
                f"({error.message}); the article is available as {{{{ article }}}}"
            ) from None
        return text.strip()


def load_prompt_set(location: str | Path | None = None) -> PromptSet:
    """A prompt set by folder path, or by the name of a shipped set; default when None."""
    location = DEFAULT_PROMPT_SET if location is None else location
    directory = Path(location)
    if not directory.is_dir():
        builtin = builtin_prompts_root() / str(location)
        if not builtin.is_dir():
            raise ConfigError(
                f"{location}: no such prompt folder; give a folder holding "
                f"{' and '.join(TEMPLATES)}, or one of: {', '.join(available_prompt_sets())}"
            )
        directory = builtin
    sources = []
    for filename in TEMPLATES:
        path = directory / filename
        try:
            sources.append(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(
                f"{path}: missing; a prompt set needs {' and '.join(TEMPLATES)}"
            ) from None
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: cannot read template: {error}") from None
    prompt_set = PromptSet(name=directory.name, directory=directory, sources=tuple(sources))
    prompt_set.fingerprint  # noqa: B018 - surfaces template errors now, not mid-run
    return prompt_set


def available_prompt_sets() -> list[str]:
    root = builtin_prompts_root()
    return sorted(p.name for p in root.iterdir() if (p / TEMPLATES[0]).exists())
