"""The dataset import job resource, declared as data (see :mod:`svstate._chain._resource`)."""

from __future__ import annotations

from svstate._chain._resource import Resource, creation

RESOURCE = Resource(
    name="dataset_import_job",
    noun="DatasetImportJob",
    arn_type="dataset-import-job",
    arn_member="datasetImportJobArn",
    key="datasetImportJob",
    parent=("dataset", "datasetArn"),
    lifecycle=creation(what="the import"),
    deletion=(),
    durations=(60.0, 900.0),
    waiter="dataset_import_job_active",
    waiter_delay=60.0,
    waiter_attempts=240,
    source="botocore DatasetImportJob.status: CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED; imports take 13-17 minutes in the Developer Guide's examples",
)
