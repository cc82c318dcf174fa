"""A record as a readable Markdown brief for an editor."""

from __future__ import annotations

from summarizer.schema import Actor, Evidence, Record


def render_markdown(record: Record) -> str:
    names = {actor.id: actor.name for actor in record.actors}

    def who(ids: list[str]) -> str:
        return ", ".join(f"**{names.get(i, i)}**" for i in ids) or "*no one named*"

    lines = [f"# {record.headline}", "", record.summary, ""]
    if record.key_points:
        lines += ["**Key points**", "", *(f"- {point}" for point in record.key_points), ""]
    lines += ["## Actors", ""]
    lines += [_actor_line(actor) for actor in record.actors] or ["*None found.*"]
    lines += ["", "## Allegations", ""]
    for allegation in record.allegations:
        source = who(allegation.made_by)
        if allegation.attribution != "named":
            described = allegation.source_description or allegation.attribution
            source = f"{source} ({allegation.attribution}: {described})"
        lines.append(f"- {allegation.id}. {source} against {who(allegation.against)}:")
        lines.append(f"  {allegation.claim}{_unverified(allegation.grounded)}")
        lines += _quotes(allegation.evidence)
    if not record.allegations:
        lines.append("*None found.*")
    lines += ["", "## Denials", ""]
    for denial in record.denials:
        answers = f" (answers {', '.join(denial.responds_to)})" if denial.responds_to else ""
        lines.append(f"- {denial.id}. {who(denial.denied_by)} denies{answers}:")
        lines.append(f"  {denial.content}{_unverified(denial.grounded)}")
        lines += _quotes(denial.evidence)
    if not record.denials:
        lines.append("*None found.*")
    meta = record.meta
    lines += [
        "",
        "---",
        f"*{record.source} · {meta.model} ({meta.engine}) · "
        f"{meta.usage.prompt_tokens:,} prompt + {meta.usage.completion_tokens:,} completion "
        f"tokens · {meta.attempts} attempt{'s' if meta.attempts != 1 else ''} · "
        f"{meta.latency_seconds:.1f} s*",
    ]
    return "\n".join(lines) + "\n"


def _actor_line(actor: Actor) -> str:
    details = ", ".join(part for part in (actor.role, actor.affiliation) if part)
    line = f"- **{actor.name}** ({actor.kind})"
    if details:
        line += f": {details}"
    if actor.aliases:
        line += f"; also {', '.join(actor.aliases)}"
    return line


def _quotes(evidence: list[Evidence]) -> list[str]:
    lines = []
    for item in evidence:
        if item.sentence is not None:
            lines.append(f"  > [{item.sentence}] {item.quote}")
        else:
            where = f"chars {item.start}-{item.end}" if item.start is not None else "not found"
            lines.append(f"  > \u201c{item.quote}\u201d ({where})")
    return lines


def _unverified(grounded: bool) -> str:
    return "" if grounded else " *(not grounded: its citations did not hold)*"
