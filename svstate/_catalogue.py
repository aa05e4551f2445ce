"""The rule catalogue: every rule once, as data.

Rules in this file:

* A rule id, once published, keeps its meaning. Ids group by subject:
  SV1xx request shape, SV2xx the resources a call builds on (the solution,
  the dataset group, ...), SV3xx trainingMode preconditions,
  SV4xx concurrency and quotas, SV5xx observed statuses and facts, SV6xx
  response invariants and nested shapes, SV7xx campaigns, SV8xx stopping,
  SV9xx deleting.
* Each rule records its title, severity, the AWS error the service would
  answer with, the date it takes effect and its public source. Where the
  service's behaviour is not confirmed by any public source, the rule is a
  warning, never a denial, and its source says so.
* Findings are built only through :meth:`Rule.finding`, so a finding always
  carries its rule's defaults.
* What a rule checks lives in one place: the request and response shapes
  (``_shapes.py``) for shape rules, a predicate (``_rules.py``) for the rest.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

import attrs

from svstate._errors import SvstateError
from svstate._rulesets import AUTOTRAIN, DEFAULT_RULESET, GA, Ruleset, resolve_ruleset
from svstate._text import describe
from svstate._verdict import Finding
from svstate._vocab import Severity

__all__ = ["CATALOGUE", "Rule", "rules"]

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_MODEL = "botocore service model personalize/2018-05-22"
_GUIDE = "Amazon Personalize Developer Guide"
_API = "Amazon Personalize API Reference"

CSV = "CreateSolutionVersion"
STOP_OP = "StopSolutionVersionCreation"
CC = "CreateCampaign"
DS = "DeleteSolution"
SOLUTION_OPS = (CSV, STOP_OP, CC, DS)
#: The operations of the rest of the chain that preflight checks (svstate._chaincheck).
CHAIN_OPS = (
    "CreateDataset",
    "CreateDatasetImportJob",
    "CreateSolution",
    "UpdateSolution",
    "UpdateCampaign",
    "CreateBatchInferenceJob",
    "CreateEventTracker",
    "CreateFilter",
    "DeleteDatasetGroup",
    "DeleteDataset",
    "DeleteSchema",
)
ALL_OPS = SOLUTION_OPS + CHAIN_OPS
RESPONSES = ("SolutionVersion", "SolutionVersionSummary", "Solution")


@attrs.frozen
class Rule:
    """One rule of the catalogue.

    >>> import svstate
    >>> r = svstate.rule("SV301")
    >>> r.title
    'UPDATE needs an ACTIVE version of this solution trained with FULL'
    >>> r.error_code, str(r.severity), r.since.isoformat()
    ('InvalidInputException', 'error', '2019-10-14')
    """

    __module__ = "svstate"

    id: str
    title: str
    severity: Severity
    error_code: str | None
    since: _dt.date
    source: str
    applies_to: tuple[str, ...]
    confirmed: bool = True

    def finding(
        self,
        message: str,
        path: str | None = None,
        hint: str | None = None,
        *,
        severity: Severity | None = None,
        error_code: str | None = "",
    ) -> Finding:
        """A finding of this rule; severity and error code default to the rule's."""
        return Finding(
            self.id,
            self.severity if severity is None else severity,
            message,
            path,
            self.error_code if error_code == "" else error_code,
            hint,
        )

    def to_dict(self) -> dict[str, object]:
        """The rule as a JSON-serialisable dict."""
        return {
            "id": self.id,
            "title": self.title,
            "severity": str(self.severity),
            "error_code": self.error_code,
            "since": self.since.isoformat(),
            "source": self.source,
            "applies_to": list(self.applies_to),
            "confirmed": self.confirmed,
        }


def _r(
    id: str,
    sev: Severity,
    title: str,
    code: str | None,
    since: _dt.date,
    source: str,
    applies_to: tuple[str, ...],
    confirmed: bool = True,
) -> Rule:
    return Rule(id, title, sev, code, since, source, applies_to, confirmed)


_TRAINING_MODE = _dt.date(2019, 10, 14)

CATALOGUE: tuple[Rule, ...] = (
    _r(
        "SV101",
        E,
        "a required parameter is present",
        "ParamValidationError",
        GA,
        f"{_MODEL}: the 'required' list of each request shape (CreateSolutionVersionRequest, "
        "CreateCampaignRequest, StopSolutionVersionCreationRequest, DeleteSolutionRequest)",
        ALL_OPS,
    ),
    _r(
        "SV102",
        E,
        "an ARN matches the service's pattern and is at most 256 characters",
        "InvalidInputException",
        GA,
        f"{_MODEL}: shape Arn (max 256, pattern 'arn:([a-z\\d-]+):personalize:.*:.*:.+')",
        ALL_OPS + RESPONSES,
    ),
    _r(
        "SV103",
        E,
        "the ARN names the right kind of resource",
        "InvalidInputException",
        GA,
        f"{_API}: CreateSolutionVersion.solutionArn ('the ARN of the solution'), "
        "CreateCampaign.solutionVersionArn, StopSolutionVersionCreation.solutionVersionArn, "
        "DeleteSolution.solutionArn; ARN formats in the Developer Guide",
        ALL_OPS,
    ),
    _r(
        "SV104",
        E,
        "trainingMode is one of the ruleset's modes",
        "InvalidInputException",
        _TRAINING_MODE,
        f"{_MODEL}: shape TrainingMode (enum FULL, UPDATE; AUTOTRAIN from 2024-04-19)",
        (CSV, *RESPONSES),
    ),
    _r(
        "SV105",
        E,
        "no operation or parameter the ruleset does not know",
        "ParamValidationError",
        GA,
        f"{_MODEL}: the members of each request and response shape, by the date they appeared",
        ALL_OPS + RESPONSES,
    ),
    _r(
        "SV106",
        E,
        "name and tags follow their shapes",
        "InvalidInputException",
        GA,
        f"{_MODEL}: shapes Name (1..63, '^[a-zA-Z0-9][a-zA-Z0-9\\-_]*'), Tags (at most 200, "
        "TooManyTagsException), TagKey (1..128), TagValue (0..256)",
        ALL_OPS + RESPONSES,
    ),
    _r(
        "SV107",
        W,
        "the caller passes trainingMode AUTOTRAIN",
        None,
        AUTOTRAIN,
        f"{_MODEL}: TrainingMode enum gained AUTOTRAIN on 2024-04-19; whether a caller may pass "
        "it is not documented (UNCONFIRMED)",
        (CSV,),
        confirmed=False,
    ),
    _r(
        "SV201",
        E,
        "the solution is ACTIVE before CreateSolutionVersion",
        "ResourceInUseException",
        GA,
        f"{_API}: CreateSolutionVersion ('must be in the ACTIVE "
        "state before calling CreateSolutionVersion'); a denial only for a solution that will "
        "never be ACTIVE (CREATE FAILED, being deleted). For one still being created the refusal "
        f"is UNCONFIRMED (a warning): the {_GUIDE}'s Python example calls CreateSolutionVersion "
        "right after CreateSolution. The error code is UNCONFIRMED",
        (CSV,),
    ),
    _r(
        "SV210",
        E,
        "the resource a call builds on is ACTIVE (dataset group, dataset, solution, version)",
        "ResourceInUseException",
        GA,
        f"{_API}: CreateDatasetGroup ('You must wait until the status of the dataset group is "
        "ACTIVE before adding a dataset to the group'); CreateDatasetImportJob ('You must wait "
        "until the status shows as ACTIVE before training a model using the dataset'); "
        "UpdateSolution (2024-08-29) and CreateBatchInferenceJob name an existing solution and "
        "solution version. A denial for a resource that will never be ACTIVE; for one still "
        "being created a denial only where the reference says to wait (CreateDataset), "
        "otherwise UNCONFIRMED (a warning). CreateSolution and CreateEventTracker only "
        "'require a dataset group ARN' (CreateDatasetGroup): warnings only, UNCONFIRMED. "
        "The error code is UNCONFIRMED",
        (
            "CreateDataset",
            "CreateDatasetImportJob",
            "CreateSolution",
            "UpdateSolution",
            "CreateBatchInferenceJob",
            "CreateEventTracker",
        ),
    ),
    _r(
        "SV211",
        E,
        "a dataset's schema has its dataset group's domain",
        "InvalidInputException",
        _dt.date(2022, 11, 14),
        f"{_MODEL}: CreateSchemaRequest.domain ('If you are creating a schema for a dataset in "
        "a Domain dataset group, specify the domain you chose when you created the Domain "
        "dataset group'); domains appeared 2022-11-14",
        ("CreateDataset",),
    ),
    _r(
        "SV212",
        E,
        "DeleteDatasetGroup needs its event trackers, solutions and datasets deleted first",
        "ResourceInUseException",
        GA,
        f"{_API}: DeleteDatasetGroup ('Before you delete a dataset group, you must delete the "
        "following: All associated event trackers. All associated solutions. All datasets in "
        "the dataset group')",
        ("DeleteDatasetGroup",),
    ),
    _r(
        "SV213",
        W,
        "an update of this resource is already being created",
        None,
        GA,
        f"{_API}: UpdateCampaign and UpdateSolution (each update has its own CREATE PENDING > "
        "CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED, shown in latestCampaignUpdate or "
        "latestSolutionUpdate); what the service answers to a second update meanwhile is not "
        "documented (UNCONFIRMED)",
        ("UpdateCampaign", "UpdateSolution"),
        confirmed=False,
    ),
    _r(
        "SV214",
        W,
        "CreateSolutionVersion: the dataset group has an ACTIVE Interactions dataset",
        None,
        GA,
        f"{_API}: CreateDataset ('Only the Item interactions dataset is required in order to "
        "train a model'); CreateDatasetImportJob ('You must wait until the status shows as "
        "ACTIVE before training a model using the dataset'). Checked when the group's "
        "datasets are passed; what the service answers is not documented (UNCONFIRMED)",
        (CSV,),
        confirmed=False,
    ),
    _r(
        "SV215",
        E,
        "CreateEventTracker: the dataset group has no event tracker yet",
        "ResourceAlreadyExistsException",
        GA,
        f"{_API}: CreateEventTracker ('Only one event tracker can be associated with a dataset "
        "group. You will get an error if you call CreateEventTracker using the same dataset "
        "group as an existing event tracker'); the error code is not named, "
        "ResourceAlreadyExistsException is the declared error that fits (UNCONFIRMED code)",
        ("CreateEventTracker",),
    ),
    _r(
        "SV216",
        E,
        "importMode INCREMENTAL needs an earlier ACTIVE import into the dataset",
        "InvalidInputException",
        _dt.date(2022, 8, 2),
        f"{_API}: CreateDatasetImportJob, importMode ('If you haven't imported bulk records "
        "into the dataset previously, you can only specify FULL'); importMode exists from "
        "botocore 1.27.44 (2022-08-02); the error code is not named (UNCONFIRMED code)",
        ("CreateDatasetImportJob",),
    ),
    _r(
        "SV217",
        W,
        "performIncrementalUpdate is for the semantic-similarity recipe",
        None,
        _dt.date(2025, 12, 1),
        f"{_MODEL}: CreateSolutionRequest.performIncrementalUpdate and "
        "UpdateSolutionRequest.performIncrementalUpdate ('This parameter is supported only for "
        "solutions that use the semantic-similarity recipe'), from botocore 1.41.6 "
        "(2025-12-01). UNCONFIRMED, so a warning: SolutionVersion.performIncrementalUpdate says "
        "instead 'This can only be used with solution versions that use the "
        "User-Personalization recipe', and what the service answers is not documented",
        ("CreateSolution", "UpdateSolution"),
        confirmed=False,
    ),
    _r(
        "SV301",
        E,
        "UPDATE needs an ACTIVE version of this solution trained with FULL",
        "InvalidInputException",
        _TRAINING_MODE,
        f"{_API}: CreateSolutionVersion.trainingMode "
        "('can only be used when you already have an active solution version created from the "
        "input solution using the FULL option')",
        (CSV,),
    ),
    _r(
        "SV302",
        E,
        "UPDATE needs a recipe that supports it in the ruleset",
        "InvalidInputException",
        _TRAINING_MODE,
        f"{_API}: CreateSolutionVersion.trainingMode "
        "(HRNN-Coldstart from 2019-10-14; User-Personalization from 2020-08-24)",
        (CSV,),
    ),
    _r(
        "SV303",
        W,
        "UPDATE needs dataset changes since the newest ACTIVE FULL or UPDATE version",
        None,
        _TRAINING_MODE,
        "observed service message 'There should be updates to at least "
        "one dataset after last active solution version with training mode set to FULL'; not in "
        "the API reference (UNCONFIRMED)",
        (CSV,),
        confirmed=False,
    ),
    _r(
        "SV401",
        W,
        "another version of this solution is CREATE PENDING or CREATE IN_PROGRESS",
        None,
        GA,
        f"{_MODEL}: CreateSolutionVersion lists ResourceInUseException; what triggers "
        "it is not documented (UNCONFIRMED)",
        (CSV,),
        confirmed=False,
    ),
    _r(
        "SV402",
        E,
        "fewer than the account quota of versions are pending or in progress",
        "LimitExceededException",
        GA,
        f"{_GUIDE}: Quotas ('solution versions "
        "pending or in progress: 20 per account and region, adjustable'); "
        f"{_MODEL}: CreateSolutionVersion errors (LimitExceededException listed from "
        "2020-08-06; the quota itself predates it)",
        (CSV,),
    ),
    _r(
        "SV403",
        E,
        "no other worker holds this solution's single-flight lease",
        "ResourceInUseException",
        GA,
        "svstate's single-flight lease (svstate.boto.attach(single_flight=True), "
        "Tracker.acquire), not a service rule; what it prevents is the service's "
        f"ResourceInUseException or a second training ({_MODEL}: CreateSolutionVersion errors)",
        (CSV,),
    ),
    _r(
        "SV404",
        W,
        "the tracker's shared store can be reached",
        None,
        GA,
        "svstate's shared store (svstate.stores), not a service rule; without it a verdict "
        f"rests on one worker's observations ({_MODEL}: the facts the rules read)",
        (CSV, STOP_OP, CC, DS),
    ),
    _r(
        "SV501",
        E,
        "an observed status change is reachable in the lifecycle",
        None,
        GA,
        f"{_API}: SolutionVersion.status ('CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- "
        "CREATE FAILED'); StopSolutionVersionCreation (stop states)",
        ("check_transition", "observe"),
    ),
    _r(
        "SV502",
        W,
        "a status string is one the service documents",
        None,
        GA,
        f"{_API}: SolutionVersion.status, Solution.status, Campaign.status (documented values; "
        "the model's Status shape is a free string)",
        ("check_transition", "observe", *ALL_OPS, *RESPONSES),
    ),
    _r(
        "SV503",
        INFO,
        "a status used the underscore spelling (normalised)",
        None,
        GA,
        f"{_GUIDE}: pages that spell CREATE_PENDING / CREATE_STOPPED; responses use the space "
        "form",
        ("check_transition", *ALL_OPS, *RESPONSES),
    ),
    _r(
        "SV504",
        W,
        "a fact about another resource is ignored",
        None,
        GA,
        f"{_API}: ListSolutionVersions and DescribeSolution describe one solution; a version "
        "ARN is its solution's ARN plus '/' and an id",
        ALL_OPS,
    ),
    _r(
        "SV505",
        W,
        "a fact not in the shape boto3 returns is ignored",
        None,
        GA,
        f"{_MODEL}: response shapes Solution, SolutionVersionSummary, CampaignSummary, "
        "DatasetImportJobSummary",
        (*ALL_OPS, "observe"),
    ),
    _r(
        "SV506",
        W,
        "an observation older than what is already known is ignored (stale)",
        None,
        GA,
        f"{_API}: lastUpdatedDateTime of SolutionVersion and Solution; the lifecycle "
        "(SolutionVersion.status) never moves backwards",
        ("observe",),
    ),
    _r(
        "SV507",
        W,
        "the facts describe a history the service cannot produce",
        None,
        GA,
        f"{_API}: CreateSolutionVersion (UPDATE 'requires an existing active solution version "
        "created with trainingMode FULL'); ListSolutionVersions (each version once); there is "
        "no DeleteSolutionVersion, and ACTIVE is terminal",
        SOLUTION_OPS,
    ),
    _r(
        "SV601",
        W,
        "failureReason only on CREATE FAILED",
        None,
        GA,
        f"{_API}: SolutionVersion.failureReason ('If training a solution version fails, the "
        "reason for the failure')",
        RESPONSES,
    ),
    _r(
        "SV602",
        W,
        "trainingHours only once ACTIVE",
        None,
        _dt.date(2019, 9, 17),
        f"{_API}: SolutionVersion.trainingHours ('visible only after Amazon Personalize "
        "successfully trains a model')",
        ("SolutionVersion",),
    ),
    _r(
        "SV603",
        E,
        "a version ARN lies under its solution ARN",
        None,
        GA,
        f"{_API}: SolutionVersion.solutionVersionArn and solutionArn; Solution."
        "latestSolutionVersion",
        (*RESPONSES, "observe"),
    ),
    _r(
        "SV604",
        W,
        "lastUpdatedDateTime is not before creationDateTime",
        None,
        GA,
        f"{_MODEL}: creationDateTime and lastUpdatedDateTime of SolutionVersion, "
        "SolutionVersionSummary and Solution",
        RESPONSES,
    ),
    _r(
        "SV605",
        E,
        "HPO job limits are integer strings up to '40' and '10'",
        "InvalidInputException",
        GA,
        f"{_MODEL}: HPOResourceConfig.maxNumberOfTrainingJobs "
        "('The maximum value ... is 40') and maxParallelTrainingJobs ('... is 10'), shape "
        "HPOResource (string)",
        RESPONSES,
    ),
    _r(
        "SV606",
        E,
        "hyperparameter ranges have min <= max within the service's bounds",
        "InvalidInputException",
        GA,
        f"{_MODEL}: IntegerMinValue (min -1000000), "
        "IntegerMaxValue (max 1000000), ContinuousMinValue (min -1000000), "
        "*HyperParameterRanges (max 100)",
        RESPONSES,
    ),
    _r(
        "SV607",
        E,
        "a member has the type, length, size and value its shape allows",
        "InvalidInputException",
        GA,
        f"{_MODEL}: each member's shape (type, min, max, enum, pattern)",
        ALL_OPS + RESPONSES,
    ),
    _r(
        "SV701",
        E,
        "CreateCampaign needs an ACTIVE solution version",
        "InvalidInputException",
        GA,
        f"{_API}: CreateSolutionVersion ('Wait until the status shows as ACTIVE before "
        "calling CreateCampaign')",
        (CC,),
    ),
    _r(
        "SV702",
        E,
        "UpdateCampaign needs the campaign ACTIVE or CREATE FAILED",
        "ResourceInUseException",
        GA,
        f"{_API}: UpdateCampaign ('To update a campaign, the campaign status must be ACTIVE or "
        "CREATE FAILED')",
        ("UpdateCampaign",),
    ),
    _r(
        "SV703",
        E,
        "UpdateCampaign deploys an ACTIVE solution version",
        "InvalidInputException",
        GA,
        f"{_API}: CreateSolutionVersion ('Wait until the status shows as ACTIVE before calling "
        "CreateCampaign'); UpdateCampaign ('deploy a retrained solution version'); "
        "the error code is UNCONFIRMED",
        ("UpdateCampaign",),
    ),
    _r(
        "SV801",
        E,
        "StopSolutionVersionCreation only on a CREATE PENDING or CREATE IN_PROGRESS "
        "version, and only from 2021-05-20",
        "InvalidInputException",
        GA,
        f"{_API}: StopSolutionVersionCreation (added 2021-05-20; 'You can stop ... if the "
        "solution version is in CREATE_PENDING or CREATE IN_PROGRESS')",
        (STOP_OP,),
    ),
    _r(
        "SV901",
        E,
        "DeleteSolution is refused while a version is CREATE PENDING or CREATE IN_PROGRESS",
        "ResourceInUseException",
        GA,
        f"{_API}: DeleteSolution ('You "
        "can't delete a solution if an associated SolutionVersion is in the CREATE PENDING or "
        "IN PROGRESS state')",
        (DS,),
    ),
    _r(
        "SV902",
        E,
        "DeleteSolution needs the solution's campaigns deleted first",
        "ResourceInUseException",
        GA,
        f"{_API}: DeleteSolution ('delete all campaigns based "
        "on this solution before you delete the solution')",
        (DS,),
    ),
    _r(
        "SV903",
        W,
        "the solution is not already being deleted",
        None,
        GA,
        f"{_API}: DeleteSolution; what the service answers for a solution in DELETE PENDING "
        "or DELETE IN_PROGRESS is not documented (UNCONFIRMED)",
        (DS,),
        confirmed=False,
    ),
    _r(
        "SV904",
        E,
        "DeleteDataset is refused while an import job into it or a solution version is in flight",
        "ResourceInUseException",
        GA,
        f"{_API}: DeleteDataset ('You can't delete a dataset if an associated DatasetImportJob "
        "or SolutionVersion is in the CREATE PENDING or IN PROGRESS state'); a solution version "
        "is associated through its solution's dataset group",
        ("DeleteDataset",),
    ),
    _r(
        "SV905",
        E,
        "DeleteSchema needs every dataset that uses the schema deleted first",
        "ResourceInUseException",
        GA,
        f"{_API}: DeleteSchema ('Before deleting a schema, you must delete all datasets "
        "referencing the schema'); a dataset being deleted is taken to exist, and so to "
        "reference it, until it is gone (as SV212 takes it for a dataset group; not stated "
        "for schemas)",
        ("DeleteSchema",),
    ),
)

RULES: Mapping[str, Rule] = {r.id: r for r in CATALOGUE}
assert len(RULES) == len(CATALOGUE), "duplicate rule id in the catalogue"


def rules(ruleset: object = DEFAULT_RULESET) -> tuple[Rule, ...]:
    """The rules in force for ``ruleset``, in catalogue order.

    >>> import svstate
    >>> [r.id for r in svstate.rules("2019-06-10")][:4]
    ['SV101', 'SV102', 'SV103', 'SV105']
    >>> "SV107" in {r.id for r in svstate.rules("latest")}
    True
    """
    rs: Ruleset = resolve_ruleset(ruleset)
    return tuple(r for r in CATALOGUE if rs.in_force(r.since))


def rule(rule_id: object) -> Rule:
    """The rule with id ``rule_id`` (e.g. ``"SV301"``).

    >>> import svstate
    >>> svstate.rule("SV999")
    Traceback (most recent call last):
    ...
    svstate.SvstateError: no rule has id 'SV999'; ids run SV101 .. SV905 (see svstate.rules()).
    """
    found = RULES.get(rule_id) if isinstance(rule_id, str) else None
    if found is None:
        raise SvstateError(
            f"no rule has id {describe(rule_id)}; ids run {CATALOGUE[0].id} .. "
            f"{CATALOGUE[-1].id} (see svstate.rules())."
        )
    return found
