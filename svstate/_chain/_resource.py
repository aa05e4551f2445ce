"""The shared shape of a resource declaration, and the checks every one passes when built.

Rules in this file:

* A resource of the training chain is declared once, as data, in its own
  module of this package (``dataset_group.py``, ``campaign.py``, ...): its
  names, the operations that act on it, its parent, its lifecycle, how long
  each phase takes on the fake, and its waiter. Nothing else in svstate
  repeats any of it.
* A declaration checks itself against the generated service model
  (:mod:`svstate._model`) when it is built: every operation it names exists,
  its describe response carries it under ``key``, its list operation pages
  under ``list_key``, its status member exists where it has a lifecycle, and
  its lifecycle passes the same checks as the version lifecycle
  (:class:`svstate._lifecycle.Lifecycle`). A wrong declaration is an import
  error naming each problem, never a wrong answer later.
* A lifecycle has two parts: creation (a :class:`LifecycleDeclaration`: the
  version's rules, one initial state, terminal states absorbing) and
  deletion (the statuses a resource shows between DeleteX and being gone).
"""

from __future__ import annotations

import datetime as _dt
import functools

import attrs

from svstate._errors import SvstateError
from svstate._lifecycle import Edge, Lifecycle, LifecycleDeclaration
from svstate._model import OPERATIONS, SHAPES
from svstate._vocab import Status

__all__ = ["Resource", "ResourceDefinitionError", "Updates", "creation"]

S = Status


class ResourceDefinitionError(SvstateError):
    """A resource declaration that fails its own consistency checks."""


def creation(
    pending: Status = S.CREATE_PENDING,
    in_progress: Status = S.CREATE_IN_PROGRESS,
    *,
    what: str = "the resource",
) -> LifecycleDeclaration:
    """The common creation lifecycle: ``pending`` > ``in_progress`` > ACTIVE -or- CREATE FAILED."""
    return LifecycleDeclaration(
        states=(
            (pending, _dt.date(2019, 6, 10)),
            (in_progress, _dt.date(2019, 6, 10)),
            (S.ACTIVE, _dt.date(2019, 6, 10)),
            (S.CREATE_FAILED, _dt.date(2019, 6, 10)),
        ),
        edges=(
            Edge("start", pending, in_progress, doc=f"the service begins creating {what}"),
            Edge("succeed", in_progress, S.ACTIVE, doc=f"{what} is ready"),
            Edge("fail", in_progress, S.CREATE_FAILED, doc=f"creating {what} failed"),
        ),
        initial=pending,
        terminal=frozenset({S.ACTIVE, S.CREATE_FAILED}),
        triggers=("start", "succeed", "fail"),
    )


@attrs.frozen
class Updates:
    """A resource's in-place updates with their own lifecycle (UpdateCampaign, UpdateSolution).

    ``member`` is where the describe response shows the newest one
    (``latestCampaignUpdate``); while it is being created the resource keeps
    serving as it was.
    """

    operation: str
    member: str
    lifecycle: LifecycleDeclaration


@attrs.frozen
class Resource:
    """One resource of the chain, declared as data. See the module's rules."""

    #: snake_case name, as in ``missing`` and the waiter (``dataset_group``).
    name: str
    #: The API's noun (``DatasetGroup``): CreateDatasetGroup, DescribeDatasetGroup, ...
    noun: str
    #: The first segment of its ARN's resource part (``dataset-group``).
    arn_type: str
    #: The request member naming it (``datasetGroupArn``).
    arn_member: str
    #: The describe response member holding it (``datasetGroup``).
    key: str
    #: The parent resource's name and the create request member naming it.
    parent: tuple[str, str] | None
    #: Creation and deletion lifecycles; ``None`` for a resource without a status (a schema).
    lifecycle: LifecycleDeclaration | None
    deletion: tuple[Status, ...] = ()
    updates: Updates | None = None
    #: Default seconds of each creation phase on the fake: (pending, in progress).
    durations: tuple[float, float] = (1.0, 10.0)
    #: The waiter's name and its defaults: seconds between attempts, attempts.
    waiter: str | None = None
    waiter_delay: float = 10.0
    waiter_attempts: int = 360
    #: Where the facts and docs come from.
    source: str = ""

    @property
    def create(self) -> str:
        return f"Create{self.noun}"

    @property
    def describe(self) -> str:
        return f"Describe{self.noun}"

    @property
    def list_op(self) -> str:
        return f"List{self.noun}s"

    @property
    def delete(self) -> str | None:
        name = f"Delete{self.noun}"
        return name if name in OPERATIONS else None

    @property
    def list_key(self) -> str:
        key = OPERATIONS[self.list_op][4]
        assert key is not None  # checked when built
        return key

    @property
    def since(self) -> _dt.date:
        """The date its create operation appeared."""
        return _dt.date.fromisoformat(OPERATIONS[self.create][2])

    @functools.cached_property
    def compiled(self) -> Lifecycle | None:
        """The creation lifecycle, compiled and self-checked (``None`` without a status)."""
        return Lifecycle(self.lifecycle) if self.lifecycle is not None else None

    @property
    def success(self) -> Status:
        return Status.ACTIVE

    @property
    def failures(self) -> frozenset[Status]:
        """The terminal creation statuses other than ACTIVE: it will never be ACTIVE."""
        if self.lifecycle is None:
            return frozenset()
        return self.lifecycle.terminal - {Status.ACTIVE}

    def problems(self) -> list[str]:
        """Every way this declaration disagrees with the service model or itself."""
        out: list[str] = []
        for op in (self.create, self.describe, self.list_op):
            if op not in OPERATIONS:
                out.append(f"{op} is not an operation of the service model")
        if out:
            return out
        described = OPERATIONS[self.describe][1]
        members = {m[0]: m[1] for m in SHAPES[described][3]} if described else {}
        if self.key not in members:
            out.append(f"{self.describe}'s response has no member {self.key!r}")
        else:
            fields = {m[0] for m in SHAPES[members[self.key]][3]}
            if (self.lifecycle is not None) != ("status" in fields):
                out.append(
                    f"{members[self.key]} {'lacks' if self.lifecycle else 'has'} a status, "
                    f"but the declaration {'has' if self.lifecycle else 'lacks'} a lifecycle"
                )
            if self.arn_member not in fields:
                out.append(f"{members[self.key]} has no member {self.arn_member!r}")
            if self.updates is not None and self.updates.member not in fields:
                out.append(f"{members[self.key]} has no member {self.updates.member!r}")
        if OPERATIONS[self.list_op][4] is None:
            out.append(f"{self.list_op} is not paginated in the service model")
        if self.parent is not None:
            request = OPERATIONS[self.create][0]
            names = {m[0] for m in SHAPES[request][3]} if request else set()
            if self.parent[1] not in names:
                out.append(f"{self.create} has no request member {self.parent[1]!r}")
        if self.updates is not None and self.updates.operation not in OPERATIONS:
            out.append(f"{self.updates.operation} is not an operation of the service model")
        if self.lifecycle is not None:
            states = {s for s, _ in self.lifecycle.states}
            for status in self.deletion:
                if status in states:
                    out.append(f"deletion status {status.value!r} is also a creation status")
            if self.deletion and self.delete is None:
                out.append(f"it declares deletion statuses, but Delete{self.noun} does not exist")
            try:
                Lifecycle(self.lifecycle)
                if self.updates is not None:
                    Lifecycle(self.updates.lifecycle)
            except SvstateError as error:
                out.append(str(error))
        if self.waiter is not None and self.lifecycle is None:
            out.append("a waiter needs a lifecycle to wait on")
        if self.waiter_delay <= 0 or self.waiter_attempts < 1:
            out.append("the waiter's delay must be positive and its attempts at least 1")
        return out


def checked(resources: tuple[Resource, ...]) -> tuple[Resource, ...]:
    """``resources``, once every declaration passes its checks and the chain is whole."""
    problems: list[str] = []
    names = [r.name for r in resources]
    if len(set(names)) != len(names):
        problems.append("a resource is declared twice")
    for r in resources:
        problems += [f"{r.name}: {p}" for p in r.problems()]
        if r.parent is not None and r.parent[0] not in names:
            problems.append(f"{r.name}: its parent {r.parent[0]!r} is not declared")
    if problems:
        raise ResourceDefinitionError("invalid resource declarations: " + "; ".join(problems))
    return resources
