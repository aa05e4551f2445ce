"""none_before: SV507's "no version created before its solution", offsets computed
only near the solution's creation, with the same answer as comparing every instant."""

from __future__ import annotations

import datetime as dt

from dateutil.tz import tzlocal
from hypothesis import given
from hypothesis import strategies as st

from svstate._timestamps import none_before, read_timestamp

UTC = dt.UTC
EAST = dt.timezone(dt.timedelta(hours=23, minutes=59))  # the widest offsets Python allows
WEST = dt.timezone(-dt.timedelta(hours=23, minutes=59))
ZONES = st.sampled_from(
    [UTC, EAST, WEST, dt.timezone(dt.timedelta(hours=5, minutes=30)), tzlocal()]
)


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
