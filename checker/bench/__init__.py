"""Benchmarks: modules run with ``python -m``; they print tables and never assert timings.

``python -m barrierlab.checker.bench`` runs them all and writes ``reports/benchmarks.md``:

* :mod:`.baseline`: CPython's own BarrierTests against every seeded bug, beside barrierlab
  (:mod:`.cpython_suite` runs the suite in a subprocess);
* :mod:`.peer`: frontrun beside barrierlab (:mod:`.frontrun_harness` runs under frontrun);
* :mod:`.speed`: the hand-off floor, the cost of a step, steps and schedules per second;
* :mod:`.scaling`: reduction against plain DFS, growth with parties and threads, parallel;
* :mod:`.accept`: acceptance time and state-graph size;
* :mod:`.svg`: the hand-rolled plots.
"""
