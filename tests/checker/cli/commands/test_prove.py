"""``barrierlab prove``: prints every invariant with its result; a failure exits 1."""

from __future__ import annotations

from barrierlab.checker.cli.commands import prove
from barrierlab.checker.cli.main import main
from barrierlab.model.proofs import Outcome, ProofVerdict


def test_prove_passes_and_lists_every_invariant(capsys):
    assert main(["prove", "--no-cross-check"]) == 0
    out = capsys.readouterr().out
    assert "proved   refinement" in out
    assert "documented: D-GROUP" in out and "cpython: C-DRAIN" in out
    assert out.rstrip().endswith("all proofs passed")
    assert "refuted" not in out


def test_a_refuted_proof_exits_1_with_its_counterexample(capsys, monkeypatch):
    bad = Outcome("documented: D-X", "a claim", ProofVerdict.REFUTED, "after step 'arrive'")
    good = Outcome("documented: D-Y", "another", ProofVerdict.PROVED)
    monkeypatch.setattr(prove, "prove_all", lambda: [good, bad])
    assert main(["prove", "--no-cross-check"]) == 1
    out = capsys.readouterr().out
    assert "refuted  documented: D-X: a claim" in out
    assert "counterexample: after step 'arrive'" in out
    assert "1 proof(s) failed" in out


def test_a_cross_check_disagreement_exits_1(capsys, monkeypatch):
    monkeypatch.setattr(prove, "prove_all", list)
    monkeypatch.setattr(prove, "CROSS_CHECKS", [(1, ["wait"], False, None)])
    monkeypatch.setattr(prove, "ASYNC_CROSS_CHECKS", [(1, ["wait"])])
    monkeypatch.setattr(prove, "cross_check", lambda *a, **k: ["step 'x' is not encoded"])
    assert main(["prove"]) == 1
    out = capsys.readouterr().out
    assert "DIFFERS" in out and "step 'x' is not encoded" in out


def test_the_cross_check_runs_by_default(capsys, monkeypatch):
    monkeypatch.setattr(prove, "prove_all", list)
    monkeypatch.setattr(prove, "CROSS_CHECKS", [(1, ["wait"], False, None)])
    monkeypatch.setattr(prove, "ASYNC_CROSS_CHECKS", [(1, ["wait"])])
    assert main(["prove"]) == 0
    out = capsys.readouterr().out
    assert out.count("agrees") == 3
    assert "agrees   cross-check asyncio, parties=1" in out
