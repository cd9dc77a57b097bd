"""Accord's web app: REST API, dashboard and run workers (``accord serve``); see docs/web.md."""

from accord.web.app import create_app

__all__ = ["create_app"]
