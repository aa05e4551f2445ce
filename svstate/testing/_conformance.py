"""LifecycleConformance: check users' orchestration code against the model.

Users write an *adapter*: a small object that runs their pipeline's actions
("train", "retrain", "deploy", ...) against a boto3 Personalize client. The
machine gives the adapter a fake client (:func:`fake_personalize`), lets
hypothesis interleave the adapter's actions with the passage of time and the
service's own moves (training that fails, training that settles at once), and
checks after every step:

* nothing illegal was sent: the fake refused no call (every refusal is a call
  that :func:`svstate.preflight` denies on the fake's facts);
* every status the fake reports moved along the lifecycle
  (:func:`svstate.check_transition`);
* the adapter's view agrees with the fake's: every version status the
  adapter believes can still lead to the fake's current one (the adapter may
  lag, as polling does, but never be ahead or off the lifecycle).

Run it like any hypothesis state machine::

    class TestMyPipeline(LifecycleConformance):
        def make_adapter(self, client, solution_arn):
            return MyPipelineAdapter(client, solution_arn)

    TestPipeline = TestMyPipeline.TestCase     # for pytest or unittest

or ``hypothesis.stateful.run_state_machine_as_test(TestMyPipeline)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Protocol

from svstate._extras import missing

try:
    from hypothesis import strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
except ImportError as error:
    raise missing("hypothesis", "svstate.testing.LifecycleConformance", "testing") from error

from svstate._chain import CHAIN
from svstate._lifecycle import Lifecycle, lifecycle_for
from svstate._observe import check_transition
from svstate._rulesets import DEFAULT_RULESET, Ruleset, resolve_ruleset
from svstate._vocab import Decision, Status
from svstate.testing._fake import FakeClock
from svstate.testing._fake_client import fake_personalize

__all__ = ["Adapter", "LifecycleConformance", "PipelineConformance"]

_DATASET_GROUP = "arn:aws:personalize:us-east-1:123456789012:dataset-group/conformance"


class Adapter(Protocol):
    """What a user's pipeline offers the machine.

    ``actions()`` maps names to callables the machine may run at any time;
    ``view()`` (optional) returns the pipeline's belief of its versions'
    statuses, ``{version_arn: status_string}``.
    """

    def actions(self) -> Mapping[str, Callable[[], object]]: ...


class _Conformance(RuleBasedStateMachine):
    """What both machines share: the adapter's actions, time, and the refusals check."""

    ruleset: ClassVar[object] = DEFAULT_RULESET
    durations: ClassVar[Mapping[str, float] | None] = None
    allowed_errors: ClassVar[frozenset[str]] = frozenset()

    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock()
        self.client = fake_personalize(
            ruleset=self.ruleset, clock=self.clock, durations=self.durations
        )
        self._refused = 0

    def _take(self, adapter: Adapter) -> None:
        actions = adapter.actions()
        if not actions:
            raise TypeError("the adapter's actions() is empty; give the machine something to run")
        self.adapter = adapter
        self._actions = dict(actions)

    @rule(data=st.data())
    def run_an_action(self, data: st.DataObject) -> None:
        """Run one of the adapter's actions."""
        name = data.draw(st.sampled_from(sorted(self._actions)), label="action")
        self._actions[name]()

    @rule(seconds=st.sampled_from([60, 300, 900, 3600, 4 * 3600, 86400, 7 * 86400]))
    def time_passes(self, seconds: int) -> None:
        """Let the clock run."""
        self.clock.advance(seconds)

    @rule(
        reason=st.sampled_from(
            [
                "Create failed. Dataset has fewer than 25 users with at least 2 interactions each.",
                "Create failed. Internal error.",
            ]
        )
    )
    def next_training_fails(self, reason: str) -> None:
        """The service will fail the next training."""
        self.client.fake.fail_next_training(reason)

    @invariant()
    def nothing_illegal_was_sent(self) -> None:
        """The fake refused no call the adapter made (beyond ``allowed_errors``)."""
        refused = [
            c for c in self.client.fake.refused[self._refused :] if c[2] not in self.allowed_errors
        ]
        self._refused = len(self.client.fake.refused)
        assert not refused, "the adapter sent calls the service refuses: " + "; ".join(
            f"{op} {params} -> {code}: {message}" for op, params, code, message in refused
        )

    @invariant()
    def adapter_view_agrees_with_the_service(self) -> None:
        """What the adapter believes (``view()``, if it has one) can still lead to what the fake shows."""
        view = getattr(self.adapter, "view", None)
        if view is None:
            return
        actual = self._shown()
        for arn, believed in dict(view()).items():
            assert arn in actual, f"the adapter believes in {arn}, which the service lacks"
            name, status = actual[arn]
            why = self._illegal(name, believed, status)
            assert why is None, (
                f"the adapter believes {arn} is {believed}, but the service says {status}{why}"
            )

    def _shown(self) -> dict[str, tuple[str, str | None]]:
        """Every resource the machine watches: ARN -> (resource name, status shown)."""
        raise NotImplementedError

    def _illegal(self, name: str, before: str | None, now: str | None) -> str | None:
        """None if ``before`` can lead to ``now`` for resource ``name``, else why not."""
        raise NotImplementedError


class LifecycleConformance(_Conformance):
    """A hypothesis state machine that drives a user adapter against the fake service.

    Subclass it and override :meth:`make_adapter`; set ``ruleset``,
    ``recipe_arn`` or ``durations`` as class attributes to change the world
    the adapter lives in. ``allowed_errors`` names AWS error codes the
    adapter may provoke without failing the run (none by default: a
    well-behaved pipeline sends nothing the service would refuse).
    """

    __module__ = "svstate.testing"

    recipe_arn: ClassVar[str] = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"

    def __init__(self) -> None:
        super().__init__()
        self.solution_arn: str = self.client.create_solution(
            name="conformance", datasetGroupArn=_DATASET_GROUP, recipeArn=self.recipe_arn
        )["solutionArn"]
        self.clock.advance(3600)  # the solution is ACTIVE when the adapter first runs
        self._take(self.make_adapter(self.client, self.solution_arn))
        self._seen: dict[str, str] = {}

    def make_adapter(self, client: Any, solution_arn: str) -> Adapter:
        """Return the adapter under test, built on ``client`` for ``solution_arn``."""
        raise NotImplementedError(
            "subclass LifecycleConformance and return your adapter from make_adapter()"
        )

    # -- what happens (and the adapter's actions, time, failed trainings) --------------

    @precondition(lambda self: bool(self._versions()))
    @rule()
    def training_settles_now(self) -> None:
        """Every version being trained finishes at once."""
        self.client.fake.settle()

    # -- what must hold -----------------------------------------------------------------

    def _versions(self) -> dict[str, str]:
        backend = self.client.fake
        with backend._lock:
            sol = backend._alive(backend._solutions, self.solution_arn)
            if sol is None:
                return {}
            return {v.arn: backend._version_dict(v)["status"] for v in backend._versions_of(sol)}

    @invariant()
    def statuses_follow_the_lifecycle(self) -> None:
        """Every version's status moved only along the lifecycle."""
        now = self._versions()
        for arn, status in now.items():
            before = self._seen.get(arn)
            if before is not None:
                verdict = check_transition(before, status, ruleset=self.ruleset)
                assert verdict.decision is Decision.ALLOW, f"{arn}: {verdict}"
        self._seen = now

    def _shown(self) -> dict[str, tuple[str, str | None]]:
        return {arn: ("solution_version", s) for arn, s in self._versions().items()}

    def _illegal(self, name: str, before: str | None, now: str | None) -> str | None:
        verdict = check_transition(str(before), str(now), ruleset=self.ruleset)
        return None if verdict.decision is Decision.ALLOW else f": {verdict}"


def _lifecycles(rs: Ruleset) -> dict[str, tuple[Lifecycle, tuple[Status, ...]]]:
    """Each resource's creation lifecycle and deletion statuses, from the declarations."""
    out: dict[str, tuple[Lifecycle, tuple[Status, ...]]] = {}
    for r in CHAIN:
        if r.name == "solution_version":
            out[r.name] = (lifecycle_for(rs), r.deletion)
        elif r.compiled is not None:
            out[r.name] = (r.compiled, r.deletion)
        if r.updates is not None:
            out[f"{r.name}_update"] = (Lifecycle(r.updates.lifecycle), ())
    return out


class PipelineConformance(_Conformance):
    """A hypothesis state machine that drives a user's whole pipeline against the fake service.

    Where :class:`LifecycleConformance` hands the adapter a solution,
    this one hands it an empty account: the adapter builds the chain itself
    (dataset group, schema, datasets, import jobs, solution, versions,
    campaign and its updates, batch inference). Subclass it and override
    :meth:`make_adapter`; ``ruleset``, ``durations`` and ``allowed_errors``
    work as on :class:`LifecycleConformance`. Besides the adapter's actions
    and time, hypothesis fails the next import job, training or campaign
    update. After every step it checks:

    * nothing illegal was sent: the fake refused no call;
    * every resource's status moved only along its declared lifecycle
      (forward, into its deletion statuses, or gone), each campaign update
      along its own (:meth:`FakePersonalize.statuses` keys them apart);
    * the adapter's view, if it has one (``view()`` returning
      ``{arn: status}`` for any resource), can still lead to what the fake
      shows.

    >>> from svstate.testing import PipelineConformance
    >>> class Demo(PipelineConformance):
    ...     def make_adapter(self, client):
    ...         return _Demo(client)
    >>> class _Demo:
    ...     def __init__(self, client):
    ...         self.client = client
    ...     def actions(self):
    ...         return {"group": lambda: self.client.list_dataset_groups()}
    >>> from hypothesis import settings
    >>> from hypothesis.stateful import run_state_machine_as_test
    >>> run_state_machine_as_test(Demo, settings=settings(max_examples=5, deadline=None))
    """

    __module__ = "svstate.testing"

    def __init__(self) -> None:
        super().__init__()
        self._lc = _lifecycles(resolve_ruleset(self.ruleset))
        self._take(self.make_adapter(self.client))
        self._seen: dict[tuple[str, str], str | None] = {}

    def make_adapter(self, client: Any) -> Adapter:
        """Return the adapter under test, built on ``client`` (a fake, empty account)."""
        raise NotImplementedError(
            "subclass PipelineConformance and return your adapter from make_adapter()"
        )

    @rule(
        resource=st.sampled_from(["dataset_import_job", "campaign_update"]),
        reason=st.sampled_from(
            [
                "Input CSV is missing the following columns: [ITEM_ID]",
                "Create failed. Internal error.",
            ]
        ),
    )
    def next_one_fails(self, resource: str, reason: str) -> None:
        """The service will fail the next import job, or the next campaign update."""
        self.client.fake.fail_next(resource, reason)

    def _step_ok(self, name: str, before: str | None, now: str | None) -> bool:
        if before == now or now is None:
            return True  # unchanged, or deleted and gone
        lc, deletion = self._lc[name]
        new = Status(now)
        if before is None:
            return new not in deletion  # gone, then created again under the same name
        old = Status(before)
        if new in deletion:
            return old not in deletion or deletion.index(new) >= deletion.index(old)
        return old in lc.reachable and new in lc.reachable[old]

    @invariant()
    def statuses_follow_their_lifecycles(self) -> None:
        """Every resource's status moved only along its declared lifecycle."""
        now = self.client.fake.statuses()
        for key, status in now.items():
            if key in self._seen:
                before = self._seen[key]
                assert self._step_ok(key[0], before, status), (
                    f"{key[0]} {key[1]} went from {before} to {status}, which its lifecycle "
                    "does not allow"
                )
        self._seen = now

    def _shown(self) -> dict[str, tuple[str, str | None]]:
        return {arn: (name, status) for (name, arn), status in self.client.fake.statuses().items()}

    def _illegal(self, name: str, before: str | None, now: str | None) -> str | None:
        return None if self._step_ok(name, before, now) else ""
