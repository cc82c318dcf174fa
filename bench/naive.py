"""A naive baseline: one plain instructor call per article on the same model, a bounded
schema and a short prompt, scored the same way as the product.

    python bench/naive.py GOLD_FOLDER OUT.jsonl [-m MODEL] [--cache DIR]
    summarizer eval GOLD_FOLDER --predictions OUT.jsonl

It writes one record per article (actors, allegations, denials; no citations, so nothing
is grounded) and prints calls, tokens and seconds per article. It is what a developer
would write in an afternoon; the product should beat it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from summarizer import __version__
from summarizer.actors import ActorTable
from summarizer.engines import Engine, open_engine
from summarizer.evaluate import load_gold_folder
from summarizer.schema import ActorDraft, Allegation, Denial, Meta, Record, Usage
from summarizer.settings import Settings

Name = Annotated[str, StringConstraints(max_length=60)]
Text = Annotated[str, StringConstraints(max_length=160)]


class NaiveActor(BaseModel):
    name: Name
    kind: Literal["person", "organization", "group"]


class NaiveAllegation(BaseModel):
    made_by: list[Name] = Field(max_length=3)
    against: list[Name] = Field(max_length=3)
    claim: Text


class NaiveDenial(BaseModel):
    denied_by: list[Name] = Field(max_length=3)
    content: Text


class NaiveBrief(BaseModel):
    actors: list[NaiveActor] = Field(max_length=12)
    allegations: list[NaiveAllegation] = Field(max_length=6)
    denials: list[NaiveDenial] = Field(max_length=4)


PROMPT = (
    "Read this news article. List the people, organisations and groups in it; the "
    "allegations (who accuses whom of what); and the denials (who denies what). Answer "
    "as compact JSON.\n\nArticle:\n{article}"
)


def naive_record(article_id: str, text: str, brief: NaiveBrief, meta: Meta) -> Record:
    table = ActorTable.from_drafts(
        ActorDraft(name=a.name, kind=a.kind, role="", affiliation="", aliases=[])
        for a in brief.actors
        if a.name.strip()
    )

    def ids(names: list[str]) -> list[str]:
        return [i for name in names if (i := table.resolve(name)) is not None]

    allegations = [
        Allegation(
            id=f"AL{n}",
            claim=item.claim,
            made_by=ids(item.made_by),
            against=ids(item.against),
            attribution="named" if item.made_by else "unattributed",
            source_description=None,
            evidence=[],
            grounded=False,
            supported=False,
        )
        for n, item in enumerate(brief.allegations, 1)
    ]
    denials = [
        Denial(
            id=f"D{n}",
            denied_by=ids(item.denied_by),
            responds_to=[],
            content=item.content,
            evidence=[],
            grounded=False,
            supported=False,
        )
        for n, item in enumerate(brief.denials, 1)
    ]
    return Record(
        article_id=article_id,
        source=article_id,
        sha256="",
        headline="",
        summary="",
        key_points=[],
        actors=table.actors(),
        allegations=allegations,
        denials=denials,
        meta=meta,
    )


class _Counter:
    """The engine as instructor's create function, counting calls, seconds and tokens."""

    def __init__(self, engine: Engine, article_id: str) -> None:
        self.engine = engine
        self.article_id = article_id
        self.seconds: list[float] = []
        self.usage = Usage()

    def __call__(self, **request: Any) -> Any:
        reply = self.engine.complete(dict(request), {"article_id": self.article_id})
        self.seconds.append(reply.seconds)
        if reply.completion.usage is not None:
            used = reply.completion.usage
            self.usage += Usage(
                prompt_tokens=used.prompt_tokens,
                completion_tokens=used.completion_tokens,
                total_tokens=used.total_tokens,
            )
        return reply.completion


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("-m", "--model", default="local")
    parser.add_argument("--cache", type=Path)
    args = parser.parse_args()

    import instructor

    settings = Settings.resolve(model=args.model, cache=args.cache)
    golds, problems = load_gold_folder(args.gold)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    engine = open_engine(settings)
    seconds: list[float] = []
    with args.out.open("w", encoding="utf-8") as out:
        for gold in golds:
            counter = _Counter(engine, gold.article.id)
            client = instructor.patch(
                create=counter, mode=instructor.Mode[engine.output_mode.instructor_mode]
            )
            brief = client(
                response_model=NaiveBrief,
                messages=[{"role": "user", "content": PROMPT.format(article=gold.article.text)}],
                model=engine.model,
                temperature=0.0,
                max_tokens=1024,
                max_retries=1,
            )
            calls, usage = counter.seconds, counter.usage
            meta = Meta(
                model=engine.model,
                engine=engine.name,
                mode=engine.output_mode.name,
                prompt_set="naive",
                prompt_fingerprint="naive",
                schema_version="naive",
                attempts=len(calls),
                usage=usage,
                latency_seconds=round(sum(calls), 3),
                tool_version=__version__,
                created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            )
            record = naive_record(gold.article.id, gold.article.text, brief, meta)
            out.write(record.model_dump_json() + "\n")
            out.flush()
            seconds.append(sum(calls))
            print(f"{gold.article.id}: {len(calls)} calls, {sum(calls):.1f} s", file=sys.stderr)
    engine.close()
    if seconds:
        print(f"naive: {len(seconds)} articles, median {statistics.median(seconds):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
