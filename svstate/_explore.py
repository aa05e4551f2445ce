"""``explore``: every reachable state of one solution, searched breadth-first.

Rules in this file:

* The state of a solution is its status, its versions (each a status and a
  training mode, plus whether an ACTIVE FULL version existed when it was
  created), whether it has a campaign, and how many times it was deleted.
* The service's moves come from the lifecycle declaration (versions) and
  from the solution's own path (CREATE PENDING > CREATE IN_PROGRESS > ACTIVE
  or CREATE FAILED; DELETE PENDING > DELETE IN_PROGRESS > gone). The user's
  calls (create a version in each mode the ruleset has, stop a version,
  create a campaign, delete the solution) are enabled exactly when
  :func:`svstate.preflight` allows them on the state's facts: the explorer
  adds no rule of its own, so what it proves is a property of the rules.
* Three reductions, each a quotient of the one below it, all giving the same
  answers (``tests/test_explore.py`` checks it at bounds 1 to 4):

  - ``"none"``: versions in creation order.
  - ``"symmetry"``: versions are interchangeable up to the order they were
    created in, so a state keeps them sorted (a multiset).
  - ``"quotient"`` (the default): states up to what the rules can tell
    apart. The rules read a solution's versions only through the *summary*
    (the statuses present, and the training modes of the ACTIVE versions)
    and a call's target (its status and mode): so a version that can never
    move again counts only by its kind (status and mode), not by how many
    there are; the training mode of a version that can never become ACTIVE
    is forgotten; and the UPDATE invariant is checked on the call that
    creates the version, so no state carries a ghost flag. The number of
    versions is kept, for the bound. Which statuses never move, and which
    cannot reach ACTIVE, are read off the lifecycle declaration.

  Pre-flight decisions are memoised by (operation, solution status,
  campaign, summary, the target's status and, if it is ACTIVE, its mode, the
  training mode sent): a property test checks, on generated version lists in
  every ruleset, that the decision depends on nothing else.
* Invariants are checked in every state; on a violation the search returns
  the shortest path to it as readable steps.
* The search pauses Python's cyclic garbage collector while it runs (it makes
  no cycles, and the collector's passes over its millions of tuples cost half
  the time), and restores it when it ends, also on an error.
"""

from __future__ import annotations

import contextlib
import gc
import math
import time
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from svstate._errors import SvstateError
from svstate._facts import (
    SolutionFacts,
    VersionTable,
    contradictions,
    read_campaigns,
    read_solution,
)
from svstate._lifecycle import (
    RESOURCE_CREATION,
    RESOURCE_CREATION_FAILED,
    RESOURCE_DELETION,
    Lifecycle,
    lifecycle_for,
)
from svstate._preflight import DEFAULT_ACCOUNT_QUOTA, evaluate, preflight
from svstate._rulesets import DEFAULT_RULESET, HRNN_COLDSTART, Ruleset, resolve_ruleset
from svstate._text import describe
from svstate._verdict import Finding, Verdict
from svstate._vocab import Decision, Status, TrainingMode

__all__ = ["Exploration", "explore"]

MAX_BOUND = 8  # beyond this the state space outgrows "reasonable time" (see _refuse)
MAX_QUOTIENT_BOUND = 10  # the quotient's limit: bound 10 visits 280,206 states in "latest"
REDUCTIONS = ("quotient", "symmetry", "none")
_SOLUTION = "arn:aws:personalize:us-east-1:123456789012:solution/explored"
S = Status
# The solution's own path (it is not the version lifecycle).
_SOLUTION_MOVES: dict[Status, tuple[Status | None, ...]] = {
    RESOURCE_CREATION[0]: (RESOURCE_CREATION[1],),
    RESOURCE_CREATION[1]: (RESOURCE_CREATION[2], RESOURCE_CREATION_FAILED),
    RESOURCE_DELETION[0]: (RESOURCE_DELETION[1],),
    RESOURCE_DELETION[1]: (None,),  # gone
}


def _stopped(lc: Lifecycle, status: Status) -> Status:
    """Where a stop takes a version in ``status``; an error if the lifecycle has no stop from
    it, which means preflight allowed a stop the lifecycle cannot take."""
    after = lc.next_status.get((status, "stop"))
    if after is None:
        raise SvstateError(
            f"preflight allowed StopSolutionVersionCreation on a version that is "
            f"{status.value}, but the lifecycle has no stop from {status.value}: the rules "
            "and the lifecycle declaration disagree. Report this."
        )
    return after


def _solution_steps(status: Status) -> Iterator[tuple[str, Status | None]]:
    """The solution's own moves from ``status``: (step, the status after, None once gone)."""
    for nxt in _SOLUTION_MOVES.get(status, ()):
        yield f"service: the solution becomes {'gone' if nxt is None else nxt.value}", nxt


# A version in a state: (status, mode, whether an ACTIVE FULL version existed at its creation)
Version = tuple[Status, TrainingMode, bool]
# A state: (solution status or None once gone, versions (sorted when reduced), campaign, deletes)
State = tuple[Status | None, tuple[Version, ...], bool, int]


@attrs.frozen
class Exploration:
    """What :func:`explore` found.

    ``states`` and ``transitions`` count what was visited; ``violations``
    names every invariant that failed (empty when the model is consistent
    within the bound); ``counterexample`` is the shortest path to the first
    violation, as readable steps; ``reached`` holds every version status
    seen; ``update_reachable`` says whether an UPDATE version was ever created;
    ``reduction`` names the reduction searched (``symmetry`` is whether any was).
    """

    __module__ = "svstate"

    bound: int
    ruleset: str
    recipe: str
    symmetry: bool
    states: int
    transitions: int
    seconds: float
    violations: tuple[str, ...]
    counterexample: tuple[str, ...] | None
    reached: frozenset[Status]
    update_reachable: bool
    reduction: str = "symmetry"

    @property
    def ok(self) -> bool:
        """Whether every invariant held in every reachable state."""
        return not self.violations


def _facts(state: State) -> dict[str, Any]:
    status, versions, campaign, _ = state
    assert status is not None
    facts: dict[str, Any] = {
        "solution": {"solutionArn": _SOLUTION, "status": status.value},
        "versions": [
            {
                "solutionVersionArn": f"{_SOLUTION}/{i:08x}",
                "status": v[0].value,
                "trainingMode": v[1].value,
            }
            for i, v in enumerate(versions)
        ],
        "campaigns": [{"campaignArn": "c", "status": "ACTIVE"}] if campaign else [],
    }
    return facts


class _Explorer:
    def __init__(self, bound: int, rs: Ruleset, recipe: str, symmetry: bool):
        self.bound = bound
        self.rs = rs
        self.recipe = recipe
        self.symmetry = symmetry
        self.lc = lifecycle_for(rs)
        self.modes = sorted(rs.training_modes or {TrainingMode.FULL}, key=lambda m: m.value)
        self.memo: dict[tuple[Any, ...], bool] = {}
        # Records for _verdict, read once: the solution's by its status, the campaigns'.
        self.solutions: dict[Status, SolutionFacts | None] = {}
        self.arns: list[str] = []
        self.campaign_rows = {
            False: [],
            True: read_campaigns([{"campaignArn": "c", "status": "ACTIVE"}], []) or [],
        }

    def initial(self) -> State:
        return (S.CREATE_PENDING, (), False, 0)

    def collect(self, state: State, seen: set[Any]) -> None:
        """Add the kinds of ``state``'s versions to ``seen``, as this explorer holds them."""
        seen.update(state[1])

    def decode(self, seen: set[Any]) -> list[tuple[Status, TrainingMode]]:
        """The kinds (status, mode) of what :meth:`collect` gathered."""
        return [(v[0], v[1]) for v in seen]

    def allowed(
        self,
        state: State,
        operation: str,
        target: Version | None,
        mode: TrainingMode | None = None,
    ) -> bool:
        status, versions, campaign, _ = state
        key = (operation, status, frozenset(versions), campaign, target, mode)
        found = self.memo.get(key)
        if found is not None:
            return found
        if operation == "CreateSolutionVersion":
            params: dict[str, Any] = {"solutionArn": _SOLUTION}
            if mode is not None and self.rs.training_modes:
                params["trainingMode"] = mode.value
        elif operation == "DeleteSolution":
            params = {"solutionArn": _SOLUTION}
        else:
            assert target is not None
            index = versions.index(target)
            arn = f"{_SOLUTION}/{index:08x}"
            params = {"solutionVersionArn": arn}
            if operation == "CreateCampaign":
                params.update(name="explored", minProvisionedTPS=1)
        verdict = self._verdict(state, operation, params)
        allowed = verdict.decision is Decision.ALLOW
        self.memo[key] = allowed
        return allowed

    def _verdict(self, state: State, operation: str, params: dict[str, Any]) -> Verdict:
        """:func:`svstate.preflight`'s verdict on the state's facts, evaluated over records
        built straight from the state: what reading its dicts gives (the solution's
        record and the campaigns' read once, the versions as columns). A state whose
        versions the readers would report on is passed as dicts
        (:meth:`_through_preflight`, which the tests compare this with)."""
        status, versions, campaign, _ = state
        scratch: list[Finding] = []
        assert status is not None
        if status not in self.solutions:
            read = read_solution(
                _facts(state)["solution"] | {"recipeArn": self.recipe}, _SOLUTION, scratch
            )
            if scratch:
                return self._through_preflight(state, operation, params)
            self.solutions[status] = read
        solution = self.solutions[status]
        n = len(versions)
        if len(self.arns) < n:
            self.arns = [f"{_SOLUTION}/{i:08x}" for i in range(n)]
        table = VersionTable(
            self.arns[:n], [v[0] for v in versions], [v[1] for v in versions], [{}] * n, None
        )
        if contradictions(table, solution, scratch):
            return self._through_preflight(state, operation, params)
        rows = self.campaign_rows[campaign]
        return evaluate(
            operation, params, self.rs, solution, table, rows, None, None, DEFAULT_ACCOUNT_QUOTA
        )

    def _through_preflight(self, state: State, operation: str, params: dict[str, Any]) -> Verdict:
        facts = _facts(state)
        facts["solution"]["recipeArn"] = self.recipe
        return preflight(operation, params, ruleset=self.rs, **facts)

    def canon(
        self, status: Status | None, versions: list[Version], campaign: bool, deletes: int
    ) -> State:
        return (
            status,
            tuple(sorted(versions, key=_order)) if self.symmetry else tuple(versions),
            campaign,
            deletes,
        )

    def successors(self, state: State) -> Iterator[tuple[str, State]]:
        status, versions, campaign, deletes = state
        if status is None:
            return
        # The service's moves.
        for step, nxt in _solution_steps(status):
            yield (
                step,
                self.canon(
                    nxt, [] if nxt is None else list(versions), campaign if nxt else False, deletes
                ),
            )
        seen: set[Version] = set()
        for i, v in enumerate(versions):
            if v in seen and self.symmetry:
                continue
            seen.add(v)
            for trigger in self.lc.triggers_from.get(v[0], ()):
                if trigger == "stop":
                    continue  # stopping is the user's call
                after = self.lc.next_status[v[0], trigger]
                rest = list(versions)
                rest[i] = (after, v[1], v[2])
                yield (
                    f"service: {trigger} version {i} ({v[1].value})",
                    self.canon(status, rest, campaign, deletes),
                )
        active_full = any(v[0] is S.ACTIVE and v[1] is TrainingMode.FULL for v in versions)
        if (
            status is S.ACTIVE
            and len(versions) < self.bound
            and TrainingMode.AUTOTRAIN in self.rs.training_modes
        ):
            yield (
                "service: automatic training creates a version",
                self.canon(
                    status,
                    [*versions, (S.CREATE_PENDING, TrainingMode.AUTOTRAIN, active_full)],
                    campaign,
                    deletes,
                ),
            )
        deleting = status in (S.DELETE_PENDING, S.DELETE_IN_PROGRESS)
        # The user's calls, as preflight allows them.
        if len(versions) < self.bound:
            for mode in self.modes:
                if mode is TrainingMode.AUTOTRAIN:
                    continue  # the service's own (SV107: whether callers may is unconfirmed)
                sent = mode if self.rs.training_modes else None
                if self.allowed(state, "CreateSolutionVersion", None, sent):
                    yield (
                        f"user: CreateSolutionVersion {mode.value}",
                        self.canon(
                            status,
                            [*versions, (S.CREATE_PENDING, mode, active_full)],
                            campaign,
                            deletes,
                        ),
                    )
        seen = set()
        for i, v in enumerate(versions):
            if v in seen and self.symmetry:
                continue
            seen.add(v)
            if self.rs.has_stop and self.allowed(state, "StopSolutionVersionCreation", v):
                rest = list(versions)
                rest[i] = (_stopped(self.lc, v[0]), v[1], v[2])
                yield (
                    f"user: StopSolutionVersionCreation on version {i}",
                    self.canon(status, rest, campaign, deletes),
                )
            if not campaign and self.allowed(state, "CreateCampaign", v):
                yield (
                    f"user: CreateCampaign on version {i}",
                    self.canon(status, list(versions), True, deletes),
                )
        if self.allowed(state, "DeleteSolution", None):
            # A delete of a solution already being deleted changes nothing (SV903 warns).
            yield (
                "user: DeleteSolution",
                state
                if deleting
                else self.canon(S.DELETE_PENDING, list(versions), campaign, deletes + 1),
            )

    def violations(
        self, before: State | None, step: str, state: State, new: bool = True
    ) -> list[str]:
        """What ``step`` from ``before`` to ``state`` breaks (``new`` is for the quotient:
        this explorer checks every state at every step)."""
        status, versions, _, deletes = state
        found = []
        for v in versions:
            if v[1] is TrainingMode.UPDATE and not v[2]:
                found.append("an UPDATE version was created without an ACTIVE FULL version")
            if v[0] not in self.lc.reachable:
                found.append(f"a version is {v[0].value}, not a status of the lifecycle")
        if deletes > 1:
            found.append("the solution was deleted twice")
        if before is not None and step.startswith(("service: ", "user: ")):
            old = {v for v in before[1] if v[0] in self.lc.terminal}
            lost = [v for v in old if _count(before[1], v) > _count(versions, v)]
            if lost and status is not None:
                found.append(f"a version left the terminal status {lost[0][0].value}")
        return found


# A version's kind: what the rules can tell of it.
Kind = tuple[Status, TrainingMode]
# A quotient state: (solution status or None once gone, the kinds (as their ranks, see
# _Quotient) of the versions that never move again, the sorted ranks of the others (a
# multiset), campaign, deletes, number of versions)
QState = tuple[Status | None, frozenset[int], tuple[int, ...], bool, int, int]


def summary(kinds: Iterable[Kind]) -> tuple[Any, Any]:
    """What the rules read of a solution's versions: the statuses present, and the modes of
    the ACTIVE ones (``tests/test_explore.py`` checks that decisions depend on no more)."""
    present = tuple(kinds)
    return (
        frozenset(k[0] for k in present),
        frozenset(k[1] for k in present if k[0] is S.ACTIVE),
    )


@attrs.frozen(eq=False)
class _Frame:
    """A quotient state's versions, worked out once: the facts' listing and its summary,
    the service's moves, the parts after a version of each mode is created, and each
    distinct kind as a call's target with the parts after it is stopped (if it can be)."""

    listing: tuple[Kind, ...]
    seen: tuple[Any, Any]
    service: tuple[tuple[str, tuple[Any, Any]], ...]
    created: dict[TrainingMode, tuple[Any, Any]]
    targets: tuple[tuple[int, Kind, tuple[Any, Any] | None], ...]


class _Quotient(_Explorer):
    """The explorer over states up to what the rules can tell apart (see the module rules)."""

    def __init__(self, bound: int, rs: Ruleset, recipe: str):
        super().__init__(bound, rs, recipe, True)
        lc = self.lc
        # Read off the declaration: statuses with no way out, and those that cannot reach
        # ACTIVE (the only status whose versions' modes the summary reads).
        self.still = frozenset(s for s in lc.statuses if not lc.triggers_from.get(s))
        self.modeless = frozenset(s for s in lc.statuses if S.ACTIVE not in lc.reachable[s])
        # Every status, so that a wrong move into one the lifecycle lacks is found, not a KeyError.
        kinds = [(st, m) for st in Status for m in TrainingMode]
        # States hold kinds as small ints (their rank): tuples of ints hash in C, tuples of
        # enums call Python for every member.
        self.kind: list[Kind] = sorted(kinds, key=lambda k: (k[0].value, k[1].value))
        self.rank = {k: i for i, k in enumerate(self.kind)}
        self.decisions: dict[tuple[Any, ...], bool] = {}
        self.strange = frozenset(i for i, k in enumerate(self.kind) if k[0] not in lc.reachable)
        self.active_full = self.rank[_ACTIVE_FULL]
        self.terminal_moving = lc.terminal - self.still  # empty unless the declaration is wrong
        self.active_still = S.ACTIVE in self.still
        self.reads: dict[frozenset[int], list[int]] = {}
        self.frames: dict[tuple[frozenset[int], tuple[int, ...]], _Frame] = {}
        self.calls: dict[tuple[Any, ...], tuple[tuple[str, str, Any], ...]] = {}
        self.mode_order = sorted(TrainingMode, key=lambda m: m.value)

    def initial(self) -> QState:  # type: ignore[override]
        return (S.CREATE_PENDING, frozenset(), (), False, 0, 0)

    def _listing(self, still: frozenset[int], moving: tuple[int, ...]) -> tuple[Kind, ...]:
        """The kinds of a state's versions, in the order the facts list them."""
        kind = self.kind
        return (*(kind[i] for i in sorted(still)), *(kind[i] for i in moving))

    def collect(self, state: QState, seen: set[Any]) -> None:  # type: ignore[override]
        seen.update(state[1])
        seen.update(state[2])

    def decode(self, seen: set[Any]) -> list[Kind]:
        return [self.kind[i] for i in seen]

    def _add(self, kind: Kind, still: frozenset[int], moving: list[int]) -> tuple[Any, Any]:
        """The parts of a state after ``kind`` joins the versions ``still`` and ``moving``."""
        if kind[0] in self.still:
            if kind[0] in self.modeless:
                kind = (kind[0], TrainingMode.FULL)  # a mode nothing will ever read
            code = self.rank[kind]
            if code not in still:
                still = still | {code}  # a new ACTIVE kind may make more modes read alike
            return still, self._canon(still, moving)
        moving.append(self.rank[kind])
        return still, self._canon(still, moving)

    def _canon(self, still: frozenset[int], moving: list[int]) -> tuple[int, ...]:
        """``moving``, sorted, each mode replaced by the one it reads as (see :meth:`_reads`)."""
        reads = self.reads.get(still)
        if reads is None:
            reads = self.reads[still] = self._reads(still)
        return tuple(sorted(map(reads.__getitem__, moving)))

    def _reads(self, still: frozenset[int]) -> list[int]:
        """What each kind of moving version reads as, next to the versions ``still``.

        A moving version's mode matters only through the ACTIVE kind it may add: once that
        kind is present, versions of every mode whose ACTIVE kind is present read alike,
        and one mode stands for them all; the mode of a version that can never be ACTIVE is
        never read.
        """
        rank = self.rank
        present = [m for m in self.mode_order if rank[S.ACTIVE, m] in still]
        stand = present[0] if present and self.active_still else None
        reads = []
        for k in self.kind:
            if k[0] in self.modeless:
                k = (k[0], TrainingMode.FULL)
            elif stand is not None and rank[S.ACTIVE, k[1]] in still:
                k = (k[0], stand)
            reads.append(rank[k])
        return reads

    def decide(
        self,
        state: QState,
        listing: tuple[Kind, ...],
        seen: tuple[Any, Any],
        operation: str,
        target: Kind | None,
        mode: TrainingMode | None = None,
    ) -> bool:
        """Whether preflight allows the call; ``seen`` is the :func:`summary` of ``listing``."""
        status, _, _, campaign, deletes, _ = state
        read = None if target is None else target if target[0] is S.ACTIVE else target[0]
        key = (operation, status, seen, campaign, read, mode)
        found = self.decisions.get(key)
        if found is None:
            versions = tuple((k[0], k[1], False) for k in listing)
            concrete = (status, versions, campaign, deletes)
            found = self.allowed(
                concrete, operation, None if target is None else (*target, False), mode
            )
            self.decisions[key] = found
        return found

    def _frame(self, still: frozenset[int], moving: tuple[int, ...]) -> _Frame:
        """Everything about a state's versions that does not depend on the rest of it."""
        listing = self._listing(still, moving)
        offset = len(still)
        service = []
        for i, code in enumerate(moving):
            if i and moving[i - 1] == code:
                continue  # the same kind: the same moves
            k = self.kind[code]
            for trigger in self.lc.triggers_from.get(k[0], ()):
                if trigger == "stop":
                    continue  # stopping is the user's call
                rest = [*moving[:i], *moving[i + 1 :]]
                after = self._add((self.lc.next_status[k[0], trigger], k[1]), still, rest)
                service.append((f"service: {trigger} version {offset + i} ({k[1].value})", after))
        created = {
            mode: self._add((S.CREATE_PENDING, mode), still, [*moving]) for mode in TrainingMode
        }
        targets = []
        for i, k in enumerate(listing):
            if i and listing[i - 1] == k:
                continue
            stopped: tuple[Any, Any] | None = None
            if (k[0], "stop") in self.lc.next_status:  # else preflight must refuse the stop
                kind = (_stopped(self.lc, k[0]), k[1])
                if i < offset:  # a version that never moves: it stays, as a kind
                    stopped = self._add(kind, still, [*moving])
                else:
                    j = i - offset
                    stopped = self._add(kind, still, [*moving[:j], *moving[j + 1 :]])
            targets.append((i, k, stopped))
        return _Frame(listing, summary(listing), tuple(service), created, tuple(targets))

    def successors(self, state: QState) -> Iterator[tuple[str, QState]]:  # type: ignore[override]
        status, still, moving, campaign, deletes, n = state
        if status is None:
            return
        for step, nxt in _solution_steps(status):
            yield (
                step,
                (nxt, still, moving, campaign, deletes, n)
                if nxt is not None
                else (None, frozenset(), (), False, deletes, 0),
            )
        frame = self.frames.get((still, moving))
        if frame is None:
            frame = self.frames[still, moving] = self._frame(still, moving)
        for step, (after, rest) in frame.service:
            yield step, (status, after, rest, campaign, deletes, n)
        room = n < self.bound
        if room and status is S.ACTIVE and TrainingMode.AUTOTRAIN in self.rs.training_modes:
            after, rest = frame.created[TrainingMode.AUTOTRAIN]
            yield (
                "service: automatic training creates a version",
                (status, after, rest, campaign, deletes, n + 1),
            )
        calls = self.calls.get((status, campaign, frame))
        if calls is None:
            calls = self.calls[status, campaign, frame] = self._calls(state, frame)
        for step, call, parts in calls:
            if call == "create":
                if room:
                    yield step, (status, *parts, campaign, deletes, n + 1)
            elif call == "stop":
                yield step, (status, *parts, campaign, deletes, n)
            elif call == "campaign":
                yield step, (status, still, moving, True, deletes, n)
            elif status in (S.DELETE_PENDING, S.DELETE_IN_PROGRESS):
                yield step, state  # a delete of a solution being deleted changes nothing
            else:
                yield step, (S.DELETE_PENDING, still, moving, campaign, deletes + 1, n)

    def _calls(self, state: QState, frame: _Frame) -> tuple[tuple[str, str, Any], ...]:
        """The user's calls preflight allows in ``state``, worked out once per solution
        status, campaign and frame: (step, the call: create, stop, campaign or delete, the
        versions' parts after it, for create and stop)."""
        listing, seen, campaign = frame.listing, frame.seen, state[3]
        calls: list[tuple[str, str, Any]] = []
        for mode in self.modes:
            if mode is TrainingMode.AUTOTRAIN:
                continue  # the service's own (SV107: whether callers may is unconfirmed)
            sent = mode if self.rs.training_modes else None
            if self.decide(state, listing, seen, "CreateSolutionVersion", None, sent):
                calls.append(
                    (f"user: CreateSolutionVersion {mode.value}", "create", frame.created[mode])
                )
        for i, k, stopped in frame.targets:
            if self.rs.has_stop and self.decide(
                state, listing, seen, "StopSolutionVersionCreation", k
            ):
                if stopped is None:  # allowed, but the lifecycle has no way: say so
                    _stopped(self.lc, k[0])
                calls.append(
                    (f"user: StopSolutionVersionCreation on version {i}", "stop", stopped)
                )
            if not campaign and self.decide(state, listing, seen, "CreateCampaign", k):
                calls.append((f"user: CreateCampaign on version {i}", "campaign", None))
        if self.decide(state, listing, seen, "DeleteSolution", None):
            calls.append(("user: DeleteSolution", "delete", None))
        return tuple(calls)

    def violations(self, before: Any, step: str, state: Any, new: bool = True) -> list[str]:
        """What ``step`` from ``before`` to ``state`` breaks. A state's own properties (its
        statuses, its deletes) were checked when it was ``new``; a step's always are."""
        status, still, moving, _, deletes, _ = state
        if not new and step != _CREATE_UPDATE and not self.terminal_moving and before[1] <= still:
            return []
        found = []
        # No state carries the ghost flag: the invariant is checked on the creating call.
        if (
            step == _CREATE_UPDATE
            and self.active_full not in before[1]
            and self.active_full not in before[2]
        ):
            found.append("an UPDATE version was created without an ACTIVE FULL version")
        if not (self.strange.isdisjoint(still) and self.strange.isdisjoint(moving)):
            strange = sorted(
                {self.kind[i][0].value for i in (*still, *moving) if i in self.strange}
            )
            found.append(f"a version is {strange[0]}, not a status of the lifecycle")
        if deletes > 1:
            found.append("the solution was deleted twice")
        if before is not None and status is not None:
            lost = (
                []
                if before[1] <= still
                else [i for i in before[1] - still if self.kind[i][0] in self.lc.terminal]
            )
            if self.terminal_moving:
                lost += [
                    i
                    for i in dict.fromkeys(before[2])
                    if self.kind[i][0] in self.terminal_moving
                    and before[2].count(i) > moving.count(i)
                ]
            if lost:
                found.append(f"a version left the terminal status {self.kind[min(lost)][0].value}")
        return found


_CREATE_UPDATE = "user: CreateSolutionVersion UPDATE"
_ACTIVE_FULL: Kind = (S.ACTIVE, TrainingMode.FULL)


def _order(v: Version) -> tuple[str, str, bool]:
    return (v[0].value, v[1].value, v[2])


def _count(versions: tuple[Version, ...], v: Version) -> int:
    return sum(1 for w in versions if w == v)


# States a search may visit before it is refused (about a minute here).
MAX_STATES = 3_000_000


def _estimate(bound: int, rs: Ruleset) -> int:
    """An upper estimate of the reduced state count: multisets of version states."""
    kinds = len(lifecycle_for(rs).statuses) * max(len(rs.training_modes), 1) * 2
    return math.comb(kinds + bound, bound) * 2  # x2: with or without a campaign


def _refuse(bound: object, rs: Ruleset, reduction: str) -> int:
    limit = MAX_QUOTIENT_BOUND if reduction == "quotient" else MAX_BOUND
    if isinstance(bound, bool) or not isinstance(bound, int):
        raise SvstateError(
            f"bound is {describe(bound)}; pass the number of versions, an int from 0 to {limit}."
        )
    if bound < 0:
        raise SvstateError(f"bound is {bound}; pass a number of versions from 0 to {limit}.")
    if reduction == "quotient":
        if bound > limit:
            raise SvstateError(
                f"bound {bound} is refused: even up to what the rules can tell apart, the "
                f"states grow about 2-fold per version (bound {limit} visits some 280,000 "
                f"states in the default ruleset), which would not finish in reasonable time; "
                f"explore up to bound={limit}."
            )
        return bound
    estimate = _estimate(bound, rs) if bound <= MAX_BOUND else 0
    if bound > MAX_BOUND or estimate > MAX_STATES:
        largest = max(n for n in range(MAX_BOUND + 1) if _estimate(n, rs) <= MAX_STATES)
        raise SvstateError(
            f"bound {bound} is refused for ruleset {rs.name} with reduction={reduction!r}: "
            f"the states grow like the multisets of {bound} version states (up to about "
            f"{estimate or _estimate(MAX_BOUND, rs):,}, more than {MAX_STATES:,}), which "
            f"would not finish in reasonable time; explore up to bound={largest}, or use "
            f"the default reduction, 'quotient', which reaches bound {MAX_QUOTIENT_BOUND}."
        )
    return bound


def explore(
    bound: int = 3,
    *,
    ruleset: object = DEFAULT_RULESET,
    recipe: str = HRNN_COLDSTART,
    reduction: str = "quotient",
    symmetry: bool = True,
) -> Exploration:
    """Search every reachable state of one solution with up to ``bound`` versions.

    The user's calls are enabled exactly when :func:`svstate.preflight`
    allows them; the service's moves come from the lifecycle. Checks, in
    every state, that an UPDATE version only ever follows an ACTIVE FULL one,
    that terminal statuses never change, that the solution is deleted at most
    once, and that every status is one the lifecycle has. Returns an
    :class:`Exploration` with the counts and, on a violation, the shortest
    counterexample.

    :param reduction: ``"quotient"`` (the default) searches states up to what
        the rules can tell apart, up to bound 10; ``"symmetry"`` keeps every
        version but ignores their order, and ``"none"`` searches versions in
        creation order (both up to bound 8, less in rulesets with more
        statuses). All three give the same answers; only the counts differ.
    :param symmetry: ``False`` is the same as ``reduction="none"`` (kept from 0.1).
    :raises SvstateError: for a bound that is not an int from 0 to the reduction's limit,
        one whose state space would not be searched in reasonable time, or a reduction
        that is not one of the three.

    >>> import svstate
    >>> found = svstate.explore(bound=2)
    >>> found.ok, found.update_reachable, found.states > 0
    (True, True, True)
    >>> svstate.explore(bound=2, recipe="arn:aws:personalize:::recipe/aws-sims").update_reachable
    False
    >>> svstate.explore(bound=2, reduction="none").states > found.states
    True
    """
    rs = resolve_ruleset(ruleset)
    if not isinstance(symmetry, bool):
        raise SvstateError(f"symmetry is {describe(symmetry)}; pass True or False.")
    if reduction not in REDUCTIONS:
        raise SvstateError(
            f"reduction is {describe(reduction)}; pass one of "
            f"{', '.join(repr(r) for r in REDUCTIONS)}."
        )
    if not symmetry:
        reduction = "none"
    bound = _refuse(bound, rs, reduction)
    if not isinstance(recipe, str):
        raise SvstateError(f"recipe is {describe(recipe)}; pass a recipe ARN.")
    explorer = (
        _Quotient(bound, rs, recipe)
        if reduction == "quotient"
        else _Explorer(bound, rs, recipe, reduction == "symmetry")
    )
    start_clock = time.perf_counter()
    initial: Any = explorer.initial()
    parent: dict[Any, tuple[Any, str] | None] = {initial: None}
    queue = deque([initial])
    transitions = 0
    violations: list[str] = []
    counterexample: tuple[str, ...] | None = None
    seen: set[Any] = set()  # the kinds of version met, as each explorer holds them
    # The hot loop: its methods looked up once.
    successors, check, collect = explorer.successors, explorer.violations, explorer.collect
    pop, push = queue.popleft, queue.append
    with collector_paused():
        while queue:
            state = pop()
            for step, nxt in successors(state):
                transitions += 1
                new = nxt not in parent
                problems = check(state, step, nxt, new)
                if new:
                    parent[nxt] = (state, step)
                    push(nxt)
                    collect(nxt, seen)
                if problems and counterexample is None:
                    violations.extend(problems)
                    counterexample = (*path_to(parent, state), step)
                    queue.clear()
                    break
    kinds = explorer.decode(seen)
    reached = {k[0] for k in kinds}
    update = any(k[1] is TrainingMode.UPDATE for k in kinds)
    return Exploration(
        bound,
        rs.name,
        recipe,
        reduction != "none",
        len(parent),
        transitions,
        time.perf_counter() - start_clock,
        tuple(dict.fromkeys(violations)),
        counterexample,
        frozenset(reached),
        update,
        reduction,
    )


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, if it runs, until the block ends.

    The search builds millions of small tuples and no reference cycles; the collector's
    passes over them cost about half the search's time ("latest" bound 10: 9.3 s with it,
    5.1 s without). Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def path_to(parent: dict[Any, tuple[Any, str] | None], state: Any) -> tuple[str, ...]:
    """The steps from the initial state to ``state``, by each state's (parent, step)."""
    steps: list[str] = []
    link = parent[state]
    while link is not None:
        state, step = link
        steps.append(step)
        link = parent[state]
    return tuple(reversed(steps))
