"""The filter resource, declared as data (see :mod:`svstate._chain._resource`)."""

from __future__ import annotations

from svstate._chain._resource import Resource, creation

RESOURCE = Resource(
    name="filter",
    noun="Filter",
    arn_type="filter",
    arn_member="filterArn",
    key="filter",
    parent=("dataset_group", "datasetGroupArn"),
    lifecycle=creation(what="the filter"),
    deletion=(),
    durations=(1.0, 30.0),
    waiter=None,
    waiter_delay=10.0,
    waiter_attempts=360,
    source="botocore Filter.status (its documentation lists no values; the fake follows the common creation lifecycle, UNCONFIRMED)",
)
