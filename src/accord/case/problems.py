"""A located problem in a case file, and the dotted field path it names: shared by every validation stage."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CaseProblem", "PathT", "dotted"]

PathT = tuple[str | int, ...]


@dataclass(frozen=True)
class CaseProblem:
    """One problem in a case file, printable as ``FILE:LINE:COL: field.path: message (hint)``."""

    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        field_path = self.path or "<document>"
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}: {field_path}: {self.message}{hint}"


def dotted(path: PathT) -> str:
    """``('stances', 3, 'issues', 'territory')`` -> ``stances[3].issues.territory``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
