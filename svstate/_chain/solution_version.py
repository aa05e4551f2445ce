"""The solution version resource, declared as data (see :mod:`svstate._chain._resource`).

Its lifecycle is the one :mod:`svstate._lifecycle` declares (with the stop states
from 2021-05-20); this module only places it in the chain.
"""

from __future__ import annotations

from svstate._chain._resource import Resource
from svstate._lifecycle import DECLARATION

RESOURCE = Resource(
    name="solution_version",
    noun="SolutionVersion",
    arn_type="solution",
    arn_member="solutionVersionArn",
    key="solutionVersion",
    parent=("solution", "solutionArn"),
    lifecycle=DECLARATION,
    durations=(60.0, 3600.0),
    waiter="solution_version_active",
    waiter_delay=60.0,
    waiter_attempts=720,
    source="botocore SolutionVersion.status: CREATE PENDING, CREATE IN_PROGRESS, ACTIVE, "
    "CREATE FAILED, CREATE STOPPING, CREATE STOPPED",
)
