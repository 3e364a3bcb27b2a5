"""A check's worker processes end when the check is killed.

The check is a subprocess here that starts a worker (from a pool, and a supervised one) running
a job that writes its process ID and sleeps for a minute; the test kills the check with SIGKILL
(no cleanup runs) and waits for the worker to be gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the kernel's parent-death signal is Linux's"
)

ROOT = Path(__file__).resolve().parents[3]

POOL = """
from barrierlab.checker.explore.processes import spawn_pool
from tests.support.sleeper import write_pid_and_sleep
if __name__ == "__main__":
    with spawn_pool(1) as pool:
        pool.submit(write_pid_and_sleep, {path!r}).result()
"""

SUPERVISED = """
from barrierlab.checker.explore.supervise import _in_worker
from tests.support.sleeper import write_pid_and_sleep
if __name__ == "__main__":
    _in_worker(write_pid_and_sleep, ({path!r},), {crumbs!r})
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie nobody reaped has ended


@pytest.mark.parametrize("program", [POOL, SUPERVISED], ids=["pool", "supervised"])
def test_a_worker_ends_when_the_check_that_started_it_is_killed(tmp_path, program):
    path = tmp_path / "pid"
    script = tmp_path / "check.py"
    source = program.format(path=str(path), crumbs=str(tmp_path / "crumbs"))
    script.write_text(textwrap.dedent(source))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    check = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while not path.exists() or not path.read_text():
            assert check.poll() is None, "the check ended before its worker started"
            assert time.monotonic() < deadline, "the worker never started"
            time.sleep(0.05)
        worker = int(path.read_text())
        assert _alive(worker)
    finally:
        check.send_signal(signal.SIGKILL)
        check.wait()
    deadline = time.monotonic() + 15
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(worker):
        os.kill(worker, signal.SIGKILL)
        pytest.fail("the worker went on after the check was killed")
