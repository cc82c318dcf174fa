"""Recording exchanges, replaying them offline, and telling when they are stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from summarizer.prompts import builtin_prompts_root
from tests.conftest import BIRDS, ONEPASS, birds_draft
from tests.fakeserver import FakeOpenAI, Reply

SECRET = "sk-proj-SECRETSECRET0123456789"
GOOD = json.dumps(birds_draft())


def record(cli, server: FakeOpenAI, store: Path, *extra: str):
    return cli(
        "summarize",
        str(BIRDS),
        "-m",
        "m",
        "--base-url",
        server.url,
        "--record",
        str(store),
        *ONEPASS,
        *extra,
    )


def replay(cli, store: Path, *extra: str, article: Path = BIRDS):
    # No --base-url and no key: a real call would fail; replay must not make one.
    return cli(
        "summarize",
        str(article),
        "-m",
        "m",
        "--mode",
        "json_schema",
        "--replay",
        str(store),
        *(extra or ONEPASS),
    )


def without_clock(record: dict) -> dict:
    record = json.loads(json.dumps(record))
    del record["meta"]["created_at"]
    return record


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "exchanges"


def test_recording_keeps_one_readable_file_per_exchange(cli, server, store, monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("OPENAI_ORG_ID", "org-SECRETORG")
    server.script(Reply.completion(GOOD, prompt_tokens=900, completion_tokens=90))
    ran = record(cli, server, store)
    assert ran.exit_code == 0, ran.stderr
    (path,) = store.glob("*.json")
    exchange = json.loads(path.read_text())
    assert path.stem == exchange["hash"]
    assert exchange["labels"]["article_id"] == "mqm-birds-in-wings"
    assert exchange["labels"]["schema_version"] == ran.json()["meta"]["schema_version"]
    assert exchange["request"]["model"] == "m"
    assert exchange["request"]["messages"] == server.requests[0].body["messages"]
    assert exchange["response"]["usage"]["completion_tokens"] == 90
    assert exchange["recorded_with"]["engine"] == "openai"
    assert exchange["recorded_at"]


def test_secrets_never_enter_the_store(cli, server, store, monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("OPENAI_ORG_ID", "org-SECRETORG")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj_SECRETPROJECT")
    server.script(Reply.completion(GOOD))
    assert record(cli, server, store).exit_code == 0
    assert server.requests[0].headers["authorization"] == f"Bearer {SECRET}"
    text = "".join(path.read_text() for path in store.iterdir())
    for secret in (SECRET, "SECRETORG", "SECRETPROJECT", "Bearer", "authorization"):
        assert secret.lower() not in text.lower()


def test_replay_gives_the_recorded_record_without_any_model(cli, server, store) -> None:
    server.script(Reply.completion(GOOD))
    recorded = record(cli, server, store).json()
    first, second = replay(cli, store), replay(cli, store)
    assert first.exit_code == 0, first.stderr
    assert len(server.requests) == 1
    assert without_clock(first.json()) == without_clock(recorded)
    assert first.json()["meta"]["latency_seconds"] == recorded["meta"]["latency_seconds"]
    # Byte for byte, but for the time stamp.
    strip = lambda ran: ran.stdout.replace(ran.json()["meta"]["created_at"], "")  # noqa: E731
    assert strip(first) == strip(second)


def test_re_asks_are_recorded_and_replayed_on_the_same_path(cli, server, store) -> None:
    invalid = json.dumps(birds_draft(actors="nope"))
    server.script(Reply.completion(invalid), Reply.completion(GOOD))
    recorded = record(cli, server, store).json()
    assert recorded["meta"]["attempts"] == 2
    assert len(list(store.glob("*.json"))) == 2
    replayed = replay(cli, store)
    assert replayed.exit_code == 0, replayed.stderr
    assert replayed.json()["meta"]["attempts"] == 2
    assert without_clock(replayed.json()) == without_clock(recorded)


def test_a_changed_prompt_makes_replay_fail_with_what_differs(cli, server, store, tmp_path) -> None:
    prompts = tmp_path / "myprompts"
    shutil.copytree(builtin_prompts_root() / "onepass", prompts)
    server.script(Reply.completion(GOOD))
    assert record(cli, server, store, "--prompts", str(prompts)).exit_code == 0
    user = prompts / "brief.j2"
    original = user.read_text()
    user.write_text(original.replace("one neutral line", "one plain line"))
    ran = replay(cli, store, "--prompts", str(prompts))
    assert ran.exit_code == 1
    assert ran.stderr.count("\n") == 1
    message = ran.stderr
    (recorded,) = store.glob("*.json")
    assert str(BIRDS) in message
    assert f"no recorded answer in {store} for request" in message
    assert f"nearest for mqm-birds-in-wings is {recorded.name}" in message
    assert "prompt fingerprint (recorded" in message
    assert f"re-record with: summarizer summarize {BIRDS} -m m --record {store}" in message
    user.write_text(original)
    assert replay(cli, store, "--prompts", str(prompts)).exit_code == 0


def test_an_article_never_recorded_says_so(cli, server, store, tmp_path) -> None:
    server.script(Reply.completion(GOOD))
    record(cli, server, store)
    other = tmp_path / "other.txt"
    other.write_text("A different article. Nobody said anything.\n")
    ran = replay(cli, store, article=other)
    assert ran.exit_code == 1
    assert "nothing is recorded for other there" in ran.stderr


def test_cache_asks_the_model_only_once(cli, server, store) -> None:
    server.script(Reply.completion(GOOD))
    args = ("summarize", str(BIRDS), "-m", "m", "--base-url", server.url, "--cache", str(store))
    args += ONEPASS
    first, second = cli(*args), cli(*args)
    assert first.exit_code == second.exit_code == 0
    assert len(server.requests) == 1
    assert without_clock(first.json()) == without_clock(second.json())


def test_at_most_one_store_option(cli, store) -> None:
    ran = cli("summarize", str(BIRDS), "--record", str(store), "--cache", str(store))
    assert ran.exit_code == 2
    assert "at most one of --record, --replay and --cache" in ran.stderr


def test_replay_from_a_missing_folder(cli, tmp_path) -> None:
    ran = cli("summarize", str(BIRDS), "--replay", str(tmp_path / "none"))
    assert ran.exit_code == 2
    assert "no such folder of recorded exchanges" in ran.stderr


def test_fixtures_check_reports_fresh_stale_and_unused(cli, server, store, tmp_path) -> None:
    prompts = tmp_path / "checked"
    shutil.copytree(builtin_prompts_root() / "onepass", prompts)
    server.script(Reply.completion(GOOD))
    assert record(cli, server, store, "--prompts", str(prompts)).exit_code == 0
    fresh = cli("fixtures", "check", str(store), "--prompts", str(prompts))
    assert fresh.exit_code == 0, fresh.stdout + fresh.stderr
    assert "fresh  mqm-birds-in-wings (1 exchanges)" in fresh.stdout
    assert fresh.stdout.splitlines()[-1] == "1 fresh, 0 stale, 0 unused"
    (prompts / "system.j2").write_text("You are an analyst.")
    stale = cli("fixtures", "check", str(store), "--prompts", str(prompts))
    assert stale.exit_code == 1
    assert "STALE  mqm-birds-in-wings" in stale.stdout
    assert "prompt fingerprint (recorded" in stale.stdout
    assert "re-record with: make fixtures" in stale.stdout


def test_the_testing_helper_replays_inside_its_block(server, store) -> None:
    import summarizer
    from summarizer.testing import replay as replaying

    server.script(Reply.completion(GOOD))
    settings = summarizer.Settings(model="m", base_url=server.url, record=store, prompts="onepass")
    recorded = summarizer.summarize(summarizer.read_article(BIRDS), settings=settings)
    with replaying(store):
        again = summarizer.summarize(
            summarizer.read_article(BIRDS),
            settings=summarizer.Settings(
                model="m", base_url="http://127.0.0.1:9/v1", prompts="onepass"
            ),
        )
    assert again.actors == recorded.actors
    assert len(server.requests) == 1


def test_a_replay_repeats_the_recorded_latency_exactly(store) -> None:
    from summarizer.engines.base import OUTPUT_MODES
    from summarizer.engines.base import Reply as Answered
    from summarizer.engines.store import ExchangeStore, StoreEngine
    from tests.fakeserver import _completion

    class Timed:
        """An engine whose calls take an awkward, known time."""

        name, model, output_mode = "openai", "m", OUTPUT_MODES["json_schema"]

        def complete(self, request, labels=None):
            from openai.types.chat import ChatCompletion

            body = _completion(request, Reply.completion(GOOD))
            return Answered(ChatCompletion.model_validate(body), 0.0124)

    def engine(mode, inner):
        return StoreEngine(
            ExchangeStore(store),
            mode,
            inner=inner,
            name="openai",
            model="m",
            output_mode=OUTPUT_MODES["json_schema"],
        )

    recording, replaying = engine("record", Timed()), engine("replay", None)
    for number in (1, 2):
        request = {"model": "m", "messages": [{"role": "user", "content": str(number)}]}
        recording.complete(request)
        assert replaying.complete(request).seconds == 0.0124
