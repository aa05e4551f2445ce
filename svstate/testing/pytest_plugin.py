"""svstate's pytest plugin: fixtures for testing code that calls Amazon Personalize, offline.

pytest loads it by itself once svstate is installed (the ``pytest11`` entry
point ``svstate``); ``-p no:svstate`` turns it off. Each fixture below runs
the test under one :class:`~svstate.testing.mock_personalize`, entered when
the first of them is requested and left when the test ends:

* ``personalize``: a boto3 Personalize client the fake answers. Code under
  test that makes its own (``boto3.client("personalize")``) is answered by
  the same fake.
* ``personalize_clock``: the mock's :class:`~svstate.testing.FakeClock`;
  ``time.sleep`` in the test or its code advances it too, unless the
  marker says ``time=False``.
* ``personalize_state``: the mock's :class:`~svstate.testing.FakePersonalize`,
  to seed it (:meth:`~svstate.testing.FakePersonalize.load` the JSON saved
  from a real account), to inject failures
  (:meth:`~svstate.testing.FakePersonalize.fail_next`) and to look at what
  it holds and was asked.
* ``personalize_mock``: the :class:`~svstate.testing.mock_personalize`
  itself (its guards, its tracker, other regions).

Options come from the marker ``@pytest.mark.personalize(...)``, which takes
``mock_personalize``'s keyword arguments (``ruleset="2019-10-14"``,
``guard="enforce"``, ``time=False``, ...) on a test, a class or a module
(``pytestmark``); the closest one wins.

Hypothesis: the fixtures are per test, so with ``@given`` every example
shares one account. For a fresh account per example, decorate the test with
``@mock_personalize(...)`` under ``@given`` instead.

>>> import svstate.testing.pytest_plugin as plugin
>>> sorted(n for n in vars(plugin) if n.startswith("personalize"))
['personalize', 'personalize_clock', 'personalize_mock', 'personalize_state']
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from mypy_boto3_personalize import PersonalizeClient

    from svstate.testing import FakeClock, FakePersonalize, mock_personalize

__all__ = ["personalize", "personalize_clock", "personalize_mock", "personalize_state"]

MARKER = "personalize"


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker, so ``--strict-markers`` accepts it."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): run the test's personalize fixtures under "
        "svstate.testing.mock_personalize(**options) (ruleset=, guard=, time=, ...).",
    )


@pytest.fixture
def personalize_mock(request: pytest.FixtureRequest) -> Iterator[mock_personalize]:
    """The active :class:`~svstate.testing.mock_personalize` of this test, from its marker."""
    from svstate._errors import SvstateError
    from svstate.testing import mock_personalize

    marker = request.node.get_closest_marker(MARKER)
    options = dict(marker.kwargs) if marker is not None else {}
    if marker is not None and marker.args:
        raise SvstateError(
            f"@pytest.mark.{MARKER} got the positional {marker.args!r}; pass mock_personalize's "
            f"options by name, e.g. @pytest.mark.{MARKER}(ruleset='2019-10-14')."
        )
    try:
        mock = mock_personalize(**options)
    except TypeError as error:  # an option mock_personalize does not have
        raise SvstateError(
            f"@pytest.mark.{MARKER}: {error}; it takes mock_personalize's options (ruleset, "
            "clock, durations, region, account, quota, seed, time, latency, guard)."
        ) from error
    with mock:
        yield mock


@pytest.fixture
def personalize(personalize_mock: mock_personalize) -> PersonalizeClient:
    """A boto3 Personalize client answered by the fake (the mock's region)."""
    return personalize_mock.client()


@pytest.fixture
def personalize_clock(personalize_mock: mock_personalize) -> FakeClock:
    """The mock's clock: advance it, or let ``time.sleep`` do so."""
    return personalize_mock.clock


@pytest.fixture
def personalize_state(personalize_mock: mock_personalize) -> FakePersonalize:
    """The fake behind the clients: seed it, make its next job fail, read what it holds."""
    return personalize_mock.fake
