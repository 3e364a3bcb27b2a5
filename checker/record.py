"""Record what a barrier does on real threads, as a trace the spec can judge later.

``barrierlab check`` runs a barrier under its own scheduler. Some barriers can't run there
(one built on a C extension's locks, one inside a larger program); for those, wrap the barrier
in a :class:`Recorder`, run your own threads against it, save the trace, and judge it with
``barrierlab accept`` (or :func:`barrierlab.model.accept.accept`). A recorded trace shows one
interleaving, the one that happened; the spec says whether it was allowed.

Each operation is recorded as its call (before it starts) and its outcome (after it ends),
each under one lock, so the recorded order is an order the operations could have had. Times
are seconds since the recorder was made (a timeout then expires no earlier than the spec
allows). Threads are numbered in the order they first use the recorder, or by ``tid=``.

>>> import threading
>>> rec = Recorder(threading.Barrier, 1)
>>> rec.wait(), rec.n_waiting
(0, 0)
>>> [type(e).__name__ for e in rec.events]
['Call', 'Return', 'Call', 'Return']
>>> from barrierlab.model.accept import accept
>>> accept(rec.events, parties=1).ok
True
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from barrierlab.model.events import (
    ActionEnd,
    ActionStart,
    Call,
    Event,
    Raise,
    Return,
    trace_to_json,
)

__all__ = ["Recorder"]


class Recorder:
    """A barrier made by ``factory(parties, action=..., timeout=...)`` whose operations (and
    action) are recorded in :attr:`events`.

    Use :meth:`wait`, :meth:`reset`, :meth:`abort` and the properties ``parties``,
    ``n_waiting``, ``broken`` as you would the barrier's; they behave the same (exceptions
    included) and record what happened. :meth:`op` runs one operation by name and returns the
    exception instead of raising it.
    """

    def __init__(
        self,
        factory: Callable[..., Any],
        parties: int,
        *,
        action: Callable[[], Any] | None = None,
        timeout: float | None = None,
    ) -> None:
        self.events: list[Event] = []
        self.parties_given = parties
        self.timeout = timeout
        self.has_action = action is not None
        self._lock = threading.Lock()
        self._start = time.monotonic()
        self._local = threading.local()
        self._tids: dict[int, int] = {}
        wrapped = self._wrap(action) if action is not None else None
        self.barrier = factory(parties, action=wrapped, timeout=timeout)

    def _tid(self, tid: int | None) -> int:
        if tid is None:
            with self._lock:
                tid = self._tids.setdefault(threading.get_ident(), len(self._tids))
        self._local.tid = tid
        return tid

    def _add(self, make: Callable[[float], Event]) -> None:
        with self._lock:
            self.events.append(make(time.monotonic() - self._start))

    def _wrap(self, action: Callable[[], Any]) -> Callable[[], None]:
        def run() -> None:
            tid = getattr(self._local, "tid", -1)
            self._add(lambda t: ActionStart(tid, t))
            try:
                action()
            except BaseException as error:
                name = type(error).__name__
                self._add(lambda t: ActionEnd(tid, name, t))
                raise
            self._add(lambda t: ActionEnd(tid, None, t))

        return run

    def op(self, op: str, timeout: float | None = None, *, tid: int | None = None) -> Any:
        """Run ``op`` (``wait``, ``reset``, ``abort``, ``parties``, ``n_waiting``, ``broken``)
        as thread ``tid`` (default: this thread's number); return its value or exception."""
        tid = self._tid(tid)
        self._add(lambda t: Call(tid, op, timeout, t))
        b = self.barrier
        try:
            if op == "wait":
                value = b.wait() if timeout is None else b.wait(timeout)
            elif op in ("reset", "abort"):
                value = getattr(b, op)()
            else:
                value = getattr(b, op)
        except Exception as error:
            name = type(error).__name__
            self._add(lambda t: Raise(tid, op, name, t))
            return error
        self._add(lambda t: Return(tid, op, value, t))
        return value

    def _raising(self, op: str, timeout: float | None = None) -> Any:
        value = self.op(op, timeout)
        if isinstance(value, Exception):
            raise value
        return value

    def wait(self, timeout: float | None = None) -> int:
        return self._raising("wait", timeout)

    def reset(self) -> None:
        self._raising("reset")

    def abort(self) -> None:
        self._raising("abort")

    @property
    def parties(self) -> int:
        return self._raising("parties")

    @property
    def n_waiting(self) -> int:
        return self._raising("n_waiting")

    @property
    def broken(self) -> bool:
        return self._raising("broken")

    def to_json(self, *, complete: bool = True) -> dict[str, Any]:
        """The trace with what judging it needs: the input of ``barrierlab accept``.

        ``complete``: the run ended with no thread able to move (every recorded call that has
        no outcome is blocked for good); False for a run cut short.
        """
        with self._lock:
            trace = trace_to_json(self.events)
        return {
            "parties": self.parties_given,
            "has_action": self.has_action,
            "default_timeout": self.timeout,
            "complete": complete,
            "trace": trace,
        }

    def save(self, path: str | os.PathLike[str], *, complete: bool = True) -> None:
        """Write :meth:`to_json` to ``path``."""
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_json(complete=complete), f, indent=1)
            f.write("\n")
