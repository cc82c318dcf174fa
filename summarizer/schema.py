"""The data shapes: what we ask the model to fill (drafts) and what we emit (records)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    model_serializer,
)

SCHEMA_VERSION = "2"

ActorKind = Literal["person", "organization", "group"]
Attribution = Literal["named", "anonymous", "unattributed"]
Alignment = Literal["exact", "normalized", "fuzzy", "none"]


# Every string the model fills is bounded: llama.cpp turns maxLength into grammar, and a
# small model left unbounded loops until max_tokens.
Name = Annotated[str, StringConstraints(max_length=60)]
Label = Annotated[str, StringConstraints(max_length=60)]
Headline = Annotated[str, StringConstraints(max_length=120)]
Paragraph = Annotated[str, StringConstraints(max_length=600)]
Point = Annotated[str, StringConstraints(max_length=160)]
Clause = Annotated[str, StringConstraints(max_length=200)]
SourceText = Annotated[str, StringConstraints(max_length=80)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- What the model fills -------------------------------------------------------------
# Names only, no ids, offsets or hashes: the tool computes those. Every field is
# required so the grammar walks a fixed path, and every list has maxItems.


class ActorDraft(_Strict):
    name: Name = Field(description="Fullest form of the name the article gives.")
    kind: ActorKind
    role: Label = Field(description="What the actor is in the story.")
    affiliation: Label = Field(description="Party, employer or group; empty if none.")
    aliases: list[Name] = Field(
        max_length=4, description="Other forms of the name the article uses."
    )


class AllegationDraft(_Strict):
    # The citation comes first: the model picks the sentence, then reads the parties off it.
    sentences: list[int] = Field(max_length=3, description="Numbers of the sentences that say it.")
    made_by: list[Name] = Field(max_length=3, description="Names of who alleges it.")
    against: list[Name] = Field(max_length=6, description="Names of who is accused.")
    attribution: Attribution
    source: SourceText = Field(
        description="How the article describes an unnamed source; empty when named."
    )
    claim: Clause = Field(description="What is alleged, in one neutral clause.")


class DenialDraft(_Strict):
    sentences: list[int] = Field(max_length=3, description="Numbers of the sentences that say it.")
    denied_by: list[Name] = Field(max_length=3, description="Names of who denies.")
    content: Clause = Field(description="What is denied.")


class DigestDraft(_Strict):
    """What the article is about, in a line, a paragraph and a few points."""

    headline: Headline
    summary: Paragraph = Field(description="2-4 neutral sentences.")
    key_points: list[Point] = Field(max_length=5)


class OverviewDraft(DigestDraft):
    """What the article is about and who is in it: a first pass on its own, or part of one."""

    actors: list[ActorDraft] = Field(max_length=12)


class ClaimsDraft(_Strict):
    """Who alleges and denies what: a second pass on its own, or part of one."""

    allegations: list[AllegationDraft] = Field(max_length=6)
    denials: list[DenialDraft] = Field(max_length=4)


class BriefDraft(ClaimsDraft, OverviewDraft):
    """The whole answer, asked for in one pass (fields in OverviewDraft's order, then
    ClaimsDraft's, so the model names the actors before it cites claims)."""


# --- What the tool emits --------------------------------------------------------------


class Evidence(_Strict):
    sentence: int | None = Field(
        default=None, description="Number of the cited sentence (1-based), when cited."
    )
    quote: str = Field(description="The article's own text: article[start:end].")
    start: int | None = Field(description="Character offset of the quote in the article text.")
    end: int | None = Field(description="Offset just past the quote; article[start:end].")
    alignment: Alignment = Field(
        description="How the evidence was found in the text: exact (a cited sentence, or a "
        "quote found as given), normalized (after folding whitespace and quotes), fuzzy, "
        "or not at all."
    )


class Actor(_Strict):
    id: str
    name: str
    kind: ActorKind
    role: str
    affiliation: str | None
    aliases: list[str]


class Allegation(_Strict):
    id: str
    claim: str
    made_by: list[str] = Field(description="Actor ids.")
    against: list[str] = Field(description="Actor ids.")
    attribution: Attribution
    source_description: str | None = Field(description="How an unnamed source is described.")
    evidence: list[Evidence]
    grounded: bool = Field(description="Cited valid sentences of the article.")
    supported: bool = Field(description="The cited sentences mention at least one of its actors.")


class Denial(_Strict):
    id: str
    denied_by: list[str] = Field(description="Actor ids.")
    responds_to: list[str] = Field(description="Allegation ids this denial answers.")
    content: str
    evidence: list[Evidence]
    grounded: bool = Field(description="Cited valid sentences of the article.")
    supported: bool = Field(description="The cited sentences mention at least one of its actors.")


class Usage(_Strict):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    # Left out of the JSON when none were, so records and recordings made before it
    # existed read the same.
    cached_tokens: int = Field(
        default=0,
        exclude_if=lambda cached: cached == 0,
        description="Of the prompt tokens, those served from the model's prompt cache "
        "instead of read again (OpenAI's usage.prompt_tokens_details.cached_tokens; the "
        "embedded engine counts its own); absent when none were.",
    )

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
        )


class SourceMetadata(_Strict):
    """What the input said of the article beside its text: a page's or an archive row's
    title, address, author, date and outlet. Each is None when the input did not say."""

    url: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = Field(default=None, description="As given; pages: YYYY-MM-DD.")
    outlet: str | None = Field(default=None, description="The publication or site.")


class Meta(_Strict):
    model: str
    engine: str
    mode: str
    prompt_set: str
    prompt_fingerprint: str
    schema_version: str
    attempts: int = Field(description="Model calls made, re-asks included.")
    usage: Usage = Field(description="Token usage summed over all attempts.")
    latency_seconds: float
    tool_version: str
    created_at: str
    problems: list[str] = Field(
        default_factory=list,
        description="What was still wrong with the model's answer after the last re-ask; "
        "the items concerned carry grounded: false.",
    )
    fallback: str | None = Field(
        default=None,
        description="Why the prompt set's fallback ran instead of it (an article the "
        "English parse cannot read); null when the set ran as declared.",
    )


class Record(_Strict):
    """One article's brief, as written to stdout or one JSONL line."""

    article_id: str
    source: str = Field(description="Where the text was read: a path, path:line, or URL.")
    # Left out of the JSON when the input gave no metadata (a plain text file).
    source_metadata: SourceMetadata | None = Field(
        default=None,
        exclude_if=lambda metadata: metadata is None,
        description="The source's title, URL, author, date and outlet, when the input gave "
        "them (an HTML page, or an archive's columns).",
    )
    sha256: str = Field(description="SHA-256 of the article text, UTF-8 encoded.")
    headline: str
    summary: str
    key_points: list[str]
    actors: list[Actor]
    allegations: list[Allegation]
    denials: list[Denial]
    meta: Meta
    # Last, so the head of a JSONL line still shows the brief. Optional: records written
    # before it existed, and compact archives (--no-text), have none.
    text: str | None = Field(
        default=None,
        description="The article's text, which every offset indexes and sha256 hashes; "
        "absent when left out with --no-text.",
    )

    @model_serializer(mode="wrap")
    def _leave_out_absent_text(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Absent rather than null: a compact archive pays nothing for the field.
        data: dict[str, Any] = handler(self)
        if data.get("text") is None:
            data.pop("text", None)
        return data
