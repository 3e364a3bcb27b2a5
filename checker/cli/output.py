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
#: Where stderr is no terminal (CI, a pipe, a log file) progress is a plain line this often:
#: a long report or check shows it is alive without flooding the log.
LOG_EVERY = 30.0
_first_progress: list[float | None] = [None]


def progress(text: str) -> None:
    """Show how a long command is going, on stderr: on a terminal, one line overwritten at most
    ten times a second; elsewhere a plain line every :data:`LOG_EVERY` seconds, the first after
    that long (a short command prints none)."""
    now = _monotonic()
    if sys.stderr.isatty():
        if now - _last_progress[0] >= 0.1:
            _last_progress[0] = now
            sys.stderr.write("\r\033[K" + text[:120])
            sys.stderr.flush()
        return
    first = _first_progress[0]
    if first is None:
        first = _first_progress[0] = _last_progress[0] = now
    if now - _last_progress[0] >= LOG_EVERY:
        _last_progress[0] = now
        err(f"[{now - first:.0f}s] {text[:120]}")


def progress_done() -> None:
    """Clear the progress line."""
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()
