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

Needs ``boto3`` or ``botocore`` only in the sense that it guards their
clients: this module imports neither.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import threading
import weakref
from typing import Any

from svstate._errors import PreflightDenied, SvstateError
from svstate._preflight import OPERATIONS
from svstate._rules import target_of
from svstate._text import describe
from svstate._tracker import Tracker
from svstate._verdict import Verdict
from svstate._vocab import Decision

__all__ = ["Guard", "attach"]

LOGGER = logging.getLogger("svstate.boto")
MODES = ("enforce", "monitor")
UNKNOWN_POLICIES = ("allow", "deny", "refresh")
_PARAMS_KEY = "svstate.params"
_SERVICE = "personalize"
_GUARDS: weakref.WeakKeyDictionary[Any, Guard] = weakref.WeakKeyDictionary()
_GUARDS_LOCK = threading.Lock()


class Guard:
    """A guard attached to a Personalize client (or to a session's future clients).

    ``tracker`` is the :class:`~svstate.Tracker` it asks and feeds; ``mode``
    is ``"enforce"`` or ``"monitor"``; ``unknown`` says what to do when the
    tracker has not seen enough: ``"allow"``, ``"deny"`` or ``"refresh"``
    (fetch DescribeSolution and every page of ListSolutionVersions, and for
    DeleteSolution ListCampaigns, through the same client, then decide).
    ``last_verdict`` is the verdict of the most recent guarded call.
    """

    def __init__(
        self, tracker: Tracker, mode: str, unknown: str, record: Any = None, redact: bool = True
    ):
        self.tracker = tracker
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

    def _before(self, client: Any, params: Any, model: Any, context: Any, **_: Any) -> None:
        try:
            self._check(client, params, model, context)
        except PreflightDenied:
            raise
        except Exception as error:  # svstate itself failed: never break the call silently
            if self.mode == "monitor":
                LOGGER.exception(
                    "svstate failed while checking %s; the call proceeds",
                    getattr(model, "name", model),
                )
                return
            raise SvstateError(
                f"svstate failed internally while checking {getattr(model, 'name', model)} "
                f"({type(error).__name__}: {error}); the call was not sent. Report this, or "
                "attach with mode='monitor' to let calls through when svstate fails."
            ) from error
        return  # a non-None return would replace the call's params

    def _check(self, client: Any, params: Any, model: Any, context: Any) -> None:
        operation = model.name
        if isinstance(context, dict):
            context[_PARAMS_KEY] = params  # for the observation after the call
        if operation not in OPERATIONS:
            return
        verdict = self.tracker.preflight(operation, params)
        if verdict.decision is Decision.UNKNOWN and self.unknown == "refresh":
            self._refresh(client, operation, params)
            verdict = self.tracker.preflight(operation, params)
        self.last_verdict = verdict
        if verdict.decision is Decision.DENY or (
            verdict.decision is Decision.UNKNOWN and self.unknown == "deny"
        ):
            if self.mode == "enforce":
                raise PreflightDenied(verdict)
            LOGGER.warning("svstate would refuse this call: %s", verdict)
        elif verdict.decision is Decision.UNKNOWN:
            LOGGER.debug("svstate lets an UNKNOWN call through: %s", verdict)
        return  # a non-None return would replace the call's params

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

    def _refresh(self, client: Any, operation: str, params: Any) -> None:
        """Fetch the facts the tracker lacks, through the client (and so its observers)."""
        _, _, solution_arn = target_of(operation, params if isinstance(params, dict) else {})
        if solution_arn is None:
            return
        calls: list[tuple[str, bool]] = [
            ("describe_solution", False),
            ("list_solution_versions", True),
        ]
        if operation == "DeleteSolution":
            calls.append(("list_campaigns", True))
        for method, paginated in calls:
            try:
                if paginated:
                    for _page in client.get_paginator(method).paginate(solutionArn=solution_arn):
                        pass
                else:
                    getattr(client, method)(solutionArn=solution_arn)
            except Exception as error:  # the observers saw it; decide with what is known
                LOGGER.debug("svstate refresh %s failed: %r", method, error)

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

        def before(**kwargs: Any) -> None:
            return self._before(client_ref(), **kwargs)

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
        missing facts through the client first.
    :param record: a path: every call the client makes is appended to it as
        a JSON line that :func:`svstate.replay` reads (an audit trace).
    :param redact: with ``record``, replace tags, failure reasons and error
        messages (free text that may hold personal data) by ``"<redacted>"``.
    :returns: the :class:`Guard`; ``guard.detach()`` undoes it. Attaching to
        something already guarded returns the guard already there.
    :raises SvstateError: for a client of another service, something that is
        neither a client nor a session, or a bad ``mode``/``unknown``.
    """
    if mode not in MODES:
        raise SvstateError(f"mode {describe(mode)} is not one of {', '.join(MODES)}.")
    if unknown not in UNKNOWN_POLICIES:
        raise SvstateError(
            f"unknown {describe(unknown)} is not one of {', '.join(UNKNOWN_POLICIES)}."
        )
    if tracker is not None and not isinstance(tracker, Tracker):
        raise SvstateError(f"tracker is {describe(tracker)}; pass a svstate.Tracker or None.")
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
            tracker if tracker is not None else Tracker(), mode, unknown, record, bool(redact)
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
