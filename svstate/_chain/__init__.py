"""The resources of the training chain, one module each, in the order a pipeline meets them.

>>> from svstate._chain import BY_NAME
>>> [s.value for s, _ in BY_NAME["batch_inference_job"].lifecycle.states]
['PENDING', 'IN PROGRESS', 'ACTIVE', 'CREATE FAILED']
>>> BY_NAME["dataset"].parent, BY_NAME["dataset"].list_key
(('dataset_group', 'datasetGroupArn'), 'datasets')
"""

from __future__ import annotations

from collections.abc import Mapping

from svstate._chain import (
    batch_inference_job,
    campaign,
    dataset,
    dataset_group,
    dataset_import_job,
    event_tracker,
    filter,
    schema,
    solution,
    solution_version,
)
from svstate._chain._resource import Resource, ResourceDefinitionError, checked

__all__ = ["BY_NAME", "BY_OPERATION", "CHAIN", "Resource", "ResourceDefinitionError"]

CHAIN: tuple[Resource, ...] = checked(
    tuple(
        module.RESOURCE
        for module in (
            dataset_group,
            schema,
            dataset,
            dataset_import_job,
            solution,
            solution_version,
            campaign,
            batch_inference_job,
            event_tracker,
            filter,
        )
    )
)
BY_NAME: Mapping[str, Resource] = {r.name: r for r in CHAIN}
#: Each create, describe, list, delete and update operation -> the resource it acts on.
BY_OPERATION: Mapping[str, Resource] = {
    op: r
    for r in CHAIN
    for op in (r.create, r.describe, r.list_op, r.delete, r.updates and r.updates.operation)
    if op
}
