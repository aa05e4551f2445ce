"""Strategies for ARNs: solutions, versions, campaigns, dataset groups and recipes.

Re-exported by :mod:`svstate.testing.strategies`, whose header states the rules.
"""

from __future__ import annotations

import string

from hypothesis import strategies as st

from svstate._arn import SOLUTION, arn_kind, arn_matches
from svstate._rulesets import (
    DEFAULT_RULESET,
    TRAINING_MODE,
    Ruleset,
)
from svstate.testing._args import (
    _HEX,
    _NAME_REST,
    _NAME_START,
    _RECIPES,
    _REGIONS,
    _SEGMENT,
    InvalidArgument,
    SearchStrategy,
    _account_problem,
    _boolean,
    _kind_problem,
    _name_problem,
    _region_problem,
    _ruleset,
    _strategy_or_value,
)

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
