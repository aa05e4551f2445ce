"""A fleet of worker processes sharing one Redis store: real processes, a real server.

* 8 processes x 1,000 interleaved observations of the same versions, in random
  order: the store ends as a sequential replay in time order, and no version
  is ever seen to move backwards while they run.
* 16 processes racing to create a version of one solution with single flight
  on: exactly one call reaches its (fake) service; the other 15 are refused.
  A holder killed mid-call blocks the solution only until its lease lapses.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import signal
import time
from typing import Any

import pytest
from conftest import ARN_PREFIX, HRNN_COLDSTART

import svstate
import svstate.boto
from svstate._lifecycle import lifecycle_for
from svstate._shared import version_rank
from svstate.stores import ORDER_WIDTH, RedisStore

SOL = f"{ARN_PREFIX}solution/movies"
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SPAWN = multiprocessing.get_context("spawn")


def histories(versions: int, seed: int) -> list[tuple[float, dict[str, Any]]]:
    """(time, DescribeSolutionVersion response) for every step of every version's legal
    life, with repeated describes: what many workers polling would see."""
    rnd = random.Random(seed)
    out = []
    for i in range(versions):
        arn = f"{SOL}/{i:08x}"
        path = ["CREATE PENDING", "CREATE IN_PROGRESS"]
        path += rnd.choice([["ACTIVE"], ["CREATE FAILED"], ["CREATE STOPPING", "CREATE STOPPED"]])
        minute = rnd.randrange(1000)
        for status in path:
            for _ in range(rnd.randrange(1, 5)):  # the same status described again later
                minute += rnd.randrange(1, 30)
                when = AT + dt.timedelta(minutes=minute)
                out.append(
                    (
                        when.timestamp(),
                        {
                            "solutionVersion": {
                                "solutionVersionArn": arn,
                                "status": status,
                                "trainingMode": "FULL",
                                "lastUpdatedDateTime": when,
                            }
                        },
                    )
                )
    return out


def observer(url: str, prefix: str, responses: list[dict[str, Any]], start: Any) -> None:
    tracker = svstate.Tracker(store=RedisStore(url, prefix=prefix))
    start.wait()
    for response in responses:
        tracker.observe("DescribeSolutionVersion", {}, response)


def ranks(store: RedisStore) -> dict[str, int]:
    lc = lifecycle_for(svstate.Tracker().ruleset)
    out = {}
    for field, value in store.load(SOL).items():
        if field.startswith("v:"):
            out[field] = int(value[:2])
            assert version_rank(lc, svstate.Status(value[ORDER_WIDTH:].split('"')[1])) == int(
                value[:2]
            )
    return out


@pytest.mark.redis
def test_eight_processes_of_interleaved_observations_end_as_a_sequential_replay(
    redis_url: str, redis_prefix: str
) -> None:
    steps = histories(versions=300, seed=7)
    steps = steps[: 8 * 1000] if len(steps) >= 8000 else steps
    while len(steps) < 8000:  # pad with describes of what is already there, again
        steps.append(steps[len(steps) % 997])
    shuffled = steps[:]
    random.Random(11).shuffle(shuffled)
    chunks = [[r for _, r in shuffled[i::8]] for i in range(8)]
    assert [len(c) for c in chunks] == [1000] * 8
    store = RedisStore(redis_url, prefix=redis_prefix)
    start = SPAWN.Event()
    workers = [
        SPAWN.Process(target=observer, args=(redis_url, redis_prefix, chunk, start))
        for chunk in chunks
    ]
    for w in workers:
        w.start()
    time.sleep(0.5)
    start.set()
    seen: dict[str, int] = {}
    while any(w.is_alive() for w in workers):  # watch: nothing ever moves backwards
        for field, rank in ranks(store).items():
            assert rank >= seen.get(field, -1), f"{field} moved back"
            seen[field] = rank
    for w in workers:
        w.join()
        assert w.exitcode == 0
    sequential = svstate.Tracker()
    for _, response in sorted(steps, key=lambda s: s[0]):
        sequential.observe("DescribeSolutionVersion", {}, response)
    shared = svstate.Tracker(store=store).snapshot()
    assert sorted(shared["versions"]) == sorted(sequential.snapshot()["versions"])
    assert len(shared["versions"]) == 300


def racer(url: str, prefix: str, seed: int, start: Any, results: Any, hold: float) -> None:
    """One worker: its own fake service, the shared store, single flight on."""
    from svstate.testing import fake_personalize

    client = fake_personalize(seed=seed)
    group = client.create_dataset_group(name="movies")["datasetGroupArn"]
    client.fake.clock.advance(3600)
    client.create_solution(
        name="movies", datasetGroupArn=group, recipeArn=HRNN_COLDSTART, performAutoTraining=False
    )
    client.fake.clock.advance(3600)
    reached: list[str] = []

    def slow_service(**_: Any) -> None:  # the service takes its time to answer
        reached.append("CreateSolutionVersion")
        time.sleep(hold)

    client.meta.events.register_first(
        "before-call.personalize.CreateSolutionVersion", slow_service
    )
    tracker = svstate.Tracker(store=RedisStore(url, prefix=prefix))
    svstate.boto.attach(client, tracker, single_flight=True, lease_ttl=2, worker=f"w{seed}")
    start.wait()
    try:
        client.create_solution_version(solutionArn=SOL)
        results.put((seed, "sent", reached, None))
    except svstate.PreflightDenied as denied:
        rules = [f.rule for f in denied.verdict.findings if str(f.severity) == "error"]
        results.put((seed, "denied", reached, rules))


def seeded(url: str, prefix: str) -> RedisStore:
    store = RedisStore(url, prefix=prefix)
    tracker = svstate.Tracker(store=store)
    tracker.observe(
        "DescribeSolution",
        {"solutionArn": SOL},
        {"solution": {"solutionArn": SOL, "status": "ACTIVE", "recipeArn": HRNN_COLDSTART}},
    )
    tracker.observe("ListSolutionVersions", {"solutionArn": SOL}, {"solutionVersions": []})
    return store


@pytest.mark.redis
def test_sixteen_racing_workers_send_exactly_one_create(redis_url: str, redis_prefix: str) -> None:
    seeded(redis_url, redis_prefix)
    start, results = SPAWN.Event(), SPAWN.Queue()
    workers = [
        SPAWN.Process(target=racer, args=(redis_url, redis_prefix, i, start, results, 1.0))
        for i in range(16)
    ]
    for w in workers:
        w.start()
    time.sleep(3)  # every worker built its client and waits
    start.set()
    outcomes = [results.get(timeout=60) for _ in workers]
    for w in workers:
        w.join()
    sent = [o for o in outcomes if o[1] == "sent"]
    denied = [o for o in outcomes if o[1] == "denied"]
    assert len(sent) == 1, outcomes
    assert len(denied) == 15
    assert all(o[2] == [] for o in denied)  # none of them reached its service
    assert sent[0][2] == ["CreateSolutionVersion"]
    assert {rule for o in denied for rule in o[3]} <= {"SV403", "SV401"}
    assert all(o[3] for o in denied)


@pytest.mark.redis
def test_a_holder_killed_mid_call_blocks_the_solution_only_until_its_lease_lapses(
    redis_url: str, redis_prefix: str
) -> None:
    from svstate.testing import fake_personalize

    store = seeded(redis_url, redis_prefix)
    start, results = SPAWN.Event(), SPAWN.Queue()
    holder = SPAWN.Process(target=racer, args=(redis_url, redis_prefix, 1, start, results, 600))
    holder.start()
    start.set()
    raw = store._redis
    deadline = time.monotonic() + 30
    while raw.get(f"{redis_prefix}:lease:{SOL}") is None:  # it holds the lease, mid-call
        assert time.monotonic() < deadline, "the holder never took the lease"
        time.sleep(0.02)
    assert holder.pid is not None
    os.kill(holder.pid, signal.SIGKILL)
    holder.join()
    client = fake_personalize(seed=99)
    group = client.create_dataset_group(name="movies")["datasetGroupArn"]
    client.fake.clock.advance(3600)
    client.create_solution(
        name="movies", datasetGroupArn=group, recipeArn=HRNN_COLDSTART, performAutoTraining=False
    )
    client.fake.clock.advance(3600)
    tracker = svstate.Tracker(store=store)
    svstate.boto.attach(client, tracker, single_flight=True, lease_ttl=2, worker="next")
    with pytest.raises(svstate.PreflightDenied) as caught:
        client.create_solution_version(solutionArn=SOL)
    (finding,) = caught.value.verdict.findings
    assert finding.rule == "SV403"
    assert "held by w1#" in finding.message
    time.sleep(2.2)  # the killed holder's lease lapses
    arn = client.create_solution_version(solutionArn=SOL)["solutionVersionArn"]
    assert arn.startswith(SOL + "/")
