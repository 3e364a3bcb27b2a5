"""CPython's own Barrier test suite, run against the reference barrier on real threads.

The suite is adapted to a barrier class in one place,
:func:`barrierlab.checker.bench.cpython_suite.barrier_tests_for` (its docstring says what it
changes: only ``test_repr``'s regexes, widened to a dotted module path).
"""

from __future__ import annotations

import pytest

from barrierlab.checker.bench.cpython_suite import NO_SUITE, barrier_tests_for
from barrierlab.impl import reference

pytest.importorskip("test.lock_tests", reason=NO_SUITE)


class ReferenceBarrierTests(barrier_tests_for(reference.Barrier)):
    pass
