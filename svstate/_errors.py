"""The exceptions svstate raises.

Every exception is a :class:`SvstateError`, itself a :class:`ValueError`, so a
caller that wants to catch "svstate said no" catches one class. Messages are
one plain sentence naming the value found, what would be legal, and what to do.
"""

from __future__ import annotations

__all__ = [
    "IllegalTransition",
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
    >>> svstate.preflight("CreateRecommender", {})
    Traceback (most recent call last):
    ...
    svstate.UnsupportedOperation: svstate does not model operation 'CreateRecommender'; ...
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
