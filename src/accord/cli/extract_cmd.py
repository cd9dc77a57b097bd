"""``accord extract``: draft events, actors and relations from texts, with provenance."""

from __future__ import annotations
