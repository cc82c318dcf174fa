"""The installed command in a real process: what users see on stderr and as exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import BIRDS


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args], capture_output=True, text=True, timeout=60
    )


def test_a_failed_model_call_is_exactly_one_line_on_stderr(tmp_path: Path) -> None:
    # instructor logs each failed attempt; outside pytest those logs would reach stderr.
    ran = run("summarize", str(BIRDS), "--replay", str(tmp_path))
    assert ran.returncode == 1
    assert ran.stdout == ""
    assert ran.stderr.count("\n") == 1, ran.stderr
    assert ran.stderr.startswith(f"error: {BIRDS}: no recorded answer in {tmp_path}")


def test_bad_input_in_a_real_process(tmp_path: Path) -> None:
    ran = run("summarize", str(tmp_path / "missing.txt"))
    assert (ran.returncode, ran.stderr) == (
        2,
        f"error: {tmp_path / 'missing.txt'}: file not found\n",
    )
