"""A check split over worker processes: one task per scenario, merged in scenario order.

:func:`check_parallel` does what :func:`barrierlab.checker.api.check` does, with the scenarios
shared out to the workers of a :class:`concurrent.futures.Executor`: a
:class:`~concurrent.futures.ProcessPoolExecutor` of ``workers`` processes by default (started
with ``spawn``: the checker's runtime keeps threads alive, and forking a process with threads
is unsafe), or any executor passed in (Dask's distributed ``Client.get_executor()`` to spread
a check over a cluster, or a one-thread pool in tests: the runtime takes over the primitives of
a whole process, so one process runs one schedule at a time, and a thread pool of more than one
thread would fail). Scenarios are independent, so a scenario is the unit of work. By count
(``max_schedules``) a scenario's task runs in turns (:mod:`.turns`): one whose turn ends before
its search does comes back paused and is handed out again behind the others, so a long
scenario handed out last does not run alone at the end.

**Determinism.** Scenario ``i`` of the list gets the very scheduler, and so the very seed, it
gets in a serial check (built by the same function, from the scenario's index in the whole
list, not in a worker's share), and the results come back in scenario order whatever order the
workers finish in. So when a check stops by ``max_schedules`` (a budget large enough not to cut
it), the merged result equals the serial one: the same schedules, the same verdicts, the same
violations and tokens; only the seconds differ.

**Time.** ``budget`` is real seconds for the whole check, as in a serial check. A task gets, at
its start, the rest of the budget divided by the tasks still ahead of it on its worker (an
estimate: tasks start roughly in submission order), so time an early task leaves unused goes
to later ones. The check's end is sent as a wall-clock instant (``time.time()``), which
machines of a cluster agree on well enough; each task turns it into its own monotonic
deadline. Unlike a serial check, a worker gives each of its scenarios one turn, not three
rounds. With ``fail_fast``, once a violation comes back the tasks not started are cancelled;
those already running stop at their next schedule when the executor offers a stop signal
(``stop``: Dask's, see :mod:`.cluster`; given to the tasks only with ``fail_fast``) and
otherwise finish within their own deadline; the result holds the scenarios up to the first
violating one in scenario order.

**Re-splitting.** With ``split_depth``, a subtree still being explored after ``resplit_after``
schedules (or, with no ``max_schedules``, after ``resplit_seconds``) comes back with the
untried branches of its shallowest open state as new tasks, behind its own continuation
(:mod:`.split`), so a big subtree keeps every worker busy. Parts are merged in the order one
search would have explored them; under ``max_schedules`` only the schedule quantum applies, so
the merged result is the same on any executor.

**Generated scenarios** (synthesis, :mod:`.generated`; on as in a serial check) are tasks
too, one probe each, numbered after the given scenarios. By count (``max_schedules``) the
first ``generated`` are submitted with the rest, and their results are merged, shown and
shrunk in index order where they are gathered, exactly as a serial check does: the same
JSON. By time, each given scenario's task takes :data:`PARALLEL_CATALOGUE_SHARE` of its fair
share of the time left when it starts, and generated scenarios are handed out (two per worker
waiting) until :data:`PARALLEL_PROBE_END` of the budget; a shown violation is shrunk
afterwards, within the shrinking's own time.

With ``--scheduler hypothesis``, synthesis draws scenario and schedule together
(:mod:`.hypothesis_space`): once the given scenarios are done, every worker runs a search of
its own, seeded apart (:func:`space_seed`), until the budget ends; the scenarios tried are
counted once, the schedules summed, and the first worker's failure (in seed order) is shown.

``on_progress`` is told of each scenario as it comes back from whichever worker ran it.

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
import os
import time
from collections.abc import Callable
from concurrent.futures import (
    FIRST_COMPLETED,
    BrokenExecutor,
    Executor,
    Future,
    ProcessPoolExecutor,
    wait,
)
from functools import partial
from typing import Any, Protocol

from barrierlab.checker.config import Config
from barrierlab.checker.explore.check import (
    CATALOGUE_END,
    CheckResult,
    runnable,
    scheduler_for,
)
from barrierlab.checker.explore.generated import (
    PROBE_SECONDS,
    Shown,
    SpaceCoverage,
    first,
    generated,
    matched_count,
    probe,
    probe_scheduler,
    shrinker,
)
from barrierlab.checker.explore.hypothesis_space import search_space
from barrierlab.checker.explore.options import CheckOptions
from barrierlab.checker.explore.portable import PortableTarget
from barrierlab.checker.explore.processes import spawn_pool
from barrierlab.checker.explore.search import ScenarioResult, explore_hypothesis
from barrierlab.checker.explore.split import Part, Piece, Prefix, explore_piece, merge, pieces
from barrierlab.checker.explore.supervise import task_supervised
from barrierlab.checker.explore.synthesis import Bounds, key
from barrierlab.checker.explore.turns import TURN_SECONDS, Paused, explore_turn, resumed_deadline
from barrierlab.checker.runtime.aio.detect import routed
from barrierlab.checker.runtime.target import Target, load_target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.prefixed import PrefixedScheduler
from barrierlab.model.errors import InvalidArgument

__all__ = ["RESPLIT_AFTER", "RESPLIT_SECONDS", "StopSignal", "check_parallel", "check_scenario"]

_real_monotonic = time.monotonic
_real_time = time.time

#: A split task that has run this many schedules unfinished gives work away (0: never).
RESPLIT_AFTER = 1_000
#: ... or this many seconds, when no ``max_schedules`` makes the check deterministic.
RESPLIT_SECONDS = 5.0
#: By time, generated scenarios are handed out until this fraction of the budget (a parallel
#: check gives each scenario one turn: no shared rounds follow the probes).
PARALLEL_PROBE_END = 0.9
#: ... and each given scenario's task takes this share of its fair share of the time left.
PARALLEL_CATALOGUE_SHARE = 0.4


def _load(spec: str | PortableTarget, broken_error: str | None) -> Target:
    """The target a task runs, loaded in the process that runs it."""
    return (
        spec.load()
        if isinstance(spec, PortableTarget)
        else load_target(spec, broken_error=broken_error)
    )


def check_scenario(
    spec: str | PortableTarget,
    scenario: Scenario,
    index: int,
    *,
    profile: str,
    scheduler: str,
    config: Config,
    end: float,
    ahead: float,
    stop: Callable[[], bool] | None = None,
    prefix: Prefix | None = None,
    ignore: frozenset[str] = frozenset(),
    broken_error: str | None = None,
    probing: bool = False,
    turn: float | None = None,
    resumed: Paused | None = None,
) -> ScenarioResult | Paused:
    """Explore scenario number ``index`` of a check, in whatever process runs this task.

    ``end`` is the check's wall-clock (``time.time()``) end; ``ahead`` is how many tasks this
    worker is expected to run from this one on, this one included. ``stop``, if given, is
    polled between schedules: when it returns True the task ends early. ``prefix``: explore
    only the subtree of schedules that start with it (:mod:`.split`). ``probing``: the
    scenario is a generated one: one probe (:func:`.generated.probe`), by count when
    ``config.max_schedules`` is set, else within :data:`.generated.PROBE_SECONDS` as well.
    ``turn`` (seconds): explore for one turn (:mod:`.turns`), and come back
    :class:`~.turns.Paused` if the search is not over; ``resumed``: go on with such a search
    (``end`` and ``ahead`` are then those it started with; its own deadline holds).
    """
    loaded = _load(spec, broken_error)
    now = _real_monotonic()
    if resumed is not None:
        return explore_turn(
            loaded,
            scenario,
            resumed.scheduler,
            config,
            deadline=resumed_deadline(resumed),
            turn=turn,
            end=end,
            resume=resumed.result,
            profile=profile,
            stop=stop,
            ignore=ignore,
        )
    deadline = now + max(0.0, end - _real_time()) / max(1, ahead)
    if probing:
        probe_deadline = (
            None if config.max_schedules is not None else min(deadline, now + PROBE_SECONDS)
        )
        sched = probe_scheduler(scheduler, config, index, probe_deadline, scheduler_for)
        return probe(
            loaded,
            scenario,
            sched,
            config,
            profile=profile,
            deadline=probe_deadline,
            ignore=ignore,
            stop=stop,
        )
    if scheduler == "hypothesis":
        return explore_hypothesis(
            loaded,
            scenario,
            config,
            profile=profile,
            seed=config.seed + index,
            max_examples=config.max_schedules or 200,
            ignore=ignore,
            deadline=deadline,
        )
    sched = scheduler_for(scheduler, config, index, deadline)
    if prefix is not None:
        sched = PrefixedScheduler(prefix, sched)
    return explore_turn(
        loaded,
        scenario,
        sched,
        config,
        deadline=deadline,
        turn=turn,
        end=end,
        profile=profile,
        stop=stop,
        ignore=ignore,
    )


def check_piece(
    spec: str | PortableTarget,
    scenario: Scenario,
    piece: Piece,
    *,
    profile: str,
    config: Config,
    end: float,
    ahead: float,
    stop: Callable[[], bool] | None = None,
    ignore: frozenset[str] = frozenset(),
    broken_error: str | None = None,
    quantum: int | None = None,
    quantum_seconds: float | None = None,
) -> Part:
    """Explore one piece of a split scenario (:func:`.split.explore_piece`) in whatever
    process runs this task; ``end``, ``ahead`` and ``stop`` as for :func:`check_scenario`."""
    loaded = _load(spec, broken_error)
    deadline = _real_monotonic() + max(0.0, end - _real_time()) / max(1, ahead)
    return explore_piece(
        loaded,
        scenario,
        config,
        piece,
        profile=profile,
        deadline=deadline,
        stop=stop,
        ignore=ignore,
        quantum=quantum,
        quantum_seconds=quantum_seconds,
    )


def space_seed(seed: int, worker: int) -> int:
    """The seed of worker ``worker``'s Hypothesis search of the space (worker 0: the check's
    own, as a serial check uses)."""
    return seed + 1_000_003 * worker


def search_space_task(
    spec: str | PortableTarget,
    *,
    profile: str,
    config: Config,
    bounds: Bounds,
    seed: int,
    end: float,
    broken_error: str | None = None,
    ignore: frozenset[str] = frozenset(),
) -> tuple[ScenarioResult | None, list, int]:
    """One worker's Hypothesis search of the generated space until ``end`` (wall clock):
    (the failure found, shrunk, or None; the scenario keys tried; the schedules run)."""
    loaded = _load(spec, broken_error)
    deadline = _real_monotonic() + max(0.0, end - _real_time())
    found, tried, schedules = search_space(
        loaded,
        config,
        profile=profile,
        bounds=bounds,
        seed=seed,
        max_examples=100_000,
        deadline=deadline,
        ignore=ignore,
    )
    return found, sorted(tried, key=repr), schedules


def _default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


class StopSignal(Protocol):
    """A flag shared by the workers of a check: set by the caller, polled by the tasks."""

    def set(self) -> None: ...

    def is_set(self) -> bool: ...


def check_parallel(
    target: str | Target | PortableTarget,
    *,
    workers: int | None = None,
    executor: Executor | None = None,
    options: CheckOptions | None = None,
    config: Config | None = None,
    stop: StopSignal | None = None,
    on_progress: Callable[[str], None] | None = None,
    split_depth: int | None = None,
    resplit_after: int = RESPLIT_AFTER,
    resplit_seconds: float | None = RESPLIT_SECONDS,
    turn_seconds: float | None = TURN_SECONDS,
    **option_fields: Any,
) -> CheckResult:
    """:func:`barrierlab.checker.api.check`, its scenarios spread over ``workers`` processes
    (or over ``executor``); see the module docstring for what is and is not the same. The
    options are those of :class:`~barrierlab.checker.explore.options.CheckOptions`, as one
    object or as keywords, as for :func:`~barrierlab.checker.explore.check.check`.

    ``target`` may be a :class:`~.portable.PortableTarget` (a file shipped to the workers).
    ``split_depth`` (with the ``dfs`` scheduler): each scenario's search is split into the
    subtrees under its schedule prefixes of that many choices (:mod:`.split`), one task each,
    merged back per scenario in prefix order; ``max_schedules`` then bounds each subtree.
    ``resplit_after`` (schedules, 0: never) and ``resplit_seconds`` (None: never; not used
    under ``max_schedules``): when a subtree's task gives part of its work away (module
    docstring). ``turn_seconds`` (None: never): by count, how long a scenario's task runs
    before it pauses and lets the tasks behind it run (module docstring).
    """
    opts = CheckOptions.of(options, **option_fields)
    profile, scheduler, fail_fast = opts.profile, opts.scheduler, opts.fail_fast
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise InvalidArgument(f"workers must be an integer >= 1, got {workers!r}")
    if split_depth is not None:
        if isinstance(split_depth, bool) or not isinstance(split_depth, int) or split_depth < 1:
            raise InvalidArgument(f"split depth must be an integer >= 1, got {split_depth!r}")
        if scheduler != "dfs":
            raise InvalidArgument(
                "splitting by schedule prefix splits the exhaustive search: use the dfs "
                f"scheduler, not {scheduler!r}"
            )
    if isinstance(resplit_after, bool) or not isinstance(resplit_after, int) or resplit_after < 0:
        raise InvalidArgument(f"resplit_after must be an integer >= 0, got {resplit_after!r}")
    if resplit_seconds is not None and not resplit_seconds > 0:
        raise InvalidArgument(f"resplit_seconds must be > 0, got {resplit_seconds!r}")
    if turn_seconds is not None and not turn_seconds > 0:
        raise InvalidArgument(f"turn_seconds must be > 0, got {turn_seconds!r}")
    config = config or opts.config()
    ignore = frozenset(opts.ignore_rules)
    task_target: str | PortableTarget
    chosen = opts.chosen_scenarios()
    if isinstance(target, PortableTarget):
        task_target, loaded = target, target.load()
    else:
        loaded = (
            target
            if isinstance(target, Target)
            else load_target(target, broken_error=opts.broken_error)
        )
        task_target = loaded.spec
    # asyncio targets (shipped files too): the asyncio profile and scenarios
    profile, chosen = routed(loaded, profile, chosen, bool(opts.scenarios))
    spec = loaded.spec
    chosen, skipped = runnable(loaded, chosen)
    n_workers = workers or _default_workers()
    result = CheckResult(
        spec, profile, scheduler, capabilities=loaded.capabilities, skipped=skipped, ignored=ignore
    )
    started = _real_monotonic()
    end = _real_time() + config.budget
    own = executor is None
    pool = executor or spawn_pool(n_workers)
    rescue = _Rescue(n_workers)  # where an executor passed in re-runs what died on it
    say = on_progress or (lambda text: None)
    tasks: list[tuple[int, Piece | None]] = []
    for i, scenario in enumerate(chosen):
        if split_depth is None:
            tasks.append((i, None))
        else:
            here = target.load() if isinstance(target, PortableTarget) else load_target(spec)
            tasks.extend((i, p) for p in pieces(here, scenario, config, split_depth))
    given = len(chosen)
    scenarios = list(chosen)
    space: SpaceCoverage | None = None
    space_left = None
    drawn: SpaceCoverage | None = None  # --scheduler hypothesis: the space searched by drawing
    if opts.synthesizing(config) and scheduler == "hypothesis":
        drawn = SpaceCoverage(opts.bounds or Bounds())
    elif opts.synthesizing(config):
        bounds = opts.bounds or Bounds()
        if config.max_schedules is not None:
            count = opts.generated or matched_count(len(chosen), config.max_schedules)
            space = SpaceCoverage(bounds, limit=count)
            extra, space.complete = first(loaded, bounds, chosen, profile, count)
            scenarios += extra
            tasks.extend((i, None) for i in range(given, len(scenarios)))
        else:
            space = SpaceCoverage(bounds, limit=opts.generated)
            space_left = generated(loaded, bounds, chosen, profile)
    # by time, the given scenarios' tasks get CATALOGUE_SHARE of what a fair share of the
    # rest would be when they start (a task that starts late, after the workers' start-up,
    # still gets time); the generated ones are handed out while the probe phase lasts
    share = 1.0 if space_left is None else PARALLEL_CATALOGUE_SHARE
    probe_end = started + config.budget * PARALLEL_PROBE_END
    common: dict[str, Any] = {
        "profile": profile,
        "config": config,
        # what it is for (nothing else sets it), and asking Dask's costs a round trip
        "stop": None if stop is None or not fail_fast else _Polled(stop),
        "ignore": ignore,
        "broken_error": opts.broken_error,
    }
    # by count, whole scenarios take turns (.turns); the hypothesis search does not pause
    by_count = config.max_schedules is not None and split_depth is None
    turn = turn_seconds if by_count and scheduler != "hypothesis" else None
    quanta: dict[str, Any] = {
        "quantum": resplit_after or None,
        "quantum_seconds": resplit_seconds if resplit_after else None,
    }
    # Each task has a place: a tuple, ordered as one search would have explored the parts. A
    # task at place P stores its own result at P + (0,) and its pieces at P + (1,), P + (2,)...
    futures: dict[Future[Any], tuple[tuple[int, ...], int]] = {}
    pending: set[Future[Any]] = set()
    done: dict[tuple[int, ...], ScenarioResult] = {}
    # what a paused task found so far: its result if the check stops (fail fast) before it ends
    so_far: dict[tuple[int, ...], ScenarioResult] = {}

    stopped = False

    calls: dict[Future[Any], Callable[[], Any]] = {}  # what each task runs, to run it again

    # drawing the space (--scheduler hypothesis) comes after the given scenarios, which end
    # by the same share of the budget as in a serial check
    catalogue_end = end if drawn is None else end - config.budget * (1 - CATALOGUE_END[-1])

    def submit(place: tuple[int, ...], i: int, piece: Piece | None, ahead: float) -> None:
        task_end = catalogue_end if i < given else end
        if i < given:
            ahead /= share
        call: Callable[[], Any]
        if piece is None:
            call = partial(
                check_scenario,
                task_target,
                scenarios[i],
                i,
                scheduler=scheduler,
                ahead=ahead,
                end=task_end,
                probing=i >= given,
                turn=turn,
                **common,
            )
        else:
            call = partial(
                check_piece,
                task_target,
                scenarios[i],
                piece,
                ahead=ahead,
                end=task_end,
                **common,
                **quanta,
            )
        run(place, i, call)

    def run(place: tuple[int, ...], i: int, call: Callable[[], Any]) -> None:
        future: Future[Any] = pool.submit(call)
        futures[future] = (place, i)
        calls[future] = call
        pending.add(future)

    def again_supervised(lost: list[Future[Any]]) -> None:
        """A worker died (the target ended its process). Every task that went with it runs
        again, each in a supervised worker process of its own, so the one that ends its
        process again is a violation of its scenario (:mod:`.supervise`). Our own pool is
        broken then: it is replaced, and every task it had runs again. An executor passed in
        (Dask) lost only the tasks that failed so; they run again on this machine."""
        nonlocal pool, pending
        share = config.budget * n_workers / max(1, len(futures))  # a task's time, on average
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
            pool = spawn_pool(n_workers)
            pending, into = set(), pool
        else:
            pending, into = pending - set(lost), rescue.pool()
        for old in lost:
            call = _again(calls[old], share=share, local=not own)
            future = into.submit(
                task_supervised, call, (), spec, profile, config, opts.broken_error
            )
            futures[future], calls[future] = futures.pop(old), calls.pop(old)
            pending.add(future)
        say(f"a worker process died (the target ended it): {len(lost)} tasks run again, supervised")

    def top_up() -> None:
        """By time: keep two generated scenarios per worker waiting while the probes last."""
        nonlocal space_left
        assert space is not None
        while space_left is not None and not stopped:
            waiting = sum(futures[f][1] >= given for f in pending)
            if waiting >= 2 * n_workers or _real_monotonic() >= probe_end:
                return
            if space.limit is not None and len(scenarios) - given >= space.limit:
                space_left = None
                return
            scenario = next(space_left, None)
            if scenario is None:
                space.complete, space_left = True, None
                return
            scenarios.append(scenario)
            tasks.append((len(scenarios) - 1, None))
            submit((len(tasks) - 1,), len(scenarios) - 1, None, 1)

    try:
        for k, (i, piece) in enumerate(tasks):
            ahead = math.ceil((len(tasks) - k) / n_workers)
            if piece is not None:
                piece.allowance = config.max_schedules
            submit((k,), i, piece, ahead)
        if space_left is not None:
            top_up()
        while pending:
            timeout = None if space_left is None else PROBE_SECONDS
            finished, pending = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
            lost = [f for f in (*finished, *pending) if _died(f)]
            if lost:
                if own:  # the broken pool runs none of its tasks
                    lost += [f for f in pending if f not in lost]
                finished = {f for f in finished if f not in lost}
                again_supervised(lost)
            for future in finished:
                if future.cancelled():
                    continue
                place, i = futures[future]
                outcome = future.result()
                if isinstance(outcome, Paused):  # its turn ended: behind the others
                    so_far[place] = outcome.result
                    if not stopped:
                        run(place, i, _resumed(calls[future], outcome))
                    continue
                rest: list[Piece] = []
                if isinstance(outcome, Part):
                    found, rest = outcome.result, outcome.rest
                else:
                    found = outcome
                done[(*place, 0)] = found
                if not stopped:
                    for j, piece in enumerate(rest, start=1):
                        ahead = math.ceil((len(pending) + j) / n_workers)
                        submit((*place, j), i, piece, ahead)
                verdict = "VIOLATION" if found.violation is not None else "ok"
                part = "" if split_depth is None else f" (part {'.'.join(map(str, place))})"
                tasks_now = len(set(futures.values()))  # a paused task is one task
                say(
                    f"[{len(done)}/{tasks_now}] {found.scenario.name}{part}: {verdict}, "
                    f"{found.schedules} schedules"
                )
                if fail_fast and found.violation is not None:
                    stopped = True
                    if stop is not None:
                        stop.set()
                    for other in pending:
                        other.cancel()
            if space_left is not None:
                top_up()
        for place, found in so_far.items():
            done.setdefault((*place, 0), found)
        searched = (
            []
            if drawn is None or stopped
            else _search_space_on(
                pool, rescue, drawn, task_target, spec, profile, config, end, opts, ignore
            )
        )
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
        rescue.close()
    by_scenario: dict[int, list[ScenarioResult]] = {}
    scenario_of = {place: i for place, i in futures.values()}
    for place in sorted(done):
        by_scenario.setdefault(scenario_of[place[:-1]], []).append(done[place])
    ordered = {
        i: parts[0] if split_depth is None or i >= given else merge(scenarios[i], parts)
        for i, parts in sorted(by_scenario.items())
    }
    if fail_fast:
        first_bad = next((i for i, s in ordered.items() if s.violation is not None), None)
        if first_bad is not None:
            ordered = {i: s for i, s in ordered.items() if i <= first_bad}
    if drawn is not None:
        result.space = drawn
        result.scenarios = list(ordered.values()) + searched
    elif space is None:
        result.scenarios = list(ordered.values())
    else:
        shrunk = shrinker(
            loaded,
            config,
            profile=profile,
            scheduler=scheduler,
            ignore=ignore,
            scheduler_for=scheduler_for,
        )
        shown = Shown([s for i, s in ordered.items() if i < given], shrunk)
        for i, found in ordered.items():
            if i >= given:
                shown.consider(i, found)
        result.space = space
        result.scenarios = shown.results(ordered, given, space)
    result.seconds = _real_monotonic() - started
    return result


def _search_space_on(
    pool: Executor,
    rescue: _Rescue,
    space: SpaceCoverage,
    task_target: str | PortableTarget,
    spec: str,
    profile: str,
    config: Config,
    end: float,
    opts: CheckOptions,
    ignore: frozenset[str],
) -> list[ScenarioResult]:
    """Every worker searches the space by drawing until ``end``; count what they covered in
    ``space``; the first failure in seed order (a list of none or one). A search whose worker
    died (the target ended its process) runs again supervised: the schedule that ends the
    process is its failure."""
    calls = [
        partial(
            search_space_task,
            task_target,
            profile=profile,
            config=config,
            bounds=space.bounds,
            seed=space_seed(config.seed, k),
            end=end,
            broken_error=opts.broken_error,
            ignore=ignore,
        )
        for k in range(rescue.workers)
    ]
    futures = [pool.submit(call) for call in calls]
    wait(futures)
    for k, future in enumerate(futures):
        if _died(future):
            call = _again(calls[k], share=0.0, local=True)
            futures[k] = rescue.pool().submit(
                task_supervised, call, (), spec, profile, config, opts.broken_error
            )
    outcomes = [_searched(f.result()) for f in futures]
    tried = {repr(k) for _, keys, _ in outcomes for k in keys}
    failures = [found for found, _, _ in outcomes if found is not None]
    space.tried, space.failed = len(tried), min(1, len(failures))
    space.schedules = sum(n for _, _, n in outcomes)
    return failures[:1]


def _searched(outcome: Any) -> tuple[ScenarioResult | None, list, int]:
    """What a space search returned, or, from a supervised search whose process died, the
    crash as its failure (one scenario tried, one schedule)."""
    if isinstance(outcome, ScenarioResult):
        return outcome, [key(outcome.scenario)], outcome.schedules
    found, keys, schedules = outcome
    return found, keys, schedules


def _resumed(call: Callable[[], Any], paused: Paused) -> Callable[[], Any]:
    """The task ``call`` (a :func:`check_scenario`), to go on with the search it paused."""
    assert isinstance(call, partial)
    return partial(call.func, *call.args, **{**call.keywords, "resumed": paused})


def _again(call: Callable[[], Any], *, share: float, local: bool) -> Callable[[], Any]:
    """``call`` to run again after its worker died: with at least ``share`` seconds from now
    (the budget may have gone while the executor tried it), and, run ``local``ly, without the
    executor's stop signal (Dask's works only on its own workers): it ends by its deadline."""
    if not isinstance(call, partial):
        return call
    keywords = dict(call.keywords)
    if "end" in keywords and keywords["end"] < _real_time() + share:
        keywords["end"] = _real_time() + share
        if "ahead" in keywords:
            keywords["ahead"] = 1
    if local and "stop" in keywords:
        keywords["stop"] = None
    if keywords.get("turn") is not None:  # supervised, it runs to its end: no pause
        keywords["turn"] = None
    return partial(call.func, *call.args, **keywords)


class _Rescue:
    """A local pool, made on first use, for the supervised re-runs of tasks that an executor
    passed in lost to a dead worker (:func:`_died`)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = spawn_pool(self.workers)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _died(future: Future[Any]) -> bool:
    """Whether ``future`` failed because the process running it died: its process pool broke
    (ours or any ``concurrent.futures`` one), or Dask gave up on it (``KilledWorker``: every
    worker that tried it died; Dask has retried it by then)."""
    if not future.done() or future.cancelled():
        return False
    error = future.exception()
    return isinstance(error, BrokenExecutor) or type(error).__name__ == "KilledWorker"


class _Polled:
    """A :class:`StopSignal` asked at most every :data:`POLL` real seconds (asking Dask's is a
    round trip to the scheduler)."""

    POLL = 0.5

    def __init__(self, signal: StopSignal) -> None:
        self.signal = signal
        self.next_poll = 0.0
        self.seen = False

    def __call__(self) -> bool:
        now = _real_monotonic()
        if not self.seen and now >= self.next_poll:
            self.next_poll = now + self.POLL
            self.seen = self.signal.is_set()
        return self.seen
