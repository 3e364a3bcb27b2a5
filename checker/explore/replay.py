"""Replaying a token: exactly the schedule it holds, judged again."""

from __future__ import annotations

from dataclasses import dataclass

from barrierlab.checker.config import Config
from barrierlab.checker.explore.check import PROFILES
from barrierlab.checker.explore.search import Judgement, judge, shown
from barrierlab.checker.explore.token import Token
from barrierlab.checker.outcomes import ReplayStatus
from barrierlab.checker.runtime.launch import run_once
from barrierlab.checker.runtime.run import RunResult
from barrierlab.checker.runtime.target import load_target
from barrierlab.checker.scenario import Scenario
from barrierlab.checker.schedulers.replay import ReplayScheduler
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.rules import ASYNC_PROFILES

__all__ = ["ReplayResult", "replay"]


@dataclass
class ReplayResult:
    """The outcome of :func:`replay`: ``status`` is reproduced, passed or diverged."""

    token: Token
    run: RunResult
    judgement: Judgement
    diverged_at: int | None
    status: ReplayStatus
    divergence: str = ""

    @property
    def scenario(self) -> Scenario:
        return Scenario.from_json(self.token.scenario)


def replay(token: str | Token, *, supervised: bool | None = None) -> ReplayResult:
    """Rerun exactly the schedule a token holds and judge it again.

    ``supervised``: in a worker process (:mod:`.supervise`); by default when the token's
    schedule ended the process it ran in.
    """
    tok = token if isinstance(token, Token) else Token.decode(token)
    if supervised if supervised is not None else tok.ended_process:
        from barrierlab.checker.explore.supervise import replay_supervised

        result: ReplayResult = replay_supervised(tok)
        return result
    scenario = Scenario.from_json(tok.scenario)
    if tok.profile not in PROFILES and tok.profile not in ASYNC_PROFILES:
        raise InvalidArgument(f"the token names an unknown profile {tok.profile!r}")
    loaded = load_target(tok.target, broken_error=tok.broken_error)
    config = Config.from_env(
        line_level=tok.line_level, step_bound=tok.step_bound, footprints=tok.footprints
    )
    sched = ReplayScheduler(tok.choices)
    sched.start()
    run = run_once(loaded, scenario, sched, config)
    sched.finish(run.cut_short)
    judgement = judge(run, scenario, tok.profile, loaded.capabilities)
    divergence = sched.divergence
    diverged = None if divergence is None else divergence.position
    if judgement.kind is not None:
        status = ReplayStatus.REPRODUCED
    elif diverged is not None:
        status = ReplayStatus.DIVERGED
    else:
        status = ReplayStatus.PASSED
    message = "" if divergence is None else divergence.message
    return ReplayResult(tok, shown(run, judgement), judgement, diverged, status, message)
