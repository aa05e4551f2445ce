"""A fake Amazon Personalize: the backend that answers calls in-process from the model.

The boto3 client in front of it is built in :mod:`svstate.testing._fake_client`.

Rules in this file:

* Whether a modelled call (CreateSolutionVersion, StopSolutionVersionCreation,
  CreateCampaign, DeleteSolution) is accepted is decided by
  :func:`svstate.preflight` on the fake's own facts, so the fake and the
  rules cannot disagree. A denial answers with the error code the rule
  predicts and the finding's message.
* Time is a :class:`FakeClock`. Each resource holds a timeline of
  ``(time, status)`` points fixed when it is created (and cut short by a
  stop, a delete or :meth:`FakePersonalize.settle`); its status is read off
  the timeline at the clock's time. Nothing moves until the test advances the
  clock, and a long enough advance settles everything.
* Responses carry only the members the ruleset's API had (the dated shapes
  of ``svstate._shapes``): a 2019 ListSolutionVersions summary has no
  ``trainingMode``, as it did not then.
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
import random
import re
import threading
from collections.abc import Mapping
from typing import Any

from svstate._catalogue import CHAIN_OPS
from svstate._chain import BY_NAME as BY_CHAIN_NAME
from svstate._errors import SvstateError
from svstate._lifecycle import RESOURCE_CREATION, lifecycle_for
from svstate._preflight import OPERATIONS, preflight
from svstate._rulesets import AUTOTRAIN, Ruleset
from svstate._shapes import NAME, RESPONSES, check, model_shape
from svstate._text import describe, snake_case
from svstate._verdict import Verdict
from svstate._vocab import Decision, Severity, Status
from svstate.testing._fake_base import GONE as _GONE
from svstate.testing._fake_base import Resource as _Resource
from svstate.testing._fake_base import ServiceError as _ServiceError
from svstate.testing._fake_base import dated as _dated
from svstate.testing._fake_base import delete as _delete
from svstate.testing._fake_base import not_found as _not_found
from svstate.testing._fake_base import page as _page
from svstate.testing._fake_base import path as _path
from svstate.testing._fake_chain import GENERIC, GENERIC_OPERATIONS, ChainStore, chain_durations

__all__ = ["DEFAULT_DURATIONS", "FakeClock", "FakePersonalize", "faked_operations"]

_UTC = _dt.UTC
_START = _dt.datetime(2020, 1, 1, tzinfo=_UTC)

#: Default durations, in seconds, of each phase the fake simulates, on the service's time
#: scale. No public source states most of them exactly; each follows what one shows:
#:
#: * ``solution_pending`` + ``solution_in_progress`` (5 s): a solution is configuration, not
#:   training. The Developer Guide's Python example (getting-started-python) calls
#:   CreateSolutionVersion right after CreateSolution; the aws-samples Step Functions
#:   pipeline (ml_ops_ds_sdk) waits a fixed 30 s; the Guide's HPO example shows a solution
#:   ACTIVE with equal creationDateTime and lastUpdatedDateTime.
#: * ``version_pending`` + ``training`` (46 min): "This will take approximately 40-50
#:   minutes" (aws-samples getting-started notebook); other samples report 25 minutes to
#:   3.7 hours, depending on the data.
#: * ``stopping`` (2 min): not documented.
#: * ``campaign_pending`` + ``campaign_in_progress`` (10 min): "This should take about 10
#:   minutes" (getting-started notebook); "usually takes a few minutes but can take over an
#:   hour" (Developer Guide, User-Personalization recipe page).
#: * ``delete_pending`` + ``delete_in_progress`` (90 s): not documented.
#: * ``auto_training_delay`` (30 min): "Automatic solution version creation starts within
#:   one hour after the solution is ACTIVE" (API reference, CreateSolution).
#:
#: Every duration can be set per fake: ``fake_personalize(durations={"training": 60})``.
DEFAULT_DURATIONS: Mapping[str, float] = {
    "solution_pending": 1.0,  # CreateSolution: CREATE PENDING
    "solution_in_progress": 4.0,  # then CREATE IN_PROGRESS, then ACTIVE
    "version_pending": 60.0,  # CreateSolutionVersion: CREATE PENDING
    "training": 2700.0,  # then CREATE IN_PROGRESS, then ACTIVE (or CREATE FAILED)
    "stopping": 120.0,  # CREATE STOPPING before CREATE STOPPED
    "campaign_pending": 60.0,
    "campaign_in_progress": 540.0,
    "delete_pending": 30.0,  # DELETE PENDING, then DELETE IN_PROGRESS, then gone
    "delete_in_progress": 60.0,
    "auto_training_delay": 1800.0,  # first automatic version after the solution is ACTIVE
    # the rest of the chain (dataset groups to filters): from each resource's declaration
    **chain_durations(),
}


class FakeClock:
    """The fake's time: it moves only when a test advances it.

    >>> clock = FakeClock()
    >>> clock.now().isoformat()
    '2020-01-01T00:00:00+00:00'
    >>> clock.advance(90); clock.now().isoformat()
    '2020-01-01T00:01:30+00:00'
    """

    __module__ = "svstate.testing"

    def __init__(self, start: _dt.datetime = _START):
        if not isinstance(start, _dt.datetime):
            raise SvstateError(f"start is {describe(start)}; pass an aware datetime.")
        self._start = start if start.tzinfo is not None else start.replace(tzinfo=_UTC)
        self._elapsed = 0.0
        self._lock = threading.Lock()

    def now(self) -> _dt.datetime:
        """The current fake time (an aware datetime)."""
        return self._start + _dt.timedelta(seconds=self._elapsed)

    def seconds(self) -> float:
        """Seconds since the clock's start."""
        return self._elapsed

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` (a finite number, at least 0)."""
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not (0 <= seconds < float("inf"))
        ):
            raise SvstateError(
                f"seconds is {describe(seconds)}; pass a finite number of seconds, at least 0."
            )
        with self._lock:
            self._elapsed += float(seconds)

    def at(self, seconds: float) -> _dt.datetime:
        """The datetime ``seconds`` after the clock's start."""
        return self._start + _dt.timedelta(seconds=seconds)


def _newest_first(versions: list[_Resource]) -> list[_Resource]:
    """Versions newest first; those created at the same instant, last created first.

    ``versions`` is in creation order (the backend's dicts keep it); ids are
    random, so they never order anything.
    """
    order = sorted(range(len(versions)), key=lambda i: (versions[i].created, i), reverse=True)
    return [versions[i] for i in order]


class FakePersonalize:
    """The state behind a fake client: solutions, versions, campaigns, and test hooks.

    Reach it as ``client.fake`` on a client made by :func:`fake_personalize`.
    """

    __module__ = "svstate.testing"

    def __init__(
        self,
        ruleset: Ruleset,
        clock: FakeClock,
        durations: Mapping[str, float],
        region: str,
        account: str,
        quota: int,
        seed: int = 0,
    ):
        self.ruleset = ruleset
        #: The seed of the version ids: the same seed, the same ids in the same order.
        self.seed = seed
        self._id_source = random.Random(seed)
        self.clock = clock
        self.durations = durations
        self.region = region
        self.account = account
        self.quota = quota
        self._lock = threading.RLock()
        self._solutions: dict[str, _Resource] = {}
        self._versions: dict[str, _Resource] = {}
        self._campaigns: dict[str, _Resource] = {}
        #: The other resources of the chain (dataset groups to filters), answered generically.
        self.chain = ChainStore(
            ruleset, clock, durations, region, account, self._id_source, self._find
        )
        self._requests = itertools.count(1)
        self._fail_next: list[str] = []
        self._fail_next_update: list[str] = []
        self._settle_next = False
        #: Every call answered, in order: (operation, params).
        self.calls: list[tuple[str, dict[str, Any]]] = []
        #: Every call refused with an error: (operation, params, error code, message).
        self.refused: list[tuple[str, dict[str, Any], str, str]] = []

    def _new_version_arn(self, solution_arn: str) -> str:
        """A fresh version ARN: the solution's ARN, '/', and 8 hex digits, as the service's.

        The ids look random (code that sorts ARNs to find the newest version
        fails here as it would against the service) and follow from ``seed``.
        """
        while True:
            arn = f"{solution_arn}/{self._id_source.getrandbits(32):08x}"
            if arn not in self._versions:
                return arn

    # -- hooks for tests ----------------------------------------------------------------

    def statuses(self) -> dict[tuple[str, str], str | None]:
        """Every resource the fake holds, as ``(resource name, ARN)`` -> the status it shows now.

        Names are the chain's (``"dataset_group"``, ``"solution_version"``,
        ...); a campaign's latest UpdateCampaign is ``("campaign_update",
        "<campaign ARN>@<its creationDateTime, ISO 8601>")``, one key per
        update. A resource deleted and gone shows ``None``; a schema,
        which has no status, is left out.

        >>> from svstate.testing import fake_personalize
        >>> client = fake_personalize()
        >>> arn = client.create_dataset_group(name="movies")["datasetGroupArn"]
        >>> client.fake.statuses()[("dataset_group", arn)]
        'CREATE PENDING'
        """
        out: dict[tuple[str, str], str | None] = {}
        with self._lock:
            now = self._now()
            for name, table in self.chain.tables.items():
                if BY_CHAIN_NAME[name].lifecycle is None:
                    continue
                for arn, held in table.items():
                    status = self.chain.status(held)
                    out[name, arn] = None if status is _GONE else status.value
            for arn, sol in self._solutions.items():
                gone = sol.point(now)[1] is _GONE
                out["solution", arn] = None if gone else self._solution_dict(sol)["status"]
            for arn, v in self._versions.items():
                out["solution_version", arn] = self._version_dict(v)["status"]
            for arn, campaign in self._campaigns.items():
                if campaign.point(now)[1] is _GONE:
                    out["campaign", arn] = None
                    continue
                shown = self._describe_campaign({"campaignArn": arn})["campaign"]
                out["campaign", arn] = shown["status"]
                update = shown.get("latestCampaignUpdate")
                if isinstance(update, dict):
                    created = update.get("creationDateTime")
                    when = created.isoformat() if isinstance(created, _dt.datetime) else ""
                    out["campaign_update", f"{arn}@{when}"] = update.get("status")
        return out

    def load(self, *sources: object) -> list[str]:
        """Start from what a real account showed: the saved output of ``describe-*`` / ``list-*``.

        Each source is the path of a JSON file the AWS CLI wrote (``aws
        personalize describe-solution --solution-arn ... > solution.json``)
        or the dict a boto3 describe or list call returned. Every resource in
        them is loaded with its status and times; one still being created or
        deleted goes on from now along its lifecycle. Sources are checked
        first and loaded all or nothing: every problem found (a summary that
        lacks the parent, an ARN of another account, a time after the
        fake's clock, ...) is reported in one :class:`~svstate.SvstateError`.

        :returns: the ARNs loaded, parents first.

        >>> import datetime as dt
        >>> from svstate.testing import FakeClock, fake_personalize
        >>> client = fake_personalize(clock=FakeClock(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
        >>> group = "arn:aws:personalize:us-east-1:123456789012:dataset-group/shop"
        >>> client.fake.load({"datasetGroup": {"name": "shop", "datasetGroupArn": group,
        ...     "status": "ACTIVE", "creationDateTime": "2025-06-01T09:00:00+00:00"}})
        ['arn:aws:personalize:us-east-1:123456789012:dataset-group/shop']
        >>> client.describe_dataset_group(datasetGroupArn=group)["datasetGroup"]["status"]
        'ACTIVE'
        """
        from svstate.testing._seed import load_state

        return load_state(self, sources)

    def fail_next_training(
        self,
        reason: str = "Create failed. Dataset has fewer than 25 "
        "users with at least 2 interactions each.",
    ) -> None:
        """Make the next version created fail at the end of training with ``reason``."""
        if not isinstance(reason, str):
            raise SvstateError(f"reason is {describe(reason)}; pass the failureReason text.")
        with self._lock:
            self._fail_next.append(reason)

    def fail_next(self, resource: str, reason: str) -> None:
        """Make the next ``resource`` created fail with ``reason`` as its failureReason.

        ``resource`` is a name of the chain: ``"dataset_import_job"`` (say, a
        missing column in the CSV), ``"dataset_group"``, ``"dataset"``,
        ``"batch_inference_job"``, ``"event_tracker"``, ``"filter"``,
        ``"solution_version"`` (as :meth:`fail_next_training`) or
        ``"campaign_update"`` (the next UpdateCampaign; the campaign keeps serving
        what it served).

        >>> from svstate.testing import fake_personalize
        >>> fake_personalize().fake.fail_next("dataset_import_job",
        ...     "Input CSV is missing the following columns: [ITEM_ID]")
        """
        names = [r.name for r in GENERIC if r.lifecycle is not None]
        names += ["solution_version", "campaign_update"]
        if resource not in names:
            raise SvstateError(
                f"resource is {describe(resource)}; pass one of {', '.join(names)}."
            )
        if not isinstance(reason, str) or not reason:
            raise SvstateError(f"reason is {describe(reason)}; pass the failureReason text.")
        with self._lock:
            if resource == "solution_version":
                self._fail_next.append(reason)
            elif resource == "campaign_update":
                self._fail_next_update.append(reason)
            else:
                self.chain.fail_next(resource, reason)

    def settle_next_training(self) -> None:
        """Make the next version created settle (ACTIVE or FAILED) the moment it is created."""
        with self._lock:
            self._settle_next = True

    def settle(self, arn: str | None = None) -> None:
        """Settle a version (or every version being created) now: no more time needed.

        A version in CREATE PENDING or CREATE IN_PROGRESS reaches the end of
        its training at once (ACTIVE, or CREATE FAILED if it was set to
        fail); one that is stopping becomes CREATE STOPPED.
        """
        with self._lock:
            now = self.clock.seconds()
            if arn is not None and (not isinstance(arn, str) or arn not in self._versions):
                raise SvstateError(f"{describe(arn)} is not a version of this fake.")
            for version in [self._versions[arn]] if arn else list(self._versions.values()):
                final = version.timeline[-1]
                if final[0] > now:
                    status = version.point(now)[1]
                    assert status is not None  # a version is never gone while its solution lives
                    started = lifecycle_for(self.ruleset).next_status.get((status, "start"))
                    path = [(now, started)] if started is not None else []
                    version.cut(now, *path, (now, final[1]))

    # -- statuses -----------------------------------------------------------------------

    def _now(self) -> float:
        return self.clock.seconds()

    def _alive(self, table: dict[str, _Resource], arn: object) -> _Resource | None:
        found = table.get(arn) if isinstance(arn, str) else None
        if found is None:
            return None
        if found.point(self._now())[1] is _GONE:
            return None
        return found

    def _find(self, name: str, arn: object) -> _Resource | None:
        """The living resource ``name`` (a chain name) with ARN ``arn``, if the fake has it."""
        if name == "solution":
            return self._alive(self._solutions, arn)
        if name == "solution_version":
            return self._versions.get(arn) if isinstance(arn, str) else None
        if name == "campaign":
            return self._alive(self._campaigns, arn)
        return self.chain.alive(name, arn)

    def _expire(self) -> None:
        """Forget what has been deleted, and create the automatic versions that are due."""
        now = self._now()
        self.chain.expire()
        for table in (self._campaigns, self._solutions):
            for arn in [a for a, r in table.items() if r.point(now)[1] is _GONE]:
                del table[arn]
                if table is self._solutions:  # its versions and campaigns vanish with it
                    for v in [v for v in self._versions if v.startswith(arn + "/")]:
                        del self._versions[v]
                    for c in [
                        c
                        for c, r in self._campaigns.items()
                        if r.fields["solutionVersionArn"].startswith(arn + "/")
                    ]:
                        del self._campaigns[c]
        if self.ruleset.in_force(AUTOTRAIN):
            for sol in list(self._solutions.values()):
                self._auto_train(sol, now)

    def _auto_train(self, sol: _Resource, now: float) -> None:
        if not sol.fields.get("performAutoTraining", True):
            return
        active_at = next((t for t, s in sol.timeline if s is Status.ACTIVE), None)
        if active_at is None:
            return
        period = auto_training_period(sol)
        due = active_at + self.durations["auto_training_delay"]
        made = sol.fields.setdefault("autoVersions", 0)
        while due + made * period <= now:
            at = due + made * period
            deleting = next((t for t, s in sol.timeline if s is Status.DELETE_PENDING), None)
            if deleting is not None and deleting <= at:
                break
            self._new_version(sol, "AUTOTRAIN", "AUTOMATIC", at)
            made += 1
            sol.fields["autoVersions"] = made

    # -- answering calls ----------------------------------------------------------------

    def answer(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """The parsed response to one call, or :class:`_ServiceError` (and a note in ``refused``)."""
        try:
            return self._answer(operation, params)
        except _ServiceError as error:
            self.refused.append((operation, params, error.code, error.message))
            raise

    def _answer(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.calls.append((operation, params))
            self._expire()
            handler = getattr(self, f"_{snake_case(operation)}", None)
            if handler is None and self.chain.handles(operation):
                handler = functools.partial(self.chain.answer, operation)
            if handler is None:
                raise _ServiceError(
                    "UnsupportedOperation",
                    f"svstate's fake Personalize does not model {operation}; it answers "
                    f"{len(faked_operations())} operations (the table in svstate's docs, operations.md, "
                    "lists them). Test this call against moto or a Stubber instead.",
                )
            if operation in OPERATIONS:
                self._check(operation, params)
            result: dict[str, Any] = handler(params) or {}
            return result

    def _chain_facts(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Every fact the fake holds about the resources a request names (and, for the
        deletes that depend on them, the group's solutions or the account's datasets)."""
        facts: dict[str, Any] = {}
        for r in BY_CHAIN_NAME.values():
            arn = params.get(r.arn_member)
            held = self._find(r.name, arn)
            if held is None:
                continue
            if r.name == "solution":
                facts["solution"] = self._solution_dict(held)
                facts["versions"] = [self._version_dict(v) for v in self._versions_of(held)]
            elif r.name == "solution_version":
                facts["solution_version"] = self._version_dict(held)
            elif r.name == "campaign":
                facts["campaign"] = self._describe_campaign({"campaignArn": arn})["campaign"]
            else:
                facts[r.name] = self.chain.fact(r, held)
        latest = params.get("solutionVersionArn")
        if isinstance(latest, str) and latest.endswith("/$LATEST"):
            sol = self._alive(self._solutions, latest[: -len("/$LATEST")])
            if sol is not None:
                facts["versions"] = [self._version_dict(v) for v in self._versions_of(sol)]
        if "dataset" in facts:
            jobs = BY_CHAIN_NAME["dataset_import_job"]
            facts["dataset_imports"] = [
                self.chain.summary(jobs, h)
                for h in self.chain.children(jobs.name, params["datasetArn"])
            ]
        if "dataset_group" in facts:
            group = params["datasetGroupArn"]
            for name in ("datasets", "event_trackers"):
                r = BY_CHAIN_NAME[name[:-1]]
                facts[name] = [
                    self.chain.summary(r, h) for h in self.chain.children(r.name, group)
                ]
            facts["solutions"] = [self._solution_dict(s) for s in self._group_solutions(group)]
        if operation == "DeleteDataset" and "dataset" in facts:
            solutions = self._group_solutions(facts["dataset"].get("datasetGroupArn"))
            facts["solutions"] = [self._solution_dict(s) for s in solutions]
            facts["versions"] = [
                self._version_dict(v) for s in solutions for v in self._versions_of(s)
            ]
        if operation == "DeleteSchema":
            r = BY_CHAIN_NAME["dataset"]
            facts["datasets"] = [
                self.chain.fact(r, h)
                for h in self.chain.tables[r.name].values()
                if self.chain.status(h) is not _GONE
            ]
        return facts

    def _group_solutions(self, group: object) -> list[_Resource]:
        """The solutions of a dataset group, not yet gone."""
        return [
            s
            for s in self._solutions.values()
            if s.fields.get("datasetGroupArn") == group and s.point(self._now())[1] is not _GONE
        ]

    def _check_chain(self, operation: str, params: dict[str, Any]) -> None:
        """Refuse a chain call exactly when svstate.preflight denies it on the fake's facts."""
        facts = self._chain_facts(operation, params)
        if (
            operation == "CreateSolution"
            and "dataset_group" not in facts
            and params.get("datasetGroupArn") not in self.chain.tables["dataset_group"]
        ):
            # A dataset group this fake never created: taken to exist and be ACTIVE, so
            # tests that start at CreateSolution keep working (documented on fake_personalize).
            facts["dataset_group"] = {
                "datasetGroupArn": params.get("datasetGroupArn"),
                "status": "ACTIVE",
            }
        if operation == "UpdateCampaign" and "campaign" not in facts:
            raise _not_found(params.get("campaignArn"))
        verdict = preflight(operation, params, ruleset=self.ruleset, **facts)
        if verdict.decision is Decision.DENY:
            raise _refusal(verdict)
        if verdict.decision is Decision.UNKNOWN:  # a resource the request names is not here
            for r in BY_CHAIN_NAME.values():
                arn = params.get(r.arn_member)
                if isinstance(arn, str) and self._find(r.name, arn) is None:
                    raise _not_found(arn)
            name = verdict.missing[0].partition(".")[0]
            member = (
                BY_CHAIN_NAME[name.rstrip("s")].arn_member
                if name in BY_CHAIN_NAME or name.rstrip("s") in BY_CHAIN_NAME
                else ""
            )
            raise _not_found(params.get(member, name))

    def _check(self, operation: str, params: dict[str, Any]) -> None:
        """Refuse a call exactly when svstate.preflight denies it on the fake's facts."""
        if operation in CHAIN_OPS:
            self._check_chain(operation, params)
            return
        target = params.get("solutionArn") or params.get("solutionVersionArn") or ""
        solution_arn = target.rpartition("/")[0] if target.count("/") >= 2 else target
        if target.endswith("/$LATEST"):
            solution_arn = target[: -len("/$LATEST")]
        sol = self._alive(self._solutions, solution_arn)
        if sol is None:
            # Nothing to check against: the request alone may still be malformed (SV1xx).
            alone = preflight(operation, params, ruleset=self.ruleset)
            if alone.decision is Decision.DENY:
                raise _refusal(alone)
            raise _ServiceError("ResourceNotFoundException", f"Could not find resource {target}.")
        solution = self._solution_dict(sol)
        if solution.get("performAutoML") and "autoMLResult" not in solution:
            # Not ACTIVE yet, so the response names no recipe; the fake knows which it picks.
            solution["autoMLResult"] = {"bestRecipeArn": self._automl_recipe(sol)}
        verdict = preflight(
            operation,
            params,
            solution=solution,
            versions=[self._version_dict(v) for v in self._versions_of(sol)],
            campaigns=[self._campaign_summary(c) for c in self._campaigns_of(sol)],
            account_in_flight=self._in_flight(),
            account_quota=self.quota,
            ruleset=self.ruleset,
        )
        if verdict.decision is Decision.DENY:
            raise _refusal(verdict)
        assert verdict.decision is Decision.ALLOW, verdict  # the fake knows every fact

    def _in_flight(self) -> int:
        now = self._now()
        return sum(
            v.point(now)[1] in (Status.CREATE_PENDING, Status.CREATE_IN_PROGRESS)
            for v in self._versions.values()
        )

    def _versions_of(self, sol: _Resource) -> list[_Resource]:
        prefix = sol.arn + "/"
        found = [v for v in self._versions.values() if v.arn.startswith(prefix)]
        return _newest_first(found)

    def _campaigns_of(self, sol: _Resource) -> list[_Resource]:
        return [
            c
            for c in self._campaigns.values()
            if c.fields["solutionVersionArn"].startswith(sol.arn + "/")
            and c.point(self._now())[1] is not _GONE
        ]

    # -- solutions ----------------------------------------------------------------------

    def _arn(self, kind: str, name: str) -> str:
        return f"arn:aws:personalize:{self.region}:{self.account}:{kind}/{name}"

    def _create_solution(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["name"]
        problems = check(NAME, name, self.ruleset, request=True, path="name")
        if problems:
            raise _ServiceError("InvalidInputException", problems[0].message)
        arn = self._arn("solution", name)
        if arn in self._solutions:
            raise _ServiceError(
                "ResourceAlreadyExistsException", f"Solution {name} already exists."
            )
        automl = params.get("performAutoML") is True
        if not automl and not params.get("recipeArn"):
            raise _ServiceError(
                "InvalidInputException", "recipeArn is required when performAutoML is false."
            )
        now = self._now()
        d = self.durations
        fields = {k: v for k, v in params.items() if k not in ("name", "tags")}
        self._solutions[arn] = _Resource(
            arn,
            name,
            _path(now, RESOURCE_CREATION, d["solution_pending"], d["solution_in_progress"]),
            now,
            fields,
        )
        return {"solutionArn": arn}

    def _solution_dict(self, sol: _Resource) -> dict[str, Any]:
        when, status = sol.point(self._now())
        assert status is not None
        fact: dict[str, Any] = {
            "name": sol.name,
            "solutionArn": sol.arn,
            "performHPO": sol.fields.get("performHPO", False),
            "performAutoML": sol.fields.get("performAutoML", False),
            "datasetGroupArn": sol.fields.get("datasetGroupArn"),
            "status": status.value,
            "creationDateTime": self.clock.at(sol.created),
            "lastUpdatedDateTime": self.clock.at(when),
            "performAutoTraining": sol.fields.get("performAutoTraining", True),
        }
        for key in ("recipeArn", "eventType", "solutionConfig"):
            if key in sol.fields:
                fact[key] = sol.fields[key]
        if fact["performAutoML"] and status is Status.ACTIVE:
            fact["autoMLResult"] = {"bestRecipeArn": self._automl_recipe(sol)}
        versions = self._versions_of(sol)
        if versions:
            fact["latestSolutionVersion"] = self._version_summary(versions[0])
        return _dated(RESPONSES["Solution"], fact, self.ruleset)

    def _automl_recipe(self, sol: _Resource) -> str:
        """The recipe AutoML picks for ``sol``: the first of its list, as the fake decides."""
        recipes = ((sol.fields.get("solutionConfig") or {}).get("autoMLConfig") or {}).get(
            "recipeList"
        ) or ["arn:aws:personalize:::recipe/aws-user-personalization"]
        return str(recipes[0])

    def _describe_solution(self, params: dict[str, Any]) -> dict[str, Any]:
        sol = self._alive(self._solutions, params["solutionArn"])
        if sol is None:
            raise _not_found(params["solutionArn"])
        return {"solution": self._solution_dict(sol)}

    def _list_solutions(self, params: dict[str, Any]) -> dict[str, Any]:
        group = params.get("datasetGroupArn")
        sols = [
            s
            for s in self._solutions.values()
            if group is None or s.fields.get("datasetGroupArn") == group
        ]
        summaries = []
        for s in sorted(sols, key=lambda s: s.arn):
            d = self._solution_dict(s)
            summaries.append(
                {
                    k: d[k]
                    for k in (
                        "name",
                        "solutionArn",
                        "status",
                        "creationDateTime",
                        "lastUpdatedDateTime",
                    )
                    if k in d
                }
                | ({"recipeArn": d["recipeArn"]} if "recipeArn" in d else {})
            )
        return _page(summaries, "solutions", params)

    def _delete_solution(self, params: dict[str, Any]) -> dict[str, Any]:
        sol = self._alive(self._solutions, params["solutionArn"])
        assert sol is not None  # _check found it
        if sol.point(self._now())[1] not in (Status.DELETE_PENDING, Status.DELETE_IN_PROGRESS):
            _delete(sol, self._now(), self.durations)  # a second delete changes nothing
        return {}

    # -- versions -----------------------------------------------------------------------

    def _new_version(self, sol: _Resource, mode: str, kind: str, at: float) -> _Resource:
        d = self.durations
        arn = self._new_version_arn(sol.arn)
        reason = self._fail_next.pop(0) if self._fail_next else None
        settle_now, self._settle_next = self._settle_next, False
        pending = 0.0 if settle_now else d["version_pending"]
        training = 0.0 if settle_now else d["training"]
        table = lifecycle_for(self.ruleset).next_status
        first = lifecycle_for(self.ruleset).declaration.initial
        training_status = table[first, "start"]
        end = table[training_status, "fail" if reason is not None else "succeed"]
        version = _Resource(
            arn,
            arn.rpartition("/")[2],
            _path(at, (first, training_status, end), pending, training),
            at,
            {"trainingMode": mode, "trainingType": kind, "failureReason": reason},
        )
        self._versions[arn] = version
        return version

    def _create_solution_version(self, params: dict[str, Any]) -> dict[str, Any]:
        sol = self._alive(self._solutions, params["solutionArn"])
        assert sol is not None
        name = params.get("name")
        if name is not None and any(v.fields.get("name") == name for v in self._versions_of(sol)):
            raise _ServiceError(
                "ResourceAlreadyExistsException", f"Solution version {name} already exists."
            )
        version = self._new_version(sol, params.get("trainingMode", "FULL"), "MANUAL", self._now())
        if name is not None:
            version.fields["name"] = name
        return {"solutionVersionArn": version.arn}

    def _version_dict(self, v: _Resource) -> dict[str, Any]:
        sol = self._solutions[v.arn.rpartition("/")[0]]
        when, status = v.point(self._now())
        assert status is not None
        fact: dict[str, Any] = {
            "solutionVersionArn": v.arn,
            "solutionArn": sol.arn,
            "performHPO": sol.fields.get("performHPO", False),
            "performAutoML": sol.fields.get("performAutoML", False),
            "datasetGroupArn": sol.fields.get("datasetGroupArn"),
            "trainingMode": v.fields["trainingMode"],
            "trainingType": v.fields["trainingType"],
            "status": status.value,
            "creationDateTime": self.clock.at(v.created),
            "lastUpdatedDateTime": self.clock.at(when),
        }
        for key in ("recipeArn", "eventType", "solutionConfig"):
            if key in sol.fields:
                fact[key] = sol.fields[key]
        if "name" in v.fields:
            fact["name"] = v.fields["name"]
        if status is Status.ACTIVE:
            fact["trainingHours"] = round(self.durations["training"] / 3600.0, 3)
        if status is Status.CREATE_FAILED:
            fact["failureReason"] = v.fields["failureReason"]
        return _dated(RESPONSES["SolutionVersion"], fact, self.ruleset)

    def _version_summary(self, v: _Resource) -> dict[str, Any]:
        return _dated(RESPONSES["SolutionVersionSummary"], self._version_dict(v), self.ruleset)

    def _describe_solution_version(self, params: dict[str, Any]) -> dict[str, Any]:
        v = self._versions.get(params["solutionVersionArn"])
        if v is None:
            raise _not_found(params["solutionVersionArn"])
        return {"solutionVersion": self._version_dict(v)}

    def _list_solution_versions(self, params: dict[str, Any]) -> dict[str, Any]:
        arn = params.get("solutionArn")
        if arn is not None:
            sol = self._alive(self._solutions, arn)
            if sol is None:
                raise _not_found(arn)
            versions = self._versions_of(sol)
        else:
            versions = _newest_first(list(self._versions.values()))
        return _page([self._version_summary(v) for v in versions], "solutionVersions", params)

    def _stop_solution_version_creation(self, params: dict[str, Any]) -> dict[str, Any]:
        v = self._versions[params["solutionVersionArn"]]
        now = self._now()
        table = lifecycle_for(self.ruleset).next_status
        status = v.point(now)[1]
        assert status is not None
        stopped = table[status, "stop"]  # preflight allowed it: the edge exists
        finished = table.get((stopped, "finish_stop"))
        if finished is None:
            v.cut(now, (now, stopped))
        else:
            v.cut(now, *_path(now, (stopped, finished), self.durations["stopping"]))
        return {}

    # -- campaigns ----------------------------------------------------------------------

    def _create_campaign(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["name"]
        arn = self._arn("campaign", name)
        if self._alive(self._campaigns, arn) is not None:
            raise _ServiceError(
                "ResourceAlreadyExistsException", f"Campaign {name} already exists."
            )
        now = self._now()
        d = self.durations
        fields = {k: v for k, v in params.items() if k not in ("name", "tags")}
        fields.setdefault("minProvisionedTPS", 1)
        self._campaigns[arn] = _Resource(
            arn,
            name,
            _path(now, RESOURCE_CREATION, d["campaign_pending"], d["campaign_in_progress"]),
            now,
            fields,
        )
        return {"campaignArn": arn}

    def _campaign_summary(self, c: _Resource) -> dict[str, Any]:
        when, status = c.point(self._now())
        assert status is not None
        return {
            "name": c.name,
            "campaignArn": c.arn,
            "status": status.value,
            "creationDateTime": self.clock.at(c.created),
            "lastUpdatedDateTime": self.clock.at(when),
        }

    def _describe_campaign(self, params: dict[str, Any]) -> dict[str, Any]:
        c = self._alive(self._campaigns, params["campaignArn"])
        if c is None:
            raise _not_found(params["campaignArn"])
        self._apply_update(c)
        fact = self._campaign_summary(c)
        fact["solutionVersionArn"] = c.fields["solutionVersionArn"]
        fact["minProvisionedTPS"] = c.fields["minProvisionedTPS"]
        if "campaignConfig" in c.fields:
            fact["campaignConfig"] = c.fields["campaignConfig"]
        update = c.fields.get("update")
        if isinstance(update, _Resource):
            when, status = update.point(self._now())
            assert status is not None
            fact["latestCampaignUpdate"] = {
                **update.fields["wanted"],
                "status": status.value,
                "creationDateTime": self.clock.at(update.created),
                "lastUpdatedDateTime": self.clock.at(when),
            } | (
                {"failureReason": update.fields["reason"]}
                if status is Status.CREATE_FAILED
                else {}
            )
        return {"campaign": _dated(model_shape("Campaign"), fact, self.ruleset)}

    def _apply_update(self, c: _Resource) -> None:
        """Once an UpdateCampaign is ACTIVE the campaign serves what it asked for."""
        update = c.fields.get("update")
        if (
            isinstance(update, _Resource)
            and not update.fields.get("applied")
            and update.point(self._now())[1] is Status.ACTIVE
        ):
            c.fields.update(update.fields["wanted"])
            update.fields["applied"] = True

    def _list_campaigns(self, params: dict[str, Any]) -> dict[str, Any]:
        arn = params.get("solutionArn")
        campaigns = [
            c
            for c in self._campaigns.values()
            if c.point(self._now())[1] is not _GONE
            and (arn is None or c.fields["solutionVersionArn"].startswith(arn + "/"))
        ]
        return _page(
            [self._campaign_summary(c) for c in sorted(campaigns, key=lambda c: c.arn)],
            "campaigns",
            params,
        )

    def _update_campaign(self, params: dict[str, Any]) -> dict[str, Any]:
        c = self._alive(self._campaigns, params["campaignArn"])
        assert c is not None  # preflight found it
        self._apply_update(c)
        now = self._now()
        wanted = {k: v for k, v in params.items() if k != "campaignArn"}
        wanted.setdefault("solutionVersionArn", c.fields["solutionVersionArn"])
        reason = self._fail_next_update.pop(0) if self._fail_next_update else None
        table = BY_CHAIN_NAME["campaign"].updates
        assert table is not None
        first = table.lifecycle.initial
        d = self.durations
        update = _Resource(
            c.arn,
            c.name,
            _path(
                now,
                (
                    first,
                    Status.CREATE_IN_PROGRESS,
                    Status.CREATE_FAILED if reason else Status.ACTIVE,
                ),
                d["campaign_pending"],
                d["campaign_in_progress"],
            ),
            now,
            {"wanted": wanted, "reason": reason},
        )
        c.fields["update"] = update
        return {"campaignArn": c.arn}

    def _delete_campaign(self, params: dict[str, Any]) -> dict[str, Any]:
        c = self._alive(self._campaigns, params["campaignArn"])
        if c is None:
            raise _not_found(params["campaignArn"])
        status = c.point(self._now())[1]
        if status in (Status.DELETE_PENDING, Status.DELETE_IN_PROGRESS):
            raise _ServiceError("ResourceInUseException", f"Campaign {c.name} is being deleted.")
        _delete(c, self._now(), self.durations)
        return {}


def _refusal(verdict: Verdict) -> _ServiceError:
    """The service's answer to a call svstate denies: the first error's code and message."""
    first = next(f for f in verdict.findings if f.severity is Severity.ERROR)
    code = first.error_code
    if code in (None, "ParamValidationError"):
        code = "InvalidInputException"  # what reaches the service past botocore's checks
    return _ServiceError(code, first.message)


def auto_training_period(sol: _Resource) -> float:
    """Seconds between a solution's automatic trainings: its schedulingExpression, 7 days."""
    config = sol.fields.get("solutionConfig") or {}
    rate = (config.get("autoTrainingConfig") or {}).get("schedulingExpression", "rate(7 days)")
    match = re.fullmatch(r"rate\((\d+) days?\)", str(rate))
    return (int(match.group(1)) if match else 7) * 86400.0


@functools.cache
def faked_operations() -> tuple[str, ...]:
    """The API names of every operation the fake answers, in the model's order.

    Any other Personalize operation is answered with an ``UnsupportedOperation``
    error (a botocore ``ClientError``) that names it.

    >>> from svstate.testing import faked_operations
    >>> len(faked_operations()), "CreateDatasetImportJob" in faked_operations()
    (39, True)
    """
    from svstate._model import OPERATIONS as MODEL

    return tuple(
        op
        for op in MODEL
        if hasattr(FakePersonalize, f"_{snake_case(op)}") or op in GENERIC_OPERATIONS
    )
