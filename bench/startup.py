"""Start-up cost of the CLI: `summarizer --help` against a bare interpreter, same machine."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 15
BIN = Path(sys.executable).parent


def wall_seconds(command: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    baseline = wall_seconds([sys.executable, "-c", "pass"])
    rows = [
        ("python -c pass (baseline)", baseline),
        (
            "python -c 'import summarizer'",
            wall_seconds([sys.executable, "-c", "import summarizer"]),
        ),
        ("summarizer --help", wall_seconds([str(BIN / "summarizer"), "--help"])),
        (
            "summarizer summarize --help",
            wall_seconds([str(BIN / "summarizer"), "summarize", "--help"]),
        ),
    ]
    print(f"median wall time of {RUNS} runs")
    print(f"{'command':<34} {'seconds':>8} {'x baseline':>11}")
    for name, seconds in rows:
        print(f"{name:<34} {seconds:>8.3f} {seconds / baseline:>11.1f}")


if __name__ == "__main__":
    main()
