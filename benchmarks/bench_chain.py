"""What checking a call of the rest of the chain costs, against botocore validating it.

For each chain operation below, `svstate.preflight` with the facts its rules
read (one allowed call, one denied), printed as a ratio to botocore's
ParamValidator on the same request, measured in the same run. The chain
operations have no compiled fast path yet (issue 14 built it for
CreateSolutionVersion); this script shows what one would buy.

    python benchmarks/bench_chain.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import timeit
from collections.abc import Callable
from typing import Any

import svstate

ACCT = "arn:aws:personalize:us-east-1:123456789012"
DSG = ACCT + ":dataset-group/movies"
SCHEMA = ACCT + ":schema/interactions"
DATASET = ACCT + ":dataset/movies/INTERACTIONS"
CAMPAIGN = ACCT + ":campaign/movies"
V1 = ACCT + ":solution/movies/0a1b2c3d"

CASES: list[tuple[str, str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    (
        "CreateDataset",
        "CreateDataset",
        {"name": "i", "schemaArn": SCHEMA, "datasetGroupArn": DSG, "datasetType": "Interactions"},
        {
            "dataset_group": {"datasetGroupArn": DSG, "status": "ACTIVE"},
            "schema": {"schemaArn": SCHEMA},
        },
        {
            "dataset_group": {"datasetGroupArn": DSG, "status": "CREATE PENDING"},
            "schema": {"schemaArn": SCHEMA},
        },
    ),
    (
        "UpdateCampaign",
        "UpdateCampaign",
        {"campaignArn": CAMPAIGN, "solutionVersionArn": V1},
        {
            "campaign": {"campaignArn": CAMPAIGN, "status": "ACTIVE"},
            "solution_version": {"solutionVersionArn": V1, "status": "ACTIVE"},
        },
        {
            "campaign": {"campaignArn": CAMPAIGN, "status": "ACTIVE"},
            "solution_version": {"solutionVersionArn": V1, "status": "CREATE IN_PROGRESS"},
        },
    ),
]


def per_call(fn: Callable[[], object], repeat: int, number: int) -> float:
    """Median seconds per call over ``repeat`` runs of ``number`` calls."""
    return statistics.median(timeit.repeat(fn, repeat=repeat, number=number)) / number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (noisier)")
    args = parser.parse_args()
    repeat, number = (5, 1_000) if args.quick else (9, 5_000)

    from botocore.session import get_session
    from botocore.validate import ParamValidator

    model = get_session().get_service_model("personalize")
    validator = ParamValidator()
    print(f"{'case':34} {'us/call':>8} {'/ParamValidator':>16}")
    for label, op, params, allowed, denied in CASES:
        shape = model.operation_model(op).input_shape
        anchor = per_call(lambda p=params, s=shape: validator.validate(p, s), repeat, number)
        for kind, facts in (("allowed", allowed), ("denied", denied)):
            verdict = svstate.preflight(op, params, **facts)
            assert verdict.decision.value == ("allow" if kind == "allowed" else "deny"), verdict
            cost = per_call(
                lambda o=op, p=params, f=facts: svstate.preflight(o, p, **f), repeat, number
            )
            print(f"{label + ', ' + kind:34} {cost * 1e6:8.2f} {cost / anchor:16.2f}")
        print(f"{'  (ParamValidator, ' + op + ')':34} {anchor * 1e6:8.2f}")


if __name__ == "__main__":
    main()
