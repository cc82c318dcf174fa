"""The embedded engine: llama.cpp in-process, decoding constrained by the JSON schema
(checked token by token, see sampling.py)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from summarizer.engines.base import (
    OUTPUT_MODES,
    Labels,
    OutputMode,
    Reply,
    Request,
    TokensCallback,
    as_json_object_request,
)
from summarizer.engines.modelfile import INSTALL_HINT
from summarizer.errors import ConfigError, EngineError

# What llama-cpp-python's create_chat_completion understands of an OpenAI request.
_PASSED_THROUGH = (
    "messages",
    "temperature",
    "top_p",
    "max_tokens",
    "response_format",
    "tools",
    "tool_choice",
    "seed",
    "stop",
)
# Chat-template tokens around each message (<|im_start|>role\n ... <|im_end|>\n).
_TOKENS_PER_MESSAGE = 5


class LocalEngine:
    """A GGUF model run by llama-cpp-python in this process. Loaded on first use."""

    name = "local"

    def __init__(
        self,
        model_file: Path,
        *,
        model: str,
        context_window: int,
        output_mode: OutputMode | None = None,
        threads: int | None = None,
        seed: int = 0,
        on_tokens: TokensCallback | None = None,
    ) -> None:
        self.model = model
        self.model_file = model_file
        self.output_mode = output_mode or OUTPUT_MODES["json_object"]
        self._context_window = context_window
        self._threads = threads or os.cpu_count() or 1
        self._seed = seed
        self._on_tokens = on_tokens
        self._llama: Any = None

    @property
    def context_window(self) -> int | None:
        return self._context_window

    def complete(self, request: Request, labels: Labels | None = None) -> Reply:
        from openai.types.chat import ChatCompletion

        llama = self._loaded()
        started = time.perf_counter()
        if self.output_mode.schema_as_json_object:
            request = as_json_object_request(request)
        arguments = {key: request[key] for key in _PASSED_THROUGH if key in request}
        arguments.setdefault("seed", self._seed)
        _refuse_unparsable_grammar(llama, request)
        watch = self._on_tokens
        if watch is not None:
            step = (labels or {}).get("pass", "")
            watch(step, 0)
            llama.on_token = lambda count: watch(step, count)
        try:
            result = llama.create_chat_completion(**arguments)
        except ValueError as error:
            # llama.cpp raises ValueError when the prompt and answer overflow the context.
            raise EngineError(f"the embedded model refused the request: {error}") from None
        finally:
            llama.on_token = None
        _count_cached(result, llama.prompt_evaluated)
        return Reply(ChatCompletion.model_validate(result), time.perf_counter() - started)

    def count_prompt_tokens(self, messages: list[dict[str, str]]) -> int | None:
        llama = self._loaded()
        total = 3
        for message in messages:
            content = message.get("content") or ""
            total += _TOKENS_PER_MESSAGE + len(
                llama.tokenize(content.encode("utf-8"), add_bos=False, special=False)
            )
        return total

    def close(self) -> None:
        if self._llama is not None:
            self._llama.close()
            self._llama = None

    def _loaded(self) -> Any:
        if self._llama is None:
            try:
                from summarizer.engines.sampling import CheckedLlama
            except ImportError:
                raise ConfigError(
                    "the embedded engine needs llama-cpp-python, which is not installed; "
                    + INSTALL_HINT
                ) from None
            _refuse_amx_build()
            try:
                self._llama = CheckedLlama(
                    model_path=str(self.model_file),
                    n_ctx=self._context_window,
                    n_threads=self._threads,
                    n_threads_batch=self._threads,
                    seed=self._seed,
                    verbose=False,
                )
            except (ValueError, RuntimeError) as error:
                raise ConfigError(
                    f"{self.model_file}: cannot load as a GGUF model ({error}); "
                    "give the path of a valid .gguf file after local:"
                ) from None
        return self._llama


def _refuse_amx_build() -> None:
    """Refuse a llama-cpp-python built with Intel AMX kernels: on CPUs that have AMX
    (Sapphire Rapids and later) they crash the first decode with a segmentation fault
    (ggml-org/llama.cpp issue 20824), which would take the run and its output with it.
    SUMMARIZER_ALLOW_AMX=1 tries such a build anyway."""
    import llama_cpp

    if os.environ.get("SUMMARIZER_ALLOW_AMX") == "1":
        return
    if b"AMX_INT8 = 1" in llama_cpp.llama_print_system_info():
        raise ConfigError(
            "llama-cpp-python was built for this CPU with Intel AMX kernels, which crash "
            "llama.cpp's first decode; rebuild it without them, as `make demo` does: "
            "`pip cache remove llama_cpp_python && CMAKE_ARGS='-DGGML_NATIVE=OFF "
            "-DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON' pip install --force-reinstall "
            f"--no-deps llama-cpp-python=={llama_cpp.__version__}` (or set "
            "SUMMARIZER_ALLOW_AMX=1 to try it)"
        )


def _refuse_unparsable_grammar(llama: Any, request: Request) -> None:
    """Refuse a schema whose grammar llama.cpp cannot parse, before decoding under it:
    llama-cpp-python passes the failed grammar on as a null sampler and the process dies
    of a segmentation fault."""
    response_format = request.get("response_format") or {}
    schema = response_format.get("schema")
    if schema is None:
        return
    import llama_cpp
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    try:
        grammar = json_schema_to_gbnf(json.dumps(schema))
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        raise EngineError(
            f"the embedded model cannot decode under the answer's schema ({error}); "
            "run with another model, or report the article that caused it"
        ) from None
    sampler = llama_cpp.llama_sampler_init_grammar(
        llama._model.vocab, grammar.encode("utf-8"), b"root"
    )
    if not sampler:
        raise EngineError(
            "llama.cpp could not parse the grammar made from the answer's schema, so the "
            "embedded model cannot answer it; run with another model, or report the "
            "article that caused it"
        )
    llama_cpp.llama_sampler_free(sampler)


def _count_cached(result: dict[str, Any], evaluated: int | None) -> None:
    """Report the prompt tokens the context already held as OpenAI reports cached ones."""
    usage = result.get("usage")
    if usage is None or evaluated is None:
        return
    cached = max(usage["prompt_tokens"] - evaluated, 0)
    usage["prompt_tokens_details"] = {"cached_tokens": cached}
