"""Drift: svstate's "latest" ruleset agrees with the service model botocore ships.

``svstate/_model.py`` is what ``tools/generate_model.py`` writes from the
installed botocore and ``tools/personalize-history.json``, byte for byte.
Every member, type, length, size, enum and pattern of the modelled request and
response shapes is compared, recursively, with the installed botocore's
``personalize/2018-05-22`` model; every difference is named, all at once.
Where svstate differs on purpose (a documented limit the model cannot
express), the difference is listed in ``KNOWN_DIFFERENCES`` with its reason.
"""

from __future__ import annotations

from typing import Any

import pytest

botocore_session = pytest.importorskip("botocore.session")

from svstate._arn import ARN_MAX, ARN_PATTERN  # noqa: E402
from svstate._catalogue import ALL_OPS, CATALOGUE  # noqa: E402
from svstate._model import OPERATIONS, SHAPES  # noqa: E402
from svstate._rulesets import resolve_ruleset  # noqa: E402
from svstate._shapes import (  # noqa: E402
    NAME,
    REQUESTS,
    RESPONSES,
    TRAINING_MODE,
    TRAINING_TYPE,
    Shape,
    model_shape,
    request_shape,
)

MODEL = botocore_session.get_session().get_service_model("personalize")
LATEST = resolve_ruleset("latest")

# path -> why svstate differs from the model on purpose.
KNOWN_DIFFERENCES: dict[str, str] = {
    "maxNumberOfTrainingJobs.pattern": "the documented maximum '40' (SV605) is only in the "
    "model's documentation text, not in a pattern",
    "maxParallelTrainingJobs.pattern": "the documented maximum '10' (SV605) is only in the "
    "model's documentation text",
    "tagKey.pattern": "the model's \\p{L}\\p{Z}\\p{N} classes are not Python regex syntax; "
    "svstate tests the same Unicode categories with unicodedata",
    "tagValue.pattern": "as tagKey",
    "tagKeys[].pattern": "as tagKey",
}

_KINDS = {"long": "integer", "float": "double"}


def _known(path: str) -> bool:
    return any(path.endswith(suffix) for suffix in KNOWN_DIFFERENCES)


def compare(ours: Shape, theirs: Any, path: str, diffs: list[str]) -> None:
    """Append every difference between our shape and botocore's to ``diffs``."""
    kind = _KINDS.get(theirs.type_name, theirs.type_name)
    if ours.kind != kind:
        diffs.append(f"{path}: svstate has a {ours.kind}, the model a {kind}")
        return
    meta = theirs.metadata
    for bound in ("min", "max"):
        if meta.get(bound) != getattr(ours, bound) and not _known(f"{path}.{bound}"):
            diffs.append(
                f"{path}.{bound}: svstate {getattr(ours, bound)}, model {meta.get(bound)}"
            )
    if kind == "string":
        enum = sorted(getattr(theirs, "enum", []) or [])
        ours_enum = sorted(v for v, since in (ours.enum or {}).items() if LATEST.in_force(since))
        if enum != ours_enum:
            diffs.append(f"{path}.enum: svstate {ours_enum}, model {enum}")
        pattern = meta.get("pattern")
        ours_pattern = ours.pattern_text if ours.pattern is not None else None
        if pattern != ours_pattern and not _known(f"{path}.pattern"):
            diffs.append(f"{path}.pattern: svstate {ours_pattern!r}, model {pattern!r}")
    elif kind == "structure":
        theirs_members = set(theirs.members)
        ours_members = {k for k, m in ours.members.items() if LATEST.in_force(m.since)}
        for missing in sorted(theirs_members - ours_members):
            diffs.append(f"{path}.{missing}: in the model, not in svstate")
        for extra in sorted(ours_members - theirs_members):
            diffs.append(f"{path}.{extra}: in svstate, not in the model")
        required = {
            name
            for name, (since, until) in ours.required.items()
            if LATEST.in_force(since) and (until is None or not LATEST.in_force(until))
        }
        if required != set(theirs.required_members):
            diffs.append(
                f"{path} required: svstate {sorted(required)}, model "
                f"{sorted(theirs.required_members)}"
            )
        for name in sorted(theirs_members & ours_members):
            compare(ours.members[name].shape, theirs.members[name], f"{path}.{name}", diffs)
    elif kind == "list":
        assert ours.item is not None, path
        compare(ours.item, theirs.member, f"{path}[]", diffs)
    elif kind == "map":
        assert ours.key is not None, path
        assert ours.item is not None, path
        compare(ours.key, theirs.key, f"{path}(key)", diffs)
        compare(ours.item, theirs.value, f"{path}(value)", diffs)


@pytest.mark.parametrize("operation", sorted(REQUESTS))
def test_request_shapes_agree_with_the_service_model(operation: str) -> None:
    diffs: list[str] = []
    compare(REQUESTS[operation], MODEL.operation_model(operation).input_shape, operation, diffs)
    assert not diffs, "\n".join(diffs)


@pytest.mark.parametrize("shape", sorted(RESPONSES))
def test_response_shapes_agree_with_the_service_model(shape: str) -> None:
    diffs: list[str] = []
    compare(RESPONSES[shape], MODEL.shape_for(shape), shape, diffs)
    assert not diffs, "\n".join(diffs)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_every_operations_request_and_response_agree_with_the_service_model(
    operation: str,
) -> None:
    diffs: list[str] = []
    model = MODEL.operation_model(operation)
    compare(request_shape(operation), model.input_shape, operation, diffs)
    if model.output_shape is not None:
        output = OPERATIONS[operation][1]
        assert output is not None
        compare(model_shape(output), model.output_shape, output, diffs)
    assert not diffs, "\n".join(diffs)


def test_the_generated_model_holds_every_operation_and_shape() -> None:
    assert set(OPERATIONS) == set(MODEL.operation_names)
    assert set(SHAPES) == set(MODEL.shape_names)


def test_arn_and_name_patterns_and_maximums_agree() -> None:
    arn, name = MODEL.shape_for("Arn"), MODEL.shape_for("Name")
    assert arn.metadata["pattern"] == ARN_PATTERN
    assert arn.metadata["max"] == ARN_MAX
    assert name.metadata["pattern"] == NAME.pattern_text
    assert (name.metadata["min"], name.metadata["max"]) == (NAME.min, NAME.max)


def test_training_mode_and_type_enums_agree() -> None:
    assert set(MODEL.shape_for("TrainingMode").enum) == set(TRAINING_MODE.enum or {})
    assert set(MODEL.shape_for("TrainingType").enum) == set(TRAINING_TYPE.enum or {})


# Codes a rule predicts that are not in an operation's error list, on purpose.
CLIENT_SIDE = {"ParamValidationError"}


@pytest.mark.parametrize("rule", [r for r in CATALOGUE if r.error_code], ids=lambda r: r.id)
def test_every_predicted_error_code_is_in_the_operations_error_list(rule: Any) -> None:
    if rule.error_code in CLIENT_SIDE:
        return
    for operation in (op for op in rule.applies_to if op in ALL_OPS):
        errors = {e.name for e in MODEL.operation_model(operation).error_shapes}
        assert rule.error_code in errors, f"{rule.id} predicts {rule.error_code} for {operation}"


@pytest.mark.parametrize(
    ("operation", "code"),
    [
        ("CreateCampaign", "ResourceNotFoundException"),  # SV701: version not among those given
        ("StopSolutionVersionCreation", "ResourceNotFoundException"),  # SV801
        ("CreateSolutionVersion", "TooManyTagsException"),  # SV106: more than 200 tags
        ("CreateCampaign", "TooManyTagsException"),
    ],
)
def test_codes_that_findings_override_are_in_the_error_list(operation: str, code: str) -> None:
    assert code in {e.name for e in MODEL.operation_model(operation).error_shapes}


def test_every_modelled_operation_exists_in_the_model() -> None:
    assert set(REQUESTS) <= set(MODEL.operation_names)
