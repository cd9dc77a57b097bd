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
# indicators, PyYAML does not) and a byte-order mark after the start (libyaml skips it in its columns).
_PURE_ONLY = ("\t", "\ufeff")
# A block scalar's header as PyYAML reads it (libyaml's mark is a character index into the text).
_BLOCK_HEADER = re.compile(
    r"(?:&[^ \n]+ +)?[|>](?:[1-9][+-]?|[+-][1-9]?)?"  # an anchor, the indicator, chomping, indentation
    r"(?: +#[^\n\r\x85\u2028\u2029]*)? *(?:\r\n|[\n\r\x85\u2028\u2029]|$)"  # a comment, the line break
)
_NODE_EVENTS = (ScalarEvent, AliasEvent, SequenceStartEvent, MappingStartEvent)


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
    get, resolve = source.parser.get_event, source.resolve
    if type(get()) is not StreamStartEvent or type(get()) is not DocumentStartEvent:
        return None
    anchors: dict[str, Node] = {}
    stack: list[Any] = []  # the open collections, innermost last
    root: Node | None = None
    while root is None:
        event = get()
        kind = type(event)
        if len(stack) >= max_depth and kind in _NODE_EVENTS:
            return None  # a node nested deeper than the limit: the pure composer refuses it, located
        if not _read_alike(event, bool(stack) and stack[-1].flow_style, text):
            return None
        if kind is ScalarEvent:
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(ScalarNode, event.value, event.implicit)
            node: Node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        elif kind is AliasEvent:
            node = anchors[event.anchor]  # KeyError (undefined alias): the pure path reports it
        elif kind is SequenceStartEvent or kind is MappingStartEvent:
            collection = SequenceNode if kind is SequenceStartEvent else MappingNode
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(collection, None, event.implicit)
            node = collection(tag, [], event.start_mark, None, flow_style=event.flow_style)
            if not _anchor(anchors, event.anchor, node):
                return None
            stack.append(node)
            continue
        elif kind is SequenceEndEvent or kind is MappingEndEvent:
            node = stack.pop()
            node.end_mark = event.end_mark
        else:
            return None
        if kind is ScalarEvent and not _anchor(anchors, event.anchor, node):
            return None
        if not stack:
            root = node
        elif type(stack[-1]) is SequenceNode:
            stack[-1].value.append(node)
        else:
            _add_to_mapping(stack[-1], node)
    if type(get()) is not DocumentEndEvent or type(get()) is not StreamEndEvent:
        return None  # several documents: the pure composer's error names the second one
    return root


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


def _add_to_mapping(mapping: Any, node: Node) -> None:
    """Keys and values arrive in turn: a key opens a pair, the next node completes it."""
    pairs = mapping.value
    if pairs and pairs[-1][1] is None:
        pairs[-1] = (pairs[-1][0], node)
    else:
        pairs.append((node, None))
