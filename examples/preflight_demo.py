"""A tour of svstate's pre-flight check on example facts shipped in tests/data/.

Run from the repository root::

    python examples/preflight_demo.py

Each case asks whether a Personalize call is legal given the boto3 responses
a pipeline already has, and prints svstate's verdict with every reason.
"""

from __future__ import annotations

import json
from pathlib import Path

import svstate

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
ARN = "arn:aws:personalize:us-east-1:123456789012:solution/"


def load(name: str) -> object:
    """One example boto3 response, as the JSON file holds it."""
    return json.loads((DATA / f"{name}.json").read_text())


def show(title: str, verdict: svstate.Verdict) -> None:
    print(f"== {title}")
    print(verdict)
    print()


def main() -> None:
    show(
        "UPDATE on movies-coldstart, which has an ACTIVE FULL version",
        svstate.preflight(
            "create_solution_version",
            {"solutionArn": ARN + "movies-coldstart", "trainingMode": "UPDATE"},
            solution=load("solution_active_hrnn_coldstart")["solution"],
            versions=load("versions_coldstart_full_active")["solutionVersions"],
        ),
    )
    for ruleset in ("latest", "2019-10-14"):
        show(
            f"UPDATE on movies-up (User-Personalization), ruleset {ruleset!r}: "
            + ("legal since 2020-08-24" if ruleset == "latest" else "the seed's API refuses it"),
            svstate.preflight(
                "create_solution_version",
                {"solutionArn": ARN + "movies-up", "trainingMode": "UPDATE"},
                solution=load("solution_active_user_personalization"),
                ruleset=ruleset,
            ),
        )
    show(
        "UPDATE on movies-sims: the SIMS recipe does not support UPDATE",
        svstate.preflight(
            "create_solution_version",
            {"solutionArn": ARN + "movies-sims", "trainingMode": "UPDATE"},
            solution=load("solution_active_sims")["solution"],
        ),
    )
    show(
        "UPDATE on movies-new2 while its only FULL version is still training",
        svstate.preflight(
            "CreateSolutionVersion",
            {"solutionArn": ARN + "movies-new2", "trainingMode": "UPDATE"},
            versions=load("versions_coldstart_full_in_progress"),
        ),
    )
    show(
        "A request with three mistakes at once (ruleset 2019-10-14)",
        svstate.preflight(
            "CreateSolutionVersion",
            {
                "solutionArn": ARN + "movies-coldstart/3f9c2a7e",
                "trainingMode": "FUL",
                "name": "nightly",
            },
            ruleset="2019-10-14",
        ),
    )
    show(
        "CreateCampaign on a version that is not ACTIVE yet",
        svstate.preflight(
            "create_campaign",
            {
                "name": "movies-campaign",
                "solutionVersionArn": ARN + "movies-coldstart/d21f6a38",
                "minProvisionedTPS": 1,
            },
            versions=[load("version_create_in_progress")["solutionVersion"]],
        ),
    )
    show(
        "DeleteSolution while a campaign still uses it",
        svstate.preflight(
            "delete_solution",
            {"solutionArn": ARN + "movies-coldstart"},
            versions=load("versions_coldstart_full_active"),
            campaigns=load("campaigns_active"),
        ),
    )


if __name__ == "__main__":
    main()
