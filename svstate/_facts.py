"""Facts: the dicts boto3 returns, read into small records.

Rules in this file:

* This is the only module that reads raw fact dicts (DescribeSolution's
  ``solution``, ListSolutionVersions' ``solutionVersions``, ListCampaigns'
  ``campaigns``, ListDatasetImportJobs' ``datasetImportJobs``). Rules see
  records, never dicts.
* A fact that is not in the shape boto3 returns is reported (SV505) and
  ignored; a fact about another solution is reported (SV504) and ignored: a
  version of another solution never counts as evidence.
* A status string that is not documented is reported (SV502) and read as
  ``None`` (unknown); the underscore spelling is normalised and reported
  (SV503).
* A version list that describes a history the service cannot produce
  (SV507: an ACTIVE UPDATE version with no ACTIVE FULL version to have
  started from, or older than every ACTIVE FULL version, a version older than
  its solution, one ARN listed twice) is reported and proves nothing: the
  rules read it as if no list had been given, so they name ``versions`` as
  missing rather than deny or allow on wrong facts.
* Nothing here raises on any JSON-like input.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from itertools import repeat
from typing import Any

from svstate._arn import ARN_MAX, arn_matches, solution_of
from svstate._catalogue import RULES
from svstate._text import describe, what
from svstate._timestamps import none_before, read_timestamp
from svstate._verdict import Finding
from svstate._vocab import MODE_BY_VALUE, STATUS_BY_VALUE, Status, TrainingMode, read_status

__all__ = [
    "CampaignRow",
    "SolutionFacts",
    "VersionRow",
    "contradictions",
    "created_since",
    "read_campaigns",
    "read_imports",
    "read_solution",
    "read_versions",
]

_SV502 = RULES["SV502"]
_SV503 = RULES["SV503"]
_SV504 = RULES["SV504"]
_SV505 = RULES["SV505"]
_SV507 = RULES["SV507"]


class VersionRow:
    """What the rules need of one solution version: ARN, status, mode, and where it came from."""

    __slots__ = ("arn", "fact", "index", "inferred", "mode", "source", "status")

    def __init__(
        self,
        arn: str,
        status: Status | None,
        mode: TrainingMode | None,
        source: str,
        index: int | None,
        fact: dict[object, object],
        inferred: str | None = None,
    ):
        self.arn = arn
        self.status = status
        self.mode = mode
        self.source = source
        self.index = index
        self.fact = fact
        # The call the status was inferred from (the Tracker's CreateSolutionVersion, say);
        # None when it was read from a describe or list response.
        self.inferred = inferred

    @property
    def path(self) -> str:
        """Where the fact was given, e.g. ``versions[3]``."""
        return self.source if self.index is None else f"{self.source}[{self.index}]"

    @property
    def created(self) -> _dt.datetime | None:
        return read_timestamp(self.fact.get("creationDateTime"))

    @property
    def failure_reason(self) -> str | None:
        reason = self.fact.get("failureReason")
        return reason if isinstance(reason, str) else None


class SolutionFacts:
    """What the rules need of a solution: its status, recipe and latest version."""

    __slots__ = ("arn", "created", "inferred", "latest", "recipe", "recipe_path", "status")

    def __init__(
        self,
        arn: str | None,
        status: Status | None,
        recipe: str | None,
        recipe_path: str,
        latest: VersionRow | None,
        created: _dt.datetime | None = None,
        inferred: str | None = None,
    ):
        self.inferred = inferred  # the call the status was inferred from, or None if observed
        self.arn = arn
        self.status = status
        self.recipe = recipe
        self.recipe_path = recipe_path
        self.latest = latest
        self.created = created


class CampaignRow:
    """A campaign of the solution: its ARN (or name) and status."""

    __slots__ = ("inferred", "label", "path", "status")

    def __init__(self, label: str, status: Status | None, path: str, inferred: str | None = None):
        self.label = label
        self.status = status
        self.path = path
        self.inferred = inferred  # the call the status was inferred from, or None if observed


def _status(value: object, path: str, out: list[Finding]) -> Status | None:
    read = read_status(value)
    if read is None:
        if value is None:
            return None
        out.append(
            _SV502.finding(
                f"{path} {describe(value)} is not a documented status; svstate treats it as "
                "unknown.",
                path,
                "Check the value, or upgrade svstate if the service added a status.",
            )
        )
        return None
    status, normalised = read
    if normalised:
        out.append(
            _SV503.finding(
                f"{path} {describe(value)} uses the underscore spelling; read as {status.value!r}.",
                path,
            )
        )
    return status


def _ignored(path: str, value: object, expected: str, out: list[Finding]) -> None:
    out.append(
        _SV505.finding(
            f"{path} is {what(value)}, not {expected}; it is ignored.",
            path,
            f"Pass {expected} as boto3 returns it.",
        )
    )


def _version_row(
    item: object, source: str, index: int | None, solution_arn: str | None, out: list[Finding]
) -> VersionRow | None:
    path = source if index is None else f"{source}[{index}]"
    if not isinstance(item, dict):
        _ignored(path, item, "a solution version dict", out)
        return None
    arn = item.get("solutionVersionArn")
    if not isinstance(arn, str) or not arn_matches(arn):
        _ignored(f"{path}.solutionVersionArn", arn, "a version ARN the service could send", out)
        return None
    if solution_arn is not None and solution_of(arn) != solution_arn:
        out.append(
            _SV504.finding(
                f"{path} is version {describe(arn)}, not a version of {solution_arn}; it is "
                "ignored.",
                path,
                "Pass only the versions of the call's solution "
                "(ListSolutionVersions with its solutionArn).",
            )
        )
        return None
    mode = item.get("trainingMode")
    return VersionRow(
        arn,
        _status(item.get("status"), f"{path}.status", out),
        MODE_BY_VALUE.get(mode) if isinstance(mode, str) else None,
        source,
        index,
        item,
    )


def read_solution(
    value: object, solution_arn: str | None, out: list[Finding]
) -> SolutionFacts | None:
    """The facts of a DescribeSolution ``solution`` dict, or ``None`` if unusable."""
    if value is None:
        return None
    if not isinstance(value, dict):
        _ignored("solution", value, "a DescribeSolution 'solution' dict", out)
        return None
    if "solution" in value and "solutionArn" not in value and isinstance(value["solution"], dict):
        value = value["solution"]  # the whole DescribeSolution response
        assert isinstance(value, dict)
    arn = value.get("solutionArn")
    if arn is not None and not isinstance(arn, str):
        _ignored("solution.solutionArn", arn, "an ARN string", out)
        return None
    if arn is not None and solution_arn is not None and arn != solution_arn:
        out.append(
            _SV504.finding(
                f"solution describes {describe(arn)}, not {solution_arn}; it is ignored.",
                "solution.solutionArn",
                "Pass the DescribeSolution result of the call's solution.",
            )
        )
        return None
    own = arn if arn is not None else solution_arn
    if value.get("performAutoML") is True:
        result = value.get("autoMLResult")
        recipe = result.get("bestRecipeArn") if isinstance(result, dict) else None
        path = "solution.autoMLResult.bestRecipeArn"
    else:
        recipe = value.get("recipeArn")
        path = "solution.recipeArn"
    latest_fact = value.get("latestSolutionVersion")
    latest = (
        _version_row(latest_fact, "solution.latestSolutionVersion", None, own, out)
        if latest_fact is not None
        else None
    )
    return SolutionFacts(
        own,
        _status(value.get("status"), "solution.status", out),
        recipe if isinstance(recipe, str) else None,
        path,
        latest,
        read_timestamp(value.get("creationDateTime")),
    )


def _items(
    value: object, name: str, inner: str, expected: str, out: list[Finding]
) -> list[object] | None:
    if isinstance(value, dict) and isinstance(value.get(inner), list | tuple):
        value = value[inner]  # the whole List* response
    if isinstance(value, str | bytes | bytearray | dict) or not isinstance(value, Iterable):
        _ignored(name, value, expected, out)
        return None
    try:
        return list(value)
    except Exception:  # a user's iterable that fails: report, never propagate
        _ignored(name, value, expected, out)
        return None


class VersionTable:
    """The readable versions of one solution, as columns, with rows made on demand.

    ``statuses`` and ``modes`` line up with ``arns``; the common questions
    (is there an ACTIVE FULL version? is one in flight?) are answered from
    the columns in C-level loops, and :attr:`rows` is built only when a rule
    needs to say which version it means.
    """

    __slots__ = (
        "_rows",
        "arns",
        "complete",
        "facts",
        "indexes",
        "inferred",
        "modes",
        "more_in_flight",
        "statuses",
    )

    def __init__(
        self,
        arns: list[str],
        statuses: list[Status | None],
        modes: list[TrainingMode | None],
        facts: list[dict[object, object]],
        indexes: list[int] | None,
        *,
        complete: bool = True,
        inferred: list[str | None] | None = None,
    ):
        # complete: every version of the solution is here (a whole ListSolutionVersions);
        # False when only some are known, so that absence proves nothing.
        self.complete = complete
        # Versions in flight known but left out of the table (a summary keeps a few).
        self.more_in_flight = 0
        self.arns = arns
        self.statuses = statuses
        self.modes = modes
        self.facts = facts
        self.indexes = indexes  # position of each row in the list given; None: 0, 1, 2, ...
        # The call each status was inferred from (None: observed); None: all observed.
        self.inferred = inferred
        self._rows: list[VersionRow] | None = None

    @classmethod
    def of_rows(
        cls, rows: list[VersionRow], *, complete: bool = True, more_in_flight: int = 0
    ) -> VersionTable:
        table = cls(
            [r.arn for r in rows],
            [r.status for r in rows],
            [r.mode for r in rows],
            [r.fact for r in rows],
            [r.index if r.index is not None else -1 for r in rows],
            complete=complete,
        )
        table._rows = rows
        table.more_in_flight = more_in_flight
        return table

    @property
    def rows(self) -> list[VersionRow]:
        if self._rows is None:
            indexes = self.indexes or range(len(self.arns))
            inferred = self.inferred or [None] * len(self.arns)
            self._rows = [
                VersionRow(a, s, m, "versions", i, f, how)
                for a, s, m, i, f, how in zip(
                    self.arns,
                    self.statuses,
                    self.modes,
                    indexes,
                    self.facts,
                    inferred,
                    strict=True,
                )
            ]
        return self._rows

    def has(self, status: Status, mode: TrainingMode) -> bool:
        """Whether some version is in ``status`` and was trained with ``mode``."""
        return (status, mode) in zip(self.statuses, self.modes, strict=True)


# Unbound methods, so that map() runs them in C; typed loosely on purpose.
_GET: Any = dict.get
_STARTS: Any = str.startswith
_COUNT: Any = str.count


def _columns(
    items: list[object], prefix: str
) -> tuple[list[str], list[Status | None], list[TrainingMode | None]] | None:
    """Columns for a list of plain version dicts of one solution, or ``None`` if it is not one.

    Every loop here runs in C: no Python code per version. Anything unusual
    (a non-dict, a foreign or missing ARN, an unknown or underscore status,
    an unhashable value) returns ``None`` and the careful path reads the list.
    """
    n = len(items)
    try:
        arns: list[str] = list(map(_GET, items, repeat("solutionVersionArn", n)))
        raw = list(map(_GET, items, repeat("status", n)))
        modes: list[TrainingMode | None] = list(
            map(MODE_BY_VALUE.get, map(_GET, items, repeat("trainingMode", n)))
        )
        if not all(map(_STARTS, arns, repeat(prefix, n))):
            return None
        if n and max(map(len, arns)) > ARN_MAX:
            return None  # an ARN the service could not send: the careful path reports it
        # Each ARN starts with the prefix, so the sums match only when no ARN has another '/'.
        if sum(map(_COUNT, arns, repeat("/", n))) != n * prefix.count("/"):
            return None
        statuses: list[Status | None] = list(map(STATUS_BY_VALUE.get, raw))
    except TypeError:
        return None
    if None in statuses:
        return None
    return arns, statuses, modes


def read_versions(
    value: object, solution_arn: str | None, out: list[Finding], unreadable: list[str]
) -> VersionTable | None:
    """The versions of ``solution_arn`` in ``value``; ``None`` if not given.

    Entries that cannot be read (SV505) are reported and their paths added to
    ``unreadable``: the table is then no longer the complete list.
    """
    if value is None:
        return None
    items = _items(value, "versions", "solutionVersions", "a list of solution version dicts", out)
    if items is None:
        return None
    if solution_arn is not None:
        columns = _columns(items, f"{solution_arn}/")
        if columns is not None:
            return VersionTable(*columns, items, None)  # type: ignore[arg-type]  # dicts, checked
    rows: list[VersionRow] = []
    for i, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("solutionVersion"), dict):
            item = item["solutionVersion"]  # a whole DescribeSolutionVersion response
        before = len(out)
        row = _version_row(item, "versions", i, solution_arn, out)
        if row is not None:
            rows.append(row)
        elif any(f.rule == "SV505" for f in out[before:]):
            unreadable.append(f"versions[{i}]")
    return VersionTable.of_rows(rows)


def read_campaigns(value: object, out: list[Finding]) -> list[CampaignRow] | None:
    """Rows for ListCampaigns' ``campaigns``; ``None`` if not given."""
    if value is None:
        return None
    items = _items(value, "campaigns", "campaigns", "a list of campaign dicts", out)
    if items is None:
        return None
    rows = []
    for i, item in enumerate(items):
        path = f"campaigns[{i}]"
        if not isinstance(item, dict):
            _ignored(path, item, "a campaign dict", out)
            continue
        label = item.get("campaignArn", item.get("name"))
        rows.append(
            CampaignRow(
                label if isinstance(label, str) else path,
                _status(item.get("status"), f"{path}.status", out),
                path,
            )
        )
    return rows


def read_imports(value: object, out: list[Finding]) -> list[_dt.datetime] | None:
    """When each ACTIVE dataset import job finished; ``None`` if not given."""
    if value is None:
        return None
    items = _items(
        value, "dataset_imports", "datasetImportJobs", "a list of dataset import job dicts", out
    )
    if items is None:
        return None
    finished = []
    for i, item in enumerate(items):
        path = f"dataset_imports[{i}]"
        if not isinstance(item, dict):
            _ignored(path, item, "a dataset import job dict", out)
            continue
        if _status(item.get("status"), f"{path}.status", out) is Status.ACTIVE:
            when = read_timestamp(item.get("lastUpdatedDateTime", item.get("creationDateTime")))
            if when is not None:
                finished.append(when)
    return finished


# An UPDATE version can have started from a version in one of these (status, mode) pairs:
# ACTIVE and FULL, or a fact too vague to rule it out (status or mode unknown, or AUTOTRAIN,
# whose relation to UPDATE is not documented).
_BASE_STATUSES = (Status.ACTIVE, None)
_BASE_MODES = (TrainingMode.FULL, TrainingMode.AUTOTRAIN, None)


def contradictions(
    table: VersionTable, solution: SolutionFacts | None, out: list[Finding]
) -> bool:
    """Report (SV507) what in a complete version list the service's lifecycle rules out.

    The service never lists a version twice; an UPDATE version is created only
    while an ACTIVE FULL version of its solution exists (and ACTIVE is
    terminal, and versions vanish only with their solution); a version is
    created after its solution. A list that breaks one of these is not the
    complete, current list: returns ``True`` and the caller treats it as not
    given. Costs C-level passes over the columns unless an UPDATE version or
    a dated solution gives something to compare.
    """
    found = False
    arns = table.arns
    if len(set(arns)) != len(arns):
        found = True
        first: dict[str, int] = {}
        for i, (arn, row) in enumerate(zip(arns, table.rows, strict=True)):
            if arn in first:
                earlier = table.rows[first[arn]]
                out.append(
                    _SV507.finding(
                        f"{row.path} and {earlier.path} both report version {describe(arn)}; "
                        "a ListSolutionVersions answer names each version once, so the list "
                        "was assembled wrongly and proves nothing.",
                        row.path,
                        "Pass each page of ListSolutionVersions once (a paginator does).",
                    )
                )
            else:
                first[arn] = i
    if (Status.ACTIVE, TrainingMode.UPDATE) in zip(table.statuses, table.modes, strict=True):
        found = _updates_without_base(table, out) or found
    if solution is not None and solution.created is not None:
        found = _older_than_solution(table, solution.created, out) or found
    return found


def _updates_without_base(table: VersionTable, out: list[Finding]) -> bool:
    rows = table.rows
    bases = [r for r in rows if r.status in _BASE_STATUSES and r.mode in _BASE_MODES]
    # Only an ACTIVE UPDATE is certain to have had its base: whether the service checks an
    # UPDATE's precondition when it is asked or while it trains (so that a version could be
    # created and then fail) is not documented.
    updates = [r for r in rows if r.mode is TrainingMode.UPDATE and r.status is Status.ACTIVE]
    if not bases:
        update = updates[0]
        out.append(
            _SV507.finding(
                f"{update.path} is {describe(update.arn)}, ACTIVE and trained with UPDATE, but "
                "no version "
                "in the list is an ACTIVE FULL version for it to have started from; the list "
                "is incomplete or wrong and proves nothing.",
                f"{update.path}.trainingMode",
                "Pass every page of ListSolutionVersions for this solution, as it is now.",
            )
        )
        return True
    base_times = [r.created for r in bases]
    if None in base_times:
        return False  # an undated base may be the older one
    oldest_base = min(t for t in base_times if t is not None)
    for update in updates:
        created = update.created
        if created is not None and created < oldest_base:
            out.append(
                _SV507.finding(
                    f"{update.path} ({describe(update.arn)}, an ACTIVE UPDATE) was created at "
                    f"{created.isoformat()}, before every ACTIVE FULL version of its solution "
                    f"(the oldest: {oldest_base.isoformat()}); an UPDATE needs one to exist "
                    "first, so the list proves nothing.",
                    f"{update.path}.creationDateTime",
                    "Check the versions' creationDateTime values and pass the list as the "
                    "service returns it.",
                )
            )
            return True
    return False


def created_since(facts: list[Any], since: _dt.datetime) -> bool:
    """Whether every version dict in ``facts`` has a ``creationDateTime`` datetime no
    earlier than ``since`` (SV507's test on boto3's own answers, without reading rows)."""
    return none_before(map(_GET, facts, repeat("creationDateTime", len(facts))), since)


def _older_than_solution(table: VersionTable, since: _dt.datetime, out: list[Finding]) -> bool:
    if created_since(table.facts, since):
        return False  # boto3's own answers, datetimes: every one at once
    for row in table.rows:
        created = row.created
        if created is not None and created < since:
            out.append(
                _SV507.finding(
                    f"{row.path} ({describe(row.arn)}) was created at {created.isoformat()}, "
                    f"before its solution ({since.isoformat()}); the facts cannot both be "
                    "right, so the list proves nothing.",
                    f"{row.path}.creationDateTime",
                    "Pass the DescribeSolution and ListSolutionVersions answers of one "
                    "solution, unmodified.",
                )
            )
            return True
    return False
