"""Telling asyncio targets apart: classes by looking, factory functions by the probe's barrier."""

from __future__ import annotations

import asyncio
import threading
import warnings

from barrierlab.checker import api
from barrierlab.checker.runtime.aio.detect import is_async_barrier, is_async_target
from barrierlab.checker.runtime.aio.scenarios import ASYNC_SCENARIOS
from barrierlab.checker.runtime.target import target_of
from barrierlab.impl import asyncio_reference


def make_reference(parties):
    """A factory function: its wait cannot be seen without building a barrier."""
    return asyncio_reference.Barrier(parties)


def make_cpython(parties):
    return asyncio.Barrier(parties)


class _WaitOnly:
    def __init__(self, parties):
        self._inner = asyncio_reference.Barrier(parties)

    async def wait(self):
        return await self._inner.wait()


def make_wait_only(parties):
    return _WaitOnly(parties)


def make_threading(parties):
    return threading.Barrier(parties)


def test_a_built_barrier_tells_its_kind():
    assert is_async_barrier(asyncio.Barrier(2))
    assert not is_async_barrier(threading.Barrier(2))
    assert not is_async_barrier(None)


def test_factory_functions_building_asyncio_barriers_are_asyncio_targets():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the probe's unawaited coroutine is closed, not leaked
        for factory in (make_reference, make_cpython):
            target = target_of(factory)
            assert is_async_target(target), factory.__name__
            assert target.capabilities.asyncio
            assert "asyncio barrier" in target.capabilities.describe()
        assert not is_async_target(target_of(make_threading))
        assert not target_of(make_threading).capabilities.asyncio


def test_a_factorys_asyncio_barrier_offers_what_it_has():
    caps = target_of(make_wait_only).capabilities
    assert caps.asyncio and caps.methods == frozenset() and caps.attributes == frozenset()
    assert "reset" not in caps.describe()


def test_a_factory_function_is_checked_on_the_event_loop_and_fails_where_cpython_does():
    result = api.check(target_of(make_cpython), scenarios=["aio-cancel-reuse"], max_schedules=300)
    assert result.profile == "asyncio"
    found = result.scenarios[0].violation
    assert found is not None and found.rule == "A-INDEX"
    # the token names the factory function; loading it again routes it to the event loop
    replayed = api.replay(found.token)
    assert replayed.status.value == "reproduced"
    assert replayed.judgement.rule == "A-INDEX"


def test_a_factory_of_the_reference_passes_the_asyncio_scenarios():
    result = api.check(target_of(make_reference), max_schedules=20)
    assert result.profile == "asyncio"
    assert [s.scenario.name for s in result.scenarios] == list(ASYNC_SCENARIOS)
    assert result.verdict == "pass"


def test_a_wait_only_factory_skips_the_scenarios_it_cannot_take():
    result = api.check(target_of(make_wait_only), max_schedules=10)
    ran = {s.scenario.name for s in result.scenarios}
    assert "aio-reset" not in ran and "aio-cancel-reuse" in ran
    assert result.verdict == "pass"
