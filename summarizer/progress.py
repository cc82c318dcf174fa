"""Work as it runs, on stderr: a batch's rich progress bar on a terminal, a plain line
every few seconds otherwise (logs, CI), and the report at its end; for one article, the
embedded model's pass and speed, on a terminal only."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.batch import Tally
from summarizer.errors import ConfigError, SummarizerError
from summarizer.pricing import PRICES_AS_OF, estimate_cost

if TYPE_CHECKING:
    from rich.console import RenderableType


class BatchDisplay:
    """Shows a tally while the block runs; failures are printed as they come, one line
    each, above the bar."""

    def __init__(self, tally: Tally, *, interactive: bool, every: float = 10.0) -> None:
        if every <= 0:
            raise ConfigError(f"--progress-every {every:g}: give a number of seconds above 0")
        self.tally = tally
        self.interactive = interactive
        self.every = every
        self._bar: Any = None
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __enter__(self) -> BatchDisplay:
        if self.interactive:
            self._bar = _bar(self.tally)
            self._bar.start()
        else:
            self._ticker = threading.Thread(target=self._tick, name="progress", daemon=True)
            self._ticker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._bar is not None:
            self._bar.stop()
        if self._ticker is not None:
            self._ticker.join(timeout=1)

    def failure(self, error: SummarizerError, article_id: str | None) -> None:
        self.say(f"error: {error}")

    def say(self, line: str) -> None:
        if self._bar is not None:
            self._bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=sys.stderr, flush=True)

    def _tick(self) -> None:
        while not self._stop.wait(self.every):
            print(status_line(self.tally), file=sys.stderr, flush=True)


class ModelStatus:
    """While the embedded model answers one article, one line on stderr: the pass it
    answers and how fast it writes (`overview: 120 tokens, 14.2 tokens/s`). Made only for
    a terminal: on a pipe nothing is shown."""

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console

        self._console = console or Console(stderr=True)
        self._status: Any = None
        self._began = 0.0

    def __enter__(self) -> ModelStatus:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    def __call__(self, step: str, tokens: int) -> None:
        """The model has written `tokens` tokens of its answer to `step`."""
        import time

        now = time.perf_counter()
        if tokens <= 1:  # the rate counts from the first token: reading the prompt is apart
            self._began = now
        line = status_text(step, tokens, now - self._began)
        if self._status is None:
            self._status = self._console.status(line)
            self._status.start()
        else:
            self._status.update(line)


def status_text(step: str, tokens: int, seconds: float) -> str:
    """`overview: reading the article` until the first token, then
    `overview: 120 tokens, 14.2 tokens/s`."""
    name = step or "model"
    if tokens == 0:
        return f"{name}: reading the article"
    rate = (tokens - 1) / seconds if seconds > 0 else 0.0
    return f"{name}: {tokens:,} tokens, {rate:.1f} tokens/s"


def status_line(tally: Tally) -> str:
    """`120/1,000 articles, 3 failed, 40 cached, 12.5/s, about 70 s left, 1.2M tokens in`"""
    total = f"/{tally.total:,}" if tally.total is not None else ""
    parts = [f"{tally.handled:,}{total} articles"]
    parts += _counts(tally)
    parts.append(f"{tally.rate:.1f}/s")
    left = _seconds_left(tally)
    if left is not None:
        parts.append(f"about {_duration(left)} left")
    parts.append(f"{_short(tally.prompt_tokens)} tokens in, {_short(tally.completion_tokens)} out")
    return ", ".join(parts)


def report_lines(
    tally: Tally,
    *,
    output: Path,
    errors: Path | None,
    model: str,
    hosted: bool,
) -> Iterator[str]:
    """The end of a run: what was done, tokens, cost, time, and what to do next."""
    done = f"{tally.done:,} summarized"
    if tally.cached or tally.redone:
        details = []
        if tally.cached:
            details.append(f"{tally.cached:,} from the cache")
        if tally.redone:
            details.append(f"{tally.redone:,} again as their text changed")
        done += f" ({', '.join(details)})"
    counts = [done, f"{tally.skipped:,} already in {output}", f"{tally.failed:,} failed"]
    if tally.bad_input:
        counts.append(f"{tally.bad_input:,} bad input{'s' if tally.bad_input != 1 else ''}")
    yield "done: " + ", ".join(counts)
    calls = f"{tally.model_calls:,} model call{'s' if tally.model_calls != 1 else ''}"
    cached = f"; {tally.cached_calls:,} answered from the cache" if tally.cached_calls else ""
    yield (
        f"tokens: {tally.prompt_tokens:,} in, {tally.completion_tokens:,} out, over {calls}{cached}"
    )
    if hosted:
        cost = estimate_cost(model, tally.prompt_tokens, tally.completion_tokens)
        if cost is not None:
            yield f"cost: about ${cost:,.2f} ({model} at list prices of {PRICES_AS_OF})"
        else:
            yield f"cost: unknown, no list price for {model}"
    yield f"time: {_duration(tally.seconds)}, {tally.rate:.1f} articles/s"
    failures = tally.failed + tally.bad_input
    if failures and errors is not None:
        yield f"failures: listed in {errors}"
    if tally.stopped == "interrupted":
        abandoned = f"; {tally.abandoned} in flight abandoned" if tally.abandoned else ""
        yield (
            f"interrupted{abandoned}: every record finished is in {output}; run the same "
            "command again to resume"
        )
    elif tally.stopped:
        yield tally.stopped
    elif tally.failed:
        yield "run the same command again to retry the failed articles"


def _counts(tally: Tally) -> Iterable[str]:
    if tally.failed or tally.bad_input:
        yield f"{tally.failed + tally.bad_input:,} failed"
    if tally.cached:
        yield f"{tally.cached:,} cached"
    if tally.skipped:
        yield f"{tally.skipped:,} already done"


def _seconds_left(tally: Tally) -> float | None:
    if tally.total is None or tally.rate <= 0:
        return None
    return max(0, tally.total - tally.handled) / tally.rate


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _short(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f}M"
    if count >= 10_000:
        return f"{count / 1000:.0f}k"
    return f"{count:,}"


def _bar(tally: Tally) -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TaskID,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class TallyColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            parts = [*_counts(tally), f"{tally.rate:.1f}/s"]
            parts.append(f"{_short(tally.prompt_tokens)}/{_short(tally.completion_tokens)} tok")
            return Text(" · ".join(parts))

    class TallyProgress(Progress):
        task: TaskID | None = None

        def get_renderables(self) -> Iterable[RenderableType]:
            # The tally is kept by the batch; the bar reads it at each refresh.
            if self.task is not None:
                self.update(self.task, completed=tally.handled, total=tally.total)
            yield from super().get_renderables()

    bar = TallyProgress(
        TextColumn("summarizing"),
        BarColumn(bar_width=20),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TallyColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    bar.task = bar.add_task("articles", total=tally.total)
    return bar
