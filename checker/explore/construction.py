"""Judging a construction scenario: does the barrier refuse ``parties < 1`` as it should?

A construction scenario (:attr:`~barrierlab.checker.scenario.Scenario.invalid_parties`) builds
the target with ``parties`` 0 or below, under control. If the barrier refuses it, no thread
runs; if it accepts it, the scenario's threads call it, so the verdict says what follows (on
CPython 3.11 a ``wait()`` that never returns: here a deadlock found in virtual time, never a
hang). Only rule ``C-PARTIES`` judges it, and only under the ``cpython`` profiles of 3.13 and
later (:func:`barrierlab.model.versions.rejects_invalid_parties`); every other profile accepts
either outcome, since the documentation says nothing about it.
"""

from __future__ import annotations

from barrierlab.checker.outcomes import RunOutcome, ViolationKind
from barrierlab.checker.runtime.run import RunResult
from barrierlab.checker.scenario import Scenario
from barrierlab.model.accept import Verdict
from barrierlab.model.versions import parse_profile, rejects_invalid_parties

__all__ = ["RULE", "judge_construction"]

RULE = "C-PARTIES"

_AFTERWARDS = {
    RunOutcome.DEADLOCK: "its threads then blocked forever (here a deadlock in virtual time; "
    "on real threads, a hang)",
    RunOutcome.LIVELOCK: "its threads then spun without end (the step bound cut the run)",
    RunOutcome.UNCONTROLLED: "its threads then blocked outside barrierlab's control",
    RunOutcome.COMPLETE: "its threads then ran to the end",
}


def judge_construction(result: RunResult, scenario: Scenario, profile: str):
    """The judgement of one run of a construction scenario under ``profile``."""
    from barrierlab.checker.explore.search import Judgement

    resolved = parse_profile(profile)
    if not rejects_invalid_parties(resolved):
        return Judgement(None, None, "ok", Verdict(True, profile=resolved.base))
    if result.refused == "ValueError":
        exercised = frozenset({RULE})
        return Judgement(
            None, None, "ok", Verdict(True, rules_exercised=exercised, profile=resolved.base)
        )
    major, minor = resolved.version or (0, 0)
    expected = f"CPython {major}.{minor} raises ValueError for parties < 1 (gh-121474)"
    if result.refused is not None:
        message = f"Barrier({scenario.parties}) raised {result.refused}; {expected}"
    else:
        message = (
            f"Barrier({scenario.parties}) was accepted; {expected}; "
            f"{_AFTERWARDS.get(result.outcome, str(result.outcome))}"
        )
    verdict = Verdict(
        False,
        rule=RULE,
        index=0,
        event=result.trace[0] if result.trace else None,
        allowed=("ValueError from the constructor",),
        message=message,
        profile=resolved.base,
    )
    return Judgement(ViolationKind.SPEC, RULE, message, verdict)
