"""The Tracker: svstate's picture of the world, kept current by observations.

Rules in this file:

* State is plain records: one small slotted record per version (its status,
  mode and two timestamps), one per solution with the indexes the rules ask
  about (an ACTIVE FULL version, an ACTIVE one, the newest FULL one, those in
  flight, its campaigns). ``preflight`` reads the indexes, never every
  version, so it costs the same for a solution with 10 or 10,000 versions.
* An observation never moves a version backwards: one older than what is
  held (by ``lastUpdatedDateTime``, or by lifecycle order) is ignored and
  reported as stale (SV506). A change the lifecycle cannot make is reported
  (SV501) and, being the service's newest word, applied.
* Absence proves something only when the tracker has seen the complete list
  (every page of ListSolutionVersions for the solution, or the solution's
  creation and every version since); otherwise ``preflight`` answers UNKNOWN.
* One lock guards the state; ``preflight`` copies what it needs under the
  lock and evaluates the rules outside it.
* ``snapshot()`` stores facts only; the indexes are derived again on
  ``restore()`` (:mod:`svstate._snapshot`; the records are
  :mod:`svstate._records`'s).
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import threading
from collections.abc import Callable
from typing import Any, Literal, TypeGuard

from svstate import _shared, _snapshot
from svstate._arn import (
    ARN_MAX,
    SOLUTION,
    SOLUTION_LATEST,
    SOLUTION_VERSION,
    arn_kind,
    arn_matches,
    is_version_under,
)
from svstate._catalogue import CHAIN_OPS, RULES
from svstate._chaincheck import evaluate_chain
from svstate._chaintrack import OBSERVED_CHAIN, ChainMemory, chain_refresh
from svstate._errors import SvstateError
from svstate._facts import CampaignRow, SolutionFacts, VersionTable
from svstate._fast import create_solution_version_check
from svstate._lifecycle import IN_FLIGHT, Lifecycle, lifecycle_for
from svstate._preflight import BY_NAME, DEFAULT_ACCOUNT_QUOTA, evaluate, operation_name
from svstate._records import SolutionRecord, VersionRecord, epoch
from svstate._rules import IN_FLIGHT_SHOWN, target_of
from svstate._rulesets import DEFAULT_RULESET, Ruleset, resolve_ruleset
from svstate._text import describe, snake_case
from svstate._timestamps import seconds
from svstate._verdict import Finding, Verdict, conclude
from svstate._vocab import MODE_BY_VALUE, STATUS_BY_VALUE, Status, TrainingMode, read_status
from svstate.stores import MemoryStore, Store, StoreUnavailable

__all__ = ["Tracker"]

_ACTIVE = Status.ACTIVE
_PENDING = Status.CREATE_PENDING
_FULL = TrainingMode.FULL
_UPDATE = TrainingMode.UPDATE
_DELETING = frozenset({Status.DELETE_PENDING, Status.DELETE_IN_PROGRESS})
_PASSED_FACTS = frozenset({"dataset_imports", "account_in_flight", "account_quota"})
_CHAIN = frozenset(CHAIN_OPS)
# Each name (API and boto3) of an operation the tracker's records decide, not the chain's.
_LOCAL_OPS = {name: op for name, op in BY_NAME.items() if op not in _CHAIN}
_UNSYNCED_KEPT = 10_000  # records kept for the store while it cannot be reached


@functools.cache
def _clean(rs: Ruleset) -> Verdict:
    return conclude([], (), rs.name, "observe")


# The operations whose responses a Tracker takes in, and the method that reads each.
OBSERVED: dict[str, str] = {
    "CreateSolution": "_create_solution",
    "DescribeSolution": "_describe_solution",
    "ListSolutions": "_list_solutions",
    "DeleteSolution": "_delete_solution",
    "CreateSolutionVersion": "_create_version",
    "DescribeSolutionVersion": "_describe_version",
    "ListSolutionVersions": "_list_versions",
    "StopSolutionVersionCreation": "_stop_version",
    "CreateCampaign": "_create_campaign",
    "DescribeCampaign": "_describe_campaign",
    "ListCampaigns": "_list_campaigns",
}


class Tracker:
    """Keeps the latest known state of solutions and versions, fed by observations.

    Feed it what boto3 returns (:meth:`observe`), ask it before a call
    (:meth:`preflight`). Thread-safe.

    >>> import svstate
    >>> t = svstate.Tracker()
    >>> arn = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
    >>> _ = t.observe("CreateSolution", {"name": "movies", "datasetGroupArn":
    ...     "arn:aws:personalize:us-east-1:123456789012:dataset-group/movies",
    ...     "recipeArn": "arn:aws:personalize:::recipe/aws-hrnn-coldstart"},
    ...     {"solutionArn": arn})
    >>> v = t.preflight("CreateSolutionVersion", {"solutionArn": arn})
    >>> v.decision.value, v.findings[0].rule, str(v.findings[0].severity)
    ('allow', 'SV201', 'warning')
    >>> "inferred from the CreateSolution call, not observed" in v.findings[0].message
    True
    >>> _ = t.observe("DescribeSolution", {"solutionArn": arn},
    ...               {"solution": {"solutionArn": arn, "status": "ACTIVE"}})
    >>> t.preflight("CreateSolutionVersion", {"solutionArn": arn}).findings
    ()
    >>> print(t.preflight("CreateSolutionVersion", {"solutionArn": arn, "trainingMode": "UPDATE"}))
    DENY CreateSolutionVersion (ruleset 2025-12-01)
      error SV301 trainingMode: UPDATE needs an ACTIVE FULL version of solution movies; solution movies has no versions. Hint: Create a version with trainingMode FULL and wait until it is ACTIVE.
    """

    __module__ = "svstate"

    def __init__(self, *, ruleset: object = DEFAULT_RULESET, store: Store | None = None):
        if store is not None and not isinstance(store, Store):
            raise SvstateError(
                f"store is {describe(store)}; pass a svstate.stores store (MemoryStore, "
                "RedisStore) or None for this tracker's own memory."
            )
        self._rs = resolve_ruleset(ruleset)
        self._lc: Lifecycle = lifecycle_for(self._rs)
        self._clean = _clean(self._rs)  # the verdict of an observation without findings
        self._csv = create_solution_version_check(self._rs)
        # For an observed status string: the status a new version may be seen in, and,
        # per status held, the status a legal step (or none) leads to.
        reachable = self._lc.reachable
        self._born = {s.value: s for s in reachable}
        self._forward = {
            old: {
                s.value: s for s in {old, *(s for s in reachable.get(old, ()) if s in reachable)}
            }
            for old in Status
        }
        self._lock = threading.Lock()
        self._solutions: dict[str, SolutionRecord] = {}
        self._versions: dict[str, VersionRecord] = {}
        # The API or boto3 name straight to its handler: one lookup per observation.
        self._chain = ChainMemory()
        self._handlers = self._observers()
        # The shared store, if any (svstate._shared): records touched by an observation,
        # what was last read of each solution, and what could not be written yet.
        self._store: Store | None = store
        self._leases: Store = store if store is not None else MemoryStore()
        self._touched: list[Any] | None = None
        self._pulled: dict[str, dict[str, str]] = {}
        self._unsynced: list[Any] = []

    def _observers(
        self,
    ) -> dict[str, Callable[[dict[Any, Any], dict[Any, Any], list[Finding]], None]]:
        """The API or boto3 name straight to its handler: one lookup per observation."""
        return {
            alias: self._observer(name)
            for name in {*OBSERVED, *OBSERVED_CHAIN}
            for alias in (name, snake_case(name))
        }

    def _observer(
        self, name: str
    ) -> Callable[[dict[Any, Any], dict[Any, Any], list[Finding]], None]:
        """The handler of one operation: the solution records', the chain memory's, or both."""
        own = getattr(self, OBSERVED[name]) if name in OBSERVED else None
        if name not in OBSERVED_CHAIN:
            assert own is not None
            return own  # type: ignore[no-any-return]
        chain = self._chain

        def both(request: dict[Any, Any], response: dict[Any, Any], out: list[Finding]) -> None:
            if own is not None:
                own(request, response, out)
            chain.observe(name, request, response, out)

        return both

    @property
    def store(self) -> Store | None:
        """The shared store this tracker writes to and reads from, or ``None``."""
        return self._store

    @property
    def ruleset(self) -> Ruleset:
        """The ruleset the tracker judges by."""
        return self._rs

    def __len__(self) -> int:
        """How many solution versions are tracked."""
        return len(self._versions)

    # -- observing ----------------------------------------------------------------------

    def observe(self, operation: str, params: object, response: object) -> Verdict:
        """Take in what one Personalize call returned (a response dict, or an error).

        ``operation`` is the API or boto3 name of CreateSolution,
        DescribeSolution, ListSolutions, DeleteSolution, CreateSolutionVersion,
        DescribeSolutionVersion, ListSolutionVersions, StopSolutionVersionCreation,
        CreateCampaign, DescribeCampaign or ListCampaigns, or any create,
        describe, list, update or delete of the rest of the chain (dataset
        groups to filters); other operations are ignored. ``response`` is the parsed response, a parsed error response
        (``{"Error": {"Code": ...}}``) or a botocore ``ClientError``; a
        ResourceNotFoundException forgets the resource. Returns a verdict
        whose findings report stale (SV506) or illegal (SV501) observations,
        by each resource's declared lifecycle, and unknown statuses (SV502);
        it never raises on malformed input.
        """
        handler = self._handlers.get(operation) if isinstance(operation, str) else None
        if handler is None:
            return self._clean
        request = params if isinstance(params, dict) else {}
        out: list[Finding] = []
        # A success's response is a dict without "Error": the common case, read at once.
        if type(response) is dict and "Error" not in response:
            if self._store is None:  # and nothing to share: the handler alone
                self._lock.acquire()  # not "with": the lock's context manager costs more
                try:
                    handler(request, response, out)
                finally:
                    self._lock.release()
                return conclude(out, (), self._rs.name, "observe") if out else self._clean
            code = None
        else:
            code = _error_code(response)
        with self._lock:
            if self._store is not None:
                self._touched = []
            if code is not None:
                if code == "ResourceNotFoundException":
                    self._forget(request)
                    self._chain.forget(operation, request)
            elif isinstance(response, dict):
                handler(request, response, out)
            touched, self._touched = self._touched, None
            if touched:
                touched = self._unsynced + touched
                writes = _shared.encode(self._lc, touched)
        if touched:  # what cannot be written is kept, and written with the next call
            self._write(touched, writes, out)
        if not out:
            return self._clean
        return conclude(out, (), self._rs.name, "observe")

    def _write(
        self, touched: list[Any], writes: dict[str, list[tuple[str, str]]], out: list[Finding]
    ) -> bool:
        """Merge ``writes`` into the store; on failure keep ``touched`` for the next call."""
        assert self._store is not None
        try:
            for solution, fields in writes.items():
                self._store.merge(solution, fields)
        except StoreUnavailable as error:
            with self._lock:
                self._unsynced = touched[-_UNSYNCED_KEPT:]
            out.append(
                RULES["SV404"].finding(
                    f"{error} The observation is kept in this tracker only.", "store"
                )
            )
            return False
        with self._lock:
            if self._unsynced and touched[: len(self._unsynced)] == self._unsynced:
                self._unsynced = []
        return True

    def _touch(self, record: Any) -> None:
        if self._touched is not None:
            self._touched.append(record)

    def _read(self, solution: str) -> Finding | None:
        """Bring ``solution`` up to date from the store (and write what is pending);
        the SV404 finding if the store cannot be reached."""
        assert self._store is not None
        if self._unsynced:
            with self._lock:
                pending = list(self._unsynced)
                writes = _shared.encode(self._lc, pending)
            out: list[Finding] = []
            if not self._write(pending, writes, out):
                return out[0]
        try:
            fields = self._store.load(solution)
        except StoreUnavailable as error:
            return RULES["SV404"].finding(
                f"{error} The verdict rests on what this worker saw alone.",
                "store",
                "Bring the store back, or decide with the guard's unknown= policy.",
            )
        if fields:
            with self._lock:
                _shared.apply(self, solution, fields)
        return None

    def _parent(self, arn: str) -> SolutionRecord | Literal[False] | None:
        """For a string that should be a new version's ARN: its solution if the tracker
        holds it, ``None`` if not, ``False`` if it is not a solution version ARN.

        Under a held solution (whose ARN was checked) one segment more is checked;
        otherwise the whole ARN."""
        head, _, segment = arn.rpartition("/")
        known = self._solutions.get(head)
        if known is not None:
            # A plain id of letters and digits needs only the length checked; else the
            # segment's pattern (is_version_under gives the same answer for such ids).
            plain = len(arn) <= ARN_MAX and segment.isascii() and segment.isalnum()
            return known if plain or is_version_under(arn, head) else False
        return None if _is_arn(arn, SOLUTION_VERSION) else False

    def _solution(self, arn: str) -> SolutionRecord:
        found = self._solutions.get(arn)
        if found is None:
            found = self._solutions[arn] = SolutionRecord(arn)
        return found

    def _create_solution(
        self, params: dict[Any, Any], response: dict[Any, Any], out: list[Finding]
    ) -> None:
        arn = response.get("solutionArn")
        if not _is_arn(arn, SOLUTION):
            return
        sol = self._solution(arn)
        if sol.status is None:
            sol.status = Status.CREATE_PENDING
            sol.inferred = "CreateSolution"
            sol.complete = True  # a new solution has no versions and no campaigns
            sol.campaigns_complete = True
        automl = params.get("performAutoML") is True
        self._touch(sol)
        sol.automl = automl
        recipe = params.get("recipeArn")
        if isinstance(recipe, str) and not automl:
            sol.recipe = recipe

    def _solution_fact(self, fact: object, out: list[Finding], path: str) -> SolutionRecord | None:
        if not isinstance(fact, dict):
            return None
        arn = fact.get("solutionArn")
        if not _is_arn(arn, SOLUTION):
            return None
        sol = self._solution(arn)
        updated = epoch(fact.get("lastUpdatedDateTime"))
        if updated is not None and sol.updated is not None and updated < sol.updated:
            out.append(
                RULES["SV506"].finding(
                    f"{path} was last updated before what the tracker holds; it is ignored.", path
                )
            )
            return None
        read = read_status(fact.get("status"))
        if read is None and fact.get("status") is not None:
            out.append(
                RULES["SV502"].finding(
                    f"{path}.status {describe(fact.get('status'))} is not a documented status; the "
                    "solution's status is left as it was.",
                    f"{path}.status",
                )
            )
        elif read is not None:
            sol.status = read[0]
            sol.inferred = None
        sol.updated = updated if updated is not None else sol.updated
        if fact.get("performAutoML") is True:
            sol.automl = True
            result = fact.get("autoMLResult")
            best = result.get("bestRecipeArn") if isinstance(result, dict) else None
            sol.recipe = best if isinstance(best, str) else sol.recipe
        elif isinstance(fact.get("recipeArn"), str):
            sol.recipe = fact["recipeArn"]
        self._touch(sol)
        return sol

    def _describe_solution(
        self, params: dict[Any, Any], response: dict[Any, Any], out: list[Finding]
    ) -> None:
        fact = response.get("solution")
        sol = self._solution_fact(fact, out, "solution")
        if sol is not None and isinstance(fact, dict):
            latest = fact.get("latestSolutionVersion")
            if isinstance(latest, dict):
                self._version_fact(latest, out, "solution.latestSolutionVersion")

    def _list_solutions(
        self, params: dict[Any, Any], response: dict[Any, Any], out: list[Finding]
    ) -> None:
        items = response.get("solutions")
        if isinstance(items, list):
            for i, fact in enumerate(items):
                self._solution_fact(fact, out, f"solutions[{i}]")

    def _delete_solution(
        self, params: dict[Any, Any], response: dict[Any, Any], out: list[Finding]
    ) -> None:
        arn = params.get("solutionArn")
        if _is_arn(arn, SOLUTION) and arn in self._solutions:
            self._solutions[arn].status = Status.DELETE_PENDING
            self._solutions[arn].inferred = "DeleteSolution"
            self._touch(self._solutions[arn])

    def _create_version(
        self, params: dict[Any, Any], response: dict[Any, Any], out: list[Finding]
    ) -> None:
        arn = response.get("solutionVersionArn")
        if type(arn) is not str or arn in self._versions:
            return
        known = self._parent(arn)
        if known is False:
            return
        mode = params.get("trainingMode", "FULL")
        sol = known if known is not None else self._solution(arn.rpartition("/")[0])
        v = VersionRecord(
            arn,
            sol,
            _PENDING,
            MODE_BY_VALUE.get(mode) if isinstance(mode, str) else None,
            None,
            None,
            "CreateSolutionVersion",
        )
        self._versions[arn] = v
        sol.hold(v)
        self._touch(v)

    def _describe_version(
        self, params: dict[Any, Any], response: dict[Any, Any], out: list[Finding]
    ) -> None:
        fact = response.get("solutionVersion")
        if type(fact) is dict and self._step_taken(fact) is not None:
            return
        if isinstance(fact, dict):
            self._version_fact(fact, out, "solutionVersion")
        else:
            _malformed(out, "solutionVersion", fact, "a solution version dict")

    def _step_taken(self, fact: dict[Any, Any]) -> VersionRecord | None:
        """The common observation, taken in at once: a version the tracker holds taking
        a legal step (or none), or a new version of a solution it holds, in a response
        as botocore parses it; its record. ``None``, with nothing changed, for anything
        else: then :meth:`_version_fact` reads it (and finds what is wrong), with the
        same result this would have had."""
        arn = fact.get("solutionVersionArn")
        raw = fact.get("status")
        if type(arn) is not str or type(raw) is not str:
            return None
        updated = seconds(fact.get("lastUpdatedDateTime"))
        if updated is False:
            return None
        v = self._versions.get(arn)
        parent = fact.get("solutionArn")
        mode_raw = fact.get("trainingMode")
        mode = MODE_BY_VALUE.get(mode_raw) if type(mode_raw) is str else None
        if v is None:
            status = self._born.get(raw)
            sol = self._parent(arn)
            if (
                status is None
                or not isinstance(sol, SolutionRecord)
                or (parent is not None and parent != sol.arn)
            ):
                return None
            created = seconds(fact.get("creationDateTime"))
            if created is False:
                return None
            v = VersionRecord(arn, sol, status, mode, created, updated)
            self._versions[arn] = v
            sol.hold(v)
        else:
            old = v.status
            status = self._forward[old].get(raw)
            if (
                status is None
                or (parent is not None and parent != v.solution.arn)
                or (updated is not None and v.updated is not None and updated < v.updated)
            ):
                return None
            if status is not old or (mode is not None and v.mode is not mode):
                old_mode = v.mode
                v.status = status
                if mode is not None:
                    v.mode = mode
                if old is _ACTIVE or v.mode is not old_mode:
                    self._update_index(v)  # an index may point at it wrongly now
                else:  # its status alone changed, from one not ACTIVE (see _update_index)
                    v.solution.restatus(v)
            v.inferred = None  # a response showed it
            if updated is not None:
                v.updated = updated
            if v.created is None:
                v.solution.date(v, epoch(fact.get("creationDateTime")))
        self._touch(v)
        return v

    def _version_fact(
        self, fact: dict[Any, Any], out: list[Finding], path: str
    ) -> VersionRecord | None:
        arn = fact.get("solutionVersionArn")
        raw = fact.get("status")
        status = STATUS_BY_VALUE.get(raw) if type(raw) is str else None
        if status is None:
            read = read_status(raw)
            if read is None:
                if raw is not None:
                    out.append(
                        RULES["SV502"].finding(
                            f"{path}.status {describe(raw)} is not a documented status; the "
                            "observation is ignored.",
                            f"{path}.status",
                        )
                    )
                return None
            status = read[0]
        if type(arn) is not str:
            _malformed(out, f"{path}.solutionVersionArn", arn, "a solution version ARN")
            return None
        v = self._versions.get(arn)
        if v is None:
            known = self._parent(arn)
            if known is False:
                _malformed(out, f"{path}.solutionVersionArn", arn, "a solution version ARN")
                return None
        parent = fact.get("solutionArn")
        if parent is not None and (v is None or parent != v.solution.arn):
            parent_ok = parent == arn.rpartition("/")[0]
        else:
            parent_ok = True
        if not parent_ok:
            out.append(
                RULES["SV603"].finding(
                    f"{path}.solutionVersionArn {describe(arn)} does not lie under solutionArn "
                    f"{describe(parent)}; the observation is ignored.",
                    f"{path}.solutionVersionArn",
                    error_code=None,
                )
            )
            return None
        mode_raw = fact.get("trainingMode")
        mode = MODE_BY_VALUE.get(mode_raw) if type(mode_raw) is str else None
        when = fact.get("lastUpdatedDateTime")
        updated = epoch(when)
        if v is None:
            if status not in self._lc.reachable:
                out.append(
                    RULES["SV501"].finding(
                        f"{path}.status {status.value} is not a status a solution version can have "
                        f"in ruleset {self._rs.name}; the observation is ignored.",
                        f"{path}.status",
                    )
                )
                return None
            sol = (
                known
                if isinstance(known, SolutionRecord)
                else self._solution(arn.rpartition("/")[0])
            )
            born = fact.get("creationDateTime")
            created = epoch(born)
            v = VersionRecord(arn, sol, status, mode, created, updated)
            self._versions[arn] = v
            sol.hold(v)
            self._touch(v)
            return v
        old = v.status
        if updated is not None and v.updated is not None and updated < v.updated:
            out.append(
                RULES["SV506"].finding(
                    f"{path} of {_short(arn)} ({status.value}) was last updated before what the "
                    f"tracker holds ({old.value}); it is ignored.",
                    path,
                )
            )
            return v
        if status is not old:
            reachable = self._lc.reachable
            if status not in reachable or status not in reachable[old]:
                if status in reachable and old in reachable[status]:
                    out.append(
                        RULES["SV506"].finding(
                            f"{path} says {_short(arn)} is {status.value}, but the tracker holds "
                            f"the later {old.value}; it is ignored.",
                            path,
                        )
                    )
                    return v
                out.append(
                    RULES["SV501"].finding(
                        f"{_short(arn)} went from {old.value} to {status.value}, which the "
                        "lifecycle does not allow.",
                        f"{path}.status",
                        "Report it: the service broke its own lifecycle, or the facts are mixed up.",
                    )
                )
                if status not in reachable:
                    return v
            v.status = status
            v.inferred = None
            if mode is not None:
                v.mode = mode
            self._update_index(v)
        elif mode is not None and v.mode is not mode:
            v.mode = mode
            self._update_index(v)
        v.inferred = None  # a response showed it
        if updated is not None:
            v.updated = updated
        if v.created is None:
            v.solution.date(v, epoch(fact.get("creationDateTime")))
        self._touch(v)
        return v

    def _list_versions(
        self, params: dict[Any, Any], response: dict[Any, Any], out: list[Finding]
    ) -> None:
        items = response.get("solutionVersions")
        if not isinstance(items, list):
            _malformed(out, "solutionVersions", items, "a list of version summaries")
            return
        seen = set()
        whole = True
        for i, fact in enumerate(items):
            v = self._step_taken(fact) if type(fact) is dict else None
            if v is not None:
                pass
            elif isinstance(fact, dict):
                v = self._version_fact(fact, out, f"solutionVersions[{i}]")
            else:
                _malformed(out, f"solutionVersions[{i}]", fact, "a version summary dict")
            if v is None:
                whole = False  # an entry the tracker could not read: the list proves no absence
            else:
                seen.add(v.arn)
        arn = params.get("solutionArn")
        if not _is_arn(arn, SOLUTION):
            return
        sol = self._solution(arn)
        token = params.get("nextToken")
        if token is None:
            listed = seen
        elif sol.listing is not None and sol.listing[1] == token:
            listed = sol.listing[0] | seen
        else:
            sol.listing = None  # a page of a listing the tracker did not see begin
            return
        if not whole:
            sol.listing = None
            return
        following = response.get("nextToken")
        if isinstance(following, str) and following:
            sol.listing = (listed, following)
        else:
            sol.listing = None
            sol.complete = True  # every page seen: the list is whole
            self._touch(sol)

    def _stop_version(
        self, params: dict[Any, Any], response: dict[Any, Any], out: list[Finding]
    ) -> None:
        arn = params.get("solutionVersionArn")
        v = self._versions.get(arn) if isinstance(arn, str) else None
        if v is None:
            return
        after = self._lc.next_status.get((v.status, "stop"))
        if after is not None:
            v.status = after
            v.inferred = "StopSolutionVersionCreation"
            self._update_index(v)
            self._touch(v)

    def _campaign_fact(
        self, fact: object, sol: SolutionRecord | None, inferred: str | None = None
    ) -> None:
        if not isinstance(fact, dict):
            return
        arn = fact.get("campaignArn")
        if not isinstance(arn, str):
            return
        if sol is None:
            target = fact.get("solutionVersionArn")
            if not isinstance(target, str) or not arn_matches(target):
                return
            kind = arn_kind(target)
            if kind not in (SOLUTION_VERSION, SOLUTION_LATEST):
                return
            sol = self._solution(target.rpartition("/")[0])
        read = read_status(fact.get("status"))
        sol.campaigns[arn] = read[0] if read else None
        if inferred is None:
            sol.campaigns_inferred.pop(arn, None)
        else:
            sol.campaigns_inferred[arn] = inferred

    def _create_campaign(
        self, params: dict[Any, Any], response: dict[Any, Any], out: list[Finding]
    ) -> None:
        self._campaign_fact(
            {
                "campaignArn": response.get("campaignArn"),
                "status": "CREATE PENDING",
                "solutionVersionArn": params.get("solutionVersionArn"),
            },
            None,
            "CreateCampaign",
        )

    def _describe_campaign(
        self, params: dict[Any, Any], response: dict[Any, Any], out: list[Finding]
    ) -> None:
        self._campaign_fact(response.get("campaign"), None)

    def _list_campaigns(
        self, params: dict[Any, Any], response: dict[Any, Any], out: list[Finding]
    ) -> None:
        arn = params.get("solutionArn")
        items = response.get("campaigns")
        if not _is_arn(arn, SOLUTION) or not isinstance(items, list):
            return
        sol = self._solution(arn)
        if params.get("nextToken") is None and not response.get("nextToken"):
            sol.campaigns = {}  # one whole page: the complete list
            sol.campaigns_inferred = {}
            sol.campaigns_complete = True
        for fact in items:
            self._campaign_fact(fact, sol)

    def _forget(self, params: dict[Any, Any]) -> None:
        version = params.get("solutionVersionArn")
        if isinstance(version, str) and version in self._versions:
            v = self._versions.pop(version)
            self._touch(("gone", v.solution.arn, "v:" + version))
            v.solution.members.remove(v)
            if v.solution.unindex(v):
                v.solution.rebuild()
            return
        solution = params.get("solutionArn")
        if isinstance(solution, str) and solution in self._solutions:
            self._touch(("gone", solution, _shared.SOLUTION))
            del self._solutions[solution]
            prefix = solution + "/"
            for arn in [a for a in self._versions if a.startswith(prefix)]:
                del self._versions[arn]

    def _update_index(self, v: VersionRecord) -> None:
        """Bring the solution's indexes up to date after ``v`` changed.

        Every index holds only versions that qualify for it (each change of a
        version's status or mode comes here), so one can point at ``v`` wrongly only
        if ``v`` left ACTIVE or changed its mode; otherwise ``SolutionRecord.index``
        alone is enough (and where only the status changed, from one not ACTIVE,
        ``SolutionRecord.restatus``: the quick step calls that)."""
        if v.solution.stale_index(v):
            v.solution.rebuild()
        else:
            v.solution.index(v)

    # -- asking -------------------------------------------------------------------------

    def preflight(self, operation: str, params: object, **facts: Any) -> Verdict:
        """The pre-flight verdict of a call, from what the tracker has seen.

        Takes the same operations and params as :func:`svstate.preflight`;
        keyword ``facts`` (``dataset_imports``, ``account_in_flight``,
        ``account_quota``) are passed through. UNKNOWN names what the tracker
        has not seen enough of (``"solution"``, ``"versions"``,
        ``"campaigns"``). The cost does not grow with the number of versions.
        """
        # The common call, at once: one lookup resolves the name and says it is not chained.
        local = _LOCAL_OPS.get(operation) if type(operation) is str else None
        if local is not None and not facts and self._store is None:
            return self._local_preflight(local, params, facts)
        op = BY_NAME.get(operation) if type(operation) is str else None
        if op is None:
            op = operation_name(operation)  # raises, naming what is modelled
        unknown = set(facts) - _PASSED_FACTS if facts else None
        if unknown:
            raise SvstateError(
                f"Tracker.preflight takes dataset_imports, account_in_flight and "
                f"account_quota as facts, not {', '.join(sorted(map(repr, unknown)))}; the "
                "tracker supplies the solution, its versions and its campaigns, and the "
                "rest of the chain, itself."
            )
        if op in _CHAIN:
            return self._evaluate_chain(op, params, facts.get("dataset_imports"))
        if self._store is not None:
            return self._shared_preflight(op, params, facts)
        return self._local_preflight(op, params, facts)

    def _shared_preflight(self, op: str, params: object, facts: dict[str, Any]) -> Verdict:
        """The verdict once the solution's records are read from the store; with the
        store out of reach, what this tracker alone holds, UNKNOWN at best (SV404)."""
        _, _, solution_arn = target_of(op, params if isinstance(params, dict) else {})
        problem = self._read(solution_arn) if solution_arn is not None else None
        verdict = self._local_preflight(op, params, facts)
        if problem is None:
            return verdict
        return conclude(
            [*verdict.findings, problem], [*verdict.missing, "store"], self._rs.name, op
        )

    def _local_preflight(self, op: str, params: object, facts: dict[str, Any]) -> Verdict:
        if op == "CreateSolutionVersion" and (
            not facts
            or (facts.get("dataset_imports") is None and facts.get("account_in_flight") is None)
        ):
            fast = self._fast_create_version(params)
            if fast is not None:
                return fast
        return self._evaluate(op, params, facts)

    def _evaluate_chain(self, op: str, params: object, imports: object = None) -> Verdict:
        """A chain operation's verdict, over what the chain memory and the records hold
        (and the caller's ``dataset_imports``, which win over the memory's)."""
        request = params if isinstance(params, dict) else {}
        with self._lock:
            facts: dict[str, object] = self._chain.facts(request)
            if imports is not None:
                facts["dataset_imports"] = imports
            if op == "DeleteDataset":
                self._dataset_users(request, facts)
            elif op == "DeleteSchema":
                schema = request.get("schemaArn")
                using = [
                    d
                    for d in self._chain.described.get("dataset", {}).values()
                    if d.get("schemaArn") == schema
                ]
                if using:  # a dataset known to exist uses it: certain. None known: not proof.
                    facts["datasets"] = using
            version = request.get("solutionVersionArn")
            v = self._versions.get(version) if isinstance(version, str) else None
            if v is not None and v.inferred is None:
                facts["solution_version"] = {"solutionVersionArn": v.arn, "status": v.status.value}
            if isinstance(version, str) and version.endswith("/$LATEST"):
                sol = self._solutions.get(version[: -len("/$LATEST")])
                if sol is not None and (sol.complete or sol.active_any is not None):
                    facts["versions"] = [
                        {"solutionVersionArn": x.arn, "status": x.status.value}
                        for x in (sol.active_any,)
                        if x is not None
                    ]
        return evaluate_chain(op, params, self._rs, facts)

    def _group_of(self, request: dict[Any, Any]) -> str | None:
        """The dataset group of the dataset a request names, if a response has shown it."""
        dataset = self._chain.described.get("dataset", {}).get(request.get("datasetArn"))  # type: ignore[arg-type]
        group = dataset.get("datasetGroupArn") if dataset is not None else None
        return group if isinstance(group, str) else None

    def _live_solutions(self, group: str) -> list[str] | None:
        """The ARNs of the group's solutions not being deleted, once the group was listed."""
        listing = self._chain.listed.get(("solution", group))
        if listing is None:
            return None
        return [a for a, s in listing.items() if not str(s.get("status", "")).startswith("DELETE")]

    def _dataset_users(self, request: dict[Any, Any], facts: dict[str, object]) -> None:
        """DeleteDataset's facts: the solutions of the dataset's group and, once every live
        one's versions are known, those in flight (the only ones SV904 reads)."""
        group = self._group_of(request)
        live = self._live_solutions(group) if group is not None else None
        if group is None or live is None:
            return
        facts["solutions"] = list(self._chain.listed[("solution", group)].values())
        versions: list[dict[str, str]] = []
        for arn in live:
            sol = self._solutions.get(arn)
            if sol is None or not sol.complete:
                return  # a solution whose versions are not all known: versions missing
            versions += (
                {"solutionVersionArn": v, "status": self._versions[v].status.value}
                for v in sol.in_flight
            )
        facts["versions"] = versions

    def _refresh_calls(
        self, op: str, params: object, missing: tuple[str, ...]
    ) -> list[tuple[str, bool, dict[str, str]]]:
        """The boto3 calls that would fetch what a chain verdict lacks (for the guard)."""
        request = dict(params) if isinstance(params, dict) else {}
        if op != "DeleteDataset":
            return chain_refresh(missing, request)
        with self._lock:
            group = self._group_of(request)
            live = self._live_solutions(group) if group is not None else None
            complete = {a for a in live or () if (s := self._solutions.get(a)) and s.complete}
        if group is None:  # the dataset's group first: DescribeDataset shows it
            calls = chain_refresh(tuple(m for m in missing if m != "solutions"), request)
            dataset = request.get("datasetArn")
            if "solutions" in missing and isinstance(dataset, str):
                calls.append(("describe_dataset", False, {"datasetArn": dataset}))
            return calls
        request["datasetGroupArn"] = group
        calls = chain_refresh(tuple(m for m in missing if m != "versions"), request)
        if "versions" in missing:
            calls += (
                ("list_solution_versions", True, {"solutionArn": a})
                for a in live or ()
                if a not in complete
            )
        return calls

    def _fast_create_version(self, params: object) -> Verdict | None:
        """A clean ALLOW of CreateSolutionVersion from the solution's indexes, or ``None``.

        The same verdict the full evaluation gives, read from what the
        tracker keeps per solution (its observed status, recipe, an ACTIVE FULL
        version, those in flight): a dict lookup, whatever the number of
        versions. Anything less plain is left to :meth:`_evaluate`.
        """
        mode = self._csv.clean_request(params)
        if mode is None:
            return None
        assert type(params) is dict
        self._lock.acquire()  # not "with" (see observe)
        try:
            sol = self._solutions.get(params["solutionArn"])
            if sol is None or sol.status is not _ACTIVE or sol.inferred is not None:
                return None
            if mode is _UPDATE and (
                sol.recipe not in self._rs.update_recipes
                or (sol.active_full is None and (self._csv.autotrain or sol.active_any is None))
            ):
                return None
            if not sol.in_flight:
                return self._csv.allowed
            # SV401 warns: the versions in flight in the order the full evaluation lists
            # them (the newest FULL one first, as _facts puts it, then the first seen).
            newest = sol.newest_full
            busy = [newest] if newest is not None and newest.status in IN_FLIGHT else []
            for arn in itertools.islice(sol.in_flight, IN_FLIGHT_SHOWN):
                v = self._versions[arn]
                if v is not newest and v.status in IN_FLIGHT:
                    busy.append(v)
            return self._csv.in_flight(sol.arn, busy) if busy else None
        finally:
            self._lock.release()

    def _evaluate(self, op: str, params: object, facts: dict[str, Any]) -> Verdict:
        """Every rule in force, over the records the tracker holds."""
        request = params if isinstance(params, dict) else {}
        target, kind, solution_arn = target_of(op, request)
        with self._lock:
            solution, versions, campaigns = self._facts(solution_arn, target, kind)
        return evaluate(
            op,
            params,
            self._rs,
            solution,
            versions,
            campaigns,
            facts.get("dataset_imports"),
            facts.get("account_in_flight"),
            facts.get("account_quota", DEFAULT_ACCOUNT_QUOTA),
            target=(target, kind, solution_arn),
        )

    def _facts(
        self, solution_arn: str | None, target: str | None, kind: str
    ) -> tuple[SolutionFacts | None, VersionTable | None, list[CampaignRow] | None]:
        """Records for the rules: the solution, a table of the versions that matter."""
        sol = self._solutions.get(solution_arn) if solution_arn is not None else None
        if sol is None:
            return None, None, None
        facts = None
        if sol.status is not None:
            path = "solution.autoMLResult.bestRecipeArn" if sol.automl else "solution.recipeArn"
            facts = SolutionFacts(sol.arn, sol.status, sol.recipe, path, None, None, sol.inferred)
        # The versions every rule can ask about: those that prove, those that deny, the target.
        chosen: dict[str, VersionRecord] = {}
        for v in (sol.active_full, sol.active_any, sol.active_unknown_mode, sol.newest_full):
            if v is not None:
                chosen[v.arn] = v
        for arn in itertools.islice(sol.in_flight, IN_FLIGHT_SHOWN):  # the first seen
            chosen[arn] = self._versions[arn]
        if kind == SOLUTION_VERSION and target in self._versions:
            chosen[target] = self._versions[target]
        if not chosen and not sol.complete:
            versions = None
        else:
            vs = list(chosen.values())
            versions = VersionTable(
                [v.arn for v in vs],
                [v.status for v in vs],
                [v.mode for v in vs],
                [{"creationDateTime": v.created} for v in vs],
                None,
                complete=sol.complete,
                inferred=[v.inferred for v in vs],
            )
            versions.more_in_flight = len(sol.in_flight) - sum(v.status in IN_FLIGHT for v in vs)
        rows = [
            CampaignRow(arn, status, f"campaigns[{arn}]", sol.campaigns_inferred.get(arn))
            for arn, status in sorted(sol.campaigns.items())
        ]
        live = any(r.status is not None and r.status not in _DELETING for r in rows)
        # A known live campaign proves one exists; only the whole list proves there is none.
        campaigns = rows if sol.campaigns_complete or live else None
        return facts, versions, campaigns

    # -- single flight (leases in the store) -----------------------------------------

    def acquire(
        self,
        solution_arn: str,
        holder: str,
        *,
        ttl: float = 60.0,
        call: str = "CreateSolutionVersion",
    ) -> Verdict:
        """Take the solution's single-flight lease for ``ttl`` seconds, in the store.

        ALLOW once ``holder`` holds it; DENY (SV403) naming the holder and its
        call while another holds it; UNKNOWN (SV404) when the store cannot be
        reached. The lease lapses after ``ttl`` seconds, so a holder that
        dies does not block the solution; :meth:`release` gives it back.
        Without a store, leases live in this tracker (its threads share them).

        >>> import svstate
        >>> t = svstate.Tracker()
        >>> arn = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
        >>> t.acquire(arn, "worker-1").decision.value
        'allow'
        >>> print(t.acquire(arn, "worker-2").findings[0].message)  # doctest: +ELLIPSIS
        Solution movies is held by worker-1 for CreateSolutionVersion; another worker's ...
        >>> t.release(arn, "worker-1"), t.acquire(arn, "worker-2").decision.value
        (True, 'allow')
        """
        if not _is_arn(solution_arn, SOLUTION):
            raise SvstateError(
                f"solution_arn is {describe(solution_arn)}; pass the ARN of a solution."
            )
        try:
            held = self._leases.acquire(solution_arn, holder, ttl, call)
        except StoreUnavailable as error:
            finding = RULES["SV404"].finding(
                f"{error} The single-flight lease could not be taken.",
                "store",
                "Bring the store back; until then the guard's unknown= policy decides.",
            )
            return conclude([finding], ["store"], self._rs.name, call)
        if held is None:
            return conclude([], (), self._rs.name, call)
        who, _, what = held.partition("\n")
        finding = RULES["SV403"].finding(
            f"Solution {_short(solution_arn)} is held by {who} for {what or 'a call'}; "
            "another worker's call is between its pre-flight and the service's answer.",
            "solutionArn",
            "Wait for that call to be answered (or its lease to lapse), then check again.",
        )
        return conclude([finding], (), self._rs.name, call)

    def release(self, solution_arn: str, holder: str) -> bool:
        """Give back the solution's lease if ``holder`` holds it; false if not (it lapsed,
        or another holds it). Raises :class:`~svstate.stores.StoreUnavailable` when the
        store cannot be reached (the lease then lapses by itself)."""
        if not isinstance(solution_arn, str) or not isinstance(holder, str):
            raise SvstateError(
                f"release takes a solution ARN and a holder string, not "
                f"{describe(solution_arn)} and {describe(holder)}."
            )
        return self._leases.release(solution_arn, holder)

    # -- durable state (svstate._snapshot) ---------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """The tracker's whole state as a JSON-serialisable dict (facts only).

        >>> import json, svstate
        >>> t = svstate.Tracker(ruleset="2021-05-20")
        >>> svstate.Tracker.restore(json.loads(json.dumps(t.snapshot()))).snapshot() == t.snapshot()
        True

        With a store, every solution the store holds is read first: the
        snapshot is the fleet's picture, not only this worker's (and raises
        :class:`~svstate.stores.StoreUnavailable` if the store cannot be read).
        """
        if self._store is not None:
            for arn in self._store.solutions():
                problem = self._read(arn)
                if problem is not None:
                    raise StoreUnavailable(problem.message)
        return _snapshot.document(self)  # under the tracker's lock

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`snapshot` to ``path`` atomically.

        The document goes to a temporary file beside ``path``, is flushed and
        fsynced, then renamed over ``path`` (and the directory fsynced), so a
        process killed at any moment leaves either the previous file or the
        new one, whole: never a half-written snapshot. A process killed before
        the rename leaves its temporary ``.svstate-*.tmp`` file beside ``path``;
        it is never read, and may be deleted.

        Raises :class:`~svstate.SvstateError` for something that is not a file
        path, or a directory that cannot be written.
        """
        target = _snapshot.file_path(path)
        _snapshot.write(target, json.dumps(self.snapshot(), separators=(",", ":")))

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, store: Store | None = None) -> Tracker:
        """A tracker from a file :meth:`save` wrote; :meth:`restore` checks it.

        Raises :class:`~svstate.SvstateError` naming the problem for a missing,
        unreadable, truncated or tampered file.
        """
        return cls.restore(_snapshot.read(_snapshot.file_path(path)), store=store)

    @classmethod
    def restore(cls, document: object, *, store: Store | None = None) -> Tracker:
        """A tracker from a :meth:`snapshot` document (a dict, or its JSON text).

        Raises :class:`~svstate.SvstateError` naming the first field that is not
        as :meth:`snapshot` writes it; a tracker is returned whole or not at all.
        With ``store``, the tracker shares it, and every record of the document
        is merged into it (an older record never overwrites a newer one there).
        """
        tracker = _snapshot.restore(cls, document)
        if store is not None:
            if not isinstance(store, Store):
                raise SvstateError(
                    f"store is {describe(store)}; pass a svstate.stores store or None."
                )
            tracker._store = tracker._leases = store
            records: list[Any] = [*tracker._solutions.values(), *tracker._versions.values()]
            for solution, fields in _shared.encode(tracker._lc, records).items():
                store.merge(solution, fields)
        return tracker


def _malformed(out: list[Finding], path: str, value: object, expected: str) -> None:
    out.append(
        RULES["SV505"].finding(
            f"{path} is {describe(value)}, not {expected}; the tracker ignores it.", path
        )
    )


def _is_arn(value: object, kind: str) -> TypeGuard[str]:
    return isinstance(value, str) and arn_matches(value) and arn_kind(value) == kind


def _short(arn: str) -> str:
    return arn.partition(":solution/")[2] or arn


def _error_code(response: object) -> str | None:
    """The AWS error code of a failed call's result, or ``None`` for a success."""
    if isinstance(response, BaseException):
        data = getattr(response, "response", None)
        error = data.get("Error") if isinstance(data, dict) else None
    elif isinstance(response, dict):
        error = response.get("Error")
    else:
        return None
    if isinstance(error, dict):
        code = error.get("Code")
        return code if isinstance(code, str) else "Unknown"
    return "Unknown" if isinstance(response, BaseException) else None
