"""Strategies for histories: legal and illegal sequences of calls and observations.

Re-exported by :mod:`svstate.testing.strategies`, whose header states the rules.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Collection
from typing import Any, Literal

import attrs
from hypothesis import strategies as st

from svstate._arn import SOLUTION
from svstate._catalogue import RULES
from svstate._lifecycle import IN_FLIGHT, Lifecycle, lifecycle_for
from svstate._rulesets import (
    AUTOTRAIN,
    DEFAULT_RULESET,
    TRAINING_MODE,
    Ruleset,
)
from svstate._shapes import RESPONSES
from svstate._vocab import Status, TrainingMode
from svstate.testing._args import (
    _FAILURE_REASONS,
    _UTC,
    DrawFn,
    InvalidArgument,
    S,
    SearchStrategy,
    _boolean,
    _count,
    _kind_problem,
    _ruleset,
    _strategy_or_value,
)
from svstate.testing._arns import _recipe_arg, _version_ids, recipe_arns, solution_arns
from svstate.testing._requests import _breaking, _prune
from svstate.testing._responses import _solution_dict, _version_dict, _VersionFacts

# -- histories ------------------------------------------------------------------------------

_StepKind = Literal["call", "observe"]


@attrs.frozen
class Step:
    """One step of a :class:`History`: a call with its response, or an observation.

    ``kind`` is ``"call"`` (a modelled operation: pre-flight it, then feed
    its response to the tracker) or ``"observe"`` (DescribeSolution,
    ListSolutionVersions or DescribeSolutionVersion: feed the response to the
    tracker). ``params`` is the request as passed to boto3; ``response`` the
    parsed response, the parsed error response the service would give to a
    refused call (``{"Error": {"Code": ..., "Message": ...}}``), or ``None``
    when the call could not be made at all (an operation the ruleset lacks).
    ``breaks`` is the id of the rule the step breaks, ``None`` for a legal step.

    >>> step = Step("call", "DeleteSolution", {"solutionArn": "arn:..."}, {})
    >>> step.kind, step.breaks
    ('call', None)
    """

    __module__ = "svstate.testing.strategies"

    kind: _StepKind
    operation: str
    params: dict[str, Any]
    response: dict[str, Any] | None
    breaks: str | None = None


@attrs.frozen
class History:
    """A sequence of calls and observations of one solution, as a pipeline sees them.

    ``steps`` are :class:`Step` records in order; ``ruleset`` the date whose
    rules they follow (pass it to :class:`svstate.Tracker`); ``solution_arn``
    the solution. For an illegal history, ``illegal_at`` is the index of the
    one illegal step and ``rule`` the id of the rule it breaks; both are
    ``None`` for a legal history.

    >>> h = History(steps=(), ruleset="2019-10-14", solution_arn="arn:...")
    >>> h.illegal_at is None and h.illegal_step is None
    True
    """

    __module__ = "svstate.testing.strategies"

    steps: tuple[Step, ...]
    ruleset: str
    solution_arn: str
    illegal_at: int | None = None
    rule: str | None = None

    @property
    def illegal_step(self) -> Step | None:
        """The illegal step, or ``None`` for a legal history."""
        return None if self.illegal_at is None else self.steps[self.illegal_at]


# The rules an illegal history can break, with what each needs to be breakable.
_ILLEGAL_RULES = ("SV301", "SV302", "SV501", "SV701", "SV801", "SV901")
# Rules whose illegal step may need a version created first (one is kept in reserve).
_NEEDS_VERSION = frozenset({"SV302", "SV501", "SV701", "SV901"})


def _possible(rs: Ruleset, max_versions: int) -> dict[str, str | None]:
    """For each rule an illegal history can break: ``None`` if possible, else why not."""
    mode_since = TRAINING_MODE.isoformat()
    no_mode = f"trainingMode exists from {mode_since}; pass ruleset='{mode_since}' or later"
    no_version = "its illegal step needs a solution version; pass max_versions=1 or more"
    why: dict[str, str | None] = dict.fromkeys(_ILLEGAL_RULES)
    if not rs.in_force(TRAINING_MODE):
        why["SV301"] = why["SV302"] = no_mode
    for rule_id in _NEEDS_VERSION:
        if max_versions < 1 and why[rule_id] is None:
            why[rule_id] = no_version
    if rs.has_stop and max_versions < 1:
        why["SV801"] = no_version
    return why


def _onward(lc: Lifecycle) -> dict[Status, tuple[Status, ...]]:
    """For each status, the statuses polling may show next without anyone calling stop."""
    out: dict[Status, tuple[Status, ...]] = {}
    for start in lc.statuses:
        seen = {start}
        frontier = [start]
        while frontier:
            here = frontier.pop()
            for trigger in lc.triggers_from[here]:
                nxt = lc.next_status[here, trigger]
                if trigger != "stop" and nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        out[start] = tuple(s for s in lc.statuses if s in seen)
    return out


def _unrelated(lc: Lifecycle) -> dict[Status, tuple[Status, ...]]:
    """For each status, those neither reachable from it nor leading to it (SV501, not stale)."""
    return {
        s: tuple(t for t in lc.statuses if t not in lc.reachable[s] and s not in lc.reachable[t])
        for s in lc.statuses
    }


@attrs.define
class _Version:
    arn: str
    mode: TrainingMode
    status: Status
    created: _dt.datetime
    changed: _dt.datetime
    hours: float = 0.0
    reason: str = ""


class _World:
    """The service as a history generator sees it: one solution and its versions."""

    def __init__(
        self,
        draw: DrawFn,
        rs: Ruleset,
        solution: dict[str, Any],
        recipe: str,
        ids: list[str],
        budget: int,
        start: _dt.datetime,
    ):
        self.draw = draw
        self.rs = rs
        self.lc = lifecycle_for(rs)
        self.onward = _onward(self.lc)
        self.unrelated = _unrelated(self.lc)
        self.solution = solution
        self.arn: str = solution["solutionArn"]
        self.recipe = recipe
        self.update_recipe = recipe in rs.update_recipes
        self.dataset_group: str = solution["datasetGroupArn"]
        self.ids = ids
        self.budget = budget
        self.now = start
        self.versions: list[_Version] = []
        self.campaigns = 0
        self.steps: list[Step] = []

    # -- what is true now --------------------------------------------------------------
    def update_allowed(self) -> bool:
        """Whether an UPDATE passes SV301 now (mirrors the rule's evidence)."""
        return any(
            v.status is S.ACTIVE
            and (v.mode is TrainingMode.FULL or not self.rs.in_force(AUTOTRAIN))
            for v in self.versions
        )

    def _tick(self) -> None:
        self.now += _dt.timedelta(milliseconds=self.draw(st.integers(1_000, 4 * 3600 * 1000)))

    # -- steps ---------------------------------------------------------------------------
    def _record(self, v: _Version, summary: bool) -> dict[str, Any]:
        facts = _VersionFacts(
            arn=v.arn,
            solution_arn=self.arn,
            status=v.status,
            mode=v.mode,
            created=v.created,
            updated=v.changed,
            hours=v.hours,
            reason=v.reason,
            recipe=self.recipe,
            dataset_group=self.dataset_group,
        )
        return _version_dict(facts, self.rs, summary)

    def _move(self, v: _Version, status: Status) -> None:
        if status is v.status:
            return
        v.status = status
        v.changed = self.now
        if status is S.ACTIVE:
            v.hours = self.draw(st.floats(0.1, 48, allow_nan=False))
        if status is S.CREATE_FAILED:
            v.reason = self.draw(st.sampled_from(_FAILURE_REASONS))

    def _next_status(self, v: _Version, no_active: bool) -> Status:
        choices = [s for s in self.onward[v.status] if not (no_active and s is S.ACTIVE)]
        return self.draw(st.sampled_from(choices))

    def create(self, mode: TrainingMode) -> _Version:
        self._tick()
        params: dict[str, Any] = {"solutionArn": self.arn}
        if self.rs.in_force(TRAINING_MODE) and (
            mode is not TrainingMode.FULL or self.draw(st.booleans())
        ):
            params["trainingMode"] = mode.value
        arn = f"{self.arn}/{self.ids.pop()}"
        v = _Version(arn, mode, S.CREATE_PENDING, self.now, self.now)
        self.versions.append(v)
        self.budget -= 1
        self.steps.append(
            Step("call", "CreateSolutionVersion", params, {"solutionVersionArn": arn})
        )
        return v

    def observe(self, v: _Version, status: Status | None = None, no_active: bool = False) -> None:
        self._tick()
        self._move(v, self._next_status(v, no_active) if status is None else status)
        self.steps.append(
            Step(
                "observe",
                "DescribeSolutionVersion",
                {"solutionVersionArn": v.arn},
                {"solutionVersion": self._record(v, summary=False)},
            )
        )

    def list_versions(self, no_active: bool, *, move: bool = True) -> None:
        """A ListSolutionVersions; ``move=False`` shows every version as it is, so that a
        step after it rests on observed statuses, not on ones inferred from create calls."""
        self._tick()
        for v in self.versions if move else ():
            self._move(v, self._next_status(v, no_active))
        newest_first = sorted(self.versions, key=lambda v: v.created, reverse=True)
        self.steps.append(
            Step(
                "observe",
                "ListSolutionVersions",
                {"solutionArn": self.arn},
                {"solutionVersions": [self._record(v, summary=True) for v in newest_first]},
            )
        )

    def describe_solution(self, no_active: bool) -> None:
        self._tick()
        solution = dict(self.solution)
        if self.versions:
            newest = max(self.versions, key=lambda v: v.created)
            self._move(newest, self._next_status(newest, no_active))
            solution["latestSolutionVersion"] = self._record(newest, summary=True)
            solution = _prune(RESPONSES["Solution"], solution, self.rs)
        self.steps.append(
            Step("observe", "DescribeSolution", {"solutionArn": self.arn}, {"solution": solution})
        )

    def stop(self, v: _Version) -> None:
        self._tick()
        self._move(v, self.lc.next_status[v.status, "stop"])
        self.steps.append(
            Step("call", "StopSolutionVersionCreation", {"solutionVersionArn": v.arn}, {})
        )

    def campaign(self, v: _Version) -> None:
        self._tick()
        self.campaigns += 1
        name = f"{self.arn.rpartition('/')[2][:50]}-campaign-{self.campaigns}"
        prefix = self.arn.partition(":solution/")[0]
        self.steps.append(
            Step(
                "call",
                "CreateCampaign",
                {"name": name, "solutionVersionArn": v.arn, "minProvisionedTPS": 1},
                {"campaignArn": f"{prefix}:campaign/{name}"},
            )
        )

    # -- a legal walk ----------------------------------------------------------------------
    def walk(self, count: int, no_active: bool = False, no_campaign: bool = False) -> None:
        """``count`` legal steps.

        ``no_active`` keeps every version away from ACTIVE (so that an UPDATE
        breaks SV301 alone); ``no_campaign`` creates no campaign (so that a
        DeleteSolution breaks SV901 alone, not SV902 too).
        """
        for _ in range(count):
            actions: list[str] = []
            if self.budget > 0:
                actions.append("create FULL")
            if self.versions:
                actions.append("observe")
            if (
                self.budget > 0
                and self.update_recipe
                and TrainingMode.UPDATE in self.rs.training_modes
                and self.update_allowed()
            ):
                actions.append("create UPDATE")
            active = [v for v in self.versions if v.status is S.ACTIVE]
            if active and not no_campaign:
                actions.append("campaign")
            in_flight = [v for v in self.versions if v.status in IN_FLIGHT]
            if in_flight and self.rs.has_stop:
                actions.append("stop")
            if self.versions or not actions:
                actions += ["list", "describe solution"]
            action = self.draw(st.sampled_from(actions))
            if action == "create FULL":
                self.create(TrainingMode.FULL)
            elif action == "create UPDATE":
                self.create(TrainingMode.UPDATE)
            elif action == "observe":
                self.observe(self.draw(st.sampled_from(self.versions)), no_active=no_active)
            elif action == "campaign":
                self.campaign(self.draw(st.sampled_from(active)))
            elif action == "stop":
                self.stop(self.draw(st.sampled_from(in_flight)))
            elif action == "list":
                self.list_versions(no_active)
            else:
                self.describe_solution(no_active)

    def settle(self, v: _Version, statuses: tuple[Status, ...]) -> None:
        """Observe ``v`` until it is in one of ``statuses`` (terminal ones)."""
        if v.status is S.CREATE_PENDING and self.draw(st.booleans()):
            self.observe(v, S.CREATE_IN_PROGRESS)
        self.observe(v, self.draw(st.sampled_from(statuses)))

    # -- the one illegal step --------------------------------------------------------------
    def refused(self, op: str, params: dict[str, Any], rule_id: str) -> None:
        self._tick()
        rule = RULES[rule_id]
        code = rule.error_code or "InvalidInputException"
        response: dict[str, Any] | None = {
            "Error": {"Code": code, "Message": rule.title},
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }
        if rule_id == "SV801" and not self.rs.has_stop:
            response = None  # the operation does not exist: there is no answer
        self.steps.append(Step("call", op, params, response, breaks=rule_id))

    def break_rule(self, rule_id: str) -> None:
        """Append the steps that make ``rule_id`` breakable, then the step that breaks it."""
        draw = self.draw
        params: dict[str, Any]
        if rule_id in ("SV301", "SV302"):
            if rule_id == "SV302" and not self.update_allowed():
                self.settle(self.create(TrainingMode.FULL), (S.ACTIVE,))
            if rule_id == "SV301":
                self.list_versions(True, move=False)
            params = {"solutionArn": self.arn, "trainingMode": "UPDATE"}
            self.refused("CreateSolutionVersion", params, rule_id)
        elif rule_id == "SV701":
            waiting = [v for v in self.versions if v.status is not S.ACTIVE]
            v = draw(st.sampled_from(waiting)) if waiting else self.create(TrainingMode.FULL)
            self.list_versions(False, move=False)
            params = {"name": "refused", "solutionVersionArn": v.arn, "minProvisionedTPS": 1}
            self.refused("CreateCampaign", params, rule_id)
        elif rule_id == "SV801":
            if not self.rs.has_stop:
                arns = [v.arn for v in self.versions] or [f"{self.arn}/{self.ids[0]}"]
                arn = draw(st.sampled_from(arns))
            else:
                settled = [v for v in self.versions if v.status not in IN_FLIGHT]
                if not settled:
                    v = self.create(TrainingMode.FULL)
                    self.settle(v, (S.ACTIVE, S.CREATE_FAILED))
                    settled = [v]
                arn = draw(st.sampled_from(settled)).arn
            self.refused("StopSolutionVersionCreation", {"solutionVersionArn": arn}, rule_id)
        elif rule_id == "SV901":
            if not any(v.status in IN_FLIGHT for v in self.versions):
                self.create(TrainingMode.FULL)
            self.list_versions(False, move=False)
            self.refused("DeleteSolution", {"solutionArn": self.arn}, rule_id)
        else:
            assert rule_id == "SV501"
            movable = [v for v in self.versions if self.unrelated[v.status]]
            if not movable:
                v = self.create(TrainingMode.FULL)
                self.settle(v, (S.ACTIVE, S.CREATE_FAILED))
                movable = [v]
            v = draw(st.sampled_from(movable))
            self.observe(v, draw(st.sampled_from(self.unrelated[v.status])))
            last = self.steps[-1]
            self.steps[-1] = attrs.evolve(last, breaks=rule_id)


def histories(
    *,
    ruleset: object = DEFAULT_RULESET,
    legal: bool = True,
    max_versions: int = 4,
    max_steps: int = 20,
    breaking: str | Collection[str] | None = None,
    solution_arn: str | SearchStrategy[str] | None = None,
    recipe: str | SearchStrategy[str] | None = None,
) -> SearchStrategy[History]:
    """Histories of one solution: the calls a pipeline makes and what it observes.

    A history opens with DescribeSolution (the solution is ACTIVE) and a
    complete, empty ListSolutionVersions; then come CreateSolutionVersion
    calls (FULL, and UPDATE where the recipe and an ACTIVE FULL version allow
    it), observations (DescribeSolutionVersion, ListSolutionVersions,
    DescribeSolution with its latest version) that move versions along the
    lifecycle, skipping statuses as polling does, StopSolutionVersionCreation
    on versions being created (from 2021-05-20) and CreateCampaign on ACTIVE
    versions. Timestamps only move forward.

    Replayed into a fresh ``svstate.Tracker(ruleset=history.ruleset)``
    (a call step: ``tracker.preflight(op, params)``, then
    ``tracker.observe(op, params, response)``; an observe step:
    ``tracker.observe(op, params, response)``):

    * ``legal=True``: every call is allowed (ALLOW) and no observation
      reports a finding.
    * ``legal=False``: exactly one step is illegal: ``history.illegal_at``,
      breaking ``history.rule``. It is one of: UPDATE before any ACTIVE FULL
      version (SV301), UPDATE with a recipe that does not support it (SV302),
      an observation that moves a version to a status it cannot reach
      (SV501), CreateCampaign on a version that is not ACTIVE (SV701),
      StopSolutionVersionCreation on a settled version or before the
      operation existed (SV801), DeleteSolution while a version is being
      created (SV901). A refused call's response is the service's error
      response (``None`` for an operation the ruleset lacks); the steps after
      it are legal again.

    :param max_versions: at most this many versions are created.
    :param max_steps: at most this many steps besides the opening two, the
        illegal one and those it needs to become breakable.
    :param breaking: with ``legal=False``, a rule id or collection of them to
        choose the illegal step from.
    :param solution_arn: the solution ARN, or a strategy of them.
    :param recipe: the solution's recipe ARN, or a strategy of them (an
        AutoML solution reports it as ``autoMLResult.bestRecipeArn``).
    :raises InvalidArgument: for ``breaking`` with ``legal=True``, a rule no
        history in the ruleset can break with these arguments (SV301/SV302
        before 2019-10-14, a rule needing a version with ``max_versions=0``,
        SV302 with a recipe that supports UPDATE), or bad counts.

    >>> import svstate
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, deadline=None)
    ... @given(histories(legal=False, breaking="SV701", ruleset="2021-05-20"))
    ... def check(history):
    ...     tracker = svstate.Tracker(ruleset=history.ruleset)
    ...     for i, step in enumerate(history.steps):
    ...         if step.kind == "call":
    ...             verdict = tracker.preflight(step.operation, step.params)
    ...             assert (verdict.decision.value == "deny") == (i == history.illegal_at)
    ...         tracker.observe(step.operation, step.params, step.response)
    >>> check()
    """
    rs = _ruleset(ruleset)
    is_legal = _boolean("legal", legal)
    assert is_legal is not None
    versions = _count("max_versions", max_versions)
    steps = _count("max_steps", max_steps)
    why = _possible(rs, versions)
    fixed_recipe = recipe if isinstance(recipe, str) else None
    recipes = _recipe_arg("recipe", recipe, rs)
    if fixed_recipe is not None and fixed_recipe in rs.update_recipes and why["SV302"] is None:
        why["SV302"] = f"recipe {fixed_recipe.rpartition('/')[2]} supports UPDATE in {rs.name}"
    possible = {rule_id for rule_id, reason in why.items() if reason is None}
    where = f"histories(ruleset={rs.name!r}, max_versions={versions})"
    if breaking is not None and not is_legal:
        for rule_id in [breaking] if isinstance(breaking, str) else breaking:
            reason = why.get(rule_id) if isinstance(rule_id, str) else None
            if reason is not None:
                raise InvalidArgument(
                    f"breaking={rule_id!r}, but {where} cannot break it: {reason}."
                )
    rules = _breaking(breaking, is_legal, possible, where)
    if not is_legal and not rules:
        raise InvalidArgument(f"{where} can break no rule; pass max_versions=1 or more.")
    arns = _strategy_or_value(
        "solution_arn", solution_arn, solution_arns(), _kind_problem(SOLUTION)
    )
    return _histories(rs, is_legal, versions, steps, rules, arns, recipes, recipe is not None)


def _length(draw: DrawFn, most: int) -> int:
    """A length from 0 to ``most`` that still shrinks to 0.

    Hypothesis draws 0 for about two in five composite examples; the larger of two
    draws makes long histories common without losing the short ones.
    """
    return max(draw(st.integers(0, most)), draw(st.integers(0, most)))


@st.composite
def _histories(
    draw: DrawFn,
    rs: Ruleset,
    legal: bool,
    max_versions: int,
    max_steps: int,
    rules: tuple[str, ...],
    arns: SearchStrategy[str],
    recipes: SearchStrategy[str],
    recipe_given: bool,
) -> History:
    rule_id = None if legal else draw(st.sampled_from(rules))
    if rule_id == "SV302":
        recipe = draw(recipes if recipe_given else recipe_arns(ruleset=rs, supports_update=False))
        if recipe in rs.update_recipes:
            raise InvalidArgument(
                f"breaking='SV302' needs a recipe that does not support UPDATE, but the strategy "
                f"passed as recipe= drew {recipe!r}, which supports it in ruleset {rs.name}."
            )
    elif not recipe_given and rs.update_recipes and (rule_id == "SV301" or draw(st.booleans())):
        # Half the time (always, for SV301) a recipe that supports UPDATE, so that
        # UPDATE calls are common rather than rare.
        recipe = draw(recipe_arns(ruleset=rs, supports_update=True))
    else:
        recipe = draw(recipes)
    arn = draw(arns)
    ids = draw(
        st.lists(_version_ids(), min_size=max_versions + 1, max_size=max_versions + 1, unique=True)
    )
    start = _dt.datetime(rs.date.year, rs.date.month, rs.date.day, 9, tzinfo=_UTC)
    created = start - _dt.timedelta(hours=draw(st.integers(2, 24 * 365)))
    solution = _solution_dict(
        rs,
        arn=arn,
        status=S.ACTIVE,
        recipe=recipe,
        automl=draw(st.booleans()),
        created=created,
        updated=created + _dt.timedelta(hours=1),
    )
    reserve = 1 if rule_id in _NEEDS_VERSION or (rule_id == "SV801" and rs.has_stop) else 0
    world = _World(draw, rs, solution, recipe, ids, max_versions - reserve, start)
    world.steps.append(
        Step("observe", "DescribeSolution", {"solutionArn": arn}, {"solution": solution})
    )
    world.steps.append(
        Step("observe", "ListSolutionVersions", {"solutionArn": arn}, {"solutionVersions": []})
    )
    if rule_id is None:
        world.walk(_length(draw, max_steps))
        return History(tuple(world.steps), rs.name, arn)
    before = _length(draw, max_steps)
    world.walk(before, no_active=rule_id == "SV301", no_campaign=rule_id == "SV901")
    world.budget += reserve
    world.break_rule(rule_id)
    illegal_at = len(world.steps) - 1
    world.walk(draw(st.integers(0, max_steps - before)))
    return History(tuple(world.steps), rs.name, arn, illegal_at, rule_id)
