"""What does the boto3 guard add to a real client call?

A ``create_solution_version`` call on a boto3 client whose responses come
from botocore's Stubber (no network): the whole client-side cost of a call,
with and without ``svstate.boto.attach``, measured alternately in one run.
The guard's work per call is a pre-flight from the tracker and one
observation of the response; a ``describe_solution_version`` call is only
observed. Target: at most 5% added to either. Run::

    python benchmarks/bench_guard.py [--calls N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import boto3
from botocore.stub import Stubber

import svstate
import svstate.boto

SOLUTION = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"


def client() -> object:
    return boto3.client(
        "personalize",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def timed(c: object, calls: int, settle: svstate.Tracker | None = None) -> float:
    """Median seconds per stubbed create_solution_version call.

    With ``settle``, each new version is observed ACTIVE after its call and
    outside the timed window, as in a pipeline that waits for training: no
    version is in flight when the next call is checked. Without it, versions
    pile up in CREATE PENDING and every check also warns (SV401).
    """
    samples = []
    clock = time.perf_counter
    with Stubber(c) as stubber:  # type: ignore[arg-type]
        for i in range(calls):
            stubber.add_response(
                "create_solution_version", {"solutionVersionArn": f"{SOLUTION}/{i:08x}"}
            )
        for i in range(calls):
            start = clock()
            c.create_solution_version(solutionArn=SOLUTION, trainingMode="FULL")  # type: ignore[attr-defined]
            samples.append(clock() - start)
            if settle is not None:
                settle.observe(
                    "DescribeSolutionVersion",
                    None,
                    {
                        "solutionVersion": {
                            "solutionVersionArn": f"{SOLUTION}/{i:08x}",
                            "status": "ACTIVE",
                            "trainingMode": "FULL",
                        }
                    },
                )
    return statistics.median(samples)


def timed_describe(c: object, calls: int) -> float:
    """Median seconds per stubbed describe_solution_version call (an ACTIVE FULL version)."""
    samples = []
    clock = time.perf_counter
    version = f"{SOLUTION}/0a1b2c3d"
    body = {
        "solutionVersion": {
            "solutionVersionArn": version,
            "solutionArn": SOLUTION,
            "status": "ACTIVE",
            "trainingMode": "FULL",
        }
    }
    with Stubber(c) as stubber:  # type: ignore[arg-type]
        for _ in range(calls):
            stubber.add_response("describe_solution_version", body)
        for _ in range(calls):
            start = clock()
            c.describe_solution_version(solutionVersionArn=version)  # type: ignore[attr-defined]
            samples.append(clock() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    for settled in (True, False):
        plain, guarded = client(), client()
        tracker = svstate.Tracker()
        tracker.observe(
            "DescribeSolution",
            {"solutionArn": SOLUTION},
            {"solution": {"solutionArn": SOLUTION, "status": "ACTIVE", "recipeArn": HRNN}},
        )
        guard = svstate.boto.attach(guarded, tracker)
        settle = tracker if settled else None
        timed(plain, 200)
        timed(guarded, 200, settle)  # warm up both
        base, with_guard = [], []
        for _ in range(args.rounds):
            base.append(timed(plain, args.calls))
            with_guard.append(timed(guarded, args.calls, settle))
        b, g = statistics.median(base), statistics.median(with_guard)
        assert guard.last_verdict is not None
        assert guard.last_verdict.decision is svstate.Decision.ALLOW
        case = (
            "no version in flight"
            if settled
            else "versions piling up in flight (SV401 warns on every call)"
        )
        print(
            f"Stubber-backed create_solution_version, {case}: {b * 1e6:.0f} us plain, "
            f"{g * 1e6:.0f} us guarded: +{(g / b - 1) * 100:.1f}% (target <= 5%), "
            f"{(g - b) * 1e6:.1f} us per call"
        )
    plain, guarded = client(), client()
    svstate.boto.attach(guarded, svstate.Tracker())
    timed_describe(plain, 200)
    timed_describe(guarded, 200)
    base, with_guard = [], []
    for _ in range(args.rounds):
        base.append(timed_describe(plain, args.calls))
        with_guard.append(timed_describe(guarded, args.calls))
    b, g = statistics.median(base), statistics.median(with_guard)
    print(
        f"Stubber-backed describe_solution_version (observed, not checked): {b * 1e6:.0f} us "
        f"plain, {g * 1e6:.0f} us guarded: +{(g / b - 1) * 100:.1f}% (target <= 5%), "
        f"{(g - b) * 1e6:.1f} us per call"
    )


if __name__ == "__main__":
    main()
