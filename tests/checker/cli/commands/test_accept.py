"""``barrierlab accept``: judging recorded traces, and the recorder that makes them."""

from __future__ import annotations

import io
import json
import threading

import pytest

from barrierlab.checker.cli.main import main
from barrierlab.checker.record import Recorder
from barrierlab.model.events import Call, Return, trace_to_json


def _record_rounds(factory, parties=3, rounds=3):
    rec = Recorder(factory, parties, action=lambda: None)

    def party():
        for _ in range(rounds):
            rec.wait()
            assert rec.parties == parties

    threads = [threading.Thread(target=party) for _ in range(parties)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
        assert not t.is_alive()
    return rec


def test_a_recorded_run_of_threading_barrier_is_accepted(tmp_path, capsys):
    rec = _record_rounds(threading.Barrier)
    assert {e.tid for e in rec.events} == {0, 1, 2}  # threads numbered in order of first use
    path = tmp_path / "run.json"
    rec.save(path)
    assert main(["accept", str(path), "--profile", "both"]) == 0
    text = capsys.readouterr().out
    assert text.count("ACCEPTED") == 2 and "R-ACTION-ONCE" in text


def test_the_recorder_behaves_like_the_barrier_it_wraps():
    rec = Recorder(threading.Barrier, 2)
    rec.abort()
    assert rec.broken is True
    with pytest.raises(threading.BrokenBarrierError):
        rec.wait()
    assert [type(e).__name__ for e in rec.events[-2:]] == ["Call", "Raise"]
    assert rec.to_json()["trace"][-1]["error"] == "BrokenBarrierError"


def _write(tmp_path, data, name="t.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


DUPLICATE = [Call(0, "wait"), Call(1, "wait"), Return(1, "wait", 0), Return(0, "wait", 0)]


def test_a_rejected_trace_prints_the_rule_and_the_timeline(tmp_path, capsys):
    path = _write(tmp_path, {"parties": 2, "trace": trace_to_json(DUPLICATE)})
    assert main(["accept", path]) == 1
    text = capsys.readouterr().out
    assert "VIOLATION of R-INDEX" in text
    assert ">> 3" in text  # the rejected event is marked
    assert "the spec allowed instead: t0 returns 1 from wait" in text


def test_a_bare_list_needs_parties(tmp_path, capsys):
    path = _write(tmp_path, trace_to_json(DUPLICATE[:3]))
    assert main(["accept", path]) == 2
    assert "pass --parties N" in capsys.readouterr().err
    # t0 is left blocked although released: a deadlock, unless the run was cut short.
    assert main(["accept", path, "--parties", "2"]) == 1
    assert "R-RELEASE-ALL" in capsys.readouterr().out
    assert main(["accept", path, "--parties", "2", "--cut-short"]) == 0


def test_json_output_and_standard_input(tmp_path, capsys, monkeypatch):
    data = {"parties": 2, "trace": trace_to_json(DUPLICATE)}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(data)))
    assert main(["accept", "-", "--json", "--profile", "both"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["events"] == 4 and report["parties"] == 2
    for profile in ("documented", "cpython"):
        v = report["verdicts"][profile]
        assert (v["ok"], v["index"]) == (False, 3)
        assert v["rule"] in ("R-INDEX", "C-INDEX-ORDER")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("{not json", "is not JSON"),
        ('{"parties": 2}', "an object with 'trace'"),
        ('{"parties": 2, "trace": [], "colour": 1}', "unknown key(s) 'colour'"),
        ('{"parties": 0, "trace": []}', "parties must be an int >= 1"),
        ('{"parties": 2, "trace": [{"kind": "call", "tid": 0}]}', "bad call event"),
        ('{"parties": 2, "trace": [{"kind": "nap"}]}', "not an event"),
        ('{"parties": 2, "complete": "yes", "trace": []}', "complete must be true or false"),
        ('{"parties": 2, "default_timeout": -1, "trace": []}', "timeout must be a number"),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path, capsys, content, message):
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    assert main(["accept", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13", "3.14"])
def test_a_versioned_profile_judges_a_trace_as_cpython_does(tmp_path, capsys, version):
    # t1 sees t0 waiting, then arrives: indices out of arrival order are allowed by the
    # documentation, not by CPython (any version).
    swapped = [
        Call(0, "wait"),
        Call(1, "n_waiting"),
        Return(1, "n_waiting", 1),
        Call(1, "wait"),
        Return(1, "wait", 0),
        Return(0, "wait", 1),
    ]
    path = _write(tmp_path, {"parties": 2, "trace": trace_to_json(swapped)})
    profile = f"cpython-{version}"
    assert main(["accept", path, "--json", "--profile", profile]) == 1
    verdicts = json.loads(capsys.readouterr().out)["verdicts"]
    assert list(verdicts) == [profile] and verdicts[profile]["rule"] == "C-INDEX-ORDER"
    assert main(["accept", path, "--profile", "documented"]) == 0
    capsys.readouterr()
    in_order = [*swapped[:4], Return(1, "wait", 1), Return(0, "wait", 0)]
    path = _write(tmp_path, {"parties": 2, "trace": trace_to_json(in_order)}, "ok.json")
    assert main(["accept", path, "--profile", profile]) == 0
    assert f"ACCEPTED under {profile}" in capsys.readouterr().out


def test_an_unknown_versioned_profile_is_bad_usage(tmp_path, capsys):
    path = _write(tmp_path, {"parties": 2, "trace": []})
    with pytest.raises(SystemExit) as exit_:
        main(["accept", path, "--profile", "cpython-3.10"])
    assert exit_.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
