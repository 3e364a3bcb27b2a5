"""``barrierlab selftest``: run the reference barrier for real, a quick smoke check."""

from __future__ import annotations

import argparse
import threading

from barrierlab.checker.cli.output import out
from barrierlab.impl.reference import Barrier

NAME = "selftest"
HELP = "run the reference barrier on real threads and print what each generation returned"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--parties", type=int, default=4, help="threads per generation (>= 1)")
    parser.add_argument("--generations", type=int, default=3, help="rounds to run (>= 1)")


def run(args: argparse.Namespace) -> int:
    if args.parties < 1 or args.generations < 1:
        raise _bad("--parties and --generations must be >= 1")
    barrier = Barrier(args.parties, timeout=10)
    results: list[list[int]] = [[] for _ in range(args.generations)]
    guard = threading.Lock()

    def party() -> None:
        for generation in range(args.generations):
            index = barrier.wait()
            with guard:
                results[generation].append(index)

    threads = [threading.Thread(target=party) for _ in range(args.parties)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ok = all(sorted(r) == list(range(args.parties)) for r in results)
    for generation, indices in enumerate(results):
        out(f"generation {generation}: indices {sorted(indices)}")
    out("ok: every generation got distinct indices 0..parties-1" if ok else "FAILED")
    return 0 if ok else 1


def _bad(message: str) -> Exception:
    from barrierlab.model.errors import InvalidArgument

    return InvalidArgument(message)
