"""Shared test set-up: a clean environment, the fake server, the CLI runner, sample drafts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.fakeserver import FakeOpenAI

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
BIRDS = FIXTURES / "articles" / "mqm-birds-in-wings.txt"
# Tests that script one whole answer ask for it in one pass (the default set takes two).
ONEPASS = ("--prompts", "onepass")


@pytest.fixture(autouse=True)
def clean_environment(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No settings leak in from the developer's shell; no model is assembled by accident."""
    for name in ("SUMMARIZER_MODEL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID"):
        monkeypatch.delenv(name, raising=False)
    if request.node.get_closest_marker("real_model") is None:
        monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@dataclass
class Ran:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def cli() -> Any:
    """Run the real command line in-process: cli("summarize", path, ...)."""
    from summarizer.cli import app

    def run(*args: str, input: str | bytes | None = None) -> Ran:
        result = CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)
        return Ran(result.exit_code, result.stdout, result.stderr)

    return run


def birds_draft(**changes: Any) -> dict[str, Any]:
    """A valid model answer for the birds seed article (27 sentences)."""
    draft: dict[str, Any] = {
        "headline": "Dozens of MQM members may defect to Mustafa Kamal",
        "summary": "More than two dozen MQM members could join Mustafa Kamal's new group. "
        "Party leaders accuse Anees Qaimkhani of engineering the defections.",
        "key_points": ["MQM marked more than two dozen suspects"],
        "actors": [
            {
                "name": "Mustafa Kamal",
                "kind": "person",
                "role": "former Karachi mayor",
                "affiliation": "new party",
                "aliases": ["Kamal", "Mr Kamal"],
            },
            {
                "name": "Anees Qaimkhani",
                "kind": "person",
                "role": "dissident leader",
                "affiliation": "",
                "aliases": ["Qaimkhani"],
            },
            {
                "name": "Muttahida Qaumi Movement",
                "kind": "organization",
                "role": "party",
                "affiliation": "",
                "aliases": ["MQM"],
            },
        ],
        "allegations": [
            {
                "claim": "Qaimkhani is effecting defections from the party",
                "made_by": ["MQM Punjab sources"],
                "against": ["Mr Qaimkhani"],
                "attribution": "anonymous",
                "source": "MQM Punjab sources",
                "sentences": [16],
            }
        ],
        "denials": [
            {
                "denied_by": ["MQM"],
                "content": "that a bloody clash could ensue",
                "sentences": [26],
            }
        ],
    }
    draft.update(changes)
    return draft


def meta(usage: Any = None, latency_seconds: float = 0.0) -> Any:
    """The meta of a hand-made record: only its usage and seconds matter to the tests."""
    from summarizer.schema import Meta, Usage

    return Meta(
        model="test",
        engine="test",
        mode="test",
        prompt_set="test",
        prompt_fingerprint="test",
        schema_version="1",
        attempts=1,
        usage=usage or Usage(),
        latency_seconds=latency_seconds,
        tool_version="0",
        created_at="2024-01-01T00:00:00+00:00",
    )
