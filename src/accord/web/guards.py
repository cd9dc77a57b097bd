"""ASGI guards around the whole app: the Host allow-list, security headers and hostile JSON.

They sit outside FastAPI so they apply to every route (API, pages, static files, the docs) and cost no
thread: each is a plain ASGI callable.

* :class:`HostGuard`: reads are open to loopback clients, so a page the operator visits could read the
  server through DNS rebinding (its own name resolving to 127.0.0.1). Such a request carries the
  attacker's name in ``Host``; only allowed names pass (loopback names, IP literals, the address the
  server is bound to, and ``--allow-host`` entries for a deployment behind a proxy). 400 otherwise.
* :class:`SecurityHeaders`: CSP (scripts from this server only), ``nosniff``, no framing, no referrer.
* :class:`JsonGuard`: Python's JSON reader accepts ``NaN``, ``Infinity`` and lone surrogates
  (``"\\ud800"``), which no JSON peer sends and which break later (a database refuses the string, a
  number turns into ``NaN``). Such bodies get 422 in FastAPI's error shape, before any handler runs.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import math
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HostGuard", "JsonGuard", "SecurityHeaders", "content_security_policy", "host_allowed"]

LOOPBACK_NAMES = ("localhost", "localhost.localdomain")

# Inline script the templates hold (base.html's boot call and two handlers): allowed by hash, nothing else.
INLINE_SCRIPTS = ("Accord.boot();", "this.form.submit()", "Accord.openEvidence(this.dataset.ref)")


def _hash(source: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"
    )


def content_security_policy() -> str:
    """Scripts, styles, images and connections from this server only; no framing, no plugins, no base tag."""
    scripts = " ".join(_hash(s) for s in INLINE_SCRIPTS)
    return (
        "default-src 'self'; "
        f"script-src 'self' 'unsafe-hashes' {scripts}; "
        "style-src 'self' 'unsafe-inline'; "  # Plotly sets styles inline on every element it draws
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


SECURITY_HEADERS = (
    (b"content-security-policy", content_security_policy().encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


def _host_name(header: str) -> str:
    """The name in a ``Host`` header, without the port, lower case (``[::1]:8000`` -> ``::1``)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def host_allowed(header: str | None, allowed: Iterable[str], bound: str | None = None) -> bool:
    """Whether a request naming ``header`` may be served.

    Allowed: no Host at all (HTTP/1.0 tools; browsers always send one), an IP literal (a rebinding page
    has a domain name, never an address), loopback names, the name the server is bound to, and each
    ``allowed`` entry: a name, ``.example.org`` for it and its subdomains, or ``*`` for any.
    """
    if header is None:
        return True
    name = _host_name(header)
    if not name:
        return False
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    if name in LOOPBACK_NAMES or name.endswith(".localhost") or (bound and name == bound.lower()):
        return True
    for entry in allowed:
        entry = entry.strip().lower()
        if (
            entry == "*"
            or name == entry
            or (entry.startswith(".") and (name.endswith(entry) or name == entry[1:]))
        ):
            return True
    return False


async def _send_json(
    send: Send, status: int, body: Any, headers: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    payload = json.dumps(body).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *SECURITY_HEADERS,
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class HostGuard:
    """Refuse (400) requests whose ``Host`` is not allowed; see :func:`host_allowed`."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str] = ()):
        self.app = app
        self.allowed = tuple(allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        raw = dict(scope.get("headers") or []).get(b"host")
        header = raw.decode("latin-1") if raw is not None else None
        server = scope.get("server")
        if host_allowed(header, self.allowed, server[0] if server else None):
            await self.app(scope, receive, send)
            return
        await _send_json(
            send,
            400,
            {
                "detail": f"Host {(header or '')[:100]!r} is not served here; a server behind "
                "a proxy names its public host with `accord serve --allow-host NAME`"
            },
        )


class SecurityHeaders:
    """Add the security headers to every HTTP response (unless a route set its own)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *[(k, v) for k, v in SECURITY_HEADERS if k not in present],
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


class _NotJson(ValueError):
    """A JSON text Python reads but no JSON peer should send."""


def _refuse_constant(name: str) -> float:
    raise _NotJson(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotJson(f"{text[:40]} is out of the range of a JSON number")
    return value


def _bounded_int(text: str) -> int:
    if len(text) > 100:
        raise _NotJson(f"an integer of {len(text)} digits")
    return int(text)


def json_problem(body: bytes) -> str | None:
    """Why ``body`` is not strict JSON (NaN/Infinity, overflowing or huge numbers, a lone surrogate, deep
    nesting), or ``None``; plain syntax errors are FastAPI's to report (422)."""
    try:
        data = json.loads(body, parse_constant=_refuse_constant, parse_float=_finite, parse_int=_bounded_int)
    except _NotJson as exc:
        return str(exc)
    except ValueError:
        return None
    except RecursionError:
        return "the JSON nests too deeply"
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "a string holds a lone surrogate (\\ud800-\\udfff), which is not a character"
    except RecursionError:
        return "the JSON nests too deeply"
    return None


class JsonGuard:
    """Read JSON request bodies first and refuse NaN, Infinity and lone surrogates with 422.

    The body is bounded by :class:`~accord.web.app.BodyLimit`, which runs outside this guard.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        if scope["type"] != "http" or b"json" not in headers.get(b"content-type", b"").lower():
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        problem = json_problem(body) if body else None
        if problem is not None:
            await _send_json(
                send, 422, {"detail": [{"type": "json_invalid", "loc": ["body"], "msg": problem}]}
            )
            return
        await self.app(
            scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send
        )


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    queue = list(messages)

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive
