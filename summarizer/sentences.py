"""An article's sentences with exact character offsets, and their numbered form for a prompt."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    """One sentence: `text` is exactly `article[start:end]`; numbers count from 1."""

    number: int
    start: int
    end: int
    text: str
    paragraph: int


# Full stops that end a sentence only before a space: "3.5", "U.S.", "example.com" go on.
_LATIN_STOPS = ".!?\u2026"
# Full stops that always end a sentence, space or not: the Urdu full stop and question mark,
# the Devanagari danda and double danda, the CJK full stop, exclamation and question marks.
_SCRIPT_STOPS = "\u06d4\u061f\u0964\u0965\u3002\uff01\uff1f\uff61"
# Closing quotes and brackets after a full stop belong to its sentence: ."  ?”  .)  。」
_CLOSERS = "\"'\u2019\u201d\u00bb\u203a)]}\u300d\u300f\uff09"
_OPENING_QUOTES = "\"'\u2018\u201c\u00ab\u2039"
_POSSIBLE_END = re.compile(f"[{re.escape(_LATIN_STOPS + _SCRIPT_STOPS)}]+[{re.escape(_CLOSERS)}]*")
# What comes after a full stop that does not start a new sentence: "e.g. apples", ". . .".
_CONTINUATIONS = ",;:%)]}" + _LATIN_STOPS
_NON_SPACE = re.compile(r"\S")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
# "1. First item": the number of a numbered list item is not a sentence.
_LIST_NUMBER = re.compile(r"\s*\d{1,3}\.(?=\s)")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Abbreviations compared in lower case, without their final full stop.
_NEVER_FINAL = _words(
    "mr mrs ms mx dr prof gen sen rep gov col capt lt sgt maj adm cmdr brig rev hon pres "
    "supt insp fr mt messrs mme mlle vs v e.g i.e cf viz approx"
)
_BEFORE_NUMBER = _words(
    "no nos art vol p pp fig sec ch para jan feb mar apr jun jul aug sep sept oct nov dec"
)
# Usually mid-sentence ("Acme Inc. said", "the U.S. Army"), but a sentence may end on them.
_MAYBE_FINAL = _words("inc ltd co corp plc llc bros jr sr st ave rd dept etc")
# After a possibly-final abbreviation, only these words start a new sentence.
_SENTENCE_OPENERS = _words(
    "The A An He She It They We I You This That These Those There Here His Her Its Their "
    "Our My But And Or So Yet However Meanwhile Also Then Now In On At For From With After "
    "Before When While If As Some Many Most All Both Police Officials"
)


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of `text` in order; every line is a paragraph and ends a sentence."""
    sentences: list[Sentence] = []
    paragraph = 0
    offset = 0
    for line in text.splitlines(keepends=True):
        spans = list(_sentence_spans(line))
        if spans:
            paragraph += 1
        for start, end in spans:
            sentences.append(
                Sentence(
                    number=len(sentences) + 1,
                    start=offset + start,
                    end=offset + end,
                    text=line[start:end],
                    paragraph=paragraph,
                )
            )
        offset += len(line)
    return sentences


# Where a story was filed, opening its first line: "LAHORE - ", "KUALA LUMPUR, Jan 31 — ",
# "GLENHAVEN, May 3 - ", "TORONTO -- ". Capitals, an optional date, then a dash.
_DATELINE = re.compile(
    r"(?:(?:[A-Z][A-Z.'\u2019-]+(?:\s+[A-Z][A-Z.'\u2019-]+){0,3})"
    r"(?:\s*\([A-Za-z .]+\))?"
    r"(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)"  # or a date alone: "April 27 -"
    r"\s*(?:--|[-\u2013\u2014:])\s+"
)


def dateline_end(sentence: Sentence) -> int:
    """How many characters of a sentence are the dateline it opens with, or 0: the place
    a story was filed from is not one of its actors."""
    found = _DATELINE.match(sentence.text)
    return found.end() if found else 0


def number_sentences(sentences: Iterable[Sentence]) -> str:
    """One `[n] sentence` per line, a blank line between paragraphs, spaces collapsed, and
    straight double quotes turned typographic: a model that copies a quotation into a JSON
    string then writes a character that does not end the string."""
    lines: list[str] = []
    paragraph: int | None = None
    for sentence in sentences:
        if paragraph is not None and sentence.paragraph != paragraph:
            lines.append("")
        lines.append(f"[{sentence.number}] {_typographic(' '.join(sentence.text.split()))}")
        paragraph = sentence.paragraph
    return "\n".join(lines)


def _typographic(text: str) -> str:
    """Straight double quotes as opening and closing quotes, by what stands before them."""
    out = []
    for index, char in enumerate(text):
        if char == '"':
            opening = index == 0 or text[index - 1].isspace() or text[index - 1] in "([{\u2014-"
            out.append("\u201c" if opening else "\u201d")
        else:
            out.append(char)
    return "".join(out)


def _sentence_spans(line: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence in one line, without surrounding whitespace."""
    list_number = _LIST_NUMBER.match(line)
    search_from = list_number.end() if list_number else 0
    cuts = [m.end() for m in _POSSIBLE_END.finditer(line, search_from) if _ends_sentence(line, m)]
    begin = 0
    for cut in [*cuts, len(line)]:
        piece = line[begin:cut]
        stripped = piece.lstrip()
        if stripped:
            start = begin + len(piece) - len(stripped)
            yield start, start + len(stripped.rstrip())
        begin = cut


def _ends_sentence(line: str, stop: re.Match[str]) -> bool:
    """Whether the full stop(s) matched by `stop` end a sentence."""
    marks = stop.group()
    if any(mark in _SCRIPT_STOPS for mark in marks):
        return True
    after = stop.end()
    if after < len(line) and not line[after].isspace():
        return False
    following = _NON_SPACE.search(line, after)
    if following is None:
        return True
    first = following.group()
    if first.islower() or first in _CONTINUATIONS:
        return False
    if marks != ".":
        return True
    word = _word_before(line, stop.start())
    key = word.lower()
    if key in _NEVER_FINAL:
        return False
    if key in _BEFORE_NUMBER and first.isdigit():
        return False
    is_dotted = "." in word and word.replace(".", "").isalpha()  # U.S., a.m., Ph.D.
    is_initial = len(word) == 1 and word.isalpha()  # J. R. Smith
    if key in _MAYBE_FINAL or is_dotted or is_initial:
        return _opens_sentence(line, following.start())
    return True


def _word_before(line: str, end: int) -> str:
    """The word that ends at `end`, with its dots and apostrophes: "U.S", "Paul's"."""
    start = end
    while start > 0 and (line[start - 1].isalnum() or line[start - 1] in ".'\u2019"):
        start -= 1
    return line[start:end].lstrip(".'\u2019")


def _opens_sentence(line: str, position: int) -> bool:
    """Whether the text at `position` plainly starts a sentence: a quote or a common opener."""
    if line[position] in _OPENING_QUOTES:
        return True
    word = _LATIN_WORD.match(line, position)
    if word is None:
        return False
    abbreviated = line.startswith(".", word.end())  # "A." is an initial, not the article
    return word.group() in _SENTENCE_OPENERS and not abbreviated
