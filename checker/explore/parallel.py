"""A check split over worker processes: one task per scenario, merged in scenario order.

:func:`check_parallel` does what :func:`barrierlab.checker.api.check` does, with the scenarios
shared out to the workers of a :class:`concurrent.futures.Executor`: a
:class:`~concurrent.futures.ProcessPoolExecutor` of ``workers`` processes by default (started
with ``spawn``: the checker's runtime keeps threads alive, and forking a process with threads
is unsafe), or any executor passed in (Dask's distributed ``Client.get_executor()`` to spread
a check over a cluster, or a one-thread pool in tests: the runtime takes over the primitives of
a whole process, so one process runs one schedule at a time, and a thread pool of more than one
thread would fail). Scenarios are independent, so a
scenario is the unit of work; one task each keeps the workers evenly loaded.

**Determinism.** Scenario ``i`` of the list gets the very scheduler, and so the very seed, it
gets in a serial check (built by the same function, from the scenario's index in the whole
list, not in a worker's share), and the results come back in scenario order whatever order the
workers finish in. So when a check stops by ``max_schedules`` (a budget large enough not to cut
it), the merged result equals the serial one: the same schedules, the same verdicts, the same
violations and tokens; only the seconds differ.

**Time.** ``budget`` is real seconds for the whole check, as in a serial check. A task gets, at
its start, the rest of the budget divided by the tasks still ahead of it on its worker (an
estimate: tasks start roughly in submission order), so time an early task leaves unused goes
to later ones. Unlike a serial check, a worker gives each of its scenarios one turn, not three
rounds. With ``fail_fast``, once a violation comes back the tasks not started are cancelled;
those already running finish (within their own deadline), and the result holds the scenarios
up to the first violating one in scenario order.

>>> from concurrent.futures import ThreadPoolExecutor
>>> with ThreadPoolExecutor(1) as pool:
...     r = check_parallel(
...         "threading:Barrier", executor=pool, scenarios=["single-party"], budget=5
...     )
>>> str(r.verdict), r.exhaustive
('pass', True)
"""

from __future__ import annotations

import math
import multiprocessing
import os
import time
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from typing import Any

from barrierlab.checker.config import Config
from barrierlab.checker.explore.check import CheckResult, scheduler_for
from barrierlab.checker.explore.options import CheckOptions
from barrierlab.checker.explore.search import ScenarioResult, explore, explore_hypothesis
from barrierlab.checker.runtime.target import Target, load_target
from barrierlab.checker.scenario import Scenario
from barrierlab.model.errors import InvalidArgument

__all__ = ["check_parallel", "check_scenario"]

_real_monotonic = time.monotonic


def check_scenario(
    spec: str,
    scenario: Scenario,
    index: int,
    *,
    profile: str,
    scheduler: str,
    config: Config,
    end: float,
    ahead: int,
) -> ScenarioResult:
    """Explore scenario number ``index`` of a check, in whatever process runs this task.

    ``end`` is the check's real ``time.monotonic()`` deadline (the clock is system-wide, so it
    means the same in every process of this machine); ``ahead`` is how many tasks this worker
    is expected to run from this one on, this one included.
    """
    loaded = load_target(spec)
    now = _real_monotonic()
    deadline = now + max(0.0, end - now) / max(1, ahead)
    if scheduler == "hypothesis":
        return explore_hypothesis(
            loaded,
            scenario,
            config,
            profile=profile,
            seed=config.seed + index,
            max_examples=config.max_schedules or 200,
        )
    sched = scheduler_for(scheduler, config, index, deadline)
    return explore(loaded, scenario, sched, config, profile=profile, deadline=deadline)


def _default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def check_parallel(
    target: str | Target,
    *,
    workers: int | None = None,
    executor: Executor | None = None,
    options: CheckOptions | None = None,
    config: Config | None = None,
    **option_fields: Any,
) -> CheckResult:
    """:func:`barrierlab.checker.api.check`, its scenarios spread over ``workers`` processes
    (or over ``executor``); see the module docstring for what is and is not the same. The
    options are those of :class:`~barrierlab.checker.explore.options.CheckOptions`, as one
    object or as keywords, as for :func:`~barrierlab.checker.explore.check.check`."""
    opts = CheckOptions.of(options, **option_fields)
    profile, scheduler, fail_fast = opts.profile, opts.scheduler, opts.fail_fast
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise InvalidArgument(f"workers must be an integer >= 1, got {workers!r}")
    config = config or opts.config()
    spec = target.spec if isinstance(target, Target) else load_target(target).spec
    chosen = opts.chosen_scenarios()
    n_workers = workers or _default_workers()
    result = CheckResult(spec, profile, scheduler)
    started = _real_monotonic()
    end = started + config.budget
    own = executor is None
    pool = executor or ProcessPoolExecutor(
        max_workers=n_workers, mp_context=multiprocessing.get_context("spawn")
    )
    try:
        futures: dict[Future, int] = {}
        for i, scenario in enumerate(chosen):
            ahead = math.ceil((len(chosen) - i) / n_workers)
            kwargs: dict[str, Any] = {
                "profile": profile,
                "scheduler": scheduler,
                "config": config,
                "end": end,
                "ahead": ahead,
            }
            futures[pool.submit(check_scenario, spec, scenario, i, **kwargs)] = i
        done: dict[int, ScenarioResult] = {}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                if future.cancelled():
                    continue
                found = future.result()
                done[futures[future]] = found
                if fail_fast and found.violation is not None:
                    for other in pending:
                        other.cancel()
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
    ordered = [done[i] for i in sorted(done)]
    if fail_fast:
        first = next((k for k, s in enumerate(ordered) if s.violation is not None), None)
        if first is not None:
            ordered = ordered[: first + 1]
    result.scenarios = ordered
    result.seconds = _real_monotonic() - started
    return result
