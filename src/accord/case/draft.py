"""Draft mode: validating a case that still has to-dos, and the runnable case inside a draft.

A draft is a case file with slots left open: ``null`` (or empty, or text starting with TODO) where a
question, label, value or date is to come, and empty evidence lists. ``accord case validate --draft``
accepts it and lists the slots as a checklist with their file positions; anything else wrong (a
position of 140, an unknown actor, a bad pointer) is still an error.

Each slot is one of two kinds:

* **blocking**: the case cannot run until it is filled: an issue's question, scale labels or status
  quo; any number that is written but cites no evidence; a source's date or sha256; no issues at all;
  fewer than two actors holding a stance.
* **open**: an actor's capability, position or salience not given yet. The actor simply takes no part
  (on that issue, or at all when its capability is open) until it is.

How: every open slot is filled with a placeholder, the placeholder copy is validated strictly (so all
the ordinary rules run), and problems found at placeholder paths are dropped. When nothing blocks,
the runnable case is the draft without its open stance slots, validated strictly once more.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from accord.case.io import builtin_path, resolve_case_path
from accord.case.model import Case
from accord.case.validate import PathT, ValidationReport, dotted, validate_data, validate_file, validate_text
from accord.case.yamlio import Located
from accord.spans.pointers import Corpus

__all__ = [
    "DraftReport",
    "Todo",
    "draft_report",
    "is_unfilled",
    "validate_draft_data",
    "validate_text_or_draft",
]

_NO_SHA = "0" * 64
_PH_ISSUE = "todo-issue"


def is_unfilled(value: Any) -> bool:
    """A slot still to fill: missing, null, empty, or text starting with TODO."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip() or value.strip().upper().startswith("TODO")
    return isinstance(value, list | dict) and not value


@dataclass(frozen=True)
class Todo:
    """One open slot of a draft, printable as ``FILE:LINE:COL: [blocks] path: what (hint)``."""

    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""
    blocking: bool = False

    def __str__(self) -> str:
        tag = "[blocks]" if self.blocking else "[open]  "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.file}:{self.line}:{self.column}: {tag} {self.path}: {self.message}{hint}"


@dataclass
class DraftReport(ValidationReport):
    """A validation report in draft mode: errors (``problems``), to-dos, and the runnable case if any."""

    todos: list[Todo] = field(default_factory=list)
    draft_case: Case | None = None  # the draft without its open slots (issues may be empty): for extraction

    @property
    def ok(self) -> bool:
        """No errors: the draft is acceptable, whatever remains to fill in."""
        return not self.problems

    @property
    def runnable(self) -> bool:
        return self.ok and self.case is not None

    @property
    def blocking(self) -> list[Todo]:
        return [t for t in self.todos if t.blocking]

    def summary(self) -> str:
        if not self.ok:
            return f"{self.file}: {len(self.problems)} problem(s)"
        open_ = len(self.todos) - len(self.blocking)
        if self.runnable:
            assert self.case is not None
            taking = len(self.case.bargaining_actor_ids)
            return (
                f"{self.file}: runnable draft: {taking} actor(s) take part on {len(self.case.issues)} "
                "issue(s); "
                f"{open_} open slot(s) left"
            )
        return (
            f"{self.file}: valid draft, not runnable yet: {len(self.blocking)} to-do(s) block running, "
            f"{open_} open slot(s)"
        )

    def refusal(self, first: int = 3) -> str:
        """One message for a command that needs a runnable case."""
        shown = "\n".join(f"  {t}" for t in self.blocking[:first])
        more = f"\n  ... and {len(self.blocking) - first} more" if len(self.blocking) > first else ""
        return (
            f"{self.file} is a draft and cannot run yet: {len(self.blocking)} to-do(s) block it; the first:\n"
            f"{shown}{more}\nsee the checklist: accord case validate {self.file} --draft"
        )

    def to_json(self) -> dict[str, Any]:
        data = super().to_json()
        data.update(valid=self.ok, draft=True, runnable=self.runnable, todos=[asdict(t) for t in self.todos])
        return data


@dataclass
class _Filler:
    """Walks the raw data, recording to-dos and putting placeholders in the open slots."""

    located: Located
    name: str
    todos: list[tuple[PathT, str, str, bool]] = field(default_factory=list)
    placeholders: list[PathT] = field(default_factory=list)
    open_entries: set[tuple[int, str | None]] = field(default_factory=set)  # (stance index, issue id or None)
    doc: str = "todo"

    def todo(
        self, path: PathT, message: str, hint: str = "", blocking: bool = False, placeholder: bool = True
    ) -> None:
        self.todos.append((path, message, hint, blocking))
        if placeholder:
            self.placeholders.append(path)

    def pointer(self) -> dict[str, Any]:
        return {"doc": self.doc, "start": 0, "end": 1, "sha256": _NO_SHA}

    def quantity(
        self, holder: dict, key: str, path: PathT, mid: float, what: str, blocking_if_empty: bool
    ) -> str:
        """Fill one number: 'ok', 'empty' (no value) or 'uncited' (a value without evidence)."""
        q = holder.get(key)
        if not isinstance(q, dict) or ("estimates" not in q and is_unfilled(q.get("value"))):
            if q is not None and not isinstance(q, dict):
                return "ok"  # not a mapping: let the schema say so
            hint = (
                "a number and the passages behind it"
                if blocking_if_empty
                else "until then it takes no part on this"
            )
            self.todo(path + (key,), f"{what} not given yet", hint, blocking_if_empty)
            holder[key] = {"value": mid, "evidence": [self.pointer()]}
            return "empty"
        items = q.get("estimates") if isinstance(q.get("estimates"), list) else [q]
        state = "ok"
        for i, item in enumerate(items):
            base = path + (key,) + (("estimates", i) if item is not q else ())
            if not isinstance(item, dict):
                continue
            if is_unfilled(item.get("value")):
                self.todo(base + ("value",), f"{what} not given yet", "", blocking_if_empty)
                item["value"], state = mid, "empty"
            if is_unfilled(item.get("evidence")):
                self.todo(
                    base + ("evidence",),
                    f"{what} cites no evidence yet",
                    "paste a pointer: `accord evidence suggest` or `accord evidence locate`",
                    True,
                )
                item["evidence"] = [self.pointer()]
                state = "empty" if state == "empty" else "uncited"
        return state

    def text(
        self, holder: dict, key: str, path: PathT, what: str, hint: str, blocking: bool, value: str
    ) -> None:
        if isinstance(holder, dict) and is_unfilled(holder.get(key)):
            self.todo(path + (key,), f"{what} not written yet", hint, blocking)
            holder[key] = value


def _fill_meta(f: _Filler, data: dict) -> None:
    meta = data.get("case")
    if not isinstance(meta, dict):
        return
    f.text(
        meta,
        "description",
        ("case",),
        "description",
        "a sentence or two on the conflict",
        False,
        "(to be written)",
    )
    sources = meta.get("sources") if isinstance(meta.get("sources"), list) else []
    if sources and isinstance(sources[0], dict) and isinstance(sources[0].get("id"), str):
        f.doc = sources[0]["id"]
    for i, s in enumerate(sources):
        if not isinstance(s, dict):
            continue
        base: PathT = ("case", "sources", i)
        f.text(s, "title", base, "title", "the document's title", False, str(s.get("id", "untitled")))
        f.text(s, "date", base, "date", "when it was written: YYYY-MM-DD, YYYY-MM or YYYY", True, "2000")
        f.text(
            s,
            "sha256",
            base,
            "sha256",
            "`accord case new` writes it; it is the sha256 of the text",
            True,
            _NO_SHA,
        )


def _fill_issues(f: _Filler, data: dict) -> list[str]:
    issues = data.get("issues")
    if is_unfilled(issues):
        f.todo(("issues",), "no issues yet", "add one: id, question, scale and status quo", True)
        data["issues"] = [
            {
                "id": _PH_ISSUE,
                "question": "?",
                "scale": {"min_label": "?", "max_label": "?"},
                "status_quo": {"value": 50, "evidence": [f.pointer()]},
            }
        ]
        return [_PH_ISSUE]
    ids = []
    for i, issue in enumerate(issues if isinstance(issues, list) else []):
        if not isinstance(issue, dict):
            continue
        base: PathT = ("issues", i)
        ids.append(str(issue.get("id")))
        f.text(issue, "question", base, "question", "the question the issue asks", True, "?")
        if not isinstance(issue.get("scale"), dict):
            f.todo(
                base + ("scale",),
                "scale not written yet",
                "min_label and max_label: what 0 and 100 mean",
                True,
            )
            issue["scale"] = {"min_label": "?", "max_label": "?"}
        for label in ("min_label", "max_label"):
            f.text(
                issue["scale"], label, base + ("scale",), label, "what this end of the scale means", True, "?"
            )
        f.quantity(issue, "status_quo", base, 50, f"status quo of {issue.get('id')}", True)
    return ids


def _fill_stances(f: _Filler, data: dict, issue_ids: list[str]) -> None:
    stances = data.get("stances")
    if stances is None:
        data["stances"] = []
        return
    for i, stance in enumerate(stances if isinstance(stances, list) else []):
        if not isinstance(stance, dict):
            continue
        base: PathT = ("stances", i)
        who = stance.get("actor", "this actor")
        if f.quantity(stance, "capability", base, 0.5, f"{who}'s capability", False) == "empty":
            f.todos[-1] = f.todos[-1][:2] + (f"{who} takes no part until it is given", False)
            f.open_entries.add((i, None))
        entries = stance.get("issues")
        if is_unfilled(entries):
            f.todo(base + ("issues",), "no stance on any issue yet", f"{who} takes no part until it has one")
            stance["issues"] = {issue_ids[0] if issue_ids else _PH_ISSUE: None}
            f.open_entries.add((i, None))
            entries = stance["issues"]
        if not isinstance(entries, dict):
            continue
        for issue_id, entry in list(entries.items()):
            path = base + ("issues", issue_id)
            if entry is None:
                entry = entries[issue_id] = {}
            if not isinstance(entry, dict):
                continue
            states = [
                f.quantity(entry, key, path, mid, f"{who}'s {key} on {issue_id}", False)
                for key, mid in (("position", 50), ("salience", 0.5))
            ]
            if "capability" in entry and entry["capability"] is not None:
                states.append(
                    f.quantity(entry, "capability", path, 0.5, f"{who}'s capability on {issue_id}", False)
                )
            if "empty" in states:
                f.open_entries.add((i, issue_id))


def _fill_evidence_lists(f: _Filler, data: dict) -> None:
    for key in ("relations", "events"):
        for i, item in enumerate(data.get(key) or []):
            if isinstance(item, dict) and is_unfilled(item.get("evidence")):
                f.todo(
                    (key, i, "evidence"),
                    f"{key[:-1]} {item.get('id')!r} cites no evidence yet",
                    "paste a pointer, or delete the item",
                    True,
                )
                item["evidence"] = [f.pointer()]


def _placeholder(path: str, placeholders: set[str]) -> bool:
    return any(path == p or path.startswith(p + ".") or path.startswith(p + "[") for p in placeholders)


def _runnable_data(data: dict, f: _Filler) -> dict:
    """The filled data without the open stance slots: what runs."""
    pruned = copy.deepcopy(data)
    stances = []
    for i, stance in enumerate(pruned.get("stances") or []):
        if (i, None) in f.open_entries:
            continue
        stance["issues"] = {k: v for k, v in stance["issues"].items() if (i, k) not in f.open_entries}
        if stance["issues"]:
            stances.append(stance)
    pruned["stances"] = stances
    return pruned


def validate_draft_data(located: Located, name: str = "<data>", corpus: Corpus | None = None) -> DraftReport:
    """Draft-mode validation of parsed YAML: errors, the to-do checklist, and the runnable case."""
    report = DraftReport(file=name)
    if not isinstance(located.data, dict):
        report.problems = validate_data(located, name, corpus).problems
        return report
    data = copy.deepcopy(located.data)
    f = _Filler(located, name)
    _fill_meta(f, data)
    issue_ids = _fill_issues(f, data)
    _fill_stances(f, data, issue_ids)
    _fill_evidence_lists(f, data)
    holes = {dotted(p) for p in f.placeholders}
    strict = validate_data(Located(data, located.marks), name, corpus)
    report.corpus_checked = strict.corpus_checked
    # no stances yet is a to-do of a draft (see _find_runnable), not a problem
    report.problems = [
        p
        for p in strict.problems
        if not _placeholder(p.path, holes) and not (p.path == "stances" and not data.get("stances"))
    ]
    report.todos = [Todo(name, *located.mark(p), dotted(p), m, h, b) for p, m, h, b in f.todos]
    if report.problems:
        return report
    _find_runnable(report, data, f, located, name, corpus)
    return report


def _find_runnable(
    report: DraftReport, data: dict, f: _Filler, located: Located, name: str, corpus: Corpus | None
) -> None:
    pruned = _runnable_data(data, f)
    taking = {s.get("actor") for s in pruned["stances"]}
    if not any(t.blocking for t in report.todos) and len(taking) < 2:
        line, col = located.mark(("stances",))
        report.todos.append(
            Todo(
                name,
                line,
                col,
                "stances",
                f"{len(taking)} actor(s) hold a complete stance",
                "a bargain needs at least two: give capability, position and salience",
                True,
            )
        )
    report.draft_case = _extraction_case(pruned, f, name)
    if not any(t.blocking for t in report.todos):
        strict = validate_data(Located(pruned, located.marks), name, corpus)
        report.problems += strict.problems  # a bug if any: the pruned draft should validate
        report.case = strict.case


def _extraction_case(pruned: dict, f: _Filler, name: str) -> Case | None:
    """The draft's meta, actors and complete issues, no stances: what extraction and merging need."""
    incomplete = {p[1] for p, *_ in f.todos if len(p) > 1 and p[0] == "issues"}
    probe = copy.deepcopy(pruned)
    probe["stances"] = []
    complete = [
        issue
        for i, issue in enumerate(probe["issues"])
        if i not in incomplete and issue.get("id") != _PH_ISSUE
    ]
    probe["issues"] = complete or probe["issues"][:1]
    report = validate_data(Located(probe, {}), name, None)
    case = report.case
    if case is None and report.problems and all(p.path == "stances" for p in report.problems):
        case = Case.model_validate(probe)  # no stances by design: only the case-level "cannot run" rule fired
    if case is None or complete:
        return case
    return case.model_copy(update={"issues": []})


def validate_text_or_draft(text: str, name: str = "<text>", corpus: Corpus | None = None) -> ValidationReport:
    """Validate text in draft mode: for what extraction writes from a draft case (strict cases pass alike)."""
    return validate_text(text, name, corpus, data_check=validate_draft_data)


def draft_report(path_or_name: str | Path | None, corpus: Corpus | None = None) -> DraftReport:
    """Load a case file (or built-in name) in draft mode."""
    path = resolve_case_path(path_or_name)
    name = str(path_or_name) if path_or_name is not None and builtin_path(str(path_or_name)) else None
    report = validate_file(path, corpus, name, data_check=validate_draft_data)
    if isinstance(report, DraftReport):
        return report
    out = DraftReport(file=report.file)  # the file could not be read or parsed
    out.problems = list(report.problems)
    return out
