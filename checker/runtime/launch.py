"""Running one schedule of a scenario against a loaded target, under control."""

from __future__ import annotations

from barrierlab.checker.config import Config
from barrierlab.checker.runtime.aio.detect import is_async_target
from barrierlab.checker.runtime.aio.run import AsyncRun
from barrierlab.checker.runtime.patching import controlled
from barrierlab.checker.runtime.run import Run, RunResult
from barrierlab.checker.runtime.target import Target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.base import Scheduler

__all__ = ["run_once"]


def run_once(target: Target, scenario: Scenario, scheduler: Scheduler, config: Config) -> RunResult:
    """Run one schedule: primitives and clock controlled only for its duration.

    An asyncio target (its ``wait`` is a coroutine function) runs on barrierlab's event loop
    instead (:mod:`barrierlab.checker.runtime.aio.run`).
    """
    traced = target.source_files if config.line_level else frozenset()
    if is_async_target(target):
        return AsyncRun(target.factory, scenario, scheduler, config, traced_files=traced).execute()
    run = Run(
        target.factory,
        scenario,
        scheduler,
        config,
        traced_files=traced,
        capabilities=target.capabilities,
    )
    with controlled(target.modules):
        return run.execute()
