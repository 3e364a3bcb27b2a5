"""The barrier specification as a state machine: states, steps, and what both profiles share.

A spec is a model in the sense of stateright: an initial state, the steps enabled in a state,
and a step function. Steps come in two kinds:

* **observable** steps match one event of a trace (:meth:`Spec.observe`): a thread calls an
  operation, a call returns or raises, the action starts or ends;
* **internal** steps are the effects that happen *inside* a call, somewhere between its call
  and its return (:meth:`Spec.internal`): a wait arrives at the barrier, a generation is
  released, a timeout expires, a read takes its value, a reset or abort takes effect.

Acceptance (:mod:`barrierlab.model.accept`) and the state graph
(:mod:`barrierlab.model.graph`) are both built from these two functions, so they agree.

The abstract state
------------------

:class:`State` holds the barrier's *phase* (``F`` filling, ``B`` broken, and for the cpython
profile ``D`` draining and ``R`` resetting), what broke it, the full generation whose action is
due (``trip``), the generations that still have parties to return (each with the indices
already returned and how many arrived), and one status per thread:

=====================================================  ====================================
status (a record; its first field is the ``kind`` tag)  meaning
=====================================================  ====================================
``None``                                               idle: no call pending
``Calling("call", op, t0, tau, trule)``                called ``op`` at ``t0``; its effect
                                                       is not placed yet (``tau``: a wait's
                                                       effective timeout)
``Waiting("w", deadline, trule, gid, lo, hi)``         arrived in generation ``gid``, index
                                                       will be in ``range(lo, hi)`` (``hi``
                                                       None: still open)
``Running("run", gid)``                                (cpython) the last arrival, running
                                                       the action
``Released("ret", gid, lo, hi)``                       released: returns an index of
                                                       ``range(lo, hi)`` that no other party
                                                       of ``gid`` returned
``Failing("err", errors, cause)``                      will raise one of ``errors``;
                                                       ``cause`` is the rule that made it
                                                       fail (a :class:`Label`)
``Reading("read", op, values)``                        a pending read: it may return any of
                                                       ``values``, the values its attribute
                                                       had since the call
``Done("done", op)``                                   a reset or abort that took effect
=====================================================  ====================================

Each status is a :class:`typing.NamedTuple`: read its fields by name (``st.gid``); it hashes,
compares and sorts as the plain tuple it is, so states stay cheap, canonical and hashable. The
``kind`` tag tells the records apart where speed matters (``st.kind == "w"``, or ``st[0]``).

``trule`` is the rule a wait's timeout answers to (``R-TIMEOUT`` for an explicit timeout,
``R-TIMEOUT-DEFAULT`` for the constructor's, None for no timeout).

In *pool mode* (``make_spec(..., pool=True)``, used by acceptance when many threads are blocked
at once) a wait's effect is placed without naming its thread: ``threads`` then goes on past the
real threads with *virtual entries*, statuses like the above, and ``elig`` holds, for each, the
threads it may turn out to be (:mod:`barrierlab.model.pool`).

Determinism contract: :meth:`Spec.internal` and :meth:`Spec.observe` list their steps in a
fixed order for a given state (by thread id, then kind), and states never depend on hash
order, so every search built on them is reproducible.

>>> spec = make_spec("documented", parties=2)
>>> s = spec.initial(2)
>>> [t for _, t in spec.observe(s, Call(0, "wait"))][0].threads[0][:2]
('call', 'wait')
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Final, Literal, NamedTuple, cast

from barrierlab.model import pool as _pool
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.events import (
    BROKEN,
    OPS,
    READS,
    ActionEnd,
    ActionStart,
    Call,
    Event,
    Raise,
    Return,
)
from barrierlab.model.rules import check_profile
from barrierlab.model.versions import base_profile

__all__ = [
    "ALL",
    "EPS",
    "INF",
    "Calling",
    "Done",
    "Failing",
    "Label",
    "Reading",
    "Released",
    "Running",
    "Spec",
    "State",
    "Status",
    "Step",
    "Waiting",
    "describe_event",
    "make_spec",
]

INF: Final = math.inf
#: Slack when comparing a time with a deadline (both are sums of floats).
EPS: Final = 1e-9
#: The error set of a wait that fails with BrokenBarrierError.
BBE: Final = frozenset({BROKEN})
#: ``focus`` for :meth:`Spec.internal` that leaves no step out.
ALL: Final = -1
#: The name the state graph gives an action's exception.
ACTION_ERROR: Final = "ActionFailed"


class Label(str):
    """A rule ID a state carries only to explain a rejection (why a thread will raise, what
    broke the barrier). Labels are all equal to one another and hash alike, so states that
    differ only in their labels are one configuration: the first one found is kept."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Label) or str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return 0


class Step(NamedTuple):
    """A step of the spec: what happened, and the rules whose transition it is."""

    text: str
    rules: tuple[str, ...] = ()


class Calling(NamedTuple):
    """Called ``op`` at ``t0``; its effect is not placed yet."""

    kind: Literal["call"]
    op: str
    t0: float
    #: A wait's effective timeout (None: none); ``trule``: the rule it answers to.
    tau: float | None
    trule: str | None


class Waiting(NamedTuple):
    """Arrived in generation ``gid``; its index will be in ``range(lo, hi)``."""

    kind: Literal["w"]
    deadline: float
    trule: str | None
    gid: int
    lo: int
    #: None: the generation is still open.
    hi: int | None


class Running(NamedTuple):
    """(cpython) The last arrival of generation ``gid``, running the action."""

    kind: Literal["run"]
    gid: int


class Released(NamedTuple):
    """Released from ``gid``: returns an index of ``range(lo, hi)`` no other party returned."""

    kind: Literal["ret"]
    gid: int
    lo: int
    hi: int


class Failing(NamedTuple):
    """Will raise one of ``errors``; ``cause``: the rule that made it fail (a :class:`Label`)."""

    kind: Literal["err"]
    errors: frozenset[str]
    cause: str | None


class Reading(NamedTuple):
    """A pending read of ``op``: it may return any of ``values`` (the values seen so far)."""

    kind: Literal["read"]
    op: str
    values: frozenset[Any]


class Done(NamedTuple):
    """A reset or abort (``op``) that took effect."""

    kind: Literal["done"]
    op: str


#: A thread's status (None, idle, is not one).
Status = Calling | Waiting | Running | Released | Failing | Reading | Done


class State(NamedTuple):
    """An abstract barrier state (see the module docstring). Hashable and canonical."""

    phase: str
    cause: str | None
    trip: tuple[Any, ...] | None
    gen: int
    gens: tuple[tuple[frozenset[int], int], ...]
    mayfail: frozenset[int]
    threads: tuple[Status | None, ...]
    opened: float = 0.0
    elig: tuple[frozenset[int], ...] = ()


_new = tuple.__new__


def with_thread(s: State, tid: int, status: Status | None) -> State:
    """``s`` with thread ``tid``'s status replaced."""
    th = s[6]
    return _new(State, (*s[:6], (*th[:tid], status, *th[tid + 1 :]), *s[7:]))


def new_gen(s: State) -> State:
    """``s`` with a fresh, empty generation for arrivals to join."""
    return s._replace(gen=len(s.gens), gens=(*s.gens, (frozenset(), 0)))


def canon(s: State) -> State:
    """Renumber generations in order of first use and drop the ones nobody refers to."""
    order = {s.gen: 0}
    for st in s.threads:
        if st is not None and st[0] in ("w", "ret", "run"):
            gid = st.gid
            if gid not in order:
                order[gid] = len(order)
    if len(order) == len(s.gens) and all(k == v for k, v in order.items()):
        return s
    gens = [s.gens[0]] * len(order)
    for old, new in order.items():
        gens[new] = s.gens[old]
    threads: list[Status | None] = []
    for st in s.threads:
        if st is not None and st[0] == "w":
            st = _new(Waiting, (*st[:3], order[st.gid], *st[4:]))
        elif st is not None and st[0] in ("ret", "run"):
            st = _new(type(st), (st[0], order[st.gid], *st[2:]))
        threads.append(st)
    mayfail = frozenset(order[g] for g in s.mayfail if g in order)
    return s._replace(gen=0, gens=tuple(gens), mayfail=mayfail, threads=tuple(threads))


def describe_event(e: Event | Any) -> str:
    """One short line for an event, as counterexamples and ``allowed`` show it.

    >>> describe_event(Return(1, "wait", 0))
    't1 returns 0 from wait'
    """
    if isinstance(e, Call):
        arg = f"({e.timeout:g})" if e.op == "wait" and e.timeout is not None else ""
        return f"t{e.tid} calls {e.op}{arg}"
    if isinstance(e, Return):
        return f"t{e.tid} returns {e.value!r} from {e.op}"
    if isinstance(e, Raise):
        return f"t{e.tid} raises {e.error} from {e.op}"
    if isinstance(e, ActionStart):
        return f"t{e.tid} starts the action"
    if isinstance(e, ActionEnd):
        return f"t{e.tid} ends the action" + (f" raising {e.error}" if e.error else "")
    return repr(e)


def _fmt_status(st: Status | None, abstract: bool) -> str:
    if st is None:
        return "."
    if st[0] == "call":
        timed = "" if st.tau is None else ("T" if abstract else f"{st.tau:g}@{st.t0:g}")
        return f"call:{st.op}{'(' + timed + ')' if timed else ''}"
    if st[0] == "w":
        timed = "" if st.deadline == INF else ("T" if abstract else f"{st.deadline:g}")
        hi = "?" if st.hi is None else st.hi
        return f"w{st.gid}[{st.lo},{hi}){'(' + timed + ')' if timed else ''}"
    if st[0] == "run":
        return f"run{st.gid}"
    if st[0] == "ret":
        return f"ret{st.gid}[{st.lo},{st.hi})"
    if st[0] == "err":
        return f"err:{'|'.join(sorted(st.errors))}"
    if st[0] == "read":
        return f"read:{st.op}={'|'.join(map(str, sorted(st.values)))}"
    return f"done:{st.op}"


def state_key(s: State, pcs: tuple[int, ...] | None = None) -> str:
    """A deterministic string naming ``s`` with times abstracted away (a graph node's key).

    Two states that differ only in deadlines and call times have the same key, so the states a
    trace visits can be matched against the nodes of :func:`~barrierlab.model.graph.state_graph`.
    """
    gens = ",".join(
        f"{i}:{''.join(map(str, sorted(u)))}/{n}{'!' if i in s.mayfail else ''}"
        for i, (u, n) in enumerate(s.gens)
    )
    trip = "" if s.trip is None else "/".join(str(x) for x in (*s.trip[:3], bool(s.trip[3])))
    head = f"{s.phase}|{trip}|g{s.gen}|{gens}"
    n = _pool.real_count(s)
    threads = " ".join(
        _fmt_status(st, True) if tid < n else f"<{_pool.who(s, tid)}>{_fmt_status(st, True)}"
        for tid, st in enumerate(s.threads)
    )
    pc = "" if pcs is None else "pc" + ",".join(map(str, pcs)) + "|"
    return f"{pc}{head}|{threads}"


_READ_RULES: Final = {"n_waiting": "R-N-WAITING", "broken": "R-BROKEN-FLAG", "parties": "R-PARTIES"}
_PHASES: Final = {"F": "filling", "B": "broken", "D": "draining", "R": "resetting"}


def _human_status(s: State, st: Status) -> str:
    if st[0] == "call":
        return f"called {st.op}"
    if st[0] == "w":
        return "waiting"
    if st[0] == "run":
        return "running the action"
    if st[0] == "ret":
        free = [i for i in range(st.lo, st.hi) if i not in s.gens[st.gid][0]]
        return f"released (index {'/'.join(map(str, free))})"
    if st[0] == "err":
        return f"to raise {'/'.join(sorted(st.errors))}"
    if st[0] == "read":
        return f"reading {st.op} (seen {'/'.join(map(str, sorted(st.values)))})"
    return f"{st.op} done"


class Spec:
    """What both profiles share: calls, returns, reads, and the shape of a state.

    Subclasses define :meth:`internal`, the action steps and :meth:`n_waiting_values`.
    """

    profile: str = ""
    #: Extra rule IDs a profile's index check stands for (cpython: C-INDEX-ORDER).
    index_rules: tuple[str, ...] = ("R-INDEX",)
    #: False for a barrier whose ``wait()`` returns None: such a return stands for any index
    #: the spec allows there (the index checks are off; release and reuse are still judged).
    indices: bool = True

    def __init__(
        self,
        parties: int,
        *,
        has_action: bool = False,
        default_timeout: float | None = None,
        pool: bool = False,
    ) -> None:
        if not isinstance(parties, int) or isinstance(parties, bool) or parties < 1:
            raise InvalidArgument(f"parties must be an int >= 1, got {parties!r}")
        if default_timeout is not None and not (
            isinstance(default_timeout, int | float) and not math.isnan(default_timeout)
        ):
            raise InvalidArgument(
                f"default_timeout must be a number or None, not {default_timeout!r}"
            )
        self.parties = parties
        self.has_action = bool(has_action)
        self.default_timeout = default_timeout
        #: Pool mode: waits arrive as anonymous virtual entries (see :mod:`.pool`).
        self.pool = bool(pool)

    # -- the model ----------------------------------------------------------------------------

    def initial(self, n_threads: int) -> State:
        """The empty, unbroken barrier with ``n_threads`` idle threads."""
        return State("F", None, None, 0, ((frozenset(), 0),), frozenset(), (None,) * n_threads)

    def internal(
        self, s: State, now: float, earliest: float, focus: int = ALL
    ) -> list[tuple[Step, State]]:
        """The internal steps enabled in ``s`` (see :meth:`_internal`), reads noted."""
        out = self._internal(s, now, earliest, focus)
        if self.pool:
            out += self._pool_steps(s, earliest)
        if any(st is not None and st[0] == "read" for st in s.threads):
            out = [(step, self.note_reads(t)) for step, t in out]
        if self.pool:
            return [(step, u) for step, t in out if (u := self._settle(s, t)) is not None]
        return [(step, self.normalize(t)) for step, t in out]

    def normalize(self, s: State) -> State:
        """Called on every state an internal step leads to (cpython forgets what can't matter)."""
        return s

    def tidy(self, s: State) -> State:
        """``s`` in canonical form: generations renumbered, virtual entries sorted."""
        if not s.elig:
            return s
        s = _pool.sort_virtual(s)
        renumbered = canon(s)
        return s if renumbered is s else _pool.sort_virtual(renumbered)

    def _settle(self, s: State, t: State) -> State | None:
        """Pool mode: ``t`` with the real threads that left the pool out of it, tidied."""
        t = self.normalize(t)
        if s.elig:
            left = [
                tid
                for tid in range(_pool.real_count(s))
                if t.threads[tid] != s.threads[tid] and self.pooled(s.threads[tid])
            ]
            if left:
                left_pool: State | None = _pool.leave_pool(t, left)
                if left_pool is None:
                    return None
                t = left_pool
        return self.tidy(t)

    @staticmethod
    def pooled(st: Status | None) -> bool:
        """Whether a thread's status is a pending ``wait`` whose arrival pool mode defers."""
        return st is not None and st[0] == "call" and st.op == "wait"

    def _pool_steps(self, s: State, earliest: float) -> list[tuple[Step, State]]:
        """Pool mode: for each group of threads with the same pending wait, one anonymous
        arrival (a virtual entry that is one of them), if one of them is still unplaced."""
        groups: dict[Status, list[int]] = {}
        for tid, st in enumerate(s.threads[: _pool.real_count(s)]):
            if st is not None and self.pooled(st):
                groups.setdefault(st, []).append(tid)
        out: list[tuple[Step, State]] = []
        for status, members in groups.items():
            s2 = _pool.add_virtual(s, status, frozenset(members))
            if s2 is not None:
                out += self._anonymous_wait(s, s2, members, earliest)
        return out

    def _anonymous_wait(
        self, s: State, s2: State, members: list[int], earliest: float
    ) -> list[tuple[Step, State]]:
        """The steps of a wait that one of ``members`` called, placed as ``s2``'s new virtual
        entry (a profile may place it as each member in turn instead)."""
        tid = len(s2.threads) - 1
        st = s2.threads[tid]
        assert st is not None and st[0] == "call"  # invariant: the new entry is a pending wait
        return self._wait_steps(s2, tid, st, earliest)

    def _wait_steps(
        self, s: State, tid: int, st: Calling, earliest: float
    ) -> list[tuple[Step, State]]:
        """The steps by which thread ``tid``'s pending ``wait`` (status ``st``) takes effect."""
        raise NotImplementedError

    def note_reads(self, s: State) -> State:
        """``s`` with the current value of each pending read added to what it may return.

        A read may take effect at any moment between its call and its return, so instead of
        a step that picks the moment, a pending read collects the values it passes by.
        """
        threads = list(s.threads)
        changed = False
        for tid, st in enumerate(threads):
            if st is not None and st[0] == "read":
                vals = st.values | self.read_values(s, st.op)
                if vals != st.values:
                    threads[tid] = Reading("read", st.op, vals)
                    changed = True
        return s._replace(threads=tuple(threads)) if changed else s

    def _internal(
        self, s: State, now: float, earliest: float, focus: int = ALL
    ) -> list[tuple[Step, State]]:
        """The internal steps enabled in ``s`` if they happen at time ``now``.

        ``earliest`` is a lower bound on when the step may really have happened (the time of
        the last event that could not be reordered with it). ``focus`` is the thread of the
        event the steps lead up to (:data:`ALL`: no event, every step). A profile may leave
        out steps that only matter to the focus thread's own event when another thread has
        the focus (see the cpython profile's exits); it must keep every behaviour reachable.
        """
        raise NotImplementedError

    def n_waiting_values(self, s: State) -> frozenset[int]:
        """The values a read of ``n_waiting`` may take in ``s``."""
        raise NotImplementedError

    def action_step(self, s: State, e: ActionStart | ActionEnd) -> list[tuple[Step, State]]:
        """The steps matching an action event (profile specific)."""
        raise NotImplementedError

    def action_events(self, s: State) -> list[Event]:
        """The action events enabled in ``s`` (for the graph and for ``allowed``)."""
        raise NotImplementedError

    def settled(self, s: State) -> bool:
        """Whether steps taken in ``s`` commute with a return or raise (see accept)."""
        return True

    def close(self, s: State) -> State:
        """Called before every observable step (cpython closes its arrival segments)."""
        return s

    def last_arrival_pending(self, s: State, arrived: int) -> bool:
        """Whether a read of ``n_waiting`` may see ``parties`` because the last arrival is
        under way: ``arrived`` is ``parties - 1`` and a called ``wait`` has not taken effect.

        A real barrier counts the last arrival before it releases the generation (CPython's
        ``_count += 1`` comes before ``_release()``, the attribute is read without the lock),
        so a read in between sees ``parties`` even without an action.
        """
        return arrived == self.parties - 1 and any(
            st is not None and st.kind == "call" and st.op == "wait" for st in s.threads
        )

    def count(self, s: State) -> int:
        """Threads inside ``wait`` past the entry: arrived and not yet left."""
        return sum(1 for st in s.threads if st is not None and st[0] in ("w", "run"))

    def read_values(self, s: State, op: str) -> frozenset[Any]:
        if op == "parties":
            return frozenset({self.parties})
        if op == "broken":
            return frozenset({s.phase == "B"})
        return self.n_waiting_values(s)

    # -- observable steps ---------------------------------------------------------------------

    def observe(self, s: State, e: Event) -> list[tuple[Step, State]]:
        """The steps that match event ``e`` in ``s`` (none: ``e`` is not allowed there)."""
        out = self._observe(s, e)
        if self.pool:
            if (
                s.elig
                and type(e) is not Call
                and 0 <= e.tid < _pool.real_count(s)
                and self.pooled(s.threads[e.tid])
            ):
                for s2 in _pool.claims(s, e.tid):
                    out += self._observe(s2, e)
            out = [(step, self.tidy(t)) for step, t in out]
        if out and any(st is not None and st[0] == "read" for st in out[0][1].threads):
            out = [(step, self.note_reads(t)) for step, t in out]
        return out

    def _observe(self, s: State, e: Event) -> list[tuple[Step, State]]:
        tid = e.tid
        if not 0 <= tid < len(s.threads):
            return []
        s = self.close(s)
        st = s.threads[tid]
        if isinstance(e, Call):
            if st is not None or e.op not in OPS:
                return []
            return [(Step(describe_event(e)), with_thread(s, tid, self._call_status(e)))]
        if isinstance(e, Return):
            return self._return(s, tid, st, e)
        if isinstance(e, Raise):
            if st is None or e.op != "wait":
                return []
            text = describe_event(e)
            if st[0] == "err" and e.error in st.errors:
                # a failing status always names the rule that made it fail
                rules = ("R-ERROR-TYPE", cast(str, st.cause))
                return [(Step(text, rules), with_thread(s, tid, None))]
            if st[0] == "ret" and st.gid in s.mayfail and e.error == BROKEN:
                out = canon(with_thread(s, tid, None))
                return [(Step(text, ("R-ERROR-TYPE", "R-ABORT")), out)]
            return []
        if isinstance(e, ActionStart | ActionEnd):
            return self.action_step(s, e)
        return []

    def _call_status(self, e: Call) -> Calling | Reading:
        if e.op in READS:
            return Reading("read", e.op, frozenset())
        if e.op != "wait":
            return Calling("call", e.op, e.time, None, None)
        tau = e.timeout if e.timeout is not None else self.default_timeout
        if tau is None:  # the call time matters only to a timeout
            return Calling("call", "wait", 0.0, None, None)
        trule = "R-TIMEOUT" if e.timeout is not None else "R-TIMEOUT-DEFAULT"
        return Calling("call", "wait", e.time, max(0.0, float(tau)), trule)

    def _return(self, s: State, tid: int, st: Status | None, e: Return) -> list[tuple[Step, State]]:
        if st is None:
            return []
        v = e.value
        text = describe_event(e)
        if e.op == "wait":
            if v is None and not self.indices and st[0] == "ret":
                return self._anonymous_return(s, tid, st, text)
            if st[0] != "ret" or type(v) is not int or not st.lo <= v < st.hi:
                return []
            gid = st.gid
            used, n = s.gens[gid]
            if v in used:
                return []
            gens = list(s.gens)
            gens[gid] = (used | {v}, n)
            out = with_thread(s._replace(gens=tuple(gens)), tid, None)
            return [(Step(text, self.index_rules), canon(out))]
        if e.op in READS:
            if st[0] != "read" or st.op != e.op:
                return []
            want = bool if e.op == "broken" else int
            if type(v) is not want or v not in st.values:
                return []
            rule = _READ_RULES[e.op]
            rules = (
                (rule, "C-N-WAITING")
                if rule == "R-N-WAITING" and self.profile == "cpython"
                else (rule,)
            )
            return [(Step(text, rules), with_thread(s, tid, None))]
        if st[0] != "done" or st.op != e.op or v is not None:
            return []
        return [(Step(text), with_thread(s, tid, None))]

    def _anonymous_return(self, s: State, tid: int, st: Any, text: str) -> list[tuple[Step, State]]:
        """A ``wait()`` that returned None: each index still free for it, one state each."""
        gid = st.gid
        used, n = s.gens[gid]
        out = []
        for v in range(st.lo, st.hi):
            if v not in used:
                gens = list(s.gens)
                gens[gid] = (used | {v}, n)
                t = with_thread(s._replace(gens=tuple(gens)), tid, None)
                out.append((Step(text), canon(t)))
        return out

    def completions(self, s: State) -> list[Event]:
        """The observable events other than calls that ``s`` allows, in a fixed order."""
        out: list[Event] = []
        for tid, st in enumerate(s.threads):
            if st is None:
                continue
            if st[0] == "ret":
                used = s.gens[st.gid][0]
                out += [Return(tid, "wait", i) for i in range(st.lo, st.hi) if i not in used]
                if st.gid in s.mayfail:
                    out.append(Raise(tid, "wait", BROKEN))
            elif st[0] == "err":
                out += [Raise(tid, "wait", err) for err in sorted(st.errors)]
            elif st[0] == "read":
                out += [Return(tid, st.op, v) for v in sorted(st.values)]
            elif st[0] == "done":
                out.append(Return(tid, st.op, None))
        out += self.action_events(s)
        n = _pool.real_count(s)
        if n == len(s.threads):
            return out
        real: dict[Event, None] = {}
        for e in out:
            tids = [e.tid] if e.tid < n else sorted(s.elig[e.tid - n])
            real.update((dataclasses.replace(e, tid=t), None) for t in tids)
        return list(real)

    def interruptions(self, s: State, now: float = INF) -> list[Event]:
        """The outcomes an outside event may force on pending calls in ``s`` at time ``now``
        (:data:`INF`: time is abstract), each event stamped with its time; none by default.

        The asyncio profile's cancellations and expiring timeouts are these. They are not
        :meth:`completions`: a call that only an interruption can end is still blocked, for
        acceptance (a trace may end with it pending) as for the deadlock analysis of the state
        graph (:func:`~barrierlab.model.graph.blocked_forever`).
        """
        return []

    def refine(self, rule: str, why: str, trace: Any, index: int) -> tuple[str, str]:
        """A profile's own name and reason for a diagnosis of the event at ``index`` (the
        asyncio profile renames rules and blames cancellations); the same by default."""
        return rule, why

    def pending(self, s: State) -> list[int]:
        """The threads with a call pending in ``s``."""
        return [tid for tid, st in enumerate(s.threads) if st is not None]

    # -- display ------------------------------------------------------------------------------

    def describe(self, s: State) -> str:
        """A short human-readable summary of ``s`` (one line of a counterexample)."""
        phase = _PHASES[s.phase]
        if s.phase == "B" and s.cause:
            phase += f" ({s.cause})"
        parts = [f"{phase}, {s.gens[s.gen][1]}/{self.parties} arrived"]
        if s.trip is not None:
            stage, runner = s.trip[0], s.trip[1]
            parts.append(
                {"full": "action due", "run": f"t{runner} runs the action"}.get(
                    stage, f"t{runner} ran the action"
                )
                + (f" (doomed: {s.trip[3]})" if len(s.trip) > 3 and s.trip[3] else "")
            )
        parts += [
            f"{_pool.who(s, tid)} {_human_status(s, st)}" for tid, st in enumerate(s.threads) if st
        ]
        return "; ".join(parts)


def make_spec(
    profile: str,
    parties: int,
    *,
    has_action: bool = False,
    default_timeout: float | None = None,
    pool: bool = False,
) -> Spec:
    """The spec of ``profile`` (documented, cpython or asyncio) for a barrier of ``parties``.

    >>> make_spec("cpython", 3).profile
    'cpython'
    >>> make_spec("posix", 3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    barrierlab.model.errors.InvalidArgument: unknown profile 'posix'; ...
    """
    check_profile(profile)
    if profile == "asyncio":
        from barrierlab.model.asyncio_profile import AsyncioSpec

        return AsyncioSpec(parties)
    profile = base_profile(profile)  # cpython-3.X: the same machine as cpython
    if profile == "documented":
        from barrierlab.model.documented import DocumentedSpec

        return DocumentedSpec(
            parties, has_action=has_action, default_timeout=default_timeout, pool=pool
        )
    from barrierlab.model.cpython import CPythonSpec

    return CPythonSpec(parties, has_action=has_action, default_timeout=default_timeout, pool=pool)
