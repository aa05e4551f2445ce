"""The boto3 guard: ``svstate.boto.attach`` on real botocore clients, never the network.

Calls are answered by botocore's own ``Stubber`` (whose queue tells whether a
call was sent at all), or, where several threads share a client, by a
``before-call`` handler that answers from the request itself.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
import sys
import threading
import weakref
from typing import Any

import boto3
import botocore.exceptions
import botocore.session
import pytest
from botocore.stub import Stubber
from conftest import (
    ACTIVE_FULL_VERSION_ARN,
    CAMPAIGN_ARN,
    FAILED_UPDATE_VERSION_ARN,
    IN_PROGRESS_VERSION_ARN,
    REGION,
    SOLUTION_ARN,
    load,
)

import svstate
import svstate.boto
from svstate import Decision, PreflightDenied, SvstateError, Tracker

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
UPDATE = {"solutionArn": SOLUTION_ARN, "trainingMode": "UPDATE"}
NEW_VERSION_ARN = f"{SOLUTION_ARN}/0a1b2c3d"
DELETE = {"solutionArn": SOLUTION_ARN}


def make_client(service: str = "personalize") -> Any:
    return boto3.client(service, region_name=REGION, **CREDENTIALS)


def make_session() -> boto3.Session:
    return boto3.Session(region_name=REGION, **CREDENTIALS)


@pytest.fixture
def client() -> Any:
    return make_client()


@pytest.fixture
def stubber(client: Any) -> Any:
    with Stubber(client) as stub:
        yield stub


class CountingTracker(Tracker):
    """A real tracker that counts the questions it is asked and records what it is fed."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.preflights: list[str] = []
        self.observed: list[tuple[str, Any, Any]] = []

    def preflight(self, operation: Any, params: Any, **kwargs: Any) -> svstate.Verdict:
        self.preflights.append(operation)
        return super().preflight(operation, params, **kwargs)

    def observe(self, operation: Any, params: Any, response: Any) -> svstate.Verdict:
        self.observed.append((operation, params, response))
        return super().observe(operation, params, response)


def solution_fact(**changes: Any) -> dict[str, Any]:
    """movies-coldstart (aws-hrnn-coldstart, ACTIVE) without its latestSolutionVersion."""
    fact = load("solution_active_hrnn_coldstart")["solution"]
    del fact["latestSolutionVersion"]
    fact.update(changes)
    return fact


def versions_page(*names: str) -> list[dict[str, Any]]:
    """Summaries of movies-coldstart's versions from the data file, by ARN."""
    summaries = load("versions_coldstart_full_active")["solutionVersions"]
    return [s for s in summaries if s["solutionVersionArn"] in names]


def knows_no_full_version(tracker: Tracker) -> Tracker:
    """Teach the tracker that movies-coldstart is ACTIVE and has no versions at all."""
    tracker.observe(
        "DescribeSolution", {"solutionArn": SOLUTION_ARN}, {"solution": solution_fact()}
    )
    tracker.observe(
        "ListSolutionVersions", {"solutionArn": SOLUTION_ARN}, {"solutionVersions": []}
    )
    verdict = tracker.preflight("CreateSolutionVersion", UPDATE)
    assert verdict.decision is Decision.DENY, verdict  # the precondition of the tests below
    return tracker


def record_calls(client: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every operation the client goes on to build a request for, with its params."""
    calls: list[tuple[str, dict[str, Any]]] = []

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        calls.append((model.name, dict(params)))

    client.meta.events.register("before-parameter-build.personalize", record)
    return calls


def rules_of(verdict: svstate.Verdict) -> set[str]:
    return {f.rule for f in verdict.findings}


def stub_create(stubber: Any) -> None:
    stubber.add_response(
        "create_solution_version", {"solutionVersionArn": NEW_VERSION_ARN}, dict(UPDATE)
    )


class _HttpResponse:
    """Enough of an HTTP response for a ``before-call`` handler's answer."""

    status_code = 200
    headers: dict[str, str] = {}  # noqa: RUF012


def tracked_versions(tracker: Tracker) -> dict[str, str]:
    """ARN -> status of every version the tracker holds."""
    return {row[0]: row[1] for row in tracker.snapshot()["versions"]}


# -- enforce and monitor -------------------------------------------------------------------


def test_enforce_raises_preflight_denied_and_never_sends_the_call(
    client: Any, stubber: Any
) -> None:
    tracker = knows_no_full_version(Tracker())
    guard = svstate.boto.attach(client, tracker)
    stub_create(stubber)

    with pytest.raises(PreflightDenied) as caught:
        client.create_solution_version(**UPDATE)

    assert caught.value.verdict.decision is Decision.DENY
    assert "SV301" in rules_of(caught.value.verdict)
    assert isinstance(caught.value, SvstateError)
    assert guard.last_verdict is caught.value.verdict
    assert list(guard.denials) == [("CreateSolutionVersion", caught.value.verdict)]
    # The stubbed response is still queued: the request was never sent.
    assert len(stubber._queue) == 1
    with pytest.raises(AssertionError):
        stubber.assert_no_pending_responses()
    # Nothing was observed for the refused call.
    assert NEW_VERSION_ARN not in tracked_versions(tracker)


def test_monitor_logs_a_warning_naming_the_rule_and_lets_the_call_through(
    client: Any, stubber: Any, caplog: pytest.LogCaptureFixture
) -> None:
    tracker = knows_no_full_version(Tracker())
    guard = svstate.boto.attach(client, tracker, "monitor")
    stub_create(stubber)

    with caplog.at_level(logging.WARNING, logger="svstate.boto"):
        response = client.create_solution_version(**UPDATE)
    assert [op for op, _ in guard.denials] == ["CreateSolutionVersion"]  # would have refused

    assert response["solutionVersionArn"] == NEW_VERSION_ARN
    stubber.assert_no_pending_responses()
    warnings = [
        r for r in caplog.records if r.name == "svstate.boto" and r.levelno == logging.WARNING
    ]
    assert len(warnings) == 1
    assert "SV301" in warnings[0].getMessage()
    # The call went through, so its response was observed.
    assert tracked_versions(tracker)[NEW_VERSION_ARN] == "CREATE PENDING"


def test_monitor_logs_no_warning_for_an_allowed_call(
    client: Any, stubber: Any, caplog: pytest.LogCaptureFixture
) -> None:
    tracker = knows_no_full_version(Tracker())
    svstate.boto.attach(client, tracker, mode="monitor")
    stubber.add_response(
        "create_solution_version",
        {"solutionVersionArn": NEW_VERSION_ARN},
        {"solutionArn": SOLUTION_ARN, "trainingMode": "FULL"},
    )

    with caplog.at_level(logging.WARNING, logger="svstate.boto"):
        client.create_solution_version(solutionArn=SOLUTION_ARN, trainingMode="FULL")

    stubber.assert_no_pending_responses()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_enforce_lets_an_allowed_call_through_and_observes_its_response(
    client: Any, stubber: Any
) -> None:
    tracker = knows_no_full_version(Tracker())
    guard = svstate.boto.attach(client, tracker)
    stubber.add_response(
        "create_solution_version",
        {"solutionVersionArn": NEW_VERSION_ARN},
        {"solutionArn": SOLUTION_ARN, "trainingMode": "FULL"},
    )

    client.create_solution_version(solutionArn=SOLUTION_ARN, trainingMode="FULL")

    stubber.assert_no_pending_responses()
    assert guard.last_verdict is not None
    assert guard.last_verdict.decision is Decision.ALLOW
    assert tracked_versions(tracker) == {NEW_VERSION_ARN: "CREATE PENDING"}


# -- what to do on UNKNOWN -----------------------------------------------------------------


def test_unknown_is_allowed_by_default(client: Any, stubber: Any) -> None:
    guard = svstate.boto.attach(client, Tracker())  # knows nothing: UPDATE is UNKNOWN
    stub_create(stubber)

    response = client.create_solution_version(**UPDATE)

    assert response["solutionVersionArn"] == NEW_VERSION_ARN
    stubber.assert_no_pending_responses()
    assert guard.unknown == "allow"
    assert guard.last_verdict is not None
    assert guard.last_verdict.decision is Decision.UNKNOWN
    assert not guard.denials  # the boundary: an UNKNOWN let through is no denial


def test_unknown_deny_refuses_an_unknown_call_before_it_is_sent(client: Any, stubber: Any) -> None:
    svstate.boto.attach(client, Tracker(), unknown="deny")
    stub_create(stubber)

    with pytest.raises(PreflightDenied) as caught:
        client.create_solution_version(**UPDATE)

    assert caught.value.verdict.decision is Decision.UNKNOWN
    assert caught.value.verdict.missing  # names the facts that would settle it
    assert len(stubber._queue) == 1
    with pytest.raises(AssertionError):
        stubber.assert_no_pending_responses()


def test_unknown_deny_in_monitor_mode_logs_a_warning_and_lets_the_call_through(
    client: Any, stubber: Any, caplog: pytest.LogCaptureFixture
) -> None:
    svstate.boto.attach(client, Tracker(), mode="monitor", unknown="deny")
    stub_create(stubber)

    with caplog.at_level(logging.WARNING, logger="svstate.boto"):
        client.create_solution_version(**UPDATE)

    stubber.assert_no_pending_responses()
    assert [r for r in caplog.records if r.name == "svstate.boto" and r.levelno == logging.WARNING]


def stub_refresh(stubber: Any, second_page: list[dict[str, Any]]) -> None:
    """DescribeSolution, then ListSolutionVersions in two pages, with the exact params."""
    stubber.add_response("describe_solution", {"solution": solution_fact()}, dict(DELETE))
    stubber.add_response(
        "list_solution_versions",
        {"solutionVersions": versions_page(FAILED_UPDATE_VERSION_ARN), "nextToken": "page-2"},
        {"solutionArn": SOLUTION_ARN},
    )
    stubber.add_response(
        "list_solution_versions",
        {"solutionVersions": second_page},
        {"solutionArn": SOLUTION_ARN, "nextToken": "page-2"},
    )


def test_unknown_refresh_fetches_solution_and_every_page_then_allows(
    client: Any, stubber: Any
) -> None:
    tracker = Tracker()
    guard = svstate.boto.attach(client, tracker, unknown="refresh")
    calls = record_calls(client)
    stub_refresh(stubber, versions_page(ACTIVE_FULL_VERSION_ARN))
    stub_create(stubber)

    response = client.create_solution_version(**UPDATE)

    assert response["solutionVersionArn"] == NEW_VERSION_ARN
    stubber.assert_no_pending_responses()
    assert [name for name, _ in calls] == [
        "DescribeSolution",
        "ListSolutionVersions",
        "ListSolutionVersions",
        "CreateSolutionVersion",
    ]
    assert guard.last_verdict is not None
    assert guard.last_verdict.decision is Decision.ALLOW
    # What the refresh fetched went through the observers too.
    assert tracked_versions(tracker) == {
        FAILED_UPDATE_VERSION_ARN: "CREATE FAILED",
        ACTIVE_FULL_VERSION_ARN: "ACTIVE",
        NEW_VERSION_ARN: "CREATE PENDING",
    }


def test_unknown_refresh_denies_when_the_refreshed_listing_has_no_active_full_version(
    client: Any, stubber: Any
) -> None:
    svstate.boto.attach(client, Tracker(), unknown="refresh")
    calls = record_calls(client)
    stub_refresh(stubber, [])  # the only version, on page 1, is a failed UPDATE

    with pytest.raises(PreflightDenied) as caught:
        client.create_solution_version(**UPDATE)

    assert caught.value.verdict.decision is Decision.DENY
    assert "SV301" in rules_of(caught.value.verdict)
    stubber.assert_no_pending_responses()
    assert [name for name, _ in calls] == [
        "DescribeSolution",
        "ListSolutionVersions",
        "ListSolutionVersions",
    ]


def test_unknown_refresh_for_delete_solution_also_lists_campaigns_and_denies_while_one_exists(
    client: Any, stubber: Any
) -> None:
    svstate.boto.attach(client, Tracker(), unknown="refresh")
    calls = record_calls(client)
    stub_refresh(stubber, versions_page(ACTIVE_FULL_VERSION_ARN))
    stubber.add_response("list_campaigns", load("campaigns_active"), dict(DELETE))

    with pytest.raises(PreflightDenied) as caught:
        client.delete_solution(**DELETE)

    assert "SV902" in rules_of(caught.value.verdict)
    assert CAMPAIGN_ARN.rpartition("/")[2] in str(caught.value.verdict)
    stubber.assert_no_pending_responses()
    assert [name for name, _ in calls] == [
        "DescribeSolution",
        "ListSolutionVersions",
        "ListSolutionVersions",
        "ListCampaigns",
    ]


def test_unknown_refresh_for_delete_solution_allows_with_no_campaigns_and_nothing_training(
    client: Any, stubber: Any
) -> None:
    guard = svstate.boto.attach(client, Tracker(), unknown="refresh")
    calls = record_calls(client)
    stub_refresh(stubber, versions_page(ACTIVE_FULL_VERSION_ARN))
    stubber.add_response("list_campaigns", {"campaigns": []}, dict(DELETE))
    stubber.add_response("delete_solution", {}, dict(DELETE))

    client.delete_solution(**DELETE)

    stubber.assert_no_pending_responses()
    assert [name for name, _ in calls] == [
        "DescribeSolution",
        "ListSolutionVersions",
        "ListSolutionVersions",
        "ListCampaigns",
        "DeleteSolution",
    ]
    assert guard.last_verdict is not None
    assert guard.last_verdict.decision is Decision.ALLOW


def test_unknown_refresh_for_create_campaign_denies_a_version_still_training(
    client: Any, stubber: Any
) -> None:
    svstate.boto.attach(client, Tracker(), unknown="refresh")
    calls = record_calls(client)
    training = dict(
        versions_page(ACTIVE_FULL_VERSION_ARN)[0],
        solutionVersionArn=IN_PROGRESS_VERSION_ARN,
        status="CREATE IN_PROGRESS",
        trainingMode="UPDATE",
    )
    stubber.add_response("describe_solution", {"solution": solution_fact()}, dict(DELETE))
    stubber.add_response(
        "list_solution_versions", {"solutionVersions": [training]}, {"solutionArn": SOLUTION_ARN}
    )

    with pytest.raises(PreflightDenied) as caught:
        client.create_campaign(
            name="movies", solutionVersionArn=IN_PROGRESS_VERSION_ARN, minProvisionedTPS=1
        )

    assert "SV701" in rules_of(caught.value.verdict)
    stubber.assert_no_pending_responses()
    assert [name for name, _ in calls] == ["DescribeSolution", "ListSolutionVersions"]


def test_unknown_refresh_fetches_nothing_when_the_tracker_already_knows_enough(
    client: Any, stubber: Any
) -> None:
    svstate.boto.attach(client, knows_no_full_version(Tracker()), unknown="refresh")
    calls = record_calls(client)

    with pytest.raises(PreflightDenied):
        client.create_solution_version(**UPDATE)

    assert calls == []
    stubber.assert_no_pending_responses()


# -- attaching twice, detaching ------------------------------------------------------------


def test_attaching_twice_returns_the_same_guard_and_runs_the_veto_once(
    client: Any, stubber: Any
) -> None:
    tracker = CountingTracker()
    first = svstate.boto.attach(client, tracker)
    second = svstate.boto.attach(client, tracker)
    stub_create(stubber)

    client.create_solution_version(**UPDATE)

    assert second is first
    assert tracker.preflights == ["CreateSolutionVersion"]
    assert [op for op, _, _ in tracker.observed] == ["CreateSolutionVersion"]
    stubber.assert_no_pending_responses()


def test_detach_restores_plain_behaviour_for_a_call_svstate_would_deny(
    client: Any, stubber: Any
) -> None:
    tracker = knows_no_full_version(CountingTracker())
    guard = svstate.boto.attach(client, tracker)
    stub_create(stubber)
    with pytest.raises(PreflightDenied):
        client.create_solution_version(**UPDATE)
    asked = len(tracker.preflights)

    guard.detach()
    response = client.create_solution_version(**UPDATE)

    assert response["solutionVersionArn"] == NEW_VERSION_ARN
    stubber.assert_no_pending_responses()
    assert not guard.attached
    assert len(tracker.preflights) == asked  # not asked again
    assert NEW_VERSION_ARN not in tracked_versions(tracker)  # nor fed


def test_attaching_after_detach_gives_a_new_guard_whose_veto_runs_once(
    client: Any, stubber: Any
) -> None:
    tracker = CountingTracker()
    first = svstate.boto.attach(client, tracker)
    first.detach()
    second = svstate.boto.attach(client, tracker)
    stub_create(stubber)

    client.create_solution_version(**UPDATE)

    assert second is not first
    assert second.attached
    assert tracker.preflights == ["CreateSolutionVersion"]


# -- sessions ------------------------------------------------------------------------------


def test_attaching_to_a_session_guards_clients_created_afterwards() -> None:
    session = make_session()
    tracker = knows_no_full_version(Tracker())
    guard = svstate.boto.attach(session, tracker)
    client = session.client("personalize")

    with Stubber(client) as stubber:
        stub_create(stubber)
        with pytest.raises(PreflightDenied):
            client.create_solution_version(**UPDATE)
        assert len(stubber._queue) == 1

    assert svstate.boto.attach(session, tracker) is guard
    assert svstate.boto.attach(client, tracker) is guard


def test_a_session_guard_vetoes_once_per_call_on_each_client_it_reaches() -> None:
    session = make_session()
    tracker = CountingTracker()
    svstate.boto.attach(session, tracker)
    svstate.boto.attach(session, tracker)
    clients = [session.client("personalize") for _ in range(2)]

    for client in clients:
        with Stubber(client) as stubber:
            stub_create(stubber)
            client.create_solution_version(**UPDATE)
            stubber.assert_no_pending_responses()

    assert tracker.preflights == ["CreateSolutionVersion"] * 2


def test_attaching_to_a_botocore_session_guards_clients_created_afterwards() -> None:
    session = botocore.session.get_session()
    tracker = knows_no_full_version(Tracker())
    guard = svstate.boto.attach(session, tracker)
    client = session.create_client("personalize", region_name=REGION, **CREDENTIALS)

    with Stubber(client) as stubber:
        stub_create(stubber)
        with pytest.raises(PreflightDenied):
            client.create_solution_version(**UPDATE)
        assert len(stubber._queue) == 1
        guard.detach()
        client.create_solution_version(**UPDATE)
        stubber.assert_no_pending_responses()


def test_detaching_a_session_guard_unguards_clients_created_before_and_after() -> None:
    session = make_session()
    tracker = knows_no_full_version(Tracker())
    guard = svstate.boto.attach(session, tracker)
    before = session.client("personalize")

    guard.detach()
    after = session.client("personalize")

    for client in (before, after):
        with Stubber(client) as stubber:
            stub_create(stubber)
            client.create_solution_version(**UPDATE)
            stubber.assert_no_pending_responses()


def test_a_session_guard_does_not_keep_the_clients_it_guarded_alive() -> None:
    # A service that makes a client per job from one guarded session must not leak them.
    session = make_session()
    guard = svstate.boto.attach(session)
    refs = [weakref.ref(session.client("personalize")) for _ in range(3)]

    gc.collect()

    assert [ref() for ref in refs] == [None, None, None]
    assert guard.attached


# -- operations svstate does not model -----------------------------------------------------


@pytest.mark.parametrize(
    ("method", "params", "response"),
    [
        ("list_recipes", {}, {"recipes": [], "nextToken": "more"}),
        (
            "describe_recipe",
            {"recipeArn": "arn:aws:personalize:::recipe/aws-sims"},
            {"recipe": {"recipeArn": "arn:aws:personalize:::recipe/aws-sims", "status": "ACTIVE"}},
        ),
    ],
)
def test_unmodelled_operations_pass_through_untouched(
    client: Any, stubber: Any, method: str, params: dict[str, Any], response: dict[str, Any]
) -> None:
    tracker = CountingTracker()
    guard = svstate.boto.attach(client, tracker, unknown="deny")  # the strictest guard
    before = tracker.snapshot()
    stubber.add_response(method, response, dict(params))

    got = getattr(client, method)(**params)

    stubber.assert_no_pending_responses()
    got.pop("ResponseMetadata", None)
    assert got == response
    assert tracker.preflights == []
    assert guard.last_verdict is None
    assert tracker.snapshot() == before


# -- observation ---------------------------------------------------------------------------


def test_observed_active_full_version_turns_the_next_update_from_denied_to_allowed(
    client: Any, stubber: Any
) -> None:
    tracker = knows_no_full_version(Tracker())
    svstate.boto.attach(client, tracker)
    with pytest.raises(PreflightDenied):
        client.create_solution_version(**UPDATE)

    stubber.add_response(
        "describe_solution_version",
        load("version_active_full"),
        {"solutionVersionArn": ACTIVE_FULL_VERSION_ARN},
    )
    client.describe_solution_version(solutionVersionArn=ACTIVE_FULL_VERSION_ARN)
    stub_create(stubber)
    response = client.create_solution_version(**UPDATE)

    assert response["solutionVersionArn"] == NEW_VERSION_ARN
    stubber.assert_no_pending_responses()


def test_resource_not_found_on_describe_solution_version_makes_the_tracker_forget_it(
    client: Any, stubber: Any
) -> None:
    tracker = Tracker()
    svstate.boto.attach(client, tracker)
    stubber.add_response(
        "describe_solution_version",
        load("version_active_full"),
        {"solutionVersionArn": ACTIVE_FULL_VERSION_ARN},
    )
    client.describe_solution_version(solutionVersionArn=ACTIVE_FULL_VERSION_ARN)
    assert tracked_versions(tracker) == {ACTIVE_FULL_VERSION_ARN: "ACTIVE"}

    stubber.add_client_error(
        "describe_solution_version",
        service_error_code="ResourceNotFoundException",
        service_message="Could not find solution version",
        http_status_code=404,
        expected_params={"solutionVersionArn": ACTIVE_FULL_VERSION_ARN},
    )
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        client.describe_solution_version(solutionVersionArn=ACTIVE_FULL_VERSION_ARN)

    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert tracked_versions(tracker) == {}
    stubber.assert_no_pending_responses()


def test_error_responses_reach_the_tracker_through_after_call(client: Any, stubber: Any) -> None:
    tracker = knows_no_full_version(CountingTracker())
    svstate.boto.attach(client, tracker)
    stubber.add_client_error(
        "describe_solution",
        service_error_code="ResourceNotFoundException",
        http_status_code=404,
        expected_params=dict(DELETE),
    )

    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_solution(**DELETE)

    operation, params, response = tracker.observed[-1]
    assert operation == "DescribeSolution"
    assert params == DELETE
    assert response["Error"]["Code"] == "ResourceNotFoundException"
    # The solution is forgotten: what was a DENY is now not known.
    assert tracker.preflight("CreateSolutionVersion", UPDATE).decision is Decision.UNKNOWN


def test_a_call_that_fails_without_a_response_raises_its_own_error_and_changes_nothing(
    client: Any,
) -> None:
    tracker = knows_no_full_version(Tracker())
    svstate.boto.attach(client, tracker)
    before = tracker.snapshot()

    class NetworkDown(Exception):
        pass

    def fail(**_: Any) -> None:
        raise NetworkDown("no route")

    client.meta.events.register("before-send.personalize", fail)

    with pytest.raises(NetworkDown):
        client.describe_solution_version(solutionVersionArn=ACTIVE_FULL_VERSION_ARN)

    assert tracker.snapshot() == before


def test_attach_without_a_tracker_creates_one_and_feeds_it(client: Any, stubber: Any) -> None:
    guard = svstate.boto.attach(client)
    stubber.add_response(
        "describe_solution_version",
        load("version_active_full"),
        {"solutionVersionArn": ACTIVE_FULL_VERSION_ARN},
    )

    client.describe_solution_version(solutionVersionArn=ACTIVE_FULL_VERSION_ARN)

    assert isinstance(guard.tracker, Tracker)
    assert guard.mode == "enforce"
    assert tracked_versions(guard.tracker) == {ACTIVE_FULL_VERSION_ARN: "ACTIVE"}


class BrokenTracker(Tracker):
    """A tracker whose pre-flight fails: svstate itself going wrong."""

    def preflight(self, operation: Any, params: Any, **kwargs: Any) -> svstate.Verdict:
        raise RuntimeError("tracker exploded")


def test_enforce_refuses_with_a_clear_svstate_error_when_svstate_itself_fails(
    client: Any, stubber: Any
) -> None:
    svstate.boto.attach(client, BrokenTracker())
    stub_create(stubber)

    with pytest.raises(SvstateError) as caught:
        client.create_solution_version(**UPDATE)

    assert not isinstance(caught.value, PreflightDenied)
    assert "CreateSolutionVersion" in str(caught.value)
    assert "tracker exploded" in str(caught.value)
    assert len(stubber._queue) == 1  # not sent


def test_monitor_logs_and_lets_the_call_through_when_svstate_itself_fails(
    client: Any, stubber: Any, caplog: pytest.LogCaptureFixture
) -> None:
    svstate.boto.attach(client, BrokenTracker(), mode="monitor")
    stub_create(stubber)

    with caplog.at_level(logging.WARNING, logger="svstate.boto"):
        response = client.create_solution_version(**UPDATE)

    assert response["solutionVersionArn"] == NEW_VERSION_ARN
    stubber.assert_no_pending_responses()
    assert [r for r in caplog.records if r.name == "svstate.boto" and r.levelno >= logging.WARNING]


@pytest.mark.parametrize(
    ("method", "params", "parsed"),
    [
        (
            "describe_solution_version",
            {"solutionVersionArn": ACTIVE_FULL_VERSION_ARN},
            {"solutionVersion": {"solutionVersionArn": 42, "status": ["ACTIVE"]}},
        ),
        (
            "describe_solution_version",
            {"solutionVersionArn": ACTIVE_FULL_VERSION_ARN},
            {"solutionVersion": "garbage"},
        ),
        (
            "list_solution_versions",
            {"solutionArn": SOLUTION_ARN},
            {"solutionVersions": [None, {"status": "ACTIVE"}], "nextToken": 7},
        ),
        ("describe_solution", {"solutionArn": SOLUTION_ARN}, {"solution": {"status": {}}}),
        ("list_campaigns", {"solutionArn": SOLUTION_ARN}, {"campaigns": "none"}),
    ],
)
def test_a_malformed_response_reaches_the_caller_and_never_breaks_the_call(
    client: Any, method: str, params: dict[str, Any], parsed: dict[str, Any]
) -> None:
    tracker = Tracker()
    svstate.boto.attach(client, tracker)

    def answer(**_: Any) -> tuple[_HttpResponse, dict[str, Any]]:
        return _HttpResponse(), parsed

    client.meta.events.register("before-call.personalize", answer)

    assert getattr(client, method)(**params) is parsed
    assert len(tracker) == 0  # nothing readable, nothing recorded


# -- threads -------------------------------------------------------------------------------


@pytest.fixture
def frequent_thread_switches() -> Any:
    """Switch threads as often as CPython allows, so that races show up in a short test."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


@pytest.mark.usefixtures("frequent_thread_switches")
def test_threads_sharing_one_guarded_client_and_tracker_lose_no_observation() -> None:
    threads_n, versions_n = 8, 25
    statuses = ["CREATE PENDING", "CREATE IN_PROGRESS"]
    client = make_client()
    tracker = Tracker()
    tracker.observe("DescribeSolution", DELETE, {"solution": solution_fact()})
    tracker.observe("ListSolutionVersions", DELETE, {"solutionVersions": []})
    svstate.boto.attach(client, tracker)
    polls: dict[str, int] = {}
    polls_lock = threading.Lock()
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

    def final_status(arn: str) -> str:
        return "ACTIVE" if int(arn.rpartition("v")[2]) % 2 == 0 else "CREATE FAILED"

    def answer(params: dict[str, Any], **_: Any) -> tuple[_HttpResponse, dict[str, Any]]:
        arn = json.loads(params["body"])["solutionVersionArn"]
        with polls_lock:
            n = polls[arn] = polls.get(arn, -1) + 1
        fact = {
            "solutionVersionArn": arn,
            "solutionArn": SOLUTION_ARN,
            "status": statuses[n] if n < len(statuses) else final_status(arn),
            "trainingMode": "FULL",
            "creationDateTime": start,
            "lastUpdatedDateTime": start + dt.timedelta(minutes=n),
        }
        return _HttpResponse(), {"solutionVersion": fact}

    client.meta.events.register("before-call.personalize.DescribeSolutionVersion", answer)
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []
    # Every thread polls its own versions, all of one solution, from PENDING to their end,
    # and asks the tracker in between.
    arns = [[f"{SOLUTION_ARN}/t{i}v{j}" for j in range(versions_n)] for i in range(threads_n)]

    def work(mine: list[str]) -> None:
        try:
            barrier.wait()
            for _ in range(len(statuses) + 1):
                for arn in mine:
                    client.describe_solution_version(solutionVersionArn=arn)
                    # Ask while the others feed it: reads must see a consistent picture.
                    tracker.preflight("DeleteSolution", DELETE)
        except BaseException as error:  # reported below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(mine,)) for mine in arns]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)

    assert not errors
    assert not any(w.is_alive() for w in workers)
    expected = {arn: final_status(arn) for mine in arns for arn in mine}
    assert tracked_versions(tracker) == expected
    assert len(tracker) == threads_n * versions_n
    # The solution's indexes agree: nothing is left in flight, an ACTIVE FULL version exists.
    verdict = tracker.preflight("CreateSolutionVersion", UPDATE)
    assert verdict.decision is Decision.ALLOW, verdict
    assert "SV401" not in rules_of(verdict)
    verdict = tracker.preflight("DeleteSolution", DELETE)
    assert "SV901" not in rules_of(verdict)
    assert verdict.missing == ("campaigns",)


# -- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "named"),
    [
        (42, "42"),
        ("personalize", "'personalize'"),
        (None, "None"),
        (object(), "object"),
        ({"meta": None}, "dict"),
        (boto3, "module"),
    ],
)
def test_attach_to_something_neither_client_nor_session_raises_naming_it(
    value: Any, named: str
) -> None:
    with pytest.raises(SvstateError) as caught:
        svstate.boto.attach(value)
    assert named in str(caught.value)


def test_attach_to_a_client_of_another_service_raises_naming_the_service() -> None:
    s3 = make_client("s3")
    with pytest.raises(SvstateError, match="'s3'"):
        svstate.boto.attach(s3)


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"mode": "enforcing"}, "'enforcing'"),
        ({"mode": "ENFORCE"}, "'ENFORCE'"),
        ({"mode": None}, "None"),
        ({"unknown": "maybe"}, "'maybe'"),
        ({"unknown": "Refresh"}, "'Refresh'"),
        ({"tracker": {"ruleset": "latest"}}, "dict"),
        ({"tracker": "tracker"}, "'tracker'"),
        ({"tracker": Tracker}, "type"),
    ],
)
def test_attach_with_a_bad_option_raises_naming_the_value_and_guards_nothing(
    client: Any, stubber: Any, kwargs: dict[str, Any], named: str
) -> None:
    with pytest.raises(SvstateError) as caught:
        svstate.boto.attach(client, **kwargs)
    assert named in str(caught.value)

    # The client is left plain, and a good attach afterwards gets a working guard.
    stub_create(stubber)
    client.create_solution_version(**UPDATE)
    stubber.assert_no_pending_responses()
    tracker = knows_no_full_version(Tracker())
    guard = svstate.boto.attach(client, tracker)
    assert guard.attached
    assert guard.tracker is tracker
    with pytest.raises(PreflightDenied):
        client.create_solution_version(**UPDATE)


# -- a denial is a ClientError to code written for the service ---------------------------------


def test_a_denial_is_a_client_error_with_the_predicted_code(client: Any, stubber: Any) -> None:
    svstate.boto.attach(client, knows_no_full_version(Tracker()))
    stub_create(stubber)
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        client.create_solution_version(**UPDATE)
    error = caught.value
    assert isinstance(error, PreflightDenied)
    assert isinstance(error, svstate.boto.GuardDenied)
    assert error.response["Error"]["Code"] == "InvalidInputException"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.operation_name == "CreateSolutionVersion"
    message = error.response["Error"]["Message"]
    assert "SV301" in message
    assert "Hint: " in message
    assert str(error).startswith(
        "An error occurred (InvalidInputException) when calling the CreateSolutionVersion "
        "operation: svstate refused the call before sending it: SV301 "
    )
    assert len(stubber._queue) == 1  # never sent


def test_a_denial_is_caught_as_the_clients_own_modeled_exception(
    client: Any, stubber: Any
) -> None:
    svstate.boto.attach(client, knows_no_full_version(Tracker()))
    try:
        client.create_solution_version(**UPDATE)
    except client.exceptions.InvalidInputException as error:
        caught: Any = error
    assert isinstance(caught, PreflightDenied)
    assert caught.verdict.decision is Decision.DENY


def test_code_written_for_the_service_switches_on_the_error_code(
    client: Any, stubber: Any
) -> None:
    tracker = Tracker()
    tracker.observe(
        "DescribeSolution", {}, {"solution": {"solutionArn": SOLUTION_ARN, "status": "ACTIVE"}}
    )
    tracker.observe(
        "ListSolutionVersions",
        {"solutionArn": SOLUTION_ARN},
        {
            "solutionVersions": [
                {"solutionVersionArn": f"{SOLUTION_ARN}/0a1b2c3d", "status": "CREATE PENDING"}
            ]
        },
    )
    svstate.boto.attach(client, tracker)

    def delete_or_retry_later() -> str:
        try:
            client.delete_solution(solutionArn=SOLUTION_ARN)
        except botocore.exceptions.ClientError as error:
            if error.response["Error"]["Code"] == "ResourceInUseException":
                return "retry later"
            raise
        return "deleted"

    assert delete_or_retry_later() == "retry later"


def test_an_unknown_denied_by_policy_has_a_code_that_is_not_a_service_code(
    client: Any, stubber: Any
) -> None:
    svstate.boto.attach(client, Tracker(), unknown="deny")
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        client.create_solution_version(**UPDATE)
    assert caught.value.response["Error"]["Code"] == "SvstatePreflightDenied"
    assert "unknown='deny'" in caught.value.response["Error"]["Message"]


def test_a_raised_denial_pickles_as_a_guard_denied_with_its_verdict(
    client: Any, stubber: Any
) -> None:
    import pickle

    svstate.boto.attach(client, knows_no_full_version(Tracker()))
    with pytest.raises(PreflightDenied) as caught:
        client.create_solution_version(**UPDATE)
    back = pickle.loads(pickle.dumps(caught.value))
    assert type(back) is svstate.boto.GuardDenied
    assert isinstance(back, botocore.exceptions.ClientError)
    assert back.verdict == caught.value.verdict
    assert back.response == caught.value.response
    assert str(back) == str(caught.value)


def test_preflight_itself_still_raises_plain_preflight_denied() -> None:
    with pytest.raises(PreflightDenied) as caught:
        svstate.preflight("DeleteSolution", {}).raise_if_denied()
    assert not isinstance(caught.value, botocore.exceptions.ClientError)


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["InvalidInputException", "ResourceInUseException"], "InvalidInputException"),
        (["ParamValidationError", "ResourceInUseException"], "ResourceInUseException"),
        (["ParamValidationError"], "ParamValidationError"),
        ([None], "SvstatePreflightDenied"),
    ],
)
def test_the_code_is_the_first_error_findings_service_error(
    codes: list[str | None], expected: str
) -> None:
    findings = tuple(
        svstate.Finding("SV999", svstate.Severity.ERROR, "no.", None, code) for code in codes
    )
    verdict = svstate.Verdict(Decision.DENY, findings)
    assert svstate.boto.predicted_code(verdict) == expected


# -- what is taken for asynchronous -------------------------------------------------------------


def test_a_sync_session_and_client_are_not_taken_for_async(client: Any) -> None:
    assert not svstate.boto._is_async(client)
    assert not svstate.boto._is_async(boto3.Session())
    assert not svstate.boto._is_async(botocore.session.get_session())
