"""Shared helpers for the model tests: a compact notation for hand-written traces.

``parse_trace("t0 wait; t1 wait(1.5); @2 t1 !; t0 = 0")`` gives the events:

* ``tN OP`` / ``tN wait(S)``: thread N calls OP (``wait``, ``reset``, ``abort``, a read);
* ``tN = V``: N's pending call returns V (a Python literal: ``0``, ``True``, ``None``);
* ``tN !`` / ``tN ! Name``: N's pending call raises BrokenBarrierError / Name;
* ``tN act`` / ``tN end`` / ``tN end Name``: N starts / ends the action (raising Name);
* ``@T``: the following events happen at time T (an ``@T`` may prefix an item).
"""

from __future__ import annotations

import ast

import pytest

from barrierlab.model.events import ActionEnd, ActionStart, Call, Raise, Return


def parse_trace(text: str) -> tuple:
    events = []
    pending: dict[int, str] = {}
    now = 0.0
    for item in filter(None, (part.strip() for part in text.split(";"))):
        if item.startswith("@"):
            head, _, item = item.partition(" ")
            now = float(head[1:])
            if not item:
                continue
        who, _, rest = item.partition(" ")
        tid = int(who[1:])
        word, _, arg = rest.partition(" ")
        if word == "=":
            events.append(Return(tid, pending.pop(tid), ast.literal_eval(arg), now))
        elif word == "!":
            events.append(Raise(tid, pending.pop(tid), arg or "BrokenBarrierError", now))
        elif word == "act":
            events.append(ActionStart(tid, now))
        elif word == "end":
            events.append(ActionEnd(tid, arg or None, now))
        else:
            op, _, timeout = word.partition("(")
            pending[tid] = op
            events.append(Call(tid, op, float(timeout[:-1]) if timeout else None, now))
    return tuple(events)


@pytest.fixture
def trace_of():
    return parse_trace
