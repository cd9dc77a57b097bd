"""The parts of a case: sources, actors, issues and their scales, stances, relations, states and events.

Schema only; checks that need the whole case live in :mod:`accord.case.validate` and
:mod:`accord.case.rules`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from accord.case.model.base import (
    DatePrecision,
    DocId,
    Evidence,
    Frozen,
    Id,
    Quantity,
    Text,
    as_text,
    empty_list,
    parse_partial_date,
)

__all__ = [
    "Actor",
    "ActorKind",
    "AppliesIf",
    "CaseMeta",
    "Consent",
    "Event",
    "EventType",
    "Issue",
    "IssueStance",
    "Period",
    "Relation",
    "RelationType",
    "Scale",
    "ScalePoint",
    "Source",
    "Stance",
    "State",
    "StateTest",
    "UNDIRECTED",
    "Units",
]


class Source(Frozen):
    """A corpus document that the case cites."""

    id: DocId
    title: Text
    date: str
    date_precision: Literal["day", "month", "year", "estimated"] = "day"
    publisher: Text | None = None
    author: Text | None = None
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    _text_date = field_validator("date", mode="before")(as_text)


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
    units: Units | None = Field(
        default=None, description="Set by `accord case import`: the CSV format's scales."
    )
    period_start: str | None = Field(
        default=None,
        description="First day of the case's own moment; a reading from a source dated earlier must be a "
        "carry_over.",
    )
    pooling: Text | None = Field(
        default=None,
        description="How several readings of one number are pooled, in words (default: equal weights).",
    )

    _text_date = field_validator("as_of", "period_start", mode="before")(as_text)

    @property
    def pooling_rule(self) -> str:
        """How the case pools several readings of one number, in words: its own ``pooling``, else the
        engines' rule (every reading counts alike; shown wherever a pooled value is)."""
        return self.pooling or "several readings of one number are averaged with equal weights"


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
    aliases: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default_factory=empty_list)
    description: Text | None = None


class ScalePoint(Frozen):
    """A named point of an issue's scale, so that a reading such as 80 (65-90) can be checked."""

    at: float = Field(description="Where on the 0-100 scale.")
    label: Text


class Scale(Frozen):
    min_label: Text = Field(description="What 0 means, concretely.")
    max_label: Text = Field(description="What 100 means, concretely.")
    points: list[ScalePoint] | None = Field(
        default=None, description="Named points between (or at) the ends, in increasing order; optional."
    )


class Consent(Frozen):
    """Actors whose consent an outcome on this issue needs (e.g. a force deployed on a party's territory).

    Rule ``veto``: an outcome is feasible only if every consenting actor that holds a position on the
    issue likes it at least as well as the status quo (distance on the scale); positions beyond the
    feasible interval are moved to its edge before the engines run (see :mod:`accord.case.problem`).
    """

    actors: list[Id] = Field(min_length=1)
    rule: Literal["veto"] = "veto"
    note: Text
    evidence: Evidence


class Issue(Frozen):
    id: Id
    question: Text
    scale: Scale
    status_quo: Quantity
    consent: Consent | None = None


class IssueStance(Frozen):
    """An actor's position (0-100) and salience (0-1) on one issue; optionally a per-issue capability."""

    position: Quantity
    salience: Quantity
    capability: Quantity | None = None


class Stance(Frozen):
    """An actor's capability (0-1) and its stances per issue (keyed by issue id).

    An issue missing from ``issues`` means the texts state no view of the actor on it: the actor is
    absent from that issue (not placed at a made-up midpoint). ``takes_part: veto`` marks an actor that
    is not at the table but whose consent an issue may need (its positions serve the consent rule only).
    """

    actor: Id
    capability: Quantity
    takes_part: Literal["bargains", "veto"] = "bargains"
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
    leverage = "leverage"


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
    state: Id | None = Field(default=None, description="A case state (under `states`) that must hold.")

    @model_validator(mode="after")
    def _complete(self) -> AppliesIf:
        parts = (self.issue, self.op, self.threshold)
        if any(p is not None for p in parts) and not all(p is not None for p in parts):
            raise ValueError("issue, op and threshold go together: give all three or none")
        return self


class StateTest(Frozen):
    """A dated episode in which the texts test a state (an event of the case), and what it showed."""

    event: Id
    holds: bool = Field(description="Whether the state held during that episode.")
    note: Text


class State(Frozen):
    """A fact about the world that a clause's condition reads, e.g. fighting on Armenia's own territory.

    ``holds`` is its value as of the case's ``as_of``; ``tests`` link the episodes in which the texts
    show it holding or not. Scenario triggers evaluate it (see :mod:`accord.scenarios.triggers`).
    """

    id: Id
    description: Text
    holds: bool
    note: Text
    evidence: Evidence
    tests: list[StateTest] = Field(default_factory=empty_list)


class Period(Frozen):
    start: str | None = None
    end: str | None = None

    _text_dates = field_validator("start", "end", mode="before")(as_text)


class Relation(Frozen):
    """A typed tie between two actors (``from`` -> ``to``; undirected types ignore the order)."""

    id: Id
    type: RelationType
    from_: Id = Field(alias="from")
    to: Id | None = Field(default=None, description="Required except for a mediation between `parties`.")
    directed: bool | None = Field(
        default=None, description="Defaults by type: alliances, borders ... are undirected."
    )
    since: str | None = None
    until: str | None = None
    applies_if: AppliesIf | None = None
    share: float | None = Field(
        default=None, description="arms_supply: share of the recipient's imports, 0-1."
    )
    period: Period | None = None
    mandate: Text | None = None
    co_chairs: list[Id] | None = None
    parties: list[Id] | None = None
    note: Text | None = None
    evidence: Evidence

    _text_dates = field_validator("since", "until", mode="before")(as_text)

    @model_validator(mode="after")
    def _target(self) -> Relation:
        if self.to is None and not (
            self.type == RelationType.mediation and self.parties and len(self.parties) >= 2
        ):
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
    actors: list[Id] = Field(default_factory=empty_list)
    outcome: Text | None = None
    evidence: Evidence

    _text_dates = field_validator("date", "end_date", mode="before")(as_text)

    @property
    def start(self) -> dt.date:
        return parse_partial_date(self.date)[0]
