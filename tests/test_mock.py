"""Tests for ``svstate.testing.mock_personalize``: unmodified code, answered by the fake.

What is checked: every way code creates a Personalize client is answered
inside the mock and only there; other services (moto's, here) are untouched;
clients created before it are left alone; a client that outlives its mock
never reaches AWS; time moves by sleeping (sync and async) with the same
number of polls as real time would take; the decorator gives each call a
fresh mock; mocks nest; the guard can be attached to every client; bad
options get one clear error.
"""

from __future__ import annotations

import asyncio
import pickle
import threading
import time

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st
from moto import mock_aws

import svstate
from svstate import PreflightDenied, SvstateError
from svstate.testing import FakeClock, mock_personalize

ACCOUNT = "123456789012"


@pytest.fixture(autouse=True)
def _region(monkeypatch: pytest.MonkeyPatch) -> None:
    """No region and no credentials configured, as on a fresh machine."""
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/svstate-test-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/svstate-test-credentials")


def _wait_active(client: object, group: str, delay: float) -> int:
    """A polling loop as published notebooks write it: describe, sleep, again."""
    polls = 0
    while True:
        polls += 1
        status = client.describe_dataset_group(datasetGroupArn=group)["datasetGroup"]["status"]  # type: ignore[attr-defined]
        if status in ("ACTIVE", "CREATE FAILED"):
            return polls
        time.sleep(delay)


# -- which clients are answered --------------------------------------------------------------


def test_boto3_client_session_client_and_botocore_client_are_all_answered() -> None:
    with mock_personalize() as mock:
        made = [
            boto3.client("personalize"),
            boto3.Session().client("personalize", region_name="us-east-1"),
            botocore.session.get_session().create_client("personalize", region_name="us-east-1"),
        ]
        arns = [
            c.create_dataset_group(name=f"g{i}")["datasetGroupArn"] for i, c in enumerate(made)
        ]
    assert arns == [
        f"arn:aws:personalize:us-east-1:{ACCOUNT}:dataset-group/g{i}" for i in range(3)
    ]
    assert [c[0] for c in mock.fake.calls] == ["CreateDatasetGroup"] * 3


def test_each_region_has_its_own_fake_on_the_one_clock() -> None:
    with mock_personalize() as mock:
        boto3.client("personalize", region_name="eu-west-1").create_dataset_group(name="g")
        boto3.client("personalize").create_dataset_group(name="g")  # no clash: other region
    assert [c[0] for c in mock.fake_for("eu-west-1").calls] == ["CreateDatasetGroup"]
    assert mock.fake_for("eu-west-1").clock is mock.clock is mock.fake.clock


def test_a_region_from_the_environment_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-2")
    with mock_personalize():
        arn = boto3.client("personalize").create_dataset_group(name="g")["datasetGroupArn"]
    assert arn.startswith("arn:aws:personalize:ap-southeast-2:")


def test_other_services_are_answered_by_moto_beside_the_mock() -> None:
    with mock_aws(), mock_personalize() as mock:
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="training-data")
        s3.put_object(Bucket="training-data", Key="i.csv", Body=b"USER_ID,ITEM_ID,TIMESTAMP\n")
        role = boto3.client("iam").create_role(
            RoleName="PersonalizeRole", AssumeRolePolicyDocument="{}"
        )["Role"]["Arn"]
        account = boto3.client("sts").get_caller_identity()["Account"]
        group = boto3.client("personalize").create_dataset_group(name="g")["datasetGroupArn"]
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="training-data")["Contents"]]
    assert keys == ["i.csv"]
    assert role == f"arn:aws:iam::{ACCOUNT}:role/PersonalizeRole"
    assert account == ACCOUNT
    assert f":{account}:" in group
    assert [c[0] for c in mock.fake.calls] == ["CreateDatasetGroup"]  # S3, IAM, STS not here


def test_moto_inside_the_mock_composes_as_well() -> None:
    with mock_personalize(), mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="inner-bucket")
        boto3.client("personalize").create_dataset_group(name="g")
        names = [b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]]
    assert names == ["inner-bucket"]


def test_a_client_created_before_the_mock_is_left_alone() -> None:
    before = boto3.client(
        "personalize",
        region_name="us-east-1",
        aws_access_key_id="a",
        aws_secret_access_key="b",
    )
    from botocore.stub import Stubber

    with mock_personalize() as mock, Stubber(before) as stub:
        stub.add_response("list_dataset_groups", {"datasetGroups": []}, {})
        assert before.list_dataset_groups()["datasetGroups"] == []  # its own way, not the fake
        stub.assert_no_pending_responses()
        assert not hasattr(before, "fake")
    assert mock.fake.calls == []


def test_a_client_that_outlives_its_mock_never_reaches_aws() -> None:
    with mock_personalize():
        client = boto3.client("personalize")
    with pytest.raises(SvstateError, match="has ended, so it answers nothing"):
        client.list_dataset_groups()


def test_clients_created_after_the_mock_are_real_again() -> None:
    with mock_personalize():
        pass
    client = boto3.client(
        "personalize", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    assert not hasattr(client, "fake")


def test_service_errors_reach_the_code_as_client_errors() -> None:
    with mock_personalize():
        client = boto3.client("personalize")
        with pytest.raises(ClientError) as caught:
            client.describe_dataset_group(
                datasetGroupArn=f"arn:aws:personalize:us-east-1:{ACCOUNT}:dataset-group/none"
            )
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"


# -- time ------------------------------------------------------------------------------------


@pytest.mark.parametrize("delay", [1, 7, 30, 60])
def test_a_polling_loop_does_the_polls_real_time_would_take_at_once(delay: int) -> None:
    ready = 31  # a dataset group: CREATE PENDING 1 s, then CREATE IN_PROGRESS 30 s
    started = time.perf_counter()
    with mock_personalize(latency=0) as mock:  # calls take no time: the count is exact
        client = boto3.client("personalize")
        group = client.create_dataset_group(name="g")["datasetGroupArn"]
        polls = _wait_active(client, group, delay)
    assert polls == -(-ready // delay) + 1  # one describe per sleep, and the last one
    assert mock.clock.seconds() == (polls - 1) * delay
    assert time.perf_counter() - started < 5  # no real waiting (a generous bound)


def test_a_loop_that_polls_without_sleeping_ends_as_calls_take_time() -> None:
    with mock_personalize() as mock:
        client = boto3.client("personalize")
        group = client.create_dataset_group(name="g")["datasetGroupArn"]
        calls = 1
        while client.describe_dataset_group(datasetGroupArn=group)["datasetGroup"]["status"] != (
            "ACTIVE"
        ):
            calls += 1
    # 0.1 s a call: the group is ACTIVE 31 s after its creation (at 0.1 s), seen by the
    # 310th describe (give or take one, for the sums of 0.1 in floating point)
    assert abs(calls - 310) <= 1
    assert mock.clock.seconds() == pytest.approx(0.1 * (calls + 1))


def test_time_false_means_no_latency_either_unless_asked() -> None:
    with mock_personalize(time=False) as mock:
        boto3.client("personalize").create_dataset_group(name="g")
    assert (mock.latency, mock.clock.seconds()) == (0.0, 0)
    with mock_personalize(time=False, latency=2) as mock:
        boto3.client("personalize").create_dataset_group(name="g")
    assert mock.clock.seconds() == 2


def test_time_and_monotonic_run_ahead_by_what_was_slept() -> None:
    with mock_personalize() as mock:
        wall, mono = time.time(), time.monotonic()
        time.sleep(3600)
        assert time.time() - wall == pytest.approx(3600, abs=1)
        assert time.monotonic() - mono == pytest.approx(3600, abs=1)
        assert mock.clock.seconds() == 3600
    assert abs(time.time() - wall) < 60  # real again after the mock


def test_asyncio_sleep_advances_the_clock_for_async_code() -> None:
    async def pipeline() -> int:
        client = boto3.client("personalize")
        group = client.create_dataset_group(name="g")["datasetGroupArn"]
        polls = 1
        while client.describe_dataset_group(datasetGroupArn=group)["datasetGroup"]["status"] != (
            "ACTIVE"
        ):
            await asyncio.sleep(10)
            polls += 1
        return polls

    with mock_personalize(latency=0) as mock:
        polls = asyncio.run(pipeline())
    assert (polls, mock.clock.seconds()) == (5, 40)


def test_time_false_leaves_time_alone_for_manual_control() -> None:
    with mock_personalize(time=False) as mock:
        client = boto3.client("personalize")
        group = client.create_dataset_group(name="g")["datasetGroupArn"]
        time.sleep(0.01)
        assert mock.clock.seconds() == 0
        mock.clock.advance(31)
        assert client.describe_dataset_group(datasetGroupArn=group)["datasetGroup"]["status"] == (
            "ACTIVE"
        )


def test_sleep_checks_its_argument_as_the_real_one_does() -> None:
    with mock_personalize():
        with pytest.raises(ValueError, match="non-negative"):
            time.sleep(-1)
        with pytest.raises(TypeError):
            time.sleep("10")  # type: ignore[arg-type]


def test_every_patch_is_undone_when_the_mock_ends() -> None:
    originals = (
        time.sleep,
        time.time,
        time.monotonic,
        asyncio.sleep,
        botocore.session.Session.create_client,
    )
    with mock_personalize():
        assert time.sleep is not originals[0]
    assert (
        time.sleep,
        time.time,
        time.monotonic,
        asyncio.sleep,
        botocore.session.Session.create_client,
    ) == originals


def test_the_patches_are_undone_when_the_code_under_test_raises() -> None:
    original = time.sleep
    with pytest.raises(RuntimeError), mock_personalize():
        raise RuntimeError("the pipeline failed")
    assert time.sleep is original


def test_the_default_clock_starts_now_and_a_given_clock_is_used() -> None:
    import datetime as dt

    with mock_personalize() as mock:
        assert abs((mock.clock.now() - dt.datetime.now(dt.UTC)).total_seconds()) < 60
    clock = FakeClock()
    with mock_personalize(clock=clock) as mock:
        boto3.client("personalize").create_dataset_group(name="g")  # takes 0.1 s
        time.sleep(5)
    assert mock.clock is clock
    assert clock.seconds() == pytest.approx(5.1)


# -- decorator, nesting, threads -------------------------------------------------------------


def test_the_decorator_gives_each_call_a_fresh_mock() -> None:
    @mock_personalize(ruleset="2019-10-14")
    def pipeline(name: str) -> list[str]:
        client = boto3.client("personalize")
        client.create_dataset_group(name=name)
        time.sleep(100)
        assert mock_personalize.current().clock.seconds() == pytest.approx(100.1)  # 1 call
        return [g["name"] for g in client.list_dataset_groups()["datasetGroups"]]

    assert pipeline("a") == ["a"]
    assert pipeline("b") == ["b"]  # a fresh account and clock each time


def test_the_decorator_works_on_async_functions() -> None:
    @mock_personalize()
    async def pipeline() -> float:
        boto3.client("personalize").create_dataset_group(name="g")
        await asyncio.sleep(120)
        return mock_personalize.current().clock.seconds()

    assert asyncio.run(pipeline()) == pytest.approx(120.1)


@settings(max_examples=10, deadline=None)
@given(names=st.lists(st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True), unique=True))
@mock_personalize()
def test_the_decorator_under_given_gives_each_example_its_own_account(names: list[str]) -> None:
    client = boto3.client("personalize")
    for name in names:
        client.create_dataset_group(name=name)
    listed = client.list_dataset_groups()["datasetGroups"]
    assert sorted(g["name"] for g in listed) == sorted(names)


def test_mocks_nest_and_the_innermost_answers() -> None:
    with mock_personalize() as outer:
        boto3.client("personalize").create_dataset_group(name="outer")
        with mock_personalize() as inner:
            assert mock_personalize.current() is inner
            boto3.client("personalize").create_dataset_group(name="inner")
            time.sleep(10)
        assert mock_personalize.current() is outer
        time.sleep(1)
    assert [c[1]["name"] for c in outer.fake.calls] == ["outer"]
    assert [c[1]["name"] for c in inner.fake.calls] == ["inner"]
    assert outer.clock.seconds() == pytest.approx(1.1)  # one call, one second
    assert inner.clock.seconds() == pytest.approx(10.1)


def test_a_mock_cannot_be_entered_twice_at_once() -> None:
    mock = mock_personalize()
    with mock, pytest.raises(SvstateError, match="already active"), mock:
        pass


def test_clients_in_other_threads_are_answered_too() -> None:
    arns: list[str] = []
    with mock_personalize():

        def worker(i: int) -> None:
            client = boto3.client("personalize")
            arns.append(client.create_dataset_group(name=f"g{i}")["datasetGroupArn"])

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(arns) == 4


def test_current_outside_every_mock_is_an_error() -> None:
    with pytest.raises(SvstateError, match="no mock_personalize is active"):
        mock_personalize.current()


def test_client_of_an_inactive_mock_is_an_error() -> None:
    with pytest.raises(SvstateError, match="not active"):
        mock_personalize().client()


# -- the rules and the guard -----------------------------------------------------------------


def test_the_fake_refuses_what_preflight_denies() -> None:
    with mock_personalize(ruleset="2019-10-14"):
        client = boto3.client("personalize")
        with pytest.raises(ClientError) as caught:
            client.create_solution_version(
                solutionArn=f"arn:aws:personalize:us-east-1:{ACCOUNT}:solution/missing"
            )
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_guard_enforce_attaches_one_guard_per_client_sharing_one_tracker() -> None:
    with mock_personalize(guard="enforce") as mock:
        first, second = boto3.client("personalize"), boto3.client("personalize")
        group = first.create_dataset_group(name="g")["datasetGroupArn"]
        with pytest.raises(PreflightDenied) as caught:
            second.create_dataset(  # the group is not ACTIVE yet: denied before sending
                name="d",
                datasetGroupArn=group,
                datasetType="Interactions",
                schemaArn=f"arn:aws:personalize:us-east-1:{ACCOUNT}:schema/s",
            )
    assert len(mock.guards) == 2
    assert {g.tracker for g in mock.guards} == {mock.tracker}
    assert caught.value.verdict.decision is svstate.Decision.DENY
    assert next(c[0] for c in mock.fake.calls) == "CreateDatasetGroup"
    assert "CreateDataset" not in [c[0] for c in mock.fake.calls]


def test_guard_decides_again_on_fresh_facts_before_refusing_on_old_ones() -> None:
    schema = f"arn:aws:personalize:us-east-1:{ACCOUNT}:schema/s"
    with mock_personalize(guard="enforce") as mock:
        client = boto3.client("personalize")
        client.create_schema(name="s", schema="{}")
        group = client.create_dataset_group(name="g")["datasetGroupArn"]
        client.describe_dataset_group(datasetGroupArn=group)  # seen CREATE PENDING
        dataset = {"datasetGroupArn": group, "datasetType": "Interactions", "schemaArn": schema}
        with pytest.raises(PreflightDenied):  # still pending, fetched again: a true DENY
            client.create_dataset(name="d", **dataset)
        time.sleep(60)  # ACTIVE by now, though nothing has shown it
        client.create_dataset(name="d", **dataset)
    assert [op for op, _ in mock.guards[0].denials] == ["CreateDataset"]
    calls = [c[0] for c in mock.fake.calls]
    assert calls.count("DescribeDatasetGroup") == 3  # the pipeline's, and one per re-check


def test_guard_monitor_logs_and_lets_the_fake_answer(caplog: pytest.LogCaptureFixture) -> None:
    with mock_personalize(guard="monitor"):
        client = boto3.client("personalize")
        group = client.create_dataset_group(name="g")["datasetGroupArn"]
        with pytest.raises(ClientError):
            client.create_dataset(
                name="d",
                datasetGroupArn=group,
                datasetType="Interactions",
                schemaArn=f"arn:aws:personalize:us-east-1:{ACCOUNT}:schema/s",
            )
    assert any(r.name == "svstate.boto" for r in caplog.records)


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"ruleset": "yesterday"}, "ruleset"),
        ({"region": ""}, "region is ''"),
        ({"region": 7}, "region is 7"),
        ({"account": "42"}, "12-digit account"),
        ({"time": "yes"}, "time is 'yes'"),
        ({"guard": "block"}, "guard is 'block'"),
        ({"quota": 0}, "quota"),
        ({"seed": 1.5}, "seed"),
        ({"clock": "now"}, "clock"),
        ({"durations": {"training": -1}}, "training"),
        ({"latency": -0.1}, "latency is -0.1"),
        ({"latency": float("nan")}, "latency is nan"),
        ({"latency": "fast"}, "latency is 'fast'"),
    ],
)
def test_bad_options_get_one_clear_error(options: dict[str, object], match: str) -> None:
    with pytest.raises(SvstateError, match=match) as caught:
        mock_personalize(**options)  # type: ignore[arg-type]
    assert pickle.loads(pickle.dumps(caught.value)).args == caught.value.args


def test_load_into_a_bad_region_is_an_error_naming_it() -> None:
    with mock_personalize() as mock, pytest.raises(SvstateError, match="region is 5"):
        mock.load({"datasetGroups": []}, region=5)  # type: ignore[arg-type]


def test_a_bad_region_or_account_of_fake_personalize_is_named() -> None:
    from svstate.testing import fake_personalize

    with pytest.raises(SvstateError, match="region is ''"):
        fake_personalize(region="")
    with pytest.raises(SvstateError, match="account is '12'; pass a 12-digit account id"):
        fake_personalize(account="12")


def test_decorating_something_not_callable_is_an_error() -> None:
    with pytest.raises(SvstateError, match="decorates a function"):
        mock_personalize()(42)  # type: ignore[type-var]


def test_positional_options_are_refused() -> None:
    with pytest.raises(TypeError):
        mock_personalize("latest")  # type: ignore[misc]
