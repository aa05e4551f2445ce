"""Argument checking and the vocabulary the strategies draw from.

The one place the strategies import hypothesis (so that without it, importing them
names the ``testing`` extra); the other parts take ``st`` and its types from here.
"""

from __future__ import annotations

import datetime as _dt
import re
import string
from collections.abc import Callable, Collection, Iterable, Mapping

from svstate._extras import missing

try:
    import hypothesis.errors
    from hypothesis import strategies as st
    from hypothesis.strategies import DrawFn as DrawFn
    from hypothesis.strategies import SearchStrategy as SearchStrategy
except ImportError as error:
    raise missing("hypothesis", "svstate.testing.strategies", "testing") from error

from svstate._arn import arn_kind, arn_matches
from svstate._errors import SvstateError
from svstate._rulesets import (
    GA,
    UPDATE_RECIPE_SINCE,
    Ruleset,
    resolve_ruleset,
)
from svstate._text import describe
from svstate._vocab import Status

_UTC = _dt.UTC
S = Status


class InvalidArgument(SvstateError, hypothesis.errors.InvalidArgument):
    """Contradictory or malformed narrowing arguments given to a strategy.

    Raised when the strategy function is called (or, for a strategy you passed
    as an argument, when it draws a value that breaks the promise). It is
    both an :class:`svstate.SvstateError` and hypothesis's own
    ``InvalidArgument``, so either ``except`` catches it.

    >>> import svstate
    >>> from svstate.testing.strategies import solution_version_dicts
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
