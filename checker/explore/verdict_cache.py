"""Verdicts of traces judged before.

Most schedules of a scenario produce a trace that an earlier schedule already produced: they
differ only in the order of steps no event shows (in one measured check, 25,006 schedules gave
1,772 distinct traces). Judging a trace is deterministic, so :func:`verdict` keeps the last
:data:`MAXSIZE` verdicts and answers a repeated trace at the cost of hashing it.

Only traces whose values are ``None``, ``bool``, ``int`` or ``str`` are kept, and the key holds
each value's type: ``True == 1`` in Python, but not for the spec.

>>> from barrierlab.model.events import Call, Return
>>> one = verdict((Call(0, "wait"), Return(0, "wait", 0)), parties=1)
>>> verdict((Call(0, "wait"), Return(0, "wait", 0)), parties=1) is one
True
>>> verdict((Call(0, "wait"), Return(0, "wait", False)), parties=1).ok
False
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from barrierlab.model.accept import Verdict, accept
from barrierlab.model.events import Event

__all__ = ["MAXSIZE", "afresh", "verdict"]

#: How many verdicts are kept (least recently used go first).
MAXSIZE = 4096
_PLAIN = (type(None), bool, int, str)
_off = 0


@lru_cache(maxsize=MAXSIZE)
def _judged(key: tuple[Any, ...], options: tuple[tuple[str, Any], ...]) -> Verdict:
    return accept(tuple(e for e, _ in key), **dict(options))


def verdict(trace: Sequence[Event], **options: Any) -> Verdict:
    """:func:`~barrierlab.model.accept.accept` of ``trace`` with ``options``, remembered."""
    types = tuple(type(getattr(e, "value", None)) for e in trace)
    if _off or not all(t in _PLAIN for t in types):
        return accept(trace, **options)
    return _judged(tuple(zip(trace, types, strict=True)), tuple(sorted(options.items())))


@contextmanager
def afresh() -> Iterator[None]:
    """Judge every trace anew inside the ``with`` block (for measuring what remembering saves)."""
    global _off
    _off += 1
    try:
        yield
    finally:
        _off -= 1
