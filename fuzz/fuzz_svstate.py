"""Coverage-guided fuzzing of every svstate entry point that takes data (atheris).

Each input is one selector byte and a payload. The payload is read as JSON
when it parses (so the seed corpus, built from ``tests/data``, starts from
realistic boto3 documents) and as text otherwise, then handed to the selected
entry point. The only exceptions allowed out are ``svstate.SvstateError``
subclasses; anything else is a crash, which atheris reports with the input.

Run (``pip install -e ".[fuzz]"``)::

    python fuzz/fuzz_svstate.py --seconds 60
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import atheris

with atheris.instrument_imports():
    import svstate
    from svstate import _cli

ROOT = Path(__file__).resolve().parent.parent
OPERATIONS = (
    "CreateSolutionVersion",
    "StopSolutionVersionCreation",
    "CreateCampaign",
    "DeleteSolution",
)
OBSERVED = (
    "DescribeSolution",
    "ListSolutionVersions",
    "DescribeSolutionVersion",
    "CreateSolutionVersion",
    "ListCampaigns",
    "StopSolutionVersionCreation",
)
SOLUTION = "arn:aws:personalize:us-east-1:123456789012:solution/movies-coldstart"


def _cli_check(value: Any, text: str) -> None:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = _cli.main(["check", "CreateSolutionVersion", "--params", text or "{}"])
    assert code in (0, 1, 2, 3), code
    assert "internal error" not in err.getvalue(), err.getvalue()


TARGETS: list[Callable[[Any, str], object]] = [
    *[lambda v, t, op=op: svstate.preflight(op, v) for op in OPERATIONS],
    lambda v, t: svstate.preflight(
        "CreateSolutionVersion",
        {"solutionArn": SOLUTION, "trainingMode": "UPDATE"},
        solution=v,
        versions=v,
        campaigns=v,
        dataset_imports=v,
    ),
    lambda v, t: svstate.preflight(
        "DeleteSolution", {"solutionArn": SOLUTION}, versions=v, campaigns=v
    ),
    *[
        lambda v, t, shape=shape: svstate.validate(shape, v)
        for shape in ("SolutionVersion", "SolutionVersionSummary", "Solution")
    ],
    lambda v, t: svstate.check_transition(v, v),
    lambda v, t: svstate.check_transition("CREATE PENDING", v),
    *[lambda v, t, op=op: svstate.Tracker(ruleset="latest").observe(op, v, v) for op in OBSERVED],
    lambda v, t: svstate.replay(t.splitlines()),
    lambda v, t: svstate.Tracker.restore(v),
    lambda v, t: svstate.Tracker.restore(t),
    lambda v, t: svstate.Ruleset.parse(v),
    lambda v, t: svstate.Status.parse(v),
    _cli_check,
]


def test_one_input(data: bytes) -> None:
    if not data:
        return
    target = TARGETS[data[0] % len(TARGETS)]
    text = data[1:].decode("utf-8", errors="replace")
    try:
        value: Any = json.loads(text)
    except (ValueError, RecursionError):
        value = text
    with contextlib.suppress(svstate.SvstateError):
        target(value, text)


def seed_corpus(directory: Path) -> None:
    """One seed per target and example document from tests/data."""
    documents = [p.read_bytes() for p in sorted((ROOT / "tests" / "data").glob("*.json"))]
    for i in range(len(TARGETS)):
        for j, document in enumerate(documents):
            (directory / f"seed-{i:02d}-{j:02d}").write_bytes(bytes([i]) + document)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--corpus", type=Path, default=None)
    args, rest = parser.parse_known_args()
    corpus = args.corpus or Path(tempfile.mkdtemp(prefix="svstate-fuzz-"))
    corpus.mkdir(parents=True, exist_ok=True)
    seed_corpus(corpus)
    atheris.Setup(
        [
            sys.argv[0],
            f"-max_total_time={args.seconds}",
            "-rss_limit_mb=4096",
            "-print_final_stats=1",
            *rest,
            str(corpus),
        ],
        test_one_input,
    )
    atheris.Fuzz()


if __name__ == "__main__":
    main()
