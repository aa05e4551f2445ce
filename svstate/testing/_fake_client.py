"""The fake's client: a real boto3 Personalize client answered in-process by the backend.

Rules in this file:

* The client is a real ``boto3`` Personalize client. Only the network is
  replaced: a ``before-call`` handler answers each call with a parsed
  response (or an error response, which botocore turns into the usual
  ``client.exceptions.*`` ``ClientError``). botocore's own parameter
  validation, serialisation, paginators and exceptions all run unchanged.
* What the client accepts is checked here, once, when it is built (a clock,
  durations, a quota, a seed); what each call does is the backend's
  (:class:`svstate.testing._fake.FakePersonalize`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from svstate._errors import SvstateError
from svstate._extras import missing
from svstate._rulesets import DEFAULT_RULESET, resolve_ruleset
from svstate._text import describe
from svstate.testing._fake import DEFAULT_DURATIONS, FakeClock, FakePersonalize, faked_operations
from svstate.testing._fake_base import ServiceError as _ServiceError

if TYPE_CHECKING:
    from mypy_boto3_personalize import PersonalizeClient

    class FakePersonalizeClient(PersonalizeClient):
        """What :func:`fake_personalize` returns: a Personalize client, and its fake."""

        fake: FakePersonalize


__all__ = ["fake_personalize", "faked_operations"]


def fake_personalize(
    *,
    ruleset: object = DEFAULT_RULESET,
    clock: FakeClock | None = None,
    durations: Mapping[str, float] | None = None,
    region: str = "us-east-1",
    account: str = "123456789012",
    quota: int = 20,
    seed: int = 0,
) -> FakePersonalizeClient:
    """A real boto3 Personalize client whose calls are answered by svstate's model.

    Nothing touches the network. botocore validates parameters, paginators
    page, and errors are ``client.exceptions.*`` (botocore ``ClientError``)
    with the codes svstate's rules predict. The backend, with its test hooks
    (:meth:`~FakePersonalize.fail_next_training`,
    :meth:`~FakePersonalize.settle`, ...), is ``client.fake``.

    :param ruleset: the API date whose rules and shapes the fake follows.
    :param clock: a :class:`FakeClock`; a new one if ``None``. Nothing moves
        until it is advanced.
    :param durations: overrides of :data:`DEFAULT_DURATIONS`.
    :param quota: pending-or-in-progress versions allowed in the account (SV402).
    A dataset group this fake never created is taken to exist and be ACTIVE
    when a CreateSolution names it, so tests that start at CreateSolution keep
    working; every other call under a parent the fake does not hold is a
    ResourceNotFoundException, as on the service. An operation outside
    :func:`faked_operations` is an ``UnsupportedOperation`` error.

    :param seed: where version ids come from. Ids are 8 hex digits that look
        random, as the service's do (so sorting version ARNs does not find
        the newest one); the same seed gives the same ids in the same order,
        so a test run can be repeated. The backend keeps it as
        ``client.fake.seed``.

    >>> from svstate.testing import fake_personalize, FakeClock
    >>> clock = FakeClock()
    >>> client = fake_personalize(clock=clock)
    >>> arn = client.create_solution(name="movies", datasetGroupArn=
    ...     "arn:aws:personalize:us-east-1:123456789012:dataset-group/movies",
    ...     recipeArn="arn:aws:personalize:::recipe/aws-hrnn-coldstart")["solutionArn"]
    >>> client.describe_solution(solutionArn=arn)["solution"]["status"]
    'CREATE PENDING'
    >>> clock.advance(3600)
    >>> client.describe_solution(solutionArn=arn)["solution"]["status"]
    'ACTIVE'
    """
    try:
        import boto3
        from botocore.config import Config
    except ImportError as error:
        raise missing("boto3", "svstate.testing.fake_personalize", "boto3") from error

    fake = new_backend(ruleset, clock, durations, region, account, quota, seed)
    client: FakePersonalizeClient = boto3.client(
        "personalize",
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 0, "mode": "standard"}),
    )
    answer_with(client, fake)
    return client


def new_backend(
    ruleset: object,
    clock: object,
    durations: object,
    region: str,
    account: str,
    quota: object,
    seed: object,
) -> FakePersonalize:
    """A backend, once every option is checked; a bad one is an error that names it."""
    if not isinstance(region, str) or not region:
        raise SvstateError(f"region is {describe(region)}; pass a region name (us-east-1).")
    if not (isinstance(account, str) and len(account) == 12 and account.isdigit()):
        raise SvstateError(f"account is {describe(account)}; pass a 12-digit account id.")
    rs = resolve_ruleset(ruleset)
    if clock is None:
        clock = FakeClock()
    elif not isinstance(clock, FakeClock):
        raise SvstateError(f"clock is {describe(clock)}; pass a svstate.testing.FakeClock.")
    merged = dict(DEFAULT_DURATIONS)
    if durations is not None and not isinstance(durations, Mapping):
        raise SvstateError(
            f"durations is {describe(durations)}; pass a dict of seconds by phase "
            f"({', '.join(DEFAULT_DURATIONS)})."
        )
    for key, value in (durations or {}).items():
        if key not in DEFAULT_DURATIONS:
            raise SvstateError(
                f"{describe(key)} is not a duration the fake knows; durations "
                f"are {', '.join(DEFAULT_DURATIONS)}."
            )
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (0 <= value < float("inf"))
        ):
            raise SvstateError(f"durations[{key!r}] is {describe(value)}; pass seconds >= 0.")
        merged[key] = float(value)
    if isinstance(quota, bool) or not isinstance(quota, int) or quota < 1:
        raise SvstateError(f"quota is {describe(quota)}; pass an int of at least 1.")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise SvstateError(f"seed is {describe(seed)}; pass an int (the same seed, the same ids).")
    return FakePersonalize(rs, clock, merged, region, account, quota, seed)


_PARAMS = "svstate.fake.params"


def answer_with(
    client: Any, fake: FakePersonalize, before: Callable[[], str | None] | None = None
) -> None:
    """Make ``fake`` answer every call of the boto3 Personalize ``client``, in-process.

    ``before``, if given, is called before each answer (the mock lets the
    call's latency pass there): a message it returns is raised as an
    :class:`SvstateError` instead of answering (a client that outlived its
    mock must not reach AWS either).
    """
    from botocore.awsrequest import AWSResponse

    def keep_params(params: Any, context: Any, **_: Any) -> None:
        context[_PARAMS] = dict(params)

    def respond(model: Any, context: Any, **_: Any) -> tuple[Any, dict[str, Any]]:
        if before is not None:
            why = before()
            if why is not None:
                raise SvstateError(why)
        params = context.get(_PARAMS, {})
        request_id = f"svstate-fake-{next(fake._requests):06d}"
        try:
            parsed = fake.answer(model.name, params)
            status = 200
        except _ServiceError as error:
            parsed = {"Error": {"Code": error.code, "Message": error.message}}
            status = 400
        parsed["ResponseMetadata"] = {
            "RequestId": request_id,
            "HTTPStatusCode": status,
            "HTTPHeaders": {},
            "RetryAttempts": 0,
        }
        return AWSResponse("https://personalize.fake.invalid", status, {}, None), parsed

    events = client.meta.events
    events.register("before-parameter-build.personalize", keep_params, unique_id=_PARAMS)
    events.register("before-call.personalize", respond, unique_id="svstate.fake.respond")
    client.fake = fake
