"""Pre-flight for the rest of the training chain: datasets to batch inference.

Rules in this file:

* The operations are the catalogue's ``CHAIN_OPS``; their rules are the
  catalogue's SV103 (the kind of each ARN), SV210-SV217, SV702, SV703,
  SV904 and SV905.
  What each rule needs to know is a *fact named after a resource of the
  chain* (``dataset_group``, ``dataset``, ``solution_version``, ...): the
  dict its Describe call returns, or for a plural (``datasets``,
  ``solutions``, ``event_trackers``, ``versions``, ``dataset_imports``) the
  summaries its List call returns, complete.
* Which resource a call builds on comes from the declarations
  (:mod:`svstate._chain`): a create needs its parent, an update the resource
  itself. Nothing here repeats a lifecycle: "will it ever be ACTIVE" is the
  declared lifecycle's reachability.
* A fact that an error-level rule needs and that is absent, of the wrong
  type, or about another resource is named in ``missing``: the verdict is
  then UNKNOWN, never ALLOW (SV504 and SV505 say why a fact was ignored).
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Mapping
from typing import Any

from svstate._arn import SOLUTION, SOLUTION_LATEST, SOLUTION_VERSION, arn_kind, arn_matches
from svstate._catalogue import CATALOGUE, CHAIN_OPS, RULES
from svstate._chain import BY_NAME, CHAIN, Resource
from svstate._lifecycle import IN_FLIGHT
from svstate._model import OPERATIONS as MODEL
from svstate._rulesets import Ruleset
from svstate._shapes import check_request
from svstate._text import describe
from svstate._verdict import Finding, Verdict, conclude
from svstate._vocab import Severity, Status, read_status

__all__ = ["FACTS", "ChainContext", "chain_findings", "evaluate_chain"]

#: Every fact a chain rule reads -> (the call that gives it, its member), for messages.
FACTS: Mapping[str, tuple[str, str]] = {
    "dataset_group": ("DescribeDatasetGroup", "datasetGroup"),
    "schema": ("DescribeSchema", "schema"),
    "dataset": ("DescribeDataset", "dataset"),
    "solution": ("DescribeSolution", "solution"),
    "solution_version": ("DescribeSolutionVersion", "solutionVersion"),
    "campaign": ("DescribeCampaign", "campaign"),
    "datasets": ("ListDatasets", "datasets"),
    "solutions": ("ListSolutions", "solutions"),
    "event_trackers": ("ListEventTrackers", "eventTrackers"),
    "versions": ("ListSolutionVersions", "solutionVersions"),
    "dataset_imports": ("ListDatasetImportJobs", "datasetImportJobs"),
}
_PLURAL = frozenset({"datasets", "solutions", "event_trackers", "versions", "dataset_imports"})

E, W = Severity.ERROR, Severity.WARNING
#: SV210 per operation: (severity when what it builds on will never be ACTIVE, severity
#: while it is still being created, whether the fact is needed). Documented: CreateDataset
#: waits for the group ("You must wait until the status of the dataset group is ACTIVE
#: before adding a dataset"). CreateSolution and CreateEventTracker only "require a
#: dataset group ARN" (CreateDatasetGroup), so everything there is UNCONFIRMED.
_SV210: Mapping[str, tuple[Severity, Severity, bool]] = {
    "CreateDataset": (E, E, True),
    "CreateDatasetImportJob": (E, W, True),
    "UpdateSolution": (E, W, True),
    "CreateBatchInferenceJob": (E, W, True),
    "CreateSolution": (W, W, False),
    "CreateEventTracker": (W, W, False),
}


def _builds_on(op: str) -> tuple[str, str] | None:
    """(request member, resource name) of what ``op`` needs ACTIVE, from the declarations."""
    for r in CHAIN:
        if op == r.create and r.parent is not None:
            return r.parent[1], r.parent[0]
        if r.updates is not None and op == r.updates.operation and r.name != "campaign":
            return r.arn_member, r.name
    return None


def _kind(r: Resource) -> str:
    return {"solution": SOLUTION, "solution_version": SOLUTION_VERSION}.get(r.name, r.arn_type)


#: Request member naming a resource -> the ARN kinds it accepts.
_ARN_KINDS: Mapping[str, tuple[str, ...]] = {
    **{r.arn_member: (_kind(r),) for r in CHAIN},
    "solutionVersionArn": (SOLUTION_VERSION,),
}


def _short(arn: str) -> str:
    return arn.rpartition(":")[2].partition("/")[2] or arn


class ChainContext:
    """One chain pre-flight question: the request, the facts, and the answers so far."""

    def __init__(
        self,
        op: str,
        params: object,
        rs: Ruleset,
        findings: list[Finding],
        facts: Mapping[str, object],
    ):
        self.op = op
        self.params: dict[Any, Any] = params if isinstance(params, dict) else {}
        self.rs = rs
        self.findings = findings
        self.facts = facts
        self.missing: list[str] = []
        self._read: dict[str, Any] = {}

    def need(self, fact: str) -> None:
        if fact not in self.missing:
            self.missing.append(fact)

    def report(
        self, rule_id: str, message: str, path: str | None, hint: str, severity: Severity
    ) -> None:
        rule = RULES[rule_id]
        self.findings.append(
            rule.finding(
                message,
                path,
                hint,
                severity=severity,
                error_code=rule.error_code if severity is Severity.ERROR else None,
            )
        )

    def _ignored(self, rule_id: str, name: str, why: str) -> None:
        call, member = FACTS[name]
        self.report(
            rule_id,
            f"{name} {why}; it is ignored.",
            None,
            f"Pass {call}'s {member!r} {'list' if name in _PLURAL else 'dict'} as {name}=.",
            Severity.WARNING,
        )

    def one(self, name: str, arn: str) -> dict[str, Any] | None:
        """The fact ``name`` about the resource ``arn``, or ``None`` (and ``name`` missing)."""
        key = f"{name} {arn}"
        if key in self._read:
            found: dict[str, Any] | None = self._read[key]
            return found
        fact = self.facts.get(name)
        result: dict[str, Any] | None = None
        if fact is None:
            self.need(name)
        elif not isinstance(fact, dict):
            call, member = FACTS[name]
            self._ignored("SV505", name, f"is {describe(fact)}, not a {call} {member!r} dict")
            self.need(name)
        else:
            member = BY_NAME[name].arn_member
            if fact.get(member) != arn:
                self._ignored("SV504", name, f"describes {fact.get(member)!r}, not {arn}")
                self.need(name)
            else:
                result = fact
        self._read[key] = result
        return result

    def many(self, name: str) -> list[dict[str, Any]] | None:
        """The complete list ``name``, or ``None`` (and ``name`` missing)."""
        fact = self.facts.get(name)
        if fact is None:
            self.need(name)
            return None
        if not isinstance(fact, list | tuple) or not all(isinstance(x, dict) for x in fact):
            call, member = FACTS[name]
            self._ignored("SV505", name, f"is {describe(fact)}, not {call}'s {member!r} list")
            self.need(name)
            return None
        return list(fact)

    def status(self, fact: dict[str, Any], path: str) -> Status | None:
        """The status a fact shows, or ``None`` (and ``path`` missing) when it cannot be read."""
        text = fact.get("status")
        read = read_status(text)
        if read is None:
            if text is not None:
                self.report(
                    "SV502",
                    f"{path} is {describe(text)}, not a status the service documents.",
                    None,
                    "Pass the status exactly as the Describe call returned it.",
                    Severity.WARNING,
                )
            self.need(path)
            return None
        status, normalised = read
        if normalised:
            self.report(
                "SV503",
                f"{path} {text!r} is read as {status.value!r}.",
                None,
                "The service's responses use the spelling with spaces.",
                Severity.INFO,
            )
        return status


def _never_active(name: str, status: Status) -> bool:
    compiled = BY_NAME[name].compiled
    if compiled is None or status not in compiled.statuses:
        return True  # a deletion status, or one the creation lifecycle does not have
    return Status.ACTIVE not in compiled.reachable[status]


def _waiter_hint(name: str) -> str:
    r = BY_NAME[name]
    how = f" (svstate.boto.waiter(client, {r.waiter!r}))" if r.waiter else ""
    return f"Wait until {r.describe} shows ACTIVE{how}."


def sv103(ctx: ChainContext) -> None:
    for member, value in ctx.params.items():
        kinds = _ARN_KINDS.get(member)
        if kinds is None or not isinstance(value, str) or not arn_matches(value):
            continue  # absent or malformed: SV101 and SV102 say so
        allowed = kinds + ((SOLUTION_LATEST,) if ctx.op == "UpdateCampaign" else ())
        found = arn_kind(value)
        if found not in allowed:
            ctx.report(
                "SV103",
                f"{member} {value!r} names a {found} ARN; {ctx.op} needs a {allowed[0]} ARN here.",
                member,
                f"Pass the ARN the service returned for the {allowed[0]}.",
                Severity.ERROR,
            )


def sv210(ctx: ChainContext) -> None:
    found = _builds_on(ctx.op)
    if found is None or ctx.op not in _SV210:
        return
    member, name = found
    arn = ctx.params.get(member)
    if not isinstance(arn, str) or not arn_matches(arn) or arn.endswith("/$LATEST"):
        return
    never, meanwhile, needed = _SV210[ctx.op]
    if not needed and ctx.facts.get(name) is None:
        return  # a warning needs no fact
    fact = ctx.one(name, arn)
    status = ctx.status(fact, f"{name}.status") if fact is not None else None
    if status is None or status is Status.ACTIVE:
        return
    r = BY_NAME[name]
    what = f"{r.name.replace('_', ' ').capitalize()} {_short(arn)} is {status.value}"
    if _never_active(name, status):
        failure = fact.get("failureReason") if fact is not None else None
        because = f" ({failure})" if isinstance(failure, str) and failure else ""
        ctx.report(
            "SV210",
            f"{what}{because}; {ctx.op} needs it ACTIVE, and it will never be.",
            member,
            f"Create a new {r.name.replace('_', ' ')} and use it once it is ACTIVE.",
            never,
        )
        return
    ctx.report(
        "SV210",
        f"{what}; {ctx.op} needs it ACTIVE.",
        member,
        _waiter_hint(name),
        meanwhile,
    )


def sv211(ctx: ChainContext) -> None:
    schema_arn, group_arn = ctx.params.get("schemaArn"), ctx.params.get("datasetGroupArn")
    if not (isinstance(schema_arn, str) and arn_matches(schema_arn)):
        return
    if not (isinstance(group_arn, str) and arn_matches(group_arn)):
        return
    schema, group = ctx.one("schema", schema_arn), ctx.one("dataset_group", group_arn)
    if schema is None or group is None:
        return
    mine, theirs = schema.get("domain"), group.get("domain")
    if mine != theirs:
        ctx.report(
            "SV211",
            f"Schema {_short(schema_arn)} has domain {mine or 'none (custom)'}, but dataset "
            f"group {_short(group_arn)} has {theirs or 'none (custom)'}.",
            "schemaArn",
            f"Create the schema with domain={theirs!r}."
            if theirs
            else "Use a schema created without a domain for a custom dataset group.",
            Severity.ERROR,
        )


def sv212(ctx: ChainContext) -> None:
    group = ctx.params.get("datasetGroupArn")
    if not isinstance(group, str):
        return
    left: list[str] = []
    for name in ("event_trackers", "solutions", "datasets"):
        items = ctx.many(name)
        if items:
            r = BY_NAME[name[:-1]]
            shown = ", ".join(_short(str(i.get(r.arn_member))) for i in items[:3])
            more = f" and {len(items) - 3} more" if len(items) > 3 else ""
            noun = name.replace("_", " ") if len(items) > 1 else r.name.replace("_", " ")
            left.append(f"{len(items)} {noun} ({shown}{more})")
    if left:
        ctx.report(
            "SV212",
            f"Dataset group {_short(group)} still holds {'; '.join(left)}.",
            "datasetGroupArn",
            "Delete its event trackers, solutions and datasets first, and wait until each "
            "is gone.",
            Severity.ERROR,
        )


def sv213(ctx: ChainContext) -> None:
    for r in CHAIN:
        if r.updates is None or r.updates.operation != ctx.op:
            continue
        arn = ctx.params.get(r.arn_member)
        fact = ctx.facts.get(r.name)
        if not isinstance(arn, str) or not isinstance(fact, dict) or fact.get(r.arn_member) != arn:
            return  # a warning needs no fact; the error rules say what is missing
        latest = fact.get(r.updates.member)
        read = read_status(latest.get("status")) if isinstance(latest, dict) else None
        if read is not None and read[0] in (Status.CREATE_PENDING, Status.CREATE_IN_PROGRESS):
            ctx.report(
                "SV213",
                f"An update of {r.noun.lower()} {_short(arn)} is {read[0].value}; "
                f"{ctx.op} may be refused until it is ACTIVE or CREATE FAILED.",
                r.arn_member,
                f"Wait until {r.describe} shows {r.updates.member}.status ACTIVE.",
                Severity.WARNING,
            )


def sv214(ctx: ChainContext) -> None:
    datasets = ctx.facts.get("datasets")
    if not isinstance(datasets, list | tuple):
        return  # checked only when the group's datasets are known
    interactions = [
        d
        for d in datasets
        if isinstance(d, dict) and str(d.get("datasetType", "")).lower() == "interactions"
    ]
    if any(read_status(d.get("status")) == (Status.ACTIVE, False) for d in interactions):
        return
    ctx.report(
        "SV214",
        "The solution's dataset group has no ACTIVE Interactions dataset"
        + (f" (it is {interactions[0].get('status')})" if interactions else "")
        + "; training needs imported interactions.",
        None,
        "Create the Interactions dataset and wait for an ACTIVE import into it.",
        Severity.WARNING,
    )


def sv215(ctx: ChainContext) -> None:
    group = ctx.params.get("datasetGroupArn")
    if not isinstance(group, str) or not arn_matches(group):
        return
    trackers = ctx.many("event_trackers")
    if not trackers:
        return
    first = trackers[0]
    status = first.get("status")
    going = isinstance(status, str) and status.startswith("DELETE")
    ctx.report(
        "SV215",
        f"Dataset group {_short(group)} already has event tracker "
        f"{_short(str(first.get('eventTrackerArn')))}"
        + (f" ({status})" if isinstance(status, str) else "")
        + "; a dataset group takes one event tracker.",
        "datasetGroupArn",
        "Wait until the event tracker being deleted is gone (ListEventTrackers no longer "
        "shows it)."
        if going
        else "Use the existing tracker's trackingId with PutEvents, or delete it first.",
        Severity.ERROR,
    )


def sv216(ctx: ChainContext) -> None:
    if ctx.params.get("importMode") != "INCREMENTAL":
        return
    dataset = ctx.params.get("datasetArn")
    if not isinstance(dataset, str) or not arn_matches(dataset):
        return
    jobs = ctx.many("dataset_imports")
    if jobs is None:
        return
    statuses = [read_status(j.get("status")) for j in jobs]
    if (Status.ACTIVE, False) in statuses:
        return
    if None in statuses:  # a job whose status is not known may be ACTIVE already
        ctx.need("dataset_imports")
        return
    running = [
        j
        for j, read in zip(jobs, statuses, strict=True)
        if read is not None and read[0] in (Status.CREATE_PENDING, Status.CREATE_IN_PROGRESS)
    ]
    ctx.report(
        "SV216",
        f"Dataset {_short(dataset)} has no ACTIVE import job"
        + (
            f" yet ({_short(str(running[0].get('datasetImportJobArn')))} is "
            f"{running[0].get('status')})"
            if running
            else ""
        )
        + "; importMode INCREMENTAL adds to bulk data imported before, so it needs one.",
        "importMode",
        _waiter_hint("dataset_import_job")
        if running
        else "Import with importMode FULL first (the default), then add with INCREMENTAL.",
        Severity.ERROR,
    )


SEMANTIC_SIMILARITY = "arn:aws:personalize:::recipe/aws-semantic-similarity"


def sv217(ctx: ChainContext) -> None:
    if ctx.params.get("performIncrementalUpdate") is not True:
        return
    if ctx.op == "CreateSolution":
        recipe = ctx.params.get("recipeArn")
    else:  # UpdateSolution: the solution's recipe, when its fact is at hand (a warning)
        arn, fact = ctx.params.get("solutionArn"), ctx.facts.get("solution")
        ok = isinstance(fact, dict) and isinstance(arn, str) and fact.get("solutionArn") == arn
        recipe = fact.get("recipeArn") if ok and isinstance(fact, dict) else None
    if not isinstance(recipe, str) or recipe == SEMANTIC_SIMILARITY:
        return
    ctx.report(
        "SV217",
        f"performIncrementalUpdate is true with recipe {recipe.rpartition('/')[2]}; the API "
        "Reference supports it only for the semantic-similarity recipe.",
        "performIncrementalUpdate",
        f"Leave performIncrementalUpdate unset for this recipe, or use {SEMANTIC_SIMILARITY}.",
        Severity.WARNING,
    )


def sv702(ctx: ChainContext) -> None:
    arn = ctx.params.get("campaignArn")
    if not isinstance(arn, str) or not arn_matches(arn):
        return
    fact = ctx.one("campaign", arn)
    status = ctx.status(fact, "campaign.status") if fact is not None else None
    if status is None or status in (Status.ACTIVE, Status.CREATE_FAILED):
        return
    wait = not _never_active("campaign", status)
    ctx.report(
        "SV702",
        f"Campaign {_short(arn)} is {status.value}; UpdateCampaign needs it ACTIVE or "
        "CREATE FAILED.",
        "campaignArn",
        _waiter_hint("campaign") if wait else "It is being deleted; create a new campaign.",
        Severity.ERROR,
    )


def sv703(ctx: ChainContext) -> None:
    arn = ctx.params.get("solutionVersionArn")
    if not isinstance(arn, str) or not arn_matches(arn):
        return  # absent: the campaign keeps its version
    if arn.endswith("/$LATEST"):
        versions = ctx.many("versions")
        if versions is None:
            return
        if any(read_status(v.get("status")) == (Status.ACTIVE, False) for v in versions):
            return
        ctx.report(
            "SV703",
            f"Solution {_short(arn[: -len('/$LATEST')])} has no ACTIVE version for $LATEST "
            "to deploy.",
            "solutionVersionArn",
            "Wait until a version is ACTIVE before updating the campaign.",
            Severity.ERROR,
        )
        return
    if arn_kind(arn) != SOLUTION_VERSION:
        return  # SV103
    fact = ctx.one("solution_version", arn)
    status = ctx.status(fact, "solution_version.status") if fact is not None else None
    if status is None or status is Status.ACTIVE:
        return
    wait = not _never_active("solution_version", status)
    ctx.report(
        "SV703",
        f"Solution version {_short(arn)} is {status.value}; UpdateCampaign needs it ACTIVE.",
        "solutionVersionArn",
        _waiter_hint("solution_version")
        if wait
        else "Deploy an ACTIVE version instead; this one will never become ACTIVE.",
        Severity.ERROR,
    )


def _busy(ctx: ChainContext, name: str, noun: str, member: str) -> list[str] | None:
    """What of the list ``name`` is in flight ("import job x (CREATE PENDING)"), or ``None``
    when the list is missing or shows a status that cannot be read (then it is missing)."""
    items = ctx.many(name)
    if items is None:
        return None
    busy: list[str] = []
    for item in items:
        read = read_status(item.get("status"))
        if read is None:
            ctx.need(name)  # it may be in flight
            return None
        if read[0] in IN_FLIGHT:
            busy.append(f"{noun} {_short(str(item.get(member)))} ({read[0].value})")
    return busy


def sv904(ctx: ChainContext) -> None:
    dataset = ctx.params.get("datasetArn")
    if not isinstance(dataset, str) or not arn_matches(dataset):
        return
    jobs = _busy(ctx, "dataset_imports", "import job", "datasetImportJobArn") or []
    # A version trains on its solution's dataset group: the group's solutions, and the
    # versions of those not being deleted (a solution is deleted with its versions, and
    # DeleteSolution waits for them: SV901).
    trainings: list[str] = []
    solutions = ctx.many("solutions")
    if solutions is not None:
        live = [s for s in solutions if not str(s.get("status", "")).startswith("DELETE")]
        if live:
            trainings = _busy(ctx, "versions", "solution version", "solutionVersionArn") or []
    busy = jobs + trainings
    if not busy:
        return
    shown = ", ".join(busy[:3]) + (f" and {len(busy) - 3} more" if len(busy) > 3 else "")
    waits = []
    if jobs:
        waits.append(
            "each import job to finish (svstate.boto.waiter(client, 'dataset_import_job_active'))"
        )
    if trainings:
        waits.append(
            "each training to finish (svstate.boto.waiter(client, 'solution_version_active')), "
            "or stop it with StopSolutionVersionCreation"
        )
    ctx.report(
        "SV904",
        f"Dataset {_short(dataset)} is in use: {shown}; DeleteDataset waits until none is "
        "CREATE PENDING or CREATE IN_PROGRESS.",
        "datasetArn",
        f"Wait for {'; and for '.join(waits)}; then delete the dataset.",
        Severity.ERROR,
    )


def sv905(ctx: ChainContext) -> None:
    schema = ctx.params.get("schemaArn")
    if not isinstance(schema, str) or not arn_matches(schema):
        return
    datasets = ctx.many("datasets")
    if datasets is None:
        return
    using = [d for d in datasets if d.get("schemaArn") == schema]
    if any(not isinstance(d.get("schemaArn"), str) for d in datasets):
        ctx.need("datasets")  # a ListDatasets summary does not say which schema it uses
        if not using:
            return
    if using:
        first = using[0]
        status = first.get("status")
        more = f" and {len(using) - 1} more" if len(using) > 1 else ""
        ctx.report(
            "SV905",
            f"Schema {_short(schema)} is used by dataset {_short(str(first.get('datasetArn')))}"
            + (f" ({status})" if isinstance(status, str) else "")
            + f"{more}; DeleteSchema needs every dataset that uses it deleted.",
            "schemaArn",
            "Delete those datasets first and wait until DescribeDataset no longer finds them.",
            Severity.ERROR,
        )


PREDICATES: Mapping[str, Callable[[ChainContext], None]] = {
    "SV103": sv103,
    "SV210": sv210,
    "SV211": sv211,
    "SV212": sv212,
    "SV213": sv213,
    "SV214": sv214,
    "SV215": sv215,
    "SV216": sv216,
    "SV217": sv217,
    "SV702": sv702,
    "SV703": sv703,
    "SV904": sv904,
    "SV905": sv905,
}
assert all(op in MODEL for op in CHAIN_OPS)


@functools.cache
def _checks(op: str, rs: Ruleset) -> tuple[Callable[[ChainContext], None], ...]:
    """The chain predicates in force for ``op`` under ``rs``, in catalogue order, once."""
    return tuple(
        PREDICATES[rule.id]
        for rule in CATALOGUE
        if rule.id in PREDICATES
        and op in rule.applies_to
        and rs.in_force(rule.since)
        and (op in CHAIN_OPS or rule.id == "SV214")  # the solution's own rules are _rules'
    )


def chain_findings(
    op: str, params: object, rs: Ruleset, facts: Mapping[str, object]
) -> tuple[list[Finding], list[str]]:
    """The chain rules' findings and missing facts for ``op`` (no request shape checks)."""
    findings: list[Finding] = []
    ctx = ChainContext(op, params, rs, findings, facts)
    for check in _checks(op, rs):
        check(ctx)
    return findings, ctx.missing


def evaluate_chain(op: str, params: object, rs: Ruleset, facts: Mapping[str, object]) -> Verdict:
    """The verdict for a chain operation: its request shape, then every chain rule in force."""
    findings: list[Finding] = []
    born = _dt.date.fromisoformat(MODEL[op][2])
    if not rs.in_force(born):
        findings.append(
            RULES["SV105"].finding(
                f"{op} did not exist in ruleset {rs.name} (added {born.isoformat()}).",
                None,
                f"Use a ruleset from {born.isoformat()}, or do without {op}.",
            )
        )
        return conclude(findings, (), rs.name, op)
    check_request(op, params, rs, findings)
    more, missing = chain_findings(op, params, rs, facts)
    return conclude(findings + more, missing, rs.name, op)
