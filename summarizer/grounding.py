"""From the model's draft to a record: citations to exact quotes, names resolved to
actors, and whether each item's evidence names its actors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from summarizer.actors import ActorTable, reference_words, snap_names
from summarizer.names import Words, contains_words, name_words
from summarizer.schema import Actor, Allegation, BriefDraft, Denial, Evidence
from summarizer.sentences import Sentence


def ground_brief(
    draft: BriefDraft, sentences: Sequence[Sentence], *, strict: bool = False
) -> tuple[list[Actor], list[Allegation], list[Denial]]:
    """Actors, allegations and denials with ids, resolved references and cited evidence.

    An item whose citations are missing or invalid is kept with `grounded: false`, or
    dropped when `strict`.
    """
    draft = snap_names(draft, "\n".join(sentence.text for sentence in sentences))
    table = ActorTable.from_drafts(draft.actors)
    allegations: list[Allegation] = []
    seen: set[tuple[object, ...]] = set()
    for item in draft.allegations:
        by_name = item.attribution == "named"
        made_by = _unique(
            table.resolve(name, "person" if by_name else "group", exact=not by_name)
            for name in item.made_by
        )
        # An allegation is about someone else: small models echo the source as the target.
        against = [
            i for i in _unique(table.resolve(name) for name in item.against) if i not in made_by
        ]
        evidence, grounded = cite(item.sentences, sentences)
        key = ("allegation", tuple(made_by), tuple(against), tuple(item.sentences))
        if (strict and not grounded) or key in seen:
            continue
        seen.add(key)
        attribution = item.attribution
        if attribution == "named" and not made_by:
            attribution = "unattributed"
        allegations.append(
            Allegation(
                id=f"AL{len(allegations) + 1}",
                claim=_stated(item.claim, evidence),
                made_by=made_by,
                against=against,
                attribution=attribution,
                source_description=(item.source.strip() or None)
                if attribution != "named"
                else None,
                evidence=evidence,
                grounded=grounded,
                supported=False,
            )
        )
    denials: list[Denial] = []
    for denial_item in draft.denials:
        denied_by = _unique(table.resolve(name) for name in denial_item.denied_by)
        evidence, grounded = cite(denial_item.sentences, sentences)
        key = ("denial", tuple(denied_by), (), tuple(denial_item.sentences))
        if (strict and not grounded) or key in seen:
            continue
        seen.add(key)
        denials.append(
            Denial(
                id=f"D{len(denials) + 1}",
                denied_by=denied_by,
                responds_to=[a.id for a in allegations if set(a.against) & set(denied_by)],
                content=_stated(denial_item.content, evidence),
                evidence=evidence,
                grounded=grounded,
                supported=False,
            )
        )
    actors = table.actors()
    by_id = {actor.id: actor for actor in actors}
    for allegation in allegations:
        named = [by_id[i] for i in allegation.made_by + allegation.against]
        allegation.supported = mentions_any(allegation.evidence, named)
    for denial in denials:
        denial.supported = mentions_any(denial.evidence, [by_id[i] for i in denial.denied_by])
    return actors, allegations, denials


def cite(numbers: Iterable[int], sentences: Sequence[Sentence]) -> tuple[list[Evidence], bool]:
    """Cited sentence numbers as evidence with exact quotes and offsets; whether all were
    valid (and there was at least one)."""
    evidence = []
    valid = True
    for number in dict.fromkeys(numbers):
        if not 1 <= number <= len(sentences):
            valid = False
            continue
        sentence = sentences[number - 1]
        evidence.append(
            Evidence(
                sentence=number,
                quote=sentence.text,
                start=sentence.start,
                end=sentence.end,
                alignment="exact",
            )
        )
    return evidence, valid and bool(evidence)


def mentions_any(evidence: Iterable[Evidence], actors: Iterable[Actor]) -> bool:
    """Whether the evidence names at least one of the actors: by name, alias, or one word
    of a person's full name ("Sorell", or "Wasay" for Wasay Jalil)."""
    text = name_words(" ".join(item.quote for item in evidence))
    forms: list[Words] = []
    for actor in actors:
        for form in [actor.name, *actor.aliases]:
            words = reference_words(form)
            forms.append(words)
            if actor.kind == "person" and len(words) > 1:
                forms += [(word,) for word in words if len(word) > 2]
    return any(form and contains_words(text, form) for form in forms)


def _stated(text: str, evidence: list[Evidence]) -> str:
    """The model's wording, or, when it wrote no words (small models copy the "..." of the
    example shape), the first cited sentence: the article's own words."""
    text = text.strip()
    if any(char.isalnum() for char in text) or not evidence:
        return text
    return evidence[0].quote


def _unique(ids: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(i for i in ids if i is not None))
