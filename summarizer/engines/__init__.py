"""Choosing and opening an engine from the settings. Backends are imported only when used."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from summarizer.engines.base import OUTPUT_MODES, Engine, OutputMode, TokensCallback
from summarizer.engines.modelfile import DEFAULT_MODEL_FILE, ProgressCallback
from summarizer.errors import ConfigError
from summarizer.settings import Settings

__all__ = ["OUTPUT_MODES", "Engine", "EngineChoice", "OutputMode", "choose_engine", "open_engine"]

LOCAL = "local"
OPENAI_CONCURRENCY = 8
SERVER_CONCURRENCY = 16  # per --base-url


@dataclass(frozen=True)
class EngineChoice:
    """What `-m`, `--base-url` and `--mode` resolve to, before anything is loaded."""

    engine: str  # "local" or "openai"
    model: str  # the name recorded in meta
    output_mode: OutputMode
    model_file: Path | None = None  # local: None means the embedded default
    base_url: str | None = None
    more_base_urls: tuple[str, ...] = ()

    @property
    def base_urls(self) -> tuple[str, ...]:
        return (self.base_url, *self.more_base_urls) if self.base_url else ()

    @property
    def hosted(self) -> bool:
        """OpenAI's own API, which bills by the token."""
        return self.engine == "openai" and (
            self.base_url is None or urlparse(self.base_url).hostname == "api.openai.com"
        )

    @property
    def concurrency(self) -> int:
        """Articles summarized at once by default: the embedded engine generates one answer
        at a time; OpenAI's API and servers (vLLM, SGLang, Ollama) answer many at once,
        servers that batch requests far more than the default (try -j 64 to 256)."""
        if self.engine == LOCAL:
            return 1
        if self.hosted:
            return OPENAI_CONCURRENCY
        return SERVER_CONCURRENCY * len(self.base_urls)


def choose_engine(settings: Settings) -> EngineChoice:
    """Pure: read the settings, decide the engine, the model name and the output mode."""
    spec = settings.model.strip()
    if spec == LOCAL or spec.startswith(LOCAL + ":"):
        path = spec[len(LOCAL) + 1 :].strip() if ":" in spec else ""
        if spec.endswith(":") or (":" in spec and not path):
            raise ConfigError("-m local: needs a path after the colon, e.g. local:/models/x.gguf")
        model_file = Path(path).expanduser() if path else None
        name = model_file.stem if model_file else DEFAULT_MODEL_FILE.name
        return EngineChoice(LOCAL, name, _output_mode(settings.mode, "json_object"), model_file)
    if not spec:
        raise ConfigError("-m is empty; give a model name, or local for the embedded model")
    base_url = settings.base_url
    hosted = base_url is None or urlparse(base_url).hostname == "api.openai.com"
    default_mode = "tools" if hosted else "json_schema"
    return EngineChoice(
        "openai",
        spec,
        _output_mode(settings.mode, default_mode),
        None,
        base_url,
        settings.more_base_urls,
    )


def open_engine(
    settings: Settings,
    on_progress: ProgressCallback | None = None,
    on_tokens: TokensCallback | None = None,
) -> Engine:
    """The engine the settings ask for, ready to take requests; behind an exchange store
    when recording, replaying or caching (replaying loads no model and opens no socket).
    `on_progress` hears how the embedded model's assembly goes, `on_tokens` how its
    answers do (see local.py); other engines tell neither."""
    from summarizer.engines.store import ExchangeStore, StoreEngine, store_choice

    choice = choose_engine(settings)
    store = store_choice(settings)
    if store is None:
        return _open_backend(choice, settings, on_progress, on_tokens)
    mode, folder = store
    inner = None if mode == "replay" else _open_backend(choice, settings, on_progress, on_tokens)
    return StoreEngine(
        ExchangeStore(folder),
        mode,
        inner=inner,
        name=choice.engine,
        model=choice.model,
        output_mode=choice.output_mode,
    )


def _open_backend(
    choice: EngineChoice,
    settings: Settings,
    on_progress: ProgressCallback | None,
    on_tokens: TokensCallback | None = None,
) -> Engine:
    if choice.engine == LOCAL:
        from summarizer.engines.local import LocalEngine
        from summarizer.engines.modelfile import ensure_model_file

        if choice.model_file is None:
            model_file = ensure_model_file(DEFAULT_MODEL_FILE, on_progress)
        elif not choice.model_file.is_file():
            raise ConfigError(f"{choice.model_file}: model file not found (from -m local:PATH)")
        else:
            model_file = choice.model_file
        return LocalEngine(
            model_file,
            model=choice.model,
            context_window=settings.context_window,
            output_mode=choice.output_mode,
            on_tokens=on_tokens,
        )
    if choice.base_url is None and not settings.api_key:
        raise ConfigError(
            f"model {choice.model!r} is served by OpenAI and needs an API key: set "
            "OPENAI_API_KEY, or give --base-url for a local server, or -m local"
        )
    from summarizer.engines.openai import OpenAIEngine

    return OpenAIEngine(
        choice.model,
        base_urls=choice.base_urls,
        api_key=settings.api_key,
        timeout=settings.timeout,
        max_retries=settings.max_retries,
        retry_wait=settings.retry_wait,
        max_retry_wait=settings.max_retry_wait,
        output_mode=choice.output_mode,
    )


def _output_mode(requested: str | None, default: str) -> OutputMode:
    name = requested or default
    if name not in OUTPUT_MODES:
        raise ConfigError(f"unknown --mode {name!r}; choose one of {', '.join(OUTPUT_MODES)}")
    return OUTPUT_MODES[name]
