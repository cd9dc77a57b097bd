"""Sentence and paragraph spans of a text, in code points of the text as given.

Passages in the corpus store and the spans the extractor proposes are sentences found here, so a search
hit or an extracted event is already a citable pointer. The splitter is deliberately simple (a line
break always ends a sentence; ``.``, ``!``, ``?`` end one when a capital, digit or quote follows) but it
knows common abbreviations and initials, so "the U.S. and France" or "Dr. Melvin" stay in one sentence.
"""

from __future__ import annotations

import re

__all__ = ["paragraph_bounds", "paragraphs", "sentences"]

# A candidate sentence end: terminal punctuation with optional closing quotes/brackets, then spaces.
_END = re.compile(r"[.!?…]+[\"'’”)\]]*(?=\s)")
_NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"'‘“(\[]*[A-Z0-9À-Ý]")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "gen", "col", "lt", "sgt", "capt", "gov", "sen", "rep", "pres",
    "jr", "sr", "no", "vs", "etc", "e.g", "i.e", "cf", "fig", "vol", "ed", "eds", "approx", "inc", "ltd",
    "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "u.n", "e.u", "a.m", "p.m",
}
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the period ending at ``end`` closes an abbreviation or an initial rather than a sentence."""
    match = _WORD_BEFORE.search(text, max(0, end - 20), end)
    if not match:
        return False
    word = match.group(1).rstrip(".")
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # an initial: "J. Smith"
    return word.lower() in _ABBREVIATIONS


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The ``[start, end)`` spans of the sentences of ``text[start:end]``, whitespace trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    line_start = start
    while line_start < end:
        newline = text.find("\n", line_start, end)
        line_end = end if newline < 0 else newline
        spans += _line_sentences(text, line_start, line_end)
        line_start = line_end + 1
    return spans


def _line_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    left = start
    for match in _END.finditer(text, start, end):
        cut = match.end()
        if not _NEXT_STARTS_SENTENCE.match(text, cut, end):
            continue
        if text[match.start()] == "." and match.end() - match.start() == 1 and _is_abbreviation(text, match.start()):
            continue
        span = _trimmed(text, left, cut)
        if span:
            spans.append(span)
        left = cut
    span = _trimmed(text, left, end)
    if span:
        spans.append(span)
    return spans


_BLANK = re.compile(r"\n[ \t]*\n")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs: runs of text separated by blank lines (single lines in most corpora)."""
    spans = []
    left = 0
    for match in _BLANK.finditer(text):
        span = _trimmed(text, left, match.start())
        if span:
            spans.append(span)
        left = match.end()
    span = _trimmed(text, left, len(text))
    if span:
        spans.append(span)
    return spans


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (text between line breaks) around ``[start, end)``: the context shown with a passage."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    return _trimmed(text, left, right) or (start, end)
