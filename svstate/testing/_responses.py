"""Strategies for responses: solution version and solution dicts.

Re-exported by :mod:`svstate.testing.strategies`, whose header states the rules.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Collection
from typing import Any

import attrs
from hypothesis import strategies as st

from svstate._arn import SOLUTION
from svstate._lifecycle import lifecycle_for
from svstate._rulesets import (
    AUTOTRAIN,
    DEFAULT_RULESET,
    STOP,
    Ruleset,
    resolve_ruleset,
)
from svstate._shapes import RESPONSES
from svstate._text import describe
from svstate._vocab import Status, TrainingMode, TrainingType
from svstate.testing._args import (
    _FAILURE_REASONS,
    _RECIPES,
    _SOLUTION_STATUSES,
    DrawFn,
    InvalidArgument,
    S,
    SearchStrategy,
    _boolean,
    _kind_problem,
    _ruleset,
    _statuses,
    _strategy_or_value,
)
from svstate.testing._arns import _names, _recipe_arg, solution_arns, solution_version_arns
from svstate.testing._requests import _later, _moments, _prune

# -- responses: solution versions and solutions -----------------------------------------------


def _version_statuses(rs: Ruleset) -> tuple[Status, ...]:
    return lifecycle_for(rs).statuses


def _not_a_version_status(rs: Ruleset) -> Callable[[Status], str]:
    def explain(status: Status) -> str:
        if status in lifecycle_for(resolve_ruleset("latest")).statuses:
            return (
                f"does not exist in ruleset {rs.name}: the stop states exist from "
                f"{STOP.isoformat()}. Pass ruleset='{STOP.isoformat()}' or later, or another "
                "status."
            )
        shown = ", ".join(s.value for s in _version_statuses(rs))
        return f"is not a solution version status; versions are {shown}."

    return explain


def _training_mode(value: object, rs: Ruleset, summary: bool) -> tuple[TrainingMode, ...] | None:
    """The modes a ``training_mode=`` argument allows; ``None`` when the dicts have no mode."""
    shape = RESPONSES["SolutionVersionSummary" if summary else "SolutionVersion"]
    since = _later(shape, "trainingMode")
    assert since is not None
    present = rs.in_force(since)
    if value is None:
        return tuple(m for m in TrainingMode if m in rs.training_modes) if present else None
    try:
        mode = value if isinstance(value, TrainingMode) else TrainingMode(value)
    except ValueError:
        raise InvalidArgument(
            f"training_mode={describe(value)} is not a training mode; pass one of "
            f"{', '.join(m.value for m in TrainingMode)}, or None."
        ) from None
    what = "ListSolutionVersions summaries" if summary else "DescribeSolutionVersion dicts"
    if not present:
        raise InvalidArgument(
            f"training_mode={mode.value!r}, but {what} have no trainingMode in ruleset "
            f"{rs.name}; it appears on {since.isoformat()}. Pass ruleset='{since.isoformat()}' "
            "or later, or training_mode=None."
        )
    if mode not in rs.training_modes:
        day = AUTOTRAIN.isoformat()
        raise InvalidArgument(
            f"training_mode={mode.value!r} does not exist in ruleset {rs.name}; it exists from "
            f"{day}. Pass ruleset='{day}' or later, or another mode."
        )
    return (mode,)


@attrs.frozen
class _VersionFacts:
    """Everything one version dict says, before it is shaped for a ruleset."""

    arn: str
    solution_arn: str
    status: Status
    mode: TrainingMode | None
    created: _dt.datetime
    updated: _dt.datetime
    hours: float
    reason: str
    recipe: str
    dataset_group: str
    hpo: bool = False
    automl: bool = False
    name: str | None = None
    incremental: bool | None = None


def _version_dict(facts: _VersionFacts, rs: Ruleset, summary: bool) -> dict[str, Any]:
    """A DescribeSolutionVersion ``solutionVersion`` (or a summary) with the ruleset's members."""
    v = facts
    out: dict[str, Any] = {"solutionVersionArn": v.arn}
    if not summary:
        if v.name is not None:
            out["name"] = v.name
        out["solutionArn"] = v.solution_arn
        out["performHPO"] = v.hpo
        out["performAutoML"] = v.automl
        if v.incremental is not None:
            out["performIncrementalUpdate"] = v.incremental
        out["recipeArn"] = v.recipe
        out["datasetGroupArn"] = v.dataset_group
        config: dict[str, Any] = {}
        if v.hpo:
            config["hpoConfig"] = {
                "hpoResourceConfig": {
                    "maxNumberOfTrainingJobs": "20",
                    "maxParallelTrainingJobs": "5",
                }
            }
        if v.automl:
            config["autoMLConfig"] = {
                "metricName": "precision_at_25",
                "recipeList": [_RECIPES[2], _RECIPES[3]],
            }
        if config:
            out["solutionConfig"] = config
        if v.status is S.ACTIVE:
            out["trainingHours"] = v.hours
            if v.hpo:
                out["tunedHPOParams"] = {"algorithmHyperParameters": {"hidden_dimension": "149"}}
    out["status"] = v.status.value
    if v.mode is not None:
        out["trainingMode"] = v.mode.value
        out["trainingType"] = (
            TrainingType.AUTOMATIC if v.mode is TrainingMode.AUTOTRAIN else TrainingType.MANUAL
        ).value
    if v.status is S.CREATE_FAILED:
        out["failureReason"] = v.reason
    out["creationDateTime"] = v.created
    out["lastUpdatedDateTime"] = v.updated
    shaped: dict[str, Any] = _prune(
        RESPONSES["SolutionVersionSummary" if summary else "SolutionVersion"], out, rs
    )
    return shaped


def solution_version_dicts(
    *,
    status: Status | str | Collection[Status | str] | None = None,
    training_mode: TrainingMode | str | None = None,
    solution_arn: str | SearchStrategy[str] | None = None,
    ruleset: object = DEFAULT_RULESET,
    summary: bool = False,
) -> SearchStrategy[dict[str, Any]]:
    """DescribeSolutionVersion ``solutionVersion`` dicts, or ListSolutionVersions summaries.

    Every example passes :func:`svstate.validate` (``"SolutionVersion"``, or
    ``"SolutionVersionSummary"`` with ``summary=True``) in ``ruleset`` with
    no finding at all: only the members the ruleset's API had,
    ``failureReason`` only on CREATE FAILED, ``trainingHours`` only on
    ACTIVE, ``lastUpdatedDateTime`` not before ``creationDateTime`` (both
    aware datetimes), the version ARN under ``solutionArn``.

    :param status: a status or a collection of statuses (either spelling);
        default any status the ruleset's lifecycle has.
    :param training_mode: FULL, UPDATE or AUTOTRAIN; default any of the
        ruleset's modes (AUTOTRAIN versions carry ``trainingType``
        AUTOMATIC).
    :param solution_arn: the solution ARN, or a strategy of them.
    :raises InvalidArgument: for a status the ruleset's versions cannot have
        (a stop status before 2021-05-20, a delete status), or a training
        mode the dicts cannot carry (before 2019-10-14, on summaries before
        2024-04-19, AUTOTRAIN before 2024-04-19).

    >>> import svstate
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=25, deadline=None)
    ... @given(solution_version_dicts(status="CREATE FAILED", ruleset="2021-05-20"))
    ... def check(version):
    ...     assert version["status"] == "CREATE FAILED" and version["failureReason"]
    ...     assert not svstate.validate("SolutionVersion", version, ruleset="2021-05-20").findings
    >>> check()
    """
    rs = _ruleset(ruleset)
    is_summary = _boolean("summary", summary)
    assert is_summary is not None
    statuses = _statuses("status", status, _version_statuses(rs), _not_a_version_status(rs))
    modes = _training_mode(training_mode, rs, is_summary)
    parents = _strategy_or_value(
        "solution_arn", solution_arn, solution_arns(), _kind_problem(SOLUTION)
    )
    return _version_dicts(rs, is_summary, statuses, modes, parents)


@st.composite
def _version_dicts(
    draw: DrawFn,
    rs: Ruleset,
    summary: bool,
    statuses: tuple[Status, ...],
    modes: tuple[TrainingMode, ...] | None,
    parents: SearchStrategy[str],
) -> dict[str, Any]:
    solution_arn = draw(parents)
    arn = draw(solution_version_arns(solution_arns=solution_arn))
    created, updated = draw(_moments(2))
    prefix = solution_arn.partition(":solution/")[0]
    facts = _VersionFacts(
        arn=arn,
        solution_arn=solution_arn,
        status=draw(st.sampled_from(statuses)),
        mode=None if modes is None else draw(st.sampled_from(modes)),
        created=created,
        updated=updated,
        hours=draw(st.floats(0, 500, allow_nan=False, allow_infinity=False)),
        reason=draw(st.sampled_from(_FAILURE_REASONS)),
        recipe=draw(st.sampled_from(_RECIPES)),
        dataset_group=f"{prefix}:dataset-group/{draw(_names(30))}",
        hpo=draw(st.booleans()),
        automl=draw(st.booleans()),
        name=draw(st.none() | _names()),
        incremental=draw(st.none() | st.booleans()),
    )
    return _version_dict(facts, rs, summary)


def _solution_status_problem(status: Status) -> str:
    shown = ", ".join(s.value for s in _SOLUTION_STATUSES)
    return f"is not a solution status; solutions are {shown}."


def _solution_dict(
    rs: Ruleset,
    *,
    arn: str,
    status: Status,
    recipe: str,
    automl: bool,
    created: _dt.datetime,
    updated: _dt.datetime,
    hpo: bool = False,
    auto_training: bool | None = None,
    incremental: bool | None = None,
    event_type: str | None = None,
    latest: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A DescribeSolution ``solution`` dict with the ruleset's members."""
    prefix = arn.partition(":solution/")[0]
    name = arn.rpartition("/")[2]
    out: dict[str, Any] = {
        "name": name,
        "solutionArn": arn,
        "performHPO": hpo,
        "performAutoML": automl,
    }
    if auto_training is not None:
        out["performAutoTraining"] = auto_training
    if incremental is not None:
        out["performIncrementalUpdate"] = incremental
    if not automl:
        out["recipeArn"] = recipe
    out["datasetGroupArn"] = f"{prefix}:dataset-group/{name}"
    if event_type is not None:
        out["eventType"] = event_type
    if automl:
        out["solutionConfig"] = {
            "autoMLConfig": {"metricName": "precision_at_25", "recipeList": [recipe]}
        }
        if status is S.ACTIVE:
            out["autoMLResult"] = {"bestRecipeArn": recipe}
    out["status"] = status.value
    out["creationDateTime"] = created
    out["lastUpdatedDateTime"] = updated
    if latest is not None:
        out["latestSolutionVersion"] = latest
    shaped: dict[str, Any] = _prune(RESPONSES["Solution"], out, rs)
    return shaped


def solution_dicts(
    *,
    status: Status | str | Collection[Status | str] | None = None,
    recipe: str | SearchStrategy[str] | None = None,
    ruleset: object = DEFAULT_RULESET,
    automl: bool | None = None,
    arn: str | SearchStrategy[str] | None = None,
) -> SearchStrategy[dict[str, Any]]:
    """DescribeSolution ``solution`` dicts.

    Every example passes ``svstate.validate("Solution", d, ruleset=ruleset)``
    with no finding at all. An ACTIVE solution (or one being deleted) may
    carry a ``latestSolutionVersion`` summary under its own ARN.

    :param status: a solution status or a collection of them (CREATE PENDING,
        CREATE IN_PROGRESS, ACTIVE, CREATE FAILED, DELETE PENDING, DELETE
        IN_PROGRESS); default any.
    :param recipe: the recipe ARN, or a strategy of them. It appears where the
        rules read it: ``recipeArn``, or for an AutoML solution
        ``autoMLResult.bestRecipeArn``, which the service reports once the
        solution is ACTIVE; so with ``automl=True`` a recipe narrows the status
        to ACTIVE, and with ``automl=None`` only ACTIVE solutions are AutoML ones.
    :param automl: ``True`` for ``performAutoML`` solutions, ``False`` for
        ones with a recipe, ``None`` for either.
    :param arn: the solution ARN, or a strategy of them.
    :raises InvalidArgument: for a status solutions do not have (the stop
        states), or ``automl=True`` with a ``recipe`` and statuses without
        ACTIVE.

    >>> import svstate
    >>> from hypothesis import given, settings
    >>> coldstart = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
    >>> @settings(max_examples=25, deadline=None)
    ... @given(solution_dicts(status="ACTIVE", recipe=coldstart))
    ... def check(solution):
    ...     found = solution.get("recipeArn") or solution["autoMLResult"]["bestRecipeArn"]
    ...     assert found == coldstart
    ...     assert svstate.validate("Solution", solution).decision.value == "allow"
    >>> check()
    """
    rs = _ruleset(ruleset)
    statuses = _statuses("status", status, _SOLUTION_STATUSES, _solution_status_problem)
    is_automl = _boolean("automl", automl, optional=True)
    if recipe is not None and is_automl is True:
        if S.ACTIVE not in statuses:
            raise InvalidArgument(
                "automl=True with a recipe, but status excludes ACTIVE: an AutoML solution "
                "shows its recipe (autoMLResult.bestRecipeArn) only once it is ACTIVE. Pass "
                "automl=False or None, a status that includes ACTIVE, or no recipe."
            )
        statuses = (S.ACTIVE,)
    recipes = _recipe_arg("recipe", recipe, rs)
    arns = _strategy_or_value("arn", arn, solution_arns(), _kind_problem(SOLUTION))
    return _solution_dicts(rs, statuses, recipes, is_automl, arns, recipe is not None)


@st.composite
def _solution_dicts(
    draw: DrawFn,
    rs: Ruleset,
    statuses: tuple[Status, ...],
    recipes: SearchStrategy[str],
    automl: bool | None,
    arns: SearchStrategy[str],
    recipe_given: bool,
) -> dict[str, Any]:
    status = draw(st.sampled_from(statuses))
    if automl is None:
        is_automl = (status is S.ACTIVE or not recipe_given) and draw(st.booleans())
    else:
        is_automl = automl
    arn = draw(arns)
    created, updated, latest_created, latest_updated = draw(_moments(4))
    latest = None
    if status in (S.ACTIVE, S.DELETE_PENDING, S.DELETE_IN_PROGRESS) and draw(st.booleans()):
        modes = tuple(m for m in TrainingMode if m in rs.training_modes)
        facts = _VersionFacts(
            arn=draw(solution_version_arns(solution_arns=arn)),
            solution_arn=arn,
            status=draw(st.sampled_from(_version_statuses(rs))),
            mode=draw(st.sampled_from(modes)) if modes else None,
            created=latest_created,
            updated=latest_updated,
            hours=0.0,
            reason=draw(st.sampled_from(_FAILURE_REASONS)),
            recipe="",
            dataset_group="",
        )
        latest = _version_dict(facts, rs, summary=True)
    return _solution_dict(
        rs,
        arn=arn,
        status=status,
        recipe=draw(recipes),
        automl=is_automl,
        created=created,
        updated=updated,
        hpo=draw(st.booleans()),
        auto_training=draw(st.booleans()),
        incremental=draw(st.booleans()),
        event_type=draw(st.none() | st.sampled_from(["click", "watch", "purchase"])),
        latest=latest,
    )
