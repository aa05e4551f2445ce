"""Request and response shapes, by date, and the one walker that checks them.

Rules in this file:

* The members, types, lengths, sizes, enums and patterns of every modelled
  request and response shape are declared here once, as data, after the
  service model in botocore (``personalize/2018-05-22``), with the date each
  member appeared. Nothing else in svstate knows a member's type or limits.
* Each shape names the rule that reports its violations (SV102 for ARNs,
  SV104 for trainingMode, SV106 for names and tags, SV605/SV606 for HPO
  settings, SV607 for the rest); missing required members are SV101,
  members the ruleset does not know are SV105.
* :func:`check` never recurses deeper than the declared shapes, so a value
  nested ten thousand deep costs one finding, not a ``RecursionError``. Every
  violation is reported, each with its full dotted path.
* On requests, type errors and unknown or missing members are predicted as
  botocore's client-side ``ParamValidationError``; on responses they are
  findings about what the service sent, and unknown members are warnings
  (a newer API than the ruleset).
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
import unicodedata
from collections.abc import Callable, Mapping

from svstate._arn import ARN_PATTERN, arn_matches
from svstate._catalogue import ALL_OPS, RULES
from svstate._model import OPERATIONS, SHAPES
from svstate._rulesets import GA, TRAINING_MODE_SINCE, Ruleset
from svstate._text import describe, did_you_mean, what
from svstate._timestamps import read_timestamp
from svstate._verdict import Finding
from svstate._vocab import Severity

__all__ = [
    "REQUESTS",
    "RESPONSES",
    "Member",
    "Shape",
    "check",
    "check_request",
    "model_shape",
    "request_shape",
]

_CLIENT = "ParamValidationError"


class Shape:
    """A declared shape: its kind, constraints and, for structures, members.

    A plain slotted class rather than an attrs one: dozens are built at import.
    """

    __slots__ = (
        "dated",
        "enum",
        "item",
        "key",
        "kind",
        "max",
        "max_error_code",
        "members",
        "min",
        "name",
        "pattern",
        "pattern_text",
        "required",
        "rule",
    )

    def __init__(
        self,
        name: str,
        kind: str,
        *,
        rule: str = "SV607",
        min: float | None = None,
        max: float | None = None,
        enum: Mapping[str, _dt.date] | None = None,
        pattern: Callable[[str], bool] | None = None,
        pattern_text: str = "",
        members: Mapping[str, Member] | None = None,
        required: Mapping[str, tuple[_dt.date, _dt.date | None]] | None = None,
        item: Shape | None = None,
        key: Shape | None = None,
        max_error_code: str | None = "",
    ):
        self.name = name
        self.kind = kind
        self.rule = rule
        self.min = min
        self.max = max
        self.enum = enum
        self.pattern = pattern
        self.pattern_text = pattern_text
        self.members: Mapping[str, Member] = members or {}
        self.required: Mapping[str, tuple[_dt.date, _dt.date | None]] = required or {}
        self.item = item
        self.key = key
        self.max_error_code = max_error_code
        # (facet, date, value) of every min, max or pattern that changed over time
        self.dated: tuple[tuple[str, _dt.date, object], ...] = ()

    def renamed(self, name: str) -> Shape:
        """The same shape under another name."""
        copy = Shape(self.name, self.kind)
        for slot in self.__slots__:
            setattr(copy, slot, getattr(self, slot))
        copy.name = name
        return copy

    def __repr__(self) -> str:
        return f"<Shape {self.name} ({self.kind})>"


class Member:
    """A member of a structure and the date it appeared."""

    __slots__ = ("shape", "since")

    def __init__(self, shape: Shape, since: _dt.date = GA):
        self.shape = shape
        self.since = since


# -- the shapes: botocore's model (generated, dated) with svstate's knowledge on top ----------

_TAG_TEXT = "letters, numbers, spaces and _.:/=+-@"


def _tag_text(s: str) -> bool:
    # The model's '^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$': letters, separators, numbers, and _.:/=+-@
    return all(c in "_.:/=+-@" or unicodedata.category(c)[0] in "LZN" for c in s)


def _int_string(limit: int) -> Callable[[str], bool]:
    def test(s: str) -> bool:
        return s.isascii() and s.isdigit() and len(s) <= 6 and 1 <= int(s) <= limit

    return test


# Shape name -> the rule that reports its violations (SV607 for every other shape).
_RULES = {
    "Arn": "SV102",
    "TrainingMode": "SV104",
    "Name": "SV106",
    "Tags": "SV106",
    "Tag": "SV106",
    "TagKey": "SV106",
    "TagValue": "SV106",
    "HPOResource": "SV605",
    "IntegerHyperParameterRanges": "SV606",
    "ContinuousHyperParameterRanges": "SV606",
    "CategoricalHyperParameterRanges": "SV606",
    "IntegerMinValue": "SV606",
    "IntegerMaxValue": "SV606",
    "ContinuousMinValue": "SV606",
    "ContinuousMaxValue": "SV606",
}
# Shape name -> a pattern the model's regex cannot say in Python, and how a finding words it.
_PATTERNS: dict[str, tuple[Callable[[str], bool], str]] = {
    "Arn": (arn_matches, ARN_PATTERN),
    "TagKey": (_tag_text, _TAG_TEXT),
    "TagValue": (_tag_text, _TAG_TEXT),
}
# "Shape.member" -> a documented limit the model has only in its documentation text
# (one shape, HPOResource, serves both members).
_MEMBER_PATTERNS: dict[str, tuple[Callable[[str], bool], str]] = {
    "HPOResourceConfig.maxNumberOfTrainingJobs": (
        _int_string(40),
        "an integer string from '1' to '40'",
    ),
    "HPOResourceConfig.maxParallelTrainingJobs": (
        _int_string(10),
        "an integer string from '1' to '10'",
    ),
}
# Shape name -> a date the facts (../shared/spec/personalize-facts.md) correct: the
# model's first release can lag or lead the API change it carries.
_ENUM_SINCE: dict[str, Mapping[str, _dt.date]] = {
    "TrainingMode": {m.value: since for m, since in TRAINING_MODE_SINCE.items()},
}
_MAX_ERROR_CODES = {"Tags": "TooManyTagsException"}
_KINDS = {"long": "integer", "float": "double"}


def _day(text: str) -> _dt.date:
    return _dt.date.fromisoformat(text)


def _latest(changes: tuple[tuple[str, object], ...]) -> object:
    return changes[-1][1] if changes else None


class _Builder:
    """Builds each model shape once, by name (a member's own variant by its path)."""

    def __init__(self) -> None:
        self.built: dict[str, Shape] = {}

    def shape(self, name: str, path: str | None = None) -> Shape:
        key = path if path in _MEMBER_PATTERNS else name
        assert key is not None
        found = self.built.get(key)
        if found is not None:
            return found
        kind, _, facets, members, enum, item, map_key = SHAPES[name]
        dated = dict(facets)
        kind = _KINDS.get(kind, kind)
        shape = Shape(
            name,
            kind,
            rule=_RULES.get(name, "SV607"),
            max_error_code=_MAX_ERROR_CODES.get(name, ""),
        )
        self.built[key] = shape  # before the members: a shape may contain itself
        low, high = _latest(dated.get("min", ())), _latest(dated.get("max", ()))
        shape.min = low if isinstance(low, int | float) else None
        shape.max = high if isinstance(high, int | float) else None
        shape.dated = tuple(
            (facet, _day(when), value)
            for facet in ("min", "max", "pattern")
            if len(dated.get(facet, ())) > 1
            for when, value in dated[facet]
        )
        special = _MEMBER_PATTERNS.get(key) or _PATTERNS.get(name)
        regex = _latest(dated.get("pattern", ()))
        if special is not None:
            shape.pattern, shape.pattern_text = special
        elif isinstance(regex, str):
            shape.pattern, shape.pattern_text = _searcher(regex), regex
        if enum:
            shape.enum = _ENUM_SINCE.get(name) or {value: _day(when) for value, when in enum}
        if kind == "structure":
            shape.members = {
                member: Member(self.shape(target, f"{name}.{member}"), _day(when))
                for member, target, when, _ in members
            }
            shape.required = {
                member: _required_span(required)
                for member, _, _, required in members
                if any(flag for _, flag in required)
            }
        if item is not None:
            shape.item = self.shape(item)
        if map_key is not None:
            shape.key = self.shape(map_key)
        return shape


# Model regexes Python's re cannot compile (Java's \\p classes), and a test that means the same.
_EQUIVALENTS: dict[str, Callable[[str], bool]] = {
    # Not anchored (Smithy patterns never are): its empty prefix matches every string.
    "\\p{ASCII}{0,1500}": lambda s: True,
}


def _searcher(regex: str) -> Callable[[str], bool]:
    same = _EQUIVALENTS.get(regex)
    if same is not None:
        return same
    compiled = re.compile(regex)
    return lambda s: compiled.search(s) is not None


def _required_span(changes: tuple[tuple[str, bool], ...]) -> tuple[_dt.date, _dt.date | None]:
    """(since, until) of a member required from one date and optional from a later one."""
    since = next(_day(when) for when, flag in changes if flag)
    until = next((_day(when) for when, flag in changes if not flag and _day(when) > since), None)
    return since, until


_BUILD = _Builder()


@functools.cache
def _as_of(shape: Shape, rs: Ruleset) -> Shape:
    """``shape`` with each min, max and pattern as it was in ``rs`` (its last change in force)."""
    copy = shape.renamed(shape.name)
    copy.dated = ()
    for facet, since, value in shape.dated:
        if not rs.in_force(since):
            continue
        if facet == "pattern":
            copy.pattern = _searcher(value) if isinstance(value, str) else None
            copy.pattern_text = value if isinstance(value, str) else ""
        else:
            setattr(copy, facet, value if isinstance(value, int | float) else None)
    return copy


def model_shape(name: str) -> Shape:
    """The shape botocore's model calls ``name``, with svstate's knowledge on top."""
    return _BUILD.shape(name)


def request_shape(operation: str) -> Shape:
    """The request shape of ``operation`` (any of the model's 71), named after it."""
    input_name = OPERATIONS[operation][0]
    if input_name is None:
        return Shape(operation, "structure")
    found = _BUILD.built.get(operation)
    if found is None:
        found = _BUILD.built[operation] = _BUILD.shape(input_name).renamed(operation)
        # A member as old as its operation is part of it from its first day: before that
        # day the operation itself is what a ruleset lacks (SV801), not its members.
        born = _day(OPERATIONS[operation][2])
        found.members = {
            name: member if member.since > born else Member(member.shape, GA)
            for name, member in found.members.items()
        }
        found.required = {
            name: (GA if since <= born else since, until)
            for name, (since, until) in found.required.items()
        }
    return found


ARN = model_shape("Arn")
NAME = model_shape("Name")
TRAINING_MODE = model_shape("TrainingMode")
TRAINING_TYPE = model_shape("TrainingType")

RESPONSES: Mapping[str, Shape] = {
    name: model_shape(name) for name in ("SolutionVersion", "SolutionVersionSummary", "Solution")
}
REQUESTS: Mapping[str, Shape] = {op: request_shape(op) for op in ALL_OPS}

_PATTERN_ADVICE = {
    "Arn": "Pass the ARN exactly as the service returned it, e.g. "
    "'arn:aws:personalize:us-east-1:123456789012:solution/NAME'.",
    "Name": "Start the name with a letter or a digit; then use letters, digits, '-' and '_'.",
    "TagKey": "Use only letters, digits, spaces and _ . : / = + - @.",
    "TagValue": "Use only letters, digits, spaces and _ . : / = + - @.",
}
_EXPECTED = {
    "string": "a string",
    "boolean": "a boolean",
    "integer": "an integer",
    "double": "a number",
    "timestamp": "a datetime, an ISO 8601 string or epoch seconds",
    "structure": "a dict",
    "list": "a list",
    "map": "a dict",
}
_TYPE_HINT = {
    "string": "Pass a str.",
    "boolean": "Pass True or False.",
    "integer": "Pass an int.",
    "double": "Pass a finite float or int.",
    "timestamp": "Pass a datetime as boto3 returns it.",
    "structure": "Pass a dict.",
    "list": "Pass a list.",
    "map": "Pass a dict.",
}


class _Walk:
    """One walk over a value: the ruleset, which side of the wire, and the findings."""

    __slots__ = ("out", "request", "rs")

    def __init__(self, rs: Ruleset, request: bool, out: list[Finding]):
        self.rs = rs
        self.request = request
        self.out = out

    def report(
        self,
        rule_id: str,
        message: str,
        path: str,
        hint: str | None = None,
        error_code: str | None = "",
        severity: Severity | None = None,
    ) -> None:
        rule = RULES[rule_id]
        if not self.request:
            error_code = None
            if rule_id == "SV105":
                severity = Severity.WARNING
        self.out.append(
            rule.finding(message, path or None, hint, severity=severity, error_code=error_code)
        )

    def value(self, shape: Shape, value: object, path: str) -> None:
        kind = shape.kind
        if kind == "string":
            if isinstance(value, str):
                self.string(shape, value, path)
                return
        elif kind == "structure":
            if isinstance(value, dict):
                self.structure(shape, value, path)
                return
        elif kind == "boolean":
            if isinstance(value, bool):
                return
        elif kind == "integer":
            if isinstance(value, int) and not isinstance(value, bool):
                self.bounds(shape, value, path)
                return
        elif kind == "double":
            if isinstance(value, int | float) and not isinstance(value, bool):
                if isinstance(value, float) and not math.isfinite(value):
                    self.report(
                        shape.rule,
                        f"{path} is {value}, not a finite number.",
                        path,
                        "Pass a finite number.",
                    )
                else:
                    self.bounds(shape, value, path)
                return
        elif kind == "timestamp":
            if read_timestamp(value) is not None:
                return
        elif kind == "list":
            if isinstance(value, list | tuple):
                self.sequence(shape, value, path)
                return
        elif isinstance(value, dict):  # map
            self.mapping(shape, value, path)
            return
        self.report(
            shape.rule,
            f"{path or 'the value'} is {what(value)}, not {_EXPECTED[kind]}.",
            path,
            _TYPE_HINT[kind],
            error_code=_CLIENT,
        )

    def string(self, shape: Shape, value: str, path: str) -> None:
        if shape.dated:
            shape = _as_of(shape, self.rs)
        n = len(value)
        if shape.max is not None and n > shape.max:
            self.report(
                shape.rule,
                f"{path} is {n} characters long; {shape.name} allows at most {int(shape.max)}.",
                path,
                "Shorten it.",
            )
            return
        if shape.min is not None and n < shape.min:
            self.report(
                shape.rule,
                f"{path} is empty; {shape.name} needs at least "
                f"{int(shape.min)} character{'s' if shape.min != 1 else ''}.",
                path,
                "Pass a non-empty value.",
                error_code=_CLIENT if self.request else "",
            )
            return
        if shape.enum is not None:
            since = shape.enum.get(value)
            if since is None or not self.rs.in_force(since):
                self.enum(shape, value, path, since)
        elif shape.pattern is not None and not shape.pattern(value):
            hint = _PATTERN_ADVICE.get(shape.name, f"Use {shape.pattern_text}.")
            what = (
                f"does not match the ARN pattern '{ARN_PATTERN}'"
                if shape is ARN
                else f"is not {shape.pattern_text}"
                if shape.rule == "SV605"
                else f"does not match {shape.name}'s pattern '{shape.pattern_text}'"
            )
            self.report(shape.rule, f"{path} {describe(value)} {what}.", path, hint)

    def enum(self, shape: Shape, value: str, path: str, since: _dt.date | None) -> None:
        assert shape.enum is not None
        legal = [v for v, d in shape.enum.items() if self.rs.in_force(d)]
        listed = ", ".join(legal) if legal else "nothing yet"
        if since is not None:
            hint = (
                f"{value} exists from {since.isoformat()}; this check uses ruleset "
                f"{self.rs.name}. Pass ruleset='{since.isoformat()}' or later if you call "
                f"that API, or use one of {listed}."
            )
        else:
            near = did_you_mean(value, legal)
            hint = f"Did you mean {near!r}?" if near else f"Use one of {listed}."
        self.report(shape.rule, f"{path} {describe(value)} is not one of {listed}.", path, hint)

    def bounds(self, shape: Shape, value: float, path: str) -> None:
        if shape.dated:
            shape = _as_of(shape, self.rs)
        if shape.min is not None and value < shape.min:
            self.report(
                shape.rule,
                f"{path} is {describe(value)}; {shape.name} is at least {_num(shape.min)}.",
                path,
                f"Pass a value of {_num(shape.min)} or more.",
                error_code=_CLIENT if self.request and shape.min >= 0 else "",
            )
        elif shape.max is not None and value > shape.max:
            self.report(
                shape.rule,
                f"{path} is {describe(value)}; {shape.name} is at most {_num(shape.max)}.",
                path,
                f"Pass a value of {_num(shape.max)} or less.",
            )

    def structure(self, shape: Shape, value: dict[object, object], path: str) -> None:
        members = shape.members
        rs = self.rs
        for key, item in value.items():
            member = members.get(key) if isinstance(key, str) else None
            if member is not None and rs.in_force(member.since):
                assert isinstance(key, str)
                self.value(member.shape, item, f"{path}.{key}" if path else key)
            else:
                self.unknown(shape, key, path, member)
        for name, (since, until) in shape.required.items():
            if (
                name not in value
                and rs.in_force(since)
                and (until is None or not rs.in_force(until))
            ):
                owner = path or shape.name
                self.report(
                    "SV101",
                    f"{owner} needs {name}, and {path or 'params'} has none.",
                    f"{path}.{name}" if path else name,
                    f"Pass {name}."
                    if until is None
                    else f"Pass {name}; it is optional only from {until.isoformat()} "
                    f"(this check uses ruleset {rs.name}).",
                    error_code=_CLIENT,
                )

    def unknown(self, shape: Shape, key: object, path: str, member: Member | None) -> None:
        where = path or shape.name
        if not isinstance(key, str):
            shown = describe(key)
            self.report(
                "SV105",
                f"{where} has a key {shown} that is not a member name (member names are strings).",
                f"{path}.{shown}" if path else shown,
                "Use the member names of the boto3 documentation.",
            )
            return
        full = f"{path}.{key}" if path else key
        if member is not None:
            since = member.since.isoformat()
            self.report(
                "SV105",
                f"{key!r} is not a member of {shape.name} in ruleset "
                f"{self.rs.name}; it exists from {since}.",
                full,
                f"Drop {key}, or pass ruleset='{since}' or later if you call that API.",
            )
            return
        known = [k for k, m in shape.members.items() if self.rs.in_force(m.since)]
        near = did_you_mean(key, known)
        later = None if near else did_you_mean(key, list(shape.members))
        if near:
            hint = f"Did you mean {near!r}?"
        elif later:
            since = shape.members[later].since.isoformat()
            hint = (
                f"Did you mean {later!r}? It exists from {since}; pass ruleset='{since}' or "
                "later if you call that API."
            )
        else:
            hint = f"Members: {', '.join(known)}."
        self.report("SV105", f"{describe(key)} is not a member of {shape.name}.", full, hint)

    def sequence(self, shape: Shape, value: list[object] | tuple[object, ...], path: str) -> None:
        if shape.dated:
            shape = _as_of(shape, self.rs)
        if shape.max is not None and len(value) > shape.max:
            self.report(
                shape.rule,
                f"{path} has {len(value)} items; {shape.name} allows at most {int(shape.max)}.",
                path,
                f"Pass at most {int(shape.max)}.",
                error_code=shape.max_error_code,
            )
        if shape.item is not None:
            for i, item in enumerate(value):
                self.value(shape.item, item, f"{path}[{i}]")

    def mapping(self, shape: Shape, value: dict[object, object], path: str) -> None:
        if shape.dated:
            shape = _as_of(shape, self.rs)
        if shape.max is not None and len(value) > shape.max:
            self.report(
                shape.rule,
                f"{path} has {len(value)} entries; {shape.name} allows at most {int(shape.max)}.",
                path,
                f"Pass at most {int(shape.max)}.",
            )
        # Entries are addressed as botocore addresses them: ``map.key``.
        for key, item in value.items():
            shown = key if isinstance(key, str) and len(key) <= _KEY_LIMIT else describe(key)
            where = f"{path}.{shown}"
            if shape.key is not None:
                self.value(shape.key, key, where)
            if shape.item is not None:
                self.value(shape.item, item, where)


_KEY_LIMIT = 256


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def check(
    shape: Shape, value: object, rs: Ruleset, *, request: bool, path: str = ""
) -> list[Finding]:
    """Every violation of ``shape`` by ``value`` under ``rs``, each with its full path."""
    out: list[Finding] = []
    _Walk(rs, request, out).value(shape, value, path)
    return out


def _quick_test(shape: Shape, rs: Ruleset) -> Callable[[object], bool] | None:
    """A cheap test that a value is certainly valid for a string shape, or ``None``."""
    if shape.kind != "string":
        return None
    if shape.dated:
        shape = _as_of(shape, rs)
    if shape.enum is not None:
        legal = frozenset(v for v, since in shape.enum.items() if rs.in_force(since))
        return lambda v: type(v) is str and v in legal
    low = 0 if shape.min is None else int(shape.min)
    high = None if shape.max is None else int(shape.max)
    test = shape.pattern

    def quick(v: object) -> bool:
        return (
            type(v) is str
            and low <= len(v)
            and (high is None or len(v) <= high)
            and (test is None or test(v))
        )

    return quick


@functools.cache
def _quick_request(
    operation: str, rs: Ruleset
) -> tuple[Mapping[str, Callable[[object], bool]], tuple[str, ...]]:
    shape = REQUESTS[operation]
    tests: dict[str, Callable[[object], bool]] = {}
    for name, member in shape.members.items():
        quick = _quick_test(member.shape, rs) if rs.in_force(member.since) else None
        if quick is not None:
            tests[name] = quick
    required = tuple(
        name
        for name, (since, until) in shape.required.items()
        if rs.in_force(since) and (until is None or not rs.in_force(until))
    )
    return tests, required


def check_request(operation: str, params: object, rs: Ruleset, out: list[Finding]) -> None:
    """Append the shape findings of a request's params to ``out``."""
    if type(params) is dict:
        # The common case first: every member a plain string that is certainly valid.
        tests, required = _quick_request(operation, rs)
        for key, value in params.items():
            test = tests.get(key) if type(key) is str else None
            if test is None or not test(value):
                break
        else:
            for name in required:
                if name not in params:
                    break
            else:
                return
    if not isinstance(params, dict):
        out.append(
            RULES["SV101"].finding(
                f"params is {what(params)}, not a dict of request parameters for {operation}.",
                None,
                "Pass the keyword arguments of the boto3 call as a dict.",
                error_code=_CLIENT,
            )
        )
        return
    _Walk(rs, True, out).structure(REQUESTS[operation], params, "")
