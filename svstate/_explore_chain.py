"""``explore_chain``: every reachable state of one training pipeline, searched breadth-first.

Rules in this file:

* The pipeline is one dataset group holding one Interactions dataset, its
  import jobs, its event trackers, one solution with its versions, one
  campaign with its updates, and batch inference jobs: each a status, or
  absent. ``bound`` caps how many of each repeatable resource (import jobs,
  event trackers, versions, campaign updates, batch inference jobs) are
  created.
* The service's moves come from the resource declarations
  (:mod:`svstate._chain`): each resource's creation lifecycle, the campaign
  update's own lifecycle, the dataset group's and the dataset's deletion
  statuses (a dataset gone takes its import jobs with it). The
  user's calls are enabled exactly when :func:`svstate.preflight` allows
  them on the state's facts, which are complete: the explorer adds no rule
  of its own, so what it proves is a property of the rules.
* Symmetry: resources of one kind are interchangeable, so a state keeps
  their statuses sorted (a multiset), as ``explore(reduction="symmetry")``
  does for versions.
* What is checked, on every call the rules allow, is what the API Reference
  documents, stated here independently of the rules (``_documented``):

  - CreateDataset: the dataset group is ACTIVE.
  - CreateDatasetImportJob: the dataset will be ACTIVE (it is not CREATE
    FAILED or being deleted); with importMode INCREMENTAL, an import into it
    is ACTIVE.
  - CreateEventTracker: the dataset group has no event tracker.
  - CreateSolutionVersion: the solution will be ACTIVE (it is not CREATE
    FAILED: SV201 only warns while it is being created, as its source says).
  - CreateCampaign: the version is ACTIVE.
  - UpdateCampaign: the campaign is ACTIVE or CREATE FAILED and the version
    is ACTIVE.
  - CreateBatchInferenceJob: the version will be ACTIVE (it is not CREATE
    FAILED).
  - DeleteDatasetGroup: the group holds no dataset, solution or event tracker.
  - DeleteDataset: no import job into it and no version is CREATE PENDING or
    CREATE IN_PROGRESS.

  And on every state: each status is one its lifecycle has, and preflight
  decides every call (never UNKNOWN: the facts are complete).
* Pre-flight decisions are memoised by (operation, the facts it is shown).
"""

from __future__ import annotations

import datetime as _dt
import time
from collections import deque
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from svstate._chain import BY_NAME
from svstate._errors import SvstateError
from svstate._explore import collector_paused, path_to
from svstate._lifecycle import Lifecycle
from svstate._preflight import preflight
from svstate._rulesets import DEFAULT_RULESET, HRNN_COLDSTART, Ruleset, resolve_ruleset
from svstate._text import describe
from svstate._vocab import Decision, Status

__all__ = ["ChainExploration", "explore_chain"]

_IMPORT_MODE = _dt.date(2022, 8, 2)
MAX_CHAIN_BOUND = 2  # bound 2 visits 2.6 million states in "latest" (minutes); 3, far more
S = Status
GONE = "gone"
_ACCT = "arn:aws:personalize:us-east-1:123456789012"
_GROUP = _ACCT + ":dataset-group/explored"
_SCHEMA = _ACCT + ":schema/explored"
_DATASET = _ACCT + ":dataset/explored/INTERACTIONS"
_SOLUTION = _ACCT + ":solution/explored"
_CAMPAIGN = _ACCT + ":campaign/explored"
_ROLE = "arn:aws:iam::123456789012:role/explored"

# The state's slots, in pipeline order; the plural ones hold sorted statuses.
SLOTS = (
    "dataset_group",
    "dataset",
    "dataset_import_job",
    "event_tracker",
    "solution",
    "solution_version",
    "campaign",
    "campaign_update",
    "updates_made",
    "batch_inference_job",
)
_PLURAL = frozenset(
    {"dataset_import_job", "event_tracker", "solution_version", "batch_inference_job"}
)
_G, _D, _I, _T, _SOL, _V, _C, _U, _N, _B = range(len(SLOTS))
_DATASET_DELETION = BY_NAME["dataset"].deletion
_SOLUTION_DELETION = BY_NAME["solution"].deletion
_TRAINING = (S.CREATE_PENDING, S.CREATE_IN_PROGRESS)  # the API Reference's words, on its own


@attrs.frozen
class ChainExploration:
    """What :func:`explore_chain` found.

    ``reached`` maps each resource (and ``"campaign_update"``) to the
    statuses it reached; ``violations`` lists what broke, and
    ``counterexample`` is the shortest sequence of steps to the first
    violation (``None`` when ``ok``).

    >>> import svstate
    >>> found = svstate.explore_chain(bound=1, ruleset="2019-10-14")
    >>> found.ok, found.reached["campaign_update"] >= {svstate.Status.ACTIVE}
    (True, True)
    """

    __module__ = "svstate"

    bound: int
    ruleset: str
    states: int
    transitions: int
    seconds: float
    violations: tuple[str, ...]
    counterexample: tuple[str, ...] | None
    reached: Mapping[str, frozenset[Status]]

    @property
    def ok(self) -> bool:
        """Whether no violation was found."""
        return not self.violations


State = tuple[Any, ...]


def _arn(slot: int, i: int) -> str:
    if slot == _I:
        return f"{_ACCT}:dataset-import-job/i{i}"
    if slot == _T:
        return f"{_ACCT}:event-tracker/t{i}"
    if slot == _V:
        return f"{_SOLUTION}/v{i}"
    return f"{_ACCT}:batch-inference-job/b{i}"


def _sorted(items: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(sorted(items, key=repr))


def _with(state: State, slot: int, value: Any) -> State:
    out = list(state)
    out[slot] = _sorted(value) if SLOTS[slot] in _PLURAL else value
    return tuple(out)


def _lifecycles() -> dict[str, Lifecycle]:
    out = {}
    for name in SLOTS:
        if name in ("campaign_update", "updates_made"):
            continue
        compiled = BY_NAME[name].compiled
        assert compiled is not None
        out[name] = compiled
    updates = BY_NAME["campaign"].updates
    assert updates is not None
    out["campaign_update"] = Lifecycle(updates.lifecycle)
    return out


class _ChainExplorer:
    def __init__(self, bound: int, rs: Ruleset):
        self.bound = bound
        self.rs = rs
        self.lc = _lifecycles()
        self.memo: dict[tuple[Any, ...], Decision] = {}
        # importMode exists from 2022-08-02; before it every import is a FULL one, unsaid
        self.import_modes = ("FULL", "INCREMENTAL") if rs.in_force(_IMPORT_MODE) else (None,)

    # -- the service ---------------------------------------------------------------------

    def _moves(self, name: str, status: Status) -> Iterator[tuple[str, Status]]:
        lc = self.lc[name]
        for trigger in lc.triggers_from.get(status, ()):
            if trigger != "stop":  # stopping a version is a user call, explore()'s business
                yield trigger, lc.next_status[status, trigger]

    def service(self, state: State) -> Iterator[tuple[str, State]]:
        group = state[_G]
        if group in BY_NAME["dataset_group"].deletion:
            deletion = BY_NAME["dataset_group"].deletion
            at = deletion.index(group)
            if at + 1 < len(deletion):
                step = f"the dataset group moves on ({deletion[at + 1].value})"
                yield step, _with(state, _G, deletion[at + 1])
            else:
                yield "the dataset group is gone", _with(state, _G, GONE)
        dataset = state[_D]
        if dataset in _DATASET_DELETION:
            at = _DATASET_DELETION.index(dataset)
            if at + 1 < len(_DATASET_DELETION):
                step = f"the dataset moves on ({_DATASET_DELETION[at + 1].value})"
                yield step, _with(state, _D, _DATASET_DELETION[at + 1])
            else:  # gone, and its import jobs with it: a new one may be created
                yield "the dataset is gone", _with(_with(state, _D, None), _I, ())
        for slot, name in enumerate(SLOTS):
            value = state[slot]
            if name == "updates_made" or value is None or (slot == _G and value == GONE):
                continue
            if name in _PLURAL:
                for status in dict.fromkeys(value):
                    for trigger, nxt in self._moves(name, status):
                        rest = list(value)
                        rest.remove(status)
                        yield (
                            f"a {name.replace('_', ' ')} {trigger}s ({nxt.value})",
                            _with(state, slot, (*rest, nxt)),
                        )
            elif value in self.lc[name].statuses:
                for trigger, nxt in self._moves(name, value):
                    yield (
                        f"the {name.replace('_', ' ')} {trigger}s ({nxt.value})",
                        _with(state, slot, nxt),
                    )

    # -- the user ------------------------------------------------------------------------

    def decide(self, key: tuple[Any, ...], op: str, params: dict[str, Any], **facts: Any) -> bool:
        try:
            decision = self.memo[key]
        except KeyError:
            decision = self.memo[key] = preflight(op, params, ruleset=self.rs, **facts).decision
        if decision is Decision.UNKNOWN:
            raise _Undecided(op, key)
        return decision is Decision.ALLOW

    def calls(self, state: State) -> Iterator[tuple[str, State, list[str]]]:
        """(step, next state, what it broke) for every call preflight allows."""
        group, dataset, imports, trackers, sol, versions, campaign, update, made, batches = state
        if group is None:
            yield "CreateDatasetGroup", _with(state, _G, S.CREATE_PENDING), []
            return
        if group == GONE or group in BY_NAME["dataset_group"].deletion:
            return
        group_fact = {"datasetGroupArn": _GROUP, "status": group.value}
        children = (dataset, sol, trackers)
        if self.decide(
            ("DeleteDatasetGroup", dataset, sol, trackers),
            "DeleteDatasetGroup",
            {"datasetGroupArn": _GROUP},
            datasets=[] if dataset is None else [self._dataset(dataset)],
            solutions=[] if sol is None else [{"solutionArn": _SOLUTION, "status": sol.value}],
            event_trackers=self._facts(_T, trackers),
        ):
            broke = [] if children == (None, None, ()) else ["the group still holds resources"]
            yield "DeleteDatasetGroup", _with(state, _G, S.DELETE_PENDING), broke
        if dataset is None and self.decide(
            ("CreateDataset", group),
            "CreateDataset",
            {
                "name": "interactions",
                "schemaArn": _SCHEMA,
                "datasetGroupArn": _GROUP,
                "datasetType": "Interactions",
            },
            dataset_group=group_fact,
            schema={"schemaArn": _SCHEMA},
        ):
            broke = [] if group is S.ACTIVE else [f"the dataset group is {group.value}"]
            yield "CreateDataset", _with(state, _D, S.CREATE_PENDING), broke
        if dataset is not None and dataset not in _DATASET_DELETION:
            yield from self._delete_dataset(state)
        if dataset is not None and len(imports) < self.bound:
            for mode in self.import_modes:
                params = {
                    "jobName": f"import{len(imports)}",
                    "datasetArn": _DATASET,
                    "dataSource": {"dataLocation": "s3://explored/data.csv"},
                    "roleArn": _ROLE,
                }
                if mode is not None:
                    params["importMode"] = mode
                if not self.decide(
                    ("CreateDatasetImportJob", dataset, imports, mode),
                    "CreateDatasetImportJob",
                    params,
                    dataset=self._dataset(dataset),
                    dataset_imports=self._facts(_I, imports),
                ):
                    continue
                doomed = dataset is S.CREATE_FAILED or dataset in _DATASET_DELETION
                broke = [f"the dataset is {dataset.value}"] if doomed else []
                if mode == "INCREMENTAL" and S.ACTIVE not in imports:
                    broke.append("an INCREMENTAL import with no ACTIVE import before it")
                step = f"CreateDatasetImportJob({mode or 'FULL'})"
                yield step, _with(state, _I, (*imports, S.CREATE_PENDING)), broke
        if len(trackers) < self.bound and self.decide(
            ("CreateEventTracker", group, trackers),
            "CreateEventTracker",
            {"name": f"tracker{len(trackers)}", "datasetGroupArn": _GROUP},
            dataset_group=group_fact,
            event_trackers=self._facts(_T, trackers),
        ):
            broke = ["a second event tracker in the dataset group"] if trackers else []
            yield "CreateEventTracker", _with(state, _T, (*trackers, S.CREATE_PENDING)), broke
        if sol is None and self.decide(
            ("CreateSolution", group),
            "CreateSolution",
            {"name": "explored", "datasetGroupArn": _GROUP, "recipeArn": HRNN_COLDSTART},
            dataset_group=group_fact,
        ):
            yield "CreateSolution", _with(state, _SOL, S.CREATE_PENDING), []
        if sol is None:
            return
        solution = {"solutionArn": _SOLUTION, "status": sol.value, "recipeArn": HRNN_COLDSTART}
        version_facts = [{**f, "trainingMode": "FULL"} for f in self._facts(_V, versions)]
        if len(versions) < self.bound and self.decide(
            ("CreateSolutionVersion", sol, versions, dataset),
            "CreateSolutionVersion",
            {"solutionArn": _SOLUTION},
            solution=solution,
            versions=version_facts,
            datasets=[] if dataset is None else [self._dataset(dataset)],
        ):
            broke = [f"the solution is {sol.value}"] * (sol is S.CREATE_FAILED)
            yield "CreateSolutionVersion", _with(state, _V, (*versions, S.CREATE_PENDING)), broke
        for i, status in self._distinct(versions):
            arn = _arn(_V, i)
            version = {"solutionVersionArn": arn, "status": status.value}
            if campaign is None and self.decide(
                ("CreateCampaign", sol, versions, status),
                "CreateCampaign",
                {"name": "explored", "solutionVersionArn": arn, "minProvisionedTPS": 1},
                solution=solution,
                versions=version_facts,
            ):
                broke = [] if status is S.ACTIVE else [f"a campaign of a {status.value} version"]
                yield f"CreateCampaign({status.value})", _with(state, _C, S.CREATE_PENDING), broke
            if campaign is not None and made < self.bound:
                fact: dict[str, Any] = {"campaignArn": _CAMPAIGN, "status": campaign.value}
                if update is not None:
                    fact["latestCampaignUpdate"] = {"status": update.value}
                if self.decide(
                    ("UpdateCampaign", campaign, update, status),
                    "UpdateCampaign",
                    {"campaignArn": _CAMPAIGN, "solutionVersionArn": arn},
                    campaign=fact,
                    solution_version=version,
                ):
                    broke = []
                    if campaign not in (S.ACTIVE, S.CREATE_FAILED):
                        broke.append(f"an update of a {campaign.value} campaign")
                    if status is not S.ACTIVE:
                        broke.append(f"an update to a {status.value} version")
                    nxt = _with(_with(state, _U, S.CREATE_PENDING), _N, made + 1)
                    yield f"UpdateCampaign({status.value})", nxt, broke
            if len(batches) < self.bound and self.decide(
                ("CreateBatchInferenceJob", status),
                "CreateBatchInferenceJob",
                {
                    "jobName": f"batch{len(batches)}",
                    "solutionVersionArn": arn,
                    "jobInput": {"s3DataSource": {"path": "s3://explored/in.json"}},
                    "jobOutput": {"s3DataDestination": {"path": "s3://explored/out/"}},
                    "roleArn": _ROLE,
                },
                solution_version=version,
            ):
                broke = [f"a batch job of a {status.value} version"] * (status is S.CREATE_FAILED)
                nxt = _with(
                    state, _B, (*batches, self.lc["batch_inference_job"].declaration.initial)
                )
                yield f"CreateBatchInferenceJob({status.value})", nxt, broke

    def _delete_dataset(self, state: State) -> Iterator[tuple[str, State, list[str]]]:
        imports, sol, versions = state[_I], state[_SOL], state[_V]
        live = sol is not None and sol not in _SOLUTION_DELETION
        if self.decide(
            ("DeleteDataset", imports, sol, versions),
            "DeleteDataset",
            {"datasetArn": _DATASET},
            dataset_imports=self._facts(_I, imports),
            solutions=[] if sol is None else [{"solutionArn": _SOLUTION, "status": sol.value}],
            versions=self._facts(_V, versions) if live else None,
        ):
            busy = [s for s in (*imports, *versions) if s in _TRAINING]
            broke = [f"a dataset deleted while a job on it is {busy[0].value}"] if busy else []
            yield "DeleteDataset", _with(state, _D, _DATASET_DELETION[0]), broke

    @staticmethod
    def _dataset(status: Status) -> dict[str, str]:
        return {"datasetArn": _DATASET, "datasetType": "Interactions", "status": status.value}

    @staticmethod
    def _facts(slot: int, statuses: tuple[Status, ...]) -> list[dict[str, str]]:
        member = {_I: "datasetImportJobArn", _T: "eventTrackerArn", _V: "solutionVersionArn"}[slot]
        return [{member: _arn(slot, i), "status": s.value} for i, s in enumerate(statuses)]

    @staticmethod
    def _distinct(statuses: tuple[Status, ...]) -> Iterator[tuple[int, Status]]:
        seen: set[Status] = set()
        for i, s in enumerate(statuses):
            if s not in seen:
                seen.add(s)
                yield i, s

    def unknown_statuses(self, state: State) -> list[str]:
        out = []
        for slot, name in enumerate(SLOTS):
            value = state[slot]
            if name == "updates_made" or value is None or value == GONE:
                continue
            lc = self.lc[name]
            allowed = set(lc.statuses) | (
                set(BY_NAME[name].deletion) if name in BY_NAME else set()
            )
            for status in value if name in _PLURAL else (value,):
                if status not in allowed:
                    out.append(
                        f"the {name.replace('_', ' ')} is {status.value}, not in its lifecycle"
                    )
        return out


class _Undecided(Exception):
    def __init__(self, op: str, key: tuple[Any, ...]):
        super().__init__(op, key)
        self.op = op
        self.key = key


def explore_chain(bound: int = 1, *, ruleset: object = DEFAULT_RULESET) -> ChainExploration:
    """Search every reachable state of one training pipeline, each resource bounded.

    The pipeline goes from CreateDatasetGroup to UpdateCampaign and batch
    inference: the user's calls are enabled exactly when
    :func:`svstate.preflight` allows them on complete facts, the service's
    moves come from the resource declarations, and every allowed call is
    checked against what the API Reference documents (see
    :mod:`svstate._explore_chain`). Returns a :class:`ChainExploration`.

    :param bound: how many of each repeatable resource (import jobs, event
        trackers, versions, campaign updates, batch inference jobs) may be
        created: 1 or 2.
    :param ruleset: the API date whose rules and operations apply (an
        operation the ruleset lacks, such as CreateBatchInferenceJob before
        2019-11-14, is never enabled).
    :raises SvstateError: for a bound that is not an int from 1 to 2.
    :raises UnknownRuleset: for a ruleset that is not a date from 2019-06-10.

    >>> import svstate
    >>> found = svstate.explore_chain(bound=1)
    >>> found.ok, found.states > 100
    (True, True)
    """
    if type(bound) is not int or not 1 <= bound <= MAX_CHAIN_BOUND:
        raise SvstateError(
            f"bound is {describe(bound)}; pass an int from 1 to {MAX_CHAIN_BOUND} (each "
            "repeatable resource of the pipeline is created at most that many times)."
        )
    rs = resolve_ruleset(ruleset)
    explorer = _ChainExplorer(bound, rs)
    start = time.perf_counter()
    initial: State = (None, None, (), (), None, (), None, None, 0, ())
    parent: dict[State, tuple[State, str] | None] = {initial: None}
    reached: dict[str, set[Status]] = {n: set() for n in SLOTS if n != "updates_made"}
    with collector_paused():
        transitions, violations, counterexample = _search(explorer, initial, parent, reached)
    return ChainExploration(
        bound,
        rs.name,
        len(parent),
        transitions,
        time.perf_counter() - start,
        tuple(dict.fromkeys(violations)),
        counterexample,
        {name: frozenset(found) for name, found in reached.items()},
    )


def _search(
    explorer: _ChainExplorer,
    initial: State,
    parent: dict[State, tuple[State, str] | None],
    reached: dict[str, set[Status]],
) -> tuple[int, list[str], tuple[str, ...] | None]:
    """Breadth-first from ``initial``: (transitions, violations, shortest counterexample)."""
    queue = deque([initial])
    transitions = 0
    while queue:
        state = queue.popleft()
        try:
            steps = list(explorer.calls(state))
        except _Undecided as undecided:
            problem = f"preflight could not decide {undecided.op} on complete facts"
            return transitions, [problem], path_to(parent, state)
        steps.extend((step, nxt, []) for step, nxt in explorer.service(state))
        for step, nxt, broke in steps:
            transitions += 1
            problems = broke + explorer.unknown_statuses(nxt)
            if nxt not in parent:
                parent[nxt] = (state, step)
                queue.append(nxt)
                _collect(nxt, reached)
            if problems:
                return (
                    transitions,
                    [f"{step}: {p}" for p in problems],
                    (*path_to(parent, state), step),
                )
    return transitions, [], None


def _collect(state: State, reached: dict[str, set[Status]]) -> None:
    for slot, name in enumerate(SLOTS):
        value = state[slot]
        if name == "updates_made" or value is None or value == GONE:
            continue
        reached[name].update(value if name in _PLURAL else (value,))
