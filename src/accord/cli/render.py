"""Rich renderings of cases and results for the terminal."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from accord.case.model import Case


def _fmt(x: float, digits: int = 0) -> str:
    return f"{x:.{digits}f}"


def actors_table(case: Case) -> Table:
    table = Table(title=f"Actors ({len(case.actors)})")
    for col in ("id", "name", "kind", "aliases"):
        table.add_column(col)
    for a in case.actors:
        table.add_row(a.id, a.name, a.kind.value, ", ".join(a.aliases))
    return table


def issues_table(case: Case) -> Table:
    table = Table(title=f"Issues ({len(case.issues)})")
    for col in ("id", "question", "0 means", "100 means", "status quo"):
        table.add_column(col, justify="right" if col == "status quo" else "left")
    for i in case.issues:
        table.add_row(i.id, i.question, i.scale.min_label, i.scale.max_label, _fmt(i.status_quo.point))
    return table


def stances_table(case: Case) -> Table:
    table = Table(title="Stances: position (salience); capability")
    table.add_column("actor")
    table.add_column("capability", justify="right")
    for issue in case.issues:
        table.add_column(issue.id, justify="right")
    for stance in case.stances:
        cells = []
        for issue in case.issues:
            s = stance.issues.get(issue.id)
            if s is None:
                cells.append("-")
                continue
            spread = ""
            lo, hi = s.position.bounds
            if hi > lo:
                spread = f" [{lo:.0f}-{hi:.0f}]"
            cells.append(f"{s.position.point:.0f}{spread} ({s.salience.point:.2f})")
        table.add_row(stance.actor, f"{stance.capability.point:.2f}", *cells)
    return table


def relations_table(case: Case) -> Table:
    table = Table(title=f"Relations ({len(case.relations)})")
    for col in ("type", "from", "to", "details"):
        table.add_column(col)
    for r in case.relations:
        details = []
        if r.share is not None:
            details.append(f"share {r.share:.0%}")
        if r.period is not None:
            details.append(f"{r.period.start or ''}-{r.period.end or ''}")
        if r.applies_if is not None:
            details.append(f"if: {r.applies_if.description}")
        if r.co_chairs:
            details.append("co-chairs: " + ", ".join(r.co_chairs))
        arrow = "->" if r.is_directed else "<->"
        target = r.to if r.to is not None else " & ".join(r.parties or [])
        table.add_row(r.type.value, r.from_, f"{arrow} {target}", "; ".join(details))
    return table


def timeline_table(case: Case) -> Table:
    table = Table(title=f"Timeline ({len(case.events)} events)")
    for col in ("date", "type", "event", "actors"):
        table.add_column(col)
    for e in sorted(case.events, key=lambda e: e.start):
        table.add_row(e.date, e.type.value, e.title, ", ".join(e.actors))
    return table


def summary_lines(case: Case) -> list[str]:
    """The case summary that `make run` prints: counts, status quo, timeline and evidence coverage."""
    pointers = case.all_pointers()
    docs = Counter(p.doc for _, p in pointers)
    numbers = sum(1 + 2 * len(s.issues) for s in case.stances) + len(case.issues)
    multi = sum(
        1
        for s in case.stances
        for q in [
            s.capability,
            *(x.position for x in s.issues.values()),
            *(x.salience for x in s.issues.values()),
        ]
        if len({d for e in q.all_estimates for d in e.sources}) > 1
    )
    years = sorted(e.start.year for e in case.events)
    by_type = Counter(e.type.value for e in case.events)
    lines = [
        f"[bold]{case.case.title}[/bold] ({case.id}, as of {case.case.as_of})",
        f"{len(case.actors)} actors, {len(case.stances)} with stances; {len(case.issues)} issues; "
        f"{len(case.relations)} relations; {len(case.events)} events"
        + (f" from {years[0]} to {years[-1]}" if years else ""),
        "events by type: " + ", ".join(f"{k} {v}" for k, v in by_type.most_common()),
        f"evidence: {len(pointers)} pointers into {len(docs)} documents; {numbers} numbers, "
        f"{multi} of them with estimates from more than one source",
    ]
    return lines


def render_case(console: Console, case: Case) -> None:
    for line in summary_lines(case):
        console.print(line)
    for table in (
        actors_table(case),
        issues_table(case),
        stances_table(case),
        relations_table(case),
        timeline_table(case),
    ):
        console.print(table)
