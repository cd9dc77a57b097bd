"""``accord run`` on a plain command line, without Typer: the start-up a script's point run does not need.

Typer is the definition of every command, ``run`` included (:func:`accord.cli.run_cmd.run`: its options,
help and usage errors). Importing it and building the command from that signature (one pydantic
adapter per option) takes ~55 ms, a sixth of a whole ``accord run --draws 0`` on a small case. So
:func:`parse` reads a command line made only of ``run``'s own options, each in a plain form (``--draws 0``
or ``--draws=0``, ``-q``, one case), into the very keyword arguments Typer would pass to
:func:`accord.cli.run_core.forecast`; anything else (``--help``, an unknown option, a value Typer would
refuse or convert, ``--``, clustered short flags) returns ``None`` and the command goes to Typer as
always. ``tests/test_cli_fast_run.py`` checks this table against Typer's command, option by option,
and the arguments both give on a set of command lines.
"""

from __future__ import annotations

import re
from typing import Any

from accord.engines.registry import DEFAULT_MODEL

__all__ = ["DEFAULTS", "FLAGS", "OPTIONS", "parse"]

# option -> (parameter, kind, least value); kinds: "str", "int", "list" (repeatable str)
OPTIONS: dict[str, tuple[str, str, int | None]] = {
    "--model": ("model", "str", None),
    "-m": ("model", "str", None),
    "--rounds": ("rounds", "int", 0),
    "--seed": ("seed", "int", 0),
    "--scenario": ("scenario", "str", None),
    "-s": ("scenario", "str", None),
    "--draws": ("draws", "int", 0),
    "--threshold": ("threshold", "list", None),
    "-t": ("threshold", "list", None),
    "--perspective": ("perspective", "str", None),
    "--executor": ("executor", "str", None),
    "--workers": ("workers", "int", 1),
    "--scheduler": ("scheduler", "str", None),
    "--chunk-size": ("chunk_size", "int", 1),
    "--db": ("db", "str", None),
}
FLAGS: dict[str, str] = {
    "--no-store": "no_store",
    "--json": "json_out",
    "--quiet": "quiet",
    "-q": "quiet",
    "--no-carry-over": "no_carry_over",
}
DEFAULTS: dict[str, Any] = {
    "case": None,
    "model": DEFAULT_MODEL,
    "rounds": None,
    "seed": 0,
    "scenario": None,
    "draws": None,
    "threshold": None,
    "perspective": None,
    "executor": "local",
    "workers": None,
    "scheduler": None,
    "chunk_size": None,
    "db": None,
    "no_store": False,
    "json_out": False,
    "quiet": False,
    "no_carry_over": False,
}
_DIGITS = re.compile(r"[0-9]{1,18}")


def parse(argv: list[str]) -> dict[str, Any] | None:
    """The keyword arguments of :func:`~accord.cli.run_core.forecast` for ``accord run ARGV``, or ``None``
    when Typer should read the command line (help, errors, or anything not in its plainest form)."""
    params = dict(DEFAULTS)
    given: set[str] = set()
    rest = list(argv)
    while rest:
        token = rest.pop(0)
        if token in FLAGS:
            params[FLAGS[token]] = True
            continue
        name, eq, inline = token.partition("=") if token.startswith("--") else (token, "", "")
        if name in OPTIONS:
            if not eq:
                if not rest or rest[0].startswith("-"):
                    return None
                inline = rest.pop(0)
            if not _take(params, OPTIONS[name], inline):
                return None
            continue
        if token.startswith("-") or "case" in given:
            return None
        params["case"] = token
        given.add("case")
    return params


def _take(params: dict[str, Any], option: tuple[str, str, int | None], value: str) -> bool:
    """Store one option's value as Typer would; ``False`` for a value only Typer should judge."""
    name, kind, least = option
    if kind == "int":
        if not _DIGITS.fullmatch(value) or (least is not None and int(value) < least):
            return False
        params[name] = int(value)
    elif kind == "list":
        params[name] = [*(params[name] or []), value]
    else:
        params[name] = value
    return True
