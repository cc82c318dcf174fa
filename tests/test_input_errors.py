"""Bad input through the real CLI: one line on stderr naming the file, exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import BIRDS, ONEPASS, birds_draft
from tests.fakeserver import FakeOpenAI, Reply


def assert_one_line_error(ran, *fragments: str) -> None:
    assert ran.exit_code == 2, ran.stdout + ran.stderr
    assert ran.stdout == ""
    assert ran.stderr.startswith("error: ")
    assert ran.stderr.count("\n") == 1, ran.stderr
    assert "Traceback" not in ran.stderr
    for fragment in fragments:
        assert fragment in ran.stderr


def test_missing_file(cli, tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    assert_one_line_error(cli("summarize", str(missing)), str(missing), "file not found")


def test_directory_given_as_a_file(cli, tmp_path: Path) -> None:
    assert_one_line_error(cli("summarize", str(tmp_path)), str(tmp_path), "is a directory")


@pytest.mark.parametrize("content", [b"", b"   \n\t \r\n  "])
def test_empty_or_whitespace_only(cli, tmp_path: Path, content: bytes) -> None:
    article = tmp_path / "blank.txt"
    article.write_bytes(content)
    assert_one_line_error(cli("summarize", str(article)), str(article), "empty")


def test_binary_data(cli, tmp_path: Path) -> None:
    article = tmp_path / "photo.txt"
    article.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert_one_line_error(cli("summarize", str(article)), str(article), "binary")


def test_undecodable_bytes(cli, tmp_path: Path) -> None:
    article = tmp_path / "mojibake.txt"
    # 0x81 and 0x8d are invalid in UTF-8 here and undefined in cp1252.
    article.write_bytes(b"Minister said " + b"\x81\x8d\x90 nothing.")
    assert_one_line_error(
        cli("summarize", str(article)), str(article), "not valid UTF-8", "convert it to UTF-8"
    )


def test_empty_stdin(cli) -> None:
    assert_one_line_error(cli("summarize", "-", input=b""), "<stdin>", "empty")


def test_bad_settings_are_one_line_too(cli) -> None:
    assert_one_line_error(
        cli(
            "summarize", str(BIRDS), "-m", "x", "--base-url", "http://127.0.0.1:9", "--mode", "xml"
        ),
        "unknown --mode 'xml'",
    )
    assert_one_line_error(cli("summarize", str(BIRDS), "-m", "local:"), "needs a path")
    assert_one_line_error(
        cli("summarize", str(BIRDS), "-m", "local:/no/such/model.gguf"),
        "/no/such/model.gguf: model file not found",
    )


def test_a_cp1252_article_is_decoded_and_summarized(cli, server: FakeOpenAI, tmp_path) -> None:
    text = "Caf\u00e9 owner \u201cdenies\u201d the claim \u2013 sources say.\n"
    article = tmp_path / "ansi.txt"
    article.write_bytes(text.encode("cp1252"))
    server.script(Reply.completion(json.dumps(birds_draft(allegations=[], denials=[]))))
    ran = cli("summarize", str(article), "-m", "m", "--base-url", server.url, *ONEPASS)
    assert ran.exit_code == 0, ran.stderr
    sent = server.requests[0].body["messages"][-1]["content"]
    assert "Caf\u00e9 owner \u201cdenies\u201d the claim \u2013 sources say." in sent


def test_stdin_article(cli, server: FakeOpenAI) -> None:
    server.script(Reply.completion(json.dumps(birds_draft())))
    text = BIRDS.read_text(encoding="utf-8")
    ran = cli("summarize", "-", "-m", "m", "--base-url", server.url, *ONEPASS, input=text.encode())
    assert ran.exit_code == 0, ran.stderr
    record = ran.json()
    assert record["source"] == "<stdin>"
    assert record["article_id"].startswith("stdin-")
    import hashlib

    assert record["sha256"] == hashlib.sha256(text.encode()).hexdigest()


def test_windows_line_ends_are_normalised_before_hashing(cli, server: FakeOpenAI, tmp_path) -> None:
    server.script(Reply.completion(json.dumps(birds_draft(allegations=[], denials=[]))))
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"Line one.\r\nLine two.\r\n")
    ran = cli("summarize", str(crlf), "-m", "m", "--base-url", server.url, *ONEPASS)
    import hashlib

    assert ran.json()["sha256"] == hashlib.sha256(b"Line one.\nLine two.\n").hexdigest()


def test_a_llama_build_with_amx_kernels_is_refused_before_it_crashes(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """llama.cpp's AMX kernels segfault on the first decode on AMX CPUs: such a build is a
    one-line error saying how to rebuild, before the model is loaded."""
    llama_cpp = pytest.importorskip("llama_cpp")
    info = llama_cpp.llama_print_system_info().replace(b"AVX2 = 1", b"AVX2 = 1 | AMX_INT8 = 1")
    monkeypatch.setattr(llama_cpp, "llama_print_system_info", lambda: info)
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF" + bytes(64))
    ran = cli("summarize", str(BIRDS), "-m", f"local:{model}")
    assert_one_line_error(ran, "AMX", "CMAKE_ARGS", "pip install --force-reinstall")
