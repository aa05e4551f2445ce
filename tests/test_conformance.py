"""LifecycleConformance: a good pipeline passes; each kind of bad one is caught."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
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


# -- PipelineConformance: a whole pipeline from an empty account ---------------------------

HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
ROLE = "arn:aws:iam::123456789012:role/personalize"
SCHEMA = '{"type": "record", "name": "Interactions", "fields": []}'


class RetrainingPipeline:
    """The published notebooks' sequence, with svstate's waiters instead of sleep loops.

    ``build`` creates the chain once, waiting for each resource; ``more_data``
    appends an INCREMENTAL import after the first one is ACTIVE; ``retrain``
    trains a new version and points the campaign at it. A failed import or
    training is retried, as a careful pipeline does.
    """

    def __init__(self, client: Any, *, wait_for_group: bool = True, first_full: bool = True):
        import svstate.boto

        self.client = client
        self.waiter = lambda name: svstate.boto.waiter(client, name)
        self.wait_for_group = wait_for_group
        self.first_full = first_full
        self.arns: dict[str, str] = {}

    def actions(self) -> dict[str, Any]:
        return {"build": self.build, "more_data": self.more_data, "retrain": self.retrain}

    def view(self) -> dict[str, str]:
        return {}

    def _import(self, mode: str) -> bool:
        job = self.client.create_dataset_import_job(
            jobName=f"import-{len(self.arns)}-{mode.lower()}",
            datasetArn=self.arns["dataset"],
            dataSource={"dataLocation": "s3://bucket/interactions.csv"},
            roleArn=ROLE,
            importMode=mode,
        )["datasetImportJobArn"]
        self.arns[f"import-{len(self.arns)}"] = job
        try:
            self.waiter("dataset_import_job_active").wait(datasetImportJobArn=job)
        except svstate.boto.WaiterFailed:
            return False
        return True

    def build(self) -> None:
        if "campaign" in self.arns:
            return
        if "group" not in self.arns:
            self.arns["group"] = self.client.create_dataset_group(name="movies")["datasetGroupArn"]
        if self.wait_for_group:
            self.waiter("dataset_group_active").wait(datasetGroupArn=self.arns["group"])
        if "dataset" not in self.arns:
            schema = self.client.create_schema(name="interactions", schema=SCHEMA)["schemaArn"]
            self.arns["dataset"] = self.client.create_dataset(
                name="interactions",
                schemaArn=schema,
                datasetGroupArn=self.arns["group"],
                datasetType="Interactions",
            )["datasetArn"]
            self.waiter("dataset_active").wait(datasetArn=self.arns["dataset"])
        while not self._import("FULL" if self.first_full else "INCREMENTAL"):
            pass  # a failed import is retried
        self.arns["solution"] = self.client.create_solution(
            name="movies", datasetGroupArn=self.arns["group"], recipeArn=HRNN
        )["solutionArn"]
        self.waiter("solution_active").wait(solutionArn=self.arns["solution"])
        version = self._train()
        self.arns["campaign"] = self.client.create_campaign(
            name="movies", solutionVersionArn=version, minProvisionedTPS=1
        )["campaignArn"]
        self.waiter("campaign_active").wait(campaignArn=self.arns["campaign"])

    def _train(self) -> str:
        while True:
            version = self.client.create_solution_version(solutionArn=self.arns["solution"])[
                "solutionVersionArn"
            ]
            try:
                self.waiter("solution_version_active").wait(solutionVersionArn=version)
                return str(version)
            except svstate.boto.WaiterFailed:
                continue  # a failed training is retried

    def more_data(self) -> None:
        if "campaign" in self.arns:
            self._import("INCREMENTAL")

    def retrain(self) -> None:
        if "campaign" not in self.arns:
            return
        version = self._train()
        with contextlib.suppress(svstate.boto.WaiterFailed):  # the last update failed: fine
            self.waiter("campaign_active").wait(campaignArn=self.arns["campaign"])
        self.client.update_campaign(campaignArn=self.arns["campaign"], solutionVersionArn=version)
        with contextlib.suppress(svstate.boto.WaiterFailed):  # it keeps serving the old one
            self.waiter("campaign_active").wait(campaignArn=self.arns["campaign"])


def _pipeline_machine(**options: bool) -> type[Any]:
    from svstate.testing import PipelineConformance

    class Machine(PipelineConformance):
        def make_adapter(self, client: Any) -> RetrainingPipeline:
            return RetrainingPipeline(client, **options)

    return Machine


def test_a_careful_retraining_pipeline_passes_the_pipeline_machine() -> None:
    import svstate.boto  # noqa: F401 - the adapter's waiters

    run_state_machine_as_test(_pipeline_machine(), settings=FAST)


@pytest.mark.parametrize(
    ("options", "refusal"),
    [
        ({"wait_for_group": False}, "CreateDataset needs it ACTIVE"),
        ({"first_full": False}, "importMode INCREMENTAL adds to bulk data imported before"),
    ],
)
def test_the_pipeline_machine_catches_what_the_service_would_refuse(
    options: dict[str, bool], refusal: str
) -> None:
    from botocore.exceptions import ClientError

    import svstate.boto  # noqa: F401

    once = settings(FAST, phases=[Phase.generate])  # the first example fails: no shrinking
    with pytest.raises(ClientError, match=refusal):
        run_state_machine_as_test(_pipeline_machine(**options), settings=once)


def test_the_pipeline_machine_needs_an_adapter() -> None:
    from svstate.testing import PipelineConformance

    with pytest.raises(NotImplementedError, match="return your adapter from make_adapter"):
        PipelineConformance()


def test_the_fake_lists_every_status_it_shows() -> None:
    from svstate.testing import FakeClock, fake_personalize

    client = fake_personalize(clock=FakeClock())
    group = client.create_dataset_group(name="movies")["datasetGroupArn"]
    client.create_schema(name="s", schema=SCHEMA)
    assert client.fake.statuses() == {("dataset_group", group): "CREATE PENDING"}
    client.fake.clock.advance(3600)
    client.delete_dataset_group(datasetGroupArn=group)
    assert client.fake.statuses()[("dataset_group", group)] == "DELETE PENDING"
    client.fake.clock.advance(3600)
    assert client.fake.statuses()[("dataset_group", group)] is None
    # each campaign update is its own key: a new one never reads as a step back
    solution = client.create_solution(name="s", datasetGroupArn=group + "x", recipeArn=HRNN)[
        "solutionArn"
    ]
    client.fake.clock.advance(3600)
    version = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    client.fake.clock.advance(86400)
    campaign = client.create_campaign(name="c", solutionVersionArn=version)["campaignArn"]
    client.fake.clock.advance(3600)
    for _ in range(2):
        client.update_campaign(campaignArn=campaign, solutionVersionArn=version)
        client.fake.clock.advance(3600)
    updates = [k for k in client.fake.statuses() if k[0] == "campaign_update"]
    assert len(updates) == 1
    assert updates[0][1].startswith(campaign + "@2020-")


def test_the_pipeline_machine_judges_each_step_by_the_resource_lifecycle() -> None:
    import svstate.boto  # noqa: F401

    machine = _pipeline_machine()()
    step = machine._step_ok
    assert step("dataset_group", "CREATE PENDING", "ACTIVE")
    assert step("dataset_group", "ACTIVE", "DELETE PENDING")
    assert step("dataset_group", None, "CREATE PENDING")  # deleted, then created again
    assert step("campaign_update", "CREATE IN_PROGRESS", "CREATE FAILED")
    assert not step("dataset_group", "ACTIVE", "CREATE PENDING")
    assert not step("dataset_import_job", "CREATE FAILED", "ACTIVE")
    assert not step("campaign_update", "ACTIVE", "CREATE IN_PROGRESS")
    assert not step("dataset_group", None, "DELETE PENDING")
    # the invariant reports a step back, naming the resource and both statuses
    group = machine.client.create_dataset_group(name="g")["datasetGroupArn"]
    machine._seen = {("dataset_group", group): "ACTIVE"}
    with pytest.raises(AssertionError, match=r"dataset_group .* from ACTIVE to CREATE PENDING"):
        machine.statuses_follow_their_lifecycles()
