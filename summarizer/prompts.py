"""Prompt sets: Jinja2 templates in a folder, rendered into chat messages, fingerprinted.

A set holds `system.j2` and `user.j2`. With a second template as well it asks in two
passes, `user.j2` first for the overview and the actors, then, with the actors known:
- `claims.j2`: once, for the list of allegations and denials;
- or `parties.j2`: once for each sentence whose words report an allegation or a denial
  (see labels.py), for who makes it and against whom.
Templates get `article` (the text), `numbered` (its numbered sentences) and, in the second
pass, `actors` (the names found in the first); `parties.j2` also gets `sentence` (the one
asked about, numbered), `before` (the sentence before it, numbered, or "") and `kind`
(allegation or denial). Start both passes with the same article block, so the second
reuses the first one's prompt cache; end `parties.j2` with the sentence, so each question
reuses the one before.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from summarizer.errors import ConfigError

REQUIRED = ("system.j2", "user.j2")
CLAIMS = "claims.j2"
PARTIES = "parties.j2"
CLAIM_KINDS = ("allegation", "denial")
DEFAULT_PROMPT_SET = "default"

Messages = list[dict[str, str]]


def builtin_prompts_root() -> Path:
    """Where the shipped prompt sets are: inside the wheel, or at the top of a checkout."""
    packaged = Path(__file__).parent / "_prompts"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "prompts"


@dataclass(frozen=True)
class PromptSet:
    name: str
    directory: Path
    sources: tuple[tuple[str, str], ...]  # (file name, template text)

    @property
    def two_pass(self) -> bool:
        return self.second_pass is not None

    @property
    def second_pass(self) -> str | None:
        """The second pass's template: CLAIMS, PARTIES, or None for one pass."""
        names = {name for name, _ in self.sources}
        return next((name for name in (CLAIMS, PARTIES) if name in names), None)

    def render(self, article: str, numbered: str) -> Messages:
        """The messages of the (first) pass for one article."""
        return self._messages("user.j2", article=article, numbered=numbered)

    def render_claims(self, article: str, numbered: str, actors: list[str]) -> Messages:
        """The messages of the second pass, when the set has one."""
        return self._messages(CLAIMS, article=article, numbered=numbered, actors=actors)

    def render_parties(
        self,
        article: str,
        numbered: str,
        actors: list[str],
        *,
        sentence: str,
        before: str,
        kind: str,
    ) -> Messages:
        """The messages of the second pass about one sentence, when the set asks so."""
        return self._messages(
            PARTIES,
            article=article,
            numbered=numbered,
            actors=actors,
            sentence=sentence,
            before=before,
            kind=kind,
        )

    @cached_property
    def fingerprint(self) -> str:
        """A hash of the rendered templates without the article: it changes with the prompt."""
        rendered = [self.render("", "")]
        if self.second_pass == CLAIMS:
            rendered.append(self.render_claims("", "", []))
        elif self.second_pass == PARTIES:
            rendered += [
                self.render_parties("", "", [], sentence="", before="", kind=kind)
                for kind in CLAIM_KINDS
            ]
        digest = hashlib.sha256(json.dumps(rendered, sort_keys=True).encode("utf-8"))
        return digest.hexdigest()[:16]

    def _messages(self, template: str, **variables: Any) -> Messages:
        return [
            {"role": "system", "content": self._render("system.j2", variables)},
            {"role": "user", "content": self._render(template, variables)},
        ]

    @cached_property
    def _templates(self) -> dict[str, Any]:
        import jinja2

        environment = jinja2.Environment(
            undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False
        )
        templates = {}
        for filename, source in self.sources:
            try:
                templates[filename] = environment.from_string(source)
            except jinja2.TemplateSyntaxError as error:
                raise ConfigError(
                    f"{self.directory / filename}:{error.lineno}: template error: {error.message}"
                ) from None
        return templates

    def _render(self, filename: str, variables: dict[str, Any]) -> str:
        import jinja2

        try:
            text: str = self._templates[filename].render(**variables)
        except jinja2.UndefinedError as error:
            raise ConfigError(
                f"{self.directory / filename}: template uses an unknown variable "
                f"({error.message}); templates get {{{{ article }}}} and {{{{ numbered }}}}, "
                f"{CLAIMS} also {{{{ actors }}}}, and {PARTIES} {{{{ actors }}}}, "
                "{{ sentence }}, {{ before }} and {{ kind }}"
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
                f"{' and '.join(REQUIRED)}, or one of: {', '.join(available_prompt_sets())}"
            )
        directory = builtin
    sources = []
    for filename in (*REQUIRED, CLAIMS, PARTIES):
        path = directory / filename
        try:
            sources.append((filename, path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            if filename in (CLAIMS, PARTIES):
                continue
            raise ConfigError(
                f"{path}: missing; a prompt set needs {' and '.join(REQUIRED)}"
            ) from None
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: cannot read template: {error}") from None
    if {CLAIMS, PARTIES} <= {name for name, _ in sources}:
        raise ConfigError(
            f"{directory}: holds both {CLAIMS} and {PARTIES}; keep the one second pass you want"
        )
    prompt_set = PromptSet(name=directory.name, directory=directory, sources=tuple(sources))
    prompt_set.fingerprint  # noqa: B018 - surfaces template errors now, not mid-run
    return prompt_set


def available_prompt_sets() -> list[str]:
    root = builtin_prompts_root()
    return sorted(p.name for p in root.iterdir() if (p / REQUIRED[0]).exists())
