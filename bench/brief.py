"""A digest of many records: render time and size of the HTML page and the Markdown.

The replayed gold records (fixtures/expected/records.jsonl, which carry their texts) are
repeated, each copy with its own id, up to N records. In one process: the HTML page, the
Markdown digest, and as the baseline the same records written back as JSONL; then the
whole `summarizer brief` command in a subprocess, reading the JSONL and writing the page.
Usage: python bench/brief.py [N]   (default 1000; best of 3 runs each)
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from summarizer.render.html import render_html
from summarizer.render.markdown import render_markdown_digest
from summarizer.schema import Record

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "fixtures" / "expected" / "records.jsonl"
RUNS = 3


def records(count: int) -> list[Record]:
    gold = [Record.model_validate_json(line) for line in RECORDS.read_text("utf-8").splitlines()]
    assert all(record.text for record in gold), "run `make expected`: the records lack texts"
    return [
        gold[n % len(gold)].model_copy(
            update={
                "article_id": f"{gold[n % len(gold)].article_id}-{n}",
                "headline": f"{gold[n % len(gold)].headline} ({n})",
            }
        )
        for n in range(count)
    ]


def best_of(work: Callable[[], str]) -> tuple[float, float, int]:
    """Best wall and CPU seconds of RUNS runs, and the size of what it made, UTF-8. CPU
    time is this process's own: on a machine shared with other work it is the steadier."""
    wall, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        made = work()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return min(wall), min(cpu), len(made.encode("utf-8"))


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(count: int) -> None:
    items = records(count)
    title = f"Briefs: {count:,} articles"
    baseline, baseline_cpu, jsonl_size = best_of(
        lambda: "".join(r.model_dump_json() + "\n" for r in items)
    )
    rows = [
        ("JSONL of the records (baseline)", baseline, baseline_cpu, jsonl_size),
        ("HTML digest, render_html", *best_of(lambda: render_html(items, title))),
        ("Markdown digest", *best_of(lambda: render_markdown_digest(items, title))),
    ]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "records.jsonl"
        source.write_text("".join(r.model_dump_json() + "\n" for r in items), encoding="utf-8")
        page = Path(folder) / "digest.html"
        command = [str(Path(sys.executable).parent / "summarizer"), "brief", str(source)]
        wall, cpu = [], []
        for _ in range(RUNS):
            started, started_cpu = time.perf_counter(), children_cpu()
            subprocess.run([*command, "-o", str(page)], check=True)
            wall.append(time.perf_counter() - started)
            cpu.append(children_cpu() - started_cpu)
        rows.append(("`summarizer brief -o digest.html`", min(wall), min(cpu), page.stat().st_size))
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    cores = os.cpu_count()
    print(f"{count:,} records, best of {RUNS} runs each; load average {load} on {cores} cores")
    print(f"{'':<36} {'wall s':>7} {'CPU s':>7} {'CPU x baseline':>14} {'MB':>6} {'x JSONL':>8}")
    for name, took, took_cpu, size in rows:
        print(
            f"{name:<36} {took:>7.3f} {took_cpu:>7.3f} {took_cpu / baseline_cpu:>14.1f} "
            f"{size / 1e6:>6.2f} {size / jsonl_size:>8.2f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
