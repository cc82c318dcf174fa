"""Names as comparable words: case folded, punctuation and titles dropped (GOLD.md rules);
and references that describe instead of naming ("the mayor", "a ParkRight spokeswoman")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from summarizer.claims.lexicon import (
    GOLD_TITLES,
    POINTERS,
    POSSESSIVE_ENDINGS,
    ROLE_TAIL_WORDS,
    SPEAKS_FOR,
)

Words = tuple[str, ...]

# Where a role's head ends: "managing director | of ParkRight".
ROLE_TAIL = re.compile(rf"\s(?:{'|'.join(ROLE_TAIL_WORDS)})\s.*$", re.IGNORECASE)

# Deleted without a space: possessives stay one word ("Kamal's" -> "kamals", so "Mustafa
# Kamal's group" does not contain "Mustafa Kamal") and abbreviations stay whole ("U.S." ->
# "us"). The marks: apostrophe, typographic single quotes, modifier-letter apostrophe, the
# grave accent used as one, and the full stop.
_JOINING_MARKS = re.compile(r"['\u2018\u2019\u02bc`.]")
# Every other punctuation mark or symbol, hyphens included, separates words.
_SEPARATING_MARKS = re.compile(r"[^\w\s]|_")


def name_words(
    text: str, titles: frozenset[str] = GOLD_TITLES, honorifics: frozenset[str] = frozenset()
) -> Words:
    """A name as words: case folded, punctuation removed, titles dropped wherever they stand
    as whole words, honorifics dropped from the end ("Altaf Bhai" -> ("altaf",))."""
    if len(text) > _REMEMBERED_LENGTH:
        return _name_words(text, titles, honorifics)
    return _remembered_name_words(text, titles, honorifics)


# Names and words are short and come back again and again (resolution compares every
# word of an article with every actor's forms): those are worked out once. A longer text
# (a whole article) is not kept.
_REMEMBERED_LENGTH = 120


def _name_words(text: str, titles: frozenset[str], honorifics: frozenset[str]) -> Words:
    text = unicodedata.normalize("NFKC", text).casefold()
    # A title glued to the next word by its full stop ("Dr.Farooq") is split off first.
    if titles:
        text = _glued_title(titles).sub(r"\1 ", text)
    text = _SEPARATING_MARKS.sub(" ", _JOINING_MARKS.sub("", text))
    words = [word for word in text.split() if word not in titles]
    while len(words) > 1 and words[-1] in honorifics:
        words.pop()
    return tuple(words)


_remembered_name_words = lru_cache(maxsize=16384)(_name_words)


@lru_cache(maxsize=8)
def _glued_title(titles: frozenset[str]) -> re.Pattern[str]:
    """Any of `titles` followed by its full stop, as a whole word."""
    alternatives = "|".join(sorted(map(re.escape, titles), key=len, reverse=True))
    return re.compile(rf"\b({alternatives})\.")


def normalize_name(text: str) -> str:
    """A name as GOLD.md compares it, as one string."""
    return " ".join(name_words(text))


def contains_words(longer: Words, shorter: Words) -> bool:
    """`shorter` stands as whole consecutive words inside `longer`."""
    size = len(shorter)
    return size > 0 and any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


def ends_with_words(longer: Words, words: Words) -> bool:
    """`words` are the last words of `longer` ("chief executive" of "former chief executive")."""
    return 0 < len(words) <= len(longer) and longer[len(longer) - len(words) :] == words


def words_match(a: Words, b: Words) -> bool:
    """GOLD.md: equal, or the shorter has two or more words and stands inside the longer."""
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return len(shorter) >= 2 and len(shorter) < len(longer) and contains_words(longer, shorter)


def forms_match(a: str, b: str) -> bool:
    """Whether two name forms name the same actor under GOLD.md's rules."""
    return words_match(name_words(a), name_words(b))


@dataclass(frozen=True)
class Description:
    """A reference that describes an actor instead of naming one: what it is (`words`,
    "mayor") and whose, if it says ("Brenford's mayor", "a spokeswoman for ParkRight")."""

    words: Words
    owner: str = ""


def description(reference: str) -> Description | None:
    """The description a reference is, or None when it names someone. News refers back to
    the people it has named by what they are: "the mayor", "Brenford's mayor", "the
    union", "the company's chief executive", "a spokeswoman for ParkRight"."""
    head, owner = reference.strip(), ""
    tail = ROLE_TAIL.search(head)
    if tail is not None:
        head, owner = head[: tail.start()], tail.group().split(maxsplit=1)[1]
    tokens = head.split()
    owned = [i for i, token in enumerate(tokens[:-1]) if token.endswith(POSSESSIVE_ENDINGS)]
    if owned:  # "the city council's | chief executive", "Alwyn Harbour Terminals' | ..."
        owner = " ".join(tokens[: owned[-1] + 1]).removesuffix("s").rstrip("'\u2019")
        tokens = tokens[owned[-1] + 1 :]
    while tokens and tokens[0].casefold() in POINTERS:
        tokens.pop(0)
    named = [i for i, token in enumerate(tokens[:-1]) if token[0].isupper()]
    if named and not owner:  # "a ParkRight spokeswoman", "a former Pacely engineer"
        owner = " ".join(token for token in tokens[: named[-1] + 1] if token[0].isupper())
        tokens = tokens[named[-1] + 1 :]
    if len(tokens) > 1 and not owner and tokens[-1].casefold() in SPEAKS_FOR:
        owner, tokens = " ".join(tokens[:-1]), tokens[-1:]  # "a club spokesperson"
    if not 1 <= len(tokens) <= 3 or any(not token[0].islower() for token in tokens):
        return None
    words = name_words(" ".join(tokens))
    return Description(words, owner.strip()) if words else None


def spoken_for(reference: str | Description) -> str:
    """Whom a spokesperson without a name speaks for: "a ParkRight spokeswoman" ->
    ParkRight, "a club spokesperson" -> club; empty for anyone else."""
    described = description(reference) if isinstance(reference, str) else reference
    if described is None or described.words[-1] not in SPEAKS_FOR:
        return ""
    return described.owner
