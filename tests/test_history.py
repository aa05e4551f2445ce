"""SV507: version lists that describe a history the service cannot produce prove nothing."""

from __future__ import annotations

import pytest

import svstate
from svstate import Decision, preflight

SOL = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
SOLUTION = {
    "solutionArn": SOL,
    "status": "ACTIVE",
    "recipeArn": HRNN,
    "creationDateTime": "2020-01-01T00:00:00Z",
}
UPDATE = {"solutionArn": SOL, "trainingMode": "UPDATE"}
RULESETS = ("2019-10-14", "latest")


def version(
    suffix: str, status: str = "ACTIVE", mode: str | None = "FULL", created: str | None = None
) -> dict[str, object]:
    fact: dict[str, object] = {"solutionVersionArn": f"{SOL}/{suffix}", "status": status}
    if mode is not None:
        fact["trainingMode"] = mode
    if created is not None:
        fact["creationDateTime"] = created
    return fact


def sv507(verdict: svstate.Verdict) -> list[svstate.Finding]:
    return [f for f in verdict.findings if f.rule == "SV507"]


@pytest.mark.parametrize("ruleset", RULESETS)
def test_active_update_version_without_an_active_full_version_proves_nothing(
    ruleset: str,
) -> None:
    verdict = preflight(
        "CreateSolutionVersion",
        UPDATE,
        solution=SOLUTION,
        versions=[version("0a1b2c3d", "ACTIVE", "UPDATE")],
        ruleset=ruleset,
    )
    (finding,) = sv507(verdict)
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("versions",)
    assert finding.severity is svstate.Severity.WARNING
    assert finding.path == "versions[0].trainingMode"
    assert f"{SOL}/0a1b2c3d" in finding.message


@pytest.mark.parametrize("status", ["CREATE FAILED", "CREATE IN_PROGRESS", "CREATE PENDING"])
def test_an_update_version_that_never_trained_may_lack_a_base(status: str) -> None:
    # Whether UPDATE's precondition is checked on the call or during training is not
    # documented: a failed or pending UPDATE without a FULL version may be real.
    verdict = preflight(
        "CreateSolutionVersion",
        UPDATE,
        solution=SOLUTION,
        versions=[version("0a1b2c3d", status, "UPDATE")],
        ruleset="2021-05-20",
    )
    assert sv507(verdict) == []
    assert verdict.decision is Decision.DENY  # SV301: no ACTIVE FULL version


def test_update_version_with_only_a_failed_full_version_proves_nothing() -> None:
    versions = [version("0a1b2c3d", "CREATE FAILED"), version("1b2c3d4e", "ACTIVE", "UPDATE")]
    verdict = preflight("CreateSolutionVersion", UPDATE, solution=SOLUTION, versions=versions)
    assert [f.path for f in sv507(verdict)] == ["versions[1].trainingMode"]
    assert verdict.decision is Decision.UNKNOWN


@pytest.mark.parametrize("ruleset", RULESETS)
def test_update_version_after_an_active_full_version_is_a_legal_history(ruleset: str) -> None:
    versions = [
        version("0a1b2c3d", created="2020-02-01T00:00:00Z"),
        version("1b2c3d4e", mode="UPDATE", created="2020-02-01T00:00:00Z"),
    ]
    verdict = preflight(
        "CreateSolutionVersion", UPDATE, solution=SOLUTION, versions=versions, ruleset=ruleset
    )
    assert sv507(verdict) == []
    assert verdict.decision is Decision.ALLOW


@pytest.mark.parametrize("unknown", [{"status": "RETRAINING"}, {"trainingMode": None}])
def test_a_version_that_might_be_the_active_full_one_is_no_contradiction(
    unknown: dict[str, object],
) -> None:
    base = {**version("0a1b2c3d"), **unknown}
    if base.get("trainingMode") is None:
        del base["trainingMode"]
    versions = [base, version("1b2c3d4e", mode="UPDATE")]
    verdict = preflight("CreateSolutionVersion", UPDATE, solution=SOLUTION, versions=versions)
    assert sv507(verdict) == []


def test_update_older_than_every_active_full_version_proves_nothing() -> None:
    versions = [
        version("0a1b2c3d", created="2020-03-01T00:00:00Z"),
        version("1b2c3d4e", mode="UPDATE", created="2020-02-28T23:59:59Z"),
    ]
    verdict = preflight("CreateSolutionVersion", UPDATE, solution=SOLUTION, versions=versions)
    (finding,) = sv507(verdict)
    assert finding.path == "versions[1].creationDateTime"
    assert "2020-02-28T23:59:59" in finding.message
    assert verdict.decision is Decision.UNKNOWN


def test_update_created_with_its_full_version_at_the_same_second_is_legal() -> None:
    versions = [
        version("0a1b2c3d", created="2020-03-01T00:00:00Z"),
        version("1b2c3d4e", mode="UPDATE", created="2020-03-01T00:00:00Z"),
    ]
    verdict = preflight("CreateSolutionVersion", UPDATE, solution=SOLUTION, versions=versions)
    assert sv507(verdict) == []


def test_version_created_before_its_solution_proves_nothing() -> None:
    verdict = preflight(
        "DeleteSolution",
        {"solutionArn": SOL},
        solution=SOLUTION,
        versions=[version("0a1b2c3d", created="2019-12-31T23:59:59Z")],
        campaigns=[],
    )
    (finding,) = sv507(verdict)
    assert finding.path == "versions[0].creationDateTime"
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("versions",)


def test_version_created_at_its_solutions_second_is_legal() -> None:
    verdict = preflight(
        "DeleteSolution",
        {"solutionArn": SOL},
        solution=SOLUTION,
        versions=[version("0a1b2c3d", created="2020-01-01T00:00:00Z")],
        campaigns=[],
    )
    assert sv507(verdict) == []
    assert verdict.decision is Decision.ALLOW


@pytest.mark.parametrize("second_status", ["ACTIVE", "CREATE IN_PROGRESS"])
def test_one_arn_listed_twice_proves_nothing(second_status: str) -> None:
    versions = [version("0a1b2c3d"), version("0a1b2c3d", second_status)]
    verdict = preflight("CreateSolutionVersion", UPDATE, solution=SOLUTION, versions=versions)
    (finding,) = sv507(verdict)
    assert finding.path == "versions[1]"
    assert "versions[0]" in finding.message
    assert verdict.decision is Decision.UNKNOWN


def test_a_contradictory_list_never_denies_by_itself() -> None:
    # Before SV507 the ACTIVE UPDATE version alone allowed this; with a list that lacks
    # the FULL version it came from, the latest ruleset would have denied with SV301.
    for ruleset in RULESETS:
        verdict = preflight(
            "CreateSolutionVersion",
            UPDATE,
            solution=SOLUTION,
            versions=[version("0a1b2c3d", mode="UPDATE")],
            ruleset=ruleset,
        )
        assert "SV301" not in [f.rule for f in verdict.findings]


def test_other_facts_still_decide_when_the_list_proves_nothing() -> None:
    solution = {**SOLUTION, "latestSolutionVersion": version("1b2c3d4e", "CREATE IN_PROGRESS")}
    verdict = preflight(
        "DeleteSolution",
        {"solutionArn": SOL},
        solution=solution,
        versions=[version("0a1b2c3d"), version("0a1b2c3d")],
        campaigns=[],
    )
    assert [f.rule for f in verdict.findings] == ["SV507", "SV901"]
    assert verdict.decision is Decision.DENY


def test_a_partial_list_is_not_checked_for_contradictions() -> None:
    # The Tracker passes partial tables; SV507 looks only at lists given as complete.
    t = svstate.Tracker()
    t.observe(
        "DescribeSolutionVersion",
        {"solutionVersionArn": f"{SOL}/0a1b2c3d"},
        {"solutionVersion": version("0a1b2c3d", mode="UPDATE")},
    )
    verdict = t.preflight("CreateSolutionVersion", UPDATE)
    assert sv507(verdict) == []
