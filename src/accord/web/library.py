"""The cases and scenarios a server offers: the built-in ones by name, and those uploaded into its database.

Requests name cases and scenarios by id only. Ids are looked up in the built-in tables and the database,
never turned into file paths, so no request can make the server read a file of its choosing (the
library functions of :mod:`accord.case.io` accept paths, which is right for the CLI and wrong here).

Uploads are validated by the same functions as ``accord case validate`` and ``accord scenarios validate``,
so the web reports the same ``line:column: field.path: message (hint)`` problems as the command line.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from accord.case.io import DEFAULT_CASE, builtin_cases
from accord.case.model import Case
from accord.case.validate import CaseProblem, ValidationReport, parse_yaml_text, validate_data, validate_text
from accord.spans.pointers import Corpus, sha256_text
from accord.web import db
from accord.web.limits import Limits

__all__ = ["Conflict", "Invalid", "Library", "NotFound"]


class NotFound(LookupError):
    """No case or scenario by that id."""


class Conflict(ValueError):
    """An upload would replace something it may not (a built-in, or an existing upload without
    ``replace``)."""


class Invalid(ValueError):
    """An upload with problems; ``problems`` are the CLI's, with file, line, column and field path."""

    def __init__(self, problems: list[CaseProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")


@dataclass(frozen=True)
class ScenarioEntry:
    id: str
    title: str
    case: str
    source: str  # "builtin" or "uploaded"
    scenario: Any  # accord.scenarios.language.Scenario
    question: str | None = None


class Library:
    """Built-in and uploaded cases and scenarios; parsed cases are cached by the sha256 of their text."""

    def __init__(self, engine: Engine, corpus: Corpus | None = None, limits: Limits | None = None):
        self.engine = engine
        self.corpus = corpus
        self.limits = limits or Limits()
        self._cache: dict[str, Case] = {}
        self._scenario_cache: dict[str, Any] = {}  # sha256 of an uploaded scenario's text -> its report
        self._builtin_texts: dict[str, str] = {}  # built-in files do not change while a server runs
        self._lock = threading.Lock()

    # ---- cases ----------------------------------------------------------------------------------------
    def cases(self) -> list[dict[str, Any]]:
        """Every case id with its title and where it comes from (built-in cases first)."""
        out = [{"id": name, "source": "builtin", "default": name == DEFAULT_CASE} for name in builtin_cases()]
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(db.cases.c.case_id, db.cases.c.title, db.cases.c.uploaded_at).order_by(
                    db.cases.c.case_id
                )
            ).all()
        for entry in out:
            entry["title"] = self.case(entry["id"]).case.title
        out += [
            {
                "id": r.case_id,
                "title": r.title,
                "source": "uploaded",
                "default": False,
                "uploaded_at": r.uploaded_at.isoformat(),
            }
            for r in rows
        ]
        return out

    def case_text(self, case_id: str) -> tuple[str, str]:
        """``(text, display name)`` of a case by id; :class:`NotFound` otherwise."""
        if case_id in self._builtin_texts:
            return self._builtin_texts[case_id], case_id
        builtin = builtin_cases().get(case_id)
        if builtin is not None:
            text = builtin.read_text(encoding="utf-8")
            with self._lock:
                self._builtin_texts[case_id] = text
            return text, case_id
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(db.cases.c.text, db.cases.c.filename).where(db.cases.c.case_id == case_id)
            ).first()
        if row is None:
            raise NotFound(f"no case {case_id!r}; GET /api/cases lists them")
        return row.text, row.filename

    def case(self, case_id: str) -> Case:
        text, name = self.case_text(case_id)
        key = sha256_text(text)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        report = validate_text(text, name)
        if not report.ok:  # an uploaded case was valid when stored; only a format change can get here
            raise Invalid(report.problems)
        assert report.case is not None
        with self._lock:
            self._cache[key] = report.case
        return report.case

    def validate_case(self, text: str, name: str) -> ValidationReport:
        """The CLI's validation, against the server's corpus when it has one, then the server's caps."""
        parsed = parse_yaml_text(text, name, "docs/case-format.md")
        if isinstance(parsed, CaseProblem):
            return ValidationReport(file=name, problems=[parsed])
        capped = self.limits.case_problems(parsed, name)
        if capped:
            return ValidationReport(file=name, problems=capped)
        return validate_data(parsed, name, self.corpus)

    def add_case(self, text: str, name: str, *, replace: bool = False, token_id: int | None = None) -> Case:
        report = self.validate_case(text, name)
        if not report.ok:
            raise Invalid(report.problems)
        case = report.case
        assert case is not None
        if case.id in builtin_cases():
            raise Conflict(f"{case.id!r} is a built-in case; give your case another id")
        values = {
            "title": case.case.title,
            "filename": name[:200],
            "sha256": sha256_text(text),
            "text": text,
            "uploaded_at": db.now(),
            "token_id": token_id,
        }
        with self.engine.begin() as conn:
            exists = conn.execute(sa.select(db.cases.c.case_id).where(db.cases.c.case_id == case.id)).first()
            if exists and not replace:
                raise Conflict(f"a case {case.id!r} was uploaded before; pass replace=true to replace it")
            if exists:
                conn.execute(db.cases.update().where(db.cases.c.case_id == case.id).values(**values))
            else:
                conn.execute(db.cases.insert().values(case_id=case.id, **values))
        return case

    # ---- scenarios ------------------------------------------------------------------------------------
    def scenarios(self, case_id: str | None = None) -> list[ScenarioEntry]:
        """Built-in and uploaded scenarios (valid ones only), optionally for one case."""
        entries = self._builtin_scenarios() + self._uploaded_scenarios()
        return [e for e in entries if case_id is None or e.case == case_id]

    def scenario(self, scenario_id: str) -> ScenarioEntry:
        for entry in self.scenarios():
            if entry.id == scenario_id:
                return entry
        raise NotFound(f"no scenario {scenario_id!r}; GET /api/scenarios lists them")

    def _builtin_scenarios(self) -> list[ScenarioEntry]:
        try:
            from accord.scenarios.service import list_scenarios
        except ImportError:  # the scenario layer is optional for the rest of the app
            return []
        return [
            ScenarioEntry(s.id, s.title, case, "builtin", s, s.question)
            for _name, s, case in list_scenarios()
            if s is not None
        ]

    def _uploaded_scenarios(self) -> list[ScenarioEntry]:
        from accord.scenarios.language import validate_scenario_text

        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(db.scenarios).order_by(db.scenarios.c.scenario_id)).all()
        out = []
        for row in rows:  # validated once per text: listing must not re-parse every upload on every request
            key = f"{row.scenario_id}:{sha256_text(row.text)}"
            report = self._scenario_cache.get(key)
            if report is None:
                report = validate_scenario_text(row.text, row.scenario_id)
                with self._lock:
                    if len(self._scenario_cache) > 4096:  # replaced uploads leave old keys behind
                        self._scenario_cache.clear()
                    self._scenario_cache[key] = report
            if report.ok and report.scenario is not None:
                s = report.scenario
                out.append(ScenarioEntry(s.id, s.title, row.case_id, "uploaded", s, s.question))
        return out

    def validate_scenario(self, text: str, name: str) -> tuple[Any, Case | None, list[CaseProblem]]:
        """Schema checks, then the checks against its case (which must be a case this server offers)."""
        from accord.scenarios.checks import check_evidence, check_scenario
        from accord.scenarios.language import validate_scenario_text

        report = validate_scenario_text(text, name)
        if not report.ok or report.scenario is None:
            return None, None, report.problems
        scenario = report.scenario
        capped = self.limits.scenario_problems(scenario, name)
        if capped:
            return scenario, None, capped
        case_id = scenario.case or DEFAULT_CASE
        try:
            case = self.case(case_id)
        except NotFound:
            line, column = report.located.mark(("case",)) if report.located else (1, 1)
            return (
                scenario,
                None,
                [
                    CaseProblem(
                        name,
                        line,
                        column,
                        "case",
                        f"no case {case_id!r} on this server",
                        "give a built-in case name or the id of an uploaded case",
                    )
                ],
            )
        problems = check_scenario(scenario, case, name, report.located)
        if self.corpus is not None:
            problems += check_evidence(scenario, self.corpus, name, report.located)
        return scenario, case, problems

    def add_scenario(
        self, text: str, name: str, *, replace: bool = False, token_id: int | None = None
    ) -> ScenarioEntry:
        scenario, case, problems = self.validate_scenario(text, name)
        if problems:
            raise Invalid(problems)
        assert scenario is not None and case is not None
        if any(e.id == scenario.id for e in self._builtin_scenarios()):
            raise Conflict(f"{scenario.id!r} is a built-in scenario; give yours another id")
        values = {
            "case_id": case.id,
            "title": scenario.title,
            "sha256": sha256_text(text),
            "text": text,
            "uploaded_at": db.now(),
            "token_id": token_id,
        }
        with self.engine.begin() as conn:
            table = db.scenarios
            exists = conn.execute(
                sa.select(table.c.scenario_id).where(table.c.scenario_id == scenario.id)
            ).first()
            if exists and not replace:
                raise Conflict(
                    f"a scenario {scenario.id!r} was uploaded before; pass replace=true to replace it"
                )
            if exists:
                conn.execute(table.update().where(table.c.scenario_id == scenario.id).values(**values))
            else:
                conn.execute(table.insert().values(scenario_id=scenario.id, **values))
        return ScenarioEntry(scenario.id, scenario.title, case.id, "uploaded", scenario, scenario.question)
