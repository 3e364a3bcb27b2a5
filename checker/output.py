"""The one module that writes to the terminal.

Everything a command shows goes through :func:`out` (stdout, the result) or :func:`err`
(stderr, diagnostics and progress), so that ``--json`` output stays clean and tests can
capture what a user would see.
"""

from __future__ import annotations

import sys

__all__ = ["err", "out"]


def out(text: str = "") -> None:
    """Write one line of the command's result to stdout."""
    print(text, file=sys.stdout, flush=True)


def err(text: str = "") -> None:
    """Write one line of diagnostics to stderr."""
    print(text, file=sys.stderr, flush=True)
