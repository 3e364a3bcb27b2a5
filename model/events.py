"""The observable events of a barrier run: the spec's alphabet.

A *trace* is a tuple of events in the one order in which they happened. Every event names the
thread (``tid``, the index of its program in the scenario) and the virtual time it happened at
(``time``, seconds since the run started; it moves only when the scheduler lets a timeout
expire).

=================  ==========================================================================
event              meaning
=================  ==========================================================================
``Call``           a thread calls an operation: ``wait`` (with its ``timeout`` argument,
                   ``None`` when omitted), ``reset``, ``abort``, or reads ``n_waiting``,
                   ``broken`` or ``parties``
``Return``         the operation returns ``value`` (the index for ``wait``, the value read for
                   an attribute, ``None`` for ``reset``/``abort``)
``Raise``          the operation raises; ``error`` is the exception's class name
                   (``"BrokenBarrierError"`` or the action's own exception)
``ActionStart``    thread ``tid`` starts running the barrier's action
``ActionEnd``      the action returns (``error`` is ``None``) or raises ``error``
=================  ==========================================================================

Events are frozen dataclasses and round-trip through JSON:

>>> e = Return(tid=1, op="wait", value=0, time=0.0)
>>> event_from_json(event_to_json(e)) == e
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Final

from barrierlab.model.errors import InvalidArgument

__all__ = [
    "OPS",
    "READS",
    "ActionEnd",
    "ActionStart",
    "Call",
    "Event",
    "Raise",
    "Return",
    "event_from_json",
    "event_to_json",
    "trace_from_json",
    "trace_to_json",
]

#: Operations a thread program can perform on a barrier.
OPS: Final = ("wait", "reset", "abort", "n_waiting", "broken", "parties")
#: The operations that read an attribute.
READS: Final = ("n_waiting", "broken", "parties")
#: The class name a broken wait raises.
BROKEN: Final = "BrokenBarrierError"


@dataclass(frozen=True, slots=True)
class Call:
    """Thread ``tid`` calls ``op``; ``timeout`` is ``wait``'s argument (None when omitted)."""

    tid: int
    op: str
    timeout: float | None = None
    time: float = 0.0


@dataclass(frozen=True, slots=True)
class Return:
    """Thread ``tid``'s ``op`` returns ``value``."""

    tid: int
    op: str
    value: Any = None
    time: float = 0.0


@dataclass(frozen=True, slots=True)
class Raise:
    """Thread ``tid``'s ``op`` raises an exception of class name ``error``."""

    tid: int
    op: str
    error: str = BROKEN
    time: float = 0.0


@dataclass(frozen=True, slots=True)
class ActionStart:
    """Thread ``tid`` starts the barrier's action."""

    tid: int
    time: float = 0.0


@dataclass(frozen=True, slots=True)
class ActionEnd:
    """Thread ``tid``'s action ends; ``error`` is the exception class name if it raised."""

    tid: int
    error: str | None = None
    time: float = 0.0


Event = Call | Return | Raise | ActionStart | ActionEnd

_KINDS: Final[dict[str, type[Event]]] = {
    "call": Call,
    "return": Return,
    "raise": Raise,
    "action_start": ActionStart,
    "action_end": ActionEnd,
}
_NAMES: Final = {cls: name for name, cls in _KINDS.items()}


def event_to_json(event: Event) -> dict[str, Any]:
    """Return a JSON-ready dict for ``event`` (``kind`` names its class)."""
    return {"kind": _NAMES[type(event)], **asdict(event)}


def event_from_json(data: dict[str, Any]) -> Event:
    """Rebuild an event from :func:`event_to_json`'s output; bad input raises InvalidArgument."""
    if not isinstance(data, dict) or data.get("kind") not in _KINDS:
        raise InvalidArgument(f"not an event: {data!r}")
    fields = {k: v for k, v in data.items() if k != "kind"}
    try:
        event = _KINDS[data["kind"]](**fields)
    except TypeError as error:
        raise InvalidArgument(f"bad {data['kind']} event {data!r}: {error}") from None
    if isinstance(event, Call | Return | Raise) and event.op not in OPS:
        raise InvalidArgument(f"unknown operation {event.op!r} in {data!r}")
    return event


def trace_to_json(trace: tuple[Event, ...] | list[Event]) -> list[dict[str, Any]]:
    """Return a JSON-ready list for a trace."""
    return [event_to_json(e) for e in trace]


def trace_from_json(data: list[dict[str, Any]]) -> tuple[Event, ...]:
    """Rebuild a trace from :func:`trace_to_json`'s output."""
    if not isinstance(data, list):
        raise InvalidArgument(f"a trace is a JSON list, got {type(data).__name__}")
    return tuple(event_from_json(d) for d in data)
