"""The ``accord`` command for whichever source tree ``PYTHONPATH`` names, for the benchmarks' ``--before``.

The installed console script calls ``accord.cli.main:console_main``, which trees older than a125ef5 do not
have; this script (written once per benchmark process, beside nothing else) calls it when the tree has it
and ``main`` otherwise, with the same two imports as pip's generated script, so that every tree is timed as
its own console script would run it.
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from functools import cache
from pathlib import Path

SCRIPT = """#!{python}
import re
import sys
import accord.cli.main as cli
sys.exit(getattr(cli, "console_main", cli.main)())
"""


@cache
def accord_command() -> str:
    """The path of an executable ``accord`` script for this Python (removed when the process ends)."""
    folder = Path(tempfile.mkdtemp(prefix="accord-command-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    script = folder / "accord"
    script.write_text(SCRIPT.format(python=sys.executable), encoding="utf-8")
    script.chmod(0o755)
    return str(script)
