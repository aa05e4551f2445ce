"""Property tests: the lifecycle objects against a model of our own, reachability, robustness.

(a) A ``RuleBasedStateMachine`` per ruleset drives a :class:`svstate.Solution`
    with random triggers and ``create_version`` calls and checks it against a
    model kept here.
(b) ``check_transition`` allows exactly the pairs our own BFS finds reachable.
(c) No public function raises anything but an ``svstate.SvstateError`` on
    JSON-like input, however malformed or deeply nested.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from conftest import CONTRACT_EDGES
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

import svstate
from svstate import Decision, Status, TrainingMode
from svstate._lifecycle import DECLARATION

S = Status
SOL = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
OTHER = "arn:aws:personalize:us-east-1:123456789012:solution/other"
HRNN_COLDSTART = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
TRIGGERS = ("start", "succeed", "fail", "stop", "finish_stop")
RULESETS = ("2019-10-14", "2021-05-20")
VERSION_STATUSES = (
    S.CREATE_PENDING,
    S.CREATE_IN_PROGRESS,
    S.ACTIVE,
    S.CREATE_FAILED,
    S.CREATE_STOPPING,
    S.CREATE_STOPPED,
)
TERMINAL = frozenset({S.ACTIVE, S.CREATE_FAILED, S.CREATE_STOPPED})

MODEL_EDGES = CONTRACT_EDGES  # the contract's transitions, by hand (conftest)


# == (a) the lifecycle objects against our own model ===========================================


@attrs.define
class ModelVersion:
    """What we know happened to one version."""

    arn: str
    mode: TrainingMode
    status: Status
    active_full_at_creation: bool
    history: list[Status]
    settled: Status | None = None


class SolutionMachine(RuleBasedStateMachine):
    """One hrnn-coldstart solution; random triggers on random versions, random creations."""

    RULESET = "2019-10-14"

    def __init__(self) -> None:
        super().__init__()
        self.solution = svstate.Solution(SOL, recipe_arn=HRNN_COLDSTART, ruleset=self.RULESET)
        self.model: list[ModelVersion] = []
        self.edges = MODEL_EDGES[self.RULESET]

    # -- helpers ------------------------------------------------------------------------------
    def _preflight(self, mode: TrainingMode) -> svstate.Verdict:
        return svstate.preflight(
            "CreateSolutionVersion",
            {"solutionArn": SOL, "trainingMode": mode.value},
            solution=self.solution.to_dict(),
            versions=[v.to_dict() for v in self.solution.versions],
            ruleset=self.RULESET,
        )

    def _has_active_full(self) -> bool:
        return any(m.status is S.ACTIVE and m.mode is TrainingMode.FULL for m in self.model)

    # -- rules ----------------------------------------------------------------------------------
    @initialize(mode=st.sampled_from([TrainingMode.FULL, TrainingMode.UPDATE]))
    def first_version(self, mode: TrainingMode) -> None:
        self.create_version(mode, as_wire_string=False)

    @rule(
        mode=st.sampled_from([TrainingMode.FULL, TrainingMode.UPDATE]),
        as_wire_string=st.booleans(),
    )
    def create_version(self, mode: TrainingMode, as_wire_string: bool) -> None:
        verdict = self._preflight(mode)
        active_full = self._has_active_full()
        before = len(self.solution.versions)
        refused: svstate.PreconditionFailed | None = None
        try:
            version = self.solution.create_version(mode.value if as_wire_string else mode)
        except svstate.PreconditionFailed as err:
            refused = err
        created = refused is None
        if refused is not None:
            assert refused.verdict.decision is not Decision.ALLOW
            assert refused.verdict.decision is verdict.decision
            assert len(self.solution.versions) == before
        else:
            assert version.status is S.CREATE_PENDING
            assert version.training_mode is mode
            assert version.arn.rpartition("/")[0] == SOL
            assert self.solution.versions[-1] is version
            self.model.append(
                ModelVersion(version.arn, mode, S.CREATE_PENDING, active_full, [S.CREATE_PENDING])
            )
        event(f"create_version({mode.value}): {'created' if created else 'refused'}")
        # preflight with the same facts agrees: ALLOW iff created
        assert created is (verdict.decision is Decision.ALLOW)
        # and both agree with our own model of the preconditions
        assert created is (mode is TrainingMode.FULL or active_full)
        if mode is TrainingMode.UPDATE and not created:
            assert "SV301" in {f.rule for f in verdict.errors}

    @rule(hours=st.none() | st.floats(min_value=0, max_value=10_000))
    def train_full_version(self, hours: float | None) -> None:
        """Create a FULL version and train it to ACTIVE, every step checked like the others."""
        self.create_version(TrainingMode.FULL, as_wire_string=True)
        self._fire(len(self.model) - 1, "start", hours, "")
        self._fire(len(self.model) - 1, "succeed", hours, "")

    @precondition(lambda self: self.model)
    @rule(
        index=st.integers(min_value=0, max_value=1_000),
        trigger=st.sampled_from(TRIGGERS),
        hours=st.none() | st.floats(min_value=0, max_value=10_000),
        reason=st.text(max_size=20),
    )
    def fire(self, index: int, trigger: str, hours: float | None, reason: str) -> None:
        self._fire(index % len(self.model), trigger, hours, reason)

    @precondition(lambda self: any(m.status not in TERMINAL for m in self.model))
    @rule(
        index=st.integers(min_value=0, max_value=1_000),
        choice=st.integers(min_value=0, max_value=10),
        hours=st.none() | st.floats(min_value=0, max_value=10_000),
    )
    def advance(self, index: int, choice: int, hours: float | None) -> None:
        """Fire a trigger our model says is legal on a version that has not settled."""
        open_ = [i for i, m in enumerate(self.model) if m.status not in TERMINAL]
        i = open_[index % len(open_)]
        legal = [t for t in TRIGGERS if (self.model[i].status, t) in self.edges]
        self._fire(i, legal[choice % len(legal)], hours, "boom")

    def _fire(self, i: int, trigger: str, hours: float | None, reason: str) -> None:
        version = self.solution.versions[i]
        known = self.model[i]
        expected = self.edges.get((known.status, trigger))
        may = version.may(trigger)
        assert may is (expected is not None), (known.status, trigger)
        illegal: svstate.IllegalTransition | None = None
        try:
            if trigger == "succeed":
                version.succeed(training_hours=hours)
            elif trigger == "fail":
                version.fail(reason)
            else:
                getattr(version, trigger)()
        except svstate.IllegalTransition as err:
            illegal = err
        event(f"{trigger}: {'illegal' if illegal is not None else 'fired'}")
        if illegal is not None:
            assert not may, f"{trigger} raised although may() said True"
            assert illegal.state is known.status
            assert illegal.trigger == trigger
            assert version.status is known.status
        else:
            assert may, f"{trigger} fired although may() said False"
            assert expected is not None
            known.status = expected
            known.history.append(expected)
            if expected in TERMINAL:
                known.settled = expected
            if trigger == "succeed":
                assert version.training_hours == hours
            if trigger == "fail":
                assert version.failure_reason == reason
        assert version.status is known.status

    # -- invariants -----------------------------------------------------------------------------
    @invariant()
    def objects_match_the_model(self) -> None:
        assert len(self.solution.versions) == len(self.model)
        assert len({v.arn for v in self.solution.versions}) == len(self.model)
        for version, known in zip(self.solution.versions, self.model, strict=True):
            assert version.arn == known.arn
            assert version.training_mode is known.mode
            assert version.status is known.status
            assert version.status in {s for s, _ in self.edges} | TERMINAL

    @invariant()
    def update_versions_had_an_active_full_version(self) -> None:
        for known in self.model:
            if known.mode is TrainingMode.UPDATE:
                assert known.active_full_at_creation

    @invariant()
    def terminal_statuses_never_change(self) -> None:
        for version, known in zip(self.solution.versions, self.model, strict=True):
            if known.settled is not None:
                assert version.status is known.settled
                assert known.history[-1] is known.settled
                assert known.history.count(known.settled) == 1
                assert all(not version.may(t) for t in TRIGGERS)

    @invariant()
    def preflight_agrees_with_the_model(self) -> None:
        assert self._preflight(TrainingMode.FULL).decision is Decision.ALLOW
        update = self._preflight(TrainingMode.UPDATE).decision
        assert update is (Decision.ALLOW if self._has_active_full() else Decision.DENY)

    @invariant()
    def observed_history_is_a_legal_walk(self) -> None:
        for known in self.model:
            first, last = known.history[0], known.history[-1]
            assert svstate.check_transition(first, last, ruleset=self.RULESET)
            if first is not last:
                assert not svstate.check_transition(last, first, ruleset=self.RULESET)


class SolutionMachine20191014(SolutionMachine):
    RULESET = "2019-10-14"


class SolutionMachine20210520(SolutionMachine):
    RULESET = "2021-05-20"


_MACHINE_SETTINGS = settings(
    max_examples=50,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestSolution20191014 = SolutionMachine20191014.TestCase
TestSolution20191014.settings = _MACHINE_SETTINGS
TestSolution20210520 = SolutionMachine20210520.TestCase
TestSolution20210520.settings = _MACHINE_SETTINGS


# == (b) check_transition is reachability ========================================================


def _reachable(ruleset: str) -> dict[Status, set[Status]]:
    """Our own BFS over the declared edges in force on ``ruleset``."""
    day = dt.date.fromisoformat(ruleset)
    present = {s for s, since in DECLARATION.states if since <= day}
    successors: dict[Status, set[Status]] = {s: set() for s in present}
    for edge in DECLARATION.edges:
        if edge.since <= day:
            successors[edge.source].add(edge.dest)
    result: dict[Status, set[Status]] = {}
    for start in present:
        seen = {start}
        frontier = collections.deque([start])
        while frontier:
            for nxt in successors[frontier.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        result[start] = seen
    return result


REACHABLE = {r: _reachable(r) for r in RULESETS}


def test_own_reachability_matches_the_contract() -> None:
    old, new = REACHABLE["2019-10-14"], REACHABLE["2021-05-20"]
    assert set(old) == {S.CREATE_PENDING, S.CREATE_IN_PROGRESS, S.ACTIVE, S.CREATE_FAILED}
    assert old[S.CREATE_PENDING] == set(old)
    assert new[S.CREATE_PENDING] == set(VERSION_STATUSES)
    assert new[S.CREATE_STOPPING] == {S.CREATE_STOPPING, S.CREATE_STOPPED}
    for reach in (old, new):
        for terminal in TERMINAL & set(reach):
            assert reach[terminal] == {terminal}


def _expect_transition(before: Status, after: Status, ruleset: str) -> bool:
    reach = REACHABLE[ruleset]
    return before in reach and after in reach and after in reach[before]


@pytest.mark.parametrize("ruleset", RULESETS)
def test_check_transition_is_exactly_reachability_over_all_pairs(ruleset: str) -> None:
    reach = REACHABLE[ruleset]
    for before in Status:
        for after in Status:
            verdict = svstate.check_transition(before.value, after.value, ruleset=ruleset)
            expected = _expect_transition(before, after, ruleset)
            assert verdict.decision is (Decision.ALLOW if expected else Decision.DENY), (
                before,
                after,
                verdict,
            )
            rules = {f.rule for f in verdict.errors}
            if not expected:
                assert rules <= {"SV501", "SV502"}
                assert rules
            if before not in reach or after not in reach:
                assert "SV501" in rules


def _spelled(status: Status) -> st.SearchStrategy[object]:
    return st.sampled_from(
        [status, status.value, status.value.replace(" ", "_"), status.value.replace("_", " ")]
    )


def _observation(status: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    as_dict = st.builds(
        lambda s, arn: {
            "solutionVersionArn": arn,
            "status": s.value if isinstance(s, Status) else s,
        },
        status,
        st.just(f"{SOL}/1a2b3c4d"),
    )
    return status | as_dict


@settings(max_examples=150, deadline=None)
@given(
    ruleset=st.sampled_from(RULESETS),
    before=st.sampled_from(list(Status)),
    after=st.sampled_from(list(Status)),
    data=st.data(),
)
def test_check_transition_allows_exactly_reachable_pairs(
    ruleset: str, before: Status, after: Status, data: st.DataObject
) -> None:
    a = data.draw(_observation(_spelled(before)), label="before")
    b = data.draw(_observation(_spelled(after)), label="after")
    verdict = svstate.check_transition(a, b, ruleset=ruleset)
    expected = _expect_transition(before, after, ruleset)
    assert bool(verdict) is expected
    assert verdict.decision is (Decision.ALLOW if expected else Decision.DENY)
    assert verdict.ruleset == ruleset
    json.dumps(verdict.to_dict())
    errors = {f.rule for f in verdict.errors}
    if expected:
        assert not errors
    else:
        assert errors
        assert errors <= {"SV501", "SV502"}
    reach = REACHABLE[ruleset]
    if before not in reach or after not in reach:
        assert "SV501" in errors or "SV502" in errors


_STATUS_SPELLINGS = {s.value for s in Status} | {s.value.replace(" ", "_") for s in Status}


@settings(max_examples=100, deadline=None)
@given(
    ruleset=st.sampled_from(RULESETS),
    known=st.sampled_from(list(Status)),
    unknown=st.one_of(
        st.text().filter(lambda t: t not in _STATUS_SPELLINGS),
        st.none(),
        st.integers(),
        st.floats(),
        st.binary(max_size=5),
        st.lists(st.text(max_size=3), max_size=3),
    ),
    unknown_first=st.booleans(),
)
def test_check_transition_denies_unknown_statuses_with_sv502(
    ruleset: str, known: Status, unknown: object, unknown_first: bool
) -> None:
    pair = (unknown, known.value) if unknown_first else (known.value, unknown)
    verdict = svstate.check_transition(*pair, ruleset=ruleset)
    assert verdict.decision is Decision.DENY
    assert "SV502" in {f.rule for f in verdict.errors}


def test_check_transition_refuses_observations_of_two_versions() -> None:
    verdict = svstate.check_transition(
        {"solutionVersionArn": f"{SOL}/1", "status": "CREATE PENDING"},
        {"solutionVersionArn": f"{SOL}/2", "status": "ACTIVE"},
    )
    assert verdict.decision is Decision.DENY


# == (c) nothing but SvstateError on JSON-like input ============================================


class StrSub(str):
    __slots__ = ()


class IntSub(int):
    pass


class FloatSub(float):
    pass


class DictSub(dict):  # type: ignore[type-arg]
    pass


class ListSub(list):  # type: ignore[type-arg]
    pass


class DateSub(dt.date):
    pass


INTERESTING_TEXT = [
    SOL,
    OTHER,
    f"{SOL}/1a2b3c4d",
    f"{SOL}/$LATEST",
    f"{OTHER}/1a2b3c4d",
    HRNN_COLDSTART,
    "arn:aws:personalize:::recipe/aws-user-personalization",
    "arn:aws:personalize:us-east-1:123456789012:campaign/c",
    "arn:aws:personalize:" + ":" * 300,
    "arn:aws:personalize:us-east-1:1:solution/" + "x" * 300,
    *(s.value for s in Status),
    *(s.value.replace(" ", "_") for s in Status),
    "FULL",
    "UPDATE",
    "AUTOTRAIN",
    "latest",
    "2019-10-14",
    "2021-05-20",
    "2019-06-09",
    "2024-02-30",
    "2019-11-02T09:14:03Z",
    "2019-11-02T09:14:03+14:00",
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59-12:00",
    "SV301",
    "SV999",
    "CreateSolutionVersion",
    "create_solution_version",
    "",
    "\x00",
    "é" * 70,
]
KEYS = [
    "solution",
    "solutionArn",
    "solutionVersionArn",
    "solutionVersions",
    "solutionVersion",
    "status",
    "trainingMode",
    "trainingType",
    "trainingHours",
    "failureReason",
    "recipeArn",
    "performAutoML",
    "autoMLResult",
    "bestRecipeArn",
    "latestSolutionVersion",
    "creationDateTime",
    "lastUpdatedDateTime",
    "campaigns",
    "campaignArn",
    "campaignConfig",
    "syncWithLatestSolutionVersion",
    "datasetImportJobs",
    "name",
    "tags",
    "tagKey",
    "tagValue",
    "minProvisionedTPS",
    "solutionConfig",
    "hpoConfig",
    "hpoResourceConfig",
    "maxNumberOfTrainingJobs",
    "maxParallelTrainingJobs",
    "algorithmHyperParameterRanges",
    "integerHyperParameterRanges",
    "continuousHyperParameterRanges",
    "categoricalHyperParameterRanges",
    "minValue",
    "maxValue",
    "values",
    "excludedDatasetColumns",
    "ResponseMetadata",
]
HUGE_EXPONENTS = [400, 5000]  # 10**5000 has more digits than int -> str allows by default
EDGE_NUMBERS = [-7e10, -62135596801, -1e11 + 1, 1e11 - 1, 1e300, -0.0, 5e-324]

_timezones = st.none() | st.builds(
    dt.timezone, st.timedeltas(min_value=dt.timedelta(hours=-23), max_value=dt.timedelta(hours=23))
)


def _ten_to(exponent: int) -> int:
    return 10**exponent


def _minus_ten_to(exponent: int) -> int:
    return -(10**exponent)


# Built, not listed: hypothesis's own repr of a strategy would choke on a 5,000-digit literal.
huge_ints = (
    st.sampled_from(HUGE_EXPONENTS).map(_ten_to)
    | st.sampled_from(HUGE_EXPONENTS).map(_minus_ten_to)
    | st.sampled_from([2**64, -(2**63)])
)
ints = st.integers() | huge_ints | st.integers().map(IntSub)
floats = st.floats() | st.sampled_from(EDGE_NUMBERS) | st.floats().map(FloatSub)
texts = st.text(max_size=30) | st.sampled_from(INTERESTING_TEXT) | st.text(max_size=10).map(StrSub)
temporal = (
    st.dates()
    | st.dates().map(lambda d: DateSub(d.year, d.month, d.day))
    | st.datetimes(timezones=_timezones)
)
scalars = st.none() | st.booleans() | ints | floats | texts | st.binary(max_size=10) | temporal
keys = (
    st.sampled_from(KEYS)
    | st.text(max_size=8)
    | st.integers()
    | st.none()
    | st.booleans()
    | st.floats()
    | st.binary(max_size=4)
    | st.dates()
    | st.tuples(st.integers(), st.text(max_size=2))
)


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=4).map(tuple)
        | st.lists(children, max_size=3).map(ListSub)
        | st.dictionaries(keys, children, max_size=5)
        | st.dictionaries(st.sampled_from(KEYS), children, max_size=6)
        | st.dictionaries(st.sampled_from(KEYS), children, max_size=6).map(DictSub)
    )


json_like = st.recursive(scalars, _containers, max_leaves=15)

# Dicts shaped like facts (known member names, arbitrary values) and lists of them,
# so that the fuzzing reaches past the first type check.
fact = st.dictionaries(st.sampled_from(KEYS), json_like, max_size=8)
_version_fact = st.fixed_dictionaries(
    {"solutionVersionArn": st.sampled_from([f"{SOL}/1a2b3c4d", f"{SOL}/2b", f"{OTHER}/1"])},
    optional={
        "status": st.sampled_from([s.value for s in Status]) | json_like,
        "trainingMode": st.sampled_from(["FULL", "UPDATE", "AUTOTRAIN"]) | json_like,
        "creationDateTime": temporal | floats | ints | texts,
        "lastUpdatedDateTime": temporal | floats | ints | texts,
        "trainingHours": floats | ints | json_like,
        "failureReason": json_like,
        "solutionArn": st.sampled_from([SOL, OTHER]) | json_like,
    },
)
facts = (
    json_like
    | fact
    | _version_fact
    | st.lists(_version_fact | fact, max_size=4)
    | st.lists(_version_fact, max_size=3).map(lambda vs: {"solutionVersions": vs})
)

OPERATIONS = (
    "CreateSolutionVersion",
    "StopSolutionVersionCreation",
    "CreateCampaign",
    "DeleteSolution",
)
GOOD_PARAMS: dict[str, dict[str, object]] = {
    "CreateSolutionVersion": {"solutionArn": SOL, "trainingMode": "UPDATE"},
    "StopSolutionVersionCreation": {"solutionVersionArn": f"{SOL}/1a2b3c4d"},
    "CreateCampaign": {
        "name": "c",
        "solutionVersionArn": f"{SOL}/1a2b3c4d",
        "minProvisionedTPS": 1,
    },
    "DeleteSolution": {"solutionArn": SOL},
}
GOOD_FACTS: dict[str, object] = {
    "solution": {"solutionArn": SOL, "status": "ACTIVE", "recipeArn": HRNN_COLDSTART},
    "versions": [
        {
            "solutionVersionArn": f"{SOL}/1a2b3c4d",
            "status": "ACTIVE",
            "trainingMode": "FULL",
            "creationDateTime": dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        }
    ],
    "campaigns": [],
    "dataset_imports": [
        {"status": "ACTIVE", "lastUpdatedDateTime": dt.datetime(2020, 2, 1, tzinfo=dt.UTC)}
    ],
    "account_in_flight": 3,
    "account_quota": 20,
    "ruleset": "2021-05-20",
}
FACT_KEYWORDS = tuple(GOOD_FACTS)
_FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # One minimal counterexample per test is enough, and keeps a failing run short.
    report_multiple_bugs=False,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
)


def _calm(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``function``; an ``SvstateError`` is a fine answer, anything else propagates."""
    try:
        result = function(*args, **kwargs)
    except svstate.SvstateError as err:
        message = str(err)
        result = None
    else:
        message = "(no error)"
    assert message, "an SvstateError without a message"
    if isinstance(result, svstate.Verdict):
        assert result.decision in set(Decision)
        json.dumps(result.to_dict())
        str(result)
        for finding in result.findings:
            assert isinstance(finding.message, str)
            assert finding.message
    return result


@pytest.mark.parametrize("operation", OPERATIONS)
@_FUZZ
@given(params=facts | json_like, ruleset=st.sampled_from(["2019-10-14", "2021-05-20", "latest"]))
def test_preflight_params_never_raise_a_stray_error(
    operation: str, params: object, ruleset: str
) -> None:
    _calm(svstate.preflight, operation, params, ruleset=ruleset)
    _calm(svstate.preflight, operation, params, **GOOD_FACTS)


@pytest.mark.parametrize("keyword", FACT_KEYWORDS)
@pytest.mark.parametrize("operation", OPERATIONS)
@_FUZZ
@given(value=facts)
@example(value=[{"solutionVersionArn": f"{SOL}/1a2b3c4d", "creationDateTime": -7e10}])
def test_preflight_facts_never_raise_a_stray_error(
    operation: str, keyword: str, value: object
) -> None:
    _calm(svstate.preflight, operation, GOOD_PARAMS[operation], **{**GOOD_FACTS, keyword: value})
    _calm(svstate.preflight, operation, GOOD_PARAMS[operation], **{keyword: value})


@_FUZZ
@given(operation=json_like, params=json_like)
def test_preflight_operation_never_raises_a_stray_error(operation: object, params: object) -> None:
    _calm(svstate.preflight, operation, params)


@pytest.mark.parametrize("shape", ["SolutionVersion", "SolutionVersionSummary", "Solution"])
@_FUZZ
@given(value=facts, ruleset=st.sampled_from(["2019-06-10", "2019-10-14", "2021-05-20", "latest"]))
@example(value={"creationDateTime": -7e10}, ruleset="2019-10-14")
def test_validate_never_raises_a_stray_error(shape: str, value: object, ruleset: str) -> None:
    _calm(svstate.validate, shape, value, ruleset=ruleset)
    wrapper = shape[0].lower() + shape[1:]
    _calm(svstate.validate, shape, {wrapper: value}, ruleset=ruleset)


@_FUZZ
@given(shape=json_like, value=json_like, ruleset=json_like)
def test_validate_arguments_never_raise_a_stray_error(
    shape: object, value: object, ruleset: object
) -> None:
    _calm(svstate.validate, shape, value)
    _calm(svstate.validate, "Solution", value, ruleset=ruleset)


@_FUZZ
@given(before=facts, after=facts, ruleset=json_like | st.sampled_from(RULESETS))
def test_check_transition_never_raises_a_stray_error(
    before: object, after: object, ruleset: object
) -> None:
    _calm(svstate.check_transition, before, after)
    _calm(svstate.check_transition, before, after, ruleset=ruleset)


@_FUZZ
@given(value=json_like)
@example(value=_ten_to(5000))
def test_status_parse_never_raises_a_stray_error(value: object) -> None:
    try:
        status = svstate.Status.parse(value)
    except svstate.UnknownStatus:
        return
    assert isinstance(status, Status)


@_FUZZ
@given(value=json_like | temporal)
@example(value=_ten_to(5000))
def test_ruleset_parse_never_raises_a_stray_error(value: object) -> None:
    try:
        ruleset = svstate.Ruleset.parse(value)
    except svstate.UnknownRuleset:
        return
    assert isinstance(ruleset, svstate.Ruleset)


@_FUZZ
@given(value=json_like)
@example(value=_ten_to(5000))
def test_rule_and_rules_never_raise_a_stray_error(value: object) -> None:
    _calm(svstate.rule, value)
    _calm(svstate.rules, value)


@_FUZZ
@given(solution=facts, versions=st.none() | facts, ruleset=st.sampled_from(RULESETS) | json_like)
@example(
    solution={"solutionArn": SOL},
    versions=[{"solutionVersionArn": f"{SOL}/1", "status": "ACTIVE", "trainingHours": 10**400}],
    ruleset="2019-10-14",
)
def test_solution_from_dict_never_raises_a_stray_error(
    solution: object, versions: object, ruleset: object
) -> None:
    _calm(svstate.Solution.from_dict, solution, versions)
    _calm(svstate.Solution.from_dict, solution, versions, ruleset=ruleset)
    good = {"solutionArn": SOL, "status": "ACTIVE"}
    _calm(svstate.Solution.from_dict, good, versions)
    if isinstance(solution, dict):
        _calm(svstate.Solution.from_dict, {**solution, "solutionArn": SOL}, versions)


# -- deeply nested values ---------------------------------------------------------------------------

DEPTH = 5_000


def _deep_list() -> object:
    value: object = []
    for _ in range(DEPTH):
        value = [value]
    return value


def _deep_dict() -> object:
    value: object = {}
    for i in range(DEPTH):
        value = {KEYS[i % len(KEYS)]: value}
    return value


def _places(deep: object) -> list[tuple[str, Callable[[], object]]]:
    version = {"solutionVersionArn": f"{SOL}/1a2b3c4d", "status": "ACTIVE"}
    places: list[tuple[str, Callable[[], object]]] = []
    for op in OPERATIONS:
        places.append((f"preflight-{op}-params", lambda op=op: svstate.preflight(op, deep)))
        places.append(
            (
                f"preflight-{op}-param-value",
                lambda op=op: svstate.preflight(
                    op, dict.fromkeys((*GOOD_PARAMS[op], "trainingMode", "tags"), deep)
                ),
            )
        )
        for keyword in FACT_KEYWORDS:
            places.append(
                (
                    f"preflight-{op}-{keyword}",
                    lambda op=op, keyword=keyword: svstate.preflight(
                        op, GOOD_PARAMS[op], **{**GOOD_FACTS, keyword: deep}
                    ),
                )
            )
        places.append(
            (
                f"preflight-{op}-version-fields",
                lambda op=op: svstate.preflight(
                    op,
                    GOOD_PARAMS[op],
                    versions=[{**version, "status": deep, "creationDateTime": deep}],
                    solution={"solutionArn": SOL, "status": deep, "recipeArn": deep},
                ),
            )
        )
    places.append(("preflight-operation", lambda: svstate.preflight(deep, {})))
    for shape in ("SolutionVersion", "SolutionVersionSummary", "Solution"):
        places.append((f"validate-{shape}", lambda shape=shape: svstate.validate(shape, deep)))
        places.append(
            (
                f"validate-{shape}-fields",
                lambda shape=shape: svstate.validate(
                    shape, dict.fromkeys(("status", "solutionConfig", "creationDateTime"), deep)
                ),
            )
        )
        places.append(
            (
                f"validate-{shape}-ruleset",
                lambda shape=shape: svstate.validate(shape, {}, ruleset=deep),
            )
        )
    places += [
        ("validate-shape", lambda: svstate.validate(deep, {})),
        ("check_transition", lambda: svstate.check_transition(deep, deep)),
        ("check_transition-status", lambda: svstate.check_transition({"status": deep}, "ACTIVE")),
        (
            "check_transition-ruleset",
            lambda: svstate.check_transition("ACTIVE", "ACTIVE", ruleset=deep),
        ),
        ("Status.parse", lambda: svstate.Status.parse(deep)),
        ("Ruleset.parse", lambda: svstate.Ruleset.parse(deep)),
        ("rule", lambda: svstate.rule(deep)),
        ("rules", lambda: svstate.rules(deep)),
        ("from_dict", lambda: svstate.Solution.from_dict(deep)),
        ("from_dict-versions", lambda: svstate.Solution.from_dict({"solutionArn": SOL}, deep)),
        (
            "from_dict-status",
            lambda: svstate.Solution.from_dict({"solutionArn": SOL, "status": deep}),
        ),
        (
            "from_dict-version-fields",
            lambda: svstate.Solution.from_dict(
                {"solutionArn": SOL},
                [{**version, "trainingMode": deep, "trainingHours": deep}],
            ),
        ),
        (
            "from_dict-ruleset",
            lambda: svstate.Solution.from_dict({"solutionArn": SOL}, ruleset=deep),
        ),
        ("Solution-arn", lambda: svstate.Solution(deep)),
        ("Solution-status", lambda: svstate.Solution(SOL, status=deep)),
        ("Solution-ruleset", lambda: svstate.Solution(SOL, ruleset=deep)),
    ]
    return places


_PLACE_NAMES = [name for name, _ in _places(None)]


@pytest.mark.parametrize("kind", ["list", "dict"])
@pytest.mark.parametrize("place", _PLACE_NAMES)
def test_deeply_nested_values_never_raise_recursion_error(kind: str, place: str) -> None:
    deep = _deep_list() if kind == "list" else _deep_dict()
    call = dict(_places(deep))[place]
    try:
        _calm(call)
    except RecursionError:  # pragma: no cover - the failure we are looking for
        pytest.fail(f"{place} raised RecursionError on a {kind} nested {DEPTH} deep")


# == regressions found by the properties above, as plain examples =========================


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: svstate.Status.parse(10**5000), id="Status.parse"),
        pytest.param(lambda: svstate.Ruleset.parse(10**5000), id="Ruleset.parse"),
        pytest.param(lambda: svstate.rule(10**5000), id="rule"),
        pytest.param(lambda: svstate.rules(10**5000), id="rules"),
        pytest.param(
            lambda: svstate.check_transition("ACTIVE", "ACTIVE", ruleset=10**5000),
            id="check_transition-ruleset",
        ),
        pytest.param(
            lambda: svstate.preflight("DeleteSolution", {}, ruleset=10**5000),
            id="preflight-ruleset",
        ),
        pytest.param(
            lambda: svstate.Solution.from_dict({"solutionArn": SOL, "status": 10**5000}),
            id="from_dict-status",
        ),
    ],
)
def test_huge_integers_give_svstate_errors(call: Callable[[], object]) -> None:
    _calm(call)


@pytest.mark.parametrize("seconds", [-7e10, -62135596801, -(10**10) * 9])
def test_epoch_seconds_before_year_one_are_not_a_crash(seconds: float) -> None:
    verdict = _calm(
        svstate.validate,
        "SolutionVersion",
        {
            "solutionVersionArn": f"{SOL}/1",
            "status": "ACTIVE",
            "creationDateTime": seconds,
            "lastUpdatedDateTime": 0,
        },
    )
    assert verdict is not None
    _calm(
        svstate.preflight,
        "CreateSolutionVersion",
        {"solutionArn": SOL, "trainingMode": "UPDATE"},
        solution=GOOD_FACTS["solution"],
        versions=[
            {
                "solutionVersionArn": f"{SOL}/1",
                "status": "ACTIVE",
                "trainingMode": "FULL",
                "creationDateTime": seconds,
            }
        ],
        dataset_imports=[],
    )
