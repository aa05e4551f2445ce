"""The generated service model: its generator, and the dates the shapes take from it."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from svstate._model import BOTOCORE, OPERATIONS, SHAPES
from svstate._rulesets import resolve_ruleset
from svstate._shapes import check, model_shape, request_shape

ROOT = Path(__file__).resolve().parent.parent


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_model", ROOT / "tools/generate_model.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _inputs() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    pytest.importorskip("botocore")
    from botocore.loaders import Loader

    loader = Loader()
    model = loader.load_service_model("personalize", "service-2")
    pages = loader.load_service_model("personalize", "paginators-1")["pagination"]
    history = json.loads((ROOT / "tools/personalize-history.json").read_text(encoding="utf-8"))
    return model, history, pages


def test_the_generated_model_is_what_the_generator_writes() -> None:
    botocore = pytest.importorskip("botocore")
    text = _generator().generate()
    current = (ROOT / "svstate/_model.py").read_text(encoding="utf-8")
    assert text == current, (
        f"svstate/_model.py was generated from botocore {BOTOCORE}; the installed botocore "
        f"{botocore.__version__} gives another model. Run python tools/date_model.py, then "
        "python tools/generate_model.py, and review the difference."
    )


def test_a_part_the_history_does_not_date_is_an_error_naming_it() -> None:
    generator = _generator()
    model, history, pages = _inputs()
    history = copy.deepcopy(history)
    del history["members"]["CreateSolutionVersionRequest.trainingMode"]
    del history["operations"]["UpdateSolution"]
    with pytest.raises(generator.Undated) as caught:
        generator.build(model, history, pages)
    message = str(caught.value)
    assert "does not date 2 part(s)" in message
    assert "CreateSolutionVersionRequest.trainingMode" in message
    assert "UpdateSolution" in message
    assert "rerun python tools/date_model.py" in message


def test_a_constraint_the_history_remembers_otherwise_is_an_error() -> None:
    generator = _generator()
    model, history, pages = _inputs()
    model = copy.deepcopy(model)
    model["shapes"]["Name"]["max"] = 64
    with pytest.raises(generator.Undated, match=r"Name\.max: model 64, history 63"):
        generator.build(model, history, pages)


def test_the_check_option_names_a_stale_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generator = _generator()
    stale = tmp_path / "_model.py"
    stale.write_text("OPERATIONS = {}\n", encoding="utf-8")
    generator.OUT = stale
    assert generator.main(["--check"]) == 1
    assert "svstate/_model.py is stale" in capsys.readouterr().err
    assert stale.read_text(encoding="utf-8") == "OPERATIONS = {}\n"  # --check writes nothing
    generator.OUT = ROOT / "svstate/_model.py"
    assert generator.main(["--check"]) == 0


def test_every_operation_is_dated_from_the_first_release_with_personalize() -> None:
    assert len(OPERATIONS) == 71
    assert min(op[2] for op in OPERATIONS.values()) == "2019-06-10"
    assert OPERATIONS["UpdateSolution"][2] == "2024-08-29"
    assert OPERATIONS["StopSolutionVersionCreation"][2] == "2021-05-20"
    assert OPERATIONS["ListDatasetGroups"][4] == "datasetGroups"  # its paginated member


def test_every_shape_of_every_operation_builds() -> None:
    for operation in OPERATIONS:
        assert request_shape(operation).name == operation
    for name in SHAPES:
        assert model_shape(name).name == name


def _columns(column: str) -> dict[str, Any]:
    return {"excludedDatasetColumns": {"Interactions": [column]}}


def test_a_pattern_applies_from_the_release_that_added_it() -> None:
    # ColumnName's pattern is in the model from 2025-04-07; before, any name passed.
    shape = model_shape("TrainingDataConfig")
    late = check(shape, _columns("123"), resolve_ruleset("latest"), request=True)
    early = check(shape, _columns("123"), resolve_ruleset("2024-01-01"), request=True)
    assert [f.path for f in late] == ["excludedDatasetColumns.Interactions[0]"]
    assert "ColumnName's pattern" in late[0].message
    assert early == []
    assert check(shape, _columns("ITEM_ID"), resolve_ruleset("latest"), request=True) == []


def test_a_maximum_applies_as_it_was_on_the_rulesets_date() -> None:
    # NextToken allowed 1,300 characters until 2021-11-29, then 1,500.
    shape = request_shape("ListSolutions")
    token = {"nextToken": "t" * 1400}
    early = check(shape, token, resolve_ruleset("2021-01-01"), request=True)
    assert [f.rule for f in early] == ["SV607"]
    assert "at most 1300" in early[0].message
    assert check(shape, token, resolve_ruleset("latest"), request=True) == []


def test_a_member_as_old_as_its_operation_is_not_reported_before_it() -> None:
    # StopSolutionVersionCreation is from 2021-05-20; its member is part of it from then.
    shape = request_shape("StopSolutionVersionCreation")
    assert shape.members["solutionVersionArn"].since.isoformat() == "2019-06-10"
    required = shape.required["solutionVersionArn"]
    assert required[0].isoformat() == "2019-06-10"


def test_a_member_that_became_optional_is_required_only_until_then() -> None:
    since, until = request_shape("CreateDatasetImportJob").required["roleArn"]
    assert (since.isoformat(), until and until.isoformat()) == ("2019-06-10", "2025-12-01")
    shape = request_shape("CreateDatasetImportJob")
    params = {
        "jobName": "import",
        "datasetArn": "arn:aws:personalize:us-east-1:123456789012:dataset/movies/INTERACTIONS",
        "dataSource": {"dataLocation": "s3://bucket/interactions.csv"},
    }
    assert check(shape, params, resolve_ruleset("latest"), request=True) == []
    early = check(shape, params, resolve_ruleset("2024-01-01"), request=True)
    assert [(f.rule, f.path) for f in early] == [("SV101", "roleArn")]
