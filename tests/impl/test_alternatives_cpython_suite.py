"""CPython's own Barrier test suite, run against every correct alternative on real threads.

The suite is adapted to a barrier class in one place,
:func:`barrierlab.checker.bench.cpython_suite.barrier_tests_for`, as for the reference.
"""

from __future__ import annotations

import pytest

from barrierlab.checker.bench.cpython_suite import NO_SUITE, barrier_tests_for
from barrierlab.impl import event_per_generation, generations, leader, sense_reversing, turnstile

pytest.importorskip("test.lock_tests", reason=NO_SUITE)


class GenerationsBarrierTests(barrier_tests_for(generations.Barrier)):
    pass


class EventPerGenerationBarrierTests(barrier_tests_for(event_per_generation.Barrier)):
    pass


class TurnstileBarrierTests(barrier_tests_for(turnstile.Barrier)):
    pass


class SenseReversingBarrierTests(barrier_tests_for(sense_reversing.Barrier)):
    pass


class LeaderBarrierTests(barrier_tests_for(leader.Barrier)):
    pass
