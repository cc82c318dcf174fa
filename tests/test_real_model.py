"""The embedded model, for real, on a seed article. Slow: skip with -m "not real_model"."""

from __future__ import annotations

import json
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


def _ask_local(schema: dict) -> str:
    """The embedded model's answer under `schema`, in a process of its own: a crash in
    llama.cpp shows as its exit code instead of ending the test run."""
    import json
    import subprocess
    import sys

    program = (
        "import json, sys\n"
        "from summarizer import Settings, open_engine\n"
        "from summarizer.errors import SummarizerError\n"
        "engine = open_engine(Settings())\n"
        "request = {'messages': [{'role': 'user', 'content': 'Who is accused? Answer.'}],\n"
        "    'response_format': {'type': 'json_schema', 'json_schema': {'name': 'A',\n"
        f"    'schema': json.loads({json.dumps(json.dumps(schema))})}}}},\n"
        "    'max_tokens': 40, 'temperature': 0}\n"
        "try:\n"
        "    print(engine.complete(request).completion.choices[0].message.content)\n"
        "except SummarizerError as error:\n"
        "    print('error:', error)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=300
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    return ran.stdout.strip()


def test_actor_names_with_quotes_are_answered_from_their_enum() -> None:
    from summarizer.answers import frames_model_for

    names = ['Herbert "Bistek" Bautista', "Aldrin Cuña", r"C:\Folder Ltd"]
    model = frames_model_for([["against"]], names, unnamed="unnamed", nobody="nobody")
    answer = json.loads(_ask_local(model.model_json_schema()))
    assert model.model_validate(answer).F1 in {
        "Herbert 'Bistek' Bautista",
        "Aldrin Cuña",
        "C:/Folder Ltd",
        "unnamed",
        "nobody",
    }


def test_a_schema_llama_cpp_cannot_parse_is_an_error_and_no_crash() -> None:
    # llama-cpp-python's grammar mis-escapes a double quote inside an enum value.
    schema = {"type": "object", "properties": {"F1": {"enum": ['a "b" c', "d"]}}}
    said = _ask_local({**schema, "required": ["F1"]})
    assert said.startswith("error: llama.cpp could not parse the grammar") or json.loads(said)[
        "F1"
    ] in {'a "b" c', "d"}
