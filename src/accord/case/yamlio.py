"""Safe YAML reading that remembers where every value came from.

PyYAML's ``compose`` builds a node graph without constructing any Python objects beyond plain scalars,
so it has ``safe_load``-level safety. We turn that graph into dicts, lists and scalars ourselves and record
the line and column of each value under its path (a tuple of keys and indices), so validation errors can
point at ``FILE:LINE:COL``. Timestamps stay strings (dates are parsed later, with their precision) and
duplicate keys are errors rather than silent overwrites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = ["Located", "YamlProblem", "load_located", "MAX_BYTES"]

MAX_BYTES = 10 * 1024 * 1024
MAX_NODES = 500_000
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp", "binary")
}

Path_ = tuple[str | int, ...]


@dataclass
class YamlProblem(Exception):
    """A problem found while reading the file itself (before any schema check)."""

    message: str
    line: int = 1
    column: int = 1
    hint: str = ""
    path: Path_ = ()


@dataclass
class Located:
    """Parsed YAML data plus the 1-based (line, column) of every path in it."""

    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    nodes: int = 0

    def mark(self, path: Path_) -> tuple[int, int]:
        """Position of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))


class _ScalarConstructor(yaml.constructor.SafeConstructor):
    """SafeConstructor that leaves timestamps as the text written in the file."""


_ScalarConstructor.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: node.value)


def _convert(node: yaml.Node, path: Path_, located: Located, constructor: _ScalarConstructor, depth: int = 0) -> Any:
    located.nodes += 1
    if located.nodes > MAX_NODES:
        raise YamlProblem(
            f"the document expands to more than {MAX_NODES} values",
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            "anchors and aliases that multiply each other are refused",
        )
    if depth > 100:
        raise YamlProblem("nesting is deeper than 100 levels", node.start_mark.line + 1, node.start_mark.column + 1)
    located.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag.startswith("!") or (node.tag.startswith("tag:") and node.tag not in _PLAIN_TAGS):
        raise YamlProblem(
            f"unsupported YAML tag {node.tag!r}",
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            "case files hold plain scalars, lists and mappings only; remove the tag",
            path,
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(
                    "mapping keys must be plain scalars",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    "write the key as text",
                    path,
                )
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(
                    "merge keys (<<) are not supported",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    "write the fields out, or use an anchor for a whole value",
                    path,
                )
            key = constructor.construct_object(key_node)
            if not isinstance(key, str | int | float | bool) or key is None:
                key = str(key)
            if key in result:
                raise YamlProblem(
                    f"duplicate key {key!r}",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    "each key may appear once in a mapping; the second one would silently win",
                    path + (str(key),),
                )
            result[key] = _convert(value_node, path + (key,), located, constructor, depth + 1)
            if not isinstance(value_node, yaml.ScalarNode):
                # A block mapping or list starts on the next line; users look for the key.
                located.marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, path + (i,), located, constructor, depth + 1) for i, item in enumerate(node.value)
        ]
    return constructor.construct_object(node)


def load_located(text: str) -> Located:
    """Parse ``text`` as a single YAML document, recording positions. Raises :class:`YamlProblem`."""
    try:
        # libyaml when present (7x faster on the default case; same nodes and marks), and the pure-Python
        # parser for a document it refuses, so syntax errors read the same with or without libyaml.
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        node = None
    try:
        node = node if node is not None else yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem or str(exc)
        if exc.context:
            message = f"{exc.context}, {message}"
        raise YamlProblem(f"YAML syntax error: {message}", line, col, "check indentation and quoting near here") from None
    except yaml.YAMLError as exc:  # e.g. several documents in one stream
        raise YamlProblem(f"YAML error: {exc}", 1, 1, "a case file holds exactly one YAML document") from None
    if node is None:
        raise YamlProblem("the file holds no YAML document", 1, 1, "start from `accord case schema` or docs/case-format.md")
    located = Located(data=None)
    constructor = _ScalarConstructor()
    try:
        located.data = _convert(node, (), located, constructor)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(f"unsupported YAML value: {exc.problem}", line, col, "plain scalars, lists and mappings only") from None
    except RecursionError:
        raise YamlProblem("the document nests too deeply or refers to itself", 1, 1) from None
    return located
