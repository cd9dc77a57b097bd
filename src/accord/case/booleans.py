"""Booleans where the case wants numbers: ``salience: true`` must be a problem, not 1.0.

Pydantic's lax mode reads a YAML ``true`` as ``1.0`` for a ``float`` field, so the mistake would pass
silently. The numeric fields are found from the models themselves, so a new numeric field is covered.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from accord.case.yamlio import Located

__all__ = ["bools_as_numbers"]

PathT = tuple[str | int, ...]


def _model_args(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _model_args(arg)


def numeric_field_names(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    """Names of the fields that hold numbers, in ``model`` and every model it holds."""
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    names: set[str] = set()
    for name, info in model.model_fields.items():
        if float in (info.annotation, *getattr(info.annotation, "__args__", ())):
            names.add(info.alias or name)
        for arg in _model_args(info.annotation):
            names |= numeric_field_names(arg, seen)
    return names


_CACHE: dict[type, frozenset[str]] = {}


def bools_as_numbers(located: Located, model: type[BaseModel]) -> Iterator[tuple[PathT, int, int, str, str]]:
    """``(path, line, column, message, hint)`` for each boolean under a numeric field's name."""
    numeric = _CACHE.setdefault(model, frozenset(numeric_field_names(model)))
    stack: list[tuple[PathT, Any]] = [((), located.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack += [(path + (k,), v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(path + (i,), v) for i, v in enumerate(value)]
        elif isinstance(value, bool) and path and path[-1] in numeric:
            line, col = located.mark(path)
            yield path, line, col, f"{str(value).lower()} is not a number", "write a number, e.g. 1 or 0.5"
