"""The dataset resource, declared as data (see :mod:`svstate._chain._resource`)."""

from __future__ import annotations

from svstate._chain._resource import Resource, creation
from svstate._vocab import Status as S

RESOURCE = Resource(
    name="dataset",
    noun="Dataset",
    arn_type="dataset",
    arn_member="datasetArn",
    key="dataset",
    parent=("dataset_group", "datasetGroupArn"),
    lifecycle=creation(what="the dataset"),
    deletion=(S.DELETE_PENDING, S.DELETE_IN_PROGRESS),
    durations=(1.0, 30.0),
    waiter="dataset_active",
    waiter_delay=5.0,
    waiter_attempts=120,
    source="botocore Dataset.status: CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED; DELETE PENDING > DELETE IN_PROGRESS",
)
