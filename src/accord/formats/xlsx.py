"""A case (and optionally a run's results) as an Excel workbook, one table per sheet.

Sheets: *Case* (title, as of, description), *Sources* (title, date, publisher), *Actors*, *Issues* (with
what 0 and 100 mean and the status quo), *Stances* (actor x issue: position, salience, capability, the
number of estimates), *Relations*, *Events*; with a run, *Forecast* (per issue: the status quo, the point
run and, with draws, the median and 5-95% interval). Written with openpyxl (the ``interop`` extra).
"""

from __future__ import annotations

import io
from typing import Any

from accord.case.model import Case

__all__ = ["case_sheets", "to_xlsx", "workbook_bytes"]


def workbook_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    """An .xlsx file of the given sheets (first row of each: the header, in bold, frozen)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name[:31])
        for row in rows:
            sheet.append([_cell(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def case_sheets(case: Case) -> dict[str, list[list[Any]]]:
    meta = case.case
    stances = [
        ["actor", "issue", "position", "position low", "position high", "salience", "capability", "estimates"]
    ]
    for s in case.stances:
        for issue, st in s.issues.items():
            low, high = st.position.bounds
            stances.append(
                [
                    s.actor,
                    issue,
                    st.position.point,
                    low,
                    high,
                    st.salience.point,
                    (st.capability or s.capability).point,
                    len(st.position.all_estimates),
                ]
            )
    return {
        "Case": [
            ["field", "value"],
            ["id", case.id],
            ["title", meta.title],
            ["as of", meta.as_of],
            ["description", meta.description],
        ],
        "Sources": [["id", "title", "date", "publisher"]]
        + [[s.id, s.title, s.date, s.publisher] for s in meta.sources],
        "Actors": [["id", "name", "kind", "aliases"]]
        + [[a.id, a.name, a.kind.value, ", ".join(a.aliases)] for a in case.actors],
        "Issues": [["id", "question", "0 means", "100 means", "status quo"]]
        + [[i.id, i.question, i.scale.min_label, i.scale.max_label, i.status_quo.point] for i in case.issues],
        "Stances": stances,
        "Relations": [["id", "type", "from", "to", "since", "until", "share", "note"]]
        + [
            [r.id, r.type.value, r.from_, ", ".join(r.ends[1:]), r.since, r.until, r.share, r.note]
            for r in case.relations
        ],
        "Events": [["id", "date", "end date", "type", "title", "actors", "outcome"]]
        + [
            [e.id, e.date, e.end_date, e.type.value, e.title, ", ".join(e.actors), e.outcome]
            for e in case.events
        ],
    }


def to_xlsx(case: Case, run: dict[str, Any] | None = None) -> bytes:
    """The case's sheets, plus a *Forecast* sheet from a run document (:meth:`Run.to_json`) when given."""
    sheets = case_sheets(case)
    if run is not None:
        rows = [["issue", "status quo", "point run", "forecast", "p05", "p95", "model", "draws", "seed"]]
        for issue, forecast in run["forecast"].items():
            interval = run["interval"].get(issue, {})
            rows.append(
                [
                    issue,
                    run["status_quo"][issue],
                    run["point_forecast"][issue],
                    forecast,
                    interval.get("low"),
                    interval.get("high"),
                    run["model"],
                    run["draws"],
                    run["seed"],
                ]
            )
        sheets["Forecast"] = rows
    return workbook_bytes(sheets)
