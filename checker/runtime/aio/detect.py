"""Telling an asyncio barrier from a threading one.

A target is an asyncio target when the ``wait`` of the barriers it builds is a coroutine
function (``async def``), as for :class:`asyncio.Barrier`: it then runs on barrierlab's event
loop (:mod:`barrierlab.checker.runtime.aio.run`), over the asyncio scenarios, judged by the
``asyncio`` profile.

A class is told by looking (:func:`is_async_factory`). A factory function (a plain function
that returns a barrier) cannot be told without building one: the probe run of
:func:`~barrierlab.checker.runtime.capabilities.detect` builds a one-party barrier under
control anyway, and :func:`is_async_barrier` looks at what it built; the answer is kept in the
target's :class:`~barrierlab.checker.runtime.capabilities.Capabilities` (``asyncio``), which
:func:`is_async_target` reads.

>>> import asyncio, threading
>>> is_async_factory(asyncio.Barrier), is_async_factory(threading.Barrier)
(True, False)
>>> is_async_barrier(asyncio.Barrier(2)), is_async_barrier(threading.Barrier(2))
(True, False)
"""

from __future__ import annotations

import inspect
from typing import Any

__all__ = ["ASYNC_PROFILE", "is_async_barrier", "is_async_factory", "is_async_target", "routed"]

#: The profile asyncio targets are judged by.
ASYNC_PROFILE = "asyncio"


def is_async_factory(factory: Any) -> bool:
    """True if ``factory`` is a class whose ``wait`` is a coroutine function (a factory
    function cannot be told by looking: see :func:`is_async_barrier`)."""
    wait = getattr(factory, "wait", None) if inspect.isclass(factory) else None
    return wait is not None and inspect.iscoroutinefunction(wait)


def is_async_barrier(barrier: Any) -> bool:
    """True if ``barrier`` (a built barrier) has a ``wait`` that is a coroutine function."""
    return barrier is not None and is_async_factory(type(barrier))


def is_async_target(target: Any) -> bool:
    """True if a loaded :class:`~barrierlab.checker.runtime.target.Target` is an asyncio one:
    a class with a coroutine ``wait``, or a factory whose probe built such a barrier."""
    caps = getattr(target, "capabilities", None)
    return bool(getattr(caps, "asyncio", False)) or is_async_factory(
        getattr(target, "factory", None)
    )


def routed(target: Any, profile: str, chosen: list[Any], named: bool) -> tuple[str, list[Any]]:
    """The profile and scenarios a check of ``target`` runs: for an asyncio target, the
    asyncio profile, and the asyncio scenarios unless some were ``named``; else unchanged."""
    if not is_async_target(target):
        return profile, chosen
    from barrierlab.checker.runtime.aio.scenarios import ASYNC_SCENARIOS

    return ASYNC_PROFILE, chosen if named else list(ASYNC_SCENARIOS.values())
