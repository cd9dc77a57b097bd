"""YAML composed from libyaml's events: the fast path of :func:`accord.case.yamlio.load_located`.

PyYAML's pure-Python scanner and parser take about 0.2 s on the 2020 case (most of ``accord run``'s
start-up); libyaml's C parser produces the same events in about 10 ms. We do not use libyaml's own composer
(``yaml.compose(..., Loader=CSafeLoader)``): it recurses in C once per nesting level, and in a thread with a
small stack (128 KiB) a document nested 1,000 deep (libyaml's own limit) crashes the whole process. Instead
:func:`compose` builds PyYAML's node graph from the events with a loop and an explicit stack, and gives up
as soon as the nesting passes the limit: nothing here recurses.

The rule of this module: it returns a node graph only when the pure-Python composer would have built the
same one (same tags, values and marks), and ``None`` whenever it cannot vouch for that (libyaml is missing,
the text has a character the pure reader refuses, any parse or compose error, deep nesting, several
documents). On ``None`` the caller composes with the pure-Python loader, which then reports the problem
with its usual message; so errors read exactly as before and only valid texts take the fast path.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["INT_TAG", "FLOAT_TAG", "PlainResolver", "compose"]

INT_TAG, FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"


class PlainResolver(yaml.resolver.Resolver):
    """PyYAML's YAML 1.1 resolver without sexagesimal numbers (``1:30`` stays text, as in YAML 1.2).

    PyYAML builds a sexagesimal number by repeated big-integer multiplication, quadratic in its length;
    the patterns below are PyYAML's own with those alternatives left out.
    """

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in (INT_TAG, FLOAT_TAG)]
        for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    }


PlainResolver.add_implicit_resolver(
    INT_TAG,
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
PlainResolver.add_implicit_resolver(
    FLOAT_TAG,
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)

_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None) if yaml.__with_libyaml__ else None


# Characters read differently by the two parsers: a tab (libyaml allows it inside plain scalars and after
# indicators, PyYAML does not) and a byte-order mark (libyaml leaves it out of its columns).
_PURE_ONLY = ("\t", "\ufeff")
# A block scalar's header as PyYAML reads it (libyaml's mark is a character index into the text).
_BLOCK_HEADER = re.compile(
    r"(?:&[^ \n]+ +)?[|>](?:[1-9][+-]?|[+-][1-9]?)?"  # an anchor, the indicator, chomping, indentation
    r"(?: +#[^\n\r\x85\u2028\u2029]*)? *(?:\r\n|[\n\r\x85\u2028\u2029]|$)"  # a comment, the line break
)


class _EventSource(PlainResolver):
    """libyaml's parser (events only) with our resolver for the tags of untagged nodes."""

    def __init__(self, text: str):
        super().__init__()
        self.parser = _CParser(text)


def compose(text: str, max_depth: int) -> Node | None:
    """The node graph of the single document in ``text``, or ``None`` when the pure composer must decide.

    ``None`` covers everything that is not a plainly valid document of at most ``max_depth`` levels:
    no libyaml, a character the pure reader refuses, a parse error, an undefined or duplicate anchor,
    several documents, or none.
    """
    if _CParser is None or any(c in text for c in _PURE_ONLY):
        return None
    if yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    try:
        source = _EventSource(text)
    except Exception:  # noqa: BLE001 - e.g. a lone surrogate cannot be encoded for libyaml
        return None
    try:
        return _compose_events(source, text, max_depth)
    except Exception:  # noqa: BLE001 - libyaml's errors differ from PyYAML's; the pure path reports them
        return None
    finally:
        source.parser.dispose()


def _compose_events(source: _EventSource, text: str, max_depth: int) -> Node | None:
    """One loop over the events; the innermost open collection is ``stack[-1]``, and ``keys[-1]`` holds
    the key of an open mapping while its value is read (``None`` between pairs)."""
    get, resolve_plain = source.parser.get_event, _plain_resolver(source)
    if type(get()) is not StreamStartEvent or type(get()) is not DocumentStartEvent:
        return None
    anchors: dict[str, Node] = {}
    stack: list[Any] = []
    keys: list[Node | None] = []
    while True:
        event = get()
        kind = type(event)
        if kind is ScalarEvent:
            if len(stack) >= max_depth or not _read_alike(event, bool(stack) and stack[-1].flow_style, text):
                return None  # too deep (the pure composer refuses it, located) or read otherwise there
            value = event.value
            tag = resolve_plain(value) if event.implicit[0] else _STR
            node: Node = ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
            if event.anchor is not None and not _anchor(anchors, event.anchor, node):
                return None
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            node = stack.pop()
            keys.pop()
            node.end_mark = event.end_mark
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if len(stack) >= max_depth or event.tag is not None:
                return None
            collection = MappingNode if kind is MappingStartEvent else SequenceNode
            opened = collection(source.resolve(collection, None, event.implicit), [], event.start_mark, None)
            opened.flow_style = event.flow_style
            if not _anchor(anchors, event.anchor, opened):
                return None
            stack.append(opened)
            keys.append(None)
            continue
        elif kind is AliasEvent:
            if len(stack) >= max_depth:
                return None
            node = anchors[event.anchor]  # KeyError (undefined alias): the pure path reports it
        else:
            return None
        if not stack:
            break
        parent = stack[-1]
        if type(parent) is SequenceNode:
            parent.value.append(node)
        elif keys[-1] is None:
            keys[-1] = node
        else:
            parent.value.append((keys[-1], node))
            keys[-1] = None
    if type(get()) is not DocumentEndEvent or type(get()) is not StreamEndEvent:
        return None  # several documents: the pure composer's error names the second one
    return node


_STR = "tag:yaml.org,2002:str"


def _plain_resolver(source: _EventSource) -> Any:
    """``source.resolve`` for plain scalars, with the resolvers looked up once per first character."""
    table = source.yaml_implicit_resolvers
    wildcard = table.get(None, [])
    by_first = {first: resolvers + wildcard for first, resolvers in table.items() if first is not None}
    default = wildcard

    def resolve(value: str) -> str:
        for tag, pattern in by_first.get(value[:1], default):
            if pattern.match(value):
                return str(tag)
        return _STR

    return resolve


def _read_alike(event: Any, in_flow: bool, text: str) -> bool:
    """False for what libyaml reads otherwise than PyYAML (found by differential fuzzing, see the tests).

    An explicit tag (PyYAML refuses some that libyaml takes, and in a flow collection counts a following
    ``,`` as part of the tag); an empty value (``a:``, whose position the two parsers put in different
    places); inside a flow collection, a plain scalar with ``?`` in it or starting with ``:`` (PyYAML ends
    the scalar there and fails); a block scalar whose header is not plainly ``|`` or ``>`` with its
    indicators and a comment.
    """
    if getattr(event, "tag", None) is not None:
        return False
    if type(event) is not ScalarEvent:
        return True
    if not event.style:
        value = event.value
        return bool(value) and not (in_flow and ("?" in value or value.startswith(":")))
    if event.style in "|>":  # PyYAML refuses headers such as ``>#-`` that libyaml takes
        return _BLOCK_HEADER.match(text, event.start_mark.index) is not None
    return True


def _anchor(anchors: dict[str, Node], anchor: str | None, node: Node) -> bool:
    """Register ``node`` under ``anchor``; False for a duplicate anchor (an error of the pure composer)."""
    if anchor is None:
        return True
    if anchor in anchors:
        return False
    anchors[anchor] = node
    return True
