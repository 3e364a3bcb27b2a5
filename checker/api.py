"""The checker's Python API: :func:`check` a target, :func:`replay` a token.

>>> from barrierlab.checker import api
>>> result = api.check("threading:Barrier", scenarios=["single-party"], budget=5)
>>> result.verdict, result.exhaustive
('pass', True)
"""

from __future__ import annotations

from barrierlab.checker.explore.check import PROFILES, CheckResult, check
from barrierlab.checker.explore.replay import ReplayResult, replay

__all__ = ["PROFILES", "CheckResult", "ReplayResult", "check", "replay"]
