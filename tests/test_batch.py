"""`summarizer batch`: many articles into one resumable JSONL, several at a time."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import BIRDS, FIXTURES, ONEPASS, birds_draft
from tests.fakeserver import FakeOpenAI, Reply

EMPTY = json.dumps(birds_draft(allegations=[], denials=[]))


def archive(tmp_path: Path, *lines: str, name: str = "archive.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines))
    return path


def rows(count: int, start: int = 0) -> list[str]:
    return [
        json.dumps({"id": f"a{n}", "text": f"The council met on day {n}. Nothing was decided."})
        for n in range(start, start + count)
    ]


def batch(cli, server: FakeOpenAI, *args: str):
    return cli("batch", *args, "-m", "m", "--base-url", server.url, *ONEPASS, "--no-cache")


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def ids(path: Path) -> list[str]:
    return [record["article_id"] for record in records(path)]


def errors(ran) -> list[str]:
    return [line for line in ran.stderr.splitlines() if line.startswith("error: ")]


def done_line(ran) -> str:
    return next(line for line in ran.stderr.splitlines() if line.startswith("done: "))


def test_an_archive_becomes_one_record_per_line(cli, server, tmp_path) -> None:
    source = archive(
        tmp_path,
        json.dumps({"id": "a1", "text": "The mayor opened a bridge. Nobody objected."}),
        json.dumps({"id": "a2", "text": "The council met on Monday."}),
    )
    out = tmp_path / "out.jsonl"
    server.script(Reply.completion(EMPTY), Reply.completion(EMPTY))
    ran = batch(cli, server, str(source), "-o", str(out), "-j", "1")
    assert ran.exit_code == 0, ran.stderr
    assert ids(out) == ["a1", "a2"]
    assert done_line(ran) == f"done: 2 summarized, 0 already in {out}, 0 failed"
    assert "tokens: 200 in, 40 out, over 2 model calls" in ran.stderr
    assert records(out)[0]["source"] == f"{source}:1"
    assert "source_metadata" not in records(out)[0]  # the archive gave none


@pytest.mark.parametrize("concurrency", [1, 8, 64])
def test_every_article_exactly_once_at_each_concurrency(cli, tmp_path, concurrency: int) -> None:
    source = archive(tmp_path, *rows(200))
    out = tmp_path / "out.jsonl"
    # The server holds the first requests until -j of them are in flight together.
    with FakeOpenAI(answer="minimal", delay=0.01, gather=concurrency) as server:
        ran = batch(cli, server, str(source), "-o", str(out), "-j", str(concurrency))
    assert ran.exit_code == 0, ran.stderr
    assert sorted(ids(out)) == sorted(f"a{n}" for n in range(200))
    assert server.count == 200
    # As many in flight as allowed, never more.
    assert server.most_in_flight == concurrency
    plural = "s" if concurrency > 1 else ""
    assert f"{concurrency} article{plural} at a time" in ran.stderr.splitlines()[0]


CLAIMS = [
    "The mayor accused the contractor of inflating invoices. The contractor denied it.",
    "Police said the two men were charged with fraud. Their lawyer rejected the charges.",
    "Local media claim the minister is suspected of taking bribes. He denies any wrongdoing.",
]


def test_the_parse_in_worker_processes_gives_the_records_of_the_parse_in_line(
    cli, tmp_path
) -> None:
    # The default set reads the English parse: at -j 4 worker processes parse, at -j 1
    # the event loop does. The records are the same.
    texts = [*CLAIMS, *(path.read_text() for path in sorted((FIXTURES / "articles").glob("*.txt")))]
    lines = [json.dumps({"id": f"c{n}", "text": text}) for n, text in enumerate(texts * 3)]
    source = archive(tmp_path, *lines)
    found = {}
    for run, how in {
        "one": ["-j", "1"],
        "workers": ["-j", "4"],
        "in line": ["-j", "4", "--parsers", "0"],
    }.items():
        out = tmp_path / "out.jsonl"
        with FakeOpenAI(answer="minimal") as server:
            ran = cli(
                "batch", str(source), "-o", str(out), *how, "--no-resume",
                "-m", "m", "--base-url", server.url, "--no-cache",
            )  # fmt: skip
        assert ran.exit_code == 0, ran.stderr
        found[run] = {
            record["article_id"]: (record["actors"], record["allegations"], record["denials"])
            for record in records(out)
        }
    assert len(found["one"]) == len(lines)
    assert found["workers"] == found["one"] == found["in line"]
    # The parse found claims in them: there is something to compare.
    assert sum(len(allegations) for _, allegations, _ in found["one"].values()) >= 6


def test_a_rerun_resumes_and_retries_only_what_failed(cli, server, tmp_path) -> None:
    source = archive(tmp_path, *rows(3))
    out = tmp_path / "out.jsonl"
    failed = tmp_path / "failed.jsonl"
    # a1 fails for good this time (the server keeps failing), a0 and a2 succeed.
    server.script(Reply.completion(EMPTY), *[Reply.error(500)] * 2, Reply.completion(EMPTY))
    first = batch(
        cli, server, str(source), "-o", str(out), "-j", "1", "--max-retries", "1",
        "--errors", str(failed),
    )  # fmt: skip
    assert first.exit_code == 1
    assert ids(out) == ["a0", "a2"]
    assert errors(first) == [
        f"error: {source}:2: {server.url} failed with HTTP 500 after 2 tries: a fault of the "
        "server; try again later or raise --max-retries"
    ]
    assert records(failed) == [
        {
            "id": "a1",
            "source": f"{source}:2",
            "error": "EngineError",
            "message": errors(first)[0].removeprefix("error: "),
        }
    ]
    assert "run the same command again to retry" in first.stderr
    server.script(Reply.completion(EMPTY))
    second = batch(cli, server, str(source), "-o", str(out), "--errors", str(failed))
    assert second.exit_code == 0, second.stderr
    assert ids(out) == ["a0", "a2", "a1"]
    assert done_line(second) == f"done: 1 summarized, 2 already in {out}, 0 failed"
    assert failed.read_text() == ""  # this run's failures: none
    assert server.count == 5


def test_a_torn_last_line_is_cut_and_its_article_done_again(cli, server, tmp_path) -> None:
    source = archive(tmp_path, *rows(2))
    out = tmp_path / "out.jsonl"
    server.script(Reply.completion(EMPTY))
    assert batch(cli, server, str(source), "-o", str(out), "-j", "1").exit_code == 1
    # A crash mid-write leaves half a line.
    with out.open("a") as file:
        file.write('{"article_id": "a1", "head')
    server.script(Reply.completion(EMPTY))
    ran = batch(cli, server, str(source), "-o", str(out))
    assert ran.exit_code == 0, ran.stderr
    assert ids(out) == ["a0", "a1"]
    assert out.read_text().endswith("}\n")


def test_a_whole_last_line_without_its_newline_is_kept(cli, server, tmp_path) -> None:
    source = archive(tmp_path, *rows(2))
    out = tmp_path / "out.jsonl"
    server.script(Reply.completion(EMPTY), Reply.completion(EMPTY))
    assert batch(cli, server, str(source), "-o", str(out), "-j", "1").exit_code == 0
    out.write_text(out.read_text().rstrip("\n"))
    ran = batch(cli, server, str(source), "-o", str(out))
    assert done_line(ran) == f"done: 0 summarized, 2 already in {out}, 0 failed"
    assert ids(out) == ["a0", "a1"]
    assert server.count == 2


def test_an_article_whose_text_changed_is_done_again_and_replaces_its_record(
    cli, server, tmp_path
) -> None:
    source = archive(tmp_path, *rows(3))
    out = tmp_path / "out.jsonl"
    server.script(*[Reply.completion(EMPTY)] * 3)
    assert batch(cli, server, str(source), "-o", str(out), "-j", "1").exit_code == 0
    before = {record["article_id"]: record["sha256"] for record in records(out)}
    changed = json.dumps({"id": "a1", "text": "The council met again. The budget passed."})
    archive(tmp_path, rows(1)[0], changed, rows(1, start=2)[0])
    server.script(Reply.completion(EMPTY))
    ran = batch(cli, server, str(source), "-o", str(out))
    assert ran.exit_code == 0, ran.stderr
    assert done_line(ran) == (
        f"done: 1 summarized (1 again as their text changed), 2 already in {out}, 0 failed"
    )
    after = {record["article_id"]: record["sha256"] for record in records(out)}
    assert sorted(ids(out)) == ["a0", "a1", "a2"]  # one record an article
    assert after["a1"] != before["a1"] and after["a0"] == before["a0"]
    assert server.count == 4


def test_a_repeated_id_is_reported_and_the_first_done(cli, server, tmp_path) -> None:
    source = archive(
        tmp_path,
        json.dumps({"id": "same", "text": "The first article."}),
        json.dumps({"id": "other", "text": "Another article."}),
        json.dumps({"id": "same", "text": "A different article with the same id."}),
    )
    out = tmp_path / "out.jsonl"
    server.script(Reply.completion(EMPTY), Reply.completion(EMPTY))
    ran = batch(cli, server, str(source), "-o", str(out), "-j", "1")
    assert ran.exit_code == 2
    assert errors(ran) == [
        f"error: {source}:3: id 'same' was given before, by {source}:1; only the first is "
        "summarized: give each article its own id"
    ]
    assert ids(out) == ["same", "other"]
    assert records(out)[0]["sha256"] != records(out)[1]["sha256"]
    assert "1 bad input" in done_line(ran)


def test_bad_inputs_are_named_and_the_rest_done(cli, server, tmp_path) -> None:
    source = archive(
        tmp_path,
        "{not json",
        json.dumps({"id": "ok", "text": "A fine article."}),
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps({"title": "no text"}),
    )
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    out = tmp_path / "out.jsonl"
    server.script(Reply.completion(EMPTY))
    ran = batch(cli, server, str(empty), str(source), str(tmp_path / "gone.txt"), "-o", str(out))
    assert ran.exit_code == 2
    assert errors(ran) == [
        f"error: {empty}: archive is empty: no articles in it",
        f"error: {source}:1: invalid JSON: Expecting property name enclosed in double quotes",
        f"error: {source}:3: article is empty: nothing to summarize",
        f"error: {source}:4: no 'text' field (nor 'html'); name the field holding the text "
        "with --column text=NAME",
        f"error: {tmp_path / 'gone.txt'}: file not found",
    ]
    assert ids(out) == ["ok"]


def test_csv_archives_with_their_own_column_names(cli, server, tmp_path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text('id,text\nc1,"The council met, and agreed."\n')
    named = tmp_path / "named.csv"
    named.write_text(
        "doc_id,body,headline,published,outlet\n"
        'n1,"The port signed a contract.\nThe union objected.",Port deal,2016-03-04,Gazette\n'
    )
    out = tmp_path / "out.jsonl"
    server.script(Reply.completion(EMPTY))
    ran = batch(cli, server, str(plain), str(named), "-o", str(out), "-j", "1")
    assert ran.exit_code == 2
    assert errors(ran) == [
        f"error: {named}: no 'text' column (the columns are: doc_id, body, headline, "
        "published, outlet); name the one holding the text with --column text=NAME"
    ]
    assert ids(out) == ["c1"]
    server.script(Reply.completion(EMPTY))
    columns = ["--column", "id=doc_id", "--column", "text=body", "--column", "title=headline"]
    columns += ["--column", "date=published", "--column", "source=outlet"]
    ran = batch(cli, server, str(named), "-o", str(out), *columns)
    assert ran.exit_code == 0, ran.stderr
    record = records(out)[-1]
    assert record["article_id"] == "n1"
    assert record["source"] == f"{named}:3"  # the row's last line: its text spans two
    assert record["source_metadata"] == {
        "url": None,
        "title": "Port deal",
        "author": None,
        "date": "2016-03-04",
        "outlet": "Gazette",
    }
    sent = server.requests[-1].body["messages"][-1]["content"]
    assert "[1] The port signed a contract.\n\n[2] The union objected." in sent


def test_an_unknown_column_setting_is_one_line(cli, server, tmp_path) -> None:
    ran = batch(cli, server, str(BIRDS), "-o", str(tmp_path / "o.jsonl"), "--column", "body")
    assert ran.exit_code == 2
    assert ran.stderr.strip().startswith("error: --column 'body': give FIELD=NAME")
    assert ran.stderr.count("\n") == 1


PAGE = """<html><head><title>Port deal | Gazette</title>
<meta property="og:site_name" content="The Gazette">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2016-03-04T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Port signs a contract</h1>
<p>The port authority signed a contract with a shipping firm on Monday, officials said.</p>
<p>The dockers' union said the deal had been rushed through without consultation.</p>
</article><footer>Copyright The Gazette</footer></body></html>"""


def test_html_files_give_their_main_text_and_metadata(cli, server, tmp_path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "story.html").write_text(PAGE)
    (folder / "login.html").write_text(
        "<html><head><title>Log in</title><script>var x = 1;</script></head><body></body></html>"
    )
    out = tmp_path / "out.jsonl"
    server.script(Reply.completion(EMPTY))
    ran = batch(cli, server, str(folder), "-o", str(out))
    assert ran.exit_code == 2
    assert errors(ran) == [
        f"error: {folder / 'login.html'}: no main text found in the HTML (a menu, a form or "
        "a script-only page?); give the article's own page or its text"
    ]
    (record,) = records(out)
    assert record["article_id"] == "story"
    assert record["source_metadata"]["outlet"] == "The Gazette"
    assert record["source_metadata"]["date"] == "2016-03-04"
    sent = server.requests[0].body["messages"][-1]["content"]
    assert "signed a contract with a shipping firm" in sent
    assert "Home" not in sent and "Copyright" not in sent


def test_html_fields_of_an_archive(cli, server, tmp_path) -> None:
    source = archive(tmp_path, json.dumps({"id": "h1", "html": PAGE, "url": "https://x.test/a"}))
    out = tmp_path / "out.jsonl"
    server.script(Reply.completion(EMPTY))
    ran = batch(cli, server, str(source), "-o", str(out))
    assert ran.exit_code == 0, ran.stderr
    (record,) = records(out)
    assert record["source_metadata"]["url"] == "https://x.test/a"
    assert record["source_metadata"]["author"] == "Jane Roe"
    assert "Home" not in server.requests[0].body["messages"][-1]["content"]


def test_folders_recursively_globs_and_files(cli, server, tmp_path) -> None:
    folder = tmp_path / "articles"
    (folder / "2016").mkdir(parents=True)
    (folder / "b.txt").write_text("Second.")
    (folder / "a.md").write_text("First.")
    (folder / "2016" / "a.txt").write_text("Nested, same name.")
    (folder / "notes.json").write_text("{}")  # not an article
    news = tmp_path / "news"
    for month in ("2016-01", "2016-02", "2017-01"):
        (news / month).mkdir(parents=True)
        (news / month / "story.txt").write_text(f"Story of {month}.")
    out = tmp_path / "out.jsonl"
    server.script(*[Reply.completion(EMPTY)] * 6)
    ran = batch(
        cli, server, str(folder), f"{news}/2016-*/*.txt", str(BIRDS), "-o", str(out), "-j", "1"
    )
    assert ran.exit_code == 0, ran.stderr
    assert ids(out) == [
        "a",
        "b",
        "2016/a",
        "2016-01/story",
        "2016-02/story",
        "mqm-birds-in-wings",
    ]
    ran = batch(cli, server, f"{news}/1999-*/*.txt", "-o", str(out))
    assert errors(ran) == [f"error: {news}/1999-*/*.txt: no file matches this pattern"]


def test_answers_are_cached_and_no_cache_asks_again(cli, tmp_path, monkeypatch) -> None:
    source = archive(tmp_path, *rows(20))
    with FakeOpenAI(answer="minimal") as server:
        args = ("batch", str(source), "-m", "m", "--base-url", server.url, *ONEPASS)
        first = cli(*args, "-o", str(tmp_path / "first.jsonl"))
        assert first.exit_code == 0, first.stderr
        assert server.count == 20
        second = cli(*args, "-o", str(tmp_path / "second.jsonl"))
        assert second.exit_code == 0, second.stderr
        assert server.count == 20  # every article came from the cache
        assert "20 summarized (20 from the cache)" in done_line(second)
        assert "over 0 model calls" in second.stderr
        # Without the records kept beside them, the exchanges alone answer the same.
        shutil.rmtree(tmp_path / "cache" / "exchanges" / "records")
        replayed = cli(*args, "-o", str(tmp_path / "replayed.jsonl"))
        assert "over 0 model calls; 20 answered from the cache" in replayed.stderr
        assert server.count == 20
        third = cli(*args, "-o", str(tmp_path / "third.jsonl"), "--no-cache")
        assert third.exit_code == 0, third.stderr
        assert server.count == 40
    strip = [("meta", "created_at")]
    first = _without(records(tmp_path / "first.jsonl"), strip)
    assert _without(records(tmp_path / "second.jsonl"), strip) == first
    assert _without(records(tmp_path / "replayed.jsonl"), strip) == first


def _without(found: list[dict], paths: list[tuple[str, str]]) -> list[dict]:
    for record in found:
        for outer, inner in paths:
            record[outer].pop(inner)
    return sorted(found, key=lambda record: record["article_id"])


def test_no_resume_starts_a_new_file(cli, server, tmp_path) -> None:
    source = archive(tmp_path, *rows(2))
    out = tmp_path / "out.jsonl"
    server.script(*[Reply.completion(EMPTY)] * 4)
    assert batch(cli, server, str(source), "-o", str(out)).exit_code == 0
    ran = batch(cli, server, str(source), "-o", str(out), "--no-resume")
    assert ran.exit_code == 0, ran.stderr
    assert sorted(ids(out)) == ["a0", "a1"]
    assert server.count == 4


def test_several_servers_share_the_load(cli, tmp_path) -> None:
    source = archive(tmp_path, *rows(60))
    out = tmp_path / "out.jsonl"
    with (
        FakeOpenAI(answer="minimal", delay=0.02) as one,
        FakeOpenAI(answer="minimal", delay=0.02) as two,
    ):
        ran = cli(
            "batch", str(source), "-o", str(out), "-m", "m", "--base-url", one.url,
            "--base-url", two.url, *ONEPASS, "--no-cache",
        )  # fmt: skip
    assert ran.exit_code == 0, ran.stderr
    assert "32 articles at a time, the default for 2 servers" in ran.stderr
    assert one.count + two.count == 60
    assert min(one.count, two.count) >= 20


def test_a_server_that_is_down_leaves_the_work_to_the_others(cli, tmp_path) -> None:
    with FakeOpenAI() as gone:
        down = gone.url
    source = archive(tmp_path, *rows(30))
    out = tmp_path / "out.jsonl"
    with FakeOpenAI(answer="minimal") as up:
        ran = cli(
            "batch", str(source), "-o", str(out), "-m", "m", "--base-url", down,
            "--base-url", up.url, *ONEPASS, "--no-cache", "-j", "4",
        )  # fmt: skip
    assert ran.exit_code == 0, ran.stderr
    assert up.count == 30
    assert sorted(ids(out)) == sorted(f"a{n}" for n in range(30))


def test_a_refused_key_stops_the_run_at_once(cli, server, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong-0123456789")
    source = archive(tmp_path, *rows(100))
    server.script(*[Reply.error(401, "Incorrect API key provided: sk-wrong-0123456789")] * 100)
    ran = batch(cli, server, str(source), "-o", str(tmp_path / "out.jsonl"), "-j", "2")
    assert ran.exit_code == 2
    assert server.count <= 4
    assert "sk-wrong" not in ran.stderr
    assert ran.stderr.splitlines()[-1].startswith("stopped: ")
    assert "rejected the API key" in ran.stderr.splitlines()[-1]


def test_a_server_that_never_answers_stops_the_run(cli, tmp_path) -> None:
    with FakeOpenAI() as gone:
        down = gone.url
    source = archive(tmp_path, *rows(200))
    ran = cli(
        "batch", str(source), "-o", str(tmp_path / "out.jsonl"), "-m", "m", "--base-url", down,
        *ONEPASS, "--no-cache", "-j", "2", "--max-retries", "0",
    )  # fmt: skip
    assert ran.exit_code == 1
    assert len(errors(ran)) == 10  # the two in flight, then eight more in a row
    assert "articles in a row could not get an answer from the model" in ran.stderr


def test_plain_progress_lines_when_not_on_a_terminal(cli, tmp_path) -> None:
    source = archive(tmp_path, *rows(30))
    with FakeOpenAI(answer="minimal", delay=0.05) as server:
        ran = batch(
            cli, server, str(source), "-o", str(tmp_path / "o.jsonl"), "-j", "1",
            "--progress-every", "0.3",
        )  # fmt: skip
    assert ran.exit_code == 0, ran.stderr
    lines = [line for line in ran.stderr.splitlines() if " articles, " in line]
    assert lines, ran.stderr
    assert lines[-1].split(" articles")[0].endswith("/30")
    assert "/s, " in lines[-1] and "tokens in" in lines[-1]


def test_the_embedded_engine_runs_one_article_at_a_time_and_says_so(cli, tmp_path) -> None:
    # Replayed, so no model is loaded: the engine is still the embedded one.
    ran = cli(
        "batch", str(BIRDS), "-o", str(tmp_path / "o.jsonl"), "-j", "4",
        "--replay", str(FIXTURES / "exchanges"),
    )  # fmt: skip
    assert ran.exit_code == 0, ran.stderr
    assert ran.stderr.splitlines()[0].endswith(
        "one article at a time: the embedded engine generates one answer at a time; "
        "-j 4 has no effect"
    )


def test_inputs_are_streamed_not_read_whole_first(cli, server, tmp_path) -> None:
    # A pipe: the second line is written only once the first article's record is out.
    pipe = tmp_path / "live.jsonl"
    os.mkfifo(pipe)
    out = tmp_path / "out.jsonl"
    server.script(Reply.completion(EMPTY), Reply.completion(EMPTY))
    written = threading.Event()

    def feed() -> None:
        with open(pipe, "w") as writer:
            writer.write(rows(1)[0] + "\n")
            writer.flush()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if out.exists() and out.read_text().count("\n") == 1:
                    written.set()
                    break
                time.sleep(0.02)
            writer.write(rows(1, start=1)[0] + "\n")

    feeder = threading.Thread(target=feed)
    feeder.start()
    ran = batch(cli, server, str(pipe), "-o", str(out), "-j", "1")
    feeder.join()
    assert written.is_set(), "the first record waited for the whole archive"
    assert ran.exit_code == 0, ran.stderr
    assert ids(out) == ["a0", "a1"]


def test_the_cost_of_a_hosted_model_is_estimated() -> None:
    from summarizer.pricing import estimate_cost

    assert estimate_cost("gpt-4o-mini", 1_000_000, 100_000) == pytest.approx(0.21)
    assert estimate_cost("gpt-4o-mini-2024-07-18", 2_000_000, 0) == pytest.approx(0.30)
    assert estimate_cost("gpt-4o", 1_000_000, 0) == pytest.approx(2.50)
    assert estimate_cost("qwen2.5-7b", 1_000_000, 0) is None


def test_summarize_async_runs_many_at_once_over_one_engine() -> None:
    import asyncio

    import summarizer
    from summarizer.engines.base import runs_async

    async def many(url: str) -> list[summarizer.Record]:
        settings = summarizer.Settings(model="m", base_url=url, prompts="onepass")
        engine = summarizer.open_engine(settings)
        texts = [f"The council met on day {n}. Nothing was decided." for n in range(12)]
        try:
            return await asyncio.gather(
                *(summarizer.summarize_async(t, settings=settings, engine=engine) for t in texts)
            )
        finally:
            await runs_async(engine).aclose()  # its connections belong to this loop
            engine.close()

    # The server holds the first requests until twelve are in flight together.
    with FakeOpenAI(answer="minimal", gather=12) as server:
        found = asyncio.run(many(server.url))
    assert len({record.sha256 for record in found}) == 12
    assert server.most_in_flight == 12


class BlockingEngine:
    """A model that answers one request at a time and blocks while it does, as the
    embedded one does: it has no complete_async."""

    name = "blocking"
    model = "blocking-model"
    context_window = None

    def __init__(self) -> None:
        from summarizer.engines.base import OUTPUT_MODES

        self.output_mode = OUTPUT_MODES["json_object"]
        self.busy = False
        self.overlapped = False
        self.calls = 0

    def complete(self, request, labels=None):
        from openai.types.chat import ChatCompletion

        from summarizer.engines.base import Reply as EngineReply
        from tests.fakeserver import _completion, minimal_answer

        self.overlapped |= self.busy
        self.busy = True
        try:
            time.sleep(0.01)
            self.calls += 1
            scripted = Reply.completion(json.dumps(minimal_answer(request)))
            completion = ChatCompletion.model_validate(_completion(request, scripted))
            return EngineReply(completion, 0.01)
        finally:
            self.busy = False

    def count_prompt_tokens(self, messages):
        return None

    def close(self) -> None:
        pass


def test_a_blocking_engine_in_a_batch_answers_one_request_at_a_time(tmp_path) -> None:
    from summarizer.batch import BatchOptions, run_batch
    from summarizer.engines.base import runs_async
    from summarizer.inputs import read_inputs
    from summarizer.prompts import load_prompt_set
    from summarizer.settings import Settings

    source = archive(tmp_path, *rows(12))
    out = tmp_path / "out.jsonl"
    engine = BlockingEngine()
    tally = run_batch(
        read_inputs([str(source)]),
        BatchOptions(out, concurrency=4),
        engine=runs_async(engine),  # type: ignore[arg-type]
        prompt_set=load_prompt_set("onepass"),
        settings=Settings(),
    )
    assert (tally.done, tally.failed, engine.calls) == (12, 0, 12)
    assert not engine.overlapped
    assert sorted(ids(out)) == sorted(f"a{n}" for n in range(12))
    assert records(out)[0]["meta"]["engine"] == "blocking"


def test_the_progress_bar_shows_the_tally_and_failures_above_it(capsys) -> None:
    from summarizer.batch import Tally
    from summarizer.errors import InputError
    from summarizer.progress import BatchDisplay

    tally = Tally(total=10)
    with BatchDisplay(tally, interactive=True) as display:
        tally.done, tally.prompt_tokens = 4, 12_000
        display.failure(InputError("a.jsonl:3", "invalid JSON"), None)
    shown = capsys.readouterr().err
    assert "error: a.jsonl:3: invalid JSON" in shown
    assert "summarizing" in shown and "4/10" in shown and "12k/0 tok" in shown
