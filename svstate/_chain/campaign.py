"""The campaign resource, declared as data (see :mod:`svstate._chain._resource`)."""

from __future__ import annotations

from svstate._chain._resource import Resource, Updates, creation
from svstate._vocab import Status as S

RESOURCE = Resource(
    name="campaign",
    noun="Campaign",
    arn_type="campaign",
    arn_member="campaignArn",
    key="campaign",
    parent=("solution_version", "solutionVersionArn"),
    lifecycle=creation(what="the campaign"),
    deletion=(S.DELETE_PENDING, S.DELETE_IN_PROGRESS),
    updates=Updates("UpdateCampaign", "latestCampaignUpdate", creation(what="the update")),
    durations=(60.0, 540.0),
    waiter="campaign_active",
    waiter_delay=30.0,
    waiter_attempts=120,
    source="botocore Campaign.status and CampaignUpdateSummary.status: CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED; DELETE PENDING > DELETE IN_PROGRESS",
)
