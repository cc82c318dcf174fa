"""A digest of many records: render time and size of the HTML page and the Markdown.

The replayed gold records (fixtures/expected/records.jsonl, which carry their texts) are
repeated, each copy with its own id, up to N records. In one process: the HTML page, the
Markdown digest, and as the baseline the same records written back as JSONL; then the
whole `summarizer brief` command in a subprocess, reading the JSONL and writing the page.
Usage: python bench/brief.py [N]   (default 1000; best of 3 runs each)
"""

from __future__ import annotations

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


def best_of(work: Callable[[], str]) -> tuple[float, int]:
    """Best wall time of RUNS runs, and the size of what it made, UTF-8."""
    seconds = []
    for _ in range(RUNS):
        started = time.perf_counter()
        made = work()
        seconds.append(time.perf_counter() - started)
    return min(seconds), len(made.encode("utf-8"))


def main(count: int) -> None:
    items = records(count)
    title = f"Briefs: {count:,} articles"
    baseline, jsonl_size = best_of(lambda: "".join(r.model_dump_json() + "\n" for r in items))
    rows = [
        ("JSONL of the records (baseline)", baseline, jsonl_size),
        ("HTML digest, render_html", *best_of(lambda: render_html(items, title))),
        ("Markdown digest", *best_of(lambda: render_markdown_digest(items, title))),
    ]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "records.jsonl"
        source.write_text("".join(r.model_dump_json() + "\n" for r in items), encoding="utf-8")
        page = Path(folder) / "digest.html"
        command = [str(Path(sys.executable).parent / "summarizer"), "brief", str(source)]
        seconds = []
        for _ in range(RUNS):
            started = time.perf_counter()
            subprocess.run([*command, "-o", str(page)], check=True)
            seconds.append(time.perf_counter() - started)
        rows.append(("`summarizer brief -o digest.html`", min(seconds), page.stat().st_size))
    print(f"{count:,} records, best of {RUNS} runs each")
    print(f"{'':<36} {'seconds':>8} {'x baseline':>10} {'MB':>7} {'x JSONL':>8}")
    for name, took, size in rows:
        print(
            f"{name:<36} {took:>8.3f} {took / baseline:>10.1f} {size / 1e6:>7.2f} "
            f"{size / jsonl_size:>8.2f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
