"""Replay scheduler: plays one recorded schedule back, and says so when it cannot.

Parameters:

* ``choices`` (sequence of int): the encoded choices of the schedule, as
  :func:`~barrierlab.checker.schedulers.base.encode_choice` writes them (a replay token holds
  them).

It runs exactly one schedule. At every scheduling point it takes the recorded choice. When the
recorded choice is not among the options, when the record ends while options remain, or when the
run ends before the record does, the program no longer behaves as when it was recorded: the
scheduler sets :attr:`divergence` (where, what was expected, what was offered) and carries on
with the first option at every later point, so the run still completes. A caller reports a
diverged replay as "the run diverged", never as "passed".

>>> from barrierlab.checker.schedulers.base import Choice
>>> r = ReplayScheduler([2])
>>> r.start(), r.choose([Choice(0), Choice(1)]).tid
(True, 1)
>>> r.finish(); r.diverged, r.start()
(False, False)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from barrierlab.checker.schedulers.base import Choice, decode_choice
from barrierlab.model.errors import InvalidArgument

__all__ = ["Divergence", "ReplayScheduler"]


def _show(key: tuple[int, bool]) -> str:
    return f"t{key[0]} {'times out' if key[1] else 'steps'}"


@dataclass(frozen=True)
class Divergence:
    """Where a replay left its record.

    ``position``: index of the scheduling point (0-based). ``expected``: the recorded
    ``(tid, timeout)`` there, None when the record had already ended. ``offered``: the keys the
    runtime offered there (empty when the run ended before the record did).
    """

    position: int
    expected: tuple[int, bool] | None
    offered: tuple[tuple[int, bool], ...]

    @property
    def message(self) -> str:
        if self.expected is None:
            return (
                f"the run diverged at scheduling point {self.position}: the recorded schedule "
                f"ends there, but {', '.join(map(_show, self.offered))} could still run"
            )
        if not self.offered:
            return (
                f"the run diverged: it ended after {self.position} scheduling points, the "
                f"recorded schedule goes on (next: {_show(self.expected)})"
            )
        return (
            f"the run diverged at scheduling point {self.position}: the record says "
            f"{_show(self.expected)}, the run offered {', '.join(map(_show, self.offered))}"
        )


class ReplayScheduler:
    """Replays a recorded sequence of encoded choices; one schedule."""

    name = "replay"

    def __init__(self, choices: Sequence[int]) -> None:
        if isinstance(choices, str | bytes) or not all(
            isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in choices
        ):
            raise InvalidArgument(f"choices must be a sequence of integers >= 0, got {choices!r}")
        self.choices = tuple(choices)
        #: Set when the replay left its record (see :class:`Divergence`).
        self.divergence: Divergence | None = None
        self._position = 0
        self._started = False
        self._cut_short = False
        self._finished = False

    @property
    def diverged(self) -> bool:
        return self.divergence is not None

    @property
    def exhaustive(self) -> bool:
        return self._finished and not self._cut_short

    def start(self) -> bool:
        if self._started:
            return False
        self._started = True
        return True

    def choose(self, options: Sequence[Choice]) -> Choice:
        position = self._position
        self._position += 1
        if self.divergence is not None:
            return options[0]
        if position >= len(self.choices):
            self.divergence = Divergence(position, None, tuple(o.key for o in options))
            return options[0]
        expected = decode_choice(self.choices[position])
        for option in options:
            if option.key == expected:
                return option
        self.divergence = Divergence(position, expected, tuple(o.key for o in options))
        return options[0]

    def finish(self, cut_short: bool = False) -> None:
        self._finished = True
        self._cut_short = cut_short
        if self.divergence is None and self._position < len(self.choices) and not cut_short:
            expected = decode_choice(self.choices[self._position])
            self.divergence = Divergence(self._position, expected, ())
