"""Timestamps as boto3 gives them: ``datetime``, ISO 8601 strings or epoch seconds.

Naive datetimes are taken as UTC, as botocore's parser produces aware ones in
UTC and users' own code often drops the zone.
"""

from __future__ import annotations

import datetime as _dt
import math
import sys
from typing import Any

__all__ = ["none_before", "read_timestamp", "seconds"]

_UTC = _dt.UTC
_MIN = _dt.datetime(1970, 1, 1, tzinfo=_UTC)
_TIMEZONE = _dt.timezone
_TIMEDELTA = _dt.timedelta
_ONE_US = _dt.timedelta(microseconds=1)
_EPOCH_DAY = _dt.date(1970, 1, 1).toordinal()


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


_DATE_OF: Any = _dt.datetime.date  # a datetime's own (local) date; TypeError for anything else
# A UTC offset lies strictly within a day either side of UTC, so a time whose local date
# is three days after another's is the later instant whatever the two zones.
_APART = _dt.timedelta(days=3)


def none_before(times: list[object], since: _dt.datetime) -> bool:
    """Whether every one of ``times`` is a datetime no earlier than ``since`` (aware),
    naive ones read as UTC; ``False`` if one is earlier or is not a datetime.

    Instants are compared (offsets computed) only for the times whose local date
    lies within three days of ``since``'s: botocore's datetimes carry dateutil's
    ``tzlocal()``, whose offset is Python code, and versions made over weeks need
    almost none.

    >>> since = _dt.datetime(2020, 1, 1, 12, tzinfo=_UTC)
    >>> none_before([since, _dt.datetime(2020, 3, 1)], since)
    True
    >>> none_before([_dt.datetime(2020, 1, 1, 11, 59, tzinfo=_UTC)], since)
    False
    >>> none_before(["2020-03-01"], since)
    False
    """
    try:
        days = list(map(_DATE_OF, times))
    except TypeError:  # not a datetime
        return False
    if not days:
        return True
    try:
        horizon: _dt.date | None = since.date() + _APART
    except OverflowError:  # at the end of the calendar: every time is compared
        horizon = None
    if horizon is not None and min(days) >= horizon:
        return True  # every one days later: no offset computed
    for when, day in zip(times, days, strict=True):
        if horizon is None or day < horizon:
            assert isinstance(when, _dt.datetime)
            if (when if when.tzinfo is not None else when.replace(tzinfo=_UTC)) < since:
                return False
    return True


# tzinfo class -> whether it is dateutil's tzlocal, looked up once per class.
_IS_TZLOCAL: dict[type, bool] = {}


def _is_tzlocal(cls: type) -> bool:
    """Whether ``cls`` is dateutil's ``tzlocal`` itself (not a subclass, which may
    override its offset); dateutil is botocore's, imported by whoever made the value."""
    module = sys.modules.get("dateutil.tz.tz")
    found = getattr(module, "tzlocal", None) is cls
    _IS_TZLOCAL[cls] = found
    return found


def seconds(when: _dt.datetime) -> float:
    """``when.timestamp()`` for an aware datetime, exactly, and cheaper for botocore's.

    botocore parses timestamps into dateutil's ``tzlocal()``, whose offset is
    Python code. Where the local zone has no daylight saving time (UTC, as on
    most servers, among them), dateutil's own rule makes the offset its
    constant standard one, so the seconds are worked out from the wall time
    and that offset, in integer microseconds as ``timestamp()`` itself does:
    the same float. Any other zone's offset is asked for, as ``timestamp()``
    asks.

    >>> seconds(_dt.datetime(2020, 1, 1, tzinfo=_UTC))
    1577836800.0
    >>> seconds(_dt.datetime(2020, 1, 1, 1, 30, tzinfo=_dt.timezone(_dt.timedelta(hours=1))))
    1577838600.0
    """
    tz = when.tzinfo
    if type(tz) is _TIMEZONE:
        return when.timestamp()
    local = _IS_TZLOCAL.get(type(tz))
    if local is None:
        local = _is_tzlocal(type(tz))
    if not local or getattr(tz, "_hasdst", True):
        return when.timestamp()
    offset = getattr(tz, "_std_offset", None)
    if type(offset) is not _TIMEDELTA:
        return when.timestamp()  # not the dateutil this was written against
    wall = (when.toordinal() - _EPOCH_DAY) * 86400 + when.hour * 3600 + when.minute * 60
    micros = (wall + when.second) * 1_000_000 + when.microsecond
    return (micros - offset // _ONE_US) / 1_000_000
