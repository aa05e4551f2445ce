"""What does the boto3 guard add to a real client call?

A ``create_solution_version`` call on a boto3 client whose responses come
from botocore's Stubber (no network): the whole client-side cost of a call,
with and without ``svstate.boto.attach``, measured alternately in one run.
The guard's work per call is a pre-flight from the tracker and one
observation of the response. Target: at most 5% added. Run::

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
    return boto3.client("personalize", region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def timed(c: object, calls: int) -> float:
    """Seconds per call for ``calls`` stubbed create_solution_version calls."""
    with Stubber(c) as stubber:  # type: ignore[arg-type]
        for i in range(calls):
            stubber.add_response("create_solution_version",
                                 {"solutionVersionArn": f"{SOLUTION}/{i:08x}"})
        start = time.perf_counter()
        for _ in range(calls):
            c.create_solution_version(solutionArn=SOLUTION, trainingMode="FULL")  # type: ignore[attr-defined]
        return (time.perf_counter() - start) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    plain, guarded = client(), client()
    tracker = svstate.Tracker()
    tracker.observe("DescribeSolution", {"solutionArn": SOLUTION}, {"solution": {
        "solutionArn": SOLUTION, "status": "ACTIVE", "recipeArn": HRNN}})
    guard = svstate.boto.attach(guarded, tracker)
    timed(plain, 200)
    timed(guarded, 200)  # warm up both
    base, with_guard = [], []
    for _ in range(args.rounds):
        base.append(timed(plain, args.calls))
        with_guard.append(timed(guarded, args.calls))
    b, g = statistics.median(base), statistics.median(with_guard)
    assert guard.last_verdict is not None and guard.last_verdict.decision is svstate.Decision.ALLOW
    print(f"Stubber-backed create_solution_version: {b * 1e6:.0f} us plain, {g * 1e6:.0f} us "
          f"guarded: +{(g / b - 1) * 100:.1f}% (target <= 5%); the guard adds "
          f"{(g - b) * 1e6:.1f} us per call")


if __name__ == "__main__":
    main()
