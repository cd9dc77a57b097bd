"""The checks of a scenario that need its case: unknown actors, issues or states, values outside their ranges,
cycles among aligns and contradictions between steps (a set then a remove, two sets of one cell).

They walk the interventions in order, as the engine will apply them, and report
``FILE:LINE:COL: field: message (hint)`` problems at the scenario file's own positions.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from accord.case.model import Case, Pointer
from accord.case.problems import CaseProblem, PathT, dotted
from accord.case.yamlio import Located
from accord.scenarios.language import ALL, EFFECT_KINDS, AddActor, Align, Coalition, Scenario, Trigger
from accord.spans.pointers import Corpus, check_pointer

__all__ = ["MAX_FACTOR", "check_evidence", "check_scenario"]

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
            yield self.problem(
                path,
                f"actor {actor!r} is no longer at the table: {self.gone[actor]}",
                "reorder the interventions or drop this one",
            )
        elif actor in self.case.actor_ids:
            yield self.problem(
                path,
                f"actor {actor!r} holds no stance in case {self.case.id!r}",
                "bring it in first with kind: add_actor",
            )
        else:
            close = difflib.get_close_matches(actor, sorted(self.actors), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"actors: {', '.join(sorted(self.actors))}"
            yield self.problem(path, f"unknown actor {actor!r}", hint)

    def issue(self, path: PathT, issue: str, allow_all: bool = True) -> Iterator[CaseProblem]:
        if (allow_all and issue == ALL) or issue in self.case.issue_ids:
            return
        close = difflib.get_close_matches(issue, list(self.case.issue_ids), n=1)
        hint = (
            f"did you mean {close[0]!r}?"
            if close
            else f"issues: {', '.join(self.case.issue_ids)}" + (" or all" if allow_all else "")
        )
        yield self.problem(path, f"unknown issue {issue!r}", hint)

    def number(
        self, path: PathT, value: float, low: float, high: float, what: str, hint: str = ""
    ) -> Iterator[CaseProblem]:
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
                    yield self.problem(
                        path + ("actor",),
                        f"contradictory: interventions[{j}] changes {iv.actor!r}, which this removes",
                        "drop one of the two",
                    )
                del self.actors[iv.actor]
                self.gone[iv.actor] = f"removed by interventions[{index}]"
        elif kind == "coalition":
            yield from self.coalition(path, index, iv)
        elif kind == "set_state":
            yield from self.state(path + ("state",), iv.state)

    def state(self, path: PathT, state: str) -> Iterator[CaseProblem]:
        known = [s.id for s in self.case.states]
        if state in known:
            return
        close = difflib.get_close_matches(state, known, n=1)
        hint = (
            f"did you mean {close[0]!r}?"
            if close
            else f"states: {', '.join(known)}"
            if known
            else f"case {self.case.id!r} declares no states (a case's states: list)"
        )
        yield self.problem(path, f"unknown state {state!r}", hint)

    def effect(
        self, path: PathT, index: int, iv: Any, sets: dict, aligns: dict, where: str
    ) -> Iterator[CaseProblem]:
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
                    yield self.problem(
                        path + ("value",),
                        f"contradictory: {where} sets {iv.actor}.{issue}.{iv.attribute} to {iv.value:g} "
                        f"but an earlier set gives it {value:g} (interventions[{j}])",
                        "keep one value, or use shift to change it relative to the first",
                    )
                    break
                sets[key] = (iv.value, index)

    def amount(self, path: PathT, iv: Any) -> Iterator[CaseProblem]:
        low, high = _RANGES[iv.attribute]
        if iv.kind == "set":
            hint = (
                "positions use the issue's 0-100 scale"
                if iv.attribute == "position"
                else f"{iv.attribute} is a share in [0, 1]"
            )
            yield from self.number(path + ("value",), iv.value, low, high, f"{iv.attribute} value", hint)
        elif iv.kind == "shift":
            width = high - low
            yield from self.number(
                path + ("by",),
                iv.by,
                -width,
                width,
                "shift",
                f"a shift of {iv.attribute} lies within [-{width:g}, {width:g}]",
            )
        elif iv.kind == "scale":
            yield from self.number(
                path + ("factor",),
                iv.factor,
                0.0,
                MAX_FACTOR,
                "factor",
                "scale by a non-negative factor, at most 10",
            )
            if iv.about is not None and iv.attribute != "position":
                yield self.problem(
                    path + ("about",),
                    "about applies to positions only",
                    "salience and capability scale about 0; remove about",
                )
            elif isinstance(iv.about, float | int):
                yield from self.number(
                    path + ("about",),
                    float(iv.about),
                    low,
                    high,
                    "pivot",
                    "the pivot is a point on the issue's 0-100 scale",
                )

    def align(self, path: PathT, iv: Align, aligns: dict, where: str) -> Iterator[CaseProblem]:
        yield from self.actor(path + ("with",), iv.with_)
        yield from self.number(
            path + ("weight",),
            iv.weight,
            0.0,
            1.0,
            "weight",
            "0 keeps the actor's position, 1 takes the other's",
        )
        if iv.with_ == iv.actor:
            yield self.problem(
                path + ("with",), f"{iv.actor!r} cannot align with itself", "name another actor"
            )
            return
        issues = self.issues_of(iv.issue)
        cycle = self._path_back(iv.with_, iv.actor, issues, aligns)
        if cycle is not None:
            chain = " -> ".join([iv.actor, *cycle])
            yield self.problem(
                path + ("with",),
                f"cyclic alignment: {chain} ({where} closes the loop)",
                "each actor can follow one other; drop one of the aligns",
            )
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
            yield self.problem(
                path + ("actor",),
                f"actor {iv.actor!r} is already at the table",
                "use set or shift to change it, or pick a new id",
            )
            return
        yield from self.number(
            path + ("capability",), iv.capability, 0.0, 1.0, "capability", "capability is a share in [0, 1]"
        )
        for attribute, values in (("position", iv.position), ("salience", iv.salience)):
            low, high = _RANGES[attribute]
            for issue, value in values.items():
                yield from self.issue(path + (attribute, issue), issue, allow_all=False)
                yield from self.number(path + (attribute, issue), value, low, high, attribute)
        missing = sorted(set(iv.salience) - set(iv.position))
        if missing:
            yield self.problem(
                path + ("salience",),
                f"salience on {', '.join(missing)} without a position there",
                "give a position for every issue with a salience",
            )
        self.actors[iv.actor] = f"added by interventions[{index}]"
        self.gone.pop(iv.actor, None)

    def coalition(self, path: PathT, index: int, iv: Coalition) -> Iterator[CaseProblem]:
        bad = False
        seen: set[str] = set()
        for j, member in enumerate(iv.members):
            refs = list(self.actor(path + ("members", j), member))
            if member in seen:
                refs.append(
                    self.problem(
                        path + ("members", j), f"{member!r} is listed twice", "list each member once"
                    )
                )
            seen.add(member)
            bad |= bool(refs)
            yield from refs
        if iv.position != "weighted" and iv.position not in iv.members:
            yield self.problem(
                path + ("position",),
                f"position {iv.position!r} is neither 'weighted' nor a member",
                f"use weighted or one of: {', '.join(iv.members)}",
            )
        if iv.id in self.actors and iv.id not in iv.members:
            yield self.problem(
                path + ("id",),
                f"coalition id {iv.id!r} is already an actor at the table",
                "give the coalition a new id",
            )
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
            yield self.problem(
                path,
                "a trigger needs a condition: relation, when, or both",
                "name a case relation whose applies_if has a threshold, "
                "or write when: {issue, op, threshold}",
            )
        if trig.relation is not None:
            relations = {r.id: r for r in self.case.relations}
            rel = relations.get(trig.relation)
            if rel is None:
                close = difflib.get_close_matches(trig.relation, sorted(relations), n=1)
                hint = f"did you mean {close[0]!r}?" if close else "see `accord case show` for the relations"
                yield self.problem(path + ("relation",), f"unknown relation {trig.relation!r}", hint)
            elif trig.when is None and (
                rel.applies_if is None or (rel.applies_if.issue is None and rel.applies_if.state is None)
            ):
                yield self.problem(
                    path + ("relation",),
                    f"relation {trig.relation!r} states no threshold or state (applies_if)",
                    "give the condition yourself with when: {issue, op, threshold}",
                )
        conditions = trig.conditions
        multi = isinstance(trig.when, list)
        for j, cond in enumerate(conditions):
            cpath = path + ("when", j) if multi else path + ("when",)
            yield from self.issue(cpath + ("issue",), cond.issue, allow_all=False)
            yield from self.number(
                cpath + ("threshold",), cond.threshold, 0.0, 100.0, "threshold", "issues use a 0-100 scale"
            )
        # Within one trigger the same rules hold as before the run; against the static steps they do not
        # (the trigger acts later, on the state those steps produced).
        sets: dict = {}
        aligns: dict = {}
        for j, effect in enumerate(trig.then):
            yield from self.effect(
                path + ("then", j), index, effect, sets, aligns, where=f"interventions[{index}].then[{j}]"
            )


def check_scenario(
    scenario: Scenario, case: Case, name: str = "<scenario>", located: Located | None = None
) -> list[CaseProblem]:
    """Every problem of ``scenario`` against ``case``, in file order."""
    problems = list(_Checker(scenario, case, name, located).run())
    return sorted(problems, key=lambda p: (p.line, p.column))


def check_evidence(
    scenario: Scenario, corpus: Corpus, name: str, located: Located | None
) -> list[CaseProblem]:
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
