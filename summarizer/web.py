"""Web pages as articles: fetched with httpx, main text and metadata read by trafilatura."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from summarizer import __version__
from summarizer.articles import Article, decode_article, normalize_newlines
from summarizer.errors import InputError
from summarizer.schema import SourceMetadata

if TYPE_CHECKING:
    import httpx

# Says who is asking, so a site can tell us apart and reach the people who run us.
USER_AGENT = f"summarizer/{__version__} (news article summarizer; python-httpx)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)


@dataclass(frozen=True)
class FetchLimits:
    """How long to wait, how far to follow, how much to read of one page."""

    timeout: float = 20.0
    max_redirects: int = 5
    max_bytes: int = 5_000_000
    # Pages fetched at once from one site: we are guests there.
    per_host: int = 2


class Fetcher:
    """One HTTP client for many pages, safe to share between threads."""

    def __init__(self, limits: FetchLimits | None = None) -> None:
        self.limits = limits or FetchLimits()
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()
        self._hosts: defaultdict[str, threading.BoundedSemaphore] = defaultdict(
            lambda: threading.BoundedSemaphore(self.limits.per_host)
        )

    def fetch(self, url: str) -> Article:
        """The page's main text as an article whose id and source are the URL."""
        host = urlsplit(url).hostname or ""
        with self._lock:
            turn = self._hosts[host]
        with turn:
            data, content_type, final_url, charset = self._get(url)
        if content_type in TEXT_TYPES:
            text, encoding = decode_article(data, url)
            metadata = SourceMetadata(url=final_url, outlet=host or None)
            return Article(id=url, source=url, text=text, encoding=encoding, metadata=metadata)
        html: bytes | str = data
        if charset:
            try:
                html = data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                html = data  # a wrong header: trafilatura reads the page's own declaration
        return article_from_html(html, id=url, source=url, url=final_url)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _get(self, url: str) -> tuple[bytes, str, str, str | None]:
        import httpx

        limits = self.limits
        try:
            with self._http().stream("GET", url) as response:
                if response.status_code >= 400:
                    raise InputError(
                        url,
                        f"the server answered HTTP {response.status_code} "
                        f"{response.reason_phrase}; check the address",
                    )
                content_type = (
                    response.headers.get("content-type", "").split(";")[0].strip().lower()
                )
                if content_type and content_type not in HTML_TYPES + TEXT_TYPES:
                    raise InputError(url, f"is {content_type}, not an HTML page or plain text")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limits.max_bytes:
                    raise InputError(url, self._too_large())
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limits.max_bytes:
                        raise InputError(url, self._too_large())
                    chunks.append(chunk)
                return b"".join(chunks), content_type, str(response.url), response.charset_encoding
        except httpx.TimeoutException:
            raise InputError(
                url, f"no answer within {limits.timeout:g} s; the site may be down or slow"
            ) from None
        except httpx.TooManyRedirects:
            raise InputError(url, f"redirected more than {limits.max_redirects} times") from None
        except httpx.InvalidURL as error:
            raise InputError(url, f"not a valid URL: {error}") from None
        except httpx.HTTPError as error:
            raise InputError(
                url, f"cannot fetch the page: {error or type(error).__name__}"
            ) from None

    def _too_large(self) -> str:
        return f"page larger than {self.limits.max_bytes / 1e6:g} MB; save the article as text"

    def _http(self) -> httpx.Client:
        import httpx

        with self._lock:
            if self._client is None:
                self._client = httpx.Client(
                    follow_redirects=True,
                    max_redirects=self.limits.max_redirects,
                    timeout=httpx.Timeout(self.limits.timeout),
                    headers={"User-Agent": USER_AGENT},
                )
            return self._client


def fetch_article(url: str) -> Article:
    """One page, with a client of its own."""
    fetcher = Fetcher()
    try:
        return fetcher.fetch(url)
    finally:
        fetcher.close()


def article_from_html(
    html: bytes | str,
    *,
    id: str,
    source: str,
    url: str | None = None,
    metadata: SourceMetadata | None = None,
) -> Article:
    """The main text of a page (boilerplate, menus and comments left out) and what the page
    says of itself; `metadata` given by the input (an archive's columns) wins over it."""
    import trafilatura

    if not html.strip():
        raise InputError(source, "HTML is empty: nothing to summarize")
    try:
        document: Any = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as error:  # lxml and trafilatura raise several kinds on broken pages
        raise InputError(source, f"cannot parse the HTML: {error}") from None
    text = normalize_newlines(getattr(document, "text", None) or "").strip()
    if not text:
        raise InputError(
            source,
            "no main text found in the HTML (a menu, a form or a script-only page?); "
            "give the article's own page or its text",
        )
    found = SourceMetadata(
        url=getattr(document, "url", None) or url,
        title=getattr(document, "title", None),
        author=getattr(document, "author", None),
        date=getattr(document, "date", None),
        outlet=getattr(document, "sitename", None) or getattr(document, "hostname", None),
    )
    if metadata is not None:
        given = metadata.model_dump(exclude_none=True)
        found = found.model_copy(update=given)
    return Article(id=id, source=source, text=text, metadata=found)
