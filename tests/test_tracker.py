"""The Tracker: observations in, pre-flight verdicts out, snapshots that round-trip.

Contract: design.md, "Tracker: state fed by observations", and the issue: the
Tracker observes CreateSolution, DescribeSolution, ListSolutions,
DeleteSolution, CreateSolutionVersion, DescribeSolutionVersion,
ListSolutionVersions (every page), StopSolutionVersionCreation,
CreateCampaign, DescribeCampaign and ListCampaigns responses and their
errors; it never moves a version backwards (SV506), reports illegal changes
(SV501) and unknown statuses (SV502) without crashing, answers ``preflight``
from what it has seen (UNKNOWN with ``missing`` otherwise), is thread-safe,
and ``snapshot()`` / ``Tracker.restore()`` round-trip its state through JSON.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import (
    ACTIVE_FULL_VERSION_ARN,
    ARN_PREFIX,
    DATASET_GROUP_ARN,
    HRNN_COLDSTART,
    OBSERVED_OPERATIONS,
    SOLUTION_ARN,
    SOLUTION_B_ARN,
    SOLUTION_NEW2_ARN,
    USER_PERSONALIZATION,
    load,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import svstate
from svstate import Decision, Status, SvstateError, Tracker, Verdict
from svstate._catalogue import CHAIN_OPS
from svstate._preflight import OPERATIONS
from svstate._text import snake_case

PENDING = "CREATE PENDING"
IN_PROGRESS = "CREATE IN_PROGRESS"
ACTIVE = "ACTIVE"
FAILED = "CREATE FAILED"
STOPPING = "CREATE STOPPING"
STOPPED = "CREATE STOPPED"
VERSION_STATUSES = (PENDING, IN_PROGRESS, ACTIVE, FAILED, STOPPING, STOPPED)

STOP_RULESET = "2021-05-20"

SOL = f"{ARN_PREFIX}solution/tracked"
SOL2 = f"{ARN_PREFIX}solution/tracked-two"
V1 = f"{SOL}/0000aaaa"
V2 = f"{SOL}/0000bbbb"
V3 = f"{SOL}/0000cccc"
CAMPAIGN = f"{ARN_PREFIX}campaign/tracked-campaign"


def snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def iso(seconds: float) -> str:
    """An ISO 8601 timestamp ``seconds`` after 2020-01-01T00:00:00Z."""
    base = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    return (base + dt.timedelta(seconds=seconds)).isoformat()


# -- responses, as boto3 returns them -------------------------------------------------------


def create_solution(
    t: Tracker, arn: str = SOL, recipe: str = HRNN_COLDSTART, op: str = ""
) -> Verdict:
    return t.observe(
        op or "CreateSolution",
        {
            "name": arn.rpartition("/")[2],
            "datasetGroupArn": DATASET_GROUP_ARN,
            "recipeArn": recipe,
        },
        {"solutionArn": arn},
    )


def solution_fact(
    arn: str = SOL,
    status: str = ACTIVE,
    recipe: str = HRNN_COLDSTART,
    updated: float | None = None,
) -> dict[str, Any]:
    fact: dict[str, Any] = {"solutionArn": arn, "status": status, "recipeArn": recipe}
    if updated is not None:
        fact["lastUpdatedDateTime"] = iso(updated)
    return fact


def describe_solution(t: Tracker, arn: str = SOL, status: str = ACTIVE, **kw: Any) -> Verdict:
    return t.observe(
        "DescribeSolution", {"solutionArn": arn}, {"solution": solution_fact(arn, status, **kw)}
    )


def version_fact(
    arn: str,
    status: str,
    mode: str | None = "FULL",
    updated: float | None = None,
    created: float | None = 0.0,
) -> dict[str, Any]:
    fact: dict[str, Any] = {"solutionVersionArn": arn, "status": status}
    if mode is not None:
        fact["trainingMode"] = mode
    if created is not None:
        fact["creationDateTime"] = iso(created)
    if updated is not None:
        fact["lastUpdatedDateTime"] = iso(updated)
    return fact


def describe_version(t: Tracker, arn: str, status: str, op: str = "", **kw: Any) -> Verdict:
    return t.observe(
        op or "DescribeSolutionVersion",
        {"solutionVersionArn": arn},
        {"solutionVersion": version_fact(arn, status, **kw)},
    )


def list_versions(
    t: Tracker,
    facts: list[dict[str, Any]],
    arn: str = SOL,
    token: str | None = None,
    following: str | None = None,
) -> Verdict:
    params: dict[str, Any] = {"solutionArn": arn}
    if token is not None:
        params["nextToken"] = token
    response: dict[str, Any] = {"solutionVersions": facts}
    if following is not None:
        response["nextToken"] = following
    return t.observe("ListSolutionVersions", params, response)


def list_campaigns(t: Tracker, campaigns: list[dict[str, Any]], arn: str = SOL) -> Verdict:
    return t.observe("ListCampaigns", {"solutionArn": arn}, {"campaigns": campaigns})


def create_version(t: Tracker, arn: str, mode: str | None = None, op: str = "") -> Verdict:
    params: dict[str, Any] = {"solutionArn": arn.rpartition("/")[0]}
    if mode is not None:
        params["trainingMode"] = mode
    return t.observe(op or "CreateSolutionVersion", params, {"solutionVersionArn": arn})


def full_update(arn: str = SOL) -> dict[str, Any]:
    return {"solutionArn": arn, "trainingMode": "UPDATE"}


def rules_of(v: Verdict) -> list[str]:
    return [f.rule for f in v.findings]


def errors_of(v: Verdict) -> set[str]:
    return {f.rule for f in v.findings if f.severity == "error"}


def version_statuses(t: Tracker) -> dict[str, str]:
    return {row[0]: row[1] for row in t.snapshot()["versions"]}


def solution_entry(t: Tracker, arn: str) -> dict[str, Any]:
    (entry,) = [s for s in t.snapshot()["solutions"] if s["arn"] == arn]
    return entry


def ready_solution(ruleset: str = "2019-10-14", recipe: str = HRNN_COLDSTART) -> Tracker:
    """A tracker that saw SOL created and become ACTIVE: no versions, no campaigns."""
    t = Tracker(ruleset=ruleset)
    create_solution(t, recipe=recipe)
    describe_solution(t, recipe=recipe)
    return t


# -- each observed operation changes what preflight answers ------------------------------------


def inferred_only(verdict: svstate.Verdict, rule: str) -> None:
    """The verdict of a rule resting on a status inferred from a call: a warning, UNKNOWN."""
    assert verdict.decision is Decision.UNKNOWN, verdict
    [finding] = [f for f in verdict.findings if f.rule == rule]
    assert finding.severity == "warning"
    assert "inferred from the " in finding.message
    assert "not observed" in finding.message
    assert "unknown='refresh'" in (finding.hint or "")
    assert any(m.endswith(".status") for m in verdict.missing), verdict.missing


@pytest.mark.parametrize("op", ["CreateSolution", "create_solution"])
def test_create_solution_observed_makes_solution_pending_and_create_version_only_warn_sv201(
    op: str,
):
    # The Developer Guide's example calls CreateSolutionVersion right after CreateSolution.
    t = Tracker()
    assert t.preflight("CreateSolutionVersion", {"solutionArn": SOL}).missing == ("solution",)
    verdict = create_solution(t, op=op)
    assert verdict.decision is Decision.ALLOW
    assert verdict.findings == ()
    assert solution_entry(t, SOL)["status"] == PENDING
    assert solution_entry(t, SOL)["inferred"] == "CreateSolution"
    allowed = t.preflight("CreateSolutionVersion", {"solutionArn": SOL})
    assert allowed.decision is Decision.ALLOW
    [warning] = allowed.findings
    assert warning.rule == "SV201"
    assert warning.severity == "warning"
    assert "inferred from the CreateSolution call, not observed" in warning.message


@pytest.mark.parametrize("op", ["DescribeSolution", "describe_solution"])
def test_describe_solution_active_after_creation_allows_create_version(op: str):
    t = Tracker()
    create_solution(t)
    t.observe(op, {"solutionArn": SOL}, {"solution": solution_fact()})
    assert t.preflight("CreateSolutionVersion", {"solutionArn": SOL}).decision is Decision.ALLOW
    assert t.preflight("create_solution_version", {"solutionArn": SOL}).decision is Decision.ALLOW


@pytest.mark.parametrize(
    ("status", "decision", "severity"),
    [
        # never to be ACTIVE: denied
        ("DELETE PENDING", Decision.DENY, "error"),
        ("CREATE FAILED", Decision.DENY, "error"),
        # still being created: only a warning
        ("CREATE PENDING", Decision.ALLOW, "warning"),
        ("CREATE IN_PROGRESS", Decision.ALLOW, "warning"),
    ],
)
def test_describe_solution_not_active_draws_sv201(
    status: str, decision: Decision, severity: str
) -> None:
    t = Tracker()
    describe_solution(t, status=status)
    verdict = t.preflight("CreateSolutionVersion", {"solutionArn": SOL})
    assert verdict.decision is decision
    assert [(f.rule, str(f.severity)) for f in verdict.findings] == [("SV201", severity)]
    assert f"is {status} (observed)" in verdict.findings[0].message


def test_describe_solution_from_data_file_with_latest_active_full_version_allows_update():
    t = Tracker()
    t.observe(
        "DescribeSolution", {"solutionArn": SOLUTION_ARN}, load("solution_active_hrnn_coldstart")
    )
    assert version_statuses(t) == {ACTIVE_FULL_VERSION_ARN: ACTIVE}
    verdict = t.preflight("CreateSolutionVersion", full_update(SOLUTION_ARN))
    assert verdict.decision is Decision.ALLOW, verdict


def test_list_solutions_observed_updates_each_solutions_status():
    t = Tracker()
    create_solution(t)
    create_solution(t, SOL2)
    t.observe(
        "list_solutions",
        {},
        {"solutions": [solution_fact(SOL, ACTIVE), solution_fact(SOL2, "CREATE FAILED")]},
    )
    assert t.preflight("CreateSolutionVersion", {"solutionArn": SOL}).decision is Decision.ALLOW
    assert "SV201" in errors_of(t.preflight("CreateSolutionVersion", {"solutionArn": SOL2}))


@pytest.mark.parametrize("op", ["DeleteSolution", "delete_solution"])
def test_delete_solution_observed_marks_solution_deleting_and_create_version_deny_sv201(op: str):
    t = ready_solution()
    t.observe(op, {"solutionArn": SOL}, {})
    assert solution_entry(t, SOL)["status"] == "DELETE PENDING"
    assert "SV201" in errors_of(t.preflight("CreateSolutionVersion", {"solutionArn": SOL}))


@pytest.mark.parametrize("op", ["CreateSolutionVersion", "create_solution_version"])
def test_create_version_observed_is_inferred_pending_and_never_denies_by_itself(op: str):
    t = ready_solution()
    create_version(t, V1, op=op)
    assert len(t) == 1
    assert version_statuses(t) == {V1: PENDING}
    # The version may have moved on since: each rule warns and names its status as missing.
    inferred_only(t.preflight("DeleteSolution", {"solutionArn": SOL}), "SV901")
    inferred_only(t.preflight("CreateSolutionVersion", full_update()), "SV301")
    campaign = t.preflight(
        "CreateCampaign", {"name": "c", "solutionVersionArn": V1, "minProvisionedTPS": 1}
    )
    inferred_only(campaign, "SV701")


def test_an_observed_pending_version_denies_what_an_inferred_one_only_warns_about():
    t = ready_solution()
    create_version(t, V1)
    describe_version(t, V1, PENDING)
    delete = t.preflight("DeleteSolution", {"solutionArn": SOL})
    assert delete.decision is Decision.DENY
    assert "(CREATE PENDING, observed)" in delete.findings[0].message
    assert "SV301" in errors_of(t.preflight("CreateSolutionVersion", full_update()))


def test_create_version_observed_without_the_solution_is_inferred_too():
    t = Tracker()
    create_version(t, V1)
    inferred_only(t.preflight("DeleteSolution", {"solutionArn": SOL}), "SV901")


@pytest.mark.parametrize("op", ["DescribeSolutionVersion", "describe_solution_version"])
def test_describe_version_active_full_allows_update(op: str):
    t = ready_solution()
    create_version(t, V1)
    inferred_only(t.preflight("CreateSolutionVersion", full_update()), "SV301")
    describe_version(t, V1, IN_PROGRESS, op=op, updated=10)
    assert t.preflight("CreateSolutionVersion", full_update()).decision is Decision.DENY
    describe_version(t, V1, ACTIVE, op=op, updated=20)
    assert version_statuses(t) == {V1: ACTIVE}
    verdict = t.preflight("CreateSolutionVersion", full_update())
    assert verdict.decision is Decision.ALLOW, verdict
    assert t.preflight("DeleteSolution", {"solutionArn": SOL}).decision is Decision.ALLOW
    campaign = t.preflight(
        "CreateCampaign", {"name": "c", "solutionVersionArn": V1, "minProvisionedTPS": 1}
    )
    assert campaign.decision is Decision.ALLOW, campaign


def test_describe_version_failed_full_denies_update_sv301():
    t = ready_solution()
    describe_version(t, V1, FAILED)
    verdict = t.preflight("CreateSolutionVersion", full_update())
    assert verdict.decision is Decision.DENY
    assert "SV301" in errors_of(verdict)


@pytest.mark.parametrize(
    ("before", "after"), [(PENDING, STOPPED), (IN_PROGRESS, STOPPING)], ids=["pending", "running"]
)
@pytest.mark.parametrize("op", ["StopSolutionVersionCreation", "stop_solution_version_creation"])
def test_stop_observed_moves_pending_to_stopped_and_in_progress_to_stopping(
    before: str, after: str, op: str
):
    t = ready_solution(STOP_RULESET)
    create_version(t, V1)
    if before == IN_PROGRESS:
        describe_version(t, V1, IN_PROGRESS)
    stop = {"solutionVersionArn": V1}
    assert t.preflight("StopSolutionVersionCreation", stop).decision is Decision.ALLOW
    delete = t.preflight("DeleteSolution", {"solutionArn": SOL})
    if before == IN_PROGRESS:  # observed
        assert delete.decision is Decision.DENY
    else:  # inferred from CreateSolutionVersion
        inferred_only(delete, "SV901")
    t.observe(op, stop, {})
    assert version_statuses(t) == {V1: after}
    again = t.preflight("StopSolutionVersionCreation", stop)
    assert again.decision is Decision.DENY
    assert "SV801" in errors_of(again)
    # Nothing is in flight any more.
    assert t.preflight("DeleteSolution", {"solutionArn": SOL}).decision is Decision.ALLOW


def test_stopping_version_then_described_stopped_is_applied():
    t = ready_solution(STOP_RULESET)
    describe_version(t, V1, IN_PROGRESS, updated=1)
    t.observe("StopSolutionVersionCreation", {"solutionVersionArn": V1}, {})
    verdict = describe_version(t, V1, STOPPED, updated=2)
    assert verdict.findings == ()
    assert version_statuses(t) == {V1: STOPPED}


# -- campaigns ---------------------------------------------------------------------------------


def _deny_delete_sv902(t: Tracker) -> None:
    verdict = t.preflight("DeleteSolution", {"solutionArn": SOL})
    assert verdict.decision is Decision.DENY, verdict
    assert errors_of(verdict) == {"SV902"}


@pytest.mark.parametrize("op", ["CreateCampaign", "create_campaign"])
def test_create_campaign_observed_denies_delete_solution_sv902(op: str):
    t = ready_solution()
    describe_version(t, V1, ACTIVE)
    assert t.preflight("DeleteSolution", {"solutionArn": SOL}).decision is Decision.ALLOW
    t.observe(op, {"name": "c", "solutionVersionArn": V1}, {"campaignArn": CAMPAIGN})
    _deny_delete_sv902(t)


@pytest.mark.parametrize("op", ["DescribeCampaign", "describe_campaign"])
def test_describe_campaign_observed_denies_delete_solution_sv902(op: str):
    t = ready_solution()
    describe_version(t, V1, ACTIVE)
    campaign = {"campaignArn": CAMPAIGN, "solutionVersionArn": V1, "status": "ACTIVE"}
    t.observe(op, {"campaignArn": CAMPAIGN}, {"campaign": campaign})
    _deny_delete_sv902(t)
    # The campaign being deleted no longer blocks the solution's deletion.
    campaign["status"] = "DELETE IN_PROGRESS"
    t.observe(op, {"campaignArn": CAMPAIGN}, {"campaign": campaign})
    assert t.preflight("DeleteSolution", {"solutionArn": SOL}).decision is Decision.ALLOW


@pytest.mark.parametrize("op", ["ListCampaigns", "list_campaigns"])
def test_list_campaigns_observed_decides_delete_solution(op: str):
    t = Tracker()
    describe_solution(t, SOLUTION_ARN)
    t.observe(
        "ListSolutionVersions",
        {"solutionArn": SOLUTION_ARN},
        load("versions_coldstart_full_active"),
    )
    delete = {"solutionArn": SOLUTION_ARN}
    unknown = t.preflight("DeleteSolution", delete)
    assert unknown.decision is Decision.UNKNOWN
    assert unknown.missing == ("campaigns",)
    t.observe(op, {"solutionArn": SOLUTION_ARN}, load("campaigns_active"))
    denied = t.preflight("DeleteSolution", delete)
    assert denied.decision is Decision.DENY
    assert errors_of(denied) == {"SV902"}
    t.observe(op, {"solutionArn": SOLUTION_ARN}, load("campaigns_deleting"))
    assert t.preflight("DeleteSolution", delete).decision is Decision.ALLOW
    t.observe(op, {"solutionArn": SOLUTION_ARN}, {"campaigns": []})
    assert t.preflight("DeleteSolution", delete).decision is Decision.ALLOW


@pytest.mark.parametrize("how", ["CreateCampaign", "DescribeCampaign"])
def test_campaign_observed_denies_delete_sv902_even_when_the_campaign_list_was_never_seen(
    how: str,
):
    # One live campaign of the solution is enough to deny DeleteSolution: absence
    # of a complete ListCampaigns must not hide what the tracker did see.
    t = Tracker()
    describe_solution(t)
    list_versions(t, [version_fact(V1, ACTIVE)])
    if how == "CreateCampaign":
        t.observe(
            "CreateCampaign", {"name": "c", "solutionVersionArn": V1}, {"campaignArn": CAMPAIGN}
        )
    else:
        t.observe(
            "DescribeCampaign",
            {"campaignArn": CAMPAIGN},
            {"campaign": {"campaignArn": CAMPAIGN, "solutionVersionArn": V1, "status": "ACTIVE"}},
        )
    _deny_delete_sv902(t)


# -- data files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "solution", "operation", "params", "decision", "rule"),
    [
        (
            "versions_coldstart_full_active",
            SOLUTION_ARN,
            "CreateSolutionVersion",
            full_update(SOLUTION_ARN),
            Decision.ALLOW,
            None,
        ),
        (
            "versions_coldstart_full_failed",
            SOLUTION_B_ARN,
            "CreateSolutionVersion",
            full_update(SOLUTION_B_ARN),
            Decision.DENY,
            "SV301",
        ),
        (
            "versions_coldstart_full_in_progress",
            SOLUTION_NEW2_ARN,
            "DeleteSolution",
            {"solutionArn": SOLUTION_NEW2_ARN},
            Decision.DENY,
            "SV901",
        ),
    ],
)
def test_list_versions_from_data_files_decide_preflight(
    name: str,
    solution: str,
    operation: str,
    params: dict[str, Any],
    decision: Decision,
    rule: str | None,
):
    t = Tracker()
    describe_solution(t, solution)
    t.observe("ListSolutionVersions", {"solutionArn": solution}, load(name))
    verdict = t.preflight(operation, params)
    assert verdict.decision is decision, verdict
    if rule is not None:
        assert rule in errors_of(verdict)


def test_underscore_status_in_listing_is_read_as_canonical_status():
    t = Tracker()
    verdict = t.observe(
        "ListSolutionVersions",
        {"solutionArn": SOLUTION_ARN},
        load("version_summary_underscore_status"),
    )
    assert "SV502" not in rules_of(verdict)
    assert set(version_statuses(t).values()) == {PENDING}


# -- ListSolutionVersions pagination -------------------------------------------------------


def test_versions_unknown_until_listed():
    t = Tracker()
    describe_solution(t)
    verdict = t.preflight("CreateSolutionVersion", full_update())
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("versions",)
    delete = t.preflight("DeleteSolution", {"solutionArn": SOL})
    assert delete.decision is Decision.UNKNOWN
    assert set(delete.missing) == {"versions", "campaigns"}


@pytest.mark.parametrize("following", [None, ""], ids=["no-token", "empty-token"])
def test_single_page_listing_without_next_token_makes_absence_based_denials_possible(
    following: str | None,
):
    t = Tracker()
    describe_solution(t)
    list_versions(t, [], following=following)
    verdict = t.preflight("CreateSolutionVersion", full_update())
    assert verdict.decision is Decision.DENY
    assert errors_of(verdict) == {"SV301"}
    list_campaigns(t, [])
    assert t.preflight("DeleteSolution", {"solutionArn": SOL}).decision is Decision.ALLOW
    # A version absent from the complete list does not exist.
    campaign = t.preflight(
        "CreateCampaign", {"name": "c", "solutionVersionArn": V1, "minProvisionedTPS": 1}
    )
    assert campaign.decision is Decision.DENY
    assert "SV701" in errors_of(campaign)


def test_multi_page_listing_is_complete_only_after_its_last_page():
    t = Tracker()
    describe_solution(t)
    list_campaigns(t, [])
    list_versions(t, [version_fact(V1, FAILED)], following="page-2")
    first = t.preflight("CreateSolutionVersion", full_update())
    assert first.decision is Decision.UNKNOWN
    assert first.missing == ("versions",)
    assert t.preflight("DeleteSolution", {"solutionArn": SOL}).decision is Decision.UNKNOWN
    list_versions(t, [version_fact(V2, FAILED)], token="page-2", following="page-3")
    assert t.preflight("CreateSolutionVersion", full_update()).decision is Decision.UNKNOWN
    list_versions(t, [version_fact(V3, FAILED, mode="UPDATE")], token="page-3")
    last = t.preflight("CreateSolutionVersion", full_update())
    assert last.decision is Decision.DENY
    assert errors_of(last) == {"SV301"}
    assert t.preflight("DeleteSolution", {"solutionArn": SOL}).decision is Decision.ALLOW


@pytest.mark.parametrize("seen_first_page", [True, False])
def test_page_whose_token_does_not_continue_a_seen_listing_does_not_complete_it(
    seen_first_page: bool,
):
    t = Tracker()
    describe_solution(t)
    if seen_first_page:
        list_versions(t, [version_fact(V1, FAILED)], following="page-2")
    list_versions(t, [version_fact(V2, FAILED)], token="some-other-listing")
    verdict = t.preflight("CreateSolutionVersion", full_update())
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("versions",)
    # ...and the listing it interrupted cannot be finished afterwards either.
    list_versions(t, [version_fact(V3, FAILED)], token="page-2")
    assert t.preflight("CreateSolutionVersion", full_update()).decision is Decision.UNKNOWN


def test_listing_without_solution_arn_does_not_complete_anything():
    t = Tracker()
    describe_solution(t)
    t.observe("ListSolutionVersions", {}, {"solutionVersions": [version_fact(V1, FAILED)]})
    assert version_statuses(t) == {V1: FAILED}
    assert t.preflight("CreateSolutionVersion", full_update()).decision is Decision.UNKNOWN


# -- not seen enough: UNKNOWN with missing ---------------------------------------------------


def test_fresh_tracker_answers_unknown_naming_solution_versions_and_campaigns():
    t = Tracker(ruleset=STOP_RULESET)
    csv = t.preflight("CreateSolutionVersion", {"solutionArn": SOL})
    assert (csv.decision, csv.missing) == (Decision.UNKNOWN, ("solution",))
    update = t.preflight("CreateSolutionVersion", full_update())
    assert update.decision is Decision.UNKNOWN
    assert set(update.missing) == {"solution", "versions"}
    delete = t.preflight("DeleteSolution", {"solutionArn": SOL})
    assert delete.decision is Decision.UNKNOWN
    assert set(delete.missing) == {"versions", "campaigns"}
    campaign = t.preflight(
        "CreateCampaign", {"name": "c", "solutionVersionArn": V1, "minProvisionedTPS": 1}
    )
    assert (campaign.decision, campaign.missing) == (Decision.UNKNOWN, ("versions",))
    stop = t.preflight("StopSolutionVersionCreation", {"solutionVersionArn": V1})
    assert (stop.decision, stop.missing) == (Decision.UNKNOWN, ("versions",))


def test_knowledge_of_one_solution_says_nothing_about_another():
    t = ready_solution()
    describe_version(t, V1, ACTIVE)
    list_campaigns(t, [])
    assert t.preflight("DeleteSolution", {"solutionArn": SOL}).decision is Decision.ALLOW
    other = t.preflight("DeleteSolution", {"solutionArn": SOL2})
    assert other.decision is Decision.UNKNOWN
    assert set(other.missing) == {"versions", "campaigns"}


def test_request_shape_findings_come_through_tracker_preflight():
    t = ready_solution()
    verdict = t.preflight("CreateSolutionVersion", {"solutionArn": SOL, "trainingMode": "FUL"})
    assert verdict.decision is Decision.DENY
    assert "SV104" in errors_of(verdict)
    assert "SV101" in errors_of(t.preflight("DeleteSolution", {}))


# -- stale, illegal and unknown observations -----------------------------------------------


def test_older_last_updated_version_observation_is_ignored_and_reported_sv506():
    t = ready_solution()
    describe_version(t, V1, ACTIVE, updated=100)
    before = t.snapshot()
    verdict = describe_version(t, V1, FAILED, updated=50)
    assert [f.rule for f in verdict.findings] == ["SV506"]
    assert verdict.findings[0].severity != "error"
    assert verdict.decision is not Decision.DENY
    assert t.snapshot() == before
    assert t.preflight("CreateSolutionVersion", full_update()).decision is Decision.ALLOW


@pytest.mark.parametrize(
    ("held", "late"),
    [
        (ACTIVE, IN_PROGRESS),
        (ACTIVE, PENDING),
        (IN_PROGRESS, PENDING),
        (FAILED, IN_PROGRESS),
        (STOPPING, IN_PROGRESS),
        (STOPPED, STOPPING),
    ],
)
@pytest.mark.parametrize("late_updated", [None, 100, 200], ids=["untimed", "same-time", "newer"])
def test_earlier_lifecycle_status_is_ignored_and_reported_sv506(
    held: str, late: str, late_updated: int | None
):
    t = ready_solution(STOP_RULESET)
    describe_version(t, V1, held, updated=100)
    before = t.snapshot()
    verdict = describe_version(t, V1, late, updated=late_updated)
    assert "SV506" in rules_of(verdict)
    assert "SV501" not in rules_of(verdict)
    assert t.snapshot() == before


def test_stale_entries_in_a_listing_are_ignored_and_reported_sv506():
    t = ready_solution()
    describe_version(t, V1, ACTIVE, updated=100)
    verdict = list_versions(
        t, [version_fact(V1, IN_PROGRESS, updated=50), version_fact(V2, FAILED)]
    )
    assert rules_of(verdict) == ["SV506"]
    assert "solutionVersions[0]" in (verdict.findings[0].path or "")
    assert version_statuses(t) == {V1: ACTIVE, V2: FAILED}


def test_older_solution_observation_is_ignored_and_reported_sv506():
    t = Tracker()
    describe_solution(t, status=ACTIVE, updated=100)
    verdict = describe_solution(t, status="CREATE IN_PROGRESS", updated=50)
    assert "SV506" in rules_of(verdict)
    assert solution_entry(t, SOL)["status"] == ACTIVE
    assert t.preflight("CreateSolutionVersion", {"solutionArn": SOL}).decision is Decision.ALLOW


def test_forward_observations_are_applied_without_findings():
    t = ready_solution(STOP_RULESET)
    for i, status in enumerate((PENDING, IN_PROGRESS, STOPPING, STOPPED)):
        verdict = describe_version(t, V1, status, updated=i)
        assert verdict.decision is Decision.ALLOW
        assert verdict.findings == ()
        assert version_statuses(t) == {V1: status}


def test_missed_steps_are_legal_pending_straight_to_active():
    t = ready_solution()
    create_version(t, V1)
    verdict = describe_version(t, V1, ACTIVE, updated=5)
    assert verdict.findings == ()
    assert version_statuses(t) == {V1: ACTIVE}


def test_illegal_change_active_to_failed_with_newer_timestamp_is_reported_sv501_without_crash():
    t = ready_solution()
    describe_version(t, V1, ACTIVE, updated=100)
    verdict = describe_version(t, V1, FAILED, updated=200)
    assert isinstance(verdict, Verdict)
    assert "SV501" in rules_of(verdict)
    sv501 = next(f for f in verdict.findings if f.rule == "SV501")
    assert ACTIVE in sv501.message
    assert FAILED in sv501.message
    # The tracker keeps working: it answers, snapshots and round-trips.
    assert isinstance(t.preflight("CreateSolutionVersion", full_update()), Verdict)
    assert isinstance(t.preflight("DeleteSolution", {"solutionArn": SOL}), Verdict)
    snap = t.snapshot()
    assert Tracker.restore(json.loads(json.dumps(snap))).snapshot() == snap


def test_stop_state_observed_in_ruleset_without_stop_is_reported_sv501():
    t = ready_solution()
    verdict = describe_version(t, V1, STOPPING)
    assert "SV501" in rules_of(verdict)
    assert len(t) == 0


@pytest.mark.parametrize("status", ["TRAINING", "active", "CREATE  PENDING", 7, ["ACTIVE"]])
def test_unknown_version_status_is_reported_sv502_and_ignored(status: Any):
    t = ready_solution()
    describe_version(t, V1, ACTIVE, updated=1)
    fact = version_fact(V1, ACTIVE, updated=2)
    fact["status"] = status
    verdict = t.observe(
        "DescribeSolutionVersion", {"solutionVersionArn": V1}, {"solutionVersion": fact}
    )
    assert "SV502" in rules_of(verdict)
    assert verdict.decision is not Decision.DENY
    assert version_statuses(t) == {V1: ACTIVE}


def test_unknown_solution_status_is_reported_sv502_and_status_kept():
    t = Tracker()
    describe_solution(t, status=ACTIVE)
    verdict = describe_solution(t, status="RETIRED")
    assert "SV502" in rules_of(verdict)
    assert solution_entry(t, SOL)["status"] == ACTIVE


@pytest.mark.parametrize(
    "entry",
    [
        version_fact(V1, "TRAINING"),
        {"status": "CREATE PENDING", "trainingMode": "FULL"},
        "not a version",
    ],
    ids=["unknown-status", "no-arn", "not-a-dict"],
)
def test_unreadable_entry_in_a_complete_listing_never_proves_absence(entry: Any):
    # The contract: a fact with an unknown status is treated as unknown; it can make a
    # verdict UNKNOWN, never DENY (nor ALLOW) by itself. svstate.preflight given the
    # same list answers UNKNOWN; the tracker must not conclude from the gap.
    t = Tracker()
    describe_solution(t)
    list_campaigns(t, [])
    observed = list_versions(t, [entry])
    if entry == version_fact(V1, "TRAINING"):
        assert "SV502" in rules_of(observed)
    update = t.preflight("CreateSolutionVersion", full_update())
    assert update.decision is Decision.UNKNOWN, update
    delete = t.preflight("DeleteSolution", {"solutionArn": SOL})
    assert delete.decision is Decision.UNKNOWN, delete


# -- errors ----------------------------------------------------------------------------------


def _not_found(operation: str = "") -> dict[str, Any]:
    """A parsed ResourceNotFoundException error response (the operation is for the reader)."""
    del operation
    return {"Error": {"Code": "ResourceNotFoundException", "Message": "not found"}}


def _client_error(code: str, operation: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "no"}}, operation)


@pytest.mark.parametrize("form", ["parsed", "ClientError"])
@pytest.mark.parametrize("op", ["DescribeSolutionVersion", "describe_solution_version"])
def test_resource_not_found_forgets_the_version(form: str, op: str):
    t = ready_solution()
    describe_version(t, V1, ACTIVE)
    create_version(t, V2)
    error: object = (
        _not_found(op) if form == "parsed" else _client_error("ResourceNotFoundException", op)
    )
    verdict = t.observe(op, {"solutionVersionArn": V1}, error)
    assert isinstance(verdict, Verdict)
    assert len(t) == 1
    assert version_statuses(t) == {V2: PENDING}
    # The forgotten ACTIVE FULL version no longer proves UPDATE legal; V2's status is only
    # inferred (it may be ACTIVE by now), so the verdict waits for it.
    inferred_only(t.preflight("CreateSolutionVersion", full_update()), "SV301")


@pytest.mark.parametrize("form", ["parsed", "ClientError"])
def test_resource_not_found_forgets_the_solution_and_its_versions(form: str):
    t = ready_solution()
    describe_version(t, V1, ACTIVE)
    describe_version(t, f"{SOL2}/0000dddd", ACTIVE)
    error: object = (
        _not_found("DescribeSolution")
        if form == "parsed"
        else _client_error("ResourceNotFoundException", "DescribeSolution")
    )
    t.observe("DescribeSolution", {"solutionArn": SOL}, error)
    assert len(t) == 1
    assert [s["arn"] for s in t.snapshot()["solutions"]] == [SOL2]
    assert t.preflight("CreateSolutionVersion", {"solutionArn": SOL}).missing == ("solution",)


@pytest.mark.parametrize(
    "code",
    [
        "ResourceInUseException",
        "InvalidInputException",
        "LimitExceededException",
        "ThrottlingException",
        "AccessDeniedException",
    ],
)
@pytest.mark.parametrize("form", ["parsed", "ClientError"])
@pytest.mark.parametrize(
    ("op", "params"),
    [
        ("DescribeSolutionVersion", {"solutionVersionArn": V1}),
        ("DescribeSolution", {"solutionArn": SOL}),
        ("DeleteSolution", {"solutionArn": SOL}),
        ("StopSolutionVersionCreation", {"solutionVersionArn": V1}),
        ("CreateSolutionVersion", {"solutionArn": SOL}),
    ],
)
def test_other_error_codes_change_nothing(code: str, form: str, op: str, params: dict[str, Any]):
    t = ready_solution(STOP_RULESET)
    create_version(t, V1)
    before = t.snapshot()
    error: object = {"Error": {"Code": code}} if form == "parsed" else _client_error(code, op)
    verdict = t.observe(op, params, error)
    assert isinstance(verdict, Verdict)
    assert t.snapshot() == before


@pytest.mark.parametrize(
    "error",
    [
        RuntimeError("connection reset"),
        ValueError("boom"),
        {"Error": {}},
        {"Error": {"Code": 404}},
        {"Error": "ResourceNotFoundException"},
    ],
)
def test_malformed_errors_never_raise_nor_forget(error: object):
    t = ready_solution()
    create_version(t, V1)
    before = t.snapshot()
    verdict = t.observe("DescribeSolutionVersion", {"solutionVersionArn": V1}, error)
    assert isinstance(verdict, Verdict)
    assert t.snapshot() == before


@pytest.mark.parametrize(
    ("op", "params", "response"),
    [
        ("CreateRecommender", {"name": "x"}, {"recommenderArn": f"{ARN_PREFIX}recommender/x"}),
        ("delete_campaign", {"campaignArn": CAMPAIGN}, {}),
        ("ListRecipes", {}, {"recipes": []}),
        ("UpdateCampaign", {"campaignArn": CAMPAIGN}, _not_found("UpdateCampaign")),
        ("GetSolutionMetrics", {"solutionVersionArn": V1}, _not_found("GetSolutionMetrics")),
        (
            "describesolutionversion",
            {"solutionVersionArn": V1},
            {"solutionVersion": version_fact(V1, FAILED)},
        ),
        ("", {}, {}),
    ],
)
def test_observing_unmodelled_operations_is_a_harmless_no_op(
    op: str, params: dict[str, Any], response: object
):
    t = ready_solution()
    create_version(t, V1)
    before = t.snapshot()
    verdict = t.observe(op, params, response)
    assert verdict.decision is Decision.ALLOW
    assert verdict.findings == ()
    assert t.snapshot() == before
    assert len(t) == 1


@pytest.mark.parametrize("ruleset", ["2019-10-14", STOP_RULESET])
def test_delete_solution_denial_counts_every_version_in_flight_exactly(ruleset: str):
    t = ready_solution(ruleset)
    for n in range(1, 25):
        create_version(t, f"{SOL}/{n:08x}")
        verdict = t.preflight("DeleteSolution", {"solutionArn": SOL})
        (sv901,) = [f for f in verdict.findings if f.rule == "SV901"]
        noun = "version" if n == 1 else "versions"
        assert f"has {n} {noun} still being created" in sv901.message, (n, sv901.message)


def test_verdict_messages_do_not_depend_on_the_hash_seed(tmp_path: Any):
    # design.md, principle 5: deterministic results. The same observations must give
    # the same verdict in every process, whatever PYTHONHASHSEED is.
    script = tmp_path / "run.py"
    script.write_text(
        "import json, svstate\n"
        f"sol = {SOL!r}\n"
        "t = svstate.Tracker(ruleset='2021-05-20')\n"
        "t.observe('CreateSolution', {}, {'solutionArn': sol})\n"
        "for i in range(8):\n"
        "    t.observe('CreateSolutionVersion', {'solutionArn': sol},\n"
        "              {'solutionVersionArn': f'{sol}/v{i:07d}'})\n"
        "for i in range(4):\n"
        "    t.observe('CreateCampaign', {'solutionVersionArn': f'{sol}/v{i:07d}'},\n"
        f"              {{'campaignArn': f'{CAMPAIGN}-{{i}}'}})\n"
        "print(json.dumps([t.preflight(op, {'solutionArn': sol}).to_dict()\n"
        "    for op in ('DeleteSolution', 'CreateSolutionVersion')]))\n",
        encoding="utf-8",
    )
    outputs = set()
    for seed in ("0", "1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, env=env, check=True
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1, sorted(outputs)


# -- many versions -----------------------------------------------------------------------------


def test_preflight_is_correct_for_a_solution_of_5000_versions_with_one_active_full():
    # In the latest ruleset (AUTOTRAIN exists) only an ACTIVE FULL version proves UPDATE legal.
    t = Tracker(ruleset="latest")
    create_solution(t, recipe=USER_PERSONALIZATION)
    describe_solution(t, recipe=USER_PERSONALIZATION)
    facts = []
    for i in range(5000):
        arn = f"{SOL}/{i:08x}"
        if i == 2717:
            facts.append(version_fact(arn, ACTIVE, "FULL", created=i, updated=i + 1))
        elif i % 2:
            facts.append(version_fact(arn, ACTIVE, "UPDATE", created=i, updated=i + 1))
        else:
            facts.append(version_fact(arn, FAILED, "FULL", created=i, updated=i + 1))
    facts.reverse()  # newest first, as the service lists them
    list_versions(t, facts[:2500], following="more")
    list_versions(t, facts[2500:], token="more")
    assert len(t) == 5000
    list_campaigns(t, [])
    update = t.preflight("CreateSolutionVersion", full_update())
    assert update.decision is Decision.ALLOW, update
    assert t.preflight("DeleteSolution", {"solutionArn": SOL}).decision is Decision.ALLOW
    failed = {"name": "c", "solutionVersionArn": f"{SOL}/{2:08x}", "minProvisionedTPS": 1}
    assert "SV701" in errors_of(t.preflight("CreateCampaign", failed))
    good = {"name": "c", "solutionVersionArn": f"{SOL}/{2717:08x}", "minProvisionedTPS": 1}
    assert t.preflight("CreateCampaign", good).decision is Decision.ALLOW
    # One new version in flight: DeleteSolution waits for its status (inferred from the
    # call), and is denied once it is observed; UPDATE is still allowed.
    create_version(t, f"{SOL}/ffffffff")
    inferred_only(t.preflight("DeleteSolution", {"solutionArn": SOL}), "SV901")
    describe_version(t, f"{SOL}/ffffffff", PENDING)
    delete = t.preflight("DeleteSolution", {"solutionArn": SOL})
    assert delete.decision is Decision.DENY
    assert "SV901" in errors_of(delete)
    assert t.preflight("CreateSolutionVersion", full_update()).decision is Decision.ALLOW
    # The only ACTIVE FULL version forgotten: the 2,500 ACTIVE UPDATE ones prove nothing.
    t.observe(
        "DescribeSolutionVersion",
        {"solutionVersionArn": good["solutionVersionArn"]},
        _not_found(""),
    )
    update = t.preflight("CreateSolutionVersion", full_update())
    assert update.decision is Decision.DENY
    assert "SV301" in errors_of(update)


# -- thread safety -----------------------------------------------------------------------------


def _switch_often() -> Callable[[], None]:
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    return lambda: sys.setswitchinterval(old)


def test_concurrent_observations_of_disjoint_versions_are_all_kept():
    threads, per_thread = 8, 150
    t = Tracker(ruleset=STOP_RULESET)
    create_solution(t)
    create_solution(t, SOL2)
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []
    final = {
        f"{(SOL, SOL2)[n % 2]}/{n:02d}{i:06d}": (ACTIVE, FAILED, STOPPED)[(n + i) % 3]
        for n in range(threads)
        for i in range(per_thread)
    }

    def work(n: int) -> None:
        try:
            barrier.wait()
            mine = [
                (a, s) for a, s in final.items() if a.rpartition("/")[2].startswith(f"{n:02d}")
            ]
            for arn, last in mine:
                create_version(t, arn)
                middle = STOPPING if last == STOPPED else IN_PROGRESS
                describe_version(t, arn, middle, updated=1)
                describe_version(t, arn, last, updated=2)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    restore = _switch_often()
    try:
        workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    finally:
        restore()
    assert errors == []
    assert len(t) == threads * per_thread
    assert version_statuses(t) == final
    for arn in (SOL, SOL2):
        list_campaigns(t, [], arn)
        assert t.preflight("DeleteSolution", {"solutionArn": arn}).decision is Decision.ALLOW


def test_concurrent_preflight_during_observation_never_raises():
    t = Tracker(ruleset=STOP_RULESET)
    create_solution(t)
    describe_solution(t)
    done = threading.Event()
    errors: list[BaseException] = []
    decisions: set[Decision] = set()
    calls = [
        ("CreateSolutionVersion", full_update()),
        ("CreateSolutionVersion", {"solutionArn": SOL}),
        ("DeleteSolution", {"solutionArn": SOL}),
        ("StopSolutionVersionCreation", {"solutionVersionArn": f"{SOL}/00000003"}),
        ("CreateCampaign", {"name": "c", "solutionVersionArn": f"{SOL}/00000005"}),
    ]

    def ask() -> None:
        try:
            while not done.is_set():
                for op, params in calls:
                    decisions.add(t.preflight(op, params).decision)
                t.snapshot()
                len(t)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    def observe(n: int) -> None:
        try:
            for i in range(300):
                arn = f"{SOL}/{n:02d}{i:06d}" if i % 7 else f"{SOL}/{i:08d}"
                create_version(t, arn, "FULL" if i % 3 else "UPDATE")
                describe_version(t, arn, IN_PROGRESS, updated=1)
                if i % 5 == 0:
                    t.observe("StopSolutionVersionCreation", {"solutionVersionArn": arn}, {})
                else:
                    describe_version(t, arn, (ACTIVE, FAILED)[i % 2], updated=2)
                if i % 11 == 0:
                    t.observe(
                        "DescribeSolutionVersion", {"solutionVersionArn": arn}, _not_found("")
                    )
                if i % 13 == 0:
                    t.observe(
                        "CreateCampaign",
                        {"solutionVersionArn": arn},
                        {"campaignArn": f"{CAMPAIGN}-{n}-{i}"},
                    )
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    restore = _switch_often()
    try:
        askers = [threading.Thread(target=ask) for _ in range(3)]
        observers = [threading.Thread(target=observe, args=(n,)) for n in range(4)]
        for w in askers + observers:
            w.start()
        for w in observers:
            w.join()
        done.set()
        for w in askers:
            w.join()
    finally:
        restore()
    assert errors == []
    assert decisions <= set(Decision)
    assert decisions


# -- snapshot and restore ------------------------------------------------------------------


def _battery(
    versions: list[str], solutions: tuple[str, ...] = (SOL, SOL2)
) -> list[tuple[str, dict[str, Any]]]:
    calls: list[tuple[str, dict[str, Any]]] = []
    for sol in solutions:
        calls += [
            ("CreateSolutionVersion", {"solutionArn": sol}),
            ("CreateSolutionVersion", full_update(sol)),
            ("CreateSolutionVersion", {"solutionArn": sol, "trainingMode": "AUTOTRAIN"}),
            ("DeleteSolution", {"solutionArn": sol}),
        ]
    for arn in versions:
        calls += [
            ("CreateCampaign", {"name": "c", "solutionVersionArn": arn, "minProvisionedTPS": 1}),
            ("StopSolutionVersionCreation", {"solutionVersionArn": arn}),
        ]
    return calls


def _answers(t: Tracker, calls: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    return [t.preflight(op, params).to_dict() for op, params in calls]


def _round_trip(t: Tracker) -> Tracker:
    return Tracker.restore(json.loads(json.dumps(t.snapshot())))


def _scripted_history(ruleset: str = STOP_RULESET) -> Tracker:
    t = Tracker(ruleset=ruleset)
    create_solution(t)
    describe_solution(t, updated=5)
    create_version(t, V1)
    describe_version(t, V1, ACTIVE, created=1, updated=10)
    create_version(t, V2, "UPDATE")
    describe_version(t, V2, IN_PROGRESS, mode=None, created=2.5, updated=11.25)
    t.observe("CreateCampaign", {"name": "c", "solutionVersionArn": V1}, {"campaignArn": CAMPAIGN})
    t.observe(
        "DescribeSolution", {"solutionArn": SOL2}, {"solution": solution_fact(SOL2, PENDING)}
    )
    list_versions(t, [version_fact(f"{SOL2}/0000dddd", FAILED, updated=3)], arn=SOL2)
    t.observe(
        "DescribeSolution",
        {"solutionArn": f"{ARN_PREFIX}solution/automl"},
        load("solution_automl"),
    )
    return t


def test_snapshot_is_json_and_restore_round_trips_it_exactly():
    t = _scripted_history()
    snap = t.snapshot()
    assert json.loads(json.dumps(snap)) == snap
    restored = _round_trip(t)
    assert restored.snapshot() == snap
    assert len(restored) == len(t)
    assert restored.ruleset == t.ruleset
    calls = _battery([V1, V2, V3, f"{SOL2}/0000dddd"])
    assert _answers(restored, calls) == _answers(t, calls)


@pytest.mark.parametrize("ruleset", ["2019-06-10", "2019-10-14", STOP_RULESET, "latest"])
def test_empty_tracker_round_trips_with_its_ruleset(ruleset: str):
    t = Tracker(ruleset=ruleset)
    restored = _round_trip(t)
    assert restored.snapshot() == t.snapshot()
    assert restored.ruleset.name == t.ruleset.name
    assert len(restored) == 0


@pytest.mark.parametrize(
    "encode", [json.dumps, lambda d: json.dumps(d).encode()], ids=["str", "bytes"]
)
def test_restore_accepts_the_json_text_itself(encode: Callable[[Any], Any]):
    t = _scripted_history()
    assert Tracker.restore(encode(t.snapshot())).snapshot() == t.snapshot()


def test_restored_tracker_keeps_answering_like_the_original_after_more_observations():
    t = _scripted_history()
    restored = _round_trip(t)
    for tracker in (t, restored):
        describe_version(tracker, V2, ACTIVE, updated=20)
        describe_version(tracker, V1, IN_PROGRESS, updated=5)  # stale
        list_campaigns(tracker, [])
    assert restored.snapshot() == t.snapshot()
    calls = _battery([V1, V2])
    assert _answers(restored, calls) == _answers(t, calls)


def test_restore_in_the_middle_of_a_listing_loses_nothing():
    # "round-trip its whole state ... without loss": a listing whose first page was seen
    # before the snapshot completes on its last page after the restore, as in the original.
    t = Tracker()
    describe_solution(t)
    list_versions(t, [version_fact(V1, FAILED)], following="page-2")
    restored = _round_trip(t)
    for tracker in (t, restored):
        list_versions(tracker, [version_fact(V2, FAILED)], token="page-2")
    original = t.preflight("CreateSolutionVersion", full_update())
    assert original.decision is Decision.DENY
    assert (
        restored.preflight("CreateSolutionVersion", full_update()).to_dict() == original.to_dict()
    )
    assert restored.snapshot() == t.snapshot()


def test_restore_keeps_which_version_created_under_observation_is_newest():
    # Versions seen through CreateSolutionVersion have no creationDateTime yet; the order
    # in which they were created is part of the state (SV301 names the newest FULL one).
    t = ready_solution()
    create_version(t, V2)  # the older FULL version: it fails
    describe_version(t, V2, IN_PROGRESS, created=None)
    describe_version(t, V2, FAILED, created=None)
    create_version(t, V1)  # the newer FULL version: still pending
    original = t.preflight("CreateSolutionVersion", full_update())
    assert "tracked/0000aaaa" in original.findings[0].message
    restored = _round_trip(t).preflight("CreateSolutionVersion", full_update())
    assert restored.to_dict() == original.to_dict()


# A few versions of two solutions, observed in random order with random facts.
_ARNS = [V1, V2, V3, f"{SOL2}/0000dddd", f"{SOL2}/0000eeee"]
_TIMES = st.one_of(
    st.none(),
    st.integers(0, 50).map(lambda s: iso(s)),
    st.integers(0, 50).map(
        lambda s: dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=s)
    ),
    st.floats(1.5e9, 1.5e9 + 50, allow_nan=False),
    st.integers(1_500_000_000, 1_500_000_050),
)
_STATUS = st.sampled_from((*VERSION_STATUSES, "CREATE_PENDING", "BOGUS"))
_SOL_STATUS = st.sampled_from((PENDING, IN_PROGRESS, ACTIVE, FAILED, "DELETE PENDING", "BOGUS"))
_MODE = st.sampled_from(("FULL", "UPDATE", "AUTOTRAIN", None))
_RECIPE = st.sampled_from((HRNN_COLDSTART, USER_PERSONALIZATION))


@st.composite
def _version_dict(draw: st.DrawFn, arn: str | None = None) -> dict[str, Any]:
    fact: dict[str, Any] = {
        "solutionVersionArn": arn or draw(st.sampled_from(_ARNS)),
        "status": draw(_STATUS),
    }
    mode = draw(_MODE)
    if mode is not None:
        fact["trainingMode"] = mode
    for key in ("creationDateTime", "lastUpdatedDateTime"):
        when = draw(_TIMES)
        if when is not None:
            fact[key] = when
    return fact


@st.composite
def _observation(draw: st.DrawFn) -> tuple[str, dict[str, Any], Any]:
    sol = draw(st.sampled_from((SOL, SOL2)))
    mine = [a for a in _ARNS if a.startswith(sol + "/")]
    arn = draw(st.sampled_from(mine))
    kind = draw(
        st.sampled_from(
            (
                "CreateSolution",
                "DescribeSolution",
                "ListSolutions",
                "DeleteSolution",
                "CreateSolutionVersion",
                "DescribeSolutionVersion",
                "ListSolutionVersions",
                "StopSolutionVersionCreation",
                "CreateCampaign",
                "DescribeCampaign",
                "ListCampaigns",
                "NotFoundVersion",
                "NotFoundSolution",
            )
        )
    )
    if kind == "CreateSolution":
        return kind, {"name": "n", "recipeArn": draw(_RECIPE)}, {"solutionArn": sol}
    if kind in ("DescribeSolution", "ListSolutions"):
        fact: dict[str, Any] = {
            "solutionArn": sol,
            "status": draw(_SOL_STATUS),
            "recipeArn": draw(_RECIPE),
        }
        when = draw(_TIMES)
        if when is not None:
            fact["lastUpdatedDateTime"] = when
        if draw(st.booleans()):
            fact["latestSolutionVersion"] = draw(_version_dict(arn))
        if kind == "ListSolutions":
            return kind, {}, {"solutions": [fact]}
        return kind, {"solutionArn": sol}, {"solution": fact}
    if kind == "DeleteSolution":
        return kind, {"solutionArn": sol}, {}
    if kind == "CreateSolutionVersion":
        params: dict[str, Any] = {"solutionArn": sol}
        mode = draw(_MODE)
        if mode is not None:
            params["trainingMode"] = mode
        return kind, params, {"solutionVersionArn": arn}
    if kind == "DescribeSolutionVersion":
        return kind, {"solutionVersionArn": arn}, {"solutionVersion": draw(_version_dict(arn))}
    if kind == "ListSolutionVersions":
        page = draw(st.lists(_version_dict(), max_size=3))
        params = {"solutionArn": sol}
        token = draw(st.sampled_from((None, None, "t1", "t2")))
        if token is not None:
            params["nextToken"] = token
        response: dict[str, Any] = {"solutionVersions": page}
        following = draw(st.sampled_from((None, None, "t1", "t2")))
        if following is not None:
            response["nextToken"] = following
        return kind, params, response
    if kind == "StopSolutionVersionCreation":
        return kind, {"solutionVersionArn": arn}, {}
    campaign = f"{CAMPAIGN}-{draw(st.integers(0, 2))}"
    status = draw(st.sampled_from((PENDING, ACTIVE, "DELETE IN_PROGRESS", "BOGUS")))
    if kind == "CreateCampaign":
        return kind, {"name": "c", "solutionVersionArn": arn}, {"campaignArn": campaign}
    if kind == "DescribeCampaign":
        found = {"campaignArn": campaign, "solutionVersionArn": arn, "status": status}
        return kind, {"campaignArn": campaign}, {"campaign": found}
    if kind == "ListCampaigns":
        items = [{"campaignArn": campaign, "status": status}] if draw(st.booleans()) else []
        return kind, {"solutionArn": sol}, {"campaigns": items}
    error = draw(
        st.sampled_from(
            (
                {"Error": {"Code": "ResourceNotFoundException"}},
                _client_error("ResourceNotFoundException", "Describe"),
                {"Error": {"Code": "ResourceInUseException"}},
            )
        )
    )
    if kind == "NotFoundVersion":
        return "DescribeSolutionVersion", {"solutionVersionArn": arn}, error
    return "DescribeSolution", {"solutionArn": sol}, error


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ruleset=st.sampled_from(("2019-10-14", STOP_RULESET, "latest")),
    history=st.lists(_observation(), max_size=25),
)
def test_random_histories_round_trip_and_restored_tracker_answers_the_same(
    ruleset: str, history: list[tuple[str, dict[str, Any], Any]]
):
    t = Tracker(ruleset=ruleset)
    for op, params, response in history:
        verdict = t.observe(op, params, response)
        assert isinstance(verdict, Verdict)
    snap = t.snapshot()
    text = json.dumps(snap)
    restored = Tracker.restore(json.loads(text))
    assert restored.snapshot() == snap
    assert Tracker.restore(text).snapshot() == snap
    assert len(restored) == len(t)
    calls = _battery(_ARNS)
    # Whole verdicts, words and paths too: the indexes do not depend on the order in
    # which the observations updated them.
    assert _answers(restored, calls) == _answers(t, calls)


# -- restore rejects what snapshot() never writes -------------------------------------------


def _base_document() -> dict[str, Any]:
    doc = json.loads(json.dumps(_scripted_history().snapshot()))
    # The fields the mutations below rely on.
    assert doc["solutions"][0]["arn"].endswith("solution/movies-automl")
    assert any(s["campaigns"] for s in doc["solutions"])
    # Put V1's row first (restore takes rows in any order), so that mutations name versions[0].
    doc["versions"].sort(key=lambda row: row[0] != V1)
    assert doc["versions"][0][0] == V1
    return doc


def _tracked(doc: dict[str, Any]) -> dict[str, Any]:
    (entry,) = [s for s in doc["solutions"] if s["arn"] == SOL]
    return entry


Mutation = Callable[[dict[str, Any]], Any]

_TAMPERED: list[tuple[str, Mutation, str]] = [
    ("no-format", lambda d: d.pop("format"), "format"),
    ("wrong-format", lambda d: d.update(format="svstate.tracker/3"), "format"),
    ("format-not-text", lambda d: d.update(format=1), "format"),
    ("no-ruleset", lambda d: d.pop("ruleset"), "ruleset"),
    ("ruleset-before-ga", lambda d: d.update(ruleset="2018-01-01"), "ruleset"),
    ("ruleset-not-text", lambda d: d.update(ruleset=20191014), "ruleset"),
    ("no-solutions", lambda d: d.pop("solutions"), "solutions"),
    ("solutions-dict", lambda d: d.update(solutions={}), "solutions"),
    ("no-versions", lambda d: d.pop("versions"), "versions"),
    ("versions-text", lambda d: d.update(versions="[]"), "versions"),
    ("solution-not-dict", lambda d: d["solutions"].__setitem__(0, [SOL]), "solutions[0]"),
    ("solution-no-arn", lambda d: _tracked(d).pop("arn"), ".arn"),
    ("solution-bad-arn", lambda d: _tracked(d).update(arn="solution/tracked"), ".arn"),
    ("solution-arn-is-version", lambda d: _tracked(d).update(arn=V1), ".arn"),
    ("solution-arn-too-long", lambda d: _tracked(d).update(arn=SOL + "x" * 300), ".arn"),
    ("solution-bad-status", lambda d: _tracked(d).update(status="ACTIV"), ".status"),
    ("solution-status-number", lambda d: _tracked(d).update(status=3), ".status"),
    ("solution-automl-text", lambda d: _tracked(d).update(automl="false"), ".automl"),
    ("solution-no-automl", lambda d: _tracked(d).pop("automl"), ".automl"),
    ("solution-complete-int", lambda d: _tracked(d).update(complete=1), ".complete"),
    ("solution-no-complete", lambda d: _tracked(d).pop("complete"), ".complete"),
    ("solution-recipe-number", lambda d: _tracked(d).update(recipe=5), ".recipe"),
    ("solution-updated-text", lambda d: _tracked(d).update(updated="yesterday"), ".updated"),
    ("solution-updated-bool", lambda d: _tracked(d).update(updated=True), ".updated"),
    ("solution-updated-nan", lambda d: _tracked(d).update(updated=float("nan")), ".updated"),
    ("solution-updated-inf", lambda d: _tracked(d).update(updated=float("inf")), ".updated"),
    ("campaigns-list", lambda d: _tracked(d).update(campaigns=[CAMPAIGN]), ".campaigns"),
    (
        "campaign-bad-status",
        lambda d: _tracked(d).update(campaigns={CAMPAIGN: "LIVE"}),
        ".campaigns",
    ),
    ("version-not-list", lambda d: d["versions"].__setitem__(0, {"arn": V1}), "versions[0]"),
    (
        "version-short-row",
        lambda d: d["versions"].__setitem__(0, d["versions"][0][:4]),
        "versions[0]",
    ),
    ("version-long-row", lambda d: d["versions"][0].append(None), "versions[0]"),
    ("version-bad-arn", lambda d: d["versions"][0].__setitem__(0, "0000aaaa"), "versions[0].arn"),
    ("version-arn-is-solution", lambda d: d["versions"][0].__setitem__(0, SOL), "versions[0].arn"),
    ("version-arn-number", lambda d: d["versions"][0].__setitem__(0, 7), "versions[0].arn"),
    ("version-duplicate", lambda d: d["versions"].append(list(d["versions"][0])), ".arn"),
    (
        "version-bad-status",
        lambda d: d["versions"][0].__setitem__(1, "DONE"),
        "versions[0].status",
    ),
    ("version-no-status", lambda d: d["versions"][0].__setitem__(1, None), "versions[0].status"),
    (
        "version-solution-status",
        lambda d: d["versions"][0].__setitem__(1, "DELETE PENDING"),
        "versions[0].status",
    ),
    (
        "version-underscore-status",
        lambda d: d["versions"][0].__setitem__(1, "CREATE_PENDING"),
        "versions[0].status",
    ),
    ("version-bad-mode", lambda d: d["versions"][0].__setitem__(2, "HALF"), "versions[0].mode"),
    ("version-mode-number", lambda d: d["versions"][0].__setitem__(2, 1), "versions[0].mode"),
    (
        "version-created-text",
        lambda d: d["versions"][0].__setitem__(3, "2020-01-01"),
        "versions[0].created",
    ),
    ("version-updated-list", lambda d: d["versions"][0].__setitem__(4, []), "versions[0].updated"),
    (
        "version-huge-created",
        lambda d: d["versions"][0].__setitem__(3, 10**400),
        "versions[0].created",
    ),
    ("solution-huge-updated", lambda d: _tracked(d).update(updated=-(10**400)), ".updated"),
    ("solution-huge-status", lambda d: _tracked(d).update(status=10**400), ".status"),
    (
        "deep-solutions",
        lambda d: d.update(solutions=[_nested(5000)]),
        "solutions[0]",
    ),
    ("deep-version-row", lambda d: d["versions"].__setitem__(0, _nested(5000)), "versions[0]"),
]


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("mutate", "field"), [c[1:] for c in _TAMPERED], ids=[c[0] for c in _TAMPERED]
)
def test_restore_rejects_tampered_document_naming_the_field(mutate: Mutation, field: str):
    doc = _base_document()
    mutate(doc)
    with pytest.raises(SvstateError) as caught:
        Tracker.restore(doc)
    assert field in str(caught.value)


def test_restore_rejects_version_stop_status_in_ruleset_without_stop():
    t = Tracker(ruleset="2019-10-14")
    t.observe("DescribeSolution", {}, {"solution": {"solutionArn": SOL, "status": "ACTIVE"}})
    doc = t.snapshot()
    doc["versions"] = [[V1, STOPPING, "FULL", None, None, None]]
    with pytest.raises(SvstateError, match=r"versions\[0\]\.status"):
        Tracker.restore(doc)
    doc["ruleset"] = STOP_RULESET
    assert version_statuses(Tracker.restore(doc)) == {V1: STOPPING}


@pytest.mark.parametrize("key", ["status", "recipe", "updated", "campaigns"])
def test_restore_rejects_solution_entry_missing_an_optional_key(key: str):
    # snapshot() always writes every key (None when unknown); restore() promises to name
    # "the first field that is not as Tracker.snapshot() writes it".
    doc = _base_document()
    del _tracked(doc)[key]
    with pytest.raises(SvstateError, match=key):
        Tracker.restore(doc)


@pytest.mark.parametrize("document", [None, [], "{}", 3, b"", True, {}], ids=repr)
def test_restore_rejects_what_is_not_a_snapshot(document: object):
    with pytest.raises(SvstateError):
        Tracker.restore(document)


def test_restore_rejects_truncated_json_text_at_any_point():
    text = json.dumps(_scripted_history().snapshot())
    cuts = sorted({*range(0, len(text), max(1, len(text) // 60)), len(text) - 1})
    for cut in cuts:
        with pytest.raises(SvstateError):
            Tracker.restore(text[:cut])


def test_restore_rejects_deeply_nested_json_text():
    deep = '{"format": "svstate.tracker/1", "ruleset": "2019-10-14", "solutions": ' + "[" * 200_000
    with pytest.raises(SvstateError):
        Tracker.restore(deep + "]" * 200_000 + ', "versions": []}')
    with pytest.raises(SvstateError):
        Tracker.restore(deep)


def test_restore_rejects_non_json_bytes():
    with pytest.raises(SvstateError):
        Tracker.restore(b"\xff\xfe\x00garbage")


def test_restore_error_names_the_snapshot_format_expected():
    with pytest.raises(SvstateError, match=r"svstate\.tracker/2"):
        Tracker.restore(
            {"format": "other", "ruleset": "2019-10-14", "solutions": [], "versions": []}
        )


# -- bad input never raises a stray exception ---------------------------------------------------

_KEYS = st.sampled_from(
    (
        "solutionArn",
        "solutionVersionArn",
        "campaignArn",
        "status",
        "trainingMode",
        "creationDateTime",
        "lastUpdatedDateTime",
        "nextToken",
        "solution",
        "solutionVersion",
        "solutionVersions",
        "solutions",
        "campaign",
        "campaigns",
        "latestSolutionVersion",
        "performAutoML",
        "autoMLResult",
        "bestRecipeArn",
        "recipeArn",
        "Error",
        "Code",
        "name",
    )
)
_INTERESTING = st.sampled_from(
    (
        *(SOL, V1, V2, f"{SOL}/$LATEST", CAMPAIGN, HRNN_COLDSTART, "ResourceNotFoundException"),
        *VERSION_STATUSES,
        *("CREATE_PENDING", "DELETE PENDING", "FULL", "UPDATE", "AUTOTRAIN", "t1"),
    )
)


class _Str(str):
    __slots__ = ()


class _Dict(dict):  # type: ignore[type-arg]
    __slots__ = ()


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(),
    st.text(max_size=8),
    st.binary(max_size=4),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.timezones()),
    _INTERESTING,
    _INTERESTING.map(_Str),
)
_JUNK = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(_KEYS | st.text(max_size=4), inner, max_size=5),
        st.dictionaries(_KEYS, inner, max_size=5).map(_Dict),
    ),
    max_leaves=15,
)
_OPERATIONS = st.one_of(
    st.sampled_from(OBSERVED_OPERATIONS + tuple(snake(o) for o in OBSERVED_OPERATIONS)),
    _JUNK,
)
_PARAMS = _JUNK | st.dictionaries(_KEYS, _JUNK, max_size=4)
_FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _seeded(ruleset: str) -> Tracker:
    t = ready_solution(ruleset)
    describe_version(t, V1, ACTIVE, updated=1)
    create_version(t, V2)
    return t


@_FUZZ
@given(
    ruleset=st.sampled_from(("2019-10-14", STOP_RULESET)),
    calls=st.lists(st.tuples(_OPERATIONS, _PARAMS, _PARAMS), min_size=1, max_size=3),
)
def test_observe_never_raises_on_junk_operations_params_and_responses(
    ruleset: str, calls: list[tuple[Any, Any, Any]]
):
    t = _seeded(ruleset)
    for op, params, response in calls:
        verdict = t.observe(op, params, response)
        assert isinstance(verdict, Verdict)
    json.dumps(t.snapshot())
    assert Tracker.restore(json.loads(json.dumps(t.snapshot()))).snapshot() == t.snapshot()


@pytest.mark.parametrize("arn", [[], {}, [V1], {"a": 1}], ids=repr)
@pytest.mark.parametrize(
    "op", ["StopSolutionVersionCreation", "DescribeSolutionVersion", "CreateCampaign"]
)
def test_observe_never_raises_on_unhashable_arns(arn: Any, op: str):
    t = _seeded(STOP_RULESET)
    for response in ({}, {"solutionVersionArn": arn}, _not_found(op)):
        verdict = t.observe(op, {"solutionVersionArn": arn, "solutionArn": arn}, response)
        assert isinstance(verdict, Verdict)


_PREFLIGHT_OPERATIONS = st.one_of(
    st.sampled_from(
        (
            "CreateSolutionVersion",
            "create_solution_version",
            "DeleteSolution",
            "delete_solution",
            "CreateCampaign",
            "create_campaign",
            "StopSolutionVersionCreation",
            "stop_solution_version_creation",
        )
    ),
    _JUNK,
)


@_FUZZ
@given(
    op=_PREFLIGHT_OPERATIONS,
    params=_PARAMS,
    facts=st.fixed_dictionaries(
        {},
        optional={
            "dataset_imports": _JUNK,
            "account_in_flight": _JUNK,
            "account_quota": _JUNK,
        },
    ),
)
def test_preflight_on_junk_returns_a_verdict_or_raises_svstate_error(
    op: Any, params: Any, facts: dict[str, Any]
):
    t = _seeded(STOP_RULESET)
    try:
        verdict = t.preflight(op, params, **facts)
    except SvstateError:
        return
    assert isinstance(verdict, Verdict)
    json.dumps(verdict.to_dict())


_CREATE_REQUESTS = _PARAMS | st.fixed_dictionaries(
    {"solutionArn": st.sampled_from((SOL, f"{SOL}x", "arn:aws:personalize:::recipe/x"))},
    optional={"trainingMode": st.sampled_from(("FULL", "UPDATE", "AUTOTRAIN", "full", 1))},
)


@_FUZZ
@given(
    ruleset=st.sampled_from(("2019-10-14", STOP_RULESET, "latest")),
    in_flight=st.booleans(),
    params=_CREATE_REQUESTS,
    op=st.sampled_from([op for op in OPERATIONS if op not in CHAIN_OPS]),
)
def test_tracker_preflights_at_once_route_gives_the_general_routes_verdict(
    ruleset: str, in_flight: bool, params: Any, op: str
):
    """Tracker.preflight's at-once route (an operation the records decide, by its API or
    boto3 name, no facts, no store) answers as the general route does: a str subclass of
    the same name takes that route, and so does the full evaluation."""
    t = ready_solution(ruleset)
    describe_version(t, V1, ACTIVE, updated=1)
    if in_flight:
        create_version(t, V2)
    general = t.preflight(_Str(op), params)
    assert t.preflight(op, params) == general
    assert t.preflight(snake_case(op), params) == general
    assert t._evaluate(op, params, {}) == general


@pytest.mark.parametrize(
    "op",
    [
        None,
        1,
        b"CreateSolutionVersion",
        ["DeleteSolution"],
        "CreateRecommender",
        "DescribeSolution",
        "",
    ],
)
def test_preflight_of_unmodelled_or_non_string_operation_raises_unsupported_operation(op: Any):
    with pytest.raises(svstate.UnsupportedOperation):
        Tracker().preflight(op, {"solutionArn": SOL})


@pytest.mark.parametrize("fact", ["solution", "versions", "campaigns", "ruleset", "bogus"])
def test_tracker_preflight_rejects_unknown_keyword_facts(fact: str):
    t = ready_solution()
    with pytest.raises(SvstateError, match=fact):
        t.preflight("CreateSolutionVersion", {"solutionArn": SOL}, **{fact: None})


def test_tracker_preflight_passes_account_facts_through():
    t = ready_solution()
    verdict = t.preflight("CreateSolutionVersion", {"solutionArn": SOL}, account_in_flight=20)
    assert "SV402" in errors_of(verdict)
    assert (
        t.preflight(
            "CreateSolutionVersion", {"solutionArn": SOL}, account_in_flight=3, account_quota=4
        ).decision
        is Decision.ALLOW
    )


@settings(_FUZZ, max_examples=60)
@given(ruleset=_JUNK)
def test_tracker_ruleset_junk_gives_a_tracker_or_svstate_error(ruleset: Any):
    try:
        t = Tracker(ruleset=ruleset)
    except SvstateError:
        return
    assert isinstance(t.ruleset, svstate.Ruleset)


@pytest.mark.parametrize(
    "ruleset", ["2019-06-09", "yesterday", "", None, 20191014, [], {}, b"2019-10-14", 1.5]
)
def test_tracker_rejects_bad_ruleset_with_unknown_ruleset(ruleset: Any):
    with pytest.raises(svstate.UnknownRuleset):
        Tracker(ruleset=ruleset)


@pytest.mark.parametrize(
    "ruleset", ["2019-10-14", dt.date(2021, 5, 20), dt.datetime(2022, 1, 1), "latest"]
)
def test_tracker_accepts_dates_and_latest_as_ruleset(ruleset: Any):
    assert isinstance(Tracker(ruleset=ruleset).ruleset, svstate.Ruleset)


def test_tracker_is_empty_at_first_and_counts_versions():
    t = Tracker()
    assert len(t) == 0
    assert t.snapshot()["versions"] == []
    create_version(t, V1)
    create_version(t, V1)  # observed twice, held once
    describe_version(t, V2, FAILED)
    assert len(t) == 2
    assert Status.parse(version_statuses(t)[V1]) is Status.CREATE_PENDING


def test_copied_snapshot_is_independent_of_the_tracker():
    t = _scripted_history()
    snap = t.snapshot()
    kept = copy.deepcopy(snap)
    snap["versions"].clear()
    snap["solutions"][0]["status"] = "BOGUS"
    assert t.snapshot() == kept


def test_snapshots_keep_which_statuses_were_inferred():
    t = ready_solution(STOP_RULESET)
    create_version(t, V1)
    t.observe(
        "CreateCampaign",
        {"name": "c", "solutionVersionArn": V1, "minProvisionedTPS": 1},
        {"campaignArn": CAMPAIGN},
    )
    doc = t.snapshot()
    assert doc["format"] == "svstate.tracker/2"
    assert doc["versions"][0][5] == "CreateSolutionVersion"
    assert doc["solutions"][0]["campaigns_inferred"] == {CAMPAIGN: "CreateCampaign"}
    back = Tracker.restore(json.loads(json.dumps(doc)))
    assert back.snapshot() == doc
    delete = back.preflight("DeleteSolution", {"solutionArn": SOL})
    # The campaign exists whatever it has become since CreateCampaign: that denies for
    # certain; the version's inferred status only warns.
    assert delete.decision is Decision.DENY
    assert [(f.rule, str(f.severity)) for f in delete.findings] == [
        ("SV901", "warning"),
        ("SV902", "error"),
    ]
    assert "inferred from the CreateCampaign call" in delete.findings[1].message


def test_a_format_1_snapshot_restores_with_every_status_observed():
    t = ready_solution()
    create_version(t, V1)
    doc = t.snapshot()
    doc["format"] = "svstate.tracker/1"
    doc["versions"] = [row[:5] for row in doc["versions"]]
    for sol in doc["solutions"]:
        del sol["inferred"], sol["campaigns_inferred"]
    back = Tracker.restore(doc)
    assert back.snapshot()["versions"][0][5] is None
    assert back.preflight("DeleteSolution", {"solutionArn": SOL}).decision is Decision.DENY


def test_a_snapshot_with_a_bad_inferred_entry_is_refused_naming_it():
    t = ready_solution()
    create_version(t, V1)
    doc = t.snapshot()
    doc["versions"][0][5] = 7
    with pytest.raises(SvstateError, match=r"versions\[0\]\.inferred"):
        Tracker.restore(doc)
    doc = t.snapshot()
    doc["solutions"][0]["campaigns_inferred"] = {"nowhere": "CreateCampaign"}
    with pytest.raises(SvstateError, match=r"campaigns_inferred"):
        Tracker.restore(doc)
