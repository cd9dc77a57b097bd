"""Case rules beyond the schema: each reading belongs to its moment, scales name their points, clauses
resolve.

Kept apart from :mod:`accord.case.validate` (which calls :func:`case_rules`) so the file-level stages and
these modelling rules can change independently:

* no source, hence no reading, may be dated after the case's ``as_of``;
* a reading's ``date`` is its source's date; a reading from before ``case.period_start`` must be marked
  ``carry_over: true`` with a note saying why, and a carry-over must actually be older than the period;
* ``scale.points`` lie in [0, 100], strictly increasing;
* consent actors, clause states, state tests and veto-only stances name things the case declares.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator

from accord.case.model import Case, Estimate, Pointer, Quantity, parse_partial_date
from accord.case.yamlio import Located

__all__ = ["case_rules", "extra_pointer_paths"]

PathT = tuple[str | int, ...]
Problem = Callable[[PathT, str, str], object]


def _date(text: str | None):  # -> dt.date | None
    if text is None:
        return None
    try:
        return parse_partial_date(text)[0]
    except (ValueError, TypeError):
        return None


def _readings(path: PathT, q: Quantity) -> Iterator[tuple[PathT, Estimate]]:
    if q.estimates is not None:
        for i, e in enumerate(q.estimates):
            yield path + ("estimates", i), e
    else:
        yield path, q.all_estimates[0]


def _quantities(case: Case) -> Iterator[tuple[PathT, Quantity]]:
    for i, issue in enumerate(case.issues):
        yield ("issues", i, "status_quo"), issue.status_quo
    for i, stance in enumerate(case.stances):
        yield ("stances", i, "capability"), stance.capability
        for issue_id, s in stance.issues.items():
            base: PathT = ("stances", i, "issues", issue_id)
            yield base + ("position",), s.position
            yield base + ("salience",), s.salience
            if s.capability is not None:
                yield base + ("capability",), s.capability


def case_rules(case: Case, located: Located, name: str, make: Callable[..., object]) -> Iterator[object]:
    """Every rule problem of ``case``; ``make(name, line, column, path, message, hint)`` builds one."""
    from accord.case.problems import dotted

    def problem(path: PathT, message: str, hint: str = "") -> object:
        line, col = located.mark(path)
        return make(name, line, col, dotted(path), message, hint)

    yield from _sources_before_as_of(case, problem)
    yield from _moments(case, problem)
    yield from _scales(case, problem)
    yield from _references(case, problem)


def _sources_before_as_of(case: Case, problem: Problem) -> Iterator[object]:
    as_of = _date(case.case.as_of)
    for i, source in enumerate(case.case.sources):
        date = _date(source.date)
        if as_of and date and date > as_of:
            yield problem(
                ("case", "sources", i, "date"),
                f"source {source.id!r} is dated {source.date}, after as_of {case.case.as_of}",
                "a case cites nothing written after its as_of; drop the source or move as_of",
            )


def _moments(case: Case, problem: Problem) -> Iterator[object]:
    dates = {s.id: s.date for s in case.case.sources}
    start = _date(case.case.period_start)
    if case.case.period_start is not None and start is None:
        yield problem(
            ("case", "period_start"), f"{case.case.period_start!r} is not a date", "write YYYY-MM-DD"
        )
    for path, q in _quantities(case):
        for rpath, e in _readings(path, q):
            if e.date is not None:
                own = [dates[d] for d in e.sources if d in dates]
                if _date(e.date) is None:
                    yield problem(
                        rpath + ("date",), f"{e.date!r} is not a date", "write YYYY-MM-DD, YYYY-MM or YYYY"
                    )
                elif own and e.date not in own:
                    yield problem(
                        rpath + ("date",),
                        f"reading dated {e.date} but its source is dated {' / '.join(own)}",
                        "a reading carries its source's date",
                    )
            when = case.reading_date(e)
            if e.carry_over and not e.note:
                yield problem(
                    rpath + ("carry_over",),
                    "a carry-over without a note",
                    "say why the older reading still holds",
                )
            if start is None or when is None:
                continue
            if when < start and not e.carry_over:
                yield problem(
                    rpath,
                    f"reading from a source dated {when} is older than the case's period "
                    f"(from {case.case.period_start})",
                    "mark it carry_over: true and say why in its note, or drop it",
                )
            elif when >= start and e.carry_over:
                yield problem(
                    rpath + ("carry_over",),
                    f"marked carry_over but its source ({when}) is within the period",
                    "remove carry_over",
                )


def _scales(case: Case, problem: Problem) -> Iterator[object]:
    for i, issue in enumerate(case.issues):
        points = issue.scale.points or []
        for j, point in enumerate(points):
            path: PathT = ("issues", i, "scale", "points", j, "at")
            if not 0 <= point.at <= 100:
                yield problem(
                    path, f"scale point at {point.at:g} is outside [0, 100]", "issues use a 0-100 scale"
                )
            elif j and point.at <= points[j - 1].at:
                yield problem(
                    path,
                    f"scale point at {point.at:g} does not follow {points[j - 1].at:g}",
                    "list the points in increasing order, each once",
                )


def _unknown(problem: Problem, path: PathT, value: str, known: set[str], what: str) -> Iterator[object]:
    if value not in known:
        close = difflib.get_close_matches(value, sorted(known), n=1)
        yield problem(
            path,
            f"unknown {what} {value!r}",
            f"did you mean {close[0]!r}?" if close else f"declare the {what} first",
        )


def _references(case: Case, problem: Problem) -> Iterator[object]:
    actors, events, states = set(case.actor_ids), {e.id for e in case.events}, {s.id for s in case.states}
    sources = {s.id for s in case.case.sources}
    for i, issue in enumerate(case.issues):
        if issue.consent is not None:
            for j, actor in enumerate(issue.consent.actors):
                yield from _unknown(problem, ("issues", i, "consent", "actors", j), actor, actors, "actor")
            yield from _docs(problem, ("issues", i, "consent", "evidence"), issue.consent.evidence, sources)
    for i, rel in enumerate(case.relations):
        if rel.applies_if is not None and rel.applies_if.state is not None:
            yield from _unknown(
                problem, ("relations", i, "applies_if", "state"), rel.applies_if.state, states, "state"
            )
    seen: set[str] = set()
    for i, state in enumerate(case.states):
        if state.id in seen:
            yield problem(("states", i, "id"), f"duplicate state id {state.id!r}", "state ids are unique")
        seen.add(state.id)
        yield from _docs(problem, ("states", i, "evidence"), state.evidence, sources)
        for j, test in enumerate(state.tests):
            yield from _unknown(problem, ("states", i, "tests", j, "event"), test.event, events, "event")
    consenting = {a for issue in case.issues if issue.consent for a in issue.consent.actors}
    for i, stance in enumerate(case.stances):
        if stance.takes_part == "veto" and stance.actor not in consenting:
            yield problem(
                ("stances", i, "takes_part"),
                f"{stance.actor!r} takes part as a veto player but no issue asks its consent",
                "list it under an issue's consent.actors, or drop takes_part",
            )


def _docs(problem: Problem, path: PathT, pointers: list[Pointer], sources: set[str]) -> Iterator[object]:
    for j, pointer in enumerate(pointers):
        if pointer.doc not in sources:
            yield problem(
                path + (j, "doc"),
                f"evidence cites document {pointer.doc!r}, which is not in case.sources",
                "add it to case.sources",
            )


def extra_pointer_paths(case: Case) -> Iterator[tuple[PathT, Pointer]]:
    """Pointers of the parts these rules add (consent, states), for the corpus check."""
    for i, issue in enumerate(case.issues):
        if issue.consent is not None:
            for j, p in enumerate(issue.consent.evidence):
                yield ("issues", i, "consent", "evidence", j), p
    for i, state in enumerate(case.states):
        for j, p in enumerate(state.evidence):
            yield ("states", i, "evidence", j), p
