"""The vocabulary: statuses in both spellings, modes, decisions, rulesets."""

from __future__ import annotations

import datetime as dt

import pytest

import svstate
from svstate import Status


@pytest.mark.parametrize("status", list(Status))
def test_every_status_parses_from_its_wire_string_and_underscore_spelling(status: Status) -> None:
    assert Status.parse(status.value) is status
    assert Status.parse(status.value.replace(" ", "_")) is status


def test_unknown_status_suggests_the_nearest_one() -> None:
    with pytest.raises(svstate.UnknownStatus, match="did you mean 'CREATE FAILED'"):
        Status.parse("CREATE FAILD")


@pytest.mark.parametrize(
    "bad", [None, 1, b"ACTIVE", ["ACTIVE"], {"status": "ACTIVE"}, "", "active"]
)
def test_anything_but_a_status_string_raises_unknown_status_naming_it(bad: object) -> None:
    with pytest.raises(svstate.UnknownStatus) as caught:
        Status.parse(bad)
    assert isinstance(caught.value, svstate.SvstateError)
    assert isinstance(caught.value, ValueError)


def test_wire_values_of_modes_and_decisions() -> None:
    assert [m.value for m in svstate.TrainingMode] == ["FULL", "UPDATE", "AUTOTRAIN"]
    assert [d.value for d in svstate.Decision] == ["allow", "deny", "unknown"]
    assert svstate.Severity.WARNING == "warning"


def test_public_names_show_the_public_module() -> None:
    for name in svstate.__all__:
        obj = getattr(svstate, name)
        if isinstance(obj, type):
            assert obj.__module__ == "svstate", name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-10-14", "2019-10-14"),
        ("2019-06-10", "2019-06-10"),
        (dt.date(2021, 5, 20), "2021-05-20"),
        (dt.datetime(2021, 5, 20, 23, 59), "2021-05-20"),
        ("latest", "2025-12-01"),
        ("2030-01-01", "2030-01-01"),
    ],
)
def test_rulesets_accept_dates_iso_strings_and_latest(value: object, expected: str) -> None:
    assert svstate.Ruleset.parse(value).name == expected


def test_a_ruleset_after_the_last_change_has_the_latest_rules() -> None:
    future, latest = svstate.Ruleset.parse("2030-01-01"), svstate.Ruleset.parse("latest")
    assert future.training_modes == latest.training_modes
    assert future.update_recipes == latest.update_recipes


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("2019-06-09", "before 2019-06-10"),
        ("2019-02-30", "not a real calendar date"),
        ("14/10/2019", "is not an ISO date"),
        ("LATEST", "is not an ISO date"),
        (20191014, "not int"),
        (None, "not NoneType"),
        (True, "not bool"),
        ([2019, 10, 14], "not list"),
    ],
)
def test_a_bad_ruleset_raises_unknown_ruleset_naming_the_value(bad: object, says: str) -> None:
    with pytest.raises(svstate.UnknownRuleset, match=says):
        svstate.Ruleset.parse(bad)


def test_ruleset_features_change_on_their_dates() -> None:
    before, after = svstate.Ruleset.parse("2021-05-19"), svstate.Ruleset.parse("2021-05-20")
    assert not before.has_stop
    assert after.has_stop
    assert svstate.TrainingMode.AUTOTRAIN not in svstate.Ruleset.parse("2024-04-18").training_modes
    assert svstate.TrainingMode.AUTOTRAIN in svstate.Ruleset.parse("2024-04-19").training_modes
