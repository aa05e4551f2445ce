"""svstate.testing.strategies: each strategy keeps the promise its docstring makes.

Contract: design.md, "For users' own tests: svstate.testing", and the issue:
ARNs of each resource kind; request dicts for each modelled operation, valid
(no request-shape finding from ``svstate.preflight``) or invalid (at least
one); Solution and SolutionVersion dicts in any status that pass
``svstate.validate``; histories that replay cleanly into a ``Tracker``, or
that hold exactly one illegal step, where they say. Contradictory narrowing
arguments raise an ``svstate.SvstateError`` when the strategy function is
called, never while drawing.

Every promise is checked by svstate's own public judges (``preflight``,
``validate``, ``Tracker``) and, for valid requests, by botocore's client-side
``ParamValidator`` too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

import svstate
from svstate import Decision, Status
from svstate._arn import arn_kind, arn_matches
from svstate.testing import strategies as sst

HRNN_COLDSTART = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
USER_PERSONALIZATION = "arn:aws:personalize:::recipe/aws-user-personalization"
SIMS = "arn:aws:personalize:::recipe/aws-sims"
MOVIES = "arn:aws:personalize:eu-west-1:111122223333:solution/movies"

RULESETS = (
    "2019-06-10",
    "2019-09-17",
    "2019-10-14",
    "2020-03-18",
    "2020-08-24",
    "2021-05-20",
    "2021-07-21",
    "2022-04-07",
    "2022-11-17",
    "2024-04-19",
    "latest",
)
STOP_RULESETS = tuple(r for r in RULESETS if svstate.Ruleset.parse(r).has_stop)
OPERATIONS = (
    "CreateSolutionVersion",
    "StopSolutionVersionCreation",
    "CreateCampaign",
    "DeleteSolution",
)
SHAPE_RULES = {"SV101", "SV102", "SV103", "SV104", "SV105", "SV106", "SV605", "SV606", "SV607"}
REQUEST_RULES = {"SV101", "SV102", "SV103", "SV104", "SV105", "SV106", "SV607"}
VERSION_STATUSES = ("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE", "CREATE FAILED")
STOP_STATUSES = ("CREATE STOPPING", "CREATE STOPPED")
SOLUTION_STATUSES = (*VERSION_STATUSES, "DELETE PENDING", "DELETE IN_PROGRESS")

MODEL = botocore.session.get_session().get_service_model("personalize")
SOME = settings(max_examples=60, deadline=None)
# For find(): the first example that shows a feature, unshrunk (shrinking a history is slow).
FIND = settings(database=None, max_examples=2000, deadline=None, phases=[Phase.generate])
MANY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


SEED = "2019-10-14"  # the seed's API, where most of these examples were first written


def rulesets_for(operation: str) -> tuple[str, ...]:
    return STOP_RULESETS if operation == "StopSolutionVersionCreation" else RULESETS


def shape_findings(operation: str, params: Any, ruleset: str) -> list[svstate.Finding]:
    verdict = svstate.preflight(operation, params, ruleset=ruleset)
    return [f for f in verdict.findings if f.rule in SHAPE_RULES]


def botocore_errors(operation: str, params: dict[str, Any]) -> str:
    shape = MODEL.operation_model(operation).input_shape
    report = ParamValidator().validate(params, shape)
    return report.generate_report() if report.has_errors() else ""


# == ARNs =========================================================================================


@SOME
@given(sst.solution_arns())
def test_solution_arns_name_solutions_and_pass_the_request_checks(arn: str) -> None:
    assert arn_matches(arn)
    assert arn_kind(arn) == "solution"
    assert not shape_findings("DeleteSolution", {"solutionArn": arn}, "2019-10-14")


@SOME
@given(
    sst.solution_arns(region="eu-west-1", account="111122223333", names=st.just("movies")),
    sst.solution_arns(region=st.sampled_from(["us-west-2", "ap-south-1"]), names="books"),
)
def test_solution_arns_keep_every_narrowing(fixed: str, narrowed: str) -> None:
    assert fixed == MOVIES
    _, _, _, region, account, resource = narrowed.split(":")
    assert region in ("us-west-2", "ap-south-1")
    assert len(account) == 12
    assert account.isdigit()
    assert resource == "solution/books"


@SOME
@given(sst.solution_version_arns(solution_arns=MOVIES), sst.solution_version_arns())
def test_solution_version_arns_lie_under_their_solution(under_movies: str, any_arn: str) -> None:
    assert under_movies.startswith(MOVIES + "/")
    for arn in (under_movies, any_arn):
        assert arn_kind(arn) == "solution version"
        assert len(arn.rpartition("/")[2]) == 8
        assert not shape_findings(
            "StopSolutionVersionCreation", {"solutionVersionArn": arn}, "2021-05-20"
        )


@SOME
@given(sst.solution_version_arns(solution_arns=sst.solution_arns(names="x"), ids="v1"))
def test_solution_version_arns_take_fixed_ids(arn: str) -> None:
    assert arn.endswith(":solution/x/v1")


@SOME
@given(sst.campaign_arns(), sst.dataset_group_arns(account="123456789012"))
def test_campaign_and_dataset_group_arns_name_their_kind(campaign: str, group: str) -> None:
    assert arn_kind(campaign) == "campaign"
    assert arn_kind(group) == "dataset-group"
    assert ":123456789012:dataset-group/" in group


@pytest.mark.parametrize("ruleset", ["2019-10-14", "2020-08-24", "latest"])
@pytest.mark.parametrize("supports_update", [True, False])
def test_recipe_arns_that_support_update_pass_sv302_and_the_others_break_it(
    ruleset: str, supports_update: bool
) -> None:
    update_recipes = svstate.Ruleset.parse(ruleset).update_recipes

    @settings(max_examples=30, deadline=None)
    @given(sst.recipe_arns(ruleset=ruleset, supports_update=supports_update))
    def check(recipe: str) -> None:
        assert arn_kind(recipe) == "recipe"
        assert (recipe in update_recipes) is supports_update
        verdict = svstate.preflight(
            "CreateSolutionVersion",
            {"solutionArn": MOVIES, "trainingMode": "UPDATE"},
            solution={"solutionArn": MOVIES, "status": "ACTIVE", "recipeArn": recipe},
            versions=[
                {
                    "solutionVersionArn": f"{MOVIES}/0a1b2c3d",
                    "status": "ACTIVE",
                    "trainingMode": "FULL",
                }
            ],
            ruleset=ruleset,
        )
        assert ("SV302" in {f.rule for f in verdict.findings}) is not supports_update

    check()


def test_recipe_arns_without_narrowing_draw_every_known_recipe() -> None:
    seen = find(
        st.lists(sst.recipe_arns(), min_size=40),
        lambda recipes: {HRNN_COLDSTART, USER_PERSONALIZATION, SIMS} <= set(recipes),
        settings=FIND,
    )
    assert HRNN_COLDSTART in seen


# == requests =====================================================================================


@pytest.mark.parametrize("operation", OPERATIONS)
def test_valid_requests_have_no_request_shape_finding_in_any_ruleset(operation: str) -> None:
    cases = st.sampled_from(rulesets_for(operation)).flatmap(
        lambda r: st.tuples(st.just(r), sst.requests(operation, ruleset=r))
    )

    @MANY
    @given(cases)
    def check(case: tuple[str, dict[str, Any]]) -> None:
        ruleset, params = case
        assert shape_findings(operation, params, ruleset) == []
        verdict = svstate.preflight(operation, params, ruleset=ruleset)
        assert not [f for f in verdict.findings if f.rule.startswith(("SV1", "SV6"))]

    check()


@pytest.mark.parametrize("operation", OPERATIONS)
def test_valid_requests_pass_botocores_own_validation(operation: str) -> None:
    @SOME
    @given(sst.requests(operation, ruleset="latest"))
    def check(params: dict[str, Any]) -> None:
        assert botocore_errors(operation, params) == ""

    check()


def test_valid_requests_carry_only_the_members_of_their_ruleset() -> None:
    @SOME
    @given(sst.requests("CreateSolutionVersion", ruleset="2019-06-10"))
    def before_training_mode(params: dict[str, Any]) -> None:
        assert set(params) == {"solutionArn"}

    @SOME
    @given(sst.requests("CreateCampaign", ruleset="2020-01-01"))
    def tps_required(params: dict[str, Any]) -> None:
        assert {"name", "solutionVersionArn", "minProvisionedTPS"} <= set(params)
        assert "campaignConfig" not in params
        assert "tags" not in params

    before_training_mode()
    tps_required()


def test_valid_requests_draw_every_optional_member_sometimes() -> None:
    full = find(
        sst.requests("CreateSolutionVersion", ruleset="latest"),
        lambda p: {"trainingMode", "tags", "name"} <= set(p) and p["trainingMode"] == "UPDATE",
        settings=FIND,
    )
    assert full["trainingMode"] == "UPDATE"
    synced = find(
        sst.requests("CreateCampaign", ruleset="latest"),
        lambda p: p.get("campaignConfig", {}).get("syncWithLatestSolutionVersion") is True,
        settings=FIND,
    )
    assert synced["solutionVersionArn"].endswith("/$LATEST")


@pytest.mark.parametrize("operation", OPERATIONS)
def test_invalid_requests_break_at_least_one_request_shape_rule(operation: str) -> None:
    cases = st.sampled_from(rulesets_for(operation)).flatmap(
        lambda r: st.tuples(st.just(r), sst.requests(operation, valid=False, ruleset=r))
    )

    @MANY
    @given(cases)
    def check(case: tuple[str, dict[str, Any]]) -> None:
        ruleset, params = case
        errors = {
            f.rule for f in shape_findings(operation, params, ruleset) if f.severity == "error"
        }
        assert errors & REQUEST_RULES
        assert svstate.preflight(operation, params, ruleset=ruleset).decision is Decision.DENY

    check()


# What each operation can be made to break, by ruleset (members come and go with the dates).
BREAKABLE = {
    ("CreateSolutionVersion", "2019-06-10"): {"SV101", "SV102", "SV103", "SV105"},
    ("CreateSolutionVersion", "2019-10-14"): {"SV101", "SV102", "SV103", "SV104", "SV105"},
    ("CreateSolutionVersion", "latest"): {"SV101", "SV102", "SV103", "SV104", "SV105", "SV106"},
    ("StopSolutionVersionCreation", "2021-05-20"): {"SV101", "SV102", "SV103", "SV105"},
    ("CreateCampaign", "2019-10-14"): {"SV101", "SV102", "SV103", "SV105", "SV106", "SV607"},
    ("CreateCampaign", "latest"): {"SV101", "SV102", "SV103", "SV105", "SV106", "SV607"},
    ("DeleteSolution", "2019-10-14"): {"SV101", "SV102", "SV103", "SV105"},
}


@pytest.mark.parametrize(
    ("operation", "ruleset", "rule"),
    sorted((op, r, rule) for (op, r), rules in BREAKABLE.items() for rule in rules),
)
def test_breaking_narrows_invalid_requests_to_that_rule(
    operation: str, ruleset: str, rule: str
) -> None:
    @settings(max_examples=30, deadline=None)
    @given(sst.requests(operation, valid=False, ruleset=ruleset, breaking=rule))
    def check(params: dict[str, Any]) -> None:
        assert rule in {f.rule for f in shape_findings(operation, params, ruleset)}

    check()


@pytest.mark.parametrize(("operation", "ruleset"), sorted(BREAKABLE))
def test_breaking_a_rule_the_operation_cannot_break_is_refused_at_once(
    operation: str, ruleset: str
) -> None:
    for rule in sorted(REQUEST_RULES - BREAKABLE[operation, ruleset]):
        with pytest.raises(svstate.SvstateError, match=f"breaking='{rule}'"):
            sst.requests(operation, valid=False, ruleset=ruleset, breaking=rule)


def test_field_overrides_replace_members_whether_strategies_or_values() -> None:
    @SOME
    @given(
        sst.requests("CreateSolutionVersion", trainingMode=st.just("UPDATE"), ruleset=SEED),
        sst.requests(
            "create_solution_version", trainingMode="UPDATE", solutionArn=MOVIES, ruleset=SEED
        ),
        sst.requests("CreateCampaign", ruleset="latest", minProvisionedTPS=st.integers(5, 9)),
    )
    def check(update: dict[str, Any], fixed: dict[str, Any], campaign: dict[str, Any]) -> None:
        assert update["trainingMode"] == "UPDATE"
        assert fixed["trainingMode"] == "UPDATE"
        assert fixed["solutionArn"] == MOVIES
        assert 5 <= campaign["minProvisionedTPS"] <= 9
        for op, params in (
            ("CreateSolutionVersion", update),
            ("CreateSolutionVersion", fixed),
        ):
            assert shape_findings(op, params, "2019-10-14") == []
        assert shape_findings("CreateCampaign", campaign, "latest") == []

    check()


def test_invalid_requests_keep_overridden_members_and_break_another() -> None:
    @SOME
    @given(sst.requests("CreateSolutionVersion", valid=False, solutionArn=MOVIES))
    def check(params: dict[str, Any]) -> None:
        assert params["solutionArn"] == MOVIES
        errors = {f.rule for f in shape_findings("CreateSolutionVersion", params, "2019-10-14")}
        assert errors & REQUEST_RULES

    check()


def test_a_syncing_campaign_config_override_gets_the_latest_form() -> None:
    @SOME
    @given(
        sst.requests(
            "CreateCampaign",
            ruleset="latest",
            campaignConfig={"syncWithLatestSolutionVersion": True},
        )
    )
    def check(params: dict[str, Any]) -> None:
        assert params["solutionVersionArn"].endswith("/$LATEST")
        assert shape_findings("CreateCampaign", params, "latest") == []

    check()


def test_a_strategy_override_that_draws_an_invalid_value_names_the_argument() -> None:
    @settings(max_examples=5, deadline=None, database=None)
    @given(sst.requests("CreateSolutionVersion", trainingMode=st.just("BOGUS")))
    def check(params: dict[str, Any]) -> None:
        raise AssertionError("never drawn")

    with pytest.raises(sst.InvalidArgument, match="trainingMode"):
        check()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: sst.requests("CreateSolutionVersion", name="nightly", ruleset="2019-10-14"),
            "name is not a member of CreateSolutionVersion in ruleset 2019-10-14; it exists from 2022-11-17",
        ),
        (
            lambda: sst.requests("CreateSolutionVersion", trainingmode=st.just("FULL")),
            "Did you mean 'trainingMode'",
        ),
        (
            lambda: sst.requests(
                "CreateSolutionVersion", ruleset="2019-06-10", trainingMode="FULL"
            ),
            "it exists from 2019-10-14",
        ),
        (
            lambda: sst.requests("StopSolutionVersionCreation", ruleset="2020-01-01"),
            "does not exist in ruleset 2020-01-01",
        ),
        (
            lambda: sst.requests("StopSolutionVersionCreation", valid=False, ruleset="2019-10-14"),
            "it was added on 2021-05-20",
        ),
        (
            lambda: sst.requests(
                "CreateSolutionVersion", trainingMode="AUTOTRAIN", ruleset="2019-10-14"
            ),
            "SV104",
        ),
        (
            lambda: sst.requests("CreateCampaign", solutionVersionArn=MOVIES),
            "SV103",
        ),
        (
            lambda: sst.requests("CreateCampaign", ruleset="2020-01-01", minProvisionedTPS=0),
            "SV607",
        ),
        (lambda: sst.requests("DeleteSolution", breaking="SV101"), "promises only legal ones"),
        (lambda: sst.requests("DeleteSolution", valid=False, breaking="SV104"), "SV104"),
        (lambda: sst.requests("DeleteSolution", valid=False, breaking="SV999"), "not a rule id"),
        (lambda: sst.requests("DeleteSolution", valid=False, breaking=[]), "breaking is empty"),
        (lambda: sst.requests("DeleteSolution", valid="yes"), "valid must be True or False"),
        (lambda: sst.requests("DescribeSolution"), "does not model operation"),
        (lambda: sst.requests("DeleteSolution", ruleset="2018-01-01"), "before 2019-06-10"),
    ],
)
def test_contradictory_request_arguments_raise_at_call_time(call: Any, message: str) -> None:
    with pytest.raises(svstate.SvstateError) as raised:
        call()
    assert message in str(raised.value)


# == solution version dicts ======================================================================


@pytest.mark.parametrize("summary", [False, True])
def test_solution_version_dicts_pass_validate_with_no_finding(summary: bool) -> None:
    shape = "SolutionVersionSummary" if summary else "SolutionVersion"
    cases = st.sampled_from(RULESETS).flatmap(
        lambda r: st.tuples(st.just(r), sst.solution_version_dicts(ruleset=r, summary=summary))
    )

    @MANY
    @given(cases)
    def check(case: tuple[str, dict[str, Any]]) -> None:
        ruleset, version = case
        verdict = svstate.validate(shape, version, ruleset=ruleset)
        assert verdict.decision is Decision.ALLOW
        assert verdict.findings == ()
        status = Status.parse(version["status"])
        assert ("failureReason" in version) is (status is Status.CREATE_FAILED)
        if not summary and ruleset >= "2019-09-17":
            assert ("trainingHours" in version) is (status is Status.ACTIVE)
        else:
            assert "trainingHours" not in version
        created, updated = version["creationDateTime"], version["lastUpdatedDateTime"]
        assert isinstance(created, dt.datetime)
        assert created.tzinfo is not None
        assert isinstance(updated, dt.datetime)
        assert updated.tzinfo is not None
        assert created <= updated
        if not summary:
            assert version["solutionVersionArn"].rpartition("/")[0] == version["solutionArn"]

    check()


@SOME
@given(
    sst.solution_version_dicts(status="CREATE_IN_PROGRESS", training_mode="UPDATE"),
    sst.solution_version_dicts(
        status=["CREATE STOPPING", Status.CREATE_STOPPED], ruleset="2021-05-20", summary=True
    ),
    sst.solution_version_dicts(solution_arn=MOVIES, training_mode="AUTOTRAIN", ruleset="latest"),
)
def test_solution_version_dicts_keep_every_narrowing(
    training: dict[str, Any], stopped: dict[str, Any], automatic: dict[str, Any]
) -> None:
    assert training["status"] == "CREATE IN_PROGRESS"
    assert training["trainingMode"] == "UPDATE"
    assert stopped["status"] in STOP_STATUSES
    assert set(stopped) <= {
        "solutionVersionArn",
        "status",
        "creationDateTime",
        "lastUpdatedDateTime",
    }
    assert automatic["solutionArn"] == MOVIES
    assert automatic["solutionVersionArn"].startswith(MOVIES + "/")
    assert automatic["trainingMode"] == "AUTOTRAIN"
    assert automatic["trainingType"] == "AUTOMATIC"


@SOME
@given(sst.solution_version_dicts(ruleset="2021-05-20"))
def test_a_fresh_tracker_takes_in_a_version_dict_without_findings(version: dict[str, Any]) -> None:
    tracker = svstate.Tracker(ruleset="2021-05-20")
    verdict = tracker.observe(
        "DescribeSolutionVersion",
        {"solutionVersionArn": version["solutionVersionArn"]},
        {"solutionVersion": version},
    )
    assert verdict.findings == ()
    assert len(tracker) == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: sst.solution_version_dicts(status="CREATE STOPPED", ruleset="2019-10-14"),
            "the stop states exist from 2021-05-20",
        ),
        (
            lambda: sst.solution_version_dicts(
                status=["ACTIVE", "CREATE_STOPPING"], ruleset="2019-10-14"
            ),
            "the stop states exist from 2021-05-20",
        ),
        (
            lambda: sst.solution_version_dicts(status="DELETE PENDING", ruleset="latest"),
            "is not a solution version status",
        ),
        (lambda: sst.solution_version_dicts(status="ACTIV"), "did you mean 'ACTIVE'"),
        (lambda: sst.solution_version_dicts(status=[]), "status is empty"),
        (lambda: sst.solution_version_dicts(status=3), "must be a status"),
        (
            lambda: sst.solution_version_dicts(training_mode="UPDATE", ruleset="2019-06-10"),
            "have no trainingMode in ruleset 2019-06-10; it appears on 2019-10-14",
        ),
        (
            lambda: sst.solution_version_dicts(
                training_mode="FULL", summary=True, ruleset="2021-05-20"
            ),
            "it appears on 2024-04-19",
        ),
        (
            lambda: sst.solution_version_dicts(training_mode="AUTOTRAIN", ruleset="2019-10-14"),
            "does not exist in ruleset 2019-10-14; it exists from 2024-04-19",
        ),
        (lambda: sst.solution_version_dicts(training_mode="PARTIAL"), "not a training mode"),
        (
            lambda: sst.solution_version_dicts(solution_arn=MOVIES + "/0a1b2c3d"),
            "is not a solution ARN",
        ),
        (lambda: sst.solution_version_dicts(summary=None), "summary must be True or False"),
    ],
)
def test_contradictory_version_dict_arguments_raise_at_call_time(call: Any, message: str) -> None:
    with pytest.raises(svstate.SvstateError) as raised:
        call()
    assert message in str(raised.value)


# == solution dicts ==============================================================================


def test_solution_dicts_pass_validate_with_no_finding() -> None:
    cases = st.sampled_from(RULESETS).flatmap(
        lambda r: st.tuples(st.just(r), sst.solution_dicts(ruleset=r))
    )

    @MANY
    @given(cases)
    def check(case: tuple[str, dict[str, Any]]) -> None:
        ruleset, solution = case
        verdict = svstate.validate("Solution", solution, ruleset=ruleset)
        assert verdict.decision is Decision.ALLOW
        assert verdict.findings == ()
        assert solution["status"] in SOLUTION_STATUSES
        assert ("recipeArn" in solution) is not solution["performAutoML"]
        assert solution["creationDateTime"] <= solution["lastUpdatedDateTime"]

    check()


@pytest.mark.parametrize("automl", [None, True, False])
def test_solution_dicts_show_the_recipe_where_the_rules_read_it(automl: bool | None) -> None:
    @SOME
    @given(sst.solution_dicts(recipe=SIMS, automl=automl, arn=MOVIES, ruleset="2020-08-24"))
    def check(solution: dict[str, Any]) -> None:
        assert solution["solutionArn"] == MOVIES
        if automl is not None:
            assert solution["performAutoML"] is automl
        # The recipe is where preflight reads it: SV302 names it for an UPDATE.
        verdict = svstate.preflight(
            "CreateSolutionVersion",
            {"solutionArn": MOVIES, "trainingMode": "UPDATE"},
            solution=solution,
            versions=[{"solutionVersionArn": f"{MOVIES}/0a1b2c3d", "status": "ACTIVE"}],
            ruleset="2020-08-24",
        )
        if solution["status"] == "ACTIVE":
            assert [f.rule for f in verdict.findings if f.severity == "error"] == ["SV302"]
            assert "aws-sims" in verdict.findings[0].message

    check()


@SOME
@given(
    sst.solution_dicts(status=["CREATE PENDING", "DELETE_IN_PROGRESS"]),
    sst.solution_dicts(status="ACTIVE", automl=True, ruleset="latest"),
)
def test_solution_dicts_keep_status_and_automl_narrowing(
    either: dict[str, Any], automl: dict[str, Any]
) -> None:
    assert either["status"] in ("CREATE PENDING", "DELETE IN_PROGRESS")
    assert "latestSolutionVersion" not in either or either["status"] != "CREATE PENDING"
    assert automl["performAutoML"] is True
    assert "recipeArn" not in automl
    assert automl["autoMLResult"]["bestRecipeArn"].startswith("arn:aws:personalize:::recipe/")
    assert "performAutoTraining" in automl


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: sst.solution_dicts(status="CREATE STOPPED"), "is not a solution status"),
        (
            lambda: sst.solution_dicts(automl=True, recipe=SIMS, status="CREATE PENDING"),
            "automl=True with a recipe, but status excludes ACTIVE",
        ),
        (lambda: sst.solution_dicts(recipe="aws-sims"), "is not a recipe ARN"),
        (lambda: sst.solution_dicts(arn="movies"), "is not a solution ARN"),
        (lambda: sst.solution_dicts(automl="yes"), "automl must be True, False or None"),
        (lambda: sst.solution_dicts(ruleset="yesterday"), "ruleset 'yesterday' is not"),
    ],
)
def test_contradictory_solution_dict_arguments_raise_at_call_time(call: Any, message: str) -> None:
    with pytest.raises(svstate.SvstateError) as raised:
        call()
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: sst.recipe_arns(ruleset="2019-06-10", supports_update=True),
            "no recipe supports UPDATE in ruleset 2019-06-10",
        ),
        (lambda: sst.recipe_arns(supports_update="yes"), "supports_update must be"),
        (lambda: sst.solution_arns(region="us east 1"), "is not a region name"),
        (lambda: sst.solution_arns(account="1234"), "is not a 12-digit AWS account id"),
        (lambda: sst.solution_arns(names="-movies"), "is not a Personalize name"),
        (lambda: sst.solution_arns(names="m" * 64), "a name has at most 63"),
        (lambda: sst.campaign_arns(region=5), "must be a string or a hypothesis strategy"),
        (lambda: sst.solution_version_arns(ids="a/b"), "is not an id"),
    ],
)
def test_contradictory_arn_arguments_raise_at_call_time(call: Any, message: str) -> None:
    with pytest.raises(svstate.SvstateError) as raised:
        call()
    assert message in str(raised.value)


def test_invalid_argument_is_both_an_svstate_error_and_hypothesis_own() -> None:
    import hypothesis.errors

    assert issubclass(sst.InvalidArgument, svstate.SvstateError)
    assert issubclass(sst.InvalidArgument, hypothesis.errors.InvalidArgument)


def test_a_user_strategy_that_draws_a_bad_name_is_named_when_drawn() -> None:
    strategy = sst.solution_arns(names=st.just("has space"))  # accepted: cannot check yet

    @settings(max_examples=5, deadline=None, database=None)
    @given(strategy)
    def check(arn: str) -> None:
        raise AssertionError("never drawn")

    with pytest.raises(sst.InvalidArgument, match=r"names= drew 'has space'"):
        check()


# == histories ===================================================================================


def replay(history: sst.History) -> list[tuple[int, set[str]]]:
    """Replay into a fresh tracker; the failing steps, each with the rules it breaks.

    A call fails when ``tracker.preflight`` denies it; an observation fails when
    ``tracker.observe`` reports SV501 or SV506. Along the way it asserts that
    nothing else goes wrong: every call that is not denied is allowed, and no
    observation reports any other finding.
    """
    tracker = svstate.Tracker(ruleset=history.ruleset)
    failing: list[tuple[int, set[str]]] = []
    for i, step in enumerate(history.steps):
        broken: set[str] = set()
        if step.kind == "call":
            verdict = tracker.preflight(step.operation, step.params)
            if verdict.decision is Decision.DENY:
                broken |= {f.rule for f in verdict.findings if f.severity == "error"}
            else:
                assert verdict.decision is Decision.ALLOW, (i, str(verdict))
        else:
            assert step.kind == "observe"
        seen = tracker.observe(step.operation, step.params, step.response)
        broken |= {f.rule for f in seen.findings if f.rule in ("SV501", "SV506")}
        assert not [f for f in seen.findings if f.rule not in ("SV501", "SV506")], (i, str(seen))
        if broken:
            failing.append((i, broken))
    return failing


def rulesets_and(**kwargs: Any) -> st.SearchStrategy[sst.History]:
    return st.sampled_from(RULESETS).flatmap(lambda r: sst.histories(ruleset=r, **kwargs))


@MANY
@given(rulesets_and())
def test_legal_histories_replay_without_a_single_failing_step(history: sst.History) -> None:
    assert history.illegal_at is None
    assert history.rule is None
    assert history.illegal_step is None
    assert replay(history) == []
    assert all(step.breaks is None for step in history.steps)


@MANY
@given(rulesets_and(legal=False))
def test_illegal_histories_fail_exactly_where_they_say_and_nowhere_else(
    history: sst.History,
) -> None:
    assert history.illegal_at is not None
    assert history.rule is not None
    assert replay(history) == [(history.illegal_at, {history.rule})]
    assert [i for i, step in enumerate(history.steps) if step.breaks] == [history.illegal_at]
    assert history.steps[history.illegal_at].breaks == history.rule


# Where each rule can be broken (SV301/SV302 need trainingMode; SV801 is a settled version
# from 2021-05-20 and a missing operation before).
BREAKING = [
    ("SV301", "2019-10-14"),
    ("SV301", "latest"),
    ("SV302", "2019-10-14"),
    ("SV302", "2024-04-19"),
    ("SV501", "2019-06-10"),
    ("SV501", "2021-05-20"),
    ("SV701", "2019-10-14"),
    ("SV701", "latest"),
    ("SV801", "2019-10-14"),
    ("SV801", "2021-05-20"),
    ("SV901", "2019-06-10"),
    ("SV901", "latest"),
]


@pytest.mark.parametrize(("rule", "ruleset"), BREAKING)
def test_breaking_narrows_illegal_histories_to_that_rule(rule: str, ruleset: str) -> None:
    @settings(max_examples=40, deadline=None)
    @given(sst.histories(ruleset=ruleset, legal=False, breaking=rule, max_versions=2))
    def check(history: sst.History) -> None:
        assert history.rule == rule
        assert replay(history) == [(history.illegal_at, {rule})]

    check()


@SOME
@given(rulesets_and(max_versions=2, max_steps=30))
def test_histories_respect_max_versions_and_keep_time_moving_forward(
    history: sst.History,
) -> None:
    created = [
        s for s in history.steps if s.operation == "CreateSolutionVersion" and s.kind == "call"
    ]
    assert len(created) <= 2
    assert len(history.steps) <= 2 + 30
    last_update: dict[str, dt.datetime] = {}
    for step in history.steps:
        if step.operation != "DescribeSolutionVersion":
            continue
        assert step.response is not None
        version = step.response["solutionVersion"]
        assert svstate.validate("SolutionVersion", version, ruleset=history.ruleset).findings == ()
        arn = version["solutionVersionArn"]
        assert version["lastUpdatedDateTime"] >= last_update.get(arn, version["creationDateTime"])
        last_update[arn] = version["lastUpdatedDateTime"]


def test_histories_keep_their_solution_and_recipe_narrowing() -> None:
    @SOME
    @given(sst.histories(solution_arn=MOVIES, recipe=USER_PERSONALIZATION, ruleset="2020-08-24"))
    def check(history: sst.History) -> None:
        assert history.solution_arn == MOVIES
        opening = history.steps[0]
        assert opening.operation == "DescribeSolution"
        assert opening.response is not None
        solution = opening.response["solution"]
        assert solution["status"] == "ACTIVE"
        recipe = solution.get("recipeArn") or solution["autoMLResult"]["bestRecipeArn"]
        assert recipe == USER_PERSONALIZATION
        assert history.steps[1].operation == "ListSolutionVersions"

    check()


@pytest.mark.parametrize(
    ("description", "ruleset", "wanted"),
    [
        (
            "an UPDATE after an ACTIVE FULL version",
            "2019-10-14",
            lambda s: s.kind == "call" and s.params.get("trainingMode") == "UPDATE",
        ),
        (
            "a stop",
            "2021-05-20",
            lambda s: s.operation == "StopSolutionVersionCreation",
        ),
        (
            "a campaign",
            "2019-10-14",
            lambda s: s.operation == "CreateCampaign",
        ),
        (
            "a listing of versions",
            "2019-10-14",
            lambda s: (
                s.operation == "ListSolutionVersions"
                and s.response is not None
                and len(s.response["solutionVersions"]) >= 2
            ),
        ),
        (
            "a DescribeSolution with its latest version",
            "latest",
            lambda s: (
                s.operation == "DescribeSolution"
                and s.response is not None
                and "latestSolutionVersion" in s.response["solution"]
            ),
        ),
    ],
)
def test_legal_histories_reach_every_kind_of_step(
    description: str, ruleset: str, wanted: Any
) -> None:
    found = find(
        sst.histories(ruleset=ruleset, recipe=HRNN_COLDSTART),
        lambda h: any(wanted(s) for s in h.steps),
        settings=FIND,
    )
    assert replay(found) == []


def test_legal_histories_skip_statuses_as_polling_does() -> None:
    def skips(history: sst.History) -> bool:
        seen: dict[str, str] = {}
        for step in history.steps:
            if step.operation == "CreateSolutionVersion" and step.response:
                seen[step.response["solutionVersionArn"]] = "CREATE PENDING"
            if step.operation == "DescribeSolutionVersion" and step.response:
                version = step.response["solutionVersion"]
                before = seen.get(version["solutionVersionArn"])
                if before == "CREATE PENDING" and version["status"] == "ACTIVE":
                    return True
                seen[version["solutionVersionArn"]] = version["status"]
        return False

    found = find(sst.histories(), skips, settings=FIND)
    assert replay(found) == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: sst.histories(breaking="SV701"), "promises only legal ones"),
        (
            lambda: sst.histories(legal=False, breaking="SV301", ruleset="2019-06-10"),
            "trainingMode exists from 2019-10-14",
        ),
        (
            lambda: sst.histories(legal=False, breaking="SV701", max_versions=0),
            "needs a solution version",
        ),
        (
            lambda: sst.histories(
                legal=False, breaking="SV801", max_versions=0, ruleset="2021-05-20"
            ),
            "needs a solution version",
        ),
        (
            lambda: sst.histories(legal=False, breaking="SV302", recipe=HRNN_COLDSTART),
            "supports UPDATE",
        ),
        (lambda: sst.histories(legal=False, breaking="SV999"), "not a rule id"),
        (lambda: sst.histories(legal=False, breaking="SV104"), "cannot be broken"),
        (lambda: sst.histories(max_versions=-1), "max_versions must be an integer of at least 0"),
        (lambda: sst.histories(max_steps="10"), "max_steps must be an integer"),
        (lambda: sst.histories(legal=None), "legal must be True or False"),
        (lambda: sst.histories(recipe="sims"), "is not a recipe ARN"),
        (lambda: sst.histories(solution_arn=MOVIES + "/0a1b2c3d"), "is not a solution ARN"),
        (lambda: sst.histories(ruleset="2019-02-30"), "ruleset '2019-02-30'"),
    ],
)
def test_contradictory_history_arguments_raise_at_call_time(call: Any, message: str) -> None:
    with pytest.raises(svstate.SvstateError) as raised:
        call()
    assert message in str(raised.value)


def test_illegal_histories_with_no_room_for_a_version_still_break_something() -> None:
    @SOME
    @given(rulesets_and(legal=False, max_versions=0))
    def check(history: sst.History) -> None:
        ruleset = svstate.Ruleset.parse(history.ruleset)
        expected = set() if ruleset.has_stop else {"SV801"}
        if ruleset.date >= dt.date(2019, 10, 14):
            expected.add("SV301")
        assert history.rule in expected
        assert replay(history) == [(history.illegal_at, {history.rule})]

    check()
