"""svstate's request checks against botocore's client-side validator.

(a) A differential property, per modelled operation: hypothesis builds
    requests from botocore's own service model (its members, plus misspellings
    and junk keys; well-formed values, plus wrong ones at every depth), and
    whenever botocore's ``ParamValidator`` rejects one, ``svstate.preflight``
    with ``ruleset="latest"`` must DENY it and name every path botocore names.
    svstate is deliberately stricter (a bool is not an integer, a Decimal is
    not a double, enums, patterns and maxima are checked): only "botocore
    rejects => svstate denies, at the same paths" is required.
(b) One concrete request per class of mistake that botocore lets through and
    svstate catches, with the rule that catches it (the examples of
    docs/botocore.md, as assertions).

How botocore's error paths are normalised to svstate's finding paths: each
error in ``report._errors`` is a tuple ``(reason, name, kwargs)``.

* ``name`` starts with ``"."`` for a member of the request (``".tags[0].tagKey"``);
  the leading dot is dropped, and the request itself (``""``) has no path
  (svstate's ``None``).
* "missing required field" and "unknown field" name the structure; the path
  is the structure's name, ``"."``, and ``kwargs["required_name"]`` or
  ``kwargs["unknown_param"]`` (``"tags[0].tagValue"``).
* A map key is named ``"MAP (key: K)"`` and a map value ``"MAP.K"``; svstate
  addresses both as ``"MAP.K"``.
* Keys are rendered with ``str()`` by botocore. svstate shows a key that is a
  string of at most 256 characters as itself and any other key as
  ``svstate._text.describe`` shows it (``1``, ``None``, ``True``, ``0.5`` alike;
  ``b'k'`` as ``bytes of length 1``, a 300-character key abridged), so that
  a path stays short. The generated keys are the ones both render alike:
  short strings, small ints, ``None``, bools and finite floats.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import botocore.session
import pytest
from botocore.model import Shape
from botocore.validate import ParamValidator
from conftest import (
    ACTIVE_FULL_VERSION_ARN,
    ARN_PREFIX,
    CAMPAIGN_ARN,
    DATASET_GROUP_ARN,
    HRNN_COLDSTART,
    IN_PROGRESS_VERSION_ARN,
    SOLUTION_ARN,
)
from hypothesis import HealthCheck, event, example, find, given, note, settings
from hypothesis import strategies as st

import svstate
from svstate import Decision

MODEL = botocore.session.get_session().get_service_model("personalize")
OPERATIONS = (
    "CreateSolutionVersion",
    "StopSolutionVersionCreation",
    "CreateCampaign",
    "DeleteSolution",
)
INPUTS: Mapping[str, Shape] = {op: MODEL.operation_model(op).input_shape for op in OPERATIONS}

# -- botocore's verdict, as svstate paths ----------------------------------------------------

_MAP_KEY = re.compile(r"((?:\.[A-Za-z]+|\[\d+\])*) \(key: (.*)\)", re.DOTALL)


def botocore_errors(params: object, shape: Shape) -> list[tuple[str, str, dict[str, Any]]]:
    """The ``(reason, name, kwargs)`` of every error botocore's ParamValidator reports."""
    return ParamValidator().validate(params, shape)._errors


def path_of(error: tuple[str, str, dict[str, Any]]) -> str | None:
    """The svstate path of one botocore error (see the module docstring)."""
    reason, name, kwargs = error
    key = _MAP_KEY.fullmatch(name)
    if key is not None:
        name = f"{key.group(1)}.{key.group(2)}"
    if reason == "missing required field":
        name = f"{name}.{kwargs['required_name']}"
    elif reason == "unknown field":
        name = f"{name}.{kwargs['unknown_param']}"
    return name.removeprefix(".") or None


def botocore_paths(params: object, shape: Shape) -> set[str | None]:
    """The svstate paths of every error botocore's ParamValidator reports."""
    return {path_of(error) for error in botocore_errors(params, shape)}


def assert_svstate_denies_where_botocore_rejects(operation: str, params: Any) -> None:
    shape = INPUTS[operation]
    expected = botocore_paths(params, shape)
    verdict = svstate.preflight(operation, params, ruleset="latest")
    if not expected:
        event("botocore accepts")
        return
    event("botocore rejects")
    note(f"botocore: {sorted(map(str, expected))}")
    note(f"svstate: {verdict}")
    assert verdict.decision is Decision.DENY
    found = {f.path for f in verdict.findings}
    unnamed = expected - found
    assert not unnamed, f"svstate names no finding at {sorted(map(str, unnamed))}"


# -- requests, from botocore's model ---------------------------------------------------------

_NAME_RE = r"[a-zA-Z0-9][a-zA-Z0-9\-_]{0,20}"
names = st.from_regex(_NAME_RE, fullmatch=True)
version_ids = st.from_regex(r"[a-z0-9]{8}", fullmatch=True)
_TAG_CHARS = st.characters(categories=("L", "N", "Zs"), include_characters="_.:/=+-@")

# Well-formed ARNs of every kind a caller might pass, right for one operation or another.
arns = st.one_of(
    st.sampled_from(
        [
            SOLUTION_ARN,
            ACTIVE_FULL_VERSION_ARN,
            f"{SOLUTION_ARN}/$LATEST",
            CAMPAIGN_ARN,
            DATASET_GROUP_ARN,
            HRNN_COLDSTART,
        ]
    ),
    names.map(lambda n: f"{ARN_PREFIX}solution/{n}"),
    st.tuples(names, version_ids).map(lambda t: f"{ARN_PREFIX}solution/{t[0]}/{t[1]}"),
)

# Values of every kind, valid for no member in particular.
huge_strings = st.integers(257, 3000).map(lambda n: "x" * n)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-3, 1),
    st.floats(),
    st.decimals(allow_nan=False, places=2),
    st.text(max_size=12),
    st.just(""),
    huge_strings,
    arns,
    st.binary(max_size=4),
    st.datetimes(min_value=dt.datetime(2019, 1, 1), max_value=dt.datetime(2030, 1, 1)),
)
# Keys that are not member names: junk text, and values that are not strings at all.
junk_keys = st.one_of(
    st.text(max_size=12).filter(lambda s: "(key: " not in s),
    st.integers(-5, 300),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(
            st.one_of(st.sampled_from(["tagKey", "tagValue"]), junk_keys), inner, max_size=3
        ),
    ),
    max_leaves=6,
)


def misspellings(member: str) -> list[str]:
    """Ways a caller gets a member's name wrong."""
    snake = re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), member)
    return sorted(
        {
            member.lower(),
            member.upper(),
            member[0].upper() + member[1:],
            snake,
            member + "s",
            member[:-1],
            member + " ",
            member.replace("Arn", "ARN"),
        }
        - {member}
    )


_ALL_MEMBERS = sorted({m for shape in INPUTS.values() for m in shape.members})


def good(shape: Shape) -> st.SearchStrategy[Any]:
    """Values botocore's model calls well-formed for ``shape`` (mostly; members may be junk)."""
    kind = shape.type_name
    low = shape.metadata.get("min")
    high = shape.metadata.get("max")
    if kind == "structure":
        return structures(shape)
    if kind == "list":
        items = st.lists(value(shape.member), max_size=4)
        if shape.name == "Tags":  # too many tags: valid items, past the maximum
            many = st.integers(high + 1, high + 20).map(
                lambda n: [{"tagKey": f"k{i}", "tagValue": "v"} for i in range(n)]
            )
            return st.one_of(items, items.map(tuple), many)
        return st.one_of(items, items.map(tuple))
    if kind == "map":
        keys = st.one_of(good(shape.key), junk_keys)
        return st.dictionaries(keys, value(shape.value), max_size=3)
    if kind == "string":
        if shape.enum:
            return st.one_of(
                st.sampled_from(shape.enum), st.sampled_from(shape.enum).map(str.lower)
            )
        if shape.name == "Arn":
            return arns
        if shape.name == "Name":
            return st.one_of(names, st.text(max_size=70))
        if shape.name in ("TagKey", "TagValue"):
            return st.text(_TAG_CHARS, min_size=low or 0, max_size=12)
        return st.text(max_size=12)
    if kind == "integer":
        return st.integers(min_value=low, max_value=100_000)
    if kind == "double":
        return st.one_of(
            st.floats(min_value=low, max_value=high),
            st.integers(min_value=low, max_value=high),
        )
    if kind == "boolean":
        return st.booleans()
    raise AssertionError(f"no strategy for {shape.name} ({kind})")


def wrong(shape: Shape) -> st.SearchStrategy[Any]:
    """Values that are wrong for ``shape``: of another type, or out of its bounds."""
    out = [junk]
    low = shape.metadata.get("min")
    if shape.type_name == "string":
        out.append(st.just(""))
        out.append(huge_strings)
    elif shape.type_name in ("integer", "double") and low is not None:
        out.append(st.integers(-10, int(low) - 1))  # zero and negative numbers
        out.append(st.floats(max_value=low, exclude_max=True))
    return st.one_of(*out)


def value(shape: Shape) -> st.SearchStrategy[Any]:
    """A good value for ``shape`` three times in four; a wrong one otherwise."""
    return st.integers(0, 3).flatmap(lambda i: wrong(shape) if i == 0 else good(shape))


def structures(shape: Shape) -> st.SearchStrategy[dict[Any, Any]]:
    """Dicts with some of ``shape``'s members, misspellings of them and junk keys."""
    members = list(shape.members)
    typos = sorted({t for m in members for t in misspellings(m)})
    strangers = [m for m in _ALL_MEMBERS if m not in shape.members]
    other_keys = st.one_of(
        st.sampled_from(typos), *([st.sampled_from(strangers)] if strangers else []), junk_keys
    )

    @st.composite
    def build(draw: st.DrawFn) -> dict[Any, Any]:
        chosen = draw(st.lists(st.sampled_from(members), unique=True, max_size=len(members)))
        if draw(st.booleans()):
            chosen += [m for m in shape.required_members if m not in chosen]
        out: dict[Any, Any] = {m: draw(value(shape.members[m])) for m in chosen}
        for key in draw(st.lists(other_keys, max_size=2)):
            out[key] = draw(st.one_of(junk, arns))
        return out

    return build()


def requests(operation: str) -> st.SearchStrategy[dict[Any, Any]]:
    return structures(INPUTS[operation])


# -- (a) the differential property ----------------------------------------------------------

_DIFF = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_V = ACTIVE_FULL_VERSION_ARN


class TestBotocoreRejectsSvstateDenies:
    """Whatever botocore's ParamValidator rejects, svstate denies, naming the same paths."""

    def test_the_normalisation_of_botocore_paths(self) -> None:
        params = {
            "name": 1,
            "solutionVersionArn": _V,
            "camapignConfig": {},
            "campaignConfig": {"itemExplorationConfig": {2: "x", "k": None}},
            "tags": [{"tagKey": "team"}],
        }
        assert botocore_paths(params, INPUTS["CreateCampaign"]) == {
            "name",
            "camapignConfig",
            "campaignConfig.itemExplorationConfig.2",
            "campaignConfig.itemExplorationConfig.k",
            "tags[0].tagValue",
        }
        assert botocore_paths([], INPUTS["DeleteSolution"]) == {None}

    @pytest.mark.parametrize(
        ("params", "path"),
        [
            ({"solutionArn": SOLUTION_ARN, 1: "x"}, "1"),
            (
                {"solutionArn": SOLUTION_ARN, "tags": [{"tagKey": "a", "tagValue": "b", None: 1}]},
                "tags[0].None",
            ),
        ],
    )
    def test_a_non_string_key_of_a_structure_is_named_by_its_own_path(
        self, params: dict[Any, Any], path: str
    ) -> None:
        assert botocore_paths(params, INPUTS["CreateSolutionVersion"]) == {path}
        verdict = svstate.preflight("CreateSolutionVersion", params, ruleset="latest")
        assert [(f.rule, f.path) for f in verdict.findings] == [("SV105", path)]

    @pytest.mark.parametrize("operation", OPERATIONS)
    def test_the_generator_yields_requests_botocore_accepts_and_rejects(
        self, operation: str
    ) -> None:
        shape = INPUTS[operation]
        find(requests(operation), lambda p: not botocore_paths(p, shape), settings=_DIFF)
        find(requests(operation), lambda p: bool(botocore_paths(p, shape)), settings=_DIFF)

    @_DIFF
    @given(requests("CreateSolutionVersion"))
    @example({})
    @example({"solutionArn": None})
    @example({"solutionArn": SOLUTION_ARN, "trainingMode": 1, "tags": [{"tagKey": ""}]})
    @example({"solution_arn": SOLUTION_ARN, "tags": ({"tagKey": "a", "tagValue": b"v"},)})
    @example({"solutionArn": SOLUTION_ARN, "tags": [None, {"tagKey": "a", "tagValue": "b", 3: 4}]})
    def test_create_solution_version(self, params: dict[Any, Any]) -> None:
        assert_svstate_denies_where_botocore_rejects("CreateSolutionVersion", params)

    @_DIFF
    @given(requests("StopSolutionVersionCreation"))
    @example({"solutionVersionArn": ""})
    @example({"solutionVersionArn": [_V]})
    @example({"solutionArn": SOLUTION_ARN})
    def test_stop_solution_version_creation(self, params: dict[Any, Any]) -> None:
        assert_svstate_denies_where_botocore_rejects("StopSolutionVersionCreation", params)

    @_DIFF
    @given(requests("CreateCampaign"))
    @example({"name": "", "solutionVersionArn": _V, "minProvisionedTPS": 0})
    @example({"name": "c", "solutionVersionArn": _V, "minProvisionedTPS": "1"})
    @example({"name": "c", "solutionVersionArn": _V, "minProvisionedTPS": 1.0})
    @example(
        {
            "name": "c",
            "solutionVersionArn": _V,
            "campaignConfig": {
                "itemExplorationConfig": {"explorationWeight": 0.3, 7: "x"},
                "enableMetadataWithRecommendations": "true",
                "rankingInfluence": {"POPULARITY": -0.5, None: 0.5, "FRESHNESS": "1"},
                "syncWithLatestSolutionVersion": None,
            },
        }
    )
    @example({"name": "c", "solutionVersionArn": _V, "campaignConfig": []})
    def test_create_campaign(self, params: dict[Any, Any]) -> None:
        assert_svstate_denies_where_botocore_rejects("CreateCampaign", params)

    @_DIFF
    @given(requests("DeleteSolution"))
    @example({"solutionArn": SOLUTION_ARN, "force": True})
    @example({"SolutionArn": SOLUTION_ARN})
    @example({"solutionArn": 12})
    @example([("solutionArn", SOLUTION_ARN)])
    def test_delete_solution(self, params: Any) -> None:
        assert_svstate_denies_where_botocore_rejects("DeleteSolution", params)


# -- (b) what svstate catches that botocore lets through ---------------------------------------

_SOLUTION = {"solutionArn": SOLUTION_ARN, "status": "ACTIVE", "recipeArn": HRNN_COLDSTART}


class TestWhatBotocoreLetsThrough:
    """One request per class of mistake: botocore accepts it, svstate denies it, by one rule."""

    @staticmethod
    def check(
        operation: str, params: dict[str, Any], rule: str, path: str | None, **facts: Any
    ) -> svstate.Finding:
        report = ParamValidator().validate(params, INPUTS[operation])
        assert not report.has_errors(), report.generate_report()
        facts.setdefault("ruleset", "latest")
        verdict = svstate.preflight(operation, params, **facts)
        assert verdict.decision is Decision.DENY
        hits = [f for f in verdict.findings if f.rule == rule]
        assert hits, str(verdict)
        assert hits[0].path == path
        return hits[0]

    def test_training_mode_not_in_the_enum(self) -> None:
        finding = self.check(
            "CreateSolutionVersion",
            {"solutionArn": SOLUTION_ARN, "trainingMode": "full"},
            "SV104",
            "trainingMode",
        )
        assert finding.hint == "Did you mean 'FULL'?"

    @pytest.mark.parametrize("arn", ["solution/movies", "arn:aws:s3:::movies", f" {ARN_PREFIX}"])
    def test_arn_that_does_not_match_the_pattern(self, arn: str) -> None:
        self.check("DeleteSolution", {"solutionArn": arn}, "SV102", "solutionArn")

    def test_arn_over_256_characters(self) -> None:
        arn = f"{ARN_PREFIX}solution/{'m' * 250}"
        finding = self.check("DeleteSolution", {"solutionArn": arn}, "SV102", "solutionArn")
        assert "256" in finding.message

    def test_arn_of_the_wrong_kind_of_resource(self) -> None:
        finding = self.check(
            "CreateSolutionVersion",
            {"solutionArn": ACTIVE_FULL_VERSION_ARN},
            "SV103",
            "solutionArn",
        )
        assert finding.hint == f"Pass its solution's ARN, {SOLUTION_ARN!r}."

    @pytest.mark.parametrize("name", ["c" * 64, "-campaign", "_campaign"])
    def test_name_too_long_or_of_the_wrong_characters(self, name: str) -> None:
        params = {"name": name, "solutionVersionArn": ACTIVE_FULL_VERSION_ARN}
        self.check("CreateCampaign", params, "SV106", "name")

    def test_more_than_200_tags(self) -> None:
        tags = [{"tagKey": f"k{i}", "tagValue": "v"} for i in range(201)]
        finding = self.check(
            "CreateSolutionVersion", {"solutionArn": SOLUTION_ARN, "tags": tags}, "SV106", "tags"
        )
        assert finding.error_code == "TooManyTagsException"

    def test_tag_key_with_forbidden_characters(self) -> None:
        tags = [{"tagKey": "team#1", "tagValue": "search"}]
        self.check(
            "CreateSolutionVersion",
            {"solutionArn": SOLUTION_ARN, "tags": tags},
            "SV106",
            "tags[0].tagKey",
        )

    def test_member_that_does_not_exist_yet_in_the_ruleset(self) -> None:
        finding = self.check(
            "CreateSolutionVersion",
            {"solutionArn": SOLUTION_ARN, "name": "nightly"},
            "SV105",
            "name",
            ruleset="2019-10-14",
        )
        assert "2022-11-17" in finding.message

    def test_min_provisioned_tps_missing_before_2021_07_21(self) -> None:
        params = {"name": "movies", "solutionVersionArn": ACTIVE_FULL_VERSION_ARN}
        self.check("CreateCampaign", params, "SV101", "minProvisionedTPS", ruleset="2021-07-20")
        assert (
            svstate.preflight(
                "CreateCampaign",
                params,
                versions=[{"solutionVersionArn": ACTIVE_FULL_VERSION_ARN, "status": "ACTIVE"}],
                ruleset="2021-07-21",
            ).decision
            is Decision.ALLOW
        )

    def test_update_without_an_active_full_version(self) -> None:
        self.check(
            "CreateSolutionVersion",
            {"solutionArn": SOLUTION_ARN, "trainingMode": "UPDATE"},
            "SV301",
            "trainingMode",
            solution=_SOLUTION,
            versions=[
                {
                    "solutionVersionArn": ACTIVE_FULL_VERSION_ARN,
                    "status": "CREATE FAILED",
                    "trainingMode": "FULL",
                }
            ],
        )

    def test_campaign_on_a_version_still_in_training(self) -> None:
        self.check(
            "CreateCampaign",
            {"name": "movies", "solutionVersionArn": IN_PROGRESS_VERSION_ARN},
            "SV701",
            "solutionVersionArn",
            versions=[
                {"solutionVersionArn": IN_PROGRESS_VERSION_ARN, "status": "CREATE IN_PROGRESS"}
            ],
        )
