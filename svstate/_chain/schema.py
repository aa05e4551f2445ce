"""The schema resource, declared as data (see :mod:`svstate._chain._resource`)."""

from __future__ import annotations

from svstate._chain._resource import Resource

RESOURCE = Resource(
    name="schema",
    noun="Schema",
    arn_type="schema",
    arn_member="schemaArn",
    key="schema",
    parent=None,
    lifecycle=None,
    deletion=(),
    durations=(0.0, 0.0),
    waiter=None,
    waiter_delay=10.0,
    waiter_attempts=360,
    source="botocore DatasetSchema: no status member; a schema exists once CreateSchema returns",
)
