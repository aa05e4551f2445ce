"""The boto3 guard: pre-flight on every real Personalize call.

One line attaches it::

    guard = svstate.boto.attach(client)

From then on, before the client sends CreateSolutionVersion,
StopSolutionVersionCreation, CreateCampaign or DeleteSolution, the guard asks
its :class:`~svstate.Tracker`; a DENY raises :class:`~svstate.PreflightDenied`
(``mode="enforce"``) or logs a warning (``mode="monitor"``). Every response
the client receives, errors included, is fed back to the tracker, so its
picture of the world stays current.

How it hooks in (botocore's event system; nothing is monkey-patched):

* ``provide-client-params.personalize.*``: the veto. It runs before botocore
  builds the request, so a vetoed call is never sent, and it runs under
  botocore's ``Stubber`` too (``before-call`` handlers do not).
* ``after-call.personalize.*`` (successes and error responses) and
  ``after-call-error.personalize.*`` (the call failed to complete):
  observation.

Handlers are registered with a ``unique_id``, so attaching twice is harmless:
the second ``attach`` returns the guard already attached. Attaching to a
boto3 (or botocore) session guards every Personalize client created from it
afterwards. Operations svstate does not model pass through untouched.

What a denial raises: a :class:`GuardDenied`, which is at once a
:class:`~svstate.PreflightDenied` (with ``.verdict``) and a botocore
``ClientError`` whose ``response["Error"]["Code"]`` is the service error the
first error finding predicts, and, when the client models that error, an
instance of ``client.exceptions.<Code>`` too: code written for the service
(``except ClientError``, ``except client.exceptions.ResourceInUseException``)
handles it unchanged.

Asynchronous clients (aiobotocore, aioboto3) are guarded the same way:
their event system awaits the guard's handlers, and ``unknown="refresh"``
fetches through the client with ``await``. A shared store's round trips
(:mod:`svstate.stores`) are made from the handler as they are on a boto3
client: short blocking calls, bounded by the store's ``timeout``.

Single flight (``single_flight=True``): before a CreateSolutionVersion is
sent, the guard takes the solution's lease in the tracker's store; a worker
that finds it held gets a DENY (SV403) naming the holder, and while single
flight is on a version of the solution already in flight is a DENY too
(SV401 as an error). The lease is given back when the call is answered or
fails, and lapses after ``lease_ttl`` seconds if its holder dies.

Waiters: ``svstate.boto.waiter(client, "solution_version_active").wait(
solutionVersionArn=arn)`` waits until a resource of the training chain is
ACTIVE, as botocore's waiters do, and stops at once, with the service's
``failureReason``, when its lifecycle says it never will be (CREATE FAILED,
a stopped version, a deletion status); a campaign's also waits for its latest
UpdateCampaign. Their names (:data:`WAITER_NAMES`) come from the resource
declarations. A failed wait raises :class:`WaiterFailed`, a botocore
``WaiterError``. On :func:`svstate.testing.fake_personalize` a waiter
advances the fake's clock instead of sleeping.

Needs ``boto3`` or ``botocore`` only in the sense that it guards their
clients: this module imports neither until a denial is raised or a waiter
waits.
"""

from __future__ import annotations

import collections
import datetime as _dt
import functools
import json
import logging
import os
import socket
import threading
import uuid
import weakref
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import attrs

from svstate._catalogue import CHAIN_OPS
from svstate._clients import is_async as _is_async
from svstate._clients import restore as _restore
from svstate._errors import SvstateError
from svstate._preflight import OPERATIONS, preflight
from svstate._rules import target_of
from svstate._text import describe
from svstate._tracker import Tracker
from svstate._verdict import PreflightDenied, Verdict, conclude
from svstate._vocab import Decision, Severity
from svstate._waiters import WAITER_NAMES, Waiter, waiter, waiter_failed_class

__all__ = ["WAITER_NAMES", "Guard", "GuardDenied", "Waiter", "WaiterFailed", "attach", "waiter"]

LOGGER = logging.getLogger("svstate.boto")
MODES = ("enforce", "monitor")
UNKNOWN_POLICIES = ("allow", "deny", "refresh")
_PARAMS_KEY = "svstate.params"
_LEASE_KEY = "svstate.lease"
_Calls = list[tuple[str, bool, dict[str, str]]]
_SERVICE = "personalize"
_CHECKED = frozenset(OPERATIONS)
_ALLOW = Decision.ALLOW
_GUARDS: weakref.WeakKeyDictionary[Any, Guard] = weakref.WeakKeyDictionary()
_GUARDS_LOCK = threading.Lock()


class Guard:
    """A guard attached to a Personalize client (or to a session's future clients).

    ``tracker`` is the :class:`~svstate.Tracker` it asks and feeds; ``mode``
    is ``"enforce"`` or ``"monitor"``; ``unknown`` says what to do when the
    tracker has not seen enough: ``"allow"``, ``"deny"`` or ``"refresh"``
    (fetch DescribeSolution and every page of ListSolutionVersions, and for
    DeleteSolution ListCampaigns, through the same client, then decide).
    ``last_verdict`` is the verdict of the most recent guarded call;
    ``denials`` holds ``(operation, verdict)`` for each call the guard refused
    (enforce) or would have refused (monitor), the latest 1,000, oldest first:
    the audit a test asserts is empty when code that swallows errors runs
    under the guard.
    """

    def __init__(
        self,
        tracker: Tracker,
        mode: str,
        unknown: str,
        record: Any = None,
        redact: bool = True,
        single_flight: bool = False,
        lease_ttl: float = 60.0,
        worker: str | None = None,
    ):
        self.tracker = tracker
        self.single_flight = single_flight
        self.lease_ttl = lease_ttl
        self.worker = worker if worker is not None else f"{socket.gethostname()}:{os.getpid()}"
        self.mode = mode
        self.unknown = unknown
        self.redact = redact
        self._record = (
            None
            if record is None
            else open(  # noqa: SIM115 - closed by detach()
                record, "a", encoding="utf-8", buffering=1
            )
        )
        self._record_lock = threading.Lock()
        self.last_verdict: Verdict | None = None
        self.denials: collections.deque[tuple[str, Verdict]] = collections.deque(maxlen=1000)
        # Held weakly: a guard on a long-lived session must not keep its clients alive.
        self._clients: weakref.WeakSet[Any] = weakref.WeakSet()
        self._session: tuple[weakref.ref[Any], Any] | None = None  # (session, its emitter)
        self._attached = True

    @property
    def attached(self) -> bool:
        """Whether the guard still guards anything."""
        return self._attached

    def detach(self) -> None:
        """Stop guarding: unregister every handler this guard registered.

        Clients created from a session before ``detach`` keep nothing of the
        guard either: their handlers are unregistered too.
        """
        with _GUARDS_LOCK:
            for client in list(self._clients):
                for event, key in self._client_events(client):
                    client.meta.events.unregister(event, unique_id=key)
                if _GUARDS.get(client) is self:
                    del _GUARDS[client]
            self._clients = weakref.WeakSet()
            if self._session is not None:
                session_ref, emitter = self._session
                emitter.unregister(
                    f"creating-client-class.{_SERVICE}", unique_id=self._key("session")
                )
                session = session_ref()
                if session is not None and _GUARDS.get(session) is self:
                    del _GUARDS[session]
                self._session = None
            self._attached = False
            if self._record is not None:
                self._record.close()
                self._record = None

    # -- the handlers -------------------------------------------------------------------

    def _before(
        self, client_ref: Any, params: Any = None, model: Any = None, context: Any = None, **_: Any
    ) -> None:
        """The veto; ``client_ref`` is a weak reference to the guarded client."""
        operation = model.name
        if type(context) is dict:
            context[_PARAMS_KEY] = params  # for the observation after the call
        if operation not in _CHECKED:
            return  # svstate does not model it: no work
        try:
            verdict = self.tracker.preflight(operation, params)
            if verdict.decision is _ALLOW and not self.single_flight:
                self.last_verdict = verdict  # the common case, decided at once
                return
            steps = self._decide(operation, params, verdict)
            try:
                while True:
                    _fetch(client_ref(), next(steps))
            except StopIteration as done:
                self._conclude(client_ref, operation, params, done.value, context)
        except Exception as error:
            self._failed(operation, error)
        return  # a non-None return would replace the call's params

    async def _abefore(
        self, client_ref: Any, params: Any = None, model: Any = None, context: Any = None, **_: Any
    ) -> None:
        """The veto of an asynchronous client: the same steps, its fetches awaited."""
        operation = model.name
        if type(context) is dict:
            context[_PARAMS_KEY] = params
        if operation not in _CHECKED:
            return
        try:
            steps = self._decide(operation, params, self.tracker.preflight(operation, params))
            try:
                while True:
                    await _afetch(client_ref(), next(steps))
            except StopIteration as done:
                self._conclude(client_ref, operation, params, done.value, context)
        except Exception as error:
            self._failed(operation, error)

    def _failed(self, operation: str, error: Exception) -> None:
        if isinstance(error, PreflightDenied):
            raise error
        # svstate itself failed: never break the call silently
        if self.mode == "monitor":
            LOGGER.error(
                "svstate failed while checking %s; the call proceeds", operation, exc_info=error
            )
            return
        raise SvstateError(
            f"svstate failed internally while checking {operation} "
            f"({type(error).__name__}: {error}); the call was not sent. Report this, or "
            "attach with mode='monitor' to let calls through when svstate fails."
        ) from error

    def _decide(
        self, operation: str, params: Any, verdict: Verdict
    ) -> Generator[_Calls, None, Verdict]:
        """The verdict, from the tracker's first one (``verdict``), yielding each batch of
        calls to make through the client first (``unknown="refresh"``): one place for
        the logic, driven sync or async."""
        if verdict.decision is _ALLOW or self.unknown != "refresh":
            return verdict
        if verdict.decision is Decision.UNKNOWN:
            yield from self._refresh(operation, params, verdict.missing)
            verdict = self.tracker.preflight(operation, params)
        elif verdict.decision is Decision.DENY:
            # What the tracker saw may be old: a dataset group CREATE PENDING then may
            # be ACTIVE now, an event tracker DELETE PENDING gone. A denial that rests
            # on facts (the request alone passes) is decided again on fresh ones.
            alone = preflight(operation, params, ruleset=self.tracker.ruleset)
            if alone.decision is not Decision.DENY:
                yield from self._refresh(operation, params, alone.missing)
                verdict = self.tracker.preflight(operation, params)
        return verdict

    def _conclude(
        self, client_ref: Any, operation: str, params: Any, verdict: Verdict, context: Any
    ) -> None:
        if self.single_flight and operation == "CreateSolutionVersion":
            verdict = self._single_flight(params, verdict, context)
        if verdict.decision is _ALLOW:
            self.last_verdict = verdict
            return
        self.last_verdict = verdict
        if verdict.decision is Decision.DENY or (
            verdict.decision is Decision.UNKNOWN and self.unknown == "deny"
        ):
            self.denials.append((operation, verdict))
            if self.mode == "enforce":
                raise denial(verdict, operation, client_ref())
            LOGGER.warning("svstate would refuse this call: %s", verdict)
        elif verdict.decision is Decision.UNKNOWN:
            LOGGER.debug("svstate lets an UNKNOWN call through: %s", verdict)

    def _single_flight(self, params: Any, verdict: Verdict, context: Any) -> Verdict:
        """With single flight: a version in flight denies (SV401 as an error); else the
        solution's lease is taken, and kept in ``context`` until the answer."""
        if verdict.decision is Decision.DENY:
            return verdict
        findings = [
            attrs.evolve(f, severity=Severity.ERROR, error_code="ResourceInUseException")
            if f.rule == "SV401"
            else f
            for f in verdict.findings
        ]
        if any(f.rule == "SV401" for f in findings):
            return conclude(findings, verdict.missing, verdict.ruleset, verdict.operation)
        solution = params.get("solutionArn") if isinstance(params, dict) else None
        if not isinstance(solution, str):
            return verdict
        holder = f"{self.worker}#{uuid.uuid4().hex[:12]}"
        leased = self.tracker.acquire(solution, holder, ttl=self.lease_ttl)
        if leased.decision is _ALLOW:
            if type(context) is dict:
                context[_LEASE_KEY] = (solution, holder)
            return verdict
        taken = leased.findings
        if leased.decision is Decision.UNKNOWN and self.unknown != "allow":
            # No lease, no single flight: refused, unless the caller chose to allow UNKNOWN.
            taken = tuple(attrs.evolve(f, severity=Severity.ERROR) for f in taken)
        return conclude(
            [*findings, *taken],
            [*verdict.missing, *leased.missing],
            verdict.ruleset,
            verdict.operation,
        )

    def _give_back(self, context: Any) -> None:
        lease = context.pop(_LEASE_KEY, None) if isinstance(context, dict) else None
        if lease is not None:
            try:
                self.tracker.release(*lease)
            except Exception:  # it lapses by itself
                LOGGER.warning("svstate could not release the lease of %s", lease[0])

    def _after(self, parsed: Any, model: Any, context: Any, **_: Any) -> None:
        # The call has happened: nothing here may raise into the user's code.
        try:
            params = context.get(_PARAMS_KEY) if isinstance(context, dict) else None
            verdict = self.tracker.observe(model.name, params, parsed)
            if verdict.findings:
                LOGGER.info("svstate observed %s: %s", model.name, verdict)
            if self._record is not None:
                self._write(model.name, params, parsed)
        except Exception:
            LOGGER.exception("svstate failed while observing %s", getattr(model, "name", model))
        finally:
            if type(context) is dict and _LEASE_KEY in context:
                self._give_back(context)  # after the observation: racers see the version

    def _write(self, operation: str, params: Any, parsed: Any) -> None:
        """Append one call to the trace, in the JSON Lines form svstate.replay reads."""
        event: dict[str, Any] = {
            "time": _dt.datetime.now(_dt.UTC).isoformat(),
            "operation": operation,
            "params": params if isinstance(params, dict) else {},
        }
        body = {k: v for k, v in (parsed or {}).items() if k != "ResponseMetadata"}
        if "Error" in body:
            event["error"] = body["Error"]
        else:
            event["response"] = body
        if self.redact:
            event = _redacted(event)
        line = json.dumps(event, default=_json_default, sort_keys=True)
        with self._record_lock:
            assert self._record is not None
            self._record.write(line + "\n")

    def _after_error(self, exception: Any, context: Any, model: Any = None, **_: Any) -> None:
        # The call did not complete (a connection error, say): nothing happened to observe.
        LOGGER.debug("svstate saw a call fail before a response: %r", exception)
        self._give_back(context)

    def _refresh(
        self, operation: str, params: Any, missing: tuple[str, ...] = ()
    ) -> Generator[_Calls, None, None]:
        """The calls that fetch the facts the tracker lacks, through the client (and so
        its observers), yielded batch by batch."""
        if operation in CHAIN_OPS:
            # Rounds: one answer can say where the next fact is (DescribeDataset names the
            # group whose solutions DeleteDataset needs). Each call is made at most once.
            done: list[tuple[str, bool, dict[str, str]]] = []
            for _round in range(3):
                calls = self.tracker._refresh_calls(operation, params, missing)
                calls = [c for c in calls if c not in done]
                if not calls:
                    return
                done += calls
                yield calls
                verdict = self.tracker.preflight(operation, params)
                if verdict.decision is not Decision.UNKNOWN:
                    return
                missing = verdict.missing
            return
        _, _, solution_arn = target_of(operation, params if isinstance(params, dict) else {})
        if solution_arn is None:
            return
        kwargs = {"solutionArn": solution_arn}
        calls = [("describe_solution", False, kwargs), ("list_solution_versions", True, kwargs)]
        if operation == "DeleteSolution":
            calls.append(("list_campaigns", True, kwargs))
        yield calls

    # -- wiring -------------------------------------------------------------------------

    def _key(self, what: str) -> str:
        return f"svstate.{what}.{id(self)}"

    def _client_events(self, client: Any) -> list[tuple[str, str]]:
        return [
            (f"provide-client-params.{_SERVICE}", self._key(f"before.{id(client)}")),
            (f"after-call.{_SERVICE}", self._key(f"after.{id(client)}")),
            (f"after-call-error.{_SERVICE}", self._key(f"error.{id(client)}")),
        ]

    def _guard_client(self, client: Any) -> None:
        client_ref = weakref.ref(client)

        # One bound method with the client's reference bound in: no frame of its own.
        before = functools.partial(
            self._abefore if _is_async(client) else self._before, client_ref
        )
        handlers = (before, self._after, self._after_error)
        for (event, key), handler in zip(self._client_events(client), handlers, strict=True):
            client.meta.events.register(event, handler, unique_id=key)
        _GUARDS[client] = self
        self._clients.add(client)

    def _guard_session(self, session: Any, emitter: Any) -> None:
        guard = self

        class SvstateGuarded:
            """Mixed into the Personalize client classes the session creates."""

            def __init__(self, *args: Any, **kwargs: Any):
                super().__init__(*args, **kwargs)
                if guard.attached:
                    with _GUARDS_LOCK:
                        guard._guard_client(self)

        def creating(base_classes: list[type], **_: Any) -> None:
            base_classes.insert(0, SvstateGuarded)

        emitter.register(
            f"creating-client-class.{_SERVICE}", creating, unique_id=self._key("session")
        )
        _GUARDS[session] = self
        self._session = (weakref.ref(session), emitter)


def attach(
    client_or_session: Any,
    tracker: Tracker | None = None,
    mode: str = "enforce",
    *,
    unknown: str = "allow",
    record: str | os.PathLike[str] | None = None,
    redact: bool = True,
    single_flight: bool = False,
    lease_ttl: float = 60.0,
    worker: str | None = None,
) -> Guard:
    """Guard a boto3 Personalize client, or every one a session creates from now on.

    :param client_or_session: ``boto3.client("personalize")``, a
        ``boto3.Session`` or a botocore session.
    :param tracker: the :class:`~svstate.Tracker` to ask and feed; a new one
        (default ruleset) if ``None``.
    :param mode: ``"enforce"`` raises :class:`~svstate.PreflightDenied` on
        DENY, before anything is sent; ``"monitor"`` logs a warning on the
        ``svstate.boto`` logger and lets the call through.
    :param unknown: on UNKNOWN, ``"allow"`` (the default) lets the call
        through, ``"deny"`` treats it as DENY, ``"refresh"`` fetches the
        missing facts through the client first; with ``"refresh"``, a DENY
        that rests on what the tracker saw earlier (the request alone
        passes) is also decided again on freshly fetched facts, since a
        status seen then (CREATE PENDING, DELETE PENDING) may have moved on.
    :param record: a path: every call the client makes is appended to it as
        a JSON line that :func:`svstate.replay` reads (an audit trace).
    :param redact: with ``record``, replace tags, failure reasons and error
        messages (free text that may hold personal data) by ``"<redacted>"``.
    :param single_flight: take the solution's lease in the tracker's store
        before each CreateSolutionVersion, so that across every worker
        sharing the store at most one is between its pre-flight and the
        service's answer: another holder is a DENY (SV403), and so is a
        version of the solution already in flight (SV401 as an error).
    :param lease_ttl: seconds after which a lease lapses if its holder never
        gives it back (a worker killed mid-call).
    :param worker: this worker's name in a lease (``host:pid`` if ``None``).
    :returns: the :class:`Guard`; ``guard.detach()`` undoes it. Attaching to
        something already guarded returns the guard already there.
    :raises SvstateError: for a client of another service, something that is
        neither a client nor a session, or a bad ``mode``/``unknown``.

    In ``"enforce"`` mode a denied call raises :class:`GuardDenied`: a
    :class:`~svstate.PreflightDenied` and a botocore ``ClientError`` (and the
    client's own ``client.exceptions.<Code>`` when it models the predicted
    error), so the pipeline's error handling sees what the service would
    have answered, before anything is sent.
    """
    if mode not in MODES:
        raise SvstateError(f"mode {describe(mode)} is not one of {', '.join(MODES)}.")
    if unknown not in UNKNOWN_POLICIES:
        raise SvstateError(
            f"unknown {describe(unknown)} is not one of {', '.join(UNKNOWN_POLICIES)}."
        )
    if tracker is not None and not isinstance(tracker, Tracker):
        raise SvstateError(f"tracker is {describe(tracker)}; pass a svstate.Tracker or None.")
    if not isinstance(single_flight, bool):
        raise SvstateError(f"single_flight is {describe(single_flight)}; pass True or False.")
    if (
        isinstance(lease_ttl, bool)
        or not isinstance(lease_ttl, int | float)
        or not 0 < lease_ttl < 86_400
    ):
        raise SvstateError(
            f"lease_ttl is {describe(lease_ttl)}; pass seconds, more than 0 and less than a "
            "day (longer than a CreateSolutionVersion call takes to be answered)."
        )
    if worker is not None and (not isinstance(worker, str) or not worker or "\n" in worker):
        raise SvstateError(
            f"worker is {describe(worker)}; pass a name on one line, or None for host:pid."
        )
    with _GUARDS_LOCK:
        try:
            existing = _GUARDS.get(client_or_session)
        except TypeError:  # not weak-referenceable: certainly not a client or session
            existing = None
        if existing is not None and existing.attached:
            asked = (tracker if tracker is not None else existing.tracker, mode, unknown)
            if asked != (existing.tracker, existing.mode, existing.unknown):
                raise SvstateError(
                    f"{describe(client_or_session)} is already guarded with mode="
                    f"{existing.mode!r}, unknown={existing.unknown!r} and another tracker or "
                    "other options; detach that guard first, or attach with the same options."
                )
            return existing
        if record is not None and not isinstance(record, str | os.PathLike):
            raise SvstateError(f"record is {describe(record)}; pass a file path or None.")
        guard = Guard(
            tracker if tracker is not None else Tracker(),
            mode,
            unknown,
            record,
            bool(redact),
            single_flight,
            float(lease_ttl),
            worker,
        )
        meta = getattr(client_or_session, "meta", None)
        if meta is not None and hasattr(meta, "events") and hasattr(meta, "service_model"):
            service = meta.service_model.service_id.hyphenize()
            if service != _SERVICE:
                raise SvstateError(
                    f"the client is for {service!r}, not 'personalize'; attach svstate to "
                    "boto3.client('personalize')."
                )
            guard._guard_client(client_or_session)
            return guard
        emitter = _session_emitter(client_or_session)
        if emitter is None:
            raise SvstateError(
                f"{describe(client_or_session)} is neither a boto3 client nor a session; pass "
                "boto3.client('personalize') or a boto3.Session."
            )
        guard._guard_session(client_or_session, emitter)
        return guard


_REDACTED = "<redacted>"
_FREE_TEXT = frozenset({"failureReason", "Message", "tagValue", "tagKey"})


async def _afetch(client: Any, calls: _Calls) -> None:
    """:func:`_fetch` through an asynchronous client."""
    for method, paginated, kwargs in calls:
        try:
            if paginated:
                async for _page in client.get_paginator(method).paginate(**kwargs):
                    pass
            else:
                await getattr(client, method)(**kwargs)
        except Exception as error:  # the observers saw it; decide with what is known
            LOGGER.debug("svstate refresh %s failed: %r", method, error)


def _fetch(client: Any, calls: list[tuple[str, bool, dict[str, str]]]) -> None:
    """Make each ``(method, paginated, kwargs)`` call through the client (and so its
    observers); a failure is logged and skipped: the verdict is made with what is known."""
    for method, paginated, kwargs in calls:
        try:
            if paginated:
                for _page in client.get_paginator(method).paginate(**kwargs):
                    pass
            else:
                getattr(client, method)(**kwargs)
        except Exception as error:  # the observers saw it; decide with what is known
            LOGGER.debug("svstate refresh %s failed: %r", method, error)


def _redacted(value: Any) -> Any:
    """``value`` with free-text members (tags, failure reasons, messages) replaced."""
    if isinstance(value, dict):
        return {k: _REDACTED if k in _FREE_TEXT else _redacted(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(v) for v in value]
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    return str(value)


def _session_emitter(session: Any) -> Any:
    events = getattr(session, "events", None)  # boto3.Session
    if events is not None and hasattr(events, "register"):
        return events
    get_component = getattr(session, "get_component", None)  # botocore.session.Session
    if callable(get_component):
        try:
            return get_component("event_emitter")
        except Exception:
            return None
    return None


# -- what a denial raises --------------------------------------------------------------------

# Findings that predict no service error (or only botocore's client-side one) leave the code
# to the next finding; when none predicts one, the code says plainly that svstate refused.
_NOT_A_SERVICE_CODE = (None, "ParamValidationError")
DENIED_CODE = "SvstatePreflightDenied"


def predicted_code(verdict: Verdict | None) -> str:
    """The service error a denied call would have met: the first error finding's code.

    Client-side ``ParamValidationError`` counts only when no finding predicts
    a service error; ``SvstatePreflightDenied`` when none predicts anything
    (an UNKNOWN call denied by ``unknown="deny"``, say).
    """
    if verdict is None:
        return DENIED_CODE
    codes = [f.error_code for f in verdict.errors]
    for code in codes:
        if code not in _NOT_A_SERVICE_CODE:
            assert code is not None
            return code
    return "ParamValidationError" if "ParamValidationError" in codes else DENIED_CODE


def service_message(verdict: Verdict) -> str:
    """The ``Error.Message`` of a denial: every error finding's rule, message and hint."""
    if verdict.errors:
        parts = [
            f"{f.rule} {f.message}" + (f" Hint: {f.hint}" if f.hint else "")
            for f in verdict.errors
        ]
        return "svstate refused the call before sending it: " + " | ".join(parts)
    return (
        "svstate refused the call before sending it: it cannot tell whether the call is "
        f"legal (missing: {', '.join(verdict.missing) or 'facts'}), and the guard denies "
        "such calls (unknown='deny')."
    )


@functools.cache
def _guard_denied_class() -> type[PreflightDenied]:
    from botocore.exceptions import ClientError

    class GuardDenied(PreflightDenied, ClientError):  # type: ignore[misc]
        """What the guard raises on a denied call: a PreflightDenied that is a ClientError.

        ``verdict`` is the :class:`~svstate.Verdict`; ``response`` and
        ``operation_name`` are those of a ``ClientError``:
        ``response["Error"]["Code"]`` is the service error the first error
        finding predicts (:func:`predicted_code`), ``["Message"]`` carries
        every error finding's rule id, message and hint. Built from a
        message alone, as any exception, it has no verdict and the code
        ``SvstatePreflightDenied``. It pickles and deep-copies as a
        ``GuardDenied`` (the per-client ``client.exceptions.<Code>`` class
        it also belongs to when raised stays behind, as botocore's own
        errors do).

        >>> import pickle, svstate.boto
        >>> e = svstate.boto.GuardDenied("no.", "CreateSolutionVersion")
        >>> e.response["Error"]["Code"], str(pickle.loads(pickle.dumps(e)))
        ('SvstatePreflightDenied', 'An error occurred (SvstatePreflightDenied) when calling the CreateSolutionVersion operation: no.')
        """

        def __init__(
            self, denied: Verdict | str, operation_name: str = "", code: str | None = None
        ):
            PreflightDenied.__init__(self, denied)
            verdict = self.verdict
            code = code if code is not None else predicted_code(verdict)
            message = service_message(verdict) if verdict is not None else str(denied)
            self.response: dict[str, Any] = {
                "Error": {"Code": code, "Message": message},
                "ResponseMetadata": {"HTTPStatusCode": 400, "HTTPHeaders": {}, "RetryAttempts": 0},
            }
            self.operation_name = operation_name
            if operation_name:  # what a ClientError from the service would say
                message = self.MSG_TEMPLATE.format(
                    error_code=code,
                    error_message=message,
                    operation_name=operation_name,
                    retry_info="",
                )
            self.args = (message,)

        def __reduce__(self) -> tuple[Any, ...]:
            return (_restore, (_guard_denied_class(), self.args, dict(self.__dict__)))

    GuardDenied.__module__ = "svstate.boto"
    GuardDenied.__qualname__ = "GuardDenied"
    return GuardDenied


_MODELED: weakref.WeakKeyDictionary[type, type] = weakref.WeakKeyDictionary()


def denial(verdict: Verdict, operation: str, client: Any = None) -> PreflightDenied:
    """The error the guard raises for ``verdict``: a :class:`GuardDenied`, and an instance
    of ``client.exceptions.<Code>`` too when the client models the predicted code."""
    base = _guard_denied_class()
    code = predicted_code(verdict)
    kind: Any = base
    modeled = None
    try:
        modeled = client.exceptions.from_code(code) if client is not None else None
    except Exception:  # a client without modeled exceptions: the base class serves
        modeled = None
    if isinstance(modeled, type) and modeled.__name__ == code:
        with _GUARDS_LOCK:
            kind = _MODELED.get(modeled) or _MODELED.setdefault(
                modeled,
                type(
                    "GuardDenied",
                    (base, modeled),
                    {"__module__": "svstate.boto", "__qualname__": "GuardDenied"},
                ),
            )
    error: PreflightDenied = kind(verdict, operation, code)
    return error


def __getattr__(name: str) -> object:
    if name == "GuardDenied":  # made on first use: it subclasses botocore's ClientError
        return _guard_denied_class()
    if name == "WaiterFailed":  # made on first use: it subclasses botocore's WaiterError
        return waiter_failed_class()
    raise AttributeError(f"module 'svstate.boto' has no attribute {name!r}")


if TYPE_CHECKING:
    from svstate._waiters import WaiterFailed

    GuardDenied = PreflightDenied
