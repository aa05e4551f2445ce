"""svstate.testing: the oracle, shipped for users' own tests.

Needs the ``testing`` extra (hypothesis and boto3): ``pip install
"svstate[testing]"``. Importing :mod:`svstate` alone never imports this
package, hypothesis or boto3.

* :mod:`svstate.testing.strategies`: hypothesis strategies for ARNs,
  requests, solution and version dicts, and legal or illegal histories.
* :func:`fake_personalize` and :class:`FakeClock`: a real boto3 Personalize
  client answered in-process by the model, with controllable time.
* :class:`LifecycleConformance`: a hypothesis state machine that checks your
  orchestration code (an :class:`Adapter`) against the model.
"""

from svstate.testing._conformance import Adapter, LifecycleConformance
from svstate.testing._fake import DEFAULT_DURATIONS, FakeClock, FakePersonalize, fake_personalize

__all__ = [
    "DEFAULT_DURATIONS",
    "Adapter",
    "FakeClock",
    "FakePersonalize",
    "LifecycleConformance",
    "fake_personalize",
]
