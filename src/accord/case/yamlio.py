"""Safe YAML reading that remembers where every value came from: the one place a parse failure becomes a
problem.

PyYAML's ``compose`` builds a node graph without constructing any Python objects beyond plain scalars,
so it has ``safe_load``-level safety. We turn that graph into dicts, lists and scalars ourselves and record
the line and column of each value under its path (a tuple of keys and indices), so validation errors can
point at ``FILE:LINE:COL``. Timestamps stay strings (dates are parsed later, with their precision) and
duplicate keys are errors rather than silent overwrites.

Every input is hostile until read. Whatever goes wrong while reading a text ends as a :class:`YamlProblem`
with a line and column, never as another exception:

* YAML 1.1 sexagesimal numbers (``1:0:0``) are plain text here (as in YAML 1.2): PyYAML builds them by
  repeated big-integer multiplication, quadratic in their length;
* a number longer than :data:`MAX_NUMBER_CHARS` characters is refused (Python refuses decimal integers
  of over 4,300 digits anyway, with a bare ``ValueError``);
* nesting deeper than :data:`MAX_DEPTH` is refused while composing, before Python's recursion limit;
* anchors and aliases may not expand the document beyond :data:`MAX_NODES` values, nor build more than
  :data:`MAX_ALIASED` values a second time (an "alias bomb" is refused after 20,000, in milliseconds).

:func:`read_bounded` reads files for every YAML reader (cases, scenarios, corpus metadata): regular files
only (a FIFO would block, ``/dev/zero`` would never end) and at most a given number of bytes.
"""

from __future__ import annotations

import gc
import os
import re
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from accord.case.yamlevents import FLOAT_TAG, INT_TAG, PlainResolver, compose

__all__ = [
    "Located",
    "MAX_BYTES",
    "MAX_ALIASED",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_NUMBER_CHARS",
    "YamlProblem",
    "load_located",
    "load_plain",
    "read_bounded",
]

MAX_BYTES = 10 * 1024 * 1024
MAX_NODES = 500_000
MAX_ALIASED = 20_000  # a real file reuses a few pointers through anchors; a bomb multiplies them
MAX_DEPTH = 100
MAX_NUMBER_CHARS = 100
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
    aliased: int = 0  # values built a second time, through an alias
    _seen: set[int] = field(default_factory=set, repr=False)

    def mark(self, path: Path_) -> tuple[int, int]:
        """Position of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))


def _where(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


class _Loader(yaml.SafeLoader):
    """SafeLoader without sexagesimal numbers and with a nesting limit checked while composing."""

    yaml_implicit_resolvers = PlainResolver.yaml_implicit_resolvers

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlProblem(
                    f"nesting is deeper than {MAX_DEPTH} levels",
                    *_where(self.peek_event().start_mark),
                    "a case or scenario file needs a few levels; flatten the structure",
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _ScalarConstructor(yaml.constructor.SafeConstructor):
    """SafeConstructor that leaves timestamps as written and refuses numbers too long to be meant."""

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        _check_number(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        _check_number(node)
        return super().construct_yaml_float(node)


def _check_number(node: yaml.ScalarNode) -> None:
    if len(node.value) > MAX_NUMBER_CHARS:
        raise YamlProblem(
            f"a number of {len(node.value)} characters",
            *_where(node.start_mark),
            f"numbers have at most {MAX_NUMBER_CHARS} characters; quote it if it is text",
        )


_ScalarConstructor.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: node.value)
_ScalarConstructor.add_constructor(INT_TAG, _ScalarConstructor.construct_yaml_int)
_ScalarConstructor.add_constructor(FLOAT_TAG, _ScalarConstructor.construct_yaml_float)


def _convert(
    node: yaml.Node,
    path: Path_,
    located: Located,
    constructor: _ScalarConstructor,
    depth: int = 0,
    via_alias: bool = False,
) -> Any:
    located.nodes += 1
    via_alias = via_alias or id(node) in located._seen
    located._seen.add(id(node))
    located.aliased += via_alias
    if located.nodes > MAX_NODES or located.aliased > MAX_ALIASED:
        raise YamlProblem(
            f"the document expands to more than {MAX_NODES if located.nodes > MAX_NODES else MAX_ALIASED} "
            "values" + ("" if located.nodes > MAX_NODES else " through aliases"),
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            "anchors and aliases that multiply each other are refused",
        )
    if depth > MAX_DEPTH:
        raise YamlProblem(f"nesting is deeper than {MAX_DEPTH} levels", *_where(node.start_mark))
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
            key = _build(constructor, key_node, path)
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
            result[key] = _convert(value_node, path + (key,), located, constructor, depth + 1, via_alias)
            if not isinstance(value_node, yaml.ScalarNode):
                # A block mapping or list starts on the next line; users look for the key.
                located.marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, path + (i,), located, constructor, depth + 1, via_alias)
            for i, item in enumerate(node.value)
        ]
    value = _build(constructor, node, path)
    if isinstance(value, str) and _SURROGATE.search(value):
        raise YamlProblem(
            "a lone surrogate escape (\\ud800-\\udfff) is not a character",
            *_where(node.start_mark),
            "write the character itself, or a pair of escapes for characters beyond U+FFFF",
            path,
        )
    return value


_STR_TAG = "tag:yaml.org,2002:str"
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null", "timestamp")
)


def _build(constructor: _ScalarConstructor, node: yaml.Node, path: Path_) -> Any:
    """A scalar's value; what PyYAML cannot build (``!!int ""``, ``!!float x``) is a problem at its
    position."""
    try:
        tag = node.tag
        if tag == _STR_TAG:  # most values: what PyYAML's str constructor returns, without its bookkeeping
            return node.value
        if tag in _SCALAR_TAGS:  # the constructor itself: construct_object only adds a cache and generators
            return constructor.yaml_constructors[tag](constructor, node)
        return constructor.construct_object(node)
    except (YamlProblem, yaml.constructor.ConstructorError):
        raise
    except Exception:  # noqa: BLE001 - PyYAML's constructors raise IndexError, ValueError, TypeError ...
        tag = node.tag.rsplit(":", 1)[-1]
        raise YamlProblem(
            f"{node.value[:40]!r} cannot be read as {tag}",
            *_where(node.start_mark),
            "give a value of that kind, or drop the explicit tag",
            path,
        ) from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def load_located(text: str) -> Located:
    """Parse ``text`` as a single YAML document, recording positions. Raises :class:`YamlProblem` only.

    Valid texts are composed from libyaml's events (:mod:`accord.case.yamlevents`, 20x faster); whatever
    that path cannot vouch for is composed again by the pure-Python loader, whose errors are the ones
    reported. Both graphs go through the same conversion, so its problems (duplicate keys, tags, long
    numbers, alias limits) read the same either way.
    """
    with _gc_paused():
        node = compose(text, MAX_DEPTH)
        if node is not None:
            try:
                return _convert_root(node)
            except YamlProblem:
                raise
            except Exception:  # noqa: BLE001 - anything else is located by the pure path below
                pass
    return load_located_pure(text)


def load_located_pure(text: str) -> Located:
    """:func:`load_located` with PyYAML's pure-Python loader only: the reference the fast path matches."""
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        with _gc_paused():
            return _compose_and_convert(loader)
    except YamlProblem:
        raise
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (control, lone surrogate)
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise YamlProblem(
            f"character U+{code:04X} is not allowed in YAML",
            line,
            column,
            "remove it, or write it as an escape inside double quotes",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or str(exc)
        if exc.context:
            message = f"{exc.context}, {message}"
        raise YamlProblem(
            f"YAML syntax error: {message}", *_where(mark), "check indentation and quoting near here"
        ) from None
    except yaml.YAMLError as exc:  # e.g. several documents in one stream
        raise YamlProblem(f"YAML error: {exc}", 1, 1, "a case file holds exactly one YAML document") from None
    except RecursionError:
        raise YamlProblem(
            "the document nests too deeply or refers to itself", *_reader_where(loader)
        ) from None
    except Exception:  # noqa: BLE001 - the one place: whatever else PyYAML raises (``!!int ""``) is located too
        raise YamlProblem(
            "a value that cannot be built as its tag or its form says",
            *_reader_where(loader),
            "check the value here: an explicit tag such as !!int needs a matching value; "
            "quote text that looks like a number",
        ) from None
    finally:
        if loader is not None:
            loader.dispose()


_GC_LOCK = threading.Lock()
_GC_PAUSES = 0
_GC_WAS_ENABLED = True


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a text is composed (process-wide, counted).

    Composing 2 MB of YAML allocates millions of small acyclic objects; each allocation burst starts a
    collection that walks the whole heap while holding the GIL, which stalled every other request of a
    server for up to two seconds. Reference counting still frees everything; the collector resumes after.
    """
    global _GC_PAUSES, _GC_WAS_ENABLED
    with _GC_LOCK:
        _GC_PAUSES += 1
        if _GC_PAUSES == 1:
            _GC_WAS_ENABLED = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_PAUSES -= 1
            if _GC_PAUSES == 0 and _GC_WAS_ENABLED:
                gc.enable()


def _reader_where(loader: _Loader | None) -> tuple[int, int]:
    if loader is None:
        return (1, 1)
    try:
        return _where(loader.get_mark())
    except Exception:  # the position is a courtesy; the problem is reported anyway
        return (1, 1)


def _compose_and_convert(loader: _Loader) -> Located:
    node = loader.get_single_node()
    if node is None:
        raise YamlProblem(
            "the file holds no YAML document", 1, 1, "start from `accord case schema` or docs/case-format.md"
        )
    return _convert_root(node)


def _convert_root(node: yaml.Node) -> Located:
    located = Located(data=None)
    try:
        located.data = _convert(node, (), located, _ScalarConstructor())
    except yaml.constructor.ConstructorError as exc:
        raise YamlProblem(
            f"unsupported YAML value: {exc.problem}",
            *_where(exc.problem_mark),
            "plain scalars, lists and mappings only",
        ) from None
    return located


def load_plain(text: str) -> Any:
    """The data of a small YAML text (corpus metadata, Markdown front matter) under the same guards."""
    return load_located(text).data


def read_bounded(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; :class:`YamlProblem` (line 1) otherwise.

    The file is opened without blocking and checked on the open descriptor, so a FIFO, a device (or a
    link to one, such as ``/dev/zero``) or a file swapped after a check is refused instead of read
    forever; at most ``max_bytes + 1`` bytes are ever read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise YamlProblem("file not found", hint="check the path") from None
    except IsADirectoryError:
        raise YamlProblem("is a folder, not a file", hint="give a .yaml file") from None
    except OSError as exc:
        raise YamlProblem(
            f"cannot open the file: {exc.strerror}", hint="check the path and its permissions"
        ) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise YamlProblem("is a folder, not a file", hint="give a .yaml file")
        raise YamlProblem(
            "is not a regular file (a device, pipe or socket)", hint="give a file saved on disk"
        )
    with os.fdopen(fd, "rb") as handle:
        limit = f"over the {max_bytes / 2**20:g} MB limit"
        if info.st_size > max_bytes:
            raise YamlProblem(
                f"file is {info.st_size / 2**20:.1f} MB, {limit}", hint="keep texts in the corpus, not here"
            )
        raw = handle.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise YamlProblem(f"file grew while read, {limit}", hint="keep texts in the corpus, not here")
    return raw
