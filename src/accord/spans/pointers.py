"""Evidence pointers: span arithmetic and hashing over corpus texts.

A pointer names a document by id and a half-open character span ``[start, end)`` of its text, counted in
Unicode code points of the document decoded as UTF-8, unchanged (no newline or whitespace normalisation).
``sha256`` is the hex digest of the span's UTF-8 bytes, so a pointer can be checked against a corpus
without the repository ever holding the sentence itself.

This module is the bottom layer shared by case validation and the corpus store: plain functions, no I/O
beyond :func:`load_corpus_dir`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Corpus",
    "LocateError",
    "PointerCheck",
    "check_pointer",
    "load_corpus_dir",
    "locate",
    "pointer_for",
    "sentence_bounds",
    "sha256_text",
]

# A sentence ends at . ! ? or … (then closing quotes/brackets and footnote markers like [2]) and
# whitespace, or at a line break.
SENTENCE_END = re.compile(r"(?<=[.!?…])(?:[\"'’”)\]]|\[\d+\])*\s+|\n\s*\n|\n")


def sha256_text(text: str) -> str:
    """Hex sha256 of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class LocateError(LookupError):
    """The words given to :func:`locate` do not occur in the document (or occur ambiguously)."""


@dataclass(frozen=True)
class Corpus:
    """Document texts keyed by document id (the file name without extension)."""

    texts: dict[str, str]
    root: Path | None = None

    def __contains__(self, doc: str) -> bool:
        return doc in self.texts

    def text(self, doc: str) -> str:
        return self.texts[doc]


def load_corpus_dir(path: str | Path) -> Corpus:
    """Read every ``*.txt``, ``*.md`` and ``*.csv`` file of a folder as UTF-8; id = file name without
    extension.

    CSV files count as documents so that a case imported from a CSV can cite its rows.
    """
    root = Path(path)
    if not root.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {root}")
    texts: dict[str, str] = {}
    for file in sorted(root.iterdir()):
        if file.suffix.lower() in {".txt", ".md", ".csv"} and file.is_file():
            texts[file.stem] = file.read_bytes().decode("utf-8")
    return Corpus(texts=texts, root=root)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to the sentence (or line) that contains it."""
    left = 0
    for match in SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    right = len(text)
    match = SENTENCE_END.search(text, end)
    if match:
        right = match.start()
    # trim surrounding whitespace so the span is the sentence itself
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    return left, right


def _words_pattern(words: str) -> re.Pattern[str]:
    tokens = [re.escape(t) for t in words.split()]
    if not tokens:
        raise LocateError("give a few words to look for")
    # Typographic apostrophes and quotes in the corpus should match straight ones typed by a user.
    pattern = r"\s+".join(tokens).replace("'", "['’]").replace('"', '["“”]')
    return re.compile(pattern, re.IGNORECASE)


def locate(text: str, words: str, *, occurrence: int | None = None, sentence: bool = True) -> tuple[int, int]:
    """Span of the sentence containing ``words`` (case-insensitive, any whitespace between words).

    With ``sentence=False`` the span is the matched words themselves. If the words occur several times,
    pass ``occurrence`` (1-based); otherwise a :class:`LocateError` lists how many matches there are.
    """
    matches = list(_words_pattern(words).finditer(text))
    if not matches:
        raise LocateError(f"{words!r} does not occur in the document")
    if occurrence is None:
        if len(matches) > 1:
            raise LocateError(
                f"{words!r} occurs {len(matches)} times; add words or pass an occurrence number"
            )
        match = matches[0]
    else:
        if not 1 <= occurrence <= len(matches):
            raise LocateError(f"occurrence {occurrence} requested but {words!r} occurs {len(matches)} times")
        match = matches[occurrence - 1]
    if not sentence:
        return match.start(), match.end()
    return sentence_bounds(text, match.start(), match.end())


@dataclass(frozen=True)
class PointerCheck:
    """Outcome of checking one pointer against a corpus: ``ok`` or a message and a hint."""

    ok: bool
    message: str = ""
    hint: str = ""


def check_pointer(corpus: Corpus, doc: str, start: int, end: int, sha256: str) -> PointerCheck:
    """Check that the span exists in the document and that its text hashes to ``sha256``."""
    if doc not in corpus:
        known = ", ".join(sorted(corpus.texts)[:5])
        return PointerCheck(False, f"document {doc!r} is not in the corpus", f"known documents: {known}")
    text = corpus.text(doc)
    if not 0 <= start < end <= len(text):
        return PointerCheck(
            False,
            f"span [{start}, {end}) is out of range for {doc!r} ({len(text)} characters)",
            "recompute the pointer with `accord evidence locate`",
        )
    actual = sha256_text(text[start:end])
    if actual != sha256:
        return PointerCheck(
            False,
            f"span [{start}, {end}) of {doc!r} hashes to {actual[:12]}..., not {sha256[:12]}...",
            "the text changed or the span is wrong; recompute with `accord evidence locate`",
        )
    return PointerCheck(True)


def pointer_for(
    corpus: Corpus, doc: str, words: str, *, occurrence: int | None = None, sentence: bool = True
) -> dict[str, object]:
    """An evidence pointer ``{doc, start, end, sha256}`` for the sentence of ``doc`` containing ``words``."""
    if doc not in corpus:
        raise LocateError(f"document {doc!r} is not in the corpus (known: {', '.join(sorted(corpus.texts))})")
    text = corpus.text(doc)
    start, end = locate(text, words, occurrence=occurrence, sentence=sentence)
    return {"doc": doc, "start": start, "end": end, "sha256": sha256_text(text[start:end])}
