"""One barrierlab scenario explored by frontrun, with the invariants a user would write.

Run in a subprocess under frontrun's command (frontrun refuses to explore otherwise)::

    frontrun python -m barrierlab.checker.bench.frontrun_harness TARGET SCENARIO_JSON CAP

It prints one JSON object: ``found`` (frontrun reported a failure), ``kind`` (frontrun's
failure kind), ``problems`` (which of our invariants failed, when one did), ``executions``,
``seconds``, ``exhausted``, ``inconclusive`` (frontrun's reason, when it could not decide) and
``explanation`` (the first line of frontrun's report). It is the peer half of
:mod:`barrierlab.checker.bench.peer`; frontrun is only in the ``bench`` extra.

The harness is what a frontrun user would write from the threading documentation alone, with
no spec: ``setup`` builds the barrier (``Name(parties, action=..., timeout=...)``), one worker
per thread program runs its steps and records what each returned or raised, and the invariant,
checked when every worker has finished, holds these documented promises (each applies only
where nothing in the scenario can excuse it):

* no call raises anything but ``BrokenBarrierError`` (or, from ``wait``, the action's error);
* ``wait`` returns an integer in ``range(parties)``; ``parties`` reads as given; ``n_waiting``
  reads in ``range(parties)`` and is 0 once every thread has finished;
* with no abort, reset, timeout or failing action, no wait raises, every index is handed out
  equally often (distinct within each generation), and an action runs once per generation;
  and ``broken`` always reads False when nothing in the scenario breaks the barrier;
* after an ``abort`` (and no reset anywhere), the barrier ends broken and every later wait of
  the aborting thread raises; after a failing action or a timed-out wait (and no reset), the
  barrier ends broken; with a reset and nothing that breaks, it ends unbroken.

Time: ``clock="virtual"`` (frontrun's scheduler owns the clock; without it frontrun's
cooperative condition waits time out and every run is inconclusive), ``clock="explored"`` when
the scenario has timeouts (so an expiry races the other threads' steps, as barrierlab's virtual
time does). Everything else is frontrun's default (DPOR, preemption bound 2, stop at the first
failure), except ``reproduce_on_failure=0`` (we time the search, not the confirmation).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter
from typing import Any

from barrierlab.checker.runtime.target import load_target
from barrierlab.checker.scenario import ActionFailed, Scenario

__all__ = ["problems"]

Record = tuple[str, str, Any]  # (op, "ok" | "broken" | "action" | "error", value)


class _State:
    def __init__(self, factory, scenario: Scenario) -> None:
        self.scenario = scenario
        self.action_calls = 0
        self.action_failures = 0
        action = self._action if scenario.has_action else None
        self.barrier = factory(scenario.parties, action=action, timeout=scenario.default_timeout)
        self.log: list[list[Record]] = [[] for _ in scenario.programs]

    def _action(self) -> None:
        self.action_calls += 1
        if self.action_calls in self.scenario.action_raises_on:
            self.action_failures += 1
            raise ActionFailed(f"action call {self.action_calls}")


def _worker(tid: int):
    def run(state: _State) -> None:
        b, log = state.barrier, state.log[tid]
        for step in state.scenario.programs[tid]:
            try:
                if step.op == "wait":
                    value = b.wait() if step.timeout is None else b.wait(step.timeout)
                elif step.op in ("reset", "abort"):
                    value = getattr(b, step.op)()
                else:
                    value = getattr(b, step.op)
                log.append((step.op, "ok", value))
            except threading.BrokenBarrierError:
                log.append((step.op, "broken", None))
            except ActionFailed:
                log.append((step.op, "action", None))
            except Exception as error:
                log.append((step.op, "error", repr(error)))

    return run


def problems(state: _State) -> list[str]:
    """The documented promises this finished run breaks (see the module docstring)."""
    s, b = state.scenario, state.barrier
    ops = {step.op for p in s.programs for step in p}
    timeouts = s.default_timeout is not None or any(
        step.timeout is not None for p in s.programs for step in p
    )
    breaks = timeouts or "abort" in ops or bool(s.action_raises_on)
    resets = "reset" in ops
    records = [r for log in state.log for r in log]
    found = []
    for op, how, value in records:
        if how == "error" or (how == "action" and op != "wait"):
            found.append(f"{op} raised {value}")
        elif how == "ok" and op == "wait" and value not in range(s.parties):
            found.append(f"wait returned {value!r}, not in range({s.parties})")
        elif how == "ok" and op == "parties" and value != s.parties:
            found.append(f"parties read {value!r}")
        elif how == "ok" and op == "n_waiting" and value not in range(s.parties):
            found.append(f"n_waiting read {value!r}")
        elif how == "ok" and op == "broken" and value and not breaks:
            found.append("broken read True though nothing breaks the barrier")
    if b.n_waiting != 0:
        found.append(f"n_waiting is {b.n_waiting} after every thread finished")
    indices = [v for op, how, v in records if op == "wait" and how == "ok"]
    if not breaks and not resets:
        if any(op == "wait" and how != "ok" for op, how, _ in records):
            found.append("a wait raised though nothing breaks or resets the barrier")
        counts = Counter(indices)
        if len(set(counts.values())) > 1 or (counts and len(counts) != s.parties):
            found.append(f"indices not distinct per generation: {sorted(indices)}")
        if s.has_action and state.action_calls * s.parties != len(indices):
            found.append(f"the action ran {state.action_calls} times for {len(indices)} waits")
    if not resets:
        if "abort" in ops and not b.broken:
            found.append("not broken after abort")
        if state.action_failures and not b.broken:
            found.append("not broken after the action failed")
        if timeouts and any(how == "broken" for _, how, _ in records) and not b.broken:
            found.append("not broken after a wait raised BrokenBarrierError")
        for log in state.log:
            aborted = False
            for op, how, _ in log:
                aborted |= op == "abort"
                if aborted and op == "wait" and how != "broken":
                    found.append("a wait after abort did not raise BrokenBarrierError")
    elif not breaks and b.broken:
        found.append("broken after reset, with nothing that breaks the barrier")
    return found


def main(argv: list[str] | None = None) -> int:
    import frontrun

    spec, scenario_json, cap = (sys.argv[1:] if argv is None else argv)[:3]
    scenario = Scenario.from_json(json.loads(scenario_json))
    factory = load_target(spec).factory
    timeouts = scenario.default_timeout is not None or any(
        step.timeout is not None for p in scenario.programs for step in p
    )
    last: list[list[str]] = [[]]

    def invariant(state: _State) -> bool:
        found = problems(state)
        if found:
            last[0] = found
        return not found

    started = time.perf_counter()
    result = frontrun.explore(
        setup=lambda: _State(factory, scenario),
        workers=[_worker(t) for t in range(scenario.n_threads)],
        invariant=invariant,
        clock="explored" if timeouts else "virtual",
        reproduce_on_failure=0,
        total_timeout=float(cap),
    )
    seconds = time.perf_counter() - started
    explanation = (result.explanation or "").strip().splitlines()
    report = {
        "found": result.property_holds is False,
        "kind": getattr(result, "failure_kind", None),
        "problems": last[0] if result.property_holds is False else [],
        "executions": result.num_explored,
        "seconds": round(seconds, 3),
        "exhausted": bool(getattr(result, "exhausted", False)),
        "inconclusive": getattr(result, "inconclusive_reason", None),
        "explanation": explanation[0] if explanation else "",
    }
    sys.stdout.write(json.dumps(report, default=str) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
