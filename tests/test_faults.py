"""Faults of the server, of the model's answer and of our limits, each with its owner and its
own message; and a batch of 1,000 articles through a server that injects them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import BIRDS, ONEPASS, birds_draft
from tests.fakeserver import FAULTS, FakeOpenAI, Faults, Reply

GOOD = json.dumps(birds_draft())
SERVER_FAULT = "a fault of the server, not of the model's answer"


@pytest.fixture(autouse=True)
def short_retry_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_RETRY_WAIT", "0.01")
    monkeypatch.setenv("SUMMARIZER_MAX_RETRY_WAIT", "0.05")


def summarize(cli, server: FakeOpenAI, *extra: str):
    return cli(
        "summarize", str(BIRDS), "-m", "test-model", "--base-url", server.url, *ONEPASS, *extra
    )


def one_line_error(ran) -> str:
    assert ran.stdout == ""
    assert ran.stderr.count("\n") == 1, ran.stderr
    assert "Traceback" not in ran.stderr
    line = ran.stderr.strip()
    assert line.startswith(f"error: {BIRDS}: ")
    return line


@pytest.mark.parametrize(
    "fault",
    [
        Reply.no_choices(),
        Reply.not_json(),
        Reply.reset(),
        Reply.error(502),
        Reply.error(429, "slow down"),
        Reply.error(429, "slow down", retry_after="0.01"),
        Reply.hang(10),
    ],
    ids=["empty choices", "invalid JSON", "reset", "502", "429", "429 Retry-After", "hang"],
)
def test_a_server_fault_is_retried_and_never_counts_as_an_attempt(
    cli, server: FakeOpenAI, fault: Reply
) -> None:
    server.script(fault, Reply.completion(GOOD))
    ran = summarize(cli, server, "--timeout", "0.5")
    assert ran.exit_code == 0, ran.stderr
    assert len(server.requests) == 2
    first, second = (seen.body for seen in server.requests)
    assert first == second  # a retry of the same request, not a re-ask
    assert ran.json()["meta"]["attempts"] == 1


def test_empty_choices_are_the_servers_fault_not_the_models(cli, server: FakeOpenAI) -> None:
    server.script(Reply.no_choices(), Reply.no_choices())
    ran = summarize(cli, server, "--max-retries", "1")
    assert ran.exit_code == 1
    line = one_line_error(ran)
    assert f"{server.url} answered with a completion without choices after 2 tries" in line
    assert SERVER_FAULT in line
    assert "index" not in line  # no Python error in the user's message
    assert "invalid" not in line  # not blamed on the model's answer


def test_a_body_that_is_not_json_is_the_servers_fault(cli, server: FakeOpenAI) -> None:
    server.script(Reply.not_json(), Reply.not_json())
    ran = summarize(cli, server, "--max-retries", "1")
    assert ran.exit_code == 1
    line = one_line_error(ran)
    assert f"{server.url} answered with a body that is not JSON" in line
    assert "after 2 tries" in line
    assert SERVER_FAULT in line
    assert len(server.requests) == 2  # retried, never re-asked


def test_a_connection_reset_mid_body_says_the_connection_dropped(cli, server: FakeOpenAI) -> None:
    server.script(Reply.reset(), Reply.reset())
    ran = summarize(cli, server, "--max-retries", "1")
    assert ran.exit_code == 1
    line = one_line_error(ran)
    assert f"{server.url} dropped the connection before its answer was complete" in line
    assert "after 2 tries" in line
    assert "cannot connect" not in line  # it was reached: --base-url is right


def test_a_cut_off_answer_is_our_limit_and_says_how_to_raise_it(cli, server: FakeOpenAI) -> None:
    server.script(Reply.truncated(GOOD))
    ran = summarize(cli, server, "--max-tokens", "700")
    assert ran.exit_code == 1
    line = one_line_error(ran)
    assert "ran into the limit of 700 tokens we set on it" in line
    assert "raise --max-tokens" in line
    assert "prompt" not in line
    assert server.requests[0].body["max_tokens"] == 700


def test_an_answer_failing_the_schema_is_the_models(cli, server: FakeOpenAI) -> None:
    bad = json.dumps(birds_draft(actors="not a list"))
    server.script(Reply.completion(bad), Reply.completion(bad))
    ran = summarize(cli, server, "--max-reasks", "1")
    assert ran.exit_code == 1
    line = one_line_error(ran)
    assert "the model's answer was still invalid after 2 attempts" in line
    assert "try a larger model or raise --max-reasks" in line
    reask = server.requests[1].body["messages"]
    assert reask[-2] == {"role": "assistant", "content": bad}  # re-asked, with its answer


@pytest.mark.parametrize(
    ("status", "advice"),
    [(500, "a fault of the server"), (503, "a fault of the server"), (429, "lower -j")],
)
def test_persistent_status_errors_name_their_owner(
    cli, server: FakeOpenAI, status: int, advice: str
) -> None:
    server.script(*[Reply.error(status)] * 2)
    ran = summarize(cli, server, "--max-retries", "1")
    assert ran.exit_code == 1
    line = one_line_error(ran)
    assert f"HTTP {status}" in line
    assert advice in line


def test_a_bad_retry_wait_in_the_environment_is_one_line(cli, server, monkeypatch) -> None:
    monkeypatch.setenv("SUMMARIZER_RETRY_WAIT", "soon")
    ran = summarize(cli, server)
    assert ran.exit_code == 2
    assert (
        ran.stderr
        == "error: SUMMARIZER_RETRY_WAIT='soon' is not a number of seconds; give e.g. 0.5\n"
    )
    assert server.count == 0


@pytest.mark.slow
def test_1000_articles_at_20_percent_faults_lose_nothing(cli, tmp_path: Path) -> None:
    count = 1000
    source = tmp_path / "archive.jsonl"
    with source.open("w") as file:
        for n in range(count):
            text = f"Article {n}: the council met on day {n}. Nothing was decided."
            file.write(json.dumps({"id": f"a{n}", "text": text}) + "\n")
    out, failed = tmp_path / "out.jsonl", tmp_path / "failed.jsonl"
    faults = Faults(rate=0.2)
    with FakeOpenAI(answer="minimal", faults=faults, keep_requests=False) as server:
        ran = cli(
            "batch", str(source), "-o", str(out), "--errors", str(failed), "-j", "16",
            "-m", "m", "--base-url", server.url, *ONEPASS, "--no-cache",
            "--timeout", "5", "--max-retries", "2", "--max-reasks", "1",
        )  # fmt: skip
    assert ran.exit_code in (0, 1), ran.stderr
    assert "Traceback" not in ran.stderr, ran.stderr
    done = [json.loads(line)["article_id"] for line in out.read_text().splitlines()]
    errors = [json.loads(line) for line in failed.read_text().splitlines()]
    error_ids = [error["id"] for error in errors]
    assert len(done) == len(set(done))  # no duplicates in the output
    assert len(error_ids) == len(set(error_ids))  # nor in the errors file
    assert not set(done) & set(error_ids)  # none in both
    assert set(done) | set(error_ids) == {f"a{n}" for n in range(count)}  # none lost
    summary = next(line for line in ran.stderr.splitlines() if line.startswith("done: "))
    assert summary == f"done: {len(done)} summarized, 0 already in {out}, {len(errors)} failed"
    # Every kind was injected, and each failure says whose it is.
    assert set(faults.injected) == set(FAULTS), faults.injected
    assert sum(faults.injected.values()) >= 0.15 * server.count
    owners = Counter(error["error"] for error in errors)
    assert set(owners) <= {"EngineError", "ModelOutputError", "AnswerCutOffError"}, owners
    for error in errors:
        assert "index out of range" not in error["message"]
    # The figures, for whoever runs this with -s.
    print(json.dumps({"injected": faults.injected, "done": len(done), "failed": owners}))
