"""Dynamic partial-order reduction: the branches that one finished run says to explore.

Two steps of different threads *race* when they are dependent (see
:func:`~barrierlab.checker.schedulers.base.dependent`), the first does not happen before the
second's thread got to it, and both could have been enabled at once: then the other order may
behave differently, and the search must try it from the state before the first step. That is
Flanagan and Godefroid's DPOR (POPL 2005), with what to try taken from Abdulla et al.'s source
sets (POPL 2014): of ``v``, the steps after the first that do not happen after it followed by the
second, one *initial* (a step nothing earlier in ``v`` happens before). The search skips that
state when an initial is already in its backtrack or sleep set.

Happens-before is computed with vector clocks over the executed steps. A thread's pending step
is known when it runs, or when it is offered; a step offered but not taken (a timeout not
taken, say) is analysed as pending until the thread's next step, and the steps that blocked
threads still wait for at the end are analysed as pending there.

Two things stand in for Flanagan and Godefroid's static "may be co-enabled" relation, which we
cannot compute for arbitrary code. Without it every dependent step that does not happen before
the pending step is a candidate, not just the last one. Three kinds of pairs are never enabled
at once, so never race: a pending step and a step at whose state it was not offered, when
nothing comes between them that the pending step would follow (a timeout while the step it
stands for can run); a step and the pending step it enabled (disabled before it, offered just
after: a release and the acquire it lets through, the acquire that blocks a thread and that
thread's timeout), and a step on a lock while it is held (its release, a try-acquire that
fails) and an ``"acquire"`` of it that cannot time out (``can_time_out=False``): the lock is
held at the one's state, and stays held in any reordering of the steps that do not happen after
it (every later step on the lock does).

Time: a timeout moves the virtual clock. One the runtime described (a thread's own timed
acquire expiring; see :class:`~barrierlab.checker.schedulers.base.Choice`) writes the clock and
its lock, and reads the locks of the timed steps due before it; every step reads the clock
unless the runtime reported that it ran without (``quiet``), and a timeout without a footprint
(a sleep, a join, a poll) touches everything.

Cost: near-linear in the run's length. Accesses to one key (and marked steps) are kept per
thread too, so the walk back from a step stops at each thread's first step that happens before
it (program order orders the rest), not at the start of the run; and what a pending step's
source sets ask of the steps after it is found once per pending step, not once per race. A
thread spinning for thousands of steps while another is passed over (a polling barrier under a
fair schedule) costs a few seconds per run, not minutes.

:func:`races` is the whole interface: it yields ``(state, wanted)`` pairs for a run.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence

from barrierlab.checker.schedulers.base import Choice, dependent

__all__ = ["Key", "races"]

#: What identifies a choice across runs: ``(tid, timeout)``.
Key = tuple[int, bool]


def races(
    events: Sequence[Choice],
    pending: Sequence[tuple[Choice, int]],
    horizon: int,
    offered: Callable[[int], set[Key] | None],
    settled: Callable[[int], bool] = lambda i: False,
    known: int = 0,
) -> Iterator[tuple[int, list[Key]]]:
    """The backtrack points of a run: ``(i, wanted)``, to explore one of ``wanted`` at state
    ``i`` (before step ``i``) unless one is there already; when none is offered there, every
    option.

    ``events``: the steps taken. ``pending``: steps pending but not taken, each with the
    position of its thread's next step (or ``len(events)``). ``horizon``: the last state that
    belongs to the search tree (past it, the run was finished with arbitrary choices).
    ``offered(k)``: the keys offered at state ``k`` (None if unknown). ``settled(i)``: True
    when state ``i`` explores every option already (nothing to add: skip the work).

    ``known``: the first ``known`` steps are those of an earlier run whose races were all
    yielded (a stateless search re-runs the prefix of the last run up to the state where it
    branches). Races whose later step is one of them, or a step pending until one of them,
    lie wholly in that prefix (the steps, their order and what was offered are the same) and
    are not yielded again; they would add nothing (every one asked was put in a backtrack set
    then). The rest of the run, and every step pending past the prefix, is analysed as usual.
    """
    return _Run(events, pending, horizon, offered, settled).races(known)


# Two marks, not keys: a step that may run untraced target code carries _UNTRACED, one that
# touches a key other than the trace carries _DATA; each conflicts with the other mark only.
_UNTRACED = ("*untraced",)
_DATA = ("*data",)
# Likewise steps recording a call and steps recording a return.
_CALL = ("*call",)
_RETURN = ("*return",)
_RECORDS = {"call": _CALL, "return": _RETURN}
_MARKS: dict[tuple[str, ...], tuple[str, ...]] = {
    _UNTRACED: _DATA,
    _DATA: _UNTRACED,
    _CALL: _RETURN,
    _RETURN: _CALL,
}


def _access(c: Choice):
    """``(reads, writes, reads_only)``: the keys a step reads and writes (a lock counts as
    written by every operation on it), and those it reads without writing; None when it may
    touch anything. Remembered per ``(obj, footprint, quiet)``: a run's steps share a few
    footprints, and a search analyses thousands of runs."""
    fp = c.footprint
    if c.timeout:
        # A described timeout writes the clock and its lock, and reads the locks of the
        # timed steps due before it (see Choice); any other may touch anything.
        if fp is None or c.obj is None:
            return None
        return fp.reads, frozenset({("l", c.obj), _CLOCK}), fp.reads
    clock = _NO_READS if c.quiet else _CLOCK_READ  # a step not known to read no time reads it
    if fp is None:
        if c.obj is None:
            return None
        return clock, frozenset({("l", c.obj)}), clock
    key = (c.obj, fp, c.quiet)
    access = _ACCESS.get(key)
    if access is None:
        if len(_ACCESS) >= _ACCESS_SIZE:
            _ACCESS.clear()
        writes = fp.writes if c.obj is None else fp.writes | {("l", c.obj)}
        if fp.untraced:
            writes = writes | {_UNTRACED}
        if fp.touches_data:
            writes = writes | {_DATA}
        if fp.records:
            writes = writes | {_RECORDS[fp.records]}
        for name in fp.cell_stores:
            writes = writes | {_cell_mark(_STORE, name)}
        for name in fp.free_loads:
            writes = writes | {_cell_mark(_LOAD, name)}
        reads = fp.reads | clock
        access = _ACCESS[key] = (reads, writes, reads - writes)
    return access


def _cell_mark(kind: str, name: str) -> tuple[str, ...]:
    """The mark of a store into a frame's own cell ``name``, or of a closure's load of a free
    variable ``name``: each conflicts with the other kind of the same name only."""
    mark = (kind, name)
    if mark not in _MARKS:
        other = (_LOAD if kind == _STORE else _STORE, name)
        _MARKS[mark], _MARKS[other] = other, mark
    return mark


_STORE, _LOAD = "*cell-store", "*free-load"
_NO_READS: frozenset = frozenset()
_CLOCK = ("clock",)  # the virtual clock: timeouts move it
_CLOCK_READ = frozenset({_CLOCK})
_ACCESS: dict = {}
_ACCESS_SIZE = 4096


class _Run:
    """The race analysis of one finished run (vector clocks over the executed steps)."""

    def __init__(self, events, pending, horizon, offered, settled) -> None:
        self.settled = settled
        self.events = events
        self.pending = pending
        self.horizon = horizon
        self.offered = offered
        tids = {e.tid for e in events} | {c.tid for c, _ in pending}
        self.width = max(tids, default=-1) + 1

    def races(self, known: int = 0) -> Iterator[tuple[int, list[Key]]]:
        events, width = self.events, self.width
        clocks: list[list[int]] = []
        thread_clock: dict[int, list[int]] = {}
        thread_events: list[list[int]] = [[] for _ in range(width)]
        # Per key: the events that write it, and those that touch it; the marked events.
        writers: dict = {}
        touching: dict = {}
        last_write: dict = {}
        read_clock: dict = {}
        # Per mark: the clock of each thread's last event that carries it (their join is
        # what a step conflicting with the mark happens after; joined when one asks, most
        # marks are never asked for), and that join while no marked event came since.
        mark_last: dict[tuple, dict[int, list[int]]] = {}
        mark_clock: dict[tuple, list[int]] = {}
        marked: dict = {}
        universal_events: list[int] = []
        universal_clock: list[int] | None = None
        zero = [0] * width
        previous: list[int] = []  # previous event of the same thread, per event
        accesses = [_access(e) for e in events]
        for index, event in enumerate(events):
            tid = event.tid
            mine = thread_events[tid]
            previous.append(mine[-1] if mine else -1)
            clock = list(thread_clock.get(tid, zero))
            access = accesses[index]
            if access is None:
                # After every earlier event: each thread's last one (clocks grow along a
                # thread).
                for other in thread_clock.values():
                    clock = _join(clock, other)
            else:
                reads, writes, _ = access
                if universal_clock is not None:
                    clock = _join(clock, universal_clock)
                for k in reads:
                    if k in last_write:
                        clock = _join(clock, last_write[k])
                for k in writes:
                    if k in _MARKS:
                        other_mark = _MARKS[k]
                        if other_mark in mark_last:
                            joined = mark_clock.get(other_mark)
                            if joined is None:
                                joined = zero
                                for c in mark_last[other_mark].values():
                                    joined = _join(joined, c)
                                mark_clock[other_mark] = joined
                            clock = _join(clock, joined)
                    elif k in read_clock:
                        clock = _join(clock, read_clock[k])
            clock[tid] += 1
            clocks.append(clock)
            thread_clock[tid] = clock
            mine.append(index)
            if access is None:
                universal_clock = clock
                universal_events.append(index)
            else:
                reads, writes, reads_only = access
                for k in writes:
                    if k in _MARKS:
                        mark_last.setdefault(k, {})[tid] = clock
                        mark_clock.pop(k, None)
                        stream = marked.get(k)
                        if stream is None:
                            stream = marked[k] = _Stream()
                        stream.add(index, tid)
                        continue
                    last_write[k] = read_clock[k] = clock
                    writers.setdefault(k, []).append(index)
                    stream = touching.get(k)
                    if stream is None:
                        stream = touching[k] = _Stream()
                    stream.add(index, tid)
                for k in reads_only:
                    read_clock[k] = _join(read_clock.get(k, zero), clock)
                    stream = touching.get(k)
                    if stream is None:
                        stream = touching[k] = _Stream()
                    stream.add(index, tid)
        work = [(events[m], m, previous[m]) for m in range(known, len(events))]
        for choice, m in self.pending:
            if m < known:
                continue
            mine = thread_events[choice.tid]
            k = bisect_left(mine, m)
            work.append((choice, m, mine[k - 1] if k else -1))
        self.offered_at: dict[int, set[Key]] = {}
        # The steps on a lock taken while it was held (its release, a try-acquire that fails).
        # Every later step on the lock happens after such a step, so no reordering that
        # leaves it out frees the lock: a blocking acquire cannot be reversed with it.
        on_held: set[int] = set()
        held: set[int] = set()
        for index, event in enumerate(events):
            if event.timeout:
                continue
            if event.obj is None:
                if event.access == "release":
                    held.clear()  # a lock not known (an unknown footprint) was released
                continue
            if event.obj in held:
                on_held.add(index)
            if event.access in ("acquire", "try-acquire"):
                held.add(event.obj)  # taken, or already held (a try-acquire that fails)
            elif event.access == "release":
                held.discard(event.obj)
        self.clocks, self.thread_events = clocks, thread_events
        self.universal_events = universal_events
        for event, m, j in work:
            tid = event.tid
            if j + 1 > self.horizon:
                continue
            clock = clocks[j] if j >= 0 else zero
            access = accesses[m] if m < len(events) and events[m] is event else _access(event)
            # The streams of steps dependent with the event. A list: steps that are mutually
            # dependent, so the ones not before tid's state are a suffix. A _Stream: accesses
            # to one key (or marked steps), not all ordered among themselves: per thread, the
            # ones not before tid's state are a suffix (program order).
            if access is None:
                streams: list = [thread_events[q] for q in range(width) if q != tid]
            else:
                reads, writes, reads_only = access
                streams = [universal_events]
                for k in writes:
                    if k in _MARKS:
                        if _MARKS[k] in marked:
                            streams.append(marked[_MARKS[k]])
                    elif k in touching:
                        streams.append(touching[k])
                for k in reads_only:
                    if k in writers:
                        streams.append(writers[k])
            # (a) the dependent steps up to j that do not happen before tid's state. (Flanagan
            # and Godefroid take the last that may be co-enabled with the pending step; we
            # cannot tell which may, so all.)
            candidates = set()
            for stream in streams:
                for run in stream.per_thread.values() if isinstance(stream, _Stream) else (stream,):
                    k = bisect_right(run, j) - 1
                    while k >= 0:
                        i = run[k]
                        t = events[i].tid
                        if clocks[i][t] <= clock[t]:
                            break
                        if t != tid:
                            candidates.add(i)
                        k -= 1
            # (b) every dependent step between tid's last step and min(m, horizon).
            end = min(m, self.horizon)
            if access is None:
                candidates.update(range(j + 1, end))
            else:
                for stream in streams:
                    run = stream.all if isinstance(stream, _Stream) else stream
                    candidates.update(run[bisect_left(run, j + 1) : bisect_left(run, end)])
            candidates.discard(-1)
            if not candidates:
                continue
            acquire = event.access == "acquire" and not (event.timeout or event.can_time_out)
            settled = self.settled
            later = _Later(self, event, j, end)
            for i in sorted(candidates, reverse=True):
                if events[i].tid == tid or settled(i):
                    continue
                if i > j and self._enables(i, event.key, m):
                    continue
                if acquire and i in on_held and events[i].obj == event.obj:
                    continue  # a step on a held lock and an acquire are never co-enabled
                    # (an acquire that may time out is: its timeout waits for the lock held)
                wanted = self._wanted(i, event, end, j, later)
                if j < i and wanted == [event.key] and self._not_offered(i, event.key):
                    # Nothing comes between: the reversal is the pending step at state i, and
                    # it is not offered there (a timeout while the step it stands for can run).
                    continue
                yield i, wanted

    def _offered(self, k: int) -> set[Key] | None:
        """The keys offered at state ``k``, when known."""
        if k not in self.offered_at:
            self.offered_at[k] = self.offered(k)
        return self.offered_at[k]

    def _not_offered(self, i: int, key: Key) -> bool:
        """Known not to be offered at state ``i`` (a timeout while its step could run)."""
        offered = self._offered(i)
        return offered is not None and key not in offered

    def _enables(self, i: int, key: Key, m: int) -> bool:
        """Step ``i`` made the idle pending step ``key`` possible: disabled at state ``i``,
        offered at state ``i + 1``. Such a pair is never enabled at once (a release and the
        acquire it lets through; the acquire that blocks a thread and its timeout): no race."""
        before = self._offered(i)
        if before is None or key in before:
            return False
        if i + 1 == m and m < len(self.events):
            return True
        after = self._offered(i + 1)
        return after is not None and key in after

    def _wanted(self, i: int, event: Choice, m: int, j: int, later: _Later) -> list[Key]:
        """A source set for reversing step ``i`` and ``event``, pending from state ``j + 1`` to
        state ``m`` (at most the horizon: a ghost's steps were never explored).

        That is (Abdulla et al., POPL 2014) the *initials* of ``v``: the steps in ``(i, m)``
        that do not happen after step ``i``, then ``event``; an initial is a step of ``v`` that
        nothing earlier in ``v`` happens before. Earliest first. ``later`` answers whether a
        step of ``v`` is dependent with ``event``.
        """
        events, clocks = self.events, self.clocks
        ti = events[i].tid
        after_i = clocks[i][ti]  # u happens after step i iff clocks[u][ti] >= after_i
        firsts = []
        for stream in self.thread_events:
            k = bisect_right(stream, i)
            if k < len(stream) and stream[k] < m and clocks[stream[k]][ti] < after_i:
                firsts.append(stream[k])
        firsts.sort()
        wanted = [
            events[u].key
            for u in firsts
            if not any(
                w < u and clocks[w][events[w].tid] <= clocks[u][events[w].tid] for w in firsts
            )
        ]
        # The pending step's thread has no step in v: is anything in v dependent with it?
        if j < i and not later.blocks(i, ti, after_i):
            wanted.append(event.key)
        return wanted


class _Stream:
    """The steps that touch one key (or carry one mark), in trace order: all of them, and
    those of each thread."""

    __slots__ = ("all", "per_thread")

    def __init__(self) -> None:
        self.all: list[int] = []
        self.per_thread: dict[int, list[int]] = {}

    def add(self, index: int, tid: int) -> None:
        self.all.append(index)
        self.per_thread.setdefault(tid, []).append(index)


class _Later:
    """For one pending step: which steps in ``(j, end)`` are dependent with it, found once
    (not once per race: a thread passed over for a long run of steps has many), with each
    thread's smallest clock entry over every suffix of them."""

    def __init__(self, run: _Run, event: Choice, j: int, end: int) -> None:
        self.run, self.event, self.j, self.end = run, event, j, end
        self.steps: list[int] | None = None
        self.least: dict[int, list[int]] = {}

    def blocks(self, i: int, ti: int, after_i: int) -> bool:
        """Some step in ``(i, end)`` that does not happen after step ``i`` (of thread ``ti``,
        ``after_i`` its own clock entry) is dependent with the pending step."""
        events, clocks = self.run.events, self.run.clocks
        if self.steps is None:
            self.steps = [
                u for u in range(self.j + 1, self.end) if dependent(events[u], self.event)
            ]
        least = self.least.get(ti)
        if least is None:  # least[k]: the smallest clocks[u][ti] over steps[k:]
            least = [clocks[u][ti] for u in self.steps]
            for k in range(len(least) - 2, -1, -1):
                least[k] = min(least[k], least[k + 1])
            self.least[ti] = least
        k = bisect_right(self.steps, i)
        return k < len(self.steps) and least[k] < after_i


def _join(a: list[int], b: list[int]) -> list[int]:
    return [x if x > y else y for x, y in zip(a, b, strict=True)]
