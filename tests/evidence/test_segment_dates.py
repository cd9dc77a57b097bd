"""Sentence spans and date resolution: pure functions, checked on short texts of our own."""

from __future__ import annotations

import pytest

from accord.extract.dates import find_dates, find_standalone_date, parse_anchor
from accord.spans.segment import paragraph_bounds, sentences


def test_sentences_keep_abbreviations_and_initials_together():
    text = "The U.S. and France met Dr. Reed in Paris. J. Smith chaired.\nA new line starts here!  And this."
    spans = [text[s:e] for s, e in sentences(text)]
    assert spans == [
        "The U.S. and France met Dr. Reed in Paris.",
        "J. Smith chaired.",
        "A new line starts here!",
        "And this.",
    ]


def test_sentence_spans_index_the_text_unchanged():
    text = "\ufeffFirst one.  Second “quoted” one?\r\n\r\nThird."
    for s, e in sentences(text):
        assert text[s:e] == text[s:e].strip() and text[s:e]


def test_paragraph_bounds_widen_to_the_line():
    text = "Head\n\nOne sentence. Two sentence.\nNext"
    s = text.index("Two")
    assert text[slice(*paragraph_bounds(text, s, s + 3))] == "One sentence. Two sentence."


ANCHOR = parse_anchor("2020-10-08")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("talks in Moscow on October 9", [("2020-10-09", "day", None)]),
        ("fighting this past July", [("2020-07", "month", None)]),
        ("clashes this month", [("2020-10", "month", None)]),
        ("in 1992-1994 the war", [("1992", "year", "1994")]),
        ("the 1991–94 war", [("1991", "year", "1994")]),
        ("late December 2012", [("2012-12", "month", None)]),
        ("the summer of 2014", [("2014", "year", None)]),
        ("on the 9th and 10th of October 2020", [("2020-10-09", "day", "2020-10-10")]),
        ("22 February, 2011", [("2011-02-22", "day", None)]),
        ("November 9, 2020", [("2020-11-09", "day", None)]),
        ("in July", [("2020-07", "month", None)]),
        ("in February 1988; that year", [("1988-02", "month", None), ("1988", "year", None)]),
        ("over 60% of arms; 1500 troops; May we?", []),
    ],
)
def test_dates_resolve_with_the_right_precision(text, expected):
    found = [(m.date, m.precision, m.end_date) for m in find_dates(text, ANCHOR)]
    assert found == expected


def test_relative_dates_resolve_against_the_document_date():
    text = "Clashes broke out in July and a truce came on 14 October."
    early = [m.date for m in find_dates(text, parse_anchor("2021-02-01"))]
    late = [m.date for m in find_dates(text, parse_anchor("2021-11-20"))]
    assert early == ["2020-07", "2020-10-14"]  # the nearest July and 14 October before February 2021
    assert late == ["2021-07", "2021-10-14"]


def test_relative_dates_are_skipped_without_a_document_date():
    assert [m.date for m in find_dates("this past July, on 9 October, and in May 1994")] == ["1994-05"]


def test_weekend_before_the_document_date():
    (mention,) = find_dates("a truce agreed over the weekend", parse_anchor("2020-10-21"))
    assert (mention.date, mention.precision) == ("2020-10", "month")


def test_standalone_date_line():
    assert find_standalone_date("November 9, 2020") == ("2020-11-09", "day")
    assert find_standalone_date("Written on November 9, 2020 in Paris") is None
