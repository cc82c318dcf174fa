"""The default second pass (`parties.j2`): claim sentences found by their words, their
makers read off the sentence's shape or asked of the model, runs merged into items.
Model answers are scripted."""

from __future__ import annotations

import json
import shutil

import pytest

from summarizer.attribution import is_unnamed_source, read_parties
from summarizer.labels import (
    Label,
    claim_cue,
    claim_kind,
    claim_sentences,
    claims_from_labels,
    label_sentences,
    maker_of_pronoun,
    read_claim,
)
from summarizer.prompts import builtin_prompts_root, load_prompt_set
from summarizer.schema import ActorDraft
from summarizer.sentences import split_sentences
from tests.conftest import FIXTURES
from tests.fakeserver import FakeOpenAI, Reply

PORT = FIXTURES / "gold" / "port-contract-counter.txt"
PORT_TEXT = PORT.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Mr. Sorell rejected the claim.", "denial"),
        ("The minister denied the report on Friday.", "denial"),
        ('Mr. Oduya called that "a smear."', "denial"),
        ("She rejected the accusation in a statement.", "denial"),
        ("A member accused the chairman, drawing a flat denial.", "allegation"),
        ("It is alleged that the fund was misused.", "allegation"),
        ("Managers hid the list, according to two officials.", "allegation"),
        ("Informed sources claimed that the party was split.", "allegation"),
        ("The council approved the budget on Tuesday.", None),
        ("Analysts said the dispute could delay the sale.", None),
        ("The denial came late.", "denial"),
        ("A councillor accused the director, an accusation he flatly rejected.", "allegation"),
        ("The claims were dismissed by the company's director.", "denial"),
        ("Kestrel rejected the claims as false.", "denial"),
        ("Analysts believe a clash could follow, an impression denied by both sides.", "denial"),
        ("She has pleaded not guilty to one count of fraud.", "denial"),
        ("The firm hid the reports, people familiar with the matter said.", "allegation"),
        ("The party insiders on Tuesday said a split was likely.", "allegation"),
        ("The director's rejection of the plan surprised nobody.", None),
        ("He was dismissed from the board in May.", None),
        # Reported wrongdoing in plain words, and the same words negated.
        ("The club said Mensk had breached his contract.", "allegation"),
        ("The fund says the founder knew by January and told nobody.", "allegation"),
        ('"There is no breach, and no unpaid overtime," she said.', "denial"),
        ("He said the audit had found no breach of the rules.", "denial"),
        ('"I have never concealed anything," he told reporters.', "denial"),
        ("The league said it was aware of the dispute.", None),
        # Wrongdoing only inside a quotation is evidence quoted, not a reported claim; a
        # sentence that ends a quotation opened before it is quoted up to the mark.
        ('"They knew it all along," he said.', None),
        ('I went home, and they knew it," he said.', None),
        ("The breach was repaired in May.", None),
        # What prosecutors or a lawsuit say is contested whatever its words.
        ("She invented the invoices, prosecutors told the court.", "allegation"),
        ("The lawsuit says the firm copied three designs.", "allegation"),
        ("The prosecutor's office opened in May.", None),
        # Shapes that look like claims and are not, or are the other kind.
        ("Two rival firms have accused each other of stealing designs.", None),
        ("A diving save from Emeric Sallow denied Delacroix a second goal.", None),
        ("The minister denied Mr. Hale's account.", "denial"),
        ('She described the claims as "a politically motivated stunt."', "denial"),
        ("Brightwater answered last month with a counterclaim.", "allegation"),
        ("The trust called the claims false and hurtful.", "denial"),
        ("A spokesperson said the allegations were without merit.", "denial"),
        ("The firm said the accusations against its founder were false.", "denial"),
        ('"I don\'t believe a word of it," said Carla Dunmore.', "denial"),
        # The noun "claims" is no cue; the verb is.
        ("It did not comment on the substance of her claims.", None),
        ("A second set of claims has come from a neighbouring farm.", None),
        ("The union claims that managers cut the breaks.", "allegation"),
        ("The company asserted that Quillon had infringed two patents.", "allegation"),
    ],
)
def test_the_words_of_a_sentence_say_what_it_reports(sentence: str, kind: str | None) -> None:
    assert claim_kind(sentence) == kind


def test_claim_sentences_skip_the_headline_and_plain_facts() -> None:
    found = [(s.number, kind) for s, kind, _ in claim_sentences(split_sentences(PORT_TEXT))]
    # The headline "... trade accusations ..." restates sentence 2; 3 and 4 are facts.
    assert found == [
        (2, "allegation"),
        (8, "denial"),
        (11, "denial"),
        (12, "allegation"),
        (15, "denial"),
    ]


def actor(name: str, *aliases: str, kind: str = "person") -> ActorDraft:
    return ActorDraft(name=name, kind=kind, role="", affiliation="", aliases=list(aliases))  # type: ignore[arg-type]


ACTORS = [
    actor("Rafael Oduya", "Mr. Oduya"),
    actor("Benedikt Sorell", "Mr. Sorell"),
    actor("Greyhaven Marine", kind="organization"),
]


def test_a_run_of_sentences_by_the_same_maker_is_one_item() -> None:
    claims = claims_from_labels(
        {
            8: Label("denial", ["Mr. Sorell"]),
            11: Label("denial", ["Benedikt Sorell"]),  # the same actor by another name
            12: Label("allegation", ["Sorell"], ["Mr. Oduya"]),
            13: Label("allegation", ["Benedikt Sorell"], ["Rafael Oduya"]),
            14: Label("allegation", ["Mr. Sorell"], ["Greyhaven Marine", "Oduya"]),
            15: Label("denial", ["Mr. Oduya"]),
            16: Label("denial", ["Mr. Sorell"]),  # not the party of the denial before it
        },
        ACTORS,
    )
    assert [(d.denied_by, d.sentences) for d in claims.denials] == [
        (["Mr. Sorell"], [8, 11]),
        (["Mr. Oduya"], [15]),
        (["Mr. Sorell"], [16]),
    ]
    # One statement against everyone its sentences name, each once.
    assert [(a.made_by, a.against, a.sentences) for a in claims.allegations] == [
        (["Sorell"], ["Mr. Oduya", "Greyhaven Marine"], [12, 13, 14])
    ]


def test_a_claim_between_breaks_the_run() -> None:
    claims = claims_from_labels(
        {
            3: Label("denial", ["Mr. Sorell"]),
            4: Label("allegation", ["Mr. Oduya"], ["Mr. Sorell"]),
            5: Label("denial", ["Mr. Sorell"]),
        },
        ACTORS,
    )
    assert [d.sentences for d in claims.denials] == [[3], [5]]


@pytest.mark.parametrize(
    ("made_by", "attribution", "source"),
    [
        (["Rafael Oduya"], "named", ""),
        (["two officials at the ministry"], "anonymous", "two officials at the ministry"),
        (["MQM Punjab sources"], "anonymous", "MQM Punjab sources"),
        ([], "unattributed", ""),
    ],
)
def test_who_makes_an_allegation_sets_its_attribution(made_by, attribution, source) -> None:
    (allegation,) = claims_from_labels(
        {2: Label("allegation", made_by, ["Mr. Sorell"])}
    ).allegations
    assert (allegation.attribution, allegation.source) == (attribution, source)


def answered(sentence: str, against: list[str]) -> Label:
    kind, cue = claim_cue(sentence)  # type: ignore[misc]
    return Label(kind, ["Mr. Oduya"], against).answered_in_place(sentence, cue)


def test_a_denial_reported_in_the_allegation_s_sentence_is_the_accused_s() -> None:
    label = answered(
        "Mr. Oduya accused the chairman of steering the contract, a claim he dismissed as "
        "a distortion.",
        ["Benedikt Sorell"],
    )
    claims = claims_from_labels({2: label}, ACTORS)
    assert [(a.made_by, a.against, a.sentences) for a in claims.allegations] == [
        (["Mr. Oduya"], ["Benedikt Sorell"], [2])
    ]
    assert [(d.denied_by, d.sentences) for d in claims.denials] == [(["Benedikt Sorell"], [2])]


def test_a_denial_in_passing_gives_way_to_the_denier_s_own_later_denial() -> None:
    label = answered(
        "Mr. Oduya accused Mr. Sorell of steering it, an accusation the chairman rejected.",
        ["Mr. Sorell"],
    )
    claims = claims_from_labels({2: label, 5: Label("denial", ["Sorell"])}, ACTORS)
    assert [(d.denied_by, d.sentences) for d in claims.denials] == [(["Sorell"], [5])]


@pytest.mark.parametrize(
    ("sentence", "against"),
    [
        # A denial noun is no one's act of denying; a denial before the accusation is
        # not an answer to it; an allegation against nobody named has no one to deny it.
        ("Mr. Oduya accused Mr. Sorell of steering it, drawing a flat denial.", ["Mr. Sorell"]),
        ("Mr. Oduya accused Mr. Sorell of steering it.", ["Mr. Sorell"]),
        ("Mr. Oduya accused the board of steering it, which the board rejected.", []),
    ],
)
def test_no_denial_is_added_where_the_sentence_reports_none(sentence, against) -> None:
    assert answered(sentence, against).answer is None


# --- The shape of a sentence names the maker -------------------------------------------------


def reading(sentence: str):
    kind, cue = claim_cue(sentence)  # type: ignore[misc]
    return kind, read_parties(sentence, kind, cue)


@pytest.mark.parametrize(
    ("sentence", "by", "against"),
    [
        ("Mr. Sorell rejected the claim.", ["Mr. Sorell"], []),
        (
            "The chief executive, Dr. Aurelio Pasquini, denied the account.",
            ["Dr. Aurelio Pasquini"],
            [],
        ),
        (
            "However, Wasay, rejecting all the information, said the party was united.",
            ["Wasay"],
            [],
        ),
        ("Orrin's founder rejected the accusation on Tuesday.", ["Orrin's founder"], []),
        ('Mr. Oduya called that "a smear."', ["Mr. Oduya"], []),
        (
            "It was an impression denied by both MQM and the new group.",
            ["MQM", "the new group"],
            [],
        ),
        (
            "Managers at St. Bride's hid patients, according to two officials at the ministry.",
            ["two officials at the ministry"],
            ["St. Bride's"],
        ),
        (
            "Imran Farooq, according to Naeem, was planning a new party.",
            ["Naeem"],
            ["Imran Farooq"],
        ),
        (
            "Senator Hale accused Governor Price of hiding the audit.",
            ["Senator Hale"],
            ["Governor Price"],
        ),
        ("Informed sources claimed that the MQM had rival groups.", ["Informed sources"], ["MQM"]),
        ("Rostova Athletic said Mensk had breached his contract.", ["Rostova Athletic"], ["Mensk"]),
        ("The officer took the money, prosecutors told the court.", ["prosecutors"], []),
        (
            "Mr. Marchetti suggested that Ms. Brodie had drawn up the papers and was now "
            "blaming his client.",
            ["Mr. Marchetti"],
            ["Ms. Brodie"],
        ),
        (
            "Two players, who spoke on condition of anonymity, said they had been warned by "
            "the director, Ivo Stanek.",
            ["Two players"],
            ["Ivo Stanek"],
        ),
        (
            "Separately, a former Pacely engineer says Mr. Quintero lied to the board.",
            ["former Pacely engineer"],
            ["Mr. Quintero"],
        ),
        ('"I don\'t believe a word of it," said Carla Dunmore.', ["Carla Dunmore"], []),
        ("Local farmers said the dairy was to blame for the fish kill.", ["Local farmers"], []),
        ("The firm hid the reports, senior police officers said.", ["senior police officers"], []),
        (
            "In a letter, Tallis Creek Capital, which owns 6 per cent of Orrin, said Castellane "
            "knew by January.",
            ["Tallis Creek Capital"],
            ["Castellane"],
        ),
        (
            "Sources in the Punjab chapter told this paper that Bisma Asif was on the list.",
            ["Sources in the Punjab"],
            ["Bisma Asif"],
        ),
        (
            "The firm hid the reports, people familiar with the matter said.",
            ["people familiar with the matter"],
            [],
        ),
        (
            "Two employees who asked not to be named said the logs were changed.",
            ["Two employees"],
            [],
        ),
        (
            "The claims were dismissed by the company's director, Helena Stroud, on Monday.",
            ["Helena Stroud"],
            [],
        ),
        ("Stroud in turn accused the union of staging sick calls.", ["Stroud"], []),
        (
            "Miriam Kostadin, 52, who kept the accounts, has pleaded not guilty.",
            ["Miriam Kostadin"],
            [],
        ),
        ("Feld also charged that ParkRight had revised its bid late.", ["Feld"], ["ParkRight"]),
        (
            "Ms. Brodie testified that Mr. Varga had asked her to backdate two loans.",
            ["Ms. Brodie"],
            ["Mr. Varga"],
        ),
        (
            "According to a complaint filed with the agency by farmer Gwen Pryce, tankers "
            "from the plant emptied a tank.",
            ["Gwen Pryce"],
            [],
        ),
        (
            "Councillor Feld accused Brenford's mayor on Tuesday of lying.",
            ["Councillor Feld"],
            ["Brenford's mayor"],
        ),
        (
            "A club spokesperson said the allegations about the director were without merit.",
            ["A club spokesperson"],
            [],
        ),
        (
            "A spokeswoman for ParkRight rejected the claims.",
            ["A spokeswoman for ParkRight"],
            [],
        ),
        # Who takes someone to court makes the claim the participle reports.
        (
            "Eleven families filed a lawsuit on Friday against Ashby Farm Dairies, claiming "
            "the company kept shipping cheese.",
            ["Eleven families"],
            ["Ashby Farm Dairies"],
        ),
        (
            "The Pettigrews sued Halden Home Appliances in March, alleging the heater was faulty.",
            ["Pettigrews"],
            ["Halden Home Appliances"],
        ),
        (
            "Tessaline Hospitality Group filed a complaint in the Commercial Court on Monday "
            "accusing Bellandi of disparaging the chain.",
            ["Tessaline Hospitality Group"],
            ["Bellandi"],
        ),
    ],
)
def test_where_the_shape_names_the_parties_they_are_read_off_it(sentence, by, against) -> None:
    _, read = reading(sentence)
    assert (read.by, read.against) == (by, against)
    assert not read.by_pronoun


@pytest.mark.parametrize(
    "sentence",
    [
        "A member of the Port Commission accused the chairman of steering the contract.",
        "A shareholder group on Monday accused the founder of hiding results.",
        "Altaf loyalists who lead the other two MQM groups rejected the news.",
    ],
)
def test_a_name_after_a_preposition_or_far_from_the_verb_is_not_read_as_the_maker(
    sentence,
) -> None:
    _, read = reading(sentence)
    assert read.by is None


@pytest.mark.parametrize(
    "sentence",
    [
        "He then accused Mr. Oduya of acting for a bidder.",
        '"I had nothing to do with choosing the winner," he said.',
        "They denied it again on Friday.",
    ],
)
def test_a_pronoun_maker_is_left_to_the_claim_before(sentence) -> None:
    _, read = reading(sentence)
    assert read.by is None and read.by_pronoun


@pytest.mark.parametrize(
    ("text", "allegations"),
    [
        ("The fund held £186,000, according to figures published by the school.", []),
        # A record that charges someone is its publisher's allegation.
        (
            "Professor Kessler manipulated images in four papers, according to a report "
            "released by the university on Thursday.",
            [(["the university"], ["Professor Kessler"])],
        ),
        # A document filed by someone is theirs; messages seen by a paper are not the paper's.
        (
            "According to a complaint filed by farmer Gwen Pryce, Brightfold dumped waste.",
            [(["Gwen Pryce"], ["Brightfold"])],
        ),
        (
            "Managers hid leaks, according to two employees and messages seen by this paper.",
            [(["two employees and messages seen by this paper"], [])],
        ),
    ],
)
def test_according_to_a_record_is_a_fact_unless_it_charges_someone(text, allegations) -> None:
    claims = claims_from_labels(labelled(text))
    assert [(a.made_by, a.against) for a in claims.allegations] == allegations


@pytest.mark.parametrize(
    ("sentence", "a_claim"),
    [
        ("About 3,000 visitors came on the first day, according to museum staff.", False),
        ("According to the union, 60 drivers were rostered in breach of the rules.", True),
        ("According to the union, managers cut the rest breaks.", True),
    ],
)
def test_a_figure_with_its_source_is_no_claim(sentence: str, a_claim: bool) -> None:
    (found,) = split_sentences(sentence)
    kind, cue = claim_cue(sentence)  # type: ignore[misc]
    assert (read_claim(found, kind, cue, {}) is not None) is a_claim
    _, read = reading("According to the union, 60 drivers worked without breaks.")
    assert (read.by, read.not_a_claim) == (["the union"], False)


@pytest.mark.parametrize(
    ("made_by", "unnamed"),
    [
        ("party insiders", True),
        ("MQM Punjab sources", True),
        ("Two employees", True),
        ("people familiar with the matter", True),
        ("Dariusz Feld", False),
        ("Altaf loyalists", False),
        ("the union", False),
    ],
)
def test_a_described_source_is_unnamed(made_by: str, unnamed: bool) -> None:
    assert is_unnamed_source(made_by) is unnamed


def test_a_pronoun_stands_for_the_maker_of_the_claim_before_or_the_one_it_accused() -> None:
    labels = {8: Label("denial", ["Mr. Sorell"])}
    assert maker_of_pronoun(labels, 11, "denial") == ["Mr. Sorell"]
    # Too far back to tell.
    assert maker_of_pronoun(labels, 12, "denial") is None
    labels[11] = Label("denial", ["Mr. Sorell"])
    # "He then accused ..." after his own denial: the same man.
    assert maker_of_pronoun(labels, 12, "allegation") == ["Mr. Sorell"]
    labels[12] = Label("allegation", ["Mr. Sorell"], ["Mr. Oduya"])
    # "He denied it" after an accusation: the one accused.
    assert maker_of_pronoun(labels, 13, "denial") == ["Mr. Oduya"]


def test_a_pronoun_after_a_quoted_speaker_is_that_speaker() -> None:
    first, second = split_sentences(
        '"Every payment was signed off by the board," Mr. Duquesne said. '
        'He said the trust was "blaming one employee."'
    )
    kind, cue = claim_cue(second.text)  # type: ignore[misc]
    # The claim labelled before is someone else's: the speaker named just before wins.
    labels = {first.number: Label("denial", ["Miriam Kostadin"])}
    known = read_claim(second, kind, cue, labels, first)
    assert known is not None and known.by == ["Mr. Duquesne"]
    # With no speaker named in the sentence before, the claim before tells.
    known = read_claim(second, kind, cue, labels, None)
    assert known is not None and known.by == ["Miriam Kostadin"]


def labelled(text: str) -> dict[int, Label]:
    """The claims of `text` as its words and shapes tell them, the model asked nothing."""
    return label_sentences(split_sentences(text), lambda *_: None)


@pytest.mark.parametrize(
    ("text", "denials"),
    [
        # A spokeswoman's denial is her party's, said again.
        (
            "City Hall rejected the accusation within hours. In a statement, "
            'spokeswoman Greta Holmfeld described the claims as "a stunt."',
            [(["City Hall", "Greta Holmfeld"], [1, 2])],
        ),
        # "He" after a speaker given a role is that speaker; sentence 2 is cited too: it
        # names the "he" of sentence 3.
        (
            "Dunmore Minerals disputed the findings. Piet Vandersloot, a company spokesman, "
            "said the memo was old. He said the monitoring had found no breach of the limits.",
            [(["Dunmore Minerals", "Piet Vandersloot"], [1, 2, 3])],
        ),
    ],
)
def test_who_speaks_for_a_denier_joins_their_denial(text: str, denials: list) -> None:
    claims = claims_from_labels(labelled(text))
    assert [(d.denied_by, d.sentences) for d in claims.denials] == denials


def test_a_pronoun_after_a_described_spokesperson_is_that_spokesperson() -> None:
    labels = labelled(
        "Feld accused the mayor of steering the deal. A spokeswoman for ParkRight said the "
        'bid was never amended. She said the allegations were "without foundation."'
    )
    claims = claims_from_labels(labels)
    assert [(d.denied_by, d.sentences) for d in claims.denials] == [
        (["A spokeswoman for ParkRight"], [2, 3])
    ]


def test_a_claim_made_by_a_pronoun_cites_the_sentence_naming_its_maker() -> None:
    labels = labelled(
        "Mr. Oduya accused Mr. Sorell of steering the deal. The vote is in May. "
        "He denied it on Friday."
    )
    claims = claims_from_labels(labels)
    assert [(d.denied_by, d.sentences) for d in claims.denials] == [(["Mr. Sorell"], [1, 3])]
    assert [a.sentences for a in claims.allegations] == [[1]]


# --- Through the command line, against a scripted endpoint --------------------------------------


def overview() -> str:
    return json.dumps(
        {
            "headline": "Port chief and commissioner trade accusations",
            "summary": "A commissioner accused the chairman over a dredging contract.",
            "key_points": ["The chairman denies it"],
            "actors": [a.model_dump() for a in ACTORS],
        }
    )


def reply(parties: dict[str, list[str]]) -> Reply:
    return Reply.completion(json.dumps(parties))


# In the port article, the shape of sentences 8, 11, 12 and 15 names their makers; only
# sentence 2 ("A member of the Haldane Port Commission accused ...") goes to the model.
SENTENCE_2 = {"accuser": ["Rafael Oduya"], "accused": ["Benedikt Sorell"]}


def summarize(cli, server: FakeOpenAI, *extra: str):
    return cli("summarize", str(PORT), "-m", "m", "--base-url", server.url, *extra)


def test_the_model_is_asked_only_what_the_shape_of_the_sentence_does_not_tell(cli, server) -> None:
    server.script(Reply.completion(overview()), reply(SENTENCE_2))
    ran = summarize(cli, server)
    assert ran.exit_code == 0, ran.stderr
    first, question = (seen.body for seen in server.requests)
    schema = question["response_format"]["json_schema"]["schema"]
    assert set(schema["properties"]) == {"accuser", "accused"}
    # The question opens with the first pass's article block and ends with its sentence.
    pass_one = first["messages"][-1]["content"]
    asked = question["messages"][-1]["content"]
    assert asked.startswith(pass_one[: pass_one.index("[18]")])
    assert "Before it: [1] Port chief and commissioner" in asked
    assert asked.splitlines()[-1].startswith("The sentence: [2] HALDANE HARBOUR")
    record = ran.json()
    assert record["meta"]["attempts"] == 2
    names = {a["id"]: a["name"] for a in record["actors"]}
    allegations = [
        ([names[i] for i in a["made_by"]], [names[i] for i in a["against"]], a["attribution"])
        for a in record["allegations"]
    ]
    assert allegations == [
        (["Rafael Oduya"], ["Benedikt Sorell"], "named"),
        # Sentence 12: "He then accused Mr. Oduya", after Mr. Sorell's denial.
        (["Benedikt Sorell"], ["Rafael Oduya"], "named"),
    ]
    denials = record["denials"]
    assert [[names[i] for i in d["denied_by"]] for d in denials] == [
        ["Benedikt Sorell"],
        ["Rafael Oduya"],
    ]
    # "Mr. Sorell rejected the claim." and, three sentences on, "..., he said."
    assert [[e["sentence"] for e in d["evidence"]] for d in denials] == [[8, 11], [15]]
    assert [d["responds_to"] for d in denials] == [["AL1"], ["AL2"]]
    # Sentence 2 names neither party ("A member ... accused the commission's chairman"):
    # the model's answer is kept, and flagged as not supported by its sentence.
    items = record["allegations"] + denials
    assert [item["supported"] for item in items] == [False, True, True, True]
    for item in items:
        assert item["grounded"] is True
        for evidence in item["evidence"]:
            assert PORT_TEXT[evidence["start"] : evidence["end"]] == evidence["quote"]
    # A claim without words of its own reads as its first cited sentence.
    assert denials[0]["content"] == "Mr. Sorell rejected the claim."


def test_a_name_the_article_does_not_hold_is_asked_again(cli, server) -> None:
    wrong = {"accuser": ["The Harbour Ghost"], "accused": ["Benedikt Sorell"]}
    server.script(Reply.completion(overview()), reply(wrong), reply(SENTENCE_2))
    ran = summarize(cli, server)
    assert ran.exit_code == 0, ran.stderr
    reask = server.requests[2].body["messages"][-1]["content"]
    assert (
        "accuser: 'The Harbour Ghost' is not one of the actors and not a name in the article"
        in reask
    )
    assert ran.json()["meta"]["attempts"] == 3
    assert ran.json()["meta"]["problems"] == []


def test_the_dateline_s_place_is_no_party_and_is_asked_again(cli, server) -> None:
    wrong = {"accuser": ["HALDANE HARBOUR"], "accused": ["Benedikt Sorell"]}
    server.script(Reply.completion(overview()), reply(wrong), reply(SENTENCE_2))
    ran = summarize(cli, server)
    assert ran.exit_code == 0, ran.stderr
    reask = server.requests[2].body["messages"][-1]["content"]
    assert "accuser: 'HALDANE HARBOUR' is the dateline" in reask
    assert ran.json()["meta"]["problems"] == []


def test_after_the_last_re_ask_the_answer_is_kept_and_the_problem_reported(cli, server) -> None:
    wrong = {"accuser": ["The Harbour Ghost"], "accused": ["Benedikt Sorell"]}
    server.script(Reply.completion(overview()), reply(wrong), reply(wrong))
    ran = summarize(cli, server, "--max-reasks", "1")
    assert ran.exit_code == 0, ran.stderr
    record = ran.json()
    assert record["meta"]["problems"] == [
        "sentence 2: accuser: 'The Harbour Ghost' is not one of the actors and not a name "
        "in the article; use a name the article uses"
    ]
    names = {a["id"]: a["name"] for a in record["actors"]}
    assert [names[i] for i in record["allegations"][0]["made_by"]] == ["The Harbour Ghost"]


def test_an_impersonal_allegation_has_no_maker(cli, server, tmp_path) -> None:
    article = tmp_path / "fund.txt"
    article.write_text(
        "Fund questions\n\nIt is alleged that Mr. Oduya moved the fund. "
        "Mr. Oduya denied it on Friday.\n",
        encoding="utf-8",
    )
    server.script(Reply.completion(overview()))
    ran = cli("summarize", str(article), "-m", "m", "--base-url", server.url)
    assert ran.exit_code == 0, ran.stderr
    assert len(server.requests) == 1  # both sentences read off their shape
    (allegation,) = ran.json()["allegations"]
    assert allegation["made_by"] == []
    assert allegation["attribution"] == "unattributed"
    (denial,) = ran.json()["denials"]
    assert denial["responds_to"] == [allegation["id"]]


def test_an_article_without_claim_sentences_asks_once(cli, server, tmp_path) -> None:
    article = tmp_path / "budget.txt"
    article.write_text("Budget passes\n\nThe council approved the budget on Tuesday.\n")
    server.script(Reply.completion(overview()))
    ran = cli("summarize", str(article), "-m", "m", "--base-url", server.url)
    assert ran.exit_code == 0, ran.stderr
    assert len(server.requests) == 1
    assert ran.json()["allegations"] == ran.json()["denials"] == []


def test_the_fingerprint_covers_both_kinds_of_question(tmp_path) -> None:
    mine = tmp_path / "mine"
    shutil.copytree(builtin_prompts_root() / "default", mine)
    shipped = load_prompt_set("default").fingerprint
    assert load_prompt_set(mine).fingerprint == shipped
    parties = mine / "parties.j2"
    parties.write_text(parties.read_text().replace("denier: who denies", "denier: who rejects"))
    assert load_prompt_set(mine).fingerprint != shipped


def test_a_set_with_both_second_passes_is_refused(cli, tmp_path) -> None:
    both = tmp_path / "both"
    shutil.copytree(builtin_prompts_root() / "default", both)
    shutil.copy(builtin_prompts_root() / "listed" / "claims.j2", both / "claims.j2")
    ran = cli("summarize", str(PORT), "--prompts", str(both))
    assert ran.exit_code == 2
    assert "holds both claims.j2 and parties.j2" in ran.stderr
