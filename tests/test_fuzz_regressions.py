"""Inputs the fuzzer (fuzz/fuzz_svstate.py) found crashing svstate, kept as regressions."""

from __future__ import annotations

import contextlib
import io

import svstate
from svstate import _cli


def _run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = _cli.main(argv)
    return code, err.getvalue()


def test_a_params_path_with_a_nul_byte_is_a_usage_error_not_a_crash() -> None:
    # Found by atheris: Path.read_text raised ValueError("embedded null byte").
    code, err = _run(
        ["check", "CreateSolutionVersion", "--params", 'DateTime"aue\x00\x00\x00\x00eTime"oldst']
    )
    assert code == 2
    assert err.count("\n") == 1
    assert "is not valid JSON" in err  # inline text since --params reads only file:// paths
    assert "internal error" not in err
    code, err = _run(["check", "CreateSolutionVersion", "--params", "file://a\x00b"])
    assert code == 2
    assert err.count("\n") == 1
    assert "embedded null byte" in err


def test_a_fact_path_with_a_nul_byte_is_a_usage_error() -> None:
    code, err = _run(["check", "DeleteSolution", "--params", "{}", "--versions", "a\x00b"])
    assert code == 2
    assert "internal error" not in err


def test_the_fuzz_seed_documents_are_all_answered() -> None:
    # Every seed document of the corpus, as params of every operation: a verdict each time.
    import json
    from pathlib import Path

    for path in sorted((Path(__file__).parent / "data").glob("*.json")):
        document = json.loads(path.read_text())
        for operation in (
            "CreateSolutionVersion",
            "StopSolutionVersionCreation",
            "CreateCampaign",
            "DeleteSolution",
        ):
            assert isinstance(svstate.preflight(operation, document), svstate.Verdict)
