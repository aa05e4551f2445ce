"""Three published Personalize pipelines, as their authors wrote them, offline and in seconds.

Each runs under moto's ``mock_aws`` (S3, IAM, STS, SSM, SNS, Step Functions,
Lambda's neighbours) and ``svstate.testing.mock_personalize`` with the guard
enforcing on every Personalize client the code creates. The code is in
``tests/published/`` with its source, commit and licence; what was adapted is
marked ``# ADAPTED:`` there (downloads, a notebook instance's metadata, the
deployed stack's services).

What each test asserts: the pipeline ran to its end; the guard refused
nothing (``Guard.denials`` is empty: some of this code swallows every
exception, so a refusal could otherwise pass unseen); and every call the fake
refused is one the real service refuses too, of the kinds the code expects
(a describe of what does not exist yet, a create of what already exists).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from svstate.testing import mock_personalize

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),  # moto's own
    # The notebook opens its parameter files and never closes them: theirs, kept.
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[mock_personalize]:
    """The environment of a notebook instance or a Lambda function: a region, credentials."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    with (
        mock_aws(config={"iam": {"load_aws_managed_policies": True}}),
        mock_personalize(guard="enforce") as mock,
    ):
        yield mock


def _nothing_refused_that_the_service_accepts(
    mock: mock_personalize, unmodelled: frozenset[str] = frozenset()
) -> None:
    assert mock.guards, "the pipeline created no Personalize client"
    denied = [(op, str(v)) for guard in mock.guards for op, v in guard.denials]
    assert denied == []
    for operation, code in {(op, code) for op, _, code, _ in mock.fake.refused}:
        assert (
            (operation.startswith("Describe") and code == "ResourceNotFoundException")
            or (operation.startswith("Create") and code == "ResourceAlreadyExistsException")
            or (operation in unmodelled and code == "UnsupportedOperation")
        ), (operation, code)


def test_poc_in_a_box_imports_interactions_and_items(aws: mock_personalize) -> None:
    from published import poc_in_a_box_data_import

    started = time.perf_counter()
    poc_in_a_box_data_import.run()
    assert time.perf_counter() - started < 30  # in seconds, not the hours it polls for

    _nothing_refused_that_the_service_accepts(aws)
    statuses = aws.fake.statuses()
    jobs = [s for (name, _), s in statuses.items() if name == "dataset_import_job"]
    assert jobs == ["ACTIVE", "ACTIVE"]  # interactions, then item metadata
    assert [s for (name, _), s in statuses.items() if name == "dataset_group"] == ["ACTIVE"]
    assert aws.clock.seconds() > 15 * 60  # it polled, sleeping, through two imports


def test_immersion_day_retail_builds_its_domain_data_layer(aws: mock_personalize) -> None:
    from published import immersion_day_retail_data_layer

    immersion_day_retail_data_layer.run()

    # It checks for the recommenders of later notebooks; none exist, so the service says
    # ResourceNotFound. svstate does not model recommenders and says so instead.
    _nothing_refused_that_the_service_accepts(aws, frozenset({"DescribeRecommender"}))
    statuses = aws.fake.statuses()
    assert sorted(n for (n, _), s in statuses.items() if s == "ACTIVE") == [
        "dataset",
        "dataset",
        "dataset",
        "dataset_group",
        "dataset_import_job",
        "dataset_import_job",
        "dataset_import_job",
    ]
    created = {op: p for op, p in aws.fake.calls if op in ("CreateDatasetGroup", "CreateSchema")}
    assert created["CreateDatasetGroup"]["domain"] == created["CreateSchema"]["domain"]


def test_mlops_step_functions_deploys_then_deletes_everything(aws: mock_personalize) -> None:
    from published import mlops_step_functions

    out: dict[str, Any] = mlops_step_functions.run_pipeline()

    *failed, deployed = out["deploys"]
    # The published defect: describe_solution(solutionVersion=...) on a solution not yet
    # ACTIVE, once per solution type; each upload of params.json gets one solution further.
    assert len(failed) == 3
    assert [last for last, _ in failed] == ["Fail"] * 3  # botocore refuses the call itself
    assert deployed[0] == "Notify Users"  # the deploy workflow's last state: it succeeded
    assert out["delete"][0] == "Notify Users"

    _nothing_refused_that_the_service_accepts(aws)
    left = {k: s for k, s in aws.fake.statuses().items() if s is not None}
    assert left == {}  # the delete workflow removed everything the deploy made
    made = Counter(op for op, _ in aws.fake.calls if op.startswith("Create"))
    # Each execution trains a new version of every solution it reaches (1 + 2 + 3); each
    # campaign is created once, then found.
    assert made["CreateSolutionVersion"] == 6
    assert made["CreateCampaign"] == 3
    assert made["CreateEventTracker"] == 1
    assert made["CreateFilter"] >= 1
