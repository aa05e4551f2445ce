"""Waiters for the training chain: ``svstate.boto.waiter(client, "solution_version_active")``.

Rules in this file:

* The waiters are the declarations' (:mod:`svstate._chain`): one for each
  resource whose declaration names a ``waiter``. Its describe operation,
  response member, default delay and attempts, and the statuses it judges
  all come from that declaration; nothing here lists a resource or a status.
* One reading of a describe response decides: ACTIVE is success, and for a
  resource with in-place updates (``Resource.updates``: UpdateCampaign,
  UpdateSolution) only when its latest update is ACTIVE too. A status from
  which the declared lifecycle can no longer reach ACTIVE (a failure, a stop,
  a deletion status) fails at once, with the resource's ``failureReason``. A
  status of the lifecycle that can still reach ACTIVE waits.
* A status the declaration does not know (one the service added since, or one
  of svstate's statuses this resource does not have) waits, bounded by
  ``MaxAttempts``, and is logged on ``svstate.boto``. Failing on it would
  break every pipeline the day the service adds an intermediate status;
  waiting costs at most the attempts the caller allowed, and the
  max-attempts error names the status.
* Nothing sleeps on svstate's fake: between attempts the fake's clock moves
  on by the delay instead.
* botocore is imported only when a wait runs or the error class is first
  asked for, so ``import svstate.boto`` stays light.
"""

from __future__ import annotations

import enum
import functools
import logging
import math
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from svstate._chain import CHAIN, Resource
from svstate._clients import is_async, restore
from svstate._errors import SvstateError, UnknownStatus
from svstate._lifecycle import Lifecycle, LifecycleDeclaration
from svstate._text import describe, did_you_mean, snake_case, what
from svstate._vocab import Status

__all__ = ["WAITER_NAMES", "Waiter", "WaiterFailed", "waiter", "waiter_failed_class"]

LOGGER = logging.getLogger("svstate.boto")

#: Each waiter's name -> the resource it waits on, in the order of the chain.
WAITERS: Mapping[str, Resource] = {r.waiter: r for r in CHAIN if r.waiter is not None}
#: The names :func:`waiter` accepts, as botocore's ``client.waiter_names``.
WAITER_NAMES: tuple[str, ...] = tuple(WAITERS)

_CONFIG_KEYS = ("Delay", "MaxAttempts")
_NOT_FOUND = "ResourceNotFoundException"


class _Fate(enum.Enum):
    """What one status says about reaching ACTIVE."""

    ACTIVE = "active"
    WAITING = "waiting"  # ACTIVE is still reachable
    NEVER = "never"  # ACTIVE can no longer be reached
    UNKNOWN = "unknown"  # the declaration does not know the status


@functools.cache
def _compiled(declaration: LifecycleDeclaration) -> Lifecycle:
    return Lifecycle(declaration)


def _fate(declaration: LifecycleDeclaration, deletion: tuple[Status, ...], text: object) -> _Fate:
    """The fate of a resource showing ``text``, read off its declared lifecycle."""
    try:
        status = Status.parse(text)
    except UnknownStatus:
        return _Fate.UNKNOWN
    if status is Status.ACTIVE:
        return _Fate.ACTIVE
    reachable = _compiled(declaration).reachable.get(status)
    if reachable is not None:
        return _Fate.WAITING if Status.ACTIVE in reachable else _Fate.NEVER
    return _Fate.NEVER if status in deletion else _Fate.UNKNOWN


def _shown(text: object) -> str:
    """A status as a message shows it: a known one plainly, anything else quoted."""
    try:
        return Status.parse(text).value
    except UnknownStatus:
        return describe(text)


class _Reading:
    """One describe response, judged: the resource's status, its latest update's, the fate."""

    __slots__ = (
        "fate",
        "record",
        "status",
        "status_fate",
        "update",
        "update_fate",
        "update_status",
    )

    def __init__(self, resource: Resource, response: object):
        body = response.get(resource.key) if isinstance(response, Mapping) else None
        self.record: Mapping[str, Any] = body if isinstance(body, Mapping) else {}
        self.status: object = self.record.get("status")
        assert resource.lifecycle is not None  # a declaration with a waiter has one
        self.status_fate = _fate(resource.lifecycle, resource.deletion, self.status)
        self.fate = self.status_fate
        self.update: Mapping[str, Any] | None = None
        self.update_status: object = None
        self.update_fate: _Fate | None = None
        updates = resource.updates
        if updates is None:
            return
        update = self.record.get(updates.member)
        if not isinstance(update, Mapping):
            return
        self.update = update
        self.update_status = update.get("status")
        update_fate = self.update_fate = _fate(updates.lifecycle, (), self.update_status)
        if self.fate is _Fate.NEVER:
            return
        if update_fate is _Fate.NEVER:
            self.fate = _Fate.NEVER  # both ACTIVE at once can no longer be reached
        elif self.fate is _Fate.ACTIVE and update_fate is not _Fate.ACTIVE:
            self.fate = _Fate.WAITING if update_fate is _Fate.WAITING else _Fate.UNKNOWN

    @property
    def update_failed(self) -> bool:
        """Whether it is the latest update (not the resource) that can never be ACTIVE."""
        return self.status_fate is not _Fate.NEVER and self.update_fate is _Fate.NEVER


def _words(resource: Resource) -> str:
    return resource.name.replace("_", " ")


def _target(resource: Resource, params: Mapping[str, Any]) -> str:
    """The resource waited on, as a message names it: its ARN when the params hold one."""
    arn = params.get(resource.arn_member)
    if isinstance(arn, str):
        return f"{_words(resource)} {describe(arn)[1:-1] if len(arn) <= 256 else describe(arn)}"
    return f"the {_words(resource)} described with {describe(dict(params))}"


def _never_reason(resource: Resource, params: Mapping[str, Any], reading: _Reading) -> str:
    """Why ``reading`` can never become ACTIVE, and what to do, in one sentence."""
    target = _target(resource, params)
    if reading.update_failed:
        assert resource.updates is not None
        assert reading.update is not None
        operation = resource.updates.operation
        cause = reading.update.get("failureReason")
        because = f" (failureReason: {describe(cause)})" if cause else ""
        return (
            f"{target} is {_shown(reading.status)}, but its latest update ({operation}) is "
            f"{_shown(reading.update_status)}{because}, so the {_words(resource)} still serves "
            f"its previous configuration; "
            + ("fix what the failure reason names and " if cause else "")
            + f"call {operation} again."
        )
    status = _shown(reading.status)
    if status in {s.value for s in resource.deletion}:
        return (
            f"{target} is {status}: it is being deleted, so it will never be ACTIVE; "
            f"call {resource.create} again if you still need one."
        )
    cause = reading.record.get("failureReason")
    if cause:
        return (
            f"{target} is {status}, so it will never be ACTIVE (failureReason: "
            f"{describe(cause)}); fix what the failure reason names and call "
            f"{resource.create} again."
        )
    return (
        f"{target} is {status}, so it will never be ACTIVE; call {resource.create} again "
        "if you still need one."
    )


def _last_state(resource: Resource, reading: _Reading | None) -> str:
    if reading is None:
        return "unread"
    state = _shown(reading.status)
    if reading.status_fate is _Fate.UNKNOWN:
        state += f", a status svstate does not know for a {_words(resource)}"
    if reading.update is not None and reading.status_fate is _Fate.ACTIVE:
        assert resource.updates is not None
        state += (
            f" with its latest update ({resource.updates.operation}) "
            f"{_shown(reading.update_status)}"
        )
    return state


def _config(config: object, delay: float, attempts: int) -> tuple[float, int]:
    """``WaiterConfig`` checked, over the declaration's defaults: (delay, max attempts)."""
    if config is None:
        return delay, attempts
    if not isinstance(config, Mapping):
        raise SvstateError(
            f"WaiterConfig is {what(config)}; pass a dict with 'Delay' (seconds) and/or "
            "'MaxAttempts' (an int), or None for the defaults."
        )
    unknown = [k for k in config if k not in _CONFIG_KEYS]
    if unknown:
        near = did_you_mean(unknown[0], _CONFIG_KEYS)
        raise SvstateError(
            f"WaiterConfig has the key {describe(unknown[0])}"
            + (f" (did you mean {near!r}?)" if near else "")
            + "; its keys are 'Delay' (seconds between attempts) and 'MaxAttempts'."
        )
    if "Delay" in config:
        delay_value = config["Delay"]
        if (
            isinstance(delay_value, bool)
            or not isinstance(delay_value, int | float)
            or not (0 < delay_value < math.inf)
        ):
            raise SvstateError(
                f"WaiterConfig['Delay'] is {what(delay_value)}; pass a positive, finite "
                "number of seconds to wait between attempts."
            )
        delay = float(delay_value)
    if "MaxAttempts" in config:
        attempts_value = config["MaxAttempts"]
        if (
            isinstance(attempts_value, bool)
            or not isinstance(attempts_value, int)
            or attempts_value < 1
        ):
            raise SvstateError(
                f"WaiterConfig['MaxAttempts'] is {what(attempts_value)}; pass an int of at "
                "least 1: how many times to describe the resource before giving up."
            )
        attempts = attempts_value
    return delay, attempts


def _fake_advance(client: Any) -> Callable[[float], object] | None:
    """The fake clock's ``advance`` when ``client`` is svstate's fake, else ``None``."""
    clock = getattr(getattr(client, "fake", None), "clock", None)
    advance = getattr(clock, "advance", None)
    return advance if callable(advance) else None


class Waiter:
    """A waiter on one resource of the chain, for one client; made by :func:`waiter`.

    ``name`` is the waiter's name, ``operation`` the describe operation it
    calls, ``delay`` and ``max_attempts`` its defaults (from the resource's
    declaration), which ``WaiterConfig`` overrides per call.

    >>> import svstate.boto
    >>> from svstate.testing import fake_personalize
    >>> w = svstate.boto.waiter(fake_personalize(), "campaign_active")
    >>> w
    <svstate.boto.Waiter 'campaign_active': DescribeCampaign every 30 s, at most 120 times>
    """

    __module__ = "svstate.boto"
    __slots__ = ("_client", "_describe", "delay", "max_attempts", "name", "operation", "resource")

    def __init__(self, client: Any, resource: Resource):
        assert resource.waiter is not None
        self.name: str = resource.waiter
        self.resource = resource
        self.operation: str = resource.describe
        self.delay: float = resource.waiter_delay
        self.max_attempts: int = resource.waiter_attempts
        self._client = client
        self._describe: Callable[..., Any] = getattr(client, snake_case(resource.describe))

    def __repr__(self) -> str:
        return (
            f"<svstate.boto.Waiter {self.name!r}: {self.operation} every {self.delay:g} s, "
            f"at most {self.max_attempts} times>"
        )

    def wait(self, *, WaiterConfig: object = None, **params: Any) -> Any:
        """Describe the resource until it is ACTIVE; fail at once when it never will be.

        :param WaiterConfig: ``None``, or a dict with ``Delay`` (seconds
            between attempts, a positive number) and/or ``MaxAttempts`` (an
            int, at least 1), as botocore's waiters take.
        :param params: the describe call's parameters, passed to it unchanged
            (``solutionVersionArn=...`` for ``solution_version_active``).
        :returns: the last describe response, the one showing ACTIVE
            (botocore's waiters return ``None``; this one returns the
            response so the caller need not describe again).
        :raises WaiterFailed: when a status shows it will never be ACTIVE
            (with its ``failureReason``), when the resource does not exist,
            and after ``MaxAttempts`` describes without success ("Max
            attempts exceeded"). It is a botocore ``WaiterError``.
        :raises SvstateError: for a bad ``WaiterConfig``.

        Other errors of the describe call (throttling, access denied,
        parameter validation) propagate unchanged. Between attempts it
        sleeps ``Delay`` seconds, except on :func:`svstate.testing.fake_personalize`,
        whose clock it advances instead.
        """
        delay, attempts = _config(WaiterConfig, self.delay, self.max_attempts)
        from botocore.exceptions import ClientError

        failed = waiter_failed_class()
        advance = _fake_advance(self._client)
        resource = self.resource
        response: Any = None
        reading: _Reading | None = None
        warned = False
        for attempt in range(1, attempts + 1):
            try:
                response = self._describe(**params)
            except ClientError as error:
                answer = getattr(error, "response", None) or {}
                code = answer.get("Error", {}).get("Code")
                if code != _NOT_FOUND:
                    raise
                message = answer.get("Error", {}).get("Message")
                reason = (
                    f"{_target(resource, params)} does not exist ({self.operation} answered "
                    f"{_NOT_FOUND}"
                    + (f": {describe(message)}" if message else "")
                    + "); check the ARN and the client's region, or create it first."
                )
                raise failed(self.name, reason, answer, status=None) from error
            reading = _Reading(resource, response)
            if reading.fate is _Fate.ACTIVE:
                return response
            if reading.fate is _Fate.NEVER:
                reason = _never_reason(resource, params, reading)
                raise failed(self.name, reason, response, status=_status_text(reading))
            if reading.fate is _Fate.UNKNOWN and not warned:
                warned = True
                LOGGER.warning(
                    "svstate waiter %s: %s shows %s, which svstate does not know; "
                    "it keeps waiting",
                    self.name,
                    _target(resource, params),
                    _last_state(resource, reading),
                )
            if attempt < attempts:
                if advance is not None:
                    advance(delay)
                else:
                    time.sleep(delay)
        reason = (
            f"Max attempts exceeded: {_target(resource, params)} was still "
            f"{_last_state(resource, reading)} after {attempts} attempt"
            f"{'s' if attempts != 1 else ''} {delay:g} seconds apart; pass "
            f"WaiterConfig={{'Delay': {delay:g}, 'MaxAttempts': {attempts * 2}}} to wait "
            "longer, or find out why it is slow."
        )
        raise failed(self.name, reason, response, status=_status_text(reading))


def _status_text(reading: _Reading | None) -> str | None:
    if reading is None or not isinstance(reading.status, str):
        return None
    return reading.status


def waiter(client: Any, name: str) -> Waiter:
    """A waiter for a resource of the training chain, named as botocore names waiters.

    :param client: a boto3 (or botocore) Personalize client: a real one, one
        under botocore's ``Stubber``, or :func:`svstate.testing.fake_personalize`
        (whose clock the waiter advances instead of sleeping).
    :param name: one of :data:`WAITER_NAMES`: ``dataset_group_active``,
        ``dataset_active``, ``dataset_import_job_active``, ``solution_active``,
        ``solution_version_active``, ``campaign_active``,
        ``batch_inference_job_active``.
    :returns: a :class:`Waiter`; ``.wait(**describe_params)`` waits.
    :raises SvstateError: for an unknown name (with the nearest legal one),
        or a client without the describe method (not a Personalize client).
    :raises TypeError: for an asynchronous client (aiobotocore, aioboto3),
        whose describe calls are coroutines this waiter cannot await.

    Unlike a waiter that only watches for ACTIVE, it stops at the first
    status from which the resource's lifecycle can no longer reach ACTIVE
    (CREATE FAILED, CREATE STOPPING, a deletion status), with the service's
    ``failureReason``, instead of polling until ``MaxAttempts``. On a
    campaign (or solution) it also waits for the latest update to be ACTIVE.

    >>> import svstate.boto
    >>> from svstate.testing import fake_personalize
    >>> client = fake_personalize()
    >>> arn = client.create_solution(name="movies", datasetGroupArn=
    ...     "arn:aws:personalize:us-east-1:123456789012:dataset-group/movies",
    ...     recipeArn="arn:aws:personalize:::recipe/aws-hrnn-coldstart")["solutionArn"]
    >>> response = svstate.boto.waiter(client, "solution_active").wait(solutionArn=arn)
    >>> response["solution"]["status"], client.fake.clock.seconds()
    ('ACTIVE', 5.0)

    A version whose training fails stops the wait at once, with the reason:

    >>> client.fake.fail_next_training("Dataset has fewer than 25 users.")
    >>> version = client.create_solution_version(solutionArn=arn)["solutionVersionArn"]
    >>> svstate.boto.waiter(client, "solution_version_active").wait(solutionVersionArn=version)
    Traceback (most recent call last):
    ...
    svstate.boto.WaiterFailed: Waiter solution_version_active failed: solution version arn:aws:personalize:us-east-1:123456789012:solution/movies/... is CREATE FAILED, so it will never be ACTIVE (failureReason: 'Dataset has fewer than 25 users.'); fix what the failure reason names and call CreateSolutionVersion again.
    """
    if is_async(client):
        raise TypeError(
            f"{describe(client)} is an asynchronous client (aiobotocore or aioboto3): its "
            "describe calls are coroutines, which svstate.boto.waiter cannot await. Pass a "
            "boto3 client, or poll with await client.describe_...() yourself."
        )
    resource = WAITERS.get(name) if isinstance(name, str) else None
    if resource is None:
        near = did_you_mean(name, WAITER_NAMES)
        raise SvstateError(
            f"{describe(name)} is not a waiter svstate knows"
            + (f"; did you mean {near!r}?" if near else ";")
            + f" The waiters are {', '.join(WAITER_NAMES)}."
        )
    method = snake_case(resource.describe)
    if not callable(getattr(client, method, None)):
        raise SvstateError(
            f"{describe(client)} has no {method} method, so it is not an Amazon Personalize "
            "client; pass boto3.client('personalize') or svstate.testing.fake_personalize()."
        )
    return Waiter(client, resource)


@functools.cache
def waiter_failed_class() -> type[WaiterFailed]:
    """The class :class:`WaiterFailed`, made on first use: it subclasses botocore's WaiterError."""
    from botocore.exceptions import WaiterError

    class WaiterFailed(SvstateError, WaiterError):  # type: ignore[misc]
        """What a svstate waiter raises: a botocore ``WaiterError`` that is a SvstateError.

        ``name`` is the waiter's name, ``reason`` the sentence saying what was
        found and what to do (it begins "Max attempts exceeded" when the
        attempts ran out, as botocore's does), ``last_response`` the last
        describe response (the error response for a missing resource), and
        ``status`` the last status the resource showed (``None`` if none).
        ``except botocore.exceptions.WaiterError`` catches it; it pickles as
        a ``WaiterFailed``.
        """

        def __init__(
            self,
            name: str,
            reason: str | None = None,
            last_response: Any = None,
            *,
            status: str | None = None,
        ):
            if reason is None:  # one message, as every svstate error can be built
                Exception.__init__(self, name)
                name, reason = "", name
                self.kwargs = {"name": name, "reason": reason, "last_response": last_response}
                self.last_response = last_response
            else:
                WaiterError.__init__(self, name=name, reason=reason, last_response=last_response)
            self.name = name
            self.reason = reason
            self.status = status

        def __reduce__(self) -> tuple[Any, ...]:
            return (restore, (waiter_failed_class(), self.args, dict(self.__dict__)))

    WaiterFailed.__module__ = "svstate.boto"
    WaiterFailed.__qualname__ = "WaiterFailed"
    return cast("type[_WaiterFailedType]", WaiterFailed)


if TYPE_CHECKING:

    class _WaiterFailedType(SvstateError):
        name: str
        reason: str
        last_response: Any
        status: str | None
        kwargs: dict[str, Any]

        def __init__(
            self,
            name: str,
            reason: str | None = None,
            last_response: Any = None,
            *,
            status: str | None = None,
        ): ...

    WaiterFailed = _WaiterFailedType


def __getattr__(name: str) -> object:
    if name == "WaiterFailed":  # made on first use: it subclasses botocore's WaiterError
        return waiter_failed_class()
    raise AttributeError(f"module 'svstate._waiters' has no attribute {name!r}")
