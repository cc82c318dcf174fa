"""Web pages as inputs, served by a local HTTP server started by the test (never the net)."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from summarizer.errors import InputError
from summarizer.web import USER_AGENT, Fetcher, FetchLimits
from tests.conftest import ONEPASS, birds_draft
from tests.fakeserver import Reply
from tests.test_batch import PAGE

EMPTY = json.dumps(birds_draft(allegations=[], denials=[]))


class Site:
    """Pages by path: (status, content type, body); what each request asked for."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        self.seen: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                site.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                if self.path == "/slow":
                    time.sleep(2)
                status, kind, body = site.pages.get(self.path, (404, "text/html", b"gone"))
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("location", body.decode())
                    body = b""
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                # The client may have given up waiting (the timeout test).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()
    served.pages["/news/story.html"] = (200, "text/html; charset=utf-8", PAGE.encode())
    served.pages["/old"] = (301, "text/html", b"/news/story.html")
    served.pages["/loop"] = (302, "text/html", b"/loop")
    served.pages["/plain.txt"] = (200, "text/plain", b"The mayor resigned on Friday.")
    served.pages["/report.pdf"] = (200, "application/pdf", b"%PDF-1.4")
    served.pages["/menu.html"] = (200, "text/html", b"<html><body><script>x()</script></body>")
    yield served
    served.close()


def test_summarize_a_page_by_its_url(cli, server, site) -> None:
    url = site.url("/news/story.html")
    server.script(Reply.completion(EMPTY))
    ran = cli("summarize", url, "-m", "m", "--base-url", server.url, *ONEPASS)
    assert ran.exit_code == 0, ran.stderr
    record = ran.json()
    assert (record["article_id"], record["source"]) == (url, url)
    assert record["source_metadata"] == {
        "url": url,
        "title": "Port signs a contract",
        "author": "Jane Roe",
        "date": "2016-03-04",
        "outlet": "The Gazette",
    }
    sent = server.requests[0].body["messages"][-1]["content"]
    assert "signed a contract with a shipping firm" in sent
    assert "Home" not in sent
    assert site.seen[0][1]["user-agent"] == USER_AGENT


def test_a_page_in_markdown(cli, server, site) -> None:
    server.script(Reply.completion(EMPTY))
    url = site.url("/news/story.html")
    ran = cli("summarize", url, "-m", "m", "--base-url", server.url, *ONEPASS, "-f", "md")
    assert ran.exit_code == 0, ran.stderr
    assert url in ran.stdout


def test_a_list_of_urls_in_a_batch(cli, server, site, tmp_path) -> None:
    listing = tmp_path / "pages.txt"
    listing.write_text(
        "# today's pages\n"
        f"{site.url('/old')}\n"
        f"{site.url('/plain.txt')}\n"
        f"{site.url('/missing')}\n"
        f"{site.url('/report.pdf')}\n"
        f"{site.url('/menu.html')}\n"
        f"{site.url('/loop')}\n"
    )
    out = tmp_path / "out.jsonl"
    server.script(*[Reply.completion(EMPTY)] * 3)
    ran = cli(
        "batch", str(listing), site.url("/news/story.html"), "-o", str(out), "-m", "m",
        "--base-url", server.url, *ONEPASS, "--no-cache",
    )  # fmt: skip
    assert ran.exit_code == 2
    got = {record["article_id"]: record for record in map(json.loads, out.read_text().splitlines())}
    # Ids are the addresses given: the redirect and the page it leads to are two inputs.
    assert set(got) == {site.url("/old"), site.url("/plain.txt"), site.url("/news/story.html")}
    assert got[site.url("/old")]["source"] == f"{listing}:2"
    assert got[site.url("/old")]["source_metadata"]["url"] == site.url("/news/story.html")
    errors = sorted(line for line in ran.stderr.splitlines() if line.startswith("error: "))
    listed = {number: site.url(path) for number, path in ((4, "/missing"), (5, "/report.pdf"))}
    listed |= {6: site.url("/menu.html"), 7: site.url("/loop")}
    assert errors == sorted(
        [
            f"error: {listing}:4: {listed[4]}: the server answered HTTP 404 Not Found; check "
            "the address",
            f"error: {listing}:5: {listed[5]}: is application/pdf, not an HTML page or plain text",
            f"error: {listing}:6: {listed[6]}: no main text found in the HTML (a menu, a form "
            "or a script-only page?); give the article's own page or its text",
            f"error: {listing}:7: {listed[7]}: redirected more than 5 times",
        ]
    )


def test_a_resumed_batch_does_not_fetch_a_done_page_again(cli, server, site, tmp_path) -> None:
    url = site.url("/news/story.html")
    out = tmp_path / "out.jsonl"
    server.script(Reply.completion(EMPTY))
    args = ("batch", url, "-o", str(out), "-m", "m", "--base-url", server.url, *ONEPASS)
    assert cli(*args).exit_code == 0
    ran = cli(*args)
    assert ran.exit_code == 0, ran.stderr
    assert len(site.seen) == 1
    assert "1 already in" in ran.stderr


def test_fetch_limits(site) -> None:
    fetcher = Fetcher(FetchLimits(timeout=0.5, max_bytes=1000))
    site.pages["/big.html"] = (200, "text/html", b"<p>" + b"word " * 1000 + b"</p>")
    try:
        with pytest.raises(InputError, match=re.escape("page larger than 0.001 MB")):
            fetcher.fetch(site.url("/big.html"))
        with pytest.raises(InputError, match=re.escape("no answer within 0.5 s")):
            fetcher.fetch(site.url("/slow"))
        with pytest.raises(InputError, match="cannot fetch the page"):
            fetcher.fetch("http://127.0.0.1:9/nothing-listens-here")
    finally:
        fetcher.close()


def test_an_html_file_is_summarized_by_its_main_text(cli, server, tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(PAGE)
    server.script(Reply.completion(EMPTY))
    ran = cli("summarize", str(page), "-m", "m", "--base-url", server.url, *ONEPASS)
    assert ran.exit_code == 0, ran.stderr
    assert ran.json()["source_metadata"]["title"] == "Port signs a contract"
    assert "<p>" not in server.requests[0].body["messages"][-1]["content"]
