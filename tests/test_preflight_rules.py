"""``svstate.preflight``: every rule it applies, on both sides of its boundary.

Each rule gets examples that trigger it and examples just on the other side of
its boundary that do not. Assertions cover the decision, the rule ids, the
finding's path, severity and error code, the facts named in ``missing`` for
UNKNOWN, and that the message names the offending value.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from conftest import (
    ACTIVE_FULL_VERSION_ARN,
    ACTIVE_UPDATE_VERSION_ARN,
    ARN_PREFIX,
    CAMPAIGN_ARN,
    FAILED_UPDATE_VERSION_ARN,
    HRNN_COLDSTART,
    IN_PROGRESS_VERSION_ARN,
    OTHER_SOLUTION_ARN,
    PENDING_VERSION_ARN,
    SIMS,
    SOLUTION_ARN,
    SOLUTION_AUTOML_ARN,
    SOLUTION_B_ARN,
    SOLUTION_NEW2_ARN,
    SOLUTION_NEW_ARN,
    SOLUTION_SIMS_ARN,
    SOLUTION_UP_ARN,
    STOPPING_VERSION_ARN,
    USER_PERSONALIZATION,
    USER_PERSONALIZATION_V2,
    load,
)

import svstate
from svstate import Decision, Finding, Verdict, preflight
from svstate._rulesets import API_CHANGES

CSV = "CreateSolutionVersion"
STOP = "StopSolutionVersionCreation"
CC = "CreateCampaign"
DS = "DeleteSolution"

STOP_RULESET = "2021-05-20"  # StopSolutionVersionCreation and the stop states exist
QUOTA_RULESET = "2020-08-06"  # CreateSolutionVersion may raise LimitExceededException
NAME_RULESET = "2022-11-17"  # CreateSolutionVersion.name
TAGS_RULESET = "2022-04-07"  # tags on CreateSolutionVersion and CreateCampaign
AUTOTRAIN_RULESET = "2024-04-19"  # trainingMode AUTOTRAIN; SolutionArn/$LATEST


# -- helpers -----------------------------------------------------------------------------


def findings_of(verdict: Verdict, rule: str) -> list[Finding]:
    return [f for f in verdict.findings if f.rule == rule]


def the(verdict: Verdict, rule: str) -> Finding:
    """The one finding of ``rule`` in ``verdict``."""
    found = findings_of(verdict, rule)
    assert len(found) == 1, f"expected one {rule} finding in:\n{verdict}"
    return found[0]


def rule_ids(verdict: Verdict) -> list[str]:
    return [f.rule for f in verdict.findings]


def errors(verdict: Verdict) -> list[str]:
    return [f.rule for f in verdict.findings if f.severity == "error"]


def solution_fact(
    arn: str = SOLUTION_ARN, status: str = "ACTIVE", recipe: str | None = HRNN_COLDSTART
) -> dict[str, Any]:
    """A DescribeSolution ``solution`` dict without a latestSolutionVersion."""
    fact: dict[str, Any] = {
        "name": arn.rpartition("/")[2],
        "solutionArn": arn,
        "performHPO": False,
        "performAutoML": False,
        "status": status,
        "creationDateTime": "2019-11-02T09:14:03+00:00",
        "lastUpdatedDateTime": "2019-11-02T09:14:04+00:00",
    }
    if recipe is not None:
        fact["recipeArn"] = recipe
    return fact


def version_fact(
    arn: str,
    status: str,
    mode: str | None = "FULL",
    created: str = "2019-11-04T14:20:11+00:00",
    **extra: Any,
) -> dict[str, Any]:
    """A ListSolutionVersions summary."""
    fact: dict[str, Any] = {
        "solutionVersionArn": arn,
        "status": status,
        "creationDateTime": created,
        "lastUpdatedDateTime": created,
        **extra,
    }
    if mode is not None:
        fact["trainingMode"] = mode
    return fact


def coldstart() -> dict[str, Any]:
    """movies-coldstart: ACTIVE, aws-hrnn-coldstart, latest version ACTIVE FULL."""
    return load("solution_active_hrnn_coldstart")["solution"]


def coldstart_versions() -> list[dict[str, Any]]:
    """movies-coldstart's versions: ACTIVE UPDATE, CREATE FAILED UPDATE, ACTIVE FULL."""
    return load("versions_coldstart_full_active")["solutionVersions"]


def update(arn: str = SOLUTION_ARN, **extra: Any) -> dict[str, Any]:
    return {"solutionArn": arn, "trainingMode": "UPDATE", **extra}


def campaign(arn: str = ACTIVE_FULL_VERSION_ARN, **extra: Any) -> dict[str, Any]:
    return {"solutionVersionArn": arn, "name": "movies-campaign", "minProvisionedTPS": 1, **extra}


def solution_arn_of_length(n: int) -> str:
    base = f"{ARN_PREFIX}solution/"
    arn = base + "s" * (n - len(base))
    assert len(arn) == n
    return arn


def version_arn_of_length(n: int) -> str:
    base, suffix = f"{ARN_PREFIX}solution/", "/3f9c2a7e"
    arn = base + "s" * (n - len(base) - len(suffix)) + suffix
    assert len(arn) == n
    return arn


# -- SV101: required parameters ------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "params", "member", "ruleset"),
    [
        (CSV, {"trainingMode": "FULL"}, "solutionArn", "2019-10-14"),
        (STOP, {}, "solutionVersionArn", STOP_RULESET),
        (DS, {}, "solutionArn", "2019-10-14"),
        (
            CC,
            {"solutionVersionArn": ACTIVE_FULL_VERSION_ARN, "minProvisionedTPS": 1},
            "name",
            "2019-10-14",
        ),
        (CC, {"name": "c", "minProvisionedTPS": 1}, "solutionVersionArn", "2019-10-14"),
    ],
)
def test_missing_required_parameter_is_denied_client_side(
    operation: str, params: dict[str, Any], member: str, ruleset: str
) -> None:
    verdict = preflight(operation, params, ruleset=ruleset)
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV101")
    assert finding.path == member
    assert finding.severity == "error"
    assert finding.error_code == "ParamValidationError"
    assert member in finding.message
    assert finding.hint is not None
    assert member in finding.hint


@pytest.mark.parametrize("ruleset", ["2019-10-14", "2021-07-20"])
def test_campaign_without_min_provisioned_tps_is_denied_before_2021_07_21(ruleset: str) -> None:
    params = {"solutionVersionArn": ACTIVE_FULL_VERSION_ARN, "name": "movies-campaign"}
    verdict = preflight(CC, params, versions=coldstart_versions(), ruleset=ruleset)
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV101"]
    finding = the(verdict, "SV101")
    assert finding.path == "minProvisionedTPS"
    assert finding.error_code == "ParamValidationError"
    assert "minProvisionedTPS" in finding.message
    assert finding.hint is not None
    assert "2021-07-21" in finding.hint


@pytest.mark.parametrize("ruleset", ["2021-07-21", "latest"])
def test_campaign_without_min_provisioned_tps_is_allowed_from_2021_07_21(ruleset: str) -> None:
    params = {"solutionVersionArn": ACTIVE_FULL_VERSION_ARN, "name": "movies-campaign"}
    verdict = preflight(CC, params, versions=coldstart_versions(), ruleset=ruleset)
    assert verdict.decision is Decision.ALLOW
    assert verdict.findings == ()


def test_campaign_with_min_provisioned_tps_is_allowed_before_2021_07_21() -> None:
    verdict = preflight(CC, campaign(), versions=coldstart_versions(), ruleset="2021-07-20")
    assert verdict.decision is Decision.ALLOW


@pytest.mark.parametrize("params", [None, [("solutionArn", SOLUTION_ARN)], "solutionArn", 7])
def test_params_that_are_not_a_dict_are_denied(params: object) -> None:
    verdict = preflight(CSV, params)
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV101")
    assert finding.path is None
    assert finding.error_code == "ParamValidationError"
    assert finding.message.startswith("params is ")


def test_tag_without_value_is_denied_with_its_nested_path() -> None:
    params = {"solutionArn": SOLUTION_ARN, "tags": [{"tagKey": "team"}]}
    verdict = preflight(CSV, params, solution=coldstart(), ruleset=TAGS_RULESET)
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV101")
    assert finding.path == "tags[0].tagValue"
    assert finding.error_code == "ParamValidationError"


# -- SV102: ARN pattern and length -----------------------------------------------------------


def test_solution_arn_of_256_characters_is_allowed() -> None:
    arn = solution_arn_of_length(256)
    verdict = preflight(CSV, {"solutionArn": arn}, solution=solution_fact(arn))
    assert verdict.decision is Decision.ALLOW
    assert verdict.findings == ()


def test_solution_arn_of_257_characters_is_denied() -> None:
    arn = solution_arn_of_length(257)
    verdict = preflight(CSV, {"solutionArn": arn}, solution=solution_fact(arn))
    assert verdict.decision is Decision.DENY
    assert errors(verdict) == ["SV102"]
    finding = the(verdict, "SV102")
    assert finding.path == "solutionArn"
    assert finding.error_code == "InvalidInputException"
    assert "257" in finding.message
    assert "256" in finding.message


@pytest.mark.parametrize(
    ("operation", "member", "make", "ruleset"),
    [
        (CSV, "solutionArn", solution_arn_of_length, "2019-10-14"),
        (DS, "solutionArn", solution_arn_of_length, "2019-10-14"),
        (STOP, "solutionVersionArn", version_arn_of_length, STOP_RULESET),
        (CC, "solutionVersionArn", version_arn_of_length, "2019-10-14"),
    ],
)
def test_arn_length_boundary_is_256_for_every_operation(
    operation: str, member: str, make: Any, ruleset: str
) -> None:
    base = campaign() if operation == CC else {}
    at_limit = preflight(operation, {**base, member: make(256)}, ruleset=ruleset)
    assert "SV102" not in rule_ids(at_limit)
    assert "SV103" not in rule_ids(at_limit)
    over = preflight(operation, {**base, member: make(257)}, ruleset=ruleset)
    assert over.decision is Decision.DENY
    assert the(over, "SV102").path == member


@pytest.mark.parametrize("arn", ["not-an-arn", "arn:aws:s3:::my-bucket", ""])
def test_arn_not_matching_the_pattern_is_denied(arn: str) -> None:
    verdict = preflight(CSV, {"solutionArn": arn})
    assert verdict.decision is Decision.DENY
    assert errors(verdict) == ["SV102"]
    finding = the(verdict, "SV102")
    assert finding.path == "solutionArn"
    assert finding.error_code == "InvalidInputException"
    assert repr(arn) in finding.message
    assert verdict.missing == ()


@pytest.mark.parametrize("value", [5, None, ["arn"], True])
def test_arn_of_the_wrong_type_is_a_client_side_error(value: object) -> None:
    verdict = preflight(CSV, {"solutionArn": value})
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV102")
    assert finding.path == "solutionArn"
    assert finding.error_code == "ParamValidationError"
    assert "not a string" in finding.message


def test_arn_pattern_is_not_anchored_so_a_prefixed_arn_is_sv103_not_sv102() -> None:
    arn = "x" + SOLUTION_ARN
    verdict = preflight(CSV, {"solutionArn": arn})
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV103"]


# -- SV103: the ARN names the right kind of resource -----------------------------------------


def test_create_solution_version_with_a_version_arn_is_denied() -> None:
    verdict = preflight(CSV, {"solutionArn": ACTIVE_FULL_VERSION_ARN})
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV103")
    assert finding.path == "solutionArn"
    assert finding.error_code == "InvalidInputException"
    assert ACTIVE_FULL_VERSION_ARN in finding.message  # the whole ARN, not a truncation
    assert "solution version" in finding.message
    assert finding.hint is not None
    assert SOLUTION_ARN in finding.hint


@pytest.mark.parametrize(
    ("arn", "kind"),
    [
        (CAMPAIGN_ARN, "campaign"),
        (HRNN_COLDSTART, "recipe"),
        (f"{ARN_PREFIX}dataset-group/movies", "dataset-group"),
    ],
)
def test_create_solution_version_with_another_kind_of_arn_is_denied(arn: str, kind: str) -> None:
    verdict = preflight(CSV, {"solutionArn": arn})
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV103"]
    finding = the(verdict, "SV103")
    assert arn in finding.message
    assert kind in finding.message


def test_create_campaign_with_a_solution_arn_is_denied() -> None:
    verdict = preflight(CC, campaign(SOLUTION_ARN))
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV103")
    assert finding.path == "solutionVersionArn"
    assert SOLUTION_ARN in finding.message


def test_stop_with_a_solution_arn_is_denied() -> None:
    verdict = preflight(STOP, {"solutionVersionArn": SOLUTION_ARN}, ruleset=STOP_RULESET)
    assert verdict.decision is Decision.DENY
    assert the(verdict, "SV103").path == "solutionVersionArn"


def test_delete_solution_with_a_version_arn_is_denied() -> None:
    verdict = preflight(DS, {"solutionArn": ACTIVE_FULL_VERSION_ARN}, campaigns=[])
    assert verdict.decision is Decision.DENY
    assert the(verdict, "SV103").path == "solutionArn"


def test_latest_form_is_denied_before_2024_04_19() -> None:
    arn = f"{SOLUTION_ARN}/$LATEST"
    verdict = preflight(CC, campaign(arn), versions=coldstart_versions(), ruleset="2024-04-18")
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV103")
    assert finding.path == "solutionVersionArn"
    assert "$LATEST" in finding.message
    assert "2024-04-19" in finding.message


def test_latest_form_is_allowed_from_2024_04_19() -> None:
    arn = f"{SOLUTION_ARN}/$LATEST"
    verdict = preflight(
        CC, campaign(arn), versions=coldstart_versions(), ruleset=AUTOTRAIN_RULESET
    )
    assert verdict.decision is Decision.ALLOW


def test_sync_with_latest_needs_the_latest_form() -> None:
    params = campaign(campaignConfig={"syncWithLatestSolutionVersion": True})
    verdict = preflight(CC, params, versions=coldstart_versions(), ruleset=AUTOTRAIN_RULESET)
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV103")
    assert "syncWithLatestSolutionVersion" in finding.message
    assert finding.hint is not None
    assert f"{SOLUTION_ARN}/$LATEST" in finding.hint


# -- SV104: trainingMode is one of the ruleset's modes --------------------------------------


@pytest.mark.parametrize("mode", ["FUL", "full", "INCREMENTAL", ""])
def test_unknown_training_mode_is_denied(mode: str) -> None:
    verdict = preflight(CSV, {"solutionArn": SOLUTION_ARN, "trainingMode": mode})
    assert verdict.decision is Decision.DENY
    assert errors(verdict) == ["SV104"]
    finding = the(verdict, "SV104")
    assert finding.path == "trainingMode"
    assert finding.error_code == "InvalidInputException"
    assert repr(mode) in finding.message


@pytest.mark.parametrize("mode", ["FUL", "full"])
def test_near_miss_training_mode_suggests_full(mode: str) -> None:
    finding = the(preflight(CSV, {"solutionArn": SOLUTION_ARN, "trainingMode": mode}), "SV104")
    assert finding.hint is not None
    assert "'FULL'" in finding.hint


def test_training_mode_of_the_wrong_type_is_a_client_side_error() -> None:
    verdict = preflight(CSV, {"solutionArn": SOLUTION_ARN, "trainingMode": 1})
    finding = the(verdict, "SV104")
    assert finding.error_code == "ParamValidationError"


def test_autotrain_is_denied_before_2024_04_19() -> None:
    params = {"solutionArn": SOLUTION_ARN, "trainingMode": "AUTOTRAIN"}
    verdict = preflight(CSV, params, solution=coldstart(), ruleset="2024-04-18")
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV104"]
    finding = the(verdict, "SV104")
    assert "'AUTOTRAIN'" in finding.message
    assert finding.hint is not None
    assert "2024-04-19" in finding.hint


def test_training_mode_is_not_a_member_before_2019_10_14() -> None:
    params = {"solutionArn": SOLUTION_ARN, "trainingMode": "FULL"}
    verdict = preflight(CSV, params, solution=coldstart(), ruleset="2019-10-13")
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV105")
    assert finding.path == "trainingMode"
    assert "2019-10-14" in finding.message


@pytest.mark.parametrize("mode", ["FULL", "UPDATE"])
def test_full_and_update_are_accepted_from_2019_10_14(mode: str) -> None:
    params = {"solutionArn": SOLUTION_ARN, "trainingMode": mode}
    verdict = preflight(CSV, params, solution=coldstart(), versions=coldstart_versions())
    assert verdict.decision is Decision.ALLOW


# -- SV105: no parameter the ruleset does not know ------------------------------------------


def test_name_parameter_is_denied_on_2022_11_16() -> None:
    params = {"solutionArn": SOLUTION_ARN, "name": "v2"}
    verdict = preflight(CSV, params, solution=coldstart(), ruleset="2022-11-16")
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV105"]
    finding = the(verdict, "SV105")
    assert finding.path == "name"
    assert finding.error_code == "ParamValidationError"
    assert "'name'" in finding.message
    assert "2022-11-17" in finding.message


def test_name_parameter_is_allowed_from_2022_11_17() -> None:
    params = {"solutionArn": SOLUTION_ARN, "name": "v2"}
    verdict = preflight(CSV, params, solution=coldstart(), ruleset=NAME_RULESET)
    assert verdict.decision is Decision.ALLOW
    assert verdict.findings == ()


def test_tags_are_denied_before_2022_04_07_and_allowed_from_it() -> None:
    params = {"solutionArn": SOLUTION_ARN, "tags": [{"tagKey": "team", "tagValue": "recs"}]}
    before = preflight(CSV, params, solution=coldstart(), ruleset="2022-04-06")
    assert before.decision is Decision.DENY
    assert the(before, "SV105").path == "tags"
    after = preflight(CSV, params, solution=coldstart(), ruleset=TAGS_RULESET)
    assert after.decision is Decision.ALLOW


def test_misspelt_parameter_gets_a_did_you_mean() -> None:
    params = {"solutionArn": SOLUTION_ARN, "trainingmode": "FULL"}
    verdict = preflight(CSV, params, solution=coldstart())
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV105")
    assert finding.path == "trainingmode"
    assert "'trainingmode'" in finding.message
    assert finding.hint is not None
    assert "'trainingMode'" in finding.hint


def test_non_string_parameter_key_is_denied() -> None:
    verdict = preflight(CSV, {"solutionArn": SOLUTION_ARN, 1: "x"}, solution=coldstart())
    assert verdict.decision is Decision.DENY
    assert errors(verdict) == ["SV105"]


def test_campaign_config_is_unknown_before_2020_08_06() -> None:
    params = campaign(campaignConfig={"itemExplorationConfig": {"explorationWeight": "0.3"}})
    before = preflight(CC, params, versions=coldstart_versions(), ruleset="2020-08-05")
    assert the(before, "SV105").path == "campaignConfig"
    after = preflight(CC, params, versions=coldstart_versions(), ruleset="2020-08-06")
    assert after.decision is Decision.ALLOW


# -- SV106: name and tags follow their shapes -------------------------------------------------


def test_name_of_63_characters_is_allowed() -> None:
    params = {"solutionArn": SOLUTION_ARN, "name": "n" * 63}
    verdict = preflight(CSV, params, solution=coldstart(), ruleset=NAME_RULESET)
    assert verdict.decision is Decision.ALLOW


def test_name_of_64_characters_is_denied() -> None:
    params = {"solutionArn": SOLUTION_ARN, "name": "n" * 64}
    verdict = preflight(CSV, params, solution=coldstart(), ruleset=NAME_RULESET)
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV106"]
    finding = the(verdict, "SV106")
    assert finding.path == "name"
    assert finding.error_code == "InvalidInputException"
    assert "64" in finding.message
    assert "63" in finding.message


def test_empty_name_is_a_client_side_error() -> None:
    params = {"solutionArn": SOLUTION_ARN, "name": ""}
    finding = the(preflight(CSV, params, solution=coldstart(), ruleset=NAME_RULESET), "SV106")
    assert finding.path == "name"
    assert finding.error_code == "ParamValidationError"


def test_name_starting_with_a_dash_is_denied() -> None:
    params = {"solutionArn": SOLUTION_ARN, "name": "-v2"}
    verdict = preflight(CSV, params, solution=coldstart(), ruleset=NAME_RULESET)
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV106")
    assert finding.error_code == "InvalidInputException"
    assert "'-v2'" in finding.message


def test_campaign_name_of_64_characters_is_denied() -> None:
    verdict = preflight(CC, campaign(name="c" * 64), versions=coldstart_versions())
    assert verdict.decision is Decision.DENY
    assert the(verdict, "SV106").path == "name"


def _tags(n: int) -> list[dict[str, str]]:
    return [{"tagKey": f"key-{i}", "tagValue": "v"} for i in range(n)]


def test_200_tags_are_allowed() -> None:
    params = {"solutionArn": SOLUTION_ARN, "tags": _tags(200)}
    verdict = preflight(CSV, params, solution=coldstart(), ruleset=TAGS_RULESET)
    assert verdict.decision is Decision.ALLOW


def test_201_tags_are_too_many_tags() -> None:
    params = {"solutionArn": SOLUTION_ARN, "tags": _tags(201)}
    verdict = preflight(CSV, params, solution=coldstart(), ruleset=TAGS_RULESET)
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV106"]
    finding = the(verdict, "SV106")
    assert finding.path == "tags"
    assert finding.error_code == "TooManyTagsException"
    assert "201" in finding.message
    assert "200" in finding.message


def test_201_campaign_tags_are_too_many_tags() -> None:
    verdict = preflight(
        CC, campaign(tags=_tags(201)), versions=coldstart_versions(), ruleset=TAGS_RULESET
    )
    assert the(verdict, "SV106").error_code == "TooManyTagsException"


@pytest.mark.parametrize(
    ("tag", "ok", "path"),
    [
        ({"tagKey": "k" * 128, "tagValue": "v" * 256}, True, None),
        ({"tagKey": "k" * 129, "tagValue": "v"}, False, "tags[0].tagKey"),
        ({"tagKey": "k", "tagValue": "v" * 257}, False, "tags[0].tagValue"),
        ({"tagKey": "k", "tagValue": ""}, True, None),
        ({"tagKey": "", "tagValue": "v"}, False, "tags[0].tagKey"),
        ({"tagKey": "team name_1.a:b/c=d+e-f@g", "tagValue": "ä 1"}, True, None),
        ({"tagKey": "team!", "tagValue": "v"}, False, "tags[0].tagKey"),
    ],
)
def test_tag_key_and_value_limits(tag: dict[str, str], ok: bool, path: str | None) -> None:
    params = {"solutionArn": SOLUTION_ARN, "tags": [tag]}
    verdict = preflight(CSV, params, solution=coldstart(), ruleset=TAGS_RULESET)
    if ok:
        assert verdict.decision is Decision.ALLOW, str(verdict)
    else:
        assert verdict.decision is Decision.DENY
        assert the(verdict, "SV106").path == path


# -- SV107: AUTOTRAIN passed by a caller (unconfirmed: a warning) ----------------------------


def test_autotrain_from_2024_04_19_is_a_warning_only() -> None:
    params = {"solutionArn": SOLUTION_ARN, "trainingMode": "AUTOTRAIN"}
    verdict = preflight(
        CSV, params, solution=coldstart(), versions=coldstart_versions(), ruleset=AUTOTRAIN_RULESET
    )
    assert verdict.decision is Decision.ALLOW
    assert rule_ids(verdict) == ["SV107"]
    finding = the(verdict, "SV107")
    assert finding.severity == "warning"
    assert finding.path == "trainingMode"
    assert finding.error_code is None
    assert "AUTOTRAIN" in finding.message
    assert "SV104" not in rule_ids(verdict)


def test_autotrain_warning_never_makes_a_verdict_unknown() -> None:
    params = {"solutionArn": SOLUTION_ARN, "trainingMode": "AUTOTRAIN"}
    verdict = preflight(CSV, params, solution=coldstart(), ruleset="latest")
    assert verdict.decision is Decision.ALLOW
    assert verdict.missing == ()


# -- SV201: the solution is ACTIVE -----------------------------------------------------------


@pytest.mark.parametrize("ruleset", ["2019-10-14", "latest"])
def test_version_of_a_solution_still_being_created_only_warns(ruleset: str) -> None:
    # UNCONFIRMED: the Developer Guide's example calls CreateSolutionVersion right after
    # CreateSolution; no public source says the service refuses it.
    solution = load("solution_create_in_progress")
    verdict = preflight(CSV, {"solutionArn": SOLUTION_NEW_ARN}, solution=solution, ruleset=ruleset)
    assert verdict.decision is Decision.ALLOW
    assert rule_ids(verdict) == ["SV201"]
    finding = the(verdict, "SV201")
    assert finding.severity == "warning"
    assert finding.path == "solution.status"
    assert "movies-new" in finding.message
    assert "CREATE IN_PROGRESS (observed)" in finding.message
    assert finding.hint is not None
    assert "wait" in finding.hint


@pytest.mark.parametrize("status", ["CREATE FAILED", "DELETE PENDING", "DELETE IN_PROGRESS"])
def test_version_of_a_solution_that_will_never_be_active_is_denied(status: str) -> None:
    verdict = preflight(CSV, {"solutionArn": SOLUTION_ARN}, solution=solution_fact(status=status))
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV201")
    assert status in finding.message
    assert finding.hint is not None
    assert "never" in finding.hint


def test_full_version_of_an_active_solution_is_allowed() -> None:
    verdict = preflight(CSV, {"solutionArn": SOLUTION_ARN}, solution=coldstart())
    assert verdict.decision is Decision.ALLOW
    assert verdict.findings == ()
    assert verdict.missing == ()


def test_version_without_the_solution_is_unknown() -> None:
    verdict = preflight(CSV, {"solutionArn": SOLUTION_ARN})
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("solution",)
    assert verdict.findings == ()


def test_solution_without_a_status_is_unknown() -> None:
    solution = solution_fact()
    del solution["status"]
    verdict = preflight(CSV, {"solutionArn": SOLUTION_ARN}, solution=solution)
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("solution.status",)


def test_solution_with_an_unknown_status_is_unknown_not_denied() -> None:
    verdict = preflight(
        CSV, {"solutionArn": SOLUTION_ARN}, solution=solution_fact(status="RETIRED")
    )
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("solution.status",)
    finding = the(verdict, "SV502")
    assert finding.severity == "warning"
    assert finding.path == "solution.status"
    assert "'RETIRED'" in finding.message


def test_whole_describe_solution_response_is_accepted() -> None:
    verdict = preflight(
        CSV, {"solutionArn": SOLUTION_ARN}, solution=load("solution_active_hrnn_coldstart")
    )
    assert verdict.decision is Decision.ALLOW


# -- SV301: UPDATE needs an ACTIVE FULL version ------------------------------------------


def test_update_after_failed_full_is_denied() -> None:
    versions = load("versions_coldstart_full_failed")
    verdict = preflight(
        CSV, update(SOLUTION_B_ARN), solution=solution_fact(SOLUTION_B_ARN), versions=versions
    )
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV301"]
    finding = the(verdict, "SV301")
    assert finding.path == "trainingMode"
    assert finding.error_code == "InvalidInputException"
    assert "2c58f0ea" in finding.message
    assert "CREATE FAILED" in finding.message
    assert finding.hint is not None
    assert "fewer than 25 users" in finding.hint  # the failureReason


def test_update_while_the_first_full_is_in_progress_is_denied() -> None:
    versions = load("versions_coldstart_full_in_progress")
    verdict = preflight(
        CSV,
        update(SOLUTION_NEW2_ARN),
        solution=solution_fact(SOLUTION_NEW2_ARN),
        versions=versions,
    )
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV301", "SV401"]
    finding = the(verdict, "SV301")
    assert "9e07b1f6" in finding.message
    assert "CREATE IN_PROGRESS" in finding.message
    assert the(verdict, "SV401").severity == "warning"


def test_update_of_a_solution_without_versions_is_denied() -> None:
    verdict = preflight(CSV, update(), solution=solution_fact(), versions=[])
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV301")
    assert "movies-coldstart" in finding.message
    assert "no versions" in finding.message


def test_update_after_active_full_is_allowed() -> None:
    verdict = preflight(CSV, update(), solution=coldstart(), versions=coldstart_versions())
    assert verdict.decision is Decision.ALLOW
    assert verdict.findings == ()


def test_update_with_only_failed_updates_and_failed_full_is_denied() -> None:
    versions = [
        version_fact(FAILED_UPDATE_VERSION_ARN, "CREATE FAILED", "UPDATE", failureReason="x"),
        version_fact(ACTIVE_FULL_VERSION_ARN, "CREATE FAILED", "FULL", failureReason="y"),
    ]
    verdict = preflight(CSV, update(), solution=solution_fact(), versions=versions)
    assert verdict.decision is Decision.DENY
    assert "3f9c2a7e" in the(verdict, "SV301").message


def test_latest_active_full_version_settles_update_without_the_list() -> None:
    verdict = preflight(CSV, update(), solution=coldstart())
    assert verdict.decision is Decision.ALLOW
    assert verdict.missing == ()


def test_update_without_solution_or_versions_is_unknown() -> None:
    verdict = preflight(CSV, update())
    assert verdict.decision is Decision.UNKNOWN
    assert set(verdict.missing) == {"solution", "versions"}
    assert len(verdict.missing) == 2


def test_update_when_latest_version_is_not_active_full_needs_the_versions() -> None:
    solution = coldstart()
    solution["latestSolutionVersion"]["status"] = "CREATE FAILED"
    verdict = preflight(CSV, update(), solution=solution)
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("versions",)


def test_update_with_an_unknown_status_on_a_full_version_is_unknown_not_denied() -> None:
    versions = [version_fact(ACTIVE_FULL_VERSION_ARN, "TRAINED", "FULL")]
    verdict = preflight(CSV, update(), solution=solution_fact(), versions=versions)
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("versions[0].status",)
    finding = the(verdict, "SV502")
    assert finding.severity == "warning"
    assert finding.path == "versions[0].status"
    assert "'TRAINED'" in finding.message


def test_update_with_an_active_version_of_unknown_mode_is_unknown_in_autotrain_rulesets() -> None:
    versions = [version_fact(ACTIVE_FULL_VERSION_ARN, "ACTIVE", mode=None)]
    verdict = preflight(
        CSV, update(), solution=solution_fact(), versions=versions, ruleset="latest"
    )
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("versions[0].trainingMode",)


def test_any_active_version_proves_an_active_full_before_autotrain() -> None:
    # Before 2024-04-19 every ACTIVE version was FULL or an UPDATE made on top of an ACTIVE FULL.
    versions = [version_fact(ACTIVE_UPDATE_VERSION_ARN, "ACTIVE", mode=None)]
    verdict = preflight(
        CSV, update(), solution=solution_fact(), versions=versions, ruleset="2019-10-14"
    )
    assert verdict.decision is Decision.ALLOW
    latest = preflight(CSV, update(), solution=solution_fact(), versions=versions)
    assert latest.missing == ("versions[0].trainingMode",)


def test_version_of_another_solution_never_counts_as_evidence() -> None:
    other = version_fact(f"{OTHER_SOLUTION_ARN}/3f9c2a7e", "ACTIVE", "FULL")
    verdict = preflight(CSV, update(), solution=solution_fact(), versions=[other])
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV504", "SV301"]
    ignored = the(verdict, "SV504")
    assert ignored.severity == "warning"
    assert ignored.path == "versions[0]"
    assert f"{OTHER_SOLUTION_ARN}/3f9c2a7e" in ignored.message


def test_version_of_a_solution_whose_name_extends_ours_is_not_evidence() -> None:
    longer = version_fact(f"{SOLUTION_ARN}-b/3f9c2a7e", "ACTIVE", "FULL")
    verdict = preflight(CSV, update(), solution=solution_fact(), versions=[longer])
    assert verdict.decision is Decision.DENY
    assert "SV504" in rule_ids(verdict)
    assert "SV301" in rule_ids(verdict)


def test_latest_version_of_another_solution_never_counts_as_evidence() -> None:
    solution = coldstart()
    solution["latestSolutionVersion"]["solutionVersionArn"] = f"{OTHER_SOLUTION_ARN}/3f9c2a7e"
    verdict = preflight(CSV, update(), solution=solution)
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("versions",)
    assert the(verdict, "SV504").path == "solution.latestSolutionVersion"


def test_full_training_needs_no_prior_version() -> None:
    verdict = preflight(CSV, {"solutionArn": SOLUTION_ARN}, solution=solution_fact(), versions=[])
    assert verdict.decision is Decision.ALLOW


# -- SV302: UPDATE needs a recipe that supports it ---------------------------------------


def test_update_with_sims_recipe_is_denied() -> None:
    solution = load("solution_active_sims")["solution"]
    verdict = preflight(
        CSV,
        update(SOLUTION_SIMS_ARN),
        solution=solution,
        versions=[solution["latestSolutionVersion"]],
    )
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV302"]
    finding = the(verdict, "SV302")
    assert finding.path == "trainingMode"
    assert finding.error_code == "InvalidInputException"
    assert SIMS in finding.message
    assert "aws-hrnn-coldstart" in finding.message


def test_update_with_user_personalization_is_denied_on_2020_08_23() -> None:
    solution = load("solution_active_user_personalization")
    verdict = preflight(CSV, update(SOLUTION_UP_ARN), solution=solution, ruleset="2020-08-23")
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV302"]
    finding = the(verdict, "SV302")
    assert USER_PERSONALIZATION in finding.message
    assert finding.hint is not None
    assert "2020-08-24" in finding.hint


def test_update_with_user_personalization_is_allowed_from_2020_08_24() -> None:
    solution = load("solution_active_user_personalization")
    verdict = preflight(CSV, update(SOLUTION_UP_ARN), solution=solution, ruleset="2020-08-24")
    assert verdict.decision is Decision.ALLOW
    assert verdict.findings == ()


def test_update_with_user_personalization_v2_is_denied_even_in_the_latest_ruleset() -> None:
    solution = solution_fact(recipe=USER_PERSONALIZATION_V2)
    versions = [version_fact(ACTIVE_FULL_VERSION_ARN, "ACTIVE", "FULL")]
    verdict = preflight(CSV, update(), solution=solution, versions=versions, ruleset="latest")
    assert verdict.decision is Decision.DENY
    assert USER_PERSONALIZATION_V2 in the(verdict, "SV302").message


def test_automl_solution_takes_its_recipe_from_the_best_recipe() -> None:
    solution = load("solution_automl")  # bestRecipeArn is aws-hrnn-coldstart, no recipeArn
    verdict = preflight(CSV, update(SOLUTION_AUTOML_ARN), solution=solution)
    assert verdict.decision is Decision.ALLOW


def test_automl_solution_with_an_unsupported_best_recipe_is_denied() -> None:
    solution = load("solution_automl")
    solution["solution"]["autoMLResult"]["bestRecipeArn"] = SIMS
    verdict = preflight(CSV, update(SOLUTION_AUTOML_ARN), solution=solution)
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV302")
    assert SIMS in finding.message
    assert "autoMLResult.bestRecipeArn" in finding.message


def test_automl_solution_without_a_result_is_unknown() -> None:
    solution = load("solution_automl")
    del solution["solution"]["autoMLResult"]
    verdict = preflight(CSV, update(SOLUTION_AUTOML_ARN), solution=solution)
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("solution.autoMLResult.bestRecipeArn",)


def test_solution_without_a_recipe_is_unknown_for_update() -> None:
    solution = coldstart()
    del solution["recipeArn"]
    verdict = preflight(CSV, update(), solution=solution)
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("solution.recipeArn",)


def test_full_training_with_any_recipe_is_allowed() -> None:
    solution = load("solution_active_sims")
    verdict = preflight(CSV, {"solutionArn": SOLUTION_SIMS_ARN}, solution=solution)
    assert verdict.decision is Decision.ALLOW


# -- SV303: UPDATE needs dataset changes (unconfirmed: a warning) ----------------------------


def test_update_without_imports_since_the_last_update_is_warned() -> None:
    # The newest ACTIVE FULL/UPDATE version (c47b9e15, 2019-11-25) is newer than every import.
    verdict = preflight(
        CSV,
        update(),
        solution=coldstart(),
        versions=coldstart_versions(),
        dataset_imports=load("dataset_imports"),
    )
    assert verdict.decision is Decision.ALLOW
    assert rule_ids(verdict) == ["SV303"]
    finding = the(verdict, "SV303")
    assert finding.severity == "warning"
    assert finding.error_code is None
    assert finding.path == "trainingMode"
    assert "c47b9e15" in finding.message


def test_update_after_a_newer_import_is_not_warned() -> None:
    versions = [
        v for v in coldstart_versions() if v["solutionVersionArn"] == ACTIVE_FULL_VERSION_ARN
    ]
    verdict = preflight(
        CSV,
        update(),
        solution=coldstart(),
        versions=versions,
        dataset_imports=load("dataset_imports"),
    )
    assert verdict.decision is Decision.ALLOW
    assert verdict.findings == ()


def test_update_with_only_older_imports_is_warned() -> None:
    versions = [
        v for v in coldstart_versions() if v["solutionVersionArn"] == ACTIVE_FULL_VERSION_ARN
    ]
    imports = load("dataset_imports")["datasetImportJobs"][1:]  # only the 2019-11-03 import
    verdict = preflight(
        CSV, update(), solution=coldstart(), versions=versions, dataset_imports=imports
    )
    assert verdict.decision is Decision.ALLOW
    assert "3f9c2a7e" in the(verdict, "SV303").message


def test_dataset_changes_are_not_checked_without_dataset_imports() -> None:
    verdict = preflight(CSV, update(), solution=coldstart(), versions=coldstart_versions())
    assert "SV303" not in rule_ids(verdict)


def test_dataset_imports_without_versions_never_make_a_verdict_unknown() -> None:
    verdict = preflight(
        CSV, update(), solution=coldstart(), dataset_imports=load("dataset_imports")
    )
    assert verdict.decision is Decision.ALLOW
    assert verdict.missing == ()


# -- SV401: another version in flight (unconfirmed: a warning) -------------------------------


def test_new_version_while_another_is_pending_is_warned() -> None:
    pending = load("version_create_pending")["solutionVersion"]
    verdict = preflight(
        CSV,
        {"solutionArn": SOLUTION_ARN},
        solution=coldstart(),
        versions=[pending, *coldstart_versions()],
    )
    assert verdict.decision is Decision.ALLOW
    assert rule_ids(verdict) == ["SV401"]
    finding = the(verdict, "SV401")
    assert finding.severity == "warning"
    assert finding.error_code is None
    assert finding.path == "solutionArn"
    assert "5b0e7d91" in finding.message
    assert "CREATE PENDING" in finding.message


def test_new_version_while_none_is_in_flight_is_not_warned() -> None:
    verdict = preflight(
        CSV, {"solutionArn": SOLUTION_ARN}, solution=coldstart(), versions=coldstart_versions()
    )
    assert "SV401" not in rule_ids(verdict)


def test_latest_version_in_flight_is_warned_without_the_list() -> None:
    solution = coldstart()
    solution["latestSolutionVersion"]["status"] = "CREATE IN_PROGRESS"
    verdict = preflight(CSV, {"solutionArn": SOLUTION_ARN}, solution=solution)
    assert verdict.decision is Decision.ALLOW
    assert "SV401" in rule_ids(verdict)


def test_in_flight_hint_mentions_stopping_only_once_stop_exists() -> None:
    versions = [version_fact(PENDING_VERSION_ARN, "CREATE PENDING")]
    old = preflight(
        CSV,
        {"solutionArn": SOLUTION_ARN},
        solution=solution_fact(),
        versions=versions,
        ruleset="2019-10-14",
    )
    new = preflight(
        CSV,
        {"solutionArn": SOLUTION_ARN},
        solution=solution_fact(),
        versions=versions,
        ruleset=STOP_RULESET,
    )
    assert "StopSolutionVersionCreation" not in (the(old, "SV401").hint or "")
    assert "StopSolutionVersionCreation" in (the(new, "SV401").hint or "")


# -- SV402: account quota ------------------------------------------------------------------


def _quota(in_flight: object, **kwargs: Any) -> Verdict:
    return preflight(
        CSV,
        {"solutionArn": SOLUTION_ARN},
        solution=coldstart(),
        versions=coldstart_versions(),
        account_in_flight=in_flight,
        ruleset=kwargs.pop("ruleset", QUOTA_RULESET),
        **kwargs,
    )


def test_19_in_flight_with_quota_20_is_allowed() -> None:
    verdict = _quota(19)
    assert verdict.decision is Decision.ALLOW
    assert verdict.findings == ()


def test_20_in_flight_with_quota_20_is_denied() -> None:
    verdict = _quota(20)
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV402"]
    finding = the(verdict, "SV402")
    assert finding.path == "account_in_flight"
    assert finding.error_code == "LimitExceededException"
    assert "20" in finding.message


def test_raised_quota_is_honoured() -> None:
    assert _quota(20, account_quota=25).decision is Decision.ALLOW
    assert _quota(24, account_quota=25).decision is Decision.ALLOW
    denied = _quota(25, account_quota=25)
    assert denied.decision is Decision.DENY
    assert "25" in the(denied, "SV402").message


def test_quota_is_not_checked_without_account_in_flight() -> None:
    verdict = _quota(None)
    assert verdict.decision is Decision.ALLOW
    assert verdict.missing == ()


@pytest.mark.parametrize(
    ("in_flight", "quota", "path"),
    [
        ("3", 20, "account_in_flight"),
        (True, 20, "account_in_flight"),
        (-1, 20, "account_in_flight"),
        (3, 0, "account_quota"),
        (3, "20", "account_quota"),
    ],
)
def test_malformed_quota_facts_are_ignored_with_a_warning(
    in_flight: object, quota: object, path: str
) -> None:
    verdict = _quota(in_flight, account_quota=quota)
    assert verdict.decision is Decision.ALLOW
    finding = the(verdict, "SV505")
    assert finding.severity == "warning"
    assert finding.path == path


def test_huge_account_in_flight_is_denied_with_a_short_message() -> None:
    # str() of an int over 4300 digits raises ValueError: the message must not format it raw.
    verdict = _quota(10**5000)
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV402")
    assert len(finding.message) < 400


# -- SV502 / SV503 / SV504 / SV505: reading the facts --------------------------------------


def test_unknown_status_of_the_campaign_target_is_unknown_not_denied() -> None:
    versions = [version_fact(ACTIVE_FULL_VERSION_ARN, "TRAINING")]
    verdict = preflight(CC, campaign(), versions=versions)
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("versions[0].status",)
    finding = the(verdict, "SV502")
    assert finding.severity == "warning"
    assert finding.error_code is None
    assert "'TRAINING'" in finding.message


def test_unknown_status_that_cannot_change_the_decision_allows() -> None:
    versions = [
        version_fact(ACTIVE_FULL_VERSION_ARN, "ACTIVE"),
        version_fact(FAILED_UPDATE_VERSION_ARN, "TRAINING", "UPDATE"),
    ]
    verdict = preflight(CSV, update(), solution=solution_fact(), versions=versions)
    assert verdict.decision is Decision.ALLOW
    assert rule_ids(verdict) == ["SV502"]


def test_non_string_status_is_reported_as_unknown() -> None:
    versions = [version_fact(ACTIVE_FULL_VERSION_ARN, 3)]  # type: ignore[arg-type]
    verdict = preflight(CC, campaign(), versions=versions)
    assert verdict.decision is Decision.UNKNOWN
    assert the(verdict, "SV502").path == "versions[0].status"


def test_underscore_status_is_normalised_with_an_info_finding() -> None:
    verdict = preflight(
        CSV,
        {"solutionArn": SOLUTION_ARN},
        solution=coldstart(),
        versions=load("version_summary_underscore_status"),
    )
    assert verdict.decision is Decision.ALLOW
    assert rule_ids(verdict) == ["SV503", "SV401"]
    info = the(verdict, "SV503")
    assert info.severity == "info"
    assert info.error_code is None
    assert info.path == "versions[0].status"
    assert "'CREATE_PENDING'" in info.message
    assert "CREATE PENDING" in info.message
    assert "CREATE PENDING" in the(verdict, "SV401").message


def test_underscore_status_counts_as_in_flight_for_delete_solution() -> None:
    verdict = preflight(
        DS,
        {"solutionArn": SOLUTION_ARN},
        versions=load("version_summary_underscore_status"),
        campaigns=[],
    )
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV503", "SV901"]


def test_underscore_solution_status_is_normalised() -> None:
    solution = solution_fact(status="CREATE_FAILED")
    verdict = preflight(CSV, {"solutionArn": SOLUTION_ARN}, solution=solution)
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV503", "SV201"]
    assert the(verdict, "SV503").path == "solution.status"


def test_solution_of_another_arn_is_ignored() -> None:
    verdict = preflight(
        CSV, {"solutionArn": SOLUTION_ARN}, solution=load("solution_active_sims"), versions=[]
    )
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("solution",)
    finding = the(verdict, "SV504")
    assert finding.severity == "warning"
    assert finding.path == "solution.solutionArn"
    assert SOLUTION_SIMS_ARN in finding.message


def test_in_flight_version_of_another_solution_does_not_block_delete() -> None:
    versions = [version_fact(f"{OTHER_SOLUTION_ARN}/0a1b2c3d", "CREATE IN_PROGRESS")]
    verdict = preflight(DS, {"solutionArn": SOLUTION_ARN}, versions=versions, campaigns=[])
    assert verdict.decision is Decision.ALLOW
    assert rule_ids(verdict) == ["SV504"]


@pytest.mark.parametrize(
    ("kwargs", "path", "missing"),
    [
        ({"solution": "nope"}, "solution", ("solution",)),
        ({"solution": ["nope"]}, "solution", ("solution",)),
        ({"versions": "nope"}, "versions", ()),
        ({"versions": {"solutionVersionArn": ACTIVE_FULL_VERSION_ARN}}, "versions", ()),
        ({"versions": [1]}, "versions[0]", ()),
    ],
)
def test_facts_not_in_boto3_shape_are_ignored_with_a_warning(
    kwargs: dict[str, Any], path: str, missing: tuple[str, ...]
) -> None:
    kwargs = {"solution": coldstart(), **kwargs}
    verdict = preflight(CSV, {"solutionArn": SOLUTION_ARN}, **kwargs)
    assert verdict.decision is (Decision.UNKNOWN if missing else Decision.ALLOW)
    assert verdict.missing == missing
    finding = the(verdict, "SV505")
    assert finding.severity == "warning"
    assert finding.error_code is None
    assert finding.path == path


def test_unreadable_version_item_never_denies_update_by_itself() -> None:
    # The item has no ARN, so svstate cannot tell whose it is; it may be the ACTIVE FULL version.
    versions = [{"status": "ACTIVE", "trainingMode": "FULL"}]
    verdict = preflight(CSV, update(), solution=solution_fact(), versions=versions)
    assert "SV505" in rule_ids(verdict)
    assert verdict.decision is Decision.UNKNOWN, str(verdict)


def test_whole_describe_responses_as_version_items_never_deny_a_campaign() -> None:
    # A common slip: versions=[client.describe_solution_version(...)] without ["solutionVersion"].
    verdict = preflight(CC, campaign(), versions=[load("version_active_full")])
    assert verdict.decision is not Decision.DENY, str(verdict)


def test_campaigns_not_in_boto3_shape_make_delete_unknown() -> None:
    verdict = preflight(
        DS, {"solutionArn": SOLUTION_ARN}, versions=coldstart_versions(), campaigns="nope"
    )
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("campaigns",)
    finding = the(verdict, "SV505")
    assert finding.path == "campaigns"
    assert "'nope'" in finding.message


# -- SV701: CreateCampaign needs an ACTIVE version ---------------------------------------


def test_campaign_on_an_active_version_is_allowed() -> None:
    verdict = preflight(CC, campaign(), versions=coldstart_versions())
    assert verdict.decision is Decision.ALLOW
    assert verdict.findings == ()


def test_campaign_on_a_failed_version_is_denied() -> None:
    verdict = preflight(CC, campaign(FAILED_UPDATE_VERSION_ARN), versions=coldstart_versions())
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV701"]
    finding = the(verdict, "SV701")
    assert finding.path == "solutionVersionArn"
    assert finding.error_code == "InvalidInputException"
    assert "8a1d4e02" in finding.message
    assert "CREATE FAILED" in finding.message
    assert finding.hint is not None
    assert "never" in finding.hint


def test_campaign_on_a_version_in_progress_is_denied() -> None:
    versions = [load("version_create_in_progress")["solutionVersion"]]
    verdict = preflight(CC, campaign(IN_PROGRESS_VERSION_ARN), versions=versions)
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV701")
    assert "CREATE IN_PROGRESS" in finding.message
    assert finding.hint is not None
    assert "Wait" in finding.hint


def test_campaign_on_a_version_missing_from_the_complete_list_is_not_found() -> None:
    arn = f"{SOLUTION_ARN}/deadbeef"
    verdict = preflight(CC, campaign(arn), versions=coldstart_versions())
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV701")
    assert finding.error_code == "ResourceNotFoundException"
    assert "deadbeef" in finding.message


def test_campaign_without_versions_is_unknown() -> None:
    verdict = preflight(CC, campaign())
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("versions",)


def test_campaign_on_the_solutions_latest_active_version_needs_no_list() -> None:
    verdict = preflight(CC, campaign(), solution=coldstart())
    assert verdict.decision is Decision.ALLOW


def test_campaign_on_latest_with_no_active_version_is_denied() -> None:
    versions = [version_fact(FAILED_UPDATE_VERSION_ARN, "CREATE FAILED", "UPDATE")]
    verdict = preflight(
        CC, campaign(f"{SOLUTION_ARN}/$LATEST"), versions=versions, ruleset=AUTOTRAIN_RULESET
    )
    assert verdict.decision is Decision.DENY
    assert the(verdict, "SV701").path == "solutionVersionArn"


def test_campaign_on_latest_without_facts_is_unknown() -> None:
    verdict = preflight(CC, campaign(f"{SOLUTION_ARN}/$LATEST"), ruleset=AUTOTRAIN_RULESET)
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("versions",)


# -- SV801: StopSolutionVersionCreation ------------------------------------------------------


def test_stop_is_denied_on_2021_05_19() -> None:
    pending = load("version_create_pending")["solutionVersion"]
    verdict = preflight(
        STOP, {"solutionVersionArn": PENDING_VERSION_ARN}, versions=[pending], ruleset="2021-05-19"
    )
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV801"]
    finding = the(verdict, "SV801")
    assert "2021-05-19" in finding.message
    assert "2021-05-20" in finding.message


@pytest.mark.parametrize(
    ("name", "arn"),
    [
        ("version_create_pending", PENDING_VERSION_ARN),
        ("version_create_in_progress", IN_PROGRESS_VERSION_ARN),
    ],
)
def test_stop_of_a_version_in_flight_is_allowed_from_2021_05_20(name: str, arn: str) -> None:
    versions = [load(name)["solutionVersion"]]
    verdict = preflight(STOP, {"solutionVersionArn": arn}, versions=versions, ruleset=STOP_RULESET)
    assert verdict.decision is Decision.ALLOW
    assert verdict.findings == ()


def test_stop_of_an_active_version_is_denied() -> None:
    verdict = preflight(
        STOP,
        {"solutionVersionArn": ACTIVE_FULL_VERSION_ARN},
        versions=coldstart_versions(),
        ruleset=STOP_RULESET,
    )
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV801")
    assert finding.path == "solutionVersionArn"
    assert finding.error_code == "InvalidInputException"
    assert "3f9c2a7e" in finding.message
    assert "ACTIVE" in finding.message


def test_stop_of_a_stopping_version_is_denied_with_a_hint() -> None:
    versions = [load("version_create_stopping")["solutionVersion"]]
    verdict = preflight(
        STOP, {"solutionVersionArn": STOPPING_VERSION_ARN}, versions=versions, ruleset=STOP_RULESET
    )
    assert verdict.decision is Decision.DENY
    finding = the(verdict, "SV801")
    assert "CREATE STOPPING" in finding.message
    assert finding.hint is not None
    assert "CREATE STOPPED" in finding.hint


def test_stop_without_versions_is_unknown() -> None:
    verdict = preflight(STOP, {"solutionVersionArn": PENDING_VERSION_ARN}, ruleset=STOP_RULESET)
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("versions",)


def test_stop_of_a_version_with_unknown_status_is_unknown() -> None:
    versions = [version_fact(PENDING_VERSION_ARN, "QUEUED")]
    verdict = preflight(
        STOP, {"solutionVersionArn": PENDING_VERSION_ARN}, versions=versions, ruleset=STOP_RULESET
    )
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("versions[0].status",)


# -- SV901 / SV902: DeleteSolution ------------------------------------------------------


def test_delete_while_a_version_is_in_progress_is_denied() -> None:
    versions = [load("version_create_in_progress")["solutionVersion"], *coldstart_versions()]
    verdict = preflight(DS, {"solutionArn": SOLUTION_ARN}, versions=versions, campaigns=[])
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV901"]
    finding = the(verdict, "SV901")
    assert finding.path == "solutionArn"
    assert finding.error_code == "ResourceInUseException"
    assert "d21f6a38" in finding.message
    assert "CREATE IN_PROGRESS" in finding.message


def test_delete_with_only_settled_versions_is_allowed() -> None:
    verdict = preflight(
        DS, {"solutionArn": SOLUTION_ARN}, versions=coldstart_versions(), campaigns=[]
    )
    assert verdict.decision is Decision.ALLOW
    assert verdict.findings == ()


def test_delete_names_at_most_three_busy_versions_and_counts_the_rest() -> None:
    versions = [version_fact(f"{SOLUTION_ARN}/0000000{i}", "CREATE PENDING") for i in range(5)]
    verdict = preflight(DS, {"solutionArn": SOLUTION_ARN}, versions=versions, campaigns=[])
    message = the(verdict, "SV901").message
    assert "5 versions" in message
    assert "00000002" in message
    assert "00000003" not in message
    assert "2 more" in message


def test_delete_without_versions_is_unknown() -> None:
    verdict = preflight(DS, {"solutionArn": SOLUTION_ARN}, solution=coldstart(), campaigns=[])
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("versions",)


def test_delete_while_latest_version_is_in_flight_is_denied_without_the_list() -> None:
    solution = coldstart()
    solution["latestSolutionVersion"]["status"] = "CREATE PENDING"
    verdict = preflight(DS, {"solutionArn": SOLUTION_ARN}, solution=solution, campaigns=[])
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV901"]


def test_delete_with_an_unknown_version_status_is_unknown_not_denied() -> None:
    versions = [version_fact(ACTIVE_FULL_VERSION_ARN, "TRAINING")]
    verdict = preflight(DS, {"solutionArn": SOLUTION_ARN}, versions=versions, campaigns=[])
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("versions[0].status",)


def test_delete_with_an_unknown_status_and_a_busy_version_is_denied() -> None:
    versions = [
        version_fact(ACTIVE_FULL_VERSION_ARN, "TRAINING"),
        version_fact(PENDING_VERSION_ARN, "CREATE PENDING"),
    ]
    verdict = preflight(DS, {"solutionArn": SOLUTION_ARN}, versions=versions, campaigns=[])
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV502", "SV901"]


def test_delete_with_an_active_campaign_is_denied() -> None:
    verdict = preflight(
        DS,
        {"solutionArn": SOLUTION_ARN},
        versions=coldstart_versions(),
        campaigns=load("campaigns_active"),
    )
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV902"]
    finding = the(verdict, "SV902")
    assert finding.path == "campaigns"
    assert finding.error_code == "ResourceInUseException"
    assert CAMPAIGN_ARN in finding.message
    assert "ACTIVE" in finding.message


def test_delete_with_a_campaign_being_deleted_is_allowed() -> None:
    verdict = preflight(
        DS,
        {"solutionArn": SOLUTION_ARN},
        versions=coldstart_versions(),
        campaigns=load("campaigns_deleting"),
    )
    assert verdict.decision is Decision.ALLOW


def test_delete_without_campaigns_is_unknown() -> None:
    verdict = preflight(DS, {"solutionArn": SOLUTION_ARN}, versions=coldstart_versions())
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("campaigns",)


def test_delete_without_any_facts_names_both_missing_facts() -> None:
    verdict = preflight(DS, {"solutionArn": SOLUTION_ARN})
    assert verdict.decision is Decision.UNKNOWN
    assert set(verdict.missing) == {"versions", "campaigns"}


def test_delete_with_a_campaign_of_unknown_status_is_unknown() -> None:
    campaigns = [{"campaignArn": CAMPAIGN_ARN, "status": "PAUSED"}]
    verdict = preflight(
        DS, {"solutionArn": SOLUTION_ARN}, versions=coldstart_versions(), campaigns=campaigns
    )
    assert verdict.decision is Decision.UNKNOWN
    assert verdict.missing == ("campaigns[0].status",)
    assert the(verdict, "SV502").path == "campaigns[0].status"


# -- every finding at once ----------------------------------------------------------------


def test_three_separate_problems_give_three_findings() -> None:
    params = {"solutionArn": "not-an-arn", "trainingMode": "FUL", "nmae": "v2"}
    verdict = preflight(CSV, params)
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV102", "SV104", "SV105"]
    assert [f.path for f in verdict.findings] == ["solutionArn", "trainingMode", "nmae"]


def test_shape_and_precondition_problems_are_reported_together() -> None:
    params = {"solutionArn": SOLUTION_NEW_ARN, "trainingMode": "UPDATE", "name": "v2"}
    verdict = preflight(
        CSV,
        params,
        solution=load("solution_create_in_progress"),
        versions=[],
        ruleset="2022-11-16",
    )
    assert verdict.decision is Decision.DENY
    assert set(rule_ids(verdict)) == {"SV105", "SV201", "SV301"}
    assert len(verdict.findings) == 3


def test_delete_reports_busy_versions_and_live_campaigns_together() -> None:
    versions = [version_fact(PENDING_VERSION_ARN, "CREATE PENDING")]
    verdict = preflight(
        DS, {"solutionArn": SOLUTION_ARN}, versions=versions, campaigns=load("campaigns_active")
    )
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV901", "SV902"]


def test_every_error_of_a_nested_request_is_reported() -> None:
    params = {
        "solutionArn": SOLUTION_ARN,
        "name": "n" * 64,
        "tags": [{"tagKey": "", "tagValue": "v"}, {"tagKey": "k", "tagValue": "v" * 257}],
    }
    verdict = preflight(CSV, params, solution=coldstart(), ruleset=NAME_RULESET)
    assert verdict.decision is Decision.DENY
    assert rule_ids(verdict) == ["SV106", "SV106", "SV106"]
    assert {f.path for f in verdict.findings} == {"name", "tags[0].tagKey", "tags[1].tagValue"}


# -- operations and rulesets ----------------------------------------------------------------


def _no_facts() -> dict[str, Any]:
    return {}


def _coldstart_solution() -> dict[str, Any]:
    return {"solution": coldstart()}


def _coldstart_versions() -> dict[str, Any]:
    return {"versions": coldstart_versions()}


def _stop_facts() -> dict[str, Any]:
    return {"versions": coldstart_versions(), "ruleset": STOP_RULESET}


@pytest.mark.parametrize(
    ("api", "boto3", "params", "facts"),
    [
        (CSV, "create_solution_version", update(), _coldstart_solution),
        (CC, "create_campaign", campaign(), _coldstart_versions),
        (DS, "delete_solution", {"solutionArn": SOLUTION_ARN}, _no_facts),
        (
            STOP,
            "stop_solution_version_creation",
            {"solutionVersionArn": ACTIVE_FULL_VERSION_ARN},
            _stop_facts,
        ),
    ],
)
def test_boto3_operation_names_give_the_same_verdict(
    api: str, boto3: str, params: dict[str, Any], facts: Any
) -> None:
    by_api = preflight(api, params, **facts())
    by_boto3 = preflight(boto3, params, **facts())
    assert by_boto3 == by_api
    assert by_boto3.operation == api


@pytest.mark.parametrize(
    "operation",
    [
        "CreateRecommender",
        "DescribeSolution",
        "createSolutionVersion",
        "create_solution_versions",
        "CREATE_SOLUTION_VERSION",
        "",
        None,
        5,
        b"CreateSolutionVersion",
        ["CreateSolutionVersion"],
    ],
)
def test_unmodelled_operation_raises_unsupported_operation(operation: object) -> None:
    with pytest.raises(svstate.UnsupportedOperation, match="does not model operation") as info:
        preflight(operation, {"solutionArn": SOLUTION_ARN})  # type: ignore[arg-type]
    assert isinstance(info.value, svstate.SvstateError)
    assert isinstance(info.value, ValueError)
    assert "CreateSolutionVersion" in str(info.value)


def test_read_operation_is_never_corrected_to_a_destructive_one() -> None:
    with pytest.raises(svstate.UnsupportedOperation) as info:
        preflight("DescribeSolution", {"solutionArn": SOLUTION_ARN})
    assert "Did you mean 'DeleteSolution'" not in str(info.value)


def test_near_miss_operation_gets_a_did_you_mean() -> None:
    with pytest.raises(svstate.UnsupportedOperation, match="Did you mean 'CreateSolutionVersion'"):
        preflight("create_solution_versions", {})


@pytest.mark.parametrize(
    "ruleset",
    [
        None,
        20191014,
        2019.1,
        True,
        b"2019-10-14",
        ["2019-10-14"],
        "2019-06-09",
        "2018-01-01",
        "0001-01-01",
        "2019-02-30",
        "2019-13-01",
        "2019-6-10",
        " 2019-10-14",
        "2019-10-14T00:00",
        "LATEST",
        "newest",
        "",
        dt.date(2019, 6, 9),
        dt.datetime(2019, 6, 9, 23, 59),
    ],
)
def test_bad_ruleset_raises_unknown_ruleset(ruleset: object) -> None:
    with pytest.raises(svstate.UnknownRuleset, match="ruleset") as info:
        preflight(DS, {"solutionArn": SOLUTION_ARN}, ruleset=ruleset)
    assert isinstance(info.value, svstate.SvstateError)


def test_ruleset_before_general_availability_says_so() -> None:
    with pytest.raises(svstate.UnknownRuleset, match="2019-06-10"):
        preflight(DS, {"solutionArn": SOLUTION_ARN}, ruleset="2019-06-09")


def test_impossible_calendar_date_says_so() -> None:
    with pytest.raises(svstate.UnknownRuleset, match="2019-02-30"):
        preflight(DS, {"solutionArn": SOLUTION_ARN}, ruleset="2019-02-30")


@pytest.mark.parametrize(
    ("ruleset", "name"),
    [
        ("2019-06-10", "2019-06-10"),
        (dt.date(2019, 6, 10), "2019-06-10"),
        (dt.date(2021, 5, 20), "2021-05-20"),
        (dt.datetime(2021, 5, 20, 15, 30), "2021-05-20"),
        ("2030-01-01", "2030-01-01"),
    ],
)
def test_dates_are_accepted_as_rulesets(ruleset: object, name: str) -> None:
    verdict = preflight(DS, {"solutionArn": SOLUTION_ARN}, ruleset=ruleset)
    assert verdict.ruleset == name


def test_date_object_and_iso_string_give_the_same_verdict() -> None:
    params = {"solutionVersionArn": ACTIVE_FULL_VERSION_ARN}
    by_date = preflight(STOP, params, versions=coldstart_versions(), ruleset=dt.date(2021, 5, 20))
    by_text = preflight(STOP, params, versions=coldstart_versions(), ruleset="2021-05-20")
    assert by_date == by_text


def test_latest_ruleset_is_the_newest_change_date() -> None:
    verdict = preflight(DS, {"solutionArn": SOLUTION_ARN}, ruleset="latest")
    assert verdict.ruleset == svstate.Ruleset.parse("latest").name
    assert verdict.ruleset >= "2024-04-19"
    dt.date.fromisoformat(verdict.ruleset)


LATEST = svstate.Ruleset.parse("latest").name


def test_default_ruleset_is_latest_and_the_verdict_names_its_date() -> None:
    assert preflight(DS, {"solutionArn": SOLUTION_ARN}).ruleset == LATEST
    assert max(c.date for c in API_CHANGES).isoformat() == LATEST


# -- the Verdict ------------------------------------------------------------------------------


def _verdicts() -> dict[str, Verdict]:
    return {
        "allow": preflight(CSV, update(), solution=coldstart(), versions=coldstart_versions()),
        "deny": preflight(CSV, {"solutionArn": "not-an-arn", "trainingMode": "FUL", "nmae": 1}),
        "unknown": preflight(CSV, update()),
        "warned": preflight(
            CSV,
            {"solutionArn": SOLUTION_ARN},
            solution=coldstart(),
            versions=load("version_summary_underscore_status"),
        ),
    }


@pytest.mark.parametrize("which", ["allow", "deny", "unknown", "warned"])
def test_verdict_to_dict_round_trips_through_json(which: str) -> None:
    verdict = _verdicts()[which]
    as_dict = verdict.to_dict()
    assert json.loads(json.dumps(as_dict)) == as_dict
    assert as_dict["decision"] == verdict.decision.value
    assert as_dict["operation"] == CSV
    assert as_dict["ruleset"] == verdict.ruleset
    assert as_dict["missing"] == list(verdict.missing)
    assert len(as_dict["findings"]) == len(verdict.findings)
    for f, d in zip(verdict.findings, as_dict["findings"], strict=True):
        assert d == {
            "rule": f.rule,
            "severity": str(f.severity),
            "message": f.message,
            "path": f.path,
            "error_code": f.error_code,
            "hint": f.hint,
        }
        assert d["severity"] in {"error", "warning", "info"}


def test_bool_of_a_verdict_is_true_only_for_allow() -> None:
    verdicts = _verdicts()
    assert bool(verdicts["allow"]) is True
    assert bool(verdicts["warned"]) is True
    assert bool(verdicts["deny"]) is False
    assert bool(verdicts["unknown"]) is False


def test_str_of_a_denial_is_a_head_line_then_one_line_per_finding() -> None:
    verdict = _verdicts()["deny"]
    lines = str(verdict).splitlines()
    assert lines[0] == f"DENY CreateSolutionVersion (ruleset {LATEST})"
    assert len(lines) == 1 + len(verdict.findings)
    for line, finding in zip(lines[1:], verdict.findings, strict=True):
        assert line.startswith(f"  error {finding.rule} {finding.path}: ")
        assert finding.message in line


def test_str_of_an_unknown_verdict_names_the_missing_facts() -> None:
    lines = str(_verdicts()["unknown"]).splitlines()
    assert lines[0].startswith(f"UNKNOWN CreateSolutionVersion (ruleset {LATEST})")
    assert "missing: " in lines[0]
    assert "solution" in lines[0]
    assert "versions" in lines[0]


def test_str_of_an_allowed_verdict_without_findings_is_one_line() -> None:
    assert str(_verdicts()["allow"]) == f"ALLOW CreateSolutionVersion (ruleset {LATEST})"


def test_raise_if_denied_raises_preflight_denied_with_the_verdict() -> None:
    verdict = _verdicts()["deny"]
    with pytest.raises(svstate.PreflightDenied) as info:
        verdict.raise_if_denied()
    assert info.value.verdict is verdict
    assert isinstance(info.value, svstate.SvstateError)
    assert "'FUL'" in str(info.value)


@pytest.mark.parametrize("which", ["allow", "unknown", "warned"])
def test_raise_if_denied_returns_the_verdict_otherwise(which: str) -> None:
    verdict = _verdicts()[which]
    assert verdict.raise_if_denied() is verdict


def test_verdict_and_findings_are_immutable() -> None:
    verdict = _verdicts()["deny"]
    with pytest.raises(AttributeError):
        verdict.decision = Decision.ALLOW  # type: ignore[misc]
    with pytest.raises(AttributeError):
        verdict.findings[0].rule = "SV999"  # type: ignore[misc]
    assert isinstance(verdict.findings, tuple)
    assert isinstance(verdict.missing, tuple)


def test_allow_and_deny_verdicts_have_no_missing_facts() -> None:
    verdicts = _verdicts()
    assert verdicts["allow"].missing == ()
    assert verdicts["deny"].missing == ()
    # A denial wins over missing facts: the solution is unknown, but the request is malformed.
    verdict = preflight(CSV, {"solutionArn": SOLUTION_ARN, "trainingMode": "FUL"})
    assert verdict.decision is Decision.DENY
    assert verdict.missing == ()


def test_deleting_a_solution_already_being_deleted_warns_and_does_not_deny() -> None:
    sol = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
    for status in ("DELETE PENDING", "DELETE IN_PROGRESS"):
        verdict = svstate.preflight(
            "DeleteSolution",
            {"solutionArn": sol},
            solution={"solutionArn": sol, "status": status},
            versions=[],
            campaigns=[],
        )
        assert verdict.decision is svstate.Decision.ALLOW
        assert [f.rule for f in verdict.findings] == ["SV903"]
        assert status in verdict.findings[0].message
    active = svstate.preflight(
        "DeleteSolution",
        {"solutionArn": sol},
        solution={"solutionArn": sol, "status": "ACTIVE"},
        versions=[],
        campaigns=[],
    )
    assert "SV903" not in [f.rule for f in active.findings]
