"""Output files: an unwritable path is one clear line before any model call; whole files
are replaced at once, so a failed run leaves the old file as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import BIRDS, ONEPASS, birds_draft
from tests.fakeserver import FakeOpenAI, Reply
from tests.test_batch import archive, rows

GOOD = json.dumps(birds_draft())


def unwritable(tmp_path: Path) -> list[Path]:
    """Paths no one can write, root included: below a file, and inside /proc."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    return [blocker / "out.jsonl", Path("/proc/summarizer-test-out.jsonl")]


def test_an_unwritable_batch_output_fails_before_any_model_call(cli, server, tmp_path) -> None:
    source = archive(tmp_path, *rows(3))
    for path in unwritable(tmp_path):
        ran = cli("batch", str(source), "-o", str(path), "-m", "m", "--base-url", server.url)
        assert ran.exit_code == 2, ran.stderr
        assert ran.stderr.count("\n") == 1, ran.stderr
        assert ran.stderr.startswith(f"error: {path}: cannot ")
        assert "Traceback" not in ran.stderr
    assert server.count == 0


def test_an_unwritable_errors_file_fails_before_any_model_call(cli, server, tmp_path) -> None:
    source = archive(tmp_path, *rows(3))
    path = unwritable(tmp_path)[1]
    out = tmp_path / "out.jsonl"
    ran = cli(
        "batch", str(source), "-o", str(out), "--errors", str(path),
        "-m", "m", "--base-url", server.url, *ONEPASS,
    )  # fmt: skip
    assert ran.exit_code == 2
    assert ran.stderr.startswith(f"error: {path}: cannot write there: ")
    assert ran.stderr.endswith("; give --errors a writable path\n")
    assert ran.stderr.count("\n") == 1
    assert server.count == 0


@pytest.mark.parametrize("index", [0, 1])
def test_an_unwritable_summary_output_fails_before_any_model_call(
    cli, server, tmp_path, index: int
) -> None:
    path = unwritable(tmp_path)[index]
    ran = cli("summarize", str(BIRDS), "-o", str(path), "-m", "m", "--base-url", server.url)
    assert ran.exit_code == 2
    assert ran.stderr.count("\n") == 1
    assert ran.stderr.startswith(f"error: {path}: ")
    assert server.count == 0


def test_a_failed_run_leaves_the_old_file_whole(cli, server: FakeOpenAI, tmp_path) -> None:
    output = tmp_path / "brief.json"
    server.script(Reply.completion(GOOD))
    first = cli(
        "summarize", str(BIRDS), "-o", str(output), "-m", "m", "--base-url", server.url, *ONEPASS
    )
    assert first.exit_code == 0, first.stderr
    before = output.read_bytes()
    assert json.loads(before)["article_id"] == "mqm-birds-in-wings"
    server.script(*[Reply.error(500)] * 2)
    failed = cli(
        "summarize", str(BIRDS), "-o", str(output), "-m", "m", "--base-url", server.url,
        *ONEPASS, "--max-retries", "1",
    )  # fmt: skip
    assert failed.exit_code == 1
    assert output.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftovers


@pytest.fixture
def full_disk(tmp_path: Path):
    """A folder on a disk with no room left: a tiny tmpfs, filled up. Needs root."""
    import shutil
    import subprocess

    folder = tmp_path / "full"
    folder.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root)")
    try:
        with open(folder / "filler", "wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"x" * 4096)
            except OSError:
                pass
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_fails_before_any_model_call(cli, server, tmp_path, full_disk) -> None:
    source = archive(tmp_path, *rows(3))
    path = full_disk / "out.jsonl"
    ran = cli("batch", str(source), "-o", str(path), "-m", "m", "--base-url", server.url)
    assert ran.exit_code == 2, ran.stderr
    assert ran.stderr == (
        f"error: {path}: cannot write there: No space left on device; give -o a writable path\n"
    )
    assert server.count == 0
