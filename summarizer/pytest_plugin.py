"""The pytest side of summarizer.testing: a `summarizer_replay` fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer.testing import replay


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "summarizer_exchanges",
        "Folder of recorded exchanges that the summarizer_replay fixture replays.",
        default="fixtures/exchanges",
    )


@pytest.fixture
def summarizer_replay(request: pytest.FixtureRequest) -> Iterator[Path]:
    """Replay recorded model answers for the duration of one test."""
    folder = str(request.config.getini("summarizer_exchanges"))
    with replay(request.config.rootpath / folder) as path:
        yield path
