"""For each rule, a call that triggers it and one on its boundary that does not.

``docs/generate.py`` renders these into the rule pages under ``docs/rules/``
as doctests, so every example in the docs is checked by the test suite.
Each example is Python source that evaluates to a Verdict.
"""

from __future__ import annotations

SOL = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
V1 = SOL + "/0a1b2c3d"
HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
SIMS = "arn:aws:personalize:::recipe/aws-sims"
ACTIVE_SOL = f'{{"solutionArn": "{SOL}", "status": "ACTIVE", "recipeArn": "{HRNN}"}}'
FULL = f'{{"solutionVersionArn": "{V1}", "status": "ACTIVE", "trainingMode": "FULL"}}'
PENDING = f'{{"solutionVersionArn": "{V1}", "status": "CREATE PENDING", "trainingMode": "FULL"}}'


ACCT = "arn:aws:personalize:us-east-1:123456789012"
DSG = ACCT + ":dataset-group/movies"
SCHEMA = ACCT + ":schema/interactions"
DATASET = ACCT + ":dataset/movies/INTERACTIONS"
CAMPAIGN = ACCT + ":campaign/movies"
ROLE = "arn:aws:iam::123456789012:role/personalize"


def group(status: str, domain: str = "") -> str:
    extra = f', "domain": "{domain}"' if domain else ""
    return f'{{"datasetGroupArn": "{DSG}", "status": "{status}"{extra}}}'


def create_dataset(facts: str) -> str:
    return (
        f'svstate.preflight("CreateDataset", {{"name": "interactions", "schemaArn": "{SCHEMA}", '
        f'"datasetGroupArn": "{DSG}", "datasetType": "Interactions"}}, {facts})'
    )


def import_job(status: str) -> str:
    return (
        f'svstate.preflight("CreateDatasetImportJob", {{"jobName": "first", "datasetArn": '
        f'"{DATASET}", "dataSource": {{"dataLocation": "s3://bucket/i.csv"}}, "roleArn": '
        f'"{ROLE}"}}, dataset={{"datasetArn": "{DATASET}", "status": "{status}"}})'
    )


def event_tracker(trackers: str) -> str:
    return (
        f'svstate.preflight("CreateEventTracker", {{"name": "live", "datasetGroupArn": "{DSG}"}}, '
        f"dataset_group={group('ACTIVE')}, event_trackers=[{trackers}])"
    )


def incremental(job_status: str) -> str:
    return (
        f'svstate.preflight("CreateDatasetImportJob", {{"jobName": "more", "datasetArn": '
        f'"{DATASET}", "dataSource": {{"dataLocation": "s3://bucket/more.csv"}}, "roleArn": '
        f'"{ROLE}", "importMode": "INCREMENTAL"}}, dataset={{"datasetArn": "{DATASET}", '
        f'"status": "ACTIVE"}}, dataset_imports=[{{"datasetImportJobArn": "{ACCT}:'
        f'dataset-import-job/first", "status": "{job_status}"}}])'
    )


def incremental_solution(recipe: str) -> str:
    return (
        f'svstate.preflight("CreateSolution", {{"name": "similar", "datasetGroupArn": "{DSG}", '
        f'"recipeArn": "arn:aws:personalize:::recipe/{recipe}", "performIncrementalUpdate": '
        "True})"
    )


def delete_dataset(training: str) -> str:
    return (
        f'svstate.preflight("DeleteDataset", {{"datasetArn": "{DATASET}"}}, dataset_imports=[], '
        f'solutions=[{{"solutionArn": "{SOL}", "status": "ACTIVE"}}], versions=[{{'
        f'"solutionVersionArn": "{V1}", "status": "{training}"}}])'
    )


def delete_schema(dataset: str) -> str:
    return (
        f'svstate.preflight("DeleteSchema", {{"schemaArn": "{SCHEMA}"}}, datasets=[{{'
        f'"datasetArn": "{DATASET}", "schemaArn": "{SCHEMA}", "status": "{dataset}"}}])'
    )


def update_campaign(campaign: str, version: str = "ACTIVE") -> str:
    return (
        f'svstate.preflight("UpdateCampaign", {{"campaignArn": "{CAMPAIGN}", '
        f'"solutionVersionArn": "{V1}"}}, campaign={{"campaignArn": "{CAMPAIGN}", {campaign}}}, '
        f'solution_version={{"solutionVersionArn": "{V1}", "status": "{version}"}})'
    )


def csv(params: str, facts: str = "", ruleset: str = "2019-10-14") -> str:
    extra = f", {facts}" if facts else ""
    return f'svstate.preflight("CreateSolutionVersion", {params}{extra}, ruleset="{ruleset}")'


def _observe_twice(first: str, second: str) -> str:
    """Two observations of one ACTIVE version; the second's verdict is the example's."""

    def fact(when: str) -> str:
        return (
            f'{{"solutionVersion": {{"solutionVersionArn": "{V1}", "status": "ACTIVE", '
            f'"lastUpdatedDateTime": "{when}"}}}}'
        )

    return (
        f'[t.observe("DescribeSolutionVersion", {{}}, {fact(first)}), '
        f't.observe("DescribeSolutionVersion", {{}}, {fact(second)})][1]'
    )


#: rule id -> (triggers, does not trigger): source of a call returning a Verdict
EXAMPLES: dict[str, tuple[str, str]] = {
    "SV101": (
        'svstate.preflight("DeleteSolution", {})',
        f'svstate.preflight("DeleteSolution", {{"solutionArn": "{SOL}"}})',
    ),
    "SV102": (
        csv('{"solutionArn": "' + SOL + "x" * 200 + '"}'),
        csv('{"solutionArn": "' + SOL + '"}'),
    ),
    "SV103": (csv('{"solutionArn": "' + V1 + '"}'), csv('{"solutionArn": "' + SOL + '"}')),
    "SV104": (
        csv('{"solutionArn": "' + SOL + '", "trainingMode": "AUTOTRAIN"}'),
        csv('{"solutionArn": "' + SOL + '", "trainingMode": "AUTOTRAIN"}', ruleset="2024-04-19"),
    ),
    "SV105": (
        csv('{"solutionArn": "' + SOL + '", "name": "nightly"}', ruleset="2022-11-16"),
        csv('{"solutionArn": "' + SOL + '", "name": "nightly"}', ruleset="2022-11-17"),
    ),
    "SV106": (
        csv('{"solutionArn": "' + SOL + '", "name": "-nightly"}', ruleset="latest"),
        csv('{"solutionArn": "' + SOL + '", "name": "nightly-1"}', ruleset="latest"),
    ),
    "SV107": (
        csv('{"solutionArn": "' + SOL + '", "trainingMode": "AUTOTRAIN"}', ruleset="latest"),
        csv('{"solutionArn": "' + SOL + '", "trainingMode": "FULL"}', ruleset="latest"),
    ),
    "SV201": (
        csv(
            '{"solutionArn": "' + SOL + '"}',
            f'solution={{"solutionArn": "{SOL}", "status": "CREATE IN_PROGRESS"}}',
        ),
        csv('{"solutionArn": "' + SOL + '"}', f"solution={ACTIVE_SOL}"),
    ),
    "SV210": (
        create_dataset(
            f'dataset_group={group("CREATE IN_PROGRESS")}, schema={{"schemaArn": "{SCHEMA}"}}'
        ),
        create_dataset(f'dataset_group={group("ACTIVE")}, schema={{"schemaArn": "{SCHEMA}"}}'),
    ),
    "SV211": (
        create_dataset(
            f'dataset_group={group("ACTIVE", "ECOMMERCE")}, schema={{"schemaArn": "{SCHEMA}"}}'
        ),
        create_dataset(
            f'dataset_group={group("ACTIVE", "ECOMMERCE")}, schema={{"schemaArn": "{SCHEMA}", '
            '"domain": "ECOMMERCE"}'
        ),
    ),
    "SV212": (
        f'svstate.preflight("DeleteDatasetGroup", {{"datasetGroupArn": "{DSG}"}}, '
        f'datasets=[{{"datasetArn": "{DATASET}", "status": "ACTIVE"}}], solutions=[], '
        "event_trackers=[])",
        f'svstate.preflight("DeleteDatasetGroup", {{"datasetGroupArn": "{DSG}"}}, '
        "datasets=[], solutions=[], event_trackers=[])",
    ),
    "SV213": (
        update_campaign(
            '"status": "ACTIVE", "latestCampaignUpdate": {"status": "CREATE PENDING"}'
        ),
        update_campaign('"status": "ACTIVE", "latestCampaignUpdate": {"status": "ACTIVE"}'),
    ),
    "SV214": (
        csv(
            '{"solutionArn": "' + SOL + '"}',
            f"solution={ACTIVE_SOL}, versions=[], datasets=["
            f'{{"datasetArn": "{DATASET}", "datasetType": "Interactions", "status": "CREATE PENDING"}}]',
        ),
        csv(
            '{"solutionArn": "' + SOL + '"}',
            f"solution={ACTIVE_SOL}, versions=[], datasets=["
            f'{{"datasetArn": "{DATASET}", "datasetType": "Interactions", "status": "ACTIVE"}}]',
        ),
    ),
    "SV215": (
        event_tracker(
            f'{{"eventTrackerArn": "{ACCT}:event-tracker/0a1b2c3d", "status": "ACTIVE"}}'
        ),
        event_tracker(""),
    ),
    "SV216": (incremental("CREATE IN_PROGRESS"), incremental("ACTIVE")),
    "SV217": (
        incremental_solution("aws-user-personalization"),
        incremental_solution("aws-semantic-similarity"),
    ),
    "SV301": (
        csv(
            '{"solutionArn": "' + SOL + '", "trainingMode": "UPDATE"}',
            f"solution={ACTIVE_SOL}, versions=[{PENDING}]",
        ),
        csv(
            '{"solutionArn": "' + SOL + '", "trainingMode": "UPDATE"}',
            f"solution={ACTIVE_SOL}, versions=[{FULL}]",
        ),
    ),
    "SV302": (
        csv(
            '{"solutionArn": "' + SOL + '", "trainingMode": "UPDATE"}',
            f'solution={{"solutionArn": "{SOL}", "status": "ACTIVE", '
            f'"recipeArn": "{SIMS}"}}, versions=[{FULL}]',
        ),
        csv(
            '{"solutionArn": "' + SOL + '", "trainingMode": "UPDATE"}',
            f"solution={ACTIVE_SOL}, versions=[{FULL}]",
        ),
    ),
    "SV303": (
        csv(
            '{"solutionArn": "' + SOL + '", "trainingMode": "UPDATE"}',
            f'solution={ACTIVE_SOL}, versions=[{{"solutionVersionArn": "{V1}", '
            '"status": "ACTIVE", "trainingMode": "FULL", "creationDateTime": '
            '"2020-01-02T00:00:00Z"}], dataset_imports=[{"status": "ACTIVE", '
            '"lastUpdatedDateTime": "2020-01-01T00:00:00Z"}]',
        ),
        csv(
            '{"solutionArn": "' + SOL + '", "trainingMode": "UPDATE"}',
            f'solution={ACTIVE_SOL}, versions=[{{"solutionVersionArn": "{V1}", '
            '"status": "ACTIVE", "trainingMode": "FULL", "creationDateTime": '
            '"2020-01-02T00:00:00Z"}], dataset_imports=[{"status": "ACTIVE", '
            '"lastUpdatedDateTime": "2020-01-03T00:00:00Z"}]',
        ),
    ),
    "SV401": (
        csv('{"solutionArn": "' + SOL + '"}', f"solution={ACTIVE_SOL}, versions=[{PENDING}]"),
        csv('{"solutionArn": "' + SOL + '"}', f"solution={ACTIVE_SOL}, versions=[{FULL}]"),
    ),
    "SV402": (
        csv(
            '{"solutionArn": "' + SOL + '"}',
            f"solution={ACTIVE_SOL}, versions=[], account_in_flight=20",
        ),
        csv(
            '{"solutionArn": "' + SOL + '"}',
            f"solution={ACTIVE_SOL}, versions=[], account_in_flight=19",
        ),
    ),
    "SV403": (
        f'[t.acquire("{SOL}", "worker-1"), t.acquire("{SOL}", "worker-2")][1]',
        f'[t.acquire("{SOL}", "worker-1"), t.release("{SOL}", "worker-1"), '
        f't.acquire("{SOL}", "worker-2")][2]',
    ),
    "SV404": (
        'svstate.Tracker(store=svstate.stores.RedisStore("redis://127.0.0.1:1/0", '
        f'timeout=0.5)).preflight("CreateSolutionVersion", {{"solutionArn": "{SOL}"}})',
        "svstate.Tracker(store=svstate.stores.MemoryStore()).preflight("
        f'"CreateSolutionVersion", {{"solutionArn": "{SOL}"}})',
    ),
    "SV501": (
        'svstate.check_transition("ACTIVE", "CREATE IN_PROGRESS")',
        'svstate.check_transition("CREATE PENDING", "ACTIVE")',
    ),
    "SV502": (
        'svstate.check_transition("CREATE PENDING", "DONE")',
        'svstate.check_transition("CREATE PENDING", "CREATE FAILED")',
    ),
    "SV503": (
        'svstate.check_transition("CREATE_PENDING", "ACTIVE")',
        'svstate.check_transition("CREATE PENDING", "ACTIVE")',
    ),
    "SV504": (
        csv(
            '{"solutionArn": "' + SOL + '"}',
            f"solution={ACTIVE_SOL}, versions=["
            f'{{"solutionVersionArn": "{SOL}-other/0a1b2c3d", "status": "ACTIVE"}}]',
        ),
        csv('{"solutionArn": "' + SOL + '"}', f"solution={ACTIVE_SOL}, versions=[{FULL}]"),
    ),
    "SV505": (
        csv('{"solutionArn": "' + SOL + '"}', f'solution={ACTIVE_SOL}, versions=["{V1}"]'),
        csv('{"solutionArn": "' + SOL + '"}', f"solution={ACTIVE_SOL}, versions=[{FULL}]"),
    ),
    "SV506": (
        _observe_twice("2020-01-02T00:00:00Z", "2020-01-01T00:00:00Z"),
        _observe_twice("2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z"),
    ),
    "SV507": (
        csv(
            '{"solutionArn": "' + SOL + '", "trainingMode": "UPDATE"}',
            f"solution={ACTIVE_SOL}, versions=["
            f'{{"solutionVersionArn": "{V1}", "status": "ACTIVE", "trainingMode": "UPDATE"}}]',
        ),
        csv(
            '{"solutionArn": "' + SOL + '", "trainingMode": "UPDATE"}',
            f"solution={ACTIVE_SOL}, versions=[{FULL}, "
            f'{{"solutionVersionArn": "{SOL}/1b2c3d4e", "status": "ACTIVE", '
            '"trainingMode": "UPDATE"}]',
        ),
    ),
    "SV601": (
        f'svstate.validate("SolutionVersion", {{"solutionVersionArn": "{V1}", '
        '"status": "ACTIVE", "failureReason": "?"})',
        f'svstate.validate("SolutionVersion", {{"solutionVersionArn": "{V1}", '
        '"status": "CREATE FAILED", "failureReason": "Too few users."})',
    ),
    "SV602": (
        f'svstate.validate("SolutionVersion", {{"solutionVersionArn": "{V1}", '
        '"status": "CREATE IN_PROGRESS", "trainingHours": 1.0})',
        f'svstate.validate("SolutionVersion", {{"solutionVersionArn": "{V1}", '
        '"status": "ACTIVE", "trainingHours": 1.0})',
    ),
    "SV603": (
        f'svstate.validate("SolutionVersion", {{"solutionVersionArn": "{V1}", '
        f'"solutionArn": "{SOL}-other"}})',
        f'svstate.validate("SolutionVersion", {{"solutionVersionArn": "{V1}", '
        f'"solutionArn": "{SOL}"}})',
    ),
    "SV604": (
        'svstate.validate("SolutionVersion", {"creationDateTime": "2020-01-02T00:00:00Z", '
        '"lastUpdatedDateTime": "2020-01-01T00:00:00Z"})',
        'svstate.validate("SolutionVersion", {"creationDateTime": "2020-01-01T00:00:00Z", '
        '"lastUpdatedDateTime": "2020-01-01T00:00:00Z"})',
    ),
    "SV605": (
        'svstate.validate("SolutionVersion", {"solutionConfig": {"hpoConfig": '
        '{"hpoResourceConfig": {"maxNumberOfTrainingJobs": "41"}}}})',
        'svstate.validate("SolutionVersion", {"solutionConfig": {"hpoConfig": '
        '{"hpoResourceConfig": {"maxNumberOfTrainingJobs": "40"}}}})',
    ),
    "SV606": (
        'svstate.validate("SolutionVersion", {"solutionConfig": {"hpoConfig": '
        '{"algorithmHyperParameterRanges": {"integerHyperParameterRanges": '
        '[{"name": "bptt", "minValue": 64, "maxValue": 32}]}}}})',
        'svstate.validate("SolutionVersion", {"solutionConfig": {"hpoConfig": '
        '{"algorithmHyperParameterRanges": {"integerHyperParameterRanges": '
        '[{"name": "bptt", "minValue": 32, "maxValue": 64}]}}}})',
    ),
    "SV607": (
        'svstate.validate("SolutionVersion", {"trainingHours": -1.0})',
        'svstate.validate("SolutionVersion", {"trainingHours": 0.0})',
    ),
    "SV701": (
        f'svstate.preflight("CreateCampaign", {{"name": "movies", "solutionVersionArn": '
        f'"{V1}", "minProvisionedTPS": 1}}, versions=[{PENDING}])',
        f'svstate.preflight("CreateCampaign", {{"name": "movies", "solutionVersionArn": '
        f'"{V1}", "minProvisionedTPS": 1}}, versions=[{FULL}])',
    ),
    "SV702": (
        update_campaign('"status": "CREATE IN_PROGRESS"'),
        update_campaign('"status": "CREATE FAILED"'),
    ),
    "SV703": (
        update_campaign('"status": "ACTIVE"', "CREATE IN_PROGRESS"),
        update_campaign('"status": "ACTIVE"', "ACTIVE"),
    ),
    "SV801": (
        f'svstate.preflight("StopSolutionVersionCreation", {{"solutionVersionArn": '
        f'"{V1}"}}, versions=[{FULL}], ruleset="2021-05-20")',
        f'svstate.preflight("StopSolutionVersionCreation", {{"solutionVersionArn": '
        f'"{V1}"}}, versions=[{PENDING}], ruleset="2021-05-20")',
    ),
    "SV901": (
        f'svstate.preflight("DeleteSolution", {{"solutionArn": "{SOL}"}}, '
        f"versions=[{PENDING}], campaigns=[])",
        f'svstate.preflight("DeleteSolution", {{"solutionArn": "{SOL}"}}, '
        f"versions=[{FULL}], campaigns=[])",
    ),
    "SV902": (
        f'svstate.preflight("DeleteSolution", {{"solutionArn": "{SOL}"}}, '
        'versions=[], campaigns=[{"campaignArn": "c", "status": "ACTIVE"}])',
        f'svstate.preflight("DeleteSolution", {{"solutionArn": "{SOL}"}}, '
        'versions=[], campaigns=[{"campaignArn": "c", "status": "DELETE IN_PROGRESS"}])',
    ),
    "SV903": (
        f'svstate.preflight("DeleteSolution", {{"solutionArn": "{SOL}"}}, solution='
        f'{{"solutionArn": "{SOL}", "status": "DELETE PENDING"}}, versions=[], campaigns=[])',
        f'svstate.preflight("DeleteSolution", {{"solutionArn": "{SOL}"}}, solution='
        f"{ACTIVE_SOL}, versions=[], campaigns=[])",
    ),
    "SV904": (delete_dataset("CREATE IN_PROGRESS"), delete_dataset("ACTIVE")),
    "SV905": (
        delete_schema("DELETE PENDING"),
        f'svstate.preflight("DeleteSchema", {{"schemaArn": "{SCHEMA}"}}, datasets=[])',
    ),
}


_INFERRED = """\

**Inferred is not observed.** When the Tracker (and so the guard) knows a
status only because it saw the call that set it (CreateSolution,
CreateSolutionVersion and CreateCampaign leave CREATE PENDING; DeleteSolution
leaves DELETE PENDING; a stop leaves CREATE STOPPING or CREATE STOPPED), the
finding says "inferred from the ... call, not observed", and the status stands
for every status the lifecycle can reach from it. The rule denies only when
every one of those would deny; otherwise the finding is a warning and the
status is named in `missing` (UNKNOWN), so `unknown="refresh"` reads the real
one. Statuses read from a describe or list response say "observed".
"""

#: rule id -> Markdown for the page's "What svstate decides" section: what is confirmed,
#: by which source, and what the facts can prove.
NOTES: dict[str, str] = {
    "SV201": """\
| the solution is | verdict | confirmed by |
|---|---|---|
| ACTIVE | allowed | API Reference, CreateSolutionVersion: the solution "must be in the ACTIVE state before calling CreateSolutionVersion" |
| CREATE PENDING or CREATE IN_PROGRESS | **warning** (UNCONFIRMED) | no public source says the service refuses it. The Developer Guide's Python example (getting-started-python) calls `create_solution` and then `create_solution_version` with no wait; the aws-samples Step Functions pipeline (ml_ops_ds_sdk) waits a fixed 30 seconds; a solution without HPO or AutoML is configuration, not training |
| CREATE FAILED, DELETE PENDING, DELETE IN_PROGRESS | **denied** | it will never become ACTIVE |

The error code the service would answer with (ResourceInUseException is in
CreateSolutionVersion's error list) is UNCONFIRMED.
"""
    + _INFERRED,
    "SV301": _INFERRED,
    "SV701": _INFERRED,
    "SV801": _INFERRED,
    "SV901": _INFERRED,
    "SV902": _INFERRED,
    "SV507": """\
A version list given as the complete list (`versions=`) is checked against
what the service's own rules make impossible:

| the list shows | why the service cannot produce it |
|---|---|
| an ACTIVE version trained with UPDATE, and no ACTIVE FULL version | an UPDATE trains from an ACTIVE FULL version (CreateSolutionVersion refuses UPDATE without one); ACTIVE is terminal and versions are deleted only with their solution, so that FULL version would still be listed |
| an ACTIVE UPDATE version created before every ACTIVE FULL version | the FULL version had to exist, ACTIVE, when the UPDATE was created |
| a version created before its solution (`solution.creationDateTime`) | a version is created from an existing solution |
| the same version ARN twice | a listing names each version once; the pages were joined wrongly |

Such a list is not the service's current, complete answer, so svstate takes
it as proving **nothing**: every rule reads it as if `versions` had not been
given. A rule that needed the list then names `versions` as missing and the
verdict is UNKNOWN (the guard with `unknown="refresh"` fetches it again);
a rule that can decide from other facts (`solution.latestSolutionVersion`)
still does. The finding is a warning: it never denies by itself.

Only an ACTIVE UPDATE version counts: whether the service checks UPDATE's
precondition when the call is made or only while it trains is not
documented, so a CREATE FAILED (or still pending) UPDATE version without a
FULL one may be real. A version whose status or training mode is unknown
(SV502) might be the missing ACTIVE FULL version, so it never counts as a
contradiction. The
Tracker's picture is built from observations one at a time and is not checked
this way.
""",
}
