"""The case format: a conflict as actors, issues, stances, relations and dated events, tied to evidence.

These pydantic models define the schema (``accord case schema`` prints it as JSON Schema). They are frozen
and forbid unknown fields, so a typo is an error rather than silently ignored data. Checks that need the
whole case (unknown ids, ranges that depend on the quantity, dates against ``as_of``) live in
:mod:`accord.case.validate`, which reports every problem with its file position.

Every number is a :class:`Quantity`: one estimate with its evidence, or several estimates from different
sources, each with its own evidence. Uncertainty sampling (scenarios) uses the estimates and ranges;
the point value is the mean of the estimates.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

if TYPE_CHECKING:  # pandas loads only when a frame is asked for (start-up time of the CLI)
    import pandas as pd

__all__ = [
    "ActorKind",
    "Actor",
    "AppliesIf",
    "Case",
    "CaseMeta",
    "DatePrecision",
    "Estimate",
    "Event",
    "EventType",
    "Issue",
    "Pointer",
    "Quantity",
    "Relation",
    "RelationType",
    "Scale",
    "Source",
    "Stance",
    "IssueStance",
    "FORMAT_VERSION",
    "parse_partial_date",
]

FORMAT_VERSION = 1
ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]
# Document ids are file names without extension, so they may use capitals (e.g. an imported CSV).
DocId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", min_length=1, max_length=120)]
Text = Annotated[str, Field(min_length=1, max_length=5000)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class DatePrecision(StrEnum):
    day = "day"
    month = "month"
    year = "year"


_DATE_FORMS = {
    DatePrecision.day: re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    DatePrecision.month: re.compile(r"^(\d{4})-(\d{2})$"),
    DatePrecision.year: re.compile(r"^(\d{4})$"),
}


def parse_partial_date(text: str) -> tuple[dt.date, DatePrecision]:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` into the first day it covers and its precision."""
    for precision, form in _DATE_FORMS.items():
        match = form.match(text)
        if match:
            parts = [int(p) for p in match.groups()] + [1] * (3 - len(match.groups()))
            return dt.date(*parts), precision
    raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")


def _as_text(value: Any) -> Any:
    """YAML reads ``1994`` as an integer; dates are kept as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Pointer(Frozen):
    """A span ``[start, end)`` of a corpus document, with the sha256 of its text and a note in our words."""

    doc: DocId
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    note: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Pointer:
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be greater than start ({self.start})")
        return self


Evidence = Annotated[list[Pointer], Field(min_length=1)]


class Estimate(Frozen):
    """One source's reading of a number: a value, an optional low/high range, and its evidence."""

    value: float
    low: float | None = None
    high: float | None = None
    source: DocId | None = Field(
        default=None, description="The document whose reading this is; defaults to the documents of the evidence."
    )
    evidence: Evidence
    note: Text | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        if self.source:
            return (self.source,)
        return tuple(dict.fromkeys(p.doc for p in self.evidence))


class Quantity(Frozen):
    """A number with evidence: either a single estimate (``value`` ...) or several ``estimates``."""

    value: float | None = None
    low: float | None = None
    high: float | None = None
    evidence: list[Pointer] | None = None
    note: Text | None = None
    estimates: list[Estimate] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Quantity:
        if self.estimates is not None:
            if self.value is not None or self.low is not None or self.high is not None or self.evidence:
                raise ValueError("give either value/low/high/evidence or a list of estimates, not both")
            if not self.estimates:
                raise ValueError("estimates must not be empty")
        else:
            if self.value is None:
                raise ValueError("a value (or a list of estimates) is required")
            if not self.evidence:
                raise ValueError("a number with no evidence: add at least one pointer under evidence")
        return self

    @cached_property
    def all_estimates(self) -> tuple[Estimate, ...]:
        """The estimates as a tuple, a single-estimate quantity giving one."""
        if self.estimates is not None:
            return tuple(self.estimates)
        assert self.value is not None and self.evidence is not None
        return (Estimate(value=self.value, low=self.low, high=self.high, evidence=self.evidence, note=self.note),)

    @property
    def point(self) -> float:
        """The point estimate: the mean of the estimates' values."""
        values = [e.value for e in self.all_estimates]
        return sum(values) / len(values)

    @property
    def bounds(self) -> tuple[float, float]:
        """Smallest low (or value) and largest high (or value) over all estimates."""
        lows = [e.low if e.low is not None else e.value for e in self.all_estimates]
        highs = [e.high if e.high is not None else e.value for e in self.all_estimates]
        return min(lows), max(highs)

    @property
    def pointers(self) -> tuple[Pointer, ...]:
        return tuple(p for e in self.all_estimates for p in e.evidence)


class Source(Frozen):
    """A corpus document that the case cites."""

    id: DocId
    title: Text
    date: str
    date_precision: Literal["day", "month", "year", "estimated"] = "day"
    publisher: Text | None = None
    author: Text | None = None
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    _text_date = field_validator("date", mode="before")(_as_text)


class Units(Frozen):
    """How an imported CSV's numbers map to the case's scales; export uses it to give them back."""

    format: Literal["ktab", "bdm"]
    position_max: float = Field(gt=0, description="position_case = 100 * position_file / position_max")
    salience_max: float = Field(gt=0, description="salience_case = salience_file / salience_max")
    capability_max: float = Field(gt=0, description="capability_case = capability_file / capability_max")
    name: str | None = None
    description: str | None = None
    actor_descriptions: list[str] | None = None
    dimension_names: list[str] | None = None
    salience_names: list[str] | None = None


class CaseMeta(Frozen):
    id: Id
    title: Text
    version: str = "1"
    as_of: str = Field(description="The day the case describes (YYYY-MM-DD); no event may be later.")
    description: Text
    sources: list[Source] = Field(min_length=1)
    units: Units | None = Field(default=None, description="Set by `accord case import`: the CSV format's scales.")

    _text_date = field_validator("as_of", mode="before")(_as_text)


class ActorKind(StrEnum):
    state = "state"
    de_facto_state = "de_facto_state"
    organisation = "organisation"
    alliance = "alliance"
    leader = "leader"


class Actor(Frozen):
    id: Id
    name: Text
    kind: ActorKind
    aliases: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default_factory=list)
    description: Text | None = None


class Scale(Frozen):
    min_label: Text = Field(description="What 0 means, concretely.")
    max_label: Text = Field(description="What 100 means, concretely.")


class Issue(Frozen):
    id: Id
    question: Text
    scale: Scale
    status_quo: Quantity


class IssueStance(Frozen):
    """An actor's position (0-100) and salience (0-1) on one issue; optionally a per-issue capability."""

    position: Quantity
    salience: Quantity
    capability: Quantity | None = None


class Stance(Frozen):
    """An actor's capability (0-1) and its stances per issue (keyed by issue id)."""

    actor: Id
    capability: Quantity
    issues: dict[str, IssueStance] = Field(min_length=1)


class RelationType(StrEnum):
    alliance = "alliance"
    arms_supply = "arms_supply"
    backing = "backing"
    mediation = "mediation"
    hostility = "hostility"
    no_diplomatic_relations = "no_diplomatic_relations"
    closed_border = "closed_border"
    partnership = "partnership"
    membership = "membership"
    energy = "energy"
    military_presence = "military_presence"


UNDIRECTED = {
    RelationType.alliance,
    RelationType.hostility,
    RelationType.no_diplomatic_relations,
    RelationType.closed_border,
    RelationType.partnership,
}


class AppliesIf(Frozen):
    """The condition under which a relation's commitment applies, in words and optionally as a threshold."""

    description: Text
    issue: Id | None = None
    op: Literal[">=", "<=", ">", "<"] | None = None
    threshold: float | None = None

    @model_validator(mode="after")
    def _complete(self) -> AppliesIf:
        parts = (self.issue, self.op, self.threshold)
        if any(p is not None for p in parts) and not all(p is not None for p in parts):
            raise ValueError("issue, op and threshold go together: give all three or none")
        return self


class Period(Frozen):
    start: str | None = None
    end: str | None = None

    _text_dates = field_validator("start", "end", mode="before")(_as_text)


class Relation(Frozen):
    """A typed tie between two actors (``from`` -> ``to``; undirected types ignore the order)."""

    id: Id
    type: RelationType
    from_: Id = Field(alias="from")
    to: Id | None = Field(default=None, description="Required except for a mediation between `parties`.")
    directed: bool | None = Field(default=None, description="Defaults by type: alliances, borders ... are undirected.")
    since: str | None = None
    until: str | None = None
    applies_if: AppliesIf | None = None
    share: float | None = Field(default=None, description="arms_supply: share of the recipient's imports, 0-1.")
    period: Period | None = None
    mandate: Text | None = None
    co_chairs: list[Id] | None = None
    parties: list[Id] | None = None
    note: Text | None = None
    evidence: Evidence

    _text_dates = field_validator("since", "until", mode="before")(_as_text)

    @model_validator(mode="after")
    def _target(self) -> Relation:
        if self.to is None and not (self.type == RelationType.mediation and self.parties and len(self.parties) >= 2):
            raise ValueError("'to' is required (only a mediation may name its two or more parties instead)")
        return self

    @property
    def ends(self) -> tuple[str, ...]:
        """The actors a relation joins: from and to, or the mediator and each party."""
        if self.to is not None:
            return (self.from_, self.to)
        return (self.from_, *(self.parties or []))

    @property
    def is_directed(self) -> bool:
        return self.directed if self.directed is not None else self.type not in UNDIRECTED


class EventType(StrEnum):
    war = "war"
    clashes = "clashes"
    ceasefire = "ceasefire"
    ceasefire_breach = "ceasefire_breach"
    agreement = "agreement"
    summit = "summit"
    plan = "plan"
    talks = "talks"
    statement = "statement"
    arms_deal = "arms_deal"
    decision = "decision"
    movement = "movement"
    military_drill = "military_drill"
    institution = "institution"
    other = "other"


class Event(Frozen):
    id: Id
    date: str
    precision: DatePrecision
    end_date: str | None = None
    type: EventType
    title: Text
    actors: list[Id] = Field(default_factory=list)
    outcome: Text | None = None
    evidence: Evidence

    _text_dates = field_validator("date", "end_date", mode="before")(_as_text)

    @property
    def start(self) -> dt.date:
        return parse_partial_date(self.date)[0]


class Case(Frozen):
    """A validated, immutable conflict case. Build it with :func:`accord.load_case`."""

    format: Literal[1] = Field(FORMAT_VERSION, description="Version of the case format.")
    case: CaseMeta
    actors: list[Actor] = Field(min_length=1)
    issues: list[Issue] = Field(min_length=1)
    stances: list[Stance] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)

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
        """Actors that hold stances, in case order: the rows of the problem arrays."""
        with_stance = {s.actor for s in self.stances}
        return tuple(a for a in self.actor_ids if a in with_stance)

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
        found += [(f"relation {r.id}", p) for r in self.relations for p in r.evidence]
        found += [(f"event {e.id}", p) for e in self.events for p in e.evidence]
        return found

    # ---- pandas views (new frames each call: the case itself stays immutable) ---------------
    def actors_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {"actor": a.id, "name": a.name, "kind": a.kind.value, "aliases": ", ".join(a.aliases)} for a in self.actors
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
        return pd.DataFrame(rows, columns=["id", "type", "from", "to", "directed", "share", "applies_if", "since"]).set_index("id")

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
