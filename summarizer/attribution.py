"""Who makes a reported allegation or denial, read off the shape of the sentence.

News names the maker of a claim in a few fixed shapes: "Mr. Sorell rejected ...",
"Dr. Pasquini, denied ...", "... denied by both MQM and the new group", "... according to
two officials at the ministry", and "He denied it" after a sentence that named him. In
those shapes the words say who it is; the small model, asked, gets it wrong about half the
time. Only these shapes are read here; for any other sentence the model is asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.names import spoken_for


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# A name as news writes it: capitalised words, with titles, initials, hyphens and
# particles ("Dr. Aurelio Pasquini", "Izhar-ul-Hassan Khawaja", "Mian Attique").
_CAPITALISED = r"[A-Z][\w'\u2019&-]*\.?"
_NAME = rf"{_CAPITALISED}(?:\s+(?:(?:of|de|al|bin|van|von|the)\s+)?{_CAPITALISED})*"
# Capitalised words that open a sentence or a clause without naming anyone.
_NOT_NAMES = _word_set(
    "A An The This That These Those It Its He She They We I You His Her Their Our My But "
    "And Or So Yet However Meanwhile Also Then Now In On At For From With After Before "
    "When While If As Some Many Most All Both Neither Either Asked Later Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December Separately Earlier Still Instead "
    "Elsewhere Previously Additionally Moreover Nevertheless Nonetheless Today Yesterday "
    "Under Opening During Speaking Responding Asked"
)
# What may stand between the maker and the verb: "Mr. Sorell also rejected", "X has denied".
_BETWEEN = (
    r"(?:,?\s+(?:also|flatly|firmly|strongly|then|again|later|swiftly|immediately|in\s+turn|"
    r"has|have|had|was|were|is|are|had\s+also|has\s+also))*"
)
# A name, or a description that hangs on one: "Orrin's founder", "the party's spokesman".
_MAKER = rf"(?:{_NAME}|(?:[Tt]he\s+)?{_CAPITALISED}[\'\u2019]s(?:\s+[a-z-]+){{1,2}})"
_MAKER_BEFORE = re.compile(rf"(?P<name>{_MAKER})\s*,?{_BETWEEN}\s*$")
# "Mr. Oduya called that 'a smear'", "X said the report was baseless": the maker of a
# denial said in other words is the one who says it.
_SAYER = re.compile(
    rf"(?P<name>{_NAME})\s*,?{_BETWEEN}\s+(?:called|calls|said|says|described|termed|"
    r"insisted|insists|added|told)\b"
)
_AGENT_AFTER = re.compile(r"^\s+by\s+(?:both\s+)?(?P<agents>[^,.;:!?\u201c\u201d\"]+)")
_APPOSITIVE = re.compile(rf",\s+(?P<name>{_NAME})\s*(?:,|$|\.)")
_SOURCE_AFTER = re.compile(r"^\s*(?P<source>[^,.;:!?\u201c\u201d\"]+)")
_CLAUSE_ENDS = re.compile(r"\s+(?:who|which|that|because|when|after|as|on|in)\s")
# What a fact, not a claim, is "according to".
_RECORDS = _word_set(
    "figures data records documents statistics estimates report reports survey surveys "
    "filings minutes results accounts census polls poll study studies"
)
# A document that someone files or publishes: "a complaint filed by ...".
_DOCUMENT = re.compile(
    r"(?:(?:a|an|the|its|his|her|their)\s+)?(?:[\w-]+\s+){0,2}?(?:complaint|lawsuit|suit|"
    r"petition|filing|filings|indictment|notice|letter|statement|claim|"
    + "|".join(_RECORDS)
    + r")\b",
    re.IGNORECASE,
)
# Words that describe people who can make a claim without a name.
_PEOPLE = _word_set(
    "officials official sources source insiders insider people person residents witnesses "
    "analysts experts critics lawyers aides spokesman spokeswoman spokesperson members "
    "leaders police investigators prosecutors officers staff employees workers engineer "
    "engineers teachers parents players doctors nurses drivers farmers campaigners "
    "activists shareholders investors customers patients neighbours colleagues"
)
# Lower-case words that end a description of people instead of adding to it.
_NOT_DESCRIBING = _word_set("and or but that which who the a an of to in on at by as")
# A source named by one of these words is unnamed whatever else it says: "MQM sources".
_SOURCE_WORDS = _word_set("source sources insider insiders official officials")
_ANONYMITY = re.compile(
    r"people familiar|asked not|requesting anonymity|condition of anonymity|sources$|insiders$",
    re.IGNORECASE,
)
_FAMILIAR = re.compile(r"people familiar with(?: (?:the|his|her|their|its))?(?: [\w-]+)?", re.I)
_WHERE = re.compile(r"(?: (?:in|at|from|within|close to)(?: the)?(?: [A-Z][\w'\u2019-]*)+)?")
# Verbs that report what someone says ("The club said Mensk had breached ..."); the
# claim sentences' rules (labels.py) use them too.
REPORTING_VERBS = _word_set(
    "said says told tells contend contends contended insist insists insisted argues argued "
    "maintains maintained complains complained wrote asserted asserts suggested suggests "
    "testified testifies"
)
_REPORTING_VERBS = REPORTING_VERBS | _word_set("added say claimed claims believe believed")
_SAID_NAME = re.compile(rf"[,\u201d\"]\s*(?:said|says|added|told)\s+(?P<name>{_NAME})")
_SAYING = re.compile(r"\b(?:said|says|told|added|insisted|insists)\b")
# A name saying that another did what the claim's words report.
_OUTER_SAYER = re.compile(
    rf"(?P<name>{_NAME})\s+(?:said|says|suggested|suggests|argued|argues|insisted|told\s+\w+(?:\s+\w+)?)"
    rf"\s+(?:that\s+)?(?P<inner>{_NAME})\s+(?:had|has|was|is|were|would)\b"
)
# "Piet Vandersloot, a company spokesman, said".
_SAYER_WITH_ROLE = re.compile(
    rf"(?P<name>{_NAME}),\s+(?:a|an|the|its|his|her|their)\s[^,]{{1,60}},\s+"
    r"(?:said|says|told|added|insisted)\b"
)
# "A spokeswoman for ParkRight said", "A club spokesperson rejected": who speaks for whom.
_DESCRIBED_SUBJECT = re.compile(
    r"^(?P<subject>(?:A|An|The)\s[^,;:\"\u201c\u201d]{1,60}?)\s+(?:also\s+)?(?:said|says|told|"
    r"added|insisted|denied|denies|rejected|rejects|dismissed|disputed|called|accused|alleged)\b"
)
# "Eleven families filed a lawsuit on Friday against Ashby Farm Dairies, claiming ...":
# who takes someone to court or to a regulator, and whom.
_RELATIVE = re.compile(r"\b(?:who|whose|whom|which|that)\b")
_FILED_AGAINST = re.compile(
    r"^(?P<subject>[^,;:]{3,50}?)\s+(?:has\s+|have\s+|had\s+)?(?:(?:filed|lodged|brought|"
    r"launched|submitted)\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:lawsuit|suit|complaint|claim|case|"
    rf"action|petition)\b(?:.*?\bagainst\s+(?:the\s+)?(?P<accused>{_NAME}))?"
    rf"|sued\s+(?:the\s+)?(?P<sued>{_NAME}))"
)
# "Tallis Creek Capital, which owns 6 per cent of Orrin, said": the name the clause is on.
_SAYER_WITH_CLAUSE = re.compile(rf"(?P<name>{_NAME}),\s+(?:which|who)\b[^,]*,\s*$")
_LINKING = _word_set("who whom that which were was are is had have has spoke speaking on")
# Abbreviations whose full stop is their own, not the sentence's.
_KEEPS_STOP = _word_set("inc ltd co corp jr sr st bros plc")
# "KELLMOUTH \u2014 ", "LAHORE - ": a place in capitals and a dash (em, en or hyphen).
# "BRENFORD, March 4 - ", "VARNLEY, Nov. 14 - ": with the day the story was filed.
_DATELINE = re.compile(
    "^[A-Z][A-Z .'-]+(?:,\\s*[A-Z][a-z]+\\.?\\s+\\d{1,2})?\\s*[\u2014\u2013-]+\\s*"
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:of|on|in|at|for|from|with|to|by|about|against|than)\s+(?:the\s+)?$", re.IGNORECASE
)
# "accused Mr. Oduya of", "accused Brenford's mayor on Tuesday of": a name, or a role
# hung on one (resolution finds whose role it is).
_ACCUSED_AFTER = re.compile(
    rf"^\s+(?P<name>{_CAPITALISED}['\u2019]s\s+(?!(?:of|on|in|at|to|for|by|and|or|that|who|"
    rf"which|over|after|before)\b)[a-z-]+\b|{_NAME})"
)
_SPEECH_TAG = re.compile(r"[,\u201d\"]\s*(?P<pronoun>he|she|they)\s+(?:said|added|told)\b")
_OPENING_SUBJECT = re.compile(rf"(?P<name>{_NAME}),")
_SUBJECT_PRONOUN = re.compile(r"^(?:[^\w]*)(?:\w+,\s+)?(?P<pronoun>He|She|They)\b")


@dataclass(frozen=True)
class Reading:
    """What the shape of a sentence says of its claim's parties. `by` is None when no
    known shape names the maker; `by_pronoun` when a pronoun stands for the maker;
    `not_a_claim` when the shape shows the words that looked like a claim are not one;
    `record` when the claim is "according to" a record (figures, a report), which makes
    it a fact unless its words charge someone."""

    by: list[str] | None
    against: list[str]
    by_pronoun: bool = False
    not_a_claim: bool = False
    record: bool = False  # "according to figures/the report": a claim only if it charges


def read_parties(text: str, kind: str, cue: re.Match[str]) -> Reading:
    """The parties of the claim of `kind` (allegation or denial) whose words `cue` matched
    in `text`, as far as the shape of the sentence tells them; a denial's `against` is
    left empty (the tool links denials to allegations by their parties)."""
    start, end = _whole_word(text, cue)
    word = text[start:end].casefold()
    after = text[end:]
    if kind == "denial":
        against: list[str] = []
    else:
        # "said Mensk had breached ...": the name opening reported words is their subject.
        opens = word in _REPORTING_VERBS or word.endswith(" that")
        against = _accused(after) if word.startswith("accus") else _first_name(after, opens)
    if word == "according" or cue.group().casefold().startswith("according to"):
        source = _SOURCE_AFTER.match(text[cue.end() :])
        if source:
            described = _CLAUSE_ENDS.split(source.group("source"), maxsplit=1)[0].strip()
            # "X did it, according to ..." or "According to ..., X did it".
            after_source = text[cue.end() + source.end() :]
            accused = _first_name(_without_dateline(text[:start])) or [
                name.removesuffix("'s").removesuffix("\u2019s")
                for name in _first_name(after_source.lstrip(" ,"), opening_counts=True)
            ]
            return Reading(
                [_filed_by(described)],
                accused,
                # "according to figures published by ...": a fact with its source.
                record=bool(set(described.casefold().split()) & _RECORDS),
            )
    if _ANONYMITY.match(cue.group()):
        described, described_end = _unnamed_source(text, cue)
        if described:
            # "Kestrel kept the reports, people familiar with the matter said": the name
            # the sentence opens with when none follows the source.
            accused = _first_name(text[described_end:]) or _first_name(
                _without_dateline(text[: cue.start()])
            )
            return Reading([described], accused)
    filed = _FILED_AGAINST.match(_without_dateline(text[:start]))
    filer = _without_openers(filed.group("subject")) if filed else ""
    if filed and kind == "allegation" and filer and not _RELATIVE.search(filer):
        # "X filed a complaint against Y, alleging ...": X's claim against Y.
        taken = filed.group("accused") or filed.group("sued")
        return Reading([filer], [_without_full_stop(taken)] if taken else against)
    agents = _AGENT_AFTER.match(after)
    if agents and not word.startswith("accus"):
        # "... dismissed by the company's director, Helena Stroud, who ...": the name.
        named = _APPOSITIVE.match(after, agents.end())
        if named:
            return Reading([named.group("name")], against)
        names = re.split(r"\s*(?:,|\band\b)\s*", agents.group("agents").strip())
        return Reading([name for name in names if name], against)
    outer = _OUTER_SAYER.search(text[:start])
    if kind == "allegation" and outer and not _PREPOSITION_BEFORE.search(text[: outer.start()]):
        # "Mr. Marchetti suggested that Ms. Brodie ... was now blaming his client": the
        # claim is the one who says it, about the one it says it of.
        name = _without_openers(outer.group("name"))
        if name:
            return Reading([name], [_without_full_stop(outer.group("inner"))])
    maker = _maker_before(text[:start])
    if maker is None and not word.startswith("accus"):
        maker = _sayer_before(text[:start])
    if maker is None and word in _REPORTING_VERBS:
        maker = _sayer_with_clause(text[:start]) or _described_sayer(text[:start])
    if maker is None:
        maker = _inverted_sayer(text)
    if maker is None and kind == "allegation":
        maker = _described_sayer_of_words(text[:start])
    if maker is None:
        # "A club spokesperson said the allegations were without merit".
        maker = _described_subject(text[:end])
    if maker is not None:
        return Reading([maker], against)
    if _SUBJECT_PRONOUN.match(text[:start]) or _SPEECH_TAG.search(text):
        return Reading(None, against, by_pronoun=True)
    # "Miriam Kostadin, 52, who managed the accounts ..., has pleaded not guilty".
    opening = _OPENING_SUBJECT.match(_without_dateline(text[:start]))
    if opening and _without_openers(opening.group("name")) == opening.group("name"):
        return Reading([opening.group("name")], against)
    return Reading(None, against)


def _filed_by(source: str) -> str:
    """Who a document a claim is "according to" comes from, when it says: "a complaint
    filed with the agency by farmer Gwen Pryce" -> Gwen Pryce, "a report released by the
    university" -> the university; the source otherwise ("messages seen by this paper")."""
    by = re.search(r"\bby\s+(?P<who>.+)$", source)
    if by is None or not _DOCUMENT.match(source):
        return source
    named = _first_name(by.group("who"), opening_counts=True)
    return named[0] if named else by.group("who")


def _whole_word(text: str, cue: re.Match[str]) -> tuple[int, int]:
    start, end = cue.start(), cue.end()
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha():
        end += 1
    return start, end


def _maker_before(before: str) -> str | None:
    """The name standing right before the verb: "Mr. Sorell" in "Mr. Sorell rejected",
    but not "Monday" in "A group on Monday accused", nor the "Port Commission" of "A
    member of the Port Commission accused": a name after a preposition is not the maker."""
    found = _MAKER_BEFORE.search(before)
    if found is None or _PREPOSITION_BEFORE.search(before[: found.start()]):
        return None
    return _without_openers(found.group("name")) or None


def is_unnamed_source(description: str) -> bool:
    """Whether a maker is described, not named: "party insiders", "MQM Punjab sources",
    "two employees who asked not to be named", "people familiar with the matter"."""
    words = description.split()
    folded = {word.casefold() for word in words}
    if folded & _SOURCE_WORDS:
        return True
    proper = [word for word in words[1:] if word[:1].isupper()]
    return not proper and bool(folded & _PEOPLE)


def _unnamed_source(text: str, cue: re.Match[str]) -> tuple[str | None, int]:
    """How the sentence describes the unnamed source its words `cue` point at, and where
    the description ends."""
    if cue.group().casefold().startswith("people familiar"):
        found = _FAMILIAR.match(text, cue.start())
        return (found.group(), found.end()) if found else (None, cue.end())
    before = _without_dateline(text[: cue.start()])
    clauses = [c.split() for c in re.split(r"[,;:“”\"]|\b(?:and|but|that)\b", before)]
    clause = clauses[-1]
    if all(word.casefold() in _LINKING | {"spoke", "speaking"} for word in clause):
        # "Two players, who spoke on condition of anonymity, said": the clause before.
        clause = clauses[-2] if len(clauses) > 1 else []
    if cue.group().casefold() in ("sources", "insiders"):
        # "Informed political sources", "MQM Punjab sources in the province": the words
        # before it (back to a verb such as "added"), the word, and where they sit.
        kept: list[str] = []
        for word in reversed(clause[-3:]):
            if word.casefold() in _REPORTING_VERBS:
                break
            kept.insert(0, word)
        where = _WHERE.match(text, cue.end())
        end = where.end() if where else cue.end()
        return " ".join([*kept, cue.group()]) + text[cue.end() : end], end
    # "Two employees who asked not to be named", "senior leaders requesting anonymity".
    while clause and clause[-1].casefold() in _LINKING:
        clause.pop()
    return " ".join(clause[-6:]) or None, cue.end()


def _first_name(text: str, opening_counts: bool = False) -> list[str]:
    """The first name that stands in `text`, as a list of none or one. Unless
    `opening_counts`, a lone capitalised word opening the text is skipped: it is
    capitalised for standing first ("Managers at St. Bride's ...")."""
    for found in re.finditer(_NAME, text):
        name = _without_openers(found.group())
        opening = found.start() == len(text) - len(text.lstrip())
        if opening and not opening_counts and " " not in found.group():
            continue
        if name:
            return [_without_full_stop(name)]
    return []


def _without_full_stop(name: str) -> str:
    """A name without the full stop of the sentence it ended ("Nine-Zero." -> "Nine-Zero");
    an initial or a title keeps its own ("Calloway Dredging Inc.", "J.")."""
    last = name.split()[-1]
    if last.endswith(".") and len(last) > 2 and last[:-1].casefold() not in _KEEPS_STOP:
        return name[:-1]
    return name


def dateline_place(text: str) -> str | None:
    """The place of a sentence's dateline ("BRENFORD" in "BRENFORD, March 4 - ..."), if
    it opens with one."""
    found = _DATELINE.match(text)
    return re.split(r"[,\u2014\u2013-]", found.group())[0].strip() if found else None


def _without_dateline(text: str) -> str:
    """A sentence without its dateline: "KELLMOUTH - Managers ..." -> "Managers ..."."""
    return _DATELINE.sub("", text)


def _sayer_before(before: str) -> str | None:
    """Who says the words that carry the claim, named before them."""
    for found in _SAYER.finditer(before):
        name = _without_openers(found.group("name"))
        if name and not _PREPOSITION_BEFORE.search(before[: found.start()]):
            return name
    return None


def _described_sayer(before: str) -> str | None:
    """People described, not named, right before the reporting verb: "..., prosecutors
    told the court", "senior police officers said"."""
    words = re.split(r"[,;:\u2014\u201d\"]", before)[-1].split()
    if not words or words[-1] not in _PEOPLE:
        return None
    kept = [words.pop()]
    while words and len(kept) < 3 and words[-1].casefold() not in _NOT_DESCRIBING:
        kept.insert(0, words.pop())
    return " ".join(kept)


def _inverted_sayer(text: str) -> str | None:
    """The name after a quotation's tag: "'...,' said Carla Dunmore"."""
    found = _SAID_NAME.search(text)
    name = _without_openers(found.group("name")) if found else ""
    return _without_full_stop(name) if name else None


def _described_sayer_of_words(before: str) -> str | None:
    """People described who say the words that carry the claim: "Local farmers said the
    dairy was to blame"."""
    verb = _SAYING.search(before)
    return _described_sayer(before[: verb.start()]) if verb else None


def _sayer_with_clause(before: str) -> str | None:
    """The name a relative clause hangs on, right before the reporting verb."""
    found = _SAYER_WITH_CLAUSE.search(before)
    if found is None or _PREPOSITION_BEFORE.search(before[: found.start()]):
        return None
    return _without_openers(found.group("name")) or None


def speaker(text: str) -> str | None:
    """Who a sentence quotes or reports, when it names them: "Mr. Duquesne said", "Her
    lawyer, Rafael Duquesne, told the jury", "Piet Vandersloot, a company spokesman,
    said"; the "he" of the sentence after is them."""
    found = _SAYER_WITH_ROLE.search(text)
    if found and not _PREPOSITION_BEFORE.search(text[: found.start()]):
        return _without_openers(found.group("name")) or None
    return _sayer_before(text) or _described_subject(text)


def _described_subject(text: str) -> str | None:
    """A spokesperson described by whom they speak for, opening the sentence as the one
    who speaks: "A spokeswoman for ParkRight said"."""
    found = _DESCRIBED_SUBJECT.match(text)
    return found.group("subject") if found and spoken_for(found.group("subject")) else None


def _without_openers(name: str) -> str:
    words = name.split()
    while words and words[0].rstrip(".,") in _NOT_NAMES:
        words.pop(0)
    return " ".join(words)


def _accused(after: str) -> list[str]:
    """Who "accused" is followed by: "accused Mr. Oduya of ..."."""
    found = _ACCUSED_AFTER.match(after)
    if found is None:
        return []
    name = _without_openers(found.group("name"))
    return [_without_full_stop(name)] if name else []
