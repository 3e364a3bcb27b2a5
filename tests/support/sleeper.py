"""A job for a worker process that says where it runs, then waits (see test_processes)."""

from __future__ import annotations

import os
import time


def write_pid_and_sleep(path: str, seconds: float = 60.0) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(str(os.getpid()))
    time.sleep(seconds)
