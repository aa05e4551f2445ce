"""svstate.stores: the Store protocol, MemoryStore, RedisStore on a real redis-server,
and a Tracker sharing one picture of the world through them."""

from __future__ import annotations

import datetime as dt
import logging
import pickle
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from conftest import ARN_PREFIX, HRNN_COLDSTART
from redis_server import Server, can_start, unavailable

import svstate
import svstate.boto
from svstate.stores import ORDER_WIDTH, MemoryStore, RedisStore, Store, StoreUnavailable
from svstate.testing import fake_personalize

SOL = f"{ARN_PREFIX}solution/movies"
V1 = f"{SOL}/0a1b2c3d"
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def key(rank: int, payload: str = "x") -> str:
    return f"{rank:02d}" + "0" * (ORDER_WIDTH - 2) + payload


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> Store:
    if request.param == "memory":
        return MemoryStore()
    url = request.getfixturevalue("redis_url")
    return RedisStore(url, prefix=request.getfixturevalue("redis_prefix"))


def observe_solution(t: svstate.Tracker, status: str = "ACTIVE") -> None:
    t.observe(
        "DescribeSolution",
        {"solutionArn": SOL},
        {"solution": {"solutionArn": SOL, "status": status, "recipeArn": HRNN_COLDSTART}},
    )
    t.observe("ListSolutionVersions", {"solutionArn": SOL}, {"solutionVersions": []})


def version(status: str, minutes: int, mode: str = "FULL") -> dict[str, Any]:
    return {
        "solutionVersion": {
            "solutionVersionArn": V1,
            "status": status,
            "trainingMode": mode,
            "lastUpdatedDateTime": AT + dt.timedelta(minutes=minutes),
        }
    }


# -- the protocol ---------------------------------------------------------------------------------


def test_both_stores_have_the_protocol(store: Store) -> None:
    assert isinstance(store, Store)
    assert "Store(" in repr(store)


def test_merge_keeps_the_greater_key_whichever_writes_last(store: Store) -> None:
    store.merge(SOL, [("a", key(2, "ACTIVE")), ("b", key(0, "PENDING"))])
    store.merge(SOL, [("a", key(1, "IN_PROGRESS")), ("b", key(1, "IN_PROGRESS"))])
    store.merge(SOL, [("a", key(2, "again"))])  # an equal key changes nothing
    assert store.load(SOL) == {"a": key(2, "ACTIVE"), "b": key(1, "IN_PROGRESS")}
    assert store.load(f"{SOL}-other") == {}
    assert store.solutions() == [SOL]


def test_a_lease_is_taken_once_given_back_by_its_holder_only_and_lapses(store: Store) -> None:
    assert store.acquire(SOL, "w1", 0.3, "CreateSolutionVersion") is None
    assert store.acquire(SOL, "w2", 0.3) == "w1\nCreateSolutionVersion"
    assert store.release(SOL, "w2") is False
    assert store.release(SOL, "w") is False  # a prefix of the holder is not the holder
    assert store.release(SOL, "w1") is True
    assert store.release(SOL, "w1") is False
    assert store.acquire(SOL, "w2", 0.3) is None
    time.sleep(0.45)
    assert store.acquire(SOL, "w3", 0.3) is None  # w2's lapsed


@pytest.mark.parametrize("ttl", [0, -1, True, "5", 86_400, float("nan")])
def test_a_bad_lease_lifetime_is_refused(store: Store, ttl: Any) -> None:
    with pytest.raises(svstate.SvstateError, match=r"ttl is .*seconds"):
        store.acquire(SOL, "w1", ttl)


@pytest.mark.parametrize("holder", ["", "two\nlines", 3, None])
def test_a_bad_holder_is_refused(store: Store, holder: Any) -> None:
    with pytest.raises(svstate.SvstateError, match=r"holder is .*one line"):
        store.acquire(SOL, holder, 5)


# -- RedisStore's own bad input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((42,), {}, "url_or_client is 42; pass a redis:// URL or a redis.Redis client"),
        (("http://x",), {}, "is not a Redis URL"),
        (("redis://127.0.0.1:1",), {"prefix": ""}, "prefix is ''"),
        (("redis://127.0.0.1:1",), {"prefix": "a b"}, "without spaces"),
        (("redis://127.0.0.1:1",), {"timeout": 0}, "timeout is 0"),
    ],
)
def test_redis_store_bad_input(args: Any, kwargs: Any, match: str) -> None:
    with pytest.raises(svstate.SvstateError, match=match):
        RedisStore(*args, **kwargs)


def test_an_unreachable_redis_is_one_clear_error_that_pickles() -> None:
    store = RedisStore("redis://127.0.0.1:1/0", timeout=0.2)
    for call in (
        lambda: store.load(SOL),
        lambda: store.merge(SOL, [("a", key(1))]),
        lambda: store.solutions(),
        lambda: store.acquire(SOL, "w", 1),
        lambda: store.release(SOL, "w"),
    ):
        with pytest.raises(StoreUnavailable, match=r"redis://127.0.0.1:1/0 could not be reached"):
            call()
    with pytest.raises(StoreUnavailable) as caught:
        store.load(SOL)
    again = pickle.loads(pickle.dumps(caught.value))
    assert type(again) is StoreUnavailable
    assert again.args == caught.value.args


def test_a_redis_client_can_be_given_and_bytes_answers_are_read(
    redis_url: str, redis_prefix: str
) -> None:
    client = redis.Redis.from_url(redis_url)  # decode_responses off: bytes come back
    store = RedisStore(client, prefix=redis_prefix)
    store.merge(SOL, [("a", key(1))])
    assert store.load(SOL) == {"a": key(1)}
    assert store.acquire(SOL, "w1", 5, "x") is None
    assert store.acquire(SOL, "w2", 5) == "w1\nx"
    store.clear()
    assert store.load(SOL) == {}
    assert store.solutions() == []


# -- a Tracker sharing a store --------------------------------------------------------------------


def test_a_tracker_refuses_a_store_that_is_not_one() -> None:
    with pytest.raises(
        svstate.SvstateError, match=r"store is 'redis://x'; pass a svstate\.stores"
    ):
        svstate.Tracker(store="redis://x")  # type: ignore[arg-type]
    with pytest.raises(svstate.SvstateError, match="store is 3"):
        svstate.Tracker.restore(svstate.Tracker().snapshot(), store=3)  # type: ignore[arg-type]


def test_two_trackers_decide_on_each_others_observations(store: Store) -> None:
    a, b = svstate.Tracker(store=store), svstate.Tracker(store=store)
    observe_solution(a)
    update = {"solutionArn": SOL, "trainingMode": "UPDATE"}
    assert [f.rule for f in b.preflight("CreateSolutionVersion", update).findings] == ["SV301"]
    a.observe("CreateSolutionVersion", {"solutionArn": SOL}, {"solutionVersionArn": V1})
    assert [
        f.rule for f in b.preflight("CreateSolutionVersion", {"solutionArn": SOL}).findings
    ] == ["SV401"]
    b.observe("DescribeSolutionVersion", {}, version("ACTIVE", 30))
    assert a.preflight("CreateSolutionVersion", update).decision is svstate.Decision.ALLOW
    # An older observation written last changes nothing anywhere.
    verdict = a.observe("DescribeSolutionVersion", {}, version("CREATE IN_PROGRESS", 10))
    assert [f.rule for f in verdict.findings] == ["SV506"]
    c = svstate.Tracker(store=store)
    c.observe("DescribeSolutionVersion", {}, version("CREATE IN_PROGRESS", 10))  # c knew nothing
    assert b.preflight("CreateSolutionVersion", update).decision is svstate.Decision.ALLOW
    assert c.preflight("CreateSolutionVersion", update).decision is svstate.Decision.ALLOW


def test_a_resource_the_service_says_is_gone_is_forgotten_by_every_tracker(store: Store) -> None:
    a, b = svstate.Tracker(store=store), svstate.Tracker(store=store)
    observe_solution(a)
    # b knows the solution from a's observations, then forgets it with a's ResourceNotFound.
    assert b.preflight("CreateSolutionVersion", {"solutionArn": SOL}).decision is (
        svstate.Decision.ALLOW
    )
    gone = {"Error": {"Code": "ResourceNotFoundException", "Message": "no"}}
    a.observe("DescribeSolution", {"solutionArn": SOL}, gone)
    verdict = b.preflight("CreateSolutionVersion", {"solutionArn": SOL})
    assert verdict.decision is svstate.Decision.UNKNOWN
    assert "solution" in verdict.missing


def test_snapshot_is_the_fleets_picture_and_restore_shares_it(store: Store) -> None:
    a = svstate.Tracker(store=store)
    observe_solution(a)
    a.observe("DescribeSolutionVersion", {}, version("ACTIVE", 30))
    b = svstate.Tracker(store=store)
    document = b.snapshot()  # b observed nothing itself
    assert [v[0] for v in document["versions"]] == [V1]
    alone = MemoryStore()
    restored = svstate.Tracker.restore(document, store=alone)
    assert restored.store is alone
    fresh = svstate.Tracker(store=alone)
    update = {"solutionArn": SOL, "trainingMode": "UPDATE"}
    assert fresh.preflight("CreateSolutionVersion", update).decision is svstate.Decision.ALLOW


def test_without_a_store_nothing_is_shared_and_leases_stay_in_the_tracker() -> None:
    a, b = svstate.Tracker(), svstate.Tracker()
    assert a.store is None
    observe_solution(a)
    assert b.preflight("CreateSolutionVersion", {"solutionArn": SOL}).decision is (
        svstate.Decision.UNKNOWN
    )
    assert a.acquire(SOL, "w1").decision is svstate.Decision.ALLOW
    assert b.acquire(SOL, "w2").decision is svstate.Decision.ALLOW  # its own leases


def test_the_lease_verdicts_name_the_holder_and_the_call(store: Store) -> None:
    a, b = svstate.Tracker(store=store), svstate.Tracker(store=store)
    assert a.acquire(SOL, "lambda-7", call="CreateSolutionVersion").decision is (
        svstate.Decision.ALLOW
    )
    denied = b.acquire(SOL, "lambda-8")
    (finding,) = denied.findings
    assert (denied.decision, finding.rule, finding.error_code) == (
        svstate.Decision.DENY,
        "SV403",
        "ResourceInUseException",
    )
    assert "held by lambda-7 for CreateSolutionVersion" in finding.message
    assert b.release(SOL, "lambda-8") is False
    assert a.release(SOL, "lambda-7") is True
    with pytest.raises(svstate.SvstateError, match="pass the ARN of a solution"):
        a.acquire(V1, "w")
    with pytest.raises(svstate.SvstateError, match="release takes a solution ARN"):
        a.release(SOL, 3)  # type: ignore[arg-type]


# -- the store going down, and coming back --------------------------------------------------------


@pytest.fixture
def own_server(tmp_path: Any) -> Iterator[Server]:
    if not can_start():
        unavailable("no redis-server binary to start and stop")
    server = Server(directory=tmp_path).start()
    try:
        yield server
    finally:
        server.stop()


def test_what_a_tracker_saw_while_redis_was_down_is_kept_and_written_when_it_is_back(
    own_server: Server,
) -> None:
    a = svstate.Tracker(store=RedisStore(own_server.url, timeout=0.3))
    observe_solution(a)
    own_server.stop()
    verdict = a.observe("CreateSolutionVersion", {"solutionArn": SOL}, {"solutionVersionArn": V1})
    assert [f.rule for f in verdict.findings] == ["SV404"]
    assert "kept in this tracker only" in verdict.findings[0].message
    down = a.preflight("CreateSolutionVersion", {"solutionArn": SOL})
    assert down.decision is svstate.Decision.UNKNOWN  # never an ALLOW on one worker's view
    assert {f.rule for f in down.findings} == {"SV401", "SV404"}
    assert "store" in down.missing
    # A DENY stays a DENY.
    bad = {"solutionArn": SOL, "trainingMode": "FUL"}
    assert a.preflight("CreateSolutionVersion", bad).decision is svstate.Decision.DENY
    own_server.start()  # the same port, empty: nothing was persisted
    assert a.preflight("CreateSolutionVersion", {"solutionArn": SOL}).decision is (
        svstate.Decision.ALLOW
    )
    b = svstate.Tracker(store=RedisStore(own_server.url))
    seen = b.preflight("CreateSolutionVersion", {"solutionArn": SOL})
    assert [f.rule for f in seen.findings] == ["SV401"]  # the version a saw while it was down


def guarded_fake(
    tracker: svstate.Tracker, quota: int = 20, **options: Any
) -> tuple[Any, svstate.boto.Guard]:
    """A fake with an ACTIVE solution ``movies`` (and ``other``, one version in flight)."""
    client = fake_personalize(quota=quota)
    group = client.create_dataset_group(name="movies")["datasetGroupArn"]
    client.fake.clock.advance(3600)
    for name in ("movies", "other"):
        client.create_solution(
            name=name, datasetGroupArn=group, recipeArn=HRNN_COLDSTART, performAutoTraining=False
        )
    client.fake.clock.advance(3600)
    client.create_solution_version(solutionArn=f"{ARN_PREFIX}solution/other")
    return client, svstate.boto.attach(client, tracker, **options)


@pytest.mark.parametrize(
    ("mode", "unknown", "sent"),
    [("enforce", "allow", True), ("enforce", "deny", False), ("monitor", "deny", True)],
)
def test_the_guard_with_redis_down_decides_by_its_unknown_policy(
    own_server: Server, mode: str, unknown: str, sent: bool, caplog: pytest.LogCaptureFixture
) -> None:
    tracker = svstate.Tracker(store=RedisStore(own_server.url, timeout=0.3))
    client, guard = guarded_fake(tracker, mode=mode, unknown=unknown)
    client.describe_solution(solutionArn=SOL)
    client.list_solution_versions(solutionArn=SOL)
    own_server.stop()
    with caplog.at_level(logging.WARNING, logger="svstate.boto"):
        if sent:
            client.create_solution_version(solutionArn=SOL)
        else:
            with pytest.raises(svstate.boto.GuardDenied) as caught:
                client.create_solution_version(solutionArn=SOL)
            assert "SV404" in [f.rule for f in caught.value.verdict.findings]
    assert guard.last_verdict is not None
    assert guard.last_verdict.decision is svstate.Decision.UNKNOWN
    assert bool(guard.denials) is (unknown == "deny")


def test_single_flight_with_redis_down_is_refused_unless_unknown_allows(
    own_server: Server,
) -> None:
    tracker = svstate.Tracker(store=RedisStore(own_server.url, timeout=0.3))
    client, _ = guarded_fake(tracker, unknown="refresh", single_flight=True)
    own_server.stop()
    with pytest.raises(svstate.boto.GuardDenied) as caught:
        client.create_solution_version(solutionArn=SOL)
    assert "SV404" in [f.rule for f in caught.value.verdict.findings]


# -- single flight through the guard --------------------------------------------------------------


def test_single_flight_denies_while_another_worker_holds_the_lease(store: Store) -> None:
    tracker = svstate.Tracker(store=store)
    client, guard = guarded_fake(tracker, unknown="refresh", single_flight=True, worker="me")
    assert store.acquire(SOL, "lambda-2#abc", 30, "CreateSolutionVersion") is None
    with pytest.raises(client.exceptions.ResourceInUseException) as caught:
        client.create_solution_version(solutionArn=SOL)
    assert [f.rule for f in caught.value.verdict.findings] == ["SV403"]
    assert "lambda-2#abc" in str(caught.value)
    assert store.release(SOL, "lambda-2#abc")
    arn = client.create_solution_version(solutionArn=SOL)["solutionVersionArn"]
    assert guard.last_verdict is not None
    assert guard.last_verdict.decision is svstate.Decision.ALLOW
    # The lease was given back on the answer; the version in flight now denies (SV401).
    assert store.acquire(SOL, "probe", 1) is None
    assert store.release(SOL, "probe")
    with pytest.raises(client.exceptions.ResourceInUseException) as caught:
        client.create_solution_version(solutionArn=SOL)
    (finding,) = caught.value.verdict.findings
    assert (finding.rule, str(finding.severity)) == ("SV401", "error")
    assert arn.rpartition("/")[2] in finding.message


def test_without_single_flight_a_version_in_flight_only_warns(store: Store) -> None:
    client, guard = guarded_fake(svstate.Tracker(store=store), unknown="refresh")
    client.create_solution_version(solutionArn=SOL)
    client.create_solution_version(solutionArn=SOL)  # the service decides (SV401 warns)
    assert guard.last_verdict is not None
    assert [str(f.severity) for f in guard.last_verdict.findings] == ["warning"]


def test_a_lease_is_given_back_when_the_call_fails(store: Store) -> None:
    tracker = svstate.Tracker(store=store)
    client, _ = guarded_fake(tracker, quota=1, unknown="refresh", single_flight=True)
    with pytest.raises(client.exceptions.LimitExceededException) as caught:
        client.create_solution_version(solutionArn=SOL)  # the account's one is in use
    assert not isinstance(caught.value, svstate.PreflightDenied)  # the service answered
    assert store.acquire(SOL, "probe", 1) is None


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"single_flight": "yes"}, "single_flight is 'yes'"),
        ({"lease_ttl": 0}, "lease_ttl is 0"),
        ({"lease_ttl": True}, "lease_ttl is True"),
        ({"worker": ""}, "worker is ''"),
        ({"worker": "a\nb"}, "worker is"),
    ],
)
def test_attach_refuses_bad_single_flight_options(options: dict[str, Any], match: str) -> None:
    with pytest.raises(svstate.SvstateError, match=match):
        svstate.boto.attach(fake_personalize(), **options)
