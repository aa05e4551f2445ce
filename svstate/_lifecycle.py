"""The solution-version lifecycle, declared once.

Rules in this file:

* Everything that decides how a solution version's status may change lives
  here, in :data:`DECLARATION`. The ``transitions`` machine, the compiled
  tables used on the hot paths, the lifecycle objects, ``check_transition``
  and the diagrams are all built from it; none of them repeats an edge.
* A definition checks itself when it is built: one initial state, every
  state reachable from it, no trap states (every non-terminal state can reach
  a terminal one), terminal states absorbing, and no unknown names.
* The lifecycle depends on the ruleset only through the ``since`` date of its
  states and edges: the stop states exist from 2021-05-20.
* Per-resource state is a plain :class:`~svstate.Status` in a record; no
  machine is bound to any resource. The one shared ``transitions.Machine``
  per lifecycle fires events on unbound records.

::

    create --> CREATE PENDING --start--> CREATE IN_PROGRESS --succeed--> ACTIVE
                     |                         |         \\--fail--> CREATE FAILED
                     |                       stop
                     |                         v
                     |                  CREATE STOPPING --finish_stop--> CREATE STOPPED
                     \\--------------------stop-------------------------> CREATE STOPPED
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from transitions import Machine

from svstate._errors import SvstateError
from svstate._rulesets import GA, STOP, Ruleset
from svstate._vocab import Status

__all__ = [
    "DECLARATION",
    "Edge",
    "Lifecycle",
    "LifecycleDeclaration",
    "lifecycle_for",
    "resource_reachable",
]

S = Status


@attrs.frozen
class Edge:
    """One transition: ``trigger`` moves a version from ``source`` to ``dest``."""

    trigger: str
    source: Status
    dest: Status
    since: _dt.date = GA
    doc: str = ""


@attrs.frozen
class LifecycleDeclaration:
    """The lifecycle as plain data: states with their dates, edges, initial, terminals."""

    states: tuple[tuple[Status, _dt.date], ...]
    edges: tuple[Edge, ...]
    initial: Status
    terminal: frozenset[Status]
    triggers: tuple[str, ...]

    def as_of(self, day: _dt.date) -> LifecycleDeclaration:
        """The part of the declaration in force on ``day``."""
        states = tuple((s, since) for s, since in self.states if since <= day)
        edges = tuple(e for e in self.edges if e.since <= day)
        present = {s for s, _ in states}
        return attrs.evolve(self, states=states, edges=edges, terminal=self.terminal & present)


DECLARATION = LifecycleDeclaration(
    states=(
        (S.CREATE_PENDING, GA),
        (S.CREATE_IN_PROGRESS, GA),
        (S.ACTIVE, GA),
        (S.CREATE_FAILED, GA),
        (S.CREATE_STOPPING, STOP),
        (S.CREATE_STOPPED, STOP),
    ),
    edges=(
        Edge("start", S.CREATE_PENDING, S.CREATE_IN_PROGRESS, doc="training begins"),
        Edge("succeed", S.CREATE_IN_PROGRESS, S.ACTIVE, doc="training succeeded"),
        Edge("fail", S.CREATE_IN_PROGRESS, S.CREATE_FAILED, doc="training failed"),
        Edge(
            "stop",
            S.CREATE_PENDING,
            S.CREATE_STOPPED,
            STOP,
            doc="StopSolutionVersionCreation before training began",
        ),
        Edge(
            "stop",
            S.CREATE_IN_PROGRESS,
            S.CREATE_STOPPING,
            STOP,
            doc="StopSolutionVersionCreation during training",
        ),
        Edge("finish_stop", S.CREATE_STOPPING, S.CREATE_STOPPED, STOP, doc="the stop completed"),
    ),
    initial=S.CREATE_PENDING,
    terminal=frozenset({S.ACTIVE, S.CREATE_FAILED, S.CREATE_STOPPED}),
    triggers=("start", "succeed", "fail", "stop", "finish_stop"),
)

# Where a trigger first exists, for messages such as "stop exists from 2021-05-20".
TRIGGER_SINCE: Mapping[str, _dt.date] = {
    t: min(e.since for e in DECLARATION.edges if e.trigger == t) for t in DECLARATION.triggers
}

# Solutions and campaigns follow their own path (not the version lifecycle): created
# through these statuses (or ending CREATE FAILED), deleted through these, then gone.
RESOURCE_CREATION = (S.CREATE_PENDING, S.CREATE_IN_PROGRESS, S.ACTIVE)
RESOURCE_CREATION_FAILED = S.CREATE_FAILED
RESOURCE_DELETION = (S.DELETE_PENDING, S.DELETE_IN_PROGRESS)


@functools.cache
def resource_reachable(status: Status) -> frozenset[Status]:
    """The statuses a solution or campaign in ``status`` can reach, itself included.

    Drawn from :data:`RESOURCE_CREATION` and :data:`RESOURCE_DELETION`: along
    the creation path (or to CREATE FAILED while it is being created), and
    along the deletion path.

    >>> sorted(s.value for s in resource_reachable(Status.CREATE_IN_PROGRESS))
    ['ACTIVE', 'CREATE FAILED', 'CREATE IN_PROGRESS']
    """
    for path in (RESOURCE_CREATION, RESOURCE_DELETION):
        if status in path:
            ahead = set(path[path.index(status) :])
            if path is RESOURCE_CREATION and status is not path[-1]:
                ahead.add(RESOURCE_CREATION_FAILED)
            return frozenset(ahead)
    return frozenset({status})


# Statuses in which a version is still being created (counted by SV401, SV402, SV901).
IN_FLIGHT = frozenset({S.CREATE_PENDING, S.CREATE_IN_PROGRESS})


class LifecycleDefinitionError(SvstateError):
    """A lifecycle declaration that fails its own consistency checks."""


class Lifecycle:
    """A compiled, self-checked lifecycle.

    ``machine`` is the shared ``transitions.Machine``; ``next_status``,
    ``triggers_from`` and ``reachable`` are tables compiled from it.

    >>> lc = lifecycle_for(Ruleset.parse("2021-05-20"))
    >>> lc.next_status[Status.CREATE_IN_PROGRESS, "stop"]
    <Status.CREATE_STOPPING: 'CREATE STOPPING'>
    >>> lc.triggers_from[Status.ACTIVE]
    ()
    """

    __slots__ = (
        "declaration",
        "machine",
        "next_status",
        "reachable",
        "statuses",
        "terminal",
        "triggers_from",
    )

    def __init__(self, declaration: LifecycleDeclaration):
        _check_names(declaration)
        self.declaration = declaration
        self.statuses: tuple[Status, ...] = tuple(s for s, _ in declaration.states)
        self.terminal = declaration.terminal
        self.machine = Machine(
            model=None,
            states=list(self.statuses),
            transitions=[
                {"trigger": e.trigger, "source": e.source, "dest": e.dest}
                for e in declaration.edges
            ],
            initial=declaration.initial,
            auto_transitions=False,
            model_attribute="status",
        )
        self.next_status = _compile(self.machine, self.statuses)
        self.triggers_from: dict[Status, tuple[str, ...]] = {
            s: tuple(t for t in declaration.triggers if (s, t) in self.next_status)
            for s in self.statuses
        }
        self.reachable = _closure(self.statuses, self.next_status)
        _check_graph(self)

    def fire(self, record: Any, trigger: str) -> None:
        """Fire ``trigger`` on ``record`` (an object with a ``status``) through the machine."""
        self.machine.events[trigger].trigger(record)

    def edges(self) -> Iterable[Edge]:
        """The edges in force, in declaration order."""
        return self.declaration.edges


def _compile(machine: Any, statuses: tuple[Status, ...]) -> dict[tuple[Status, str], Status]:
    table: dict[tuple[Status, str], Status] = {}
    by_name = {s.name: s for s in statuses}
    for trigger, event in machine.events.items():
        for source_name, transitions in event.transitions.items():
            for transition in transitions:
                table[by_name[source_name], trigger] = by_name[transition.dest]
    return table


def _closure(
    statuses: tuple[Status, ...], table: Mapping[tuple[Status, str], Status]
) -> dict[Status, frozenset[Status]]:
    successors: dict[Status, set[Status]] = {s: set() for s in statuses}
    for (source, _), dest in table.items():
        successors[source].add(dest)
    reachable: dict[Status, frozenset[Status]] = {}
    for start in statuses:
        seen = {start}
        queue = deque([start])
        while queue:
            for nxt in successors[queue.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        reachable[start] = frozenset(seen)
    return reachable


def _check_names(d: LifecycleDeclaration) -> None:
    problems: list[str] = []
    declared = [s for s, _ in d.states]
    if len(set(declared)) != len(declared):
        problems.append("a state is declared twice")
    if d.initial not in declared:
        problems.append(f"the initial state {d.initial.value!r} is not declared")
    for terminal in sorted(d.terminal - set(declared), key=lambda s: s.value):
        problems.append(f"terminal state {terminal.value!r} is not declared")
    seen: set[tuple[Status, str]] = set()
    for e in d.edges:
        if (e.source, e.trigger) in seen:
            problems.append(f"trigger {e.trigger!r} leaves {e.source.value!r} twice")
        seen.add((e.source, e.trigger))
        if e.trigger not in d.triggers:
            problems.append(f"edge {e.trigger!r} uses an undeclared trigger")
        for end in (e.source, e.dest):
            if end not in declared:
                problems.append(f"edge {e.trigger!r} uses undeclared state {end.value!r}")
    if problems:
        raise LifecycleDefinitionError("invalid lifecycle declaration: " + "; ".join(problems))


def _check_graph(lc: Lifecycle) -> None:
    d = lc.declaration
    problems: list[str] = []
    unreachable = set(lc.statuses) - lc.reachable[d.initial]
    problems += [
        f"state {s.value!r} is unreachable from {d.initial.value!r}"
        for s in lc.statuses
        if s in unreachable
    ]
    for s in lc.statuses:
        if s in d.terminal:
            if lc.triggers_from[s]:
                problems.append(f"terminal state {s.value!r} has a way out")
        elif not lc.reachable[s] & d.terminal:
            problems.append(f"state {s.value!r} is a trap: no terminal state is reachable")
    if problems:
        raise LifecycleDefinitionError("invalid lifecycle declaration: " + "; ".join(problems))


@functools.cache
def _lifecycle_as_of(has_stop: bool) -> Lifecycle:
    day = STOP if has_stop else GA
    return Lifecycle(DECLARATION.as_of(day))


def lifecycle_for(ruleset: Ruleset) -> Lifecycle:
    """The compiled lifecycle in force for ``ruleset`` (built once, shared)."""
    return _lifecycle_as_of(ruleset.has_stop)
