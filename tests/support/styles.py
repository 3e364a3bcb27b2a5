"""Barrier-like targets built from different primitives and import styles (for runtime tests)."""

import threading
import time
from threading import Condition, Event, Semaphore
from threading import Lock as PlainLock
from time import monotonic as now


class LockImportedByName:
    """Uses ``from threading import Lock as PlainLock`` and ``from time import monotonic``."""

    def __init__(self, parties, action=None, timeout=None):
        self.parties = parties
        self._lock = PlainLock()
        self._cond = Condition(self._lock)
        self._count = 0
        self._gen = 0
        self.broken = False
        self.n_waiting = 0
        self.started_at = now()

    def wait(self, timeout=None):
        with self._cond:
            gen, index = self._gen, self._count
            self._count += 1
            if self._count == self.parties:
                self._count, self._gen = 0, self._gen + 1
                self._cond.notify_all()
                return index
            while gen == self._gen:
                self._cond.wait()
            return index

    def reset(self):
        pass

    def abort(self):
        pass


class WithRLock(LockImportedByName):
    """The same barrier over an RLock."""

    def __init__(self, parties, action=None, timeout=None):
        super().__init__(parties)
        self._cond = threading.Condition(threading.RLock())


class WithSemaphoreAndEvent:
    """Arrivals counted under a Semaphore; release through an Event (one generation only)."""

    def __init__(self, parties, action=None, timeout=None):
        self.parties = parties
        self._mutex = Semaphore(1)
        self._released = Event()
        self._count = 0
        self.broken = False
        self.n_waiting = 0

    def wait(self, timeout=None):
        self._mutex.acquire()
        index = self._count
        self._count += 1
        if self._count == self.parties:
            self._released.set()
        self._mutex.release()
        self._released.wait()
        return index

    def reset(self):
        pass

    def abort(self):
        pass


class WithBoundedSemaphore(WithSemaphoreAndEvent):
    """The same, counting arrivals under a BoundedSemaphore."""

    def __init__(self, parties, action=None, timeout=None):
        super().__init__(parties)
        self._mutex = threading.BoundedSemaphore(1)


class Sleeper(LockImportedByName):
    """wait() sleeps 100 seconds first: virtual time makes that instant."""

    def wait(self, timeout=None):
        time.sleep(100)
        return super().wait(timeout)


class Spinner(LockImportedByName):
    """wait() spins forever on a plain flag: a livelock (line-level points make it visible)."""

    def wait(self, timeout=None):
        while not self.broken:
            pass
        return 0


class SpinsPastOneUnwind(LockImportedByName):
    """wait() deadlocks, swallows the runtime's unwinding, then spins in plain code and
    swallows the first exception raised into it too, as a garbage-collector callback that
    happens to run on the thread would: the runtime must ask again. ``unwound`` counts the
    threads that did leave."""

    unwound = 0

    def wait(self, timeout=None):
        try:
            try:
                lock = threading.Lock()
                lock.acquire()
                lock.acquire()  # never: a deadlock
            except BaseException:
                pass
            swallowed = False
            while True:
                try:
                    while True:
                        pass
                except BaseException:
                    if swallowed:
                        raise
                    swallowed = True
        finally:
            type(self).unwound += 1


_REAL = threading.Lock()  # created at import, outside any run: a real lock
_REAL.acquire()


class BlocksOnRealLock(LockImportedByName):
    """wait() blocks on a real lock nobody releases: uncontrolled blocking."""

    def wait(self, timeout=None):
        if _REAL.acquire(timeout=30):
            _REAL.release()
        return 0


class Crashes(LockImportedByName):
    """wait() raises an unexpected exception type."""

    def wait(self, timeout=None):
        raise ValueError("not a barrier error")


class NotBarrierLike:
    def __init__(self, parties, action=None, timeout=None):
        pass


def factory(parties, action=None, timeout=None):
    """A factory function rather than a class."""
    return threading.Barrier(parties, action=action, timeout=timeout)


NOT_CALLABLE = 3


class ClosureGlimpse:
    """Closures over cells, unlocked: each ``wait`` registers a closure over its own ``stage``
    cell and stores 1, then 2, into it; a thread that sees another's stage at 1 through its
    closure returns 0 whatever its index (a duplicate index, when it arrived second). Only a
    load by another thread between the two cell stores shows the bug. One generation only."""

    def __init__(self, parties, action=None, timeout=None):
        self.parties = parties
        self._probes = []
        self._cond = threading.Condition()
        self._arrivals = 0
        self.n_waiting = 0
        self.broken = False

    def wait(self, timeout=None):
        stage = 0

        def probe():
            return stage

        self._probes.append(probe)
        stage = 1
        stage = 2
        glimpsed = False
        for each in self._probes:
            if each() == 1:
                glimpsed = True
        with self._cond:
            index = self._arrivals
            self._arrivals += 1
            self._cond.notify_all()
            while self._arrivals < self.parties:
                self._cond.wait()
        return 0 if glimpsed else index

    def reset(self):
        pass

    def abort(self):
        pass
