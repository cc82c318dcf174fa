"""Grammar-checked sampling at the cost of unconstrained sampling: the token the sampler
picks is checked against the grammar alone, and the grammar runs over the whole
vocabulary only when that one token is rejected.

llama-cpp-python puts the grammar inside its sampler chain, so on every token it matches
all 152k entries of the vocabulary against the grammar before choosing one; most of the
time the token the model likes best is one the grammar allows anyway. Upstream llama.cpp
samples first and checks after, and this does the same through llama-cpp-python's
low-level sampler API. At temperature 0 both pick the same tokens: the best token, if the
grammar allows it, is also the best of the tokens the grammar allows.

`CheckedLlama` is llama-cpp-python's `Llama` with that sampler in place of its own
whenever a request comes with a grammar; every other part of a completion (the chat
template, the prompt cache, stop tokens, usage) is the library's. It hooks the private
`Llama._init_sampler`, `Llama.generate` and `Llama.eval` (to count the prompt tokens the
cache saved, and to decode the answer's batches itself, below) and `Llama.sample`:
llama-cpp-python is pinned exactly in pyproject.toml, and tests/test_sampling.py fails
if the hooks move.

It also drafts from the prompt: an answer often copies the article (names, quotes), so
when its last tokens occurred before in the prompt or the answer, the tokens that
followed them there are guessed and evaluated in one batch with the token just sampled.
The sampler then picks each next token from its own logits as usual and keeps a guess
only while the pick equals it; each kept guess saves a decode step. The answer is the
one decoding token by token gives up to rounding: llama.cpp evaluates a batch of tokens
with other kernels than a single token, so where two tokens are all but tied the pick can
differ (at temperature 0, one of the two seed articles' summaries parts from the
undrafted one after about 60 tokens, both fluent; each is the same from run to run).
This is the library's speculative decoding (`Llama.draft_model`), with logits read only
for the answer's batches: set at construction it would keep logits for every position of
the context (gigabytes here).
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Callable
from typing import Any

import llama_cpp
import numpy as np
from llama_cpp import Llama
from llama_cpp.llama_grammar import LlamaGrammar
from llama_cpp.llama_speculative import LlamaDraftModel

# One llama_token_data (id, logit, p) as numpy lays it out, the same bytes as the C struct.
TOKEN_DATA = np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)], align=True)


class CheckedSampler:
    """Samples one token at a time under a grammar: the chain picks a token from the raw
    logits, the grammar checks that one token, and only a rejected pick is redone with
    the grammar applied to every candidate first. Counts how often that happened."""

    def __init__(self, llama: Llama, chain: Any, grammar: LlamaGrammar) -> None:
        # `chain` is the library's sampler chain built without the grammar
        # (llama_cpp._internals.LlamaSampler); this object owns it from now on.
        self._chain = chain
        self._grammar = llama_cpp.llama_sampler_init_grammar(
            llama._model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8")
        )
        if not self._grammar:
            chain.close()
            raise ValueError("llama.cpp could not parse the grammar made from the JSON schema")
        self._n_vocab = llama.n_vocab()
        self._ids = np.arange(self._n_vocab, dtype=np.intc)
        self._candidates = np.zeros(self._n_vocab, dtype=TOKEN_DATA)
        self._one = np.zeros(1, dtype=TOKEN_DATA)
        self.tokens = 0
        self.rejected = 0

    def sample(self, ctx: Any, idx: int) -> int:
        """The next token from the logits at `idx` of the context (llama_cpp's
        `_internals.LlamaContext`), accepted into the grammar and the chain."""
        logits = np.ctypeslib.as_array(
            llama_cpp.llama_get_logits_ith(ctx.ctx, idx), shape=(self._n_vocab,)
        )
        token = self._pick(logits, grammar_first=False)
        if not self._allowed(token):
            self.rejected += 1
            token = self._pick(logits, grammar_first=True)
        llama_cpp.llama_sampler_accept(self._grammar, token)
        llama_cpp.llama_sampler_accept(self._chain.sampler, token)
        self.tokens += 1
        return token

    def close(self) -> None:
        if self._grammar:
            llama_cpp.llama_sampler_free(self._grammar)
            self._grammar = None
        self._chain.close()

    def __del__(self) -> None:
        self.close()

    def _pick(self, logits: np.ndarray[Any, Any], *, grammar_first: bool) -> int:
        candidates = self._candidates
        # The chain may have sorted and cut the array last time: every entry is rewritten.
        candidates["id"] = self._ids
        candidates["logit"] = logits
        candidates["p"] = 0.0
        array = _token_data_array(candidates)
        if grammar_first:
            llama_cpp.llama_sampler_apply(self._grammar, ctypes.byref(array))
        llama_cpp.llama_sampler_apply(self._chain.sampler, ctypes.byref(array))
        if array.selected < 0:
            raise RuntimeError("the sampler chain selected no token")
        return int(array.data[array.selected].id)

    def _allowed(self, token: int) -> bool:
        self._one["id"] = token
        self._one["logit"] = 1.0
        self._one["p"] = 0.0
        array = _token_data_array(self._one)
        llama_cpp.llama_sampler_apply(self._grammar, ctypes.byref(array))
        return not math.isinf(float(self._one["logit"][0]))


class PromptLookup(LlamaDraftModel):
    """Guesses the tokens that come next: where the last `ngram` tokens of the context
    (prompt and answer so far, longest n-gram first, down to `min_ngram`) occurred
    before, most recently first, the `tokens` that followed them there."""

    def __init__(self, tokens: int = 4, ngram: int = 3, min_ngram: int = 2) -> None:
        self.tokens = tokens
        self.ngram = ngram
        self.min_ngram = min_ngram

    def __call__(self, input_ids: np.ndarray[Any, Any], /, **_: Any) -> np.ndarray[Any, Any]:
        length = len(input_ids)
        for size in range(min(self.ngram, length - 1), self.min_ngram - 1, -1):
            tail = input_ids[length - size :]
            windows = np.lib.stride_tricks.sliding_window_view(input_ids[: length - 1], size)
            found = np.flatnonzero((windows == tail).all(axis=1))
            if len(found):
                start = int(found[-1]) + size
                return input_ids[start : min(start + self.tokens, length)].astype(np.intc)
        return np.zeros(0, dtype=np.intc)


def _token_data_array(candidates: np.ndarray[Any, Any]) -> Any:
    return llama_cpp.llama_token_data_array(
        data=candidates.ctypes.data_as(llama_cpp.llama_token_data_p),
        size=len(candidates),
        selected=-1,
        sorted=False,
    )


class CheckedLlama(Llama):
    """`Llama`, sampling under a grammar with `CheckedSampler` unless `full_grammar_pass`
    is set (the library's own way, kept to measure against and to test that both agree)."""

    full_grammar_pass = False

    def __init__(self, *args: Any, draft_tokens: int = 4, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Guesses per decode step from the prompt (0: none); see the module's docstring.
        self.draft_model = PromptLookup(draft_tokens) if draft_tokens else None
        self.last_sampler: CheckedSampler | None = None
        # Of the last completion's prompt, the tokens evaluated: the rest were served
        # from the tokens the context already held (the library keeps the longest
        # common prefix of the previous prompt and answer).
        self.prompt_evaluated: int | None = None
        # Told the count of answer tokens so far, after each one.
        self.on_token: Callable[[int], None] | None = None
        self._generated = 0
        # Of the last completion, the model evaluations after the prompt's: one per
        # answer token without drafting, fewer for each guess kept.
        self.answer_steps = 0

    def generate(self, tokens: Any, **options: Any) -> Any:  # type: ignore[override]
        self.prompt_evaluated = None
        self._generated = 0
        self.answer_steps = 0
        return super().generate(tokens, **options)

    def eval(self, tokens: Any) -> None:
        # The first eval of a generation is the part of the prompt not already cached.
        if self.prompt_evaluated is None:
            self.prompt_evaluated = len(tokens)
            super().eval(tokens)
            return
        # Every later eval feeds back the token just sampled, and the guesses after it:
        # logits for each, as the sampler reads each in turn (the library keeps logits
        # of every token only when made with logits_all, for the whole context).
        self.answer_steps += 1
        self._ctx.kv_cache_seq_rm(-1, self.n_tokens, -1)
        self._batch.set_batch(batch=tokens, n_past=self.n_tokens, logits_all=True)
        self._ctx.decode(self._batch)
        self.input_ids[self.n_tokens : self.n_tokens + len(tokens)] = tokens
        self.n_tokens += len(tokens)
        self._requires_eval = False

    def sample(self, *args: Any, **kwargs: Any) -> Any:
        token = super().sample(*args, **kwargs)
        self._generated += 1
        if self.on_token is not None:
            self.on_token(self._generated)
        return token

    def _init_sampler(self, **options: Any) -> Any:  # type: ignore[override]
        grammar = options.pop("grammar", None)
        if grammar is None or self.full_grammar_pass:
            return super()._init_sampler(grammar=grammar, **options)
        chain = super()._init_sampler(grammar=None, **options)
        self.last_sampler = CheckedSampler(self, chain, grammar)
        return self.last_sampler
