"""Traces recorded from real barriers on real threads are accepted under both profiles.

A small recorder wraps each operation: the call is recorded before it starts and the outcome
after it ends, under one lock, so the recorded order is an order the operations could have had.
Times are real seconds since the start (timeouts then expire no earlier than the spec allows).
The scenarios are deterministic: where a step must wait for others to block, it polls
``n_waiting`` (unrecorded reads, which change nothing) with a generous cap, never a bare sleep.
"""

from __future__ import annotations

import threading
import time

import pytest

from barrierlab.impl.reference import Barrier as ReferenceBarrier
from barrierlab.model.accept import accept
from barrierlab.model.events import ActionEnd, ActionStart, Call, Raise, Return

CAP = 20.0  # seconds; a poll that takes longer means the barrier is broken
FACTORIES = {"threading": threading.Barrier, "reference": ReferenceBarrier}


class Recorder:
    """Builds a barrier whose operations and action are recorded as trace events."""

    def __init__(self, factory, parties, *, action=None, timeout=None):
        self.events = []
        self._lock = threading.Lock()
        self._start = time.monotonic()
        self._local = threading.local()
        self.has_action = action is not None
        wrapped = self._wrap(action) if action is not None else None
        self.barrier = factory(parties, action=wrapped, timeout=timeout)

    def _add(self, make):
        with self._lock:
            self.events.append(make(time.monotonic() - self._start))

    def _wrap(self, action):
        def run():
            tid = self._local.tid
            self._add(lambda t: ActionStart(tid, t))
            try:
                action()
            except BaseException as error:
                name = type(error).__name__
                self._add(lambda t: ActionEnd(tid, name, t))
                raise
            self._add(lambda t: ActionEnd(tid, None, t))

        return run

    def op(self, tid, op, timeout=None):
        """Run one recorded operation as thread ``tid``; return its value or exception."""
        self._local.tid = tid
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

    def until_waiting(self, n):
        deadline = time.monotonic() + CAP
        while self.barrier.n_waiting != n:
            assert time.monotonic() < deadline, f"n_waiting never reached {n}"
            time.sleep(0.001)


def _threads(*bodies):
    threads = [threading.Thread(target=body) for body in bodies]
    for thread in threads:
        thread.start()
    return threads


def _join(threads):
    for thread in threads:
        thread.join(CAP)
        assert not thread.is_alive(), "a thread is stuck"


def rounds(rec):
    def party(tid):
        return lambda: [rec.op(tid, "wait") for _ in range(4)]

    _join(_threads(*(party(t) for t in range(3))))


def reads(rec):
    def party(tid):
        def body():
            for _ in range(3):
                rec.op(tid, "wait")
                rec.op(tid, "n_waiting")
                rec.op(tid, "broken")
                rec.op(tid, "parties")

        return body

    _join(_threads(*(party(t) for t in range(3))))


def failing_action(rec):
    def party(tid):
        return lambda: [rec.op(tid, "wait") for _ in range(3)]

    _join(_threads(*(party(t) for t in range(2))))


def abort(rec):
    workers = _threads(lambda: rec.op(0, "wait"), lambda: rec.op(1, "wait"))
    rec.until_waiting(2)
    rec.op(2, "n_waiting")
    rec.op(2, "abort")
    _join(workers)
    rec.op(2, "broken")
    rec.op(2, "wait")


def reset(rec):
    def worker(tid):
        return lambda: (rec.op(tid, "wait"), rec.op(tid, "wait"))

    workers = _threads(worker(0), worker(1))
    rec.until_waiting(2)
    rec.op(2, "reset")
    rec.until_waiting(2)  # both waiters raised and waited again
    rec.op(2, "wait")
    _join(workers)


def timeout(rec):
    _join(_threads(lambda: rec.op(0, "wait", 0.05)))
    rec.op(1, "broken")
    rec.op(1, "wait")
    rec.op(1, "reset")
    _join(_threads(lambda: rec.op(0, "wait"), lambda: rec.op(1, "wait", 30.0)))


def default_timeout(rec):
    _join(_threads(lambda: rec.op(0, "wait")))
    rec.op(0, "reset")
    _join(_threads(lambda: rec.op(0, "wait", 30.0), lambda: rec.op(1, "wait", 30.0)))


def one_party(rec):
    _join(_threads(lambda: [rec.op(0, "wait") for _ in range(3)]))


def _raise_on_second():
    calls = []

    def action():
        calls.append(1)
        if len(calls) == 2:
            raise ValueError("the action failed")

    return action


SCENARIOS = {
    "rounds": (rounds, 3, {}),
    "rounds-with-action": (rounds, 3, {"action": lambda: None}),
    "reads": (reads, 3, {"action": lambda: None}),
    "failing-action": (failing_action, 2, {"action": "raise-on-second"}),
    "abort": (abort, 3, {}),
    "reset": (reset, 3, {}),
    "timeout": (timeout, 2, {}),
    "default-timeout": (default_timeout, 2, {"timeout": 0.05}),
    "one-party": (one_party, 1, {"action": lambda: None}),
}


@pytest.mark.parametrize("factory", sorted(FACTORIES))
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_recorded_traces_are_accepted(factory, scenario):
    run, parties, options = SCENARIOS[scenario]
    options = dict(options)
    if options.get("action") == "raise-on-second":
        options["action"] = _raise_on_second()
    rec = Recorder(FACTORIES[factory], parties, **options)
    run(rec)
    for profile in ("documented", "cpython"):
        v = accept(
            rec.events,
            parties=parties,
            profile=profile,
            default_timeout=options.get("timeout"),
            has_action=rec.has_action,
        )
        assert v.ok, f"{profile}: {v.message}\n" + "\n".join(map(str, rec.events))
        assert len(v.states) == len(rec.events)


def test_a_recorded_trace_with_a_wrong_value_is_rejected():
    """The recorder's traces are not accepted by accident: spoil one and it fails."""
    rec = Recorder(threading.Barrier, 3)
    rounds(rec)
    i = next(i for i, e in enumerate(rec.events) if isinstance(e, Return))
    events = list(rec.events)
    events[i] = Return(events[i].tid, "wait", 7, events[i].time)
    v = accept(events, parties=3)
    assert (v.ok, v.rule, v.index) == (False, "R-INDEX", i)
