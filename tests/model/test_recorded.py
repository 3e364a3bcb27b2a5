"""Traces recorded from real barriers on real threads are accepted under both profiles.

:class:`barrierlab.checker.record.Recorder` wraps each operation: the call is recorded before
it starts and the outcome after it ends, under one lock, so the recorded order is an order the
operations could have had. Times are real seconds since the start.
The scenarios are deterministic: where a step must wait for others to block, it polls
``n_waiting`` (unrecorded reads, which change nothing) with a generous cap, never a bare sleep.
"""

from __future__ import annotations

import threading
import time

import pytest

from barrierlab.checker.record import Recorder
from barrierlab.impl.reference import Barrier as ReferenceBarrier
from barrierlab.model.accept import accept
from barrierlab.model.events import Return

CAP = 20.0  # seconds; a poll that takes longer means the barrier is broken
FACTORIES = {"threading": threading.Barrier, "reference": ReferenceBarrier}


def until_waiting(rec, n):
    deadline = time.monotonic() + CAP
    while rec.barrier.n_waiting != n:  # unrecorded reads: they change nothing
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
        return lambda: [rec.op("wait", tid=tid) for _ in range(4)]

    _join(_threads(*(party(t) for t in range(3))))


def reads(rec):
    def party(tid):
        def body():
            for _ in range(3):
                rec.op("wait", tid=tid)
                rec.op("n_waiting", tid=tid)
                rec.op("broken", tid=tid)
                rec.op("parties", tid=tid)

        return body

    _join(_threads(*(party(t) for t in range(3))))


def failing_action(rec):
    def party(tid):
        return lambda: [rec.op("wait", tid=tid) for _ in range(3)]

    _join(_threads(*(party(t) for t in range(2))))


def abort(rec):
    workers = _threads(lambda: rec.op("wait", tid=0), lambda: rec.op("wait", tid=1))
    until_waiting(rec, 2)
    rec.op("n_waiting", tid=2)
    rec.op("abort", tid=2)
    _join(workers)
    rec.op("broken", tid=2)
    rec.op("wait", tid=2)


def reset(rec):
    def worker(tid):
        return lambda: (rec.op("wait", tid=tid), rec.op("wait", tid=tid))

    workers = _threads(worker(0), worker(1))
    until_waiting(rec, 2)
    rec.op("reset", tid=2)
    until_waiting(rec, 2)  # both waiters raised and waited again
    rec.op("wait", tid=2)
    _join(workers)


def timeout(rec):
    _join(_threads(lambda: rec.op("wait", 0.05, tid=0)))
    rec.op("broken", tid=1)
    rec.op("wait", tid=1)
    rec.op("reset", tid=1)
    _join(_threads(lambda: rec.op("wait", tid=0), lambda: rec.op("wait", 30.0, tid=1)))


def default_timeout(rec):
    _join(_threads(lambda: rec.op("wait", tid=0)))
    rec.op("reset", tid=0)
    _join(_threads(lambda: rec.op("wait", 30.0, tid=0), lambda: rec.op("wait", 30.0, tid=1)))


def one_party(rec):
    _join(_threads(lambda: [rec.op("wait", tid=0) for _ in range(3)]))


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
