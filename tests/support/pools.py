"""Barriers that use :mod:`concurrent.futures` thread pools (for the tests of pools started
by a target): the pool's threads must run under control as further threads of the run."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor


class PoolReleases:
    """Correct, wait-only: the last arrival starts the next generation and has a pool thread
    wake the waiters, waits for that job, and shuts the pool down."""

    def __init__(self, parties):
        self.parties = parties
        self._cond = threading.Condition()
        self._count = 0
        self._generation = 0

    def _open(self):
        with self._cond:
            self._cond.notify_all()

    def _arrive(self):
        """Count this arrival in; return its generation and whether it was the last."""
        with self._cond:
            generation = self._generation
            self._count += 1
            if self._count < self.parties:
                return generation, False
            self._count = 0
            self._generation += 1
            return generation, True

    def _wake_on_a_pool_thread(self):
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(self._open).result()

    def wait(self):
        generation, last = self._arrive()
        if last:
            self._wake_on_a_pool_thread()
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

    def _wake_on_a_pool_thread(self):
        self._pool.submit(self._open).result()


class PoolForgets(PoolReleases):
    """Bug: the pool's job does not wake the waiters (no notify)."""

    def _open(self):
        with self._cond:
            pass


#: A pool made when this module is imported, before any check: its workers start on first use.
_MODULE_POOL = ThreadPoolExecutor(max_workers=1)


class ImportedPool(PoolReleases):
    """Correct, wait-only: as :class:`PoolReleases`, with the pool this module made at import
    (shared by every barrier, never shut down)."""

    def _wake_on_a_pool_thread(self):
        _MODULE_POOL.submit(self._open).result()


class ImportedPoolForgets(ImportedPool):
    """Bug: as :class:`ImportedPool`, and its job does not wake the waiters."""

    _open = PoolForgets._open
