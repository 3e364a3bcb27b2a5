"""Checking a barrier from inside a test suite.

:func:`assert_conforms` runs a check in an ordinary test and fails it like an ``assert``: the
message is the counterexample (rule, threads as columns, spec states) and the command that
replays it. It takes a class or factory object as well as a ``module:Name`` string, so a test
can check a barrier defined in the test file itself::

    from barrierlab.checker.testing import assert_conforms

    class MyBarrier: ...

    def test_my_barrier_conforms():
        assert_conforms(MyBarrier, budget=10)

The pytest plugin (:mod:`barrierlab.checker.testing.plugin`, registered through the ``pytest11``
entry point) adds ``pytest --barrierlab TARGET``: one test item per scenario.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from barrierlab.checker.api import CheckResult
    from barrierlab.checker.explore.search import Violation
    from barrierlab.checker.scenario import Scenario

# The checker is imported inside the functions, not here: the pytest plugin lives in this
# package, and a pytest run that does not use barrierlab must not pay for importing it.

__all__ = ["assert_conforms", "describe_violation"]


def describe_violation(violation: Violation) -> str:
    """The counterexample of ``violation`` as text, ending with its replay command."""
    from barrierlab.checker.report.counterexample import render_violation

    return render_violation(violation)


def assert_conforms(
    target: Any,
    *,
    profile: str = "documented",
    budget: float | None = 10.0,
    scenarios: Sequence[str] | Sequence[Scenario] | None = None,
    max_schedules: int | None = None,
    seed: int | None = None,
    line_level: bool | None = None,
) -> CheckResult:
    """Check ``target`` and raise :class:`AssertionError` on the first violation.

    ``target`` is a class or factory called as ``target(parties, action=None, timeout=None)``,
    or a ``module:Name`` / ``path/file.py:Name`` string. The other arguments are those of
    :func:`barrierlab.checker.api.check` (``budget`` defaults to 10 seconds here, so a test
    stays short). Returns the :class:`~barrierlab.checker.api.CheckResult` when it passes, for
    further assertions (e.g. ``result.exhaustive``).

    Bad arguments (an unknown profile or scenario, a target that is not barrier-like) raise
    :class:`barrierlab.model.errors.BarrierlabError` subclasses, not ``AssertionError``: a test
    that is set up wrong errors instead of failing.
    """
    from barrierlab.checker import api
    from barrierlab.checker.runtime.target import target_of

    loaded = target_of(target)
    result = api.check(
        loaded,
        profile=profile,
        budget=budget,
        scenarios=list(scenarios) if scenarios is not None else None,
        max_schedules=max_schedules,
        seed=seed,
        line_level=line_level,
        fail_fast=True,
    )
    if result.violations:
        text = describe_violation(result.violations[0])
        raise AssertionError(
            f"{loaded.spec} does not conform to the {profile} profile "
            f"({result.schedules} schedules)\n\n{text}"
        )
    return result
