"""Access tokens for the web API's writing endpoints (``accord token create|list|revoke``).

Only a token's sha256 is stored, so a copy of the database does not leak usable tokens; the token itself
is shown once, when it is created. Tokens are random (``secrets``), prefixed ``acc_`` so they are easy to
recognise in logs and secret scanners.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from accord.web.db import now, tokens

__all__ = ["TokenInfo", "TokenStore"]

PREFIX = "acc_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "prefix": self.prefix,
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "active": self.active,
        }


class TokenStore:
    """Tokens in the ``web_tokens`` table of a database (the one the server uses)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def create(self, name: str) -> tuple[str, TokenInfo]:
        """A new token and its record; the token is returned only here."""
        token = PREFIX + secrets.token_urlsafe(32)
        values = {"name": name[:100], "prefix": token[:10], "digest": _digest(token), "created_at": now()}
        with self.engine.begin() as conn:
            token_id = conn.execute(tokens.insert().values(**values)).inserted_primary_key[0]
        return token, TokenInfo(token_id, values["name"], values["prefix"], values["created_at"], None)

    def list(self) -> list[TokenInfo]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(tokens).order_by(tokens.c.id)).all()
        return [TokenInfo(r.id, r.name, r.prefix, r.created_at, r.revoked_at) for r in rows]

    def revoke(self, token_id: int) -> bool:
        """Revoke a token by id; ``False`` if there is no such active token."""
        with self.engine.begin() as conn:
            result = conn.execute(
                tokens.update()
                .where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None))
                .values(revoked_at=now())
            )
        return result.rowcount == 1

    def verify(self, token: str) -> int | None:
        """The id of the active token ``token``, or ``None``."""
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(tokens.c.id).where(tokens.c.digest == _digest(token), tokens.c.revoked_at.is_(None))
            ).first()
        return row.id if row else None
