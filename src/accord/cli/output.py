"""What every command prints through: the two consoles, JSON for machines, and the one rendering of
errors (``error: ...`` / ``hint: ...`` on stderr, the exit code of the error's kind).

Commands are wrapped by :func:`rendering_errors` (by :func:`accord.cli.main.build_app`, and in their
modules, so an app that registers them itself renders errors the same way). Nothing heavy is imported
here: Rich loads when a console is first used.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.errors import InputError

__all__ = [
    "consoles",
    "existing_dir",
    "fail",
    "print_json",
    "problems_error",
    "render_error",
    "rendering_errors",
]


class _Consoles:
    """The two Rich consoles (stdout for results, stderr for messages), made on first use."""

    def __getattr__(self, name: str) -> Any:
        from rich.console import Console

        value = Console(stderr=name == "err")
        setattr(self, name, value)
        return value


_consoles = _Consoles()


def consoles() -> tuple[Any, Any]:
    """``(stdout console, stderr console)``."""
    return _consoles.console, _consoles.err


def rendering_errors(func: Any) -> Any:
    """Wrap a command so any error is rendered by :func:`render_error` and ends in its exit code."""
    import functools

    if func is None or getattr(func, "_renders_errors", False):
        return func

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import typer

        try:
            return func(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the one place errors become messages
            if type(exc).__module__.split(".")[0] in ("click", "typer"):  # Exit, Abort, usage errors
                raise
            raise typer.Exit(render_error(exc)) from None

    wrapper._renders_errors = True  # type: ignore[attr-defined]
    return wrapper


def render_error(exc: BaseException) -> int:
    """Print an error as ``error: ...`` / ``hint: ...`` on stderr and return the exit code."""
    from accord.engines.base import ProblemError
    from accord.errors import AccordError, hint_of

    err = _consoles.err
    if isinstance(exc, AccordError):
        message, hint, code = exc.message, exc.hint, exc.exit_code
    elif isinstance(exc, ProblemError):  # a model refused its inputs: an input problem, not a bug
        message = f"the model cannot use these inputs: {exc}"
        hint, code = "check the case's numbers (`accord case show`) or pick another --model", 1
    elif hint_of(exc):  # the stores' errors carry a hint
        message, hint, code = str(exc), hint_of(exc), 1
    else:  # a bug: still one line, never a traceback
        message = f"{type(exc).__name__}: {exc}"
        hint, code = "run with a smaller input or report this as a bug with the command you ran", 1
    from accord.cli.render import printable, safe  # user text made inert: no markup, no terminal escapes

    err.print(f"[red]error:[/red] {safe(message)}", highlight=False, soft_wrap=True)
    if hint:
        err.print(f"hint: {printable(hint)}", highlight=False, soft_wrap=True, markup=False)
    return code


def print_json(data: object) -> None:
    """JSON to stdout, plain (no Rich markup), for machines."""
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def existing_dir(path: Any, option: str) -> Any:
    """``path`` if it is a folder (or ``None``); a usage error otherwise."""
    if path is not None and not path.is_dir():
        from accord.errors import UsageError

        raise UsageError(f"{option} {path}: no such folder", "give an existing folder")
    return path


def fail(message: str, hint: str = "", code: int = 1) -> Any:
    """Render ``message`` (and ``hint``) as the one error printer does and return the ``typer.Exit`` to
    raise: exit 2 is a usage error, 1 anything else. For commands that stop in the middle of their work."""
    import typer

    from accord.errors import InputError, UsageError

    kind = UsageError if code == 2 else InputError
    return typer.Exit(render_error(kind(message, hint)))


def problems_error(problems: Any, message: str, hint: str, limit: int | None = None) -> InputError:
    """Print each problem (each names its file, line and field) on stderr, then return the
    :class:`~accord.errors.InputError` to raise: the summary and the hint go through :func:`render_error`.

    For commands that find several problems at once (a survey, a batch of files, a case that would not
    validate) and list them all before refusing.
    """
    from accord.errors import InputError

    err = _consoles.err
    shown = list(problems)[:limit] if limit is not None else list(problems)
    for problem in shown:
        err.print(str(problem), markup=False, highlight=False, soft_wrap=True)
    if len(shown) < len(problems):
        err.print(f"... and {len(problems) - len(shown)} more", highlight=False)
    return InputError(message, hint)
