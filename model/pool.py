"""Anonymous arrivals: waits whose effect is placed without yet saying whose it is.

Threads blocked in ``wait`` with the same pending call (same timeout, same call time) are
interchangeable for the spec until the trace shows one of them again. Placing their arrivals
one thread at a time makes acceptance track *which* of ``k`` such threads filled a generation,
``C(k, parties)`` configurations where one would do. In *pool mode* the spec places an arrival
as a **virtual entry**: the status the arriving thread takes, plus the set of threads it may
be (its *eligible* set, the threads with that pending call when it arrived). Virtual entries
live after the real threads in ``State.threads`` (``State.elig`` holds one eligible set each),
so every rule that counts, releases or fails the threads of a generation treats them alike.

A thread's own event (its return, its raise, its start of the action) *claims* a virtual entry
it is eligible for: it takes the entry's status and leaves every eligible set. A state is kept
only while the entries can still be matched to distinct eligible threads (Hall's condition).
Eligible sets of one pending call form a chain (a later entry's set contains an earlier one's:
threads leave the sets together and only newer calls join), so the sets are laminar and the
condition needs checking only for each set itself.

>>> a = frozenset({0, 1})
>>> feasible((a, a)), feasible((a, a, a)), feasible((frozenset({0}), a))
(True, False, True)
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

__all__ = [
    "add_virtual",
    "claims",
    "entries",
    "feasible",
    "leave_pool",
    "materialize",
    "may_be",
    "real_count",
    "repeats",
    "sort_virtual",
    "who",
]


def real_count(s: Any) -> int:
    """How many of ``s.threads`` are real threads (the rest are virtual entries)."""
    return len(s.threads) - len(s.elig)


def feasible(elig: tuple[frozenset[int], ...]) -> bool:
    """Whether distinct threads can be given to entries with these (laminar) eligible sets."""
    return all(sum(1 for f in elig if f <= e) <= len(e) for e in set(elig))


def _key(x: Any) -> tuple[Any, ...]:
    if x is None:
        return (0,)
    if isinstance(x, str) and type(x) is not str:  # a Label: states ignore it
        return (1,)
    if isinstance(x, frozenset):
        return (2, tuple(sorted(x)))
    if isinstance(x, str):
        return (3, x)
    return (4, x)


_KEYS: dict[tuple[Any, frozenset[int]], tuple[Any, ...]] = {}


def _entry_key(pair: tuple[Any, frozenset[int]]) -> tuple[Any, ...]:
    key = _KEYS.get(pair)
    if key is None:
        if len(_KEYS) > 100_000:
            _KEYS.clear()
        st, e = pair
        key = _KEYS[pair] = (tuple(_key(x) for x in st), tuple(sorted(e)))
    return key


def sort_virtual(s: Any) -> Any:
    """``s`` with its virtual entries in a canonical order (equal multisets, equal states)."""
    if len(s.elig) < 2:
        return s
    n = real_count(s)
    pairs = list(zip(s.threads[n:], s.elig, strict=True))
    keys = [_entry_key(p) for p in pairs]
    if all(a <= b for a, b in pairwise(keys)):
        return s
    order = sorted(range(len(pairs)), key=keys.__getitem__)
    threads = (*s.threads[:n], *(pairs[i][0] for i in order))
    return s._replace(threads=threads, elig=tuple(pairs[i][1] for i in order))


def add_virtual(s: Any, status: tuple[Any, ...], members: frozenset[int]) -> Any | None:
    """``s`` with a virtual entry of ``status`` that one of ``members`` may be (None: none free)."""
    elig = (*s.elig, members)
    if not feasible(elig):
        return None
    return s._replace(threads=(*s.threads, status), elig=elig)


def leave_pool(s: Any, tids: list[int]) -> Any | None:
    """``s`` with ``tids`` out of every eligible set (None: the entries can't be matched)."""
    gone = frozenset(tids)
    elig = tuple(e - gone for e in s.elig)
    return s._replace(elig=elig) if feasible(elig) else None


def claims(s: Any, tid: int) -> list[Any]:
    """Every state in which thread ``tid`` turns out to be one of ``s``'s virtual entries."""
    n = real_count(s)
    out, seen = [], set()
    for j, (st, e) in enumerate(zip(s.threads[n:], s.elig, strict=True)):
        if tid not in e or (st, e) in seen:
            continue
        seen.add((st, e))
        threads = list(s.threads)
        threads[tid] = st
        del threads[n + j]
        elig = tuple(f - {tid} for k, f in enumerate(s.elig) if k != j)
        if feasible(elig):
            out.append(s._replace(threads=tuple(threads), elig=elig))
    return out


def entries(s: Any) -> Iterator[tuple[int, Any]]:
    """``(index, status)`` of the real threads and of each distinct virtual entry."""
    n = real_count(s)
    yield from enumerate(s.threads[:n])
    prev = None
    for j, pair in enumerate(zip(s.threads[n:], s.elig, strict=True)):
        if pair != prev:
            yield n + j, pair[0]
        prev = pair


def may_be(s: Any, tid: int, thread: int) -> bool:
    """Whether ``tid`` (a thread or virtual entry) is or may turn out to be ``thread``."""
    j = tid - real_count(s)
    return tid == thread if j < 0 else thread in s.elig[j]


def repeats(s: Any, tid: int) -> bool:
    """Whether ``tid`` is a virtual entry equal to the one before it (its steps are the same)."""
    j = tid - real_count(s)
    return j > 0 and s.threads[tid] == s.threads[tid - 1] and s.elig[j] == s.elig[j - 1]


def materialize(s: Any) -> Any:
    """``s`` with each virtual entry given to one eligible thread (a state of real threads)."""
    if not s.elig:
        return s
    n = real_count(s)
    threads = list(s.threads[:n])
    used: set[int] = set()
    for st, e in sorted(zip(s.threads[n:], s.elig, strict=True), key=lambda p: len(p[1])):
        tid = min(e - used)
        used.add(tid)
        threads[tid] = st
    return s._replace(threads=tuple(threads), elig=())


def who(s: Any, tid: int) -> str:
    """How a thread or virtual entry is named: ``t3``, or ``t1|t2`` for one of those."""
    n = real_count(s)
    if tid < n:
        return f"t{tid}"
    return "|".join(f"t{t}" for t in sorted(s.elig[tid - n]))
