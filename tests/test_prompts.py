"""Prompt sets: rendering, fingerprints, --prompts, and broken templates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from summarizer.errors import ConfigError
from summarizer.prompts import builtin_prompts_root, load_prompt_set
from tests.conftest import BIRDS, birds_draft
from tests.fakeserver import FakeOpenAI, Reply


def copy_default(tmp_path: Path) -> Path:
    """A copy of the shipped one-pass set (the scripted tests answer in one pass)."""
    target = tmp_path / "mine"
    shutil.copytree(builtin_prompts_root() / "onepass", target)
    return target


@pytest.mark.parametrize("name", ["default", "listed", "onepass"])
def test_the_article_goes_first_in_the_user_message(name: str) -> None:
    prompts = load_prompt_set(name)
    numbered = "[1] THE ARTICLE TEXT"
    first = prompts.render("raw text", numbered)
    assert [m["role"] for m in first] == ["system", "user"]
    assert numbered not in first[0]["content"]
    user = first[1]["content"]
    assert user.index(numbered) < user.index("JSON")
    block = user[: user.index(numbered) + len(numbered)]
    if prompts.second_pass == "claims.j2":
        second = [prompts.render_claims("raw text", numbered, ["Ana Ruiz"])]
    elif prompts.second_pass == "parties.j2":
        second = [
            prompts.render_parties(
                "raw text",
                numbered,
                ["Ana Ruiz"],
                sentence="[1] THE ARTICLE TEXT",
                before="",
                kind=kind,
            )
            for kind in ("allegation", "denial")
        ]
    else:
        second = []
    for messages in second:
        content = messages[1]["content"]
        # The same opening block in both passes, so the second reuses the cached prefix.
        assert content.startswith(block)
        assert "Ana Ruiz" in content
    if prompts.second_pass == "parties.j2":
        # Questions about two sentences of one kind differ only after their common prefix.
        assert second[0][1]["content"].endswith("The sentence: [1] THE ARTICLE TEXT")


def test_the_example_shape_is_compact_json() -> None:
    user = load_prompt_set().render("x", "[1] x")[1]["content"]
    shape = user[user.index("{") :]
    assert "\n" not in shape and ": " not in shape and ", " not in shape


def test_fingerprint_ignores_the_article_and_follows_the_templates(tmp_path: Path) -> None:
    shipped = load_prompt_set("onepass")
    assert len(shipped.fingerprint) == 16
    mine = copy_default(tmp_path)
    assert load_prompt_set(mine).fingerprint == shipped.fingerprint
    user = mine / "user.j2"
    user.write_text(user.read_text().replace("careful", "careful") + "\nBe brief.\n")
    assert load_prompt_set(mine).fingerprint != shipped.fingerprint


def test_prompts_flag_uses_another_set(cli, server: FakeOpenAI, tmp_path: Path) -> None:
    mine = copy_default(tmp_path)
    (mine / "system.j2").write_text("You are the custom analyst.")
    server.script(Reply.completion(json.dumps(birds_draft())))
    ran = cli("summarize", str(BIRDS), "-m", "m", "--base-url", server.url, "--prompts", str(mine))
    assert ran.exit_code == 0, ran.stderr
    assert server.requests[0].body["messages"][0]["content"] == "You are the custom analyst."
    meta = ran.json()["meta"]
    assert meta["prompt_set"] == "mine"
    assert meta["prompt_fingerprint"] == load_prompt_set(mine).fingerprint


def test_a_shipped_set_can_be_named(tmp_path: Path) -> None:
    assert load_prompt_set("default").directory == builtin_prompts_root() / "default"


def test_missing_folder_or_template(cli, tmp_path: Path) -> None:
    ran = cli("summarize", str(BIRDS), "--prompts", str(tmp_path / "absent"))
    assert ran.exit_code == 2
    assert "no such prompt folder" in ran.stderr
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "system.j2").write_text("hi")
    with pytest.raises(ConfigError, match=r"user\.j2: missing"):
        load_prompt_set(tmp_path / "half")


def test_template_errors_name_the_file_and_line(tmp_path: Path) -> None:
    mine = copy_default(tmp_path)
    (mine / "user.j2").write_text("line one\n{{ article }\n")
    with pytest.raises(ConfigError, match=r"user\.j2:2: template error"):
        load_prompt_set(mine)
    (mine / "user.j2").write_text("{{ article }} {{ headline_hint }}")
    with pytest.raises(ConfigError, match="unknown variable"):
        load_prompt_set(mine)
