"""CPython's own ``test.lock_tests.BarrierTests`` against one target, on real threads.

Run ``python -m barrierlab.checker.bench.cpython_suite TARGET``: it runs the suite with
unittest's verbose runner (one line per test, ``... ok`` / ``... FAIL`` / ``... ERROR``) on
stdout and exits 0 when every test passed, 1 otherwise, 3 when this Python has no ``test``
package. It is meant to run in a subprocess with a time cap (a seeded bug can hang a test
forever), as :mod:`barrierlab.checker.bench.baseline` does: the lines printed before the cap
still say which tests had already failed.

:func:`barrier_tests_for` is the one adapter of the suite to a barrier class: the tests of
``impl/`` (``tests/impl/test_*_cpython_suite.py``) run the same class under pytest. One
adaptation: ``test_repr`` expects ``<module.Barrier at ...>`` with a one-word module name; ours
are dotted, so only that part of each of its regexes is widened to a dotted path. Everything
else is CPython's test code as is.
"""

from __future__ import annotations

import re
import sys
import unittest

from barrierlab.checker.runtime.target import load_target

__all__ = [
    "NO_SUITE",
    "RESULT_LINE",
    "barrier_tests_for",
    "has_suite",
    "parse_results",
    "suite_for",
    "suite_size",
]

EXIT_NO_SUITE = 3
#: Why CPython's suite cannot run here (the skip reason of the tests that need it). Some
#: distributions ship CPython's ``test`` package separately (Debian: ``libpython3.X-testsuite``).
NO_SUITE = "this Python has no 'test' package (CPython's own test suite)"
#: A verbose unittest result line: ``test_name (module.Class...) ... ok``.
RESULT_LINE = re.compile(
    r"^(?P<test>test_\w+) \(.*?\)(?:\n.*?)? \.\.\. (?P<status>ok|FAIL|ERROR|skipped.*)$",
    re.MULTILINE,
)


def barrier_tests_for(barrier_class):
    """CPython's ``BarrierTests`` as a ``unittest.TestCase`` class run against ``barrier_class``.

    Raises ``ImportError`` when this Python has no ``test`` package.
    """
    from test import lock_tests

    class BarrierTests(lock_tests.BarrierTests):
        barriertype = staticmethod(barrier_class)

        def assertRegex(self, text, expected_regex, msg=None):
            widened = expected_regex.replace(r"<\w+\.Barrier", r"<[\w.]+\.Barrier")
            super().assertRegex(text, widened, msg)

    BarrierTests.__qualname__ = "BarrierTests"  # as CPython names it in the runner's lines
    return BarrierTests


def has_suite() -> bool:
    """True when this Python has CPython's ``test.lock_tests``."""
    try:
        import test.lock_tests  # noqa: F401
    except ImportError:
        return False
    return True


def suite_size() -> int:
    """How many tests ``BarrierTests`` has on this Python (11 on 3.11 and 3.12; 3.13 added
    ``test_constructor``). Raises ``ImportError`` when this Python has no ``test`` package."""
    from test import lock_tests

    return sum(name.startswith("test_") for name in dir(lock_tests.BarrierTests))


def suite_for(barrier_class):
    """A ``unittest.TestSuite`` of CPython's BarrierTests run against ``barrier_class``."""
    return unittest.defaultTestLoader.loadTestsFromTestCase(barrier_tests_for(barrier_class))


def parse_results(text: str) -> dict[str, str]:
    """Test name -> ``ok`` / ``FAIL`` / ``ERROR`` / ``skipped`` from a verbose runner's output.

    >>> parse_results("test_a (x.BarrierTests.test_a) ... ok\\ntest_b (x.B.test_b) ... FAIL\\n")
    {'test_a': 'ok', 'test_b': 'FAIL'}
    """
    return {
        m["test"]: ("skipped" if m["status"].startswith("skipped") else m["status"])
        for m in RESULT_LINE.finditer(text)
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m barrierlab.checker.bench.cpython_suite TARGET\n")
        return 2
    if not has_suite():
        sys.stderr.write(NO_SUITE + "\n")
        return EXIT_NO_SUITE
    target = load_target(args[0])
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2)
    result = runner.run(suite_for(target.factory))
    sys.stdout.flush()
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    raise SystemExit(main())
