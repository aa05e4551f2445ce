"""``preflight``: is this Personalize call legal, given what is known?

A pure function: the request and the facts in, a :class:`~svstate.Verdict`
out. It reads the request against its dated shape, then runs, in catalogue
order, the predicate of every rule in force that applies to the operation.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Mapping

from svstate._catalogue import CATALOGUE, CHAIN_OPS
from svstate._chaincheck import chain_findings, evaluate_chain
from svstate._errors import UnsupportedOperation
from svstate._fast import FastCheck, allowed_verdict, compiled
from svstate._rules import PREDICATES, TARGETS, Check, Context
from svstate._rulesets import DEFAULT_RULESET, Ruleset, resolve_ruleset
from svstate._shapes import check_request
from svstate._text import describe, did_you_mean, snake_case
from svstate._verdict import Finding, Verdict, conclude

__all__ = ["DEFAULT_ACCOUNT_QUOTA", "allowed_verdict", "evaluate", "operation_name", "preflight"]

#: The account's limit on versions in flight at once that SV402 checks against, unless told.
DEFAULT_ACCOUNT_QUOTA = 20


OPERATIONS: tuple[str, ...] = (*TARGETS, *CHAIN_OPS)
BY_NAME: Mapping[str, str] = {
    **{op: op for op in OPERATIONS},
    **{snake_case(op): op for op in OPERATIONS},
}


def _verb(name: str) -> str:
    """The verb an operation name starts with: ``create`` for CreateCampaign or create_campaign."""
    snake = snake_case(name) if "_" not in name else name.lower()
    return snake.partition("_")[0]


def operation_name(operation: object) -> str:
    """The API name of a modelled operation given its API or boto3 name.

    >>> operation_name("create_solution_version")
    'CreateSolutionVersion'
    """
    name = BY_NAME.get(operation) if isinstance(operation, str) else None
    if name is not None:
        return name
    near = did_you_mean(operation, list(BY_NAME))
    # Never steer a call towards another verb: DescribeSolution is not DeleteSolution.
    if near is not None and _verb(near) != _verb(str(operation)):
        near = None
    hint = f" Did you mean {BY_NAME[near]!r}?" if near else ""
    raise UnsupportedOperation(
        f"svstate does not model operation {describe(operation)}; it models "
        f"{', '.join(OPERATIONS)} (API or boto3 names).{hint}"
    )


@functools.cache
def _predicates(operation: str, rs: Ruleset) -> tuple[Check, ...]:
    return tuple(
        PREDICATES[r.id]
        for r in CATALOGUE
        if operation in r.applies_to and r.id in PREDICATES and rs.in_force(r.since)
    )


def preflight(
    operation: str,
    params: object,
    *,
    solution: object = None,
    versions: object = None,
    campaigns: object = None,
    dataset_imports: object = None,
    account_in_flight: object = None,
    account_quota: object = DEFAULT_ACCOUNT_QUOTA,
    dataset_group: object = None,
    schema: object = None,
    dataset: object = None,
    datasets: object = None,
    solution_version: object = None,
    campaign: object = None,
    solutions: object = None,
    event_trackers: object = None,
    ruleset: object = DEFAULT_RULESET,
) -> Verdict:
    """Say whether a Personalize call is legal given what is known, and why not.

    :param operation: the API name (``"CreateSolutionVersion"``) or boto3's
        (``"create_solution_version"``) of one of :data:`OPERATIONS`:
        CreateSolutionVersion, StopSolutionVersionCreation, CreateCampaign,
        DeleteSolution, and the rest of the chain (CreateDataset,
        CreateDatasetImportJob, CreateSolution, UpdateSolution, UpdateCampaign,
        CreateBatchInferenceJob, CreateEventTracker, CreateFilter,
        DeleteDatasetGroup, DeleteDataset, DeleteSchema).
    :param params: the request, as it would be passed to boto3.
    :param solution: DescribeSolution's ``solution`` dict, if known.
    :param versions: the solution's versions (ListSolutionVersions summaries
        or DescribeSolutionVersion dicts), taken as the *complete* list; pass
        ``None`` when you have only part of it. For DeleteDataset, the
        versions of every live solution of the dataset's group.
    :param campaigns: the solution's campaigns (ListCampaigns), for DeleteSolution.
    :param dataset_imports: ListDatasetImportJobs summaries: for
        CreateSolutionVersion the dataset group's import jobs (SV303); for
        CreateDatasetImportJob and DeleteDataset the dataset's, complete
        (SV216, SV904).
    :param account_in_flight: how many versions are pending or in progress in
        the account and region, for SV402 against ``account_quota``.
    :param dataset_group: DescribeDatasetGroup's ``datasetGroup`` dict (for
        CreateDataset, CreateSolution, CreateEventTracker, CreateFilter).
    :param schema: DescribeSchema's ``schema`` dict (CreateDataset, SV211).
    :param dataset: DescribeDataset's ``dataset`` dict (CreateDatasetImportJob).
    :param datasets: the dataset group's ListDatasets summaries, complete
        (DeleteDatasetGroup; with CreateSolutionVersion, SV214); for
        DeleteSchema, DescribeDataset dicts (they name their ``schemaArn``) of
        every dataset that may use the schema, complete (SV905).
    :param solution_version: DescribeSolutionVersion's ``solutionVersion`` dict
        (CreateBatchInferenceJob, UpdateCampaign).
    :param campaign: DescribeCampaign's ``campaign`` dict (UpdateCampaign).
    :param solutions: the dataset group's ListSolutions summaries, complete
        (DeleteDatasetGroup; for DeleteDataset, the dataset's group, SV904,
        whose live solutions' versions are then ``versions``).
    :param event_trackers: the dataset group's ListEventTrackers summaries,
        complete (DeleteDatasetGroup).
    :param ruleset: the API date whose rules apply: an ISO date, a
        ``datetime.date`` or ``"latest"`` (the default: today's service; it
        moves with svstate releases, so pin a date for verdicts that never
        change). The verdict's ``ruleset`` is the resolved date.
    :returns: a :class:`~svstate.Verdict`: DENY when an error-level rule
        holds, else UNKNOWN when a fact such a rule needs is missing (named in
        ``missing``), else ALLOW; every finding at once.
    :raises UnsupportedOperation: for an operation svstate does not model.
    :raises UnknownRuleset: for a ruleset that is not a date from 2019-06-10.

    >>> import svstate
    >>> arn = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
    >>> v = svstate.preflight("create_solution_version",
    ...     {"solutionArn": arn, "trainingMode": "UPDATE"},
    ...     solution={"solutionArn": arn, "status": "ACTIVE",
    ...               "recipeArn": "arn:aws:personalize:::recipe/aws-hrnn-coldstart"},
    ...     versions=[{"solutionVersionArn": arn + "/0a1b2c3d", "status": "CREATE IN_PROGRESS",
    ...                "trainingMode": "FULL"}])
    >>> v.decision, [f.rule for f in v.findings]
    (<Decision.DENY: 'deny'>, ['SV301', 'SV401'])
    >>> print(v.findings[0].message)
    UPDATE needs an ACTIVE FULL version of solution movies; the newest FULL version, movies/0a1b2c3d, is CREATE IN_PROGRESS (observed).
    >>> print(v.findings[0].hint)
    Wait until it is ACTIVE, or train with FULL.
    """
    try:  # the operation and ruleset as given, resolved once to their compiled checker
        op, rs, fast = _RESOLVED[ruleset][operation]
    except (KeyError, TypeError):
        op, rs, fast = _resolve(operation, ruleset)
    if (  # the common call: a fast path, and no fact it does not read
        fast is not None
        and dataset_imports is None
        and account_in_flight is None
        and dataset_group is None
        and datasets is None
        and schema is None
        and dataset is None
        and solution_version is None
        and campaign is None
        and solutions is None
        and event_trackers is None
    ):
        verdict = fast(params, solution, versions)
        if verdict is not None:
            return verdict
    facts: dict[str, object] | None = None
    if op in CHAIN_OPS or not (  # chained tests: the common call passes no chain fact
        dataset_group is None
        and schema is None
        and dataset is None
        and datasets is None
        and solution_version is None
        and campaign is None
        and solutions is None
        and event_trackers is None
    ):
        facts = {
            "dataset_group": dataset_group,
            "schema": schema,
            "dataset": dataset,
            "datasets": datasets,
            "solution": solution,
            "solution_version": solution_version,
            "campaign": campaign,
            "solutions": solutions,
            "event_trackers": event_trackers,
            "versions": versions,
            "dataset_imports": dataset_imports,
        }
        if op in CHAIN_OPS:
            return evaluate_chain(op, params, rs, facts)
    base = evaluate(
        op,
        params,
        rs,
        solution,
        versions,
        campaigns,
        dataset_imports,
        account_in_flight,
        account_quota,
    )
    if facts is None:
        return base
    # The solution's own rules, then what the chain's facts add (SV214).
    more, missing = chain_findings(op, params, rs, facts)
    if not more and not missing:
        return base
    return conclude([*base.findings, *more], [*base.missing, *missing], rs.name, op)


# ruleset -> operation -> resolved, as given: two lookups, no key tuple built per call.
_RESOLVED: dict[object, dict[object, tuple[str, Ruleset, FastCheck | None]]] = {}


def _resolve(operation: object, ruleset: object) -> tuple[str, Ruleset, FastCheck | None]:
    """The operation's API name, the ruleset and their fast path; kept for the next call
    when both were given as plain strings or dates (so the cache holds only valid keys)."""
    op = operation_name(operation)
    rs = resolve_ruleset(ruleset)
    resolved = (op, rs, compiled(op, rs))
    if type(operation) is str and type(ruleset) in (str, _dt.date):
        _RESOLVED.setdefault(ruleset, {})[operation] = resolved
    return resolved


def evaluate(
    op: str,
    params: object,
    rs: Ruleset,
    solution: object,
    versions: object,
    campaigns: object,
    dataset_imports: object,
    account_in_flight: object,
    account_quota: object,
    *,
    target: tuple[str | None, str, str | None] | None = None,
) -> Verdict:
    """The verdict for a resolved operation and ruleset: every rule in force, in catalogue
    order. Facts come as dicts or as records; ``target`` is
    :func:`~svstate._rules.target_of` of the request, when the caller has worked it out.
    The fast path (:mod:`svstate._fast`) must agree with it."""
    findings: list[Finding] = []
    check_request(op, params, rs, findings)
    ctx = Context(
        op,
        params,
        rs,
        findings,
        solution,
        versions,
        campaigns,
        dataset_imports,
        account_in_flight,
        account_quota,
        target,
    )
    for predicate in _predicates(op, rs):
        predicate(ctx)
    if not findings and not ctx.missing:
        return allowed_verdict(op, rs)
    return conclude(findings, ctx.missing, rs.name, op)
