"""Tests for seeding a fake from saved ``describe-*`` / ``list-*`` JSON (``FakePersonalize.load``).

The saved state is made the way a user makes it: a pipeline runs (here on a
first fake, standing in for the account), and every describe and list
answer is written as the AWS CLI writes it (ISO 8601 times, or epoch seconds
for the CLI v1). A second fake loaded from those files must then answer the
same describes, go on from there along each lifecycle, and decide calls as
the account would (the point of seeding: a test starts from production's
situation). Bad files get one error that lists every problem, and nothing
is loaded.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from svstate import SvstateError
from svstate.testing import FakeClock, fake_personalize, mock_personalize

ACCOUNT = "123456789012"
PREFIX = f"arn:aws:personalize:us-east-1:{ACCOUNT}:"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/personalize"
UP = "arn:aws:personalize:::recipe/aws-user-personalization"
START = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
SCHEMA = json.dumps(
    {
        "type": "record",
        "name": "Interactions",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [
            {"name": "USER_ID", "type": "string"},
            {"name": "ITEM_ID", "type": "string"},
            {"name": "TIMESTAMP", "type": "long"},
        ],
        "version": "1.0",
    }
)


def _cli(document: dict[str, Any], epoch: bool = False) -> str:
    """JSON as the AWS CLI prints it (v2: ISO 8601 times; v1: epoch seconds)."""

    def default(value: object) -> object:
        if isinstance(value, dt.datetime):
            return value.timestamp() if epoch else value.isoformat()
        raise TypeError(value)

    document = {k: v for k, v in document.items() if k != "ResponseMetadata"}
    return json.dumps(document, default=default, indent=4)


def _account() -> tuple[Any, dict[str, str]]:
    """A small production account: an ACTIVE FULL version serving a campaign, one training."""
    client = fake_personalize(clock=FakeClock(START))
    clock = client.fake.clock
    group = client.create_dataset_group(name="shop")["datasetGroupArn"]
    clock.advance(60)
    schema = client.create_schema(name="shop-interactions", schema=SCHEMA)["schemaArn"]
    dataset = client.create_dataset(
        name="shop-interactions",
        datasetGroupArn=group,
        datasetType="Interactions",
        schemaArn=schema,
    )["datasetArn"]
    clock.advance(60)
    job = client.create_dataset_import_job(
        jobName="first-import",
        datasetArn=dataset,
        dataSource={"dataLocation": "s3://bucket/interactions.csv"},
        roleArn=ROLE,
    )["datasetImportJobArn"]
    clock.advance(3600)
    solution = client.create_solution(
        name="shop-up", datasetGroupArn=group, recipeArn=UP, performAutoTraining=False
    )["solutionArn"]
    clock.advance(10)
    full = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    clock.advance(3 * 3600)
    campaign = client.create_campaign(name="shop-campaign", solutionVersionArn=full)["campaignArn"]
    clock.advance(3600)
    training = client.create_solution_version(solutionArn=solution, trainingMode="UPDATE")[
        "solutionVersionArn"
    ]
    clock.advance(600)  # the UPDATE is training when the state is saved
    arns = {
        "group": group,
        "schema": schema,
        "dataset": dataset,
        "job": job,
        "solution": solution,
        "full": full,
        "training": training,
        "campaign": campaign,
    }
    return client, arns


def _save(client: Any, arns: dict[str, str], folder: Path, epoch: bool = False) -> list[Path]:
    """What a user saves with the CLI: describe each resource, and list the versions."""
    calls = {
        "dataset-group.json": ("describe_dataset_group", {"datasetGroupArn": arns["group"]}),
        "schema.json": ("describe_schema", {"schemaArn": arns["schema"]}),
        "dataset.json": ("describe_dataset", {"datasetArn": arns["dataset"]}),
        "import-jobs.json": ("list_dataset_import_jobs", {"datasetArn": arns["dataset"]}),
        "import-job.json": ("describe_dataset_import_job", {"datasetImportJobArn": arns["job"]}),
        "solution.json": ("describe_solution", {"solutionArn": arns["solution"]}),
        "versions.json": ("list_solution_versions", {"solutionArn": arns["solution"]}),
        "campaign.json": ("describe_campaign", {"campaignArn": arns["campaign"]}),
    }
    paths = []
    for name, (method, params) in calls.items():
        path = folder / name
        path.write_text(_cli(getattr(client, method)(**params), epoch))
        paths.append(path)
    return paths


def _seeded(paths: list[Path], now: dt.datetime) -> Any:
    client = fake_personalize(clock=FakeClock(now))
    client.fake.load(*paths)
    return client


def _describes(client: Any, arns: dict[str, str]) -> dict[str, Any]:
    return {
        "group": client.describe_dataset_group(datasetGroupArn=arns["group"])["datasetGroup"],
        "dataset": client.describe_dataset(datasetArn=arns["dataset"])["dataset"],
        "job": client.describe_dataset_import_job(datasetImportJobArn=arns["job"])[
            "datasetImportJob"
        ],
        "solution": client.describe_solution(solutionArn=arns["solution"])["solution"],
        "full": client.describe_solution_version(solutionVersionArn=arns["full"])[
            "solutionVersion"
        ],
        "training": client.describe_solution_version(solutionVersionArn=arns["training"])[
            "solutionVersion"
        ],
        "campaign": client.describe_campaign(campaignArn=arns["campaign"])["campaign"],
    }


@pytest.mark.parametrize("epoch", [False, True], ids=["cli-v2-iso", "cli-v1-epoch"])
def test_a_seeded_fake_answers_the_saved_describes(tmp_path: Path, epoch: bool) -> None:
    account, arns = _account()
    seeded = _seeded(_save(account, arns, tmp_path, epoch), account.fake.clock.now())
    # the import job is in a list and a describe, merged by ARN; versions only in a list
    assert _describes(seeded, arns) == _describes(account, arns)


def test_the_loaded_arns_are_returned_parents_first(tmp_path: Path) -> None:
    account, arns = _account()
    client = fake_personalize(clock=FakeClock(account.fake.clock.now()))
    loaded = client.fake.load(*reversed(_save(account, arns, tmp_path)))
    assert loaded[:3] == [arns["group"], arns["schema"], arns["dataset"]]
    assert set(loaded) == set(arns.values())


def test_what_was_passing_goes_on_along_its_lifecycle(tmp_path: Path) -> None:
    account, arns = _account()
    seeded = _seeded(_save(account, arns, tmp_path), account.fake.clock.now())
    training = {"solutionVersionArn": arns["training"]}
    assert seeded.describe_solution_version(**training)["solutionVersion"]["status"] == (
        "CREATE IN_PROGRESS"
    )
    seeded.fake.clock.advance(2700)  # a whole training, from when it was loaded
    assert seeded.describe_solution_version(**training)["solutionVersion"]["status"] == "ACTIVE"


def test_the_seeded_state_decides_calls_as_the_account_would(tmp_path: Path) -> None:
    account, arns = _account()
    seeded = _seeded(_save(account, arns, tmp_path), account.fake.clock.now())
    # An UPDATE while one trains is allowed (SV401 warns); the campaign can move to the
    # ACTIVE FULL version; deleting the dataset group is refused: it is not empty.
    seeded.create_solution_version(solutionArn=arns["solution"], trainingMode="UPDATE")
    seeded.update_campaign(campaignArn=arns["campaign"], solutionVersionArn=arns["full"])
    with pytest.raises(ClientError) as caught:
        seeded.delete_dataset_group(datasetGroupArn=arns["group"])
    assert caught.value.response["Error"]["Code"] == "ResourceInUseException"
    assert seeded.fake.refused[-1][0] == "DeleteDatasetGroup"


def test_an_update_without_an_active_full_version_is_refused_after_seeding(
    tmp_path: Path,
) -> None:
    account, arns = _account()
    saved = _save(account, arns, tmp_path)
    versions = json.loads((tmp_path / "versions.json").read_text())
    for v in versions["solutionVersions"]:
        v["status"] = "CREATE FAILED"
        v["failureReason"] = "Not enough interactions."
    (tmp_path / "versions.json").write_text(json.dumps(versions))
    (tmp_path / "campaign.json").unlink()
    seeded = _seeded([p for p in saved if p.exists()], account.fake.clock.now())
    with pytest.raises(ClientError) as caught:
        seeded.create_solution_version(solutionArn=arns["solution"], trainingMode="UPDATE")
    assert caught.value.response["Error"]["Code"] == "InvalidInputException"


def test_a_dict_from_boto3_loads_as_a_file_does() -> None:
    account, arns = _account()
    client = fake_personalize(clock=FakeClock(account.fake.clock.now()))
    client.fake.load(
        account.describe_dataset_group(datasetGroupArn=arns["group"]),
        account.list_datasets(datasetGroupArn=arns["group"]),  # summaries: no group member
    )
    assert client.describe_dataset(datasetArn=arns["dataset"])["dataset"]["status"] == "ACTIVE"


def test_mock_personalize_loads_into_its_fake(tmp_path: Path) -> None:
    account, arns = _account()
    paths = _save(account, arns, tmp_path)
    with mock_personalize() as mock:  # its clock starts now, after the saved times
        mock.load(*paths)
        client = boto3.client("personalize")
        got = client.describe_campaign(campaignArn=arns["campaign"])["campaign"]["status"]
    assert got == "ACTIVE"


def test_an_automatic_training_already_due_is_taken_as_done(tmp_path: Path) -> None:
    client = fake_personalize(clock=FakeClock(START))
    group = client.create_dataset_group(name="shop")["datasetGroupArn"]
    client.fake.clock.advance(60)
    solution = client.create_solution(name="auto", datasetGroupArn=group, recipeArn=UP)[
        "solutionArn"
    ]
    client.fake.clock.advance(60)
    saved = [
        client.describe_dataset_group(datasetGroupArn=group),
        client.describe_solution(solutionArn=solution),
    ]
    later = fake_personalize(clock=FakeClock(START + dt.timedelta(days=30)))
    later.fake.load(*saved)
    assert later.list_solution_versions(solutionArn=solution)["solutionVersions"] == []
    later.fake.clock.advance(7 * 86400)  # the next one is due a week on
    kinds = [
        v["trainingType"]
        for v in later.list_solution_versions(solutionArn=solution)["solutionVersions"]
    ]
    assert kinds == ["AUTOMATIC"]


# -- what bad input gets ---------------------------------------------------------------------


def _group(**changes: Any) -> dict[str, Any]:
    group = {
        "name": "shop",
        "datasetGroupArn": f"{PREFIX}dataset-group/shop",
        "status": "ACTIVE",
        "creationDateTime": "2026-01-01T00:00:00+00:00",
    }
    return {"datasetGroup": group | changes}


def test_every_problem_is_reported_at_once_and_nothing_is_loaded(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    client = fake_personalize(clock=FakeClock(START))
    sources = [
        tmp_path / "missing.json",
        broken,
        _group(),  # good: must not be loaded either
        _group(datasetGroupArn="arn:aws:personalize:eu-west-1:999999999999:dataset-group/x"),
        {
            "campaigns": [
                {
                    "campaignArn": f"{PREFIX}campaign/c",
                    "status": "ACTIVE",
                    "creationDateTime": "2026-01-01T00:00:00Z",
                }
            ]
        },
        {
            "solutionVersion": {
                "solutionVersionArn": f"{PREFIX}solution/none/1a2b3c4d",
                "status": "ACTIVE",
                "creationDateTime": "2026-01-01T00:00:00Z",
            }
        },
        {"recommenders": []},
        42,
    ]
    with pytest.raises(SvstateError) as caught:
        client.fake.load(*sources)
    message = str(caught.value)
    assert message.startswith("7 problems in the saved state, so nothing was loaded: ")
    for part in (
        "missing.json cannot be read",
        "broken.json is not JSON",
        "is not of the fake's region and account (us-east-1, 123456789012)",
        "lacks its solutionVersionArn (list summaries do not carry it); add the output of "
        "`aws personalize describe-campaign`",
        "belongs to arn:aws:personalize:us-east-1:123456789012:solution/none, which is neither",
        "'recommenders'",
        "a source is 42",
    ):
        assert part in message
    assert client.fake.statuses() == {}


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"status": "SLEEPING"}, "has the status 'SLEEPING'"),
        ({"status": None}, "has the status None"),
        ({"creationDateTime": "yesterday"}, "has creationDateTime 'yesterday'"),
        ({"creationDateTime": "2030-01-01T00:00:00Z"}, "after the fake's clock"),
        ({"lastUpdatedDateTime": True}, "has lastUpdatedDateTime True"),
    ],
)
def test_a_bad_member_is_named_with_what_to_do(changes: dict[str, Any], match: str) -> None:
    client = fake_personalize(clock=FakeClock(START))
    with pytest.raises(SvstateError, match=match):
        client.fake.load(_group(**changes))


def test_a_campaign_update_without_a_status_is_named() -> None:
    account, arns = _account()
    client = fake_personalize(clock=FakeClock(account.fake.clock.now()))
    campaign = account.describe_campaign(campaignArn=arns["campaign"])
    campaign["campaign"]["latestCampaignUpdate"] = {"status": "SOON", "creationDateTime": START}
    saved = [
        account.describe_dataset_group(datasetGroupArn=arns["group"]),
        account.describe_solution(solutionArn=arns["solution"]),
        account.list_solution_versions(solutionArn=arns["solution"]),
        campaign,
    ]
    with pytest.raises(SvstateError, match="latestCampaignUpdate has the status 'SOON'"):
        client.fake.load(*saved)


def test_a_resource_without_its_arn_is_an_error() -> None:
    with pytest.raises(SvstateError, match="needs its datasetGroupArn"):
        fake_personalize(clock=FakeClock(START)).fake.load({"datasetGroup": {"name": "x"}})


def test_no_sources_or_only_page_tokens_is_an_error() -> None:
    fake = fake_personalize(clock=FakeClock(START)).fake
    for sources in ((), ({"nextToken": "abc"},)):
        with pytest.raises(SvstateError, match="hold no resource"):
            fake.load(*sources)


def test_a_non_object_json_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    with pytest.raises(
        SvstateError, match=r"list\.json holds a list of 2 items, not the JSON object"
    ):
        fake_personalize(clock=FakeClock(START)).fake.load(path)


def test_loading_twice_is_idempotent_for_the_same_state(tmp_path: Path) -> None:
    account, arns = _account()
    paths = _save(account, arns, tmp_path)
    client = fake_personalize(clock=FakeClock(account.fake.clock.now()))
    client.fake.load(*paths)
    before = client.fake.statuses()
    client.fake.load(*paths)
    assert client.fake.statuses() == before
