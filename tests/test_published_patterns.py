"""Published call sequences run on the fake with the guard attached in enforce mode.

* The Amazon Personalize Developer Guide's Python example (getting-started-python):
  ``create_solution``, ``describe_solution``, ``create_solution_version`` and
  ``describe_solution_version`` one after another, with no wait, then a poll until the
  version is ACTIVE and a campaign.
* The Step Functions pattern of public pipelines (aws-samples amazon-personalize-samples,
  ml_ops_ds_sdk): a CreateSolution task whose Lambda creates the solution version at once,
  then a Wait / check-status loop, then CreateCampaign.

Both must run to completion: svstate must not refuse what the service accepts.
"""

from __future__ import annotations

from typing import Any

import pytest

import svstate
import svstate.boto
from svstate.testing import FakeClock, fake_personalize

DATASET_GROUP = "arn:aws:personalize:us-east-1:123456789012:dataset-group/movies"
HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
USER_PERSONALIZATION = "arn:aws:personalize:::recipe/aws-user-personalization"


def guarded(unknown: str = "allow", **fake: Any) -> tuple[Any, FakeClock, svstate.boto.Guard]:
    clock = FakeClock()
    client = fake_personalize(clock=clock, **fake)
    guard = svstate.boto.attach(client, mode="enforce", unknown=unknown)
    return client, clock, guard


def wait_until_active(client: Any, clock: FakeClock, arn: str, poll: int = 60) -> int:
    """The Guide's polling loop: describe every ``poll`` seconds until ACTIVE or failed."""
    polls = 0
    while True:
        status = client.describe_solution_version(solutionVersionArn=arn)["solutionVersion"][
            "status"
        ]
        polls += 1
        if status in ("ACTIVE", "CREATE FAILED"):
            return polls
        clock.advance(poll)


@pytest.mark.parametrize("unknown", ["allow", "deny", "refresh"])
def test_the_developer_guide_example_runs_to_completion_under_the_guard(unknown: str) -> None:
    client, clock, guard = guarded(unknown)
    # As the Guide does: no wait between these four calls.
    solution_arn = client.create_solution(
        name="movies", datasetGroupArn=DATASET_GROUP, recipeArn=USER_PERSONALIZATION
    )["solutionArn"]
    client.describe_solution(solutionArn=solution_arn)
    version_arn = client.create_solution_version(solutionArn=solution_arn)["solutionVersionArn"]
    described = client.describe_solution_version(solutionVersionArn=version_arn)
    assert described["solutionVersion"]["status"] in ("CREATE PENDING", "CREATE IN_PROGRESS")
    # The create call was allowed; what svstate said of the solution being created is a
    # warning at most.
    verdict = guard.last_verdict
    assert verdict is not None
    assert verdict.decision is not svstate.Decision.DENY
    assert all(f.severity != "error" for f in verdict.findings)
    polls = wait_until_active(client, clock, version_arn)
    assert polls > 1  # the fake trains on the service's time scale, not at once
    campaign = client.create_campaign(
        name="movies-campaign", solutionVersionArn=version_arn, minProvisionedTPS=1
    )
    assert campaign["campaignArn"].endswith(":campaign/movies-campaign")
    assert client.fake.refused == []


def test_the_guard_still_refuses_an_update_right_after_a_full_it_has_only_seen_created() -> None:
    # Inferred statuses never deny by themselves; what was observed still does.
    client, _, _ = guarded("refresh")
    solution_arn = client.create_solution(
        name="movies", datasetGroupArn=DATASET_GROUP, recipeArn=HRNN
    )["solutionArn"]
    client.create_solution_version(solutionArn=solution_arn)
    with pytest.raises(svstate.PreflightDenied) as denied:
        client.create_solution_version(solutionArn=solution_arn, trainingMode="UPDATE")
    # "refresh" read the real status: the denial rests on an observation.
    [finding] = denied.value.verdict.errors
    assert finding.rule == "SV301"
    assert "is CREATE PENDING (observed)" in finding.message


# -- the Step Functions pattern ---------------------------------------------------------------


def create_solution_handler(event: dict[str, Any], client: Any) -> dict[str, Any]:
    """A CreateSolution task that trains at once, as published pipelines do."""
    solution_arn = client.create_solution(
        name=event["name"], datasetGroupArn=event["datasetGroupArn"], recipeArn=event["recipe"]
    )["solutionArn"]
    version_arn = client.create_solution_version(solutionArn=solution_arn)["solutionVersionArn"]
    return {**event, "solutionArn": solution_arn, "solutionVersionArn": version_arn}


def check_version_handler(event: dict[str, Any], client: Any) -> dict[str, Any]:
    described = client.describe_solution_version(solutionVersionArn=event["solutionVersionArn"])
    return {**event, "status": described["solutionVersion"]["status"]}


def create_campaign_handler(event: dict[str, Any], client: Any) -> dict[str, Any]:
    campaign = client.create_campaign(
        name=f"{event['name']}-campaign",
        solutionVersionArn=event["solutionVersionArn"],
        minProvisionedTPS=1,
    )
    return {**event, "campaignArn": campaign["campaignArn"]}


def run_state_machine(client: Any, clock: FakeClock, event: dict[str, Any]) -> dict[str, Any]:
    """CreateSolution -> (Wait 30 s -> CheckVersion)* -> CreateCampaign."""
    state = create_solution_handler(event, client)
    while True:
        clock.advance(30)  # a Wait state
        state = check_version_handler(state, client)
        if state["status"] == "ACTIVE":
            return create_campaign_handler(state, client)
        assert state["status"] != "CREATE FAILED", state


@pytest.mark.parametrize("unknown", ["allow", "refresh"])
def test_the_step_functions_pattern_runs_to_completion_under_the_guard(unknown: str) -> None:
    client, clock, _ = guarded(unknown)
    event = {"name": "movies", "datasetGroupArn": DATASET_GROUP, "recipe": HRNN}
    done = run_state_machine(client, clock, event)
    assert done["campaignArn"].endswith(":campaign/movies-campaign")
    assert client.fake.refused == []
    operations = [op for op, _ in client.fake.calls]
    assert operations[:2] == ["CreateSolution", "CreateSolutionVersion"]
    assert operations[-1] == "CreateCampaign"
