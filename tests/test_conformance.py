"""LifecycleConformance: a good pipeline passes; each kind of bad one is caught."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.errors import Flaky
from hypothesis.stateful import run_state_machine_as_test

import svstate
from svstate.testing import LifecycleConformance

FAST = settings(
    max_examples=30,
    stateful_step_count=15,
    deadline=None,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow],
)


class CarefulPipeline:
    """Asks svstate before every call; reads the service's state before acting."""

    def __init__(self, client: Any, solution_arn: str):
        self.client = client
        self.solution_arn = solution_arn
        self.seen: dict[str, str] = {}

    def _facts(self) -> dict[str, Any]:
        versions = [
            v
            for page in self.client.get_paginator("list_solution_versions").paginate(
                solutionArn=self.solution_arn
            )
            for v in page["solutionVersions"]
        ]
        self.seen = {v["solutionVersionArn"]: v["status"] for v in versions}
        solution = self.client.describe_solution(solutionArn=self.solution_arn)["solution"]
        return {"solution": solution, "versions": versions}

    def train(self, mode: str) -> None:
        request = {"solutionArn": self.solution_arn, "trainingMode": mode}
        if svstate.preflight("CreateSolutionVersion", request, **self._facts()):
            arn = self.client.create_solution_version(**request)["solutionVersionArn"]
            self.seen[arn] = "CREATE PENDING"

    def actions(self) -> dict[str, Any]:
        return {"full": lambda: self.train("FULL"), "update": lambda: self.train("UPDATE")}

    def view(self) -> dict[str, str]:
        return dict(self.seen)


def machine(adapter: type, **attributes: Any) -> type[LifecycleConformance]:
    def make_adapter(self: LifecycleConformance, client: Any, solution_arn: str) -> Any:
        return adapter(client, solution_arn)

    return type("Machine", (LifecycleConformance,), {"make_adapter": make_adapter, **attributes})


def test_a_pipeline_that_asks_before_every_call_conforms() -> None:
    run_state_machine_as_test(machine(CarefulPipeline), settings=FAST)


def test_a_pipeline_conforms_under_the_2021_ruleset_too() -> None:
    run_state_machine_as_test(machine(CarefulPipeline, ruleset="2021-05-20"), settings=FAST)


class UpdatesBlindly(CarefulPipeline):
    def train(self, mode: str) -> None:
        try:
            arn = self.client.create_solution_version(
                solutionArn=self.solution_arn, trainingMode=mode
            )["solutionVersionArn"]
            self.seen[arn] = "CREATE PENDING"
        except self.client.exceptions.ClientError:
            pass  # swallowing the refusal does not hide it from the machine


def test_a_pipeline_that_sends_a_refused_call_is_caught_even_if_it_swallows_the_error() -> None:
    with pytest.raises(AssertionError, match="the adapter sent calls the service refuses"):
        run_state_machine_as_test(machine(UpdatesBlindly), settings=FAST)


def test_allowed_errors_let_a_pipeline_rely_on_the_service_refusing() -> None:
    tolerant = machine(
        UpdatesBlindly,
        allowed_errors=frozenset({"InvalidInputException", "ResourceInUseException"}),
    )
    run_state_machine_as_test(tolerant, settings=FAST)


class ThinksItIsAhead(CarefulPipeline):
    def view(self) -> dict[str, str]:
        return dict.fromkeys(self.seen, "ACTIVE")  # claims success before the service


def test_a_pipeline_whose_view_runs_ahead_of_the_service_is_caught() -> None:
    with pytest.raises((AssertionError, Flaky), match="the adapter believes"):
        run_state_machine_as_test(machine(ThinksItIsAhead), settings=FAST)


def test_a_machine_without_an_adapter_says_what_to_do() -> None:
    with pytest.raises(NotImplementedError, match="return your adapter from make_adapter"):
        LifecycleConformance()


class NoActions(CarefulPipeline):
    def actions(self) -> dict[str, Any]:
        return {}


def test_an_adapter_without_actions_is_refused() -> None:
    with pytest.raises(TypeError, match="actions\\(\\) is empty"):
        machine(NoActions)()
