"""From checked survey rows to a case: each expert a source, each answer an estimate citing its row.

Each expert's answers are written out as a small CSV document of their own (header and their rows, in
the survey's order), so that the expert is a source like any text: it has an id, a sha256, and every
estimate cites the span of its row. ``--perspective EXPERT`` then reads the case as that expert does,
and pooled uncertainty draws over the experts' estimates as it does over the texts'.

A number the case already has keeps its estimates and gains the experts'; an open slot (``null``) is
replaced by them. Capability is per actor: an expert who gives it on several rows contributes the mean.
"""

from __future__ import annotations

import copy
import csv
import io
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from accord.formats.survey import COLUMNS, SurveyRow
from accord.spans.pointers import sha256_text

__all__ = ["ExpertSheet", "expert_sheets", "merge_survey"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "expert"


@dataclass
class ExpertSheet:
    """One expert's answers as a document: its source id, text, and the span of each survey row."""

    expert: str
    source: str
    text: str = ""
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)


def _line(values: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def expert_sheets(rows: Sequence[SurveyRow], taken: set[str]) -> dict[str, ExpertSheet]:
    """A document per expert; source ids are the experts' slugs (``expert-`` first if one is taken)."""
    sheets: dict[str, ExpertSheet] = {}
    for row in rows:
        if row.expert not in sheets:
            base = _slug(row.expert)
            source = base if base not in taken else f"expert-{base}"
            while source in taken:
                source += "-2"
            taken.add(source)
            sheets[row.expert] = ExpertSheet(row.expert, source, _line(COLUMNS) + "\n")
        sheet = sheets[row.expert]
        line = _line(
            [
                row.expert,
                row.actor,
                row.issue,
                _fmt(row.position),
                _fmt(row.salience),
                _fmt(row.capability),
                _fmt(row.low),
                _fmt(row.high),
                row.note or "",
            ]
        )
        sheet.spans[row.row] = (len(sheet.text), len(sheet.text) + len(line))
        sheet.text += line + "\n"
    return sheets


def _pointer(sheet: ExpertSheet, row: int, survey: str) -> dict:
    start, end = sheet.spans[row]
    return {
        "doc": sheet.source,
        "start": start,
        "end": end,
        "sha256": sha256_text(sheet.text[start:end]),
        "note": f"row {row} of {survey}",
    }


def _add(holder: dict, key: str, estimate: dict) -> None:
    """Add an estimate to a quantity, turning a single value into a list and replacing an open slot."""
    q = holder.get(key)
    if not isinstance(q, dict) or ("estimates" not in q and q.get("value") is None):
        holder[key] = {"estimates": [estimate]}
    elif isinstance(q.get("estimates"), list):
        q["estimates"].append(estimate)
    else:
        single = {k: q[k] for k in ("value", "low", "high", "evidence", "note") if q.get(k) is not None}
        holder[key] = {"estimates": [single, estimate]}


def _estimate(value: float, sheet: ExpertSheet, row: SurveyRow, survey: str, with_range: bool) -> dict:
    item: dict = {"value": value}
    if with_range and row.low is not None:
        item["low"] = row.low
    if with_range and row.high is not None:
        item["high"] = row.high
    item["source"] = sheet.source
    item["evidence"] = [_pointer(sheet, row.row, survey)]
    if with_range and row.note:
        item["note"] = row.note[:5000]
    return item


def _stance(data: dict, actor: str) -> dict:
    stances = data.setdefault("stances", []) or []
    data["stances"] = stances
    for stance in stances:
        if isinstance(stance, dict) and stance.get("actor") == actor:
            if not isinstance(stance.get("issues"), dict):
                stance["issues"] = {}
            return stance
    stance = {"actor": actor, "capability": None, "issues": {}}
    stances.append(stance)
    return stance


def merge_survey(
    data: dict, rows: Sequence[SurveyRow], sheets: dict[str, ExpertSheet], survey: str, date: str
) -> dict:
    """The case data with the experts as sources and their answers as estimates."""
    out = copy.deepcopy(data)
    sources = out["case"].setdefault("sources", [])
    for sheet in sheets.values():
        sources.append(
            {
                "id": sheet.source,
                "title": f"Answers of expert {sheet.expert} to the survey {survey}",
                "date": date,
                "date_precision": "estimated",
                "sha256": sha256_text(sheet.text),
            }
        )
    capability: dict[tuple[str, str], list[SurveyRow]] = defaultdict(list)
    for row in rows:
        sheet = sheets[row.expert]
        stance = _stance(out, row.actor)
        entry = stance["issues"].get(row.issue)
        if not isinstance(entry, dict):
            entry = stance["issues"][row.issue] = {"position": None, "salience": None}
        _add(entry, "position", _estimate(row.position, sheet, row, survey, True))
        if row.salience is not None:
            _add(entry, "salience", _estimate(row.salience, sheet, row, survey, False))
        if row.capability is not None:
            capability[(row.actor, row.expert)].append(row)
    for (actor, expert), answers in capability.items():
        mean = sum(r.capability for r in answers if r.capability is not None) / len(answers)
        item = _estimate(round(mean, 6), sheets[expert], answers[0], survey, False)
        item["evidence"] = [_pointer(sheets[expert], r.row, survey) for r in answers]
        if len(answers) > 1:
            item["note"] = f"mean of the expert's {len(answers)} answers"
        _add(_stance(out, actor), "capability", item)
    return out
