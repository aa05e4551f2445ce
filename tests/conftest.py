"""Shared test helpers: the example responses in ``tests/data`` and the ARNs they use.

``load(name)`` returns a fresh parse of ``tests/data/<name>.json`` on every
call, so tests may mutate what it returns. It is importable
(``from conftest import load``) and also available as the ``load`` fixture.
"""

from __future__ import annotations

import contextlib
import json
import warnings
from pathlib import Path
from typing import Any

import pytest

# Hypothesis writes a patch for failing examples through libcst, whose import warns;
# under the project's ``filterwarnings = error`` that warning would turn a failing
# example into an INTERNALERROR. Import it once, quietly, so failures report normally.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    with contextlib.suppress(ImportError):
        import hypothesis.extra._patching  # noqa: F401

DATA = Path(__file__).parent / "data"

ACCOUNT = "123456789012"
REGION = "us-east-1"
ARN_PREFIX = f"arn:aws:personalize:{REGION}:{ACCOUNT}:"

# Recipes (empty region and account).
HRNN_COLDSTART = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
USER_PERSONALIZATION = "arn:aws:personalize:::recipe/aws-user-personalization"
USER_PERSONALIZATION_V2 = "arn:aws:personalize:::recipe/aws-user-personalization-v2"
SIMS = "arn:aws:personalize:::recipe/aws-sims"

DATASET_GROUP_ARN = f"{ARN_PREFIX}dataset-group/movies"
CAMPAIGN_ARN = f"{ARN_PREFIX}campaign/movies-coldstart-campaign"

# movies-coldstart (aws-hrnn-coldstart, ACTIVE) and its versions across the data files.
SOLUTION_ARN = f"{ARN_PREFIX}solution/movies-coldstart"
ACTIVE_FULL_VERSION_ARN = f"{SOLUTION_ARN}/3f9c2a7e"  # ACTIVE, FULL
ACTIVE_UPDATE_VERSION_ARN = f"{SOLUTION_ARN}/c47b9e15"  # ACTIVE, UPDATE
FAILED_UPDATE_VERSION_ARN = f"{SOLUTION_ARN}/8a1d4e02"  # CREATE FAILED, UPDATE
PENDING_VERSION_ARN = f"{SOLUTION_ARN}/5b0e7d91"  # CREATE PENDING, FULL
IN_PROGRESS_VERSION_ARN = f"{SOLUTION_ARN}/d21f6a38"  # CREATE IN_PROGRESS, UPDATE
STOPPING_VERSION_ARN = f"{SOLUTION_ARN}/6e93b0c4"  # CREATE STOPPING, later CREATE STOPPED

# The other solutions of the data files.
SOLUTION_UP_ARN = f"{ARN_PREFIX}solution/movies-up"  # aws-user-personalization
SOLUTION_SIMS_ARN = f"{ARN_PREFIX}solution/movies-sims"  # aws-sims
SOLUTION_NEW_ARN = f"{ARN_PREFIX}solution/movies-new"  # CREATE IN_PROGRESS
SOLUTION_AUTOML_ARN = f"{ARN_PREFIX}solution/movies-automl"  # performAutoML
SOLUTION_NEW2_ARN = f"{ARN_PREFIX}solution/movies-new2"  # one FULL version in progress
SOLUTION_B_ARN = f"{ARN_PREFIX}solution/movies-coldstart-b"  # one FULL version failed
SOLUTION_HPO_ARN = f"{ARN_PREFIX}solution/movies-coldstart-hpo"
OTHER_SOLUTION_ARN = f"{ARN_PREFIX}solution/other"


def load(name: str) -> Any:
    """The parsed JSON of ``tests/data/<name>.json`` (a fresh copy on every call)."""
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def data_files() -> list[str]:
    """The names (without ``.json``) of every example response in ``tests/data``."""
    return sorted(p.stem for p in DATA.glob("*.json"))


@pytest.fixture(name="load")
def _load_fixture() -> Any:
    """The :func:`load` helper, as a fixture."""
    return load


# -- test oracles written by hand from the contract (design.md), shared by the test modules --

# The version lifecycle: (source, trigger) -> dest, by ruleset (stop edges from 2021-05-20).
_BASE_EDGES = {
    ("CREATE PENDING", "start"): "CREATE IN_PROGRESS",
    ("CREATE IN_PROGRESS", "succeed"): "ACTIVE",
    ("CREATE IN_PROGRESS", "fail"): "CREATE FAILED",
}
_STOP_EDGES = {
    ("CREATE PENDING", "stop"): "CREATE STOPPED",
    ("CREATE IN_PROGRESS", "stop"): "CREATE STOPPING",
    ("CREATE STOPPING", "finish_stop"): "CREATE STOPPED",
}


def _as_statuses(edges: dict[tuple[str, str], str]) -> dict[Any, Any]:
    from svstate import Status

    return {(Status(s), t): Status(d) for (s, t), d in edges.items()}


CONTRACT_EDGES: dict[str, dict[Any, Any]] = {
    "2019-10-14": _as_statuses(_BASE_EDGES),
    "2021-05-20": _as_statuses({**_BASE_EDGES, **_STOP_EDGES}),
}

# The operations the Tracker observes (design.md, "Tracker"; the list plus ListCampaigns).
OBSERVED_OPERATIONS = (
    "CreateSolution",
    "DescribeSolution",
    "ListSolutions",
    "DeleteSolution",
    "CreateSolutionVersion",
    "DescribeSolutionVersion",
    "ListSolutionVersions",
    "StopSolutionVersionCreation",
    "CreateCampaign",
    "DescribeCampaign",
    "ListCampaigns",
)


# Published third-party code, run by tests/test_published_pipelines.py: not test modules,
# and their files import what only their own harness puts on sys.path.
collect_ignore = ["published"]


@pytest.fixture(scope="session")
def redis_url() -> Any:
    """The URL of a real redis-server (see tests/redis_server.py)."""
    import os

    from redis_server import Server, can_start, unavailable

    url = os.environ.get("SVSTATE_REDIS_URL")
    if url:
        yield url
        return
    if not can_start():
        unavailable("no redis-server binary and no SVSTATE_REDIS_URL")
    server = Server().start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def redis_prefix() -> str:
    """A prefix of its own for each test, so tests sharing one server never meet."""
    import uuid

    return f"svstate-test-{uuid.uuid4().hex[:12]}"
