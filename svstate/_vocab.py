"""The service's vocabulary: statuses, training modes, decisions, severities.

Wire spellings are normalised here and only here. The service writes a space
between verb and state and an underscore only inside ``IN_PROGRESS``
(``"CREATE IN_PROGRESS"``); some AWS pages spell ``CREATE_PENDING`` or
``CREATE_STOPPED``. Both spellings are accepted on input; the canonical
spelling is :attr:`Status.value`.
"""

from __future__ import annotations

import enum

from svstate._errors import UnknownStatus
from svstate._text import describe, did_you_mean

__all__ = ["Decision", "Severity", "Status", "TrainingMode", "TrainingType"]


def _spelling_key(text: str) -> str:
    return text.replace("_", " ")


class Status(enum.Enum):
    """A resource status; ``.value`` is the exact string the service sends.

    The solution-version lifecycle uses the first six; solutions, campaigns
    and the other resources of the chain also have the two delete states;
    batch inference jobs go PENDING > IN PROGRESS > ACTIVE or CREATE FAILED.

    >>> Status.parse("CREATE_IN_PROGRESS")
    <Status.CREATE_IN_PROGRESS: 'CREATE IN_PROGRESS'>
    >>> Status.ACTIVE.value
    'ACTIVE'
    """

    __module__ = "svstate"

    CREATE_PENDING = "CREATE PENDING"
    CREATE_IN_PROGRESS = "CREATE IN_PROGRESS"
    ACTIVE = "ACTIVE"
    CREATE_FAILED = "CREATE FAILED"
    CREATE_STOPPING = "CREATE STOPPING"
    CREATE_STOPPED = "CREATE STOPPED"
    DELETE_PENDING = "DELETE PENDING"
    DELETE_IN_PROGRESS = "DELETE IN_PROGRESS"
    PENDING = "PENDING"
    IN_PROGRESS = "IN PROGRESS"

    # Members are singletons compared by identity, so identity hashing is consistent with
    # equality, and much cheaper than Enum's name-based __hash__ on the hot paths.
    __hash__ = object.__hash__

    @classmethod
    def parse(cls, text: object) -> Status:
        """Return the status a wire string names, in either spelling.

        Raises :class:`~svstate.UnknownStatus` for anything else, with the
        nearest known status when there is one.

        >>> Status.parse("CREATE STOPPED") is Status.parse("CREATE_STOPPED")
        True
        """
        if isinstance(text, Status):
            return text
        status = _STATUS_BY_SPELLING.get(text) if isinstance(text, str) else None
        if status is not None:
            return status[0]
        raise UnknownStatus(unknown_status_message(text))


def unknown_status_message(text: object) -> str:
    """The one-sentence explanation of why ``text`` is not a status."""
    known = ", ".join(repr(s.value) for s in Status)
    if not isinstance(text, str):
        return (
            f"a status must be a string, not {type(text).__name__} {describe(text)}; "
            f"the service sends one of {known}."
        )
    near = did_you_mean(_spelling_key(text), list(_STATUS_BY_KEY))
    hint = f"; did you mean {_STATUS_BY_KEY[near].value!r}?" if near else ""
    return f"{describe(text)} is not an Amazon Personalize status{hint} Known statuses: {known}."


_STATUS_BY_KEY: dict[str, Status] = {_spelling_key(s.value): s for s in Status}
# Every accepted spelling -> (status, whether the spelling was normalised).
_STATUS_BY_SPELLING: dict[object, tuple[Status, bool]] = {}
for _status in Status:
    _STATUS_BY_SPELLING[_status.value] = (_status, False)
    for _variant in {_status.value.replace(" ", "_"), _spelling_key(_status.value)}:
        if _variant != _status.value:
            _STATUS_BY_SPELLING[_variant] = (_status, True)


def read_status(text: object) -> tuple[Status, bool] | None:
    """``(status, normalised)`` for a wire string, or ``None`` when unknown (never raises)."""
    if isinstance(text, str):
        return _STATUS_BY_SPELLING.get(text)
    return None


class TrainingMode(enum.Enum):
    """CreateSolutionVersion's ``trainingMode``; ``.value`` is the wire string.

    >>> TrainingMode("UPDATE")
    <TrainingMode.UPDATE: 'UPDATE'>
    """

    __module__ = "svstate"

    FULL = "FULL"
    UPDATE = "UPDATE"
    AUTOTRAIN = "AUTOTRAIN"

    __hash__ = object.__hash__


class TrainingType(enum.Enum):
    """A version's ``trainingType`` (from 2024-04-19): who created it.

    >>> TrainingType("AUTOMATIC").value
    'AUTOMATIC'
    """

    __module__ = "svstate"

    AUTOMATIC = "AUTOMATIC"
    MANUAL = "MANUAL"


class Decision(enum.Enum):
    """A pre-flight decision.

    >>> Decision.UNKNOWN.value
    'unknown'
    """

    __module__ = "svstate"

    ALLOW = "allow"
    DENY = "deny"
    UNKNOWN = "unknown"


class Severity(enum.StrEnum):
    """How much a finding weighs; compares equal to its string (``"error"``).

    Only ``ERROR`` findings deny.

    >>> Severity.ERROR == "error"
    True
    """

    __module__ = "svstate"

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


#: Wire string -> member, for the exact (canonical) spellings only.
STATUS_BY_VALUE: dict[str, Status] = {s.value: s for s in Status}
MODE_BY_VALUE: dict[str, TrainingMode] = {m.value: m for m in TrainingMode}
