"""The fast path of ``preflight``: the common call decided without building any record.

Rules in this file:

* It decides nothing of its own. For one operation and ruleset it recognises
  the common case (a well-formed request, facts exactly as boto3 returns
  them, every precondition but SV301 plainly met) and answers the very
  verdict the full evaluation gives there: the shared ALLOW verdict, or a
  DENY whose one error is SV301's, each with SV401's warning when versions
  are in flight, worded by the rules' own text (:func:`svstate._rules.sv301_text`,
  :func:`svstate._rules.sv401_text`). For anything else (another finding of
  any severity, a missing fact, an unusual value) it answers ``None`` and the
  full evaluation decides, so verdicts never depend on which path ran.
  ``tests/test_fast.py`` checks that equivalence on generated facts.
* A checker is compiled once per (operation, ruleset): what the ruleset puts
  in force (modes, recipes, the lifecycle's statuses, AUTOTRAIN) is read then, not
  per call.
* The versions are read in one loop: each one's type, status and ARN, and for
  an UPDATE its mode (a DENY names the newest FULL version, so it needs them
  all; an UPDATE whose versions do not all say their mode defers). For a list
  of tens, CPython 3.11 runs that loop faster than a C-level ``itemgetter``
  pass for each key. What follows is C-level: set and list tests over what it read.
* What is a pure function of strings is remembered, bounded: whether a
  solution ARN draws a finding (the full request check), which version ARNs
  are plainly that solution's own (checked on one joined string when first
  seen), and SV301's DENY and SV401's warning for what their text says
  (solution, count, newest FULL version, the versions in flight shown). A
  polling pipeline passes the same strings again and again.

Today it covers CreateSolutionVersion, the call pipelines send most.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from svstate._arn import ARN_MAX
from svstate._catalogue import RULES
from svstate._facts import created_since
from svstate._lifecycle import IN_FLIGHT, lifecycle_for
from svstate._rules import IN_FLIGHT_SHOWN, newest_of, sv301_text, sv401_text, target_of
from svstate._rulesets import AUTOTRAIN, TRAINING_MODE, Ruleset
from svstate._shapes import check_request
from svstate._timestamps import read_timestamp
from svstate._verdict import Finding, Verdict, conclude
from svstate._vocab import STATUS_BY_VALUE, Status, TrainingMode

__all__ = [
    "CreateSolutionVersionCheck",
    "allowed_verdict",
    "compiled",
    "create_solution_version_check",
]

FastCheck = Callable[[object, object, object], "Verdict | None"]

_FULL = TrainingMode.FULL  # an enum member read from a module name, not the class
_PLAIN_MODES = {"FULL": _FULL, "UPDATE": TrainingMode.UPDATE}
_DATETIME = _dt.datetime
_SVA = "solutionVersionArn"
_ARN_OF = itemgetter(_SVA)
_AS_SHOWN = attrgetter("arn", "status", "inferred")  # a record in flight as SV401 names it
_BUSY = frozenset(s.value for s in IN_FLIGHT)
_NONE_SEEN: frozenset[str] = frozenset()  # no version ARN read: an empty list


class _Busy(NamedTuple):
    """A version in flight as SV401's text reads it: ``(arn, status, inferred)``."""

    arn: str
    status: Status
    inferred: str | None


Shown = tuple[tuple[str, Status, str | None], ...]  # the versions SV401 names, as _Busy reads


def _shown(versions: list[Any], statuses: list[str]) -> Shown:
    """The versions in flight that SV401 names, the first in the list's order; a dict's
    status was observed, not inferred. Only those named are read."""
    out = []
    for i, status in enumerate(statuses):
        if status in _BUSY:
            out.append((versions[i][_SVA], STATUS_BY_VALUE[status], None))
            if len(out) == IN_FLIGHT_SHOWN:
                break
    return tuple(out)


def _clean_target(arn: str, rs: Ruleset) -> bool:
    """Whether ``{"solutionArn": arn}`` draws no finding: its shape and its kind (SV101-SV106)."""
    out: list[Finding] = []
    check_request("CreateSolutionVersion", {"solutionArn": arn}, rs, out)
    _, kind, solution = target_of("CreateSolutionVersion", {"solutionArn": arn})
    return not out and kind == "solution" and solution == arn


_TARGETS_KEPT = 4096  # solution ARNs (and SV301 denials) a checker remembers
_MEMBERS_KEPT = 65536  # version ARNs it remembers under one solution


def _plain_latest(latest: object, solution: str, members: AbstractSet[str]) -> bool:
    """Whether a ``latestSolutionVersion`` reads without a finding: a status of the
    vocabulary, and an ARN of the solution's own (one of ``members``, the version ARNs
    already seen to be, or else read here)."""
    if type(latest) is not dict:
        return False
    arn = latest.get("solutionVersionArn")
    if type(arn) is not str:
        return False
    if arn not in members:
        prefix = solution + "/"
        if not (arn.startswith(prefix) and "/" not in arn[len(prefix) :] and len(arn) <= ARN_MAX):
            return False
    status = latest.get("status")
    return type(status) is str and status in STATUS_BY_VALUE


def _plain_arns(arns: list[str], prefix: str) -> bool:
    """Whether every ARN is ``prefix`` + one segment, at most ARN_MAX long, none twice.

    On one joined string: with no newline inside an ARN, each occurrence of
    newline + prefix starts an ARN, and a slash count of exactly one prefix's
    worth per ARN leaves none in a segment. When all the segments together
    fit in one ARN, each does; else each is measured.
    """
    n = len(arns)
    joined = "\n".join(arns)  # TypeError for a non-str: the caller defers
    return (
        joined.startswith(prefix)
        and joined.count("\n") == n - 1
        and joined.count("\n" + prefix) == n - 1
        and joined.count("/") == n * prefix.count("/")
        and (
            len(joined) - (n - 1) - n * len(prefix) <= ARN_MAX - len(prefix)
            or max(map(len, arns)) <= ARN_MAX
        )
        and len(set(arns)) == n  # SV507: one ARN twice
    )


def _not_older_than(facts: list[Any], since: object) -> bool:
    """Whether every version is created no earlier than its solution (SV507)."""
    if type(since) is not _DATETIME or since.tzinfo is None:
        return False
    return created_since(facts, since)


class CreateSolutionVersionCheck:
    """CreateSolutionVersion's fast path for one ruleset: ``check(params, solution, versions)``
    is the verdict of a common call, or ``None`` to evaluate in full."""

    __slots__ = (
        "allowed",
        "autotrain",
        "busy",
        "denials",
        "modes",
        "rs",
        "settled",
        "statuses",
        "targets",
        "update_recipes",
    )

    def __init__(self, rs: Ruleset, allowed: Verdict):
        self.rs = rs
        self.allowed = allowed
        self.autotrain = rs.in_force(AUTOTRAIN)
        self.modes = rs.in_force(TRAINING_MODE)
        # solution ARN -> the version ARNs seen to be plainly its own, or None when the
        # ARN itself draws a finding. Both are pure functions of strings, remembered.
        self.targets: dict[str, set[str] | None] = {}
        # SV301's DENY by what its text says: (solution ARN, count, newest FULL version,
        # the versions in flight shown).
        self.denials: dict[tuple[object, ...], Verdict] = {}
        # SV401's warning, the one finding of an ALLOW, by what its text says.
        self.busy: dict[tuple[object, ...], Verdict] = {}
        self.update_recipes = rs.update_recipes
        self.statuses = frozenset(s.value for s in lifecycle_for(rs).statuses)
        self.settled = self.statuses - _BUSY

    def clean_request(self, params: object) -> TrainingMode | None:
        """The training mode of a request that draws no finding itself, else ``None``.

        ``None`` unless the request is exactly ``solutionArn`` (a clean solution
        ARN) and, where the ruleset has it, ``trainingMode`` FULL or UPDATE.
        """
        if type(params) is not dict:
            return None
        arn = params.get("solutionArn")
        if type(arn) is not str:
            return None
        size = len(params)
        if size == 1:
            mode: TrainingMode | None = _FULL
        elif size == 2 and self.modes:  # solutionArn and, it must be, trainingMode
            value = params.get("trainingMode")
            mode = _PLAIN_MODES.get(value) if type(value) is str else None
            if mode is None:
                return None
        else:
            return None
        try:
            known = self.targets[arn]
        except KeyError:
            known = self._target(arn)
        return mode if known is not None else None

    def _target(self, arn: str) -> set[str] | None:
        """Read a solution ARN not seen before and remember it: an empty set for the
        version ARNs to be seen as plainly its own, ``None`` if ``arn`` is not clean."""
        if len(self.targets) >= _TARGETS_KEPT:
            self.targets.clear()
        members: set[str] | None = set() if _clean_target(arn, self.rs) else None
        self.targets[arn] = members
        return members

    def _own(self, arn: str, members: set[str], arns: set[str]) -> bool:
        """Whether the version ARNs ``arns`` not yet remembered among ``members`` are
        plainly the solution ``arn``'s own; those that are are remembered."""
        fresh = arns - members
        try:
            if not _plain_arns(list(fresh), arn + "/"):
                return False
        except TypeError:  # a non-str ARN
            return False
        if len(members) + len(fresh) > _MEMBERS_KEPT:
            members.clear()
        if len(fresh) <= _MEMBERS_KEPT:
            members |= fresh
        return True

    def __call__(self, params: object, solution: object, versions: object) -> Verdict | None:
        mode = self.clean_request(params)
        if mode is None:
            return None
        assert type(params) is dict
        arn = params["solutionArn"]
        # The solution: ACTIVE, its own ARN, a recipe (for UPDATE: one that supports it).
        if type(solution) is not dict or solution.get("solutionArn") != arn:
            return None
        if solution.get("status") != "ACTIVE" or solution.get("performAutoML") is True:
            return None
        latest = solution.get("latestSolutionVersion")
        # The versions: a plain list of boto3 dicts of this solution, with known statuses.
        if type(versions) is not list:
            return None
        modes: list[Any] = []
        if versions:
            # Each a plain dict, a status of the lifecycle, its ARN the solution's own,
            # none twice; for an UPDATE, its mode said. One loop reads them: for a list
            # this short CPython runs it faster than a C pass for each (and no user code
            # runs in a plain dict's read).
            statuses: list[Any] = []
            arns: set[Any] = set()
            try:
                if mode is _FULL:
                    for row in versions:
                        if type(row) is not dict:
                            return None
                        statuses.append(row["status"])
                        arns.add(row[_SVA])
                else:  # an ALLOW reads the ACTIVE versions' modes, a DENY every one
                    for row in versions:
                        if type(row) is not dict:
                            return None
                        statuses.append(row["status"])
                        arns.add(row[_SVA])
                        modes.append(row["trainingMode"])
                busy = not self.settled.issuperset(statuses)
                if busy and not self.statuses.issuperset(statuses):
                    return None  # unknown (SV502) or underscored (SV503)
            except (KeyError, TypeError):  # no ARN, status or mode, or an unhashable one
                return None
            if len(arns) != len(statuses):
                return None  # one ARN twice, or the same version twice (SV507)
            members = self.targets.get(arn)
            if members is None or not (arns <= members or self._own(arn, members, arns)):
                return None
            seen: AbstractSet[str] = members
        else:
            statuses, busy, seen = [], False, _NONE_SEEN
        if latest is not None and not _plain_latest(latest, arn, seen):
            return None
        # The modes of the ACTIVE versions, the only ones the ALLOW depends on.
        full = False
        actives = statuses.count("ACTIVE")
        if actives:
            at = -1
            for _ in range(actives):
                at = statuses.index("ACTIVE", at + 1)
                active_mode = modes[at] if modes else versions[at].get("trainingMode")
                if active_mode == "UPDATE":
                    return None  # SV507 looks at these: the full path decides
                full = full or active_mode == "FULL"
        created = solution.get("creationDateTime")
        if created is not None and not _not_older_than(versions, created):
            return None
        shown = _shown(versions, statuses) if busy else ()
        if mode is not _FULL:
            recipe = solution.get("recipeArn")
            if type(recipe) is not str or recipe not in self.update_recipes:
                return None  # SV302, or a missing (or unreadable) recipe
            if not (full or (actives and not self.autotrain)):
                if actives:  # ACTIVE, yet neither FULL nor UPDATE: the full path asks
                    return None
                return self._update_denied(arn, statuses, modes, latest, versions, shown)
        return self._warned(arn, shown) if shown else self.allowed

    def _update_denied(
        self,
        arn: str,
        statuses: list[str],
        modes: list[Any],
        latest: object,
        versions: list[Any],
        shown: Shown,
    ) -> Verdict | None:
        """SV301's DENY, when it is the one error: no ACTIVE version, so none FULL (with
        SV401's warning for those ``shown``, in flight). Its text names the newest FULL
        version; a version of another mode is counted, and named by no rule."""
        fulls = modes.count("FULL")
        if latest is not None:
            assert type(latest) is dict
            # The list's ARNs are unique here; the latest is most often listed first.
            arn_of_latest = latest["solutionVersionArn"]
            if versions and versions[0][_SVA] == arn_of_latest:
                listed = 0
            else:
                try:
                    listed = list(map(_ARN_OF, versions)).index(arn_of_latest)
                except ValueError:
                    return None  # a latest version the list lacks: the full path weighs it
            if statuses[listed] != latest["status"]:
                return None  # the list and the latest disagree: the full path weighs it
        key: tuple[object, ...]
        if not fulls:
            key = (arn, len(statuses)) + shown  # noqa: RUF005 - no list built, as * builds one
        else:
            if fulls == 1:
                index = modes.index("FULL")
            else:
                at = [i for i, m in enumerate(modes) if m == "FULL"]
                index = at[
                    newest_of([read_timestamp(versions[i].get("creationDateTime")) for i in at])
                ]
            row = versions[index]
            key = (arn, len(statuses), row[_SVA], statuses[index], row.get("failureReason"))
            if shown:
                key += shown
        try:
            return self.denials[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable failure reason: the text leaves it out
            key = (*key[:4], None, *key[5:])
        return self._deny(key, shown)

    def _deny(self, key: tuple[object, ...], shown: Shown) -> Verdict:
        """SV301's DENY for ``key`` (solution ARN, count[, newest FULL ARN, status, reason],
        then ``shown``), with SV401's warning for the versions ``shown`` in flight."""
        arn, count = key[:2]
        assert type(arn) is str
        assert type(count) is int
        newest = None
        if len(key) > 2 + len(shown):
            version, status, reason = key[2:5]
            assert type(version) is str
            assert type(status) is str
            newest = (
                version,
                STATUS_BY_VALUE[status],
                None,
                reason if isinstance(reason, str) else None,
            )
        message, hint = sv301_text(arn, count, False, newest)
        findings = [RULES["SV301"].finding(message, "trainingMode", hint)]
        if shown:
            findings.append(self._sv401(arn, shown))
        if len(self.denials) >= _TARGETS_KEPT:
            self.denials.clear()
        verdict = self.denials[key] = conclude(findings, (), self.rs.name, "CreateSolutionVersion")
        return verdict

    def in_flight(self, arn: str, busy: list[Any]) -> Verdict:
        """The ALLOW whose one finding is SV401's warning, for versions ``busy`` in flight
        (records with ``arn``, ``status`` and ``inferred``, in the order the rule lists
        them); remembered by what the text says."""
        return self._warned(arn, tuple(map(_AS_SHOWN, busy[:IN_FLIGHT_SHOWN])))

    def _warned(self, arn: str, shown: Shown) -> Verdict:
        """The ALLOW whose one finding is SV401's warning naming ``shown``, remembered."""
        key = (arn, *shown)
        try:
            return self.busy[key]
        except KeyError:
            pass
        if len(self.busy) >= _TARGETS_KEPT:
            self.busy.clear()
        verdict = self.busy[key] = conclude(
            [self._sv401(arn, shown)], (), self.rs.name, "CreateSolutionVersion"
        )
        return verdict

    def _sv401(self, arn: str, shown: Shown) -> Finding:
        """SV401's warning for the solution ``arn``, naming the versions ``shown``."""
        message, hint = sv401_text(arn, [_Busy(*row) for row in shown], self.rs.has_stop)
        return RULES["SV401"].finding(message, "solutionArn", hint)


@functools.cache
def allowed_verdict(operation: str, rs: Ruleset) -> Verdict:
    """The ALLOW verdict without findings; verdicts are immutable, so one serves every call."""
    return conclude([], (), rs.name, operation)


@functools.cache
def create_solution_version_check(rs: Ruleset) -> CreateSolutionVersionCheck:
    """CreateSolutionVersion's compiled checker under ``rs``, built once (the Tracker's
    and :func:`compiled`'s)."""
    return CreateSolutionVersionCheck(rs, allowed_verdict("CreateSolutionVersion", rs))


@functools.cache
def compiled(operation: str, rs: Ruleset) -> FastCheck | None:
    """The fast path of ``operation`` under ``rs``, built once; ``None`` where it has none.

    The checker's bound ``__call__``: called directly, not through the instance's slot."""
    if operation == "CreateSolutionVersion":
        return create_solution_version_check(rs).__call__
    return None
