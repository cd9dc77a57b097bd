"""What one web request may ask of the server: caps on the size of uploads and runs.

A case of 7,500 actors fits in a 2 MB body and is a valid case; every model run, chart and tornado on it
then costs the server minutes. The web caps actors, issues and interventions per uploaded file and draws
per run; the CLI and the Python API keep no such caps (their user pays for their own runs). Over a cap,
the request gets 422 with a problem naming the field, the count and the limit, like any other problem.

``accord serve --limit actors=500 --limit draws=20000`` changes them (docs/security.md).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from accord.case.validate import CaseProblem
from accord.case.yamlio import Located

__all__ = ["Limits"]


@dataclass(frozen=True)
class Limits:
    """Per-request caps of a server; each is a count (``0`` would refuse everything, so at least 1)."""

    actors: int = 200
    issues: int = 50
    interventions: int = 200
    draws: int = 5000

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"limit {f.name} must be a whole number of at least 1, not {value!r}")

    @classmethod
    def parse(cls, items: list[str] | tuple[str, ...]) -> Limits:
        """``["actors=500", "draws=20000"]`` over the defaults; ``ValueError`` naming a bad item."""
        names = [f.name for f in fields(cls)]
        changes: dict[str, int] = {}
        for item in items:
            name, sep, value = item.partition("=")
            name = name.strip()
            if not sep or name not in names:
                raise ValueError(f"{item!r}: write NAME=N with NAME one of {', '.join(names)}")
            try:
                changes[name] = int(value)
            except ValueError:
                raise ValueError(f"{item!r}: {value!r} is not a whole number") from None
        return replace(cls(), **changes)

    def _over(self, name: str, count: int, file: str, what: str) -> CaseProblem | None:
        limit = getattr(self, name)
        if count <= limit:
            return None
        return CaseProblem(
            file,
            1,
            1,
            name,
            f"the {what} has {count:,} {name}; this server takes at most {limit:,}",
            f"split it, run it with the command line (no caps), or raise the cap: "
            f"accord serve --limit {name}=N",
        )

    def case_problems(self, located: Located, file: str) -> list[CaseProblem]:
        """Problems for a case file over the actor or issue caps, from its parsed YAML (before the costly
        validation of thousands of entries), each at the line of its list."""
        data = located.data if isinstance(located.data, dict) else {}
        found = []
        for name in ("actors", "issues"):
            entries = data.get(name)
            problem = self._over(name, len(entries), file, "case") if isinstance(entries, list) else None
            if problem is not None:
                line, column = located.mark((name,))
                found.append(replace(problem, line=line, column=column))
        return found

    def scenario_problems(self, scenario: Any, file: str) -> list[CaseProblem]:
        """Problems for a scenario over the intervention cap."""
        found = self._over("interventions", len(scenario.interventions), file, "scenario")
        return [found] if found is not None else []

    def draws_problem(self, draws: int) -> CaseProblem | None:
        return self._over("draws", draws, "request", "run")
