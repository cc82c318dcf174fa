"""`summarizer batch` as a real process: killed with -9, or stopped with Ctrl-C, mid-run."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ONEPASS
from tests.fakeserver import FakeOpenAI, Reply
from tests.test_batch import archive, rows


def start(
    source: Path, out: Path, server: FakeOpenAI, *extra: str, prompts: tuple[str, ...] = ONEPASS
) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "summarizer", "batch", str(source), "-o", str(out)]
    command += ["-m", "m", "--base-url", server.url, *prompts, "--no-cache", *extra]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's job is
    )


def workers_of(process: subprocess.Popen[str]) -> list[int]:
    """The processes a batch spawned to parse articles."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    return [
        int(pid) for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def claim_rows(count: int) -> list[str]:
    text = "The mayor accused the contractor of inflating invoices on day {}. It denied it."
    return [json.dumps({"id": f"a{n}", "text": text.format(n)}) for n in range(count)]


def wait_for(condition: Callable[[], bool], seconds: float = 180.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def whole_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_a_run_killed_with_9_is_completed_by_the_next(tmp_path: Path) -> None:
    source = archive(tmp_path, *rows(300))
    out = tmp_path / "out.jsonl"
    with FakeOpenAI(answer="minimal", delay=0.02) as server:
        running = start(source, out, server, "-j", "8")
        wait_for(lambda: whole_lines(out) >= 40)
        running.kill()  # SIGKILL: no handler, no cleanup
        running.wait(timeout=60)
        assert running.returncode == -signal.SIGKILL
        killed_at = whole_lines(out)
        assert 40 <= killed_at < 300
        for line in out.read_bytes().split(b"\n")[:killed_at]:
            json.loads(line)  # every whole line is a whole record
        asked_before = server.count
        finished = start(source, out, server, "-j", "8")
        _, stderr = finished.communicate(timeout=600)
    assert finished.returncode == 0, stderr
    lines = out.read_text().splitlines()
    found = [json.loads(line)["article_id"] for line in lines]
    assert sorted(found) == sorted(f"a{n}" for n in range(300))  # no loss, no duplicate
    assert out.read_bytes().endswith(b"\n")
    assert f"already in {out}" in stderr
    # The second run asked only for what was not written: at most the 8 in flight again.
    assert server.count - asked_before <= 300 - killed_at + 8


def test_ctrl_c_lets_the_articles_in_flight_finish(tmp_path: Path) -> None:
    source = archive(tmp_path, *rows(200))
    out = tmp_path / "out.jsonl"
    with FakeOpenAI(answer="minimal", delay=0.1) as server:
        running = start(source, out, server, "-j", "4")
        wait_for(lambda: whole_lines(out) >= 8)
        running.send_signal(signal.SIGINT)
        _, stderr = running.communicate(timeout=180)
    assert running.returncode == 130, stderr
    assert "stopping: the articles in flight finish first" in stderr
    assert stderr.splitlines()[-1] == (
        f"interrupted: every record finished is in {out}; run the same command again to resume"
    )
    found = [json.loads(line)["article_id"] for line in out.read_text().splitlines()]
    assert len(found) == len(set(found)) < 200
    assert "Traceback" not in stderr


def test_a_second_ctrl_c_abandons_what_is_in_flight(tmp_path: Path) -> None:
    source = archive(tmp_path, *rows(20))
    out = tmp_path / "out.jsonl"
    with FakeOpenAI(answer="minimal") as server:
        server.script(*[Reply.hang(60)] * 20)
        running = start(source, out, server, "-j", "4")
        wait_for(lambda: server.count >= 4)
        running.send_signal(signal.SIGINT)
        time.sleep(0.5)
        assert running.poll() is None  # still waiting for the four in flight
        running.send_signal(signal.SIGINT)
        _, stderr = running.communicate(timeout=180)
    assert running.returncode == 130, stderr
    assert "abandoning the articles in flight" in stderr
    assert stderr.splitlines()[-1].startswith("interrupted; 4 in flight abandoned: ")
    assert out.read_text() == ""
    assert "Traceback" not in stderr


def parsing(tmp_path: Path, server: FakeOpenAI, count: int) -> tuple[subprocess.Popen[str], Path]:
    """A default-set batch of `count` articles, four in flight, with records written and
    its parsing workers running."""
    out = tmp_path / "out.jsonl"
    running = start(archive(tmp_path, *claim_rows(count)), out, server, "-j", "4", prompts=())
    wait_for(lambda: whole_lines(out) >= 8)
    assert workers_of(running)
    return running, out


def test_ctrl_c_to_the_job_stops_the_parsing_workers_without_a_trace(tmp_path: Path) -> None:
    # A terminal's Ctrl-C reaches every process of the job, the parsing workers too.
    with FakeOpenAI(answer="minimal", delay=0.05) as server:
        running, out = parsing(tmp_path, server, 200)
        os.killpg(running.pid, signal.SIGINT)
        _, stderr = running.communicate(timeout=180)
    assert running.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    found = [json.loads(line)["article_id"] for line in out.read_text().splitlines()]
    assert len(found) == len(set(found)) < 200


def test_a_parsing_worker_killed_mid_run_loses_no_article(tmp_path: Path) -> None:
    with FakeOpenAI(answer="minimal", delay=0.05) as server:
        running, out = parsing(tmp_path, server, 120)
        for pid in workers_of(running):
            os.kill(pid, signal.SIGKILL)
        _, stderr = running.communicate(timeout=300)
    assert running.returncode == 0, stderr
    found = [json.loads(line)["article_id"] for line in out.read_text().splitlines()]
    assert sorted(found) == sorted(f"a{n}" for n in range(120))


@pytest.mark.slow
def test_twenty_kills_at_random_points_lose_nothing(tmp_path: Path) -> None:
    count = 300
    source = archive(tmp_path, *rows(count))
    out = tmp_path / "out.jsonl"
    chance = random.Random(13)
    kills = 0
    written: list[int] = []  # lines in the output after each kill
    # Twenty-one processes start up: on a loaded machine that takes minutes, and the
    # server must outlive them all.
    with FakeOpenAI(answer="minimal", delay=0.005, keep_requests=False, lifetime=1200) as server:
        while kills < 20:
            before = whole_lines(out)
            running = start(source, out, server, "-j", "8")
            if chance.random() < 0.25:
                # Anywhere: starting up, reading the output back, mending it, or working.
                time.sleep(chance.uniform(0.0, 1.5))
            else:
                # Mid-run: some records written, others in flight.
                wanted = before + chance.randint(1, 12)

                def grown(wanted: int = wanted, running: subprocess.Popen[str] = running) -> bool:
                    return whole_lines(out) >= wanted or running.poll() is not None

                wait_for(grown)
            if running.poll() is not None:
                break  # it finished before it could be killed: nothing left to do
            running.kill()
            running.wait(timeout=60)
            kills += 1
            written.append(whole_lines(out))
            lines = out.read_bytes().split(b"\n") if out.exists() else []
            for line in lines[:-1]:
                json.loads(line)  # every whole line is a whole record
        finished = start(source, out, server, "-j", "8")
        _, stderr = finished.communicate(timeout=600)
    assert kills >= 20, f"only {kills} kills before the batch finished"
    assert finished.returncode == 0, stderr
    found = [json.loads(line)["article_id"] for line in out.read_text().splitlines()]
    assert sorted(found) == sorted(f"a{n}" for n in range(count))  # each exactly once
    assert out.read_bytes().endswith(b"\n")
    print(f"{kills} kills; lines after each: {written}")  # the figures, with -s
