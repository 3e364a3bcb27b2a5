"""A scheduler whose schedules all start with given choices: one subtree of another's search.

:class:`PrefixedScheduler` forces the first ``len(prefix)`` choices of every schedule (by
:attr:`~barrierlab.checker.schedulers.base.Choice.key`: thread and timeout) and hands the rest of
each schedule to ``inner``, which sees the run as if it started where the prefix ends. With an
exhaustive ``inner`` (DFS), the schedules run are exactly those of the subtree under the prefix,
so a search can be split into independent subtrees (:mod:`barrierlab.checker.explore.split`).

Partial-order reduction inside the subtree stays sound: every step the prefix made comes before
every step of the suffix, so the happens-before order among the suffix's steps, and the races
among them, are the same as in the whole run; a race between a prefix step and a suffix step
asks for another order of the prefix, which is another subtree of the split (all prefixes of a
depth are enumerated).

A run that does not offer the prefix's next choice means the target is not deterministic given
the choices: :class:`~barrierlab.model.errors.TargetError` says so.

>>> from barrierlab.checker.schedulers.base import Choice
>>> s = PrefixedScheduler([(1, False)], _First())
>>> s.start(), s.choose([Choice(0), Choice(1)]).tid, s.choose([Choice(0), Choice(1)]).tid
(True, 1, 0)
"""

from __future__ import annotations

from collections.abc import Sequence

from barrierlab.checker.schedulers.base import (
    Choice,
    Deadlined,
    ReportsBlocked,
    Scheduler,
    report_quiet,
)
from barrierlab.model.errors import TargetError

__all__ = ["PrefixedScheduler"]


class PrefixedScheduler:
    """Forces ``prefix`` (a sequence of ``(tid, timeout)`` keys), then defers to ``inner``."""

    name = "prefixed"

    def __init__(self, prefix: Sequence[tuple[int, bool]], inner: Scheduler) -> None:
        self.prefix = tuple((int(t), bool(o)) for t, o in prefix)
        self.inner = inner
        self._depth = 0
        self._inner_chose = False  # the last step was the inner scheduler's choice

    @property
    def deadline(self) -> float | None:
        return self.inner.deadline if isinstance(self.inner, Deadlined) else None

    @deadline.setter
    def deadline(self, value: float | None) -> None:
        if isinstance(self.inner, Deadlined):
            self.inner.deadline = value

    @property
    def exhaustive(self) -> bool:
        return self.inner.exhaustive

    def start(self) -> bool:
        self._depth = 0
        return self.inner.start()

    def choose(self, options: Sequence[Choice]) -> Choice:
        depth = self._depth
        self._inner_chose = depth >= len(self.prefix)
        if self._inner_chose:
            return self.inner.choose(options)
        self._depth += 1
        wanted = self.prefix[depth]
        for option in options:
            if option.key == wanted:
                return option
        raise TargetError(
            f"the run did not offer step {depth} of its prefix (t{wanted[0]}"
            f"{' timing out' if wanted[1] else ''}; offered: "
            f"{', '.join(f't{c.tid}' + (' timeout' if c.timeout else '') for c in options)}): "
            "is the target deterministic given the schedule (no real time, randomness or "
            "state kept between runs)?"
        )

    def blocked(self, pending: Sequence[Choice]) -> None:
        if isinstance(self.inner, ReportsBlocked):
            self.inner.blocked(pending)

    def quiet(self) -> None:
        """Passed on for the inner scheduler's own steps (it never saw the prefix's)."""
        if self._inner_chose:
            report_quiet(self.inner)

    def finish(self, cut_short: bool = False) -> None:
        self.inner.finish(cut_short)


class _First:
    """A one-schedule scheduler taking the first option each time (for the doctest)."""

    name = "first"
    exhaustive = False

    def start(self) -> bool:
        return True

    def choose(self, options: Sequence[Choice]) -> Choice:
        return options[0]

    def finish(self, cut_short: bool = False) -> None:
        pass
