"""The ``accord`` command line: thin wrappers over the Python API, with Rich output.

Exit codes: 0 success, 1 the input is invalid or the work failed, 2 usage errors (Typer's own).
No command ever ends in a traceback: expected failures print a message; anything unexpected is caught in
:func:`main`, reported in one line with a hint, and exits 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from accord import __version__
from accord.cli import case_cmd, corpus_cmd, evidence_cmd, extract_cmd, run_cmd, scenarios_cmd, web_cmd
from accord.engines.base import ProblemError

console = Console()
err = Console(stderr=True)

app = typer.Typer(
    name="accord",
    help="Turn analyses of a conflict into an executable bargaining model, and ask it questions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(case_cmd.app, name="case")
app.add_typer(evidence_cmd.app, name="evidence")
app.add_typer(corpus_cmd.app, name="corpus")
if hasattr(extract_cmd, "extract"):
    app.command("extract")(extract_cmd.extract)
app.command("run")(run_cmd.run)
app.command("answer")(__import__("accord.cli.answer_cmd", fromlist=["answer"]).answer)
# Scenario-layer commands, registered when their module defines them.
for _name in ("compare", "sensitivity"):
    if hasattr(scenarios_cmd, _name):
        app.command(_name)(getattr(scenarios_cmd, _name))
app.command("serve")(web_cmd.serve)
app.command("report")(web_cmd.report)
app.add_typer(web_cmd.token_app, name="token")
for _name in ("scenarios", "runs"):
    if hasattr(scenarios_cmd, f"{_name}_app"):
        app.add_typer(getattr(scenarios_cmd, f"{_name}_app"), name=_name)


def _version(value: bool) -> None:
    if value:
        console.print(f"accord {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Accord: evidence-linked bargaining models of conflicts."""


def main() -> None:
    """Entry point: run the app; turn any unexpected error into one clear line and exit 1."""
    try:
        app(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err.print("[red]interrupted[/red]")
        sys.exit(130)
    except ProblemError as exc:  # a model refused its inputs: an input problem, not a bug
        err.print(f"[red]error:[/red] the model cannot use these inputs: {exc}", highlight=False)
        err.print("hint: check the case's numbers (`accord case show`) or pick another --model")
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        err.print(f"[red]error:[/red] {type(exc).__name__}: {exc}")
        err.print("hint: run with a smaller input or report this as a bug with the command you ran")
        sys.exit(1)


def print_json(data: object) -> None:
    """JSON to stdout, plain (no Rich markup), for machines."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def existing_dir(path: Path | None, option: str) -> Path | None:
    if path is not None and not path.is_dir():
        err.print(f"[red]error:[/red] {option} {path}: no such folder")
        raise typer.Exit(2)
    return path
