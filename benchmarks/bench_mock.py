"""What does ``mock_personalize`` cost a test? A 20-step pipeline, under the mock and on a Stubber.

The pipeline is plain user code: it creates a client with ``boto3.client``,
builds the chain (dataset group to a batch inference job), and waits with
``time.sleep`` between a create and its describe, as published pipelines do:
20 Personalize calls and about three hours of the service's time.

Anchor, measured in the same run: the same 20 calls, with the very responses
the mock gave, on a boto3 client answered by botocore's Stubber (no network;
the client-side cost that any in-process answer pays, client creation
included). svstate's own time is the difference: the mock's patches, the
fake's state, its pre-flight of each call, time moved instead of slept.
Target: under 50 ms. The guarded run (``guard="enforce"``, which may add the
describes of a refresh) is printed beside it. Run::

    python benchmarks/bench_mock.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

import boto3
from botocore.stub import Stubber

from svstate.testing import mock_personalize

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/personalize"
UP = "arn:aws:personalize:::recipe/aws-user-personalization"
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


def pipeline(client: Any, sleep: Any) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """The 20 calls, each as (method, params, response)."""
    done: list[tuple[str, dict[str, Any], dict[str, Any]]] = []

    def call(method: str, **params: Any) -> dict[str, Any]:
        response: dict[str, Any] = getattr(client, method)(**params)
        done.append((method, params, response))
        return response

    group = call("create_dataset_group", name="movies")["datasetGroupArn"]
    sleep(60)
    call("describe_dataset_group", datasetGroupArn=group)
    schema = call("create_schema", name="interactions", schema=SCHEMA)["schemaArn"]
    dataset = call(
        "create_dataset",
        name="interactions",
        datasetGroupArn=group,
        datasetType="Interactions",
        schemaArn=schema,
    )["datasetArn"]
    sleep(60)
    call("describe_dataset", datasetArn=dataset)
    job = call(
        "create_dataset_import_job",
        jobName="first",
        datasetArn=dataset,
        dataSource={"dataLocation": "s3://bucket/interactions.csv"},
        roleArn=ROLE,
    )["datasetImportJobArn"]
    sleep(1200)
    call("describe_dataset_import_job", datasetImportJobArn=job)
    solution = call(
        "create_solution",
        name="movies",
        datasetGroupArn=group,
        recipeArn=UP,
        performAutoTraining=False,
    )["solutionArn"]
    sleep(60)
    call("describe_solution", solutionArn=solution)
    version = call("create_solution_version", solutionArn=solution)["solutionVersionArn"]
    sleep(3600)
    call("describe_solution_version", solutionVersionArn=version)
    call("list_solution_versions", solutionArn=solution)
    campaign = call("create_campaign", name="movies", solutionVersionArn=version)["campaignArn"]
    sleep(900)
    call("describe_campaign", campaignArn=campaign)
    filt = call(
        "create_filter",
        name="unseen",
        datasetGroupArn=group,
        filterExpression='EXCLUDE ItemID WHERE Interactions.event_type IN ("watch")',
    )["filterArn"]
    sleep(60)
    call("describe_filter", filterArn=filt)
    tracker = call("create_event_tracker", name="live", datasetGroupArn=group)["eventTrackerArn"]
    sleep(60)
    call("describe_event_tracker", eventTrackerArn=tracker)
    batch = call(
        "create_batch_inference_job",
        jobName="nightly",
        solutionVersionArn=version,
        jobInput={"s3DataSource": {"path": "s3://bucket/users.json"}},
        jobOutput={"s3DataDestination": {"path": "s3://bucket/out/"}},
        roleArn=ROLE,
    )["batchInferenceJobArn"]
    sleep(3600)
    call("describe_batch_inference_job", batchInferenceJobArn=batch)
    assert len(done) == 20, len(done)
    return done


def under_mock(**options: Any) -> float:
    started = time.perf_counter()
    with mock_personalize(**options):
        pipeline(boto3.client("personalize"), time.sleep)
    return time.perf_counter() - started


def on_stubber(calls: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> float:
    started = time.perf_counter()
    client = boto3.client(
        "personalize",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with Stubber(client) as stubber:
        for method, params, response in calls:
            body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
            stubber.add_response(method, body, params)
        for method, params, _ in calls:
            getattr(client, method)(**params)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs

    with mock_personalize() as mock:
        calls = pipeline(boto3.client("personalize"), time.sleep)
    hours = mock.clock.seconds() / 3600
    for _ in range(3):  # warm up: imports, botocore's loaders and caches
        under_mock(), under_mock(guard="enforce"), on_stubber(calls)
    plain, guarded, stubbed = [], [], []
    for _ in range(runs):  # alternated, so drift hits all three alike
        plain.append(under_mock())
        guarded.append(under_mock(guard="enforce"))
        stubbed.append(on_stubber(calls))
    mock_s, guard_s, stub_s = (statistics.median(x) for x in (plain, guarded, stubbed))
    print(f"20-step pipeline, {hours:.1f} h of service time, median of {runs} runs")
    print(f"  anchor: the same calls on a Stubber client   {stub_s * 1e3:8.2f} ms")
    print(f"  under mock_personalize                       {mock_s * 1e3:8.2f} ms")
    print(f"  under mock_personalize(guard='enforce')      {guard_s * 1e3:8.2f} ms")
    own = mock_s - stub_s
    print(
        f"  svstate's own time: {own * 1e3:.2f} ms ({mock_s / stub_s:.2f}x the anchor); "
        f"target < 50 ms: {'met' if own < 0.050 else 'NOT met'}"
    )
    print(f"  with the guard: {(guard_s - stub_s) * 1e3:.2f} ms ({guard_s / stub_s:.2f}x)")


if __name__ == "__main__":
    main()
