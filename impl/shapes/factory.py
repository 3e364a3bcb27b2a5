"""Correct: a factory function taking only ``parties``, over :class:`threading.Barrier`.

A target need not be a class, and need not take ``action=`` or ``timeout=``: the checker calls
``make_barrier(parties)`` and checks everything the returned barrier offers (``reset``,
``abort``, the attributes, ``wait(timeout)``), without actions or default timeouts.
"""

from __future__ import annotations

import threading

__all__ = ["make_barrier"]


def make_barrier(parties: int) -> threading.Barrier:
    """A barrier for ``parties`` threads, with no action and no default timeout."""
    return threading.Barrier(parties)
