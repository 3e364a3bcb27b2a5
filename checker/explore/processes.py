"""Worker processes that end with the process that started them.

A check spreads its work over spawned processes (a pool for ``--jobs``, one supervised process
per task that may end its process). When the check itself is killed (``kill PID``, a CI job
cancelled, a parent test runner timing out), Python runs no cleanup, and its workers would go
on computing for nobody, for up to a whole budget each, holding the cores the next check needs.
So every worker asks, as it starts, to be ended with its parent: on Linux the kernel sends it
SIGKILL when the parent exits (``prctl(PR_SET_PDEATHSIG)``); elsewhere it only checks that the
parent is still there when it starts.

The kernel's request follows the *thread* that started the worker, so a pool must be used from
the thread that made it (as every pool here is: made, used and shut down in one call).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

__all__ = ["follow_parent", "spawn_pool"]

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def follow_parent(parent: int) -> None:
    """In a worker process: end when the process ``parent`` (its parent) exits."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # no libc to ask: only the check below
            pass
    if os.getppid() != parent:  # the parent was gone before the request took effect
        os._exit(1)


def spawn_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` fresh (spawned) processes that end with this one."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=follow_parent,
        initargs=(os.getpid(),),
    )
