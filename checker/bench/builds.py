"""The GIL build against the free-threaded one: hand-off cost and schedules per second.

Run ``python -m barrierlab.checker.bench.builds``. It measures, in a subprocess per interpreter,
every CPython of one minor version this machine has with and without the GIL (``python3.13``
and ``python3.13t``, found on PATH or in pyenv, like nox does; the running interpreter always):

* the cost of one hand-off round a ring of 4 OS threads passing a baton through real locks
  (what the runtime does at every scheduling step that changes threads);
* schedules per second of a fixed check (``threading:Barrier``, the catalogue, the random
  scheduler, a fixed number of schedules per scenario).

An interpreter where barrierlab is not installed is listed as such (``pip install -e .`` with
it, or ``nox -s smoke-3.13t``, makes it measurable). The row that matters is free-threaded
against GIL on the same version: the target is at least half the GIL build's schedules/s.
Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from typing import Any

from barrierlab.checker.cli.output import out

__all__ = ["find_interpreters", "measure_here", "measure_in", "ring_handoff", "table"]

#: Schedules per scenario of the fixed check.
PER_SCENARIO = 40


def ring_handoff(threads: int = 4, rounds: int = 2_000) -> float:
    """Seconds per hand-off round a ring of ``threads`` OS threads (one baton lock each)."""
    import _thread

    batons = [_thread.allocate_lock() for _ in range(threads)]
    for b in batons:
        b.acquire()
    done = _thread.allocate_lock()
    done.acquire()

    def member(i: int) -> None:
        nxt = batons[(i + 1) % threads]
        for _ in range(rounds):
            batons[i].acquire()
            nxt.release()
        if i == threads - 1:
            done.release()

    workers = [threading.Thread(target=member, args=(i,)) for i in range(1, threads)]
    for w in workers:
        w.start()
    start = time.perf_counter()
    for _ in range(rounds):
        batons[1].release()
        batons[0].acquire()
    elapsed = time.perf_counter() - start
    done.acquire()
    for w in workers:
        w.join()
    return elapsed / (rounds * threads)


def measure_here(quick: bool = False) -> dict[str, Any]:
    """This interpreter's figures (run in the subprocess)."""
    from barrierlab.checker import api
    from barrierlab.checker.runtime.versions import build_name, gil_enabled

    per = 5 if quick else PER_SCENARIO
    started = time.perf_counter()
    result = api.check(
        "threading:Barrier", scheduler="random", max_schedules=per, budget=600, line_level=True
    )
    seconds = time.perf_counter() - started
    return {
        "build": build_name(),
        "version": sys.version.split()[0],
        "gil": gil_enabled(),
        "ring_us": ring_handoff(rounds=200 if quick else 2_000) * 1e6,
        "schedules_per_s": result.schedules / seconds,
    }


def find_interpreters() -> list[str]:
    """The running interpreter, then python3.X and python3.Xt of its version found elsewhere."""
    major, minor = sys.version_info[:2]
    found = [sys.executable]
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    pyenv = sorted(glob.glob(os.path.join(root, "versions", "*", "bin")))
    # pyenv's shims re-dispatch to whichever version is selected: look behind them instead.
    entries = [d for d in os.environ.get("PATH", "").split(os.pathsep) if "shims" not in d]
    path = os.pathsep.join([*entries, *pyenv])
    # A venv's python is its base interpreter: the same build, measured once.
    base = os.path.join(sys.base_prefix, "bin", f"python{major}.{minor}")
    seen = {os.path.realpath(p) for p in (sys.executable, base)}
    for name in (f"python{major}.{minor}", f"python{major}.{minor}t"):
        exe = shutil.which(name, path=path)
        if exe and os.path.realpath(exe) not in seen:
            seen.add(os.path.realpath(exe))
            found.append(exe)
    return found


def measure_in(exe: str, quick: bool) -> dict[str, Any]:
    command = [exe, "-m", "barrierlab.checker.bench.builds", "--here"]
    if quick:
        command.append("--quick")
    proc = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        return {"build": exe, "error": "barrierlab is not installed there (pip install -e .)"}
    return json.loads(proc.stdout)


def table(rows: list[dict[str, Any]]) -> list[str]:
    """A Markdown table of the measured builds."""
    lines = [
        "| build | Python | GIL | ring hand-off (4 threads) | schedules/s | vs the GIL build |",
        "|---|---|---|---:|---:|---:|",
    ]
    with_gil = next((r for r in rows if r.get("gil") is True), None)
    for r in rows:
        if "error" in r:
            lines.append(f"| `{r['build']}` | | | | {r['error']} | |")
            continue
        ratio = ""
        if with_gil is not None and r is not with_gil:
            rate, base = float(r["schedules_per_s"]), float(with_gil["schedules_per_s"])
            ratio = f"{rate / base:.2f}x"
        lines.append(
            f"| {r['build']} | {r['version']} | {'on' if r['gil'] else 'off'} | "
            f"{r['ring_us']:.1f} µs | {r['schedules_per_s']:.0f} | {ratio} |"
        )
    if not any(r.get("gil") is False for r in rows):
        lines.append("")
        lines.append(
            "No free-threaded interpreter of this version was found (python3.Xt on PATH or in "
            "pyenv): the GIL against free-threaded comparison could not be measured here."
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m barrierlab.checker.bench.builds")
    parser.add_argument("--quick", action="store_true", help="tiny runs (for tests)")
    parser.add_argument("--here", action="store_true", help="measure this interpreter; JSON")
    args = parser.parse_args(argv)
    if args.here:
        out(json.dumps(measure_here(args.quick)))
        return 0
    rows = [measure_in(exe, args.quick) for exe in find_interpreters()]
    for line in table(rows):
        out(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
