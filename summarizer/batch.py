"""Many articles into one JSONL of records: concurrent, streamed, resumable, as they finish.

Articles are read one at a time and at most `concurrency` are in flight; each record is
appended as one whole line the moment its article is done, so a crash or a kill -9
leaves a valid file that a rerun resumes: ids already there with the same text are
skipped, an article whose text changed is done again (and its old line dropped), and
failed articles, which are never written, are tried again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from summarizer.articles import Article
from summarizer.engines import LOCAL, EngineChoice
from summarizer.engines.base import AsyncEngine, Labels, Reply, Request, in_blocking_call
from summarizer.errors import ConfigError, EngineError, InputError, SummarizerError
from summarizer.extract import extract_async, with_text
from summarizer.inputs import Deferred, Input
from summarizer.memo import RecordMemo
from summarizer.prompts import PromptSet
from summarizer.reading import Reading, read_english, worker_started
from summarizer.schema import Record
from summarizer.settings import Settings

# Pages fetched and HTML extracted at once, beside the model calls.
LOADERS = 8
# Processes that parse articles for a set that reads the English parse, beside the event
# loop, when more than one article is in flight and the options do not say: one per core.
PARSERS = max(1, os.cpu_count() or 1)
# Articles in a row that could not reach the model, beyond the ones in flight, after
# which the endpoint is taken to be down and the run stops (a rerun resumes).
GIVE_UP_AFTER = 8


class DuplicateIdError(InputError):
    """Two inputs give the same article id: only the first is summarized."""


@dataclass(frozen=True)
class BatchOptions:
    output: Path
    concurrency: int = 1
    resume: bool = True  # False: start the output anew
    errors: Path | None = None  # failures as JSONL: id, source, error class, message
    # Processes that parse articles for a set that reads the English parse; None: one per
    # core when more than one article is in flight; 0: the event loop parses.
    parsers: int | None = None


@dataclass
class Tally:
    """What a batch has done so far: read by the progress display while it runs."""

    total: int | None = None  # articles the inputs hold, once counted
    done: int = 0  # summarized and written by this run
    cached: int = 0  # of those, answered wholly from the exchange cache
    redone: int = 0  # of those, in the output before with another text
    skipped: int = 0  # already in the output with the same text
    failed: int = 0  # the model or the endpoint failed, after retries and re-asks
    bad_input: int = 0  # unreadable inputs and repeated ids
    in_flight: int = 0
    model_calls: int = 0
    cached_calls: int = 0
    prompt_tokens: int = 0  # sent to the model; cached answers cost none
    completion_tokens: int = 0
    abandoned: int = 0  # in flight when a second Ctrl-C came
    exit_code: int = 0  # 0; 1 when the model failed for some; 2 when some input was bad
    stopped: str | None = None  # why the run ended early, if it did
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def handled(self) -> int:
        return self.done + self.skipped + self.failed + self.bad_input

    @property
    def seconds(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    @property
    def rate(self) -> float:
        """Articles summarized per second of wall time."""
        return self.done / self.seconds if self.seconds > 0 else 0.0


def batch_settings(settings: Settings, *, cache: bool = True) -> Settings:
    """A batch caches the model's answers unless told not to, or told to record or replay:
    a rerun after a crash, or over the same articles, asks the model nothing twice."""
    from dataclasses import replace

    from summarizer.engines.modelfile import cache_dir

    if not cache:
        if settings.cache is not None:
            raise ConfigError("--no-cache and --cache contradict each other; give one")
        return settings
    if settings.record or settings.replay or settings.cache:
        return settings
    return replace(settings, cache=cache_dir() / "exchanges")


def choose_concurrency(choice: EngineChoice, asked: int | None) -> tuple[int, str]:
    """How many articles to have in flight (-j, else the engine's default) and a line
    that says so, and why."""
    if asked is not None and asked < 1:
        raise ConfigError(f"-j {asked}: give 1 or more articles at a time")
    if choice.engine == LOCAL:
        note = f"; -j {asked} has no effect" if asked and asked > 1 else ""
        return 1, (
            f"one article at a time: the embedded engine generates one answer at a time{note}"
        )
    if asked is not None:
        return asked, f"{asked} article{'s' if asked != 1 else ''} at a time"
    servers = len(choice.base_urls)
    where = "OpenAI's API" if choice.hosted else f"{servers} servers" if servers > 1 else "a server"
    return choice.concurrency, (
        f"{choice.concurrency} articles at a time, the default for {where}; "
        "-j to change (a vLLM or SGLang server takes 64 to 256)"
    )


# Told of each failure as it happens: the error, the article id (if known).
OnFailure = Callable[[SummarizerError, str | None], None]


def run_batch(
    inputs: Iterable[Input],
    options: BatchOptions,
    *,
    engine: AsyncEngine,
    prompt_set: PromptSet,
    settings: Settings,
    tally: Tally | None = None,
    on_failure: OnFailure | None = None,
    stopper: Stopper | None = None,
    count: Callable[[], int] | None = None,
) -> Tally:
    """Summarize every input not yet in `options.output`; returns what was done.

    `count`, when given, is run in a thread to learn the total while the work goes on.
    Errors that concern one article are reported to `on_failure` and the rest go on; an
    endpoint that refuses our settings (a bad key, an unknown model) stops the run.
    """
    tally = tally or Tally()
    if count is not None:

        def learn_total() -> None:
            with contextlib.suppress(Exception):
                tally.total = count()

        threading.Thread(target=learn_total, name="count-inputs", daemon=True).start()
    run = _Run(
        inputs, options, engine, prompt_set, settings, tally, on_failure, stopper or Stopper()
    )
    asyncio.run(run.run())
    return tally


class Stopper:
    """Ctrl-C for a batch: the first stops taking new articles and lets those in flight
    finish; the second abandons them. Either way every line written is whole."""

    def __init__(self) -> None:
        self.stopping = False
        self.abandoning = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._abandon: Callable[[], None] | None = None

    def request(self) -> None:
        """Called on Ctrl-C (from the signal handler, in the main thread)."""
        if not self.stopping:
            self.stopping = True
            _notice("stopping: the articles in flight finish first; Ctrl-C again to abandon them")
            if self._loop is not None:
                self._loop.call_soon_threadsafe(lambda: None)  # wake the loop
            return
        if self.abandoning:
            return
        self.abandoning = True
        _notice("abandoning the articles in flight")
        if self._loop is not None and self._abandon is not None:
            self._loop.call_soon_threadsafe(self._abandon)
        if in_blocking_call():
            # The embedded model is mid-answer in this very thread: stop it between tokens.
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def on_ctrl_c(self) -> Iterator[Stopper]:
        """Route Ctrl-C here while the block runs (in the main thread only)."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        previous = signal.signal(signal.SIGINT, lambda number, frame: self.request())
        try:
            yield self
        finally:
            signal.signal(signal.SIGINT, previous)

    def _attach(self, loop: asyncio.AbstractEventLoop, abandon: Callable[[], None]) -> None:
        self._loop, self._abandon = loop, abandon


def _notice(message: str) -> None:
    # From a signal handler: a plain write, which cannot re-enter a buffered stream's lock.
    with contextlib.suppress(OSError):
        os.write(2, f"\n{message}\n".encode())


class _Run:
    def __init__(
        self,
        inputs: Iterable[Input],
        options: BatchOptions,
        engine: AsyncEngine,
        prompt_set: PromptSet,
        settings: Settings,
        tally: Tally,
        on_failure: OnFailure | None,
        stopper: Stopper,
    ) -> None:
        self.inputs = inputs
        self.options = options
        self.engine = engine
        self.prompt_set = prompt_set
        self.settings = settings
        self.tally = tally
        self.on_failure = on_failure
        self.stopper = stopper
        self.tasks: set[asyncio.Task[None]] = set()
        self.seen: dict[str, str] = {}  # ids met in this run's inputs -> where first
        self.redone: set[str] = set()
        self.previous = _Previous()
        self.errors: _Appender | None = None
        self.unreachable = 0  # articles in a row that could not reach the model
        # Caching answers, a batch keeps each article's record too, beside them.
        self.memo = (
            RecordMemo(settings.cache / "records", engine, prompt_set, settings)
            if settings.cache is not None
            else None
        )

    async def run(self) -> None:
        options = self.options
        self.stopper._attach(asyncio.get_running_loop(), self._abandon)
        try:
            options.output.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ConfigError(f"{options.output}: cannot make its folder: {error}") from None
        self.out = _Appender.open(options.output, fresh=not options.resume)
        self.loader = ThreadPoolExecutor(LOADERS, thread_name_prefix="load")
        self.readers = _Readers(self.prompt_set, options.concurrency, options.parsers)
        try:
            if options.errors is not None:
                self.errors = _Appender.open(options.errors, fresh=True)
            if options.resume:
                self.previous = _read_output(options.output)
            await self._dispatch()
        finally:
            self.loader.shutdown(wait=False, cancel_futures=True)
            self.readers.close()
            self.out.close()
            if self.errors is not None:
                self.errors.close()
            with contextlib.suppress(Exception):
                await self.engine.aclose()
            stale = self.previous.repeated | (self.redone & set(self.previous.digests))
            if stale:
                _drop_superseded(options.output, stale)
            self.tally.finished = time.monotonic()

    async def _dispatch(self) -> None:
        concurrency = max(1, self.options.concurrency)
        slots = asyncio.Semaphore(concurrency)
        reader = _Reader(self.inputs, asyncio.get_running_loop(), ahead=max(64, 2 * concurrency))
        try:
            await self._start_all(reader, slots)
        finally:
            reader.stop()
        while self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)

    async def _start_all(self, reader: _Reader, slots: asyncio.Semaphore) -> None:
        # Articles taken from the inputs before a slot is free, their parse already
        # started in the workers, so that an article gets its slot parsed: without it,
        # each article's time in flight is its parse plus its model calls.
        ahead: deque[tuple[Article | Deferred, _Prepared]] = deque()
        depth = self.readers.ahead
        inputs_left = True
        try:
            while True:
                if self._stopping:
                    # Ctrl-C before the inputs ran out: there is more to do on a rerun.
                    self.tally.stopped = self.tally.stopped or "interrupted"
                    return
                # Fill the queue from what the inputs have ready, never waiting on them
                # while an article is ready to go.
                while inputs_left and len(ahead) <= depth and (not ahead or reader.ready()):
                    work = await self._next_work(reader)
                    if work is None:
                        inputs_left = False
                    else:
                        ahead.append((work, self._prepare(work)))
                if not ahead:
                    return
                work, prepared = ahead.popleft()
                await slots.acquire()
                if self._stopping:
                    slots.release()
                    prepared.cancel()
                    continue
                task = asyncio.create_task(self._one(work, prepared))
                self.tasks.add(task)

                def finished(task: asyncio.Task[None]) -> None:
                    self.tasks.discard(task)
                    slots.release()

                task.add_done_callback(finished)
        finally:
            for _, prepared in ahead:
                prepared.cancel()

    async def _next_work(self, reader: _Reader) -> Article | Deferred | None:
        """The next input with something left to do, or None after the last."""
        while True:
            item = await reader.next()
            if item is None:
                return None
            work = self._triage(item)
            if work is not None:
                return work

    def _prepare(self, work: Article | Deferred) -> _Prepared:
        """What can be done for an article before its slot: its record found in the memo,
        else its parse started in the workers (a page to load waits for its slot)."""
        if isinstance(work, Deferred):
            return _Prepared()
        record = self.memo.get(work) if self.memo is not None else None
        if record is not None:
            return _Prepared(record=record)
        if not self.prompt_set.reads_the_parse:
            return _Prepared()
        return _Prepared(reading=self.readers.start(work.text))

    @property
    def _stopping(self) -> bool:
        return self.stopper.stopping or self.tally.stopped is not None

    def _abandon(self) -> None:
        for task in self.tasks:
            if task.cancel():
                self.tally.abandoned += 1
        self.tally.stopped = self.tally.stopped or "interrupted"

    def _triage(self, item: Input) -> Article | Deferred | None:
        """What is left to do for an input, or None when it was settled here."""
        if isinstance(item, InputError):
            self._fail(item, item.article_id)
            return None
        if item.id is not None and not self._first(item.id, item.source):
            return None
        if isinstance(item, Deferred):
            if item.by_id and item.id in self.previous.digests:
                self.tally.skipped += 1
                return None
            return item
        return item if self._to_do(item) else None

    def _first(self, article_id: str, source: str) -> bool:
        """Whether this is the first input with this id; reports it when it is not."""
        first = self.seen.get(article_id)
        if first is None:
            self.seen[article_id] = source
            return True
        self._fail(
            DuplicateIdError(
                source,
                f"id {article_id!r} was given before, by {first}; only the first is "
                "summarized: give each article its own id",
            ),
            article_id,
        )
        return False

    def _to_do(self, article: Article) -> bool:
        """Not yet in the output, or there with a text that has changed since."""
        before = self.previous.digests.get(article.id)
        if before is None:
            return True
        if before == _digest(article.sha256):
            self.tally.skipped += 1
            return False
        self.redone.add(article.id)
        return True

    async def _one(self, work: Article | Deferred, prepared: _Prepared) -> None:
        tally = self.tally
        tally.in_flight += 1
        article_id, source = work.id, work.source
        try:
            if isinstance(work, Deferred):
                loop = asyncio.get_running_loop()
                article = await loop.run_in_executor(self.loader, work.load)
                article_id = article.id
                if work.id is None and not self._first(article.id, article.source):
                    return
                if not self._to_do(article):
                    return
                record = self.memo.get(article) if self.memo is not None else None
            else:
                article, record = work, prepared.record
            if record is not None:
                tally.cached += 1
            else:
                record = await self._summarize(article, prepared.reading)
            self.out.append(with_text(record, article, self.settings).model_dump_json())
            tally.done += 1
            tally.redone += article.id in self.redone
            self.unreachable = 0
        except SummarizerError as error:
            self._fail(error, article_id, source)
        except Exception as error:
            # A bug of ours: this article's failure, said so, never a record silently lost.
            internal = SummarizerError(
                f"{source}: internal error ({type(error).__name__}: {error}); please report it"
            )
            self._fail(internal, article_id, source)
        finally:
            prepared.cancel()
            tally.in_flight -= 1

    async def _summarize(self, article: Article, reading: Awaitable[Reading] | None) -> Record:
        tally = self.tally
        counted = _Counted(self.engine)
        if reading is None and self.prompt_set.reads_the_parse:
            reading = self.readers.start(article.text)
        try:
            try:
                record = await extract_async(
                    article, counted, self.prompt_set, self.settings, reading
                )
            except BrokenProcessPool:
                self.readers.broken()
                record = await extract_async(article, counted, self.prompt_set, self.settings)
        finally:
            tally.model_calls += counted.calls - counted.cached_calls
            tally.cached_calls += counted.cached_calls
            tally.prompt_tokens += counted.prompt_tokens
            tally.completion_tokens += counted.completion_tokens
        tally.cached += counted.calls > 0 and counted.calls == counted.cached_calls
        if self.memo is not None:
            self.memo.put(article, record)
        return record

    def _fail(self, error: SummarizerError, article_id: str | None, source: str = "") -> None:
        tally = self.tally
        if isinstance(error, InputError) or error.exit_code == 2:
            tally.bad_input += 1
        else:
            tally.failed += 1
        tally.exit_code = max(tally.exit_code, error.exit_code)
        if self.errors is not None:
            source = error.source if isinstance(error, InputError) else source
            line = {
                "id": article_id,
                "source": source,
                "error": type(error).__name__,
                "message": str(error),
            }
            self.errors.append(json.dumps(line, ensure_ascii=False))
        if self.on_failure is not None:
            self.on_failure(error, article_id)
        if isinstance(error, ConfigError):
            # The endpoint refuses our settings: every other article would fail alike.
            self._stop(f"stopped: {error}")
        elif isinstance(error, EngineError) and type(error) is EngineError:
            self.unreachable += 1
            if self.unreachable >= self.options.concurrency + GIVE_UP_AFTER:
                self._stop(
                    f"stopped: {self.unreachable} articles in a row could not get an answer "
                    "from the model; check the endpoint, then run again to resume"
                )

    def _stop(self, reason: str) -> None:
        if self.tally.stopped is None:
            self.tally.stopped = reason
        for task in self.tasks:
            if task.cancel():
                self.tally.abandoned += 1


class _Readers:
    """Worker processes that parse articles while the model answers others, for a set
    that reads the parse and more than one article in flight; started with the first
    article that needs a parse (a run answered from the cache starts none). Spawned,
    not forked: the batch has threads by then. The batch's own process then never loads
    the parser: its memory stays what the run needs, and each worker's about 150 MB."""

    def __init__(self, prompt_set: PromptSet, concurrency: int, parsers: int | None) -> None:
        self.workers = min(PARSERS, concurrency) if parsers is None else parsers
        self.wanted = prompt_set.reads_the_parse and concurrency > 1 and self.workers > 0
        self.pool: ProcessPoolExecutor | None = None

    @property
    def ahead(self) -> int:
        """How many articles to have parsing beyond those in flight: enough to keep every
        worker busy while articles wait for a slot; none when the event loop parses."""
        return 2 * self.workers if self.wanted else 0

    def start(self, text: str) -> asyncio.Future[Reading] | None:
        """Start parsing `text` in a worker (the pool started on first use); None when
        the parse runs on the event loop."""
        if not self.wanted:
            return None
        if self.pool is None:
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=worker_started
            )
        try:
            return asyncio.get_running_loop().run_in_executor(self.pool, read_english, text)
        except BrokenProcessPool:  # a worker died since the last article
            self.broken()
            return None

    def broken(self) -> None:
        """A worker died (killed, out of memory): parse on the event loop from now on.
        The parses started ahead are left to fail (the pool fails them all), not
        cancelled: their articles then parse on the event loop too."""
        if self.pool is not None:
            self.pool.shutdown(wait=False)
        self.wanted = False
        self.pool = None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)


class _Reader:
    """The inputs, read in a thread of their own, a bounded way ahead: a slow read (a
    pipe, a network drive, a page of a big CSV) never holds up the articles in flight."""

    _END = object()

    def __init__(
        self, inputs: Iterable[Input], loop: asyncio.AbstractEventLoop, *, ahead: int
    ) -> None:
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._room = threading.Semaphore(ahead)
        self._stopped = threading.Event()
        self._loop = loop
        self._thread = threading.Thread(
            target=self._read, args=(iter(inputs),), name="read-inputs", daemon=True
        )
        self._thread.start()

    async def next(self) -> Input | None:
        """The next input, or None after the last."""
        item = await self._queue.get()
        self._room.release()
        if item is self._END:
            return None
        if isinstance(item, _Crashed):
            raise item.error
        return item  # type: ignore[return-value]

    def ready(self) -> bool:
        """Whether the next input (or the end) has been read already."""
        return not self._queue.empty()

    def stop(self) -> None:
        self._stopped.set()
        self._room.release()  # in case the thread waits for room

    def _read(self, inputs: Iterator[Input]) -> None:
        item: object
        while not self._stopped.is_set():
            self._room.acquire()
            if self._stopped.is_set():
                return
            try:
                item = next(inputs)
            except StopIteration:
                item = self._END
            except Exception as error:  # a bug in reading: raised in the loop, not lost
                item = _Crashed(error)
            try:
                self._loop.call_soon_threadsafe(self._queue.put_nowait, item)
            except RuntimeError:  # the loop closed: the run is over
                return
            if item is self._END or isinstance(item, _Crashed):
                return


@dataclass(frozen=True)
class _Crashed:
    error: Exception


@dataclass(frozen=True)
class _Prepared:
    """What was done for an article before its slot was free: its record, found in the
    memo, or its parse, started in the workers."""

    record: Record | None = None
    reading: asyncio.Future[Reading] | None = None

    def cancel(self) -> None:
        """Not needed after all (the run stops, the article failed): a parse not yet begun
        is not begun, and one that failed has been seen to."""
        if self.reading is None:
            return
        if not self.reading.done():
            self.reading.cancel()
        elif not self.reading.cancelled():
            self.reading.exception()


class _Counted:
    """The engine, counting one article's calls, cached answers and tokens."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.name = engine.name
        self.model = engine.model
        self.output_mode = engine.output_mode
        self.calls = 0
        self.cached_calls = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0

    @property
    def context_window(self) -> int | None:
        return self.engine.context_window

    def count_prompt_tokens(self, messages: list[dict[str, str]]) -> int | None:
        return self.engine.count_prompt_tokens(messages)

    def complete(self, request: Request, labels: Labels | None = None) -> Reply:
        return self._counted(self.engine.complete(request, labels))

    async def complete_async(self, request: Request, labels: Labels | None = None) -> Reply:
        return self._counted(await self.engine.complete_async(request, labels))

    def close(self) -> None:
        pass

    async def aclose(self) -> None:
        pass

    def _counted(self, reply: Reply) -> Reply:
        self.calls += 1
        if reply.from_store:
            self.cached_calls += 1
        elif reply.completion.usage is not None:
            self.prompt_tokens += reply.completion.usage.prompt_tokens
            self.completion_tokens += reply.completion.usage.completion_tokens
        return reply


class _Appender:
    """A JSONL file that grows by whole lines: each one a single write of its bytes, made
    at once (no buffer), so a crash or kill leaves at most one torn line at the end."""

    def __init__(self, path: Path, descriptor: int) -> None:
        self.path = path
        self.descriptor = descriptor

    @classmethod
    def open(cls, path: Path, *, fresh: bool) -> _Appender:
        import fcntl

        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (os.O_TRUNC if fresh else 0)
        try:
            descriptor = os.open(path, flags, 0o644)
        except OSError as error:
            raise ConfigError(f"{path}: cannot write: {error.strerror}") from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise ConfigError(
                f"{path}: another summarizer batch is writing to it; wait for it to end "
                "or give another file"
            ) from None
        return cls(path, descriptor)

    def append(self, line: str) -> None:
        data = memoryview((line + "\n").encode("utf-8"))
        try:
            while data:
                data = data[os.write(self.descriptor, data) :]
        except OSError as error:
            raise ConfigError(f"{self.path}: cannot write: {error.strerror}") from None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.descriptor)


@dataclass
class _Previous:
    """What the output held when the run began."""

    digests: dict[str, str] = field(default_factory=dict)  # id -> text digest, last record
    repeated: set[str] = field(default_factory=set)  # ids with more than one record
    unreadable: int = 0


def _digest(sha256: str) -> str:
    # Half the hash tells texts apart as well and halves what resume keeps in memory.
    return sha256[:32]


def _read_output(path: Path) -> _Previous:
    """The ids and text hashes of the records in the output, streamed, after mending the
    end of a file that a crash left without its last newline."""
    previous = _Previous()
    if not path.exists():
        return previous
    _mend_last_line(path)
    with open(path, "rb") as file:
        for line in file:
            article_id, sha256 = _id_and_hash(line)
            if article_id is None:
                previous.unreadable += line.strip() != b""
                continue
            if article_id in previous.digests:
                previous.repeated.add(article_id)
            previous.digests[article_id] = _digest(sha256)
    return previous


def _id_and_hash(line: bytes) -> tuple[str | None, str]:
    try:
        record = json.loads(line)
        return str(record["article_id"]), str(record.get("sha256", ""))
    except (ValueError, KeyError, TypeError):
        return None, ""


def _mend_last_line(path: Path) -> None:
    """A last line without its newline is cut off (a crash mid-write) unless it is whole."""
    with open(path, "r+b") as file:
        size = file.seek(0, os.SEEK_END)
        if size == 0:
            return
        file.seek(size - 1)
        if file.read(1) == b"\n":
            return
        start = size
        while start > 0:  # back to the last newline, a block at a time
            step = min(65536, start)
            file.seek(start - step)
            block = file.read(step)
            found = block.rfind(b"\n")
            if found >= 0:
                start = start - step + found + 1
                break
            start -= step
        file.seek(start)
        tail = file.read()
        if _id_and_hash(tail)[0] is not None:
            file.write(b"\n")
        else:
            file.truncate(start)


def _drop_superseded(path: Path, ids: set[str]) -> None:
    """Keep only the last record of each of `ids`: the output has one line an article."""
    last: dict[str, int] = {}
    with open(path, "rb") as file:
        for number, line in enumerate(file):
            article_id = _id_and_hash(line)[0]
            if article_id in ids:
                last[article_id] = number
    partial = path.with_name(f"{path.name}.compacting-{os.getpid()}")
    with open(path, "rb") as source, open(partial, "wb") as kept:
        for number, line in enumerate(source):
            article_id = _id_and_hash(line)[0]
            if article_id is None or article_id not in ids or last[article_id] == number:
                kept.write(line)
    os.replace(partial, path)
