"""The datasetgroup resource, declared as data (see :mod:`svstate._chain._resource`)."""

from __future__ import annotations

from svstate._chain._resource import Resource, creation
from svstate._vocab import Status as S

RESOURCE = Resource(
    name="dataset_group",
    noun="DatasetGroup",
    arn_type="dataset-group",
    arn_member="datasetGroupArn",
    key="datasetGroup",
    parent=None,
    lifecycle=creation(what="the dataset group"),
    deletion=(S.DELETE_PENDING,),
    durations=(1.0, 30.0),
    waiter="dataset_group_active",
    waiter_delay=5.0,
    waiter_attempts=120,
    source="botocore DatasetGroup.status: CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED; DELETE PENDING",
)
