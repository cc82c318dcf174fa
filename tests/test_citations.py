"""Sentence citations end to end, with scripted model answers: re-asks, flags, --strict."""

from __future__ import annotations

import json
from pathlib import Path

from summarizer.sentences import split_sentences
from tests.conftest import BIRDS, ONEPASS, birds_draft
from tests.fakeserver import FakeOpenAI, Reply

ARTICLE = BIRDS.read_text(encoding="utf-8")


def answer(**allegation_changes) -> str:
    draft = birds_draft()
    draft["allegations"][0].update(allegation_changes)
    return json.dumps(draft)


def summarize(cli, server: FakeOpenAI, *extra: str):
    return cli("summarize", str(BIRDS), "-m", "m", "--base-url", server.url, *ONEPASS, *extra)


def test_the_prompt_numbers_the_sentences_and_the_schema_lists_them(cli, server) -> None:
    server.script(Reply.completion(answer()))
    ran = summarize(cli, server, "--mode", "json_object")
    assert ran.exit_code == 0, ran.stderr
    body = server.requests[0].body
    prompt = body["messages"][-1]["content"]
    assert "[16] \u201cAnees Qaimkhani is the real man who is effecting defections" in prompt
    assert "[27] ePaper - Nawaiwaqt" in prompt
    schema = body["response_format"]["schema"]
    assert schema["$defs"]["DenialDraft"]["properties"]["sentences"]["items"]["enum"][-1] == 27


def test_every_quote_is_the_cited_sentence_at_its_offsets(cli, server) -> None:
    server.script(Reply.completion(answer(sentences=[16, 17])))
    record = summarize(cli, server).json()
    evidence = record["allegations"][0]["evidence"]
    assert [e["sentence"] for e in evidence] == [16, 17]
    for item in evidence + record["denials"][0]["evidence"]:
        assert ARTICLE[item["start"] : item["end"]] == item["quote"]
        assert item["alignment"] == "exact"
    assert record["allegations"][0]["grounded"] is True
    assert record["allegations"][0]["supported"] is True


def test_an_out_of_range_citation_is_re_asked_with_the_problem_named(cli, server) -> None:
    server.script(Reply.completion(answer(sentences=[41])), Reply.completion(answer()))
    ran = summarize(cli, server)
    assert ran.exit_code == 0, ran.stderr
    assert ran.json()["meta"]["attempts"] == 2
    reask = server.requests[1].body["messages"][-1]["content"]
    assert "41 not a sentence number; the article has sentences 1 to 27" in reask


def test_an_unresolvable_reference_is_re_asked(cli, server) -> None:
    server.script(Reply.completion(answer(made_by=["they"])), Reply.completion(answer()))
    ran = summarize(cli, server)
    assert ran.exit_code == 0, ran.stderr
    reask = server.requests[1].body["messages"][-1]["content"]
    assert "'they' is not one of the actors and not a name in the article" in reask


def test_after_the_last_re_ask_the_item_is_kept_and_flagged(cli, server) -> None:
    server.script(*[Reply.completion(answer(sentences=[0, 16]))] * 2)
    ran = summarize(cli, server, "--max-reasks", "1")
    assert ran.exit_code == 0, ran.stderr
    record = ran.json()
    allegation = record["allegations"][0]
    assert allegation["grounded"] is False
    assert [e["sentence"] for e in allegation["evidence"]] == [16]
    assert record["meta"]["attempts"] == 2
    assert record["meta"]["problems"] == [
        "allegations[0].sentences: 0 not a sentence number; the article has sentences 1 to 27"
    ]
    assert record["denials"][0]["grounded"] is True


def test_strict_drops_the_flagged_item(cli, server) -> None:
    server.script(*[Reply.completion(answer(sentences=[]))] * 2)
    ran = summarize(cli, server, "--max-reasks", "1", "--strict")
    assert ran.exit_code == 0, ran.stderr
    record = ran.json()
    assert record["allegations"] == []
    assert len(record["denials"]) == 1


def test_sentence_count_matches_the_splitter() -> None:
    assert len(split_sentences(ARTICLE)) == 27


def test_a_two_pass_prompt_set_asks_for_claims_with_the_actors_known(cli, server, tmp_path) -> None:
    from summarizer.prompts import builtin_prompts_root

    draft = birds_draft()
    overview = {key: draft[key] for key in ("headline", "summary", "key_points", "actors")}
    claims = {key: draft[key] for key in ("allegations", "denials")}
    server.script(
        Reply.completion(json.dumps(overview), prompt_tokens=1000, completion_tokens=200),
        Reply.completion(json.dumps(claims), prompt_tokens=1100, completion_tokens=80),
    )
    prompts = tmp_path / "twopass"
    prompts.mkdir()
    default = builtin_prompts_root() / "default"
    (prompts / "system.j2").write_text((default / "system.j2").read_text())
    (prompts / "set.toml").write_text('passes = ["overview", "claims"]\n')
    (prompts / "overview.j2").write_text("Article:\n{{ numbered }}\n\nDescribe it.")
    (prompts / "claims.j2").write_text(
        "Article:\n{{ numbered }}\n\nActors: {{ actors | join('; ') }}\nList the claims."
    )
    ran = summarize(cli, server, "--prompts", str(prompts))
    assert ran.exit_code == 0, ran.stderr
    first, second = (seen.body for seen in server.requests)
    assert set(first["response_format"]["json_schema"]["schema"]["properties"]) == set(overview)
    assert set(second["response_format"]["json_schema"]["schema"]["properties"]) == set(claims)
    pass_two = second["messages"][-1]["content"]
    assert "Actors: Mustafa Kamal; Anees Qaimkhani; Muttahida Qaumi Movement" in pass_two
    # Both passes open with the same article block, so the second reuses the prompt cache.
    pass_one = first["messages"][-1]["content"]
    last_sentence = "[27] ePaper - Nawaiwaqt"
    article_block = pass_one[: pass_one.index(last_sentence) + len(last_sentence)]
    assert pass_two.startswith(article_block)
    record = ran.json()
    assert record["meta"]["attempts"] == 2
    assert record["meta"]["usage"]["total_tokens"] == 2380
    assert [a["name"] for a in record["actors"]][:3] == [
        "Mustafa Kamal",
        "Anees Qaimkhani",
        "Muttahida Qaumi Movement",
    ]
    assert record["allegations"][0]["grounded"] is True


def test_a_line_break_inside_a_json_string_is_read_as_a_space(cli, server) -> None:
    # Small models write raw line breaks into strings even under a grammar; at
    # temperature 0 a re-ask would only get the same answer back.
    broken = answer().replace('"headline": "Dozens', '"headline": "Dozens\nof', 1)
    assert "\n" in broken
    server.script(Reply.completion(broken))
    ran = summarize(cli, server)
    assert ran.exit_code == 0, ran.stderr
    record = ran.json()
    assert record["meta"]["attempts"] == 1
    assert record["headline"].startswith("Dozens of")


def test_in_a_batch_each_article_s_names_are_checked_against_its_own_text(cli, tmp_path) -> None:
    # Two articles of three sentences each, in flight together: the answer model for that
    # sentence count is one, but the names an answer may use are each article's own.
    keller = "Mayor Ann Keller accused the harbour board of hiding costs. It denied that. "
    reyes = "Coach Tom Reyes accused the league of bias. It denied that. "
    (tmp_path / "keller.txt").write_text(keller + "The board meets on Monday.", encoding="utf-8")
    (tmp_path / "reyes.txt").write_text(reyes + "The season opens in May.", encoding="utf-8")
    names_keller = {
        "headline": "A row",
        "summary": "A row.",
        "key_points": [],
        "actors": [],
        "allegations": [
            {
                "claim": "hid costs",
                "made_by": ["Ann Keller"],
                "against": [],
                "attribution": "named",
                "source": "Ann Keller",
                "sentences": [1],
            }
        ],
        "denials": [],
    }
    answer = Reply.completion(json.dumps(names_keller))
    with FakeOpenAI(answer=lambda request: answer, gather=2) as server:
        ran = cli(
            "batch", str(tmp_path / "keller.txt"), str(tmp_path / "reyes.txt"),
            "-o", str(tmp_path / "out.jsonl"), "-m", "m", "--base-url", server.url,
            "-j", "2", "--no-cache", "--max-reasks", "0", *ONEPASS,
        )  # fmt: skip
    assert ran.exit_code == 0, ran.stderr
    assert server.most_in_flight == 2
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    problems = {Path(r["source"]).stem: r["meta"]["problems"] for r in map(json.loads, lines)}
    assert problems["keller"] == []
    assert problems["reyes"] == [
        "allegations[0].made_by: 'Ann Keller' is not one of the actors and not a name in the "
        "article; use a name the article uses"
    ]
