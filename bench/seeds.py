"""Per-article cost on the embedded model: tokens in, tokens out, seconds.

Baseline, in the same process: reading the (first) prompt with no answer (max_tokens=1),
so the ratio shows what the structured answers cost on top of reading the article. The
overhead column is the prompt tokens that are not the article, over every model call.
Usage: python bench/seeds.py [ARTICLE ...]   (default: the seed articles)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from summarizer import Settings, open_engine, read_article
from summarizer.extract import extract
from summarizer.prompts import load_prompt_set
from summarizer.sentences import number_sentences, split_sentences

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "fixtures" / "articles").glob("mqm-*.txt"))


def main(paths: list[Path]) -> None:
    settings = Settings.resolve(model="local")
    engine = open_engine(settings)
    prompts = load_prompt_set(settings.prompts)
    llama = engine._loaded()  # type: ignore[attr-defined]
    print(f"model {engine.model}, prompt set {prompts.name} ({prompts.fingerprint})")
    header = (
        f"{'article':<22} {'prompt':>6} {'article':>7} {'overhead':>8} {'compl.':>6} "
        f"{'seconds':>7} {'prefill s':>9} {'x prefill':>9} {'attempts':>8}"
    )
    print(header)
    for path in paths:
        article = read_article(path)
        numbered = number_sentences(split_sentences(article.text))
        # The first pass's prompt, as the article's first call reads it.
        messages = prompts.render(
            prompts.passes[0],
            article=article.text,
            numbered=numbered,
            candidates=[],
            actors=[],
            frames=[],
        )
        article_tokens = len(llama.tokenize(article.text.encode(), add_bos=False))
        llama.reset()
        started = time.perf_counter()
        llama.create_chat_completion(messages=messages, max_tokens=1, temperature=0)
        prefill = time.perf_counter() - started
        llama.reset()
        started = time.perf_counter()
        record = extract(article, engine, prompts, settings)
        seconds = time.perf_counter() - started
        usage = record.meta.usage
        overhead = usage.prompt_tokens - article_tokens * record.meta.attempts
        print(
            f"{article.id:<22} {usage.prompt_tokens:>6} {article_tokens:>7} {overhead:>8} "
            f"{usage.completion_tokens:>6} {seconds:>7.1f} {prefill:>9.1f} "
            f"{seconds / prefill:>9.1f} {record.meta.attempts:>8}"
        )
    engine.close()


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]] or SEEDS)
