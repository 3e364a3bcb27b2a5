"""CPython's own asyncio barrier tests (``test.test_asyncio.test_locks.BarrierTests``, 22 tests
on 3.11), run against any asyncio barrier class.

The tests construct ``asyncio.Barrier(n)`` themselves, so the adapter replaces that one name
while each test runs (and nothing else: ``asyncio.BrokenBarrierError`` stays the real class,
which a barrier must raise).
"""

from __future__ import annotations

import asyncio
import unittest
from typing import Any

__all__ = ["asyncio_barrier_tests_for", "suite_for"]


def asyncio_barrier_tests_for(barrier_class: Any) -> type[unittest.TestCase]:
    """CPython's asyncio ``BarrierTests`` as a TestCase class run against ``barrier_class``.

    Raises ImportError when this Python has no ``test`` package.
    """
    from test.test_asyncio import test_locks

    class BarrierTests(test_locks.BarrierTests):  # type: ignore[misc]
        def setUp(self) -> None:
            super().setUp()
            real = asyncio.Barrier
            asyncio.Barrier = barrier_class  # type: ignore[misc]
            self.addCleanup(setattr, asyncio, "Barrier", real)

    BarrierTests.__qualname__ = "BarrierTests"
    return BarrierTests


def suite_for(barrier_class: Any) -> unittest.TestSuite:
    """A suite of CPython's asyncio BarrierTests run against ``barrier_class``."""
    return unittest.defaultTestLoader.loadTestsFromTestCase(
        asyncio_barrier_tests_for(barrier_class)
    )
