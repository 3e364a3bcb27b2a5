"""The quality tier for asyncio barriers: a default check finds every seeded asyncio bug with
the rule its docstring names and the token replays it; the asyncio reference passes; CPython's
own asyncio.Barrier on this Python shows its index bug (gh-155233) with a story to follow."""

from __future__ import annotations

import sys

import pytest

from barrierlab.checker import api
from barrierlab.impl.asyncio_targets import ASYNC_BUGS, ASYNC_CORRECT

pytestmark = pytest.mark.quality


@pytest.mark.parametrize("info", ASYNC_BUGS, ids=lambda i: i.name)
def test_default_check_finds_the_seeded_asyncio_bug_and_replays_it(info):
    # The default check, with the schedules (not the machine's speed) bounding each scenario.
    result = api.check(info.spec, fail_fast=True, max_schedules=1000, budget=900)
    assert result.profile == "asyncio"
    assert result.verdict == "fail", f"{info.name}: no violation in {result.schedules} schedules"
    violation = result.violations[0]
    found = {violation.rule, violation.kind}
    assert found & {info.expected, *info.also}, (
        f"{info.name}: found {violation.kind}/{violation.rule} ({violation.message})"
    )
    if violation.kind == "uncontrolled":
        return  # the run was given up: there is nothing to replay past it
    replayed = api.replay(violation.token)
    assert replayed.status == "reproduced"
    assert replayed.run.trace == violation.trace


@pytest.mark.parametrize("info", ASYNC_CORRECT, ids=lambda i: i.name)
def test_correct_asyncio_barrier_passes_the_catalogue(info):
    result = api.check(info.spec, max_schedules=60, budget=900)
    assert result.verdict == "pass", [(v.rule, v.message) for v in result.violations]
    assert result.schedules > 400  # 60 per scenario, fewer where the search ended


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="gh-155233 may be fixed there")
def test_cpython_asyncio_barrier_reuses_a_cancelled_waiters_index():
    result = api.check("asyncio:Barrier", scenarios=["aio-cancel-reuse"], budget=30, fail_fast=True)
    violation = result.violations[0]
    assert violation.rule == "A-INDEX"
    assert "was cancelled inside wait (CancelledError" in violation.message
    assert "already returned" in violation.message
    assert api.replay(violation.token).status == "reproduced"
