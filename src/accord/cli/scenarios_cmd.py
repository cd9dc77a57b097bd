"""``accord scenarios|compare|sensitivity|runs``: questions under uncertainty, and the stored runs."""

from __future__ import annotations
