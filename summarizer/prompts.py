"""Prompt sets: a folder declaring the passes it runs (`set.toml`), with a Jinja2 template
per pass, rendered into chat messages and fingerprinted.

    # prompts/default/set.toml
    passes = ["overview", "frames"]
    fallback = "onepass"

The passes (see extract.py):
- `brief`: everything in one answer (headline, summary, key points, actors, allegations and
  denials citing sentence numbers);
- `overview`: headline, summary, key points and actors; then one of
- `claims`: allegations and denials citing sentence numbers, the actors known;
- `frames`: the tool reads claim frames off the English parse and the model judges them
  all in one answer: allegation, denial or neither, and the parties the parse left open.
A set that runs `frames` names a `fallback` set for articles the English parse cannot
read (another language).

Each pass renders `system.j2` and `<pass>.j2`. Templates get `article` (the text),
`numbered` (its numbered sentences) and `candidates` (in a set that runs `frames`: the
actors the parse found, one dict each with `key` (E1, ...), `name` and `aliases`; else
empty); `claims.j2` and `frames.j2` also get `actors` (the actors' names), and `frames.j2`
gets `frames`, one dict per frame the model is asked about: `key` (F1, ...), `sentence`,
`cue`, `by`, `about`, `what` and `asks` (what its answer holds: kind, by, against).
Start every pass with the same article block, so each reuses the one before's prompt cache.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from summarizer.errors import ConfigError

Pass = Literal["brief", "overview", "claims", "frames"]
MANIFEST = "set.toml"
SYSTEM = "system.j2"
# The pipelines a set may declare.
PIPELINES: tuple[tuple[Pass, ...], ...] = (
    ("brief",),
    ("overview", "claims"),
    ("overview", "frames"),
)
DEFAULT_PROMPT_SET = "default"
# What the frames pass may ask the model about each frame.
FRAME_ASKS = ["kind", "by", "against"]
# What each template is rendered with when fingerprinting: every variable, with no
# article in it, but one of each kind of list entry so every line of a template counts.
_FRAME = {"key": "F", "sentence": 0, "cue": "", "by": "", "about": "", "what": ""}
_EMPTY: dict[str, Any] = {
    "article": "",
    "numbered": "",
    "actors": [],
    "candidates": [{"key": "E", "name": "", "aliases": []}],
    "frames": [{**_FRAME, "asks": ["kind"]}, {**_FRAME, "asks": ["kind", "by", "against"]}],
}

Messages = list[dict[str, str]]


def builtin_prompts_root() -> Path:
    """Where the shipped prompt sets are: inside the wheel, or at the top of a checkout."""
    packaged = Path(__file__).parent / "_prompts"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "prompts"


@dataclass(frozen=True)
class PromptSet:
    name: str
    directory: Path
    passes: tuple[Pass, ...]
    sources: tuple[tuple[str, str], ...]  # (file name, template text)
    fallback: str | None = None
    description: str = ""
    # The frames pass: what the model is asked of each frame ("kind" of frames whose cue
    # only reports speech, "by" and "against" where the parse left them open); the
    # lexicon and the parse decide the rest.
    frames_ask: tuple[str, ...] = ("kind", "by", "against")
    # The overview of a parse: whether the model says which of the parse's names are
    # actors (else every name the parse finds is one).
    judge_names: bool = True

    def render(self, step: Pass, **variables: Any) -> Messages:
        """The messages of one pass for one article."""
        return [
            {"role": "system", "content": self._render(SYSTEM, variables)},
            {"role": "user", "content": self._render(f"{step}.j2", variables)},
        ]

    @property
    def reads_the_parse(self) -> bool:
        """Whether the set's passes read the English parse (its frames pass does)."""
        return "frames" in self.passes

    @cached_property
    def fingerprint(self) -> str:
        """A hash of the rendered templates without the article: it changes with the prompt."""
        rendered = [self.render(step, **_EMPTY) for step in self.passes]
        digest = hashlib.sha256(json.dumps(rendered, sort_keys=True).encode("utf-8"))
        return digest.hexdigest()[:16]

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
                f"({error.message}); templates get {{{{ article }}}}, {{{{ numbered }}}} and "
                "{{ candidates }}, claims.j2 and frames.j2 also {{ actors }}, and frames.j2 "
                "{{ frames }}"
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
                f"{location}: no such prompt folder; give a folder holding {MANIFEST} and "
                f"its templates, or one of: {', '.join(available_prompt_sets())}"
            )
        directory = builtin
    manifest = _read_manifest(directory)
    passes: tuple[Pass, ...] = manifest["passes"]
    sources = []
    for filename in (SYSTEM, *(f"{step}.j2" for step in passes)):
        path = directory / filename
        try:
            sources.append((filename, path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise ConfigError(
                f"{path}: missing; {directory / MANIFEST} declares the passes "
                f"{', '.join(passes)}, each needs its template beside {SYSTEM}"
            ) from None
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: cannot read template: {error}") from None
    prompt_set = PromptSet(
        name=directory.name,
        directory=directory,
        passes=passes,
        sources=tuple(sources),
        fallback=manifest.get("fallback"),
        description=manifest.get("description", ""),
        frames_ask=tuple(manifest.get("frames", {}).get("ask", FRAME_ASKS)),
        judge_names=bool(manifest.get("overview", {}).get("judge_names", True)),
    )
    prompt_set.fingerprint  # noqa: B018 - surfaces template errors now, not mid-run
    return prompt_set


def _read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    try:
        manifest = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: missing; a prompt set declares its passes there, e.g. "
            'passes = ["overview", "frames"]'
        ) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the manifest: {error}") from None
    passes = tuple(manifest.get("passes", ()))
    if passes not in PIPELINES:
        choices = "; ".join(json.dumps(list(p)) for p in PIPELINES)
        raise ConfigError(f"{path}: passes = {json.dumps(list(passes))}; choose one of {choices}")
    unknown = set(manifest) - {"passes", "fallback", "description", "frames", "overview"}
    if unknown:
        raise ConfigError(f"{path}: unknown keys {', '.join(sorted(unknown))}")
    judge = manifest.get("overview", {}).get("judge_names", True)
    if not isinstance(judge, bool):
        raise ConfigError(f"{path}: [overview] judge_names must be true or false")
    asks = manifest.get("frames", {}).get("ask", [])
    if not isinstance(asks, list) or not set(asks) <= set(FRAME_ASKS):
        raise ConfigError(
            f"{path}: [frames] ask = {json.dumps(asks)}; choose among {json.dumps(FRAME_ASKS)}"
        )
    fallback = manifest.get("fallback")
    if "frames" in passes and not isinstance(fallback, str):
        raise ConfigError(
            f"{path}: a set that runs the frames pass names a fallback set for articles the "
            'English parse cannot read, e.g. fallback = "onepass"'
        )
    if fallback is not None and not isinstance(fallback, str):
        raise ConfigError(f"{path}: fallback must be the name or folder of a prompt set")
    manifest["passes"] = passes
    return manifest


def available_prompt_sets() -> list[str]:
    root = builtin_prompts_root()
    return sorted(p.name for p in root.iterdir() if (p / MANIFEST).exists())
