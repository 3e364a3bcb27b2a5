"""Traces where many more threads than ``parties`` are blocked at once (pool mode's case).

Shared by ``tests/model/test_pool.py`` and the subprocess it starts to show pool mode is
deterministic across processes (test modules are not importable by name under
``--import-mode=importlib``; this support module is).
"""

from __future__ import annotations

from barrierlab.model.events import Return
from barrierlab.model.moves import programs_of, random_trace
from barrierlab.model.spec import make_spec

__all__ = ["many_blocked"]


def many_blocked(k: int, parties: int, profile: str, rounds: int = 3):
    """``k`` threads each waiting ``rounds`` times, as the spec may run them (``k`` >> parties).

    Returns ``(trace, complete)`` as :func:`barrierlab.model.moves.random_trace` does.
    """
    spec = make_spec(profile, parties)
    programs = programs_of([" ".join(["wait"] * rounds)] * k)
    trace, complete = random_trace(spec, programs, seed=7, eager=0.0, max_events=10_000)
    assert sum(isinstance(e, Return) for e in trace) == k * rounds  # every wait returned
    return trace, complete
