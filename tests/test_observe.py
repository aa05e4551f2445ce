"""Checking what the service reports: ``check_transition`` and ``validate``.

The expected reachability below is written out by hand from the lifecycle in
``personalize-facts.md`` section 2, independently of svstate's declaration.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from conftest import (
    ACTIVE_FULL_VERSION_ARN,
    OTHER_SOLUTION_ARN,
    PENDING_VERSION_ARN,
    SOLUTION_ARN,
    data_files,
    load,
)

import svstate
from svstate import Decision, Finding, Status, Verdict, check_transition, validate

PENDING = "CREATE PENDING"
IN_PROGRESS = "CREATE IN_PROGRESS"
ACTIVE = "ACTIVE"
FAILED = "CREATE FAILED"
STOPPING = "CREATE STOPPING"
STOPPED = "CREATE STOPPED"

BEFORE_STOP = "2019-10-14"
STOP_RULESET = "2021-05-20"

VERSION_STATUSES = [PENDING, IN_PROGRESS, ACTIVE, FAILED, STOPPING, STOPPED]

# Which statuses may be observed after each status (itself included: polling twice).
REACHABLE_WITH_STOP: dict[str, set[str]] = {
    PENDING: {PENDING, IN_PROGRESS, ACTIVE, FAILED, STOPPING, STOPPED},
    IN_PROGRESS: {IN_PROGRESS, ACTIVE, FAILED, STOPPING, STOPPED},
    STOPPING: {STOPPING, STOPPED},
    ACTIVE: {ACTIVE},
    FAILED: {FAILED},
    STOPPED: {STOPPED},
}
REACHABLE_BEFORE_STOP: dict[str, set[str]] = {
    PENDING: {PENDING, IN_PROGRESS, ACTIVE, FAILED},
    IN_PROGRESS: {IN_PROGRESS, ACTIVE, FAILED},
    ACTIVE: {ACTIVE},
    FAILED: {FAILED},
}

HPO_RANGES = "solutionConfig.hpoConfig.algorithmHyperParameterRanges"
HPO_RESOURCES = "solutionConfig.hpoConfig.hpoResourceConfig"


def the(verdict: Verdict, rule: str) -> Finding:
    found = [f for f in verdict.findings if f.rule == rule]
    assert len(found) == 1, f"expected one {rule} finding in:\n{verdict}"
    return found[0]


def rule_ids(verdict: Verdict) -> list[str]:
    return [f.rule for f in verdict.findings]


# -- check_transition -------------------------------------------------------------------


@pytest.mark.parametrize("before", VERSION_STATUSES)
@pytest.mark.parametrize("after", VERSION_STATUSES)
def test_every_status_pair_with_stop_states(before: str, after: str) -> None:
    verdict = check_transition(before, after, ruleset=STOP_RULESET)
    if after in REACHABLE_WITH_STOP[before]:
        assert verdict.decision is Decision.ALLOW, str(verdict)
        assert verdict.findings == ()
    else:
        assert verdict.decision is Decision.DENY, str(verdict)
        assert rule_ids(verdict) == ["SV501"]
        finding = the(verdict, "SV501")
        assert finding.path == "after"
        assert finding.severity == "error"
        assert before in finding.message
        assert after in finding.message


@pytest.mark.parametrize("before", VERSION_STATUSES)
@pytest.mark.parametrize("after", VERSION_STATUSES)
def test_every_status_pair_before_stop_existed(before: str, after: str) -> None:
    verdict = check_transition(before, after, ruleset=BEFORE_STOP)
    legal = before in REACHABLE_BEFORE_STOP and after in REACHABLE_BEFORE_STOP[before]
    assert (verdict.decision is Decision.ALLOW) is legal, str(verdict)
    if not legal:
        assert verdict.decision is Decision.DENY
        assert set(rule_ids(verdict)) == {"SV501"}


@pytest.mark.parametrize(
    ("before", "after"),
    [(PENDING, ACTIVE), (PENDING, FAILED), (IN_PROGRESS, STOPPED), (PENDING, STOPPING)],
)
def test_polling_may_skip_intermediate_states(before: str, after: str) -> None:
    assert check_transition(before, after, ruleset=STOP_RULESET).decision is Decision.ALLOW


@pytest.mark.parametrize("status", VERSION_STATUSES)
def test_same_status_twice_is_allowed(status: str) -> None:
    assert check_transition(status, status, ruleset=STOP_RULESET).decision is Decision.ALLOW


def test_leaving_a_terminal_state_is_denied_with_a_reason() -> None:
    verdict = check_transition(ACTIVE, IN_PROGRESS)
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV501")
    assert finding.message == "ACTIVE cannot become CREATE IN_PROGRESS: ACTIVE is terminal."
    assert finding.error_code is None
    assert finding.hint is not None


def test_going_backwards_is_denied_and_lists_what_may_follow() -> None:
    verdict = check_transition(IN_PROGRESS, PENDING)
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV501")
    assert "ACTIVE" in finding.message
    assert "CREATE FAILED" in finding.message
    assert finding.hint is not None
    assert "stale" in finding.hint


@pytest.mark.parametrize(("before", "after"), [(PENDING, STOPPED), (IN_PROGRESS, STOPPING)])
def test_stop_states_do_not_exist_in_2019_10_14(before: str, after: str) -> None:
    verdict = check_transition(before, after, ruleset=BEFORE_STOP)
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV501")
    assert after in finding.message
    assert "2019-10-14" in finding.message
    assert finding.hint is not None
    assert "2021-05-20" in finding.hint


@pytest.mark.parametrize(("before", "after"), [(PENDING, STOPPED), (IN_PROGRESS, STOPPING)])
def test_stop_states_exist_from_2021_05_20(before: str, after: str) -> None:
    verdict = check_transition(before, after, ruleset=STOP_RULESET)
    assert verdict.decision is Decision.ALLOW


@pytest.mark.parametrize("side", ["before", "after"])
@pytest.mark.parametrize("value", ["TRAINING", "active", "", None, 3, ["ACTIVE"]])
def test_unknown_status_is_denied_as_sv502_error(side: str, value: object) -> None:
    args = {"before": PENDING, "after": ACTIVE, side: value}
    verdict = check_transition(args["before"], args["after"])
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV502"]
    finding = the(verdict, "SV502")
    assert finding.severity == "error"
    assert finding.path == side
    if isinstance(value, str):
        assert repr(value) in finding.message


@pytest.mark.parametrize("status", ["DELETE PENDING", "DELETE IN_PROGRESS"])
def test_solution_only_statuses_are_not_version_statuses(status: str) -> None:
    verdict = check_transition(status, ACTIVE)
    assert verdict.decision is Decision.DENY
    assert the(verdict, "SV501").path == "before"


def test_underscore_spelling_is_normalised_with_an_info_finding() -> None:
    verdict = check_transition("CREATE_PENDING", "CREATE_IN_PROGRESS")
    assert verdict.decision is Decision.ALLOW
    assert rule_ids(verdict) == ["SV503", "SV503"]
    assert [f.path for f in verdict.findings] == ["before", "after"]
    assert all(f.severity == "info" for f in verdict.findings)
    assert "'CREATE_PENDING'" in verdict.findings[0].message


def test_underscore_spelling_of_an_illegal_change_is_still_denied() -> None:
    verdict = check_transition("CREATE_FAILED", "ACTIVE")
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV503", "SV501"]


def test_status_members_are_accepted() -> None:
    verdict = check_transition(Status.CREATE_PENDING, Status.ACTIVE)
    assert verdict.decision is Decision.ALLOW
    assert verdict.findings == ()


def test_dict_observations_of_one_version_are_compared_by_status() -> None:
    before = load("version_create_stopping")
    after = load("version_create_stopped")
    verdict = check_transition(
        before["solutionVersion"], after["solutionVersion"], ruleset=STOP_RULESET
    )
    assert verdict.decision is Decision.ALLOW
    backwards = check_transition(
        after["solutionVersion"], before["solutionVersion"], ruleset=STOP_RULESET
    )
    assert backwards.decision is Decision.DENY
    assert rule_ids(backwards) == ["SV501"]


def test_dict_observation_and_a_plain_status_mix() -> None:
    pending = load("version_create_pending")["solutionVersion"]
    assert check_transition(pending, ACTIVE).decision is Decision.ALLOW
    assert check_transition(ACTIVE, pending).decision is Decision.DENY


def test_observations_of_different_versions_are_denied() -> None:
    before = load("version_create_pending")["solutionVersion"]
    after = load("version_active_full")["solutionVersion"]
    verdict = check_transition(before, after)
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV504"]
    finding = the(verdict, "SV504")
    assert finding.severity == "error"
    assert finding.path == "after.solutionVersionArn"
    assert PENDING_VERSION_ARN in finding.message
    assert ACTIVE_FULL_VERSION_ARN in finding.message


def test_dict_observation_without_a_status_is_denied_with_its_path() -> None:
    verdict = check_transition({"solutionVersionArn": PENDING_VERSION_ARN}, ACTIVE)
    assert verdict.decision is Decision.DENY
    assert the(verdict, "SV502").path == "before.status"


def test_check_transition_verdict_names_itself_and_its_ruleset() -> None:
    verdict = check_transition(PENDING, ACTIVE, ruleset=STOP_RULESET)
    assert verdict.operation == "check_transition"
    assert verdict.ruleset == STOP_RULESET
    assert json.loads(json.dumps(verdict.to_dict()))["decision"] == "allow"


@pytest.mark.parametrize("ruleset", ["2019-06-09", "yesterday", None])
def test_check_transition_rejects_a_bad_ruleset(ruleset: object) -> None:
    with pytest.raises(svstate.UnknownRuleset):
        check_transition(PENDING, ACTIVE, ruleset=ruleset)


# -- validate: the example responses --------------------------------------------------------


def _responses() -> list[tuple[str, str, int | None]]:
    """(file, shape, index) for every Solution, SolutionVersion and summary in tests/data."""
    cases: list[tuple[str, str, int | None]] = []
    for name in data_files():
        document = load(name)
        if "solution" in document:
            cases.append((name, "Solution", None))
        if "solutionVersion" in document:
            cases.append((name, "SolutionVersion", None))
        for i, _ in enumerate(document.get("solutionVersions", [])):
            cases.append((name, "SolutionVersionSummary", i))
    return cases


def _response(name: str, shape: str, index: int | None) -> dict[str, Any]:
    document = load(name)
    if shape == "Solution":
        return document["solution"]
    if shape == "SolutionVersion":
        return document["solutionVersion"]
    assert index is not None
    return document["solutionVersions"][index]


def test_every_response_file_is_covered() -> None:
    covered = {name for name, _, _ in _responses()}
    assert len(covered) >= 15
    assert "version_active_hpo" in covered
    assert "version_summary_underscore_status" in covered
    assert "solution_automl" in covered


@pytest.mark.parametrize(("name", "shape", "index"), _responses())
def test_example_responses_are_valid_under_the_latest_ruleset(
    name: str, shape: str, index: int | None
) -> None:
    verdict = validate(shape, _response(name, shape, index), ruleset="latest")
    assert verdict.decision is Decision.ALLOW, str(verdict)
    assert all(f.severity in ("warning", "info") for f in verdict.findings), str(verdict)
    assert verdict.operation == shape


@pytest.mark.parametrize(("name", "shape", "index"), _responses())
def test_example_responses_are_valid_from_2021_05_20(
    name: str, shape: str, index: int | None
) -> None:
    verdict = validate(shape, _response(name, shape, index), ruleset=STOP_RULESET)
    assert verdict.decision is Decision.ALLOW, str(verdict)


@pytest.mark.parametrize(("name", "shape", "index"), _responses())
def test_example_responses_have_no_findings_beyond_the_underscore_status(
    name: str, shape: str, index: int | None
) -> None:
    verdict = validate(shape, _response(name, shape, index), ruleset="latest")
    if name == "version_summary_underscore_status":
        assert rule_ids(verdict) == ["SV503"]
        assert the(verdict, "SV503").path == "status"
    else:
        assert verdict.findings == (), str(verdict)


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("solution_active_hrnn_coldstart", "Solution"),
        ("version_active_full", "SolutionVersion"),
        ("version_active_hpo", "SolutionVersion"),
    ],
)
def test_the_whole_response_document_is_accepted(name: str, shape: str) -> None:
    verdict = validate(shape, load(name), ruleset="latest")
    assert verdict.decision is Decision.ALLOW
    assert verdict.findings == ()


@pytest.mark.parametrize("name", ["version_create_stopping", "version_create_stopped"])
def test_stop_states_in_a_ruleset_before_stop_are_a_warning(name: str) -> None:
    verdict = validate("SolutionVersion", load(name), ruleset=BEFORE_STOP)
    assert verdict.decision is Decision.ALLOW
    finding = the(verdict, "SV502")
    assert finding.severity == "warning"
    assert finding.path == "status"


def test_unknown_response_member_is_a_warning() -> None:
    value = {**load("version_active_full")["solutionVersion"], "newField": 1}
    verdict = validate("SolutionVersion", value, ruleset="latest")
    assert verdict.decision is Decision.ALLOW
    finding = the(verdict, "SV105")
    assert finding.severity == "warning"
    assert finding.path == "newField"


def test_validate_findings_predict_no_service_error() -> None:
    # Response findings describe what the service sent; no AWS error code applies.
    value = copy.deepcopy(load("version_active_hpo")["solutionVersion"])
    ranges = value["solutionConfig"]["hpoConfig"]["algorithmHyperParameterRanges"]
    ranges["integerHyperParameterRanges"][0]["minValue"] = 300  # min > max (256)
    ranges["integerHyperParameterRanges"][1]["maxValue"] = 1_000_001  # out of bounds
    value["solutionConfig"]["hpoConfig"]["hpoResourceConfig"]["maxNumberOfTrainingJobs"] = "41"
    verdict = validate("SolutionVersion", value, ruleset="latest")
    assert verdict.decision is Decision.DENY
    assert sorted(rule_ids(verdict)) == ["SV605", "SV606", "SV606"]
    assert [f.error_code for f in verdict.findings] == [None, None, None], str(verdict)


# -- validate: one mutated example per SV6xx rule ---------------------------------------


def _active() -> dict[str, Any]:
    return load("version_active_full")["solutionVersion"]


def _hpo() -> dict[str, Any]:
    return load("version_active_hpo")["solutionVersion"]


def test_failure_reason_on_an_active_version_is_a_warning() -> None:
    verdict = validate("SolutionVersion", {**_active(), "failureReason": "oops"}, ruleset="latest")
    assert verdict.decision is Decision.ALLOW
    assert rule_ids(verdict) == ["SV601"]
    finding = the(verdict, "SV601")
    assert finding.severity == "warning"
    assert finding.path == "failureReason"
    assert "ACTIVE" in finding.message


def test_failure_reason_on_a_summary_inside_a_solution_has_its_full_path() -> None:
    solution = load("solution_active_hrnn_coldstart")["solution"]
    solution["latestSolutionVersion"]["failureReason"] = "oops"
    verdict = validate("Solution", solution, ruleset="latest")
    assert the(verdict, "SV601").path == "latestSolutionVersion.failureReason"


def test_failure_reason_on_a_failed_version_is_fine() -> None:
    verdict = validate("SolutionVersion", load("version_create_failed"), ruleset="latest")
    assert "SV601" not in rule_ids(verdict)


def test_training_hours_before_active_is_a_warning() -> None:
    value = {**load("version_create_in_progress")["solutionVersion"], "trainingHours": 1.25}
    verdict = validate("SolutionVersion", value, ruleset="latest")
    assert verdict.decision is Decision.ALLOW
    assert rule_ids(verdict) == ["SV602"]
    finding = the(verdict, "SV602")
    assert finding.severity == "warning"
    assert finding.path == "trainingHours"
    assert "1.25" in finding.message
    assert "CREATE IN_PROGRESS" in finding.message


def test_version_arn_not_under_its_solution_is_denied() -> None:
    value = {**_active(), "solutionArn": OTHER_SOLUTION_ARN}
    verdict = validate("SolutionVersion", value, ruleset="latest")
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV603"]
    finding = the(verdict, "SV603")
    assert finding.severity == "error"
    assert finding.path == "solutionVersionArn"
    assert ACTIVE_FULL_VERSION_ARN in finding.message
    assert OTHER_SOLUTION_ARN in finding.message


def test_version_arn_under_a_solution_whose_name_extends_it_is_denied() -> None:
    value = {**_active(), "solutionArn": SOLUTION_ARN + "-b"}
    assert validate("SolutionVersion", value, ruleset="latest").decision is Decision.DENY


def test_latest_version_not_under_the_solution_is_denied() -> None:
    solution = load("solution_active_hrnn_coldstart")["solution"]
    solution["latestSolutionVersion"]["solutionVersionArn"] = f"{OTHER_SOLUTION_ARN}/0d4a7c53"
    verdict = validate("Solution", solution, ruleset="latest")
    assert verdict.decision is Decision.DENY
    assert the(verdict, "SV603").path == "latestSolutionVersion.solutionVersionArn"


def test_last_update_before_creation_is_a_warning() -> None:
    value = {**_active(), "lastUpdatedDateTime": "2019-11-04T14:20:11.206000+00:00"}
    verdict = validate("SolutionVersion", value, ruleset="latest")
    assert verdict.decision is Decision.ALLOW
    assert rule_ids(verdict) == ["SV604"]
    finding = the(verdict, "SV604")
    assert finding.path == "lastUpdatedDateTime"
    assert "2019-11-04T14:20:11.206" in finding.message


def test_last_update_equal_to_creation_is_fine() -> None:
    verdict = validate("SolutionVersion", load("version_create_pending"), ruleset="latest")
    assert "SV604" not in rule_ids(verdict)


@pytest.mark.parametrize(
    ("member", "value", "ok"),
    [
        ("maxNumberOfTrainingJobs", "40", True),
        ("maxNumberOfTrainingJobs", "41", False),
        ("maxNumberOfTrainingJobs", "1", True),
        ("maxNumberOfTrainingJobs", "0", False),
        ("maxNumberOfTrainingJobs", "abc", False),
        ("maxNumberOfTrainingJobs", "4.0", False),
        ("maxNumberOfTrainingJobs", " 4", False),
        ("maxParallelTrainingJobs", "10", True),
        ("maxParallelTrainingJobs", "11", False),
        ("maxParallelTrainingJobs", "abc", False),
        ("maxParallelTrainingJobs", "-1", False),
    ],
)
def test_hpo_job_limits(member: str, value: str, ok: bool) -> None:
    version = _hpo()
    version["solutionConfig"]["hpoConfig"]["hpoResourceConfig"][member] = value
    verdict = validate("SolutionVersion", version, ruleset="latest")
    if ok:
        assert verdict.decision is Decision.ALLOW, str(verdict)
        assert verdict.findings == ()
        return
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV605"]
    finding = the(verdict, "SV605")
    assert finding.severity == "error"
    assert finding.path == f"{HPO_RESOURCES}.{member}"
    assert repr(value) in finding.message


def test_hpo_job_limit_as_a_number_instead_of_a_string_is_denied() -> None:
    version = _hpo()
    version["solutionConfig"]["hpoConfig"]["hpoResourceConfig"]["maxParallelTrainingJobs"] = 4
    verdict = validate("SolutionVersion", version, ruleset="latest")
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV605")
    assert finding.path == f"{HPO_RESOURCES}.maxParallelTrainingJobs"
    assert "not a string" in finding.message


@pytest.mark.parametrize(
    ("kind", "index", "low"),
    [("integerHyperParameterRanges", 0, 300), ("continuousHyperParameterRanges", 0, 1.5)],
)
def test_range_with_min_above_max_is_denied(kind: str, index: int, low: float) -> None:
    version = _hpo()
    item = version["solutionConfig"]["hpoConfig"]["algorithmHyperParameterRanges"][kind][index]
    item["minValue"] = low
    verdict = validate("SolutionVersion", version, ruleset="latest")
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV606"]
    finding = the(verdict, "SV606")
    assert finding.severity == "error"
    assert finding.path == f"{HPO_RANGES}.{kind}[{index}].minValue"
    assert str(low) in finding.message
    assert str(item["maxValue"]) in finding.message


def test_range_with_min_equal_to_max_is_fine() -> None:
    version = _hpo()
    item = version["solutionConfig"]["hpoConfig"]["algorithmHyperParameterRanges"][
        "integerHyperParameterRanges"
    ][0]
    item["minValue"] = item["maxValue"]
    assert validate("SolutionVersion", version, ruleset="latest").findings == ()


@pytest.mark.parametrize(
    ("kind", "member", "value", "ok"),
    [
        ("integerHyperParameterRanges", "maxValue", 1_000_000, True),
        ("integerHyperParameterRanges", "maxValue", 1_000_001, False),
        ("integerHyperParameterRanges", "minValue", -1_000_000, True),
        ("integerHyperParameterRanges", "minValue", -1_000_001, False),
        ("continuousHyperParameterRanges", "minValue", -1_000_000.0, True),
        ("continuousHyperParameterRanges", "minValue", -1_000_000.5, False),
    ],
)
def test_range_bounds(kind: str, member: str, value: float, ok: bool) -> None:
    version = _hpo()
    item = version["solutionConfig"]["hpoConfig"]["algorithmHyperParameterRanges"][kind][0]
    item[member] = value
    verdict = validate("SolutionVersion", version, ruleset="latest")
    if ok:
        assert verdict.findings == (), str(verdict)
        return
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV606"]
    assert the(verdict, "SV606").path == f"{HPO_RANGES}.{kind}[0].{member}"


@pytest.mark.parametrize(("count", "ok"), [(100, True), (101, False)])
def test_at_most_100_ranges_of_each_kind(count: int, ok: bool) -> None:
    version = _hpo()
    ranges = version["solutionConfig"]["hpoConfig"]["algorithmHyperParameterRanges"]
    ranges["integerHyperParameterRanges"] = [
        {"name": f"p{i}", "minValue": 1, "maxValue": 2} for i in range(count)
    ]
    verdict = validate("SolutionVersion", version, ruleset="latest")
    if ok:
        assert verdict.findings == ()
        return
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV606")
    assert finding.path == f"{HPO_RANGES}.integerHyperParameterRanges"
    assert "101" in finding.message


def test_wrong_type_deep_inside_has_the_full_dotted_path() -> None:
    version = _hpo()
    ranges = version["solutionConfig"]["hpoConfig"]["algorithmHyperParameterRanges"]
    ranges["integerHyperParameterRanges"].append({"name": 7, "minValue": 1, "maxValue": 10})
    verdict = validate("SolutionVersion", version, ruleset="latest")
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV607"]
    finding = the(verdict, "SV607")
    assert finding.severity == "error"
    assert finding.path == f"{HPO_RANGES}.integerHyperParameterRanges[2].name"
    assert finding.message.startswith(f"{HPO_RANGES}.integerHyperParameterRanges[2].name ")
    assert "not a string" in finding.message


def test_wrong_type_of_a_range_bound_is_reported_by_its_rule_with_the_full_dotted_path() -> None:
    # A type error belongs to the rule of the member's shape: range bounds are SV606's.
    version = _hpo()
    ranges = version["solutionConfig"]["hpoConfig"]["algorithmHyperParameterRanges"]
    ranges["integerHyperParameterRanges"].append({"name": "x", "minValue": 1, "maxValue": "10"})
    verdict = validate("SolutionVersion", version, ruleset="latest")
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV606")
    assert finding.path == f"{HPO_RANGES}.integerHyperParameterRanges[2].maxValue"
    assert "'10'" in finding.message


@pytest.mark.parametrize(
    ("member", "value", "path"),
    [
        ("trainingHours", -1, "trainingHours"),
        ("trainingHours", "3.4", "trainingHours"),
        ("performHPO", "true", "performHPO"),
        ("creationDateTime", "yesterday", "creationDateTime"),
        ("solutionConfig", [], "solutionConfig"),
    ],
)
def test_top_level_member_shape_errors_are_sv607(member: str, value: object, path: str) -> None:
    verdict = validate("SolutionVersion", {**_active(), member: value}, ruleset="latest")
    assert verdict.decision is Decision.DENY
    assert the(verdict, "SV607").path == path


def test_a_response_that_is_not_a_dict_is_denied_with_a_readable_message() -> None:
    verdict = validate("SolutionVersion", "ACTIVE")
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV607")
    assert "'ACTIVE'" in finding.message
    assert not finding.message.startswith(" "), repr(finding.message)
    assert finding.message[0].isalpha(), repr(finding.message)


def test_findings_at_every_level_are_reported_at_once() -> None:
    version = _hpo()
    version["failureReason"] = "oops"
    version["solutionArn"] = OTHER_SOLUTION_ARN
    version["solutionConfig"]["hpoConfig"]["hpoResourceConfig"]["maxParallelTrainingJobs"] = "11"
    verdict = validate("SolutionVersion", version, ruleset="latest")
    assert verdict.decision is Decision.DENY
    assert sorted(rule_ids(verdict)) == ["SV601", "SV603", "SV605"]


@pytest.mark.parametrize(
    "shape", ["SolutionVersions", "CreateSolutionVersion", "solutionVersion", "", None, 5]
)
def test_unknown_shape_raises_unsupported_operation(shape: object) -> None:
    with pytest.raises(svstate.UnsupportedOperation, match="does not validate shape"):
        validate(shape, {})  # type: ignore[arg-type]


def test_near_miss_shape_gets_a_did_you_mean() -> None:
    with pytest.raises(svstate.UnsupportedOperation, match="Did you mean 'SolutionVersion'"):
        validate("SolutionVersions", {})
