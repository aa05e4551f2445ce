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
* Symmetry reduction: versions are interchangeable up to the order they were
  created in, so a state keeps them sorted. Pre-flight verdicts are memoised
  by the set of distinct version states, which the rules' decisions depend
  on (a property the tests check).
* Invariants are checked in every state; on a violation the search returns
  the shortest path to it as readable steps.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Iterator
from typing import Any

import attrs

from svstate._errors import SvstateError
from svstate._lifecycle import (
    RESOURCE_CREATION,
    RESOURCE_CREATION_FAILED,
    RESOURCE_DELETION,
    lifecycle_for,
)
from svstate._preflight import preflight
from svstate._rulesets import DEFAULT_RULESET, HRNN_COLDSTART, Ruleset, resolve_ruleset
from svstate._text import describe
from svstate._vocab import Decision, Status, TrainingMode

__all__ = ["Exploration", "explore"]

MAX_BOUND = 8  # beyond this the state space outgrows "reasonable time" (see _refuse)
_SOLUTION = "arn:aws:personalize:us-east-1:123456789012:solution/explored"
S = Status
# The solution's own path (it is not the version lifecycle).
_SOLUTION_MOVES: dict[Status, tuple[Status | None, ...]] = {
    RESOURCE_CREATION[0]: (RESOURCE_CREATION[1],),
    RESOURCE_CREATION[1]: (RESOURCE_CREATION[2], RESOURCE_CREATION_FAILED),
    RESOURCE_DELETION[0]: (RESOURCE_DELETION[1],),
    RESOURCE_DELETION[1]: (None,),  # gone
}

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
    seen; ``update_reachable`` says whether an UPDATE version was ever created.
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
        facts = _facts(state)
        facts["solution"]["recipeArn"] = self.recipe
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
        verdict = preflight(operation, params, ruleset=self.rs, **facts)
        allowed = verdict.decision is Decision.ALLOW
        self.memo[key] = allowed
        return allowed

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
        for nxt in _SOLUTION_MOVES.get(status, ()):
            name = "gone" if nxt is None else nxt.value
            yield (
                f"service: the solution becomes {name}",
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
                rest[i] = (self.lc.next_status[v[0], "stop"], v[1], v[2])
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

    def violations(self, before: State | None, step: str, state: State) -> list[str]:
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


def _refuse(bound: object, rs: Ruleset) -> int:
    if isinstance(bound, bool) or not isinstance(bound, int):
        raise SvstateError(
            f"bound is {describe(bound)}; pass the number of versions, an int "
            f"from 0 to {MAX_BOUND}."
        )
    if bound < 0:
        raise SvstateError(f"bound is {bound}; pass a number of versions from 0 to {MAX_BOUND}.")
    estimate = _estimate(bound, rs) if bound <= MAX_BOUND else 0
    if bound > MAX_BOUND or estimate > MAX_STATES:
        largest = max(n for n in range(MAX_BOUND + 1) if _estimate(n, rs) <= MAX_STATES)
        raise SvstateError(
            f"bound {bound} is refused for ruleset {rs.name}: the states grow like the "
            f"multisets of {bound} version states (up to about "
            f"{estimate or _estimate(MAX_BOUND, rs):,}, more than {MAX_STATES:,}, with "
            f"symmetry reduction), which would not finish in reasonable time; explore up to "
            f"bound={largest} in this ruleset."
        )
    return bound


def explore(
    bound: int = 3,
    *,
    ruleset: object = DEFAULT_RULESET,
    recipe: str = HRNN_COLDSTART,
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

    :raises SvstateError: for a bound that is not an int from 0 to 8, or one whose state
        space would not be searched in reasonable time in that ruleset.

    >>> import svstate
    >>> found = svstate.explore(bound=2)
    >>> found.ok, found.update_reachable, found.states > 0
    (True, True, True)
    >>> svstate.explore(bound=2, recipe="arn:aws:personalize:::recipe/aws-sims").update_reachable
    False
    """
    rs = resolve_ruleset(ruleset)
    bound = _refuse(bound, rs)
    if not isinstance(recipe, str):
        raise SvstateError(f"recipe is {describe(recipe)}; pass a recipe ARN.")
    if not isinstance(symmetry, bool):
        raise SvstateError(f"symmetry is {describe(symmetry)}; pass True or False.")
    explorer = _Explorer(bound, rs, recipe, symmetry)
    start_clock = time.perf_counter()
    initial: State = (S.CREATE_PENDING, (), False, 0)
    parent: dict[State, tuple[State, str] | None] = {initial: None}
    queue = deque([initial])
    transitions = 0
    violations: list[str] = []
    counterexample: tuple[str, ...] | None = None
    reached: set[Status] = set()
    update = False
    while queue:
        state = queue.popleft()
        for step, nxt in explorer.successors(state):
            transitions += 1
            problems = explorer.violations(state, step, nxt)
            if nxt not in parent:
                parent[nxt] = (state, step)
                queue.append(nxt)
                for v in nxt[1]:
                    reached.add(v[0])
                    update = update or v[1] is TrainingMode.UPDATE
            if problems and counterexample is None:
                violations.extend(problems)
                counterexample = (*_path(parent, state), step)
                queue.clear()
                break
    return Exploration(
        bound,
        rs.name,
        recipe,
        symmetry,
        len(parent),
        transitions,
        time.perf_counter() - start_clock,
        tuple(dict.fromkeys(violations)),
        counterexample,
        frozenset(reached),
        update,
    )


def _path(parent: dict[State, tuple[State, str] | None], state: State) -> tuple[str, ...]:
    steps: list[str] = []
    link = parent[state]
    while link is not None:
        state, step = link
        steps.append(step)
        link = parent[state]
    return tuple(reversed(steps))
