"""The command-line interface (Typer + Rich); thin wrappers over :mod:`accord.api`."""
