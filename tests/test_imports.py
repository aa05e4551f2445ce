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


def test_svstate_testing_loads_hypothesis_only_for_strategies_and_conformance() -> None:
    assert "hypothesis" not in _modules_after("import svstate.testing")
    assert "hypothesis" in _modules_after("import svstate.testing.strategies")
    assert "hypothesis" in _modules_after("import svstate.testing; svstate.testing.Adapter")


def _run_without(blocked: str, code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter where importing ``blocked`` fails, as if absent."""
    prelude = f"import sys; sys.modules[{blocked!r}] = None\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code], capture_output=True, text=True, check=False
    )


def test_the_fake_imports_and_runs_without_hypothesis() -> None:
    done = _run_without(
        "hypothesis",
        "from svstate.testing import fake_personalize, FakeClock\n"
        "client = fake_personalize(clock=FakeClock())\n"
        "print(client.list_solutions()['solutions'], 'hypothesis' in sys.modules and "
        "sys.modules['hypothesis'] is not None)\n",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]", "False"]


def test_strategies_and_conformance_without_hypothesis_name_the_testing_extra() -> None:
    for code in (
        "import svstate.testing.strategies",
        "import svstate.testing; svstate.testing.LifecycleConformance",
        "from svstate.testing import Adapter",
    ):
        done = _run_without("hypothesis", code)
        assert done.returncode == 1, (code, done.stdout)
        last = done.stderr.strip().splitlines()[-1]
        assert last.startswith("ImportError: "), (code, last)
        assert "needs hypothesis" in last
        assert 'pip install "svstate[testing]"' in last


def test_the_fake_without_boto3_names_the_boto3_extra() -> None:
    done = _run_without(
        "boto3", "from svstate.testing import fake_personalize\nfake_personalize()\n"
    )
    assert done.returncode == 1
    assert 'needs boto3, which is not installed; install it with pip install "svstate[boto3]"' in (
        done.stderr
    )
