"""The embedded model, for real, on a seed article. Slow: skip with -m "not real_model"."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.names import name_words
from summarizer.schema import Record
from tests.conftest import BIRDS

pytestmark = pytest.mark.real_model


@pytest.fixture(scope="module")
def birds_record() -> Record:
    from typer.testing import CliRunner

    from summarizer.cli import app

    result = CliRunner().invoke(app, ["summarize", str(BIRDS)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return Record.model_validate_json(result.stdout)


def test_the_embedded_model_summarizes_a_seed_article(birds_record: Record) -> None:
    assert birds_record.meta.engine == "local"
    assert birds_record.meta.model == "qwen2.5-coder-1.5b-instruct-q4_k_m"
    named = {name_words(form) for a in birds_record.actors for form in [a.name, *a.aliases]}
    assert ("mustafa", "kamal") in named
    assert ("anees", "qaimkhani") in named
    assert len(birds_record.allegations) >= 1
    assert birds_record.meta.usage.completion_tokens > 0


def test_an_article_longer_than_the_context_is_refused(cli, tmp_path: Path) -> None:
    long_article = tmp_path / "long.txt"
    long_article.write_text(BIRDS.read_text(encoding="utf-8") * 10, encoding="utf-8")
    ran = cli("summarize", str(long_article))
    assert ran.exit_code == 2
    assert ran.stderr.count("\n") == 1
    assert str(long_article) in ran.stderr
    assert "8,192-token context" in ran.stderr
