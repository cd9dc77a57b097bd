"""The whole case: a validated, immutable conflict with lookups and pandas views."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from accord.case.model.base import (
    FORMAT_VERSION,
    Estimate,
    Frozen,
    Pointer,
    Quantity,
    empty_list,
    parse_partial_date,
)
from accord.case.model.parts import Actor, CaseMeta, Event, Issue, Relation, Stance, State

if TYPE_CHECKING:  # pandas loads only when a frame is asked for (start-up time of the CLI)
    import pandas as pd

__all__ = ["Case"]


class Case(Frozen):
    """A validated, immutable conflict case. Build it with :func:`accord.load_case`."""

    format: Literal[1] = Field(FORMAT_VERSION, description="Version of the case format.")
    case: CaseMeta
    actors: list[Actor] = Field(min_length=1)
    issues: list[Issue] = Field(min_length=1)
    stances: list[Stance] = Field(default_factory=empty_list)
    relations: list[Relation] = Field(default_factory=empty_list)
    states: list[State] = Field(default_factory=empty_list)
    events: list[Event] = Field(default_factory=empty_list)

    # ---- convenient lookups -------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.case.id

    @property
    def actor_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.actors)

    @property
    def issue_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.issues)

    @property
    def bargaining_actor_ids(self) -> tuple[str, ...]:
        """Actors at the table (a stance that does not say ``takes_part: veto``), in case order: the rows of
        the arrays."""
        with_stance = {s.actor for s in self.stances if s.takes_part == "bargains"}
        return tuple(a for a in self.actor_ids if a in with_stance)

    def state(self, state_id: str) -> State:
        return next(s for s in self.states if s.id == state_id)

    def reading_date(self, estimate: Estimate) -> dt.date | None:
        """The date of a reading: its own ``date``, else the latest date of its sources (None if unknown)."""
        if estimate.date is not None:
            return parse_partial_date(estimate.date)[0]
        dates = {s.id: s.date for s in self.case.sources}
        found = [parse_partial_date(dates[d])[0] for d in estimate.sources if d in dates]
        return max(found) if found else None

    def engine_quantities(self) -> list[tuple[str, Quantity]]:
        """Every number the engines read, with its path: status quos, capabilities, positions, saliences."""
        found: list[tuple[str, Quantity]] = [(f"{i.id}.status_quo", i.status_quo) for i in self.issues]
        for s in self.stances:
            found.append((f"{s.actor}.capability", s.capability))
            for issue_id, x in s.issues.items():
                found += [
                    (f"{s.actor}.{issue_id}.{k}", getattr(x, k))
                    for k in ("position", "salience", "capability")
                    if getattr(x, k) is not None
                ]
        return found

    def carry_over_readings(self) -> int:
        """How many readings of those numbers are carry-overs from before the case's own period."""
        return sum(1 for _, q in self.engine_quantities() for e in q.all_estimates if e.carry_over)

    def readings_note(self) -> str:
        """The pooling rule and the carry-overs, in one phrase: shown wherever a pooled value is."""
        carried = self.carry_over_readings()
        extra = f"; {carried} carry-over reading(s) from before the case's period" if carried else ""
        return self.case.pooling_rule.rstrip(". ") + extra

    def actor(self, actor_id: str) -> Actor:
        return next(a for a in self.actors if a.id == actor_id)

    def issue(self, issue_id: str) -> Issue:
        return next(i for i in self.issues if i.id == issue_id)

    def stance(self, actor_id: str) -> Stance:
        return next(s for s in self.stances if s.actor == actor_id)

    def all_pointers(self) -> list[tuple[str, Pointer]]:
        """Every evidence pointer in the case with a dotted label of what it supports."""
        found: list[tuple[str, Pointer]] = []
        for issue in self.issues:
            found += [(f"{issue.id}.status_quo", p) for p in issue.status_quo.pointers]
        for stance in self.stances:
            found += [(f"{stance.actor}.capability", p) for p in stance.capability.pointers]
            for issue_id, s in stance.issues.items():
                found += [(f"{stance.actor}.{issue_id}.position", p) for p in s.position.pointers]
                found += [(f"{stance.actor}.{issue_id}.salience", p) for p in s.salience.pointers]
                if s.capability is not None:
                    found += [(f"{stance.actor}.{issue_id}.capability", p) for p in s.capability.pointers]
        found += [(f"{i.id}.consent", p) for i in self.issues if i.consent for p in i.consent.evidence]
        found += [(f"relation {r.id}", p) for r in self.relations for p in r.evidence]
        found += [(f"state {s.id}", p) for s in self.states for p in s.evidence]
        found += [(f"event {e.id}", p) for e in self.events for p in e.evidence]
        return found

    # ---- pandas views (new frames each call: the case itself stays immutable) ---------------
    def actors_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {"actor": a.id, "name": a.name, "kind": a.kind.value, "aliases": ", ".join(a.aliases)}
            for a in self.actors
        ]
        return pd.DataFrame(rows).set_index("actor")

    def issues_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {
                "issue": i.id,
                "question": i.question,
                "min_label": i.scale.min_label,
                "max_label": i.scale.max_label,
                "status_quo": i.status_quo.point,
            }
            for i in self.issues
        ]
        return pd.DataFrame(rows).set_index("issue")

    def stances_frame(self) -> pd.DataFrame:
        """One row per (actor, issue): point values, ranges and the number of estimates and sources."""
        import pandas as pd

        rows = []
        for stance in self.stances:
            for issue_id, s in stance.issues.items():
                cap = s.capability or stance.capability
                rows.append(
                    {
                        "actor": stance.actor,
                        "issue": issue_id,
                        "position": s.position.point,
                        "position_low": s.position.bounds[0],
                        "position_high": s.position.bounds[1],
                        "salience": s.salience.point,
                        "capability": cap.point,
                        "estimates": len(s.position.all_estimates),
                        "sources": len({d for e in s.position.all_estimates for d in e.sources}),
                    }
                )
        return pd.DataFrame(rows).set_index(["actor", "issue"])

    def relations_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {
                "id": r.id,
                "type": r.type.value,
                "from": r.from_,
                "to": r.to,
                "directed": r.is_directed,
                "share": r.share,
                "applies_if": r.applies_if.description if r.applies_if else None,
                "since": r.since,
            }
            for r in self.relations
        ]
        return pd.DataFrame(
            rows, columns=["id", "type", "from", "to", "directed", "share", "applies_if", "since"]
        ).set_index("id")

    def events_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {
                "id": e.id,
                "date": e.date,
                "start": pd.Timestamp(e.start),
                "precision": e.precision.value,
                "type": e.type.value,
                "title": e.title,
                "actors": ", ".join(e.actors),
            }
            for e in self.events
        ]
        frame = pd.DataFrame(rows, columns=["id", "date", "start", "precision", "type", "title", "actors"])
        return frame.sort_values("start", kind="stable").set_index("id")
