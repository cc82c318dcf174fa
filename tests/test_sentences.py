"""Sentences split with exact offsets: abbreviations, quotes, paragraphs, lists, other scripts."""

# The test texts are full of typographic quotes and other scripts' full stops on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import random

import pytest

from summarizer.sentences import Sentence, number_sentences, split_sentences


def texts(text: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(text)]


def assert_exact_cover(text: str, sentences: list[Sentence]) -> None:
    """Offsets exact, in order, no overlap, every non-space character in some sentence."""
    assert [s.number for s in sentences] == list(range(1, len(sentences) + 1))
    covered = [False] * len(text)
    previous_end, previous_paragraph = 0, 0
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text and sentence.text == sentence.text.strip()
        assert previous_end <= sentence.start < sentence.end
        assert sentence.paragraph in (previous_paragraph, previous_paragraph + 1)
        assert not any(line_break in sentence.text for line_break in "\n\r")
        covered[sentence.start : sentence.end] = [True] * (sentence.end - sentence.start)
        previous_end, previous_paragraph = sentence.end, sentence.paragraph
    uncovered = [i for i, char in enumerate(text) if not char.isspace() and not covered[i]]
    assert uncovered == []


# --- Abbreviations, numbers, ellipses ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met Mrs. Jones, Ms. Lee and Dr. Khan. They talked.",
            ["Mr. Smith met Mrs. Jones, Ms. Lee and Dr. Khan.", "They talked."],
        ),
        (
            "Gen. Bajwa and Sen. Rabbani met at St. Paul's. Nothing was agreed.",
            ["Gen. Bajwa and Sen. Rabbani met at St. Paul's.", "Nothing was agreed."],
        ),
        (
            "Acme Inc. and Foo Ltd. sued Bar Co. over the deal. Both lost.",
            ["Acme Inc. and Foo Ltd. sued Bar Co. over the deal.", "Both lost."],
        ),
        (
            "Martin Luther King Jr. Day is a holiday. It is in January.",
            ["Martin Luther King Jr. Day is a holiday.", "It is in January."],
        ),
        ("It was Pakistan vs. India. India won.", ["It was Pakistan vs. India.", "India won."]),
        (
            "Some parties, e.g. MQM, objected. Others, i.e. PPP, did not.",
            ["Some parties, e.g. MQM, objected.", "Others, i.e. PPP, did not."],
        ),
        (
            "The U.S. and the U.K. raised it at the U.N. on Monday. Nobody answered.",
            ["The U.S. and the U.K. raised it at the U.N. on Monday.", "Nobody answered."],
        ),
        # A dotted acronym ends a sentence when a common sentence opener follows it ...
        ("He moved to the U.S. He liked it.", ["He moved to the U.S.", "He liked it."]),
        # ... and not when a name follows it.
        ("The U.S. Army denied it.", ["The U.S. Army denied it."]),
        ("Acme Inc. The company denied it.", ["Acme Inc.", "The company denied it."]),
        ("J. R. Smith scored. He left.", ["J. R. Smith scored.", "He left."]),
        ("J. A. Smith scored.", ["J. A. Smith scored."]),
        (
            "He met them at No. 10 Downing St. on Friday. No. It was Monday.",
            ["He met them at No. 10 Downing St. on Friday.", "No.", "It was Monday."],
        ),
        (
            "Growth was 3.5 percent. 12 people lost jobs.",
            ["Growth was 3.5 percent.", "12 people lost jobs."],
        ),
        ("Inflation rose 3.5. Then it fell.", ["Inflation rose 3.5.", "Then it fell."]),
        ("Visit www.dawn.com. It is free.", ["Visit www.dawn.com.", "It is free."]),
        # A dateline's abbreviated month before the day.
        (
            "VARNLEY, Nov. 14 - A chef sued the group. It denied it.",
            ["VARNLEY, Nov. 14 - A chef sued the group.", "It denied it."],
        ),
        (
            "It happened in Sept. 2021 and in Jan. 3 cases.",
            ["It happened in Sept. 2021 and in Jan. 3 cases."],
        ),
    ],
)
def test_abbreviations_and_numbers_stay_inside_sentences(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_times_stay_inside_a_sentence() -> None:
    assert texts("The court met at 10 a.m. on Tuesday and rose at 4 p.m. sharp. It adjourned.") == [
        "The court met at 10 a.m. on Tuesday and rose at 4 p.m. sharp.",
        "It adjourned.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The rule for "a.m." (and "U.S.", "Inc.", initials) before a capital: a new
        # sentence only if the next word is a common sentence opener (The, He, It, ...).
        (
            "Voting began at 8 a.m. The turnout was low.",
            ["Voting began at 8 a.m.", "The turnout was low."],
        ),
        ("Voting began at 8 a.m. Pakistan time.", ["Voting began at 8 a.m. Pakistan time."]),
        (
            "Voting began at 8 a.m. “It is early,” he said.",
            ["Voting began at 8 a.m.", "“It is early,” he said."],
        ),
        # A known miss of that rule: a sentence opening with a name stays attached.
        ("Voting began at 8 a.m. Khan voted first.", ["Voting began at 8 a.m. Khan voted first."]),
    ],
)
def test_a_time_at_the_end_of_a_sentence(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_ellipses() -> None:
    assert texts("He paused... Then he spoke. Wait… what? And then . . . nothing.") == [
        "He paused...",
        "Then he spoke.",
        "Wait… what?",
        "And then . . . nothing.",
    ]


# --- Quotes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We will win.” He said it twice.", ["“We will win.”", "He said it twice."]),
        ('"We will win." He said it twice.', ['"We will win."', "He said it twice."]),
        ("He said, “It is over.” They left.", ["He said, “It is over.”", "They left."]),
        ("She called it ‘over.’ They left.", ["She called it ‘over.’", "They left."]),
        (
            "“Is it true?” he asked. “Yes!” she said.",
            ["“Is it true?” he asked.", "“Yes!” she said."],
        ),
        ('"Is it true?" he asked. "Yes."', ['"Is it true?" he asked.', '"Yes."']),
        ("(He left early.) Then she spoke.", ["(He left early.)", "Then she spoke."]),
        # British style: the full stop after the closing quote.
        (
            "They were only ‘Altafists’. Others disagreed.",
            ["They were only ‘Altafists’.", "Others disagreed."],
        ),
    ],
)
def test_closing_quotes_stay_with_their_sentence(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_a_quote_splits_at_its_inner_full_stop_and_the_attribution_stays_with_the_end() -> None:
    assert texts("“We are sure. We will win,” he said. Then he left.") == [
        "“We are sure.",
        "We will win,” he said.",
        "Then he left.",
    ]


def test_a_question_quote_before_a_capitalised_name_ends_the_sentence() -> None:
    # Ambiguous without parsing; like most splitters we cut here ("Khan asked." stands alone).
    assert texts("“Why now?” Khan asked. Nobody knew.") == [
        "“Why now?”",
        "Khan asked.",
        "Nobody knew.",
    ]


def test_a_quotation_continued_in_a_new_paragraph() -> None:
    # News style: no closing quote at the end of the first paragraph, an opening quote again
    # at the start of the next. (From a seed article.)
    text = (
        "“We are surprised by the overwhelming support from MQM including its bigwigs like "
        "parliamentarians and party organisers. We are sitting in our rented home.\n"
        "“We are very much sure that almost all the men in MQM with clean record will join us.\n"
        "“We will visit Punjab after finishing our business (to join the new party).”\n"
        "Sources in MQM Punjab chapter told this paper."
    )
    sentences = split_sentences(text)
    assert [(s.paragraph, s.text[:20]) for s in sentences] == [
        (1, "“We are surprised by"),
        (1, "We are sitting in ou"),
        (2, "“We are very much su"),
        (3, "“We will visit Punja"),
        (4, "Sources in MQM Punja"),
    ]
    assert sentences[1].text.endswith("home.")
    assert sentences[3].text.endswith("party).”")


# --- Paragraphs, headlines, lists ----------------------------------------------------


def test_every_line_is_a_paragraph_and_ends_a_sentence() -> None:
    text = (
        "Dozens of MQM birds waiting in wings\n\n"
        "LAHORE - More than two dozen key members of Muttahida Qaumi Movement (MQM) could "
        "defect to Mustafa Kamal’s camp, leaders on both sides say.\n"
        "Mustafa, the former Karachi mayor, says he’s making their own party. "
        "He had already been joined by Dr Sagheer, Waseem Aftab and Iftikhar Alam\n\n\n"
        "Mr Kamal confirmed some of the names\r\n"
        "ePaper - Nawaiwaqt"
    )
    sentences = split_sentences(text)
    assert [(s.paragraph, s.text) for s in sentences] == [
        (1, "Dozens of MQM birds waiting in wings"),
        (
            2,
            "LAHORE - More than two dozen key members of Muttahida Qaumi Movement (MQM) could "
            "defect to Mustafa Kamal’s camp, leaders on both sides say.",
        ),
        (
            3,
            "Mustafa, the former Karachi mayor, says he’s making their own party.",
        ),
        (3, "He had already been joined by Dr Sagheer, Waseem Aftab and Iftikhar Alam"),
        (4, "Mr Kamal confirmed some of the names"),
        (5, "ePaper - Nawaiwaqt"),
    ]
    assert_exact_cover(text, sentences)


def test_a_line_break_ends_a_sentence_even_after_an_abbreviation() -> None:
    assert texts("He met Mr.\nSmith today") == ["He met Mr.", "Smith today"]


def test_text_glued_without_a_line_break_is_not_repaired() -> None:
    # A footer run into the next article's dateline stays one sentence: no full stop, no
    # line break, so there is no boundary to find.
    text = "ePaper - NawaiwaqtLAHORE - Though MQM is regarded as a well-knit party. It may split."
    assert texts(text) == [
        "ePaper - NawaiwaqtLAHORE - Though MQM is regarded as a well-knit party.",
        "It may split.",
    ]


def test_list_items_are_sentences_of_their_own() -> None:
    text = (
        "The demands:\n- end the strike\n* free the workers\n• No. 3 on the list\n"
        "1. First item\n2) Second item\n3. Third. With two sentences."
    )
    assert texts(text) == [
        "The demands:",
        "- end the strike",
        "* free the workers",
        "• No. 3 on the list",
        "1. First item",
        "2) Second item",
        "3. Third.",
        "With two sentences.",
    ]


# --- Other scripts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ایم کیو ایم نے الزام مسترد کر دیا۔ کیا یہ درست ہے؟ ترجمان نے کہا۔",
            ["ایم کیو ایم نے الزام مسترد کر دیا۔", "کیا یہ درست ہے؟", "ترجمان نے کہا۔"],
        ),
        # Urdu full stops need no space after them.
        ("پہلا جملہ۔دوسرا جملہ۔", ["پہلا جملہ۔", "دوسرا جملہ۔"]),
        ("यह पहला वाक्य है। यह दूसरा है।", ["यह पहला वाक्य है।", "यह दूसरा है।"]),
        ("这是第一句。这是第二句！真的吗？", ["这是第一句。", "这是第二句！", "真的吗？"]),
        ("他说：“好。”然后离开了。", ["他说：“好。”", "然后离开了。"]),
        (
            "The minister spoke. وزیر نے کہا۔ Then he left.",
            ["The minister spoke.", "وزیر نے کہا۔", "Then he left."],
        ),
    ],
)
def test_full_stops_of_other_scripts(text: str, expected: list[str]) -> None:
    assert texts(text) == expected
    assert_exact_cover(text, split_sentences(text))


# --- No punctuation, empty text ------------------------------------------------------


def test_a_long_line_without_full_stops_is_one_sentence() -> None:
    text = "  " + " ".join(["the party denied every allegation"] * 200) + "  "
    [sentence] = split_sentences(text)
    assert (sentence.start, sentence.end) == (2, len(text) - 2)


def test_lines_without_full_stops_are_one_sentence_each() -> None:
    assert texts("first line\nsecond line\n\nthird line") == [
        "first line",
        "second line",
        "third line",
    ]


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \t\r\n \u00a0\u2028 "])
def test_empty_or_blank_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


# --- Offsets and the numbered text ---------------------------------------------------


def test_offsets_are_exact_with_repeated_sentences() -> None:
    text = "Yes.  Yes.\tNo. Yes.\n\n  Yes."
    sentences = split_sentences(text)
    assert [(s.start, s.end, s.paragraph) for s in sentences] == [
        (0, 4, 1),
        (6, 10, 1),
        (11, 14, 1),
        (15, 19, 1),
        (23, 27, 2),
    ]
    assert_exact_cover(text, sentences)


def test_numbered_text_for_the_prompt() -> None:
    text = "Headline\n\nFirst one.  Second   one.\nNew paragraph."
    assert number_sentences(split_sentences(text)) == (
        "[1] Headline\n\n[2] First one.\n[3] Second one.\n\n[4] New paragraph."
    )
    assert number_sentences([]) == ""


def test_the_prompt_quotes_typographically_so_a_copied_quote_ends_no_json_string() -> None:
    text = 'He called it "a smear" and said: "We did nothing wrong."'
    numbered = number_sentences(split_sentences(text))
    assert '"' not in numbered
    assert "\u201ca smear\u201d" in numbered and "\u201cWe did nothing wrong.\u201d" in numbered


HARD_CASES = [
    "Dozens of MQM birds waiting in wings",
    "Mr. Smith met Mrs. Jones and Dr. Who at St. Paul's. Gen. Lee and Sen. Brown left.",
    "Acme Inc. and Foo Ltd. sued Bar Co. Jr. was there vs. them, e.g. him, i.e. her.",
    "The U.S. and the U.K. met at the U.N. He moved to the U.S. J. R. Smith scored.",
    "He lives at No. 10 Downing St. Growth was 3.5 percent at 10 a.m. on Tuesday.",
    "It began at 8 a.m. The turnout was low... Wait… what? And . . . nothing.",
    "“We are sure. We will win,” he said. “Is it?” she asked. 'Yes.' \"No!\" (Fine.)",
    "“We are surprised by the support. We are sitting at home.\n“We will visit Punjab.”",
    "- item one\n* item two\n• item three\n1. First item\n2) Second item",
    "ایم کیو ایم نے الزام مسترد کر دیا۔ کیا یہ درست ہے؟",
    "यह पहला वाक्य है। यह दूसरा है।",
    "这是第一句。这是第二句！“好。”",
    "a line without any full stop at all",
    "ePaper - NawaiwaqtLAHORE - Though MQM is regarded as a well-knit party.",
]


@pytest.mark.parametrize("separator", [" ", "", "\n", "\n\n", "\r\n", " \t\u00a0 "])
def test_hard_cases_joined_are_covered_exactly(separator: str) -> None:
    text = separator.join(HARD_CASES)
    sentences = split_sentences(text)
    assert_exact_cover(text, sentences)
    assert len(number_sentences(sentences).splitlines()) >= len(sentences)


def test_random_fragments_are_covered_exactly() -> None:
    fragments = [
        *" ".join(HARD_CASES).split(),
        *".?!…۔؟।。\"'“”‘’()",
        "\n",
        "\n\n",
        "\r\n",
        " ",
        "...",
        "U.S.",
        "a.m.",
        "1.",
    ]
    generator = random.Random(20240601)
    for _ in range(300):
        count = generator.randint(1, 40)
        text = "".join(
            generator.choice(fragments) + generator.choice(["", " "]) for _ in range(count)
        )
        sentences = split_sentences(text)
        assert_exact_cover(text, sentences)
        assert sentences or text.isspace()
