"""How fast and how small is the Tracker?

Prints, from one run:

* ``observe`` throughput on DescribeSolutionVersion responses, one thread
  (target >= 500,000 per second, issue 14; design.md asked 200,000), and as a
  ratio against a plain loop that only reads the same fields into a dict (the
  floor any tracker pays). Twice: with timestamps in ``datetime.timezone.utc``,
  and with timestamps exactly as botocore parses them (its
  ``parse_timestamp``, which gives dateutil's ``tzlocal()``, whose offset is
  computed in Python: each conversion to seconds costs about four times
  more). A boto3 user's responses are the second kind;
* memory per tracked version at 1,000,000 versions, measured with
  tracemalloc, beyond the ARN strings themselves (target <= 200 bytes, issue 14; design.md asked 300);
* ``Tracker.preflight`` of an UPDATE on a solution with 10 and with 100,000
  versions (target: at most 3 us at both; the tracker reads indexes, not versions).

Run::

    python benchmarks/bench_tracker.py [--versions N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import sys
import time
import timeit
import tracemalloc
from collections.abc import Callable

import svstate

ACCOUNT = "arn:aws:personalize:us-east-1:123456789012:solution/"
HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
T0 = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
STEPS = ("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE")


def utc(minutes: int) -> dt.datetime:
    """A timestamp in the standard library's UTC."""
    return T0 + dt.timedelta(minutes=minutes)


def as_botocore_parses(minutes: int) -> dt.datetime:
    """The same instant as botocore parses a JSON response's epoch seconds."""
    from botocore.utils import parse_timestamp

    return parse_timestamp((T0 + dt.timedelta(minutes=minutes)).timestamp())  # type: ignore[no-any-return]


def responses(
    solutions: int, per_solution: int, stamp: Callable[[int], dt.datetime] = utc
) -> list[dict[str, object]]:
    """Every version of every solution observed through its three statuses, in order."""
    out = []
    for step, status in enumerate(STEPS):
        for s in range(solutions):
            for v in range(per_solution):
                sol = f"{ACCOUNT}s{s}"
                out.append(
                    {
                        "solutionVersion": {
                            "solutionVersionArn": f"{sol}/{v:08x}",
                            "solutionArn": sol,
                            "status": status,
                            "trainingMode": "FULL",
                            "creationDateTime": stamp(0),
                            "lastUpdatedDateTime": stamp(step),
                        }
                    }
                )
    return out


def throughput(stamp: Callable[[int], dt.datetime], label: str) -> None:
    batch = responses(100, 200, stamp)  # 60,000 observations of 20,000 versions
    params = {"solutionVersionArn": "x"}

    def with_tracker() -> None:
        t = svstate.Tracker()
        for r in batch:
            t.observe("DescribeSolutionVersion", params, r)

    def floor() -> None:
        seen: dict[str, tuple[object, ...]] = {}
        for r in batch:
            v = r["solutionVersion"]
            seen[v["solutionVersionArn"]] = (
                v["status"],
                v["trainingMode"],  # type: ignore[index]
                v["lastUpdatedDateTime"],
            )  # type: ignore[index]

    ours = min(timeit.repeat(with_tracker, number=1, repeat=5))
    plain = min(timeit.repeat(floor, number=1, repeat=5))
    rate = len(batch) / ours
    print(
        f"observe, {label}: {rate:,.0f} DescribeSolutionVersion observations per second "
        f"on one thread (target >= 500,000); {ours / plain:.1f}x a loop that only copies "
        "the fields"
    )


def memory(n: int) -> None:
    arns = [f"{ACCOUNT}s{i // 1000}/{i % 1000:08x}" for i in range(n)]
    solutions = {a.rpartition("/")[0] for a in arns}
    strings = sum(sys.getsizeof(a) for a in arns) + sum(sys.getsizeof(s) for s in solutions)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    t = svstate.Tracker()
    when = T0 + dt.timedelta(hours=1)
    for arn in arns:
        t.observe(
            "DescribeSolutionVersion",
            None,
            {
                "solutionVersion": {
                    "solutionVersionArn": arn,
                    "status": "ACTIVE",
                    "trainingMode": "FULL",
                    "creationDateTime": T0,
                    "lastUpdatedDateTime": when,
                }
            },
        )
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert len(t) == n
    # The solution ARNs the tracker derives are new strings it holds: count them as strings.
    derived = sum(sys.getsizeof(s) for s in solutions)
    per_version = (used - derived) / n
    print(
        f"memory: {per_version:.0f} bytes per tracked version at {n:,} versions beyond the "
        f"ARN strings (target <= 200); ARN strings themselves: {strings / n:.0f} bytes each"
    )


def preflight_cost() -> None:
    costs = {}
    for n in (10, 100_000):
        t = svstate.Tracker()
        sol = f"{ACCOUNT}big{n}"
        t.observe(
            "DescribeSolution",
            None,
            {"solution": {"solutionArn": sol, "status": "ACTIVE", "recipeArn": HRNN}},
        )
        for i in range(n):
            t.observe(
                "DescribeSolutionVersion",
                None,
                {
                    "solutionVersion": {
                        "solutionVersionArn": f"{sol}/{i:08x}",
                        "status": "ACTIVE" if i == 0 else "CREATE FAILED",
                        "trainingMode": "FULL",
                        "creationDateTime": T0,
                        "lastUpdatedDateTime": T0,
                    }
                },
            )
        t.observe("ListSolutionVersions", {"solutionArn": sol}, {"solutionVersions": []})
        params = {"solutionArn": sol, "trainingMode": "UPDATE"}
        assert t.preflight("CreateSolutionVersion", params).decision is svstate.Decision.ALLOW
        costs[n] = (
            statistics.median(
                timeit.repeat(
                    lambda t=t, params=params: t.preflight("CreateSolutionVersion", params),
                    number=2_000,
                    repeat=7,
                )
            )
            / 2_000
        )
    print(
        f"Tracker.preflight UPDATE: {costs[10] * 1e6:.1f} us with 10 versions, "
        f"{costs[100_000] * 1e6:.1f} us with 100,000 (ratio {costs[100_000] / costs[10]:.2f}; "
        "target: <= 3 us at both)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--versions", type=int, default=1_000_000, help="versions for the memory measurement"
    )
    args = parser.parse_args()
    start = time.perf_counter()
    throughput(utc, "timestamps in datetime.timezone.utc")
    throughput(as_botocore_parses, "timestamps as botocore parses them (tzlocal)")
    preflight_cost()
    memory(args.versions)
    print(f"(ran in {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
