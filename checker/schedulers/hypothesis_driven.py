"""Hypothesis-driven scheduler: choices drawn from a source of integers, so failures shrink.

:class:`HypothesisScheduler` asks its ``source`` (anything with ``draw(n) -> int`` in
``range(n)``) which option to take, at every scheduling point with more than one option.
Option 0 is always the least surprising one: the thread that ran the previous step keeps
running (no preemption); the others follow in ``(tid, timeout)`` order. Hypothesis shrinks
integers towards 0, so a shrunk schedule is one with few, early preemptions.

Parameters: ``source`` (an :class:`IntSource`); the scheduler runs one schedule.
:class:`HypothesisSource` adapts a Hypothesis ``data`` object (``data.draw(st.integers(0,
n - 1))``); :class:`ListSource` plays back a list of integers (0 once it runs out).

:func:`find_schedule` runs the search: it calls ``run(scheduler)`` once per Hypothesis example
(the caller runs one schedule of its program with that scheduler) until
``predicate(result)`` holds, lets Hypothesis shrink that example, and returns the shrunk
schedule's encoded choices and result (None if no example satisfied the predicate). Given a
``deadline`` (a ``time.monotonic()`` instant), no example starts after it: the search ends
there (with None), but a failure found in time is still shrunk. Hypothesis
runs with ``database=None`` (nothing written to the working directory), ``deadline=None``, the
slow-data health checks suppressed, quiet output, and ``seed`` fixing its randomness.

>>> s = HypothesisScheduler(ListSource([1]))
>>> s.start(), s.choose([Choice(0), Choice(1)]).tid, s.choices
(True, 1, [2])
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from barrierlab.checker.schedulers.base import Choice, check_int, encode_choice
from barrierlab.model.errors import InvalidArgument, TargetError

__all__ = [
    "FoundSchedule",
    "HypothesisScheduler",
    "HypothesisSource",
    "IntSource",
    "ListSource",
    "find_schedule",
]

_real_monotonic = time.monotonic


class IntSource(Protocol):
    """Where choices come from."""

    def draw(self, n: int) -> int:
        """An integer in ``range(n)`` (``n >= 2``)."""
        ...


class ListSource:
    """Draws the given integers in order (each taken modulo ``n``), then 0."""

    def __init__(self, values: Sequence[int]) -> None:
        self.values = list(values)
        self.position = 0

    def draw(self, n: int) -> int:
        if self.position >= len(self.values):
            return 0
        value = self.values[self.position]
        self.position += 1
        return value % n


class HypothesisSource:
    """Draws from a Hypothesis ``data`` object (as given by ``st.data()``)."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self._strategies: dict[int, Any] = {}

    def draw(self, n: int) -> int:
        strategy = self._strategies.get(n)
        if strategy is None:
            from hypothesis import strategies as st

            strategy = self._strategies[n] = st.integers(0, n - 1)
        return self.data.draw(strategy)


class HypothesisScheduler:
    """Takes option ``source.draw(len(options))``, option 0 being "no preemption"."""

    name = "hypothesis"

    def __init__(self, source: IntSource) -> None:
        if not callable(getattr(source, "draw", None)):
            raise InvalidArgument(f"source must have a draw(n) method, got {source!r}")
        self.source = source
        #: The encoded choices taken in this schedule.
        self.choices: list[int] = []
        self._started = False
        self._last: int | None = None

    @property
    def exhaustive(self) -> bool:
        return False

    def start(self) -> bool:
        if self._started:
            return False
        self._started = True
        return True

    def choose(self, options: Sequence[Choice]) -> Choice:
        if len(options) == 1:
            choice = options[0]
        else:
            ordered = sorted(options, key=lambda o: (o.tid != self._last or o.timeout, o.key))
            index = self.source.draw(len(ordered))
            if not 0 <= index < len(ordered):
                raise InvalidArgument(f"source drew {index}, outside range({len(ordered)})")
            choice = ordered[index]
        self._last = choice.tid
        self.choices.append(encode_choice(choice))
        return choice

    def finish(self, cut_short: bool = False) -> None:
        pass


@dataclass(frozen=True)
class FoundSchedule:
    """A (shrunk) schedule for which the predicate held: its encoded choices and result."""

    choices: tuple[int, ...]
    result: Any


class _OutOfTime(Exception):
    """Internal: raised inside the Hypothesis test once the deadline has passed, which ends the
    search at once (the examples left would each cost a draw even if they passed)."""


class _Found(Exception):
    """Internal: raised inside the Hypothesis test when the predicate holds."""

    def __init__(self, choices: tuple[int, ...], result: Any) -> None:
        super().__init__(choices)
        self.choices = choices
        self.result = result


def find_schedule(
    run: Callable[[HypothesisScheduler], Any],
    predicate: Callable[[Any], bool],
    *,
    seed: int = 0,
    max_examples: int = 200,
    max_choices: int = 400,
    deadline: float | None = None,
) -> FoundSchedule | None:
    """Search for a schedule whose result satisfies ``predicate``; return it shrunk, or None.

    ``run(scheduler)`` runs one schedule with the given scheduler and returns its result
    (``find_schedule`` calls the scheduler's ``start`` before and ``finish`` after). Each
    example draws a list of at most ``max_choices`` integers up front and plays it back with a
    :class:`ListSource` (0, "keep running the same thread", once it runs out), so ``run`` may
    ask for choices from any thread.
    """
    check_int("seed", seed, minimum=0)
    check_int("max_examples", max_examples, minimum=1)
    from hypothesis import HealthCheck, Phase, Verbosity, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st
    from hypothesis.errors import Flaky

    hit: list[bool] = []  # once a failure is found, its shrinking is never cut short

    @settings(
        database=None,
        deadline=None,
        max_examples=max_examples,
        phases=(Phase.generate, Phase.shrink),
        suppress_health_check=(
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        print_blob=False,
    )
    @hypothesis_seed(seed)
    @given(st.lists(st.integers(0, 255), max_size=max_choices))
    def search(values: list[int]) -> None:
        if deadline is not None and not hit and _real_monotonic() >= deadline:
            raise _OutOfTime
        # The choices are drawn up front, in the test's own thread: the runtime asks for them
        # from its worker threads, where Hypothesis has no test context to draw in.
        scheduler = HypothesisScheduler(ListSource(values))
        scheduler.start()
        result = run(scheduler)
        scheduler.finish()
        if predicate(result):
            hit.append(True)
            raise _Found(tuple(scheduler.choices), result)

    try:
        search()
    except _OutOfTime:
        return None
    except _Found as found:
        return FoundSchedule(found.choices, found.result)
    except Flaky:
        raise TargetError(
            "the same choices gave different results when run again: is the target "
            "deterministic (no real time, randomness or uncontrolled threads)?"
        ) from None
    return None
