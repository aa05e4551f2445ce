"""``mock_personalize``: the fake answers every Personalize client a test's code creates.

Rules in this file:

* Only clients created while a mock is active are answered, and only those
  of Personalize: the patch is on ``botocore.session.Session.create_client``,
  which ``boto3.client``, ``boto3.Session(...).client`` and a botocore
  session's ``create_client`` all go through; every other service is passed
  through untouched, so moto's ``mock_aws`` (or real AWS) answers it.
  Clients created before the mock keep going where they went.
* A client created under a mock never reaches AWS: once its mock has ended,
  each call is an error that says so.
* One backend per region, all on the mock's one clock. A client created
  without a region, where none is configured, gets the mock's region; one
  created without credentials gets dummy ones (nothing is signed or sent).
* Time, unless ``time=False``: while the mock is active, ``time.sleep`` and
  ``asyncio.sleep`` advance the mock's clock and return at once, and
  ``time.time`` and ``time.monotonic`` run that much ahead. So a polling loop
  written for the real service does the same number of iterations, at once.
  Each call also takes ``latency`` seconds (0.1) on the clock, as a round
  trip does, so a loop that polls without sleeping still ends.
  ``time.perf_counter``, ``datetime.now`` and names bound before the mock
  (``from time import sleep``) are not patched.
* Mocks nest: the innermost active one answers clients created inside it
  and owns time. Each patch is undone when the last mock ends.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import functools
import inspect
import threading
import time as _time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from svstate._errors import SvstateError
from svstate._extras import missing
from svstate._rulesets import DEFAULT_RULESET
from svstate._text import describe
from svstate._tracker import Tracker
from svstate.testing._fake import FakeClock, FakePersonalize
from svstate.testing._fake_client import answer_with, new_backend

if TYPE_CHECKING:
    from mypy_boto3_personalize import PersonalizeClient

    from svstate.boto import Guard

__all__ = ["mock_personalize"]

F = TypeVar("F", bound=Callable[..., Any])

_LOCK = threading.RLock()
_ACTIVE: list[mock_personalize] = []
_SAVED: dict[str, Any] = {}
_REAL_SLEEP = _time.sleep
_REAL_TIME = _time.time
_REAL_MONOTONIC = _time.monotonic
_REAL_ASYNC_SLEEP = asyncio.sleep
#: Seconds each answered call takes on the mock's clock when time moves by itself: a
#: round trip to the service (50 to 200 ms is typical), so a loop that polls without
#: sleeping still sees time pass, as it would against the service.
_LATENCY = 0.1


def _current() -> mock_personalize | None:
    return _ACTIVE[-1] if _ACTIVE else None


def _timekeeper() -> mock_personalize | None:
    for mock in reversed(_ACTIVE):
        if mock.time:
            return mock
    return None


# -- the patches ---------------------------------------------------------------------------


def _create_client(original: Callable[..., Any]) -> Callable[..., Any]:
    signature = inspect.signature(original)

    @functools.wraps(original)
    def create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        mock = _current()
        bound = signature.bind(self, *args, **kwargs)
        if mock is None or bound.arguments.get("service_name") != "personalize":
            return original(self, *args, **kwargs)
        arguments = bound.arguments
        region = arguments.get("region_name") or self.get_config_variable("region")
        arguments["region_name"] = region = region or mock.region
        if arguments.get("aws_access_key_id") is None:
            arguments["aws_access_key_id"] = "testing"  # nothing is signed: no lookup of
            arguments["aws_secret_access_key"] = "testing"  # credentials, and no IMDS wait
        client = original(*bound.args, **bound.kwargs)
        answer_with(client, mock.fake_for(region), mock._before_call)
        if mock.guard is not None:
            from svstate.boto import attach

            mock.guards.append(attach(client, mock.tracker, mock.guard, unknown="refresh"))
        return client

    return create_client


def _sleep(seconds: float) -> None:
    mock = _timekeeper()
    if mock is None:
        _REAL_SLEEP(seconds)
        return
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as an integer")
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    mock.clock.advance(seconds)
    _REAL_SLEEP(0)  # let other threads run, as a real sleep would


def _now() -> float:
    mock = _timekeeper()
    return _REAL_TIME() + (mock._ahead() if mock is not None else 0.0)


def _monotonic() -> float:
    mock = _timekeeper()
    return _REAL_MONOTONIC() + (mock._ahead() if mock is not None else 0.0)


async def _async_sleep(delay: float, result: Any = None) -> Any:
    mock = _timekeeper()
    if mock is None:
        return await _REAL_ASYNC_SLEEP(delay, result)
    if delay > 0:
        mock.clock.advance(delay)
    return await _REAL_ASYNC_SLEEP(0, result)


def _install() -> None:
    import botocore.session

    original = botocore.session.Session.create_client
    _SAVED["create_client"] = original
    botocore.session.Session.create_client = _create_client(original)
    _SAVED["time"] = (_time.sleep, _time.time, _time.monotonic, asyncio.sleep)
    _time.sleep, _time.time, _time.monotonic = _sleep, _now, _monotonic  # type: ignore[assignment]
    asyncio.sleep = _async_sleep


def _uninstall() -> None:
    import botocore.session

    botocore.session.Session.create_client = _SAVED.pop("create_client")
    _time.sleep, _time.time, _time.monotonic, asyncio.sleep = _SAVED.pop("time")


# -- the mock ------------------------------------------------------------------------------


class mock_personalize:  # a context manager and decorator, named as moto's mock_aws is
    """Answer every boto3 Personalize client created inside with svstate's fake.

    A context manager and a decorator (of plain and ``async`` functions);
    the code under test stays as it is: it calls ``boto3.client
    ("personalize")`` and gets a real client whose calls the fake answers,
    refusing exactly what :func:`svstate.preflight` denies. Clients of
    other services are untouched, so moto's ``mock_aws`` answers S3, IAM
    and STS beside it. While the mock is active, ``time.sleep`` and
    ``asyncio.sleep`` advance its clock instead of waiting (``time=False``
    keeps real time; then advance :attr:`clock` yourself).

    :param ruleset: the API date the fake follows (``"latest"`` by default).
    :param clock: the :class:`FakeClock`; by default a new one that starts now.
    :param durations: overrides of the fake's :data:`DEFAULT_DURATIONS`.
    :param region: for a client created with no region configured.
    :param account: the account id in every ARN (moto's default, so the two agree).
    :param quota: versions in flight allowed per account and region (SV402).
    :param seed: where version ids come from: the same seed, the same ids.
    :param time: whether sleeping advances the clock (see above).
    :param latency: seconds each call takes on the clock (0.1 by default when
        ``time`` is on, 0 when it is off): a loop that polls without sleeping
        sees time pass, as it would against the service.
    :param guard: ``"enforce"`` or ``"monitor"``: attach :func:`svstate.boto.attach`'s
        guard (with ``unknown="refresh"``) to every Personalize client created
        inside, all sharing :attr:`tracker`; ``None`` (the default) attaches none.

    As a decorator, each call of the function gets a fresh mock (a fresh
    account), as each hypothesis example should; inside, the active mock is
    :meth:`mock_personalize.current`.

    >>> import boto3, time
    >>> from svstate.testing import mock_personalize
    >>> with mock_personalize() as mock:
    ...     client = boto3.client("personalize")
    ...     group = client.create_dataset_group(name="movies")["datasetGroupArn"]
    ...     while client.describe_dataset_group(datasetGroupArn=group)[
    ...             "datasetGroup"]["status"] != "ACTIVE":
    ...         time.sleep(10)  # advances the mock's clock: no real wait
    >>> group
    'arn:aws:personalize:us-east-1:123456789012:dataset-group/movies'
    >>> mock.clock.seconds() > 0, mock.fake.calls[-1][0]
    (True, 'DescribeDatasetGroup')
    """

    __module__ = "svstate.testing"

    def __init__(
        self,
        *,
        ruleset: object = DEFAULT_RULESET,
        clock: FakeClock | None = None,
        durations: Mapping[str, float] | None = None,
        region: str = "us-east-1",
        account: str = "123456789012",
        quota: int = 20,
        seed: int = 0,
        time: bool = True,
        guard: str | None = None,
        latency: float | None = None,
    ):
        if not isinstance(time, bool):
            raise SvstateError(f"time is {describe(time)}; pass True or False.")
        if guard not in (None, "enforce", "monitor"):
            raise SvstateError(
                f"guard is {describe(guard)}; pass None (no guard), 'enforce' or 'monitor'."
            )
        if latency is None:
            latency = _LATENCY if time else 0.0
        if (
            isinstance(latency, bool)
            or not isinstance(latency, int | float)
            or not 0 <= latency < float("inf")
        ):
            raise SvstateError(
                f"latency is {describe(latency)}; pass the seconds a call takes on the clock "
                f"(a number of at least 0; {_LATENCY} by default, 0 for none)."
            )
        self._options: dict[str, Any] = {
            "ruleset": ruleset,
            "clock": clock,
            "durations": durations,
            "region": region,
            "account": account,
            "quota": quota,
            "seed": seed,
            "time": time,
            "guard": guard,
            "latency": latency,
        }
        if clock is None:  # each mock (each decorated call) starts its own clock, now
            clock = FakeClock(_dt.datetime.now(_dt.UTC).replace(microsecond=0))
        self.region = region
        self.account = account
        self.time = time
        self.guard = guard
        self.latency = float(latency)
        self._tracker: Tracker | None = None
        # Every option is checked now, by building the first region's backend.
        first = new_backend(ruleset, clock, durations, region, account, quota, seed)
        self.clock: FakeClock = first.clock
        self._fakes: dict[str, FakePersonalize] = {region: first}
        self.guards: list[Guard] = []
        self._clock_at_entry = 0.0

    # -- what a test reaches for -----------------------------------------------------------

    @property
    def fake(self) -> FakePersonalize:
        """The backend of the mock's region: its state, calls and failure hooks."""
        return self._fakes[self.region]

    @property
    def tracker(self) -> Tracker:
        """The :class:`~svstate.Tracker` that every guarded client of this mock shares."""
        if self._tracker is None:
            self._tracker = Tracker(ruleset=self.fake.ruleset)
        return self._tracker

    def fake_for(self, region: str) -> FakePersonalize:
        """The backend of ``region`` (one per region, all on :attr:`clock`)."""
        with _LOCK:
            if region not in self._fakes:
                o = self._options
                self._fakes[region] = new_backend(
                    o["ruleset"],
                    self.clock,
                    o["durations"],
                    region,
                    self.account,
                    o["quota"],
                    o["seed"],
                )
            return self._fakes[region]

    def load(self, *sources: object, region: str | None = None) -> list[str]:
        """Seed the fake of ``region`` (the mock's by default) from saved describe/list JSON.

        See :meth:`FakePersonalize.load`; the mock's clock starts now, so the
        times of a real account are in its past, as they must be.
        """
        return self.fake_for(region or self.region).load(*sources)

    def client(self, region: str | None = None) -> PersonalizeClient:
        """A boto3 Personalize client answered by this mock (which must be active)."""
        if self not in _ACTIVE:
            raise SvstateError(
                "this mock_personalize is not active; call client() inside its with block "
                "or decorated function."
            )
        try:
            import boto3
        except ImportError as error:
            raise missing("boto3", "svstate.testing.mock_personalize", "testing") from error
        client: PersonalizeClient = boto3.client("personalize", region_name=region or self.region)
        return client

    @staticmethod
    def current() -> mock_personalize:
        """The innermost active mock; an error outside every mock."""
        mock = _current()
        if mock is None:
            raise SvstateError(
                "no mock_personalize is active; call current() inside a with block or a "
                "function decorated with it."
            )
        return mock

    # -- entering and leaving ----------------------------------------------------------------

    def __enter__(self) -> mock_personalize:
        with _LOCK:
            if self in _ACTIVE:
                raise SvstateError(
                    "this mock_personalize is already active; nest a new one instead."
                )
            if not _ACTIVE:
                try:
                    import botocore.session  # noqa: F401
                except ImportError as error:
                    raise missing(
                        "boto3", "svstate.testing.mock_personalize", "testing"
                    ) from error
                _install()
            _ACTIVE.append(self)
            self._clock_at_entry = self.clock.seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        with _LOCK:
            if self in _ACTIVE:
                _ACTIVE.remove(self)
            if not _ACTIVE and _SAVED:
                _uninstall()

    def __call__(self, func: F) -> F:
        """Decorate ``func``: each call runs under a fresh mock with these options."""
        if not callable(func):
            raise SvstateError(
                f"mock_personalize decorates a function, not {describe(func)}; or use it in a "
                "with block."
            )
        options = self._options

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with mock_personalize(**options):
                    return await func(*args, **kwargs)

            return run_async  # type: ignore[return-value]

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with mock_personalize(**options):
                return func(*args, **kwargs)

        return run  # type: ignore[return-value]

    # -- internals ---------------------------------------------------------------------------

    def _ahead(self) -> float:
        """How far the clock has moved since the mock was entered."""
        return self.clock.seconds() - self._clock_at_entry

    def _before_call(self) -> str | None:
        if self in _ACTIVE:
            if self.latency:
                self.clock.advance(self.latency)  # the round trip a real call takes
            return None
        return (
            "this Personalize client was created under svstate.testing.mock_personalize, "
            "which has ended, so it answers nothing and never reaches AWS; create clients "
            "inside the mock."
        )
