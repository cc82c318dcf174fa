"""Batch throughput and memory against the fake OpenAI-compatible server, in one run.

The server runs as a process of its own (tests/fakeserver.py), answering every request
with the smallest valid JSON after a fixed delay, so what is measured is our side.

1. articles/s at -j 1, 8 and 64 with 100 ms per call, against the ideal:
   concurrency / (latency per call x calls per article), and what a bare loop of
   instructor calls reaches at the same -j on the same machine;
2. at zero latency and -j 64, `run_batch` against a bare loop of instructor +
   AsyncOpenAI calls with the same messages and schema, alternated, best of each, for
   the default set (which parses) and the one-pass set (which does not);
3. `summarizer batch` (a process, imports included) into a new output over 2,000
   articles whose exchanges are all cached, the server gone: wall time, model calls;
4. peak RSS of `summarizer batch` over JSONL archives of growing size.

Usage: python bench/batch.py [--rss 1000,10000,100000] [--cached 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer import Settings, open_engine  # noqa: E402
from summarizer.answers import overview_model_for  # noqa: E402
from summarizer.batch import BatchOptions, Tally, run_batch  # noqa: E402
from summarizer.engines.base import runs_async  # noqa: E402
from summarizer.inputs import read_inputs  # noqa: E402
from summarizer.prompts import load_prompt_set  # noqa: E402
from summarizer.schema import BriefDraft  # noqa: E402
from summarizer.sentences import number_sentences, split_sentences  # noqa: E402


def article_text(number: int) -> str:
    """About 600 characters of news that reports no claim: one call per article."""
    return (
        f"The council of Brenford met on Monday for its meeting number {number}. Members "
        "reviewed the figures for the new library, the bridge repairs and the bus lanes. "
        "The library will open in the spring, two months later than planned. Work on the "
        "bridge starts in June and will close one lane for six weeks. The bus lanes on "
        "the high street will run from seven in the morning until seven at night. The "
        "next meeting is on the first Monday of next month, in the town hall."
    )


def write_archive(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as file:
        for number in range(count):
            file.write(json.dumps({"id": f"a{number}", "text": article_text(number)}) + "\n")
    return path


class Server:
    """tests/fakeserver.py in a process of its own."""

    def __init__(self, delay: float) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.fakeserver", "--delay", str(delay)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()

    def stop(self) -> int:
        """Requests it answered."""
        _, stderr = self.process.communicate(timeout=60)
        return int(stderr.strip().splitlines()[-1])


def batch_rate(
    url: str,
    archive: Path,
    concurrency: int,
    folder: Path,
    cache: Path | None = None,
    parsers: int | None = None,
    prompts: str | None = None,
) -> Tally:
    settings = Settings(model="m", base_url=url, cache=cache, max_retries=0, prompts=prompts)
    engine = open_engine(settings)
    output = folder / f"out-{time.monotonic_ns()}.jsonl"
    tally = Tally()
    try:
        run_batch(
            read_inputs([str(archive)]),
            BatchOptions(output, concurrency, parsers=parsers),
            engine=runs_async(engine),
            prompt_set=load_prompt_set(settings.prompts),
            settings=settings,
            tally=tally,
        )
    finally:
        engine.close()
    assert tally.done and not tally.failed and not tally.bad_input, tally
    return tally


def bare_rate(url: str, count: int, concurrency: int, prompts: str | None = None) -> float:
    """instructor + AsyncOpenAI, nothing else: the same first-pass messages and schema
    (without the per-article checks)."""
    import instructor
    import openai

    prompt_set = load_prompt_set(prompts)
    texts = [article_text(number) for number in range(count)]
    first = prompt_set.passes[0]
    messages = [
        prompt_set.render(
            first, article=t, numbered=number_sentences(split_sentences(t)), candidates=[]
        )
        for t in texts
    ]
    schema = BriefDraft if first == "brief" else overview_model_for(0)

    async def run() -> float:
        http = openai.AsyncOpenAI(base_url=url, api_key="no-key-set", max_retries=0)
        client = instructor.from_openai(http, mode=instructor.Mode.JSON_SCHEMA)
        slots = asyncio.Semaphore(concurrency)

        async def one(asked: list[dict[str, str]]) -> Any:
            async with slots:
                return await client.chat.completions.create(
                    response_model=schema,
                    messages=asked,  # type: ignore[arg-type]
                    model="m",
                    temperature=0.0,
                    max_tokens=1536,
                    max_retries=2,
                )

        started = time.perf_counter()
        await asyncio.gather(*(one(asked) for asked in messages))
        seconds = time.perf_counter() - started
        await http.close()
        return count / seconds

    return asyncio.run(run())


def cli_run(*args: str) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MB, and stderr of one `summarizer` process."""
    command = [sys.executable, "-m", "summarizer", *args]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    stderr = process.stderr.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, stderr
    return seconds, usage.ru_maxrss // 1024, stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rss", default="1000,10000,100000", help="archive sizes for RSS")
    parser.add_argument("--cached", type=int, default=2000, help="articles of the cached run")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    os.environ["SUMMARIZER_CACHE_DIR"] = str(folder / "cache")

    print("1. articles/s with 100 ms per call, against the ideal")
    server = Server(0.1)
    warm = write_archive(folder / "warm.jsonl", 20)
    batch_rate(server.url, warm, 8, folder)  # imports, first connections
    batch_rate(server.url, warm, 1, folder)  # the parser loaded in this process (-j 1)
    print(
        f"{'-j':>4} {'run':<24} {'articles':>8} {'calls/art':>9} {'art/s':>8} {'ideal':>8} "
        f"{'ratio':>6}"
    )
    # The default set with the parse in worker processes (as shipped) and, as a baseline,
    # on the event loop; the one-pass set (no parse); and a bare loop of instructor calls.
    runs = [(1, None, None), (8, 0, None), (8, None, None), (8, None, "onepass")]
    runs += [(64, 0, None), (64, None, None), (64, None, "onepass")]
    for concurrency, parsers, prompts in runs:
        # Enough articles that the parsing workers' start (about a second) is not most
        # of the run, as it is not over an archive.
        count = max(20, concurrency * 50)
        archive = write_archive(folder / "a.jsonl", count)
        tally = batch_rate(
            server.url, archive, concurrency, folder, parsers=parsers, prompts=prompts
        )
        calls = tally.model_calls / tally.done
        ideal = concurrency / (0.1 * calls)
        where = "event loop" if parsers == 0 or concurrency == 1 else "workers"
        run = f"{prompts}, no parse" if prompts else f"default, parse: {where}"
        print(
            f"{concurrency:>4} {run:<24} {count:>8} {calls:>9.2f} {tally.rate:>8.1f} "
            f"{ideal:>8.1f} {tally.rate / ideal:>6.2f}"
        )
        if concurrency > 1 and prompts:
            rate = bare_rate(server.url, count, concurrency)
            ideal = concurrency / 0.1
            print(
                f"{concurrency:>4} {'bare instructor loop':<24} {count:>8} {1:>9.2f} "
                f"{rate:>8.1f} {ideal:>8.1f} {rate / ideal:>6.2f}"
            )
    server.stop()

    print("\n2. zero latency, -j 64: run_batch against bare instructor + AsyncOpenAI")
    server = Server(0.0)
    count = 1000
    archive = write_archive(folder / "b.jsonl", count)
    print(f"{'prompt set':<34} {'batch art/s':>11} {'bare art/s':>10} {'ratio':>6}")
    for prompts in (None, "onepass"):
        ours, bare = [], []
        for _ in range(2):
            ours.append(batch_rate(server.url, archive, 64, folder, prompts=prompts).rate)
            bare.append(bare_rate(server.url, count, 64, prompts))
        name = prompts or "default (parse in workers)"
        print(f"{name:<34} {max(ours):>11.1f} {max(bare):>10.1f} {max(ours) / max(bare):>6.2f}")

    print(f"\n3. {arguments.cached:,} articles whose exchanges are all cached, into a new file")
    cache = folder / "exchanges"
    archive = write_archive(folder / "c.jsonl", arguments.cached)
    batch_rate(server.url, archive, 64, folder, cache=cache)
    gone = server.url
    server.stop()  # any model call now fails: the run must make none
    seconds, _, stderr = cli_run(
        "batch", str(archive), "-o", str(folder / "cached.jsonl"), "-m", "m",
        "--base-url", gone, "--cache", str(cache), "-j", "64", "--max-retries", "0",
    )  # fmt: skip
    startup, _, _ = cli_run("--help")
    calls = next(line for line in stderr.splitlines() if line.startswith("tokens: "))
    print(f"wall time {seconds:.2f} s (of which start-up, as in `summarizer --help`: "
          f"{startup:.2f} s); {calls}")  # fmt: skip

    print("\n4. peak RSS of `summarizer batch` over a JSONL archive, zero latency, -j 64")
    server = Server(0.0)
    print(f"{'articles':>9} {'archive MB':>10} {'peak RSS MB':>11} {'seconds':>8} {'art/s':>7}")
    for size in (int(part) for part in arguments.rss.split(",")):
        archive = write_archive(folder / f"rss-{size}.jsonl", size)
        seconds, rss, _ = cli_run(
            "batch", str(archive), "-o", str(folder / f"rss-{size}.out.jsonl"), "-m", "m",
            "--base-url", server.url, "--no-cache", "-j", "64",
        )  # fmt: skip
        megabytes = archive.stat().st_size / 1e6
        print(f"{size:>9,} {megabytes:>10.1f} {rss:>11} {seconds:>8.1f} {size / seconds:>7.1f}")
        archive.unlink()
    server.stop()


if __name__ == "__main__":
    main()
