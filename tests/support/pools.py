"""Barriers that use :mod:`concurrent.futures` thread pools (for the tests of pools started
by a target): the pool's threads must run under control as further threads of the run."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor


class PoolReleases:
    """Correct, wait-only: the last arrival has a pool thread open the gate (bump the
    generation, wake the waiters), waits for that job, and shuts the pool down."""

    def __init__(self, parties):
        self.parties = parties
        self._cond = threading.Condition()
        self._count = 0
        self._generation = 0

    def _open(self):
        with self._cond:
            self._count = 0
            self._generation += 1
            self._cond.notify_all()

    def wait(self):
        with self._cond:
            generation = self._generation
            self._count += 1
            last = self._count == self.parties
        if last:
            with ThreadPoolExecutor(max_workers=1) as pool:
                pool.submit(self._open).result()
            return
        with self._cond:
            while self._generation == generation:
                self._cond.wait()


class KeptPool(PoolReleases):
    """Correct, wait-only: as :class:`PoolReleases`, with one pool for the barrier's life,
    never shut down (its idle thread is left waiting for work when the run ends)."""

    def __init__(self, parties):
        super().__init__(parties)
        self._pool = ThreadPoolExecutor(max_workers=2)

    def wait(self):
        with self._cond:
            generation = self._generation
            self._count += 1
            last = self._count == self.parties
        if last:
            self._pool.submit(self._open).result()
            return
        with self._cond:
            while self._generation == generation:
                self._cond.wait()


class PoolForgets(PoolReleases):
    """Bug: the pool's job opens the gate without waking the waiters (no notify)."""

    def _open(self):
        with self._cond:
            self._count = 0
            self._generation += 1
