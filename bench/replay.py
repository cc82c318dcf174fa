"""One article live on the embedded model against the same call replayed from a store.

Records into a temporary folder, then replays, in one process; prints both and the ratio.
Usage: python bench/replay.py [ARTICLE]   (default: the first seed article)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from summarizer import Settings, read_article, summarize

ROOT = Path(__file__).resolve().parent.parent


def main(path: Path) -> None:
    article = read_article(path)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        live = summarize(article, settings=Settings(model="local", record=Path(folder)))
        live_seconds = time.perf_counter() - started
        started = time.perf_counter()
        replayed = summarize(article, settings=Settings(model="local", replay=Path(folder)))
        replay_seconds = time.perf_counter() - started
    assert replayed.actors == live.actors and replayed.allegations == live.allegations
    print(f"{'article':<22} {'live s':>8} {'replay s':>9} {'live / replay':>14}")
    print(
        f"{article.id:<22} {live_seconds:>8.2f} {replay_seconds:>9.3f} "
        f"{live_seconds / replay_seconds:>14.0f}"
    )


if __name__ == "__main__":
    main(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else ROOT / "fixtures/articles/mqm-birds-in-wings.txt"
    )
