"""Exhaustive depth-first search over the choices, with partial-order reduction.

Stateless: every schedule re-executes the program from the start, follows the stored prefix of
the search stack, takes the next untried choice at the deepest node that has one, and extends
the stack with new nodes from there (at a new node it keeps running the thread that ran last
when it can, else the first option).

Parameters:

* ``reduction`` (bool, default True): dynamic partial-order reduction with sleep sets. After
  each run, :func:`~barrierlab.checker.schedulers.dpor.races` names the states where another
  order of two racing steps must be tried (added to that state's *backtrack set*; a new state
  starts with only its first choice there), and a choice is skipped while it sits in the
  state's *sleep set* (it commutes with everything done since an equivalent branch was
  explored). At least one schedule of every Mazurkiewicz trace runs, and no two complete
  schedules of the same trace do; a run that reaches a state whose every option sleeps is
  *redundant*: it is finished with arbitrary choices and counted in :attr:`redundant`. For
  soundness on runs that end with blocked threads the runtime reports what they wait for
  (``report_blocked``); untold, DFS assumes they touch everything. Likewise it is told which
  steps read no virtual time (``quiet``): a timeout commutes with those only, so untold, a
  timeout is reordered with every step. False: plain DFS, every interleaving (for benchmarks
  and tests).
* ``preemption_bound`` (int or None, default None): skip choices that would make more than this
  many preemptions (switching away from the thread that ran the previous step while it still
  offers a step). :attr:`bounded` tells whether the bound pruned anything. With reduction the
  bound is a search heuristic; without, exactly the schedules within the bound run.
* ``max_schedules`` (int or None, default None): stop after that many schedules;
  :attr:`capped` tells whether that cut the search.
* ``sleep`` (mapping of keys to choices, default empty): the sleep set of the first state, for
  a search that explores one subtree of another's (see :meth:`DFSScheduler.split_off`).

:meth:`DFSScheduler.split_off`, between two schedules, gives away the untried branches of the
shallowest state that has any, each with the sleep set its subtree starts with, and marks them
done here: the search goes on below, the branches given away can run elsewhere, and together
they explore what this search would have (see the method for why that stays sound).

:attr:`exhaustive` is True only when the search tree was fully explored, no run was cut short,
no bound pruned anything and the cap was not hit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from barrierlab.checker.schedulers.base import Choice, check_int, dependent
from barrierlab.checker.schedulers.dpor import Key, races
from barrierlab.model.errors import TargetError

__all__ = ["DFSScheduler"]


class _Node:
    """A state on the search stack: what was offered there and what to explore from it."""

    __slots__ = (
        "backtrack",
        "chosen",
        "done",
        "last_tid",
        "options",
        "preemptions",
        "sleep",
        "taken",
    )

    def __init__(self, options, chosen, sleep, last_tid, preemptions):
        self.options: tuple[Choice, ...] = options
        self.chosen: Choice = chosen
        self.sleep: dict[Key, Choice] = sleep  # on entry
        self.done: set[Key] = {chosen.key}
        self.backtrack: set[Key] = {chosen.key}
        self.last_tid: int | None = last_tid  # the thread of the step before this state
        self.preemptions = preemptions  # used before this state
        #: Each choice tried here as it ran, when that told more than the option (it read no
        #: time: ``quiet``). The same at every visit: the state is the same.
        self.taken: dict[Key, Choice] = {}

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
        sleep: Mapping[Key, Choice] | None = None,
    ) -> None:
        check_int("preemption_bound", preemption_bound, minimum=0, optional=True)
        check_int("max_schedules", max_schedules, minimum=1, optional=True)
        self.reduction = bool(reduction)
        self.preemption_bound = preemption_bound
        self.max_schedules = max_schedules
        self._root_sleep: dict[Key, Choice] = dict(sleep or {})
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
        # The steps of the next run that repeat those of an analysed run: the stack up to the
        # state where it branches (see dpor.races, ``known``).
        self._known = 0

    @property
    def exhaustive(self) -> bool:
        return self.complete and not (self.cut_short or self.bounded or self.capped)

    @property
    def last_run(self) -> tuple[Choice, ...]:
        """The steps of the current (or last) run as they ran (``quiet`` where told)."""
        return tuple(self._events)

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

    def quiet(self) -> None:
        """The optional hook: the step chosen last read no virtual time. The race analysis
        and the sleep sets then see it as it ran (a timeout commutes with it)."""
        position = len(self._events) - 1
        if position < 0:
            return
        ran = replace(self._events[position], quiet=True)
        self._events[position] = ran
        if self._ghost_from is None and position < len(self._stack):
            self._stack[position].taken[ran.key] = ran

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
        sleep: dict[Key, Choice] = dict(self._root_sleep) if self.reduction else {}
        preemptions = 0
        if self._stack:
            parent = self._stack[-1]
            preemptions = parent.preemptions + parent.is_preemption(parent.chosen.key)
            if self.reduction:
                asleep = dict(parent.sleep)
                for option in parent.options:
                    if option.key in parent.done and option != parent.chosen:
                        asleep[option.key] = parent.taken.get(option.key, option)
                ran = self._events[-1]  # parent.chosen as it ran
                sleep = {k: c for k, c in asleep.items() if not dependent(c, ran)}
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
            events = self._events
            horizon = len(events) if self._ghost_from is None else self._ghost_from
            pending = self._pending(cut_short)
            found = races(
                events, pending, horizon, self._offered_at, self._settled, known=self._known
            )
            for i, wanted in found:
                self._add(i, wanted)
        self._advance()

    def _pending(self, cut_short: bool) -> list[tuple[Choice, int]]:
        """The steps pending but not taken, each with the position where its thread next
        stepped (the end of the run for threads that never did)."""
        end = len(self._events)
        pending = list(self._untaken)
        known = set()
        for tid, offers in self._offered.items():
            pending += [(choice, end) for choice in offers.values()]
            known.add(tid)
        for choice in self._blocked or ():
            if choice.tid not in known:
                pending.append((choice, end))
                known.add(choice.tid)
        if self._blocked is None or cut_short:  # never told what blocked threads wait for
            seen = {e.tid for e in self._events} | set(self._offered)
            pending += [(Choice(tid), end) for tid in sorted(seen - known)]
        return pending

    def _settled(self, i: int) -> bool:
        node = self._stack[i]
        return len(node.backtrack) + len(node.sleep) >= len(node.options) and all(
            o.key in node.backtrack or o.key in node.sleep for o in node.options
        )

    def _offered_at(self, k: int) -> set[Key] | None:
        """The keys offered at state ``k`` of the last run, if it was a node of the tree."""
        return {o.key for o in self._stack[k].options} if k < len(self._stack) else None

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
                self._known = len(stack) - 1
                return
            stack.pop()
        self.complete = True

    def split_off(self) -> list[tuple[tuple[Key, ...], dict[Key, Choice]]]:
        """Give away the untried branches of the shallowest state that has any.

        Call it between schedules (after :meth:`finish`). Returns one ``(path, sleep)`` per
        branch, in the order this search would have taken them: ``path`` is the keys of the
        choices from the first state to the branch's first step, ``sleep`` the sleep set of
        the state after it (what a search of that subtree starts with: ``sleep=``). They are
        marked done here, so this search goes on with the rest. Empty when there is nothing to
        give (the search is complete, or every state on the stack has tried or slept all its
        options), and under a preemption bound (a subtree would need the preemptions used
        before it).

        Why nothing is lost: every option of that state not tried and not asleep is given
        away, not only those in its backtrack set, so a race found later (here or in a
        subtree given away) that asks for another order at that state or above finds it done
        already; and each branch's sleep set is the one this search would have given it,
        taking the branches in the order returned, after those tried here.
        """
        if self.complete or self.preemption_bound is not None:
            return []
        for depth, node in enumerate(self._stack):
            untried = [
                o for o in node.options if o.key not in node.done and o.key not in node.sleep
            ]
            if not untried:
                continue
            path = tuple(n.chosen.key for n in self._stack[:depth])
            given = []
            for option in sorted(untried, key=lambda o: o.key):
                sleep: dict[Key, Choice] = {}
                if self.reduction:
                    asleep = dict(node.sleep)
                    for other in node.options:
                        if other.key in node.done:
                            asleep[other.key] = other
                    sleep = {k: c for k, c in asleep.items() if not dependent(c, option)}
                node.done.add(option.key)
                given.append(((*path, option.key), sleep))
            return given
        return []

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
