"""The eventtracker resource, declared as data (see :mod:`svstate._chain._resource`)."""

from __future__ import annotations

from svstate._chain._resource import Resource, creation
from svstate._vocab import Status as S

RESOURCE = Resource(
    name="event_tracker",
    noun="EventTracker",
    arn_type="event-tracker",
    arn_member="eventTrackerArn",
    key="eventTracker",
    parent=("dataset_group", "datasetGroupArn"),
    lifecycle=creation(what="the event tracker"),
    deletion=(S.DELETE_PENDING, S.DELETE_IN_PROGRESS),
    durations=(1.0, 30.0),
    waiter=None,
    waiter_delay=10.0,
    waiter_attempts=360,
    source="botocore EventTracker.status: CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED; DELETE PENDING > DELETE IN_PROGRESS",
)
