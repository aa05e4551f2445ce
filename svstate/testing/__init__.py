"""svstate.testing: the oracle, shipped for users' own tests.

Needs the ``testing`` extra (hypothesis and boto3): ``pip install
"svstate[testing]"``. Importing :mod:`svstate` alone never imports this
package, hypothesis or boto3.

* :func:`fake_personalize` and :class:`FakeClock`: a real boto3 Personalize
  client answered in-process by the model, with controllable time. They
  need boto3 only (the ``boto3`` extra), not hypothesis.
* :mod:`svstate.testing.strategies`: hypothesis strategies for ARNs,
  requests, solution and version dicts, and legal or illegal histories.
* :class:`LifecycleConformance`: a hypothesis state machine that checks your
  orchestration code (an :class:`Adapter`) against the model, from a
  solution on; :class:`PipelineConformance` does it for a whole pipeline,
  from an empty account.

The last two import hypothesis when first used; without it they raise an
:class:`ImportError` that names the ``testing`` extra.
"""

from typing import TYPE_CHECKING

from svstate._lazy import lazy_names
from svstate.testing._fake import DEFAULT_DURATIONS, FakeClock, FakePersonalize, faked_operations
from svstate.testing._fake_client import fake_personalize
from svstate.testing._mock import mock_personalize

if TYPE_CHECKING:  # loaded on first use (below): they need hypothesis
    from svstate.testing._conformance import Adapter, LifecycleConformance, PipelineConformance

_LAZY = {
    "Adapter": "svstate.testing._conformance",
    "LifecycleConformance": "svstate.testing._conformance",
    "PipelineConformance": "svstate.testing._conformance",
}


__getattr__, __dir__ = lazy_names("svstate.testing", _LAZY, globals())


__all__ = [
    "DEFAULT_DURATIONS",
    "Adapter",
    "FakeClock",
    "FakePersonalize",
    "LifecycleConformance",
    "PipelineConformance",
    "fake_personalize",
    "faked_operations",
    "mock_personalize",
]
