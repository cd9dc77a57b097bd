"""Sentence and paragraph spans of a text, in code points of the text as given.

Passages in the corpus store and the spans the extractor proposes are sentences found here, so a search
hit or an extracted event is already a citable pointer. The splitter is deliberately simple (a line
break always ends a sentence; ``.``, ``!``, ``?`` end one when a capital, digit or quote follows) but it
knows common abbreviations, initials and dotted acronyms, so "the U.S. and France", "e.g. Russia" or
"Dr. Melvin" stay in one sentence. A question mark ends a sentence only after a question (a wh-word, or
an auxiliary verb opening a clause), so a title inside a sentence ("wrote for My Country? Europe, ...")
does not cut it: a cited span must not lose its subject.

Every step is linear in the length of the text: no pattern can backtrack over a run of punctuation or
spaces (possessive quantifiers, and a run is only matched from its first character), and the question
cues of a line are found in one pass. Uploaded texts reach this code, so a text of 40,000 dots must cost
no more than any other 40,000 characters. Patterns also run over bounded windows (:func:`_scan`): one
regular-expression call holds the GIL until it returns, and a scan of a 2 MB line in one call would
stall every other request of a server for a second.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

__all__ = ["paragraph_bounds", "paragraphs", "sentences"]

# A candidate sentence end: a run of terminal punctuation (matched from its first character only) with
# optional closing quotes/brackets, then a space. Runs are bounded so a match fits in a scan's overlap.
_END = re.compile(r"(?<![.!?…])[.!?…]{1,20}+[\"'’”)\]]{0,8}+(?=\s)")
_NEXT_STARTS_SENTENCE = re.compile(r"\s++[\"'‘“(\[]*+[A-Z0-9À-Ý]")
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "gov",
    "sen",
    "rep",
    "pres",
    "jr",
    "sr",
    "no",
    "vs",
    "etc",
    "cf",
    "fig",
    "vol",
    "ed",
    "eds",
    "approx",
    "inc",
    "ltd",
    "co",
    "corp",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
_WORD_BEFORE = re.compile(r"[\w.]{1,20}$")
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # U.S, U.S.A, e.g, i.e, a.m: letters joined by dots
_WH = r"what|why|how|who|whom|whose|which|where|when|whether"
_AUX = (
    r"is|are|was|were|am|do|does|did|can|could|will|would|shall|should|may|might|must|has|have|had|"
    r"isn't|aren't|wasn't|weren't|don't|doesn't|didn't|can't|couldn't|won't|wouldn't|shouldn't|hasn't|haven't"
)
# Question cues inside a line: a wh-word anywhere, or an auxiliary opening a clause after , ; : or a dash.
_CUE = re.compile(rf"\b(?:{_WH})\b|[,;:—–]\s{{0,8}}+(?:{_AUX})\b", re.IGNORECASE)
_WINDOW, _OVERLAP = 1 << 15, 64  # a match is shorter than the overlap, so no window cuts one


def _scan(pattern: re.Pattern[str], text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, start, end)`` in windows of 32K characters (see the module docstring)."""
    pos = start
    while pos < end:
        stop = min(end, pos + _WINDOW)
        limit = stop if stop == end else stop - _OVERLAP
        last = pos
        for match in pattern.finditer(text, pos, stop):
            if match.start() >= limit:
                break
            yield match
            last = match.end()
        pos = max(limit, last)


# A sentence opening with an auxiliary ("Can Russia ...?", "And is it ...?").
_AUX_START = re.compile(rf"[\"'‘“(\[]*+(?:(?:and|but|or|so)\s++)?(?:{_AUX}|{_WH})\b", re.IGNORECASE)


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the period ending at ``end`` closes an abbreviation, an initial or a dotted acronym."""
    match = _WORD_BEFORE.search(text, max(0, end - 20), end)
    if not match:
        return False
    word = match.group().strip(".")
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # an initial: "J. Smith"
    if _DOTTED.fullmatch(word):
        return True  # "U.S.", "U.S.A.", "e.g.", "i.e."
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


class _Questions:
    """Whether the text between a sentence's start and a question mark asks a question (linear overall)."""

    def __init__(self, text: str, start: int, end: int):
        self.text, self.end = text, end
        self.cues = [m.start() for m in _scan(_CUE, text, start, end)]
        self._left = -1
        self._opens = False

    def asked(self, left: int, mark: int) -> bool:
        if left != self._left:  # a new sentence start: does it open with an auxiliary or a wh-word?
            self._left = left
            opening = _trimmed(self.text, left, self.end)
            self._opens = bool(opening and _AUX_START.match(self.text, opening[0], self.end))
        if self._opens:
            return True
        i = bisect_left(self.cues, left)
        return i < len(self.cues) and self.cues[i] < mark


def _line_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    questions: _Questions | None = None
    left = start
    for match in _scan(_END, text, start, end):
        cut = match.end()
        if not _NEXT_STARTS_SENTENCE.match(text, cut, end):
            continue
        punctuation = match.group().rstrip("\"'’”)]")
        if punctuation == "." and _is_abbreviation(text, match.start()):
            continue
        if "?" in punctuation and "." not in punctuation:
            questions = questions or _Questions(text, start, end)
            if not questions.asked(left, match.start()):
                continue  # a title ending in "?" inside a sentence, not a question
        span = _trimmed(text, left, cut)
        if span:
            spans.append(span)
        left = cut
    span = _trimmed(text, left, end)
    if span:
        spans.append(span)
    return spans


_BLANK = re.compile(r"\n[ \t]*+\n")


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
