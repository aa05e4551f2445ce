"""svstate.boto.waiter: botocore-style waiters built from the declarations."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import boto3
import pytest
from botocore.exceptions import WaiterError
from botocore.stub import Stubber
from hypothesis import given
from hypothesis import strategies as st

import svstate
import svstate.boto
from svstate._chain import BY_NAME, CHAIN
from svstate.testing import FakeClock, fake_personalize

ACCT = "arn:aws:personalize:us-east-1:123456789012"
HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"


def test_the_waiters_are_the_declarations() -> None:
    assert tuple(r.waiter for r in CHAIN if r.waiter) == svstate.boto.WAITER_NAMES
    assert set(svstate.boto.WAITER_NAMES) >= {
        "dataset_group_active",
        "dataset_active",
        "dataset_import_job_active",
        "solution_active",
        "solution_version_active",
        "campaign_active",
        "batch_inference_job_active",
    }


def test_on_the_fake_a_wait_advances_the_clock_and_never_sleeps(monkeypatch: Any) -> None:
    monkeypatch.setattr("time.sleep", lambda s: pytest.fail("slept on the fake"))
    clock = FakeClock()
    client = fake_personalize(clock=clock)
    group = client.create_dataset_group(name="movies")["datasetGroupArn"]
    sol = client.create_solution(name="m", datasetGroupArn=group, recipeArn=HRNN)["solutionArn"]
    done = svstate.boto.waiter(client, "solution_active").wait(solutionArn=sol)
    assert done["solution"]["status"] == "ACTIVE"
    assert clock.seconds() == 5.0  # one delay of solution_active's 5 s
    version = client.create_solution_version(solutionArn=sol)["solutionVersionArn"]
    svstate.boto.waiter(client, "solution_version_active").wait(solutionVersionArn=version)
    assert clock.seconds() >= 2760


def test_a_failed_version_fails_at_once_with_its_failure_reason() -> None:
    client = fake_personalize()
    group = client.create_dataset_group(name="movies")["datasetGroupArn"]
    sol = client.create_solution(name="m", datasetGroupArn=group, recipeArn=HRNN)["solutionArn"]
    client.fake.clock.advance(60)
    client.fake.fail_next_training("Dataset has fewer than 25 users.")
    version = client.create_solution_version(solutionArn=sol)["solutionVersionArn"]
    with pytest.raises(WaiterError, match="fewer than 25 users") as failed:
        svstate.boto.waiter(client, "solution_version_active").wait(
            solutionVersionArn=version, WaiterConfig={"Delay": 60}
        )
    assert isinstance(failed.value, svstate.SvstateError)
    assert failed.value.status == "CREATE FAILED"
    describes = [c for c in client.fake.calls if c[0] == "DescribeSolutionVersion"]
    assert len(describes) == 47  # 60 s pending + 2,700 s training, then one look: no more


def test_a_stopped_version_fails_at_once() -> None:
    client = fake_personalize()
    sol = client.create_solution(
        name="m", datasetGroupArn=f"{ACCT}:dataset-group/g", recipeArn=HRNN
    )["solutionArn"]
    client.fake.clock.advance(60)
    version = client.create_solution_version(solutionArn=sol)["solutionVersionArn"]
    client.stop_solution_version_creation(solutionVersionArn=version)
    with pytest.raises(svstate.boto.WaiterFailed, match=r"CREATE STOPP.*will never be ACTIVE"):
        svstate.boto.waiter(client, "solution_version_active").wait(solutionVersionArn=version)


def stubbed() -> tuple[Any, Stubber]:
    client = boto3.client(
        "personalize", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    return client, Stubber(client)


CAMPAIGN = f"{ACCT}:campaign/movies"


def campaign(status: str, update: str | None = None, **more: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"campaignArn": CAMPAIGN, "status": status}
    if update is not None:
        body["latestCampaignUpdate"] = {"status": update, **more}
    return {"campaign": body}


def test_campaign_active_waits_for_its_update_and_fails_on_a_failed_one(monkeypatch: Any) -> None:
    slept: list[float] = []
    monkeypatch.setattr("time.sleep", slept.append)
    client, stub = stubbed()
    for body in (
        campaign("CREATE IN_PROGRESS"),
        campaign("ACTIVE", "CREATE PENDING"),
        campaign("ACTIVE", "CREATE IN_PROGRESS"),
        campaign("ACTIVE", "ACTIVE"),
    ):
        stub.add_response("describe_campaign", body, {"campaignArn": CAMPAIGN})
    with stub:
        svstate.boto.waiter(client, "campaign_active").wait(campaignArn=CAMPAIGN)
    assert slept == [30.0, 30.0, 30.0]
    client, stub = stubbed()
    stub.add_response(
        "describe_campaign",
        campaign("ACTIVE", "CREATE FAILED", failureReason="no capacity"),
        {"campaignArn": CAMPAIGN},
    )
    with stub, pytest.raises(svstate.boto.WaiterFailed, match="no capacity"):
        svstate.boto.waiter(client, "campaign_active").wait(campaignArn=CAMPAIGN)


def test_max_attempts_and_not_found(monkeypatch: Any) -> None:
    monkeypatch.setattr("time.sleep", lambda s: None)
    client, stub = stubbed()
    for _ in range(3):
        stub.add_response(
            "describe_campaign", campaign("CREATE PENDING"), {"campaignArn": CAMPAIGN}
        )
    with stub, pytest.raises(svstate.boto.WaiterFailed, match="Max attempts exceeded") as out:
        svstate.boto.waiter(client, "campaign_active").wait(
            campaignArn=CAMPAIGN, WaiterConfig={"Delay": 1, "MaxAttempts": 3}
        )
    assert "CREATE PENDING" in str(out.value)
    client, stub = stubbed()
    stub.add_client_error("describe_campaign", "ResourceNotFoundException", "nope")
    with stub, pytest.raises(svstate.boto.WaiterFailed, match="does not exist"):
        svstate.boto.waiter(client, "campaign_active").wait(campaignArn=CAMPAIGN)
    client, stub = stubbed()
    stub.add_client_error("describe_campaign", "ThrottlingException", "slow down")
    with stub, pytest.raises(client.exceptions.ClientError, match="slow down"):
        svstate.boto.waiter(client, "campaign_active").wait(campaignArn=CAMPAIGN)


@pytest.mark.parametrize(
    "config",
    [
        {"Delay": 0},
        {"Delay": -1},
        {"MaxAttempts": 0},
        {"MaxAttempts": True},
        {"Delay": "5"},
        {"Pause": 5},
        [5],
    ],
)
def test_a_bad_waiter_config_is_one_clear_error(config: object) -> None:
    with pytest.raises(svstate.SvstateError, match="WaiterConfig"):
        svstate.boto.waiter(fake_personalize(), "campaign_active").wait(
            campaignArn=CAMPAIGN, WaiterConfig=config
        )


def test_a_bad_name_or_client_is_refused() -> None:
    with pytest.raises(svstate.SvstateError, match="campaign_active"):
        svstate.boto.waiter(fake_personalize(), "campain_active")
    with pytest.raises(svstate.SvstateError):
        svstate.boto.waiter(object(), "campaign_active")


def test_the_error_pickles_and_copies() -> None:
    error = svstate.boto.WaiterFailed(
        "campaign_active", "it failed; do this.", {"x": 1}, status="CREATE FAILED"
    )
    for back in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error)):
        assert type(back) is type(error)
        assert (back.name, back.reason, back.status, back.last_response) == (
            "campaign_active",
            "it failed; do this.",
            "CREATE FAILED",
            {"x": 1},
        )
        assert str(back) == str(error)


PATHS = st.sampled_from(
    [
        ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"],
        ["CREATE PENDING", "CREATE IN_PROGRESS", "CREATE FAILED"],
        ["CREATE PENDING", "CREATE STOPPING", "CREATE STOPPED"],
        ["CREATE IN_PROGRESS", "CREATE STOPPING", "CREATE STOPPED"],
        ["CREATE PENDING", "CREATE STOPPED"],
    ]
)


@given(
    path=PATHS,
    stretch=st.lists(st.integers(1, 3), min_size=5, max_size=5),
    attempts=st.integers(1, 8),
)
def test_the_waiter_succeeds_iff_active_within_max_attempts_and_stops_at_a_terminal_status(
    path: list[str], stretch: list[int], attempts: int
) -> None:
    """Over the version lifecycle's legal paths, each status seen a few times."""
    seen = [s for s, n in zip(path, stretch, strict=False) for _ in range(n)]
    lifecycle = BY_NAME["solution_version"].compiled
    assert lifecycle is not None
    arn = f"{ACCT}:solution/m/0a1b2c3d"
    client, stub = stubbed()
    replies = [{"solutionVersion": {"solutionVersionArn": arn, "status": s}} for s in seen]
    for reply in replies[:attempts]:
        stub.add_response("describe_solution_version", reply, {"solutionVersionArn": arn})
    first_final = next(
        (
            i
            for i, s in enumerate(seen)
            if s == "ACTIVE" or "ACTIVE" not in _reachable(lifecycle, s)
        ),
        None,
    )
    with stub:
        try:
            svstate.boto.waiter(client, "solution_version_active").wait(
                solutionVersionArn=arn, WaiterConfig={"Delay": 1e-9, "MaxAttempts": attempts}
            )
            succeeded = True
        except svstate.boto.WaiterFailed:
            succeeded = False
        used = len(replies[:attempts]) - len(stub._queue)
    assert succeeded == (
        first_final is not None and first_final < attempts and seen[first_final] == "ACTIVE"
    )
    stop = first_final + 1 if first_final is not None and first_final < attempts else attempts
    assert used == min(stop, attempts)  # never a describe after a final status


def _reachable(lifecycle: Any, status: str) -> set[str]:
    found = {s for s in lifecycle.statuses if s.value == status}
    return {x.value for s in found for x in lifecycle.reachable[s]}
