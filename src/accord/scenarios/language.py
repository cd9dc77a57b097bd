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
      - {kind: set_state, state: fighting-on-armenia-territory, holds: true}

The pydantic models below define the schema; :func:`accord.scenarios.checks.check_scenario` adds the checks
that need the case (unknown actors or issues, values outside their ranges, cycles and contradictions) and
:func:`validate_scenario_text` turns every problem into ``FILE:LINE:COL: field: message (hint)`` using the
same line-aware YAML reader and problem type as case files, so users meet one error style.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

from accord.case.model import Pointer
from accord.case.problems import PathT
from accord.case.validate import MAX_SCHEMA_PROBLEMS, CaseProblem, decode_file_bytes, dotted, parse_yaml_text
from accord.case.yamlio import Located

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
    "SetState",
    "Shift",
    "Trigger",
    "builtin_scenarios",
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
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


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


class SetState(_Step):
    """Make a case state hold (``holds: true``, the default) or not, in this scenario's world.

    A state is a fact of the case that clauses read (a relation's ``applies_if.state``, e.g. fighting on
    Armenia's own territory for the alliance clause); the bargaining never moves it. Setting it decides
    whether the scenario's triggers on those clauses can fire: where it holds they fire as soon as their
    issue conditions (if any) hold, where it does not they never fire. The case itself is unchanged."""

    kind: Literal["set_state"]
    state: Id
    holds: StrictBool = True


Intervention = Annotated[
    Set | Shift | Scale | Align | AddActor | RemoveActor | Coalition | Trigger | SetState,
    Field(discriminator="kind"),
]
KINDS: tuple[str, ...] = (
    "set",
    "shift",
    "scale",
    "align",
    "add_actor",
    "remove_actor",
    "coalition",
    "trigger",
    "set_state",
)
EFFECT_KINDS: tuple[str, ...] = ("set", "shift", "scale", "align")


class Scenario(_Frozen):
    """A named question about a case: the interventions that turn the case into the world asked about."""

    scenario: Literal[1] = Field(FORMAT_VERSION, description="Version of the scenario format.")
    id: Id
    title: Text
    case: str | None = Field(
        default=None, description="Built-in case name or path; default: the default case."
    )
    question: Text | None = None
    description: Text | None = None
    evidence: list[Pointer] = Field(default_factory=list)
    interventions: list[Intervention] = Field(default_factory=list)

    @property
    def static(self) -> list[Any]:
        """Interventions applied to the arrays before the run (not triggers or states), in order."""
        return [iv for iv in self.interventions if iv.kind not in ("trigger", "set_state")]

    @property
    def states(self) -> dict[str, bool]:
        """The case states this scenario sets (``set_state``), the last setting of each winning."""
        return {iv.state: iv.holds for iv in self.interventions if iv.kind == "set_state"}

    @property
    def triggers(self) -> list[Trigger]:
        return [iv for iv in self.interventions if iv.kind == "trigger"]


# ---------------------------------------------------------------------------------------------------
# Problems with positions
# ---------------------------------------------------------------------------------------------------


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
    "bool_type": "write true or false",
}


def _model_fields(models: tuple[type[BaseModel], ...]) -> list[str]:
    names = {info.alias or name for m in models for name, info in m.model_fields.items()}
    return sorted(names)


_FIELDS = _model_fields(
    (Scenario, Set, Shift, Scale, Align, AddActor, RemoveActor, Coalition, Trigger, SetState, Condition)
)


_KIND_MODELS: dict[str, type[BaseModel]] = {
    "set": Set,
    "shift": Shift,
    "scale": Scale,
    "align": Align,
    "add_actor": AddActor,
    "remove_actor": RemoveActor,
    "coalition": Coalition,
    "trigger": Trigger,
    "set_state": SetState,
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
                message = (
                    f"a trigger cannot {tag.replace('_', ' ')} (the actors are fixed while the engine runs)"
                )
            close = difflib.get_close_matches(str(tag), allowed, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"use one of: {', '.join(allowed)}"
        path = path + ("kind",)
    line, col = located.mark(path)
    return CaseProblem(name, line, col, dotted(path), message, hint)


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
    """Stages 1-3 (text, YAML, schema); :func:`accord.scenarios.checks.check_scenario` does the case
    checks."""
    report = ScenarioReport(file=name)
    located = parse_yaml_text(text, name, "docs/scenarios.md")
    if isinstance(located, CaseProblem):
        report.problems.append(located)
        return report
    report.located = located
    if not isinstance(located.data, dict):
        report.problems.append(
            CaseProblem(
                name,
                1,
                1,
                "",
                "a scenario is a mapping (scenario:, id:, title:, ...)",
                "start from docs/scenarios.md",
            )
        )
        return report
    try:
        report.scenario = Scenario.model_validate(located.data)
    except ValidationError as exc:
        report.problems += sorted(
            (_schema_problem(name, located, e) for e in exc.errors()[:MAX_SCHEMA_PROBLEMS]),
            key=lambda p: (p.line, p.column),
        )
    return report


def validate_scenario_file(path: str | Path, display_name: str | None = None) -> ScenarioReport:
    path = Path(path)
    name = display_name or str(path)
    report = ScenarioReport(file=name)
    if not path.is_file():
        hint = "check the path, or `accord scenarios list` for the built-in names"
        report.problems.append(
            CaseProblem(name, 1, 1, "", "scenario not found" if not path.exists() else "not a file", hint)
        )
        return report
    decoded = decode_file_bytes(path.read_bytes(), name, "scenario")
    if isinstance(decoded, CaseProblem):
        report.problems.append(decoded)
        return report
    return validate_scenario_text(decoded, name)
