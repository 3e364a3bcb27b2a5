"""Bug: a barrier that crashes the process for real when it is broken.

CPython's barrier, except that a wait that would raise BrokenBarrierError calls
``os.abort()``: the process dies of SIGABRT, as it would of a failed assertion in a C extension.
No patch inside the process can stop it; a check survives it only by running the target in a
supervised worker process (``check`` and ``report`` run one by default; its entry in
:data:`barrierlab.impl.targets.SHAPES` says ``ends_process``, so tests check it supervised).

Rule: exit
"""

from __future__ import annotations

import os
import threading

__all__ = ["Barrier"]


class Barrier(threading.Barrier):
    """:class:`threading.Barrier` that aborts the process instead of raising."""

    def wait(self, timeout=None):
        try:
            return super().wait(timeout)
        except threading.BrokenBarrierError:
            os.abort()  # BUG: kills the process
