"""The scenario language: a base case plus interventions applied in order (docs/scenarios.md).

A scenario file is YAML::

    scenario: 1
    id: turkey-backing-grows
    title: Turkey's backing of Azerbaijan grows
    case: nagorno-karabakh-2020          # built-in name or a path (relative to this file); default case
    question: What if Ankara's support keeps rising?
    evidence: [{doc: ..., start: ..., end: ..., sha256: ...}]
    interventions:
      - {kind: scale, actor: turkey, attribute: capability, factor: 1.3}
      - kind: trigger
        relation: csto-clause            # or when: {issue: territory, op: "<=", threshold: 20}
        then: [{kind: align, actor: russia, with: armenia, weight: 1, issue: territory}]

The pydantic models below define the schema; :func:`check_scenario` adds the checks that need the case
(unknown actors or issues, values outside their ranges, cycles and contradictions) and
:func:`validate_scenario_text` turns every problem into ``FILE:LINE:COL: field: message (hint)`` using
the same line-aware YAML reader and problem type as case files, so users meet one error style.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from accord.case.model import Case, Pointer
from accord.case.validate import CaseProblem, decode_file_bytes, dotted, parse_yaml_text
from accord.case.yamlio import Located
from accord.evidence.pointers import Corpus, check_pointer

__all__ = [
    "ATTRIBUTES",
    "Align",
    "AddActor",
    "Coalition",
    "Condition",
    "Effect",
    "Intervention",
    "RemoveActor",
    "Scale",
    "Scenario",
    "ScenarioError",
    "ScenarioReport",
    "Set",
    "Shift",
    "Trigger",
    "builtin_scenarios",
    "check_scenario",
    "resolve_scenario_path",
    "validate_scenario_file",
    "validate_scenario_text",
]

FORMAT_VERSION = 1
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", min_length=1, max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=5000)]
Attribute = Literal["position", "salience", "capability"]
ATTRIBUTES: tuple[str, ...] = ("position", "salience", "capability")
Op = Literal[">=", "<=", ">", "<"]
ALL = "all"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class _Step(_Frozen):
    """Fields every intervention may carry: a note in the author's words and the evidence behind it."""

    note: Text | None = None
    evidence: list[Pointer] = Field(default_factory=list)


class Set(_Step):
    """Give an actor's attribute a value on one issue or on all (``issue: all``, the default)."""

    kind: Literal["set"]
    actor: Id
    attribute: Attribute
    issue: Id = ALL
    value: float


class Shift(_Step):
    """Add ``by`` to an actor's attribute (the result is clipped to the attribute's range)."""

    kind: Literal["shift"]
    actor: Id
    attribute: Attribute
    issue: Id = ALL
    by: float


class Scale(_Step):
    """Multiply an attribute by ``factor``. Positions are scaled about a pivot: ``about`` (a number on
    the issue's scale) or, by default, the status quo, so 1.5 means "half again as far from the status
    quo"; the result is clipped to the scale."""

    kind: Literal["scale"]
    actor: Id
    attribute: Attribute
    issue: Id = ALL
    factor: float
    about: float | Literal["status_quo"] | None = None


class Align(_Step):
    """The actor moves ``weight`` of the way to another actor's position (1: takes it entirely)."""

    kind: Literal["align"]
    actor: Id
    with_: Id = Field(alias="with")
    weight: float = 1.0
    issue: Id = ALL


class AddActor(_Step):
    """A new bargaining actor (or a case actor without a stance). Issues it does not mention get
    salience 0 and the status quo as position, so it neither pulls nor votes there."""

    kind: Literal["add_actor"]
    actor: Id
    name: Text | None = None
    capability: float
    position: dict[str, float] = Field(default_factory=dict)
    salience: dict[str, float] = Field(default_factory=dict)


class RemoveActor(_Step):
    """Drop an actor from the bargaining table (its row disappears from the arrays)."""

    kind: Literal["remove_actor"]
    actor: Id


class Coalition(_Step):
    """Members merge into one actor ``id`` that pools their capability behind a common position.

    Per issue the coalition's capability is the members' sum and its salience their capability-weighted
    mean, so its voting weight (capability x salience) equals the members' combined weight. Its position
    is the members' weighted mean (``position: weighted``) or a leading member's (``position: <member>``).
    """

    kind: Literal["coalition"]
    id: Id
    name: Text | None = None
    members: list[Id] = Field(min_length=2)
    position: Id | Literal["weighted"] = "weighted"


class Condition(_Frozen):
    """``outcome[issue] op threshold``, read on the engine's outcome after a round."""

    issue: Id
    op: Op
    threshold: float


Effect = Annotated[Set | Shift | Scale | Align, Field(discriminator="kind")]


class Trigger(_Step):
    """A conditional commitment: once the condition holds after some round (in one draw), the effects
    apply to that draw from that round on. It fires at most once per draw.

    The condition comes from a case relation's ``applies_if`` (``relation: <id>``) or is given as
    ``when`` (one condition or a list that must all hold). With both, ``relation`` names the commitment
    and ``when`` gives the condition the model can read (for a relation whose ``applies_if`` is in words
    only, a proxy on the case's issues)."""

    kind: Literal["trigger"]
    id: Id | None = None
    relation: Id | None = None
    when: Condition | list[Condition] | None = None
    then: list[Effect] = Field(min_length=1)

    @property
    def conditions(self) -> tuple[Condition, ...]:
        """The explicit conditions (``relation`` is resolved against a case by the compiler)."""
        if self.when is None:
            return ()
        return tuple(self.when) if isinstance(self.when, list) else (self.when,)


Intervention = Annotated[
    Set | Shift | Scale | Align | AddActor | RemoveActor | Coalition | Trigger, Field(discriminator="kind")
]
KINDS: tuple[str, ...] = ("set", "shift", "scale", "align", "add_actor", "remove_actor", "coalition", "trigger")
EFFECT_KINDS: tuple[str, ...] = ("set", "shift", "scale", "align")


class Scenario(_Frozen):
    """A named question about a case: the interventions that turn the case into the world asked about."""

    scenario: Literal[1] = Field(FORMAT_VERSION, description="Version of the scenario format.")
    id: Id
    title: Text
    case: str | None = Field(default=None, description="Built-in case name or path; default: the default case.")
    question: Text | None = None
    description: Text | None = None
    evidence: list[Pointer] = Field(default_factory=list)
    interventions: list[Intervention] = Field(default_factory=list)

    @property
    def static(self) -> list[Any]:
        """Interventions applied before the run (everything but triggers), in order."""
        return [iv for iv in self.interventions if iv.kind != "trigger"]

    @property
    def triggers(self) -> list[Trigger]:
        return [iv for iv in self.interventions if iv.kind == "trigger"]


# ---------------------------------------------------------------------------------------------------
# Problems with positions
# ---------------------------------------------------------------------------------------------------

PathT = tuple[str | int, ...]


@dataclass
class ScenarioReport:
    """The result of validating a scenario file: its problems (empty if valid) and the scenario."""

    file: str
    problems: list[CaseProblem] = field(default_factory=list)
    scenario: Scenario | None = None
    located: Located | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.scenario is not None


class ScenarioError(ValueError):
    """An invalid scenario; ``problems`` holds each one with file, line, column, field and hint."""

    def __init__(self, file: str, problems: list[CaseProblem]):
        self.file = file
        self.problems = problems
        lines = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"invalid scenario {file}:\n{lines}{more}")


_HINTS = {
    "missing": "add this field",
    "float_parsing": "write a number, e.g. 0.5 or 40",
    "float_type": "write a number, e.g. 0.5 or 40",
    "string_type": "write text (quote it if it looks like a number)",
    "list_type": "write a list (lines starting with '- ')",
    "dict_type": "write a mapping (key: value lines)",
    "model_type": "write a mapping (key: value lines)",
    "literal_error": "use one of the listed values",
    "too_short": "the list must not be empty",
    "string_pattern_mismatch": "ids are lower-case letters, digits, '-', '_' or '.'",
}


def _model_fields(models: tuple[type[BaseModel], ...]) -> list[str]:
    names = {info.alias or name for m in models for name, info in m.model_fields.items()}
    return sorted(names)


_FIELDS = _model_fields((Scenario, Set, Shift, Scale, Align, AddActor, RemoveActor, Coalition, Trigger, Condition))


_KIND_MODELS: dict[str, type[BaseModel]] = {
    "set": Set, "shift": Shift, "scale": Scale, "align": Align, "add_actor": AddActor,
    "remove_actor": RemoveActor, "coalition": Coalition, "trigger": Trigger,
}


def _fields_at(path: PathT, data: Any) -> list[str]:
    """The field names allowed where an unknown key was found (the intervention's own, if known)."""
    node = data
    for part in path:
        node = node.get(part) if isinstance(node, dict) else (node[part] if isinstance(node, list) else None)
    if isinstance(node, dict) and node.get("kind") in _KIND_MODELS:
        return _model_fields((_KIND_MODELS[node["kind"]],))
    return _FIELDS


def _suggest(key: str, candidates: list[str]) -> str | None:
    """A likely intended name: a same-letters swap first (``wiht`` -> ``with``), else the closest match."""
    swapped = [c for c in candidates if sorted(c) == sorted(key)]
    if swapped:
        return swapped[0]
    close = difflib.get_close_matches(key, candidates, n=1)
    return close[0] if close else None


def _yaml_path(loc: tuple[Any, ...], data: Any) -> PathT:
    """Pydantic's error location without the union tags it inserts (``interventions.0.set.value``)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part not in node and node.get("kind") == part:
            continue  # the discriminator tag
        if isinstance(node, list) and isinstance(part, str):
            continue  # ``Condition | list[Condition]`` tags the list branch
        path.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(path)


def _schema_problem(name: str, located: Located, error: dict[str, Any]) -> CaseProblem:
    path = _yaml_path(tuple(error["loc"]), located.data)
    kind, message = error["type"], error["msg"]
    hint = _HINTS.get(kind, "")
    if kind == "extra_forbidden":
        key = str(path[-1])
        message = f"unknown field {key!r}"
        close = _suggest(key, _fields_at(path[:-1], located.data))
        hint = f"did you mean {close!r}?" if close else "remove it; see docs/scenarios.md for the fields"
    elif kind in ("union_tag_invalid", "union_tag_not_found"):
        tag = (error.get("ctx") or {}).get("tag")
        if tag is None:
            message = "an intervention needs a kind"
            hint = f"add kind: one of {', '.join(KINDS)}"
        else:
            allowed = EFFECT_KINDS if "then" in path else KINDS
            message = f"unknown intervention kind {tag!r}"
            if "then" in path and tag in KINDS:
                message = f"a trigger cannot {tag.replace('_', ' ')} (the actors are fixed while the engine runs)"
            close = difflib.get_close_matches(str(tag), allowed, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"use one of: {', '.join(allowed)}"
        path = path + ("kind",)
    line, col = located.mark(path)
    return CaseProblem(name, line, col, dotted(path), message, hint)


# ---------------------------------------------------------------------------------------------------
# Checks against the case
# ---------------------------------------------------------------------------------------------------

_RANGES = {"position": (0.0, 100.0), "salience": (0.0, 1.0), "capability": (0.0, 1.0)}
MAX_FACTOR = 10.0


@dataclass
class _Checker:
    """Walks the interventions in order, tracking which actors sit at the table at each step."""

    scenario: Scenario
    case: Case
    name: str
    located: Located | None
    base: PathT = ("interventions",)
    actors: dict[str, str] = field(default_factory=dict)  # id -> "case" | "added at interventions[i]"
    gone: dict[str, str] = field(default_factory=dict)  # id -> why it left the table
    changed: dict[str, int] = field(default_factory=dict)  # actor -> first intervention changing it
    sets: dict[tuple[str, str, str], tuple[float, int]] = field(default_factory=dict)
    aligns: dict[str, list[tuple[str, frozenset[str]]]] = field(default_factory=dict)

    def problem(self, path: PathT, message: str, hint: str = "") -> CaseProblem:
        line, col = self.located.mark(path) if self.located is not None else (1, 1)
        return CaseProblem(self.name, line, col, dotted(path), message, hint)

    # -- references ---------------------------------------------------------------------------
    def actor(self, path: PathT, actor: str) -> Iterator[CaseProblem]:
        if actor in self.actors:
            return
        if actor in self.gone:
            yield self.problem(path, f"actor {actor!r} is no longer at the table: {self.gone[actor]}",
                               "reorder the interventions or drop this one")
        elif actor in self.case.actor_ids:
            yield self.problem(path, f"actor {actor!r} holds no stance in case {self.case.id!r}",
                               "bring it in first with kind: add_actor")
        else:
            close = difflib.get_close_matches(actor, sorted(self.actors), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"actors: {', '.join(sorted(self.actors))}"
            yield self.problem(path, f"unknown actor {actor!r}", hint)

    def issue(self, path: PathT, issue: str, allow_all: bool = True) -> Iterator[CaseProblem]:
        if (allow_all and issue == ALL) or issue in self.case.issue_ids:
            return
        close = difflib.get_close_matches(issue, list(self.case.issue_ids), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"issues: {', '.join(self.case.issue_ids)}" + (
            " or all" if allow_all else "")
        yield self.problem(path, f"unknown issue {issue!r}", hint)

    def number(self, path: PathT, value: float, low: float, high: float, what: str, hint: str = "") -> Iterator[CaseProblem]:
        if not math.isfinite(value):
            yield self.problem(path, f"{what} is {value}", "write a finite number")
        elif not low <= value <= high:
            yield self.problem(path, f"{what} {value:g} is outside [{low:g}, {high:g}]", hint)

    def issues_of(self, issue: str) -> frozenset[str]:
        return frozenset(self.case.issue_ids) if issue == ALL else frozenset([issue])

    # -- the walk -----------------------------------------------------------------------------
    def run(self) -> Iterator[CaseProblem]:
        self.actors = {a: "case" for a in self.case.bargaining_actor_ids}
        triggers = []
        for i, iv in enumerate(self.scenario.interventions):
            path = self.base + (i,)
            if iv.kind == "trigger":
                triggers.append((i, iv))
                continue
            yield from self.step(path, i, iv)
        # Triggers act during the run, after every static intervention: check them against the final table.
        for i, trig in triggers:
            yield from self.trigger(self.base + (i,), i, trig)

    def step(self, path: PathT, index: int, iv: Any) -> Iterator[CaseProblem]:
        kind = iv.kind
        if kind in EFFECT_KINDS:
            yield from self.effect(path, index, iv, self.sets, self.aligns, where=f"interventions[{index}]")
        elif kind == "add_actor":
            yield from self.add_actor(path, index, iv)
        elif kind == "remove_actor":
            before = list(self.actor(path + ("actor",), iv.actor))
            yield from before
            if not before:
                if iv.actor in self.changed:
                    j = self.changed[iv.actor]
                    yield self.problem(path + ("actor",),
                                       f"contradictory: interventions[{j}] changes {iv.actor!r}, which this removes",
                                       "drop one of the two")
                del self.actors[iv.actor]
                self.gone[iv.actor] = f"removed by interventions[{index}]"
        elif kind == "coalition":
            yield from self.coalition(path, index, iv)

    def effect(self, path: PathT, index: int, iv: Any, sets: dict, aligns: dict, where: str) -> Iterator[CaseProblem]:
        refs = list(self.actor(path + ("actor",), iv.actor))
        yield from refs
        yield from self.issue(path + ("issue",), iv.issue)
        if iv.kind == "align":
            yield from self.align(path, iv, aligns, where)
        else:
            yield from self.amount(path, iv)
        if refs:
            return
        self.changed.setdefault(iv.actor, index)
        if iv.kind == "set":
            for issue in sorted(self.issues_of(iv.issue)):
                key = (iv.actor, iv.attribute, issue)
                if key in sets and sets[key][0] != iv.value:
                    value, j = sets[key]
                    yield self.problem(path + ("value",),
                                       f"contradictory: {where} sets {iv.actor}.{issue}.{iv.attribute} to {iv.value:g} "
                                       f"but an earlier set gives it {value:g} (interventions[{j}])",
                                       "keep one value, or use shift to change it relative to the first")
                    break
                sets[key] = (iv.value, index)

    def amount(self, path: PathT, iv: Any) -> Iterator[CaseProblem]:
        low, high = _RANGES[iv.attribute]
        if iv.kind == "set":
            hint = "positions use the issue's 0-100 scale" if iv.attribute == "position" else f"{iv.attribute} is a share in [0, 1]"
            yield from self.number(path + ("value",), iv.value, low, high, f"{iv.attribute} value", hint)
        elif iv.kind == "shift":
            width = high - low
            yield from self.number(path + ("by",), iv.by, -width, width, "shift",
                                   f"a shift of {iv.attribute} lies within [-{width:g}, {width:g}]")
        elif iv.kind == "scale":
            yield from self.number(path + ("factor",), iv.factor, 0.0, MAX_FACTOR, "factor",
                                   "scale by a non-negative factor, at most 10")
            if iv.about is not None and iv.attribute != "position":
                yield self.problem(path + ("about",), "about applies to positions only",
                                   "salience and capability scale about 0; remove about")
            elif isinstance(iv.about, float | int):
                yield from self.number(path + ("about",), float(iv.about), low, high, "pivot",
                                       "the pivot is a point on the issue's 0-100 scale")

    def align(self, path: PathT, iv: Align, aligns: dict, where: str) -> Iterator[CaseProblem]:
        yield from self.actor(path + ("with",), iv.with_)
        yield from self.number(path + ("weight",), iv.weight, 0.0, 1.0, "weight",
                               "0 keeps the actor's position, 1 takes the other's")
        if iv.with_ == iv.actor:
            yield self.problem(path + ("with",), f"{iv.actor!r} cannot align with itself", "name another actor")
            return
        issues = self.issues_of(iv.issue)
        cycle = self._path_back(iv.with_, iv.actor, issues, aligns)
        if cycle is not None:
            chain = " -> ".join([iv.actor, *cycle])
            yield self.problem(path + ("with",), f"cyclic alignment: {chain} ({where} closes the loop)",
                               "each actor can follow one other; drop one of the aligns")
            return
        aligns.setdefault(iv.actor, []).append((iv.with_, issues))

    def _path_back(self, start: str, goal: str, issues: frozenset[str], aligns: dict) -> list[str] | None:
        """A chain of aligns from ``start`` to ``goal`` sharing an issue with ``issues``, if any."""
        stack: list[tuple[str, list[str], frozenset[str]]] = [(start, [start], issues)]
        seen: set[str] = set()
        while stack:
            node, trail, live = stack.pop()
            if node == goal:
                return trail
            if node in seen:
                continue
            seen.add(node)
            for target, their in aligns.get(node, []):
                common = live & their
                if common:
                    stack.append((target, trail + [target], common))
        return None

    def add_actor(self, path: PathT, index: int, iv: AddActor) -> Iterator[CaseProblem]:
        if iv.actor in self.actors:
            yield self.problem(path + ("actor",), f"actor {iv.actor!r} is already at the table",
                               "use set or shift to change it, or pick a new id")
            return
        yield from self.number(path + ("capability",), iv.capability, 0.0, 1.0, "capability",
                               "capability is a share in [0, 1]")
        for attribute, values in (("position", iv.position), ("salience", iv.salience)):
            low, high = _RANGES[attribute]
            for issue, value in values.items():
                yield from self.issue(path + (attribute, issue), issue, allow_all=False)
                yield from self.number(path + (attribute, issue), value, low, high, attribute)
        missing = sorted(set(iv.salience) - set(iv.position))
        if missing:
            yield self.problem(path + ("salience",), f"salience on {', '.join(missing)} without a position there",
                               "give a position for every issue with a salience")
        self.actors[iv.actor] = f"added by interventions[{index}]"
        self.gone.pop(iv.actor, None)

    def coalition(self, path: PathT, index: int, iv: Coalition) -> Iterator[CaseProblem]:
        bad = False
        seen: set[str] = set()
        for j, member in enumerate(iv.members):
            refs = list(self.actor(path + ("members", j), member))
            if member in seen:
                refs.append(self.problem(path + ("members", j), f"{member!r} is listed twice", "list each member once"))
            seen.add(member)
            bad |= bool(refs)
            yield from refs
        if iv.position != "weighted" and iv.position not in iv.members:
            yield self.problem(path + ("position",), f"position {iv.position!r} is neither 'weighted' nor a member",
                               f"use weighted or one of: {', '.join(iv.members)}")
        if iv.id in self.actors and iv.id not in iv.members:
            yield self.problem(path + ("id",), f"coalition id {iv.id!r} is already an actor at the table",
                               "give the coalition a new id")
            return
        if bad:
            return
        for member in iv.members:
            del self.actors[member]
            self.gone[member] = f"merged into coalition {iv.id!r} by interventions[{index}]"
        self.actors[iv.id] = f"formed by interventions[{index}]"
        self.gone.pop(iv.id, None)

    def trigger(self, path: PathT, index: int, trig: Trigger) -> Iterator[CaseProblem]:
        if trig.relation is None and trig.when is None:
            yield self.problem(path, "a trigger needs a condition: relation, when, or both",
                               "name a case relation whose applies_if has a threshold, or write when: {issue, op, threshold}")
        if trig.relation is not None:
            relations = {r.id: r for r in self.case.relations}
            rel = relations.get(trig.relation)
            if rel is None:
                close = difflib.get_close_matches(trig.relation, sorted(relations), n=1)
                hint = f"did you mean {close[0]!r}?" if close else "see `accord case show` for the relations"
                yield self.problem(path + ("relation",), f"unknown relation {trig.relation!r}", hint)
            elif trig.when is None and (rel.applies_if is None or (rel.applies_if.issue is None and rel.applies_if.state is None)):
                yield self.problem(path + ("relation",), f"relation {trig.relation!r} states no threshold or state (applies_if)",
                                   "give the condition yourself with when: {issue, op, threshold}")
        conditions = trig.conditions
        multi = isinstance(trig.when, list)
        for j, cond in enumerate(conditions):
            cpath = path + ("when", j) if multi else path + ("when",)
            yield from self.issue(cpath + ("issue",), cond.issue, allow_all=False)
            yield from self.number(cpath + ("threshold",), cond.threshold, 0.0, 100.0, "threshold",
                                   "issues use a 0-100 scale")
        # Within one trigger the same rules hold as before the run; against the static steps they do not
        # (the trigger acts later, on the state those steps produced).
        sets: dict = {}
        aligns: dict = {}
        for j, effect in enumerate(trig.then):
            yield from self.effect(path + ("then", j), index, effect, sets, aligns, where=f"interventions[{index}].then[{j}]")


def check_scenario(scenario: Scenario, case: Case, name: str = "<scenario>", located: Located | None = None) -> list[CaseProblem]:
    """Every problem of ``scenario`` against ``case``, in file order."""
    problems = list(_Checker(scenario, case, name, located).run())
    return sorted(problems, key=lambda p: (p.line, p.column))


def check_evidence(scenario: Scenario, corpus: Corpus, name: str, located: Located | None) -> list[CaseProblem]:
    """Evidence pointers of the scenario and its interventions, checked against corpus texts."""
    found: list[CaseProblem] = []
    items: list[tuple[PathT, Pointer]] = [(("evidence", j), p) for j, p in enumerate(scenario.evidence)]
    for i, iv in enumerate(scenario.interventions):
        items += [(("interventions", i, "evidence", j), p) for j, p in enumerate(iv.evidence)]
    for path, pointer in items:
        result = check_pointer(corpus, pointer.doc, pointer.start, pointer.end, pointer.sha256)
        if not result.ok:
            line, col = located.mark(path) if located else (1, 1)
            found.append(CaseProblem(name, line, col, dotted(path), result.message, result.hint))
    return found


# ---------------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------------


def _builtin_dir() -> Path:
    return Path(str(resources.files("accord.scenarios") / "builtin"))


def builtin_scenarios() -> dict[str, Path]:
    """Built-in scenario names (file stems, equal to their ids) and their files."""
    return {p.stem: p for p in sorted(_builtin_dir().glob("*.yaml"))}


def resolve_scenario_path(name_or_path: str | Path) -> Path:
    candidate = Path(name_or_path)
    if candidate.exists():
        return candidate
    return builtin_scenarios().get(str(name_or_path), candidate)


def validate_scenario_text(text: str, name: str = "<scenario>") -> ScenarioReport:
    """Stages 1-3 (text, YAML, schema); :func:`check_scenario` does the case checks."""
    report = ScenarioReport(file=name)
    located = parse_yaml_text(text, name, "docs/scenarios.md")
    if isinstance(located, CaseProblem):
        report.problems.append(located)
        return report
    report.located = located
    if not isinstance(located.data, dict):
        report.problems.append(CaseProblem(name, 1, 1, "", "a scenario is a mapping (scenario:, id:, title:, ...)",
                                           "start from docs/scenarios.md"))
        return report
    try:
        report.scenario = Scenario.model_validate(located.data)
    except ValidationError as exc:
        report.problems += sorted((_schema_problem(name, located, e) for e in exc.errors()),
                                  key=lambda p: (p.line, p.column))
    return report


def validate_scenario_file(path: str | Path, display_name: str | None = None) -> ScenarioReport:
    path = Path(path)
    name = display_name or str(path)
    report = ScenarioReport(file=name)
    if not path.is_file():
        hint = "check the path, or `accord scenarios list` for the built-in names"
        report.problems.append(CaseProblem(name, 1, 1, "", "scenario not found" if not path.exists() else "not a file", hint))
        return report
    decoded = decode_file_bytes(path.read_bytes(), name, "scenario")
    if isinstance(decoded, CaseProblem):
        report.problems.append(decoded)
        return report
    return validate_scenario_text(decoded, name)
