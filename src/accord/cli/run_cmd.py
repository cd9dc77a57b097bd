"""``accord run``: run a bargaining engine on a case and print the forecast."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.case.io import DEFAULT_CASE


def run(
    case: Annotated[str, typer.Argument(help="A case file or built-in name.")] = DEFAULT_CASE,
) -> None:
    """Run the default engine on a case (default: the built-in Nagorno-Karabakh 2020 case)."""
    from accord.cli.case_cmd import load_or_exit
    from accord.cli.main import console
    from accord.cli.render import issues_table, summary_lines

    loaded = load_or_exit(case)
    for line in summary_lines(loaded):
        console.print(line)
    console.print(issues_table(loaded))
