"""What a :class:`~svstate.Tracker` holds: one small record per solution and per version.

Rules in this file:

* Records are plain slotted objects, no attrs: a tracker holds millions.
* A solution keeps the indexes the rules ask about (an ACTIVE version, an
  ACTIVE FULL one, one ACTIVE of unknown mode, the newest FULL one, those in
  flight), updated one version at a time by :meth:`SolutionRecord.index`, so
  a pre-flight reads them instead of every version. The indexes are a function
  of the versions held (and of the order they were first seen, which a snapshot
  keeps), not of the order their changes came in; a change that can take a
  version out of an index rebuilds them from the solution's own versions
  (``members``).
"""

from __future__ import annotations

from svstate._lifecycle import IN_FLIGHT
from svstate._timestamps import read_timestamp, seconds
from svstate._vocab import Status, TrainingMode

__all__ = ["SolutionRecord", "VersionRecord", "epoch", "rank"]

_ACTIVE = Status.ACTIVE
_FULL = TrainingMode.FULL


def epoch(value: object) -> float | None:
    """Seconds since the epoch for a boto3 timestamp, or ``None``."""
    found = seconds(value)  # botocore's own, an aware datetime: the common case
    if found is not False:
        return found
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
        "in_flight",
        "inferred",
        "listing",
        "members",
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
        self.members: list[VersionRecord] = []  # its versions known, in the order first seen
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

    def hold(self, v: VersionRecord) -> None:
        """Take in a version seen for the first time, and index it (the last seen: it
        wins a tie for the newest)."""
        self.members.append(v)
        self.index(v, last=True)

    def rebuild(self) -> None:
        """Every index afresh from the versions held (after one left an index)."""
        self.in_flight.clear()
        self.active_any = self.active_full = self.active_unknown_mode = self.newest_full = None
        for v in self.members:
            self.index(v, last=True)

    def date(self, v: VersionRecord, created: float | None) -> None:
        """Give ``v`` its creation time, once known; which FULL version is the newest
        may change (a version created under observation ranks first until dated)."""
        if created is None or created == v.created:
            return
        v.created = created
        if self.newest_full is not v:
            self.index(v)  # it may rank higher now
            return
        self.newest_full = None  # it may rank lower now: the newest afresh
        for other in self.members:
            if other.mode is _FULL and rank(other, self.newest_full) >= 0:
                self.newest_full = other

    def index(self, v: VersionRecord, *, last: bool = False) -> None:
        """Add one version's current status and mode to the indexes; ``last`` when no
        version held was seen after it.

        Each index is a function of the versions held, whatever order they were indexed
        in: the ACTIVE ones are the least ARN of those that qualify; the newest FULL
        is the latest created (:func:`rank`), of equals the last seen."""
        self.restatus(v)
        newest = self.newest_full
        if v.mode is _FULL and newest is not v:
            order = rank(v, newest)
            if order > 0 or (order == 0 and (last or self._seen_after(v, newest))):
                self.newest_full = v

    def restatus(self, v: VersionRecord) -> None:
        """The indexes of statuses after a version held changed its status alone, from
        one that was not ACTIVE (so no index can point at it wrongly): the newest FULL
        version, a function of modes, creation times and the order first seen, stays."""
        if v.status in IN_FLIGHT:
            self.in_flight[v.arn] = None
        else:
            self.in_flight.pop(v.arn, None)
        if v.status is _ACTIVE:
            if self.active_any is None or v.arn < self.active_any.arn:
                self.active_any = v
            if v.mode is _FULL:
                if self.active_full is None or v.arn < self.active_full.arn:
                    self.active_full = v
            elif v.mode is None and (
                self.active_unknown_mode is None or v.arn < self.active_unknown_mode.arn
            ):
                self.active_unknown_mode = v

    def _seen_after(self, v: VersionRecord, other: VersionRecord | None) -> bool:
        """Whether ``v`` was first seen after ``other`` (looked up from the latest)."""
        for held in reversed(self.members):
            if held is v:
                return True
            if held is other:
                return False
        return False

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


def rank(v: VersionRecord, than: VersionRecord | None) -> int:
    """1 if ``v`` was created after ``than`` (or ``than`` is ``None``), -1 if before,
    0 if at the same time: a version created under observation (no creation time
    yet) after every dated one."""
    if than is None:
        return 1
    mine, theirs = v.created, than.created
    if mine is None or theirs is None:
        return 0 if mine is theirs else 1 if mine is None else -1
    return 1 if mine > theirs else -1 if mine < theirs else 0
