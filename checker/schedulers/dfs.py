"""Exhaustive depth-first search over the choices, with partial-order reduction.

Stateless: every schedule re-executes the program from the start, follows the stored prefix of
the search stack, takes the next untried choice at the deepest node that has one, and extends
the stack with new nodes from there (at a new node it keeps running the thread that ran last
when it can, else the first option).

Parameters:

* ``reduction`` (bool, default True): dynamic partial-order reduction (Flanagan and Godefroid,
  POPL 2005) with sleep sets. After each run, every pair of dependent steps of different
  threads that could have happened the other way round (a *race*, judged with vector clocks
  over :func:`~barrierlab.checker.schedulers.base.dependent`) adds the second thread to the
  *backtrack set* of the state before the first; only backtrack sets are explored, and a choice
  is skipped while it sits in the state's *sleep set* (it commutes with everything done since
  an equivalent branch was explored). At least one schedule of every Mazurkiewicz trace runs,
  and no two complete schedules of the same trace do; a run whose every option sleeps is
  *redundant* (finished with arbitrary choices, counted in :attr:`redundant`). A thread's
  pending step is learnt when it runs, or from the ``blocked`` hook for threads blocked at the
  end; a thread never seen that way is assumed to touch everything. False: plain DFS, every
  interleaving (for benchmarks and tests).
* ``preemption_bound`` (int or None, default None): skip choices that would make more than this
  many preemptions (switching away from the thread that ran the previous step while it still
  offers a step). :attr:`bounded` tells whether the bound pruned anything. With reduction the
  bound is a search heuristic; without, exactly the schedules within the bound run.
* ``max_schedules`` (int or None, default None): stop after that many schedules;
  :attr:`capped` tells whether that cut the search.

:attr:`exhaustive` is True only when the search tree was fully explored, no run was cut short,
no bound pruned anything and the cap was not hit.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from barrierlab.checker.schedulers.base import Choice, check_int, dependent
from barrierlab.model.errors import TargetError

__all__ = ["DFSScheduler"]

Key = tuple[int, bool]


def _universal(c: Choice) -> bool:
    return c.timeout or c.obj is None


class _Node:
    """A state on the search stack: what was offered there and what to explore from it."""

    __slots__ = ("backtrack", "chosen", "done", "last_tid", "options", "preemptions", "sleep")

    def __init__(self, options, chosen, sleep, last_tid, preemptions):
        self.options: tuple[Choice, ...] = options
        self.chosen: Choice = chosen
        self.sleep: dict[Key, Choice] = sleep  # on entry
        self.done: set[Key] = {chosen.key}
        self.backtrack: set[Key] = {chosen.key}
        self.last_tid: int | None = last_tid  # the thread of the step before this state
        self.preemptions = preemptions  # used before this state

    def is_preemption(self, key: Key) -> bool:
        last = self.last_tid
        return (
            last is not None
            and key[0] != last
            and any(o.tid == last and not o.timeout for o in self.options)
        )

    def keys_of(self, tid: int) -> list[Key]:
        return [o.key for o in self.options if o.tid == tid]


class DFSScheduler:
    """Stateless exhaustive DFS with DPOR + sleep sets; see the module docstring."""

    name = "dfs"

    def __init__(
        self,
        reduction: bool = True,
        preemption_bound: int | None = None,
        max_schedules: int | None = None,
    ) -> None:
        check_int("preemption_bound", preemption_bound, minimum=0, optional=True)
        check_int("max_schedules", max_schedules, minimum=1, optional=True)
        self.reduction = bool(reduction)
        self.preemption_bound = preemption_bound
        self.max_schedules = max_schedules
        #: Schedules run so far, and how many of them were redundant (every option slept).
        self.schedules = 0
        self.redundant = 0
        #: The bound pruned a choice / a run was cut short / ``max_schedules`` stopped the search.
        self.bounded = False
        self.cut_short = False
        self.capped = False
        #: The whole tree has been explored (within the bound).
        self.complete = False
        self._stack: list[_Node] = []
        self._position = 0
        self._ghost_from: int | None = None  # position where the run left the tree
        self._events: list[Choice] = []
        # For the race analysis: what each thread offered since its last step, the choices it
        # offered but did not take (with the position of its next step).
        self._offered: dict[int, dict[Key, Choice]] = {}
        self._untaken: list[tuple[Choice, int]] = []
        self._blocked: list[Choice] | None = None

    @property
    def exhaustive(self) -> bool:
        return self.complete and not (self.cut_short or self.bounded or self.capped)

    def start(self) -> bool:
        if self.complete:
            return False
        if self.max_schedules is not None and self.schedules >= self.max_schedules:
            self.capped = True
            return False
        self._position = 0
        self._ghost_from = None
        self._events = []
        self._offered = {}
        self._untaken = []
        self._blocked = None
        return True

    def blocked(self, pending: Sequence[Choice]) -> None:
        """The optional hook: the pending steps of threads blocked at the end of the run."""
        self._blocked = list(pending)

    def choose(self, options: Sequence[Choice]) -> Choice:
        position = self._position
        self._position += 1
        last_tid = self._events[-1].tid if self._events else None
        if position < len(self._stack) and self._ghost_from is None:
            node = self._stack[position]
            if tuple(options) != node.options:
                raise TargetError(
                    f"the program offered {list(options)} at scheduling point {position} where "
                    f"an earlier run of the same choices offered {list(node.options)}: is the "
                    "target deterministic (no real time, randomness or uncontrolled threads)?"
                )
            choice = options[node.options.index(node.chosen)]
        elif self._ghost_from is not None:
            choice = self._default(options, last_tid, options)
        else:
            choice = self._extend(options, last_tid, position)
        self._events.append(choice)
        if self.reduction:
            offered = self._offered
            for option in options:
                offered.setdefault(option.tid, {})[option.key] = option
            for key, option in offered.pop(choice.tid).items():
                if key != choice.key:
                    self._untaken.append((option, position))
        return choice

    def _default(self, options, last_tid, candidates):
        for option in candidates:
            if option.tid == last_tid and not option.timeout:
                return option
        return candidates[0]

    def _extend(self, options, last_tid, position):
        sleep: dict[Key, Choice] = {}
        preemptions = 0
        if self._stack:
            parent = self._stack[-1]
            preemptions = parent.preemptions + parent.is_preemption(parent.chosen.key)
            if self.reduction:
                asleep = dict(parent.sleep)
                for option in parent.options:
                    if option.key in parent.done and option != parent.chosen:
                        asleep[option.key] = option
                sleep = {k: c for k, c in asleep.items() if not dependent(c, parent.chosen)}
        node = _Node(tuple(options), options[0], sleep, last_tid, preemptions)
        candidates = [o for o in options if o.key not in sleep]
        if candidates and self.preemption_bound is not None:
            within = [
                o
                for o in candidates
                if preemptions + node.is_preemption(o.key) <= self.preemption_bound
            ]
            self.bounded |= len(within) < len(candidates)
            candidates = within
        if not candidates:
            self._ghost_from = position
            return self._default(options, last_tid, options)
        choice = self._default(options, last_tid, candidates)
        node.chosen = choice
        node.done = {choice.key}
        node.backtrack = (
            set(node.keys_of(choice.tid)) if self.reduction else {o.key for o in options}
        )
        self._stack.append(node)
        return choice

    def finish(self, cut_short: bool = False) -> None:
        self.schedules += 1
        self.cut_short |= cut_short
        if self._ghost_from is not None:
            self.redundant += 1
        if self.reduction:
            _Races(self, cut_short).add_backtracks()
        self._advance()

    def _advance(self) -> None:
        """Move the stack to the next branch to explore, or mark the search complete."""
        stack = self._stack
        while stack:
            node = stack[-1]
            for key in sorted(node.backtrack - node.done - node.sleep.keys()):
                node.done.add(key)
                bound = self.preemption_bound
                if bound is not None and node.preemptions + node.is_preemption(key) > bound:
                    self.bounded = True
                    continue
                node.chosen = next(o for o in node.options if o.key == key)
                return
            stack.pop()
        self.complete = True

    def _add(self, i: int, wanted: Sequence[Key]) -> None:
        """Make state ``i`` explore one of the steps ``wanted`` (every choice of the first thread
        that can run there), unless one is already in its backtrack or sleep set; when none of
        their threads can run there, every option."""
        node = self._stack[i]
        if any(k in node.backtrack or k in node.sleep for k in wanted):
            return
        offered = {o.key for o in node.options}
        for key in wanted:
            if key in offered:
                tid, keys = key[0], node.keys_of(key[0])
                break
        else:
            tid, keys = -1, list(offered)
        node.backtrack.update(keys)
        if self.preemption_bound is not None and tid >= 0:
            # Coons et al. (bounded POR): also where the block of steps containing i began.
            first = i
            while first > 0 and self._stack[first - 1].chosen.tid == node.chosen.tid:
                first -= 1
            self._stack[first].backtrack.update(self._stack[first].keys_of(tid))


class _Races:
    """The race analysis of one finished run (vector clocks over the executed steps)."""

    def __init__(self, dfs: DFSScheduler, cut_short: bool) -> None:
        self.dfs = dfs
        events = dfs._events
        self.events = events
        # States 0..horizon are states the search really visited (past it, the run was a ghost).
        self.horizon = len(events) if dfs._ghost_from is None else dfs._ghost_from
        # Steps that were pending but not taken: (choice, position of the thread's next step).
        pending = list(dfs._untaken)
        end = len(events)
        known = set()
        for tid, offers in dfs._offered.items():
            pending += [(choice, end) for choice in offers.values()]
            known.add(tid)
        for choice in dfs._blocked or ():
            if choice.tid not in known:
                pending.append((choice, end))
                known.add(choice.tid)
        if dfs._blocked is None or cut_short:  # never told what blocked threads wait for
            seen = {e.tid for e in events} | set(dfs._offered)
            pending += [(Choice(tid), end) for tid in sorted(seen - known)]
        self.pending = pending
        tids = {e.tid for e in events} | {c.tid for c, _ in pending}
        self.width = max(tids, default=-1) + 1

    def add_backtracks(self) -> None:
        events, width = self.events, self.width
        clocks: list[list[int]] = []
        thread_clock: dict[int, list[int]] = {}
        thread_events: list[list[int]] = [[] for _ in range(width)]
        obj_events: dict[int, list[int]] = {}
        universal_events: list[int] = []
        obj_clock: dict[int, list[int]] = {}
        universal_clock = [0] * width
        all_clock = [0] * width
        zero = [0] * width
        previous: list[int] = []  # previous event of the same thread, per event
        for index, event in enumerate(events):
            tid = event.tid
            mine = thread_events[tid]
            previous.append(mine[-1] if mine else -1)
            clock = thread_clock.get(tid, zero)
            other = (
                all_clock
                if _universal(event)
                else _join(obj_clock.get(event.obj, zero), universal_clock)
            )
            clock = _join(clock, other)
            clock[tid] += 1
            clocks.append(clock)
            thread_clock[tid] = clock
            mine.append(index)
            all_clock = _join(all_clock, clock)
            if _universal(event):
                universal_clock = clock
                universal_events.append(index)
            else:
                obj_clock[event.obj] = clock
                obj_events.setdefault(event.obj, []).append(index)
        work = [(events[m], m, previous[m]) for m in range(len(events))]
        for choice, m in self.pending:
            mine = thread_events[choice.tid]
            k = bisect_left(mine, m)
            work.append((choice, m, mine[k - 1] if k else -1))
        self.offered_at: dict[int, set[Key]] = {}
        # Releases of a lock that was held (after an acquire or try-acquire of it).
        valid_release: set[int] = set()
        held: set[int] = set()
        for index, event in enumerate(events):
            if event.timeout or event.obj is None:
                continue
            if event.access in ("acquire", "try-acquire"):
                held.add(event.obj)
            elif event.access == "release":
                if event.obj in held:
                    valid_release.add(index)
                held.discard(event.obj)
        self.clocks, self.thread_events = clocks, thread_events
        self.obj_events, self.universal_events = obj_events, universal_events
        add = self.dfs._add
        for event, m, j in work:
            tid = event.tid
            if j + 1 > self.horizon:
                continue
            clock = clocks[j] if j >= 0 else zero
            # (a) the dependent steps up to j that do not happen before tid's state. (Flanagan
            # and Godefroid take the last that may be co-enabled with the pending step; we
            # cannot tell which may, so all: in a stream of mutually dependent steps, the ones
            # not before tid's state are a suffix.)
            if _universal(event):
                streams = [thread_events[q] for q in range(width) if q != tid]
            else:
                streams = [obj_events.get(event.obj, []), universal_events]
            candidates = []
            for stream in streams:
                k = bisect_right(stream, j) - 1
                while k >= 0:
                    i = stream[k]
                    t = events[i].tid
                    if clocks[i][t] <= clock[t]:
                        break
                    candidates.append(i)
                    k -= 1
            # (b) every dependent step between tid's last step and min(m, horizon).
            end = min(m, self.horizon)
            if _universal(event):
                candidates += range(j + 1, end)
            else:
                for stream in (obj_events.get(event.obj, []), universal_events):
                    candidates += stream[bisect_left(stream, j + 1) : bisect_left(stream, end)]
            acquire = event.access == "acquire" and not (event.timeout or event.can_time_out)
            for i in candidates:
                if i > j and self._enables(i, event.key, m):
                    continue
                if acquire and i in valid_release and events[i].obj == event.obj:
                    continue  # a release of a held lock and an acquire are never co-enabled
                    # (an acquire that may time out is: its timeout waits for the lock held)
                add(i, self._wanted(i, event, end, j))

    def _offered(self, k: int) -> set[Key] | None:
        """The keys offered at state ``k``, when known."""
        offered = self.offered_at.get(k)
        if offered is None and k < len(self.dfs._stack):
            offered = self.offered_at[k] = {o.key for o in self.dfs._stack[k].options}
        return offered

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

    def _wanted(self, i: int, event: Choice, m: int, j: int) -> list[Key]:
        """A source set for reversing step ``i`` and ``event``, pending from state ``j + 1`` to
        state ``m`` (at most the horizon: a ghost's steps were never explored).

        That is (Abdulla et al., POPL 2014) the *initials* of ``v``: the steps in ``(i, m)``
        that do not happen after step ``i``, then ``event``; an initial is a step of ``v`` that
        nothing earlier in ``v`` happens before. Earliest first.
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
        if j < i:  # the pending step's thread has no step in v: is anything in v dependent?
            if _universal(event):
                blocked = bool(firsts)
            else:
                blocked = False
                for stream in (self.obj_events.get(event.obj, []), self.universal_events):
                    k = bisect_right(stream, i)
                    if k < len(stream) and stream[k] < m and clocks[stream[k]][ti] < after_i:
                        blocked = True
            if not blocked:
                wanted.append(event.key)
        return wanted


def _join(a: list[int], b: list[int]) -> list[int]:
    return [x if x > y else y for x, y in zip(a, b, strict=True)]
