"""barrierlab beside a peer explorer, frontrun, on the same scenarios and seeded bugs.

Run ``python -m barrierlab.checker.bench.peer`` (needs the ``bench`` extra:
``pip install -e '.[bench]'``; without frontrun every row says why it has no numbers).

For every seeded bug, its smallest scenario from :data:`barrierlab.impl.targets.BUGS`, and
on exactly that scenario:

* **frontrun** (:mod:`~barrierlab.checker.bench.frontrun_harness`: the invariants a user would
  write from the documentation; DPOR, frontrun's defaults), in a subprocess under the
  ``frontrun`` command, capped at ``cap`` seconds of exploration: found or not, its
  executions and seconds;
* **barrierlab**: ``api.check(spec, scenarios=[that scenario], fail_fast=True)`` with the same
  cap as its budget: found or not, the rule, schedules and seconds.

frontrun has no specification: any run that ends with a thread still blocked is a deadlock to
it. So each scenario is first **calibrated**: frontrun explores it on two correct barriers
(``threading.Barrier`` and the reference). Where it reports a failure on either (a thread the
documentation leaves blocked, e.g. a lone ``wait`` after a ``reset``, or a third thread at a
barrier of two), a failure on a bug says nothing, and the row says "no verdict" instead of
counting it. "not found" means frontrun reported nothing within its defaults and the cap,
not that it proved the bug absent. (Padding such a scenario with extra threads so that it
finishes was tried: it can hide the very bug the scenario shows, for barrierlab as well.)
Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from barrierlab.checker import api
from barrierlab.checker.cli.output import err, out
from barrierlab.checker.scenario import Scenario
from barrierlab.impl.targets import BUGS, TargetInfo

__all__ = ["CORRECT_SPECS", "PeerRow", "frontrun_command", "markdown", "measure", "summary"]

CORRECT_SPECS = ("threading:Barrier", "barrierlab.impl.reference:Barrier")
COMMAND = "python -m barrierlab.checker.bench.peer"


def frontrun_command() -> tuple[list[str] | None, str]:
    """(the command prefix that runs Python under frontrun, or None; why not / its version)."""
    try:
        from importlib.metadata import version

        installed = version("frontrun")
    except Exception:
        return None, "frontrun is not installed (pip install -e '.[bench]')"
    exe = Path(sys.executable).parent / "frontrun"
    found = str(exe) if exe.exists() else shutil.which("frontrun")
    if found is None:
        return None, "frontrun is installed but its 'frontrun' command is not on PATH"
    return [found, sys.executable], installed


def scenario_for(info: TargetInfo) -> Scenario:
    """The bug's smallest scenario, as the catalogue gives it."""
    return Scenario.build(info.name, **(info.scenario or {}))


def run_frontrun(prefix: list[str] | None, spec: str, scenario: Scenario, cap: float) -> dict:
    """One frontrun exploration in a subprocess; ``status``: found, not found, inconclusive,
    hung (killed at the cap plus a grace period) or unavailable."""
    if prefix is None:
        return {"status": "unavailable"}
    command = [
        *prefix,
        "-m",
        "barrierlab.checker.bench.frontrun_harness",
        spec,
        json.dumps(scenario.to_json()),
        str(cap),
    ]
    started = time.perf_counter()
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=cap + 30)
    except subprocess.TimeoutExpired:
        return {"status": "hung", "seconds": time.perf_counter() - started}
    lines = [x for x in proc.stdout.splitlines() if x.startswith("{")]
    if not lines:
        tail = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
        return {"status": "error", "detail": tail[:120]}
    report = json.loads(lines[-1])
    if report["found"]:
        report["status"] = "found"
    elif report.get("inconclusive"):
        report["status"] = "inconclusive"
    else:
        report["status"] = "not found"
    return report


@dataclass
class PeerRow:
    info: TargetInfo
    scenario: Scenario
    calibration: dict[str, dict]
    frontrun: dict
    barrierlab: dict[str, Any]

    @property
    def usable(self) -> bool:
        """frontrun raised no alarm on the correct barriers for this scenario."""
        return all(c.get("status") == "not found" for c in self.calibration.values())


def run_barrierlab(info: TargetInfo, scenario: Scenario, cap: float) -> dict[str, Any]:
    result = api.check(info.spec, scenarios=[scenario], fail_fast=True, budget=cap)
    v = result.violations[0] if result.violations else None
    return {
        "found": v is not None,
        "what": None if v is None else (v.rule or v.kind),
        "kind": None if v is None else v.kind,
        "schedules": result.schedules,
        "seconds": result.seconds,
        "exhaustive": result.exhaustive,
    }


def measure(
    bugs: Iterable[TargetInfo] = BUGS,
    *,
    cap: float = 30.0,
    calibration_cap: float = 20.0,
    on_row: Callable[[PeerRow], None] | None = None,
) -> tuple[list[PeerRow], str]:
    """Rows for every bug, and frontrun's version (or why it is unavailable)."""
    prefix, about = frontrun_command()
    calibrated: dict[str, dict[str, dict]] = {}
    rows = []
    for info in bugs:
        scenario = scenario_for(info)
        key = json.dumps({**scenario.to_json(), "name": ""}, sort_keys=True)
        if key not in calibrated:
            calibrated[key] = {
                spec: run_frontrun(prefix, spec, scenario, calibration_cap)
                for spec in CORRECT_SPECS
            }
        row = PeerRow(
            info,
            scenario,
            calibrated[key],
            run_frontrun(prefix, info.spec, scenario, cap),
            run_barrierlab(info, scenario, cap),
        )
        rows.append(row)
        if on_row is not None:
            on_row(row)
    return rows, about


def _frontrun_cell(row: PeerRow) -> str:
    f = row.frontrun
    status = f.get("status")
    if status == "unavailable":
        return "n/a"
    if not row.usable:
        bad = next(
            (s.split(":")[0].split(".")[-1], c)
            for s, c in row.calibration.items()
            if c.get("status") != "not found"
        )
        return f"no verdict: {bad[1].get('status')} on correct `{bad[0]}` too"
    if status == "found":
        what = "; ".join(f.get("problems") or []) or f.get("explanation", "")
        return f"found: {what[:70]}"
    if status == "not found":
        return "not found" + (" (exhausted)" if f.get("exhausted") else "")
    return f"{status}: {str(f.get('inconclusive') or f.get('detail') or '')[:60]}"


def markdown(rows: list[PeerRow]) -> list[str]:
    lines = [
        "| seeded bug | scenario (parties; threads) | frontrun | runs | s "
        "| barrierlab | schedules | s |",
        "|---|---|---|--:|--:|---|--:|--:|",
    ]
    for r in rows:
        s = r.scenario
        shape = f"{s.parties}; " + " / ".join(" ".join(map(str, p)) for p in s.programs)
        extras = [
            x
            for x in (
                f"timeout={s.default_timeout:g}" if s.default_timeout else "",
                f"action={s.action}" if s.action != "none" else "",
            )
            if x
        ]
        if extras:
            shape += f" ({', '.join(extras)})"
        f, b = r.frontrun, r.barrierlab
        runs = f.get("executions", "")
        secs = f"{f['seconds']:.2f}" if "seconds" in f else ""
        found = f"found: {b['what']}" if b["found"] else "not found"
        lines.append(
            f"| `{r.info.name}` | {shape} | {_frontrun_cell(r)} | {runs} | {secs} | {found} | "
            f"{b['schedules']} | {b['seconds']:.2f} |"
        )
    return lines


def summary(rows: list[PeerRow], about: str) -> str:
    n = len(rows)
    usable = [r for r in rows if r.usable]
    fr = sum(r.frontrun.get("status") == "found" for r in usable)
    bl = sum(r.barrierlab["found"] for r in rows)
    bl_usable = sum(r.barrierlab["found"] for r in usable)
    if not any(r.frontrun.get("status") != "unavailable" for r in rows):
        return f"frontrun: no numbers ({about}). barrierlab finds {bl} of {n} on these scenarios."
    return (
        f"On each bug's own scenario: barrierlab finds {bl} of {n}. frontrun {about} gives a "
        f"verdict on {len(usable)} of the {n} scenarios (on the others it also fails a correct "
        f"barrier) and finds {fr} of those {len(usable)}; barrierlab finds {bl_usable} of them."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("--cap", type=float, default=30.0, help="seconds per exploration")
    parser.add_argument("--bug", action="append", metavar="NAME", help="only this bug")
    args = parser.parse_args(argv)
    bugs = [b for b in BUGS if not args.bug or b.name in args.bug]
    rows, about = measure(
        bugs,
        cap=args.cap,
        calibration_cap=min(args.cap, 20.0),
        on_row=lambda r: err(f"{r.info.name}: frontrun {_frontrun_cell(r)}"),
    )
    for line in markdown(rows):
        out(line)
    out()
    out(summary(rows, about))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
