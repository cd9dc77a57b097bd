"""Does a number's evidence speak of it? Whether the spans a number cites name its actor and its issue.

A hash that verifies proves that a pointer still marks the same characters, not that those characters
say anything about the number. This module reads each cited span and asks two mechanical questions:

* **names the actor**: the span contains the actor's name or one of its aliases (the same matching as
  extraction, :class:`accord.extract.actors.ActorResolver`: word boundaries, a capital or small first
  letter). Asked of stance numbers (position, salience, capability).
* **names the subject**: the span contains a word of the issue's subject, i.e. a content word of its id,
  question and scale labels that is not an actor's name (so "Nagorno-Karabakh", the conflict's name in
  every sentence, does not count when it is an actor's alias, nor do "conflict" and "region"); words match on
  their first six letters
  ("peacekeeping" and "peacekeepers"). Asked of positions, saliences, per-issue capabilities and status
  quo values.

A number *names* its actor (subject) when at least one of its verified spans does. Both are necessary
conditions a reader still has to confirm (``accord evidence review``), not proof of support.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from accord.case.model import Case, Issue
from accord.case.validate import PathT
from accord.corpus.check import CoverageReport, TextSource, numbers
from accord.extract.actors import ActorResolver

__all__ = ["CitedSpan", "NumberSupport", "number_support", "subject_terms", "support_summary"]

_STOP = set(
    "what which who whom whose where when whether how with without within from into onto over under about "
    "around "
    "between among against after before during each every other others their there them they this that "
    "these those "
    "than then also only more most less least much many some such very does done have been being will "
    "would could "
    "should shall must might the and for any all are was were its not nor but can may own part parts full "
    "fully "
    "whole given held hold holds holding near keep keeps until using used taken take takes inside outside "
    "sides side "
    "immediate immediately continue continues continued return returns stop stops point points means mean "
    "while "
    "conflict conflicts region regions issue issues question dispute".split()
)  # function words, and words every sentence of a conflict's analysis uses
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]+")
STEM = 6


@dataclass(frozen=True)
class CitedSpan:
    """One verified pointer of a number, with its text and what it names."""

    doc: str
    start: int
    end: int
    text: str
    source: str | None
    names_actor: bool | None  # None: not asked (a status quo has no actor)
    names_subject: bool | None


@dataclass(frozen=True)
class NumberSupport:
    """A number, its values and the spans it cites (verified ones only)."""

    label: str
    path: PathT
    actor: str | None
    issue: str | None
    values: str
    spans: tuple[CitedSpan, ...]

    @property
    def names_actor(self) -> bool | None:
        if self.actor is None:
            return None
        return any(s.names_actor for s in self.spans)

    @property
    def names_subject(self) -> bool | None:
        if self.issue is None:
            return None
        return any(s.names_subject for s in self.spans)


def _stems(text: str) -> set[str]:
    return {w.lower().strip("’'-")[:STEM] for w in _WORD.findall(text) if len(w) >= 4}


def subject_terms(case: Case, issue: Issue) -> set[str]:
    """Word stems that name what an issue is about (see the module docstring)."""
    parts = [
        issue.id.replace("_", " ").replace("-", " "),
        issue.question,
        issue.scale.min_label,
        issue.scale.max_label,
    ]
    parts += [str(getattr(p, "label", "")) for p in getattr(issue.scale, "points", None) or []]
    actor_words = _stems(" ".join(n for a in case.actors for n in (a.name, *a.aliases)))
    return {s for s in _stems(" ".join(parts)) if s not in actor_words and s not in {w[:STEM] for w in _STOP}}


def _format_values(quantity) -> str:  # noqa: ANN001 - Quantity
    out = []
    for e in quantity.all_estimates:
        text = f"{e.value:g}"
        if e.low is not None or e.high is not None:
            text += (
                " "
                f"({e.low if e.low is not None else e.value:g}-{e.high if e.high is not None else e.value:g})"
            )
        out.append(text + (f" [{', '.join(e.sources)}]" if len(quantity.all_estimates) > 1 else ""))
    return "; ".join(out)


def _owner(case: Case, path: PathT) -> tuple[str | None, str | None]:
    """(actor id, issue id) a number belongs to, from its YAML path."""
    if path[0] == "issues":
        return None, case.issues[path[1]].id  # type: ignore[index]
    actor = case.stances[path[1]].actor  # type: ignore[index]
    return actor, (str(path[3]) if len(path) > 3 and path[2] == "issues" else None)


def number_support(case: Case, texts: TextSource, report: CoverageReport) -> list[NumberSupport]:
    """Every number of the case with its verified cited spans and whether they name actor and subject."""
    resolver = ActorResolver.from_case(case)
    issues = {i.id: i for i in case.issues}
    terms = {i.id: subject_terms(case, i) for i in case.issues}
    verified = {p.path: p for p in report.pointers if p.verified}
    out = []
    for label, path, quantity, _scale in numbers(case):
        actor, issue = _owner(case, path)
        spans = []
        for ppath, result in verified.items():
            if ppath[: len(path)] != path:
                continue
            ptr = result.pointer
            text = dict(texts.versions(ptr.doc)).get(result.version, "")[ptr.start : ptr.end]
            names_actor = None if actor is None else any(m.actor == actor for m in resolver.find(text))
            names_subject = None if issue is None else bool(_stems(text) & terms[issue])
            source = _estimate_source(quantity, ppath[len(path) :])
            spans.append(CitedSpan(ptr.doc, ptr.start, ptr.end, text, source, names_actor, names_subject))
        out.append(
            NumberSupport(
                label,
                path,
                actor,
                issues[issue].id if issue else None,
                _format_values(quantity),
                tuple(spans),
            )
        )
    return out


def _estimate_source(quantity, rest: PathT) -> str | None:  # noqa: ANN001 - Quantity
    if rest and rest[0] == "estimates":
        return ", ".join(quantity.estimates[rest[1]].sources)
    return None


def support_summary(rows: list[NumberSupport]) -> dict[str, object]:
    """Counts for reports: stance numbers naming their actor, numbers naming their issue's subject."""
    with_actor = [r for r in rows if r.actor is not None and r.spans]
    with_issue = [r for r in rows if r.issue is not None and r.spans]
    named = sum(bool(r.names_actor) for r in with_actor)
    subject = sum(bool(r.names_subject) for r in with_issue)
    return {
        "stance_numbers": len(with_actor),
        "naming_actor": named,
        "share_naming_actor": round(named / len(with_actor), 4) if with_actor else None,
        "issue_numbers": len(with_issue),
        "naming_subject": subject,
        "share_naming_subject": round(subject / len(with_issue), 4) if with_issue else None,
        "not_naming_actor": [r.label for r in with_actor if not r.names_actor],
        "not_naming_subject": [r.label for r in with_issue if not r.names_subject],
    }
