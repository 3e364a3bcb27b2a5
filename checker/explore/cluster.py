"""Dask as the cluster engine: an executor for :func:`~.parallel.check_parallel`.

:func:`dask_executor` gives a :class:`concurrent.futures.Executor` backed by ``dask.distributed``:

* with no address, a :class:`distributed.LocalCluster` of ``workers`` worker processes, one
  thread each (the controlled runtime takes over a whole process's primitives, so a process
  runs one schedule at a time), started for the check and shut down after it;
* with ``address`` (``tcp://HOST:PORT``, or ``BARRIERLAB_DASK_ADDRESS``), a running cluster
  (``dask scheduler`` / ``dask worker --nthreads 1``), reached within ``connect_timeout``
  seconds or an :class:`~barrierlab.model.errors.InvalidArgument` says so.

A task whose worker dies is run again by Dask on another worker (the scheduler's
``allowed-failures``: on the cluster started here, once), so a worker lost to a crash loses no
result. A task that kills every worker that tries it (a target that ends its process, beyond
what the runtime can catch: ``os.abort()``, a crash in C) comes back as Dask's
``KilledWorker`` and runs again on this machine, supervised (:mod:`.parallel`), which turns it
into a violation of its scenario; the scheduler's log line for it is left out of the
output. Before any task runs, every worker loads the target once, so a target that
is not importable there is one clear error, not a failure per task. A target given as a file
path (``path/file.py:Name``) is shipped with each task (:mod:`.portable`).

:func:`check_on_dask` is :func:`~.parallel.check_parallel` on such an executor, with a stop
signal (a Dask ``Event``) so that ``fail_fast`` stops the workers' running tasks too.

Dask is an optional dependency (``pip install 'barrierlab[dask]'``); without it, asking for
the Dask executor is a clear error.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from barrierlab.checker.explore.check import CheckResult
from barrierlab.checker.explore.parallel import StopSignal, check_parallel
from barrierlab.checker.explore.portable import PortableTarget, portable_target
from barrierlab.checker.runtime.target import load_target
from barrierlab.model.errors import InvalidArgument, TargetError

__all__ = ["ADDRESS_VARIABLE", "Cluster", "check_on_dask", "dask_executor"]

#: The environment variable naming a running cluster's scheduler.
ADDRESS_VARIABLE = "BARRIERLAB_DASK_ADDRESS"


@dataclass
class Cluster:
    """A running Dask client and what a check needs of it."""

    executor: Any
    workers: int
    client: Any

    def check_target(self, target: PortableTarget) -> None:
        """Load ``target`` on every worker once; raise :class:`TargetError` where it fails."""
        failures = self.client.run(_probe, target)
        bad = {w: why for w, why in failures.items() if why}
        if bad:
            worker, why = sorted(bad.items())[0]
            raise TargetError(
                f"the target cannot be loaded on Dask worker {worker}: {why} (a 'module:Name' "
                "target must be importable on every worker; a 'path/file.py:Name' target is "
                "shipped by barrierlab)"
            )

    def stop_signal(self) -> StopSignal:
        """A fresh flag the coordinator sets and every worker can read."""
        distributed = _import_distributed()
        return distributed.Event(f"barrierlab-stop-{uuid.uuid4().hex}", client=self.client)


def _probe(target: PortableTarget) -> str:
    try:
        target.load()
    except TargetError as error:
        return str(error)
    return ""


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise InvalidArgument(
            "the Dask executor needs dask.distributed: pip install 'barrierlab[dask]'"
        ) from None
    return distributed


@contextmanager
def dask_executor(
    *,
    workers: int | None = None,
    address: str | None = None,
    connect_timeout: float = 10.0,
    allowed_failures: int = 1,
) -> Iterator[Cluster]:
    """A Dask-backed executor for the ``with`` block (see the module docstring)."""
    distributed = _import_distributed()
    address = address or os.environ.get(ADDRESS_VARIABLE) or None
    if workers is not None and (isinstance(workers, bool) or workers < 1):
        raise InvalidArgument(f"workers must be an integer >= 1, got {workers!r}")
    cluster = None
    if address is None:
        import dask

        # the scheduler runs in this process and reads this when it starts
        with dask.config.set({"distributed.scheduler.allowed-failures": allowed_failures}):
            cluster = distributed.LocalCluster(
                n_workers=workers or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=40,  # logging.ERROR: a check's output is the check's
            )
        client = distributed.Client(cluster)
    else:
        if not address.startswith(("tcp://", "tls://", "inproc://", "ucx://", "ws://", "wss://")):
            raise InvalidArgument(
                f"bad Dask address {address!r}: write it as tcp://HOST:PORT (the address "
                "'dask scheduler' prints)"
            )
        try:
            client = distributed.Client(address, timeout=connect_timeout)
        except (OSError, TimeoutError) as error:
            raise InvalidArgument(
                f"cannot reach a Dask scheduler at {address} within {connect_timeout:g}s "
                f"({type(error).__name__}: {error}); is 'dask scheduler' running there?"
            ) from None
    _SCHEDULER_LOG.addFilter(_not_killed_worker)
    try:
        threads = sum(client.nthreads().values()) or 1
        executor = client.get_executor(pure=False)
        yield Cluster(executor, threads, client)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        _SCHEDULER_LOG.removeFilter(_not_killed_worker)


_SCHEDULER_LOG = logging.getLogger("distributed.scheduler")


def _not_killed_worker(record: logging.LogRecord) -> bool:
    """False for the scheduler's error that a task's workers died: the check reports it."""
    return "workers died while trying to run it" not in record.getMessage()


def check_on_dask(
    target: str,
    *,
    workers: int | None = None,
    address: str | None = None,
    connect_timeout: float = 10.0,
    on_progress: Callable[[str], None] | None = None,
    **options: Any,
) -> CheckResult:
    """A check of ``target`` spread over a Dask cluster (local, or the one at ``address``).

    ``options`` are those of :func:`~.parallel.check_parallel`. The target is loaded here
    first (tokens must replay here), then on every worker.
    """
    load_target(target)
    portable = portable_target(target)
    with dask_executor(workers=workers, address=address, connect_timeout=connect_timeout) as c:
        c.check_target(portable)
        return check_parallel(
            portable,
            executor=c.executor,
            workers=c.workers,
            stop=c.stop_signal(),
            on_progress=on_progress,
            **options,
        )
