"""One small report, made once for the tests of this folder: a passing and a failing target,
both profiles, two scenarios."""

from __future__ import annotations

import json

import pytest

from barrierlab.checker.cli.main import main

PASSING = "threading:Barrier"
FAILING = "barrierlab.impl.bugs.notify_one_release:Barrier"  # R-RELEASE-ALL: a deadlock


@pytest.fixture(scope="session")
def report_args():
    """The arguments of the sample report, besides ``--out``."""
    return [
        PASSING,
        FAILING,
        "--profile",
        "both",
        "--max-schedules",
        "30",
        "--scenario",
        "three-parties",
        "--scenario",
        "reset-one-waiter",
    ]


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory, report_args):
    out = tmp_path_factory.mktemp("report")
    assert main(["report", *report_args, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def reports(report_dir):
    """The sample's JSON reports, passing target first."""
    names = ["threading-Barrier", "barrierlab.impl.bugs.notify_one_release-Barrier"]
    return [json.loads((report_dir / f"{n}.json").read_text(encoding="utf-8")) for n in names]
