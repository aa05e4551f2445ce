"""What a :class:`~svstate.Tracker` holds: one small record per solution and per version.

Rules in this file:

* Records are plain slotted objects, no attrs: a tracker holds millions.
* A solution keeps the indexes the rules ask about (an ACTIVE version, an
  ACTIVE FULL one, one ACTIVE of unknown mode, the newest FULL one, those in
  flight), updated one version at a time by :meth:`SolutionRecord.index`, so
  a pre-flight reads them instead of every version.
"""

from __future__ import annotations

import datetime as _dt

from svstate._lifecycle import IN_FLIGHT
from svstate._timestamps import read_timestamp
from svstate._vocab import Status, TrainingMode

__all__ = ["SolutionRecord", "VersionRecord", "epoch", "newer"]

_ACTIVE = Status.ACTIVE
_FULL = TrainingMode.FULL


def epoch(value: object) -> float | None:
    """Seconds since the epoch for a boto3 timestamp, or ``None``."""
    if type(value) is _dt.datetime and value.tzinfo is not None:
        return value.timestamp()
    if value is None:
        return None
    when = read_timestamp(value)
    return None if when is None else when.timestamp()


class VersionRecord:
    """What the tracker holds of one solution version."""

    __slots__ = ("arn", "created", "inferred", "mode", "solution", "status", "updated")

    def __init__(
        self,
        arn: str,
        solution: SolutionRecord,
        status: Status,
        mode: TrainingMode | None,
        created: float | None,
        updated: float | None,
        inferred: str | None = None,
    ):
        # The call the status was inferred from; None once a response has shown it.
        self.inferred = inferred
        self.arn = arn
        self.solution = solution
        self.status = status
        self.mode = mode
        self.created = created
        self.updated = updated


class SolutionRecord:
    """What the tracker holds of one solution, with the indexes the rules ask about."""

    __slots__ = (
        "active_any",
        "active_full",
        "active_unknown_mode",
        "arn",
        "automl",
        "campaigns",
        "campaigns_complete",
        "campaigns_inferred",
        "complete",
        "count",
        "in_flight",
        "inferred",
        "listing",
        "newest_full",
        "recipe",
        "status",
        "updated",
    )

    def __init__(self, arn: str):
        self.arn = arn
        self.status: Status | None = None
        self.inferred: str | None = None  # the call the status was inferred from, if any
        self.recipe: str | None = None
        self.automl = False
        self.updated: float | None = None
        self.complete = False  # every version of the solution is known
        self.count = 0  # versions known
        # Versions in flight, in the order they were seen (a dict keeps it: deterministic).
        self.in_flight: dict[str, None] = {}
        self.active_full: VersionRecord | None = None
        self.active_any: VersionRecord | None = None
        self.active_unknown_mode: VersionRecord | None = None
        self.newest_full: VersionRecord | None = None
        # campaign ARN -> status, as known; complete once a whole ListCampaigns (or the
        # solution's creation) was seen
        self.campaigns: dict[str, Status | None] = {}
        self.campaigns_complete = False
        # campaign ARN -> the call its status was inferred from (CreateCampaign)
        self.campaigns_inferred: dict[str, str] = {}
        self.listing: tuple[set[str], str] | None = None  # (ARNs so far, next token) of a listing

    def index(self, v: VersionRecord) -> None:
        """Add one version's current status and mode to the indexes."""
        if v.status in IN_FLIGHT:
            self.in_flight[v.arn] = None
        else:
            self.in_flight.pop(v.arn, None)
        if v.status is _ACTIVE:
            self.active_any = self.active_any or v
            if v.mode is _FULL:
                self.active_full = self.active_full or v
            elif v.mode is None:
                self.active_unknown_mode = self.active_unknown_mode or v
        if v.mode is _FULL and self.newest_full is not v and newer(v, self.newest_full):
            self.newest_full = v

    def unindex(self, v: VersionRecord) -> bool:
        """Drop a version from the indexes; true if an index must be rebuilt."""
        self.in_flight.pop(v.arn, None)
        return v in (self.active_any, self.active_full, self.active_unknown_mode, self.newest_full)

    def stale_index(self, v: VersionRecord) -> bool:
        """Whether an index points at ``v`` although ``v`` no longer qualifies for it."""
        active = v.status is _ACTIVE
        return (
            (self.active_any is v and not active)
            or (self.active_full is v and not (active and v.mode is _FULL))
            or (self.active_unknown_mode is v and not (active and v.mode is None))
            or (self.newest_full is v and v.mode is not _FULL)
        )


def newer(v: VersionRecord, than: VersionRecord | None) -> bool:
    if than is None:
        return True
    if v.created is None or than.created is None:
        return v.created is None  # a version created under observation is the newest
    return v.created > than.created
