"""Tests for ``svstate.testing.fake_personalize``: a real boto3 client answered by the model.

Two parts:

* example tests of the fake's behaviour over (fake) time, its errors, its
  paginators, its dated response shapes, auto-training, its test hooks, the
  guard attached to it and its argument checking;
* a hypothesis state machine checking that the fake agrees with the rules:
  for random call sequences the fake accepts exactly the calls that
  ``svstate.preflight`` allows on the facts the fake itself reports through
  the client, and every status change it reports passes ``check_transition``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import re
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from conftest import (
    ARN_PREFIX,
    DATASET_GROUP_ARN,
    HRNN_COLDSTART,
    SIMS,
    USER_PERSONALIZATION,
    USER_PERSONALIZATION_V2,
)
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

import svstate
import svstate.boto
from svstate import Decision
from svstate.testing import DEFAULT_DURATIONS, FakeClock, FakePersonalize, fake_personalize

# Default durations, in seconds, as documented in DEFAULT_DURATIONS.
SOLUTION_PENDING = 1
SOLUTION_READY = 5  # CREATE PENDING 1 s, then CREATE IN_PROGRESS 4 s: ACTIVE within seconds
VERSION_PENDING = 60
VERSION_READY = 2760  # CREATE PENDING 60 s, then CREATE IN_PROGRESS 2700 s (46 minutes)
STOPPING = 120
CAMPAIGN_PENDING = 60
CAMPAIGN_READY = 600
DELETE_PENDING = 30
DELETE_GONE = 90  # DELETE PENDING 30 s, then DELETE IN_PROGRESS 60 s
AUTO_DELAY = 1800
DAY = 86400
WEEK = 7 * DAY

STOP_RULESET = "2021-05-20"
IN_FLIGHT = ("CREATE PENDING", "CREATE IN_PROGRESS")


# -- helpers ---------------------------------------------------------------------------------


def make(ruleset: object = STOP_RULESET, **kwargs: Any) -> tuple[Any, FakeClock]:
    """A fake client on its own clock."""
    clock = FakeClock()
    return fake_personalize(ruleset=ruleset, clock=clock, **kwargs), clock


def create_solution(client: Any, name: str = "movies", **extra: Any) -> str:
    params: dict[str, Any] = {"name": name, "datasetGroupArn": DATASET_GROUP_ARN}
    if not extra.get("performAutoML"):
        params["recipeArn"] = HRNN_COLDSTART
    params.update(extra)
    return str(client.create_solution(**params)["solutionArn"])


def active_solution(client: Any, clock: FakeClock, name: str = "movies", **extra: Any) -> str:
    """A solution created now and ACTIVE once this returns (the clock has moved)."""
    arn = create_solution(client, name, **extra)
    clock.advance(SOLUTION_READY)
    assert solution_status(client, arn) == "ACTIVE"
    return arn


def solution_status(client: Any, arn: str) -> str:
    return str(client.describe_solution(solutionArn=arn)["solution"]["status"])


def describe_version(client: Any, arn: str) -> dict[str, Any]:
    return dict(client.describe_solution_version(solutionVersionArn=arn)["solutionVersion"])


def version_status(client: Any, arn: str) -> str:
    return str(describe_version(client, arn)["status"])


def new_version(client: Any, solution_arn: str, **params: Any) -> str:
    return str(
        client.create_solution_version(solutionArn=solution_arn, **params)["solutionVersionArn"]
    )


def active_version(client: Any, clock: FakeClock, solution_arn: str, **params: Any) -> str:
    arn = new_version(client, solution_arn, **params)
    clock.advance(VERSION_READY)
    assert version_status(client, arn) == "ACTIVE"
    return arn


def all_versions(client: Any, solution_arn: str | None = None, page_size: int = 100) -> list:
    kwargs: dict[str, Any] = {"PaginationConfig": {"PageSize": page_size}}
    if solution_arn is not None:
        kwargs["solutionArn"] = solution_arn
    pages = client.get_paginator("list_solution_versions").paginate(**kwargs)
    return [s for page in pages for s in page["solutionVersions"]]


def all_campaigns(client: Any, solution_arn: str | None = None, page_size: int = 100) -> list:
    kwargs: dict[str, Any] = {"PaginationConfig": {"PageSize": page_size}}
    if solution_arn is not None:
        kwargs["solutionArn"] = solution_arn
    pages = client.get_paginator("list_campaigns").paginate(**kwargs)
    return [c for page in pages for c in page["campaigns"]]


def campaign_arn(name: str) -> str:
    return f"{ARN_PREFIX}campaign/{name}"


def code_of(error: ClientError) -> str:
    return str(error.response["Error"]["Code"])


def message_of(error: ClientError) -> str:
    return str(error.response["Error"]["Message"])


def without_metadata(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


# -- the client itself -------------------------------------------------------------------------


def test_fake_personalize_returns_a_real_boto3_personalize_client_with_its_backend() -> None:
    client, _ = make()
    assert type(client).__module__ == "botocore.client"
    assert client.meta.service_model.service_name == "personalize"
    assert isinstance(client.fake, FakePersonalize)
    assert client.fake.calls == []


def test_default_durations_are_the_documented_ones() -> None:
    assert DEFAULT_DURATIONS["solution_pending"] == SOLUTION_PENDING
    assert DEFAULT_DURATIONS["solution_in_progress"] == SOLUTION_READY - SOLUTION_PENDING
    assert DEFAULT_DURATIONS["version_pending"] == VERSION_PENDING
    assert DEFAULT_DURATIONS["training"] == VERSION_READY - VERSION_PENDING
    assert DEFAULT_DURATIONS["stopping"] == STOPPING
    assert DEFAULT_DURATIONS["auto_training_delay"] == AUTO_DELAY


def test_calls_never_reach_the_network() -> None:
    client, clock = make()
    sent: list[object] = []
    client.meta.events.register("before-send.personalize", lambda **kw: sent.append(kw))
    sol = active_solution(client, clock)
    version = active_version(client, clock, sol)
    client.create_campaign(name="c", solutionVersionArn=version, minProvisionedTPS=1)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_solution(solutionArn=sol + "-missing")
    all_versions(client, sol)
    assert sent == []


def test_every_answered_call_is_recorded_in_order_with_its_params() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    new_version(client, sol, trainingMode="FULL")
    assert [op for op, _ in client.fake.calls] == [
        "CreateSolution",
        "DescribeSolution",
        "CreateSolutionVersion",
    ]
    assert client.fake.calls[-1][1] == {"solutionArn": sol, "trainingMode": "FULL"}


def test_refused_calls_are_recorded_with_their_error_code_and_message() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    with pytest.raises(client.exceptions.InvalidInputException) as raised:
        new_version(client, sol, trainingMode="UPDATE")
    assert client.fake.refused == [
        (
            "CreateSolutionVersion",
            {"solutionArn": sol, "trainingMode": "UPDATE"},
            "InvalidInputException",
            message_of(raised.value),
        )
    ]


def test_unmodelled_operation_answers_a_client_error_not_a_crash() -> None:
    client, _ = make()
    with pytest.raises(ClientError) as raised:
        client.list_recipes()
    assert "ListRecipes" in message_of(raised.value)


# -- solutions over time ---------------------------------------------------------------------


def test_solution_goes_create_pending_then_in_progress_then_active_with_default_durations() -> (
    None
):
    client, clock = make()
    arn = create_solution(client)
    assert arn == f"{ARN_PREFIX}solution/movies"
    seen = [solution_status(client, arn)]
    for step in (SOLUTION_PENDING - 1, 1, SOLUTION_READY - SOLUTION_PENDING - 1, 1, DAY):
        clock.advance(step)
        seen.append(solution_status(client, arn))
    assert seen == [
        "CREATE PENDING",
        "CREATE PENDING",
        "CREATE IN_PROGRESS",
        "CREATE IN_PROGRESS",
        "ACTIVE",
        "ACTIVE",
    ]


def test_solution_timestamps_follow_the_fake_clock() -> None:
    client, clock = make()
    arn = create_solution(client)
    created = clock.now()
    clock.advance(DAY)
    solution = client.describe_solution(solutionArn=arn)["solution"]
    assert solution["creationDateTime"] == created
    assert solution["lastUpdatedDateTime"] == clock.at(SOLUTION_READY)
    assert solution["recipeArn"] == HRNN_COLDSTART
    assert solution["datasetGroupArn"] == DATASET_GROUP_ARN
    assert svstate.validate("Solution", solution, ruleset=STOP_RULESET).decision is Decision.ALLOW


def test_durations_override_the_defaults() -> None:
    client, clock = make(durations={"solution_pending": 0, "solution_in_progress": 5})
    arn = create_solution(client)
    assert solution_status(client, arn) == "CREATE IN_PROGRESS"
    clock.advance(5)
    assert solution_status(client, arn) == "ACTIVE"


def test_nothing_moves_until_the_clock_is_advanced() -> None:
    client, _ = make()
    arn = create_solution(client)
    for _ in range(5):
        assert solution_status(client, arn) == "CREATE PENDING"


# -- versions over time ----------------------------------------------------------------------


def test_version_goes_pending_then_in_progress_then_active_with_training_hours() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    created = clock.now()
    arn = new_version(client, sol)
    assert arn.startswith(sol + "/")
    assert re.fullmatch(r"[0-9a-f]{8}", arn.rpartition("/")[2])

    pending = describe_version(client, arn)
    assert pending["status"] == "CREATE PENDING"
    assert pending["trainingMode"] == "FULL"
    assert pending["creationDateTime"] == created == pending["lastUpdatedDateTime"]
    assert "trainingHours" not in pending
    assert "failureReason" not in pending

    clock.advance(VERSION_PENDING - 1)
    assert version_status(client, arn) == "CREATE PENDING"
    clock.advance(1)
    training = describe_version(client, arn)
    assert training["status"] == "CREATE IN_PROGRESS"
    assert training["lastUpdatedDateTime"] == created + dt.timedelta(seconds=VERSION_PENDING)
    assert "trainingHours" not in training

    clock.advance(VERSION_READY - VERSION_PENDING - 1)
    assert version_status(client, arn) == "CREATE IN_PROGRESS"
    clock.advance(1)
    done = describe_version(client, arn)
    assert done["status"] == "ACTIVE"
    assert done["trainingHours"] == (VERSION_READY - VERSION_PENDING) / 3600
    assert done["lastUpdatedDateTime"] == created + dt.timedelta(seconds=VERSION_READY)
    assert "failureReason" not in done
    assert done["solutionArn"] == sol
    assert done["recipeArn"] == HRNN_COLDSTART
    clock.advance(30 * DAY)
    assert version_status(client, arn) == "ACTIVE"


def test_version_responses_pass_validate_at_every_stage() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    arn = new_version(client, sol)
    for step in (0, VERSION_PENDING, VERSION_READY):
        clock.advance(step)
        found = svstate.validate(
            "SolutionVersion", describe_version(client, arn), ruleset=STOP_RULESET
        )
        assert found.decision is Decision.ALLOW, found
        for summary in all_versions(client, sol):
            found = svstate.validate("SolutionVersionSummary", summary, ruleset=STOP_RULESET)
            assert found.decision is Decision.ALLOW, found


def test_training_hours_follow_the_training_duration() -> None:
    client, clock = make(durations={"training": 5400})
    sol = active_solution(client, clock)
    arn = new_version(client, sol)
    clock.advance(VERSION_PENDING + 5400)
    assert describe_version(client, arn)["trainingHours"] == 1.5


def test_update_version_after_an_active_full_one_is_accepted_and_trains() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    active_version(client, clock, sol, trainingMode="FULL")
    update = active_version(client, clock, sol, trainingMode="UPDATE")
    assert describe_version(client, update)["trainingMode"] == "UPDATE"


def test_solution_reports_its_latest_version() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    first = active_version(client, clock, sol)
    second = new_version(client, sol)
    latest = client.describe_solution(solutionArn=sol)["solution"]["latestSolutionVersion"]
    assert latest["solutionVersionArn"] == second != first
    assert latest["status"] == "CREATE PENDING"


# -- test hooks: failing and settling training ------------------------------------------------


def test_fail_next_training_gives_create_failed_with_that_failure_reason() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    client.fake.fail_next_training("Create failed. Not enough interactions.")
    arn = new_version(client, sol)
    clock.advance(VERSION_PENDING)
    assert version_status(client, arn) == "CREATE IN_PROGRESS"
    clock.advance(VERSION_READY)
    failed = describe_version(client, arn)
    assert failed["status"] == "CREATE FAILED"
    assert failed["failureReason"] == "Create failed. Not enough interactions."
    assert "trainingHours" not in failed
    (summary,) = all_versions(client, sol)
    assert summary["status"] == "CREATE FAILED"
    assert summary["failureReason"] == "Create failed. Not enough interactions."


def test_fail_next_training_affects_only_the_next_version() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    client.fake.fail_next_training()
    failed = new_version(client, sol)
    fine = new_version(client, sol)
    clock.advance(VERSION_READY)
    assert version_status(client, failed) == "CREATE FAILED"
    assert "fewer than 25 users" in describe_version(client, failed)["failureReason"]
    assert version_status(client, fine) == "ACTIVE"


def test_fail_next_training_queues_reasons_in_order() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    client.fake.fail_next_training("first")
    client.fake.fail_next_training("second")
    a, b = new_version(client, sol), new_version(client, sol)
    clock.advance(VERSION_READY)
    assert describe_version(client, a)["failureReason"] == "first"
    assert describe_version(client, b)["failureReason"] == "second"


def test_fail_next_training_rejects_a_reason_that_is_not_text() -> None:
    client, _ = make()
    with pytest.raises(svstate.SvstateError, match="reason is 5"):
        client.fake.fail_next_training(5)


def test_settle_without_arn_settles_every_version_being_created_now() -> None:
    client, clock = make()
    a = active_solution(client, clock, "a")
    b = active_solution(client, clock, "b")
    in_progress = new_version(client, a)
    clock.advance(VERSION_PENDING)
    pending = new_version(client, b)
    before = clock.now()
    client.fake.settle()
    assert clock.now() == before
    for arn in (in_progress, pending):
        settled = describe_version(client, arn)
        assert settled["status"] == "ACTIVE"
        assert settled["lastUpdatedDateTime"] == before


def test_settle_with_arn_settles_only_that_version() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    chosen = new_version(client, sol)
    other = new_version(client, sol)
    client.fake.settle(chosen)
    assert version_status(client, chosen) == "ACTIVE"
    assert version_status(client, other) == "CREATE PENDING"


def test_settle_fails_a_version_that_was_set_to_fail() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    client.fake.fail_next_training("boom")
    arn = new_version(client, sol)
    client.fake.settle(arn)
    failed = describe_version(client, arn)
    assert (failed["status"], failed["failureReason"]) == ("CREATE FAILED", "boom")


def test_settle_finishes_a_stopping_version_as_stopped() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    arn = new_version(client, sol)
    clock.advance(VERSION_PENDING)
    client.stop_solution_version_creation(solutionVersionArn=arn)
    assert version_status(client, arn) == "CREATE STOPPING"
    client.fake.settle()
    assert version_status(client, arn) == "CREATE STOPPED"


def test_settle_leaves_settled_versions_alone() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    arn = active_version(client, clock, sol)
    before = describe_version(client, arn)
    clock.advance(10)
    client.fake.settle(arn)
    assert describe_version(client, arn) == before


def test_settle_next_training_makes_the_next_version_active_at_once() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    client.fake.settle_next_training()
    quick = new_version(client, sol)
    slow = new_version(client, sol)
    settled = describe_version(client, quick)
    assert settled["status"] == "ACTIVE"
    assert settled["creationDateTime"] == settled["lastUpdatedDateTime"] == clock.now()
    assert version_status(client, slow) == "CREATE PENDING"


def test_settle_next_training_with_fail_next_training_fails_at_once() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    client.fake.settle_next_training()
    client.fake.fail_next_training("bad data")
    arn = new_version(client, sol)
    failed = describe_version(client, arn)
    assert (failed["status"], failed["failureReason"]) == ("CREATE FAILED", "bad data")


def test_settle_rejects_an_arn_the_fake_does_not_know_naming_it() -> None:
    client, _ = make()
    unknown = f"{ARN_PREFIX}solution/movies/0000ffff"
    with pytest.raises(svstate.SvstateError, match=re.escape(unknown)):
        client.fake.settle(unknown)


@pytest.mark.parametrize("bad", [["x"], {"a": 1}, 5])
def test_settle_rejects_a_non_string_arn_with_svstate_error(bad: object) -> None:
    client, _ = make()
    with pytest.raises(svstate.SvstateError):
        client.fake.settle(bad)  # type: ignore[arg-type]


# -- stopping --------------------------------------------------------------------------------


def test_stop_from_create_pending_gives_create_stopped_at_once() -> None:
    client, clock = make(STOP_RULESET)
    sol = active_solution(client, clock)
    arn = new_version(client, sol)
    response = client.stop_solution_version_creation(solutionVersionArn=arn)
    assert without_metadata(response) == {}
    assert version_status(client, arn) == "CREATE STOPPED"
    clock.advance(VERSION_READY + DAY)
    stopped = describe_version(client, arn)
    assert stopped["status"] == "CREATE STOPPED"
    assert "trainingHours" not in stopped


def test_stop_from_in_progress_goes_stopping_then_stopped() -> None:
    client, clock = make(STOP_RULESET)
    sol = active_solution(client, clock)
    arn = new_version(client, sol)
    clock.advance(VERSION_PENDING + 10)
    assert version_status(client, arn) == "CREATE IN_PROGRESS"
    client.stop_solution_version_creation(solutionVersionArn=arn)
    assert version_status(client, arn) == "CREATE STOPPING"
    clock.advance(STOPPING - 1)
    assert version_status(client, arn) == "CREATE STOPPING"
    clock.advance(1)
    assert version_status(client, arn) == "CREATE STOPPED"
    clock.advance(VERSION_READY)
    assert version_status(client, arn) == "CREATE STOPPED"


@pytest.mark.parametrize("advance", [VERSION_READY, VERSION_PENDING])
def test_stop_of_a_settled_or_stopping_version_is_invalid_input(advance: int) -> None:
    client, clock = make(STOP_RULESET)
    sol = active_solution(client, clock)
    arn = new_version(client, sol)
    clock.advance(advance)
    if advance == VERSION_PENDING:
        client.stop_solution_version_creation(solutionVersionArn=arn)
    status = version_status(client, arn)
    with pytest.raises(client.exceptions.InvalidInputException) as raised:
        client.stop_solution_version_creation(solutionVersionArn=arn)
    message = message_of(raised.value)
    assert f"is {status}" in message
    assert "only a CREATE PENDING or CREATE IN_PROGRESS version can be stopped" in message


def test_stop_in_2019_is_known_to_botocore_but_denied_with_the_sv801_message() -> None:
    client, clock = make("2019-10-14")
    assert "StopSolutionVersionCreation" in client.meta.service_model.operation_names
    sol = active_solution(client, clock)
    arn = new_version(client, sol)
    with pytest.raises(client.exceptions.InvalidInputException) as raised:
        client.stop_solution_version_creation(solutionVersionArn=arn)
    verdict = svstate.preflight(
        "StopSolutionVersionCreation", {"solutionVersionArn": arn}, ruleset="2019-10-14"
    )
    assert verdict.findings[0].rule == "SV801"
    assert message_of(raised.value) == verdict.findings[0].message
    assert "does not exist in ruleset 2019-10-14" in message_of(raised.value)
    clock.advance(VERSION_READY)
    assert version_status(client, arn) == "ACTIVE"


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "param", "value"),
    [
        ("describe_solution", "solutionArn", f"{ARN_PREFIX}solution/nope"),
        ("describe_solution_version", "solutionVersionArn", f"{ARN_PREFIX}solution/nope/0a1b2c3d"),
        ("describe_campaign", "campaignArn", f"{ARN_PREFIX}campaign/nope"),
        ("delete_campaign", "campaignArn", f"{ARN_PREFIX}campaign/nope"),
        ("delete_solution", "solutionArn", f"{ARN_PREFIX}solution/nope"),
        ("list_solution_versions", "solutionArn", f"{ARN_PREFIX}solution/nope"),
        ("create_solution_version", "solutionArn", f"{ARN_PREFIX}solution/nope"),
    ],
)
def test_unknown_resources_raise_resource_not_found_naming_the_arn(
    method: str, param: str, value: str
) -> None:
    client, _ = make()
    with pytest.raises(client.exceptions.ResourceNotFoundException) as raised:
        getattr(client, method)(**{param: value})
    error = raised.value
    assert isinstance(error, ClientError)
    assert code_of(error) == "ResourceNotFoundException"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert value in message_of(error)
    assert error.operation_name == "".join(p.title() for p in method.split("_"))


def test_unknown_version_of_a_known_solution_is_resource_not_found_for_stop_and_campaign() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    missing = sol + "/0000ffff"
    with pytest.raises(client.exceptions.ResourceNotFoundException) as raised:
        client.stop_solution_version_creation(solutionVersionArn=missing)
    assert "0000ffff" in message_of(raised.value)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.create_campaign(name="c", solutionVersionArn=missing, minProvisionedTPS=1)


def test_update_without_an_active_full_version_is_invalid_input_with_the_sv301_message() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    full = new_version(client, sol)
    with pytest.raises(client.exceptions.InvalidInputException) as raised:
        new_version(client, sol, trainingMode="UPDATE")
    verdict = svstate.preflight(
        "CreateSolutionVersion",
        {"solutionArn": sol, "trainingMode": "UPDATE"},
        solution=client.describe_solution(solutionArn=sol)["solution"],
        versions=[describe_version(client, full)],
        ruleset=STOP_RULESET,
    )
    assert verdict.findings[0].rule == "SV301"
    assert message_of(raised.value) == verdict.findings[0].message
    assert "UPDATE needs an ACTIVE FULL version of solution movies" in message_of(raised.value)
    assert full.rpartition("/")[2] in message_of(raised.value)


def test_update_on_a_recipe_without_update_is_invalid_input() -> None:
    client, clock = make()
    sol = active_solution(client, clock, recipeArn=SIMS)
    active_version(client, clock, sol)
    with pytest.raises(client.exceptions.InvalidInputException) as raised:
        new_version(client, sol, trainingMode="UPDATE")
    assert "aws-sims" in message_of(raised.value)


def test_unknown_training_mode_is_invalid_input_naming_it() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    with pytest.raises(client.exceptions.InvalidInputException) as raised:
        new_version(client, sol, trainingMode="BOGUS")
    assert "'BOGUS'" in message_of(raised.value)


def test_create_version_on_a_solution_still_being_created_is_accepted() -> None:
    # As the Developer Guide's own example does: no public source says the service refuses.
    client, clock = make()
    sol = create_solution(client)
    assert solution_status(client, sol) == "CREATE PENDING"
    version = new_version(client, sol)
    assert client.fake.refused == []
    clock.advance(SOLUTION_READY)
    assert solution_status(client, sol) == "ACTIVE"
    clock.advance(VERSION_READY)
    assert version_status(client, version) == "ACTIVE"


def test_campaign_on_a_version_not_active_is_invalid_input() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    arn = new_version(client, sol)
    with pytest.raises(client.exceptions.InvalidInputException) as raised:
        client.create_campaign(name="c", solutionVersionArn=arn, minProvisionedTPS=1)
    assert "CREATE PENDING" in message_of(raised.value)
    assert "CreateCampaign needs it ACTIVE" in message_of(raised.value)
    assert all_campaigns(client) == []


def test_campaign_on_a_failed_version_is_invalid_input() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    client.fake.fail_next_training()
    arn = new_version(client, sol)
    clock.advance(VERSION_READY)
    with pytest.raises(client.exceptions.InvalidInputException):
        client.create_campaign(name="c", solutionVersionArn=arn, minProvisionedTPS=1)


def test_duplicate_solution_name_is_resource_already_exists() -> None:
    client, _ = make()
    create_solution(client, "movies")
    with pytest.raises(client.exceptions.ResourceAlreadyExistsException) as raised:
        create_solution(client, "movies")
    assert "movies" in message_of(raised.value)


def test_duplicate_campaign_name_is_resource_already_exists() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    version = active_version(client, clock, sol)
    client.create_campaign(name="live", solutionVersionArn=version, minProvisionedTPS=1)
    with pytest.raises(client.exceptions.ResourceAlreadyExistsException) as raised:
        client.create_campaign(name="live", solutionVersionArn=version, minProvisionedTPS=1)
    assert "live" in message_of(raised.value)


def test_duplicate_version_name_is_resource_already_exists_in_latest() -> None:
    client, clock = make("latest")
    sol = active_solution(client, clock, performAutoTraining=False)
    new_version(client, sol, name="weekly")
    with pytest.raises(client.exceptions.ResourceAlreadyExistsException) as raised:
        new_version(client, sol, name="weekly")
    assert "weekly" in message_of(raised.value)


def test_version_name_is_an_unknown_parameter_before_2022_11_17() -> None:
    client, clock = make("2022-11-16")
    sol = active_solution(client, clock)
    with pytest.raises(client.exceptions.InvalidInputException) as raised:
        new_version(client, sol, name="weekly")
    assert "name" in message_of(raised.value)


def test_solution_without_recipe_or_automl_is_invalid_input() -> None:
    client, _ = make()
    with pytest.raises(client.exceptions.InvalidInputException) as raised:
        client.create_solution(name="x", datasetGroupArn=DATASET_GROUP_ARN)
    assert "recipeArn" in message_of(raised.value)


def test_versions_beyond_the_account_quota_are_limit_exceeded() -> None:
    client, clock = make(quota=1)
    sol = active_solution(client, clock)
    new_version(client, sol)
    with pytest.raises(client.exceptions.LimitExceededException):
        new_version(client, sol)
    client.fake.settle()
    new_version(client, sol)


def test_minprovisionedtps_is_required_for_create_campaign_before_2021_07_21() -> None:
    client, clock = make("2019-10-14")
    sol = active_solution(client, clock)
    version = active_version(client, clock, sol)
    with pytest.raises(client.exceptions.InvalidInputException) as raised:
        client.create_campaign(name="c", solutionVersionArn=version)
    assert "minProvisionedTPS" in message_of(raised.value)


@pytest.mark.parametrize(
    ("method", "param", "value"),
    [
        pytest.param("create_solution_version", "solutionArn", "not-an-arn", id="csv-pattern"),
        pytest.param(
            "create_solution_version",
            "solutionArn",
            f"{ARN_PREFIX}solution/{'x' * 260}",
            id="csv-over-256",
        ),
        pytest.param("delete_solution", "solutionArn", "not-an-arn", id="delete-pattern"),
        pytest.param(
            "stop_solution_version_creation", "solutionVersionArn", "not-an-arn", id="stop-pattern"
        ),
        pytest.param("create_campaign", "solutionVersionArn", "not-an-arn", id="campaign-pattern"),
    ],
)
def test_malformed_arn_is_invalid_input_as_preflight_predicts(
    method: str, param: str, value: str
) -> None:
    client, _ = make()
    params: dict[str, Any] = {param: value}
    if method == "create_campaign":
        params.update(name="c", minProvisionedTPS=1)
    operation = "".join(p.title() for p in method.split("_"))
    verdict = svstate.preflight(operation, params, ruleset=STOP_RULESET)
    assert verdict.decision is Decision.DENY
    assert verdict.findings[0].error_code == "InvalidInputException"
    with pytest.raises(ClientError) as raised:
        getattr(client, method)(**params)
    assert code_of(raised.value) == "InvalidInputException"


@pytest.mark.parametrize(
    "name", ["-leading-hyphen", "_underscore", "a" * 64], ids=["hyphen", "underscore", "64-chars"]
)
def test_solution_name_not_matching_the_name_shape_is_invalid_input(name: str) -> None:
    client, _ = make()
    with pytest.raises(client.exceptions.InvalidInputException):
        create_solution(client, name)


# -- botocore's own client-side validation ---------------------------------------------------


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("create_solution_version", {}),
        ("create_solution_version", {"solutionArn": 5}),
        ("create_solution_version", {"solutionArn": f"{ARN_PREFIX}solution/m", "bogus": 1}),
        ("create_solution_version", {"solutionArn": f"{ARN_PREFIX}solution/m", "tags": "x"}),
        ("stop_solution_version_creation", {}),
        ("create_campaign", {"name": "c"}),
        (
            "create_campaign",
            {
                "name": "c",
                "solutionVersionArn": f"{ARN_PREFIX}solution/m/0a1b2c3d",
                "minProvisionedTPS": 0,
            },
        ),
        ("delete_solution", {"solutionArn": None}),
        ("list_solution_versions", {"maxResults": 0}),
        ("describe_solution", {}),
    ],
)
def test_malformed_requests_raise_botocore_param_validation_error_before_the_fake(
    method: str, params: dict[str, Any]
) -> None:
    client, clock = make()
    active_solution(client, clock, "m")
    answered = len(client.fake.calls)
    with pytest.raises(ParamValidationError):
        getattr(client, method)(**params)
    assert len(client.fake.calls) == answered
    assert client.fake.refused == []


# -- paginators and ordering -----------------------------------------------------------------


def test_list_solution_versions_paginator_returns_every_version_once_newest_first() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    made = []
    for i in range(7):
        client.fake.settle_next_training()
        made.append(new_version(client, sol))
        if i % 2:
            clock.advance(60)  # some versions share a creation time
    pages = list(
        client.get_paginator("list_solution_versions").paginate(
            solutionArn=sol, PaginationConfig={"PageSize": 3}
        )
    )
    assert [len(p["solutionVersions"]) for p in pages] == [3, 3, 1]
    assert all("nextToken" in p for p in pages[:-1])
    assert "nextToken" not in pages[-1]
    listed = [s["solutionVersionArn"] for p in pages for s in p["solutionVersions"]]
    assert listed == made[::-1]
    times = [s["creationDateTime"] for p in pages for s in p["solutionVersions"]]
    assert times == sorted(times, reverse=True)


@pytest.mark.parametrize("page_size", [1, 2, 5, 100])
def test_paginator_results_do_not_depend_on_page_size(page_size: int) -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    for _ in range(5):
        new_version(client, sol)
        clock.advance(1)
    assert all_versions(client, sol, page_size) == all_versions(client, sol, 100)
    assert len(all_versions(client, None, page_size)) == 5


def test_list_solution_versions_max_results_and_next_token_by_hand() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    made = [new_version(client, sol) for _ in range(3)]
    first = client.list_solution_versions(solutionArn=sol, maxResults=2)
    second = client.list_solution_versions(
        solutionArn=sol, maxResults=2, nextToken=first["nextToken"]
    )
    listed = [s["solutionVersionArn"] for s in first["solutionVersions"]] + [
        s["solutionVersionArn"] for s in second["solutionVersions"]
    ]
    assert listed == made[::-1]
    assert "nextToken" not in second


def test_bad_next_token_is_invalid_next_token() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    with pytest.raises(client.exceptions.InvalidNextTokenException):
        client.list_solution_versions(solutionArn=sol, nextToken="garbage")


def test_list_solution_versions_without_a_solution_lists_every_solution() -> None:
    client, clock = make()
    a = active_solution(client, clock, "a")
    b = active_solution(client, clock, "b")
    va, vb = new_version(client, a), new_version(client, b)
    assert {s["solutionVersionArn"] for s in all_versions(client)} == {va, vb}
    assert [s["solutionVersionArn"] for s in all_versions(client, a)] == [va]


def test_list_campaigns_paginator_returns_every_campaign_once() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    version = active_version(client, clock, sol)
    names = [f"c{i}" for i in range(5)]
    for name in names:
        client.create_campaign(name=name, solutionVersionArn=version, minProvisionedTPS=1)
    listed = [c["name"] for c in all_campaigns(client, sol, page_size=2)]
    assert sorted(listed) == names


# -- dated shapes ----------------------------------------------------------------------------


def test_2019_version_summaries_carry_no_training_mode_or_type() -> None:
    client, clock = make("2019-10-14")
    sol = active_solution(client, clock)
    arn = new_version(client, sol, trainingMode="FULL")
    (summary,) = all_versions(client, sol)
    assert summary["solutionVersionArn"] == arn
    assert "trainingMode" not in summary
    assert "trainingType" not in summary
    described = describe_version(client, arn)
    assert described["trainingMode"] == "FULL"  # SolutionVersion has it from 2019-10-14
    assert "trainingType" not in described
    assert "performAutoTraining" not in client.describe_solution(solutionArn=sol)["solution"]


def test_latest_version_summaries_carry_training_mode_and_type() -> None:
    client, clock = make("latest")
    sol = active_solution(client, clock, performAutoTraining=False)
    new_version(client, sol, trainingMode="FULL")
    (summary,) = all_versions(client, sol)
    assert summary["trainingMode"] == "FULL"
    assert summary["trainingType"] == "MANUAL"
    assert describe_version(client, summary["solutionVersionArn"])["trainingType"] == "MANUAL"
    solution = client.describe_solution(solutionArn=sol)["solution"]
    assert solution["performAutoTraining"] is False


def test_ga_ruleset_versions_carry_no_training_mode_at_all() -> None:
    client, clock = make("2019-06-10")
    sol = active_solution(client, clock)
    arn = new_version(client, sol)
    assert "trainingMode" not in describe_version(client, arn)


# -- auto-training ---------------------------------------------------------------------------


def test_auto_training_creates_an_automatic_version_30_minutes_after_active() -> None:
    client, clock = make("latest")
    sol = active_solution(client, clock)  # ACTIVE at SOLUTION_READY
    assert client.describe_solution(solutionArn=sol)["solution"]["performAutoTraining"] is True
    clock.advance(AUTO_DELAY - 1)
    assert all_versions(client, sol) == []
    clock.advance(1)
    (auto,) = all_versions(client, sol)
    assert auto["trainingType"] == "AUTOMATIC"
    assert auto["trainingMode"] == "AUTOTRAIN"
    assert auto["status"] == "CREATE PENDING"
    assert auto["creationDateTime"] == clock.at(SOLUTION_READY + AUTO_DELAY)
    clock.advance(VERSION_READY)
    assert version_status(client, auto["solutionVersionArn"]) == "ACTIVE"


def test_auto_training_repeats_every_7_days() -> None:
    client, clock = make("latest")
    sol = active_solution(client, clock)
    first = SOLUTION_READY + AUTO_DELAY
    clock.advance(AUTO_DELAY + WEEK - 1)
    assert len(all_versions(client, sol)) == 1
    clock.advance(1)
    newest, oldest = all_versions(client, sol)
    assert newest["creationDateTime"] == clock.at(first + WEEK)
    assert oldest["creationDateTime"] == clock.at(first)
    assert newest["trainingType"] == oldest["trainingType"] == "AUTOMATIC"


def test_auto_versions_due_during_one_long_advance_are_created_at_their_own_times() -> None:
    client, clock = make("latest")
    sol = active_solution(client, clock)
    clock.advance(30 * DAY)
    versions = all_versions(client, sol)
    first = SOLUTION_READY + AUTO_DELAY
    expected = [clock.at(first + k * WEEK) for k in range(5)]
    assert [v["creationDateTime"] for v in versions] == expected[::-1]
    assert all(v["status"] == "ACTIVE" for v in versions)


def test_auto_training_follows_the_scheduling_expression() -> None:
    client, clock = make("latest")
    sol = active_solution(
        client,
        clock,
        solutionConfig={"autoTrainingConfig": {"schedulingExpression": "rate(3 days)"}},
    )
    clock.advance(AUTO_DELAY + 3 * DAY)
    assert len(all_versions(client, sol)) == 2


def test_no_auto_versions_when_perform_auto_training_is_false() -> None:
    client, clock = make("latest")
    sol = active_solution(client, clock, performAutoTraining=False)
    clock.advance(30 * DAY)
    assert all_versions(client, sol) == []


def test_no_auto_versions_before_2024_04_19() -> None:
    client, clock = make("2024-04-18")
    sol = active_solution(client, clock)
    clock.advance(30 * DAY)
    assert all_versions(client, sol) == []


def test_auto_versions_from_2024_04_19() -> None:
    client, clock = make("2024-04-19")
    sol = active_solution(client, clock)
    clock.advance(AUTO_DELAY)
    (auto,) = all_versions(client, sol)
    assert auto["trainingType"] == "AUTOMATIC"


def test_no_auto_versions_while_the_solution_is_being_created() -> None:
    client, clock = make("latest")
    sol = create_solution(client)
    clock.advance(AUTO_DELAY)  # past 30 minutes, but the solution is ACTIVE only at 660 s
    assert all_versions(client, sol) == []


# -- deleting --------------------------------------------------------------------------------


def test_delete_solution_goes_delete_pending_then_gone_with_its_versions() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    version = active_version(client, clock, sol)
    keep = active_solution(client, clock, "other")
    kept_version = new_version(client, keep)
    assert without_metadata(client.delete_solution(solutionArn=sol)) == {}
    assert solution_status(client, sol) == "DELETE PENDING"
    assert version_status(client, version) == "ACTIVE"
    clock.advance(DELETE_PENDING)
    assert solution_status(client, sol) == "DELETE IN_PROGRESS"
    clock.advance(DELETE_GONE - DELETE_PENDING)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_solution(solutionArn=sol)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_solution_version(solutionVersionArn=version)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.list_solution_versions(solutionArn=sol)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.delete_solution(solutionArn=sol)
    assert [s["solutionVersionArn"] for s in all_versions(client)] == [kept_version]
    assert [s["solutionArn"] for s in client.list_solutions()["solutions"]] == [keep]


def test_a_deleted_solution_name_can_be_used_again() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    active_version(client, clock, sol)
    client.delete_solution(solutionArn=sol)
    clock.advance(DELETE_GONE)
    again = active_solution(client, clock)
    assert again == sol
    assert all_versions(client, again) == []


def test_delete_solution_is_refused_while_a_version_is_in_flight() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    version = new_version(client, sol)
    for step in (0, VERSION_PENDING):
        clock.advance(step)
        status = version_status(client, version)
        with pytest.raises(client.exceptions.ResourceInUseException) as raised:
            client.delete_solution(solutionArn=sol)
        assert f"({status}, observed)" in message_of(raised.value)
        assert version.rpartition("/")[2] in message_of(raised.value)
    assert solution_status(client, sol) == "ACTIVE"
    client.fake.settle(version)
    client.delete_solution(solutionArn=sol)
    assert solution_status(client, sol) == "DELETE PENDING"


def test_delete_solution_is_refused_while_a_campaign_exists() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    version = active_version(client, clock, sol)
    client.create_campaign(name="live", solutionVersionArn=version, minProvisionedTPS=1)
    with pytest.raises(client.exceptions.ResourceInUseException) as raised:
        client.delete_solution(solutionArn=sol)
    assert "live" in message_of(raised.value)
    client.delete_campaign(campaignArn=campaign_arn("live"))
    clock.advance(DELETE_GONE)
    client.delete_solution(solutionArn=sol)
    assert solution_status(client, sol) == "DELETE PENDING"


def test_deleting_a_solution_again_does_not_move_its_status_backwards() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    client.delete_solution(solutionArn=sol)
    clock.advance(DELETE_PENDING + 1)
    assert solution_status(client, sol) == "DELETE IN_PROGRESS"
    with contextlib.suppress(client.exceptions.ResourceInUseException):
        client.delete_solution(solutionArn=sol)
    assert solution_status(client, sol) == "DELETE IN_PROGRESS"
    clock.advance(DELETE_GONE - DELETE_PENDING - 1)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_solution(solutionArn=sol)


def test_no_campaign_outlives_the_solution_version_it_serves() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    version = active_version(client, clock, sol)
    client.delete_solution(solutionArn=sol)
    with contextlib.suppress(ClientError):
        client.create_campaign(name="late", solutionVersionArn=version, minProvisionedTPS=1)
    clock.advance(DELETE_GONE)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_solution(solutionArn=sol)
    orphans = [
        c["name"]
        for c in all_campaigns(client)
        if client.describe_campaign(campaignArn=c["campaignArn"])["campaign"][
            "solutionVersionArn"
        ].startswith(sol + "/")
    ]
    assert orphans == []


# -- campaigns -------------------------------------------------------------------------------


def test_campaign_create_describe_list_and_delete_over_time() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    other = active_solution(client, clock, "other")
    version = active_version(client, clock, sol)
    arn = client.create_campaign(name="live", solutionVersionArn=version, minProvisionedTPS=1)[
        "campaignArn"
    ]
    assert arn == campaign_arn("live")
    created = clock.now()
    described = client.describe_campaign(campaignArn=arn)["campaign"]
    assert described["status"] == "CREATE PENDING"
    assert described["solutionVersionArn"] == version
    assert described["minProvisionedTPS"] == 1
    assert described["creationDateTime"] == created
    clock.advance(CAMPAIGN_PENDING)
    assert client.describe_campaign(campaignArn=arn)["campaign"]["status"] == "CREATE IN_PROGRESS"
    clock.advance(CAMPAIGN_READY - CAMPAIGN_PENDING)
    assert client.describe_campaign(campaignArn=arn)["campaign"]["status"] == "ACTIVE"
    assert [c["campaignArn"] for c in all_campaigns(client, sol)] == [arn]
    assert all_campaigns(client, other) == []
    assert [c["status"] for c in all_campaigns(client)] == ["ACTIVE"]

    assert without_metadata(client.delete_campaign(campaignArn=arn)) == {}
    assert client.describe_campaign(campaignArn=arn)["campaign"]["status"] == "DELETE PENDING"
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.delete_campaign(campaignArn=arn)
    clock.advance(DELETE_PENDING)
    assert client.describe_campaign(campaignArn=arn)["campaign"]["status"] == "DELETE IN_PROGRESS"
    clock.advance(DELETE_GONE - DELETE_PENDING)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_campaign(campaignArn=arn)
    assert all_campaigns(client) == []


def test_campaign_min_provisioned_tps_defaults_to_1_from_2021_07_21() -> None:
    client, clock = make("latest")
    sol = active_solution(client, clock, performAutoTraining=False)
    version = active_version(client, clock, sol)
    arn = client.create_campaign(name="c", solutionVersionArn=version)["campaignArn"]
    assert client.describe_campaign(campaignArn=arn)["campaign"]["minProvisionedTPS"] == 1


def test_campaign_name_can_be_reused_once_the_campaign_is_gone() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    version = active_version(client, clock, sol)
    client.create_campaign(name="c", solutionVersionArn=version, minProvisionedTPS=1)
    client.delete_campaign(campaignArn=campaign_arn("c"))
    clock.advance(DELETE_GONE)
    client.create_campaign(name="c", solutionVersionArn=version, minProvisionedTPS=1)


# -- the guard on the fake -------------------------------------------------------------------


def test_guard_attaches_and_vetoes_an_illegal_update_before_the_fake_sees_it() -> None:
    client, clock = make()
    guard = svstate.boto.attach(client, tracker=svstate.Tracker(ruleset=STOP_RULESET))
    sol = active_solution(client, clock)
    new_version(client, sol, trainingMode="FULL")
    all_versions(client, sol)  # the tracker now has the complete list
    answered = list(client.fake.calls)
    with pytest.raises(svstate.PreflightDenied) as raised:
        new_version(client, sol, trainingMode="UPDATE")
    assert raised.value.verdict.findings[0].rule == "SV301"
    assert client.fake.calls == answered
    assert client.fake.refused == []
    assert guard.last_verdict is raised.value.verdict


def test_guard_lets_legal_calls_through_to_the_fake() -> None:
    client, clock = make()
    svstate.boto.attach(client, tracker=svstate.Tracker(ruleset=STOP_RULESET))
    sol = active_solution(client, clock)
    version = new_version(client, sol)
    clock.advance(VERSION_READY)
    describe_version(client, version)  # the guard's tracker sees it ACTIVE
    new_version(client, sol, trainingMode="UPDATE")
    assert [op for op, _ in client.fake.calls].count("CreateSolutionVersion") == 2
    assert version in {s["solutionVersionArn"] for s in all_versions(client, sol)}


def test_guard_vetoes_stop_in_2019_without_the_fake_answering() -> None:
    client, clock = make("2019-10-14")
    svstate.boto.attach(client, tracker=svstate.Tracker(ruleset="2019-10-14"))
    sol = active_solution(client, clock)
    version = new_version(client, sol)
    with pytest.raises(svstate.PreflightDenied) as raised:
        client.stop_solution_version_creation(solutionVersionArn=version)
    assert raised.value.verdict.findings[0].rule == "SV801"
    assert "StopSolutionVersionCreation" not in [op for op, _ in client.fake.calls]


def test_guard_with_refresh_fetches_facts_from_the_fake_then_vetoes() -> None:
    client, clock = make()
    sol = active_solution(client, clock)
    new_version(client, sol)
    svstate.boto.attach(client, tracker=svstate.Tracker(ruleset=STOP_RULESET), unknown="refresh")
    before = len(client.fake.calls)
    with pytest.raises(svstate.PreflightDenied):
        client.delete_solution(solutionArn=sol)
    fetched = [op for op, _ in client.fake.calls[before:]]
    assert "DeleteSolution" not in fetched
    assert "ListSolutionVersions" in fetched


def test_guard_detached_lets_the_fake_answer_with_its_own_error() -> None:
    client, clock = make()
    guard = svstate.boto.attach(client, tracker=svstate.Tracker(ruleset=STOP_RULESET))
    sol = active_solution(client, clock)
    new_version(client, sol)
    all_versions(client, sol)
    guard.detach()
    with pytest.raises(client.exceptions.InvalidInputException):
        new_version(client, sol, trainingMode="UPDATE")
    assert client.fake.refused[-1][0] == "CreateSolutionVersion"


def test_guard_attached_twice_is_the_same_guard() -> None:
    client, _ = make()
    tracker = svstate.Tracker(ruleset=STOP_RULESET)
    assert svstate.boto.attach(client, tracker=tracker) is svstate.boto.attach(
        client, tracker=tracker
    )


# -- bad arguments to the fake ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"durations": {"trainig": 5}}, "'trainig'"),
        ({"durations": {"training": -1}}, "-1"),
        ({"durations": {"training": float("nan")}}, "nan"),
        ({"durations": {"training": float("inf")}}, "inf"),
        ({"durations": {"training": "60"}}, "'60'"),
        ({"durations": {"training": True}}, "True"),
        ({"clock": "now"}, "'now'"),
        ({"clock": 5}, "5"),
        ({"quota": 0}, "0"),
        ({"quota": -3}, "-3"),
        ({"quota": True}, "True"),
        ({"quota": "20"}, "'20'"),
        ({"ruleset": "bogus"}, "'bogus'"),
        ({"ruleset": "2018-01-01"}, "'2018-01-01'"),
    ],
)
def test_bad_arguments_to_fake_personalize_raise_svstate_error_naming_the_value(
    kwargs: dict[str, Any], named: str
) -> None:
    with pytest.raises(svstate.SvstateError) as raised:
        fake_personalize(**kwargs)
    assert named in str(raised.value)


def test_bad_ruleset_is_unknown_ruleset() -> None:
    with pytest.raises(svstate.UnknownRuleset):
        fake_personalize(ruleset="yesterday")


@pytest.mark.parametrize("durations", [5, [("training", 1)], "training"])
def test_durations_that_are_not_a_mapping_raise_svstate_error(durations: object) -> None:
    with pytest.raises(svstate.SvstateError, match="durations"):
        fake_personalize(durations=durations)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("seconds", "named"),
    [(-1, "-1"), (float("nan"), "nan"), (float("inf"), "inf"), ("1", "'1'"), (True, "True")],
)
def test_fake_clock_advance_rejects_bad_seconds_naming_them(seconds: object, named: str) -> None:
    clock = FakeClock()
    with pytest.raises(svstate.SvstateError) as raised:
        clock.advance(seconds)  # type: ignore[arg-type]
    assert named in str(raised.value)
    assert clock.seconds() == 0


@pytest.mark.parametrize(("start", "named"), [("x", "'x'"), (5, "5"), (dt.date(2020, 1, 1), "")])
def test_fake_clock_rejects_a_start_that_is_not_a_datetime(start: object, named: str) -> None:
    with pytest.raises(svstate.SvstateError) as raised:
        FakeClock(start=start)  # type: ignore[arg-type]
    assert named in str(raised.value)


def test_fake_clock_advances_and_reads_aware_times() -> None:
    clock = FakeClock(start=dt.datetime(2024, 5, 1))
    assert clock.now() == dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    clock.advance(0)
    clock.advance(90.5)
    assert clock.seconds() == 90.5
    assert clock.now() == dt.datetime(2024, 5, 1, 0, 1, 30, 500000, tzinfo=dt.UTC)
    assert clock.at(60) == dt.datetime(2024, 5, 1, 0, 1, tzinfo=dt.UTC)


def test_fake_uses_the_clock_it_is_given() -> None:
    clock = FakeClock(start=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
    client = fake_personalize(clock=clock)
    assert client.fake.clock is clock
    arn = create_solution(client)
    created = client.describe_solution(solutionArn=arn)["solution"]["creationDateTime"]
    assert created == dt.datetime(2024, 5, 1, tzinfo=dt.UTC)


# -- self-consistency: the fake accepts exactly what preflight allows on its own facts -------

MODELLED_REASONS = ("Create failed. Not enough interactions.", "Internal training error.")
TIME_STEPS = st.one_of(
    st.sampled_from([0, 1, 30, 60, 90, 120, 300, 600, 660, 1800, 3600, 3900, DAY, WEEK, 10 * DAY]),
    st.integers(0, 2 * VERSION_READY),
    st.floats(0, 10 * DAY, allow_nan=False, allow_infinity=False),
)
PHANTOM = st.integers(0, 4).map(lambda n: n == 0)  # a version the fake never made, 1 in 5
OTHER_RECIPES = st.sampled_from([SIMS, USER_PERSONALIZATION, USER_PERSONALIZATION_V2, None])


class FakeAgreesWithPreflight(RuleBasedStateMachine):
    """Random calls on one or two solutions of a fake; each modelled call checked against preflight.

    Facts are collected through the client only: DescribeSolution, every page
    of ListSolutionVersions and ListCampaigns for the solution, and the
    account's in-flight count from ListSolutionVersions without a solution.
    """

    RULESET: str = "latest"

    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock()
        self.client: Any = None
        self.quota = 20
        self.page = 100
        self.solutions: list[str] = []
        self.requests: list[dict[str, Any]] = []
        #: every version ever seen -> its last observed status (None once gone with its solution)
        self.versions: dict[str, str | None] = {}
        self.campaigns: list[str] = []
        self.names = itertools.count()

    # -- setup ---------------------------------------------------------------------------

    @initialize(
        count=st.integers(1, 2),
        other_recipe=OTHER_RECIPES,
        auto=st.booleans(),
        page=st.integers(1, 4),
        warm_up=st.sampled_from([0, SOLUTION_PENDING, SOLUTION_READY, SOLUTION_READY]),
        quota=st.sampled_from([20, 20, 2]),
    )
    def create_solutions(
        self,
        count: int,
        other_recipe: str | None,
        auto: bool,
        page: int,
        warm_up: int,
        quota: int,
    ) -> None:
        self.quota = quota
        self.client = fake_personalize(ruleset=self.RULESET, clock=self.clock, quota=quota)
        self.page = page
        extra: dict[str, Any] = {"name": "sol-a"}
        if self.RULESET == "latest":
            extra["performAutoTraining"] = auto
        self.requests = [extra]
        if count == 2:
            second = dict(extra, name="sol-b")
            if other_recipe is None:
                second["performAutoML"] = True
            else:
                second["recipeArn"] = other_recipe
            self.requests.append(second)
        self.solutions = [create_solution(self.client, **r) for r in self.requests]
        self.clock.advance(warm_up)

    # -- facts, through the client -------------------------------------------------------

    def facts(self, solution_arn: str) -> dict[str, Any] | None:
        """What the client reports about one solution, or None when it does not exist."""
        client = self.client
        try:
            solution = client.describe_solution(solutionArn=solution_arn)["solution"]
        except client.exceptions.ResourceNotFoundException:
            return None
        return {
            "solution": solution,
            "versions": all_versions(client, solution_arn, self.page),
            "campaigns": all_campaigns(client, solution_arn, self.page),
            "account_in_flight": sum(
                v["status"] in IN_FLIGHT for v in all_versions(client, None, self.page)
            ),
            "account_quota": self.quota,
        }

    def modelled(self, operation: str, params: dict[str, Any], call: Any) -> Any:
        """Make one modelled call; check the fake's answer against preflight on the facts."""
        target = params.get("solutionArn") or params["solutionVersionArn"]
        solution_arn = target if "solutionArn" in params else target.rpartition("/")[0]
        facts = self.facts(solution_arn)
        if facts is None:
            # No solution: the request alone may still be refused (e.g. an operation the
            # ruleset lacks); otherwise the service cannot find the resource.
            verdict = svstate.preflight(operation, params, ruleset=self.RULESET)
            expected: str | None = "ResourceNotFoundException"
            if verdict.decision is Decision.DENY:
                first = next(f for f in verdict.findings if f.severity.value == "error")
                expected = first.error_code
                if expected in (None, "ParamValidationError"):
                    expected = "InvalidInputException"
        else:
            verdict = svstate.preflight(operation, params, ruleset=self.RULESET, **facts)
            # An AutoML solution names its recipe only once ACTIVE: until then nobody,
            # the service included, knows whether UPDATE is supported. The fake accepts.
            undecidable = verdict.missing == ("solution.autoMLResult.bestRecipeArn",) and (
                facts["solution"]["status"] != "ACTIVE"
            )
            assert verdict.decision is not Decision.UNKNOWN or undecidable, (
                f"preflight is UNKNOWN on complete facts from the fake: {verdict}; "
                f"missing {verdict.missing}"
            )
            if undecidable and verdict.decision is Decision.UNKNOWN:
                expected = "either"  # what the fake decides with the recipe it will pick
            elif verdict.decision is Decision.ALLOW:
                expected = None
            else:
                first = next(f for f in verdict.findings if f.severity.value == "error")
                expected = first.error_code
                if expected in (None, "ParamValidationError"):
                    expected = "InvalidInputException"
        error: ClientError | None = None
        response = None
        try:
            response = call(**params)
        except ClientError as caught:
            error = caught
        if expected == "either":
            event(f"{operation}: undecidable, {'refused' if error else 'accepted'}")
            return response
        if error is not None:
            code = code_of(error)
            assert expected is not None, (
                f"the fake refused {operation} {params} with {code} ({message_of(error)}) "
                f"though preflight allows it on the fake's facts: {verdict}"
            )
            assert code == expected, (
                f"the fake refused {operation} {params} with {code} ({message_of(error)}); "
                f"preflight predicts {expected}: {verdict}"
            )
            assert message_of(error)
            event(f"{operation}: {code}")
            return None
        assert expected is None, (
            f"the fake accepted {operation} {params} though preflight denies it with "
            f"{expected}: {verdict}"
        )
        event(f"{operation}: accepted")
        return response

    def version(self, pick: int, phantom: bool) -> str:
        """A known version, or one the fake never made (when asked, or none is known)."""
        known = [arn for arn, status in self.versions.items() if status is not None]
        known = known or list(self.versions)  # only versions gone with their solution
        if phantom or not known:
            return self.solutions[pick % len(self.solutions)] + "/ffffffff"
        return known[pick % len(known)]

    # -- rules ---------------------------------------------------------------------------

    @rule(seconds=TIME_STEPS)
    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    @rule(which=st.integers(0, 1), mode=st.sampled_from([None, "FULL", "UPDATE"]))
    def create_solution_version(self, which: int, mode: str | None) -> None:
        params: dict[str, Any] = {"solutionArn": self.solutions[which % len(self.solutions)]}
        if mode is not None:
            params["trainingMode"] = mode
        response = self.modelled(
            "CreateSolutionVersion", params, self.client.create_solution_version
        )
        if response is not None:
            arn = response["solutionVersionArn"]
            assert arn not in self.versions
            self.versions[arn] = "CREATE PENDING"

    @rule(which=st.integers(0, 1), wait=st.integers(0, VERSION_READY + STOPPING))
    def create_then_stop_after_a_while(self, which: int, wait: int) -> None:
        self.create_solution_version(which, "FULL")
        self.clock.advance(wait)
        newest = list(self.versions)[-1] if self.versions else None
        if newest is not None:
            params = {"solutionVersionArn": newest}
            self.modelled(
                "StopSolutionVersionCreation", params, self.client.stop_solution_version_creation
            )

    @rule(pick=st.integers(0, 1000), phantom=PHANTOM)
    def stop_solution_version_creation(self, pick: int, phantom: bool) -> None:
        params = {"solutionVersionArn": self.version(pick, phantom)}
        self.modelled(
            "StopSolutionVersionCreation", params, self.client.stop_solution_version_creation
        )

    @rule(pick=st.integers(0, 1000), phantom=PHANTOM)
    def create_campaign(self, pick: int, phantom: bool) -> None:
        params = {
            "name": f"campaign-{next(self.names)}",
            "solutionVersionArn": self.version(pick, phantom),
            "minProvisionedTPS": 1,
        }
        response = self.modelled("CreateCampaign", params, self.client.create_campaign)
        if response is not None:
            self.campaigns.append(response["campaignArn"])

    @rule(which=st.integers(0, 1), now=st.integers(0, 2))
    def delete_solution(self, which: int, now: int) -> None:
        if now:  # deleting ends most of a run: do it only a third of the times it is drawn
            return
        params = {"solutionArn": self.solutions[which % len(self.solutions)]}
        self.modelled("DeleteSolution", params, self.client.delete_solution)

    @rule()
    def recreate_deleted_solutions(self) -> None:
        client = self.client
        for arn, request in zip(self.solutions, self.requests, strict=True):
            try:
                client.describe_solution(solutionArn=arn)
            except client.exceptions.ResourceNotFoundException:
                assert create_solution(client, **request) == arn

    @rule(pick=st.integers(0, 1000))
    def delete_campaign(self, pick: int) -> None:
        if not self.campaigns:
            return
        arn = self.campaigns[pick % len(self.campaigns)]
        client = self.client
        try:
            status = client.describe_campaign(campaignArn=arn)["campaign"]["status"]
        except client.exceptions.ResourceNotFoundException:
            status = None
        error: ClientError | None = None
        try:
            client.delete_campaign(campaignArn=arn)
        except ClientError as caught:
            error = caught
        if error is not None:
            expected = "ResourceNotFoundException" if status is None else "ResourceInUseException"
            assert code_of(error) == expected
            assert status is None or status.startswith("DELETE")
            return
        assert status is not None
        assert not status.startswith("DELETE")

    @rule(reason=st.sampled_from(MODELLED_REASONS))
    def fail_next_training(self, reason: str) -> None:
        self.client.fake.fail_next_training(reason)

    @rule()
    def settle_next_training(self) -> None:
        self.client.fake.settle_next_training()

    @rule()
    def settle_everything(self) -> None:
        self.client.fake.settle()

    @rule(pick=st.integers(0, 1000))
    def settle_one(self, pick: int) -> None:
        live = [arn for arn, status in self.versions.items() if status is not None]
        if not live:
            return
        self.client.fake.settle(live[pick % len(live)])

    # -- invariants ----------------------------------------------------------------------

    @invariant()
    def statuses_only_move_forward(self) -> None:
        if not self.solutions:
            return
        client = self.client
        listed = {v["solutionVersionArn"]: v for v in all_versions(client, None, 100)}
        for arn in listed:
            # Versions the fake made itself (auto-training) start in CREATE PENDING too.
            self.versions.setdefault(arn, "CREATE PENDING")
        for arn, before in self.versions.items():
            if before is None:
                assert arn not in listed, f"{arn} came back after its solution was deleted"
                continue
            try:
                now = describe_version(client, arn)
            except client.exceptions.ResourceNotFoundException:
                # Versions vanish only with their solution.
                with pytest.raises(client.exceptions.ResourceNotFoundException):
                    client.describe_solution(solutionArn=arn.rpartition("/")[0])
                self.versions[arn] = None
                continue
            assert listed[arn]["status"] == now["status"]
            verdict = svstate.check_transition(before, now["status"], ruleset=self.RULESET)
            assert verdict.decision is Decision.ALLOW, f"{arn}: {verdict}"
            found = svstate.validate("SolutionVersion", now, ruleset=self.RULESET)
            assert found.decision is Decision.ALLOW, f"{arn}: {found}"
            self.versions[arn] = now["status"]


@pytest.mark.parametrize("ruleset", ["2019-10-14", "2021-05-20", "latest"])
def test_fake_accepts_exactly_what_preflight_allows_and_statuses_only_move_forward(
    ruleset: str,
) -> None:
    machine = type(
        f"FakeAgreesWithPreflight_{ruleset.replace('-', '_')}",
        (FakeAgreesWithPreflight,),
        {"RULESET": ruleset},
    )
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=100,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


# -- version ids: random-looking, reproducible from a seed --------------------------------------


def _version_ids(seed: int | None = None, count: int = 6) -> list[str]:
    client, clock = make(**({} if seed is None else {"seed": seed}))
    arn = active_solution(client, clock)
    ids = []
    for _ in range(count):
        version = new_version(client, arn)
        client.fake.settle(version)
        ids.append(version.rpartition("/")[2])
    return ids


def test_version_ids_are_eight_hex_digits_in_no_creation_order() -> None:
    ids = _version_ids()
    assert all(re.fullmatch(r"[0-9a-f]{8}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    # Code that sorts version ARNs to find the newest would pick the wrong one here, as
    # it would against the service.
    assert sorted(ids) != ids
    assert ids[0] not in ("00000001", "00000000")


def test_the_same_seed_gives_the_same_ids_and_another_seed_others() -> None:
    assert _version_ids(seed=7) == _version_ids(seed=7)
    assert _version_ids(seed=7) != _version_ids(seed=8)
    assert _version_ids() == _version_ids(seed=0)
    client, _ = make(seed=42)
    assert client.fake.seed == 42


@pytest.mark.parametrize("seed", ["1", 1.5, None, True, [1]])
def test_a_seed_that_is_not_an_int_is_refused(seed: object) -> None:
    with pytest.raises(svstate.SvstateError, match=r"seed is .*; pass an int"):
        fake_personalize(seed=seed)  # type: ignore[arg-type]
