"""Timestamps as boto3 gives them: ``datetime``, ISO 8601 strings or epoch seconds.

Naive datetimes are taken as UTC, as botocore's parser produces aware ones in
UTC and users' own code often drops the zone.
"""

from __future__ import annotations

import datetime as _dt
import math
import sys
from collections.abc import Iterable
from typing import Any, Literal

__all__ = ["none_before", "read_timestamp", "seconds"]

_UTC = _dt.UTC
_MIN = _dt.datetime(1970, 1, 1, tzinfo=_UTC)
_DATETIME = _dt.datetime
_TIMEZONE = _dt.timezone
_TIMEDELTA = _dt.timedelta
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


# tzinfo class -> whether it is dateutil's tzlocal, looked up once per class; and the
# class itself once found (a module name rebound once), so that botocore's zone is
# recognised by one identity test.
_IS_TZLOCAL: dict[type, bool] = {}
_TZLOCAL: type | None = None


def _is_tzlocal(cls: type) -> bool:
    """Whether ``cls`` is dateutil's ``tzlocal`` itself (not a subclass, which may
    override its offset); dateutil is botocore's, imported by whoever made the value."""
    global _TZLOCAL
    found = _IS_TZLOCAL.get(cls)
    if found is None:
        module = sys.modules.get("dateutil.tz.tz")
        found = _IS_TZLOCAL[cls] = getattr(module, "tzlocal", None) is cls
        if found:
            _TZLOCAL = cls
    return found


def _local_offset(tz: Any) -> _dt.timedelta | None:
    """The offset of dateutil's own ``tzlocal()`` where the local zone has no daylight
    saving time (UTC, as on most servers, among them), else ``None``.

    botocore parses timestamps into ``tzlocal()``, whose offset is Python code;
    without daylight saving time dateutil's own rule makes it the zone's constant
    standard offset, read here once per zone instead of asked per time.
    """
    if type(tz) is not _TZLOCAL and not _is_tzlocal(type(tz)):
        return None
    try:  # the attributes of the dateutil this was written against; else asked
        if tz._hasdst:
            return None
        offset = tz._std_offset
    except AttributeError:
        return None
    return offset if type(offset) is _TIMEDELTA else None


def seconds(value: object) -> float | Literal[False] | None:
    """``value.timestamp()`` for a timestamp as botocore parses it (an aware
    ``datetime``), exactly, and cheaper for botocore's own zone; ``None`` for
    ``None``, ``False`` for anything else (for :func:`read_timestamp` to read).

    For dateutil's ``tzlocal()`` without daylight saving time (see
    :func:`_local_offset`) the seconds are worked out from the wall time and
    the zone's constant offset, in integer microseconds as ``timestamp()``
    itself does (a whole number of seconds is exact as a float): the same
    float. Any other zone's offset is asked for, as ``timestamp()`` asks.

    >>> seconds(_dt.datetime(2020, 1, 1, tzinfo=_UTC))
    1577836800.0
    >>> seconds(_dt.datetime(2020, 1, 1, 1, 30, tzinfo=_dt.timezone(_dt.timedelta(hours=1))))
    1577838600.0
    >>> seconds(None), seconds(_dt.datetime(2020, 1, 1)), seconds("2020-01-01")
    (None, False, False)
    """
    if type(value) is not _DATETIME:
        return None if value is None else False
    tz = value.tzinfo
    if type(tz) is _TIMEZONE:
        return value.timestamp()
    if tz is None:
        return False  # naive: read_timestamp says what it means
    offset = _local_offset(tz)
    if offset is None:
        return value.timestamp()
    whole = (value.toordinal() - _EPOCH_DAY) * 86400 + value.hour * 3600 + value.minute * 60
    whole += value.second - offset.days * 86400 - offset.seconds
    micros = value.microsecond - offset.microseconds
    return (whole * 1_000_000 + micros) / 1_000_000 if micros else float(whole)


_DATE_OF: Any = _dt.datetime.date  # a datetime's own (local) date; TypeError for anything else
# A UTC offset lies strictly within a day either side of UTC, so a time whose local date
# is three days after another's is the later instant whatever the two zones; and one
# whose local date is two days after an instant's UTC date is later than that instant.
_APART = _dt.timedelta(days=3)
_APART_UTC = _dt.timedelta(days=2)


def none_before(times: Iterable[Any], since: _dt.datetime) -> bool:
    """Whether every one of ``times`` is a datetime no earlier than ``since`` (aware),
    as Python compares them, naive ones read as UTC; ``False`` if one is earlier or is
    not a datetime.

    Only the times near ``since`` are compared, so versions made over weeks
    need almost no comparison: a UTC offset lies strictly within a day either
    side of UTC, so a time is later than ``since`` whatever its zone when its
    local date is two days after ``since``'s date in UTC (where ``since``'s
    offset is known without asking Python code: a ``datetime.timezone``, or
    botocore's zone below), else three days after ``since``'s local date.
    botocore's datetimes carry dateutil's ``tzlocal()``, whose offset is Python
    code; two of them in a zone without daylight saving time share one
    constant offset, so their wall clocks order their instants and no offset
    is computed.

    >>> since = _dt.datetime(2020, 1, 1, 12, tzinfo=_UTC)
    >>> none_before([since, _dt.datetime(2020, 3, 1)], since)
    True
    >>> none_before([_dt.datetime(2020, 1, 1, 11, 59, tzinfo=_UTC)], since)
    False
    >>> none_before(["2020-03-01"], since)
    False
    """
    zone = since.tzinfo
    local = None if type(zone) is _TIMEZONE else _local_offset(zone)
    # since's offset where it is known without asking Python code: its UTC date then
    # bounds the times to compare more closely.
    known = since.utcoffset() if type(zone) is _TIMEZONE else local
    try:
        if known is not None:
            horizon = (since - known).date() + _APART_UTC
        else:
            horizon = since.date() + _APART
    except OverflowError:  # at an end of the calendar: every time is compared
        horizon = None
    try:
        # One pass reads each time's date (a TypeError for anything but a datetime) and
        # keeps the few near enough to compare: cheaper than a C pass for each.
        if horizon is not None:
            near = [when for when in times if _DATE_OF(when) < horizon]
        else:
            near = list(times)
            for when in near:
                _DATE_OF(when)
    except TypeError:  # not a datetime
        return False
    if local is not None:
        since_day, since_time = since.date(), since.time()
    for when in near:
        tz = when.tzinfo
        if local is not None and tz is not zone and _local_offset(tz) == local:
            # one constant offset: the wall clocks order the instants
            day = when.date()
            if day < since_day or (day == since_day and when.time() < since_time):
                return False
        elif (when if tz is not None else when.replace(tzinfo=_UTC)) < since:
            return False
    return True
