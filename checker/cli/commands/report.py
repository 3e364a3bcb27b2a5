"""``barrierlab report TARGET ... --out DIR``: conformance reports, rule by rule."""

from __future__ import annotations

import argparse

from barrierlab.checker.cli.commands.check import (
    add_check_options,
    add_executor_options,
    uses_dask,
)
from barrierlab.checker.cli.output import out, progress, progress_done
from barrierlab.checker.cli.scenario_options import bounds, chosen_scenarios, synthesis
from barrierlab.checker.explore.cluster import dask_executor
from barrierlab.checker.explore.portable import portable_target
from barrierlab.checker.report.checks import Settings, bundled_targets, validate
from barrierlab.checker.report.checks import run as run_reports
from barrierlab.checker.report.text import space_cell
from barrierlab.checker.report.write import check_out_dir, write_reports
from barrierlab.model.errors import InvalidArgument
from barrierlab.model.versions import BASES

NAME = "report"
HELP = "write conformance reports (HTML, Markdown, JSON, JUnit XML) for barrier targets"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Check each TARGET under the chosen profiles and write DIR/index.html (every target, "
        "one self-contained page), DIR/<target>.md and DIR/<target>.json (one target each) and "
        "DIR/junit.xml (one test case per rule per target). Every scenario runs a fixed number "
        "of schedules, so the same seed gives byte-identical files. Exit 0 once the files are "
        "written (violations are in them); 2: bad usage, a bad target or an unwritable DIR."
    )
    parser.add_argument(
        "targets", nargs="*", metavar="TARGET", help="'package.module:Name' or 'file.py:Name'"
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="directory to write into")
    parser.add_argument(
        "--bundled",
        action="store_true",
        help="add every bundled target (the correct barriers and the seeded bugs)",
    )
    add_check_options(parser, report=True)
    parser.add_argument(
        "--jobs", type=int, default=1, help="worker processes (default 1; same files either way)"
    )
    add_executor_options(parser)


def run(args: argparse.Namespace) -> int:
    targets = list(args.targets)
    if args.bundled:
        targets += bundled_targets()
    settings = Settings(
        profiles=BASES if args.profile == "both" else (args.profile,),
        max_schedules=args.max_schedules,
        seed=args.seed,
        scenarios=tuple(chosen_scenarios(args) or ()),
        ignore_rules=tuple(args.ignore_rule),
        generated=0 if synthesis(args)[0] is False else args.generated,
        bounds=bounds(args),
    )
    targets = validate(targets)
    if args.jobs < 1:
        raise InvalidArgument(f"--jobs must be >= 1, got {args.jobs}")
    check_out_dir(args.out)
    if uses_dask(args):
        with dask_executor(workers=args.jobs, address=args.dask_address) as cluster:
            for target in dict.fromkeys(targets):
                cluster.check_target(portable_target(target))
            reports = run_reports(
                targets, settings, executor=cluster.executor, on_progress=progress
            )
    else:
        reports = run_reports(
            targets,
            settings,
            jobs=args.jobs,
            on_progress=progress,
            supervised=not args.in_process,
        )
    progress_done()
    written = write_reports(args.out, reports)
    for report in reports:
        verdicts = ", ".join(
            f"{r['profile']} {r['verdict'].upper()}"
            + ("" if r["synthesis"] is None else f" (generated: {space_cell(r['synthesis'])})")
            for r in report["results"]
        )
        out(f"{report['target']}: {verdicts}")
    out(f"wrote {len(written)} files to {args.out} (open {args.out.rstrip('/')}/index.html)")
    return 0
