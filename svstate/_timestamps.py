"""Timestamps as boto3 gives them: ``datetime``, ISO 8601 strings or epoch seconds.

Naive datetimes are taken as UTC, as botocore's parser produces aware ones in
UTC and users' own code often drops the zone.
"""

from __future__ import annotations

import datetime as _dt
import math

__all__ = ["read_timestamp"]

_UTC = _dt.UTC
_MIN = _dt.datetime(1970, 1, 1, tzinfo=_UTC)


def read_timestamp(value: object) -> _dt.datetime | None:
    """An aware datetime for a boto3 timestamp, or ``None`` if it is not one.

    >>> read_timestamp("2019-11-02T09:14:03Z").isoformat()
    '2019-11-02T09:14:03+00:00'
    >>> read_timestamp(0).year
    1970
    >>> read_timestamp("yesterday") is None
    True
    """
    if isinstance(value, _dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=_UTC)
    if isinstance(value, str):
        if len(value) > 64:
            return None
        try:
            parsed = _dt.datetime.fromisoformat(value[:])  # a plain str, whatever the subclass
        except ValueError:
            return None
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=_UTC)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            seconds = float(value)
            return _MIN + _dt.timedelta(seconds=seconds) if math.isfinite(seconds) else None
        except (OverflowError, ValueError):  # beyond what datetime can hold
            return None
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=_UTC)
    return None
