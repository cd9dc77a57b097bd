"""Helpers every command shares: consoles, loading with located problems, progress bars, option checks,
the tables of forecasts. Commands raise :class:`~accord.errors.AccordError` kinds; :mod:`accord.cli.main`
renders them in one place.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.cli.output import consoles, print_json, rendering_errors
from accord.errors import InputError, UsageError

__all__ = ["consoles", "print_json", "rendering_errors"]  # and the helpers below

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from accord.case.model import Case
    from accord.scenarios.language import Scenario
    from accord.scenarios.summary import Threshold


def problems_in(problems: list[Any], what: str, hint: str) -> InputError:
    """Each located problem on its own line (FILE:LINE:COL: field: message), then the error to raise
    (its count and hint rendered by :func:`accord.cli.output.render_error`)."""
    from accord.cli.output import problems_error
    from accord.cli.render import printable  # Rich loads only when there is something to print

    return problems_error(
        [printable(p) for p in problems], f"{len(problems)} problem(s) in the {what} (above)", hint
    )


def load_corpus_or_exit(corpus: Path) -> Any:
    """The texts of a corpus folder (a :class:`~accord.spans.pointers.Corpus`), or a located error."""
    from accord.spans.pointers import load_corpus_dir

    if not corpus.is_dir():
        raise UsageError(
            f"--corpus {corpus}: no such folder", "give the folder that holds the texts (.txt, .md)"
        )
    try:
        loaded = load_corpus_dir(corpus)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"--corpus {corpus}: a file is not UTF-8 ({exc.reason})", "save the texts as UTF-8"
        ) from None
    if not loaded.texts:
        raise InputError(
            f"--corpus {corpus}: no texts (.txt, .md) in the folder",
            "put the texts the case is built from there",
        )
    return loaded


def corpus_or_none(path: Path | None) -> Any:
    """The corpus of ``--corpus PATH`` (checked to be a folder), or ``None`` without the option."""
    from accord.cli.output import existing_dir
    from accord.spans.pointers import load_corpus_dir

    existing_dir(path, "--corpus")
    return load_corpus_dir(path) if path is not None else None


def load_or_exit(case: str | None, corpus: Path | None = None, allow_draft: bool = False) -> Case:
    """Load a case for a command, or print its problems and exit 1.

    A draft (see `accord case validate --draft`) runs once nothing blocks it; with ``allow_draft`` any
    valid draft is returned (its actors, sources and complete issues), for extraction.
    """
    from accord.case.io import load_report

    report = load_report(case, corpus_or_none(corpus))
    if not report.ok:
        drafted = draft_or_none(case, corpus_or_none(corpus), allow_draft)
        if drafted is not None:
            return drafted
        raise problems_in(
            report.problems, "case", "fix them and try again (`accord case validate` lists them)"
        )
    assert report.case is not None
    return report.case


def draft_or_none(case: str | None, corpus, allow_draft: bool):  # noqa: ANN001, ANN201 - Corpus | None -> Case | None
    """For a case that fails strict validation: its runnable case if it is a draft that can run.

    ``None`` when it is not a valid draft either (the caller prints the strict problems). A valid draft
    that cannot run ends the command with one message naming its first blocking to-dos, unless
    ``allow_draft`` (extraction), which gets the draft's actors, sources and complete issues.
    """
    from accord.case.draft import draft_report

    _, err = consoles()

    report = draft_report(case, corpus)
    if not report.ok:
        return None
    if allow_draft and report.draft_case is not None:
        return report.draft_case
    if report.runnable:
        assert report.case is not None
        left_out = [a for a in report.case.actor_ids if a not in report.case.bargaining_actor_ids]
        err.print(
            f"note: {_escape(report.summary())}"
            + (f"; taking no part yet: {', '.join(left_out)}" if left_out else ""),
            highlight=False,
            soft_wrap=True,
        )
        return report.case
    raise InputError(report.refusal(), "a draft runs once nothing blocks it (the checklist above)")


def load_case_or_exit(case: str | Path | None, corpus: Path | None = None) -> Case:
    return load_or_exit(str(case) if case is not None else None, corpus)


def load_scenario_or_exit(name: str, case: Any = None, corpus: Any = None) -> tuple[Scenario, Case]:
    """Load and check a scenario, or print every problem with file and line and exit 1."""
    from accord.case.validate import CaseError
    from accord.scenarios.language import ScenarioError
    from accord.scenarios.service import load_scenario

    try:
        return load_scenario(name, case, corpus)
    except ScenarioError as exc:
        raise problems_in(exc.problems, "scenario", "fix them and try again (docs/scenarios.md)") from None
    except CaseError as exc:
        raise problems_in(
            exc.report.problems, "scenario's case", "fix them and try again (`accord case validate`)"
        ) from None


def load_target(case: str | None, scenario: str | None) -> tuple[Scenario | None, Case]:
    """The scenario (if any) and the case a command works on (the scenario's own case by default)."""
    if scenario is not None:
        return load_scenario_or_exit(scenario, load_case_or_exit(case) if case is not None else None)
    return None, load_case_or_exit(case)


@contextlib.contextmanager
def progress_bar(total: int | None, label: str, quiet: bool, unit: str = "draws") -> Iterator[Any]:
    """A Rich progress bar with ETA on stderr (``None`` when quiet). Yields ``advance(k)``; the bar's
    ``set_total(n)`` is its attribute, for work whose size is known only once it starts."""
    if quiet or (total is not None and total <= 0):
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    _, err = consoles()
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task(label, total=total)

        def advance(k: int) -> None:
            progress.advance(task, k)

        advance.set_total = lambda n: progress.update(task, total=n)  # type: ignore[attr-defined]
        yield advance


def check_model(model: str) -> None:
    from accord.engines.registry import ALIASES, ENGINES

    if model not in ENGINES and model not in ALIASES:
        raise UsageError(f"unknown model {model!r}", f"choose one of: {', '.join(ENGINES)}")


def check_executor(executor: str, scheduler: str | None = None) -> None:
    from accord.scenarios.runner import EXECUTORS

    if executor not in EXECUTORS:
        raise UsageError(f"unknown executor {executor!r}", f"choose one of: {', '.join(EXECUTORS)}")
    if scheduler is not None and executor != "dask":
        raise UsageError("--scheduler needs --executor dask", "add --executor dask")


def check_perspective(perspective: str | None, case: Case) -> None:
    if perspective is None:
        return
    sources = [s.id for s in case.case.sources]
    if perspective not in sources:
        raise InputError(
            f"unknown source {perspective!r} for case {case.id!r}", f"sources: {', '.join(sources)}"
        )


def parse_thresholds(texts: list[str], issues: tuple[str, ...] | None, draws: int) -> list[Threshold]:
    """Thresholds as given (a syntax error is a usage error; an unknown issue an input error). A threshold
    is a probability over draws, so asking for one without draws is a usage error, never silence."""
    from accord.scenarios.summary import ThresholdError, parse_threshold

    out = []
    for text in texts:
        try:
            parse_threshold(text)
        except ThresholdError as exc:
            raise UsageError(str(exc)) from None
        if issues is not None:
            out.append(parse_threshold(text, issues))
    if texts and draws <= 0:
        raise UsageError(
            f"--threshold {texts[0]} is a probability over draws, and this run has none",
            "add --draws N (for example --draws 1000)",
        )
    return out


def model_error(exc: Exception, model: str) -> InputError:
    hint = (
        "the SMP needs each actor's saliences to sum to at most 1; try --model eum" if model == "smp" else ""
    )
    return InputError(f"model {model} cannot run this problem: {exc}", hint)


def store_or_exit(run: Any, db: str | None) -> str:
    """Record a run in the runs store and return its id (a storage error otherwise)."""
    from accord.api import store_run
    from accord.store.runs import StorageError

    try:
        return store_run(run, db)
    except StorageError as exc:
        raise StorageError(
            f"could not store the run: {exc}", exc.hint or "use --no-store to skip recording"
        ) from None


def pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def scale_lines(case: Case, issues: list[str] | tuple[str, ...] | None = None) -> list[str]:
    """What each issue's scale means, one line per issue: ``territory: 0 = ..., 100 = ...``."""
    wanted = set(issues) if issues is not None else None
    return [
        f"{i.id}: 0 = {i.scale.min_label}; 100 = {i.scale.max_label}"
        for i in case.issues
        if wanted is None or i.id in wanted
    ]


def print_scales(console: Console, case: Case, issues: list[str] | tuple[str, ...] | None = None) -> None:
    """The scales' meaning under a forecast table (every printed forecast carries it)."""
    console.print("[dim]Scales:[/dim]", highlight=False)
    for line in scale_lines(case, issues):
        console.print(f"[dim]  {_escape(line)}[/dim]", highlight=False, soft_wrap=True)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def summary_table(title: str, summary: dict[str, Any], thresholds: list[Any]) -> Table:
    """Per issue: status quo, median, the central 80% interval (a run stored before it was the headline
    shows its 5-95%, labelled so), threshold probabilities, stable share."""
    from rich.table import Table

    rows = summary["issues"]
    low, high = ("p10", "p90") if all("p10" in r for r in rows.values()) else ("p05", "p95")
    table = Table(title=title)
    table.add_column("issue", no_wrap=True)
    table.add_column("status quo", justify="right")
    table.add_column("median", justify="right")
    table.add_column("80%" if low == "p10" else "5-95%", justify="right")
    names = [str(t) for t in thresholds]
    for name in names:
        table.add_column(f"P({name})", justify="right", overflow="fold")
    table.add_column("SQ stable", justify="right")
    for issue, row in summary["issues"].items():
        cells = [f"{row['status_quo']:.1f}", f"{row['median']:.1f}", f"{row[low]:.0f}-{row[high]:.0f}"]
        cells += [pct(row[f"P({n})"]) if f"P({n})" in row else "" for n in names]
        cells.append(pct(row["stable_share"]))
        table.add_row(issue, *cells)
    return table
