"""Checks and replays in a supervised worker process: a target that ends the process is a
verdict, not the end of the check.

On a thread of a run, ``os._exit`` raises instead of ending the process (see
:mod:`~barrierlab.checker.runtime.patching`), but nothing can stop ``os.abort()``, a segfault
in a C extension or a signal. So :func:`check_supervised` runs the check in a worker process
(``spawn``: a fresh interpreter) whose runs leave a breadcrumb
(:mod:`~barrierlab.checker.runtime.breadcrumb`): the scenario of the run in progress and its
choices so far. If the worker dies, the supervisor reads the breadcrumb, reports "the target
ended the process (signal SIGABRT) in scenario X" with a replay token for that schedule, and
starts a new worker for the rest of the budget with that scenario excluded (it has its
violation: a scenario stops at its first). The token says that the schedule ended its process,
so :func:`replay_supervised` replays it in a worker process too, and reports the same.

What it costs: one interpreter start (and the target's import) per worker, about half a second
(measured in ``tests/checker/explore/test_supervise.py``'s docstring); the command line's
``check`` pays it once, unless a worker dies. Runs themselves are as fast as in process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from barrierlab.checker.config import Config
from barrierlab.checker.explore.check import CheckResult, check
from barrierlab.checker.explore.options import CheckOptions
from barrierlab.checker.explore.processes import follow_parent
from barrierlab.checker.explore.search import Judgement, ScenarioResult, Violation, judge
from barrierlab.checker.explore.synthesis import Bounds
from barrierlab.checker.explore.token import Token
from barrierlab.checker.outcomes import ReplayStatus, RunOutcome, ViolationKind
from barrierlab.checker.runtime import breadcrumb
from barrierlab.checker.runtime.run import RunResult, leave_breadcrumbs
from barrierlab.checker.runtime.target import load_target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.base import Choice, decode_choice

__all__ = ["check_supervised", "crash_result", "ended", "replay_supervised", "task_supervised"]

_real_monotonic = time.monotonic


def ended(exitcode: int | None) -> str:
    """How a worker process ended, in words: ``exit 3`` or ``signal SIGABRT``.

    >>> ended(3), ended(-6)
    ('exit 3', 'signal SIGABRT')
    """
    if exitcode is None:
        return "no exit status"
    if exitcode < 0:
        try:
            return f"signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit {exitcode}"


def _capacity(config: Config) -> int:
    return 50 * config.step_bound + 16  # a run's steps at most (the runtime's cap)


def _work(
    job: Callable[..., Any], args: tuple[Any, ...], path: str, conn: Any, parent: int
) -> None:
    """In the worker: end with ``parent``, leave breadcrumbs at ``path``, run ``job``, send
    back what it returns (or the error it raised)."""
    follow_parent(parent)
    leave_breadcrumbs(breadcrumb.Breadcrumb(path, _capacity(Config.from_env())))
    try:
        answer: Any = job(*args)
    except Exception as error:  # a bad target, a bad option: the supervisor raises it
        answer = error
    try:
        conn.send(answer)
    except Exception as error:  # it does not pickle: say so, rather than die of it
        conn.send(RuntimeError(f"the supervised worker could not send back its result: {error}"))
    conn.close()


@contextmanager
def _breadcrumb_path() -> Iterator[str]:
    """A path for a worker's breadcrumb, in a folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="barrierlab-") as folder:
        yield os.path.join(folder, "breadcrumb")


def _in_worker(job: Callable[..., Any], args: tuple[Any, ...], path: str) -> tuple[Any, int | None]:
    """Run ``job(*args)`` in a fresh worker process; (its answer, None) or (None, its exit
    status) if it died first."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(job, args, path, send, os.getpid()), daemon=True)
    worker.start()
    send.close()
    try:
        answer = receive.recv()
    except EOFError:  # the worker died without answering
        answer = None
    finally:
        receive.close()
        worker.join()
    if answer is None:
        return None, worker.exitcode
    if isinstance(answer, Exception):
        raise answer
    return answer, None


def _check_job(
    spec: str, options: CheckOptions, budget: float, exclude: list[Scenario], more: dict
) -> Any:
    config = Config.from_env(
        budget=budget,
        max_schedules=options.max_schedules,
        seed=options.seed,
        line_level=options.line_level,
    )
    return check(spec, options, config=config, exclude=exclude, **more)


def _picklable(value: Any) -> bool:
    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True


def _crash(spec: str, options: CheckOptions, path: str, exitcode: int | None) -> ScenarioResult:
    """The violation of the run a dead worker was in (read from its breadcrumb)."""
    return crash_result(
        spec, options.profile, options.config(), options.broken_error, path, exitcode
    )


def crash_result(
    spec: str,
    profile: str,
    config: Config,
    broken_error: str | None,
    path: str,
    exitcode: int | None,
) -> ScenarioResult:
    """The violation of the run a worker that left its breadcrumb at ``path`` was in when it
    died with ``exitcode``: its scenario, with a token for the schedule so far."""
    how = ended(exitcode)
    data, codes = breadcrumb.read(path)
    if data is None:
        from barrierlab.model.errors import TargetError

        raise TargetError(f"the target ended the process ({how}) before any run began")
    scenario = Scenario.from_json(data)
    target = load_target(spec, broken_error=broken_error)
    choices = tuple(Choice(*decode_choice(c)) for c in codes or ())
    token = Token(
        target=target.spec,
        scenario=scenario.to_json(),
        profile=profile,
        line_level=config.line_level,
        footprints=config.footprints,
        step_bound=config.step_bound,
        choices=tuple(codes or ()),
        broken_error=target.broken_error,
        ended_process=True,
    ).encode()
    result = RunResult((), choices, RunOutcome.UNCONTROLLED, len(choices))
    judgement = _judgement(result, scenario, profile, how, target)
    violation = Violation(
        ViolationKind.EXIT, None, judgement.message, scenario, token, result, judgement.verdict
    )
    found = ScenarioResult(scenario, schedules=1, violation=violation)
    found.outcomes[RunOutcome.UNCONTROLLED] += 1
    return found


def task_supervised(
    job: Callable[..., Any],
    args: tuple[Any, ...],
    spec: str,
    profile: str,
    config: Config,
    broken_error: str | None,
) -> Any:
    """``job(*args)`` (a task that explores one scenario of a check of ``spec``) in a fresh
    supervised worker process: what it returns, or, if the process died, the scenario's
    violation that says so (:func:`crash_result`)."""
    with _breadcrumb_path() as path:
        answer, exitcode = _in_worker(job, args, path)
        if answer is not None:
            return answer
        return crash_result(spec, profile, config, broken_error, path, exitcode)


def _judgement(result: RunResult, scenario: Scenario, profile: str, how: str, target) -> Judgement:
    verdict = judge(result, scenario, profile, target.capabilities).verdict
    message = (
        f"the target ended the process ({how}) in scenario {scenario.name}: the supervised "
        f"worker process running this schedule died after {result.steps} scheduling steps"
    )
    return Judgement(ViolationKind.EXIT, None, message, verdict)


def check_supervised(
    spec: str,
    options: CheckOptions,
    *,
    on_progress: Callable[[str], None] | None = None,
    synthesis: bool | None = None,
    bounds: Bounds | None = None,
) -> CheckResult:
    """:func:`~barrierlab.checker.explore.check.check` of ``spec`` in a supervised worker
    process (see the module docstring); the same result, plus a violation per scenario whose
    run ended the process. ``on_progress`` is called in the worker (a function it can import:
    one defined at the top level of a module), else not at all."""
    config = options.config()
    shown = on_progress if _picklable(on_progress) else None
    more = {"on_progress": shown, "synthesis": synthesis, "bounds": bounds}
    end = _real_monotonic() + config.budget
    crashes: list[ScenarioResult] = []
    with _breadcrumb_path() as path:
        while True:
            budget = max(1.0, end - _real_monotonic())
            exclude = [c.scenario for c in crashes]
            args = (spec, options, budget, exclude, more)
            result, exitcode = _in_worker(_check_job, args, path)
            if result is not None:
                break
            crashes.append(_crash(spec, options, path, exitcode))
            if on_progress is not None:
                on_progress(f"the target ended the process ({ended(exitcode)}): going on")
            if options.fail_fast or _real_monotonic() >= end:
                target = load_target(spec, broken_error=options.broken_error)
                result = CheckResult(
                    target.spec,
                    options.profile,
                    options.scheduler,
                    capabilities=target.capabilities,
                    ignored=frozenset(options.ignore_rules),
                )
                break
    result.scenarios = crashes + list(result.scenarios)
    result.seconds = config.budget - max(0.0, end - _real_monotonic())
    return result


def _replay_job(text: str) -> Any:
    from barrierlab.checker.explore.replay import replay

    return replay(Token.decode(text), supervised=False)


def replay_supervised(token: Token) -> Any:
    """Replay ``token`` in a worker process: the replay's result, or, if the process died,
    one that says so (reproduced: the schedule ended its process again)."""
    from barrierlab.checker.explore.replay import ReplayResult

    with _breadcrumb_path() as path:
        answer, exitcode = _in_worker(_replay_job, (token.encode(),), path)
        if answer is not None:
            return answer
        scenario = Scenario.from_json(token.scenario)
        _, codes = breadcrumb.read(path)
        choices = tuple(Choice(*decode_choice(c)) for c in codes or ())
        run = RunResult((), choices, RunOutcome.UNCONTROLLED, len(choices))
        target = load_target(token.target, broken_error=token.broken_error)
        judgement = _judgement(run, scenario, token.profile, ended(exitcode), target)
        return ReplayResult(token, run, judgement, None, ReplayStatus.REPRODUCED)
