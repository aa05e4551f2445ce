"""How fast does ``replay`` check a trace, next to only parsing it?

Builds a JSON Lines trace (many solutions, each trained FULL then UPDATE,
polled through every status, with campaigns), then measures replay
throughput including JSON parsing (target >= 100,000 events per second on
one core) and the ratio to a loop that only parses the same lines (the
floor any replay pays). Run::

    python benchmarks/bench_replay.py [--solutions N]
"""

from __future__ import annotations

import argparse
import json
import time

import svstate

HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
STEPS = (
    "CREATE PENDING",
    "CREATE IN_PROGRESS",
    "CREATE IN_PROGRESS",
    "CREATE IN_PROGRESS",
    "ACTIVE",
)


def trace(solutions: int) -> list[str]:
    lines = []
    for s in range(solutions):
        sol = f"arn:aws:personalize:us-east-1:123456789012:solution/s{s}"
        lines.append(
            json.dumps(
                {
                    "operation": "DescribeSolution",
                    "params": {"solutionArn": sol},
                    "response": {
                        "solution": {"solutionArn": sol, "status": "ACTIVE", "recipeArn": HRNN}
                    },
                }
            )
        )
        lines.append(
            json.dumps(
                {
                    "operation": "ListSolutionVersions",
                    "params": {"solutionArn": sol},
                    "response": {"solutionVersions": []},
                }
            )
        )
        for i, mode in enumerate(("FULL", "UPDATE")):
            arn = f"{sol}/{i:08x}"
            lines.append(
                json.dumps(
                    {
                        "operation": "CreateSolutionVersion",
                        "params": {"solutionArn": sol, "trainingMode": mode},
                        "response": {"solutionVersionArn": arn},
                    }
                )
            )
            for minute, status in enumerate(STEPS):
                lines.append(
                    json.dumps(
                        {
                            "operation": "DescribeSolutionVersion",
                            "params": {"solutionVersionArn": arn},
                            "response": {
                                "solutionVersion": {
                                    "solutionVersionArn": arn,
                                    "solutionArn": sol,
                                    "status": status,
                                    "trainingMode": mode,
                                    "creationDateTime": f"2020-01-0{i + 1}T00:00:00+00:00",
                                    "lastUpdatedDateTime": f"2020-01-0{i + 1}T00:{minute:02d}:00+00:00",
                                }
                            },
                        }
                    )
                )
        lines.append(
            json.dumps(
                {
                    "operation": "CreateCampaign",
                    "params": {
                        "name": f"c{s}",
                        "solutionVersionArn": f"{sol}/00000001",
                        "minProvisionedTPS": 1,
                    },
                    "response": {
                        "campaignArn": f"arn:aws:personalize:us-east-1:123456789012:campaign/c{s}"
                    },
                }
            )
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--solutions", type=int, default=10_000)
    args = parser.parse_args()
    lines = trace(args.solutions)
    best_replay = best_parse = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        report = svstate.replay(lines)
        best_replay = min(best_replay, time.perf_counter() - start)
        start = time.perf_counter()
        for line in lines:
            json.loads(line)
        best_parse = min(best_parse, time.perf_counter() - start)
    assert report.ok, report.illegal
    rate = len(lines) / best_replay
    print(
        f"replay: {rate:,.0f} events per second on one core, JSON parsing included "
        f"(target >= 100,000); {len(lines):,} events of {args.solutions:,} solutions"
    )
    print(
        f"replay / parsing alone: {best_replay / best_parse:.1f}x "
        f"(parsing alone: {len(lines) / best_parse:,.0f} events per second)"
    )


if __name__ == "__main__":
    main()
