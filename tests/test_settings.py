"""Settings precedence (flags, then environment, then defaults) and engine choice from -m."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.engines import choose_engine
from summarizer.errors import ConfigError
from summarizer.settings import Settings

ENV = {
    "SUMMARIZER_MODEL": "env-model",
    "OPENAI_BASE_URL": "http://env:8000/v1",
    "OPENAI_API_KEY": "sk-env",
}


def test_defaults_when_nothing_is_set() -> None:
    settings = Settings.resolve(env={})
    assert (settings.model, settings.base_url, settings.api_key) == ("local", None, None)


def test_environment_beats_defaults() -> None:
    settings = Settings.resolve(env=ENV)
    assert (settings.model, settings.base_url, settings.api_key) == (
        "env-model",
        "http://env:8000/v1",
        "sk-env",
    )


def test_flags_beat_environment() -> None:
    settings = Settings.resolve(env=ENV, model="flag-model", base_url="http://flag/v1")
    assert (settings.model, settings.base_url, settings.api_key) == (
        "flag-model",
        "http://flag/v1",
        "sk-env",
    )


def test_flags_left_unset_do_not_erase_environment() -> None:
    assert Settings.resolve(env=ENV, model=None).model == "env-model"


def test_the_api_key_never_shows_in_repr() -> None:
    assert "sk-env" not in repr(Settings.resolve(env=ENV))


def test_local_is_the_embedded_default_model() -> None:
    choice = choose_engine(Settings.resolve(env={}))
    assert (choice.engine, choice.model, choice.output_mode.name, choice.model_file) == (
        "local",
        "qwen2.5-coder-1.5b-instruct-q4_k_m",
        "json_object",
        None,
    )


def test_local_with_a_path_runs_that_gguf() -> None:
    choice = choose_engine(Settings(model="local:/models/qwen2.5-7b-instruct-q4_k_m.gguf"))
    assert choice.engine == "local"
    assert choice.model_file == Path("/models/qwen2.5-7b-instruct-q4_k_m.gguf")
    assert choice.model == "qwen2.5-7b-instruct-q4_k_m"


@pytest.mark.parametrize(
    ("base_url", "mode"),
    [
        (None, "tools"),
        ("https://api.openai.com/v1", "tools"),
        ("http://localhost:11434/v1", "json_schema"),
    ],
)
def test_a_model_name_goes_to_an_openai_compatible_endpoint(base_url, mode) -> None:
    choice = choose_engine(Settings(model="gpt-4o-mini", base_url=base_url))
    assert (choice.engine, choice.model, choice.output_mode.name, choice.base_url) == (
        "openai",
        "gpt-4o-mini",
        mode,
        base_url,
    )


def test_mode_flag_overrides_the_per_endpoint_default() -> None:
    settings = Settings(model="llama3.1", base_url="http://localhost:8080/v1", mode="json_object")
    assert choose_engine(settings).output_mode.schema_as_json_object


def test_bad_model_specs_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="needs a path"):
        choose_engine(Settings(model="local:"))
    with pytest.raises(ConfigError, match="unknown --mode"):
        choose_engine(Settings(model="x", mode="yaml"))
    with pytest.raises(ConfigError, match="-m is empty"):
        choose_engine(Settings(model="  "))


def test_models_command_reports_the_current_choice(cli, monkeypatch) -> None:
    monkeypatch.setenv("SUMMARIZER_MODEL", "llama3.1")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://localhost:11434/v1")
    ran = cli("models")
    assert ran.exit_code == 0
    assert "qwen2.5-coder-1.5b-instruct-q4_k_m" in ran.stdout
    assert "-m llama3.1 -> engine openai, model llama3.1, mode json_schema" in ran.stdout
