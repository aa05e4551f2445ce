"""The solution resource, declared as data (see :mod:`svstate._chain._resource`)."""

from __future__ import annotations

from svstate._chain._resource import Resource, Updates, creation
from svstate._vocab import Status as S

RESOURCE = Resource(
    name="solution",
    noun="Solution",
    arn_type="solution",
    arn_member="solutionArn",
    key="solution",
    parent=("dataset_group", "datasetGroupArn"),
    lifecycle=creation(what="the solution"),
    deletion=(S.DELETE_PENDING, S.DELETE_IN_PROGRESS),
    updates=Updates("UpdateSolution", "latestSolutionUpdate", creation(what="the update")),
    durations=(1.0, 4.0),
    waiter="solution_active",
    waiter_delay=5.0,
    waiter_attempts=120,
    source="botocore Solution.status: CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED; DELETE PENDING > DELETE IN_PROGRESS",
)
