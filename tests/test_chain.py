"""The chain's resource declarations check themselves against the service model when built."""

from __future__ import annotations

import pickle

import attrs
import pytest

from svstate import Status
from svstate._chain import BY_NAME, BY_OPERATION, CHAIN, ResourceDefinitionError
from svstate._chain._resource import Resource, checked, creation
from svstate._model import OPERATIONS


def test_the_chain_declares_each_resource_a_retraining_pipeline_touches() -> None:
    assert [r.name for r in CHAIN] == [
        "dataset_group",
        "schema",
        "dataset",
        "dataset_import_job",
        "solution",
        "solution_version",
        "campaign",
        "batch_inference_job",
        "event_tracker",
        "filter",
    ]
    assert all(op in OPERATIONS for op in BY_OPERATION)
    assert BY_OPERATION["UpdateCampaign"] is BY_NAME["campaign"]
    assert BY_OPERATION["UpdateSolution"] is BY_NAME["solution"]


@pytest.mark.parametrize("resource", CHAIN, ids=lambda r: r.name)
def test_every_lifecycle_compiles_and_ends_in_active_or_a_failure(resource: Resource) -> None:
    assert not resource.problems()
    compiled = resource.compiled
    if resource.name == "schema":
        assert compiled is None
        return
    assert compiled is not None
    assert Status.ACTIVE in compiled.terminal
    assert resource.failures
    assert Status.ACTIVE not in resource.failures


def test_the_dated_operations_come_from_the_model() -> None:
    assert BY_NAME["batch_inference_job"].since.isoformat() == "2019-11-14"
    assert BY_NAME["filter"].since.isoformat() == "2020-06-05"
    assert BY_NAME["filter"].list_key == "Filters"  # as botocore's paginator spells it


def test_a_wrong_declaration_is_refused_naming_every_problem() -> None:
    group = BY_NAME["dataset_group"]
    broken = (
        attrs.evolve(group, noun="DataSetGroup"),
        attrs.evolve(
            BY_NAME["dataset"],
            key="dataSet",
            parent=("catalogue", "datasetGroupArn"),
            deletion=(Status.ACTIVE,),
        ),
        attrs.evolve(BY_NAME["schema"], lifecycle=creation(), waiter_delay=0),
    )
    with pytest.raises(ResourceDefinitionError) as caught:
        checked(broken)
    message = str(caught.value)
    for problem in (
        "CreateDataSetGroup is not an operation of the service model",
        "DescribeDataset's response has no member 'dataSet'",
        "its parent 'catalogue' is not declared",
        "deletion status 'ACTIVE' is also a creation status",
        "DatasetSchema lacks a status, but the declaration has a lifecycle",
        "the waiter's delay must be positive",
    ):
        assert problem in message, message
    again = pickle.loads(pickle.dumps(caught.value))
    assert str(again) == message


def test_a_lifecycle_with_a_trap_is_refused() -> None:
    lifecycle = creation()
    trapped = attrs.evolve(lifecycle, terminal=frozenset({Status.ACTIVE}))
    with pytest.raises(ResourceDefinitionError, match="CREATE FAILED"):
        checked((attrs.evolve(BY_NAME["dataset_group"], lifecycle=trapped),))


def test_the_same_resource_twice_is_refused() -> None:
    with pytest.raises(ResourceDefinitionError, match="declared twice"):
        checked((BY_NAME["dataset_group"], BY_NAME["dataset_group"]))
