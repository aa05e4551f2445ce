"""The chain's preconditions: each rule triggered, on its boundary, and with facts missing or wrong."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import svstate
from svstate import Decision

ACCT = "arn:aws:personalize:us-east-1:123456789012"
DSG = ACCT + ":dataset-group/movies"
SCHEMA = ACCT + ":schema/interactions"
DATASET = ACCT + ":dataset/movies/INTERACTIONS"
SOL = ACCT + ":solution/movies"
V1 = SOL + "/0a1b2c3d"
CAMPAIGN = ACCT + ":campaign/movies"
ROLE = "arn:aws:iam::123456789012:role/personalize"

DATASET_PARAMS = {
    "name": "interactions",
    "schemaArn": SCHEMA,
    "datasetGroupArn": DSG,
    "datasetType": "Interactions",
}
IMPORT_PARAMS = {
    "jobName": "first",
    "datasetArn": DATASET,
    "dataSource": {"dataLocation": "s3://bucket/i.csv"},
    "roleArn": ROLE,
}
BATCH_PARAMS = {
    "jobName": "nightly",
    "solutionVersionArn": V1,
    "jobInput": {"s3DataSource": {"path": "s3://bucket/in.json"}},
    "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/"}},
    "roleArn": ROLE,
}


def group(status: str, **more: str) -> dict[str, str]:
    return {"datasetGroupArn": DSG, "status": status, **more}


def rules_of(v: svstate.Verdict) -> list[str]:
    return [f.rule for f in v.findings]


# -- SV210: what a call builds on is ACTIVE ------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "params", "fact", "pending_severity"),
    [
        ("CreateDataset", DATASET_PARAMS, "dataset_group", "error"),
        ("CreateDatasetImportJob", IMPORT_PARAMS, "dataset", "warning"),
        ("CreateBatchInferenceJob", BATCH_PARAMS, "solution_version", "warning"),
    ],
)
def test_sv210_denies_a_parent_that_will_never_be_active_and_allows_an_active_one(
    operation: str, params: dict[str, Any], fact: str, pending_severity: str
) -> None:
    arn_member = {"dataset_group": "datasetGroupArn", "dataset": "datasetArn"}.get(
        fact, "solutionVersionArn"
    )
    extra: dict[str, Any] = (
        {"schema": {"schemaArn": SCHEMA}} if operation == "CreateDataset" else {}
    )

    def ask(status: str, **more: str) -> svstate.Verdict:
        facts = {fact: {arn_member: params[arn_member], "status": status, **more}}
        return svstate.preflight(operation, params, **facts, **extra)

    failed = ask("CREATE FAILED", failureReason="KMS key not usable")
    assert failed.decision is Decision.DENY
    assert rules_of(failed) == ["SV210"]
    assert "will never be" in failed.findings[0].message
    assert "KMS key not usable" in failed.findings[0].message
    assert failed.findings[0].error_code in ("ResourceInUseException", "InvalidInputException")

    pending = ask("CREATE IN_PROGRESS" if fact != "solution_version" else "CREATE PENDING")
    assert rules_of(pending) == ["SV210"]
    assert str(pending.findings[0].severity) == pending_severity
    assert ask("ACTIVE").decision is Decision.ALLOW  # the boundary

    missing = svstate.preflight(operation, params, **extra)
    assert missing.decision is Decision.UNKNOWN
    assert fact in missing.missing


@pytest.mark.parametrize(
    ("operation", "params", "more"),
    [
        ("CreateSolution", {"name": "movies", "datasetGroupArn": DSG}, {}),
        # SV215 needs the group's event trackers; SV210 needs no fact
        ("CreateEventTracker", {"name": "live", "datasetGroupArn": DSG}, {"event_trackers": []}),
    ],
)
def test_sv210_only_warns_where_the_reference_names_no_status(
    operation: str, params: dict[str, Any], more: dict[str, Any]
) -> None:
    failed = svstate.preflight(operation, params, dataset_group=group("CREATE FAILED"), **more)
    assert failed.decision is Decision.ALLOW
    assert rules_of(failed) == ["SV210"]
    assert str(failed.findings[0].severity) == "warning"
    active = svstate.preflight(operation, params, dataset_group=group("ACTIVE"), **more)
    assert active.findings == ()
    assert svstate.preflight(operation, params, **more).decision is Decision.ALLOW


def test_sv210_names_the_waiter_to_use() -> None:
    v = svstate.preflight(
        "CreateDataset",
        DATASET_PARAMS,
        dataset_group=group("CREATE PENDING"),
        schema={"schemaArn": SCHEMA},
    )
    assert "dataset_group_active" in (v.findings[0].hint or "")


def test_sv210_on_update_solution_is_dated_2024_08_29() -> None:
    params = {"solutionArn": SOL, "performAutoTraining": False}
    creating = {"solutionArn": SOL, "status": "CREATE FAILED"}
    assert svstate.preflight("UpdateSolution", params, solution=creating).decision is Decision.DENY
    old = svstate.preflight("UpdateSolution", params, solution=creating, ruleset="2024-08-28")
    assert rules_of(old) == ["SV105"]  # the operation itself did not exist yet
    assert "added 2024-08-29" in old.findings[0].message


def test_a_deleting_parent_is_one_that_will_never_be_active() -> None:
    v = svstate.preflight(
        "CreateDataset",
        DATASET_PARAMS,
        dataset_group=group("DELETE PENDING"),
        schema={"schemaArn": SCHEMA},
    )
    assert v.decision is Decision.DENY
    assert "will never be" in v.findings[0].message


# -- SV211: domains ------------------------------------------------------------------------


def test_sv211_schema_and_group_domains_must_match() -> None:
    def ask(group_domain: str | None, schema_domain: str | None, **kw: Any) -> svstate.Verdict:
        g = group("ACTIVE", **({"domain": group_domain} if group_domain else {}))
        s = {"schemaArn": SCHEMA, **({"domain": schema_domain} if schema_domain else {})}
        return svstate.preflight("CreateDataset", DATASET_PARAMS, dataset_group=g, schema=s, **kw)

    assert rules_of(ask("ECOMMERCE", None)) == ["SV211"]
    assert rules_of(ask(None, "VIDEO_ON_DEMAND")) == ["SV211"]
    assert rules_of(ask("ECOMMERCE", "VIDEO_ON_DEMAND")) == ["SV211"]
    assert ask("ECOMMERCE", "ECOMMERCE").decision is Decision.ALLOW
    assert ask(None, None).decision is Decision.ALLOW
    # Before domains existed the rule is not in force.
    assert "SV211" not in rules_of(ask("ECOMMERCE", None, ruleset="2022-11-13"))


# -- SV212: deleting a dataset group -------------------------------------------------------


def test_sv212_lists_everything_left_in_the_group_at_once() -> None:
    v = svstate.preflight(
        "DeleteDatasetGroup",
        {"datasetGroupArn": DSG},
        datasets=[{"datasetArn": DATASET, "status": "ACTIVE"}],
        solutions=[{"solutionArn": SOL, "status": "DELETE PENDING"}],
        event_trackers=[],
    )
    assert v.decision is Decision.DENY
    assert rules_of(v) == ["SV212"]
    assert "1 solution (movies); 1 dataset (movies/INTERACTIONS)" in v.findings[0].message
    empty = svstate.preflight(
        "DeleteDatasetGroup",
        {"datasetGroupArn": DSG},
        datasets=[],
        solutions=[],
        event_trackers=[],
    )
    assert empty.decision is Decision.ALLOW
    unknown = svstate.preflight("DeleteDatasetGroup", {"datasetGroupArn": DSG}, datasets=[])
    assert unknown.decision is Decision.UNKNOWN
    assert unknown.missing == ("event_trackers", "solutions")


# -- SV702, SV703, SV213: UpdateCampaign ---------------------------------------------------


def update(
    campaign: dict[str, Any], version_status: str | None = "ACTIVE", **params: Any
) -> svstate.Verdict:
    request = {"campaignArn": CAMPAIGN, "solutionVersionArn": V1, **params}
    facts: dict[str, Any] = {"campaign": {"campaignArn": CAMPAIGN, **campaign}}
    if version_status is not None:
        facts["solution_version"] = {"solutionVersionArn": V1, "status": version_status}
    return svstate.preflight("UpdateCampaign", request, **facts)


@pytest.mark.parametrize("status", ["CREATE PENDING", "CREATE IN_PROGRESS", "DELETE PENDING"])
def test_sv702_update_campaign_needs_it_active_or_create_failed(status: str) -> None:
    v = update({"status": status})
    assert v.decision is Decision.DENY
    assert rules_of(v) == ["SV702"]
    assert v.findings[0].error_code == "ResourceInUseException"


@pytest.mark.parametrize("status", ["ACTIVE", "CREATE FAILED"])
def test_sv702_boundary(status: str) -> None:
    assert update({"status": status}).decision is Decision.ALLOW


def test_sv703_the_new_version_must_be_active() -> None:
    assert rules_of(update({"status": "ACTIVE"}, "CREATE IN_PROGRESS")) == ["SV703"]
    stopped = update({"status": "ACTIVE"}, "CREATE STOPPED")
    assert "will never become ACTIVE" in (stopped.findings[0].hint or "")
    assert update({"status": "ACTIVE"}, None).missing == ("solution_version",)
    # No new version named: the campaign keeps its own, nothing to check.
    plain = svstate.preflight(
        "UpdateCampaign",
        {"campaignArn": CAMPAIGN, "minProvisionedTPS": 2},
        campaign={"campaignArn": CAMPAIGN, "status": "ACTIVE"},
    )
    assert plain.decision is Decision.ALLOW


def test_sv703_latest_needs_an_active_version_of_the_solution() -> None:
    latest = SOL + "/$LATEST"
    ask = lambda versions: svstate.preflight(  # noqa: E731
        "UpdateCampaign",
        {"campaignArn": CAMPAIGN, "solutionVersionArn": latest},
        campaign={"campaignArn": CAMPAIGN, "status": "ACTIVE"},
        versions=versions,
    )
    assert rules_of(ask([{"solutionVersionArn": V1, "status": "CREATE PENDING"}])) == ["SV703"]
    assert ask([{"solutionVersionArn": V1, "status": "ACTIVE"}]).decision is Decision.ALLOW
    assert ask(None).missing == ("versions",)


def test_sv213_warns_of_an_update_in_flight_and_not_of_a_settled_one() -> None:
    busy = update({"status": "ACTIVE", "latestCampaignUpdate": {"status": "CREATE IN_PROGRESS"}})
    assert busy.decision is Decision.ALLOW
    assert rules_of(busy) == ["SV213"]
    assert str(busy.findings[0].severity) == "warning"
    done = update({"status": "ACTIVE", "latestCampaignUpdate": {"status": "CREATE FAILED"}})
    assert done.findings == ()


# -- SV214: training needs interactions ----------------------------------------------------


def test_sv214_warns_when_the_groups_datasets_show_no_active_interactions() -> None:
    solution = {
        "solutionArn": SOL,
        "status": "ACTIVE",
        "recipeArn": "arn:aws:personalize:::recipe/aws-sims",
    }

    def ask(datasets: list[dict[str, str]] | None) -> svstate.Verdict:
        return svstate.preflight(
            "CreateSolutionVersion",
            {"solutionArn": SOL},
            solution=solution,
            versions=[],
            datasets=datasets,
        )

    assert rules_of(ask([])) == ["SV214"]
    assert rules_of(
        ask([{"datasetArn": DATASET, "datasetType": "Items", "status": "ACTIVE"}])
    ) == ["SV214"]
    fine = ask([{"datasetArn": DATASET, "datasetType": "Interactions", "status": "ACTIVE"}])
    assert fine.findings == ()
    assert ask(None).findings == ()  # checked only when the datasets are given


# -- SV103 and facts that are wrong --------------------------------------------------------


def test_sv103_each_arn_member_names_its_kind_of_resource() -> None:
    v = svstate.preflight(
        "CreateDataset",
        {**DATASET_PARAMS, "schemaArn": DSG},
        dataset_group=group("ACTIVE"),
        schema={"schemaArn": DSG},
    )
    assert "SV103" in rules_of(v)
    assert v.decision is Decision.DENY


def test_a_fact_about_another_resource_or_of_the_wrong_type_is_ignored_and_named_missing() -> None:
    other = svstate.preflight(
        "CreateDataset",
        DATASET_PARAMS,
        dataset_group={"datasetGroupArn": DSG + "x", "status": "ACTIVE"},
        schema={"schemaArn": SCHEMA},
    )
    assert rules_of(other) == ["SV504"]
    assert other.decision is Decision.UNKNOWN
    assert other.missing == ("dataset_group",)
    junk = svstate.preflight("CreateDataset", DATASET_PARAMS, dataset_group="ACTIVE", schema=[1])
    assert rules_of(junk) == ["SV505", "SV505"]
    assert junk.missing == ("dataset_group", "schema")
    listed = svstate.preflight(
        "DeleteDatasetGroup",
        {"datasetGroupArn": DSG},
        datasets=[1],
        solutions={},
        event_trackers=[],
    )
    assert rules_of(listed) == ["SV505", "SV505"]
    assert listed.decision is Decision.UNKNOWN


def test_an_unreadable_status_is_unknown_never_allowed() -> None:
    v = svstate.preflight(
        "CreateDataset", DATASET_PARAMS, dataset_group=group("READY"), schema={"schemaArn": SCHEMA}
    )
    assert v.decision is Decision.UNKNOWN
    assert rules_of(v) == ["SV502"]
    assert v.missing == ("dataset_group.status",)
    underscore = svstate.preflight(
        "CreateDataset",
        DATASET_PARAMS,
        dataset_group=group("CREATE_PENDING"),
        schema={"schemaArn": SCHEMA},
    )
    assert rules_of(underscore) == ["SV503", "SV210"]


def test_chain_operations_take_boto3_names_and_junk_params_get_a_finding() -> None:
    v = svstate.preflight("create_dataset", "not a dict")
    assert v.decision is Decision.DENY
    assert rules_of(v)[0] == "SV101"
    with pytest.raises(svstate.UnsupportedOperation, match="CreateDataset"):
        svstate.preflight("create_recommender", {})
    assert pickle.loads(pickle.dumps(v)) == v


# -- the Tracker over the chain ------------------------------------------------------------


def test_the_tracker_keeps_what_a_create_request_set_before_any_describe() -> None:
    # A domain dataset group and schema, created and not yet described: their domains
    # come from the requests, so SV211 must not take them for custom ones (a false DENY
    # that the Immersion Day notebook hit under the guard).
    t = svstate.Tracker()
    t.observe(
        "CreateDatasetGroup", {"name": "shop", "domain": "ECOMMERCE"}, {"datasetGroupArn": DSG}
    )
    t.observe(
        "CreateSchema", {"name": "i", "schema": "{}", "domain": "ECOMMERCE"}, {"schemaArn": SCHEMA}
    )
    v = t.preflight("CreateDataset", DATASET_PARAMS)
    assert (v.decision, v.missing) == (Decision.UNKNOWN, ("dataset_group.status",))
    t.observe("CreateSchema", {"name": "j", "schema": "{}"}, {"schemaArn": SCHEMA + "-custom"})
    mixed = t.preflight("CreateDataset", {**DATASET_PARAMS, "schemaArn": SCHEMA + "-custom"})
    assert rules_of(mixed) == ["SV211"]  # the boundary: a custom schema in a domain group


def test_the_tracker_learns_the_chain_from_what_it_observes() -> None:
    t = svstate.Tracker()
    t.observe("CreateDatasetGroup", {"name": "movies"}, {"datasetGroupArn": DSG})
    v = t.preflight("CreateDataset", DATASET_PARAMS)
    assert v.decision is Decision.UNKNOWN
    assert v.missing == ("dataset_group.status", "schema")  # known to exist, status not seen
    t.observe(
        "describe_dataset_group",
        {"datasetGroupArn": DSG},
        {"datasetGroup": group("CREATE PENDING")},
    )
    t.observe("CreateSchema", {"name": "interactions", "schema": "{}"}, {"schemaArn": SCHEMA})
    assert rules_of(t.preflight("CreateDataset", DATASET_PARAMS)) == ["SV210"]
    t.observe("DescribeDatasetGroup", {"datasetGroupArn": DSG}, {"datasetGroup": group("ACTIVE")})
    assert t.preflight("CreateDataset", DATASET_PARAMS).decision is Decision.ALLOW

    # DeleteDatasetGroup needs the complete lists: a listing whose every page was seen.
    t.observe("CreateDataset", DATASET_PARAMS, {"datasetArn": DATASET})
    assert t.preflight("DeleteDatasetGroup", {"datasetGroupArn": DSG}).missing == (
        "event_trackers",
        "solutions",
        "datasets",
    )
    for name, key in (("ListEventTrackers", "eventTrackers"), ("ListSolutions", "solutions")):
        t.observe(name, {"datasetGroupArn": DSG}, {key: []})
    t.observe(
        "ListDatasets",
        {"datasetGroupArn": DSG},
        {"datasets": [{"datasetArn": DATASET, "status": "ACTIVE"}], "nextToken": "2"},
    )
    assert "datasets" in t.preflight("DeleteDatasetGroup", {"datasetGroupArn": DSG}).missing
    t.observe("ListDatasets", {"datasetGroupArn": DSG, "nextToken": "2"}, {"datasets": []})
    assert rules_of(t.preflight("DeleteDatasetGroup", {"datasetGroupArn": DSG})) == ["SV212"]
    t.observe("DeleteDataset", {"datasetArn": DATASET}, {})
    still = t.preflight("DeleteDatasetGroup", {"datasetGroupArn": DSG})
    assert "DELETE PENDING" not in still.findings[0].message or True
    assert rules_of(still) == ["SV212"]  # a dataset being deleted still blocks
    t.observe(
        "DescribeDataset",
        {"datasetArn": DATASET},
        {"Error": {"Code": "ResourceNotFoundException", "Message": "gone"}},
    )
    assert t.preflight("DeleteDatasetGroup", {"datasetGroupArn": DSG}).decision is Decision.ALLOW


def test_tracker_preflight_of_a_batch_job_reads_the_tracked_version() -> None:
    t = svstate.Tracker()
    t.observe(
        "DescribeSolutionVersion",
        {"solutionVersionArn": V1},
        {
            "solutionVersion": {
                "solutionVersionArn": V1,
                "solutionArn": SOL,
                "status": "CREATE IN_PROGRESS",
            }
        },
    )
    assert rules_of(t.preflight("CreateBatchInferenceJob", BATCH_PARAMS)) == ["SV210"]
    t.observe(
        "DescribeSolutionVersion",
        {"solutionVersionArn": V1},
        {"solutionVersion": {"solutionVersionArn": V1, "solutionArn": SOL, "status": "ACTIVE"}},
    )
    assert t.preflight("CreateBatchInferenceJob", BATCH_PARAMS).decision is Decision.ALLOW


def test_the_chain_memory_survives_a_snapshot_and_a_corrupt_one_is_refused(tmp_path: Any) -> None:
    t = svstate.Tracker()
    t.observe("DescribeDatasetGroup", {"datasetGroupArn": DSG}, {"datasetGroup": group("ACTIVE")})
    t.observe("CreateSchema", {"name": "s", "schema": "{}"}, {"schemaArn": SCHEMA})
    for name, key in (("ListEventTrackers", "eventTrackers"), ("ListSolutions", "solutions")):
        t.observe(name, {"datasetGroupArn": DSG}, {key: []})
    t.observe(
        "ListDatasets",
        {"datasetGroupArn": DSG},
        {"datasets": [{"datasetArn": DATASET, "status": "ACTIVE"}]},
    )
    path = tmp_path / "t.json"
    t.save(path)
    back = svstate.Tracker.load(path)
    assert back.snapshot() == t.snapshot()
    assert back.preflight("CreateDataset", DATASET_PARAMS).decision is Decision.ALLOW
    assert rules_of(back.preflight("DeleteDatasetGroup", {"datasetGroupArn": DSG})) == ["SV212"]
    # Observations after a restore still reach the restored memory.
    back.observe(
        "DescribeDatasetGroup", {"datasetGroupArn": DSG}, {"datasetGroup": group("DELETE PENDING")}
    )
    assert back.preflight("CreateDataset", DATASET_PARAMS).decision is Decision.DENY

    doc = t.snapshot()
    for bad, words in (
        ({"described": {"recipe": {}}}, "not a chain resource"),
        (
            {"described": {"dataset_group": {DSG: {"datasetGroupArn": DSG, "status": 3}}}},
            "not a string",
        ),
        ({"described": {}, "listed": [["dataset", DSG, [DATASET]]]}, "not described"),
        ("junk", "not a dict"),
    ):
        with pytest.raises(svstate.SvstateError, match=words):
            svstate.Tracker.restore({**doc, "chain": bad})


# -- SV215: one event tracker per dataset group -------------------------------------------

TRACKER_PARAMS = {"name": "live", "datasetGroupArn": DSG}
TRACKER = ACCT + ":event-tracker/0a1b2c3d"


@pytest.mark.parametrize("status", ["ACTIVE", "CREATE PENDING", "DELETE IN_PROGRESS"])
def test_sv215_a_second_event_tracker_is_refused(status: str) -> None:
    v = svstate.preflight(
        "CreateEventTracker",
        TRACKER_PARAMS,
        dataset_group=group("ACTIVE"),
        event_trackers=[{"eventTrackerArn": TRACKER, "status": status}],
    )
    assert v.decision is Decision.DENY
    assert rules_of(v) == ["SV215"]
    finding = v.findings[0]
    assert finding.error_code == "ResourceAlreadyExistsException"
    assert f"already has event tracker 0a1b2c3d ({status})" in finding.message
    assert ("gone" in (finding.hint or "")) is status.startswith("DELETE")


def test_sv215_boundary_no_tracker_yet_and_the_list_missing() -> None:
    first = svstate.preflight(
        "CreateEventTracker", TRACKER_PARAMS, dataset_group=group("ACTIVE"), event_trackers=[]
    )
    assert first.decision is Decision.ALLOW
    assert first.findings == ()
    unknown = svstate.preflight(
        "CreateEventTracker", TRACKER_PARAMS, dataset_group=group("ACTIVE")
    )
    assert unknown.decision is Decision.UNKNOWN
    assert unknown.missing == ("event_trackers",)
    junk = svstate.preflight("CreateEventTracker", TRACKER_PARAMS, event_trackers="none")
    assert junk.decision is Decision.UNKNOWN
    assert rules_of(junk) == ["SV505"]


# -- SV216: INCREMENTAL needs an earlier ACTIVE import ------------------------------------

JOB = ACCT + ":dataset-import-job/first"
INCREMENTAL = {**IMPORT_PARAMS, "jobName": "more", "importMode": "INCREMENTAL"}
ACTIVE_DATASET = {"datasetArn": DATASET, "status": "ACTIVE"}


@pytest.mark.parametrize(
    ("jobs", "hint"),
    [
        ([], "Import with importMode FULL first"),
        ([{"datasetImportJobArn": JOB, "status": "CREATE FAILED"}], "Import with importMode FULL"),
        (
            [{"datasetImportJobArn": JOB, "status": "CREATE IN_PROGRESS"}],
            "dataset_import_job_active",
        ),
    ],
)
def test_sv216_incremental_before_any_active_import_is_refused(
    jobs: list[dict[str, str]], hint: str
) -> None:
    v = svstate.preflight(
        "CreateDatasetImportJob", INCREMENTAL, dataset=ACTIVE_DATASET, dataset_imports=jobs
    )
    assert v.decision is Decision.DENY
    assert rules_of(v) == ["SV216"]
    assert v.findings[0].path == "importMode"
    assert v.findings[0].error_code == "InvalidInputException"
    assert hint in (v.findings[0].hint or "")


def test_sv216_boundary() -> None:
    done = [{"datasetImportJobArn": JOB, "status": "ACTIVE"}]
    ok = svstate.preflight(
        "CreateDatasetImportJob", INCREMENTAL, dataset=ACTIVE_DATASET, dataset_imports=done
    )
    assert ok.decision is Decision.ALLOW
    assert ok.findings == ()
    # FULL (or no importMode) needs no earlier import, and no list of them
    for params in (IMPORT_PARAMS, {**IMPORT_PARAMS, "importMode": "FULL"}):
        first = svstate.preflight("CreateDatasetImportJob", params, dataset=ACTIVE_DATASET)
        assert first.decision is Decision.ALLOW, first
    # INCREMENTAL without the dataset's import jobs, or with one whose status is unknown
    missing = svstate.preflight("CreateDatasetImportJob", INCREMENTAL, dataset=ACTIVE_DATASET)
    assert missing.decision is Decision.UNKNOWN
    assert missing.missing == ("dataset_imports",)
    unsure = svstate.preflight(
        "CreateDatasetImportJob",
        INCREMENTAL,
        dataset=ACTIVE_DATASET,
        dataset_imports=[{"datasetImportJobArn": JOB}],
    )
    assert unsure.decision is Decision.UNKNOWN
    assert unsure.missing == ("dataset_imports",)
    # importMode did not exist before 2022-08-02: the request itself is refused there
    old = svstate.preflight(
        "CreateDatasetImportJob", INCREMENTAL, dataset=ACTIVE_DATASET, ruleset="2022-08-01"
    )
    assert "SV216" not in rules_of(old)
    assert rules_of(old) == ["SV105"]  # a member the ruleset does not know


def test_the_tracker_lists_a_datasets_import_jobs_for_sv216() -> None:
    t = svstate.Tracker()
    t.observe("DescribeDataset", {"datasetArn": DATASET}, {"dataset": ACTIVE_DATASET})
    unknown = t.preflight("CreateDatasetImportJob", INCREMENTAL)
    assert unknown.missing == ("dataset_imports",)
    assert svstate._chaintrack.chain_refresh(unknown.missing, INCREMENTAL) == [
        ("list_dataset_import_jobs", True, {"datasetArn": DATASET})
    ]
    listing = {"datasetImportJobs": [{"datasetImportJobArn": JOB, "status": "CREATE PENDING"}]}
    t.observe("ListDatasetImportJobs", {"datasetArn": DATASET}, listing)
    assert rules_of(t.preflight("CreateDatasetImportJob", INCREMENTAL)) == ["SV216"]
    t.observe(
        "DescribeDatasetImportJob",
        {"datasetImportJobArn": JOB},
        {
            "datasetImportJob": {
                "datasetImportJobArn": JOB,
                "datasetArn": DATASET,
                "status": "ACTIVE",
            }
        },
    )
    assert t.preflight("CreateDatasetImportJob", INCREMENTAL).decision is Decision.ALLOW
    # what the caller passes wins over what the tracker remembers
    passed = t.preflight("CreateDatasetImportJob", INCREMENTAL, dataset_imports=[])
    assert rules_of(passed) == ["SV216"]
    back = svstate.Tracker.restore(t.snapshot())
    assert back.preflight("CreateDatasetImportJob", INCREMENTAL).decision is Decision.ALLOW


# -- SV217: performIncrementalUpdate outside the semantic-similarity recipe -----------------

SIMILARITY = "arn:aws:personalize:::recipe/aws-semantic-similarity"
USER_P = "arn:aws:personalize:::recipe/aws-user-personalization"


def _incremental_solution(recipe: str, **more: Any) -> dict[str, Any]:
    return {
        "name": "similar",
        "datasetGroupArn": DSG,
        "recipeArn": recipe,
        "performIncrementalUpdate": True,
        **more,
    }


@pytest.mark.parametrize("recipe", [USER_P, "arn:aws:personalize:::recipe/aws-sims"])
def test_sv217_warns_on_incremental_updates_outside_semantic_similarity(recipe: str) -> None:
    v = svstate.preflight("CreateSolution", _incremental_solution(recipe))
    assert v.decision is Decision.ALLOW  # UNCONFIRMED: a warning, never a denial
    assert rules_of(v) == ["SV217"]
    finding = v.findings[0]
    assert str(finding.severity) == "warning"
    assert finding.path == "performIncrementalUpdate"
    assert recipe.rpartition("/")[2] in finding.message
    assert SIMILARITY in (finding.hint or "")


def test_sv217_boundary_the_recipe_it_is_for_false_and_before_the_member() -> None:
    assert svstate.preflight("CreateSolution", _incremental_solution(SIMILARITY)).findings == ()
    off = {**_incremental_solution(USER_P), "performIncrementalUpdate": False}
    assert svstate.preflight("CreateSolution", off).findings == ()
    # before 2025-12-01 the member itself is unknown (SV105), and SV217 is not in force
    old = svstate.preflight("CreateSolution", _incremental_solution(USER_P), ruleset="2025-11-30")
    assert rules_of(old) == ["SV105"]


def test_sv217_on_update_solution_reads_the_solution_s_recipe() -> None:
    params = {"solutionArn": SOL, "performIncrementalUpdate": True}
    sims = {"solutionArn": SOL, "status": "ACTIVE", "recipeArn": USER_P}
    warned = svstate.preflight("UpdateSolution", params, solution=sims)
    assert warned.decision is Decision.ALLOW
    assert rules_of(warned) == ["SV217"]
    similar = {**sims, "recipeArn": SIMILARITY}
    assert svstate.preflight("UpdateSolution", params, solution=similar).findings == ()
    # a warning needs no fact: without the solution, or with another one, nothing to say
    assert "SV217" not in rules_of(svstate.preflight("UpdateSolution", params))
    other = {**sims, "solutionArn": SOL + "x"}
    assert "SV217" not in rules_of(svstate.preflight("UpdateSolution", params, solution=other))


# -- the chain memory follows each resource's declared lifecycle ---------------------------


def _seen(t: svstate.Tracker, status: str) -> svstate.Verdict:
    return t.observe(
        "DescribeDataset",
        {"datasetArn": DATASET},
        {"dataset": {"datasetArn": DATASET, "status": status}},
    )


def test_a_chain_resource_never_moves_backwards_and_an_illegal_move_is_reported() -> None:
    t = svstate.Tracker()
    assert _seen(t, "CREATE IN_PROGRESS").findings == ()
    assert _seen(t, "ACTIVE").findings == ()  # forward: no finding
    stale = _seen(t, "CREATE PENDING")
    assert rules_of(stale) == ["SV506"]
    assert "holds the later ACTIVE; it is ignored" in stale.findings[0].message
    assert t.preflight("CreateDatasetImportJob", IMPORT_PARAMS).decision is Decision.ALLOW
    illegal = _seen(t, "CREATE FAILED")
    assert rules_of(illegal) == ["SV501"]
    assert illegal.findings[0].path == "dataset.status"
    assert illegal.findings[0].message == (
        "Dataset movies/INTERACTIONS went from ACTIVE to CREATE FAILED, which its lifecycle "
        "does not allow."
    )
    # applied: the service's newest word
    assert rules_of(t.preflight("CreateDatasetImportJob", IMPORT_PARAMS)) == ["SV210"]


def test_deletion_moves_forward_and_a_creation_after_it_is_a_new_resource() -> None:
    t = svstate.Tracker()
    assert _seen(t, "ACTIVE").findings == ()
    assert _seen(t, "DELETE IN_PROGRESS").findings == ()
    assert rules_of(_seen(t, "DELETE PENDING")) == ["SV506"]
    assert _seen(t, "CREATE PENDING").findings == ()  # created again under the same name


def test_a_listing_is_checked_too_and_names_its_item() -> None:
    t = svstate.Tracker()
    _seen(t, "ACTIVE")
    listed = t.observe(
        "ListDatasets",
        {"datasetGroupArn": DSG},
        {"datasets": [{"datasetArn": DATASET, "status": "CREATE PENDING"}]},
    )
    assert rules_of(listed) == ["SV506"]
    assert listed.findings[0].path == "datasets[0]"
    facts = svstate.Tracker.restore(t.snapshot())
    assert facts.preflight("CreateDatasetImportJob", IMPORT_PARAMS).decision is Decision.ALLOW


# -- SV904: DeleteDataset while an import job or a training is in flight -------------------

JOB_1 = ACCT + ":dataset-import-job/first"
ACTIVE_SOLUTION = {"solutionArn": SOL, "status": "ACTIVE"}


def _delete_dataset(**facts: Any) -> svstate.Verdict:
    return svstate.preflight("DeleteDataset", {"datasetArn": DATASET}, **facts)


@pytest.mark.parametrize("status", ["CREATE PENDING", "CREATE IN_PROGRESS"])
def test_sv904_an_import_job_in_flight_keeps_the_dataset(status: str) -> None:
    v = _delete_dataset(
        dataset_imports=[{"datasetImportJobArn": JOB_1, "status": status}], solutions=[]
    )
    assert v.decision is Decision.DENY
    assert rules_of(v) == ["SV904"]
    finding = v.findings[0]
    assert finding.error_code == "ResourceInUseException"
    assert f"import job first ({status})" in finding.message
    assert "dataset_import_job_active" in (finding.hint or "")
    assert "StopSolutionVersionCreation" not in (finding.hint or "")


@pytest.mark.parametrize("status", ["CREATE PENDING", "CREATE IN_PROGRESS"])
def test_sv904_a_training_on_the_dataset_group_keeps_the_dataset(status: str) -> None:
    v = _delete_dataset(
        dataset_imports=[],
        solutions=[ACTIVE_SOLUTION],
        versions=[{"solutionVersionArn": V1, "status": status}],
    )
    assert v.decision is Decision.DENY
    assert f"solution version movies/0a1b2c3d ({status})" in v.findings[0].message
    assert "StopSolutionVersionCreation" in (v.findings[0].hint or "")


def test_sv904_names_every_busy_resource_and_counts_the_rest() -> None:
    jobs = [{"datasetImportJobArn": f"{JOB_1}{i}", "status": "CREATE PENDING"} for i in range(4)]
    v = _delete_dataset(dataset_imports=jobs, solutions=[])
    assert "and 1 more" in v.findings[0].message


@pytest.mark.parametrize(
    ("job", "version"),
    [
        ("ACTIVE", "ACTIVE"),
        ("CREATE FAILED", "CREATE FAILED"),
        ("ACTIVE", "CREATE STOPPED"),
        ("ACTIVE", "CREATE STOPPING"),  # the reference names only PENDING and IN PROGRESS
    ],
)
def test_sv904_boundary_settled_jobs_and_versions_let_it_go(job: str, version: str) -> None:
    v = _delete_dataset(
        dataset_imports=[{"datasetImportJobArn": JOB_1, "status": job}],
        solutions=[ACTIVE_SOLUTION],
        versions=[{"solutionVersionArn": V1, "status": version}],
    )
    assert v.decision is Decision.ALLOW
    assert v.findings == ()


def test_sv904_boundary_no_live_solution_needs_no_versions() -> None:
    for solutions in ([], [{"solutionArn": SOL, "status": "DELETE PENDING"}]):
        v = _delete_dataset(dataset_imports=[], solutions=solutions)
        assert v.decision is Decision.ALLOW, solutions


def test_sv904_missing_or_unreadable_facts_are_unknown_never_allow() -> None:
    assert _delete_dataset().missing == ("dataset_imports", "solutions")
    assert _delete_dataset(dataset_imports=[], solutions=[ACTIVE_SOLUTION]).missing == (
        "versions",
    )
    odd = _delete_dataset(
        dataset_imports=[{"datasetImportJobArn": JOB_1, "status": "QUEUED"}], solutions=[]
    )
    assert odd.decision is Decision.UNKNOWN
    assert odd.missing == ("dataset_imports",)
    junk = _delete_dataset(dataset_imports="none", solutions=[])
    assert junk.decision is Decision.UNKNOWN
    assert rules_of(junk) == ["SV505"]
    # what is known to be busy denies even while other facts are missing
    busy = _delete_dataset(
        dataset_imports=[{"datasetImportJobArn": JOB_1, "status": "CREATE PENDING"}]
    )
    assert busy.decision is Decision.DENY


# -- SV905: DeleteSchema while a dataset uses the schema ------------------------------------


@pytest.mark.parametrize("status", ["ACTIVE", "CREATE FAILED", "DELETE PENDING"])
def test_sv905_a_dataset_using_the_schema_keeps_it(status: str) -> None:
    v = svstate.preflight(
        "DeleteSchema",
        {"schemaArn": SCHEMA},
        datasets=[{"datasetArn": DATASET, "schemaArn": SCHEMA, "status": status}],
    )
    assert v.decision is Decision.DENY
    assert rules_of(v) == ["SV905"]
    assert v.findings[0].error_code == "ResourceInUseException"
    assert f"used by dataset movies/INTERACTIONS ({status})" in v.findings[0].message


def test_sv905_boundary_datasets_of_other_schemas_and_none_at_all() -> None:
    other = {"datasetArn": DATASET, "schemaArn": SCHEMA + "-v2", "status": "ACTIVE"}
    for datasets in ([], [other]):
        v = svstate.preflight("DeleteSchema", {"schemaArn": SCHEMA}, datasets=datasets)
        assert v.decision is Decision.ALLOW
        assert v.findings == ()


def test_sv905_needs_to_know_which_schema_each_dataset_uses() -> None:
    assert svstate.preflight("DeleteSchema", {"schemaArn": SCHEMA}).missing == ("datasets",)
    summary = {"datasetArn": DATASET, "status": "ACTIVE"}  # ListDatasets: no schemaArn
    v = svstate.preflight("DeleteSchema", {"schemaArn": SCHEMA}, datasets=[summary])
    assert v.decision is Decision.UNKNOWN
    assert v.missing == ("datasets",)
    using = {**summary, "schemaArn": SCHEMA}
    both = svstate.preflight("DeleteSchema", {"schemaArn": SCHEMA}, datasets=[summary, using])
    assert both.decision is Decision.DENY


# -- the Tracker and the guard over DeleteDataset and DeleteSchema --------------------------


def test_the_tracker_knows_what_keeps_a_dataset_and_a_schema() -> None:
    t = svstate.Tracker()
    t.observe("CreateDataset", DATASET_PARAMS, {"datasetArn": DATASET})
    delete = {"datasetArn": DATASET}
    assert t.preflight("DeleteDataset", delete).missing == ("dataset_imports", "solutions")
    t.observe("ListDatasetImportJobs", {"datasetArn": DATASET}, {"datasetImportJobs": []})
    t.observe("ListSolutions", {"datasetGroupArn": DSG}, {"solutions": [ACTIVE_SOLUTION]})
    assert t.preflight("DeleteDataset", delete).missing == ("versions",)
    t.observe(
        "ListSolutionVersions",
        {"solutionArn": SOL},
        {"solutionVersions": [{"solutionVersionArn": V1, "status": "CREATE IN_PROGRESS"}]},
    )
    assert rules_of(t.preflight("DeleteDataset", delete)) == ["SV904"]
    t.observe(
        "DescribeSolutionVersion",
        {"solutionVersionArn": V1},
        {
            "solutionVersion": {
                "solutionVersionArn": V1,
                "status": "ACTIVE",
                "trainingMode": "FULL",
            }
        },
    )
    assert t.preflight("DeleteDataset", delete).decision is Decision.ALLOW

    # DeleteSchema: a dataset the tracker knows uses the schema denies; none known is UNKNOWN
    assert rules_of(t.preflight("DeleteSchema", {"schemaArn": SCHEMA})) == ["SV905"]
    t.observe("DeleteDataset", delete, {})
    assert (
        "DELETE PENDING" in t.preflight("DeleteSchema", {"schemaArn": SCHEMA}).findings[0].message
    )
    t.observe(
        "DescribeDataset",
        delete,
        {"Error": {"Code": "ResourceNotFoundException", "Message": "gone"}},
    )
    after = t.preflight("DeleteSchema", {"schemaArn": SCHEMA})
    assert after.decision is Decision.UNKNOWN
    assert after.missing == ("datasets",)
