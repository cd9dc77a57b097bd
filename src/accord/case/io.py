"""Finding and loading cases: files on disk or the built-in cases shipped as package data."""

from __future__ import annotations

from pathlib import Path

from accord.case.model import Case
from accord.case.validate import CaseError, ValidationReport, validate_file
from accord.spans.pointers import Corpus

__all__ = ["DEFAULT_CASE", "builtin_cases", "builtin_path", "load_case", "resolve_case_path"]

DEFAULT_CASE = "nagorno-karabakh-2020"


def _builtin_dir() -> Path:
    """The package's ``builtin/`` folder: beside this file in any installed or checked-out tree (without
    ``importlib.resources``, ~4 ms of every command), else wherever the package's resources are."""
    here = Path(__file__).resolve().parent / "builtin"
    if here.is_dir():
        return here
    from importlib import resources

    return Path(str(resources.files("accord.case") / "builtin"))


def builtin_cases() -> dict[str, Path]:
    """Built-in case names and their files."""
    folder = _builtin_dir()
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def builtin_path(name: str) -> Path | None:
    return builtin_cases().get(name)


def resolve_case_path(path_or_name: str | Path | None) -> Path:
    """A file path as given, or the file of a built-in case name; ``None`` means the default case."""
    if path_or_name is None:
        path_or_name = DEFAULT_CASE
    candidate = Path(path_or_name)
    if candidate.exists():
        return candidate
    builtin = builtin_path(str(path_or_name))
    if builtin is not None:
        return builtin
    return candidate  # validation reports "file not found" with a hint


def load_report(path_or_name: str | Path | None = None, corpus: Corpus | None = None) -> ValidationReport:
    path = resolve_case_path(path_or_name)
    name = str(path_or_name) if path_or_name is not None and builtin_path(str(path_or_name)) else None
    return validate_file(path, corpus=corpus, display_name=name)


def load_case(path_or_name: str | Path | None = None, corpus: Corpus | None = None) -> Case:
    """Load and validate a case; raise :class:`~accord.case.validate.CaseError` listing every problem.

    ``path_or_name`` is a YAML file or a built-in case name (``accord case list``); ``None`` loads the
    default case. With ``corpus`` every evidence span is checked against the texts too.
    """
    report = load_report(path_or_name, corpus)
    if not report.ok:
        raise CaseError(report)
    assert report.case is not None
    return report.case
