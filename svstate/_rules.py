"""What each lifecycle and precondition rule checks: one predicate per rule.

Rules in this file:

* A predicate reads the call's :class:`Context` (the request and the facts,
  already read into records) and either adds findings or names the facts it
  lacks. It never raises and never reads a raw fact dict.
* Only error-level rules name missing facts: a warning never makes a verdict
  UNKNOWN. Rules whose facts lie beyond the call's solution (SV303, SV402)
  run only when those facts are given.
* A fact whose status is unknown (``None``) is treated as missing exactly
  when it could change the decision.
* Which operations a predicate serves is the catalogue's ``applies_to``; the
  shape rules (SV101, SV102, SV104-SV106, SV6xx) are checked by ``_shapes``.
* Inferred is not observed. A status the Tracker derived from a call it saw
  (CreateSolution, CreateSolutionVersion and CreateCampaign leave CREATE
  PENDING; DeleteSolution leaves DELETE PENDING; a stop leaves CREATE
  STOPPING or CREATE STOPPED), not read from a describe or list response,
  stands for every status the lifecycle can reach from it
  (:meth:`Context.could_be`). A rule denies on it only when every one of
  those would deny; otherwise its finding is a warning and the status is
  named as missing, so the verdict is UNKNOWN and ``unknown="refresh"`` reads
  the real one. Every finding that rests on a status says how it is known
  (:func:`seen`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from svstate._arn import SOLUTION, SOLUTION_LATEST, SOLUTION_VERSION, arn_kind, arn_matches
from svstate._catalogue import RULES
from svstate._facts import (
    CampaignRow,
    SolutionFacts,
    VersionRow,
    VersionTable,
    contradictions,
    read_campaigns,
    read_imports,
    read_solution,
    read_versions,
)
from svstate._lifecycle import IN_FLIGHT, TRIGGER_SINCE, lifecycle_for, resource_reachable
from svstate._rulesets import AUTOTRAIN, UPDATE_RECIPE_SINCE, Ruleset
from svstate._text import describe
from svstate._verdict import Finding
from svstate._vocab import MODE_BY_VALUE, Severity, Status, TrainingMode

__all__ = ["PREDICATES", "Context"]

_DELETING = frozenset({Status.DELETE_PENDING, Status.DELETE_IN_PROGRESS})
_UNSET: object = object()

# The ARN member each operation targets, and the kinds of resource it must name.
TARGETS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "CreateSolutionVersion": ("solutionArn", (SOLUTION,)),
    "StopSolutionVersionCreation": ("solutionVersionArn", (SOLUTION_VERSION,)),
    "CreateCampaign": ("solutionVersionArn", (SOLUTION_VERSION, SOLUTION_LATEST)),
    "DeleteSolution": ("solutionArn", (SOLUTION,)),
}


def target_of(operation: str, params: dict[object, object]) -> tuple[str | None, str, str | None]:
    """The call's target ARN, its kind, and its solution's ARN.

    The ARNs are ``None`` unless the request names the target well enough to
    attribute facts to it (a string matching the Arn shape).
    """
    arn = params.get(TARGETS[operation][0])
    if not isinstance(arn, str) or not arn_matches(arn):
        return None, "unknown", None
    kind = arn_kind(arn)
    if kind == SOLUTION:
        return arn, kind, arn
    if kind in (SOLUTION_VERSION, SOLUTION_LATEST):
        return arn, kind, arn.rpartition("/")[0]
    return arn, kind, None


class Context:
    """One pre-flight question: the request, the ruleset, the facts, and the answers so far."""

    __slots__ = (
        "_campaigns",
        "_imports",
        "_solution",
        "_solution_facts",
        "_table",
        "_versions",
        "account_in_flight",
        "account_quota",
        "findings",
        "missing",
        "mode",
        "operation",
        "params",
        "rs",
        "solution_arn",
        "target_arn",
        "target_kind",
        "unreadable",
    )

    def __init__(
        self,
        operation: str,
        params: object,
        rs: Ruleset,
        findings: list[Finding],
        solution: object,
        versions: object,
        campaigns: object,
        dataset_imports: object,
        account_in_flight: object,
        account_quota: object,
        target: tuple[str | None, str, str | None] | None = None,
    ):
        self.operation = operation
        self.params: dict[object, object] = params if isinstance(params, dict) else {}
        self.rs = rs
        self.findings = findings
        self.missing: list[str] = []
        self._solution = solution
        self._solution_facts: SolutionFacts | None = None
        self._versions = versions
        self._table: VersionTable | None = None
        self.unreadable: list[str] = []
        self._campaigns = campaigns
        self._imports = dataset_imports
        self.account_in_flight = account_in_flight
        self.account_quota = account_quota
        self.mode = self._mode(self.params)
        self.target_arn, self.target_kind, self.solution_arn = (
            target if target is not None else target_of(operation, self.params)
        )

    # -- facts, read once on first use -------------------------------------------------
    # Facts arrive as boto3 dicts (from preflight) or as records already read (from the
    # Tracker, which keeps records, not dicts).
    def solution(self) -> SolutionFacts | None:
        if self._solution is _UNSET:
            return self._solution_facts
        given = self._solution
        facts = (
            given
            if isinstance(given, SolutionFacts)
            else read_solution(given, self.solution_arn, self.findings)
        )
        self._solution, self._solution_facts = _UNSET, facts
        return facts

    def versions(self) -> list[VersionRow] | None:
        table = self.version_table()
        return None if table is None else table.rows

    def version_table(self) -> VersionTable | None:
        """The versions given, as a table (``None`` if not given); read once."""
        if self._versions is _UNSET:
            return self._table
        given = self._versions
        self._versions = _UNSET
        if isinstance(given, VersionTable):
            self._table = given
            return given
        table = read_versions(given, self.solution_arn, self.findings, self.unreadable)
        if (
            table is not None
            and table.complete
            and contradictions(table, self.solution(), self.findings)
        ):
            table = None  # SV507: a list the service could not produce proves nothing
        self._table = table
        return table

    def ignored_versions(self) -> bool:
        """Whether some versions given were ignored (SV504 or SV505)."""
        return any(
            f.rule in ("SV504", "SV505") and (f.path or "").startswith("versions")
            for f in self.findings
        )

    def unsure_of_absence(self) -> bool:
        """Name the unreadable version entries as missing; true if there were any.

        A rule that would deny because the list lacks something cannot, while
        an entry of the list could not be read: it might have been that thing.
        """
        for path in self.unreadable:
            self.need(path)
        table = self.version_table()
        if table is not None and not table.complete:
            self.need("versions")
            return True
        return bool(self.unreadable)

    def campaigns(self) -> list[CampaignRow] | None:
        given = self._campaigns
        if isinstance(given, list) and all(isinstance(c, CampaignRow) for c in given):
            return given
        return read_campaigns(given, self.findings)

    def imports(self) -> list[_dt.datetime] | None:
        return read_imports(self._imports, self.findings)

    @staticmethod
    def _mode(params: dict[object, object]) -> TrainingMode | None:
        value = params.get("trainingMode", "FULL")
        return MODE_BY_VALUE.get(value) if isinstance(value, str) else None

    # -- answers ------------------------------------------------------------------------
    def need(self, fact: str) -> None:
        if fact not in self.missing:
            self.missing.append(fact)

    def report(
        self,
        rule_id: str,
        message: str,
        path: str | None = None,
        hint: str | None = None,
        error_code: str | None = "",
        *,
        certain: bool = True,
        unsure: Iterable[str] = (),
        severity: Severity | None = None,
    ) -> None:
        """Add a finding of ``rule_id``.

        ``certain=False`` says the finding rests on inferred statuses that
        might already have moved on: it is then a warning, its hint says so,
        and the facts in ``unsure`` are named as missing (the principle of the
        header, applied here once for every rule).
        """
        if not certain:
            severity = Severity.WARNING
            hint = (hint + " " if hint else "") + (
                "svstate inferred the status from a call and has not observed it since; "
                "describe the resource (or attach the guard with unknown='refresh') to decide."
            )
            for fact in unsure:
                self.need(fact)
        self.findings.append(
            RULES[rule_id].finding(message, path, hint, error_code=error_code, severity=severity)
        )

    def could_be(
        self, status: Status, inferred: str | None, *, version: bool
    ) -> frozenset[Status]:
        """What a status may be now: itself if observed; if inferred, all it can reach."""
        if inferred is None:
            return frozenset({status})
        if version:
            return lifecycle_for(self.rs).reachable.get(status, frozenset({status}))
        return resource_reachable(status)

    def version(self, arn: str) -> VersionRow | bool | None:
        """The row of version ``arn``; ``False`` when the complete list lacks it; ``None`` if unknown."""
        rows = self.versions()
        if rows is not None:
            for row in rows:
                if row.arn == arn:
                    return row
            return False
        solution = self.solution()
        if solution is not None and solution.latest is not None and solution.latest.arn == arn:
            return solution.latest
        return None


def seen(inferred: str | None) -> str:
    """How a status is known, for messages.

    >>> seen(None), seen("CreateSolution")
    ('observed', 'inferred from the CreateSolution call, not observed')
    """
    return "observed" if inferred is None else f"inferred from the {inferred} call, not observed"


#: How many versions in flight a message names (SV401's and DeleteSolution's); the rest
#: are counted. The fast paths (svstate._fast, the Tracker's) read as many.
IN_FLIGHT_SHOWN = 3
_SHOWN: dict[tuple[Any, Any, Any], str] = {}  # what _shown wrote, by what it read
_SHOWN_KEPT = 4096


def _shown(row: VersionRow) -> str:
    """A version and its status for a list in a message: ``movies/0a1b2c3d (ACTIVE, observed)``.

    A pure function of the row's ARN, status and ``inferred``, remembered (up to
    ``_SHOWN_KEPT``): a pipeline's SV401 warnings name the same versions call after call.
    """
    key = (row.arn, row.status, row.inferred)
    text = _SHOWN.get(key)
    if text is None:
        status = row.status.value if row.status else "unknown"
        text = f"{_name(row.arn)} ({status}, {seen(row.inferred)})"
        if len(_SHOWN) >= _SHOWN_KEPT:
            _SHOWN.clear()
        _SHOWN[key] = text
    return text


def _name(arn: str | None) -> str:
    """The short name of a solution or version ARN, for messages."""
    if arn is None:
        return "the solution"
    _, _, rest = arn.partition(":solution/")
    return rest or arn


def newest_of(created: list[_dt.datetime | None]) -> int:
    """The index of the newest of versions created at ``created``: the first of the
    latest dated ones, else the first (one place for the choice; the fast path uses it)."""
    dated = [(when, i) for i, when in enumerate(created) if when is not None]
    return max(dated, key=lambda pair: pair[0])[1] if dated else 0


def _newest(rows: list[VersionRow]) -> VersionRow:
    return rows[newest_of([r.created for r in rows])]


# -- the predicates, one per rule ------------------------------------------------------------


def sv103(ctx: Context) -> None:
    member, kinds = TARGETS[ctx.operation]
    arn = ctx.target_arn
    if arn is None:
        return  # absent or malformed: SV101/SV102 report it
    kind = ctx.target_kind
    if kind == SOLUTION_LATEST and not ctx.rs.in_force(AUTOTRAIN):
        ctx.report(
            "SV103",
            f"{member} {describe(arn)} uses the SolutionArn/$LATEST form, which "
            f"exists from {AUTOTRAIN.isoformat()}; this check uses ruleset {ctx.rs.name}.",
            member,
            "Pass a solution version ARN, or a later ruleset if you call that API.",
        )
        return
    if kind not in kinds:
        wanted = " or ".join(kinds).replace(SOLUTION_LATEST, "a solution's $LATEST")
        shown = {"unknown": "no resource svstate recognises"}.get(kind, f"a {kind}")
        hint = {
            SOLUTION_VERSION: f"Pass its solution's ARN, {arn.rpartition('/')[0]!r}.",
        }.get(kind, f"Pass the ARN of a {kinds[0]}.")
        if kind == SOLUTION and SOLUTION_VERSION in kinds:
            hint = "Pass the ARN of one of its versions (ListSolutionVersions)" + (
                f", or '{arn}/$LATEST'."
                if SOLUTION_LATEST in kinds and ctx.rs.in_force(AUTOTRAIN)
                else "."
            )
        ctx.report(
            "SV103", f"{member} {describe(arn)} names {shown}, not a {wanted}.", member, hint
        )
        return
    sync = ctx.params.get("campaignConfig")
    if (
        ctx.operation == "CreateCampaign"
        and isinstance(sync, dict)
        and sync.get("syncWithLatestSolutionVersion") is True
        and kind != SOLUTION_LATEST
    ):
        ctx.report(
            "SV103",
            f"{member} {describe(arn)} names one version, but "
            "campaignConfig.syncWithLatestSolutionVersion is true.",
            member,
            f"Pass '{ctx.solution_arn}/$LATEST'.",
        )


def sv107(ctx: Context) -> None:
    if ctx.mode is TrainingMode.AUTOTRAIN:
        ctx.report(
            "SV107",
            "trainingMode 'AUTOTRAIN' is documented for versions the service "
            "creates itself; whether a caller may pass it is unconfirmed.",
            "trainingMode",
            "Pass FULL or UPDATE, and leave automatic training to the "
            "solution's performAutoTraining.",
        )


def sv201(ctx: Context) -> None:
    if ctx.solution_arn is None:
        return
    solution = ctx.solution()
    if solution is None:
        ctx.need("solution")
    elif solution.status is None:
        ctx.need("solution.status")
    elif solution.status is not Status.ACTIVE:
        status = solution.status
        name = _name(ctx.solution_arn)
        if status in (Status.CREATE_PENDING, Status.CREATE_IN_PROGRESS):
            # UNCONFIRMED: the Developer Guide's own example calls CreateSolutionVersion right
            # after CreateSolution, so a solution being created may well be accepted.
            ctx.report(
                "SV201",
                f"Solution {name} is {status.value} ({seen(solution.inferred)}); the API "
                "reference asks for ACTIVE, but the service is not known to refuse "
                "CreateSolutionVersion on a solution still being created.",
                "solution.status",
                "If the service refuses it, wait until DescribeSolution shows ACTIVE.",
                severity=Severity.WARNING,
            )
            return
        ctx.report(
            "SV201",
            f"Solution {name} is {status.value} ({seen(solution.inferred)}); "
            "CreateSolutionVersion needs it ACTIVE.",
            "solution.status",
            "Create a new solution; this one will never become ACTIVE.",
            certain=Status.ACTIVE not in ctx.could_be(status, solution.inferred, version=False),
            unsure=("solution.status",),
        )


def _proves_active_full(row: VersionRow, rs: Ruleset) -> bool:
    """Whether one version proves that an ACTIVE FULL version of its solution exists.

    An ACTIVE FULL version does. Before AUTOTRAIN (2024-04-19) so does any
    ACTIVE version: an UPDATE needed an ACTIVE FULL version when it was
    created, ACTIVE is terminal, and versions vanish only with their solution.
    """
    if row.status is not Status.ACTIVE:
        return False
    return row.mode is TrainingMode.FULL or not rs.in_force(AUTOTRAIN)


def sv301_text(
    solution_arn: str | None,
    count: int,
    ignored: bool,
    newest: tuple[str, Status | None, str | None, str | None] | None,
) -> tuple[str, str]:
    """SV301's message and hint: the solution has ``count`` versions (none of them given,
    if ``ignored``), the newest FULL one ``(arn, status, inferred, failure reason)``.

    One place for the text, which the fast path (:mod:`svstate._fast`) also uses.
    """
    name = _name(solution_arn)
    if not count and ignored:
        detail = f"none of the versions given belongs to solution {name}"
        hint = "Pass the solution's own versions (ListSolutionVersions with its solutionArn)."
    elif not count:
        detail = f"solution {name} has no versions"
        hint = "Create a version with trainingMode FULL and wait until it is ACTIVE."
    elif newest is None:
        detail = f"none of the {count} versions of solution {name} was trained with FULL"
        hint = "Create a version with trainingMode FULL and wait until it is ACTIVE."
    else:
        arn, status, inferred, reason = newest
        shown = status.value if status else "unknown"
        detail = f"the newest FULL version, {_name(arn)}, is {shown} ({seen(inferred)})"
        if status in IN_FLIGHT:
            hint = "Wait until it is ACTIVE, or train with FULL."
        else:
            hint = (
                f"It will never become ACTIVE{f' ({reason})' if reason else ''}; "
                "create a new FULL version and wait until it is ACTIVE."
            )
    return f"UPDATE needs an ACTIVE FULL version of solution {name}; {detail}.", hint


def sv301(ctx: Context) -> None:
    if ctx.mode is not TrainingMode.UPDATE or ctx.solution_arn is None:
        return
    table = ctx.version_table()
    if table is None:
        solution = ctx.solution()
        latest = solution.latest if solution is not None else None
        if latest is None or not _proves_active_full(latest, ctx.rs):
            ctx.need("versions")
        return
    if table.has(Status.ACTIVE, TrainingMode.FULL) or (
        not ctx.rs.in_force(AUTOTRAIN) and Status.ACTIVE in table.statuses
    ):
        return  # the rule of _proves_active_full, asked of the columns
    rows = table.rows
    uncertain = [
        f"{r.path}.status" for r in rows if r.status is None and r.mode is not TrainingMode.UPDATE
    ] + [f"{r.path}.trainingMode" for r in rows if r.status is Status.ACTIVE and r.mode is None]
    if uncertain or ctx.unsure_of_absence():
        for fact in uncertain:
            ctx.need(fact)
        return
    fulls = [r for r in rows if r.mode is TrainingMode.FULL]
    newest = _newest(fulls) if fulls else None
    message, hint = sv301_text(
        ctx.solution_arn,
        len(rows),
        ctx.ignored_versions(),
        None
        if newest is None
        else (newest.arn, newest.status, newest.inferred, newest.failure_reason),
    )
    # Certain unless a version whose status was only inferred may have become ACTIVE FULL.
    maybe = [
        r
        for r in rows
        if r.inferred is not None
        and r.status is not None
        and r.mode in (TrainingMode.FULL, None)
        and Status.ACTIVE in ctx.could_be(r.status, r.inferred, version=True)
    ]
    ctx.report(
        "SV301",
        message,
        "trainingMode",
        hint,
        certain=not maybe,
        unsure=[f"{r.path}.status" for r in maybe],
    )


def sv302(ctx: Context) -> None:
    if ctx.mode is not TrainingMode.UPDATE or ctx.solution_arn is None:
        return
    solution = ctx.solution()
    if solution is None:
        ctx.need("solution")
        return
    recipe = solution.recipe
    if recipe is None:
        ctx.need(solution.recipe_path)
        return
    if recipe in ctx.rs.update_recipes:
        return
    supported = " and ".join(sorted(r.rpartition("/")[2] for r in ctx.rs.update_recipes))
    since = UPDATE_RECIPE_SINCE.get(recipe)
    hint = (
        f"That recipe supports UPDATE from {since.isoformat()}; pass ruleset="
        f"'{since.isoformat()}' or later if you call that API, or train with FULL."
        if since is not None
        else "Train with FULL, or use a solution whose recipe supports UPDATE."
    )
    ctx.report(
        "SV302",
        f"UPDATE needs a recipe that supports it; solution "
        f"{_name(ctx.solution_arn)} uses {describe(recipe)} ({solution.recipe_path}), "
        f"and in ruleset {ctx.rs.name} only {supported} "
        f"{'supports' if len(ctx.rs.update_recipes) == 1 else 'support'} UPDATE.",
        "trainingMode",
        hint,
    )


def sv303(ctx: Context) -> None:
    if ctx.mode is not TrainingMode.UPDATE or ctx.solution_arn is None or ctx._imports is None:
        return
    finished = ctx.imports()
    rows = ctx.versions()
    if finished is None or rows is None:
        return
    trained = [
        r
        for r in rows
        if r.status is Status.ACTIVE
        and r.mode in (TrainingMode.FULL, TrainingMode.UPDATE)
        and r.created is not None
    ]
    if not trained:
        return
    last = _newest(trained)
    created = last.created
    assert created is not None
    if not any(when > created for when in finished):
        ctx.report(
            "SV303",
            f"No dataset import finished after {_name(last.arn)} "
            f"({last.mode.value if last.mode else ''}, created {created.isoformat()}); "
            "the service refuses an UPDATE without dataset changes since then.",
            "trainingMode",
            "Import new data first, or ignore this warning if you "
            "streamed changes with PutEvents, PutItems or PutUsers.",
        )


def _none_in_flight(table: VersionTable | None) -> bool:
    """Whether the table certainly shows no version in flight (answered from the columns)."""
    return table is not None and not any(s in IN_FLIGHT for s in set(table.statuses))


def sv401(ctx: Context) -> None:
    if ctx.solution_arn is None or _none_in_flight(ctx.version_table()):
        return
    rows = ctx.versions()
    if rows is None:
        solution = ctx.solution()
        rows = [solution.latest] if solution is not None and solution.latest is not None else []
    busy = [r for r in rows if r.status in IN_FLIGHT]
    if busy:
        message, hint = sv401_text(ctx.solution_arn, busy, ctx.rs.has_stop)
        ctx.report("SV401", message, "solutionArn", hint)


def sv401_text(solution_arn: str, busy: Sequence[Any], has_stop: bool) -> tuple[str, str]:
    """SV401's message and hint for the versions in flight, ``busy`` (anything with
    ``arn``, ``status`` and ``inferred``): one place for the words, which the
    Tracker's fast path uses too."""
    shown = ", ".join(_shown(r) for r in busy[:IN_FLIGHT_SHOWN])
    return (
        f"Solution {_name(solution_arn)} already has a version being created: {shown}.",
        "Wait until it settles"
        + (", or stop it (StopSolutionVersionCreation)" if has_stop else "")
        + " before creating another.",
    )


def sv402(ctx: Context) -> None:
    count, quota = ctx.account_in_flight, ctx.account_quota
    if count is None:
        return
    for name, value, low in (("account_in_flight", count, 0), ("account_quota", quota, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            ctx.report(
                "SV505",
                f"{name} is {describe(value)}, not an integer of at least {low}; "
                "SV402 is not checked.",
                name,
                f"Pass {name} as an int.",
            )
            return
    assert isinstance(count, int)
    assert isinstance(quota, int)
    if count >= quota:
        ctx.report(
            "SV402",
            f"{describe(count)} solution versions are already pending or in progress in "
            f"this account and region, and the quota is {describe(quota)}.",
            "account_in_flight",
            "Wait for some to finish, or ask AWS to raise the quota and pass account_quota=.",
        )


def sv701(ctx: Context) -> None:
    arn = ctx.target_arn
    if arn is None or ctx.target_kind not in (SOLUTION_VERSION, SOLUTION_LATEST):
        return
    if ctx.target_kind == SOLUTION_LATEST:
        # $LATEST needs some ACTIVE version of the solution to deploy.
        rows = ctx.versions()
        if rows is None:
            solution = ctx.solution()
            latest = solution.latest if solution is not None else None
            if latest is None or latest.status is not Status.ACTIVE:
                ctx.need("versions")
            return
        if any(r.status is Status.ACTIVE for r in rows):
            return
        unknown = [f"{r.path}.status" for r in rows if r.status is None]
        for fact in unknown:
            ctx.need(fact)
        if unknown or ctx.unsure_of_absence():
            return
        ctx.report(
            "SV701",
            f"Solution {_name(ctx.solution_arn)} has no ACTIVE version for $LATEST to deploy.",
            "solutionVersionArn",
            "Wait until a version is ACTIVE before creating the campaign.",
        )
        return
    row = _target(ctx, arn, "SV701")
    status = row.status if row is not None else None
    if row is not None and status is not None and status is not Status.ACTIVE:
        ctx.report(
            "SV701",
            f"Solution version {_name(arn)} is {status.value} ({seen(row.inferred)}); "
            "CreateCampaign needs it ACTIVE.",
            "solutionVersionArn",
            "Wait until DescribeSolutionVersion shows ACTIVE."
            if status in IN_FLIGHT
            else "Deploy an ACTIVE version instead; this one will never become ACTIVE.",
            certain=Status.ACTIVE not in ctx.could_be(status, row.inferred, version=True),
            unsure=(f"{row.path}.status",),
        )


def _target(ctx: Context, arn: str, rule_id: str) -> VersionRow | None:
    """The row of the call's target version, when its status is known.

    Names what is missing (the versions, or the version's status), or
    reports that the complete list lacks it; returns ``None`` in those cases.
    """
    row = ctx.version(arn)
    if row is None:
        ctx.need("versions")
    elif row is False:
        _not_found(ctx, arn, rule_id)
    elif isinstance(row, VersionRow):
        if row.status is not None:
            return row
        ctx.need(f"{row.path}.status")
    return None


def _not_found(ctx: Context, arn: str, rule_id: str) -> None:
    if ctx.unsure_of_absence():
        return
    ctx.report(
        rule_id,
        f"Solution version {_name(arn)} is not among the versions of solution "
        f"{_name(ctx.solution_arn)} that were given.",
        "solutionVersionArn",
        "Check the ARN; pass versions=None if the list is incomplete.",
        error_code="ResourceNotFoundException",
    )


def sv801(ctx: Context) -> None:
    since = TRIGGER_SINCE["stop"]
    if not ctx.rs.has_stop:
        ctx.report(
            "SV801",
            f"StopSolutionVersionCreation does not exist in ruleset "
            f"{ctx.rs.name}; it was added on {since.isoformat()}.",
            None,
            f"Pass ruleset='{since.isoformat()}' or later if you call that API.",
            error_code=None,
        )
        return
    arn = ctx.target_arn
    if arn is None or ctx.target_kind != SOLUTION_VERSION:
        return
    row = _target(ctx, arn, "SV801")
    status = row.status if row is not None else None
    if row is not None and status is not None and status not in IN_FLIGHT:
        hint = (
            "It is already stopping; wait for CREATE STOPPED."
            if status is Status.CREATE_STOPPING
            else "Nothing to stop: the version has settled."
        )
        ctx.report(
            "SV801",
            f"Solution version {_name(arn)} is {status.value} ({seen(row.inferred)}); only a "
            "CREATE PENDING or CREATE IN_PROGRESS version can be stopped.",
            "solutionVersionArn",
            hint,
            certain=not (ctx.could_be(status, row.inferred, version=True) & IN_FLIGHT),
            unsure=(f"{row.path}.status",),
        )


def sv901(ctx: Context) -> None:
    if ctx.solution_arn is None:
        return
    table = ctx.version_table()
    if (
        table is not None
        and _none_in_flight(table)
        and None not in table.statuses
        and not ctx.unsure_of_absence()
    ):
        return
    rows = ctx.versions()
    if rows is None:
        solution = ctx.solution()
        latest = solution.latest if solution is not None else None
        if latest is not None and latest.status in IN_FLIGHT:
            rows = [latest]
        else:
            ctx.need("versions")
            return
    busy = [r for r in rows if r.status in IN_FLIGHT]
    if busy:
        table = ctx.version_table()
        total = len(busy) + (table.more_in_flight if table is not None else 0)
        shown = ", ".join(_shown(r) for r in busy[:IN_FLIGHT_SHOWN])
        more = f" and {total - IN_FLIGHT_SHOWN} more" if total > IN_FLIGHT_SHOWN else ""
        # Certain when some version is in flight whatever it may have become since.
        certain = any(
            r.status is not None and ctx.could_be(r.status, r.inferred, version=True) <= IN_FLIGHT
            for r in busy
        )
        ctx.report(
            "SV901",
            f"Solution {_name(ctx.solution_arn)} has {total} version"
            f"{'s' if total != 1 else ''} still being created: {shown}{more}.",
            "solutionArn",
            "Wait until they settle"
            + (", or stop them (StopSolutionVersionCreation)" if ctx.rs.has_stop else "")
            + ", then delete the solution.",
            certain=certain,
            unsure=[f"{r.path}.status" for r in busy],
        )
        return
    for row in rows:
        if row.status is None:
            ctx.need(f"{row.path}.status")
    ctx.unsure_of_absence()


def sv902(ctx: Context) -> None:
    if ctx.solution_arn is None:
        return
    if ctx._campaigns is None:
        ctx.need("campaigns")
        return
    rows = ctx.campaigns()
    if rows is None:
        ctx.need("campaigns")
        return
    live = [r for r in rows if r.status is not None and r.status not in _DELETING]
    if live:
        shown = ", ".join(
            f"{r.label} ({r.status.value}, {seen(r.inferred)})" for r in live[:3] if r.status
        )
        # Certain when some campaign stays undeleted whatever it may have become since.
        certain = any(
            r.status is not None
            and not ctx.could_be(r.status, r.inferred, version=False) & _DELETING
            for r in live
        )
        ctx.report(
            "SV902",
            f"Solution {_name(ctx.solution_arn)} still has {len(live)} "
            f"campaign{'s' if len(live) != 1 else ''}: {shown}.",
            "campaigns",
            "Delete its campaigns (DeleteCampaign) first.",
            certain=certain,
            unsure=[f"{r.path}.status" for r in live],
        )
        return
    for row in rows:
        if row.status is None:
            ctx.need(f"{row.path}.status")


def sv903(ctx: Context) -> None:
    if ctx.solution_arn is None:
        return
    solution = ctx.solution()
    if solution is not None and solution.status in _DELETING:
        ctx.report(
            "SV903",
            f"Solution {_name(ctx.solution_arn)} is already {solution.status.value} "
            f"({seen(solution.inferred)}); deleting it again changes nothing.",
            "solution.status",
            "Wait until DescribeSolution answers ResourceNotFoundException.",
        )


Check = Callable[[Context], None]

PREDICATES: Mapping[str, Check] = {
    "SV103": sv103,
    "SV107": sv107,
    "SV201": sv201,
    "SV301": sv301,
    "SV302": sv302,
    "SV303": sv303,
    "SV401": sv401,
    "SV402": sv402,
    "SV701": sv701,
    "SV801": sv801,
    "SV901": sv901,
    "SV902": sv902,
    "SV903": sv903,
}
