"""``svstate.explore``: the breadth-first search over every reachable state of one solution.

Besides the search's own results (invariants hold, every status is reached,
UPDATE is reachable exactly where rulesets and recipes allow it, symmetry
reduction changes the counts but not the answers, counterexamples are
shortest), this file holds the soundness check the explorer's docstring
promises: in every reachable state, ``preflight`` on the state's facts allows
exactly the user calls that an independent specification (written here from
the design document, not from the rules' code) enables, and exactly the user
calls the explorer itself takes.
"""

from __future__ import annotations

import datetime as _dt
import functools
import time
from collections import deque
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import svstate
from svstate import Decision, Exploration, Status, SvstateError, TrainingMode, Verdict
from svstate._explore import MAX_BOUND, MAX_QUOTIENT_BOUND, _Explorer, _facts, _Quotient, summary
from svstate._rulesets import resolve_ruleset

HRNN_COLDSTART = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
USER_PERSONALIZATION = "arn:aws:personalize:::recipe/aws-user-personalization"
USER_PERSONALIZATION_V2 = "arn:aws:personalize:::recipe/aws-user-personalization-v2"
SIMS = "arn:aws:personalize:::recipe/aws-sims"
SOLUTION = "arn:aws:personalize:us-east-1:123456789012:solution/explored"

RULESETS = ["2019-06-10", "2019-10-14", "2021-05-20", "latest"]
S = Status
FULL, UPDATE, AUTOTRAIN = TrainingMode.FULL, TrainingMode.UPDATE, TrainingMode.AUTOTRAIN

# Written out here, independently of svstate._lifecycle: the version statuses of each era.
BASE_STATUSES = {S.CREATE_PENDING, S.CREATE_IN_PROGRESS, S.ACTIVE, S.CREATE_FAILED}
STOP_STATUSES = {S.CREATE_STOPPING, S.CREATE_STOPPED}
STOP_SINCE = _dt.date(2021, 5, 20)
AUTOTRAIN_SINCE = _dt.date(2024, 4, 19)
UPDATE_SINCE = {
    HRNN_COLDSTART: _dt.date(2019, 10, 14),
    USER_PERSONALIZATION: _dt.date(2020, 8, 24),
}
IN_FLIGHT = {S.CREATE_PENDING, S.CREATE_IN_PROGRESS}
DELETING = {S.DELETE_PENDING, S.DELETE_IN_PROGRESS}


def statuses_of(ruleset: str) -> set[Status]:
    day = resolve_ruleset(ruleset).date
    return BASE_STATUSES | (STOP_STATUSES if day >= STOP_SINCE else set())


@functools.cache
def run(
    bound: int,
    ruleset: str,
    recipe: str = HRNN_COLDSTART,
    symmetry: bool = True,
    reduction: str = "quotient",
):
    """One exploration, shared by the tests that ask the same question."""
    return svstate.explore(
        bound=bound, ruleset=ruleset, recipe=recipe, symmetry=symmetry, reduction=reduction
    )


# -- the search's results ----------------------------------------------------------------


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize("bound", [0, 1, 2, 3, 4])
def test_invariants_hold_within_the_bound(bound: int, ruleset: str) -> None:
    found = run(bound, ruleset)
    assert isinstance(found, Exploration)
    assert found.ok, (found.violations, found.counterexample)
    assert found.violations == ()
    assert found.counterexample is None
    assert (found.bound, found.recipe, found.symmetry) == (bound, HRNN_COLDSTART, True)
    assert found.ruleset == resolve_ruleset(ruleset).name
    assert found.states > 0
    assert found.transitions >= found.states - 1  # every state but the first was reached by one
    assert found.seconds >= 0
    assert found.reached <= statuses_of(ruleset)


@pytest.mark.parametrize("ruleset", RULESETS)
def test_state_counts_grow_with_the_bound(ruleset: str) -> None:
    counts = [run(bound, ruleset).states for bound in range(5)]
    assert counts == sorted(counts)
    assert counts[1] < counts[2] < counts[3] < counts[4]


def test_bound_zero_creates_no_version() -> None:
    found = run(0, "latest")
    assert found.reached == frozenset()
    assert not found.update_reachable


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize("bound", [2, 3])
def test_every_status_of_the_lifecycle_is_reached(bound: int, ruleset: str) -> None:
    assert run(bound, ruleset).reached == statuses_of(ruleset)


def test_a_single_version_already_reaches_every_status() -> None:
    assert run(1, "2021-05-20").reached == BASE_STATUSES | STOP_STATUSES
    assert run(1, "2019-10-14").reached == BASE_STATUSES


@pytest.mark.parametrize(
    ("ruleset", "recipe", "expected"),
    [
        ("2019-10-14", HRNN_COLDSTART, True),
        ("2020-08-23", HRNN_COLDSTART, True),
        ("2021-05-20", HRNN_COLDSTART, True),
        ("latest", HRNN_COLDSTART, True),
        ("2020-08-24", USER_PERSONALIZATION, True),
        ("2021-05-20", USER_PERSONALIZATION, True),
        ("latest", USER_PERSONALIZATION, True),
        ("2020-08-23", USER_PERSONALIZATION, False),
        ("2019-10-14", USER_PERSONALIZATION, False),
        ("2019-10-14", SIMS, False),
        ("latest", SIMS, False),
        ("latest", USER_PERSONALIZATION_V2, False),
        ("2021-05-20", USER_PERSONALIZATION_V2, False),
        ("2019-06-10", HRNN_COLDSTART, False),
        ("2019-06-10", USER_PERSONALIZATION, False),
        ("2019-06-10", SIMS, False),
    ],
)
def test_update_is_reachable_exactly_where_ruleset_and_recipe_allow_it(
    ruleset: str, recipe: str, expected: bool
) -> None:
    found = run(2, ruleset, recipe)
    assert found.ok
    assert found.update_reachable is expected
    assert found.recipe == recipe


def test_update_needs_two_versions_of_room() -> None:
    # An UPDATE needs an ACTIVE FULL version first: with room for one version it never happens.
    assert not run(1, "latest").update_reachable
    assert run(2, "latest").update_reachable


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize("bound", [0, 1, 2, 3])
def test_symmetry_reduction_changes_counts_not_answers(bound: int, ruleset: str) -> None:
    reduced = run(bound, ruleset, reduction="symmetry")
    full = run(bound, ruleset, symmetry=False)
    assert full.symmetry is False
    if bound >= 2:
        assert reduced.states < full.states
        assert reduced.transitions < full.transitions
    else:  # with at most one version there is nothing to permute
        assert reduced.states == full.states
        assert reduced.transitions == full.transitions
    assert reduced.reached == full.reached
    assert reduced.update_reachable == full.update_reachable
    assert reduced.ok == full.ok
    assert reduced.violations == full.violations


@pytest.mark.parametrize("ruleset", ["2019-06-10", "2019-10-14"])
def test_symmetry_reduction_at_bound_four(ruleset: str) -> None:
    reduced, full = run(4, ruleset, reduction="symmetry"), run(4, ruleset, symmetry=False)
    assert reduced.states < full.states
    assert (reduced.reached, reduced.update_reachable, reduced.ok) == (
        full.reached,
        full.update_reachable,
        full.ok,
    )


def test_symmetry_reduction_counts_multisets() -> None:
    # Without reduction a state with versions [a, b] and one with [b, a] differ; with it they
    # are one state. So the reduced count equals the number of distinct sorted states reached
    # without reduction.
    explorer = _Explorer(3, resolve_ruleset("2019-10-14"), HRNN_COLDSTART, symmetry=False)
    states = enumerate_states(explorer)
    assert len(states) == run(3, "2019-10-14", symmetry=False).states
    as_multisets = {
        (status, tuple(sorted(versions, key=lambda v: (v[0].value, v[1].value, v[2]))), c, d)
        for status, versions, c, d in states
    }
    assert len(as_multisets) == run(3, "2019-10-14", reduction="symmetry").states


# -- counterexamples ---------------------------------------------------------------------


def _allow(operation: str) -> Verdict:
    return Verdict(Decision.ALLOW, (), (), "2019-10-14", operation)


def test_an_update_always_allowed_is_caught_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    real = _Explorer._verdict

    def wrong(self: _Explorer, state: Any, operation: str, params: Any) -> Verdict:
        if operation == "CreateSolutionVersion" and params.get("trainingMode") == "UPDATE":
            return _allow(operation)
        return real(self, state, operation, params)

    monkeypatch.setattr(_Explorer, "_verdict", wrong)
    found = svstate.explore(bound=1)
    assert not found.ok
    assert found.violations == ("an UPDATE version was created without an ACTIVE FULL version",)
    # The shortest path: the very first call, on the brand-new solution.
    assert found.counterexample == ("user: CreateSolutionVersion UPDATE",)


@pytest.mark.parametrize("reduction", ["quotient", "symmetry", "none"])
@pytest.mark.parametrize("ruleset", ["2019-10-14", "2021-05-20", "latest"])
@pytest.mark.parametrize("bound", [1, 2, 3])
def test_an_update_without_sv301_gives_the_shortest_counterexample(
    monkeypatch: pytest.MonkeyPatch, bound: int, ruleset: str, reduction: str
) -> None:
    """Every reduction finds the same shortest counterexample."""
    real = _Explorer._verdict

    def without_sv301(self: _Explorer, state: Any, operation: str, params: Any) -> Verdict:
        verdict = real(self, state, operation, params)
        if (
            operation == "CreateSolutionVersion"
            and params.get("trainingMode") == "UPDATE"
            and verdict.errors
            and all(f.rule == "SV301" for f in verdict.errors)
        ):
            return _allow(operation)
        return verdict

    monkeypatch.setattr(_Explorer, "_verdict", without_sv301)
    found = svstate.explore(bound=bound, ruleset=ruleset, reduction=reduction)
    assert not found.ok
    assert "an UPDATE version was created without an ACTIVE FULL version" in found.violations
    # SV201 only warns while the solution is being created, so the very first call, on the
    # brand-new solution, reaches the violation, whatever the bound.
    assert found.counterexample == ("user: CreateSolutionVersion UPDATE",)


def test_a_broken_preflight_cannot_matter_without_versions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_Explorer, "_verdict", lambda self, state, op, params: _allow(op))
    found = svstate.explore(bound=0)
    assert found.ok
    assert found.counterexample is None


def _explorer_with(monkeypatch: pytest.MonkeyPatch, extra, base: type = _Explorer) -> None:
    """Make ``explore`` use an explorer (``base``: ``_Explorer`` or ``_Quotient``) with one
    more (wrong) move, given by ``extra``."""

    class Wrong(base):  # type: ignore[misc, valid-type]
        def successors(self, state):  # type: ignore[no-untyped-def]
            yield from super().successors(state)
            yield from extra(self, state)

    monkeypatch.setattr(svstate._explore, base.__name__, Wrong)


def test_a_terminal_status_that_changes_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def resurrect(explorer: _Explorer, state):  # type: ignore[no-untyped-def]
        status, versions, campaign, deletes = state
        for i, v in enumerate(versions):
            if v[0] is S.ACTIVE:
                rest = list(versions)
                rest[i] = (S.CREATE_FAILED, v[1], v[2])
                yield (
                    "service: wrongly fail an ACTIVE version",
                    (status, tuple(rest), campaign, deletes),
                )

    def fail_active(q: _Quotient, state):  # type: ignore[no-untyped-def]
        status, still, moving, campaign, deletes, n = state
        for code in still:
            if q.kind[code][0] is S.ACTIVE:
                rest = (still - {code}) | {q.rank[S.CREATE_FAILED, FULL]}
                yield (
                    "service: wrongly fail an ACTIVE version",
                    (status, rest, moving, campaign, deletes, n),
                )

    _explorer_with(monkeypatch, resurrect)
    _explorer_with(monkeypatch, fail_active, _Quotient)
    for reduction in ("quotient", "symmetry"):
        found = svstate.explore(bound=1, ruleset="2019-10-14", reduction=reduction)
        assert not found.ok
        assert found.violations == ("a version left the terminal status ACTIVE",)
        assert found.counterexample == (
            "user: CreateSolutionVersion FULL",
            "service: start version 0 (FULL)",
            "service: succeed version 0 (FULL)",
            "service: wrongly fail an ACTIVE version",
        )


def test_a_second_delete_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def delete_again(explorer: _Explorer, state):  # type: ignore[no-untyped-def]
        status, versions, campaign, deletes = state
        if status is S.DELETE_PENDING:
            yield ("user: DeleteSolution", (S.DELETE_PENDING, versions, campaign, deletes + 1))

    _explorer_with(monkeypatch, delete_again)
    found = svstate.explore(bound=0, reduction="symmetry")
    assert not found.ok
    assert found.violations == ("the solution was deleted twice",)
    assert found.counterexample == ("user: DeleteSolution", "user: DeleteSolution")


# -- bad arguments -----------------------------------------------------------------------


@pytest.mark.parametrize("bound", [-1, 1.5, "3", True, False, None, [2], 2.0])
def test_a_bound_that_is_not_a_small_int_is_rejected(bound: object) -> None:
    with pytest.raises(SvstateError, match="bound") as raised:
        svstate.explore(bound=bound)  # type: ignore[arg-type]
    assert str(MAX_QUOTIENT_BOUND) in str(raised.value)


@pytest.mark.parametrize("bound", [MAX_BOUND + 1, 9, 50, 10**9])
def test_a_bound_too_large_is_refused_with_the_reason(bound: int) -> None:
    with pytest.raises(SvstateError, match="refused") as raised:
        svstate.explore(bound=bound, reduction="symmetry")
    message = str(raised.value)
    assert str(bound) in message
    assert "states" in message  # it says why: the state space
    assert "'quotient'" in message  # and what reaches further


@pytest.mark.parametrize("bound", [MAX_QUOTIENT_BOUND + 1, 50, 10**9])
def test_a_bound_too_large_for_the_quotient_is_refused_with_the_reason(bound: int) -> None:
    with pytest.raises(SvstateError, match="refused") as raised:
        svstate.explore(bound=bound)
    message = str(raised.value)
    assert f"bound {bound} " in message
    assert f"bound={MAX_QUOTIENT_BOUND}" in message


def test_max_bounds() -> None:
    assert MAX_BOUND == 8
    assert MAX_QUOTIENT_BOUND == 10
    svstate.explore(bound=1)  # and the small bounds are accepted


class _TooSlow(Exception):
    pass


def test_a_bound_that_cannot_finish_in_reasonable_time_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """explore refuses bounds that would not finish; it must not accept one that runs for hours.

    In "latest" the state count grows about 7-fold per version (bound 3: ~2,100 states,
    bound 4: ~17,000, bound 5: ~120,000 and ~20 s), so bound 8 would visit tens of
    millions of states. The search is stopped here after a few seconds if it was accepted.
    """
    growth = (
        run(4, "latest", reduction="symmetry").states
        / run(3, "latest", reduction="symmetry").states
    )
    estimate = run(4, "latest", reduction="symmetry").states * growth ** (MAX_BOUND - 4)
    budget = 3.0
    original = _Explorer.successors
    visited = 0

    def watched(self, state):  # type: ignore[no-untyped-def]
        nonlocal visited
        visited += 1
        if time.perf_counter() - started > budget:
            raise _TooSlow
        return original(self, state)

    monkeypatch.setattr(_Explorer, "successors", watched)
    started = time.perf_counter()
    try:
        with pytest.raises(SvstateError, match="refused"):
            svstate.explore(bound=MAX_BOUND, ruleset="latest", reduction="symmetry")
    except _TooSlow:
        pytest.fail(
            f"explore(bound={MAX_BOUND}, ruleset='latest') was accepted, but after {budget} s "
            f"it had expanded only {visited} states of an estimated {estimate:,.0f} "
            f"(x{growth:.1f} per version)"
        )


@pytest.mark.parametrize("recipe", [None, 3, b"arn:aws:personalize:::recipe/aws-sims", ["x"]])
def test_a_recipe_that_is_not_a_string_is_rejected(recipe: object) -> None:
    with pytest.raises(SvstateError, match="recipe"):
        svstate.explore(bound=1, recipe=recipe)  # type: ignore[arg-type]


@pytest.mark.parametrize("symmetry", [None, 1, 0, "yes", "False"])
def test_a_symmetry_that_is_not_a_bool_is_rejected(symmetry: object) -> None:
    with pytest.raises(SvstateError, match="symmetry"):
        svstate.explore(bound=1, symmetry=symmetry)  # type: ignore[arg-type]


@pytest.mark.parametrize("reduction", [None, "", "Quotient", "full", 1, True])
def test_a_reduction_that_is_not_one_of_three_is_rejected(reduction: object) -> None:
    with pytest.raises(SvstateError, match=r"reduction is .*'quotient', 'symmetry', 'none'"):
        svstate.explore(bound=1, reduction=reduction)  # type: ignore[arg-type]


@pytest.mark.parametrize("ruleset", ["2019-06-09", "yesterday", 2021, None])
def test_an_unknown_ruleset_is_rejected(ruleset: object) -> None:
    with pytest.raises(svstate.UnknownRuleset):
        svstate.explore(bound=1, ruleset=ruleset)


# -- soundness: preflight, an independent specification, and the explorer agree ------------

State = tuple[Any, tuple[tuple[Status, TrainingMode, bool], ...], bool, int]


def enumerate_states(explorer: _Explorer) -> list[State]:
    """Every state reachable from a new solution, breadth-first, through ``successors``."""
    initial = explorer.canon(S.CREATE_PENDING, [], False, 0)
    seen = {initial}
    queue = deque([initial])
    order = []
    while queue:
        state = queue.popleft()
        order.append(state)
        for _, nxt in explorer.successors(state):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return order


def supports_update(ruleset: str, recipe: str) -> bool:
    since = UPDATE_SINCE.get(recipe)
    return since is not None and since <= resolve_ruleset(ruleset).date


def spec_enables(ruleset: str, recipe: str, state: State, call: tuple[Any, ...]) -> bool:
    """The user calls the design document enables, written without looking at the rules."""
    status, versions, campaign, _ = state
    day = resolve_ruleset(ruleset).date
    operation = call[0]
    if operation == "CreateSolutionVersion":
        mode = call[1]
        # Only a solution that will never be ACTIVE refuses for certain; one still being
        # created is not known to (the Developer Guide's example does it: SV201 only warns).
        if status not in (S.ACTIVE, S.CREATE_PENDING, S.CREATE_IN_PROGRESS):
            return False
        if mode is FULL:
            return True
        assert mode is UPDATE
        # Before AUTOTRAIN any ACTIVE version proves an ACTIVE FULL one exists: an UPDATE
        # needed one to be created, and ACTIVE is terminal.
        proven = any(
            v[0] is S.ACTIVE and (v[1] is FULL or day < AUTOTRAIN_SINCE) for v in versions
        )
        return supports_update(ruleset, recipe) and proven
    if operation == "StopSolutionVersionCreation":
        return day >= STOP_SINCE and versions[call[1]][0] in IN_FLIGHT
    if operation == "CreateCampaign":
        return versions[call[1]][0] is S.ACTIVE
    assert operation == "DeleteSolution"
    return not campaign and not any(v[0] in IN_FLIGHT for v in versions)


def calls_in(state: State, modes: list[TrainingMode]) -> list[tuple[Any, ...]]:
    """Every user call the model has, in a state: by mode, and on each version."""
    _, versions, _, _ = state
    calls: list[tuple[Any, ...]] = [("CreateSolutionVersion", mode) for mode in modes]
    for i in range(len(versions)):
        calls += [("StopSolutionVersionCreation", i), ("CreateCampaign", i)]
    calls.append(("DeleteSolution",))
    return calls


def preflight_allows(ruleset: str, recipe: str, state: State, call: tuple[Any, ...]) -> Verdict:
    facts = _facts(state)
    facts["solution"]["recipeArn"] = recipe
    operation = call[0]
    if operation == "CreateSolutionVersion":
        params: dict[str, Any] = {"solutionArn": SOLUTION, "trainingMode": call[1].value}
    elif operation == "DeleteSolution":
        params = {"solutionArn": SOLUTION}
    else:
        params = {"solutionVersionArn": facts["versions"][call[1]]["solutionVersionArn"]}
        if operation == "CreateCampaign":
            params.update(name="explored", minProvisionedTPS=1)
    return svstate.preflight(operation, params, ruleset=ruleset, **facts)


def explorer_enables(explorer: _Explorer, state: State) -> set[tuple[Any, ...]]:
    """The user calls the explorer takes in ``state``, named by version value, not index."""
    _, versions, _, _ = state
    taken: set[tuple[Any, ...]] = set()
    for step, _ in explorer.successors(state):
        if not step.startswith("user: "):
            continue
        words = step.split()
        if words[1] == "CreateSolutionVersion":
            taken.add(("CreateSolutionVersion", TrainingMode(words[2])))
        elif words[1] == "DeleteSolution":
            taken.add(("DeleteSolution",))
        else:
            taken.add((words[1], versions[int(words[-1])]))
    return taken


SOUNDNESS = [
    (ruleset, recipe)
    for ruleset in ["2019-10-14", "2021-05-20", "latest"]
    for recipe in [HRNN_COLDSTART, USER_PERSONALIZATION, SIMS]
]


@functools.cache
def reachable(ruleset: str, recipe: str, bound: int = 3) -> tuple[_Explorer, list[State]]:
    explorer = _Explorer(bound, resolve_ruleset(ruleset), recipe, True)
    return explorer, enumerate_states(explorer)


@pytest.mark.parametrize(("ruleset", "recipe"), SOUNDNESS)
def test_preflight_allows_exactly_what_the_specification_enables(
    ruleset: str, recipe: str
) -> None:
    _, states = reachable(ruleset, recipe)
    assert len(states) == run(3, ruleset, recipe, reduction="symmetry").states
    modes = [FULL, UPDATE]
    checked = 0
    for state in states:
        if state[0] is None or state[0] in DELETING:
            continue  # gone: no calls; being deleted: see the test below
        for call in calls_in(state, modes):
            verdict = preflight_allows(ruleset, recipe, state, call)
            expected = spec_enables(ruleset, recipe, state, call)
            assert verdict.decision is not Decision.UNKNOWN, (state, call, str(verdict))
            assert (verdict.decision is Decision.ALLOW) == expected, (state, call, str(verdict))
            checked += 1
    assert checked > len(states)


@pytest.mark.parametrize(("ruleset", "recipe"), SOUNDNESS)
def test_the_explorer_takes_exactly_the_calls_preflight_allows(ruleset: str, recipe: str) -> None:
    explorer, states = reachable(ruleset, recipe)
    for state in states:
        if state[0] is None or state[0] in DELETING:
            continue
        _, versions, campaign, _ = state
        allowed = set()
        for call in calls_in(state, [FULL, UPDATE]):
            if call[0] == "CreateSolutionVersion" and len(versions) >= explorer.bound:
                continue  # the bound, not a rule
            if call[0] == "CreateCampaign" and campaign:
                continue  # a second campaign changes nothing in the model's state
            if preflight_allows(ruleset, recipe, state, call).decision is Decision.ALLOW:
                allowed.add(
                    call
                    if len(call) == 1 or call[0] == "CreateSolutionVersion"
                    else (call[0], versions[call[1]])
                )
        assert explorer_enables(explorer, state) == allowed, state


def test_a_solution_being_deleted_is_only_deleted_once_by_the_rules() -> None:
    """While DELETE PENDING / IN_PROGRESS, the explorer takes exactly the calls preflight
    allows; a second DeleteSolution is allowed with a warning (SV903, unconfirmed) and
    changes nothing, so "at most one solution-level delete" is a property of the model."""
    ruleset, recipe = "2021-05-20", HRNN_COLDSTART
    explorer, states = reachable(ruleset, recipe, 2)
    deleting = [s for s in states if s[0] in DELETING]
    assert deleting
    assert all(s[3] <= 1 for s in states)
    for state in deleting:
        taken = explorer_enables(explorer, state)
        allowed = {
            call
            if len(call) == 1 or call[0] == "CreateSolutionVersion"
            else (call[0], state[1][call[1]])
            for call in calls_in(state, [FULL, UPDATE])
            if preflight_allows(ruleset, recipe, state, call).decision is Decision.ALLOW
            and not (call[0] == "CreateCampaign" and state[2])  # the model holds one campaign
        }
        assert taken == allowed
        verdict = preflight_allows(ruleset, recipe, state, ("DeleteSolution",))
        assert "SV903" in [f.rule for f in verdict.findings]
        for step, after in explorer.successors(state):
            if step == "user: DeleteSolution":
                assert after == state


# -- the memoisation's premise: duplicated versions never change a decision -----------------

MODELLED_RULESETS = [
    "2019-06-10",
    "2019-10-14",
    "2020-08-24",
    "2021-05-20",
    "2024-04-19",
    "latest",
]
SOLUTION_STATUSES = [
    S.CREATE_PENDING,
    S.CREATE_IN_PROGRESS,
    S.ACTIVE,
    S.CREATE_FAILED,
    S.DELETE_PENDING,
    S.DELETE_IN_PROGRESS,
]


@st.composite
def duplication_cases(draw: st.DrawFn) -> tuple[str, str, State, tuple[Any, ...], int, int]:
    ruleset = draw(st.sampled_from(MODELLED_RULESETS))
    rs = resolve_ruleset(ruleset)
    modes = sorted(rs.training_modes or {FULL}, key=lambda m: m.value)
    statuses = sorted(statuses_of(ruleset), key=lambda s: s.value)
    versions = tuple(
        draw(
            st.lists(
                st.tuples(st.sampled_from(statuses), st.sampled_from(modes), st.just(False)),
                min_size=1,
                max_size=4,
            )
        )
    )
    solution = draw(st.just(S.ACTIVE) | st.sampled_from(SOLUTION_STATUSES))  # ACTIVE: often
    state: State = (solution, versions, draw(st.booleans()), 0)
    call = draw(st.sampled_from(calls_in(state, [m for m in modes if m is not AUTOTRAIN])))
    copied = draw(st.integers(0, len(versions) - 1))
    at = draw(st.integers(0, len(versions)))
    recipe = draw(st.sampled_from([HRNN_COLDSTART, USER_PERSONALIZATION, SIMS]))
    return ruleset, recipe, state, call, copied, at


def _verdict_on(
    ruleset: str, recipe: str, state: State, call: tuple[Any, ...], arns: list[str]
) -> Verdict:
    facts = _facts(state)
    facts["solution"]["recipeArn"] = recipe
    for entry, arn in zip(facts["versions"], arns, strict=True):
        entry["solutionVersionArn"] = arn
    if not resolve_ruleset(ruleset).training_modes:
        for entry in facts["versions"]:
            del entry["trainingMode"]
    operation = call[0]
    if operation == "CreateSolutionVersion":
        params: dict[str, Any] = {"solutionArn": SOLUTION}
        if resolve_ruleset(ruleset).training_modes:
            params["trainingMode"] = call[1].value
    elif operation == "DeleteSolution":
        params = {"solutionArn": SOLUTION}
    else:
        params = {"solutionVersionArn": arns[call[1]]}
        if operation == "CreateCampaign":
            params.update(name="explored", minProvisionedTPS=1)
    return svstate.preflight(operation, params, ruleset=ruleset, **facts)


@settings(max_examples=300, deadline=None)
@given(duplication_cases())
def test_a_duplicated_version_never_changes_a_decision(
    case: tuple[str, str, State, tuple[Any, ...], int, int],
) -> None:
    ruleset, recipe, state, call, copied, at = case
    status, versions, campaign, deletes = state
    arns = [f"{SOLUTION}/{i:08x}" for i in range(len(versions))]
    before = _verdict_on(ruleset, recipe, state, call, arns)
    # The same versions plus a copy of one (same status and mode) under a new ARN, anywhere.
    more = list(versions)
    more.insert(at, versions[copied])
    more_arns = list(arns)
    more_arns.insert(at, f"{SOLUTION}/ffffffff")
    if len(call) == 2 and call[0] != "CreateSolutionVersion":
        call = (call[0], call[1] + (1 if at <= call[1] else 0))  # the same target version
    after = _verdict_on(ruleset, recipe, (status, tuple(more), campaign, deletes), call, more_arns)
    assert after.decision is before.decision, (str(before), str(after))
    assert {f.rule for f in after.errors} == {f.rule for f in before.errors}


# -- the quotient: what the rules can tell apart, and the same answers ----------------------


def abstract(q: _Quotient, state: State) -> tuple[Any, ...]:
    """The quotient state a concrete (reduction "symmetry") state stands for."""
    status, versions, campaign, deletes = state
    if status is None:
        return (None, frozenset(), (), False, deletes, 0)
    kinds = [(v[0], v[1]) for v in versions]
    still = frozenset(
        q.rank[(k[0], FULL) if k[0] in q.modeless else k] for k in kinds if k[0] in q.still
    )
    moving = q._canon(still, [q.rank[k] for k in kinds if k[0] not in q.still])
    return (status, still, moving, campaign, deletes, len(versions))


def quotient_states(q: _Quotient) -> set[tuple[Any, ...]]:
    seen = {q.initial()}
    queue = deque(seen)
    while queue:
        for _, nxt in q.successors(queue.popleft()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


QUOTIENT = [
    (ruleset, recipe, bound)
    for ruleset in RULESETS
    for recipe in [HRNN_COLDSTART, USER_PERSONALIZATION]
    for bound in [1, 2, 3, 4]
]


@pytest.mark.parametrize(("ruleset", "recipe", "bound"), QUOTIENT)
def test_the_quotient_is_exact_within_bounds_one_to_four(
    ruleset: str, recipe: str, bound: int
) -> None:
    """A bisimulation: the quotient's states are exactly the images of the concrete ones,
    and from every concrete state the moves lead exactly to the images of its successors."""
    rs = resolve_ruleset(ruleset)
    concrete = _Explorer(bound, rs, recipe, True)
    q = _Quotient(bound, rs, recipe)
    states = enumerate_states(concrete)
    assert {abstract(q, s) for s in states} == quotient_states(q)
    for s in states:
        image = {abstract(q, t) for _, t in concrete.successors(s)}
        assert image == {t for _, t in q.successors(abstract(q, s))}, s


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize("bound", [1, 2, 3, 4])
def test_the_quotient_gives_the_answers_of_the_full_search(bound: int, ruleset: str) -> None:
    quotient, full = run(bound, ruleset), run(bound, ruleset, symmetry=False)
    assert (quotient.reduction, full.reduction) == ("quotient", "none")
    assert quotient.states <= full.states
    assert (quotient.ok, quotient.violations, quotient.reached, quotient.update_reachable) == (
        full.ok,
        full.violations,
        full.reached,
        full.update_reachable,
    )


KINDS = [(s, m) for s in Status if s not in DELETING for m in TrainingMode]


@st.composite
def two_listings(draw: st.DrawFn) -> tuple[Any, ...]:
    """Two version lists the quotient reads alike: the same summary, more or fewer copies,
    other modes where the version is not ACTIVE; and a target that reads alike in both."""
    first = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=4))
    second = [
        k if k[0] is S.ACTIVE else (k[0], draw(st.sampled_from(list(TrainingMode)))) for k in first
    ]
    second += draw(st.lists(st.sampled_from(second), max_size=2))
    second = draw(st.permutations(second))
    i = draw(st.integers(0, len(first) - 1))
    target_first = first[i]
    same = [k for k in second if k[0] is target_first[0]]
    if target_first[0] is S.ACTIVE:
        same = [k for k in same if k == target_first]
    return first, second, target_first, draw(st.sampled_from(same))


@settings(max_examples=300, deadline=None)
@given(
    ruleset=st.sampled_from(RULESETS),
    status=st.sampled_from([S.CREATE_PENDING, S.CREATE_IN_PROGRESS, S.ACTIVE, S.CREATE_FAILED]),
    campaign=st.booleans(),
    listings=two_listings(),
)
def test_decisions_depend_only_on_what_the_quotient_keeps(
    ruleset: str, status: Status, campaign: bool, listings: tuple[Any, ...]
) -> None:
    """The quotient's memo key (operation, solution status, campaign, summary, the target's
    status and, if it is ACTIVE, its mode) decides preflight, whatever the rest."""
    first, second, t1, t2 = listings
    assert summary(first) == summary(second)
    rs = resolve_ruleset(ruleset)

    def decisions(listing: list[Any], target: Any) -> list[bool]:
        explorer = _Explorer(8, rs, HRNN_COLDSTART, False)
        state = (status, tuple((k[0], k[1], True) for k in listing), campaign, 0)
        found = [
            explorer.allowed(state, "CreateSolutionVersion", None, mode)
            for mode in ([FULL, UPDATE] if rs.training_modes else [None])
        ]
        found.append(explorer.allowed(state, "DeleteSolution", None))
        found.append(explorer.allowed(state, "CreateCampaign", (*target, True)))
        if rs.has_stop:
            found.append(explorer.allowed(state, "StopSolutionVersionCreation", (*target, True)))
        return found

    assert decisions(first, t1) == decisions(second, t2)


def test_a_version_status_the_lifecycle_lacks_is_caught_by_every_reduction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def delete_quotient(q: _Quotient, state):  # type: ignore[no-untyped-def]
        status, still, moving, campaign, deletes, n = state
        if moving:
            odd = q.rank[S.DELETE_PENDING, FULL]
            yield (
                "service: wrongly delete a version",
                (status, still | {odd}, moving[1:], campaign, deletes, n),
            )

    def wrong_concrete(explorer: _Explorer, state):  # type: ignore[no-untyped-def]
        status, versions, campaign, deletes = state
        if versions:
            rest = ((S.DELETE_PENDING, versions[0][1], versions[0][2]), *versions[1:])
            yield ("service: wrongly delete a version", (status, rest, campaign, deletes))

    _explorer_with(monkeypatch, delete_quotient, _Quotient)
    _explorer_with(monkeypatch, wrong_concrete)
    for reduction in ("quotient", "symmetry"):
        found = svstate.explore(bound=1, ruleset="2019-10-14", reduction=reduction)
        assert found.violations == ("a version is DELETE PENDING, not a status of the lifecycle",)
        assert found.counterexample == (
            "user: CreateSolutionVersion FULL",
            "service: wrongly delete a version",
        )


def test_the_search_gives_the_garbage_collector_back_as_it_found_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    assert gc.isenabled()
    svstate.explore(bound=1)
    assert gc.isenabled()
    gc.disable()
    try:
        svstate.explore(bound=1)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()

    def broken(self, state):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(_Quotient, "successors", broken)
    with pytest.raises(RuntimeError, match="boom"):
        svstate.explore(bound=1)
    assert gc.isenabled()  # also after an error


@pytest.mark.parametrize("reduction", ["quotient", "symmetry"])
def test_a_stop_preflight_allows_but_the_lifecycle_lacks_is_an_error_that_says_so(
    monkeypatch: pytest.MonkeyPatch, reduction: str
) -> None:
    real = _Explorer._verdict

    def stops_anything(self: _Explorer, state: Any, operation: str, params: Any) -> Verdict:
        if operation == "StopSolutionVersionCreation":
            return _allow(operation)
        return real(self, state, operation, params)

    monkeypatch.setattr(_Explorer, "_verdict", stops_anything)
    # Breadth-first, the first version stop cannot move is one already stopped.
    with pytest.raises(
        SvstateError,
        match="version that is CREATE STOPPED, but the lifecycle has no stop from CREATE "
        "STOPPED: the rules and the lifecycle declaration disagree",
    ):
        svstate.explore(bound=1, ruleset="latest", reduction=reduction)


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize("reduction", ["quotient", "symmetry"])
def test_explore_evaluates_records_as_preflight_evaluates_the_dicts(
    ruleset: str, reduction: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search decides each call over records built from the state; every verdict it
    reaches that way is the one svstate.preflight gives on the state's dicts."""
    compared = []
    built = _Explorer._verdict

    def both(self: _Explorer, state: Any, operation: str, params: dict[str, Any]) -> Verdict:
        fast = built(self, state, operation, params)
        dicts = self._through_preflight(state, operation, params)
        assert dicts == fast, (state, operation, params)
        compared.append(fast.decision)
        return fast

    monkeypatch.setattr(_Explorer, "_verdict", both)
    found = svstate.explore(bound=4, ruleset=ruleset, reduction=reduction)
    assert found.ok
    assert Decision.ALLOW in compared
    assert Decision.DENY in compared


def test_a_state_the_readers_would_report_on_is_decided_on_its_dicts() -> None:
    """An ACTIVE UPDATE version without an ACTIVE FULL one is not a state the search
    reaches, but should one be asked about, SV507's reading of the dicts decides it."""
    explorer = _Explorer(2, resolve_ruleset("latest"), HRNN_COLDSTART, True)
    state = (Status.ACTIVE, ((Status.ACTIVE, TrainingMode.UPDATE, False),), False, 0)
    params = {"solutionArn": "arn:aws:personalize:us-east-1:123456789012:solution/explored"}
    fast = explorer._verdict(state, "CreateSolutionVersion", params)
    assert explorer._through_preflight(state, "CreateSolutionVersion", params) == fast
    assert "SV507" in {f.rule for f in fast.findings}
