"""The rule catalogue: every rule is data with a source, and every rule is tested."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import svstate
from svstate._catalogue import CATALOGUE
from svstate._rules import PREDICATES
from svstate._rulesets import GA

TESTS = Path(__file__).resolve().parent


def test_rule_ids_are_unique_and_well_formed() -> None:
    ids = [r.id for r in CATALOGUE]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"SV[1-9]\d\d", i) for i in ids)
    assert ids == sorted(ids)


@pytest.mark.parametrize("rule", CATALOGUE, ids=lambda r: r.id)
def test_every_rule_has_a_title_a_date_and_a_public_source(rule: svstate.Rule) -> None:
    assert rule.title
    assert rule.since >= GA
    assert rule.applies_to
    # The source names the service-model member or the documentation section.
    assert any(
        where in rule.source
        for where in ("botocore service model", "API Reference", "Developer Guide", "observed")
    ), rule.source


@pytest.mark.parametrize("rule", CATALOGUE, ids=lambda r: r.id)
def test_an_unconfirmed_behaviour_never_denies(rule: svstate.Rule) -> None:
    if not rule.confirmed:
        assert rule.severity is not svstate.Severity.ERROR
        assert "UNCONFIRMED" in rule.source


@pytest.mark.parametrize("rule", CATALOGUE, ids=lambda r: r.id)
def test_every_rule_id_is_exercised_by_a_test(rule: svstate.Rule) -> None:
    others = [p for p in TESTS.glob("test_*.py") if p.name != Path(__file__).name]
    assert any(f'"{rule.id}"' in p.read_text() for p in others), f"no test names {rule.id}"


def test_every_predicate_belongs_to_a_catalogued_rule() -> None:
    assert set(PREDICATES) <= {r.id for r in CATALOGUE}


def test_rules_in_force_follow_their_dates() -> None:
    early = {r.id for r in svstate.rules("2019-06-10")}
    assert "SV301" not in early
    assert "SV107" not in early
    assert "SV301" in {r.id for r in svstate.rules("2019-10-14")}
    assert {r.id for r in svstate.rules("latest")} == {r.id for r in CATALOGUE}
    assert svstate.rules(dt.date(2019, 10, 14)) == svstate.rules("2019-10-14")


def test_rule_to_dict_is_plain_data() -> None:
    data = svstate.rule("SV301").to_dict()
    assert data["id"] == "SV301"
    assert data["since"] == "2019-10-14"
    assert data["severity"] == "error"


@pytest.mark.parametrize("bad", ["SV000", "sv301", "", None, 301, ["SV301"]])
def test_an_unknown_rule_id_is_refused_with_the_range_of_ids(bad: object) -> None:
    with pytest.raises(svstate.SvstateError, match="no rule has id"):
        svstate.rule(bad)


@pytest.mark.parametrize("bad", ["2019-06-09", "yesterday", 20191014, None, ["2019-10-14"]])
def test_rules_of_an_unknown_ruleset_raise_unknown_ruleset(bad: object) -> None:
    with pytest.raises(svstate.UnknownRuleset):
        svstate.rules(bad)
