"""Shrinking a failing scenario to a smallest one that still fails.

A violation found in a generated scenario is shown in the smallest scenario that still shows
a violation: :func:`shrink` tries simpler neighbours (:func:`candidates`) in order, keeps the
first that still fails, and starts again from it, until no neighbour fails or the time is up.
Whether a candidate fails is the caller's question (it reruns the check on it), so every
scenario :func:`shrink` returns has been seen to fail: it never returns one that passes.

The neighbours, simplest change first: one thread fewer; two threads made one (one does the
other's steps after its own: as many steps, one thread fewer); one step fewer; one party
fewer; a simpler action (``raise@K`` to ``raise@K-1``, then ``ok``, then none); no
constructor timeout; a timed wait without its timeout, a long timeout made short.

>>> s = Scenario.build("s", parties=2, threads=["wait(0)", "wait"], action="ok")
>>> [c.to_args() for c in candidates(s)][:3]
['--parties 2 --threads "wait" --action ok', '--parties 2 --threads "wait(0)" --action ok', \
'--parties 2 --threads "wait(0) wait" --action ok']
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from barrierlab.checker.scenario import Scenario, Step
from barrierlab.model.errors import InvalidArgument

__all__ = ["candidates", "shrink"]

_real_monotonic = time.monotonic
T = TypeVar("T")


def _make(s: Scenario, programs=None, parties=None, timeout=..., action=None) -> Scenario | None:
    programs = s.programs if programs is None else tuple(p for p in programs if p)
    try:
        return Scenario(
            s.name,
            s.parties if parties is None else parties,
            programs,
            s.default_timeout if timeout is ... else timeout,
            s.action if action is None else action,
        )
    except InvalidArgument:
        return None


def _simpler_actions(action: str) -> list[str]:
    if action == "none":
        return []
    if action == "ok":
        return ["none"]
    ks = sorted(int(k) for k in action.removeprefix("raise@").split(","))
    simpler = []
    if len(ks) > 1:
        simpler.append(f"raise@{ks[0]}")
    elif ks[0] > 1:
        simpler.append(f"raise@{ks[0] - 1}")
    return [*simpler, "ok", "none"]


def candidates(s: Scenario) -> Iterator[Scenario]:
    """The scenarios one simplification away from ``s``, simplest change first."""
    programs = s.programs
    found = []
    for i in range(len(programs)):
        found.append(_make(s, programs[:i] + programs[i + 1 :]))
    for i in range(len(programs)):
        for j in range(len(programs)):
            if i != j:  # one thread does the other's steps after its own
                rest = tuple(p for k, p in enumerate(programs) if k not in (i, j))
                found.append(_make(s, (programs[i] + programs[j], *rest)))
    for i, p in enumerate(programs):
        for j in range(len(p)):
            found.append(_make(s, (*programs[:i], p[:j] + p[j + 1 :], *programs[i + 1 :])))
    if s.parties > 1:
        found.append(_make(s, parties=s.parties - 1))
    found += [_make(s, action=a) for a in _simpler_actions(s.action)]
    if s.default_timeout is not None:
        found.append(_make(s, timeout=None))
    for i, p in enumerate(programs):
        for j, step in enumerate(p):
            if step.op == "wait" and step.timeout is not None:
                for simpler in (Step("wait"), Step("wait", 1.0)):
                    if simpler != step and (simpler.timeout or 0) < step.timeout + 1e-9:
                        q = (*p[:j], simpler, *p[j + 1 :])
                        found.append(_make(s, (*programs[:i], q, *programs[i + 1 :])))
    seen = set()
    for c in found:
        if c is not None and c != s and c not in seen:
            seen.add(c)
            yield c


def shrink(
    scenario: Scenario,
    failure: T,
    fails: Callable[[Scenario], T | None],
    *,
    deadline: float | None,
    max_tries: int | None = None,
) -> tuple[Scenario, T]:
    """The smallest scenario found that still fails, with its failure.

    ``failure`` is what ``scenario`` failed with; ``fails(candidate)`` reruns the check on a
    candidate and returns its failure, or None if it passed. Stops at ``deadline`` (a real
    ``time.monotonic()`` instant; None: no clock) or after ``max_tries`` candidates (None: no
    limit) with the smallest failing scenario so far; with no deadline and a limit, the result
    depends on ``fails`` alone (deterministic when it is).
    """
    current, found = scenario, failure
    improved = True
    tries = 0

    def more() -> bool:
        in_time = deadline is None or _real_monotonic() < deadline
        return in_time and (max_tries is None or tries < max_tries)

    while improved and more():
        improved = False
        for candidate in candidates(current):
            if not more():
                break
            tries += 1
            result = fails(candidate)
            if result is not None:
                current, found, improved = candidate, result, True
                break
    return current, found
