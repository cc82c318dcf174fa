"""Names as comparable words: case folded, punctuation and titles dropped (GOLD.md rules)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set

Words = tuple[str, ...]

# The titles GOLD.md removes before names are compared.
GOLD_TITLES = frozenset({"mr", "mrs", "ms", "dr", "sir", "senator", "syed"})

# Deleted without a space: possessives stay one word ("Kamal's" -> "kamals", so "Mustafa
# Kamal's group" does not contain "Mustafa Kamal") and abbreviations stay whole ("U.S." ->
# "us"). The marks: apostrophe, typographic single quotes, modifier-letter apostrophe, the
# grave accent used as one, and the full stop.
_JOINING_MARKS = re.compile(r"['\u2018\u2019\u02bc`.]")
# Every other punctuation mark or symbol, hyphens included, separates words.
_SEPARATING_MARKS = re.compile(r"[^\w\s]|_")


def name_words(
    text: str, titles: Set[str] = GOLD_TITLES, honorifics: Set[str] = frozenset()
) -> Words:
    """A name as words: case folded, punctuation removed, titles dropped wherever they stand
    as whole words, honorifics dropped from the end ("Altaf Bhai" -> ("altaf",))."""
    text = unicodedata.normalize("NFKC", text).casefold()
    # A title glued to the next word by its full stop ("Dr.Farooq") is split off first.
    for title in titles:
        text = re.sub(rf"\b{title}\.", f"{title} ", text)
    text = _SEPARATING_MARKS.sub(" ", _JOINING_MARKS.sub("", text))
    words = [word for word in text.split() if word not in titles]
    while len(words) > 1 and words[-1] in honorifics:
        words.pop()
    return tuple(words)


def normalize_name(text: str) -> str:
    """A name as GOLD.md compares it, as one string."""
    return " ".join(name_words(text))


def contains_words(longer: Words, shorter: Words) -> bool:
    """`shorter` stands as whole consecutive words inside `longer`."""
    size = len(shorter)
    return size > 0 and any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


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
