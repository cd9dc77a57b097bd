"""Rich renderings of cases and results for the terminal, and the escaping of user text on the way there.

Everything a case, a corpus file, a file name or a document id brings is data, never markup or terminal
control: Rich would read ``[/OSCE]`` in an actor's name as a closing tag (and fail), ``[link=...]`` as a
link, and a raw ESC would reach the terminal as an escape sequence. :func:`safe` (for text printed with
markup on, e.g. table cells) and :func:`printable` (with markup off) make such text inert.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from accord.case.model import Case

# C0 and C1 control characters (but tab and newline), DEL, and the bidirectional overrides that can make
# a terminal show text in another order than it is stored: shown as visible escapes instead.
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)]}
_CONTROLS.update({c: f"\\u{c:04x}" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})


def printable(text: object) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``), for output without markup."""
    return str(text).translate(_CONTROLS)


def safe(text: object) -> str:
    """``text`` made inert for Rich with markup on: control characters shown, brackets escaped."""
    return escape(printable(text))


def _fmt(x: float, digits: int = 0) -> str:
    return f"{x:.{digits}f}"


def actors_table(case: Case) -> Table:
    table = Table(title=f"Actors ({len(case.actors)})")
    for col in ("id", "name", "kind", "aliases"):
        table.add_column(col)
    for a in case.actors:
        table.add_row(safe(a.id), safe(a.name), a.kind.value, safe(", ".join(a.aliases)))
    return table


def issues_table(case: Case) -> Table:
    table = Table(title=f"Issues ({len(case.issues)})")
    for col in ("id", "question", "0 means", "100 means", "named points", "status quo"):
        table.add_column(col, justify="right" if col == "status quo" else "left")
    for i in case.issues:
        points = "; ".join(f"{p.at:g}: {p.label}" for p in i.scale.points or [])
        if i.consent:
            points += ("\n" if points else "") + "consent needed: " + ", ".join(i.consent.actors)
        table.add_row(
            safe(i.id),
            safe(i.question),
            safe(i.scale.min_label),
            safe(i.scale.max_label),
            safe(points or "-"),
            _fmt(i.status_quo.point),
        )
    return table


def stances_table(case: Case) -> Table:
    table = Table(
        title="Stances: position (salience); capability; - no stated view; * includes a carry-over reading"
    )
    table.add_column("actor")
    table.add_column("capability", justify="right")
    for issue in case.issues:
        table.add_column(safe(issue.id), justify="right")
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
            carried = (
                "*" if any(e.carry_over for q in (s.position, s.salience) for e in q.all_estimates) else ""
            )
            cells.append(f"{s.position.point:.0f}{spread} ({s.salience.point:.2f}){carried}")
        cap = f"{stance.capability.point:.2f}" + (
            "*" if any(e.carry_over for e in stance.capability.all_estimates) else ""
        )
        name = stance.actor + (" (veto only)" if stance.takes_part == "veto" else "")
        table.add_row(safe(name), cap, *cells)
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
            if r.applies_if.state is not None:
                holds = next((st.holds for st in case.states if st.id == r.applies_if.state), None)
                details.append(
                    f"state {r.applies_if.state}: {'holds' if holds else 'does not hold'} as of "
                    f"{case.case.as_of}"
                )
        if r.co_chairs:
            details.append("co-chairs: " + ", ".join(r.co_chairs))
        arrow = "->" if r.is_directed else "<->"
        target = r.to if r.to is not None else " & ".join(r.parties or [])
        table.add_row(r.type.value, safe(r.from_), safe(f"{arrow} {target}"), safe("; ".join(details)))
    return table


def timeline_table(case: Case) -> Table:
    table = Table(title=f"Timeline ({len(case.events)} events)")
    for col in ("date", "type", "event", "actors"):
        table.add_column(col)
    for e in sorted(case.events, key=lambda e: e.start):
        table.add_row(safe(e.date), e.type.value, safe(e.title), safe(", ".join(e.actors)))
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
        f"[bold]{safe(case.case.title)}[/bold] ({safe(case.id)}, as of {safe(case.case.as_of)})",
        f"{len(case.actors)} actors, {len(case.stances)} with stances; {len(case.issues)} issues; "
        f"{len(case.relations)} relations; {len(case.events)} events"
        + (f" from {years[0]} to {years[-1]}" if years else ""),
        "events by type: " + ", ".join(f"{k} {v}" for k, v in by_type.most_common()),
        f"evidence: {len(pointers)} pointers into {len(docs)} documents; {numbers} numbers, "
        f"{multi} of them with estimates from more than one source",
        "pooling: " + case.case.pooling_rule,
    ]
    carried = case.carry_over_readings()
    if case.case.period_start or carried:
        lines.append(
            f"period from {case.case.period_start or '?'}; {carried} carry-over reading(s) from before it "
            "(marked *; `accord run --no-carry-over` drops them)"
        )
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
