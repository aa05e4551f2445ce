"""none_before: SV507's "no version created before its solution", offsets computed
only near the solution's creation, with the same answer as comparing every instant;
seconds: ``timestamp()`` exactly, without dateutil's Python offset where it is constant."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Iterator

import pytest
from dateutil.tz import tzlocal
from hypothesis import given
from hypothesis import strategies as st

from svstate._records import epoch
from svstate._timestamps import _local_offset, none_before, read_timestamp, seconds

UTC = dt.UTC
EAST = dt.timezone(dt.timedelta(hours=23, minutes=59))  # the widest offsets Python allows
WEST = dt.timezone(-dt.timedelta(hours=23, minutes=59))
ZONES = st.sampled_from(
    [UTC, EAST, WEST, dt.timezone(dt.timedelta(hours=5, minutes=30)), tzlocal()]
)


# POSIX zone strings (no tz database needed): offsets without daylight saving time, and
# one with it, which dateutil's tzlocal() reads from the C library at its creation.
NO_DST = ["UTC0", "IST-5:30", "HST10", "XXX-13:45"]
WITH_DST = "CET-1CEST,M3.5.0,M10.5.0/3"


@contextlib.contextmanager
def local_zone(zone: str) -> Iterator[None]:
    """The process's local zone set to ``zone`` for the block (tzlocal() made inside
    reads it), then restored."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


def test_two_local_days_apart_can_still_be_earlier() -> None:
    # Local dates two days apart, the later one an earlier instant: the widest zones.
    since = dt.datetime(2020, 1, 1, 23, 59, tzinfo=WEST)  # 2020-01-02 23:58 UTC
    version = dt.datetime(2020, 1, 3, 0, 0, tzinfo=EAST)  # 2020-01-02 00:01 UTC
    assert version < since
    assert none_before([version], since) is False


def test_three_local_days_apart_is_later_whatever_the_zones() -> None:
    since = dt.datetime(2020, 1, 1, 23, 59, tzinfo=WEST)
    version = dt.datetime(2020, 1, 4, 0, 0, tzinfo=EAST)
    assert version > since
    assert none_before([version], since) is True


def test_since_s_utc_date_bounds_the_times_compared_when_its_offset_is_known() -> None:
    # since in a datetime.timezone: its UTC date two days on bounds the times compared.
    since = dt.datetime(2020, 1, 2, 0, 30, tzinfo=EAST)  # 2020-01-01 00:31 UTC
    earlier = dt.datetime(2020, 1, 2, 0, 0, tzinfo=EAST)  # 2020-01-01 00:01 UTC
    assert none_before([earlier], since) is False
    assert none_before([dt.datetime(2020, 1, 3, 0, 0, tzinfo=EAST)], since) is True
    since = dt.datetime(2020, 1, 1, 23, 59, tzinfo=WEST)  # 2020-01-02 23:58 UTC
    earlier = dt.datetime(2020, 1, 3, 23, 0, tzinfo=EAST)  # 2020-01-02 23:01 UTC
    assert none_before([earlier], since) is False
    assert none_before([dt.datetime(2020, 1, 4, 0, 0, tzinfo=EAST)], since) is True


@pytest.mark.parametrize("zone", [*NO_DST, WITH_DST])
def test_botocores_times_compare_as_instants_in_every_local_zone(zone: str) -> None:
    # Each datetime with its own tzlocal(), as botocore parses them.
    with local_zone(zone):
        since = dt.datetime.fromtimestamp(1577880000, tzlocal())  # 2020-01-01 12:00 UTC
        for seconds_after, expected in [(-1, False), (0, True), (1, True), (-86400, False)]:
            when = dt.datetime.fromtimestamp(1577880000 + seconds_after, tzlocal())
            assert none_before([when], since) is expected, (seconds_after, when)
        mixed = [
            dt.datetime.fromtimestamp(1577880000 + 3600, tzlocal()),
            dt.datetime(2020, 1, 1, 11, 59, tzinfo=UTC),  # a minute before, in UTC
        ]
        assert none_before(mixed, since) is False
        assert none_before(mixed[:1], since) is True


def test_local_zones_of_different_offsets_compare_as_instants() -> None:
    with local_zone("UTC0"):
        since = dt.datetime(2020, 1, 1, 12, tzinfo=tzlocal())
    with local_zone("IST-5:30"):
        # A later wall clock, an earlier instant (06:40 UTC); and the other way round.
        earlier = dt.datetime(2020, 1, 1, 12, 10, tzinfo=tzlocal())
        later = dt.datetime(2020, 1, 1, 17, 31, tzinfo=tzlocal())
        assert none_before([earlier], since) is False
        assert none_before([later], since) is True


class Offset(dt.tzinfo):
    """A fixed offset in Python code, as a zone's offset is when it is not a
    datetime.timezone: since's UTC date is not worked out first."""

    def __init__(self, offset: dt.timedelta):
        self.offset = offset

    def utcoffset(self, when: dt.datetime | None) -> dt.timedelta:
        return self.offset

    def dst(self, when: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(0)


def test_otherwise_since_s_local_date_three_days_on_bounds_the_times_compared() -> None:
    since = dt.datetime(2020, 1, 1, 23, 59, tzinfo=Offset(-dt.timedelta(hours=23, minutes=59)))
    earlier = dt.datetime(2020, 1, 3, 0, 0, tzinfo=EAST)  # two local days on, 2020-01-02 00:01 UTC
    assert none_before([earlier], since) is False
    assert none_before([dt.datetime(2020, 1, 4, 0, 0, tzinfo=EAST)], since) is True


class Folded(dt.tzinfo):
    """A zone whose offset depends on ``fold``, as in the hour clocks go back."""

    def utcoffset(self, when: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(hours=1 if when is not None and when.fold else 2)

    def dst(self, when: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(0)


def test_times_in_since_s_own_zone_object_compare_as_python_compares_them() -> None:
    zone = Folded()
    since = dt.datetime(2020, 10, 25, 2, 30, fold=1, tzinfo=zone)  # 01:30 UTC
    version = dt.datetime(2020, 10, 25, 2, 40, tzinfo=zone)  # 00:40 UTC, a later wall clock
    assert not version < since  # one zone object: Python compares the wall clocks
    assert none_before([version], since) is True
    other = dt.datetime(2020, 10, 25, 2, 40, tzinfo=Folded())  # another object: instants
    assert other < since
    assert none_before([other], since) is False


def test_the_same_instant_is_not_before() -> None:
    since = dt.datetime(2020, 1, 1, 12, tzinfo=UTC)
    assert none_before([since.astimezone(EAST), since.astimezone(WEST)], since) is True
    assert none_before([since - dt.timedelta(microseconds=1)], since) is False


def test_naive_times_are_read_as_utc() -> None:
    since = dt.datetime(2020, 1, 1, 12, tzinfo=UTC)
    assert none_before([dt.datetime(2020, 1, 1, 12)], since) is True
    assert none_before([dt.datetime(2020, 1, 1, 11, 59)], since) is False


def test_what_is_not_a_datetime_is_not_decided_here() -> None:
    since = dt.datetime(2020, 1, 1, tzinfo=UTC)
    for junk in ("2020-03-01T00:00:00Z", None, 1577836800, dt.date(2020, 3, 1)):
        assert none_before([dt.datetime(2020, 3, 1, tzinfo=UTC), junk], since) is False


def test_no_times_and_the_end_of_the_calendar() -> None:
    assert none_before([], dt.datetime(2020, 1, 1, tzinfo=UTC)) is True
    since = dt.datetime(9999, 12, 31, 12, tzinfo=WEST)  # three days on overflows the calendar
    assert none_before([dt.datetime(9999, 12, 31, 13, tzinfo=WEST)], since) is True
    assert none_before([dt.datetime(9999, 12, 31, 23, tzinfo=EAST)], since) is False
    assert none_before([dt.datetime(9999, 12, 31, 13, tzinfo=WEST), "9999-12-31"], since) is False
    assert none_before(iter([dt.datetime(9999, 12, 31, 13, tzinfo=WEST)]), since) is True


@given(
    since=st.datetimes(min_value=dt.datetime(2019, 1, 1), max_value=dt.datetime(2030, 1, 1)),
    since_zone=ZONES,
    offsets=st.lists(
        st.tuples(st.integers(-6 * 24 * 60, 6 * 24 * 60), st.one_of(st.none(), ZONES)),
        max_size=6,
    ),
)
def test_none_before_is_every_instant_compared(
    since: dt.datetime,
    since_zone: dt.tzinfo,
    offsets: list[tuple[int, dt.tzinfo | None]],
) -> None:
    start = since.replace(tzinfo=since_zone)
    times: list[object] = []
    for minutes, zone in offsets:
        when = start + dt.timedelta(minutes=minutes)
        times.append(
            when.astimezone(zone)
            if zone is not None
            else when.astimezone(UTC).replace(tzinfo=None)
        )
    expected = all(read_timestamp(t) >= start for t in times)  # type: ignore[operator]
    assert none_before(times, start) is expected


WALL_TIMES = st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30))


@given(when=WALL_TIMES, zone=st.sampled_from([*NO_DST, WITH_DST]))
def test_seconds_is_timestamp_exactly_for_botocores_local_zone(
    when: dt.datetime, zone: str
) -> None:
    with local_zone(zone):
        aware = when.replace(tzinfo=tzlocal())
        assert seconds(aware) == aware.timestamp()
        parsed = dt.datetime.fromtimestamp(
            (when - dt.datetime(1970, 1, 1)) / dt.timedelta(seconds=1) % 4e9, tzlocal()
        )  # as botocore parses epoch seconds
        assert seconds(parsed) == parsed.timestamp()


@given(when=WALL_TIMES, minutes=st.integers(-23 * 60 - 59, 23 * 60 + 59))
def test_seconds_is_timestamp_exactly_for_fixed_offsets(when: dt.datetime, minutes: int) -> None:
    aware = when.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes)))
    assert seconds(aware) == aware.timestamp()


class LaterDatetime(dt.datetime):
    """A datetime subclass: not botocore's own, so read in full (it may override)."""


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2020, 1, 1),  # naive: read_timestamp says it is UTC
        LaterDatetime(2020, 1, 1, tzinfo=UTC),
        "2020-01-01T00:00:00Z",
        1577836800,
        1577836800.0,
        dt.date(2020, 1, 1),
        ["2020-01-01"],
        {"when": 0},
        True,
    ],
)
def test_seconds_leaves_anything_but_an_aware_datetime_to_read_timestamp(value: object) -> None:
    assert seconds(value) is False
    when = read_timestamp(value)  # what the tracker's epoch() then reads
    assert epoch(value) == (None if when is None else when.timestamp())


def test_seconds_of_none_is_none_and_of_an_aware_datetime_a_float() -> None:
    assert seconds(None) is None
    assert epoch(None) is None
    aware = dt.datetime(2020, 1, 1, tzinfo=UTC)
    assert seconds(aware) == epoch(aware) == 1577836800.0
    assert type(seconds(aware)) is float


@pytest.mark.parametrize("zone", NO_DST)
def test_a_local_zone_without_dst_is_read_without_its_offset(
    zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with local_zone(zone):
        aware = dt.datetime(2020, 1, 1, 12, 30, 15, 123456, tzinfo=tzlocal())
        expected = aware.timestamp()

        def refuse(self: object, when: object) -> None:
            raise AssertionError("the offset was asked for")

        monkeypatch.setattr(tzlocal, "utcoffset", refuse)
        assert seconds(aware) == expected


def test_other_zones_and_odd_tzlocals_are_asked_their_offset() -> None:
    class Shifted(tzlocal):  # a subclass may say what it likes: it is asked
        def utcoffset(self, dt_: dt.datetime | None) -> dt.timedelta:
            return dt.timedelta(hours=3)

    when = dt.datetime(2020, 7, 1, 12)
    shifted = when.replace(tzinfo=Shifted())
    assert seconds(shifted) == shifted.timestamp() == 1593594000.0
    with local_zone(WITH_DST):  # summer: CEST, two hours east
        summer = when.replace(tzinfo=tzlocal())
        assert seconds(summer) == summer.timestamp() == 1593597600.0
    for attribute in ("_std_offset", "_hasdst"):  # not the dateutil this was written against
        with local_zone("UTC0"):
            altered = tzlocal()
            delattr(altered, attribute)
            odd = when.replace(tzinfo=altered)
            with pytest.raises(AttributeError):
                odd.timestamp()  # dateutil itself needs it
            with pytest.raises(AttributeError):
                seconds(odd)  # so the offset is asked for, as timestamp() asks
    with local_zone("UTC0"):
        altered = tzlocal()
        altered._std_offset = 0  # not a timedelta
        odd = when.replace(tzinfo=altered)
        assert _local_offset(altered) is None
        with pytest.raises(TypeError):
            odd.timestamp()  # datetime refuses the offset dateutil gives
        with pytest.raises(TypeError):
            seconds(odd)  # so it is asked for, and refused alike


@given(
    since=st.datetimes(min_value=dt.datetime(2019, 1, 1), max_value=dt.datetime(2030, 1, 1)),
    zone=st.sampled_from([*NO_DST, WITH_DST]),
    offsets=st.lists(st.tuples(st.integers(-4 * 24 * 60, 4 * 24 * 60), st.booleans()), max_size=5),
)
def test_none_before_is_every_instant_compared_in_botocores_zones(
    since: dt.datetime, zone: str, offsets: list[tuple[int, bool]]
) -> None:
    with local_zone(zone):
        start = since.replace(tzinfo=tzlocal())
        times: list[object] = []
        for minutes, local in offsets:
            when = start + dt.timedelta(minutes=minutes)
            times.append(when.astimezone(tzlocal() if local else EAST))
        expected = all(t >= start for t in times)  # type: ignore[operator]
        assert none_before(times, start) is expected
