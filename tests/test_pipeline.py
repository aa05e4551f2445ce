"""A whole retraining pipeline on the fake, with waiters and the guard attached.

Dataset group, schema, datasets, an import that fails and its retry, a
solution, a FULL version, a campaign, a second import, an UPDATE version, the
campaign's update, a batch inference job. Every call the guard allowed is
one the fake accepted, and every call it denied is one the fake refuses.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

import svstate
import svstate.boto
from svstate.testing import FakeClock, fake_personalize

ROLE = "arn:aws:iam::123456789012:role/personalize"
HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
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


class Ledger:
    """What the guard decided for each call, beside what the fake answered."""

    def __init__(self, client: Any, guard: svstate.boto.Guard):
        self.client, self.guard = client, guard
        self.allowed: list[str] = []
        self.denied: list[tuple[str, svstate.Verdict]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        answered = len(self.client.fake.calls)
        try:
            response: dict[str, Any] = getattr(self.client, method)(**params)
        except svstate.PreflightDenied as denied:
            self.denied.append((method, denied.verdict))
            raise
        self.allowed.append(method)
        assert self.client.fake.calls[answered:][-1][0].lower() == method.replace("_", "")
        return response

    def import_job(self, name: str, dataset: str, **more: Any) -> str:
        source = {"dataLocation": "s3://bucket/interactions.csv"}
        response = self.call(
            "create_dataset_import_job",
            jobName=name,
            datasetArn=dataset,
            dataSource=source,
            roleArn=ROLE,
            **more,
        )
        return str(response["datasetImportJobArn"])

    def wait(self, name: str, **params: Any) -> None:
        svstate.boto.waiter(self.client, name).wait(**params)


@pytest.fixture
def pipeline() -> Ledger:
    client = fake_personalize(clock=FakeClock())
    guard = svstate.boto.attach(client, unknown="refresh")
    return Ledger(client, guard)


def test_a_complete_retraining_pipeline_on_the_fake(pipeline: Ledger) -> None:
    p, fake = pipeline, pipeline.client.fake
    group = p.call("create_dataset_group", name="movies")["datasetGroupArn"]

    # Too early: the group is still being created. The guard refuses, and so would the fake.
    schema = p.call("create_schema", name="interactions", schema=SCHEMA)["schemaArn"]
    dataset_params = {
        "name": "interactions",
        "schemaArn": schema,
        "datasetGroupArn": group,
        "datasetType": "Interactions",
    }
    with pytest.raises(pipeline.client.exceptions.ResourceInUseException) as early:
        p.call("create_dataset", **dataset_params)
    assert [f.rule for f in early.value.verdict.findings] == ["SV210"]
    p.wait("dataset_group_active", datasetGroupArn=group)
    dataset = p.call("create_dataset", **dataset_params)["datasetArn"]
    p.wait("dataset_active", datasetArn=dataset)

    # The first import fails (a missing column); the waiter stops at once with the reason.
    fake.fail_next("dataset_import_job", "Input CSV is missing the following columns: [ITEM_ID]")
    first = p.import_job("first", dataset)
    with pytest.raises(svstate.boto.WaiterFailed, match=r"\[ITEM_ID\]"):
        p.wait("dataset_import_job_active", datasetImportJobArn=first)
    retry = p.import_job("retry", dataset)
    p.wait("dataset_import_job_active", datasetImportJobArn=retry)

    solution = p.call("create_solution", name="movies", datasetGroupArn=group, recipeArn=HRNN)[
        "solutionArn"
    ]
    p.wait("solution_active", solutionArn=solution)
    # UPDATE before any FULL version: the guard's SV301, the fake's refusal.
    with pytest.raises(svstate.PreflightDenied) as update_first:
        p.call("create_solution_version", solutionArn=solution, trainingMode="UPDATE")
    assert update_first.value.verdict.findings[0].rule == "SV301"
    full = p.call("create_solution_version", solutionArn=solution)["solutionVersionArn"]
    p.wait("solution_version_active", solutionVersionArn=full)
    campaign = p.call("create_campaign", name="movies", solutionVersionArn=full)["campaignArn"]
    p.wait("campaign_active", campaignArn=campaign)

    # New interactions arrive; retrain with UPDATE and roll the campaign forward.
    more = p.import_job("more", dataset, importMode="INCREMENTAL")
    p.wait("dataset_import_job_active", datasetImportJobArn=more)
    update = p.call("create_solution_version", solutionArn=solution, trainingMode="UPDATE")[
        "solutionVersionArn"
    ]
    with pytest.raises(svstate.PreflightDenied) as too_soon:
        p.call("update_campaign", campaignArn=campaign, solutionVersionArn=update)
    assert [f.rule for f in too_soon.value.verdict.findings] == ["SV703"]
    p.wait("solution_version_active", solutionVersionArn=update)
    p.call("update_campaign", campaignArn=campaign, solutionVersionArn=update)
    serving = pipeline.client.describe_campaign(campaignArn=campaign)["campaign"]
    assert serving["solutionVersionArn"] == full  # the old version serves during the update
    p.wait("campaign_active", campaignArn=campaign)  # waits for the update too
    assert (
        pipeline.client.describe_campaign(campaignArn=campaign)["campaign"]["solutionVersionArn"]
        == update
    )

    job = p.call(
        "create_batch_inference_job",
        jobName="nightly",
        solutionVersionArn=update,
        jobInput={"s3DataSource": {"path": "s3://bucket/users.json"}},
        jobOutput={"s3DataDestination": {"path": "s3://bucket/out/"}},
        roleArn=ROLE,
    )["batchInferenceJobArn"]
    p.wait("batch_inference_job_active", batchInferenceJobArn=job)

    # Every call the guard allowed, the fake accepted.
    assert fake.refused == []
    # Every call the guard denied, the fake refuses too, for the rule's reason.
    assert len(p.denied) == 3
    unguarded = fake_personalize(clock=FakeClock())
    g = unguarded.create_dataset_group(name="movies")["datasetGroupArn"]
    s = unguarded.create_schema(name="interactions", schema=SCHEMA)["schemaArn"]
    with pytest.raises(ClientError) as refused:
        unguarded.create_dataset(**{**dataset_params, "datasetGroupArn": g, "schemaArn": s})
    assert refused.value.response["Error"]["Code"] == "ResourceInUseException"
    assert "SV210" not in str(refused.value)  # the service's words, not svstate's id
    # The waiters never slept: hours of the service's time passed on the fake's clock.
    assert fake.clock.seconds() > 3 * 3600


def test_every_denial_in_a_pipeline_is_a_refusal_of_the_fake(pipeline: Ledger) -> None:
    """Detach the guard and replay each denied call: the fake refuses it with the same code."""
    p = pipeline
    group = p.call("create_dataset_group", name="movies")["datasetGroupArn"]
    schema = p.call("create_schema", name="s", schema=SCHEMA)["schemaArn"]
    denied: list[tuple[str, dict[str, Any], str]] = []
    calls = [
        (
            "create_dataset",
            {
                "name": "i",
                "schemaArn": schema,
                "datasetGroupArn": group,
                "datasetType": "Interactions",
            },
        ),
        ("delete_dataset_group", {"datasetGroupArn": group}),
    ]
    for method, params in calls:
        try:
            p.call(method, **params)
        except svstate.PreflightDenied as error:
            denied.append((method, params, svstate.boto.predicted_code(error.verdict)))
    p.guard.detach()
    for method, params, predicted in denied:
        with pytest.raises(ClientError) as refused:
            getattr(p.client, method)(**params)
        assert refused.value.response["Error"]["Code"] == predicted
    assert [d[0] for d in denied] == ["create_dataset"]


def test_a_teardown_waits_for_what_keeps_each_resource(pipeline: Ledger) -> None:
    """Tear a trained chain down with a guard that has seen none of it (a new tracker, as in
    a cleanup job): it fetches what it lacks, refuses exactly what the fake would refuse,
    and lets the rest through."""
    p, fake = pipeline, pipeline.client.fake
    group = p.call("create_dataset_group", name="movies")["datasetGroupArn"]
    p.wait("dataset_group_active", datasetGroupArn=group)
    schema = p.call("create_schema", name="interactions", schema=SCHEMA)["schemaArn"]
    dataset = p.call(
        "create_dataset",
        name="interactions",
        schemaArn=schema,
        datasetGroupArn=group,
        datasetType="Interactions",
    )["datasetArn"]
    p.wait("dataset_active", datasetArn=dataset)
    p.wait("dataset_import_job_active", datasetImportJobArn=p.import_job("first", dataset))
    solution = p.call(
        "create_solution",
        name="movies",
        datasetGroupArn=group,
        recipeArn=HRNN,
        performAutoTraining=False,
    )["solutionArn"]
    p.wait("solution_active", solutionArn=solution)
    version = p.call("create_solution_version", solutionArn=solution)["solutionVersionArn"]

    p.guard.detach()
    cleanup = Ledger(p.client, svstate.boto.attach(p.client, svstate.Tracker(), unknown="refresh"))
    with pytest.raises(pipeline.client.exceptions.ResourceInUseException) as training:
        cleanup.call("delete_dataset", datasetArn=dataset)
    assert [f.rule for f in training.value.verdict.findings] == ["SV904"]
    assert "solution version" in training.value.verdict.findings[0].message
    cleanup.wait("solution_version_active", solutionVersionArn=version)
    cleanup.call("delete_dataset", datasetArn=dataset)
    with pytest.raises(pipeline.client.exceptions.ResourceInUseException) as in_use:
        cleanup.call("delete_schema", schemaArn=schema)
    assert [f.rule for f in in_use.value.verdict.findings] == ["SV905"]
    fake.clock.advance(3600)  # the dataset is gone; DescribeDataset says so
    with pytest.raises(pipeline.client.exceptions.ResourceNotFoundException):
        p.client.describe_dataset(datasetArn=dataset)
    cleanup.call("delete_schema", schemaArn=schema)
    assert [c[0] for c in fake.refused] == ["DescribeDataset"]  # only the look that found it gone
    # each denial is what the fake itself answers to the same call, at the same moment
    again = fake_personalize(clock=FakeClock())
    g = again.create_dataset_group(name="movies")["datasetGroupArn"]
    again.fake.clock.advance(60)
    s = again.create_schema(name="interactions", schema=SCHEMA)["schemaArn"]
    d = again.create_dataset(
        name="interactions", schemaArn=s, datasetGroupArn=g, datasetType="Interactions"
    )["datasetArn"]
    again.fake.clock.advance(60)
    again.create_dataset_import_job(
        jobName="first", datasetArn=d, dataSource={"dataLocation": "s3://b/i.csv"}, roleArn=ROLE
    )
    with pytest.raises(again.exceptions.ResourceInUseException):
        again.delete_dataset(datasetArn=d)
    with pytest.raises(again.exceptions.ResourceInUseException):
        again.delete_schema(schemaArn=s)
    assert [c[2] for c in again.fake.refused] == ["ResourceInUseException"] * 2
