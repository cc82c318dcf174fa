"""The embedded engine's speeds on the seed articles, in one process: prefill, decoding
unconstrained, and decoding under the overview's JSON-schema grammar two ways: the
library's full pass over the vocabulary on every token ("grammar, full") and the chosen
token checked first ("grammar, checked", summarizer/engines/sampling.py), both one token
per decode step; then the checked grammar with guesses drafted from the prompt, as the
engine decodes ("grammar, drafted"), with the decode steps it took against the tokens.

Each article's overview prompt (the default prompt set) is prefilled once; every decode
after it starts from that cached prompt, so the decodes differ only in how they sample.
Speeds are tokens per second of wall time and of this process's CPU time: on a machine
shared with other work the CPU figure is the steadier one. Ratios are against the
unconstrained decode of the same article.

With --end-to-end, then each article summarized whole with the shipped default prompt
set, the library's full grammar pass one token a step ("before"), the checked token one
token a step ("checked") and the engine as it ships, checked and drafted ("after"), each
from an empty context: seconds, calls, the prompt tokens reported and those the
prompt cache served, and the prompt tokens evaluated against the article's own.
Usage: python bench/engine.py [--tokens N] [--threads N] [--end-to-end] [ARTICLE ...]
       (default: 200 tokens, every core, fixtures/articles/*.txt)
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer import Settings, read_article
from summarizer.answers import overview_model_for
from summarizer.engines.local import LocalEngine
from summarizer.engines.modelfile import DEFAULT_MODEL_FILE, ensure_model_file
from summarizer.extract import extract
from summarizer.prompts import load_prompt_set
from summarizer.sentences import number_sentences, split_sentences

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "fixtures" / "articles").glob("*.txt"))


@dataclass
class Timed:
    phase: str
    tokens: int
    wall: float
    cpu: float
    full_passes: int | None = None
    steps: int | None = None

    @property
    def per_second(self) -> float:
        return self.tokens / self.wall if self.wall else 0.0

    @property
    def per_cpu_second(self) -> float:
        return self.tokens / self.cpu if self.cpu else 0.0


def timed(phase: str, llama: Any, counted: str, **request: Any) -> Timed:
    started, started_cpu = time.perf_counter(), time.process_time()
    result = llama.create_chat_completion(temperature=0, seed=0, **request)
    wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    return Timed(phase, result["usage"][counted], wall, cpu)


def measure(llama: Any, path: Path, tokens: int) -> list[Timed]:
    article = read_article(path)
    prompts = load_prompt_set("default")
    numbered = number_sentences(split_sentences(article.text))
    messages = prompts.render("overview", article=article.text, numbered=numbered, candidates=[])
    schema = overview_model_for(0).model_json_schema()
    grammar = {"response_format": {"type": "json_object", "schema": schema}}
    llama.reset()
    llama.full_grammar_pass = False
    drafting, llama.draft_model = llama.draft_model, None
    runs = [timed("prefill", llama, "prompt_tokens", messages=messages, max_tokens=1)]
    runs.append(
        timed("unconstrained", llama, "completion_tokens", messages=messages, max_tokens=tokens)
    )
    llama.full_grammar_pass = True
    runs.append(
        timed(
            "grammar, full",
            llama,
            "completion_tokens",
            messages=messages,
            max_tokens=tokens,
            **grammar,
        )
    )
    llama.full_grammar_pass = False
    checked = timed(
        "grammar, checked",
        llama,
        "completion_tokens",
        messages=messages,
        max_tokens=tokens,
        **grammar,
    )
    checked.full_passes = llama.last_sampler.rejected
    runs.append(checked)
    llama.draft_model = drafting
    drafted = timed(
        "grammar, drafted",
        llama,
        "completion_tokens",
        messages=messages,
        max_tokens=tokens,
        **grammar,
    )
    drafted.full_passes = llama.last_sampler.rejected
    drafted.steps = llama.answer_steps
    runs.append(drafted)
    return runs


def end_to_end(engine: LocalEngine, paths: list[Path]) -> None:
    llama = engine._loaded()
    settings = Settings.resolve(model="local")
    prompts = load_prompt_set("default")
    print()
    print(
        f"{'article':<20} {'path':<7} {'wall s':>7} {'cpu s':>7} {'calls':>5} {'prompt':>6} "
        f"{'cached':>6} {'evaluated':>9} {'article':>7} {'x article':>9}"
    )
    drafting = llama.draft_model
    for path in paths:
        article = read_article(path)
        article_tokens = len(llama.tokenize(article.text.encode("utf-8"), add_bos=False))
        for label, full, draft in (
            ("before", True, None),
            ("checked", False, None),
            ("after", False, drafting),
        ):
            llama.reset()
            llama.full_grammar_pass = full
            llama.draft_model = draft
            started, started_cpu = time.perf_counter(), time.process_time()
            record = extract(article, engine, prompts, settings)
            wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
            usage = record.meta.usage
            evaluated = usage.prompt_tokens - usage.cached_tokens
            print(
                f"{path.stem[:20]:<20} {label:<7} {wall:>7.1f} {cpu:>7.1f} "
                f"{record.meta.attempts:>5} {usage.prompt_tokens:>6} {usage.cached_tokens:>6} "
                f"{evaluated:>9} {article_tokens:>7} {evaluated / article_tokens:>9.2f}"
            )
    llama.full_grammar_pass = False
    llama.draft_model = drafting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="*", type=Path, default=SEEDS)
    parser.add_argument("--tokens", type=int, default=200, help="at most this many per decode")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--end-to-end", action="store_true", help="also summarize each whole")
    options = parser.parse_args()
    engine = LocalEngine(
        ensure_model_file(DEFAULT_MODEL_FILE),
        model=DEFAULT_MODEL_FILE.name,
        context_window=8192,
        threads=options.threads,
    )
    llama = engine._loaded()
    print(f"model {engine.model}, {options.threads} thread(s), at most {options.tokens} tokens")
    print(
        f"{'article':<20} {'phase':<16} {'tokens':>6} {'wall s':>7} {'tok/s':>6} "
        f"{'cpu s':>7} {'tok/cpu-s':>9} {'x uncon.':>8} {'x (cpu)':>7} {'full passes':>11} "
        f"{'steps':>5}"
    )
    totals: dict[str, list[float]] = {}
    for path in options.articles:
        runs = measure(llama, path, options.tokens)
        baseline = runs[1]
        for run in runs:
            total = totals.setdefault(run.phase, [0, 0.0, 0.0])
            total[0] += run.tokens
            total[1] += run.wall
            total[2] += run.cpu
            ratios = (
                f"{run.per_second / baseline.per_second:>8.2f} "
                f"{run.per_cpu_second / baseline.per_cpu_second:>7.2f}"
                if run.phase.startswith("grammar")
                else f"{'':>8} {'':>7}"
            )
            passes = "" if run.full_passes is None else str(run.full_passes)
            steps = "" if run.steps is None else str(run.steps)
            print(
                f"{path.stem[:20]:<20} {run.phase:<16} {run.tokens:>6} {run.wall:>7.1f} "
                f"{run.per_second:>6.1f} {run.cpu:>7.1f} {run.per_cpu_second:>9.1f} "
                f"{ratios} {passes:>11} {steps:>5}"
            )
    uncon = totals["unconstrained"]
    print("all articles, tokens per second (wall, cpu) and as a ratio of unconstrained:")
    for phase, (count, wall, cpu) in totals.items():
        line = f"  {phase:<16} {count / wall:>6.1f} {count / cpu:>6.1f}"
        if phase.startswith("grammar"):
            line += (
                f"   x {count / wall / (uncon[0] / uncon[1]):.2f} wall, "
                f"x {count / cpu / (uncon[0] / uncon[2]):.2f} cpu"
            )
        print(line)
    if options.end_to_end:
        end_to_end(engine, options.articles)
    engine.close()


if __name__ == "__main__":
    main()
