"""Hypothesis strategies for svstate's world: ARNs, requests, responses and histories.

Use them to property-test your own orchestration code against the shapes and
the lifecycle that svstate models::

    from hypothesis import given
    from svstate.testing import strategies as sst

    @given(sst.histories(ruleset="2021-05-20"))
    def test_my_poller_accepts_every_legal_history(history): ...

Rules in this file:

* Every promise is svstate's own judgement, never a second copy of a rule:
  members, their dates and their limits come from the dated shapes of
  ``svstate._shapes``; statuses and their moves from the lifecycle
  declaration (:func:`svstate._lifecycle.lifecycle_for`); which recipes
  support UPDATE from the ruleset. ``tests/test_strategies.py`` replays each
  promise through :func:`svstate.preflight`, :func:`svstate.validate` and a
  :class:`svstate.Tracker`.
* Narrowing arguments are checked when the strategy *function* is called:
  contradictory ones (a stop status in a ruleset before 2021-05-20, UPDATE
  recipes before UPDATE existed, an override for a member the ruleset does
  not have) raise :class:`InvalidArgument` at once, naming the argument and
  what would work, never a health-check failure while drawing. A strategy
  you pass for a field cannot be checked until it draws; when it draws a
  value that breaks the promise, drawing raises :class:`InvalidArgument`
  naming your argument.
* Datetimes are aware :class:`datetime.datetime` objects in UTC, whole
  milliseconds, as botocore parses Personalize's epoch timestamps.
* Everything shrinks towards the plainest example: absent optional members,
  the first region, FULL before UPDATE, short histories.
"""

from __future__ import annotations

import datetime as _dt
import re
import string
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, Literal

import attrs

from svstate._extras import missing

try:
    import hypothesis.errors
    from hypothesis import strategies as st
    from hypothesis.strategies import DrawFn, SearchStrategy
except ImportError as error:
    raise missing("hypothesis", "svstate.testing.strategies", "testing") from error

from svstate._arn import SOLUTION, SOLUTION_LATEST, SOLUTION_VERSION, arn_kind, arn_matches
from svstate._catalogue import RULES
from svstate._errors import SvstateError
from svstate._lifecycle import IN_FLIGHT, Lifecycle, lifecycle_for
from svstate._preflight import operation_name, preflight
from svstate._rules import TARGETS
from svstate._rulesets import (
    AUTOTRAIN,
    DEFAULT_RULESET,
    GA,
    STOP,
    TRAINING_MODE,
    UPDATE_RECIPE_SINCE,
    Ruleset,
    resolve_ruleset,
)
from svstate._shapes import REQUESTS, RESPONSES, Shape
from svstate._text import describe, did_you_mean
from svstate._vocab import Status, TrainingMode, TrainingType

__all__ = [
    "History",
    "InvalidArgument",
    "Step",
    "campaign_arns",
    "dataset_group_arns",
    "histories",
    "recipe_arns",
    "requests",
    "solution_arns",
    "solution_dicts",
    "solution_version_arns",
    "solution_version_dicts",
]

_UTC = _dt.UTC
S = Status


class InvalidArgument(SvstateError, hypothesis.errors.InvalidArgument):
    """Contradictory or malformed narrowing arguments given to a strategy.

    Raised when the strategy function is called (or, for a strategy you passed
    as an argument, when it draws a value that breaks the promise). It is
    both an :class:`svstate.SvstateError` and hypothesis's own
    ``InvalidArgument``, so either ``except`` catches it.

    >>> import svstate
    >>> try:
    ...     solution_version_dicts(status="CREATE STOPPED", ruleset="2019-10-14")
    ... except svstate.SvstateError as error:
    ...     print(error)
    status 'CREATE STOPPED' does not exist in ruleset 2019-10-14: the stop states exist from 2021-05-20. Pass ruleset='2021-05-20' or later, or another status.
    """

    __module__ = "svstate.testing.strategies"


# -- vocabulary of the strategies ------------------------------------------------------------

#: Regions where Amazon Personalize is offered (partition ``aws``).
_REGIONS: tuple[str, ...] = (
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
)

#: Recipes svstate knows by ARN (empty region and account). svstate does not date
#: when each recipe appeared, so every one is drawn in every ruleset; which of them
#: support UPDATE, and from when, is the ruleset's ``update_recipes``.
_RECIPES: tuple[str, ...] = tuple(
    f"arn:aws:personalize:::recipe/{name}"
    for name in (
        "aws-hrnn-coldstart",
        "aws-user-personalization",
        "aws-hrnn",
        "aws-hrnn-metadata",
        "aws-sims",
        "aws-personalized-ranking",
        "aws-popularity-count",
        "aws-similar-items",
        "aws-trending-now",
        "aws-user-personalization-v2",
        "aws-personalized-ranking-v2",
        "aws-next-best-action",
        "aws-item-affinity",
        "aws-item-attribute-affinity",
    )
)
assert set(UPDATE_RECIPE_SINCE) <= set(_RECIPES)

_SOLUTION_STATUSES = (
    S.CREATE_PENDING,
    S.CREATE_IN_PROGRESS,
    S.ACTIVE,
    S.CREATE_FAILED,
    S.DELETE_PENDING,
    S.DELETE_IN_PROGRESS,
)
_FAILURE_REASONS = (
    "Create failed. Dataset has fewer than 25 users with at least 2 interactions each.",
    "Create failed. The interactions dataset has fewer than 1000 records.",
    "Create failed. Internal service error.",
    "Create failed. No data was found in the dataset group.",
)
_SEGMENT = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9\-_]*")
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")
_ACCOUNT = re.compile(r"\d{12}")
_NAME_START = string.ascii_letters + string.digits
_NAME_REST = _NAME_START + "-_"
_HEX = "0123456789abcdef"
_TIME_SPAN_MS = 16 * 365 * 24 * 3600 * 1000  # GA plus sixteen years
_GA_TIME = _dt.datetime(GA.year, GA.month, GA.day, tzinfo=_UTC)


# -- argument checking ----------------------------------------------------------------------


def _strategy_or_value(
    arg: str,
    value: object,
    default: SearchStrategy[str],
    problem: Callable[[str], str | None],
) -> SearchStrategy[str]:
    """``default`` for ``None``; ``st.just`` of a checked string; a checked user strategy."""
    if value is None:
        return default
    if isinstance(value, SearchStrategy):

        def checked(drawn: object) -> str:
            why = problem(drawn) if isinstance(drawn, str) else "is not a string"
            if why is not None:
                raise InvalidArgument(
                    f"the strategy passed as {arg}= drew {describe(drawn)}, which {why}. "
                    f"Pass a strategy that draws only such values."
                )
            assert isinstance(drawn, str)
            return drawn

        return value.map(checked)
    if isinstance(value, str):
        why = problem(value)
        if why is not None:
            raise InvalidArgument(f"{arg}={value!r} {why}.")
        return st.just(value)
    raise InvalidArgument(
        f"{arg} must be a string or a hypothesis strategy of strings, not {describe(value)}."
    )


def _region_problem(value: str) -> str | None:
    if _REGION.fullmatch(value):
        return None
    return "is not a region name such as 'us-east-1'"


def _account_problem(value: str) -> str | None:
    return None if _ACCOUNT.fullmatch(value) else "is not a 12-digit AWS account id"


def _name_problem(value: str) -> str | None:
    if len(value) > 63:
        return f"is {len(value)} characters long; a name has at most 63"
    if _SEGMENT.fullmatch(value):
        return None
    return (
        "is not a Personalize name: a letter or digit, then letters, digits, '-' and '_' "
        "(at most 63 characters)"
    )


def _kind_problem(kind: str) -> Callable[[str], str | None]:
    def problem(value: str) -> str | None:
        if not arn_matches(value):
            return f"is not a {kind} ARN: it does not match the service's Arn pattern"
        found = arn_kind(value)
        if found == kind:
            return None
        shown = "no resource svstate recognises" if found == "unknown" else f"a {found}"
        return f"is not a {kind} ARN (it names {shown})"

    return problem


def _ruleset(value: object) -> Ruleset:
    return resolve_ruleset(value)  # UnknownRuleset is an SvstateError


def _boolean(arg: str, value: object, optional: bool = False) -> bool | None:
    if value is None and optional:
        return None
    if not isinstance(value, bool):
        more = ", False or None" if optional else " or False"
        raise InvalidArgument(f"{arg} must be True{more}, not {describe(value)}.")
    return value


def _count(arg: str, value: object, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise InvalidArgument(
            f"{arg} must be an integer of at least {low}, not {describe(value)}."
        )
    return value


def _statuses(
    arg: str, value: object, allowed: tuple[Status, ...], explain: Callable[[Status], str]
) -> tuple[Status, ...]:
    """The statuses a ``status=`` argument allows (one, or a collection), in lifecycle order."""
    if value is None:
        return allowed
    items: Iterable[object]
    if isinstance(value, str | Status):
        items = (value,)
    elif isinstance(value, Collection) and not isinstance(value, bytes | bytearray | Mapping):
        items = value
        if not items:
            raise InvalidArgument(f"{arg} is empty; pass a status, a collection of them, or None.")
    else:
        raise InvalidArgument(
            f"{arg} must be a status, a collection of statuses or None, not {describe(value)}."
        )
    chosen: set[Status] = set()
    for item in items:
        status = Status.parse(item)  # UnknownStatus, an SvstateError, names the value
        if status not in allowed:
            raise InvalidArgument(f"{arg} {status.value!r} {explain(status)}")
        chosen.add(status)
    return tuple(s for s in allowed if s in chosen)


# -- ARNs -----------------------------------------------------------------------------------


def _names(max_size: int = 63) -> SearchStrategy[str]:
    return st.builds(
        str.__add__, st.sampled_from(_NAME_START), st.text(_NAME_REST, max_size=max_size - 1)
    )


def _accounts() -> SearchStrategy[str]:
    return st.text(string.digits, min_size=12, max_size=12)


def _resource_arns(
    resource: str, region: object, account: object, names: object
) -> SearchStrategy[str]:
    regions = _strategy_or_value("region", region, st.sampled_from(_REGIONS), _region_problem)
    accounts = _strategy_or_value("account", account, _accounts(), _account_problem)
    named = _strategy_or_value("names", names, _names(), _name_problem)
    return st.builds(
        lambda r, a, n: f"arn:aws:personalize:{r}:{a}:{resource}/{n}", regions, accounts, named
    )


def solution_arns(
    *,
    region: str | SearchStrategy[str] | None = None,
    account: str | SearchStrategy[str] | None = None,
    names: str | SearchStrategy[str] | None = None,
) -> SearchStrategy[str]:
    """Solution ARNs: ``arn:aws:personalize:REGION:ACCOUNT:solution/NAME``.

    Each argument is a fixed string, a strategy of strings, or ``None`` for
    any: ``region`` a region name (default: a Personalize region), ``account``
    a 12-digit account id, ``names`` a Personalize name (a letter or digit,
    then letters, digits, ``-`` and ``_``, at most 63 characters). Every ARN
    drawn matches the service's Arn pattern, is at most 256 characters and
    names a solution (:func:`svstate.preflight` finds no SV102/SV103 in it).

    :raises InvalidArgument: for a fixed value that is not a region, an
        account id or a name.

    >>> from hypothesis import given, settings, strategies as st
    >>> @settings(max_examples=20, deadline=None)
    ... @given(solution_arns(region="eu-west-1", names=st.sampled_from(["movies", "books"])))
    ... def check(arn):
    ...     assert arn.startswith("arn:aws:personalize:eu-west-1:")
    ...     assert arn.rpartition("/")[2] in ("movies", "books")
    >>> check()
    """
    return _resource_arns("solution", region, account, names)


def campaign_arns(
    *,
    region: str | SearchStrategy[str] | None = None,
    account: str | SearchStrategy[str] | None = None,
    names: str | SearchStrategy[str] | None = None,
) -> SearchStrategy[str]:
    """Campaign ARNs: ``arn:aws:personalize:REGION:ACCOUNT:campaign/NAME``.

    Arguments as for :func:`solution_arns`.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, deadline=None)
    ... @given(campaign_arns(account="123456789012"))
    ... def check(arn):
    ...     assert ":123456789012:campaign/" in arn
    >>> check()
    """
    return _resource_arns("campaign", region, account, names)


def dataset_group_arns(
    *,
    region: str | SearchStrategy[str] | None = None,
    account: str | SearchStrategy[str] | None = None,
    names: str | SearchStrategy[str] | None = None,
) -> SearchStrategy[str]:
    """Dataset group ARNs: ``arn:aws:personalize:REGION:ACCOUNT:dataset-group/NAME``.

    Arguments as for :func:`solution_arns`.

    >>> dataset_group_arns(names="")
    Traceback (most recent call last):
    ...
    svstate.testing.strategies.InvalidArgument: names='' is not a Personalize name: ...
    """
    return _resource_arns("dataset-group", region, account, names)


def _version_ids() -> SearchStrategy[str]:
    return st.text(_HEX, min_size=8, max_size=8)


def solution_version_arns(
    *,
    solution_arns: str | SearchStrategy[str] | None = None,
    ids: str | SearchStrategy[str] | None = None,
) -> SearchStrategy[str]:
    """Solution version ARNs: a solution ARN, ``/``, and an id (8 hex digits by default).

    ``solution_arns`` is a solution ARN or a strategy of them (default:
    :func:`solution_arns`); ``ids`` an id or a strategy of ids (letters,
    digits, ``-`` and ``_``). The version lies under its solution, as
    :func:`svstate.validate` checks (SV603).

    :raises InvalidArgument: for a fixed ARN that is not a solution's, or a
        malformed id.

    >>> from hypothesis import given, settings
    >>> movies = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
    >>> @settings(max_examples=10, deadline=None)
    ... @given(solution_version_arns(solution_arns=movies))
    ... def check(arn):
    ...     assert arn.startswith(movies + "/") and len(arn) == len(movies) + 9
    >>> check()
    >>> solution_version_arns(solution_arns=movies + "/0a1b2c3d")
    Traceback (most recent call last):
    ...
    svstate.testing.strategies.InvalidArgument: solution_arns='...' is not a solution ARN (it names a solution version).
    """
    parents = _strategy_or_value(
        "solution_arns",
        solution_arns,
        _resource_arns("solution", None, None, None),
        _kind_problem(SOLUTION),
    )
    tails = _strategy_or_value("ids", ids, _version_ids(), _segment_problem)
    return st.builds(_version_arn, parents, tails)


def _segment_problem(value: str) -> str | None:
    if _SEGMENT.fullmatch(value):
        return None
    return "is not an id of letters, digits, '-' and '_' starting with a letter or digit"


def _version_arn(solution_arn: str, version_id: str) -> str:
    arn = f"{solution_arn}/{version_id}"
    if len(arn) > 256:
        raise InvalidArgument(
            f"the version ARN {arn[:60]!r}... would be {len(arn)} characters long; an ARN has "
            "at most 256. Pass shorter solution names or ids."
        )
    return arn


def recipe_arns(
    *, ruleset: object = DEFAULT_RULESET, supports_update: bool | None = None
) -> SearchStrategy[str]:
    """Recipe ARNs such as ``arn:aws:personalize:::recipe/aws-hrnn-coldstart``.

    ``supports_update=True`` draws only the recipes that accept trainingMode
    UPDATE in ``ruleset`` (HRNN-Coldstart from 2019-10-14, also
    User-Personalization from 2020-08-24); ``False`` only those that do not;
    ``None`` any. svstate does not date when each recipe was launched, so
    every known recipe is drawn in every ruleset.

    :raises InvalidArgument: for ``supports_update=True`` in a ruleset where
        no recipe supports UPDATE (before 2019-10-14).
    :raises UnknownRuleset: for a ruleset that is not a date from 2019-06-10.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, deadline=None)
    ... @given(recipe_arns(ruleset="2020-08-24", supports_update=True))
    ... def check(arn):
    ...     assert arn.rpartition("/")[2] in ("aws-hrnn-coldstart", "aws-user-personalization")
    >>> check()
    >>> recipe_arns(ruleset="2019-06-10", supports_update=True)
    Traceback (most recent call last):
    ...
    svstate.testing.strategies.InvalidArgument: supports_update=True, but no recipe supports UPDATE in ruleset 2019-06-10: trainingMode exists from 2019-10-14. ...
    """
    rs = _ruleset(ruleset)
    wanted = _boolean("supports_update", supports_update, optional=True)
    return st.sampled_from(_recipes(rs, wanted))


def _recipes(rs: Ruleset, supports_update: bool | None) -> tuple[str, ...]:
    if supports_update is None:
        return _RECIPES
    chosen = tuple(r for r in _RECIPES if (r in rs.update_recipes) is supports_update)
    if not chosen:
        raise InvalidArgument(
            f"supports_update=True, but no recipe supports UPDATE in ruleset {rs.name}: "
            f"trainingMode exists from {TRAINING_MODE.isoformat()}. Pass "
            f"ruleset='{TRAINING_MODE.isoformat()}' or later, or supports_update=None."
        )
    return chosen


def _recipe_arg(
    arg: str, value: object, rs: Ruleset, supports_update: bool | None = None
) -> SearchStrategy[str]:
    def problem(recipe: str) -> str | None:
        if not arn_matches(recipe) or arn_kind(recipe) != "recipe":
            return "is not a recipe ARN such as 'arn:aws:personalize:::recipe/aws-sims'"
        return None

    return _strategy_or_value(arg, value, st.sampled_from(_recipes(rs, supports_update)), problem)


# -- shapes: which members a ruleset has ------------------------------------------------------


def _prune(shape: Shape, value: Any, rs: Ruleset) -> Any:
    """``value`` without the members its shape does not have in ``rs`` (recursively)."""
    if shape.kind == "structure" and isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            member = shape.members.get(key)
            if member is not None and rs.in_force(member.since):
                out[key] = _prune(member.shape, item, rs)
        return out
    if shape.kind == "list" and isinstance(value, list) and shape.item is not None:
        item_shape = shape.item
        return [_prune(item_shape, item, rs) for item in value]
    return value


def _in_force(shape: Shape, rs: Ruleset) -> dict[str, Shape]:
    return {name: m.shape for name, m in shape.members.items() if rs.in_force(m.since)}


def _required(shape: Shape, rs: Ruleset) -> tuple[str, ...]:
    return tuple(
        name
        for name, (since, until) in shape.required.items()
        if rs.in_force(since) and (until is None or not rs.in_force(until))
    )


def _later(shape: Shape, name: str) -> _dt.date | None:
    member = shape.members.get(name)
    return None if member is None else member.since


# -- timestamps -----------------------------------------------------------------------------


def _at(milliseconds: int) -> _dt.datetime:
    return _GA_TIME + _dt.timedelta(milliseconds=milliseconds)


def _moments(count: int) -> SearchStrategy[list[_dt.datetime]]:
    """``count`` datetimes in order, from 2019-06-10 on, up to 90 days apart."""
    first = st.integers(0, _TIME_SPAN_MS)
    steps = st.lists(st.integers(0, 90 * 24 * 3600 * 1000), min_size=count - 1, max_size=count - 1)

    def build(pair: tuple[int, list[int]]) -> list[_dt.datetime]:
        at = _at(pair[0])
        out = [at]
        for step in pair[1]:
            at += _dt.timedelta(milliseconds=step)
            out.append(at)
        return out

    return st.tuples(first, steps).map(build)


# -- requests -------------------------------------------------------------------------------

_SHAPE_RULES = frozenset(
    {"SV101", "SV102", "SV103", "SV104", "SV105", "SV106", "SV605", "SV606", "SV607"}
)
_EXAMPLE_SOLUTION = "arn:aws:personalize:us-east-1:123456789012:solution/example"
_EXAMPLE_VERSION = f"{_EXAMPLE_SOLUTION}/0a1b2c3d"


def _shape_errors(op: str, params: object, rs: Ruleset) -> list[str]:
    """The messages of the request-shape error findings of ``params``."""
    verdict = preflight(op, params, ruleset=rs)
    return [
        f"{f.rule} {f.message}"
        for f in verdict.findings
        if f.rule in _SHAPE_RULES and f.severity == "error"
    ]


def _tags() -> SearchStrategy[list[dict[str, str]]]:
    key = st.builds(str.__add__, st.sampled_from(_NAME_START), st.text(_NAME_REST, max_size=20))
    value = st.text(_NAME_REST + " .:/=+@", max_size=30)
    return st.lists(
        st.fixed_dictionaries({"tagKey": key, "tagValue": value}),
        max_size=3,
        unique_by=lambda tag: tag["tagKey"],
    )


def _modes(rs: Ruleset) -> tuple[str, ...]:
    """The modes a caller passes: the ruleset's, FULL first, without AUTOTRAIN (SV107)."""
    return tuple(
        m.value for m in (TrainingMode.FULL, TrainingMode.UPDATE) if m in rs.training_modes
    )


def _campaign_configs(rs: Ruleset) -> SearchStrategy[dict[str, Any]]:
    shape = REQUESTS["CreateCampaign"].members["campaignConfig"].shape
    exploration = st.fixed_dictionaries(
        {},
        optional={
            "explorationWeight": st.sampled_from(["0.3", "0.1", "0.9", "0", "1"]),
            "explorationItemAgeCutOff": st.sampled_from(["30", "1", "365"]),
        },
    )
    influence = st.fixed_dictionaries(
        {},
        optional={
            "POPULARITY": st.floats(0, 1, allow_nan=False),
            "FRESHNESS": st.floats(0, 1, allow_nan=False),
        },
    )
    config = st.fixed_dictionaries(
        {},
        optional={
            "itemExplorationConfig": exploration,
            "enableMetadataWithRecommendations": st.booleans(),
            "syncWithLatestSolutionVersion": st.booleans(),
            "rankingInfluence": influence,
        },
    )
    return config.map(lambda value: _prune(shape, value, rs))


def _member_strategy(op: str, name: str, rs: Ruleset) -> SearchStrategy[Any]:
    if name == "solutionArn":
        return solution_arns()
    if name == "solutionVersionArn":
        versions = solution_version_arns()
        if op == "CreateCampaign" and rs.in_force(AUTOTRAIN):
            return st.one_of(versions, solution_arns().map(lambda arn: f"{arn}/$LATEST"))
        return versions
    if name == "trainingMode":
        return st.sampled_from(_modes(rs))
    if name == "tags":
        return _tags()
    if name == "name":
        return _names()
    if name == "minProvisionedTPS":
        return st.integers(1, 500)
    if name == "campaignConfig":
        return _campaign_configs(rs)
    raise SvstateError(f"svstate.testing.strategies has no strategy for {op}.{name}; report it.")


_EXAMPLE_VALUES: Mapping[str, object] = {
    "solutionArn": _EXAMPLE_SOLUTION,
    "solutionVersionArn": _EXAMPLE_VERSION,
    "trainingMode": "FULL",
    "tags": [],
    "name": "example",
    "minProvisionedTPS": 1,
    "campaignConfig": {},
}


def _couple(op: str, params: dict[str, Any], fixed: Collection[str]) -> None:
    """Make members that depend on each other agree, changing only those not ``fixed``.

    CreateCampaign with ``campaignConfig.syncWithLatestSolutionVersion`` true
    needs the ``SolutionArn/$LATEST`` form (SV103).
    """
    if op != "CreateCampaign":
        return
    config = params.get("campaignConfig")
    arn = params.get("solutionVersionArn")
    if not (isinstance(config, dict) and config.get("syncWithLatestSolutionVersion") is True):
        return
    if not isinstance(arn, str) or not arn_matches(arn) or arn_kind(arn) == SOLUTION_LATEST:
        return
    if "solutionVersionArn" not in fixed and arn_kind(arn) == SOLUTION_VERSION:
        params["solutionVersionArn"] = arn.rpartition("/")[0] + "/$LATEST"
    elif "campaignConfig" not in fixed:
        params["campaignConfig"] = {**config, "syncWithLatestSolutionVersion": False}


# Mutations that make a request invalid: (rule broken, kind of mutation, member or None).
_Mutation = tuple[str, str, str | None]


def _mutations(op: str, rs: Ruleset, fixed: Collection[str]) -> list[_Mutation]:
    shape = REQUESTS[op]
    members = _in_force(shape, rs)
    free = [name for name in members if name not in fixed]
    out: list[_Mutation] = [("SV101", "drop", m) for m in _required(shape, rs) if m in free]
    target = TARGETS[op][0]
    for name in free:
        member = members[name]
        if member.name == "Arn":
            out.append(("SV102", "bad_arn", name))
        if name == target:
            out.append(("SV103", "wrong_kind", name))
        if name == "trainingMode":
            out.append(("SV104", "bad_mode", name))
        if name == "name":
            out.append(("SV106", "bad_name", name))
        if name == "tags":
            out.append(("SV106", "bad_tags", name))
        if name == "minProvisionedTPS":
            out.append((member.rule, "below_min", name))
        out.append((member.rule, "wrong_type", name))
    out.append(("SV105", "unknown_member", None))
    return out


_BAD_MODES = ("FUL", "full", "Update", "INCREMENTAL", "PARTIAL", "")
_BAD_NAMES = ("-movies", "_movies", "", " movies", "é", "x" * 64)
_WRONG_TYPES: Mapping[str, tuple[object, ...]] = {
    "string": (7, None, True, ["x"], {"x": "y"}, b"x"),
    "integer": ("1", 1.5, True, None, [1]),
    "structure": ("x", ["x"], 1, None),
    "list": ("x", {"tagKey": "k", "tagValue": "v"}, 1, None),
}


def _apply(
    draw: DrawFn,
    mutation: _Mutation,
    params: dict[str, Any],
    op: str,
    rs: Ruleset,
    fixed: Collection[str],
) -> None:
    _, kind, name = mutation
    shape = REQUESTS[op]
    if kind == "drop":
        assert name is not None
        params.pop(name, None)
        return
    if kind == "unknown_member":
        members = _in_force(shape, rs)
        candidates = [k for k in _unknown_keys(shape) if k not in members]
        key = draw(st.sampled_from(candidates))
        params[key] = draw(st.sampled_from(["x", 1, True]))
        return
    assert name is not None
    if kind == "bad_arn":
        good = draw(solution_arns())
        params[name] = draw(
            st.sampled_from(
                [
                    good.removeprefix("arn:"),
                    good.replace("arn:aws:", "arn:AWS:", 1),
                    good.replace(":personalize:", ":s3:", 1),
                    "",
                    good + "/" + "a" * (257 - len(good)),
                ]
            )
        )
    elif kind == "wrong_kind":
        params[name] = draw(st.sampled_from(_wrong_kinds(op, rs, params, fixed, draw)))
    elif kind == "bad_mode":
        extra = () if rs.in_force(AUTOTRAIN) else ("AUTOTRAIN",)
        params[name] = draw(st.sampled_from(_BAD_MODES + extra))
    elif kind == "bad_name":
        params[name] = draw(st.sampled_from(_BAD_NAMES))
    elif kind == "bad_tags":
        params[name] = draw(
            st.sampled_from(
                [
                    [{"tagKey": "", "tagValue": "v"}],
                    [{"tagKey": "a*b", "tagValue": "v"}],
                    [{"tagKey": "k" * 129, "tagValue": "v"}],
                    [{"tagKey": "k", "tagValue": "v" * 257}],
                    [{"tagKey": f"k{i}", "tagValue": "v"} for i in range(201)],
                ]
            )
        )
    elif kind == "below_min":
        params[name] = draw(st.integers(-5, 0))
    elif kind == "wrong_type":
        member_kind = shape.members[name].shape.kind
        params[name] = draw(st.sampled_from(_WRONG_TYPES[member_kind]))


def _unknown_keys(shape: Shape) -> list[str]:
    keys = []
    for name in shape.members:
        keys += [name.lower(), name[0].upper() + name[1:], name + "s", name]
    return [*keys, "dryRun", "clientToken", "foo"]


def _wrong_kinds(
    op: str, rs: Ruleset, params: dict[str, Any], fixed: Collection[str], draw: DrawFn
) -> list[str]:
    solution = draw(solution_arns())
    version = draw(solution_version_arns(solution_arns=solution))
    others = [
        draw(campaign_arns()),
        draw(dataset_group_arns()),
        draw(recipe_arns(ruleset=rs)),
    ]
    if op in ("CreateSolutionVersion", "DeleteSolution"):
        return [version, *others]
    if op == "StopSolutionVersionCreation":
        return [solution, f"{solution}/$LATEST", *others]
    kinds = [solution, *others]
    if not rs.in_force(AUTOTRAIN):
        kinds.append(f"{solution}/$LATEST")
    else:
        config = params.get("campaignConfig")
        if "campaignConfig" not in fixed and isinstance(config, dict):
            # A single version while the campaign syncs with the latest one.
            params["campaignConfig"] = {**config, "syncWithLatestSolutionVersion": True}
            kinds = [version, *kinds]
    return kinds


def _breaking(
    breaking: object, valid: bool, possible: Collection[str], where: str
) -> tuple[str, ...]:
    """The rule ids a ``breaking=`` argument asks for, checked against what is possible."""
    if breaking is None:
        return tuple(sorted(possible))
    if valid:
        raise InvalidArgument(
            f"breaking={breaking!r} asks for examples that break a rule, but {where} promises "
            "only legal ones. Drop breaking=, or pass the invalid/illegal flag."
        )
    wanted: list[object]
    if isinstance(breaking, str):
        wanted = [breaking]
    elif isinstance(breaking, Collection) and not isinstance(breaking, bytes | Mapping):
        wanted = list(breaking)
    else:
        raise InvalidArgument(
            f"breaking must be a rule id such as 'SV104' or a collection of them, not "
            f"{describe(breaking)}."
        )
    if not wanted:
        raise InvalidArgument("breaking is empty; pass a rule id, a collection of them, or None.")
    chosen: set[str] = set()
    for rule_id in wanted:
        if not isinstance(rule_id, str) or rule_id not in possible:
            known = (
                "" if isinstance(rule_id, str) and rule_id in RULES else " is not a rule id and"
            )
            raise InvalidArgument(
                f"breaking={rule_id!r}{known} cannot be broken by {where}; it can break "
                f"{', '.join(sorted(possible))}."
            )
        chosen.add(rule_id)
    return tuple(sorted(chosen))


def requests(
    operation: str,
    *,
    valid: bool = True,
    ruleset: object = DEFAULT_RULESET,
    breaking: str | Collection[str] | None = None,
    **field_strategies: object,
) -> SearchStrategy[dict[str, Any]]:
    """Request dicts (boto3 keyword arguments) for one modelled operation.

    ``operation`` is CreateSolutionVersion, StopSolutionVersionCreation,
    CreateCampaign or DeleteSolution (API or boto3 name). Members follow the
    dated shape of ``ruleset``: ``trainingMode`` from 2019-10-14, ``tags``
    from 2022-04-07, ``name`` on CreateSolutionVersion from 2022-11-17,
    ``minProvisionedTPS`` required until 2021-07-21, and so on.

    * ``valid=True``: :func:`svstate.preflight` finds no request-shape error
      (SV1xx, SV6xx) in any example. Rules about the solution's state may
      still deny or be unknown: the request carries no facts. trainingMode
      AUTOTRAIN (whose use by callers is unconfirmed, SV107) is drawn only
      when you ask for it.
    * ``valid=False``: every example breaks at least one request-shape rule
      (SV101 missing member, SV102 malformed ARN, SV103 ARN of the wrong
      kind, SV104 bad trainingMode, SV105 unknown member, SV106 bad name or
      tags, SV607 wrong type or bound). ``breaking`` narrows to some of them.

    Keyword arguments named after members override them: a strategy
    (``trainingMode=st.just("UPDATE")``) or a fixed value
    (``trainingMode="UPDATE"``); an overridden member is always present. With
    ``valid=False`` overridden members are left as you drew them and the
    example is broken elsewhere.

    :raises InvalidArgument: at call time for an override of a member the
        ruleset lacks, a fixed override that is not valid with ``valid=True``,
        StopSolutionVersionCreation before 2021-05-20 (the operation did not
        exist), or a ``breaking`` rule the operation cannot break.
    :raises UnsupportedOperation: for an operation svstate does not model.

    >>> import svstate
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=25, deadline=None)
    ... @given(requests("create_solution_version", trainingMode="UPDATE"))
    ... def check(params):
    ...     assert params["trainingMode"] == "UPDATE"
    ...     verdict = svstate.preflight("CreateSolutionVersion", params)
    ...     assert not [f for f in verdict.findings if f.rule.startswith("SV1")]
    >>> check()
    >>> requests("CreateSolutionVersion", name="nightly", ruleset="2019-10-14")
    Traceback (most recent call last):
    ...
    svstate.testing.strategies.InvalidArgument: name is not a member of CreateSolutionVersion in ruleset 2019-10-14; it exists from 2022-11-17. ...
    """
    op = operation_name(operation)
    rs = _ruleset(ruleset)
    is_valid = _boolean("valid", valid)
    assert is_valid is not None
    if op == "StopSolutionVersionCreation" and not rs.has_stop:
        raise InvalidArgument(
            f"StopSolutionVersionCreation does not exist in ruleset {rs.name}; it was added on "
            f"{STOP.isoformat()}. Pass ruleset='{STOP.isoformat()}' or later."
        )
    shape = REQUESTS[op]
    members = _in_force(shape, rs)
    overrides: dict[str, SearchStrategy[Any]] = {}
    values: dict[str, object] = {}
    for name, value in field_strategies.items():
        if name not in members:
            since = _later(shape, name)
            if since is not None:
                raise InvalidArgument(
                    f"{name} is not a member of {op} in ruleset {rs.name}; it exists from "
                    f"{since.isoformat()}. Pass ruleset='{since.isoformat()}' or later, or drop "
                    f"{name}=."
                )
            near = did_you_mean(name, list(members))
            hint = f" Did you mean {near!r}?" if near else ""
            raise InvalidArgument(
                f"{name!r} is not a member of {op} in ruleset {rs.name}; its members are "
                f"{', '.join(members)}.{hint}"
            )
        if isinstance(value, SearchStrategy):
            overrides[name] = value
        else:
            values[name] = value
            overrides[name] = st.just(value)
    if is_valid and values:
        base = {m: _EXAMPLE_VALUES[m] for m in _required(shape, rs)}
        base.update(values)
        _couple(op, base, values)
        errors = _shape_errors(op, base, rs)
        if errors:
            raise InvalidArgument(
                f"valid=True, but the values passed for {', '.join(values)} make a {op} request "
                f"invalid in ruleset {rs.name}: {errors[0]} Pass valid values, or valid=False."
            )
    mutations = _mutations(op, rs, overrides)
    rules = _breaking(
        breaking, is_valid, {m[0] for m in mutations}, f"requests({op!r}, ruleset={rs.name!r})"
    )
    return _requests(op, rs, is_valid, overrides, [m for m in mutations if m[0] in rules])


@st.composite
def _requests(
    draw: DrawFn,
    op: str,
    rs: Ruleset,
    valid: bool,
    overrides: Mapping[str, SearchStrategy[Any]],
    mutations: list[_Mutation],
) -> dict[str, Any]:
    shape = REQUESTS[op]
    required = _required(shape, rs)
    params: dict[str, Any] = {}
    for name in _in_force(shape, rs):
        chosen = overrides.get(name)
        if chosen is not None:
            params[name] = draw(chosen)
        elif name in required or draw(st.booleans()):
            params[name] = draw(_member_strategy(op, name, rs))
    _couple(op, params, overrides)
    if valid:
        if overrides:
            errors = _shape_errors(op, params, rs)
            if errors:
                raise InvalidArgument(
                    f"valid=True, but the strategies passed for {', '.join(overrides)} drew a "
                    f"{op} request that is invalid in ruleset {rs.name}: {errors[0]} "
                    "Pass strategies that draw valid values, or valid=False."
                )
        return params
    mutation = draw(st.sampled_from(mutations))
    _apply(draw, mutation, params, op, rs, overrides)
    return params


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


# -- histories ------------------------------------------------------------------------------

_StepKind = Literal["call", "observe"]


@attrs.frozen
class Step:
    """One step of a :class:`History`: a call with its response, or an observation.

    ``kind`` is ``"call"`` (a modelled operation: pre-flight it, then feed
    its response to the tracker) or ``"observe"`` (DescribeSolution,
    ListSolutionVersions or DescribeSolutionVersion: feed the response to the
    tracker). ``params`` is the request as passed to boto3; ``response`` the
    parsed response, the parsed error response the service would give to a
    refused call (``{"Error": {"Code": ..., "Message": ...}}``), or ``None``
    when the call could not be made at all (an operation the ruleset lacks).
    ``breaks`` is the id of the rule the step breaks, ``None`` for a legal step.

    >>> step = Step("call", "DeleteSolution", {"solutionArn": "arn:..."}, {})
    >>> step.kind, step.breaks
    ('call', None)
    """

    __module__ = "svstate.testing.strategies"

    kind: _StepKind
    operation: str
    params: dict[str, Any]
    response: dict[str, Any] | None
    breaks: str | None = None


@attrs.frozen
class History:
    """A sequence of calls and observations of one solution, as a pipeline sees them.

    ``steps`` are :class:`Step` records in order; ``ruleset`` the date whose
    rules they follow (pass it to :class:`svstate.Tracker`); ``solution_arn``
    the solution. For an illegal history, ``illegal_at`` is the index of the
    one illegal step and ``rule`` the id of the rule it breaks; both are
    ``None`` for a legal history.

    >>> h = History(steps=(), ruleset="2019-10-14", solution_arn="arn:...")
    >>> h.illegal_at is None and h.illegal_step is None
    True
    """

    __module__ = "svstate.testing.strategies"

    steps: tuple[Step, ...]
    ruleset: str
    solution_arn: str
    illegal_at: int | None = None
    rule: str | None = None

    @property
    def illegal_step(self) -> Step | None:
        """The illegal step, or ``None`` for a legal history."""
        return None if self.illegal_at is None else self.steps[self.illegal_at]


# The rules an illegal history can break, with what each needs to be breakable.
_ILLEGAL_RULES = ("SV301", "SV302", "SV501", "SV701", "SV801", "SV901")
# Rules whose illegal step may need a version created first (one is kept in reserve).
_NEEDS_VERSION = frozenset({"SV302", "SV501", "SV701", "SV901"})


def _possible(rs: Ruleset, max_versions: int) -> dict[str, str | None]:
    """For each rule an illegal history can break: ``None`` if possible, else why not."""
    mode_since = TRAINING_MODE.isoformat()
    no_mode = f"trainingMode exists from {mode_since}; pass ruleset='{mode_since}' or later"
    no_version = "its illegal step needs a solution version; pass max_versions=1 or more"
    why: dict[str, str | None] = dict.fromkeys(_ILLEGAL_RULES)
    if not rs.in_force(TRAINING_MODE):
        why["SV301"] = why["SV302"] = no_mode
    for rule_id in _NEEDS_VERSION:
        if max_versions < 1 and why[rule_id] is None:
            why[rule_id] = no_version
    if rs.has_stop and max_versions < 1:
        why["SV801"] = no_version
    return why


def _onward(lc: Lifecycle) -> dict[Status, tuple[Status, ...]]:
    """For each status, the statuses polling may show next without anyone calling stop."""
    out: dict[Status, tuple[Status, ...]] = {}
    for start in lc.statuses:
        seen = {start}
        frontier = [start]
        while frontier:
            here = frontier.pop()
            for trigger in lc.triggers_from[here]:
                nxt = lc.next_status[here, trigger]
                if trigger != "stop" and nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        out[start] = tuple(s for s in lc.statuses if s in seen)
    return out


def _unrelated(lc: Lifecycle) -> dict[Status, tuple[Status, ...]]:
    """For each status, those neither reachable from it nor leading to it (SV501, not stale)."""
    return {
        s: tuple(t for t in lc.statuses if t not in lc.reachable[s] and s not in lc.reachable[t])
        for s in lc.statuses
    }


@attrs.define
class _Version:
    arn: str
    mode: TrainingMode
    status: Status
    created: _dt.datetime
    changed: _dt.datetime
    hours: float = 0.0
    reason: str = ""


class _World:
    """The service as a history generator sees it: one solution and its versions."""

    def __init__(
        self,
        draw: DrawFn,
        rs: Ruleset,
        solution: dict[str, Any],
        recipe: str,
        ids: list[str],
        budget: int,
        start: _dt.datetime,
    ):
        self.draw = draw
        self.rs = rs
        self.lc = lifecycle_for(rs)
        self.onward = _onward(self.lc)
        self.unrelated = _unrelated(self.lc)
        self.solution = solution
        self.arn: str = solution["solutionArn"]
        self.recipe = recipe
        self.update_recipe = recipe in rs.update_recipes
        self.dataset_group: str = solution["datasetGroupArn"]
        self.ids = ids
        self.budget = budget
        self.now = start
        self.versions: list[_Version] = []
        self.campaigns = 0
        self.steps: list[Step] = []

    # -- what is true now --------------------------------------------------------------
    def update_allowed(self) -> bool:
        """Whether an UPDATE passes SV301 now (mirrors the rule's evidence)."""
        return any(
            v.status is S.ACTIVE
            and (v.mode is TrainingMode.FULL or not self.rs.in_force(AUTOTRAIN))
            for v in self.versions
        )

    def _tick(self) -> None:
        self.now += _dt.timedelta(milliseconds=self.draw(st.integers(1_000, 4 * 3600 * 1000)))

    # -- steps ---------------------------------------------------------------------------
    def _record(self, v: _Version, summary: bool) -> dict[str, Any]:
        facts = _VersionFacts(
            arn=v.arn,
            solution_arn=self.arn,
            status=v.status,
            mode=v.mode,
            created=v.created,
            updated=v.changed,
            hours=v.hours,
            reason=v.reason,
            recipe=self.recipe,
            dataset_group=self.dataset_group,
        )
        return _version_dict(facts, self.rs, summary)

    def _move(self, v: _Version, status: Status) -> None:
        if status is v.status:
            return
        v.status = status
        v.changed = self.now
        if status is S.ACTIVE:
            v.hours = self.draw(st.floats(0.1, 48, allow_nan=False))
        if status is S.CREATE_FAILED:
            v.reason = self.draw(st.sampled_from(_FAILURE_REASONS))

    def _next_status(self, v: _Version, no_active: bool) -> Status:
        choices = [s for s in self.onward[v.status] if not (no_active and s is S.ACTIVE)]
        return self.draw(st.sampled_from(choices))

    def create(self, mode: TrainingMode) -> _Version:
        self._tick()
        params: dict[str, Any] = {"solutionArn": self.arn}
        if self.rs.in_force(TRAINING_MODE) and (
            mode is not TrainingMode.FULL or self.draw(st.booleans())
        ):
            params["trainingMode"] = mode.value
        arn = f"{self.arn}/{self.ids.pop()}"
        v = _Version(arn, mode, S.CREATE_PENDING, self.now, self.now)
        self.versions.append(v)
        self.budget -= 1
        self.steps.append(
            Step("call", "CreateSolutionVersion", params, {"solutionVersionArn": arn})
        )
        return v

    def observe(self, v: _Version, status: Status | None = None, no_active: bool = False) -> None:
        self._tick()
        self._move(v, self._next_status(v, no_active) if status is None else status)
        self.steps.append(
            Step(
                "observe",
                "DescribeSolutionVersion",
                {"solutionVersionArn": v.arn},
                {"solutionVersion": self._record(v, summary=False)},
            )
        )

    def list_versions(self, no_active: bool, *, move: bool = True) -> None:
        """A ListSolutionVersions; ``move=False`` shows every version as it is, so that a
        step after it rests on observed statuses, not on ones inferred from create calls."""
        self._tick()
        for v in self.versions if move else ():
            self._move(v, self._next_status(v, no_active))
        newest_first = sorted(self.versions, key=lambda v: v.created, reverse=True)
        self.steps.append(
            Step(
                "observe",
                "ListSolutionVersions",
                {"solutionArn": self.arn},
                {"solutionVersions": [self._record(v, summary=True) for v in newest_first]},
            )
        )

    def describe_solution(self, no_active: bool) -> None:
        self._tick()
        solution = dict(self.solution)
        if self.versions:
            newest = max(self.versions, key=lambda v: v.created)
            self._move(newest, self._next_status(newest, no_active))
            solution["latestSolutionVersion"] = self._record(newest, summary=True)
            solution = _prune(RESPONSES["Solution"], solution, self.rs)
        self.steps.append(
            Step("observe", "DescribeSolution", {"solutionArn": self.arn}, {"solution": solution})
        )

    def stop(self, v: _Version) -> None:
        self._tick()
        self._move(v, self.lc.next_status[v.status, "stop"])
        self.steps.append(
            Step("call", "StopSolutionVersionCreation", {"solutionVersionArn": v.arn}, {})
        )

    def campaign(self, v: _Version) -> None:
        self._tick()
        self.campaigns += 1
        name = f"{self.arn.rpartition('/')[2][:50]}-campaign-{self.campaigns}"
        prefix = self.arn.partition(":solution/")[0]
        self.steps.append(
            Step(
                "call",
                "CreateCampaign",
                {"name": name, "solutionVersionArn": v.arn, "minProvisionedTPS": 1},
                {"campaignArn": f"{prefix}:campaign/{name}"},
            )
        )

    # -- a legal walk ----------------------------------------------------------------------
    def walk(self, count: int, no_active: bool = False, no_campaign: bool = False) -> None:
        """``count`` legal steps.

        ``no_active`` keeps every version away from ACTIVE (so that an UPDATE
        breaks SV301 alone); ``no_campaign`` creates no campaign (so that a
        DeleteSolution breaks SV901 alone, not SV902 too).
        """
        for _ in range(count):
            actions: list[str] = []
            if self.budget > 0:
                actions.append("create FULL")
            if self.versions:
                actions.append("observe")
            if (
                self.budget > 0
                and self.update_recipe
                and TrainingMode.UPDATE in self.rs.training_modes
                and self.update_allowed()
            ):
                actions.append("create UPDATE")
            active = [v for v in self.versions if v.status is S.ACTIVE]
            if active and not no_campaign:
                actions.append("campaign")
            in_flight = [v for v in self.versions if v.status in IN_FLIGHT]
            if in_flight and self.rs.has_stop:
                actions.append("stop")
            if self.versions or not actions:
                actions += ["list", "describe solution"]
            action = self.draw(st.sampled_from(actions))
            if action == "create FULL":
                self.create(TrainingMode.FULL)
            elif action == "create UPDATE":
                self.create(TrainingMode.UPDATE)
            elif action == "observe":
                self.observe(self.draw(st.sampled_from(self.versions)), no_active=no_active)
            elif action == "campaign":
                self.campaign(self.draw(st.sampled_from(active)))
            elif action == "stop":
                self.stop(self.draw(st.sampled_from(in_flight)))
            elif action == "list":
                self.list_versions(no_active)
            else:
                self.describe_solution(no_active)

    def settle(self, v: _Version, statuses: tuple[Status, ...]) -> None:
        """Observe ``v`` until it is in one of ``statuses`` (terminal ones)."""
        if v.status is S.CREATE_PENDING and self.draw(st.booleans()):
            self.observe(v, S.CREATE_IN_PROGRESS)
        self.observe(v, self.draw(st.sampled_from(statuses)))

    # -- the one illegal step --------------------------------------------------------------
    def refused(self, op: str, params: dict[str, Any], rule_id: str) -> None:
        self._tick()
        rule = RULES[rule_id]
        code = rule.error_code or "InvalidInputException"
        response: dict[str, Any] | None = {
            "Error": {"Code": code, "Message": rule.title},
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }
        if rule_id == "SV801" and not self.rs.has_stop:
            response = None  # the operation does not exist: there is no answer
        self.steps.append(Step("call", op, params, response, breaks=rule_id))

    def break_rule(self, rule_id: str) -> None:
        """Append the steps that make ``rule_id`` breakable, then the step that breaks it."""
        draw = self.draw
        params: dict[str, Any]
        if rule_id in ("SV301", "SV302"):
            if rule_id == "SV302" and not self.update_allowed():
                self.settle(self.create(TrainingMode.FULL), (S.ACTIVE,))
            if rule_id == "SV301":
                self.list_versions(True, move=False)
            params = {"solutionArn": self.arn, "trainingMode": "UPDATE"}
            self.refused("CreateSolutionVersion", params, rule_id)
        elif rule_id == "SV701":
            waiting = [v for v in self.versions if v.status is not S.ACTIVE]
            v = draw(st.sampled_from(waiting)) if waiting else self.create(TrainingMode.FULL)
            self.list_versions(False, move=False)
            params = {"name": "refused", "solutionVersionArn": v.arn, "minProvisionedTPS": 1}
            self.refused("CreateCampaign", params, rule_id)
        elif rule_id == "SV801":
            if not self.rs.has_stop:
                arns = [v.arn for v in self.versions] or [f"{self.arn}/{self.ids[0]}"]
                arn = draw(st.sampled_from(arns))
            else:
                settled = [v for v in self.versions if v.status not in IN_FLIGHT]
                if not settled:
                    v = self.create(TrainingMode.FULL)
                    self.settle(v, (S.ACTIVE, S.CREATE_FAILED))
                    settled = [v]
                arn = draw(st.sampled_from(settled)).arn
            self.refused("StopSolutionVersionCreation", {"solutionVersionArn": arn}, rule_id)
        elif rule_id == "SV901":
            if not any(v.status in IN_FLIGHT for v in self.versions):
                self.create(TrainingMode.FULL)
            self.list_versions(False, move=False)
            self.refused("DeleteSolution", {"solutionArn": self.arn}, rule_id)
        else:
            assert rule_id == "SV501"
            movable = [v for v in self.versions if self.unrelated[v.status]]
            if not movable:
                v = self.create(TrainingMode.FULL)
                self.settle(v, (S.ACTIVE, S.CREATE_FAILED))
                movable = [v]
            v = draw(st.sampled_from(movable))
            self.observe(v, draw(st.sampled_from(self.unrelated[v.status])))
            last = self.steps[-1]
            self.steps[-1] = attrs.evolve(last, breaks=rule_id)


def histories(
    *,
    ruleset: object = DEFAULT_RULESET,
    legal: bool = True,
    max_versions: int = 4,
    max_steps: int = 20,
    breaking: str | Collection[str] | None = None,
    solution_arn: str | SearchStrategy[str] | None = None,
    recipe: str | SearchStrategy[str] | None = None,
) -> SearchStrategy[History]:
    """Histories of one solution: the calls a pipeline makes and what it observes.

    A history opens with DescribeSolution (the solution is ACTIVE) and a
    complete, empty ListSolutionVersions; then come CreateSolutionVersion
    calls (FULL, and UPDATE where the recipe and an ACTIVE FULL version allow
    it), observations (DescribeSolutionVersion, ListSolutionVersions,
    DescribeSolution with its latest version) that move versions along the
    lifecycle, skipping statuses as polling does, StopSolutionVersionCreation
    on versions being created (from 2021-05-20) and CreateCampaign on ACTIVE
    versions. Timestamps only move forward.

    Replayed into a fresh ``svstate.Tracker(ruleset=history.ruleset)``
    (a call step: ``tracker.preflight(op, params)``, then
    ``tracker.observe(op, params, response)``; an observe step:
    ``tracker.observe(op, params, response)``):

    * ``legal=True``: every call is allowed (ALLOW) and no observation
      reports a finding.
    * ``legal=False``: exactly one step is illegal: ``history.illegal_at``,
      breaking ``history.rule``. It is one of: UPDATE before any ACTIVE FULL
      version (SV301), UPDATE with a recipe that does not support it (SV302),
      an observation that moves a version to a status it cannot reach
      (SV501), CreateCampaign on a version that is not ACTIVE (SV701),
      StopSolutionVersionCreation on a settled version or before the
      operation existed (SV801), DeleteSolution while a version is being
      created (SV901). A refused call's response is the service's error
      response (``None`` for an operation the ruleset lacks); the steps after
      it are legal again.

    :param max_versions: at most this many versions are created.
    :param max_steps: at most this many steps besides the opening two, the
        illegal one and those it needs to become breakable.
    :param breaking: with ``legal=False``, a rule id or collection of them to
        choose the illegal step from.
    :param solution_arn: the solution ARN, or a strategy of them.
    :param recipe: the solution's recipe ARN, or a strategy of them (an
        AutoML solution reports it as ``autoMLResult.bestRecipeArn``).
    :raises InvalidArgument: for ``breaking`` with ``legal=True``, a rule no
        history in the ruleset can break with these arguments (SV301/SV302
        before 2019-10-14, a rule needing a version with ``max_versions=0``,
        SV302 with a recipe that supports UPDATE), or bad counts.

    >>> import svstate
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, deadline=None)
    ... @given(histories(legal=False, breaking="SV701", ruleset="2021-05-20"))
    ... def check(history):
    ...     tracker = svstate.Tracker(ruleset=history.ruleset)
    ...     for i, step in enumerate(history.steps):
    ...         if step.kind == "call":
    ...             verdict = tracker.preflight(step.operation, step.params)
    ...             assert (verdict.decision.value == "deny") == (i == history.illegal_at)
    ...         tracker.observe(step.operation, step.params, step.response)
    >>> check()
    """
    rs = _ruleset(ruleset)
    is_legal = _boolean("legal", legal)
    assert is_legal is not None
    versions = _count("max_versions", max_versions)
    steps = _count("max_steps", max_steps)
    why = _possible(rs, versions)
    fixed_recipe = recipe if isinstance(recipe, str) else None
    recipes = _recipe_arg("recipe", recipe, rs)
    if fixed_recipe is not None and fixed_recipe in rs.update_recipes and why["SV302"] is None:
        why["SV302"] = f"recipe {fixed_recipe.rpartition('/')[2]} supports UPDATE in {rs.name}"
    possible = {rule_id for rule_id, reason in why.items() if reason is None}
    where = f"histories(ruleset={rs.name!r}, max_versions={versions})"
    if breaking is not None and not is_legal:
        for rule_id in [breaking] if isinstance(breaking, str) else breaking:
            reason = why.get(rule_id) if isinstance(rule_id, str) else None
            if reason is not None:
                raise InvalidArgument(
                    f"breaking={rule_id!r}, but {where} cannot break it: {reason}."
                )
    rules = _breaking(breaking, is_legal, possible, where)
    if not is_legal and not rules:
        raise InvalidArgument(f"{where} can break no rule; pass max_versions=1 or more.")
    arns = _strategy_or_value(
        "solution_arn", solution_arn, solution_arns(), _kind_problem(SOLUTION)
    )
    return _histories(rs, is_legal, versions, steps, rules, arns, recipes, recipe is not None)


def _length(draw: DrawFn, most: int) -> int:
    """A length from 0 to ``most`` that still shrinks to 0.

    Hypothesis draws 0 for about two in five composite examples; the larger of two
    draws makes long histories common without losing the short ones.
    """
    return max(draw(st.integers(0, most)), draw(st.integers(0, most)))


@st.composite
def _histories(
    draw: DrawFn,
    rs: Ruleset,
    legal: bool,
    max_versions: int,
    max_steps: int,
    rules: tuple[str, ...],
    arns: SearchStrategy[str],
    recipes: SearchStrategy[str],
    recipe_given: bool,
) -> History:
    rule_id = None if legal else draw(st.sampled_from(rules))
    if rule_id == "SV302":
        recipe = draw(recipes if recipe_given else recipe_arns(ruleset=rs, supports_update=False))
        if recipe in rs.update_recipes:
            raise InvalidArgument(
                f"breaking='SV302' needs a recipe that does not support UPDATE, but the strategy "
                f"passed as recipe= drew {recipe!r}, which supports it in ruleset {rs.name}."
            )
    elif not recipe_given and rs.update_recipes and (rule_id == "SV301" or draw(st.booleans())):
        # Half the time (always, for SV301) a recipe that supports UPDATE, so that
        # UPDATE calls are common rather than rare.
        recipe = draw(recipe_arns(ruleset=rs, supports_update=True))
    else:
        recipe = draw(recipes)
    arn = draw(arns)
    ids = draw(
        st.lists(_version_ids(), min_size=max_versions + 1, max_size=max_versions + 1, unique=True)
    )
    start = _dt.datetime(rs.date.year, rs.date.month, rs.date.day, 9, tzinfo=_UTC)
    created = start - _dt.timedelta(hours=draw(st.integers(2, 24 * 365)))
    solution = _solution_dict(
        rs,
        arn=arn,
        status=S.ACTIVE,
        recipe=recipe,
        automl=draw(st.booleans()),
        created=created,
        updated=created + _dt.timedelta(hours=1),
    )
    reserve = 1 if rule_id in _NEEDS_VERSION or (rule_id == "SV801" and rs.has_stop) else 0
    world = _World(draw, rs, solution, recipe, ids, max_versions - reserve, start)
    world.steps.append(
        Step("observe", "DescribeSolution", {"solutionArn": arn}, {"solution": solution})
    )
    world.steps.append(
        Step("observe", "ListSolutionVersions", {"solutionArn": arn}, {"solutionVersions": []})
    )
    if rule_id is None:
        world.walk(_length(draw, max_steps))
        return History(tuple(world.steps), rs.name, arn)
    before = _length(draw, max_steps)
    world.walk(before, no_active=rule_id == "SV301", no_campaign=rule_id == "SV901")
    world.budget += reserve
    world.break_rule(rule_id)
    illegal_at = len(world.steps) - 1
    world.walk(draw(st.integers(0, max_steps - before)))
    return History(tuple(world.steps), rs.name, arn, illegal_at, rule_id)
