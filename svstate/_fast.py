"""The fast path of ``preflight``: a clean ALLOW proved without building any record.

Rules in this file:

* It decides nothing of its own. For one operation and ruleset it recognises
  the common, clean case (a well-formed request, facts exactly as boto3
  returns them, every precondition plainly met) and answers the very ALLOW
  verdict the full evaluation gives there: no finding, nothing missing. For
  anything else (a finding of any severity, a missing fact, an unusual value)
  it answers ``None`` and the full evaluation decides, so verdicts never
  depend on which path ran. ``tests/test_fast.py`` checks that equivalence on
  generated facts.
* Every test here is a C-level pass or a dict lookup; the request's target is
  checked once per ARN (the full request check, cached).
* It reads raw fact dicts only to decide whether they are plain enough;
  records are still built only in ``_facts``.

Today it covers CreateSolutionVersion, the call pipelines send most.
"""

from __future__ import annotations

import datetime as _dt
import functools
from itertools import repeat
from typing import Any

from svstate._arn import ARN_MAX
from svstate._lifecycle import IN_FLIGHT, lifecycle_for
from svstate._rules import target_of
from svstate._rulesets import AUTOTRAIN, TRAINING_MODE, Ruleset
from svstate._shapes import check_request
from svstate._verdict import Finding, Verdict
from svstate._vocab import STATUS_BY_VALUE, TrainingMode

__all__ = ["clean_request", "fast_create_solution_version"]


@functools.cache
def _settled(rs: Ruleset) -> frozenset[str]:
    """The wire values of the version statuses of ``rs``'s lifecycle that are not in flight."""
    return frozenset(s.value for s in lifecycle_for(rs).statuses if s not in IN_FLIGHT)


_ACTIVE_FULL = ("ACTIVE", "FULL")
_ACTIVE_UPDATE = ("ACTIVE", "UPDATE")
_PLAIN_MODES = {"FULL": TrainingMode.FULL, "UPDATE": TrainingMode.UPDATE}
_GET: Any = dict.get
_STARTS: Any = str.startswith
_COUNT: Any = str.count
_DATETIME = _dt.datetime


@functools.lru_cache(maxsize=4096)
def _clean_target(arn: str, rs: Ruleset) -> bool:
    """Whether ``{"solutionArn": arn}`` draws no finding: its shape and its kind (SV101-SV106)."""
    out: list[Finding] = []
    check_request("CreateSolutionVersion", {"solutionArn": arn}, rs, out)
    _, kind, solution = target_of("CreateSolutionVersion", {"solutionArn": arn})
    return not out and kind == "solution" and solution == arn


def clean_request(params: object, rs: Ruleset) -> TrainingMode | None:
    """The training mode of a CreateSolutionVersion request that draws no finding itself.

    ``None`` unless the request is exactly ``solutionArn`` (a clean solution
    ARN) and, where the ruleset has it, ``trainingMode`` FULL or UPDATE.
    """
    if type(params) is not dict:
        return None
    arn = params.get("solutionArn")
    if type(arn) is not str:
        return None
    size = len(params)
    mode_value = params.get("trainingMode", "FULL")
    if "trainingMode" in params:
        if not rs.in_force(TRAINING_MODE):
            return None
        size -= 1
    mode = _PLAIN_MODES.get(mode_value) if type(mode_value) is str else None
    if size != 1 or mode is None or not _clean_target(arn, rs):
        return None
    return mode


def _plain_latest(latest: object, prefix: str) -> bool:
    """Whether a ``latestSolutionVersion`` reads without a finding."""
    if type(latest) is not dict:
        return False
    arn = latest.get("solutionVersionArn")
    return (
        type(arn) is str
        and arn.startswith(prefix)
        and "/" not in arn[len(prefix) :]
        and len(arn) <= ARN_MAX
        and latest.get("status") in STATUS_BY_VALUE
    )


def _not_older_than(facts: list[Any], since: object) -> bool:
    """Whether every version is created no earlier than its solution (SV507), in C."""
    if type(since) is not _DATETIME or since.tzinfo is None:
        return False
    times = list(map(_GET, facts, repeat("creationDateTime", len(facts))))
    if not all(map(isinstance, times, repeat(_DATETIME, len(times)))):
        return False
    try:
        return not times or min(times) >= since
    except TypeError:  # a naive datetime among aware ones: the full path orders them
        return False


def fast_create_solution_version(
    params: object,
    rs: Ruleset,
    solution: object,
    versions: object,
    dataset_imports: object,
    account_in_flight: object,
    allowed: Verdict,
) -> Verdict | None:
    """``allowed`` when the call is certainly a clean ALLOW; ``None`` to evaluate in full."""
    if dataset_imports is not None or account_in_flight is not None:
        return None
    mode = clean_request(params, rs)
    if mode is None:
        return None
    assert type(params) is dict
    arn = params["solutionArn"]
    # The solution: ACTIVE, its own ARN, a recipe (for UPDATE: one that supports it).
    if type(solution) is not dict or solution.get("solutionArn") != arn:
        return None
    if solution.get("status") != "ACTIVE" or solution.get("performAutoML") is True:
        return None
    prefix = arn + "/"
    latest = solution.get("latestSolutionVersion")
    if latest is not None and not _plain_latest(latest, prefix):
        return None
    # The versions: a plain list of boto3 dicts of this solution, with known statuses.
    if type(versions) is not list:
        return None
    n = len(versions)
    try:  # every loop in C; anything odd (a non-dict, an unhashable value) falls back
        pairs = set(
            zip(
                map(_GET, versions, repeat("status", n)),
                map(_GET, versions, repeat("trainingMode", n)),
                strict=True,
            )
        )
        statuses = {status for status, _ in pairs}
        # What usually denies first, so that a denied call wastes little here.
        if mode is TrainingMode.UPDATE and (
            solution.get("recipeArn") not in rs.update_recipes  # SV302, or a missing recipe
            or (  # SV301 decides
                _ACTIVE_FULL not in pairs and (rs.in_force(AUTOTRAIN) or "ACTIVE" not in statuses)
            )
        ):
            return None
        if not statuses <= _settled(rs):
            return None  # in flight (SV401 warns), unknown (SV502) or underscored (SV503)
        if _ACTIVE_UPDATE in pairs:
            return None  # SV507 looks at these: the full path decides
        arns = list(map(_GET, versions, repeat("solutionVersionArn", n)))
        if n and not (
            all(map(_STARTS, arns, repeat(prefix, n)))
            and sum(map(_COUNT, arns, repeat("/", n))) == n * prefix.count("/")
            and max(map(len, arns)) <= ARN_MAX
            and len(set(arns)) == n  # SV507: one ARN twice
        ):
            return None
    except TypeError:
        return None
    created = solution.get("creationDateTime")
    if created is not None and not _not_older_than(versions, created):
        return None
    return allowed
