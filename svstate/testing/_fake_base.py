"""What every resource of the fake shares: a timeline of statuses, paging, errors.

Rules in this file:

* A resource's status is read off a timeline of ``(time, status)`` points
  fixed when it is created; ``None`` as a status means it is gone.
* An answer is either a parsed response or a :class:`ServiceError`, which the
  client turns into the usual ``client.exceptions.*`` error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from svstate._lifecycle import RESOURCE_DELETION
from svstate._rulesets import Ruleset
from svstate._shapes import Shape
from svstate._vocab import Status

GONE = None  # a timeline point after which the resource no longer exists


class ServiceError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@attrs.define
class Resource:
    arn: str
    name: str
    timeline: list[tuple[float, Status | None]]
    created: float
    fields: dict[str, Any] = attrs.Factory(dict)

    def point(self, now: float) -> tuple[float, Status | None]:
        """The last timeline point at or before ``now``."""
        found = self.timeline[0]
        for when, status in self.timeline:
            if when > now:
                break
            found = (when, status)
        return found

    def cut(self, now: float, *then: tuple[float, Status | None]) -> None:
        """Keep the timeline up to ``now``, then follow ``then``."""
        self.timeline = [p for p in self.timeline if p[0] <= now] + list(then)


def deletion_times(deletion: tuple[Status, ...], d: Mapping[str, float]) -> tuple[float, ...]:
    """How long each of a resource's deletion statuses is held (one status: the two summed)."""
    held = (d["delete_pending"], d["delete_in_progress"])
    return (held[0] + held[1],) if len(deletion) == 1 else held


def delete(resource: Resource, now: float, d: Mapping[str, float]) -> None:
    resource.cut(
        now, *path(now, (*RESOURCE_DELETION, GONE), d["delete_pending"], d["delete_in_progress"])
    )


def path(
    start: float, statuses: tuple[Status | None, ...], *durations: float
) -> list[tuple[float, Status | None]]:
    """A timeline through ``statuses`` from ``start``, each held for its duration."""
    points, when = [], start
    for status, held in zip(statuses, (0.0, *durations), strict=True):
        when += held
        points.append((when, status))
    return points


def not_found(arn: object) -> ServiceError:
    return ServiceError("ResourceNotFoundException", f"Could not find resource {arn}.")


def page(items: list[dict[str, Any]], key: str, params: dict[str, Any]) -> dict[str, Any]:
    """One page of a List* answer, with botocore-compatible nextToken paging."""
    size = params.get("maxResults") or 100
    token = params.get("nextToken")
    start = 0
    if token is not None:
        match = re.fullmatch(r"svstate-fake:(\d+)", token)
        if match is None or int(match.group(1)) > len(items):
            raise ServiceError("InvalidNextTokenException", f"Invalid next token {token}.")
        start = int(match.group(1))
    page: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        page["nextToken"] = f"svstate-fake:{start + size}"
    return page


def dated(shape: Shape, fact: dict[str, Any], rs: Ruleset) -> dict[str, Any]:
    """``fact`` with only the members its shape had in ruleset ``rs`` (top level)."""
    return {
        k: v
        for k, v in fact.items()
        if v is not None and k in shape.members and rs.in_force(shape.members[k].since)
    }
