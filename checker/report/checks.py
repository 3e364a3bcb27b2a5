"""Running the checks a report needs: every target under every profile, deterministically.

A report must come out byte-identical when rerun with the same seed, so the checks stop on a
number of schedules per scenario (``max_schedules``), never on the clock: the time budget is
set far beyond what they need (:data:`BUDGET`). Synthesis is by count too: after the
catalogue, the first ``generated`` scenarios of the generated space, each a short probe of
:data:`~barrierlab.checker.explore.generated.PROBE_SCHEDULES` schedules
(:mod:`barrierlab.checker.explore.generated`). By default the generated space gets as many
schedules as the catalogue (:meth:`Settings.synthesis`): the breadth of the search follows
the depth asked for, not a count tuned to some bug.
The checks can run in worker processes (``jobs``); each result depends only on its target,
profile and settings, so the report does not depend on ``jobs``. Each check of a target given
as text runs supervised by default (:mod:`barrierlab.checker.explore.supervise`: a target that
ends the process is a violation, and the report goes on), at the cost of an interpreter start
per check; the results are the same in process.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from barrierlab.checker import api
from barrierlab.checker.config import Config
from barrierlab.checker.explore.generated import matched_count
from barrierlab.checker.explore.portable import PortableTarget, portable_target
from barrierlab.checker.explore.processes import spawn_pool
from barrierlab.checker.explore.scenario_catalogue import select
from barrierlab.checker.explore.synthesis import Bounds
from barrierlab.checker.report.content import profile_result, target_report
from barrierlab.checker.runtime.target import load_target
from barrierlab.checker.scenario import Scenario
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.rules import RULES

__all__ = [
    "BUDGET",
    "DEFAULT_MAX_SCHEDULES",
    "Settings",
    "bundled_targets",
    "run",
    "slug",
    "validate",
]

#: Schedules per scenario a report runs by default.
DEFAULT_MAX_SCHEDULES = 200
#: Real seconds allowed per check: far more than ``max_schedules`` schedules take, so the
#: schedule count, not the clock, ends every scenario.
BUDGET = 3600.0


@dataclass(frozen=True)
class Settings:
    """What a report runs: the profiles, schedules per scenario, seed and scenarios."""

    profiles: tuple[str, ...] = ("documented",)
    max_schedules: int = DEFAULT_MAX_SCHEDULES
    seed: int = 0
    #: Built-in scenario names or :class:`Scenario` objects (custom ones); () for all built-in.
    scenarios: tuple[str | Scenario, ...] = ()
    #: Rule IDs whose violations are looked past (``--ignore-rule``): known deviations.
    ignore_rules: tuple[str, ...] = ()
    #: Generated scenarios after the catalogue (0: no synthesis; none with ``scenarios``;
    #: None: as many as the catalogue's schedules pay for, see :meth:`synthesis`).
    generated: int | None = None
    bounds: Bounds = field(default_factory=Bounds)

    def chosen(self) -> list[Scenario]:
        """The scenarios this report runs."""
        names = [s for s in self.scenarios if isinstance(s, str)]
        if len(names) == len(self.scenarios):
            return select(names)
        return [s if isinstance(s, Scenario) else select([s])[0] for s in self.scenarios]

    def __post_init__(self) -> None:
        if not self.profiles or any(p not in api.PROFILES for p in self.profiles):
            raise InvalidArgument(f"profiles must be among {', '.join(api.PROFILES)}")
        if self.max_schedules < 1:
            raise InvalidArgument(f"--max-schedules must be >= 1, got {self.max_schedules}")
        if self.generated is not None and self.generated < 0:
            raise InvalidArgument(f"--generated must be >= 0, got {self.generated}")
        self.chosen()  # raises on an unknown name
        object.__setattr__(self, "ignore_rules", tuple(dict.fromkeys(self.ignore_rules)))
        unknown = [r for r in self.ignore_rules if r not in RULES]
        if unknown:
            raise InvalidArgument(
                f"unknown rule {unknown[0]!r} to ignore; the rules are: {', '.join(RULES)}"
            )

    def synthesis(self) -> int:
        """Generated scenarios each check runs (0: none, as when scenarios are given).

        By default, :func:`~barrierlab.checker.explore.generated.matched_count`: the generated
        space gets the schedules the catalogue gets, so a deeper report also reaches further
        into the space (a check by count without ``--generated`` derives its count the same way).

        >>> Settings().synthesis(), Settings(max_schedules=24).synthesis()
        (175, 21)
        """
        if self.scenarios:
            return 0
        if self.generated is not None:
            return self.generated
        return matched_count(len(self.chosen()), self.max_schedules)

    def config(self) -> Config:
        return Config.from_env(budget=BUDGET, max_schedules=self.max_schedules, seed=self.seed)

    def to_json(self) -> dict[str, Any]:
        config = self.config()
        ignored = {"ignore_rules": list(self.ignore_rules)} if self.ignore_rules else {}
        return {
            "profiles": list(self.profiles),
            "max_schedules": self.max_schedules,
            "seed": self.seed,
            "scenarios": [s.name for s in self.chosen()],
            "generated": self.synthesis(),
            "bounds": {
                "max_parties": self.bounds.max_parties,
                "max_threads": self.bounds.max_threads,
                "max_ops": self.bounds.max_ops,
            },
            "scheduler": "portfolio",
            "line_level": config.line_level,
            "step_bound": config.step_bound,
            "dfs_cap": config.dfs_cap,
            "preemption_bound": config.preemption_bound,
            **ignored,
        }


def bundled_targets() -> list[str]:
    """Every target of the full API barrierlab ships (``impl/targets.py``, then the asyncio
    ones), then the barriers of other shapes (``SHAPES``), in catalogue order."""
    from barrierlab.impl.asyncio_targets import ASYNC_BUGS, ASYNC_CORRECT
    from barrierlab.impl.targets import SHAPES, TARGETS

    asyncio_targets = ["asyncio:Barrier", *(t.spec for t in ASYNC_CORRECT + ASYNC_BUGS)]
    return [t.spec for t in TARGETS.values()] + asyncio_targets + [t.spec for t in SHAPES]


def slug(target: str) -> str:
    """A file name for ``target``: runs of other characters than ``[A-Za-z0-9._-]`` become ``-``.

    >>> slug("threading:Barrier"), slug("../my barriers/b.py:Barrier")
    ('threading-Barrier', 'my-barriers-b.py-Barrier')
    """
    return re.sub(r"[^A-Za-z0-9._-]+", "-", target).strip("-.") or "target"


def _slugs(targets: list[str]) -> dict[str, str]:
    used: dict[str, str] = {}
    taken: set[str] = set()
    for target in targets:
        base = name = slug(target)
        n = 2
        while name.lower() in taken or name in ("index", "junit"):
            name, n = f"{base}-{n}", n + 1
        taken.add(name.lower())
        used[target] = name
    return used


def _profiles_of(target: str, profiles: tuple[str, ...]) -> tuple[str, ...]:
    """The profiles ``target`` is judged by: an asyncio target by the asyncio profile only."""
    from barrierlab.checker.runtime.aio.detect import ASYNC_PROFILE, is_async_target

    return (ASYNC_PROFILE,) if is_async_target(load_target(target)) else profiles


def validate(targets: list[str]) -> list[str]:
    """``targets`` without repeats; raise if there are none or one cannot be loaded."""
    targets = list(dict.fromkeys(targets))
    if not targets:
        raise InvalidArgument("no targets: name at least one, or use --bundled")
    for target in targets:
        load_target(target)  # a bad target fails before anything runs
    return targets


def check_one(
    target: str | PortableTarget,
    profile: str,
    settings: Settings,
    on_progress=None,
    supervised: bool = False,
) -> dict[str, Any]:
    """The report record of ``target`` under ``profile`` (runs the check; ``supervised``: in a
    worker process, for a target given as text)."""
    common: dict[str, Any] = {
        "profile": profile,
        "scenarios": settings.chosen() if settings.scenarios else None,
        "synthesis": settings.synthesis() > 0,
        "generated": settings.synthesis() or None,
        "bounds": settings.bounds,
        "ignore_rules": settings.ignore_rules,
        "on_progress": on_progress,
    }
    if supervised and isinstance(target, str):
        config = settings.config()  # the worker makes the same one from these
        result = api.check(
            target,
            supervised=True,
            budget=config.budget,
            max_schedules=config.max_schedules,
            seed=config.seed,
            **common,
        )
    else:
        loaded = target.load() if isinstance(target, PortableTarget) else target
        result = api.check(loaded, config=settings.config(), **common)
    return profile_result(result)


def run(
    targets: list[str],
    settings: Settings,
    *,
    jobs: int = 1,
    executor: Executor | None = None,
    on_progress: Callable[[str], None] | None = None,
    supervised: bool = True,
) -> list[dict[str, Any]]:
    """Check every target under every profile; return one report dict per target.

    ``supervised``: each check in a supervised worker process (not on an ``executor``'s
    workers, where a cluster restarts a worker that dies)."""
    targets = validate(targets)
    if jobs < 1:
        raise InvalidArgument(f"--jobs must be >= 1, got {jobs}")
    profiles = {t: _profiles_of(t, settings.profiles) for t in targets}
    tasks = [(t, p) for t in targets for p in profiles[t]]
    say = on_progress or (lambda text: None)
    records: dict[tuple[str, str], dict[str, Any]] = {}
    if executor is not None:  # a cluster's: every check a task, file targets shipped
        portable = {t: portable_target(t) for t in targets}
        futures = {
            task: executor.submit(check_one, portable[task[0]], *task[1:], settings)
            for task in tasks
        }
        for k, (task, future) in enumerate(futures.items(), start=1):
            records[task] = future.result()
            say(f"[{k}/{len(tasks)}] {task[0]} ({task[1]}) done")
    elif jobs == 1:
        for k, (target, profile) in enumerate(tasks, start=1):
            head = f"[{k}/{len(tasks)}] {target} ({profile})"
            say(head)
            records[target, profile] = check_one(
                target,
                profile,
                settings,
                lambda text, head=head: say(f"{head} {text}"),
                supervised=supervised,
            )
    else:
        with spawn_pool(jobs) as pool:
            futures = {
                task: pool.submit(check_one, *task, settings, None, supervised) for task in tasks
            }
            for k, (task, future) in enumerate(futures.items(), start=1):
                records[task] = future.result()
                say(f"[{k}/{len(tasks)}] {task[0]} ({task[1]}) done")
    names = _slugs(targets)
    meta = settings.to_json()
    return [
        target_report(
            t,
            names[t],
            {**meta, "profiles": list(profiles[t])},
            [records[t, p] for p in profiles[t]],
        )
        for t in targets
    ]
