"""The lifecycle declaration's self-checks, its compiled tables, and the lifecycle objects.

The expected lifecycle is written out here from the design document (the
public contract), not read back from ``svstate._lifecycle``, so a wrong edge
in the declaration shows up as a difference.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from conftest import CONTRACT_EDGES

import svstate
from svstate import Decision, Ruleset, Status, TrainingMode
from svstate._lifecycle import (
    DECLARATION,
    Edge,
    Lifecycle,
    LifecycleDefinitionError,
    lifecycle_for,
)

S = Status
GA = dt.date(2019, 6, 10)
STOP = dt.date(2021, 5, 20)

SOL = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
OTHER = "arn:aws:personalize:us-east-1:123456789012:solution/other"
HRNN_COLDSTART = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
USER_PERSONALIZATION = "arn:aws:personalize:::recipe/aws-user-personalization"
SIMS = "arn:aws:personalize:::recipe/aws-sims"

TRIGGERS = ("start", "succeed", "fail", "stop", "finish_stop")
RULESETS = ("2019-10-14", "2021-05-20")

EXPECTED_EDGES = CONTRACT_EDGES  # the contract's lifecycle, by hand (conftest)
EXPECTED_STATUSES = {
    "2019-10-14": (S.CREATE_PENDING, S.CREATE_IN_PROGRESS, S.ACTIVE, S.CREATE_FAILED),
    "2021-05-20": (
        S.CREATE_PENDING,
        S.CREATE_IN_PROGRESS,
        S.ACTIVE,
        S.CREATE_FAILED,
        S.CREATE_STOPPING,
        S.CREATE_STOPPED,
    ),
}
EXPECTED_TERMINAL = {
    "2019-10-14": frozenset({S.ACTIVE, S.CREATE_FAILED}),
    "2021-05-20": frozenset({S.ACTIVE, S.CREATE_FAILED, S.CREATE_STOPPED}),
}

STATE_TRIGGER_CASES = [
    pytest.param(r, s, t, id=f"{r}-{s.name}-{t}")
    for r in RULESETS
    for s in EXPECTED_STATUSES[r]
    for t in TRIGGERS
]


def _build(**changes: object) -> Lifecycle:
    return Lifecycle(attrs.evolve(DECLARATION, **changes))


def _version(ruleset: str, status: Status, mode: TrainingMode = TrainingMode.FULL):
    return svstate.SolutionVersion(
        arn=f"{SOL}/0a1b2c3d",
        solution_arn=SOL,
        training_mode=mode,
        ruleset=Ruleset.parse(ruleset),
        status=status,
    )


def _fire(version: svstate.SolutionVersion, trigger: str) -> None:
    if trigger == "fail":
        version.fail("boom")
    elif trigger == "succeed":
        version.succeed(training_hours=1.5)
    else:
        getattr(version, trigger)()


def _active_full(sol: svstate.Solution) -> svstate.SolutionVersion:
    v = sol.create_version("FULL")
    v.start()
    v.succeed(training_hours=2.0)
    return v


# -- the declaration checks itself -------------------------------------------------------------


def test_the_shipped_declaration_builds_in_full_and_in_each_ruleset() -> None:
    Lifecycle(DECLARATION)
    Lifecycle(DECLARATION.as_of(GA))
    Lifecycle(DECLARATION.as_of(STOP))


def test_undeclared_initial_state_is_refused() -> None:
    with pytest.raises(LifecycleDefinitionError, match=r"initial state 'DELETE PENDING'"):
        _build(initial=S.DELETE_PENDING)


def test_initial_state_declared_only_later_is_refused() -> None:
    # Before 2021-05-20 CREATE STOPPING does not exist, so it cannot be the initial state.
    broken = attrs.evolve(DECLARATION.as_of(GA), initial=S.CREATE_STOPPING)
    with pytest.raises(LifecycleDefinitionError, match=r"initial state 'CREATE STOPPING'"):
        Lifecycle(broken)


def test_unreachable_state_is_refused() -> None:
    # DELETE PENDING can reach a terminal state (so it is no trap) but nothing leads to it.
    with pytest.raises(LifecycleDefinitionError) as caught:
        _build(
            states=(*DECLARATION.states, (S.DELETE_PENDING, GA)),
            edges=(*DECLARATION.edges, Edge("start", S.DELETE_PENDING, S.ACTIVE)),
        )
    message = str(caught.value)
    assert "'DELETE PENDING'" in message
    assert "unreachable" in message
    assert "trap" not in message


def test_unreachable_terminal_state_is_refused() -> None:
    with pytest.raises(LifecycleDefinitionError, match=r"'DELETE PENDING' is unreachable"):
        _build(
            states=(*DECLARATION.states, (S.DELETE_PENDING, GA)),
            terminal=DECLARATION.terminal | {S.DELETE_PENDING},
        )


def test_trap_state_is_refused() -> None:
    # Reachable, not terminal, and no way on: a trap.
    with pytest.raises(LifecycleDefinitionError) as caught:
        _build(
            states=(*DECLARATION.states, (S.DELETE_PENDING, GA)),
            edges=(*DECLARATION.edges, Edge("wedge", S.CREATE_PENDING, S.DELETE_PENDING)),
            triggers=(*DECLARATION.triggers, "wedge"),
        )
    message = str(caught.value)
    assert "'DELETE PENDING'" in message
    assert "trap" in message
    assert "unreachable" not in message


def test_trap_cycle_is_refused() -> None:
    # Two non-terminal states that only lead to each other.
    with pytest.raises(LifecycleDefinitionError) as caught:
        _build(
            states=(*DECLARATION.states, (S.DELETE_PENDING, GA), (S.DELETE_IN_PROGRESS, GA)),
            edges=(
                *DECLARATION.edges,
                Edge("wedge", S.CREATE_PENDING, S.DELETE_PENDING),
                Edge("start", S.DELETE_PENDING, S.DELETE_IN_PROGRESS),
                Edge("start", S.DELETE_IN_PROGRESS, S.DELETE_PENDING),
            ),
            triggers=(*DECLARATION.triggers, "wedge"),
        )
    message = str(caught.value)
    assert "'DELETE PENDING' is a trap" in message
    assert "'DELETE IN_PROGRESS' is a trap" in message


def test_lifecycle_without_terminal_states_is_all_traps() -> None:
    with pytest.raises(LifecycleDefinitionError, match=r"'CREATE PENDING' is a trap"):
        _build(terminal=frozenset())


@pytest.mark.parametrize(
    ("terminal", "edge"),
    [
        (S.ACTIVE, Edge("fail", S.ACTIVE, S.CREATE_FAILED)),
        (S.CREATE_FAILED, Edge("start", S.CREATE_FAILED, S.CREATE_IN_PROGRESS)),
        (S.CREATE_STOPPED, Edge("start", S.CREATE_STOPPED, S.CREATE_PENDING, STOP)),
    ],
    ids=lambda x: x.name if isinstance(x, Status) else x.trigger,
)
def test_terminal_state_with_a_way_out_is_refused(terminal: Status, edge: Edge) -> None:
    with pytest.raises(LifecycleDefinitionError) as caught:
        _build(edges=(*DECLARATION.edges, edge))
    assert f"terminal state '{terminal.value}' has a way out" in str(caught.value)


def test_edge_with_unknown_trigger_is_refused() -> None:
    with pytest.raises(LifecycleDefinitionError, match=r"'explode' uses an undeclared trigger"):
        _build(edges=(*DECLARATION.edges, Edge("explode", S.CREATE_PENDING, S.ACTIVE)))


@pytest.mark.parametrize(
    "edge",
    [
        Edge("start", S.CREATE_FAILED, S.DELETE_PENDING),  # undeclared destination
        Edge("start", S.DELETE_PENDING, S.ACTIVE),  # undeclared source
    ],
    ids=["dest", "source"],
)
def test_edge_with_undeclared_state_is_refused(edge: Edge) -> None:
    with pytest.raises(LifecycleDefinitionError) as caught:
        _build(edges=(*DECLARATION.edges, edge))
    message = str(caught.value)
    assert "'DELETE PENDING'" in message
    assert "undeclared state" in message
    assert repr(edge.trigger) in message


def test_edge_into_a_state_of_a_later_ruleset_is_refused() -> None:
    # The GA part of the declaration plus a stop edge whose destination is not declared yet.
    early = DECLARATION.as_of(GA)
    broken = attrs.evolve(
        early, edges=(*early.edges, Edge("stop", S.CREATE_PENDING, S.CREATE_STOPPED))
    )
    with pytest.raises(LifecycleDefinitionError, match=r"undeclared state 'CREATE STOPPED'"):
        Lifecycle(broken)


def test_state_declared_twice_is_refused() -> None:
    with pytest.raises(LifecycleDefinitionError, match="declared twice"):
        _build(states=(*DECLARATION.states, (S.ACTIVE, GA)))


def test_undeclared_terminal_state_is_refused() -> None:
    with pytest.raises(LifecycleDefinitionError, match=r"terminal state 'DELETE PENDING'"):
        _build(terminal=DECLARATION.terminal | {S.DELETE_PENDING})


def test_definition_error_is_an_svstate_error() -> None:
    assert issubclass(LifecycleDefinitionError, svstate.SvstateError)
    assert issubclass(svstate.SvstateError, ValueError)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(LifecycleDefinitionError) as caught:
        _build(
            initial=S.DELETE_PENDING,
            edges=(*DECLARATION.edges, Edge("explode", S.CREATE_PENDING, S.ACTIVE)),
        )
    message = str(caught.value)
    assert "initial state 'DELETE PENDING'" in message
    assert "'explode'" in message


# -- the compiled tables ----------------------------------------------------------------------


def _in_force(ruleset: str) -> dict[tuple[Status, str], Status]:
    day = dt.date.fromisoformat(ruleset)
    return {(e.source, e.trigger): e.dest for e in DECLARATION.edges if e.since <= day}


@pytest.mark.parametrize("ruleset", RULESETS)
def test_compiled_table_equals_the_declared_edges_in_force(ruleset: str) -> None:
    lc = lifecycle_for(Ruleset.parse(ruleset))
    assert lc.next_status == _in_force(ruleset)
    assert lc.next_status == EXPECTED_EDGES[ruleset]
    assert set(lc.statuses) == set(EXPECTED_STATUSES[ruleset])
    assert lc.terminal == EXPECTED_TERMINAL[ruleset]
    assert {(e.source, e.trigger): e.dest for e in lc.edges()} == EXPECTED_EDGES[ruleset]


@pytest.mark.parametrize("ruleset", RULESETS)
def test_triggers_from_each_state_follow_the_table(ruleset: str) -> None:
    lc = lifecycle_for(Ruleset.parse(ruleset))
    for status in EXPECTED_STATUSES[ruleset]:
        expected = {t for (s, t) in EXPECTED_EDGES[ruleset] if s is status}
        assert set(lc.triggers_from[status]) == expected
        assert (status in lc.terminal) == (not expected)


def test_stop_exists_exactly_from_2021_05_20() -> None:
    assert not Ruleset.parse("2021-05-19").has_stop
    assert Ruleset.parse("2021-05-20").has_stop
    before = lifecycle_for(Ruleset.parse("2021-05-19"))
    after = lifecycle_for(Ruleset.parse("2021-05-20"))
    assert not any(t in {"stop", "finish_stop"} for _, t in before.next_status)
    assert S.CREATE_STOPPING not in before.statuses
    assert S.CREATE_STOPPING in after.statuses
    assert lifecycle_for(Ruleset.parse("latest")).next_status == EXPECTED_EDGES["2021-05-20"]


@pytest.mark.parametrize("ruleset", RULESETS)
def test_machine_fires_what_the_table_says(ruleset: str) -> None:
    lc = lifecycle_for(Ruleset.parse(ruleset))

    @attrs.define(slots=True, eq=False)
    class Record:
        status: Status

    for (source, trigger), dest in lc.next_status.items():
        record = Record(source)
        lc.fire(record, trigger)
        assert record.status is dest


# -- SolutionVersion triggers ----------------------------------------------------------------


@pytest.mark.parametrize(("ruleset", "status", "trigger"), STATE_TRIGGER_CASES)
def test_may_and_fire_agree_with_the_contract(ruleset: str, status: Status, trigger: str) -> None:
    v = _version(ruleset, status)
    expected = EXPECTED_EDGES[ruleset].get((status, trigger))
    assert v.may(trigger) is (expected is not None)
    assert v.status is status  # may() never fires
    if expected is not None:
        _fire(v, trigger)
        assert v.status is expected
        return
    with pytest.raises(svstate.IllegalTransition) as caught:
        _fire(v, trigger)
    err = caught.value
    assert isinstance(err, svstate.SvstateError)
    assert v.status is status  # an illegal trigger changes nothing
    assert v.training_hours is None
    assert v.failure_reason is None
    legal = tuple(t for t in TRIGGERS if (status, t) in EXPECTED_EDGES[ruleset])
    assert err.state is status
    assert err.trigger == trigger
    assert set(err.legal) == set(legal)
    message = str(err)
    assert status.value in message
    assert trigger in message
    for t in legal:
        assert t in message
    if not legal:
        assert "terminal" in message or "none" in message


@pytest.mark.parametrize("status", EXPECTED_STATUSES["2019-10-14"], ids=lambda s: s.name)
@pytest.mark.parametrize("trigger", ["stop", "finish_stop"])
def test_stop_before_2021_05_20_says_when_it_exists(status: Status, trigger: str) -> None:
    v = _version("2019-10-14", status)
    assert not v.may(trigger)
    with pytest.raises(svstate.IllegalTransition) as caught:
        getattr(v, trigger)()
    message = str(caught.value)
    assert "2021-05-20" in message
    assert "exists from 2021-05-20" in message
    assert status.value in message
    assert trigger in message
    assert v.status is status


def test_a_version_walks_every_path_of_the_contract() -> None:
    sol = svstate.Solution(SOL, recipe_arn=HRNN_COLDSTART, ruleset="2021-05-20")
    paths = {
        ("start", "succeed"): S.ACTIVE,
        ("start", "fail"): S.CREATE_FAILED,
        ("stop",): S.CREATE_STOPPED,
        ("start", "stop", "finish_stop"): S.CREATE_STOPPED,
    }
    for path, end in paths.items():
        v = sol.create_version("FULL")
        assert v.status is S.CREATE_PENDING
        assert v.training_mode is TrainingMode.FULL
        for trigger in path:
            _fire(v, trigger)
        assert v.status is end
        assert all(not v.may(t) for t in TRIGGERS)


def test_succeed_and_fail_record_what_the_service_reports() -> None:
    sol = svstate.Solution(SOL, recipe_arn=HRNN_COLDSTART)
    v = sol.create_version()
    v.start()
    v.succeed(training_hours=3)
    assert v.training_hours == 3.0
    assert isinstance(v.training_hours, float)
    assert v.to_dict()["trainingHours"] == 3.0
    assert v.to_dict()["status"] == "ACTIVE"
    w = sol.create_version()
    w.start()
    w.succeed()
    assert w.training_hours is None
    x = sol.create_version()
    x.start()
    x.fail("fewer than 25 users")
    assert x.failure_reason == "fewer than 25 users"
    assert x.to_dict()["failureReason"] == "fewer than 25 users"
    assert x.to_dict()["status"] == "CREATE FAILED"


@pytest.mark.parametrize(
    "name",
    ["explode", "Start", "START", "", "may", "to_dict", "_fire", 3, None, ("start",), b"start"],
    ids=repr,
)
def test_unknown_trigger_names_raise_svstate_error(name: object) -> None:
    v = _version("2021-05-20", S.CREATE_PENDING)
    with pytest.raises(svstate.SvstateError) as caught:
        v.may(name)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "start" in message  # names the real triggers
    if isinstance(name, str) and name:
        assert repr(name) in message
    assert v.status is S.CREATE_PENDING


# -- bad input names the value ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "shown"),
    [
        (-1, "-1"),
        (-0.5, "-0.5"),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
        ("1.5", "'1.5'"),
        (True, "True"),
        ([1.5], "list"),
        ({"h": 1}, "dict"),
        (b"1", "bytes"),
        (10**400, "integer"),
    ],
    ids=lambda x: type(x).__name__ if not isinstance(x, str) else x,
)
def test_bad_training_hours_raise_and_change_nothing(hours: object, shown: str) -> None:
    v = _version("2019-10-14", S.CREATE_IN_PROGRESS)
    with pytest.raises(svstate.SvstateError) as caught:
        v.succeed(training_hours=hours)  # type: ignore[arg-type]
    assert shown in str(caught.value)
    assert "training_hours" in str(caught.value)
    assert v.status is S.CREATE_IN_PROGRESS
    assert v.training_hours is None


@pytest.mark.parametrize(
    ("reason", "shown"),
    [(None, "None"), (42, "42"), (b"boom", "bytes"), (["boom"], "list"), ({"r": 1}, "dict")],
    ids=lambda x: type(x).__name__,
)
def test_bad_failure_reason_raises_and_changes_nothing(reason: object, shown: str) -> None:
    v = _version("2019-10-14", S.CREATE_IN_PROGRESS)
    with pytest.raises(svstate.SvstateError) as caught:
        v.fail(reason)  # type: ignore[arg-type]
    assert shown in str(caught.value)
    assert "reason" in str(caught.value)
    assert v.status is S.CREATE_IN_PROGRESS
    assert v.failure_reason is None


@pytest.mark.parametrize(
    ("arn", "shown"),
    [
        ("not-an-arn", "'not-an-arn'"),
        ("", "''"),
        ("arn:aws:s3:::bucket/key", "'arn:aws:s3:::bucket/key'"),
        (SOL + "x" * 300, "characters"),
        (None, "None"),
        (42, "42"),
        (b"arn:aws:personalize:us-east-1:123456789012:solution/movies", "bytes"),
        ([SOL], "list"),
        ({"solutionArn": SOL}, "dict"),
    ],
    ids=lambda x: type(x).__name__ if not isinstance(x, str) else x[:20] or "empty",
)
def test_bad_solution_arn_raises_naming_the_value(arn: object, shown: str) -> None:
    with pytest.raises(svstate.SvstateError) as caught:
        svstate.Solution(arn=arn)  # type: ignore[arg-type]
    assert shown in str(caught.value)


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("ACTIV", "'ACTIV'"),
        ("active", "'active'"),
        ("", "''"),
        ("RUNNING", "'RUNNING'"),
        (None, "None"),
        (42, "42"),
        (["ACTIVE"], "list"),
        (10**5000, "int"),
    ],
    ids=lambda x: type(x).__name__ if not isinstance(x, str) else x or "empty",
)
def test_bad_solution_status_raises_unknown_status(status: object, shown: str) -> None:
    with pytest.raises(svstate.UnknownStatus) as caught:
        svstate.Solution(SOL, status=status)  # type: ignore[arg-type]
    assert shown in str(caught.value)


@pytest.mark.parametrize("status", ["CREATE_IN_PROGRESS", "CREATE IN_PROGRESS", S.ACTIVE])
def test_solution_status_accepts_both_spellings(status: object) -> None:
    sol = svstate.Solution(SOL, status=status)  # type: ignore[arg-type]
    assert isinstance(sol.status, Status)


@pytest.mark.parametrize(
    ("ruleset", "shown"),
    [
        ("2018-01-01", "'2018-01-01'"),
        ("2019-06-09", "'2019-06-09'"),
        ("2019-02-30", "'2019-02-30'"),
        ("yesterday", "'yesterday'"),
        ("", "''"),
        ("LATEST", "'LATEST'"),
        (20191014, "20191014"),
        (None, "None"),
        (dt.date(2019, 1, 1), "'2019-01-01'"),
        (10**5000, "int"),
    ],
    ids=lambda x: type(x).__name__ if not isinstance(x, str) else x or "empty",
)
def test_bad_solution_ruleset_raises_unknown_ruleset(ruleset: object, shown: str) -> None:
    with pytest.raises(svstate.UnknownRuleset) as caught:
        svstate.Solution(SOL, ruleset=ruleset)  # type: ignore[arg-type]
    assert shown in str(caught.value)


@pytest.mark.parametrize(
    ("ruleset", "name"),
    [
        ("2019-10-14", "2019-10-14"),
        (dt.date(2021, 5, 20), "2021-05-20"),
        (dt.datetime(2021, 5, 20, 12, 0), "2021-05-20"),
        (Ruleset.parse("2020-01-01"), "2020-01-01"),
    ],
    ids=["iso", "date", "datetime", "Ruleset"],
)
def test_solution_ruleset_accepts_dates(ruleset: object, name: str) -> None:
    assert svstate.Solution(SOL, ruleset=ruleset).ruleset.name == name


# -- Solution.from_dict --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "None"),
        ([], "a list of 0 items"),
        ([{"solutionArn": SOL}], "a list of 1 item"),
        ("solution", "'solution'"),
        (42, "42"),
        (b"{}", "bytes"),
        (dt.date(2020, 1, 1), "date"),
    ],
    ids=lambda x: type(x).__name__,
)
def test_from_dict_refuses_non_dicts(value: object, shown: str) -> None:
    with pytest.raises(svstate.SvstateError) as caught:
        svstate.Solution.from_dict(value)
    assert shown in str(caught.value)
    assert "solution" in str(caught.value)


@pytest.mark.parametrize(
    ("fact", "shown"),
    [
        ({}, "None"),
        ({"status": "ACTIVE"}, "None"),
        ({"solutionArn": None}, "None"),
        ({"solutionArn": 7}, "7"),
        ({"solutionArn": "movies"}, "'movies'"),
        ({"solutionArn": [SOL]}, "list"),
    ],
    ids=["empty", "status-only", "none", "int", "name", "list"],
)
def test_from_dict_without_a_solution_arn_names_the_field(fact: dict, shown: str) -> None:
    with pytest.raises(svstate.SvstateError) as caught:
        svstate.Solution.from_dict(fact)
    message = str(caught.value)
    assert "solutionArn" in message
    assert shown in message


@pytest.mark.parametrize(
    ("status", "shown"),
    [("BOGUS", "'BOGUS'"), ("activ", "'activ'"), (3, "3"), ([], "list")],
    ids=["bogus", "lower", "int", "list"],
)
def test_from_dict_with_a_bad_solution_status_raises(status: object, shown: str) -> None:
    with pytest.raises(svstate.UnknownStatus) as caught:
        svstate.Solution.from_dict({"solutionArn": SOL, "status": status})
    assert shown in str(caught.value)


def test_from_dict_reads_a_whole_response_and_its_versions() -> None:
    sol = svstate.Solution.from_dict(
        {"solution": {"solutionArn": SOL, "status": "ACTIVE", "recipeArn": HRNN_COLDSTART}},
        {
            "solutionVersions": [
                {"solutionVersionArn": f"{SOL}/1", "status": "ACTIVE", "trainingMode": "FULL"},
                {
                    "solutionVersionArn": f"{SOL}/2",
                    "status": "CREATE_FAILED",
                    "trainingMode": "UPDATE",
                    "failureReason": "no new data",
                },
            ]
        },
        ruleset="2021-05-20",
    )
    assert sol.arn == SOL
    assert sol.recipe_arn == HRNN_COLDSTART
    assert sol.ruleset.name == "2021-05-20"
    assert [(v.status, v.training_mode) for v in sol.versions] == [
        (S.ACTIVE, TrainingMode.FULL),
        (S.CREATE_FAILED, TrainingMode.UPDATE),
    ]
    assert sol.versions[1].failure_reason == "no new data"
    assert sol.create_version("UPDATE").training_mode is TrainingMode.UPDATE


@pytest.mark.parametrize(
    ("versions", "shown"),
    [
        ("versions", "'versions'"),
        (42, "42"),
        ({"solutionVersionArn": f"{SOL}/1"}, "dict"),
        ({1, 2}, "set"),
    ],
    ids=lambda x: type(x).__name__,
)
def test_from_dict_refuses_versions_that_are_not_a_list(versions: object, shown: str) -> None:
    with pytest.raises(svstate.SvstateError) as caught:
        svstate.Solution.from_dict({"solutionArn": SOL}, versions)
    assert "versions" in str(caught.value)
    assert shown in str(caught.value)


@pytest.mark.parametrize(
    ("version", "field", "shown"),
    [
        ("v1", "versions[0]", "'v1'"),
        (None, "versions[0]", "None"),
        ({"status": "ACTIVE"}, "versions[0].solutionVersionArn", "None"),
        ({"solutionVersionArn": 5, "status": "ACTIVE"}, "versions[0].solutionVersionArn", "5"),
        ({"solutionVersionArn": f"{SOL}/1", "status": "BOGUS"}, "versions[0].status", "'BOGUS'"),
        ({"solutionVersionArn": f"{SOL}/1"}, "versions[0].status", "None"),
        ({"solutionVersionArn": f"{SOL}/1", "status": 7}, "versions[0].status", "7"),
        (
            {"solutionVersionArn": f"{SOL}/1", "status": "DELETE PENDING"},
            "versions[0].status",
            "DELETE PENDING",
        ),
        (
            {"solutionVersionArn": f"{SOL}/1", "status": "ACTIVE", "trainingMode": "PARTIAL"},
            "versions[0].trainingMode",
            "'PARTIAL'",
        ),
    ],
    ids=[
        "str",
        "none",
        "no-arn",
        "int-arn",
        "bogus-status",
        "no-status",
        "int-status",
        "solution-only-status",
        "bad-mode",
    ],
)
def test_from_dict_refuses_bad_versions_naming_field_and_value(
    version: object, field: str, shown: str
) -> None:
    good = {"solutionVersionArn": f"{SOL}/0", "status": "ACTIVE", "trainingMode": "FULL"}
    with pytest.raises(svstate.SvstateError) as caught:
        svstate.Solution.from_dict({"solutionArn": SOL}, [version, good])
    message = str(caught.value)
    assert field in message
    assert shown in message


@pytest.mark.parametrize(
    "foreign",
    [
        f"{OTHER}/1a2b3c4d",
        f"{SOL}x/1a2b3c4d",
        f"{SOL}/1a2b3c4d/extra",
        SOL,
        "arn:aws:personalize:eu-west-1:123456789012:solution/movies/1a2b3c4d",
    ],
    ids=["other-solution", "prefix", "nested", "the-solution-itself", "other-region"],
)
def test_from_dict_refuses_foreign_versions(foreign: str) -> None:
    good = {"solutionVersionArn": f"{SOL}/0", "status": "ACTIVE", "trainingMode": "FULL"}
    bad = {"solutionVersionArn": foreign, "status": "ACTIVE", "trainingMode": "FULL"}
    with pytest.raises(svstate.SvstateError) as caught:
        svstate.Solution.from_dict({"solutionArn": SOL}, [good, bad])
    message = str(caught.value)
    assert "versions[1]" in message
    assert foreign[:60] in message


def test_from_dict_with_huge_training_hours_raises_svstate_error_or_ignores_them() -> None:
    version = {
        "solutionVersionArn": f"{SOL}/1",
        "status": "ACTIVE",
        "trainingMode": "FULL",
        "trainingHours": 10**400,
    }
    message = ""
    try:
        sol = svstate.Solution.from_dict({"solutionArn": SOL}, [version])
    except svstate.SvstateError as err:
        message = str(err)
    else:
        assert sol.versions[0].status is S.ACTIVE
    assert not message or "trainingHours" in message


# -- Solution.create_version -------------------------------------------------------------------


@pytest.mark.parametrize("ruleset", RULESETS)
def test_update_without_an_active_full_version_is_refused(ruleset: str) -> None:
    sol = svstate.Solution(SOL, recipe_arn=HRNN_COLDSTART, ruleset=ruleset)
    steps: list[tuple[str, ...]] = [(), ("start",), ("start", "fail")]
    if ruleset == "2021-05-20":
        steps += [("stop",), ("start", "stop"), ("start", "stop", "finish_stop")]
    for path in steps:
        v = sol.create_version("FULL")
        for trigger in path:
            _fire(v, trigger)
        with pytest.raises(svstate.PreconditionFailed) as caught:
            sol.create_version("UPDATE")
        verdict = caught.value.verdict
        assert isinstance(verdict, svstate.Verdict)
        assert verdict.decision is Decision.DENY
        assert "SV301" in {f.rule for f in verdict.errors}
        assert "UPDATE" in str(caught.value)
    # nothing was created by the refused calls
    assert all(v.training_mode is TrainingMode.FULL for v in sol.versions)
    assert len(sol.versions) == len(steps)


@pytest.mark.parametrize(
    "status",
    ["CREATE FAILED", "DELETE PENDING", "DELETE IN_PROGRESS"],
)
@pytest.mark.parametrize("mode", ["FULL", "UPDATE"])
def test_a_solution_that_will_never_be_active_refuses_new_versions(status: str, mode: str) -> None:
    sol = svstate.Solution(SOL, recipe_arn=HRNN_COLDSTART, status=status)
    with pytest.raises(svstate.PreconditionFailed) as caught:
        sol.create_version(mode)
    verdict = caught.value.verdict
    assert verdict.decision is Decision.DENY
    assert "SV201" in {f.rule for f in verdict.errors}
    assert status in str(caught.value)
    assert sol.versions == []


@pytest.mark.parametrize("status", ["CREATE PENDING", "CREATE IN_PROGRESS"])
def test_a_solution_being_created_takes_a_full_version_with_a_warning(status: str) -> None:
    sol = svstate.Solution(SOL, recipe_arn=HRNN_COLDSTART, status=status)
    version = sol.create_version("FULL")
    assert version.status is svstate.Status.CREATE_PENDING
    assert sol.versions == [version]


@pytest.mark.parametrize(
    ("recipe", "ruleset"),
    [
        (USER_PERSONALIZATION, "2019-10-14"),
        (USER_PERSONALIZATION, "2020-08-23"),
        (SIMS, "2019-10-14"),
        (SIMS, "2021-05-20"),
    ],
)
def test_update_with_a_recipe_without_update_support_is_refused(recipe: str, ruleset: str) -> None:
    sol = svstate.Solution(SOL, recipe_arn=recipe, ruleset=ruleset)
    _active_full(sol)
    with pytest.raises(svstate.PreconditionFailed) as caught:
        sol.create_version("UPDATE")
    verdict = caught.value.verdict
    assert verdict.decision is Decision.DENY
    assert {f.rule for f in verdict.errors} == {"SV302"}
    assert recipe in str(caught.value)
    assert len(sol.versions) == 1


@pytest.mark.parametrize(
    ("recipe", "ruleset"),
    [
        (HRNN_COLDSTART, "2019-10-14"),
        (HRNN_COLDSTART, "2021-05-20"),
        (USER_PERSONALIZATION, "2020-08-24"),
    ],
)
def test_update_after_an_active_full_version_is_allowed(recipe: str, ruleset: str) -> None:
    sol = svstate.Solution(SOL, recipe_arn=recipe, ruleset=ruleset)
    full = _active_full(sol)
    update = sol.create_version(TrainingMode.UPDATE)
    assert update.training_mode is TrainingMode.UPDATE
    assert update.status is S.CREATE_PENDING
    assert update.arn.startswith(SOL + "/")
    assert update.arn != full.arn
    assert sol.versions == [full, update]
    # an UPDATE in flight does not stop another UPDATE (SV401 is only a warning)
    again = sol.create_version("UPDATE")
    assert again.training_mode is TrainingMode.UPDATE
    assert len({v.arn for v in sol.versions}) == 3


def test_default_create_version_works_before_training_mode_existed() -> None:
    # Before 2019-10-14 every version is trained in full; the default call must still work.
    sol = svstate.Solution(SOL, recipe_arn=HRNN_COLDSTART, ruleset="2019-06-10")
    v = sol.create_version()
    assert v.training_mode is TrainingMode.FULL
    assert v.status is S.CREATE_PENDING


def test_update_with_an_unknown_recipe_is_not_allowed() -> None:
    sol = svstate.Solution(SOL)  # no recipe known
    _active_full(sol)
    with pytest.raises(svstate.PreconditionFailed) as caught:
        sol.create_version("UPDATE")
    verdict = caught.value.verdict
    assert verdict.decision is Decision.UNKNOWN
    assert "solution.recipeArn" in verdict.missing


@pytest.mark.parametrize(
    ("mode", "shown"),
    [("BOGUS", "'BOGUS'"), ("update", "'update'"), (5, "5"), ("AUTOTRAIN", "'AUTOTRAIN'")],
)
def test_create_version_with_a_bad_mode_raises(mode: object, shown: str) -> None:
    sol = svstate.Solution(SOL, recipe_arn=HRNN_COLDSTART, ruleset="2019-10-14")
    with pytest.raises(svstate.SvstateError) as caught:
        sol.create_version(mode)
    assert shown in str(caught.value)
    assert sol.versions == []


def test_create_version_agrees_with_preflight() -> None:
    sol = svstate.Solution(SOL, recipe_arn=HRNN_COLDSTART)

    def verdict(mode: str) -> svstate.Verdict:
        return svstate.preflight(
            "CreateSolutionVersion",
            {"solutionArn": SOL, "trainingMode": mode},
            solution=sol.to_dict(),
            versions=[v.to_dict() for v in sol.versions],
            ruleset=sol.ruleset,
        )

    assert verdict("UPDATE").decision is Decision.DENY
    assert sol.preflight("UPDATE").decision is Decision.DENY
    assert verdict("FULL").decision is Decision.ALLOW
    v = sol.create_version()
    v.start()
    assert verdict("UPDATE").decision is Decision.DENY
    v.succeed()
    assert verdict("UPDATE").decision is Decision.ALLOW
    assert sol.preflight("UPDATE").decision is Decision.ALLOW
