"""explore_chain: the whole pipeline's reachable states, and planted rule bugs it catches."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import pytest

import svstate
from svstate import Status
from svstate import _chaincheck as chaincheck
from svstate._rulesets import resolve_ruleset

RULESETS = ("2019-10-14", "2022-08-01", "latest")


@pytest.fixture(scope="module")
def latest() -> svstate.ChainExploration:
    return svstate.explore_chain(1, ruleset="latest")


@pytest.mark.parametrize("ruleset", RULESETS)
def test_the_rules_keep_every_documented_precondition_in_every_reachable_state(
    ruleset: str,
) -> None:
    found = svstate.explore_chain(1, ruleset=ruleset)
    assert found.ok, (found.violations, found.counterexample)
    assert found.counterexample is None
    assert found.states > 1_000
    assert found.transitions > found.states
    assert found.ruleset == resolve_ruleset(ruleset).name


def test_the_whole_pipeline_is_reachable(latest: svstate.ChainExploration) -> None:
    for name, statuses in latest.reached.items():
        assert Status.ACTIVE in statuses, name
        assert Status.CREATE_FAILED in statuses, name
    assert Status.DELETE_PENDING in latest.reached["dataset_group"]
    assert Status.DELETE_IN_PROGRESS in latest.reached["dataset"]  # and then gone, recreated
    assert Status.IN_PROGRESS in latest.reached["batch_inference_job"]


def test_what_did_not_exist_yet_is_never_reached() -> None:
    early = svstate.explore_chain(1, ruleset="2019-10-14")
    assert early.reached["batch_inference_job"] == frozenset()  # from 2019-11-14
    assert Status.ACTIVE in early.reached["campaign_update"]


def _without(monkeypatch: pytest.MonkeyPatch, rule: str) -> None:
    """Break one chain rule on purpose: its predicate does nothing."""
    noop: Callable[[Any], None] = lambda ctx: None  # noqa: E731
    monkeypatch.setitem(chaincheck.PREDICATES, rule, noop)  # type: ignore[arg-type]
    chaincheck._checks.cache_clear()


@pytest.mark.parametrize(
    ("rule", "broken", "last_step"),
    [
        (
            "SV216",
            "an INCREMENTAL import with no ACTIVE import before it",
            "CreateDatasetImportJob(INCREMENTAL)",
        ),
        ("SV212", "the group still holds resources", "DeleteDatasetGroup"),
        ("SV702", "an update of a CREATE PENDING campaign", "UpdateCampaign(ACTIVE)"),
        ("SV210", "the dataset group is CREATE PENDING", "CreateDataset"),
        ("SV904", "a dataset deleted while a job on it is CREATE PENDING", "DeleteDataset"),
    ],
)
def test_a_broken_rule_is_caught_with_the_shortest_counterexample(
    monkeypatch: pytest.MonkeyPatch, rule: str, broken: str, last_step: str
) -> None:
    _without(monkeypatch, rule)
    try:
        found = svstate.explore_chain(1, ruleset="latest")
    finally:
        chaincheck._checks.cache_clear()
    assert not found.ok
    assert found.violations == (f"{last_step}: {broken}",)
    assert found.counterexample is not None
    assert found.counterexample[0] == "CreateDatasetGroup"
    assert found.counterexample[-1] == last_step


def test_sv215s_counterexample_is_the_shortest_one(monkeypatch: pytest.MonkeyPatch) -> None:
    _without(monkeypatch, "SV215")
    try:
        found = svstate.explore_chain(2, ruleset="latest")
    finally:
        chaincheck._checks.cache_clear()
    # one event tracker per bound: catching SV215 takes bound 2, and the search stops at depth 3
    assert found.violations == ("CreateEventTracker: a second event tracker in the dataset group",)
    assert found.counterexample == (
        "CreateDatasetGroup",
        "CreateEventTracker",
        "CreateEventTracker",
    )


def test_a_preflight_that_cannot_decide_on_complete_facts_is_a_violation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def needs_more(ctx: chaincheck.ChainContext) -> None:
        ctx.need("dataset_group")

    monkeypatch.setitem(chaincheck.PREDICATES, "SV211", needs_more)  # type: ignore[arg-type]
    chaincheck._checks.cache_clear()
    try:
        found = svstate.explore_chain(1, ruleset="latest")
    finally:
        chaincheck._checks.cache_clear()
    assert found.violations == ("preflight could not decide CreateDataset on complete facts",)
    # CreateDataset is denied (SV210) until the group is ACTIVE: then it cannot be decided
    assert found.counterexample == (
        "CreateDatasetGroup",
        "the dataset group starts (CREATE IN_PROGRESS)",
        "the dataset group succeeds (ACTIVE)",
    )


@pytest.mark.parametrize("bound", [0, 3, -1, "1", 1.0, True, None])
def test_a_bound_outside_what_can_be_searched_is_refused(bound: object) -> None:
    with pytest.raises(svstate.SvstateError, match=r"bound is .*; pass an int from 1 to 2"):
        svstate.explore_chain(bound)  # type: ignore[arg-type]


def test_a_bad_ruleset_is_refused() -> None:
    with pytest.raises(svstate.UnknownRuleset):
        svstate.explore_chain(1, ruleset="yesterday")


def test_the_result_pickles_and_compares(latest: svstate.ChainExploration) -> None:
    back = pickle.loads(pickle.dumps(latest))
    assert back == latest
    assert back.ok
