"""The guard on real aiobotocore clients, answered in-process by the fake's responder.

aiobotocore runs botocore's whole client path (parameter validation,
serialisation, its own awaited event system); only the network is replaced,
by the same ``before-call`` responder :func:`svstate.testing.fake_personalize`
uses on boto3 clients.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from aiobotocore.session import get_session
from botocore.exceptions import ClientError

import svstate
import svstate.boto
from svstate.stores import MemoryStore
from svstate.testing import FakePersonalize
from svstate.testing._fake_client import answer_with, new_backend

pytestmark = pytest.mark.asyncio
HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"


def backend() -> FakePersonalize:
    return new_backend("latest", None, None, "us-east-1", "123456789012", 20, 0)


def personalize(session: Any) -> Any:
    """An aiobotocore Personalize client of ``session`` (an async context manager)."""
    return session.create_client(
        "personalize",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Any]:
    async with personalize(get_session()) as c:
        answer_with(c, backend())
        yield c


async def solution(c: Any) -> str:
    """An ACTIVE solution with no versions, made through the (unguarded) client."""
    group = (await c.create_dataset_group(name="g"))["datasetGroupArn"]
    c.fake.clock.advance(3600)
    arn: str = (
        await c.create_solution(
            name="s", datasetGroupArn=group, recipeArn=HRNN, performAutoTraining=False
        )
    )["solutionArn"]
    c.fake.clock.advance(3600)
    return arn


async def test_an_async_client_is_guarded_a_denied_call_is_never_sent(client: Any) -> None:
    arn = await solution(client)
    tracker = svstate.Tracker()
    guard = svstate.boto.attach(client, tracker, unknown="refresh")
    sent = len(client.fake.statuses())
    with pytest.raises(svstate.boto.GuardDenied) as caught:
        await client.create_solution_version(solutionArn=arn, trainingMode="UPDATE")
    assert isinstance(caught.value, ClientError)
    assert isinstance(caught.value, client.exceptions.InvalidInputException)
    assert [f.rule for f in caught.value.verdict.findings] == ["SV301"]
    assert len(client.fake.statuses()) == sent  # nothing was created
    # The refresh was awaited through the client: the tracker now knows the solution.
    assert tracker.preflight("CreateSolutionVersion", {"solutionArn": arn}).decision.value == (
        "allow"
    )
    assert guard.denials
    assert guard.denials[-1][0] == "CreateSolutionVersion"


async def test_an_allowed_async_call_is_sent_and_its_answer_observed(client: Any) -> None:
    arn = await solution(client)
    tracker = svstate.Tracker()
    svstate.boto.attach(client, tracker, unknown="refresh")
    version = (await client.create_solution_version(solutionArn=arn))["solutionVersionArn"]
    assert version in client.fake.statuses().__repr__()
    verdict = tracker.preflight("CreateSolutionVersion", {"solutionArn": arn})
    assert [f.rule for f in verdict.findings] == ["SV401"]  # observed: it is in flight
    client.fake.settle()
    await client.describe_solution_version(solutionVersionArn=version)
    update = {"solutionArn": arn, "trainingMode": "UPDATE"}
    assert tracker.preflight("CreateSolutionVersion", update).decision is svstate.Decision.ALLOW


async def test_monitor_lets_an_async_call_through_and_logs(
    client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    arn = await solution(client)
    guard = svstate.boto.attach(client, mode="monitor", unknown="refresh")
    with (
        caplog.at_level(logging.WARNING, logger="svstate.boto"),
        pytest.raises(client.exceptions.InvalidInputException) as caught,
    ):
        await client.create_solution_version(solutionArn=arn, trainingMode="UPDATE")
    assert not isinstance(caught.value, svstate.PreflightDenied)  # the service's own answer
    assert "would refuse" in caplog.text
    assert guard.denials


async def test_single_flight_on_an_async_client_denies_a_second_version_in_flight(
    client: Any,
) -> None:
    arn = await solution(client)
    tracker = svstate.Tracker(store=MemoryStore())
    svstate.boto.attach(client, tracker, unknown="refresh", single_flight=True)
    await client.create_solution_version(solutionArn=arn)
    with pytest.raises(client.exceptions.ResourceInUseException) as caught:
        await client.create_solution_version(solutionArn=arn)
    (finding,) = caught.value.verdict.findings
    assert (finding.rule, str(finding.severity)) == ("SV401", "error")
    assert tracker.acquire(arn, "someone").decision is svstate.Decision.ALLOW  # given back


async def test_an_aiobotocore_session_guards_the_clients_it_creates_afterwards() -> None:
    session = get_session()
    guard = svstate.boto.attach(session, unknown="refresh")
    try:
        async with personalize(session) as c:
            answer_with(c, backend())
            arn = await solution(c)
            with pytest.raises(svstate.boto.GuardDenied):
                await c.create_solution_version(solutionArn=arn, trainingMode="UPDATE")
    finally:
        guard.detach()


async def test_async_clients_are_taken_for_async() -> None:
    assert svstate.boto._is_async(get_session())
