"""Prompt sets: the manifest that declares their passes, rendering, fingerprints,
--prompts, and broken sets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from summarizer.errors import ConfigError
from summarizer.prompts import builtin_prompts_root, load_prompt_set
from tests.conftest import BIRDS, birds_draft
from tests.fakeserver import FakeOpenAI, Reply

FRAME = {
    "key": "F1",
    "sentence": 1,
    "cue": "denied",
    "by": "Ana Ruiz",
    "about": "",
    "what": "the claims",
    "asks": ["kind", "by"],
}


def copy_set(tmp_path: Path, name: str = "onepass") -> Path:
    """A copy of a shipped set (the scripted tests answer the one-pass set in one call)."""
    target = tmp_path / "mine"
    shutil.copytree(builtin_prompts_root() / name, target)
    return target


@pytest.mark.parametrize("name", ["default", "listed", "onepass"])
def test_every_pass_opens_with_the_same_article_block(name: str) -> None:
    prompts = load_prompt_set(name)
    numbered = "[1] THE ARTICLE TEXT"
    rendered = [
        prompts.render(
            step,
            article="raw",
            numbered=numbered,
            actors=["Ana Ruiz"],
            frames=[FRAME],
            candidates=[],
        )
        for step in prompts.passes
    ]
    first = rendered[0]
    assert [m["role"] for m in first] == ["system", "user"]
    assert numbered not in first[0]["content"]
    user = first[1]["content"]
    assert user.index(numbered) < user.index("JSON") if "JSON" in user else True
    block = user[: user.index(numbered) + len(numbered)]
    for messages in rendered[1:]:
        content = messages[1]["content"]
        # The same opening block in every pass, so each reuses the cached prefix.
        assert content.startswith(block)
        assert "Ana Ruiz" in content


@pytest.mark.parametrize("name", ["default", "listed", "onepass"])
def test_the_example_shapes_are_compact_json(name: str) -> None:
    prompts = load_prompt_set(name)
    for step in prompts.passes:
        user = prompts.render(
            step, article="x", numbered="[1] x", actors=["A"], frames=[FRAME], candidates=[]
        )
        shape = user[1]["content"].split("Shape: ", 1)[1]
        assert "\n" not in shape and ": " not in shape and ", " not in shape
        json.loads(shape)


def test_the_frames_prompt_lists_each_frame_and_its_answer_shape() -> None:
    prompts = load_prompt_set("default")
    frames = [FRAME, {**FRAME, "key": "F2", "sentence": 4, "cue": "said", "asks": ["against"]}]
    user = prompts.render("frames", article="x", numbered="[1] x", actors=["A"], frames=frames)
    content = user[1]["content"]
    assert "F1 [1] Ana Ruiz | denied | the claims" in content
    assert "F2 [4] Ana Ruiz | said | the claims" in content
    assert json.loads(content.split("Shape: ", 1)[1]) == {
        "F1": {"kind": "...", "by": "..."},
        "F2": "...",
    }
    # Only what some frame is asked is explained.
    assert "- kind: allegation" in content and "- against:" in content


def test_the_shipped_sets_declare_their_passes() -> None:
    assert load_prompt_set("default").passes == ("overview", "frames")
    assert load_prompt_set("default").fallback == "onepass"
    assert load_prompt_set("listed").passes == ("overview", "claims")
    assert load_prompt_set("onepass").passes == ("brief",)


def test_fingerprint_ignores_the_article_and_follows_the_templates(tmp_path: Path) -> None:
    shipped = load_prompt_set("onepass")
    assert len(shipped.fingerprint) == 16
    mine = copy_set(tmp_path)
    assert load_prompt_set(mine).fingerprint == shipped.fingerprint
    brief = mine / "brief.j2"
    brief.write_text(brief.read_text() + "\nBe brief.\n")
    assert load_prompt_set(mine).fingerprint != shipped.fingerprint


def test_prompts_flag_uses_another_set(cli, server: FakeOpenAI, tmp_path: Path) -> None:
    mine = copy_set(tmp_path)
    (mine / "system.j2").write_text("You are the custom analyst.")
    server.script(Reply.completion(json.dumps(birds_draft())))
    ran = cli("summarize", str(BIRDS), "-m", "m", "--base-url", server.url, "--prompts", str(mine))
    assert ran.exit_code == 0, ran.stderr
    assert server.requests[0].body["messages"][0]["content"] == "You are the custom analyst."
    meta = ran.json()["meta"]
    assert meta["prompt_set"] == "mine"
    assert meta["prompt_fingerprint"] == load_prompt_set(mine).fingerprint


def test_a_shipped_set_can_be_named() -> None:
    assert load_prompt_set("default").directory == builtin_prompts_root() / "default"


def test_missing_folder_manifest_or_template(cli, tmp_path: Path) -> None:
    ran = cli("summarize", str(BIRDS), "--prompts", str(tmp_path / "absent"))
    assert ran.exit_code == 2
    assert "no such prompt folder" in ran.stderr
    half = tmp_path / "half"
    half.mkdir()
    (half / "system.j2").write_text("hi")
    with pytest.raises(ConfigError, match=r"set\.toml: missing; a prompt set declares"):
        load_prompt_set(half)
    (half / "set.toml").write_text('passes = ["overview", "claims"]\n')
    with pytest.raises(ConfigError, match=r"overview\.j2: missing"):
        load_prompt_set(half)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ('passes = ["claims"]\n', "choose one of"),
        ('passes = ["overview", "frames"]\n', "names a fallback set"),
        ('passes = ["brief"]\ncolour = "red"\n', "unknown keys colour"),
        ("passes = [\n", "cannot read the manifest"),
    ],
)
def test_a_bad_manifest_says_what_to_write(tmp_path: Path, manifest: str, message: str) -> None:
    mine = copy_set(tmp_path)
    (mine / "set.toml").write_text(manifest)
    with pytest.raises(ConfigError, match=message) as raised:
        load_prompt_set(mine)
    assert str(mine / "set.toml") in str(raised.value)


def test_template_errors_name_the_file_and_line(tmp_path: Path) -> None:
    mine = copy_set(tmp_path)
    (mine / "brief.j2").write_text("line one\n{{ article }\n")
    with pytest.raises(ConfigError, match=r"brief\.j2:2: template error"):
        load_prompt_set(mine)
    (mine / "brief.j2").write_text("{{ article }} {{ headline_hint }}")
    with pytest.raises(ConfigError, match="unknown variable"):
        load_prompt_set(mine)
