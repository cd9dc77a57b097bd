"""Stage 5 of validation: every evidence span of a case against its corpus texts.

Split from :mod:`accord.case.validate` for size; ``validate`` re-exports :func:`iter_pointer_paths`.
"""

from __future__ import annotations

from collections.abc import Iterator

from accord.case.model import Case, Pointer, Quantity
from accord.case.rules import extra_pointer_paths
from accord.case.yamlio import Located
from accord.spans.pointers import Corpus, check_pointer, sha256_text

__all__ = ["corpus_problems", "iter_pointer_paths"]

PathT = tuple[str | int, ...]


def iter_pointer_paths(case: Case) -> Iterator[tuple[PathT, Pointer]]:
    """Every evidence pointer of a case with its path in the file (for positions in messages)."""

    def from_quantity(path: PathT, q: Quantity) -> Iterator[tuple[PathT, Pointer]]:
        if q.estimates is not None:
            for i, e in enumerate(q.estimates):
                for j, p in enumerate(e.evidence):
                    yield path + ("estimates", i, "evidence", j), p
        else:
            for j, p in enumerate(q.evidence or []):
                yield path + ("evidence", j), p

    for i, issue in enumerate(case.issues):
        yield from from_quantity(("issues", i, "status_quo"), issue.status_quo)
    for i, stance in enumerate(case.stances):
        yield from from_quantity(("stances", i, "capability"), stance.capability)
        for issue_id, s in stance.issues.items():
            base: PathT = ("stances", i, "issues", issue_id)
            yield from from_quantity(base + ("position",), s.position)
            yield from from_quantity(base + ("salience",), s.salience)
            if s.capability is not None:
                yield from from_quantity(base + ("capability",), s.capability)
    for i, rel in enumerate(case.relations):
        for j, p in enumerate(rel.evidence):
            yield ("relations", i, "evidence", j), p
    for i, event in enumerate(case.events):
        for j, p in enumerate(event.evidence):
            yield ("events", i, "evidence", j), p
    yield from extra_pointer_paths(case)


def corpus_problems(case: Case, located: Located, name: str, corpus: Corpus) -> Iterator:  # of CaseProblem
    from accord.case.problems import CaseProblem, dotted

    def problem(path: PathT, message: str, hint: str) -> CaseProblem:
        line, col = located.mark(path)
        return CaseProblem(name, line, col, dotted(path), message, hint)

    for i, source in enumerate(case.case.sources):
        if source.id not in corpus:
            yield problem(
                ("case", "sources", i, "id"),
                f"source {source.id!r} is not in the corpus",
                "check --corpus points at the right folder",
            )
        elif sha256_text(corpus.text(source.id)) != source.sha256:
            yield problem(
                ("case", "sources", i, "sha256"),
                f"the corpus text of {source.id!r} does not hash to this sha256",
                "the document changed; re-check the spans that cite it",
            )
    for path, pointer in iter_pointer_paths(case):
        result = check_pointer(corpus, pointer.doc, pointer.start, pointer.end, pointer.sha256)
        if not result.ok:
            yield problem(path, result.message, result.hint)
