"""Evidence checks for a case: does every pointer still hold, and how well is each number supported?

:func:`check_case` verifies every pointer of a case against a corpus (a folder or the store) and reports
coverage of the case's numbers (status quo, capabilities, positions, saliences):

* **unsupported**: no pointer of the number verifies (span out of range, hash mismatch, unknown doc);
* **single source**: all its evidence comes from one document;
* **disagreement**: estimates from different sources differ by more than ``margin`` of the scale
  (positions and status quo are on 0-100, capabilities and saliences on 0-1; ``margin=0.1`` means 10
  points of a position or 0.1 of a salience).

A pointer that fails on the current text of a stored document but matches an older version is
reported as "old version": it still verifies against the version it cites, and the case should be
re-checked against the new one. Every pointer outcome carries its YAML position for
``FILE:LINE:COL`` messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from accord.case.model import Case, Pointer, Quantity
from accord.case.validate import PathT, dotted, iter_pointer_paths
from accord.case.yamlio import Located
from accord.spans.pointers import Corpus, check_pointer

__all__ = [
    "CoverageReport",
    "FolderTexts",
    "NumberCoverage",
    "PointerResult",
    "StoreTexts",
    "TextSource",
    "check_case",
    "label_for",
    "numbers",
]


class TextSource(Protocol):
    """Where texts come from: every version of a document, newest first (empty list if unknown)."""

    def versions(self, doc: str) -> list[tuple[int | None, str]]: ...

    def known(self) -> list[str]: ...


@dataclass(frozen=True)
class FolderTexts:
    """A corpus folder: one version per document (version ``None``)."""

    corpus: Corpus

    def versions(self, doc: str) -> list[tuple[int | None, str]]:
        return [(None, self.corpus.text(doc))] if doc in self.corpus else []

    def known(self) -> list[str]:
        return sorted(self.corpus.texts)


@dataclass
class StoreTexts:
    """The corpus store: all versions of each document, newest first (cached per document)."""

    store: object  # accord.corpus.documents.Store; typed loosely to keep this module free of SQLAlchemy
    _cache: dict[str, list[tuple[int | None, str]]] = field(default_factory=dict)

    def versions(self, doc: str) -> list[tuple[int | None, str]]:
        if doc not in self._cache:
            self._cache[doc] = [(d.version, text) for d, text in self.store.versions(doc)]  # type: ignore[attr-defined]
        return self._cache[doc]

    def known(self) -> list[str]:
        return [d.doc for d in self.store.documents()]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PointerResult:
    """How one pointer fared: ``ok``, ``old version`` (matches a superseded version) or ``failed``."""

    label: str
    path: PathT
    pointer: Pointer
    status: str
    message: str = ""
    hint: str = ""
    version: int | None = None
    line: int = 1
    column: int = 1

    @property
    def verified(self) -> bool:
        return self.status != "failed"


@dataclass(frozen=True)
class NumberCoverage:
    """A number of the case and its support: verified pointers, sources and the spread of estimates."""

    label: str
    path: PathT
    scale: float
    values: tuple[tuple[float, tuple[str, ...]], ...]  # (value, sources) per estimate
    pointers: int
    verified: int

    @property
    def sources(self) -> set[str]:
        return {s for _, sources in self.values for s in sources}

    def spread(self) -> float:
        """Largest difference between estimates of different sources, as a fraction of the scale."""
        best = 0.0
        for i, (a, sa) in enumerate(self.values):
            for b, sb in self.values[i + 1 :]:
                if set(sa) != set(sb):
                    best = max(best, abs(a - b) / self.scale)
        return best


@dataclass
class CoverageReport:
    """Outcome of :func:`check_case`: every pointer and every number, with the views a user asks for."""

    file: str
    pointers: list[PointerResult]
    numbers: list[NumberCoverage]
    margin: float
    source_problems: list[PointerResult] = field(default_factory=list)

    @property
    def failed(self) -> list[PointerResult]:
        return [p for p in self.pointers if p.status == "failed"]

    @property
    def old_version(self) -> list[PointerResult]:
        return [p for p in self.pointers if p.status == "old version"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def unsupported(self) -> list[NumberCoverage]:
        return [n for n in self.numbers if n.verified == 0]

    def single_source(self) -> list[NumberCoverage]:
        return [n for n in self.numbers if len(n.sources) == 1]

    def disagreements(self) -> list[NumberCoverage]:
        return [n for n in self.numbers if n.spread() > self.margin + 1e-12]

    def to_json(self) -> dict[str, object]:
        def number(n: NumberCoverage) -> dict[str, object]:
            return {
                "number": n.label,
                "sources": sorted(n.sources),
                "values": [v for v, _ in n.values],
                "spread": round(n.spread(), 6),
                "pointers": n.pointers,
                "verified": n.verified,
            }

        return {
            "file": self.file,
            "ok": self.ok,
            "pointers": len(self.pointers),
            "verified": sum(p.verified for p in self.pointers),
            "failed": [
                {
                    "label": p.label,
                    "path": dotted(p.path),
                    "line": p.line,
                    "column": p.column,
                    "doc": p.pointer.doc,
                    "start": p.pointer.start,
                    "end": p.pointer.end,
                    "message": p.message,
                    "hint": p.hint,
                }
                for p in self.failed
            ],
            "old_version": [
                {"label": p.label, "path": dotted(p.path), "doc": p.pointer.doc, "version": p.version}
                for p in self.old_version
            ],
            "margin": self.margin,
            "unsupported": [number(n) for n in self.unsupported()],
            "single_source": [number(n) for n in self.single_source()],
            "disagreements": [number(n) for n in self.disagreements()],
        }


def label_for(case: Case, path: PathT) -> str:
    """The dotted name of what a YAML path supports: ``russia.territory.position``, ``relation.<id>`` ..."""
    head = path[0]
    if head == "issues":
        return f"{case.issues[path[1]].id}.status_quo"  # type: ignore[index]
    if head == "stances":
        actor = case.stances[path[1]].actor  # type: ignore[index]
        if path[2] == "capability":
            return f"{actor}.capability"
        return f"{actor}.{path[3]}.{path[4]}"
    if head == "relations":
        return f"relation.{case.relations[path[1]].id}"  # type: ignore[index]
    if head == "events":
        return f"event.{case.events[path[1]].id}"  # type: ignore[index]
    return dotted(path)


def numbers(case: Case) -> Iterator[tuple[str, PathT, Quantity, float]]:
    """Every number of the case: (label, YAML path, quantity, width of its scale)."""
    for i, issue in enumerate(case.issues):
        yield f"{issue.id}.status_quo", ("issues", i, "status_quo"), issue.status_quo, 100.0
    for i, stance in enumerate(case.stances):
        yield f"{stance.actor}.capability", ("stances", i, "capability"), stance.capability, 1.0
        for issue_id, s in stance.issues.items():
            base: PathT = ("stances", i, "issues", issue_id)
            yield f"{stance.actor}.{issue_id}.position", base + ("position",), s.position, 100.0
            yield f"{stance.actor}.{issue_id}.salience", base + ("salience",), s.salience, 1.0
            if s.capability is not None:
                yield f"{stance.actor}.{issue_id}.capability", base + ("capability",), s.capability, 1.0


def verify(texts: TextSource, pointer: Pointer) -> tuple[str, str, str, int | None]:
    """Check a pointer against every version of its document: (status, message, hint, version)."""
    versions = texts.versions(pointer.doc)
    if not versions:
        known = ", ".join(texts.known()[:5])
        return "failed", f"document {pointer.doc!r} is not in the corpus", f"known documents: {known}", None
    first_problem = None
    for index, (version, text) in enumerate(versions):
        result = check_pointer(
            Corpus({pointer.doc: text}), pointer.doc, pointer.start, pointer.end, pointer.sha256
        )
        if result.ok:
            return ("ok" if index == 0 else "old version"), "", "", version
        first_problem = first_problem or result
    assert first_problem is not None
    return "failed", first_problem.message, first_problem.hint, versions[0][0]


def check_case(
    case: Case,
    texts: TextSource,
    *,
    located: Located | None = None,
    file: str = "<case>",
    margin: float = 0.1,
) -> CoverageReport:
    """Verify every pointer of ``case`` against ``texts`` and measure the coverage of its numbers."""
    results: dict[PathT, PointerResult] = {}
    for path, pointer in iter_pointer_paths(case):
        status, message, hint, version = verify(texts, pointer)
        line, column = located.mark(path) if located is not None else (1, 1)
        results[path] = PointerResult(
            label_for(case, path), path, pointer, status, message, hint, version, line, column
        )
    coverage = [_coverage(label, path, q, scale, results) for label, path, q, scale in numbers(case)]
    return CoverageReport(
        file, list(results.values()), coverage, margin, _source_problems(case, texts, located)
    )


def _coverage(
    label: str, path: PathT, quantity: Quantity, scale: float, results: dict[PathT, PointerResult]
) -> NumberCoverage:
    mine = [r for p, r in results.items() if p[: len(path)] == path]
    values = tuple((e.value, e.sources) for e in quantity.all_estimates)
    return NumberCoverage(label, path, scale, values, len(mine), sum(r.verified for r in mine))


def _source_problems(case: Case, texts: TextSource, located: Located | None) -> list[PointerResult]:
    """Sources whose recorded sha256 matches no stored version (the text changed or is missing)."""
    from accord.spans.pointers import sha256_text

    problems = []
    for i, source in enumerate(case.case.sources):
        versions = texts.versions(source.id)
        hashes = {sha256_text(text): version for version, text in versions}
        if source.sha256 in hashes:
            continue
        path: PathT = ("case", "sources", i, "sha256")
        line, column = located.mark(path) if located is not None else (1, 1)
        message = (
            "is not in the corpus" if not versions else "has changed: no stored version hashes to this sha256"
        )
        pointer = Pointer(doc=source.id, start=0, end=1, sha256=source.sha256)
        problems.append(
            PointerResult(
                f"source.{source.id}",
                path,
                pointer,
                "failed",
                f"source {source.id!r} {message}",
                "re-check the spans that cite it",
                None,
                line,
                column,
            )
        )
    return problems


def located_case(path: str | Path) -> Located | None:
    """The case file's YAML with positions, for ``FILE:LINE:COL`` (``None`` if it cannot be read)."""
    from accord.case.yamlio import YamlProblem, load_located

    try:
        return load_located(Path(path).read_text(encoding="utf-8").lstrip("\ufeff"))
    except (OSError, UnicodeDecodeError, YamlProblem):
        return None
