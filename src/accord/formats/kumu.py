"""A case as a Kumu workbook: an Excel file with the *Elements* and *Connections* sheets Kumu imports.

Kumu (kumu.io) reads a spreadsheet with one sheet of elements (``Label``, ``Type``, ``Description``,
``Tags`` and any further columns as fields) and one of connections (``From``, ``To``, ``Type``,
``Direction``, ...), matching connections to elements by label. Actors become elements (their kind as
the type, capability as a field); relations become connections with their dates and note. Written with
openpyxl (the ``interop`` extra).
"""

from __future__ import annotations

from typing import Any

from accord.case.model import Case

__all__ = ["kumu_sheets", "to_kumu"]

ELEMENT_COLUMNS = ["Label", "Type", "Description", "Tags", "Capability", "Accord id"]
CONNECTION_COLUMNS = [
    "From",
    "To",
    "Type",
    "Direction",
    "Description",
    "Since",
    "Until",
    "Share",
    "Accord id",
]


def kumu_sheets(case: Case) -> dict[str, list[list[Any]]]:
    """The two sheets as rows (header first)."""
    names = {a.id: a.name for a in case.actors}
    capability = {s.actor: s.capability.point for s in case.stances}
    elements = [ELEMENT_COLUMNS] + [
        [a.name, a.kind.value.replace("_", " "), "", "|".join(a.aliases), capability.get(a.id), a.id]
        for a in case.actors
    ]
    connections = [CONNECTION_COLUMNS]
    for r in case.relations:
        for target in r.ends[1:]:
            connections.append(
                [
                    names[r.from_],
                    names[target],
                    r.type.value.replace("_", " "),
                    "directed" if r.is_directed else "undirected",
                    r.note or "",
                    r.since or "",
                    r.until or "",
                    r.share,
                    r.id,
                ]
            )
    return {"Elements": elements, "Connections": connections}


def to_kumu(case: Case) -> bytes:
    """The workbook's bytes (.xlsx)."""
    from accord.formats.xlsx import workbook_bytes

    return workbook_bytes(kumu_sheets(case))
