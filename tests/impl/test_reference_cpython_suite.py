"""CPython's own Barrier test suite, run against the reference barrier on real threads.

One adaptation: CPython's ``test_repr`` expects ``<module.Barrier at ...>`` with a one-word
module name, and ours is dotted (``barrierlab.impl.reference.Barrier``). The override runs
CPython's very test body with only that part of each regex widened to a dotted path.
"""

from __future__ import annotations

import unittest

from barrierlab.impl import reference

try:
    from test import lock_tests
except ImportError:  # pragma: no cover - depends on how Python was packaged
    lock_tests = None

NO_SUITE = "this Python has no 'test' package (CPython's own test suite is not installed)"


def cpython_suite_for(barrier_class):
    """Return a TestCase class running CPython's BarrierTests against ``barrier_class``."""
    if lock_tests is None:  # pragma: no cover

        @unittest.skip(NO_SUITE)
        class Skipped(unittest.TestCase):
            def test_suite_missing(self):
                """Stands in for CPython's suite where it is not installed."""

        return Skipped

    class Suite(lock_tests.BarrierTests):
        barriertype = staticmethod(barrier_class)

        def assertRegex(self, text, expected_regex, msg=None):
            widened = expected_regex.replace(r"<\w+\.Barrier", r"<[\w.]+\.Barrier")
            super().assertRegex(text, widened, msg)

    return Suite


class ReferenceBarrierTests(cpython_suite_for(reference.Barrier)):
    pass
