"""``replay``: check a recorded trace of Personalize calls against the model.

Rules in this file:

* A trace is JSON Lines: one call per line, ``{"operation": ..., "params":
  {...}, "response": {...}}`` or, for a call the service refused, ``{...,
  "error": {"Code": ..., "Message": ...}}``; ``"time"`` is optional.
* Replay feeds a :class:`~svstate.Tracker`: before each modelled call it asks
  the tracker's pre-flight, after it the tracker observes the outcome. A call
  the pre-flight denies is an illegal step (whether or not the service
  refused it); an observation the lifecycle forbids (SV501) is one too, for
  a version or any resource of the chain (its declared lifecycle). The
  resource of a step is the ARN the finding points at.
* It streams: memory grows with the resources in the trace, not its length.
  A line that is not JSON, or not a call, is reported with its line number
  and skipped; nothing aborts a replay.
* Replay partitions by solution: the report of a whole trace equals the
  :meth:`Replay.merge` of the reports of its parts split by
  :func:`partition_key`, with the original line numbers kept. So a trace
  split across workers (Dask, multiprocessing) gives exactly the
  single-process result.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

import attrs

from svstate._arn import SOLUTION, SOLUTION_LATEST, SOLUTION_VERSION, arn_kind, arn_matches
from svstate._chain import CHAIN
from svstate._errors import SvstateError
from svstate._preflight import OPERATIONS
from svstate._rulesets import DEFAULT_RULESET, resolve_ruleset
from svstate._text import describe
from svstate._tracker import Tracker
from svstate._vocab import Decision, Severity

__all__ = ["IllegalStep", "Replay", "partition", "partition_key", "replay"]

_ARN_MEMBERS = ("solutionVersionArn", "solutionArn", "campaignArn")
# Every member naming a resource, the solution version's first (findings point into them).
_RESOURCE_MEMBERS = tuple(dict.fromkeys(("solutionVersionArn", *(r.arn_member for r in CHAIN))))


@attrs.frozen(order=True)
class IllegalStep:
    """The first illegal step of one resource: where, what, and why."""

    __module__ = "svstate"

    line: int
    resource: str
    operation: str
    rule: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The step as a JSON-serialisable dict."""
        return attrs.asdict(self)


@attrs.frozen
class Replay:
    """The report of a replayed trace.

    ``illegal`` maps each resource (a solution or version ARN) to its first
    illegal step; ``skipped`` lists ``(line, reason)`` for lines that were
    not calls; ``lines``, ``calls``, ``denied`` (calls the pre-flight denied)
    and ``refused`` (calls the service answered with an error) are counts.
    """

    __module__ = "svstate"

    lines: int = 0
    calls: int = 0
    denied: int = 0
    refused: int = 0
    illegal: dict[str, IllegalStep] = attrs.Factory(dict)
    skipped: tuple[tuple[int, str], ...] = ()

    @property
    def ok(self) -> bool:
        """Whether no step was illegal."""
        return not self.illegal

    def merge(self, other: Replay) -> Replay:
        """The report of two disjoint parts of one trace (split by :func:`partition_key`)."""
        illegal = dict(self.illegal)
        for resource, step in other.illegal.items():
            if resource not in illegal or step.line < illegal[resource].line:
                illegal[resource] = step
        return Replay(
            self.lines + other.lines,
            self.calls + other.calls,
            self.denied + other.denied,
            self.refused + other.refused,
            dict(sorted(illegal.items())),
            tuple(sorted(self.skipped + other.skipped)),
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON-serialisable dict."""
        return {
            "lines": self.lines,
            "calls": self.calls,
            "denied": self.denied,
            "refused": self.refused,
            "illegal": [step.to_dict() for step in sorted(self.illegal.values())],
            "skipped": [{"line": line, "reason": reason} for line, reason in self.skipped],
        }


def partition_key(event: object) -> str:
    """The solution ARN an event belongs to (``""`` when it names none).

    Split a trace by this key to replay its parts apart and :meth:`Replay.merge` them.

    >>> partition_key('{"operation": "DescribeSolutionVersion", "params": '
    ...               '{"solutionVersionArn": "arn:aws:personalize:us-east-1:1:solution/m/0a1b2c3d"}}')
    'arn:aws:personalize:us-east-1:1:solution/m'
    """
    if isinstance(event, str | bytes | bytearray):
        try:
            event = json.loads(event)
        except (ValueError, RecursionError):
            return ""
    if not isinstance(event, dict):
        return ""
    sources = [event.get("params"), event.get("response")]
    response = event.get("response")
    if isinstance(response, dict):
        sources += [v for v in response.values() if isinstance(v, dict)]
    for source in sources:
        if not isinstance(source, dict):
            continue
        for member in _ARN_MEMBERS:
            arn = source.get(member)
            if isinstance(arn, str) and arn_matches(arn):
                kind = arn_kind(arn)
                if kind == SOLUTION:
                    return arn
                if kind in (SOLUTION_VERSION, SOLUTION_LATEST):
                    return arn.rpartition("/")[0]
    return ""


def partition(event: object) -> list[tuple[str, Any]]:
    """The parts of one event, each with the solution ARN it belongs to.

    Most events belong to one solution and come back whole. A listing that
    names several solutions (ListSolutions, or ListSolutionVersions across the
    account) is split into one part per solution, marked ``"part"`` so that
    :func:`replay` counts its line once. Replaying every part with its
    solution's events and merging the reports gives the whole trace's report.

    >>> parts = partition({"operation": "ListSolutions", "params": {}, "response": {"solutions": [
    ...     {"solutionArn": "arn:aws:personalize:us-east-1:1:solution/a", "status": "ACTIVE"},
    ...     {"solutionArn": "arn:aws:personalize:us-east-1:1:solution/b", "status": "ACTIVE"}]}})
    >>> [(key.rpartition("/")[2], part["part"]) for key, part in parts]
    [('a', 0), ('b', 1)]
    """
    if isinstance(event, str | bytes | bytearray):
        try:
            event = json.loads(event)
        except (ValueError, RecursionError):
            return [("", event)]
    if not isinstance(event, dict):
        return [("", event)]
    response = event.get("response")
    listing = {
        "ListSolutions": ("solutions", "solutionArn"),
        "ListSolutionVersions": ("solutionVersions", "solutionVersionArn"),
    }.get(event.get("operation"))  # type: ignore[arg-type]
    if (
        listing is None
        or not isinstance(response, dict)
        or (isinstance(event.get("params"), dict) and event["params"].get("solutionArn"))
    ):
        return [(partition_key(event), event)]
    key, member = listing
    items = response.get(key)
    if not isinstance(items, list):
        return [(partition_key(event), event)]
    groups: dict[str, list[Any]] = {}
    for item in items:
        arn = item.get(member) if isinstance(item, dict) else None
        owner = ""
        if isinstance(arn, str) and arn_matches(arn):
            owner = arn if key == "solutions" else arn.rpartition("/")[0]
        groups.setdefault(owner, []).append(item)
    if len(groups) <= 1:
        return [(next(iter(groups), ""), event)]
    return [
        (owner, {**event, "response": {**response, key: part}, "part": index})
        for index, (owner, part) in enumerate(sorted(groups.items()))
    ]


def _arn_at(response: Any, path: str) -> str | None:
    """The ARN of the object a finding's path points into (``solutionVersions[2].status``)."""
    node = response
    for step in path.rpartition(".")[0].split("."):
        name, _, index = step.partition("[")
        node = node.get(name) if isinstance(node, dict) else None
        if index and isinstance(node, list):
            position = int(index.rstrip("]"))
            node = node[position] if position < len(node) else None
    if isinstance(node, dict):
        for member in _RESOURCE_MEMBERS:
            arn = node.get(member)
            if isinstance(arn, str):
                return arn
    return None


def _resource(operation: str, params: dict[str, Any], path: str | None = None) -> str:
    """The resource a step is about: the ARN at the finding's ``path`` in the request, else
    the version or solution it names, else the operation."""
    named = params.get(path) if path is not None else None
    if isinstance(named, str) and arn_matches(named):
        return named
    for member in ("solutionVersionArn", "solutionArn"):
        arn = params.get(member)
        if isinstance(arn, str):
            return arn
    return operation


def replay(
    events: Iterable[Any] | os.PathLike[str], *, ruleset: object = DEFAULT_RULESET
) -> Replay:
    """Check a recorded trace against the model; report each resource's first illegal step.

    ``events`` is a path to a JSON Lines file, or an iterable of lines (str),
    of event dicts, or of ``(line_number, line_or_dict)`` pairs (to keep the
    numbers of a trace split across workers). Events are checked in the order
    given, which must be the order of the trace.

    >>> import svstate
    >>> arn = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
    >>> trace = [
    ...     '{"operation": "DescribeSolution", "params": {"solutionArn": "%s"},'
    ...     ' "response": {"solution": {"solutionArn": "%s", "status": "ACTIVE",'
    ...     ' "recipeArn": "arn:aws:personalize:::recipe/aws-hrnn-coldstart"}}}' % (arn, arn),
    ...     '{"operation": "ListSolutionVersions", "params": {"solutionArn": "%s"},'
    ...     ' "response": {"solutionVersions": []}}' % arn,
    ...     '{"operation": "CreateSolutionVersion", "params": {"solutionArn": "%s",'
    ...     ' "trainingMode": "UPDATE"}, "error": {"Code": "InvalidInputException"}}' % arn,
    ...     'not json']
    >>> report = svstate.replay(trace)
    >>> [(s.line, s.rule) for s in report.illegal.values()], report.skipped
    ([(3, 'SV301')], ((4, 'line 4 is not JSON: Expecting value'),))
    """
    tracker = Tracker(ruleset=resolve_ruleset(ruleset))
    lines = calls = denied = refused = 0
    illegal: dict[str, IllegalStep] = {}
    skipped: list[tuple[int, str]] = []
    for number, raw in _numbered(events):
        lines += 1
        event, problem = _event(number, raw)
        if event is None:
            skipped.append((number, problem))
            continue
        if event.get("part", 0) != 0:  # a later part of a split line: counted once
            lines -= 1
        else:
            calls += 1
        operation, params = event["operation"], event["params"]
        outcome = event["error"] if "error" in event else event["response"]
        failed = "error" in event
        refused += failed and event.get("part", 0) == 0
        if operation in OPERATIONS:
            verdict = tracker.preflight(operation, params)
            if verdict.decision is Decision.DENY:
                denied += 1
                first = next(f for f in verdict.findings if f.severity is Severity.ERROR)
                resource = _resource(operation, params, first.path)
                if resource not in illegal:
                    said = "the service refused it" if failed else "the service accepted it"
                    illegal[resource] = IllegalStep(
                        number, resource, operation, first.rule, f"{first.message} ({said})"
                    )
        observed = tracker.observe(operation, params, {"Error": outcome} if failed else outcome)
        for finding in observed.findings:
            if finding.rule == "SV501":
                resource = _arn_at(outcome, finding.path or "") or _resource(operation, params)
                if resource not in illegal:
                    illegal[resource] = IllegalStep(
                        number, resource, operation, "SV501", finding.message
                    )
    return Replay(lines, calls, denied, refused, dict(sorted(illegal.items())), tuple(skipped))


def _numbered(events: Any) -> Iterable[tuple[int, Any]]:
    if isinstance(events, os.PathLike):
        with open(events, encoding="utf-8", errors="replace") as handle:
            yield from enumerate(handle, start=1)
        return
    if isinstance(events, str | bytes | bytearray | dict):
        raise SvstateError(
            f"events is {describe(events)}; pass a path (pathlib.Path), an open file, or an "
            "iterable of JSON lines or event dicts."
        )
    try:
        iterator = iter(events)
    except TypeError:
        raise SvstateError(
            f"events is {describe(events)}; pass a path (pathlib.Path), an open file, or an "
            "iterable of JSON lines or event dicts."
        ) from None
    for position, item in enumerate(iterator, start=1):
        if (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], int)
            and not isinstance(item[0], bool)
        ):
            yield item[0], item[1]
        else:
            yield position, item


def _event(number: int, raw: Any) -> tuple[dict[str, Any] | None, str]:
    if isinstance(raw, bytes | bytearray):
        raw = raw.decode("utf-8", errors="replace")
    if isinstance(raw, str):
        if not raw.strip():
            return None, f"line {number} is empty"
        try:
            raw = json.loads(raw)
        except RecursionError:
            return None, f"line {number} is nested too deeply"
        except ValueError as error:
            return None, f"line {number} is not JSON: {str(error).split(':')[0]}"
    if not isinstance(raw, dict):
        return None, f"line {number} is {describe(raw)}, not an event object"
    operation = raw.get("operation")
    if not isinstance(operation, str):
        return None, f"line {number} has no operation"
    params = raw.get("params", {})
    if not isinstance(params, dict):
        return None, f"line {number}: params is {describe(params)}, not an object"
    if "error" in raw:
        if not isinstance(raw["error"], dict):
            return None, f"line {number}: error is {describe(raw['error'])}, not an object"
    elif not isinstance(raw.get("response"), dict):
        return None, f"line {number} has neither a response object nor an error"
    return {**raw, "params": params}, ""
