"""Barriers that poll in other ways than ``time.sleep`` (for the fairness tests), and one that
spins without ever yielding."""

from __future__ import annotations

import os
import threading


class YieldPoller:
    """Wait-only; the waiters ``os.sched_yield()`` between checks under a lock."""

    def __init__(self, parties):
        self.parties = parties
        self._lock = threading.Lock()
        self._count = 0
        self._generation = 0

    def wait(self):
        with self._lock:
            generation = self._generation
            self._count += 1
            if self._count == self.parties:
                self._count = 0
                self._generation += 1
                return
        while True:
            with self._lock:
                if self._generation != generation:
                    return
            os.sched_yield()


class ConditionPoller:
    """Wait-only; the waiters re-check after a timed ``Condition.wait`` that nobody notifies."""

    def __init__(self, parties):
        self.parties = parties
        self._cond = threading.Condition()
        self._count = 0
        self._generation = 0

    def wait(self):
        with self._cond:
            generation = self._generation
            self._count += 1
            if self._count == self.parties:
                self._count = 0
                self._generation += 1
                return
            while self._generation == generation:
                self._cond.wait(0.01)


class Spinner:
    """Wait-only; the waiters spin on the count without yielding: a livelock on a lone wait."""

    def __init__(self, parties):
        self.parties = parties
        self._lock = threading.Lock()
        self._count = 0

    def wait(self):
        with self._lock:
            self._count += 1
        while True:
            with self._lock:
                if self._count >= self.parties:
                    return
