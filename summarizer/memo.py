"""Records kept by what made them: the same text through the same prompts, model,
settings and code gives the same record, so a batch over articles already summarized
copies their records instead of running the pipeline again (and asks no model)."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from summarizer import __version__
from summarizer.articles import Article
from summarizer.engines.base import Engine
from summarizer.prompts import PromptSet
from summarizer.schema import SCHEMA_VERSION, Record
from summarizer.settings import Settings


class RecordMemo:
    """A folder of records, `<key[:2]>/<key>.json`, the key a hash of the article's text
    and of everything else that decides its record."""

    def __init__(
        self, folder: Path, engine: Engine, prompt_set: PromptSet, settings: Settings
    ) -> None:
        self.folder = folder
        recipe = {
            "engine": engine.name,
            "model": engine.model,
            "mode": engine.output_mode.name,
            "prompt_set": prompt_set.name,
            "prompt_fingerprint": prompt_set.fingerprint,
            "schema_version": SCHEMA_VERSION,
            "temperature": settings.temperature,
            "max_tokens": settings.max_tokens,
            "max_reasks": settings.max_reasks,
            "context_window": settings.context_window,
            "strict": settings.strict,
            # Any change to the code (grounding, resolution) makes new records.
            "code": code_digest(),
        }
        self._recipe = json.dumps(recipe, sort_keys=True)

    def get(self, article: Article) -> Record | None:
        """The record made before for this text, now naming this article."""
        try:
            data = self._path(article).read_bytes()
            kept = Record.model_validate_json(data)
        except (OSError, ValueError):
            return None
        created_at = datetime.now(UTC).isoformat(timespec="seconds")
        return kept.model_copy(
            update={
                "article_id": article.id,
                "source": article.source,
                "source_metadata": article.metadata,
                "meta": kept.meta.model_copy(update={"created_at": created_at}),
            }
        )

    def put(self, article: Article, record: Record) -> None:
        path = self._path(article)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.name}.partial-{secrets.token_hex(4)}")
            partial.write_text(record.model_dump_json(), encoding="utf-8")
            os.replace(partial, path)
        except OSError:
            pass  # a memo that cannot be written costs time on a rerun, nothing else

    def _path(self, article: Article) -> Path:
        key = hashlib.sha256(f"{self._recipe}\n{article.sha256}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.json"


@cache
def code_digest() -> str:
    """A hash of this package's source files, and its version."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
