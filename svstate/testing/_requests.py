"""Strategies for requests, read from the dated shapes.

Re-exported by :mod:`svstate.testing.strategies`, whose header states the rules.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Collection, Mapping
from typing import Any

from hypothesis import strategies as st

from svstate._arn import SOLUTION_LATEST, SOLUTION_VERSION, arn_kind, arn_matches
from svstate._catalogue import RULES
from svstate._errors import SvstateError
from svstate._preflight import operation_name, preflight
from svstate._rules import TARGETS
from svstate._rulesets import (
    AUTOTRAIN,
    DEFAULT_RULESET,
    STOP,
    Ruleset,
)
from svstate._shapes import REQUESTS, Shape
from svstate._text import describe, did_you_mean
from svstate._vocab import TrainingMode
from svstate.testing._args import (
    _GA_TIME,
    _NAME_REST,
    _NAME_START,
    _TIME_SPAN_MS,
    DrawFn,
    InvalidArgument,
    SearchStrategy,
    _boolean,
    _ruleset,
)
from svstate.testing._arns import (
    _names,
    campaign_arns,
    dataset_group_arns,
    recipe_arns,
    solution_arns,
    solution_version_arns,
)

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
