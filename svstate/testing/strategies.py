"""Hypothesis strategies for svstate's world: ARNs, requests, responses and histories.

Use them to property-test your own orchestration code against the shapes and
the lifecycle that svstate models::

    from hypothesis import given
    from svstate.testing import strategies as sst

    @given(sst.histories(ruleset="2021-05-20"))
    def test_my_poller_accepts_every_legal_history(history): ...

Rules in this file:

* Every promise is svstate's own judgement, never a second copy of a rule:
  members, their dates and their limits come from the dated shapes of
  ``svstate._shapes``; statuses and their moves from the lifecycle
  declaration (:func:`svstate._lifecycle.lifecycle_for`); which recipes
  support UPDATE from the ruleset. ``tests/test_strategies.py`` replays each
  promise through :func:`svstate.preflight`, :func:`svstate.validate` and a
  :class:`svstate.Tracker`.
* Narrowing arguments are checked when the strategy *function* is called:
  contradictory ones (a stop status in a ruleset before 2021-05-20, UPDATE
  recipes before UPDATE existed, an override for a member the ruleset does
  not have) raise :class:`InvalidArgument` at once, naming the argument and
  what would work, never a health-check failure while drawing. A strategy
  you pass for a field cannot be checked until it draws; when it draws a
  value that breaks the promise, drawing raises :class:`InvalidArgument`
  naming your argument.
* Datetimes are aware :class:`datetime.datetime` objects in UTC, whole
  milliseconds, as botocore parses Personalize's epoch timestamps.
* Everything shrinks towards the plainest example: absent optional members,
  the first region, FULL before UPDATE, short histories.
"""

from __future__ import annotations

from svstate.testing._args import InvalidArgument
from svstate.testing._arns import (
    campaign_arns,
    dataset_group_arns,
    recipe_arns,
    solution_arns,
    solution_version_arns,
)
from svstate.testing._histories import History, Step, histories
from svstate.testing._requests import requests
from svstate.testing._responses import solution_dicts, solution_version_dicts

__all__ = [
    "History",
    "InvalidArgument",
    "Step",
    "campaign_arns",
    "dataset_group_arns",
    "histories",
    "recipe_arns",
    "requests",
    "solution_arns",
    "solution_dicts",
    "solution_version_arns",
    "solution_version_dicts",
]
