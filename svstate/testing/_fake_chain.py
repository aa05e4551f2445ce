"""The fake's resources of the training chain, answered from their declarations.

Rules in this file:

* Every resource declared in :mod:`svstate._chain` that the fake does not
  answer by hand (solutions, versions and campaigns live in ``_fake.py``) is
  answered here by one set of generic handlers: create, describe, list with
  paging, delete. What differs between resources is data: the declaration's
  names, parent, lifecycle and durations.
* A created resource follows its declared creation lifecycle: the initial
  status, then the ``start`` edge's, then ``succeed``'s (ACTIVE) or, when a
  test asked for it with :meth:`ChainStore.fail_next`, ``fail``'s with the
  failureReason given.
* A response carries only the members its shape had in the fake's ruleset.
* Whether a call is legal is not decided here: the fake asks
  :func:`svstate.preflight` first (``_fake.py``); this module only keeps the
  state and builds the facts preflight reads.
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from svstate._chain import BY_NAME, CHAIN, Resource
from svstate._model import OPERATIONS, SHAPES
from svstate._rulesets import Ruleset
from svstate._shapes import NAME, check, model_shape
from svstate._vocab import Status
from svstate.testing._fake_base import (
    GONE,
    ServiceError,
    dated,
    deletion_times,
    not_found,
    page,
    path,
)
from svstate.testing._fake_base import (
    Resource as Held,
)

__all__ = ["GENERIC", "GENERIC_OPERATIONS", "ChainStore", "chain_durations"]

#: The resources answered generically, in chain order.
GENERIC: tuple[Resource, ...] = tuple(
    r for r in CHAIN if r.name not in ("solution", "solution_version", "campaign")
)
GENERIC_OPERATIONS: Mapping[str, tuple[str, Resource]] = {
    op: (verb, r)
    for r in GENERIC
    for verb, op in (
        ("create", r.create),
        ("describe", r.describe),
        ("list", r.list_op),
        ("delete", r.delete),
    )
    if op is not None
}


def chain_durations() -> dict[str, float]:
    """The default phase durations of the generic resources, from their declarations."""
    out: dict[str, float] = {}
    for r in GENERIC:
        if r.lifecycle is not None:
            out[f"{r.name}_pending"], out[f"{r.name}_in_progress"] = r.durations
    return out


def _members(shape: str | None) -> dict[str, str]:
    return {m[0]: m[1] for m in SHAPES[shape][3]} if shape else {}


def _described_shape(r: Resource) -> str:
    return _members(OPERATIONS[r.describe][1])[r.key]


def _summary_shape(r: Resource) -> str:
    listed = _members(OPERATIONS[r.list_op][1])[r.list_key]
    item = SHAPES[listed][5]
    assert item is not None  # a list member is a list of summaries
    return item


def name_member(r: Resource) -> str:
    return "name" if "name" in _members(OPERATIONS[r.create][0]) else "jobName"


class _Clock(Protocol):
    def seconds(self) -> float: ...
    def at(self, seconds: float) -> _dt.datetime: ...


class ChainStore:
    """The generic resources of one fake, and the test hooks that act on them.

    Reach it as ``client.fake.chain``. ``find(name, arn)`` is how it asks the
    fake for a resource it does not hold itself (a solution version, the
    parent of a batch inference job).
    """

    __module__ = "svstate.testing"

    def __init__(
        self,
        ruleset: Ruleset,
        clock: _Clock,
        durations: Mapping[str, float],
        region: str,
        account: str,
        ids: random.Random,
        find: Callable[[str, object], Held | None],
    ):
        self._rs = ruleset
        self._now = clock.seconds
        self._at = clock.at
        self._durations = durations
        self._region = region
        self._account = account
        self._ids = ids
        self._find = find
        self.tables: dict[str, dict[str, Held]] = {r.name: {} for r in GENERIC}
        self._fail_next: dict[str, list[str]] = {r.name: [] for r in GENERIC}

    # -- hooks for tests ----------------------------------------------------------------

    def fail_next(self, resource: str, reason: str) -> None:
        """Make the next ``resource`` created (``"dataset_import_job"``, ...) fail with ``reason``."""
        self._fail_next[resource].append(reason)

    # -- state --------------------------------------------------------------------------

    def handles(self, operation: str) -> bool:
        return operation in GENERIC_OPERATIONS

    def alive(self, name: str, arn: object) -> Held | None:
        found = self.tables[name].get(arn) if isinstance(arn, str) else None
        if found is None or found.point(self._now())[1] is GONE:
            return None
        return found

    def status(self, held: Held) -> Status | None:
        return held.point(self._now())[1]

    def expire(self) -> None:
        """Forget what has been deleted, and what lived only inside it.

        A dataset's import jobs go with the dataset (they have no delete of
        their own), a group's filters with the group (DeleteDatasetGroup does
        not ask for them to be deleted first). Inferred, not documented: the
        service answers ResourceNotFound for them once the parent is gone.
        """
        now = self._now()
        for table in self.tables.values():
            for arn in [a for a, r in table.items() if r.point(now)[1] is GONE]:
                del table[arn]
        for r in GENERIC:  # parents first: a group's datasets, then their import jobs
            if r.parent is None or r.parent[0] not in self.tables:
                continue
            parents, member = self.tables[r.parent[0]], r.parent[1]
            table = self.tables[r.name]
            for arn in [a for a, h in table.items() if h.fields.get(member) not in parents]:
                del table[arn]

    def children(self, name: str, parent_arn: str) -> list[Held]:
        """The living ``name`` resources whose parent is ``parent_arn``, oldest first."""
        r = BY_NAME[name]
        assert r.parent is not None
        member = r.parent[1]
        return [
            h
            for h in self.tables[name].values()
            if h.fields.get(member) == parent_arn and self.status(h) is not GONE
        ]

    # -- answering ----------------------------------------------------------------------

    def _arn(self, kind: str, name: str) -> str:
        return f"arn:aws:personalize:{self._region}:{self._account}:{kind}/{name}"

    def answer(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        verb, r = GENERIC_OPERATIONS[operation]
        handler: Callable[[Resource, dict[str, Any]], dict[str, Any]] = getattr(self, f"_{verb}")
        return handler(r, params)

    def _new_arn(self, r: Resource, params: dict[str, Any]) -> str:
        if r.name == "dataset":
            group = str(params["datasetGroupArn"]).rpartition("/")[2]
            return self._arn("dataset", f"{group}/{params['datasetType'].upper()}")
        if r.name == "event_tracker":
            return self._arn(r.arn_type, f"{self._ids.getrandbits(32):08x}")
        return self._arn(r.arn_type, params[name_member(r)])

    def _create(self, r: Resource, params: dict[str, Any]) -> dict[str, Any]:
        member = name_member(r)
        problems = check(NAME, params[member], self._rs, request=True, path=member)
        if problems:
            raise ServiceError("InvalidInputException", problems[0].message)
        if r.parent is not None and self._find(r.parent[0], params.get(r.parent[1])) is None:
            raise not_found(params.get(r.parent[1]))
        arn = self._new_arn(r, params)
        if arn in self.tables[r.name]:
            what = f"{r.noun} {params[member]}"
            if r.name == "dataset":
                what = f"A {params['datasetType']} dataset in this dataset group"
            raise ServiceError("ResourceAlreadyExistsException", f"{what} already exists.")
        now = self._now()
        fields = {k: v for k, v in params.items() if k not in (member, "tags")}
        timeline: list[tuple[float, Status | None]]
        compiled = r.compiled
        if compiled is None:
            timeline = [(now, Status.ACTIVE)]  # no status: it exists once created
        else:
            first = compiled.declaration.initial
            running = compiled.next_status[first, "start"]
            reasons = self._fail_next[r.name]
            if reasons:
                fields["failureReason"] = reasons.pop(0)
            end = compiled.next_status[running, "fail" if "failureReason" in fields else "succeed"]
            d = self._durations
            timeline = path(
                now, (first, running, end), d[f"{r.name}_pending"], d[f"{r.name}_in_progress"]
            )
        self.tables[r.name][arn] = Held(arn, params[member], timeline, now, fields)
        out: dict[str, Any] = {r.arn_member: arn}
        if r.name == "event_tracker":
            fields["trackingId"] = f"{self._ids.getrandbits(128):032x}"
            out["trackingId"] = fields["trackingId"]
        if r.name == "dataset_group" and "domain" in params:
            out["domain"] = params["domain"]
        return out

    def fact(self, r: Resource, held: Held) -> dict[str, Any]:
        """What DescribeX answers for ``held``, dated to the ruleset."""
        when, status = held.point(self._now())
        fact: dict[str, Any] = {
            name_member(r): held.name,
            r.arn_member: held.arn,
            "creationDateTime": self._at(held.created),
            "lastUpdatedDateTime": self._at(when),
            **{k: v for k, v in held.fields.items() if k != "failureReason"},
        }
        if r.lifecycle is not None and status is not None:
            fact["status"] = status.value
            if status in r.failures:
                fact["failureReason"] = held.fields.get("failureReason")
        if r.name == "event_tracker":
            fact["accountId"] = self._account
        if r.name == "dataset_import_job":
            fact.setdefault("importMode", "FULL")  # the default; dated away before 2022-08-02
        return dated(model_shape(_described_shape(r)), fact, self._rs)

    def summary(self, r: Resource, held: Held) -> dict[str, Any]:
        return dated(model_shape(_summary_shape(r)), self.fact(r, held), self._rs)

    def _describe(self, r: Resource, params: dict[str, Any]) -> dict[str, Any]:
        held = self.alive(r.name, params[r.arn_member])
        if held is None:
            raise not_found(params[r.arn_member])
        return {r.key: self.fact(r, held)}

    def _list(self, r: Resource, params: dict[str, Any]) -> dict[str, Any]:
        listed = [h for h in self.tables[r.name].values() if self.status(h) is not GONE]
        if r.parent is not None and r.parent[1] in params:
            listed = [h for h in listed if h.fields.get(r.parent[1]) == params[r.parent[1]]]
        # Newest first; those created at the same instant, last created first.
        listed = [
            h
            for _, h in sorted(enumerate(listed), key=lambda p: (p[1].created, p[0]), reverse=True)
        ]
        return page([self.summary(r, h) for h in listed], r.list_key, params)

    def _delete(self, r: Resource, params: dict[str, Any]) -> dict[str, Any]:
        held = self.alive(r.name, params[r.arn_member])
        if held is None:
            raise not_found(params[r.arn_member])
        now = self._now()
        if self.status(held) in r.deletion:
            raise ServiceError("ResourceInUseException", f"{r.noun} {held.name} is being deleted.")
        if not r.deletion:
            held.cut(now, (now, GONE))
            return {}
        held_for = deletion_times(r.deletion, self._durations)
        held.cut(now, *path(now, (*r.deletion, GONE), *held_for))
        return {}
