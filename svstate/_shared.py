"""A Tracker's records as the fields of a shared store (:mod:`svstate.stores`).

Rules in this file:

* One field per solution (``"solution"``) and per version (``"v:" + ARN``),
  plus ``"complete"`` once every version of the solution was listed. Each
  value is an ordering key of ``ORDER_WIDTH`` characters, then a JSON
  payload: the record's facts, as a snapshot holds them.
* The key orders observations of one record the way its lifecycle does:
  the status's position first (a status reachable from another sorts
  after it, so a version never moves backwards), then the service's
  ``lastUpdatedDateTime`` in microseconds, then observed over inferred.
  A record the service said is gone sorts after everything (a tombstone).
* Reading a field back goes through the same indexes as ``observe``
  (``SolutionRecord.index`` / the tracker's ``_update_index``), and a field
  whose key is not greater than what the tracker holds changes nothing.
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any

from svstate._lifecycle import RESOURCE_CREATION, RESOURCE_CREATION_FAILED, RESOURCE_DELETION
from svstate._records import SolutionRecord, VersionRecord
from svstate._vocab import MODE_BY_VALUE, STATUS_BY_VALUE, Status
from svstate.stores import ORDER_WIDTH

if TYPE_CHECKING:
    from svstate._lifecycle import Lifecycle

__all__ = ["COMPLETE", "SOLUTION", "gone_key", "solution_value", "version_field", "version_rank"]

SOLUTION = "solution"
COMPLETE = ("complete", "0" * ORDER_WIDTH + "1")
_GONE = 99
_SEP = (",", ":")


@functools.cache
def _version_ranks(lc: Lifecycle) -> dict[Status, int]:
    """A status's position: how many other statuses it can be reached from."""
    return {
        s: sum(1 for t, ahead in lc.reachable.items() if t is not s and s in ahead)
        for s in lc.reachable
    }


def version_rank(lc: Lifecycle, status: Status) -> int:
    return _version_ranks(lc).get(status, 0)


_SOLUTION_RANKS = {
    **{s: i for i, s in enumerate(RESOURCE_CREATION)},
    RESOURCE_CREATION_FAILED: len(RESOURCE_CREATION) - 1,
    **{s: len(RESOURCE_CREATION) + i for i, s in enumerate(RESOURCE_DELETION)},
}


def _key(rank: int, updated: float | None, inferred: str | None) -> str:
    micros = 0 if updated is None else max(0, min(int(updated * 1_000_000), 10**17 - 1))
    return f"{rank:02d}{micros:017d}{0 if inferred else 1}"


def gone_key() -> str:
    """The key of a tombstone: after every status."""
    return f"{_GONE:02d}{0:017d}1"


def version_field(lc: Lifecycle, v: VersionRecord) -> tuple[str, str]:
    payload = [
        v.status.value,
        None if v.mode is None else v.mode.value,
        v.created,
        v.updated,
        v.inferred,
    ]
    key = _key(version_rank(lc, v.status), v.updated, v.inferred)
    return "v:" + v.arn, key + json.dumps(payload, separators=_SEP)


def solution_value(sol: SolutionRecord) -> str | None:
    """The solution's field value, or ``None`` while its status is unknown."""
    if sol.status is None:
        return None
    payload = [sol.status.value, sol.inferred, sol.recipe, sol.automl, sol.updated]
    key = _key(_SOLUTION_RANKS.get(sol.status, 0), sol.updated, sol.inferred)
    return key + json.dumps(payload, separators=_SEP)


def version_key(lc: Lifecycle, v: VersionRecord) -> str:
    return _key(version_rank(lc, v.status), v.updated, v.inferred)


def solution_key(sol: SolutionRecord) -> str:
    if sol.status is None:
        return ""
    return _key(_SOLUTION_RANKS.get(sol.status, 0), sol.updated, sol.inferred)


def _payload(value: str) -> tuple[Status, list[Any]] | None:
    """A field's status and the rest of its payload, or ``None`` for a tombstone or a
    value svstate did not write (a field of five, led by a known status)."""
    try:
        status, *rest = json.loads(value[ORDER_WIDTH:])
    except (ValueError, TypeError):
        return None
    found = STATUS_BY_VALUE.get(status) if isinstance(status, str) else None
    return None if found is None or len(rest) != 4 else (found, rest)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def read_version(value: str) -> tuple[Status, Any, float | None, float | None, str | None] | None:
    """A version field's facts: status, mode, created, updated, inferred."""
    read = _payload(value)
    if read is None:
        return None
    status, (mode, created, updated, inferred) = read
    mode_found = MODE_BY_VALUE.get(mode) if isinstance(mode, str) else None
    return status, mode_found, _number(created), _number(updated), _text(inferred)


def read_solution(value: str) -> tuple[Status, str | None, str | None, bool, float | None] | None:
    """A solution field's facts: status, inferred, recipe, AutoML, updated."""
    read = _payload(value)
    if read is None:
        return None
    status, (inferred, recipe, automl, updated) = read
    return status, _text(inferred), _text(recipe), automl is True, _number(updated)


# -- moving records between a tracker and its store -----------------------------------------


def encode(lc: Lifecycle, records: list[Any]) -> dict[str, list[tuple[str, str]]]:
    """The fields to merge for touched records, by solution ARN (under the tracker's lock)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for r in records:
        if isinstance(r, VersionRecord):
            out.setdefault(r.solution.arn, []).append(version_field(lc, r))
        elif isinstance(r, SolutionRecord):
            fields = out.setdefault(r.arn, [])
            value = solution_value(r)
            if value is not None:
                fields.append((SOLUTION, value))
            if r.complete:
                fields.append(COMPLETE)
        else:  # ("gone", solution ARN, field)
            _, solution, field = r
            out.setdefault(solution, []).append((field, gone_key() + "null"))
    return out


def apply(tracker: Any, solution: str, fields: dict[str, str]) -> None:
    """Bring the tracker's records of ``solution`` up to the store's (under its lock).

    Only fields whose value changed since the last read are looked at, and of
    those only keys greater than what the tracker holds change anything."""
    seen = tracker._pulled.setdefault(solution, {})
    lc = tracker._lc
    head = fields.get(SOLUTION)
    if head is not None and head.startswith(f"{_GONE:02d}"):  # deleted: its versions too
        if seen.get(SOLUTION) != head and solution in tracker._solutions:
            tracker._forget({"solutionArn": solution})
        seen.clear()
        seen[SOLUTION] = head
        return
    for field, value in fields.items():
        if seen.get(field) == value:
            continue
        seen[field] = value
        key = value[:ORDER_WIDTH]
        if field == SOLUTION:
            _apply_solution(tracker, solution, key, value)
        elif field == COMPLETE[0]:
            sol = tracker._solutions.get(solution)
            if sol is not None or solution_known(fields):
                tracker._solution(solution).complete = True
        elif field.startswith("v:"):
            _apply_version(tracker, lc, solution, field[2:], key, value)


def solution_known(fields: dict[str, str]) -> bool:
    return SOLUTION in fields or any(f.startswith("v:") for f in fields)


def _apply_solution(tracker: Any, arn: str, key: str, value: str) -> None:
    if key.startswith(f"{_GONE:02d}"):
        if arn in tracker._solutions:
            tracker._forget({"solutionArn": arn})
        return
    read = read_solution(value)
    if read is None:
        return
    sol = tracker._solutions.get(arn)
    if sol is not None and solution_key(sol) >= key:
        return
    sol = tracker._solution(arn)
    sol.status, sol.inferred, recipe, automl, sol.updated = read
    sol.recipe = recipe if recipe is not None else sol.recipe
    sol.automl = automl or sol.automl


def _apply_version(
    tracker: Any, lc: Lifecycle, solution: str, arn: str, key: str, value: str
) -> None:
    v = tracker._versions.get(arn)
    if key.startswith(f"{_GONE:02d}"):
        if v is not None:
            tracker._forget({"solutionVersionArn": arn})
        return
    read = read_version(value)
    if read is None or (v is not None and version_key(lc, v) >= key):
        return
    status, mode, created, updated, inferred = read
    if status not in lc.reachable:
        return  # a status of another ruleset's lifecycle: not this tracker's to hold
    if v is None:
        sol = tracker._solution(solution)
        v = VersionRecord(arn, sol, status, mode, created, updated, inferred)
        tracker._versions[arn] = v
        sol.hold(v)
        return
    v.status, v.inferred = status, inferred
    v.mode = mode if mode is not None else v.mode
    v.updated = updated
    tracker._update_index(v)
    v.solution.date(v, created)
