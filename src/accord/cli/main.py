"""The ``accord`` command line: thin wrappers over the Python API, with Rich output.

Exit codes: 0 success, 1 the input is invalid or the work failed, 2 usage errors (Typer's own and
:class:`~accord.errors.UsageError`). No command ever ends in a traceback: errors are rendered in one
place, :func:`main` (``error: ...`` and ``hint: ...`` on stderr).

Start-up is kept short: only the module of the command being run is imported (``accord run`` never
loads SQLAlchemy or the corpus store), and ``accord --version`` imports neither Typer nor NumPy.

To add a command, add one line to :data:`COMMANDS` (name -> module, attribute, kind).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import TYPE_CHECKING, Any

from accord.cli.output import _consoles, existing_dir, print_json, render_error, rendering_errors

if TYPE_CHECKING:
    import typer

__all__ = ["COMMANDS", "build_app", "existing_dir", "main", "print_json", "render_error", "rendering_errors"]

# name -> (module, attribute, kind); "command" is a function, "group" a Typer app of subcommands.
# Registered lazily: a run of one command imports only its module. Keep one line per command.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "case": ("accord.cli.case_cmd", "app", "group"),
    "backtest": ("accord.cli.backtest_cmd", "app", "group"),
    "evidence": ("accord.cli.evidence_cmd", "app", "group"),
    "corpus": ("accord.cli.corpus_cmd", "app", "group"),
    "extract": ("accord.cli.extract_cmd", "extract", "command"),
    "run": ("accord.cli.run_cmd", "run", "command"),
    "answer": ("accord.cli.answer_cmd", "answer", "command"),
    "compare": ("accord.cli.compare_cmd", "compare", "command"),
    "sensitivity": ("accord.cli.sensitivity_cmd", "sensitivity", "command"),
    "scenarios": ("accord.cli.scenarios_cmd", "scenarios_app", "group"),
    "runs": ("accord.cli.runs_cmd", "runs_app", "group"),
    "serve": ("accord.cli.web_cmd", "serve", "command"),
    "report": ("accord.cli.web_cmd", "report", "command"),
    "token": ("accord.cli.web_cmd", "token_app", "group"),
}

HELP = "Turn analyses of a conflict into an executable bargaining model, and ask it questions."


def __getattr__(name: str) -> Any:  # ``from accord.cli.main import console, err`` keeps working
    if name in ("console", "err"):
        return getattr(_consoles, name)
    if name == "app":
        return build_app()
    raise AttributeError(name)


def build_app(only: str | None = None) -> typer.Typer:
    """The Typer app with every command, or only ``only`` (what a run of that one command needs)."""
    import typer

    app = typer.Typer(
        name="accord",
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    def _version(value: bool) -> None:
        if value:
            print(f"accord {_version_string()}")
            raise typer.Exit()

    @app.callback()
    def _root(
        version: bool = typer.Option(
            False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ) -> None:
        """Accord: evidence-linked bargaining models of conflicts."""

    for name, (module, attribute, kind) in COMMANDS.items():
        if only is not None and name != only:
            continue
        target = getattr(import_module(module), attribute, None)
        if target is None:
            continue
        if kind == "group":
            for command in target.registered_commands:
                command.callback = rendering_errors(command.callback)
            app.add_typer(target, name=name)
        else:
            app.command(name)(rendering_errors(target))
    return app


def _version_string() -> str:
    from accord import __version__

    return __version__


def _command_of(argv: list[str]) -> str | None:
    """The command named on the command line, if it is the first argument and a known one."""
    return argv[0] if argv and argv[0] in COMMANDS else None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the command's modules load, then freeze what they made.

    Importing creates some 200,000 objects that live until exit; the collector would scan them again and
    again, during the imports and in every full collection after (a tenth of ``accord run``'s CPU time,
    measured whole-process on the default case and on KTAB's 80-actor sample). Frozen objects are never
    scanned; the collector then runs as usual for the command's own work (a server's requests included).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _run_plain(argv: list[str], whole_process: bool = False) -> None:
    """``accord run ARGV`` without Typer when :func:`accord.cli.fast_run.parse` reads it (then exit as Typer
    would: 0, or the error's code once it is rendered); otherwise return, and Typer takes the command.

    ``whole_process`` (the ``accord`` command itself, not a caller of :func:`main`): a run that wrote
    nothing but its output (``--no-store``, the local executor) then ends without the interpreter's
    teardown, which frees every module and object one by one (~20 ms, a tenth of a small case's run)."""
    with _collector_paused():
        from accord.cli.fast_run import parse

        params = parse(argv)
        if params is None:
            return
        from accord.cli.run_core import forecast, preload

        preload()  # the modules every run needs, loaded while the collector is paused (~10 ms of scans)
    try:
        forecast(**params)
    except Exception as exc:  # noqa: BLE001 - rendered as the Typer path renders it
        if type(exc).__module__.split(".")[0] not in ("click", "typer"):
            sys.exit(render_error(exc))
        # typer.Exit once an error is printed (a case's problems), or a click error: as click's main does
        if hasattr(exc, "show"):
            exc.show()
        sys.exit(getattr(exc, "exit_code", 1))
    if whole_process and params["no_store"] and params["executor"] == "local":
        _exit_without_teardown()
    sys.exit(0)


def _exit_without_teardown() -> None:
    """End the process with status 0 once stdout and stderr are flushed, skipping the interpreter's
    teardown. Only for a finished command that left nothing open: no file, database or worker relies on
    a finaliser. A flush that fails (a closed pipe) returns, and the usual exit reports it."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(0)


def console_main() -> None:
    """The ``accord`` console script: :func:`main` on the process's own arguments, allowed to end a
    finished plain run without the interpreter's teardown (nothing else runs in this process after it)."""
    main(whole_process=True)


def main(argv: list[str] | None = None, *, whole_process: bool = False) -> None:
    """Entry point: run the command; render any error in one line (and a hint) and exit non-zero.

    A caller of ``main`` (with or without ``argv``) always gets the usual ``SystemExit``; only
    :func:`console_main` may skip the teardown."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:  # answered before Typer, NumPy or the case model load
        print(f"accord {_version_string()}")
        return
    from accord.workspace import one_blas_thread, skip_pydantic_plugins

    one_blas_thread()  # before NumPy loads
    skip_pydantic_plugins()
    try:
        if args[:1] == ["run"]:
            # a plain command line runs without Typer; it returns only if it is not one
            _run_plain(args[1:], whole_process=whole_process)
        with _collector_paused():
            app = build_app(_command_of(args))
        app(args=args, prog_name="accord", standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        _consoles.err.print("[red]interrupted[/red]")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the one place errors become messages
        sys.exit(render_error(exc))
