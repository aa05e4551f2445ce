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

from svstate._arn import ARN_MAX, ARN_PATTERN, arn_matches
from svstate._catalogue import RULES
from svstate._rulesets import AUTOTRAIN, GA, TRAINING_MODE_SINCE, Ruleset
from svstate._text import describe, did_you_mean, what
from svstate._timestamps import read_timestamp
from svstate._verdict import Finding
from svstate._vocab import Severity, TrainingType

__all__ = ["REQUESTS", "RESPONSES", "Member", "Shape", "check", "check_request"]

_d = _dt.date
_CLIENT = "ParamValidationError"


class Shape:
    """A declared shape: its kind, constraints and, for structures, members.

    A plain slotted class rather than an attrs one: dozens are built at import.
    """

    __slots__ = (
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


def _m(shape: Shape, since: _dt.date = GA) -> Member:
    return Member(shape, since)


def _struct(
    name: str,
    members: Mapping[str, Member],
    required: Mapping[str, tuple[_dt.date, _dt.date | None]] | None = None,
    rule: str = "SV607",
) -> Shape:
    return Shape(name, "structure", rule=rule, members=members, required=required or {})


def _string(
    name: str,
    max: int | None = None,
    min: int | None = None,
    rule: str = "SV607",
    pattern: str | None = None,
    fullmatch: bool = False,
) -> Shape:
    test: Callable[[str], bool] | None = None
    if pattern is not None:
        compiled = re.compile(pattern)
        test = (
            (lambda s: compiled.fullmatch(s) is not None)
            if fullmatch
            else (lambda s: compiled.search(s) is not None)
        )
    return Shape(
        name, "string", rule=rule, min=min, max=max, pattern=test, pattern_text=pattern or ""
    )


def _tag_text(s: str) -> bool:
    # The model's '^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$': letters, separators, numbers, and _.:/=+-@
    return all(c in "_.:/=+-@" or unicodedata.category(c)[0] in "LZN" for c in s)


def _int_string(limit: int) -> Callable[[str], bool]:
    def test(s: str) -> bool:
        return s.isascii() and s.isdigit() and len(s) <= 6 and 1 <= int(s) <= limit

    return test


_GA_STR = _string("String", max=256)
ARN = Shape(
    "Arn", "string", rule="SV102", max=ARN_MAX, pattern=arn_matches, pattern_text=ARN_PATTERN
)
NAME = _string("Name", min=1, max=63, rule="SV106", pattern="^[a-zA-Z0-9][a-zA-Z0-9\\-_]*")
TRAINING_MODE = Shape(
    "TrainingMode",
    "string",
    rule="SV104",
    enum={m.value: since for m, since in TRAINING_MODE_SINCE.items()},
)
TRAINING_TYPE = Shape("TrainingType", "string", enum={t.value: AUTOTRAIN for t in TrainingType})
STATUS = _string("Status", max=256)
BOOLEAN = Shape("Boolean", "boolean")
DATE = Shape("Date", "timestamp")
FAILURE_REASON = Shape("FailureReason", "string")
TAG = _struct(
    "Tag",
    {
        "tagKey": _m(
            Shape(
                "TagKey",
                "string",
                rule="SV106",
                min=1,
                max=128,
                pattern=_tag_text,
                pattern_text="letters, numbers, spaces and _.:/=+-@",
            )
        ),
        "tagValue": _m(
            Shape(
                "TagValue",
                "string",
                rule="SV106",
                min=0,
                max=256,
                pattern=_tag_text,
                pattern_text="letters, numbers, spaces and _.:/=+-@",
            )
        ),
    },
    required={"tagKey": (GA, None), "tagValue": (GA, None)},
    rule="SV106",
)
TAGS = Shape(
    "Tags", "list", rule="SV106", min=0, max=200, item=TAG, max_error_code="TooManyTagsException"
)
HYPER_PARAMETERS = Shape(
    "HyperParameters",
    "map",
    max=100,
    key=_string("ParameterName", max=256),
    item=_string("ParameterValue", max=1000),
)

_INT_RANGE = _struct(
    "IntegerHyperParameterRange",
    {
        "name": _m(_string("ParameterName", max=256)),
        "minValue": _m(Shape("IntegerMinValue", "integer", rule="SV606", min=-1_000_000)),
        "maxValue": _m(Shape("IntegerMaxValue", "integer", rule="SV606", max=1_000_000)),
    },
)
_CONTINUOUS_RANGE = _struct(
    "ContinuousHyperParameterRange",
    {
        "name": _m(_string("ParameterName", max=256)),
        "minValue": _m(Shape("ContinuousMinValue", "double", rule="SV606", min=-1_000_000)),
        "maxValue": _m(Shape("ContinuousMaxValue", "double", rule="SV606", min=-1_000_000)),
    },
)
_CATEGORICAL_RANGE = _struct(
    "CategoricalHyperParameterRange",
    {
        "name": _m(_string("ParameterName", max=256)),
        "values": _m(
            Shape("CategoricalValues", "list", max=100, item=_string("CategoricalValue", max=1000))
        ),
    },
)
_HPO_RESOURCE_TEXT = "an integer string"
# Dataset type -> column names (TrainingDataConfig's excluded and included columns).
_DATASET_COLUMNS = Shape(
    "ExcludedDatasetColumns",
    "map",
    max=3,
    key=_string("DatasetType", max=256, pattern="^[A-Za-z_]+$"),
    item=Shape(
        "ColumnNamesList",
        "list",
        max=50,
        item=_string("ColumnName", max=150, pattern="[A-Za-z_][A-Za-z\\d_]*"),
    ),
)
SOLUTION_CONFIG = _struct(
    "SolutionConfig",
    {
        "eventValueThreshold": _m(_string("EventValueThreshold", max=256)),
        "hpoConfig": _m(
            _struct(
                "HPOConfig",
                {
                    "hpoObjective": _m(
                        _struct(
                            "HPOObjective",
                            {
                                "type": _m(_string("HPOObjectiveType", max=256)),
                                "metricName": _m(_string("MetricName", max=256)),
                                "metricRegex": _m(_string("MetricRegex", max=256)),
                            },
                        )
                    ),
                    "hpoResourceConfig": _m(
                        _struct(
                            "HPOResourceConfig",
                            {
                                "maxNumberOfTrainingJobs": _m(
                                    Shape(
                                        "HPOResource",
                                        "string",
                                        rule="SV605",
                                        max=256,
                                        pattern=_int_string(40),
                                        pattern_text="an integer string from '1' to '40'",
                                    )
                                ),
                                "maxParallelTrainingJobs": _m(
                                    Shape(
                                        "HPOResource",
                                        "string",
                                        rule="SV605",
                                        max=256,
                                        pattern=_int_string(10),
                                        pattern_text="an integer string from '1' to '10'",
                                    )
                                ),
                            },
                        )
                    ),
                    "algorithmHyperParameterRanges": _m(
                        _struct(
                            "HyperParameterRanges",
                            {
                                "integerHyperParameterRanges": _m(
                                    Shape(
                                        "IntegerHyperParameterRanges",
                                        "list",
                                        rule="SV606",
                                        max=100,
                                        item=_INT_RANGE,
                                    )
                                ),
                                "continuousHyperParameterRanges": _m(
                                    Shape(
                                        "ContinuousHyperParameterRanges",
                                        "list",
                                        rule="SV606",
                                        max=100,
                                        item=_CONTINUOUS_RANGE,
                                    )
                                ),
                                "categoricalHyperParameterRanges": _m(
                                    Shape(
                                        "CategoricalHyperParameterRanges",
                                        "list",
                                        rule="SV606",
                                        max=100,
                                        item=_CATEGORICAL_RANGE,
                                    )
                                ),
                            },
                        )
                    ),
                },
            )
        ),
        "algorithmHyperParameters": _m(HYPER_PARAMETERS),
        "featureTransformationParameters": _m(
            HYPER_PARAMETERS.renamed("FeatureTransformationParameters")
        ),
        "autoMLConfig": _m(
            _struct(
                "AutoMLConfig",
                {
                    "metricName": _m(_string("MetricName", max=256)),
                    "recipeList": _m(Shape("ArnList", "list", max=100, item=ARN)),
                },
            )
        ),
        "optimizationObjective": _m(
            _struct(
                "OptimizationObjective",
                {
                    "itemAttribute": _m(_string("ItemAttribute", min=1, max=150)),
                    "objectiveSensitivity": _m(
                        Shape(
                            "ObjectiveSensitivity",
                            "string",
                            enum={v: _d(2021, 5, 18) for v in ("LOW", "MEDIUM", "HIGH", "OFF")},
                        )
                    ),
                },
            ),
            _d(2021, 5, 18),
        ),
        "trainingDataConfig": _m(
            _struct(
                "TrainingDataConfig",
                {
                    "excludedDatasetColumns": _m(_DATASET_COLUMNS),
                    "includedDatasetColumns": _m(
                        _DATASET_COLUMNS.renamed("IncludedDatasetColumns"), _d(2025, 12, 1)
                    ),
                },
            ),
            _d(2023, 5, 30),
        ),
        "autoTrainingConfig": _m(
            _struct(
                "AutoTrainingConfig",
                {
                    "schedulingExpression": _m(
                        _string(
                            "SchedulingExpression", min=1, max=16, pattern="rate\\(\\d+ days?\\)"
                        )
                    ),
                },
            ),
            AUTOTRAIN,
        ),
        "eventsConfig": _m(
            _struct(
                "EventsConfig",
                {
                    "eventParametersList": _m(
                        Shape(
                            "EventParametersList",
                            "list",
                            max=10,
                            item=_struct(
                                "EventParameters",
                                {
                                    "eventType": _m(_string("EventType", max=256)),
                                    "eventValueThreshold": _m(
                                        Shape("EventTypeThresholdValue", "double")
                                    ),
                                    "weight": _m(Shape("EventTypeWeight", "double", min=0, max=1)),
                                },
                            ),
                        )
                    ),
                },
            ),
            _d(2025, 4, 7),
        ),
    },
)

SOLUTION_VERSION_SUMMARY = _struct(
    "SolutionVersionSummary",
    {
        "solutionVersionArn": _m(ARN),
        "status": _m(STATUS),
        "trainingMode": _m(TRAINING_MODE, AUTOTRAIN),
        "trainingType": _m(TRAINING_TYPE, AUTOTRAIN),
        "creationDateTime": _m(DATE),
        "lastUpdatedDateTime": _m(DATE),
        "failureReason": _m(FAILURE_REASON),
    },
)

SOLUTION_VERSION = _struct(
    "SolutionVersion",
    {
        "name": _m(NAME, _d(2022, 11, 17)),
        "solutionVersionArn": _m(ARN),
        "solutionArn": _m(ARN),
        "performHPO": _m(BOOLEAN),
        "performAutoML": _m(BOOLEAN),
        "performIncrementalUpdate": _m(BOOLEAN, _d(2025, 12, 1)),
        "recipeArn": _m(ARN),
        "eventType": _m(_string("EventType", max=256)),
        "datasetGroupArn": _m(ARN),
        "solutionConfig": _m(SOLUTION_CONFIG),
        "trainingHours": _m(Shape("TrainingHours", "double", min=0), _d(2019, 9, 17)),
        "trainingMode": _m(TRAINING_MODE, _d(2019, 10, 14)),
        "tunedHPOParams": _m(
            _struct("TunedHPOParams", {"algorithmHyperParameters": _m(HYPER_PARAMETERS)}),
            _d(2020, 3, 18),
        ),
        "status": _m(STATUS),
        "failureReason": _m(FAILURE_REASON),
        "creationDateTime": _m(DATE),
        "lastUpdatedDateTime": _m(DATE),
        "trainingType": _m(TRAINING_TYPE, AUTOTRAIN),
    },
)

SOLUTION = _struct(
    "Solution",
    {
        "name": _m(NAME),
        "solutionArn": _m(ARN),
        "performHPO": _m(BOOLEAN),
        "performAutoML": _m(BOOLEAN),
        "performAutoTraining": _m(BOOLEAN, AUTOTRAIN),
        "performIncrementalUpdate": _m(BOOLEAN, _d(2025, 12, 1)),
        "recipeArn": _m(ARN),
        "datasetGroupArn": _m(ARN),
        "eventType": _m(_string("EventType", max=256)),
        "solutionConfig": _m(SOLUTION_CONFIG),
        "autoMLResult": _m(_struct("AutoMLResult", {"bestRecipeArn": _m(ARN)})),
        "status": _m(STATUS),
        "creationDateTime": _m(DATE),
        "lastUpdatedDateTime": _m(DATE),
        "latestSolutionVersion": _m(SOLUTION_VERSION_SUMMARY),
        "latestSolutionUpdate": _m(
            _struct(
                "SolutionUpdateSummary",
                {
                    "solutionUpdateConfig": _m(
                        _struct(
                            "SolutionUpdateConfig",
                            {
                                "autoTrainingConfig": SOLUTION_CONFIG.members[
                                    "autoTrainingConfig"
                                ],
                                "eventsConfig": SOLUTION_CONFIG.members["eventsConfig"],
                            },
                        )
                    ),
                    "status": _m(STATUS),
                    "performAutoTraining": _m(BOOLEAN),
                    "performIncrementalUpdate": _m(BOOLEAN, _d(2025, 12, 1)),
                    "creationDateTime": _m(DATE),
                    "lastUpdatedDateTime": _m(DATE),
                    "failureReason": _m(FAILURE_REASON),
                },
            ),
            _d(2024, 8, 29),
        ),
    },
)

RESPONSES: Mapping[str, Shape] = {
    "SolutionVersion": SOLUTION_VERSION,
    "SolutionVersionSummary": SOLUTION_VERSION_SUMMARY,
    "Solution": SOLUTION,
}

_TPS_OPTIONAL = _d(2021, 7, 21)
REQUESTS: Mapping[str, Shape] = {
    "CreateSolutionVersion": _struct(
        "CreateSolutionVersion",
        {
            "solutionArn": _m(ARN),
            "trainingMode": _m(TRAINING_MODE, _d(2019, 10, 14)),
            "tags": _m(TAGS, _d(2022, 4, 7)),
            "name": _m(NAME, _d(2022, 11, 17)),
        },
        required={"solutionArn": (GA, None)},
    ),
    "StopSolutionVersionCreation": _struct(
        "StopSolutionVersionCreation",
        {
            "solutionVersionArn": _m(ARN),
        },
        required={"solutionVersionArn": (GA, None)},
    ),
    "CreateCampaign": _struct(
        "CreateCampaign",
        {
            "name": _m(NAME),
            "solutionVersionArn": _m(ARN),
            "minProvisionedTPS": _m(Shape("TransactionsPerSecond", "integer", min=1)),
            "campaignConfig": _m(
                _struct(
                    "CampaignConfig",
                    {
                        "itemExplorationConfig": _m(HYPER_PARAMETERS, _d(2020, 8, 6)),
                        "enableMetadataWithRecommendations": _m(BOOLEAN, _d(2023, 11, 27)),
                        "syncWithLatestSolutionVersion": _m(BOOLEAN, AUTOTRAIN),
                        "rankingInfluence": _m(
                            Shape(
                                "RankingInfluence",
                                "map",
                                key=Shape(
                                    "RankingInfluenceType",
                                    "string",
                                    enum={
                                        "POPULARITY": _d(2025, 12, 1),
                                        "FRESHNESS": _d(2025, 12, 1),
                                    },
                                ),
                                item=Shape("RankingInfluenceWeight", "double", min=0, max=1),
                            ),
                            _d(2025, 12, 1),
                        ),
                    },
                ),
                _d(2020, 8, 6),
            ),
            "tags": _m(TAGS, _d(2022, 4, 7)),
        },
        required={
            "name": (GA, None),
            "solutionVersionArn": (GA, None),
            "minProvisionedTPS": (GA, _TPS_OPTIONAL),
        },
    ),
    "DeleteSolution": _struct(
        "DeleteSolution",
        {
            "solutionArn": _m(ARN),
        },
        required={"solutionArn": (GA, None)},
    ),
}

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
