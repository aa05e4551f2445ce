"""The batchinferencejob resource, declared as data (see :mod:`svstate._chain._resource`)."""

from __future__ import annotations

from svstate._chain._resource import Resource, creation
from svstate._vocab import Status as S

RESOURCE = Resource(
    name="batch_inference_job",
    noun="BatchInferenceJob",
    arn_type="batch-inference-job",
    arn_member="batchInferenceJobArn",
    key="batchInferenceJob",
    parent=("solution_version", "solutionVersionArn"),
    lifecycle=creation(S.PENDING, S.IN_PROGRESS, what="the batch inference job"),
    deletion=(),
    durations=(60.0, 1800.0),
    waiter="batch_inference_job_active",
    waiter_delay=60.0,
    waiter_attempts=720,
    source="botocore BatchInferenceJob.status: PENDING, IN PROGRESS, ACTIVE, CREATE FAILED",
)
