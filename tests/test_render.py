"""The Markdown brief, through the CLI."""

from __future__ import annotations

import json

from tests.conftest import BIRDS, ONEPASS, birds_draft
from tests.fakeserver import FakeOpenAI, Reply


def test_markdown_brief_names_actors_and_quotes_the_text(cli, server: FakeOpenAI) -> None:
    server.script(Reply.completion(json.dumps(birds_draft())))
    ran = cli(
        "summarize", str(BIRDS), "-m", "m", "--base-url", server.url, "--format", "md", *ONEPASS
    )
    assert ran.exit_code == 0, ran.stderr
    brief = ran.stdout
    assert brief.startswith("# Dozens of MQM members may defect to Mustafa Kamal\n")
    assert (
        "- **Mustafa Kamal** (person): former Karachi mayor, new party; also Kamal, Mr Kamal"
        in brief
    )
    assert (
        "**MQM Punjab sources** (anonymous: MQM Punjab sources) against **Anees Qaimkhani**"
        in brief
    )
    assert "  > [16] \u201cAnees Qaimkhani is the real man who is effecting defections" in brief
    assert "## Denials" in brief and "**Muttahida Qaumi Movement** denies" in brief
