"""The one module that writes to the terminal.

Everything a command shows goes through :func:`out` (stdout, the result) or :func:`err`
(stderr, diagnostics and progress), so that ``--json`` output stays clean and tests can
capture what a user would see.
"""

from __future__ import annotations

import sys
import time

__all__ = ["err", "out", "progress", "progress_done"]


def out(text: str = "") -> None:
    """Write one line of the command's result to stdout."""
    print(text, file=sys.stdout, flush=True)


def err(text: str = "") -> None:
    """Write one line of diagnostics to stderr."""
    print(text, file=sys.stderr, flush=True)


_last_progress = [0.0]
_monotonic = time.monotonic  # the real clock, even while a run has replaced time.monotonic


def progress(text: str) -> None:
    """Overwrite the progress line on stderr, at most ten times a second; silent unless
    stderr is a terminal."""
    now = _monotonic()
    if sys.stderr.isatty() and now - _last_progress[0] >= 0.1:
        _last_progress[0] = now
        sys.stderr.write("\r\033[K" + text[:120])
        sys.stderr.flush()


def progress_done() -> None:
    """Clear the progress line."""
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()
