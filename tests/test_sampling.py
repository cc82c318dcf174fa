"""Grammar-checked sampling: the chosen token checked first decodes what the full grammar
pass decodes. The decoding tests need the embedded model (marked real_model)."""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest

from tests.conftest import FIXTURES

llama_cpp = pytest.importorskip("llama_cpp")

# Recorded requests of the default prompt set: two frames answers and an overview.
RECORDED = ["7c599a629dfd262b471b", "242e2beab2635ea9ff0e", "0f7b859a619dfe8a6def"]
MAX_TOKENS = 400


def test_the_private_hooks_are_where_the_sampler_expects_them() -> None:
    import ctypes

    from llama_cpp import Llama
    from llama_cpp._internals import LlamaBatch, LlamaSampler

    from summarizer.engines.sampling import TOKEN_DATA

    assert "grammar" in inspect.signature(Llama._init_sampler).parameters
    assert "grammar" in inspect.signature(Llama.generate).parameters
    assert "idx" in inspect.signature(Llama.sample).parameters
    assert "logits_all" in inspect.signature(LlamaBatch.set_batch).parameters
    assert hasattr(LlamaSampler(), "sampler")
    assert TOKEN_DATA.itemsize == ctypes.sizeof(llama_cpp.llama_token_data)


@pytest.fixture(scope="module")
def llama() -> Any:
    from summarizer.engines.modelfile import DEFAULT_MODEL_FILE, ensure_model_file
    from summarizer.engines.sampling import CheckedLlama

    model = CheckedLlama(
        model_path=str(ensure_model_file(DEFAULT_MODEL_FILE)),
        n_ctx=4096,
        seed=0,
        verbose=False,
    )
    yield model
    model.close()


def _recorded(name: str) -> tuple[list[dict[str, str]], dict[str, Any]]:
    exchange = json.loads((FIXTURES / "exchanges" / f"{name}.json").read_text(encoding="utf-8"))
    request = exchange["request"]
    return request["messages"], request["response_format"]["json_schema"]["schema"]


def _decoded(llama: Any, messages: list[dict[str, str]], schema: dict[str, Any]) -> list[int]:
    """The tokens the model writes under the schema's grammar at temperature 0."""
    from llama_cpp import LlamaGrammar

    chat = "".join(
        f"<|im_start|>{message['role']}\n{message['content']}<|im_end|>\n" for message in messages
    )
    prompt = llama.tokenize(f"{chat}<|im_start|>assistant\n".encode(), special=True)
    grammar = LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
    tokens: list[int] = []
    for token in llama.generate(prompt, temp=0.0, repeat_penalty=1.1, grammar=grammar):
        if llama_cpp.llama_vocab_is_eog(llama._model.vocab, token) or len(tokens) == MAX_TOKENS:
            break
        tokens.append(token)
    return tokens


@pytest.mark.real_model
@pytest.mark.parametrize("name", RECORDED)
def test_checking_the_chosen_token_decodes_what_the_full_grammar_pass_does(
    llama: Any, name: str
) -> None:
    messages, schema = _recorded(name)
    llama.full_grammar_pass = True
    full = _decoded(llama, messages, schema)
    llama.full_grammar_pass = False
    checked = _decoded(llama, messages, schema)
    assert checked == full
    answer = json.loads(llama.detokenize(checked).decode("utf-8"))
    assert set(schema.get("required", [])) <= set(answer)
    assert llama.last_sampler is not None and llama.last_sampler.tokens == len(checked) + 1


@pytest.mark.real_model
def test_the_second_pass_of_an_article_reads_only_what_follows_the_article(llama: Any) -> None:
    # The overview and the frames pass of one article, as recorded.
    overview, _ = _recorded("ced906be157a1e838c8a")
    frames, _ = _recorded("242e2beab2635ea9ff0e")
    llama.reset()
    llama.create_chat_completion(messages=overview, max_tokens=1, temperature=0)
    assert llama.prompt_evaluated > 400
    result = llama.create_chat_completion(messages=frames, max_tokens=1, temperature=0)
    prompt_tokens = result["usage"]["prompt_tokens"]
    article_block = len(llama.tokenize(frames[1]["content"].split("\n\nActors:")[0].encode()))
    assert llama.prompt_evaluated < prompt_tokens - article_block


@pytest.mark.real_model
def test_drafting_from_the_prompt_decodes_what_the_grammar_allows_in_fewer_steps(
    llama: Any,
) -> None:
    # The overview, whose summary and key points copy names and phrases of the article.
    messages, schema = _recorded("0f7b859a619dfe8a6def")
    drafting = llama.draft_model
    try:
        llama.draft_model = None
        plain = _decoded(llama, messages, schema)
        plain_steps = llama.answer_steps
    finally:
        llama.draft_model = drafting
    drafted = _decoded(llama, messages, schema)
    assert plain_steps == len(plain)
    assert llama.answer_steps < 0.8 * len(drafted)
    answer = json.loads(llama.detokenize(drafted).decode("utf-8"))
    assert set(schema.get("required", [])) <= set(answer)
    # Rounding may part the two where two tokens are all but tied; not in the opening.
    assert drafted[:20] == plain[:20]


def test_prompt_lookup_guesses_what_followed_the_last_tokens_there_most_recently() -> None:
    import numpy as np

    from summarizer.engines.sampling import PromptLookup

    guess = PromptLookup(tokens=4)
    ids = np.array([5, 6, 7, 8, 9, 1, 2, 5, 6, 7, 3, 4, 5, 6, 7], dtype=np.intc)
    assert guess(ids).tolist() == [3, 4, 5, 6]
    # Two tokens match where three do not; one token alone is too weak a hint.
    assert guess(np.array([1, 2, 8, 9, 4, 2, 8], dtype=np.intc)).tolist() == [9, 4, 2, 8]
    assert guess(np.array([1, 2, 3, 9, 2], dtype=np.intc)).tolist() == []
    assert guess(np.array([7], dtype=np.intc)).tolist() == []
