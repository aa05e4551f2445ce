"""How long does svstate take on hostile input?

svstate runs on other people's hot paths; a hostile value must cost it bounded
time. Prints, from one run:

* for a 10 MB ARN (a solution ARN whose name runs to 10 MiB), the time of
  ``preflight`` with the ARN as each operation's target, ``validate`` with it
  in each shape's ARN fields, ``check_transition`` of two observations
  carrying it, ``Tracker.observe`` of a DescribeSolutionVersion carrying it,
  ``Tracker.preflight``, and the CLI's ``check`` path in-process (argument
  parsing, reading the 10 MB JSON, the verdict as JSON): each against the
  target of 50 ms;
* for version lists of 1,000, 10,000 and 100,000 versions (naive and aware
  datetimes mixed), the time of ``preflight`` of an UPDATE and of a
  DeleteSolution, and the cost per version (linear when it stays flat).

Each figure is the best of several runs, with the garbage collector paused
(its cost grows with the heap, not with svstate's work). Run::

    python benchmarks/bench_hostile.py [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import io
import json
import time
from collections.abc import Callable

import svstate
from svstate import _cli

PREFIX = "arn:aws:personalize:us-east-1:123456789012:"
SOL = f"{PREFIX}solution/movies"
HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
HUGE = f"{SOL}{'a' * (10 * 1024 * 1024)}"
TARGET_MS = 50.0
TARGETS = {
    "CreateSolutionVersion": "solutionArn",
    "StopSolutionVersionCreation": "solutionVersionArn",
    "CreateCampaign": "solutionVersionArn",
    "DeleteSolution": "solutionArn",
}
ARN_FIELDS = {
    "SolutionVersion": ("solutionVersionArn", "solutionArn", "recipeArn", "datasetGroupArn"),
    "SolutionVersionSummary": ("solutionVersionArn",),
    "Solution": ("solutionArn", "recipeArn", "datasetGroupArn"),
}
SOLUTION = {"solutionArn": SOL, "status": "ACTIVE", "recipeArn": HRNN}


def best(fn: Callable[[], object], repeat: int) -> float:
    """The best of ``repeat`` runs of ``fn``, in seconds, with the collector paused."""
    gc.collect()
    gc.disable()
    try:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return min(times)
    finally:
        gc.enable()


def cli(argv: list[str]) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return _cli.main(argv)


def row(label: str, seconds: float, note: str = "") -> bool:
    ms = seconds * 1e3
    ok = ms <= TARGET_MS
    print(f"  {label:<58}{ms:>9.3f} ms  {'ok' if ok else 'OVER':<4} {note}")
    return ok


def huge_arn(repeat: int) -> bool:
    print(f"10 MB ARN ({len(HUGE):,} characters), target {TARGET_MS:.0f} ms per check:")
    ok = True
    for op, member in TARGETS.items():
        params = {member: HUGE}

        def check(op: str = op, params: dict[str, str] = params) -> svstate.Verdict:
            return svstate.preflight(op, params, ruleset="2021-05-20")

        rules = ",".join(sorted({f.rule for f in check().findings}))
        ok &= row(f"preflight {op} ({member})", best(check, repeat), rules)
    for shape, fields in ARN_FIELDS.items():
        for field in fields:
            value = {field: HUGE}

            def validate(shape: str = shape, value: dict[str, str] = value) -> svstate.Verdict:
                return svstate.validate(shape, value)

            rules = ",".join(sorted({f.rule for f in validate().findings}))
            ok &= row(f"validate {shape}.{field}", best(validate, repeat), rules)
    before = {"solutionVersionArn": HUGE, "status": "CREATE PENDING"}
    after = {"solutionVersionArn": HUGE, "status": "ACTIVE"}
    ok &= row(
        "check_transition (observations carrying it)",
        best(lambda: svstate.check_transition(before, after), repeat),
    )
    other = {"solutionVersionArn": HUGE + "b", "status": "ACTIVE"}
    ok &= row(
        "check_transition (two such ARNs that differ at the end)",
        best(lambda: svstate.check_transition(before, other), repeat),
    )
    ok &= row(
        "check_transition (as a 10 MB status)",
        best(lambda: svstate.check_transition(HUGE, "ACTIVE"), repeat),
    )
    tracker = svstate.Tracker()
    response = {"solutionVersion": {"solutionVersionArn": HUGE, "status": "ACTIVE"}}
    ok &= row(
        "Tracker.observe DescribeSolutionVersion",
        best(lambda: tracker.observe("DescribeSolutionVersion", {}, response), repeat),
    )
    ok &= row(
        "Tracker.preflight CreateSolutionVersion",
        best(lambda: tracker.preflight("CreateSolutionVersion", {"solutionArn": HUGE}), repeat),
    )
    for op, member in TARGETS.items():
        params = json.dumps({member: HUGE})
        argv = ["check", op, "--params", params, "--format", "json"]
        status = cli(argv)
        ok &= row(
            f"CLI check {op} (in-process)",
            best(lambda argv=argv: cli(argv), repeat),
            f"exit {status}",
        )
    return ok


def versions(n: int) -> list[dict[str, object]]:
    base = dt.datetime(2020, 1, 1)
    return [
        {
            "solutionVersionArn": f"{SOL}/v{i:08x}",
            "status": "CREATE FAILED",
            "trainingMode": "FULL" if i % 2 else "UPDATE",
            "creationDateTime": base + dt.timedelta(seconds=i)
            if i % 4 == 1
            else (base + dt.timedelta(seconds=i)).replace(tzinfo=dt.UTC),
        }
        for i in range(n)
    ]


def linear(repeat: int) -> None:
    print("preflight against the number of versions (per version flat = linear):")
    print(f"  {'call':<34}{'versions':>10}{'ms':>11}{'ns/version':>12}{'x 1,000':>9}")
    cases = {
        "UPDATE (reads every version)": (
            "CreateSolutionVersion",
            {"solutionArn": SOL, "trainingMode": "UPDATE"},
        ),
        "DeleteSolution": ("DeleteSolution", {"solutionArn": SOL}),
    }
    lists = {n: versions(n) for n in (1_000, 10_000, 100_000)}
    for label, (op, params) in cases.items():
        first = None
        for n, rows in lists.items():

            def call(
                rows: list[dict[str, object]] = rows,
                op: str = op,
                params: dict[str, str] = params,
            ) -> svstate.Verdict:
                return svstate.preflight(
                    op, params, solution=SOLUTION, versions=rows, campaigns=[]
                )

            seconds = best(call, repeat if n < 100_000 else max(2, repeat // 3))
            per = seconds / n
            first = first or per
            print(
                f"  {label:<34}{n:>10,}{seconds * 1e3:>11.2f}{per * 1e9:>12.0f}{per / first:>9.2f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (noisier)")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    ok = huge_arn(repeat)
    print()
    linear(repeat)
    print()
    print("every 10 MB check within 50 ms" if ok else "SOME 10 MB CHECKS EXCEED 50 ms")


if __name__ == "__main__":
    main()
