"""CPython's own asyncio Barrier tests, run against the asyncio reference barrier (and, as a
control, against asyncio.Barrier itself)."""

from __future__ import annotations

import asyncio
import unittest

import pytest

from barrierlab.checker.runtime.aio.cpython_suite import asyncio_barrier_tests_for, suite_for
from barrierlab.impl import asyncio_reference

pytest.importorskip(
    "test.test_asyncio.test_locks", reason="this Python has no 'test' package (CPython's suite)"
)


class AsyncioReferenceBarrierTests(asyncio_barrier_tests_for(asyncio_reference.Barrier)):
    pass


def test_the_suite_has_its_tests_and_they_can_fail():
    class Broken(asyncio_reference.Barrier):
        async def wait(self) -> int:
            return 0

    result = unittest.TestResult()
    suite = suite_for(Broken)
    assert suite.countTestCases() >= 22
    suite.run(result)
    assert result.failures or result.errors


def test_the_adapter_restores_asyncio_barrier():
    unittest.TestResult()
    suite_for(asyncio_reference.Barrier).run(unittest.TestResult())
    assert asyncio.Barrier.__module__ == "asyncio.locks"
