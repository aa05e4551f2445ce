"""The exceptions svstate raises.

Every exception is a :class:`SvstateError`, itself a :class:`ValueError`, so a
caller that wants to catch "svstate said no" catches one class. Messages are
one plain sentence naming the value found, what would be legal, and what to do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from svstate._verdict import Verdict

__all__ = [
    "IllegalTransition",
    "PreconditionFailed",
    "PreflightDenied",
    "SvstateError",
    "UnknownRuleset",
    "UnknownStatus",
    "UnsupportedOperation",
]


class SvstateError(ValueError):
    """Base class of every error svstate raises.

    >>> import svstate
    >>> issubclass(svstate.UnknownStatus, svstate.SvstateError)
    True
    """

    __module__ = "svstate"


class UnknownStatus(SvstateError):
    """A status string that is not one of the service's statuses.

    >>> import svstate
    >>> svstate.Status.parse("ACTIV")
    Traceback (most recent call last):
    ...
    svstate.UnknownStatus: 'ACTIV' is not an Amazon Personalize status; did you mean 'ACTIVE'? ...
    """

    __module__ = "svstate"


class UnknownRuleset(SvstateError):
    """A ruleset that is neither an ISO date from 2019-06-10 on, a date, nor ``"latest"``.

    >>> import svstate
    >>> svstate.Ruleset.parse("2018-01-01")
    Traceback (most recent call last):
    ...
    svstate.UnknownRuleset: ruleset '2018-01-01' is before 2019-06-10, ...
    """

    __module__ = "svstate"


class UnsupportedOperation(SvstateError):
    """An operation (or response shape) that svstate does not model.

    >>> import svstate
    >>> svstate.preflight("CreateDataset", {})
    Traceback (most recent call last):
    ...
    svstate.UnsupportedOperation: svstate does not model operation 'CreateDataset'; ...
    """

    __module__ = "svstate"


class IllegalTransition(SvstateError):
    """A lifecycle trigger fired in a state where it is not legal.

    Carries ``state`` (the :class:`~svstate.Status` the version was in),
    ``trigger`` (the trigger's name) and ``legal`` (the triggers legal there);
    each is ``None`` (``legal``: empty) when the error was built from a
    message alone.

    >>> import pickle, svstate
    >>> e = svstate.IllegalTransition("cannot fail: ACTIVE is terminal.", state=svstate.Status.ACTIVE,
    ...                               trigger="fail", legal=())
    >>> pickle.loads(pickle.dumps(e)).state
    <Status.ACTIVE: 'ACTIVE'>
    """

    __module__ = "svstate"

    def __init__(
        self,
        message: str,
        *,
        state: object = None,
        trigger: str | None = None,
        legal: tuple[str, ...] = (),
    ):
        super().__init__(message)
        self.state = state
        self.trigger = trigger
        self.legal = legal


class _VerdictError(SvstateError):
    """An error that carries the :class:`~svstate.Verdict` that denied.

    Built from a verdict (the message is its error findings' messages) or
    from a message alone (then ``verdict`` is ``None``), as any ``ValueError``
    is. Pickling and copying keep the message and the verdict: the default
    ``BaseException.__reduce__`` rebuilds from ``args`` (the message) and then
    restores ``__dict__`` (the verdict).
    """

    verdict: Verdict | None

    def __init__(self, verdict: Verdict | str, /):
        if isinstance(verdict, str):
            super().__init__(verdict)
            self.verdict = None
            return
        lines = [f.message for f in verdict.findings if f.severity == "error"]
        super().__init__(" ".join(lines) or str(verdict))
        self.verdict = verdict


class PreconditionFailed(_VerdictError):
    """A lifecycle object refused a call whose pre-flight verdict was DENY.

    ``.verdict`` holds the whole :class:`~svstate.Verdict`, every finding
    included (``None`` when built from a message alone). It pickles and
    deep-copies with its verdict, so it crosses process boundaries.
    """

    __module__ = "svstate"


class PreflightDenied(_VerdictError):
    """Raised by :meth:`Verdict.raise_if_denied` (and the boto3 guard) on DENY.

    ``.verdict`` holds the whole :class:`~svstate.Verdict`, every finding
    included (``None`` when built from a message alone). It pickles and
    deep-copies with its verdict, so it crosses process boundaries.

    >>> import pickle, svstate
    >>> try:
    ...     svstate.preflight("DeleteSolution", {}).raise_if_denied()
    ... except svstate.PreflightDenied as e:
    ...     copy = pickle.loads(pickle.dumps(e))
    >>> copy.verdict.findings[0].rule, str(copy)
    ('SV101', 'DeleteSolution needs solutionArn, and params has none.')
    """

    __module__ = "svstate"
