"""Checking what the service reports: ``check_transition`` and ``validate``.

``check_transition`` allows an observed change of a version's status when
the new status is reachable from the old one in the lifecycle (polling every
30-60 s misses steps). ``validate`` checks a response dict against its dated
shape and the invariants the service keeps (SV6xx).
"""

from __future__ import annotations

from collections.abc import Mapping

from svstate._arn import arn_matches, solution_of
from svstate._catalogue import RULES
from svstate._errors import UnsupportedOperation
from svstate._lifecycle import Lifecycle, lifecycle_for
from svstate._rulesets import DEFAULT_RULESET, Ruleset, resolve_ruleset
from svstate._shapes import RESPONSES, check
from svstate._text import describe, did_you_mean
from svstate._timestamps import read_timestamp
from svstate._verdict import Finding, Verdict, conclude
from svstate._vocab import Severity, Status, read_status

__all__ = ["check_transition", "validate"]

_WRAPPERS: Mapping[str, str] = {
    "SolutionVersion": "solutionVersion",
    "SolutionVersionSummary": "solutionVersionSummary",
    "Solution": "solution",
}
_VERSION_SHAPES = frozenset({"SolutionVersion", "SolutionVersionSummary"})


def _verdict(findings: list[Finding], rs: Ruleset, operation: str) -> Verdict:
    return conclude(findings, (), rs.name, operation)


def _observed(
    value: object, side: str, lc: Lifecycle, rs: Ruleset, out: list[Finding]
) -> tuple[Status | None, str | None]:
    """The status (and ARN, for a dict) of one side of ``check_transition``."""
    arn: str | None = None
    path = side
    raw = value
    if isinstance(value, dict):
        found = value.get("solutionVersionArn")
        arn = found if isinstance(found, str) else None
        raw = value.get("status")
        path = f"{side}.status"
    if isinstance(raw, Status):
        status: Status | None = raw
    else:
        read = read_status(raw)
        if read is None:
            out.append(
                RULES["SV502"].finding(
                    f"{path} is {describe(raw)}, not a documented status.",
                    path,
                    f"Pass a status such as {', '.join(repr(s.value) for s in lc.statuses)}, or "
                    "the DescribeSolutionVersion dict.",
                    severity=Severity.ERROR,
                )
            )
            return None, arn
        status, normalised = read
        if normalised:
            out.append(
                RULES["SV503"].finding(
                    f"{path} {describe(raw)} uses the underscore spelling; read as "
                    f"{status.value!r}.",
                    path,
                )
            )
    if status is None or status not in lc.reachable:
        shown = status.value if status is not None else describe(raw)
        out.append(
            RULES["SV501"].finding(
                f"{path} {shown} is not a status a solution version can have in ruleset "
                f"{rs.name}.",
                path,
                "Solution versions go through "
                f"{', '.join(s.value for s in lc.statuses)}"
                + ("; the stop states exist from 2021-05-20." if not rs.has_stop else "."),
            )
        )
        return None, arn
    return status, arn


def check_transition(
    before: object, after: object, *, ruleset: object = DEFAULT_RULESET
) -> Verdict:
    """Check that an observed status change is a legal step of the version lifecycle.

    ``before`` and ``after`` are two statuses (``Status`` or wire strings, in
    either spelling) or two observations of the same version (dicts as
    DescribeSolutionVersion or ListSolutionVersions return them). The change
    is allowed when ``after`` is reachable from ``before`` (polling misses
    steps); staying in the same status is allowed.

    >>> import svstate
    >>> svstate.check_transition("CREATE PENDING", "ACTIVE").decision.value
    'allow'
    >>> print(svstate.check_transition("ACTIVE", "CREATE IN_PROGRESS").findings[0].message)
    ACTIVE cannot become CREATE IN_PROGRESS: ACTIVE is terminal.
    """
    rs = resolve_ruleset(ruleset)
    lc = lifecycle_for(rs)
    findings: list[Finding] = []
    old, old_arn = _observed(before, "before", lc, rs, findings)
    new, new_arn = _observed(after, "after", lc, rs, findings)
    if old_arn is not None and new_arn is not None and old_arn != new_arn:
        findings.append(
            RULES["SV504"].finding(
                f"before is version {describe(old_arn)} and after is {describe(new_arn)}; they are "
                "not observations of one version.",
                "after.solutionVersionArn",
                "Compare two observations of the same version.",
                severity=Severity.ERROR,
            )
        )
        return _verdict(findings, rs, "check_transition")
    if old is not None and new is not None and new not in lc.reachable[old]:
        if old in lc.terminal:
            reason = f"{old.value} is terminal"
            hint = (
                f"A version never leaves {old.value}; a new status means a new version "
                "(check the ARN) or a stale observation."
            )
        else:
            onward = sorted(s.value for s in lc.reachable[old] if s is not old)
            reason = f"from {old.value} only {', '.join(onward)} can follow"
            hint = (
                "An earlier status after a later one is a stale observation; order "
                "observations by lastUpdatedDateTime."
            )
        findings.append(
            RULES["SV501"].finding(
                f"{old.value} cannot become {new.value}: {reason}.", "after", hint
            )
        )
    return _verdict(findings, rs, "check_transition")


def validate(shape: str, value: object, *, ruleset: object = DEFAULT_RULESET) -> Verdict:
    """Check a response dict: types, enums, patterns, and the service's invariants.

    ``shape`` is ``"SolutionVersion"`` (DescribeSolutionVersion),
    ``"SolutionVersionSummary"`` (an item of ListSolutionVersions) or
    ``"Solution"`` (DescribeSolution); the whole response document
    (``{"solutionVersion": {...}}``) is accepted too. The decision is ALLOW when
    no error-level finding holds, DENY otherwise.

    >>> import svstate
    >>> arn = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
    >>> v = svstate.validate("SolutionVersion", {"solutionArn": arn,
    ...     "solutionVersionArn": "arn:aws:personalize:us-east-1:123456789012:solution/other/1a2b3c4d",
    ...     "status": "CREATE IN_PROGRESS", "trainingHours": 1.5})
    >>> v.decision, [(f.rule, f.severity.value, f.path) for f in v.findings]
    (<Decision.DENY: 'deny'>, [('SV602', 'warning', 'trainingHours'), ('SV603', 'error', 'solutionVersionArn')])
    """
    if not isinstance(shape, str) or shape not in RESPONSES:
        near = did_you_mean(shape, list(RESPONSES))
        raise UnsupportedOperation(
            f"svstate does not validate shape {describe(shape)}; it validates "
            f"{', '.join(RESPONSES)}." + (f" Did you mean {near!r}?" if near else "")
        )
    rs = resolve_ruleset(ruleset)
    wrapper = _WRAPPERS[shape]
    if (
        isinstance(value, dict)
        and len(value) >= 1
        and isinstance(value.get(wrapper), dict)
        and (set(value) <= {wrapper, "ResponseMetadata"})
    ):
        value = value[wrapper]
    findings = check(RESPONSES[shape], value, rs, request=False, path="")
    if not findings and not isinstance(value, dict):
        findings.append(
            RULES["SV607"].finding(f"the value is {describe(value)}, not a dict.", error_code=None)
        )
    if isinstance(value, dict):
        _invariants(shape, value, "", rs, findings)
    return _verdict(findings, rs, shape)


def _join(path: str, member: str) -> str:
    return f"{path}.{member}" if path else member


def _invariants(
    shape: str, value: dict[object, object], path: str, rs: Ruleset, out: list[Finding]
) -> None:
    read = read_status(value.get("status"))
    status = read[0] if read else None
    raw = value.get("status")
    status_path = _join(path, "status")
    if raw is not None and isinstance(raw, str):
        if read is None:
            out.append(
                RULES["SV502"].finding(
                    f"{status_path} {describe(raw)} is not a documented status.", status_path
                )
            )
        else:
            if read[1]:
                out.append(
                    RULES["SV503"].finding(
                        f"{status_path} {describe(raw)} uses the underscore spelling; read as "
                        f"{read[0].value!r}.",
                        status_path,
                    )
                )
            if shape in _VERSION_SHAPES and read[0] not in lifecycle_for(rs).reachable:
                out.append(
                    RULES["SV502"].finding(
                        f"{status_path} {read[0].value} is not a status a solution version can "
                        f"have in ruleset {rs.name}.",
                        status_path,
                    )
                )
    if shape in _VERSION_SHAPES:
        reason = value.get("failureReason")
        if reason is not None and status is not None and status is not Status.CREATE_FAILED:
            out.append(
                RULES["SV601"].finding(
                    f"{_join(path, 'failureReason')} is set while the version is {status.value}; the "
                    "service reports a failure reason only on CREATE FAILED.",
                    _join(path, "failureReason"),
                )
            )
        hours = value.get("trainingHours")
        if hours is not None and status is not None and status is not Status.ACTIVE:
            out.append(
                RULES["SV602"].finding(
                    f"{_join(path, 'trainingHours')} is {describe(hours)} while the version is "
                    f"{status.value}; the service reports it only once ACTIVE.",
                    _join(path, "trainingHours"),
                )
            )
    _under(value, path, "solutionArn", "solutionVersionArn", out)
    created = read_timestamp(value.get("creationDateTime"))
    updated = read_timestamp(value.get("lastUpdatedDateTime"))
    if created is not None and updated is not None and updated < created:
        out.append(
            RULES["SV604"].finding(
                f"{_join(path, 'lastUpdatedDateTime')} {updated.isoformat()} is before "
                f"creationDateTime {created.isoformat()}.",
                _join(path, "lastUpdatedDateTime"),
            )
        )
    config = value.get("solutionConfig")
    if isinstance(config, dict):
        _ranges(config, _join(path, "solutionConfig"), out)
    latest = value.get("latestSolutionVersion")
    if shape == "Solution" and isinstance(latest, dict):
        arn = value.get("solutionArn")
        if isinstance(arn, str):
            latest = {**latest, "solutionArn": arn}
        _invariants(
            "SolutionVersionSummary", latest, _join(path, "latestSolutionVersion"), rs, out
        )


def _under(
    value: dict[object, object], path: str, parent: str, child: str, out: list[Finding]
) -> None:
    solution, version = value.get(parent), value.get(child)
    if (
        isinstance(solution, str)
        and isinstance(version, str)
        and arn_matches(solution)
        and arn_matches(version)
        and solution_of(version) != solution
    ):
        out.append(
            RULES["SV603"].finding(
                f"{_join(path, child)} {describe(version)} does not lie under {parent} "
                f"{describe(solution)}.",
                _join(path, child),
                "A version's ARN is its solution's "
                "ARN, '/', and an id; the response mixes two resources.",
            )
        )


def _ranges(config: dict[object, object], path: str, out: list[Finding]) -> None:
    hpo = config.get("hpoConfig")
    ranges = hpo.get("algorithmHyperParameterRanges") if isinstance(hpo, dict) else None
    if not isinstance(ranges, dict):
        return
    for kind in ("integerHyperParameterRanges", "continuousHyperParameterRanges"):
        items = ranges.get(kind)
        if not isinstance(items, list | tuple):
            continue
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            low, high = item.get("minValue"), item.get("maxValue")
            numbers = all(
                isinstance(x, int | float) and not isinstance(x, bool) for x in (low, high)
            )
            if numbers and low > high:  # type: ignore[operator]
                where = f"{path}.hpoConfig.algorithmHyperParameterRanges.{kind}[{i}]"
                out.append(
                    RULES["SV606"].finding(
                        f"{where}.minValue {describe(low)} is greater than maxValue "
                        f"{describe(high)}.",
                        f"{where}.minValue",
                        "Swap them, or widen the range.",
                        error_code=None,
                    )
                )
