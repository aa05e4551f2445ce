"""`import svstate` stays light: the optional faces import their dependencies themselves."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(out.stdout.split())


def test_importing_svstate_imports_neither_hypothesis_nor_boto3() -> None:
    loaded = _modules_after("import svstate")
    assert not {"hypothesis", "boto3", "botocore", "svstate.testing", "svstate.boto"} & loaded


def test_the_guard_imports_neither_boto3_nor_botocore_itself() -> None:
    loaded = _modules_after("import svstate.boto")
    assert not {"boto3", "botocore", "hypothesis"} & loaded


def test_svstate_testing_brings_its_extras() -> None:
    loaded = _modules_after("import svstate.testing")
    assert {"hypothesis", "svstate.testing"} <= loaded
