"""The fake answers the whole chain: create, describe, list with pages, update, delete."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

import svstate
import svstate.boto
from svstate.testing import DEFAULT_DURATIONS, FakeClock, fake_personalize

ROLE = "arn:aws:iam::123456789012:role/personalize"
HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"


def code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


@pytest.fixture
def client() -> Any:
    return fake_personalize(clock=FakeClock())


def group_of(client: Any, name: str = "movies", *, active: bool = True) -> str:
    arn = str(client.create_dataset_group(name=name)["datasetGroupArn"])
    if active:
        client.fake.clock.advance(3600)
    return arn


def test_a_dataset_group_moves_through_its_declared_lifecycle(client: Any) -> None:
    arn = group_of(client, active=False)
    seen = []
    for _ in range(4):
        seen.append(client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"])
        client.fake.clock.advance(20)
    assert seen == ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE", "ACTIVE"]
    assert DEFAULT_DURATIONS["dataset_group_pending"] == 1.0  # from the declaration


def test_creating_twice_or_under_a_missing_parent_is_refused_as_the_service_would(
    client: Any,
) -> None:
    group = group_of(client)
    with pytest.raises(ClientError) as twice:
        client.create_dataset_group(name="movies")
    assert code(twice) == "ResourceAlreadyExistsException"
    with pytest.raises(ClientError) as orphan:
        client.create_event_tracker(name="live", datasetGroupArn=group + "-nope")
    assert code(orphan) == "ResourceNotFoundException"
    schema = client.create_schema(name="s", schema="{}")["schemaArn"]
    client.create_dataset(
        name="i", schemaArn=schema, datasetGroupArn=group, datasetType="Interactions"
    )
    with pytest.raises(ClientError) as second:
        client.create_dataset(
            name="j", schemaArn=schema, datasetGroupArn=group, datasetType="Interactions"
        )
    assert code(second) == "ResourceAlreadyExistsException"


def test_a_dataset_in_a_group_still_being_created_is_refused_with_the_rules_message(
    client: Any,
) -> None:
    group = group_of(client, active=False)
    schema = client.create_schema(name="s", schema="{}")["schemaArn"]
    with pytest.raises(client.exceptions.ResourceInUseException) as refused:
        client.create_dataset(
            name="i", schemaArn=schema, datasetGroupArn=group, datasetType="Interactions"
        )
    assert "Dataset group movies is CREATE PENDING; CreateDataset needs it ACTIVE." in str(
        refused.value
    )
    assert client.fake.refused[-1][2] == "ResourceInUseException"


def test_lists_page_with_botocore_paginators(client: Any) -> None:
    for i in range(7):
        client.create_dataset_group(name=f"g{i}")
    pages = list(
        client.get_paginator("list_dataset_groups").paginate(PaginationConfig={"PageSize": 3})
    )
    assert [len(p["datasetGroups"]) for p in pages] == [3, 3, 1]
    names = [g["name"] for p in pages for g in p["datasetGroups"]]
    assert sorted(names) == [f"g{i}" for i in range(7)]
    # Summaries carry only the summary shape's members.
    assert set(pages[0]["datasetGroups"][0]) <= {
        "name",
        "datasetGroupArn",
        "status",
        "creationDateTime",
        "lastUpdatedDateTime",
        "failureReason",
        "domain",
    }


def test_fail_next_import_fails_it_with_the_reason_and_a_retry_succeeds(client: Any) -> None:
    group = group_of(client)
    schema = client.create_schema(name="s", schema="{}")["schemaArn"]
    dataset = client.create_dataset(
        name="i", schemaArn=schema, datasetGroupArn=group, datasetType="Interactions"
    )["datasetArn"]
    client.fake.clock.advance(60)
    client.fake.fail_next(
        "dataset_import_job", "Input CSV is missing the following columns: [ITEM_ID]"
    )
    source = {"dataLocation": "s3://bucket/interactions.csv"}
    first = client.create_dataset_import_job(
        jobName="a", datasetArn=dataset, dataSource=source, roleArn=ROLE
    )
    second = client.create_dataset_import_job(
        jobName="b", datasetArn=dataset, dataSource=source, roleArn=ROLE
    )
    client.fake.clock.advance(7200)
    failed = client.describe_dataset_import_job(datasetImportJobArn=first["datasetImportJobArn"])
    assert failed["datasetImportJob"]["status"] == "CREATE FAILED"
    assert failed["datasetImportJob"]["failureReason"].endswith("[ITEM_ID]")
    ok = client.describe_dataset_import_job(datasetImportJobArn=second["datasetImportJobArn"])
    assert ok["datasetImportJob"]["status"] == "ACTIVE"
    assert "failureReason" not in ok["datasetImportJob"]
    listed = client.list_dataset_import_jobs(datasetArn=dataset)["datasetImportJobs"]
    assert [j["jobName"] for j in listed] == ["b", "a"]


def test_delete_dataset_group_waits_for_its_contents_then_the_group_goes(client: Any) -> None:
    group = group_of(client)
    schema = client.create_schema(name="s", schema="{}")["schemaArn"]
    dataset = client.create_dataset(
        name="i", schemaArn=schema, datasetGroupArn=group, datasetType="Interactions"
    )["datasetArn"]
    with pytest.raises(client.exceptions.ResourceInUseException, match="still holds 1 dataset"):
        client.delete_dataset_group(datasetGroupArn=group)
    client.fake.clock.advance(60)
    client.delete_dataset(datasetArn=dataset)
    assert client.describe_dataset(datasetArn=dataset)["dataset"]["status"] == "DELETE PENDING"
    client.fake.clock.advance(600)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_dataset(datasetArn=dataset)
    client.delete_dataset_group(datasetGroupArn=group)
    client.fake.clock.advance(600)
    assert client.list_dataset_groups()["datasetGroups"] == []
    client.delete_schema(schemaArn=schema)  # no status: gone at once
    assert client.list_schemas()["schemas"] == []


def test_update_campaign_has_its_own_lifecycle_while_the_campaign_keeps_serving(
    client: Any,
) -> None:
    group = group_of(client)
    sol = client.create_solution(name="movies", datasetGroupArn=group, recipeArn=HRNN)[
        "solutionArn"
    ]
    client.fake.clock.advance(60)
    v1 = client.create_solution_version(solutionArn=sol)["solutionVersionArn"]
    client.fake.settle()
    campaign = client.create_campaign(name="movies", solutionVersionArn=v1)["campaignArn"]
    client.fake.clock.advance(3600)
    v2 = client.create_solution_version(solutionArn=sol, trainingMode="UPDATE")[
        "solutionVersionArn"
    ]
    with pytest.raises(client.exceptions.InvalidInputException, match="needs it ACTIVE"):
        client.update_campaign(campaignArn=campaign, solutionVersionArn=v2)
    client.fake.settle()
    client.update_campaign(campaignArn=campaign, solutionVersionArn=v2)
    during = client.describe_campaign(campaignArn=campaign)["campaign"]
    assert during["status"] == "ACTIVE"
    assert during["solutionVersionArn"] == v1  # still serving the old version
    assert during["latestCampaignUpdate"]["status"] == "CREATE PENDING"
    assert during["latestCampaignUpdate"]["solutionVersionArn"] == v2
    client.fake.clock.advance(3600)
    after = client.describe_campaign(campaignArn=campaign)["campaign"]
    assert after["latestCampaignUpdate"]["status"] == "ACTIVE"
    assert after["solutionVersionArn"] == v2


def test_a_failed_campaign_update_leaves_the_campaign_as_it_was(client: Any) -> None:
    group = group_of(client)
    sol = client.create_solution(name="movies", datasetGroupArn=group, recipeArn=HRNN)[
        "solutionArn"
    ]
    client.fake.clock.advance(60)
    v1 = client.create_solution_version(solutionArn=sol)["solutionVersionArn"]
    client.fake.settle()
    campaign = client.create_campaign(name="movies", solutionVersionArn=v1)["campaignArn"]
    client.fake.clock.advance(3600)
    client.fake.fail_next("campaign_update", "Not enough capacity")
    client.update_campaign(campaignArn=campaign, minProvisionedTPS=5)
    client.fake.clock.advance(3600)
    after = client.describe_campaign(campaignArn=campaign)["campaign"]
    assert after["latestCampaignUpdate"]["status"] == "CREATE FAILED"
    assert after["latestCampaignUpdate"]["failureReason"] == "Not enough capacity"
    assert after["minProvisionedTPS"] == 1


def test_batch_inference_jobs_use_their_own_statuses(client: Any) -> None:
    group = group_of(client)
    sol = client.create_solution(name="movies", datasetGroupArn=group, recipeArn=HRNN)[
        "solutionArn"
    ]
    client.fake.clock.advance(60)
    v1 = client.create_solution_version(solutionArn=sol)["solutionVersionArn"]
    client.fake.settle()
    job = client.create_batch_inference_job(
        jobName="nightly",
        solutionVersionArn=v1,
        jobInput={"s3DataSource": {"path": "s3://bucket/in.json"}},
        jobOutput={"s3DataDestination": {"path": "s3://bucket/out/"}},
        roleArn=ROLE,
    )["batchInferenceJobArn"]
    assert (
        client.describe_batch_inference_job(batchInferenceJobArn=job)["batchInferenceJob"][
            "status"
        ]
        == "PENDING"
    )
    client.fake.clock.advance(120)
    assert (
        client.describe_batch_inference_job(batchInferenceJobArn=job)["batchInferenceJob"][
            "status"
        ]
        == "IN PROGRESS"
    )
    listed = client.list_batch_inference_jobs(solutionVersionArn=v1)["batchInferenceJobs"]
    assert [j["batchInferenceJobArn"] for j in listed] == [job]


def test_an_unmodelled_operation_gets_a_clear_documented_error(client: Any) -> None:
    with pytest.raises(ClientError) as error:
        client.list_recommenders()
    assert code(error) == "UnsupportedOperation"
    assert "does not model ListRecommenders" in str(error.value)
    assert "moto or a Stubber" in str(error.value)


def test_fail_next_refuses_junk(client: Any) -> None:
    with pytest.raises(svstate.SvstateError, match="pass one of dataset_group"):
        client.fake.fail_next("schema", "x")
    with pytest.raises(svstate.SvstateError, match="failureReason"):
        client.fake.fail_next("dataset_import_job", 3)


def test_responses_are_dated_to_the_ruleset() -> None:
    old = fake_personalize(ruleset="2020-01-01")
    arn = old.create_dataset_group(name="movies")["datasetGroupArn"]
    described = old.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
    assert "domain" not in described
    assert "status" in described


def test_one_event_tracker_per_group_and_incremental_only_after_an_import(client: Any) -> None:
    group = group_of(client)
    client.create_event_tracker(name="live", datasetGroupArn=group)
    with pytest.raises(client.exceptions.ResourceAlreadyExistsException) as second:
        client.create_event_tracker(name="again", datasetGroupArn=group)
    assert "a dataset group takes one event tracker" in str(second.value)
    schema = client.create_schema(name="s", schema="{}")["schemaArn"]
    dataset = client.create_dataset(
        name="i", schemaArn=schema, datasetGroupArn=group, datasetType="Interactions"
    )["datasetArn"]
    client.fake.clock.advance(3600)
    source = {"dataLocation": "s3://bucket/i.csv"}
    more = {"datasetArn": dataset, "dataSource": source, "roleArn": ROLE}
    with pytest.raises(client.exceptions.InvalidInputException) as early:
        client.create_dataset_import_job(jobName="more", importMode="INCREMENTAL", **more)
    assert "has no ACTIVE import job" in str(early.value)
    first = client.create_dataset_import_job(jobName="first", **more)["datasetImportJobArn"]
    described = client.describe_dataset_import_job(datasetImportJobArn=first)
    assert described["datasetImportJob"]["importMode"] == "FULL"
    svstate.boto.waiter(client, "dataset_import_job_active").wait(datasetImportJobArn=first)
    added = client.create_dataset_import_job(jobName="more", importMode="INCREMENTAL", **more)
    job = client.describe_dataset_import_job(datasetImportJobArn=added["datasetImportJobArn"])
    assert job["datasetImportJob"]["importMode"] == "INCREMENTAL"


def test_import_mode_is_not_in_responses_before_it_existed() -> None:
    old = fake_personalize(clock=FakeClock(), ruleset="2022-08-01")
    group = group_of(old)
    schema = old.create_schema(name="s", schema="{}")["schemaArn"]
    dataset = old.create_dataset(
        name="i", schemaArn=schema, datasetGroupArn=group, datasetType="Interactions"
    )["datasetArn"]
    old.fake.clock.advance(3600)
    job = old.create_dataset_import_job(
        jobName="first",
        datasetArn=dataset,
        dataSource={"dataLocation": "s3://b/i.csv"},
        roleArn=ROLE,
    )["datasetImportJobArn"]
    assert (
        "importMode"
        not in old.describe_dataset_import_job(datasetImportJobArn=job)["datasetImportJob"]
    )
