"""The peer comparison says why it has no numbers when frontrun is missing, never fakes them."""

from __future__ import annotations

from barrierlab.checker.bench import peer
from barrierlab.impl.targets import TARGETS


def test_without_frontrun_every_row_says_so(monkeypatch):
    monkeypatch.setattr(peer, "frontrun_command", lambda: (None, "frontrun is not installed"))
    rows, about = peer.measure([TARGETS["index_off_by_one"]], cap=5, calibration_cap=5)
    assert about == "frontrun is not installed"
    (row,) = rows
    assert row.frontrun == {"status": "unavailable"} and row.barrierlab["found"]
    assert "| n/a |" in peer.markdown(rows)[-1]
    assert peer.summary(rows, about).startswith("frontrun: no numbers (frontrun is not installed)")


def test_a_scenario_is_the_bugs_own():
    info = TARGETS["event_reuse"]
    scenario = peer.scenario_for(info)
    assert scenario.parties == info.scenario["parties"]
    assert [" ".join(map(str, p)) for p in scenario.programs] == info.scenario["threads"]
