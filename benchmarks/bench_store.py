"""What sharing the tracker's state through Redis costs, and what the async guard adds.

In one run, against a real redis-server on loopback (``SVSTATE_REDIS_URL``, or
one started here when ``redis-server`` is installed):

* ``Tracker.preflight`` (CreateSolutionVersion UPDATE, a solution with 10
  versions) and ``observe`` (a DescribeSolutionVersion response) on a tracker
  with a ``RedisStore``, against the same on an in-memory tracker, and against
  a bare redis-py ``GET`` and ``SET`` round trip (target: within 2x of it);
* a guarded aiobotocore ``create_solution_version`` against a plain one, both
  answered in-process by the fake's responder.

Run::

    python benchmarks/bench_store.py [--calls N]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis

import svstate
import svstate.boto
from svstate.stores import RedisStore

SOL = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def per_call(fn: Callable[[], object], calls: int, rounds: int = 5) -> float:
    """Median over rounds of the mean seconds per call."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - start) / calls)
    return statistics.median(samples)


def seeded(tracker: svstate.Tracker) -> None:
    tracker.observe(
        "DescribeSolution",
        {"solutionArn": SOL},
        {"solution": {"solutionArn": SOL, "status": "ACTIVE", "recipeArn": HRNN}},
    )
    versions = [
        {
            "solutionVersionArn": f"{SOL}/{i:08x}",
            "status": "ACTIVE",
            "trainingMode": "FULL" if i == 0 else "UPDATE",
            "lastUpdatedDateTime": AT + dt.timedelta(hours=i),
        }
        for i in range(10)
    ]
    tracker.observe("ListSolutionVersions", {"solutionArn": SOL}, {"solutionVersions": versions})


def describe(i: int) -> dict[str, Any]:
    return {
        "solutionVersion": {
            "solutionVersionArn": f"{SOL}/{i % 10:08x}",
            "status": "ACTIVE",
            "trainingMode": "FULL" if i % 10 == 0 else "UPDATE",
            "lastUpdatedDateTime": AT + dt.timedelta(hours=i % 10),
        }
    }


def tracker_figures(url: str, calls: int) -> None:
    raw = redis.Redis.from_url(url, decode_responses=True)
    raw.set("svstate-bench:key", "x" * 80)
    get = per_call(lambda: raw.get("svstate-bench:key"), calls)
    put = per_call(lambda: raw.set("svstate-bench:key", "x" * 80), calls)
    store = RedisStore(url, prefix="svstate-bench")
    store.clear()
    shared, local = svstate.Tracker(store=store), svstate.Tracker()
    for t in (shared, local):
        seeded(t)
    update = {"solutionArn": SOL, "trainingMode": "UPDATE"}
    assert shared.preflight("CreateSolutionVersion", update).decision is svstate.Decision.ALLOW
    pre_shared = per_call(lambda: shared.preflight("CreateSolutionVersion", update), calls)
    pre_local = per_call(lambda: local.preflight("CreateSolutionVersion", update), calls)
    n = [0]

    def observe(t: svstate.Tracker) -> None:
        n[0] += 1
        t.observe("DescribeSolutionVersion", {}, describe(n[0]))

    obs_shared = per_call(lambda: observe(shared), calls)
    obs_local = per_call(lambda: observe(local), calls)
    print(f"bare redis-py round trip: GET {get * 1e6:.0f} us, SET {put * 1e6:.0f} us")
    print(
        f"Tracker.preflight UPDATE, 10 versions: in memory {pre_local * 1e6:.1f} us, "
        f"Redis-backed {pre_shared * 1e6:.0f} us = {pre_shared / get:.2f}x a bare GET "
        "(target <= 2x)"
    )
    print(
        f"Tracker.observe DescribeSolutionVersion: in memory {obs_local * 1e6:.1f} us, "
        f"Redis-backed {obs_shared * 1e6:.0f} us = {obs_shared / put:.2f}x a bare SET "
        "(target <= 2x)"
    )
    store.clear()


async def async_figures(calls: int) -> None:
    from aiobotocore.session import get_session

    from svstate.testing._fake_client import answer_with, new_backend

    session = get_session()
    kwargs = {"region_name": "us-east-1", "aws_access_key_id": "x", "aws_secret_access_key": "x"}
    async with (
        session.create_client("personalize", **kwargs) as plain,
        session.create_client("personalize", **kwargs) as guarded,
    ):
        for c in (plain, guarded):
            answer_with(c, new_backend("latest", None, None, "us-east-1", "123456789012", 20, 0))
            group = (await c.create_dataset_group(name="g"))["datasetGroupArn"]
            c.fake.clock.advance(3600)
            await c.create_solution(
                name="movies", datasetGroupArn=group, recipeArn=HRNN, performAutoTraining=False
            )
            c.fake.clock.advance(3600)
        svstate.boto.attach(guarded, unknown="refresh")

        async def timed(c: Any) -> float:
            samples = []
            for _ in range(calls):
                start = time.perf_counter()
                await c.describe_solution(solutionArn=SOL)
                samples.append(time.perf_counter() - start)
            return statistics.median(samples)

        async def timed_create(c: Any) -> float:
            samples = []
            for _ in range(calls):
                start = time.perf_counter()
                arn = (await c.create_solution_version(solutionArn=SOL))["solutionVersionArn"]
                samples.append(time.perf_counter() - start)
                c.fake.settle(arn)
                await c.describe_solution_version(solutionVersionArn=arn)
            return statistics.median(samples)

        await timed(plain)
        await timed(guarded)
        base, with_guard = await timed_create(plain), await timed_create(guarded)
        print(
            f"aiobotocore create_solution_version (fake responder): {base * 1e6:.0f} us plain, "
            f"{with_guard * 1e6:.0f} us guarded: +{(with_guard / base - 1) * 100:.1f}%"
        )
        base, with_guard = await timed(plain), await timed(guarded)
        print(
            f"aiobotocore describe_solution (observed only): {base * 1e6:.0f} us plain, "
            f"{with_guard * 1e6:.0f} us guarded: +{(with_guard / base - 1) * 100:.1f}%"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=2_000)
    args = parser.parse_args()
    url = os.environ.get("SVSTATE_REDIS_URL")
    server = None
    if not url:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from redis_server import Server

        server = Server().start()
        url = server.url
    try:
        tracker_figures(url, args.calls)
    finally:
        if server is not None:
            server.stop()
    asyncio.run(async_figures(min(args.calls, 500)))


if __name__ == "__main__":
    main()
