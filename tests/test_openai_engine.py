"""The OpenAI-compatible engine against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from tests.conftest import BIRDS, ONEPASS, birds_draft
from tests.fakeserver import FakeOpenAI, Reply

GOOD = json.dumps(birds_draft())


def summarize(cli, server: FakeOpenAI, *extra: str):
    return cli(
        "summarize", str(BIRDS), "-m", "test-model", "--base-url", server.url, *ONEPASS, *extra
    )


def test_a_canned_completion_becomes_a_record(cli, server: FakeOpenAI) -> None:
    server.script(Reply.completion(GOOD, prompt_tokens=1200, completion_tokens=300))
    ran = summarize(cli, server)
    assert ran.exit_code == 0, ran.stderr
    record = ran.json()
    assert record["article_id"] == "mqm-birds-in-wings"
    assert record["meta"]["engine"] == "openai"
    assert record["meta"]["model"] == "test-model"
    assert record["meta"]["mode"] == "json_schema"
    assert record["meta"]["attempts"] == 1
    assert record["meta"]["usage"] == {
        "prompt_tokens": 1200,
        "completion_tokens": 300,
        "total_tokens": 1500,
    }
    sent = server.requests[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.body["model"] == "test-model"
    assert sent.body["response_format"]["type"] == "json_schema"
    assert "Anees Qaimkhani is the real man" in sent.body["messages"][-1]["content"]


def test_429_is_retried_after_the_servers_retry_after(cli, server: FakeOpenAI) -> None:
    server.script(Reply.error(429, "slow down", retry_after="1"), Reply.completion(GOOD))
    ran = summarize(cli, server)
    assert ran.exit_code == 0, ran.stderr
    first, second = server.requests
    assert second.at - first.at >= 1.0
    assert ran.json()["meta"]["attempts"] == 1


def test_5xx_is_retried_and_never_shown_to_the_model(cli, server: FakeOpenAI) -> None:
    server.script(Reply.error(500), Reply.error(503), Reply.completion(GOOD))
    ran = summarize(cli, server)
    assert ran.exit_code == 0, ran.stderr
    assert len(server.requests) == 3
    bodies = [seen.body for seen in server.requests]
    assert bodies[0] == bodies[1] == bodies[2]
    record = ran.json()
    assert record["meta"]["attempts"] == 1
    assert record["meta"]["usage"]["total_tokens"] == 120


def test_persistent_5xx_fails_with_one_line_after_the_retries(cli, server: FakeOpenAI) -> None:
    server.script(*[Reply.error(500)] * 3)
    ran = summarize(cli, server, "--max-retries", "2")
    assert ran.exit_code == 1
    assert len(server.requests) == 3
    assert ran.stderr.count("\n") == 1
    assert "HTTP 500 after 3 tries" in ran.stderr
    assert str(BIRDS) in ran.stderr


def test_a_hanging_server_times_out_and_is_retried(cli, server: FakeOpenAI) -> None:
    server.script(Reply.hang(10), Reply.completion(GOOD))
    ran = summarize(cli, server, "--timeout", "0.5")
    assert ran.exit_code == 0, ran.stderr
    assert len(server.requests) == 2


def test_a_server_that_always_hangs_gives_a_timeout_error(cli, server: FakeOpenAI) -> None:
    server.script(Reply.hang(10), Reply.hang(10))
    ran = summarize(cli, server, "--timeout", "0.3", "--max-retries", "1")
    assert ran.exit_code == 1
    assert "within 0.3 s after 2 tries" in ran.stderr
    assert "--timeout" in ran.stderr


def test_a_closed_port_says_the_server_is_not_reachable(cli) -> None:
    with FakeOpenAI() as gone:
        url = gone.url
    ran = cli("summarize", str(BIRDS), "-m", "x", "--base-url", url, "--max-retries", "0")
    assert ran.exit_code == 1
    assert f"cannot connect to {url}" in ran.stderr


def test_invalid_output_is_re_asked_with_the_validation_error(cli, server: FakeOpenAI) -> None:
    bad = json.dumps(birds_draft(actors="not a list"))
    server.script(
        Reply.completion(bad, prompt_tokens=1000, completion_tokens=50),
        Reply.completion(GOOD, prompt_tokens=1100, completion_tokens=60, cached_tokens=1000),
    )
    ran = summarize(cli, server)
    assert ran.exit_code == 0, ran.stderr
    meta = ran.json()["meta"]
    assert meta["attempts"] == 2
    # The re-ask begins with the first request: the server's prompt cache serves it.
    assert meta["usage"] == {
        "prompt_tokens": 2100,
        "completion_tokens": 110,
        "total_tokens": 2210,
        "cached_tokens": 1000,
    }
    reask = server.requests[1].body["messages"]
    assert reask[-2] == {"role": "assistant", "content": bad}
    assert reask[-1]["role"] == "user"
    assert "actors" in reask[-1]["content"]


def test_output_still_invalid_after_the_reasks_is_an_error(cli, server: FakeOpenAI) -> None:
    server.script(*[Reply.completion("{not json")] * 2)
    ran = summarize(cli, server, "--max-reasks", "1")
    assert ran.exit_code == 1
    assert len(server.requests) == 2
    assert "still invalid after 2 attempts" in ran.stderr
    assert ran.stderr.count("\n") == 1


def test_tools_mode_sends_a_function_and_reads_the_tool_call(cli, server: FakeOpenAI) -> None:
    server.script(Reply.completion(GOOD))
    ran = summarize(cli, server, "--mode", "tools")
    assert ran.exit_code == 0, ran.stderr
    body = server.requests[0].body
    assert body["tools"][0]["function"]["name"] == "BriefDraft"
    assert "response_format" not in body
    assert ran.json()["meta"]["mode"] == "tools"


def test_json_object_mode_sends_the_schema_in_llama_cpp_form(cli, server: FakeOpenAI) -> None:
    server.script(Reply.completion(GOOD))
    ran = summarize(cli, server, "--mode", "json_object")
    assert ran.exit_code == 0, ran.stderr
    response_format = server.requests[0].body["response_format"]
    assert response_format["type"] == "json_object"
    assert response_format["schema"]["title"] == "BriefDraft"
    prompt = json.dumps(server.requests[0].body["messages"])
    assert "maxItems" not in prompt  # the schema constrains decoding, not the prompt


def test_the_api_key_is_sent_but_never_shown(cli, server: FakeOpenAI, monkeypatch) -> None:
    secret = "sk-test-0123456789abcdef"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    server.script(Reply.error(401, f"Incorrect API key provided: {secret}"))
    ran = summarize(cli, server)
    assert ran.exit_code == 2
    assert server.requests[0].headers["authorization"] == f"Bearer {secret}"
    assert secret not in ran.stderr + ran.stdout
    assert "OPENAI_API_KEY" in ran.stderr


def test_a_hosted_model_without_a_key_says_which_variable_to_set(cli) -> None:
    ran = cli("summarize", str(BIRDS), "-m", "gpt-4o-mini")
    assert ran.exit_code == 2
    assert "set OPENAI_API_KEY" in ran.stderr
    assert ran.stderr.count("\n") == 1


def test_an_over_long_article_refused_by_the_server_is_bad_input(cli, server: FakeOpenAI) -> None:
    server.script(
        Reply.error(400, "This model's maximum context length is 8192 tokens, you requested 9000")
    )
    ran = summarize(cli, server)
    assert ran.exit_code == 2
    assert "too long" in ran.stderr
    assert "8192" in ran.stderr


@pytest.mark.parametrize("status", [404])
def test_an_unknown_model_is_named(cli, server: FakeOpenAI, status: int) -> None:
    server.script(Reply.error(status, "model not found"))
    ran = summarize(cli, server)
    assert ran.exit_code == 2
    assert "no model 'test-model'" in ran.stderr
