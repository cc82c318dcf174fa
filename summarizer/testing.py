"""Testing pipelines built on summarizer offline: replay recorded model answers.

    from summarizer.testing import replay

    def test_my_pipeline():
        with replay("tests/exchanges"):
            record = summarizer.summarize(summarizer.read_article("tests/article.txt"))

Inside the block every engine that summarizer opens answers from the folder: no model is
loaded, no network is used, and a request with no recorded answer fails with a message
that names the article, the request's hash, what differs from the nearest recording, and
the command that records it. Record the folder once with `summarizer summarize ARTICLE
--record tests/exchanges` (or `summarizer eval GOLD --record ...`).

With pytest, the `summarizer_replay` fixture (registered by installing summarizer) does
the same for one test; the folder comes from the `summarizer_exchanges` ini option
(default `fixtures/exchanges`, relative to the rootdir).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replay(folder: str | Path) -> Iterator[Path]:
    """Answer every model request made inside the block from recorded exchanges."""
    from summarizer.engines.store import forced_replay
    from summarizer.errors import ConfigError

    path = Path(folder)
    if not path.is_dir():
        raise ConfigError(f"{path}: no such folder of recorded exchanges")
    token = forced_replay.set(path)
    try:
        yield path
    finally:
        forced_replay.reset(token)
