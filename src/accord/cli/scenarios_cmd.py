"""``accord scenarios list|show|validate``: built-in and user scenarios (over
:mod:`accord.scenarios.service`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli.common import consoles, load_case_or_exit, load_scenario_or_exit, print_json
from accord.cli.output import rendering_errors

scenarios_app = typer.Typer(help="Built-in and user scenarios: list, show, validate.", no_args_is_help=True)


def _consoles() -> tuple[Any, Any, Any]:
    console, err = consoles()
    return console, err, print_json


@scenarios_app.command("list")
@rendering_errors
def scenarios_list(
    case: Annotated[
        str | None, typer.Argument(help="Only the scenarios of this case (a built-in name).")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the built-in scenarios, one line each."""
    from accord.scenarios.service import list_scenarios

    console, _, print_json = _consoles()
    items = list_scenarios(case)
    if json_out:
        print_json(
            [
                {
                    "name": n,
                    "case": c if s else None,
                    "title": s.title if s else None,
                    "question": s.question if s else None,
                    "interventions": len(s.interventions) if s else None,
                    "valid": s is not None,
                }
                for n, s, c in items
            ]
        )
        return
    if not items:
        console.print(f"no built-in scenarios for case {case!r}" if case else "no built-in scenarios")
        return
    table = Table(title="Built-in scenarios" + (f" for {case}" if case else ""))
    for col in ("name", "case", "steps", "question"):
        table.add_column(col, justify="right" if col == "steps" else "left")
    for name, scen, case_id in items:
        if scen is None:
            table.add_row(name, "", "", f"[red]invalid:[/red] {case_id}")
        else:
            table.add_row(name, case_id, str(len(scen.interventions)), scen.question or scen.title)
    console.print(table)


def _describe(iv: Any) -> str:
    kind = iv.kind
    where = "" if getattr(iv, "issue", "all") == "all" else f" on {iv.issue}"
    if kind == "set":
        return f"{iv.actor}.{iv.attribute}{where} = {iv.value:g}"
    if kind == "shift":
        return f"{iv.actor}.{iv.attribute}{where} {iv.by:+g}"
    if kind == "scale":
        about = (
            f" about {iv.about}"
            if iv.about is not None
            else (" about the status quo" if iv.attribute == "position" else "")
        )
        return f"{iv.actor}.{iv.attribute}{where} x {iv.factor:g}{about}"
    if kind == "align":
        return f"{iv.actor} aligns with {iv.with_}{where} (weight {iv.weight:g})"
    if kind == "add_actor":
        return (
            f"add {iv.actor} (capability {iv.capability:g}; "
            + ", ".join(f"{k} {v:g}" for k, v in iv.position.items())
            + ")"
        )
    if kind == "remove_actor":
        return f"remove {iv.actor}"
    if kind == "coalition":
        return f"coalition {iv.id} of {', '.join(iv.members)} at {iv.position} position"
    if kind == "set_state":
        return f"state {iv.state} {'holds' if iv.holds else 'does not hold'}"
    cond = (
        f"relation {iv.relation}"
        if iv.relation
        else " and ".join(f"{c.issue} {c.op} {c.threshold:g}" for c in iv.conditions)
    )
    return f"when {cond}: " + "; ".join(_describe(e) for e in iv.then)


@scenarios_app.command("show")
@rendering_errors
def scenarios_show(
    scenario: Annotated[str, typer.Argument(help="A built-in scenario name or a scenario file.")],
    case: Annotated[
        str | None, typer.Option(help="Check against this case instead of the scenario's own.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the scenario as JSON.")] = False,
) -> None:
    """Show a scenario: its question, evidence and interventions in order."""
    console, _, print_json = _consoles()
    scen, loaded = load_scenario_or_exit(scenario, load_case_or_exit(case) if case else None)
    if json_out:
        print_json({"case": loaded.id, **scen.model_dump(mode="json", by_alias=True, exclude_none=True)})
        return
    console.print(f"[bold]{scen.title}[/bold] ({scen.id}, case {loaded.id})", highlight=False)
    if scen.question:
        console.print(f"question: {scen.question}", highlight=False)
    for p in scen.evidence:
        note = f" - {p.note}" if p.note else ""
        console.print(f"evidence: {p.doc} [{p.start}:{p.end}]{note}", highlight=False, markup=False)
    table = Table(title="Interventions (in order; triggers act during the run)")
    table.add_column("#", justify="right")
    table.add_column("kind")
    table.add_column("what")
    table.add_column("note")
    for i, iv in enumerate(scen.interventions):
        table.add_row(str(i), iv.kind, _describe(iv), iv.note or "")
    console.print(table)


@scenarios_app.command("validate")
@rendering_errors
def scenarios_validate(
    scenario: Annotated[str, typer.Argument(help="A scenario file or built-in name.")],
    case: Annotated[
        str | None, typer.Option(help="Check against this case instead of the scenario's own.")
    ] = None,
    corpus: Annotated[
        Path | None, typer.Option(help="Also check every evidence pointer against this corpus folder.")
    ] = None,
) -> None:
    """Check a scenario file; print every problem as FILE:LINE:COL: field: message (hint)."""
    from accord.cli.main import existing_dir
    from accord.spans.pointers import load_corpus_dir

    console, _, _ = _consoles()
    existing_dir(corpus, "--corpus")
    scen, loaded = load_scenario_or_exit(
        scenario, load_case_or_exit(case) if case else None, load_corpus_dir(corpus) if corpus else None
    )
    checked = "evidence checked against the corpus" if corpus else "evidence not checked (no --corpus)"
    console.print(
        f"{scenario}: valid scenario {scen.id!r} on case {loaded.id!r}: "
        f"{len(scen.interventions)} interventions, {len(scen.evidence)} evidence pointers ({checked})",
        highlight=False,
        soft_wrap=True,
    )
