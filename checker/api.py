"""The checker's Python API: :func:`check` a target, :func:`replay` a token.

>>> from barrierlab.checker import api
>>> result = api.check("threading:Barrier", scenarios=["single-party"], budget=5)
>>> result.verdict, result.exhaustive
(<CheckVerdict.PASS: 'pass'>, True)
>>> result.verdict == "pass"  # each answer is an enum member equal to its plain string
True
"""

from __future__ import annotations

from barrierlab.checker.explore.check import PROFILES, CheckOptions, CheckResult, check
from barrierlab.checker.explore.replay import ReplayResult, replay
from barrierlab.checker.outcomes import CheckVerdict, ReplayStatus, RunOutcome, ViolationKind

__all__ = [
    "PROFILES",
    "CheckOptions",
    "CheckResult",
    "CheckVerdict",
    "ReplayResult",
    "ReplayStatus",
    "RunOutcome",
    "ViolationKind",
    "check",
    "replay",
]
