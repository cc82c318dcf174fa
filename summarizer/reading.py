"""What the English parse reads off an article, as plain data: the share of its words
that are English function words, the actor candidates and the claim frames. A pure
function of the text, so a batch can read articles in worker processes while the model
answers others (spaCy holds the interpreter's lock: threads would not help)."""

from __future__ import annotations

import signal
from dataclasses import dataclass

from summarizer.candidates import Candidate, entity_candidates
from summarizer.claims.frames import Frame, read_frames
from summarizer.parsing import english_share, parse_sentences
from summarizer.sentences import split_sentences


@dataclass(frozen=True)
class Reading:
    """An article as the English parse reads it (sentences numbered as split_sentences
    numbers them)."""

    english_share: float
    candidates: list[Candidate]
    frames: list[Frame]


def read_english(text: str) -> Reading:
    """Parse an article and read its candidates and frames."""
    sentences = split_sentences(text)
    docs = parse_sentences(sentences)
    return Reading(
        english_share(docs), entity_candidates(sentences, docs), read_frames(sentences, docs)
    )


def worker_started() -> None:
    """In a reading worker process: Ctrl-C is the batch's to handle, not each worker's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
