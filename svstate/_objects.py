"""Lifecycle objects that enforce the model: ``Solution`` and ``SolutionVersion``.

A :class:`SolutionVersion` holds its status as a plain :class:`~svstate.Status`;
triggers are checked against the compiled table of its ruleset's lifecycle,
then fired through the one shared ``transitions`` machine.
:meth:`Solution.create_version` asks :func:`~svstate.preflight` with the
objects' own facts, so the objects and ``preflight`` can never disagree.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import attrs

from svstate._errors import IllegalTransition, SvstateError, UnknownStatus
from svstate._lifecycle import DECLARATION, TRIGGER_SINCE, lifecycle_for
from svstate._preflight import preflight
from svstate._rulesets import DEFAULT_RULESET, Ruleset, resolve_ruleset
from svstate._shapes import ARN
from svstate._text import describe
from svstate._verdict import PreconditionFailed, Verdict
from svstate._vocab import Decision, Status, TrainingMode, read_status, unknown_status_message

__all__ = ["Solution", "SolutionVersion"]

_EPOCH = _dt.datetime(2019, 6, 10, tzinfo=_dt.UTC)


def _status(value: object) -> Status:
    if isinstance(value, Status):
        return value
    return Status.parse(value)


def _mode(value: object, name: str = "training_mode") -> TrainingMode:
    if isinstance(value, TrainingMode):
        return value
    if isinstance(value, str):
        try:
            return TrainingMode(value)
        except ValueError:
            pass
    raise SvstateError(
        f"{name} {describe(value)} is not one of FULL, UPDATE, AUTOTRAIN; pass a "
        "TrainingMode or its wire string."
    )


def _hours(value: object, name: str) -> float:
    """Training hours as a finite float of at least 0, or an SvstateError naming ``name``."""
    try:
        hours = (
            float(value)
            if isinstance(value, int | float) and not isinstance(value, bool)
            else -1.0
        )
    except OverflowError:
        hours = -1.0
    if not 0 <= hours < float("inf"):
        raise SvstateError(
            f"{name} {describe(value)} is not a finite number of hours of at least 0; pass a "
            "float such as 1.5, or None."
        )
    return hours


def _arn_field(value: object) -> str:
    return _arn(value, "arn")


def _solution_arn(value: object) -> str:
    return _arn(value, "solution_arn")


def _recipe(value: object) -> str | None:
    return None if value is None else _arn(value, "recipe_arn")


def _arn(value: object, name: str) -> str:
    if not isinstance(value, str) or not ARN.pattern or not ARN.pattern(value):
        raise SvstateError(
            f"{name} {describe(value)} is not an Amazon Personalize ARN; pass one such as "
            "'arn:aws:personalize:us-east-1:123456789012:solution/movies'."
        )
    return value


@attrs.define(eq=False, slots=True)
class SolutionVersion:
    """One solution version, whose status moves only along the lifecycle.

    Build versions with :meth:`Solution.create_version`. Triggers: ``start``,
    ``succeed``, ``fail``, ``stop`` and ``finish_stop`` (the last two from
    ruleset 2021-05-20).

    >>> import svstate
    >>> sol = svstate.Solution("arn:aws:personalize:us-east-1:123456789012:solution/movies",
    ...                        recipe_arn="arn:aws:personalize:::recipe/aws-hrnn-coldstart")
    >>> v = sol.create_version("FULL")
    >>> v.status, v.may("succeed"), v.may("start")
    (<Status.CREATE_PENDING: 'CREATE PENDING'>, False, True)
    >>> v.start(); v.succeed(training_hours=1.5); v.status
    <Status.ACTIVE: 'ACTIVE'>
    >>> v.fail("late")
    Traceback (most recent call last):
    ...
    svstate.IllegalTransition: cannot fail solution version movies/00000001: it is ACTIVE, a terminal status where no trigger is legal.
    """

    __module__ = "svstate"

    arn: str = attrs.field(converter=_arn_field)
    solution_arn: str = attrs.field(converter=_solution_arn)
    training_mode: TrainingMode = attrs.field(converter=_mode)
    ruleset: Ruleset = attrs.field(converter=resolve_ruleset)
    status: Status = attrs.field(default=Status.CREATE_PENDING, converter=_status)
    training_hours: float | None = None
    failure_reason: str | None = None
    created: _dt.datetime = _EPOCH

    def __attrs_post_init__(self) -> None:
        statuses = lifecycle_for(self.ruleset).statuses
        if self.status not in statuses:
            raise SvstateError(
                f"status {self.status.value!r} is not a status a solution version can have in "
                f"ruleset {self.ruleset.name}; it is one of "
                f"{', '.join(s.value for s in statuses)}."
            )

    def may(self, trigger: str) -> bool:
        """Whether ``trigger`` is legal now, without firing it."""
        self._known(trigger)
        return (self.status, trigger) in lifecycle_for(self.ruleset).next_status

    def start(self) -> None:
        """CREATE PENDING to CREATE IN_PROGRESS: training begins."""
        self._fire("start")

    def succeed(self, training_hours: float | None = None) -> None:
        """CREATE IN_PROGRESS to ACTIVE; ``training_hours`` as the service reports it."""
        hours = None if training_hours is None else _hours(training_hours, "training_hours")
        self._fire("succeed")
        self.training_hours = hours

    def fail(self, reason: str) -> None:
        """CREATE IN_PROGRESS to CREATE FAILED, with the service's ``failureReason``."""
        if not isinstance(reason, str):
            raise SvstateError(
                f"reason {describe(reason)} is not a string; pass the failureReason text."
            )
        self._fire("fail")
        self.failure_reason = reason

    def stop(self) -> None:
        """StopSolutionVersionCreation: PENDING to STOPPED, IN_PROGRESS to STOPPING."""
        self._fire("stop")

    def finish_stop(self) -> None:
        """CREATE STOPPING to CREATE STOPPED."""
        self._fire("finish_stop")

    def to_dict(self) -> dict[str, Any]:
        """The version as DescribeSolutionVersion's ``solutionVersion`` would show it."""
        fact: dict[str, Any] = {
            "solutionVersionArn": self.arn,
            "solutionArn": self.solution_arn,
            "status": self.status.value,
            "creationDateTime": self.created,
            "lastUpdatedDateTime": self.created,
        }
        if self.ruleset.training_modes:  # versions carry a mode from 2019-10-14
            fact["trainingMode"] = self.training_mode.value
        if self.training_hours is not None:
            fact["trainingHours"] = self.training_hours
        if self.failure_reason is not None:
            fact["failureReason"] = self.failure_reason
        return fact

    def _known(self, trigger: object) -> None:
        if trigger not in DECLARATION.triggers:
            raise SvstateError(
                f"{describe(trigger)} is not a lifecycle trigger; triggers are "
                f"{', '.join(DECLARATION.triggers)}."
            )

    def _fire(self, trigger: str) -> None:
        lc = lifecycle_for(self.ruleset)
        if (self.status, trigger) not in lc.next_status:
            legal = lc.triggers_from.get(self.status, ())
            name = self.arn.partition(":solution/")[2] or self.arn
            if trigger not in {e.trigger for e in lc.edges()}:
                since = TRIGGER_SINCE[trigger].isoformat()
                where = (
                    f"{trigger} does not exist in ruleset {self.ruleset.name} (it exists from "
                    f"{since}); legal triggers in {self.status.value}: "
                    f"{', '.join(legal) or 'none'}."
                )
                message = f"cannot {trigger} solution version {name}: {where}"
            elif not legal:
                message = (
                    f"cannot {trigger} solution version {name}: it is "
                    f"{self.status.value}, a terminal status where no trigger is legal."
                )
            else:
                message = (
                    f"cannot {trigger} solution version {name}: it is "
                    f"{self.status.value}, where the legal triggers are "
                    f"{', '.join(legal)}."
                )
            raise IllegalTransition(message, state=self.status, trigger=trigger, legal=legal)
        lc.fire(self, trigger)


def _ruleset(value: object) -> Ruleset:
    return resolve_ruleset(value)


@attrs.define(eq=False, slots=True)
class Solution:
    """A solution and its versions, enforcing the CreateSolutionVersion preconditions.

    >>> import svstate
    >>> sol = svstate.Solution("arn:aws:personalize:us-east-1:123456789012:solution/movies",
    ...                        recipe_arn="arn:aws:personalize:::recipe/aws-hrnn-coldstart")
    >>> sol.create_version("UPDATE")
    Traceback (most recent call last):
    ...
    svstate.PreconditionFailed: UPDATE needs an ACTIVE FULL version of solution movies; solution movies has no versions.
    >>> v1 = sol.create_version("FULL"); v1.start(); v1.succeed()
    >>> sol.create_version("UPDATE").training_mode
    <TrainingMode.UPDATE: 'UPDATE'>
    """

    __module__ = "svstate"

    arn: str = attrs.field(converter=_arn_field)
    recipe_arn: str | None = attrs.field(default=None, converter=_recipe)
    status: Status = attrs.field(default=Status.ACTIVE, converter=_status)
    ruleset: Ruleset = attrs.field(default=resolve_ruleset(DEFAULT_RULESET), converter=_ruleset)
    perform_auto_ml: bool = False
    best_recipe_arn: str | None = None
    versions: list[SolutionVersion] = attrs.field(factory=list)

    @classmethod
    def from_dict(
        cls, solution: object, versions: object = None, *, ruleset: object = DEFAULT_RULESET
    ) -> Solution:
        """Build from DescribeSolution's ``solution`` dict (and, optionally, its versions).

        Raises :class:`~svstate.SvstateError` naming the field when the dict
        lacks ``solutionArn`` or a status is unknown.

        >>> import svstate
        >>> sol = svstate.Solution.from_dict({
        ...     "solutionArn": "arn:aws:personalize:us-east-1:123456789012:solution/movies",
        ...     "status": "ACTIVE", "performAutoML": True,
        ...     "autoMLResult": {"bestRecipeArn": "arn:aws:personalize:::recipe/aws-hrnn-coldstart"}})
        >>> sol.best_recipe_arn
        'arn:aws:personalize:::recipe/aws-hrnn-coldstart'
        """
        if isinstance(solution, dict) and isinstance(solution.get("solution"), dict):
            solution = solution["solution"]
        if not isinstance(solution, dict):
            raise SvstateError(
                f"solution is {describe(solution)}; pass DescribeSolution's 'solution' dict."
            )
        result = solution.get("autoMLResult")
        best = result.get("bestRecipeArn") if isinstance(result, dict) else None
        recipe = solution.get("recipeArn")
        status = read_status(solution.get("status", "ACTIVE"))
        if status is None:
            raise UnknownStatus(
                f"solution.status: {unknown_status_message(solution.get('status'))}"
            )
        made = cls(
            _arn(solution.get("solutionArn"), "solution.solutionArn"),
            recipe_arn=recipe if isinstance(recipe, str) else None,
            status=status[0],
            ruleset=ruleset,
            perform_auto_ml=solution.get("performAutoML") is True,
            best_recipe_arn=best if isinstance(best, str) else None,
        )
        if versions is not None:
            if isinstance(versions, dict) and isinstance(versions.get("solutionVersions"), list):
                versions = versions["solutionVersions"]
            if not isinstance(versions, list | tuple):
                raise SvstateError(
                    f"versions is {describe(versions)}; pass ListSolutionVersions' list."
                )
            for i, fact in enumerate(versions):
                made.versions.append(made._version_from(fact, f"versions[{i}]"))
        return made

    def _version_from(self, fact: object, path: str) -> SolutionVersion:
        if not isinstance(fact, dict):
            raise SvstateError(f"{path} is {describe(fact)}; pass a solution version dict.")
        arn = _arn(fact.get("solutionVersionArn"), f"{path}.solutionVersionArn")
        if arn.rpartition("/")[0] != self.arn:
            raise SvstateError(
                f"{path}.solutionVersionArn {describe(arn)} is not a version of "
                f"{self.arn}; pass only this solution's versions."
            )
        read = read_status(fact.get("status"))
        statuses = lifecycle_for(self.ruleset).statuses
        if read is None or read[0] not in statuses:
            raise SvstateError(
                f"{path}.status {describe(fact.get('status'))} is not a status a solution "
                f"version can have in ruleset {self.ruleset.name}; it is one of "
                f"{', '.join(s.value for s in statuses)}."
            )
        hours = fact.get("trainingHours")
        reason = fact.get("failureReason")
        return SolutionVersion(
            arn,
            self.arn,
            _mode(fact.get("trainingMode", "FULL"), f"{path}.trainingMode"),
            self.ruleset,
            read[0],
            None if hours is None else _hours(hours, f"{path}.trainingHours"),
            reason if isinstance(reason, str) else None,
        )

    def to_dict(self) -> dict[str, Any]:
        """The solution as DescribeSolution's ``solution`` would show it."""
        fact: dict[str, Any] = {
            "solutionArn": self.arn,
            "status": self.status.value,
            "performAutoML": self.perform_auto_ml,
        }
        if self.recipe_arn is not None:
            fact["recipeArn"] = self.recipe_arn
        if self.best_recipe_arn is not None:
            fact["autoMLResult"] = {"bestRecipeArn": self.best_recipe_arn}
        return fact

    def preflight(self, mode: object = None, **params: Any) -> Verdict:
        """The pre-flight verdict of ``create_version(mode)``, without creating anything."""
        request: dict[str, Any] = {"solutionArn": self.arn, **params}
        if mode is not None:
            request["trainingMode"] = mode.value if isinstance(mode, TrainingMode) else mode
        return preflight(
            "CreateSolutionVersion",
            request,
            solution=self.to_dict(),
            versions=[v.to_dict() for v in self.versions],
            ruleset=self.ruleset,
        )

    def create_version(self, mode: object = None, **params: Any) -> SolutionVersion:
        """Create a version in CREATE PENDING, if ``preflight`` allows it.

        ``mode`` is the ``trainingMode`` to send (a :class:`~svstate.TrainingMode`
        or its wire string); ``None`` sends none, and the service trains FULL.
        Other keyword arguments join the request (``name=``, ``tags=``).

        Runs exactly the rules of :func:`~svstate.preflight` on this solution's
        facts and raises :class:`~svstate.PreconditionFailed` (carrying the
        verdict) unless the verdict is ALLOW.
        """
        verdict = self.preflight(mode, **params)
        if verdict.decision is not Decision.ALLOW:
            raise PreconditionFailed(verdict)
        trained = _mode(mode if mode is not None else "FULL")
        seq = len(self.versions) + 1
        version = SolutionVersion(
            f"{self.arn}/{seq:08x}",
            self.arn,
            trained,
            self.ruleset,
            created=_EPOCH + _dt.timedelta(seconds=seq),
        )
        self.versions.append(version)
        return version
