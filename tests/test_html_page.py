"""The HTML brief in a real browser: Debian's Chromium, headless, driven by Playwright.

`make test` installs Chromium (apt); Playwright is told where it is and never downloads a
browser. Pages are opened from file:// as a reader opens a saved digest.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from summarizer.articles import text_sha256
from summarizer.schema import Actor, Allegation, Denial, Evidence, Record
from tests.conftest import FIXTURES, meta

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
# What Chromium needs on these machines: no sandbox as root, no GPU, and none of its own
# network traffic (which the closed network refuses, noisily).
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RECORDS = FIXTURES / "expected" / "records.jsonl"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed: `make test` installs it (apt-get chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # A fresh profile folder of its own for every run.
        context = playwright.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport=DESKTOP,
        )
        try:
            yield context
        finally:
            context.close()


@dataclass
class Tab:
    """A page, and what it said to the console and asked of the network."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def open(self, path: Path, query: str = "") -> None:
        self.page.goto(path.as_uri() + query)
        self.page.wait_for_load_state("load")

    def in_view(self, selector: str) -> bool:
        return bool(
            self.page.evaluate(
                """(selector) => {
                    const box = document.querySelector(selector).getBoundingClientRect();
                    return box.height > 0 && box.top >= 0 && box.bottom <= innerHeight;
                }""",
                selector,
            )
        )

    def visible_stories(self) -> list[str]:
        return list(
            self.page.eval_on_selector_all(
                "main > article.story", "(all) => all.filter(a => !a.hidden).map(a => a.id)"
            )
        )


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    page = browser.new_page()
    page.set_viewport_size(DESKTOP)
    opened = Tab(page)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    page.on(
        "request",
        lambda r: None if r.url.startswith(("file:", "data:")) else opened.requests.append(r.url),
    )
    try:
        yield opened
    finally:
        page.close()


@pytest.fixture
def digest(cli, tmp_path: Path) -> Path:
    out = tmp_path / "digest.html"
    ran = cli("brief", str(RECORDS), "-o", str(out))
    assert ran.exit_code == 0, ran.stderr
    return out


def save_screenshot(tab: Tab, path: Path) -> None:
    """Into the test's folder, and into $SUMMARIZER_SCREENSHOTS too when it is set."""
    tab.page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000  # a picture, not an empty page
    wanted = os.environ.get("SUMMARIZER_SCREENSHOTS")
    if wanted:
        Path(wanted).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(wanted) / path.name)


def test_the_digest_loads_with_no_console_error_and_no_request(
    tab: Tab, digest: Path, tmp_path: Path
) -> None:
    tab.open(digest)
    assert tab.page.title() == "Briefs: 7 articles"
    assert tab.visible_stories() == [f"a{n}" for n in range(1, 8)]
    assert tab.page.locator(".toc li").count() == 7
    assert tab.page.locator(".index tbody tr").count() > 7
    save_screenshot(tab, tmp_path / "digest.png")
    tab.page.goto(digest.as_uri() + "#a4")
    tab.page.wait_for_timeout(200)
    save_screenshot(tab, tmp_path / "digest-article.png")
    assert tab.errors == []
    assert tab.requests == []


def test_clicking_an_allegation_scrolls_to_and_highlights_its_sentence(
    tab: Tab, digest: Path, tmp_path: Path
) -> None:
    tab.open(digest)
    record = json.loads(RECORDS.read_text(encoding="utf-8").splitlines()[6])
    allegation = record["allegations"][0]
    sentence = f"#a7-t{allegation['evidence'][0]['start']}"
    assert not tab.in_view(sentence)  # the last article is far below the top
    tab.page.click(f"#a7-{allegation['id']} a.jump")
    tab.page.wait_for_function(
        """(selector) => {
            const mark = document.querySelector(selector);
            const box = mark.getBoundingClientRect();
            return mark.classList.contains("is-focus") && box.top >= 0
                && box.bottom <= innerHeight;
        }""",
        arg=sentence,
        timeout=5000,
    )
    assert tab.page.locator("mark.is-focus").count() == len(
        [e for e in allegation["evidence"] if e["start"] is not None]
    )
    assert tab.page.locator(f"#a7-{allegation['id']}.is-active").count() == 1
    tab.page.wait_for_timeout(1700)  # the flash fades to the highlight
    save_screenshot(tab, tmp_path / "digest-clicked.png")
    assert tab.errors == []


def test_a_highlighted_sentence_shows_what_cites_it_and_leads_back(tab: Tab, digest: Path) -> None:
    tab.open(digest)
    record = json.loads(RECORDS.read_text(encoding="utf-8").splitlines()[0])
    denial = record["denials"][0]
    sentence = f"#a1-t{denial['evidence'][0]['start']}"
    tab.page.hover(sentence)
    tip = tab.page.locator("#tip")
    assert tip.is_visible()
    assert tip.inner_text().startswith(f"{denial['id']} Denied by")
    assert denial["content"][:40] in " ".join(tip.inner_text().split())
    tab.page.evaluate("window.scrollTo(0, 0)")
    tab.page.click(sentence)
    tab.page.wait_for_function(
        """() => {
            const claim = document.querySelector('#a1 [data-claim="D1"].is-active');
            if (!claim) return false;
            const box = claim.getBoundingClientRect();
            return box.top >= 0 && box.bottom <= innerHeight;
        }""",
        timeout=5000,
    )
    assert tab.errors == []


def test_the_filter_box_hides_the_articles_that_do_not_match(tab: Tab, digest: Path) -> None:
    tab.open(digest)
    tab.page.fill("#filter", "qaimkhani")
    assert tab.visible_stories() == ["a4", "a5"]
    assert tab.page.locator("#shown").inner_text() == "2"
    assert tab.page.locator(".toc li:not([hidden])").count() == 2
    # An actor of the hidden articles only leaves the index too.
    assert tab.page.locator('.index tr[data-in="a1"]:not([hidden])').count() == 0
    # Every word must match, a "quoted phrase" as a whole, case and accents aside.
    tab.page.fill("#filter", '"orrin biotech" CASTELLANE')
    assert tab.visible_stories() == ["a1"]
    tab.page.fill("#filter", "Castellane Qaimkhani")
    assert tab.visible_stories() == []
    assert tab.page.locator("#no-match").is_visible()
    tab.page.fill("#filter", "")
    assert len(tab.visible_stories()) == 7
    # An actor in the index (folded away: 47 actors) filters by that actor.
    tab.page.click(".index summary")
    tab.page.click('.index button[data-filter="Mustafa Kamal"]')
    assert tab.page.input_value("#filter") == '"Mustafa Kamal"'
    assert tab.visible_stories() == ["a4", "a5"]
    # And the address can carry a filter.
    tab.open(digest, "?q=Tallis")
    assert tab.visible_stories() == ["a1"]
    assert tab.errors == []


def hostile_record() -> Record:
    """An article, and model answers, carrying markup that would run if not escaped."""
    accusation = 'Critics accused the mayor of hiding <img src=x onerror="window.pwned = 2"> files.'
    denial = "The mayor denied it <script>window.pwned = 3</script>."
    text = f"Council minutes <script>window.pwned = 1</script>\n\n{accusation}\n{denial}\n"

    def evidence(sentence: int, quote: str) -> Evidence:
        start = text.index(quote)
        return Evidence(
            sentence=sentence, quote=quote, start=start, end=start + len(quote), alignment="exact"
        )

    return Record(
        article_id="hostile",
        source="javascript:window.pwned = 4",
        sha256=text_sha256(text),
        headline="<script>window.pwned = 5</script> minutes",
        summary='<img src=x onerror="window.pwned = 6">',
        key_points=["</script><script>window.pwned = 7</script>"],
        actors=[
            Actor(
                id="A1",
                name='<b onmouseover="window.pwned = 8">Critics</b>',
                kind="group",
                role='" onmouseover="window.pwned = 9',
                affiliation=None,
                aliases=[],
            ),
            Actor(id="A2", name="The mayor", kind="person", role="", affiliation=None, aliases=[]),
        ],
        allegations=[
            Allegation(
                id="AL1",
                claim=accusation,
                made_by=["A1"],
                against=["A2"],
                attribution="named",
                source_description=None,
                evidence=[evidence(2, accusation)],
                grounded=True,
                supported=True,
            )
        ],
        denials=[
            Denial(
                id="D1",
                denied_by=["A2"],
                responds_to=["AL1"],
                content=denial,
                evidence=[evidence(3, denial)],
                grounded=True,
                supported=True,
            )
        ],
        meta=meta(),
        text=text,
    )


def test_an_article_with_a_script_tag_or_onerror_does_not_run_it(
    cli, tab: Tab, tmp_path: Path
) -> None:
    records = tmp_path / "records.jsonl"
    hostile = hostile_record()
    records.write_text(
        hostile.model_dump_json() + "\n" + RECORDS.read_text(encoding="utf-8"), "utf-8"
    )
    page = tmp_path / "digest.html"
    assert cli("brief", str(records), "-o", str(page)).exit_code == 0
    tab.open(page)
    for selector in ["#a1 .who", "#a1 mark", "#a1 .jump"]:
        for element in tab.page.locator(selector).all():
            element.hover()
    tab.page.click("#a1-AL1 a.jump")
    assert tab.page.evaluate("window.pwned") is None
    assert tab.page.locator("#a1 img, #a1 b, #a1 script").count() == 0
    shown = tab.page.locator("#a1").inner_text()
    assert "Council minutes <script>window.pwned = 1</script>" in shown
    assert '<img src=x onerror="window.pwned = 2">' in shown
    assert "<script>window.pwned = 5</script> minutes" in shown
    assert tab.page.locator('a[href^="javascript"]').count() == 0
    assert tab.errors == []
    assert tab.requests == []


def test_the_page_reads_on_a_phone(tab: Tab, digest: Path, tmp_path: Path) -> None:
    tab.page.set_viewport_size(PHONE)
    tab.open(digest, "#a4")
    tab.page.wait_for_timeout(200)
    assert tab.page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    brief = tab.page.locator("#a4 .brief").bounding_box()
    text = tab.page.locator("#a4 .body").bounding_box()
    assert text["y"] >= brief["y"] + brief["height"]  # one column: the text below the brief
    assert brief["width"] <= PHONE["width"]
    save_screenshot(tab, tmp_path / "digest-phone.png")
    assert tab.errors == []


def test_the_page_prints_without_its_controls(tab: Tab, digest: Path, tmp_path: Path) -> None:
    tab.open(digest)
    tab.page.emulate_media(media="print")
    assert tab.page.locator(".filter").is_hidden()
    pdf = tmp_path / "digest.pdf"
    tab.page.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF")
    # The index is open on paper, even where the screen keeps it folded.
    assert tab.page.evaluate("[...document.querySelectorAll('details')].every(d => d.open)")
    assert tab.errors == []
