"""Reading source files for the corpus: plain text, Markdown and HTML, and the metadata they carry.

The text a document is stored under is what every span indexes, so it must be reproducible:

* plain text and Markdown: the file decoded as UTF-8, **unchanged** (no newline or BOM handling), which
  is exactly what :func:`accord.spans.pointers.load_corpus_dir` reads, so a pointer made against the
  corpus folder stays valid in the store;
* HTML: the article text that trafilatura extracts (scripts, navigation and page furniture dropped).
  Spans then index that extracted text, not the HTML source.

Files that are not UTF-8, or that look binary (NUL bytes), are refused with :class:`UnreadableDocument`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from accord.case.yamlio import YamlProblem, load_plain, read_bounded
from accord.extract.dates import find_standalone_date

__all__ = [
    "DocumentMeta",
    "SourceText",
    "UnreadableDocument",
    "TEXT_SUFFIXES",
    "check_date",
    "check_doc_id",
    "load_meta_file",
    "read_source",
]

TEXT_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
MAX_BYTES = 50 * 1024 * 1024
MAX_META_BYTES = 1024 * 1024
# The ids a case can cite (accord.case.model.DocId): a document stored under another id could never be cited.
DOC_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,119}")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def check_doc_id(doc: str) -> str | None:
    """Why ``doc`` cannot be a document id, or ``None`` if it can."""
    if DOC_ID.fullmatch(doc):
        return None
    return (
        f"{doc[:60]!r} is not a document id: ids are up to 120 letters, digits, '_', '.' and '-', "
        "starting with a letter or digit"
    )


def check_date(value: str) -> str:
    """The precision (``year``, ``month``, ``day``) of a ``YYYY[-MM[-DD]]`` date; ``ValueError`` if it is
    none."""
    match = _DATE.fullmatch(value.strip())
    if not match:
        raise ValueError(f"{value[:40]!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a date of the calendar ({exc})") from None
    return "day" if day else "month" if month else "year"


@dataclass(frozen=True)
class DocumentMeta:
    """What is known about a document besides its text; every field is optional."""

    title: str | None = None
    date: str | None = None
    date_precision: str | None = None
    publisher: str | None = None
    author: str | None = None

    def merged_over(self, other: DocumentMeta) -> DocumentMeta:
        """This metadata, with gaps filled from ``other`` (given values win over found ones)."""
        return DocumentMeta(**{k: getattr(self, k) or getattr(other, k) for k in self.__dataclass_fields__})

    def as_dict(self) -> dict[str, str | None]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class SourceText:
    """A file read for the corpus: its id, the text to store, its kind and the metadata found in it."""

    doc: str
    text: str
    media_type: str
    meta: DocumentMeta
    path: Path


class UnreadableDocument(ValueError):
    """A file the corpus refuses (not UTF-8, binary, unknown kind); the message names the file."""

    def __init__(self, path: Path, message: str, hint: str = ""):
        self.path = path
        self.hint = hint
        super().__init__(f"{path}: {message}")


def _decode(path: Path, raw: bytes) -> str:
    if b"\x00" in raw:
        raise UnreadableDocument(
            path, "looks like a binary file (it holds NUL bytes)", "give a text, Markdown or HTML file"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(
            path,
            f"is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            "convert it first, e.g. `iconv -f latin1 -t utf-8`",
        ) from None


def read_source(path: str | Path, doc: str | None = None) -> SourceText:
    """Read one file for ingest; ``doc`` defaults to the file name without extension."""
    path = Path(path)
    media_type = TEXT_SUFFIXES.get(path.suffix.lower())
    if media_type is None:
        kinds = ", ".join(sorted(TEXT_SUFFIXES))
        raise UnreadableDocument(
            path, f"unsupported file type {path.suffix or '(none)'!r}", f"give one of {kinds}"
        )
    try:
        raw = read_bounded(path, MAX_BYTES)
    except YamlProblem as problem:
        raise UnreadableDocument(
            path, problem.message, problem.hint or "split it into several documents"
        ) from None
    text = _decode(path, raw)
    doc = doc or path.stem
    why = check_doc_id(doc)
    if why:
        raise UnreadableDocument(path, why, "rename the file, or give the id with --id")
    if media_type == "html":
        return _read_html(path, doc, text)
    if not text.strip():
        raise UnreadableDocument(path, "is empty")
    meta = _markdown_meta(text) if media_type == "markdown" else DocumentMeta()
    return SourceText(doc, text, media_type, meta.merged_over(_text_meta(text)), path)


def _read_html(path: Path, doc: str, html: str) -> SourceText:
    import trafilatura

    text = trafilatura.extract(
        html, output_format="txt", include_comments=False, include_tables=True, favor_recall=True
    )
    if not text or not text.strip():
        raise UnreadableDocument(
            path, "no article text found in the HTML", "save the page as text, or check it is an article"
        )
    found = trafilatura.extract_metadata(html)
    meta = DocumentMeta()
    if found is not None:
        meta = DocumentMeta(
            title=found.title or None,
            date=found.date or None,
            date_precision="day" if found.date else None,
            publisher=found.sitename or None,
            author=found.author or None,
        )
    return SourceText(doc, text, "html", meta, path)


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _markdown_meta(text: str) -> DocumentMeta:
    """Title, date, publisher and author from YAML front matter, else the title from the first heading."""
    meta = DocumentMeta()
    front = _FRONT_MATTER.match(text)
    if front:
        try:
            data = load_plain(front.group(1))
        except YamlProblem:  # front matter that is not plain YAML is text like the rest
            data = None
        if isinstance(data, dict):
            meta = _meta_from_mapping(data)
    heading = _HEADING.search(text)
    if heading and not meta.title:
        meta = replace(meta, title=heading.group(1))
    return meta


def _text_meta(text: str) -> DocumentMeta:
    """A date on a line of its own near the top (a by-line date), as found in many saved articles."""
    for line in text[:20_000].splitlines()[:15]:
        if len(line) > 200:  # a by-line is short; a 2 MB line is not one (and would be scanned whole)
            continue
        found = find_standalone_date(line)
        if found:
            return DocumentMeta(date=found[0], date_precision=found[1])
    return DocumentMeta()


def _meta_from_mapping(data: dict) -> DocumentMeta:
    date = data.get("published", data.get("date"))
    return DocumentMeta(
        title=_str(data.get("title")),
        date=_str(date),
        date_precision=_str(data.get("date_precision")) or ("day" if date else None),
        publisher=_str(data.get("publisher")),
        author=_str(data.get("author")),
    )


def _str(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def load_meta_file(path: str | Path) -> dict[str, DocumentMeta]:
    """Read a ``sources.yaml`` (``documents: [{id, file, title, published, date_precision, ...}]``).

    Returns metadata keyed by document id and by file name, so a file can be matched either way.
    Raises ``ValueError`` with a readable message when the file is not of that form.
    """
    path = Path(path)
    try:
        data = load_plain(read_bounded(path, MAX_META_BYTES).decode("utf-8"))
    except YamlProblem as problem:
        raise ValueError(
            f"{path}:{problem.line}:{problem.column}: cannot read metadata: {problem.message}"
        ) from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: cannot read metadata: not UTF-8 (byte offset {exc.start})") from None
    entries = data.get("documents") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a list under 'documents:' with id, file, title, published ...")
    found: dict[str, DocumentMeta] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not (entry.get("id") or entry.get("file")):
            raise ValueError(f"{path}: every document needs an id or a file: {entry!r}")
        meta = _meta_from_mapping(entry)
        for key in (entry.get("id"), entry.get("file")):
            if key:
                found[str(key)] = meta
    return found
