"""What a :class:`~svstate.Tracker` remembers of the rest of the chain, and the facts it gives.

Rules in this file:

* It keeps, per resource of the chain (dataset groups to filters, and the
  campaigns and solutions UpdateCampaign and UpdateSolution name), the newest
  Describe dict seen, and per (resource, parent) the complete List answer
  once every page of one listing has been seen.
* A create makes a resource *known to exist*, with no status: a status is
  only ever what a response showed, so nothing here is guessed. The facts a
  rule then lacks (``dataset_group.status``) are named in ``missing`` and a
  guard fetches them.
* A ResourceNotFoundException forgets the resource; a delete marks it with
  its first deletion status (it still blocks its parent's deletion).
* A status never moves backwards along the resource's declared lifecycle: an
  older one is ignored and reported (SV506); a move the lifecycle forbids
  is reported (SV501) and applied, being the service's newest word. A
  creation status after a deletion one is a new resource of the same name.
* Which operation touches which resource comes from the declarations
  (:mod:`svstate._chain`), never from a table here.
"""

from __future__ import annotations

from typing import Any

from svstate._catalogue import RULES
from svstate._chain import BY_NAME, BY_OPERATION, Resource
from svstate._errors import SvstateError
from svstate._text import describe, snake_case
from svstate._verdict import Finding
from svstate._vocab import Status, read_status

__all__ = ["OBSERVED_CHAIN", "ChainMemory", "chain_refresh"]

_OWN = frozenset({"solution_version"})  # the tracker's own records answer for versions
_RECORDED = frozenset({"solution"})  # kept here too, but ordered by the tracker's records

#: The chain operations a tracker observes (besides the solution, version and campaign ones).
OBSERVED_CHAIN: tuple[str, ...] = tuple(op for op, r in BY_OPERATION.items() if r.name not in _OWN)
_API = {snake_case(op): op for op in BY_OPERATION}
#: The plural facts, by the resource they list (each under its parent, the request names).
PLURALS = {
    "datasets": "dataset",
    "solutions": "solution",
    "event_trackers": "event_tracker",
    "dataset_imports": "dataset_import_job",
}


_PARENT_MEMBER = {name: (BY_NAME[name].parent or ("", ""))[1] for name in PLURALS.values()}
_READ = ("status", "domain", "datasetType", "failureReason", "importMode", "schemaArn")


def _kept(r: Resource, fact: dict[str, Any]) -> dict[str, Any]:
    """What the rules read of a Describe dict or summary: plain strings, JSON-ready."""
    keys = (r.arn_member, *(r.parent[1:] if r.parent else ()), *_READ)
    kept = {k: fact[k] for k in keys if isinstance(fact.get(k), str)}
    if r.updates is not None:
        latest = fact.get(r.updates.member)
        if isinstance(latest, dict):
            kept[r.updates.member] = {
                k: latest[k] for k in ("status", "failureReason") if isinstance(latest.get(k), str)
            }
    return kept


def _step_ok(
    r: Resource, held: dict[str, Any], fact: dict[str, Any], out: list[Finding], path: str
) -> bool:
    """Whether a newly shown status may replace the held one, by the declared lifecycle.

    Forward along the creation lifecycle, into the deletion statuses, and
    from one deletion status to a later one: yes. Back along the lifecycle
    (a poll answered out of order): no, and SV506 says so. Anything else the
    lifecycle forbids (ACTIVE to CREATE FAILED, say): SV501, and it is
    applied, being the service's newest word. A deletion status followed by
    a creation one is a new resource of the same name: yes.
    """
    if r.name in _RECORDED:
        return True  # the tracker's solution records order their own observations
    before, after = read_status(held.get("status")), read_status(fact.get("status"))
    if before is None or after is None or before[0] is after[0] or r.compiled is None:
        return True
    old, new = before[0], after[0]
    reachable = r.compiled.reachable
    deleting = r.deletion
    if old in deleting:
        return (
            new not in deleting
            or deleting.index(new) >= deleting.index(old)
            or _stale(r, held, old, new, out, path)
        )
    if new in deleting or (old in reachable and new in reachable[old]):
        return True
    if new in reachable and old in reachable[new]:
        return _stale(r, held, old, new, out, path)
    out.append(
        RULES["SV501"].finding(
            f"{r.name.replace('_', ' ').capitalize()} {_short(str(held.get(r.arn_member)))} went from {old.value} to "
            f"{new.value}, which its lifecycle does not allow.",
            f"{path}.status",
            "Report it: the service broke its own lifecycle, or the facts are mixed up.",
        )
    )
    return True


def _stale(
    r: Resource, held: dict[str, Any], old: Status, new: Status, out: list[Finding], path: str
) -> bool:
    out.append(
        RULES["SV506"].finding(
            f"{path} says {r.name.replace('_', ' ')} {_short(str(held.get(r.arn_member)))} is "
            f"{new.value}, but the tracker holds the later {old.value}; it is ignored.",
            path,
        )
    )
    return False


def _short(arn: str) -> str:
    return arn.rpartition(":")[2].partition("/")[2] or arn


class ChainMemory:
    """The chain's resources as responses have shown them. Not thread-safe: the tracker locks."""

    def __init__(self) -> None:
        self.described: dict[str, dict[str, dict[str, Any]]] = {}
        self.listed: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self._listing: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}

    def __len__(self) -> int:
        return sum(map(len, self.described.values()))

    # -- observing ----------------------------------------------------------------------

    def observe(
        self,
        operation: str,
        request: dict[Any, Any],
        response: object,
        out: list[Finding] | None = None,
    ) -> None:
        """Take in one successful response (a dict) of a chain operation; a status its
        lifecycle cannot reach from the one held is reported into ``out`` (SV501 if it
        is applied, SV506 if it is older and ignored)."""
        out = [] if out is None else out
        operation = _API.get(operation, operation)
        r = BY_OPERATION.get(operation)
        if r is None or r.name in _OWN or not isinstance(response, dict):
            return
        if operation == r.describe:
            fact = response.get(r.key)
            if isinstance(fact, dict) and isinstance(fact.get(r.arn_member), str):
                self._keep(r, dict(fact), out, r.key)
        elif operation == r.create:
            arn = response.get(r.arn_member)
            if isinstance(arn, str):
                known = {r.arn_member: arn}
                for member in _READ:  # what the request set: a domain, a schema (SV905)...
                    if member not in ("status", "failureReason") and isinstance(
                        request.get(member), str
                    ):
                        known[member] = request[member]
                if r.parent is not None and isinstance(request.get(r.parent[1]), str):
                    known[r.parent[1]] = request[r.parent[1]]
                    listing = self.listed.get((r.name, request[r.parent[1]]))
                    if listing is not None:
                        listing[arn] = known
                self.described.setdefault(r.name, {})[arn] = known
        elif operation == r.list_op:
            self._page(r, request, response, out)
        elif operation == r.delete:
            self._deleted(r, request.get(r.arn_member))
        elif r.updates is not None and operation == r.updates.operation:
            fact = self.described.get(r.name, {}).get(request.get(r.arn_member))  # type: ignore[arg-type]
            if fact is not None:
                # An update is being created: its status is for a Describe to show.
                fact[r.updates.member] = {}

    def forget(self, operation: str, request: dict[Any, Any]) -> None:
        """A ResourceNotFoundException: the resource the request names is gone."""
        r = BY_OPERATION.get(_API.get(operation, operation))
        if r is None or r.name in _OWN:
            return
        arn = request.get(r.arn_member)
        if isinstance(arn, str):
            self.described.get(r.name, {}).pop(arn, None)
            for listing in self.listed.values():
                listing.pop(arn, None)

    def _keep(self, r: Resource, fact: dict[str, Any], out: list[Finding], path: str) -> None:
        fact = _kept(r, fact)
        arn = fact[r.arn_member]
        held = self.described.get(r.name, {}).get(arn)
        if held is not None and not _step_ok(r, held, fact, out, path):
            return  # an older picture than the one held: ignored
        self.described.setdefault(r.name, {})[arn] = fact
        for (name, _), listing in self.listed.items():
            if name == r.name and arn in listing:
                listing[arn] = fact

    def _page(
        self,
        r: Resource,
        request: dict[Any, Any],
        response: dict[Any, Any],
        out: list[Finding],
    ) -> None:
        items = response.get(r.list_key)
        if not isinstance(items, list):
            return
        table = self.described.setdefault(r.name, {})
        page: dict[str, dict[str, Any]] = {}
        for i, item in enumerate(items):
            arn = item.get(r.arn_member) if isinstance(item, dict) else None
            if not isinstance(arn, str):
                continue
            fact = _kept(r, item)
            held = table.get(arn)
            if held is not None and not _step_ok(r, held, fact, out, f"{r.list_key}[{i}]"):
                fact = {}  # older than what is held: the listing still shows the resource
            table[arn] = page[arn] = {**table.get(arn, {}), **fact}
        parent = request.get(r.parent[1]) if r.parent is not None else None
        if r.name not in PLURALS.values() or not isinstance(parent, str):
            return  # only the lists of one parent's children are facts
        key = (r.name, parent)
        if request.get("nextToken") is None:
            self._listing[key] = {}
        buffer = self._listing.get(key)
        if buffer is None:
            return  # a later page of a listing whose first page was not seen
        buffer.update(page)
        if response.get("nextToken") is None:
            self.listed[key] = self._listing.pop(key)

    def _deleted(self, r: Resource, arn: object) -> None:
        if not isinstance(arn, str):
            return
        fact = self.described.get(r.name, {}).get(arn)
        if not r.deletion:
            self.forget(r.delete or "", {r.arn_member: arn})
        elif fact is not None:
            fact["status"] = r.deletion[0].value

    # -- durable state ------------------------------------------------------------------

    def dump(self) -> dict[str, Any]:
        """The memory as JSON-ready data (every fact is already plain strings)."""
        return {
            "described": {n: dict(t) for n, t in self.described.items() if t},
            "listed": [
                [n, parent, sorted(listing)] for (n, parent), listing in self.listed.items()
            ],
        }

    @classmethod
    def load(cls, raw: object, path: str = "snapshot.chain") -> ChainMemory:
        """A memory from :meth:`dump`'s data; a malformed part is an error naming it."""
        memory = cls()
        if not isinstance(raw, dict) or set(raw) - {"described", "listed"}:
            raise SvstateError(f"{path} is {describe(raw)}, not a dict of described and listed.")
        described = raw.get("described", {})
        if not isinstance(described, dict):
            raise SvstateError(f"{path}.described is {describe(described)}, not a dict.")
        for name, table in described.items():
            r = BY_NAME.get(name) if isinstance(name, str) else None
            if r is None or r.name in _OWN or not isinstance(table, dict):
                raise SvstateError(f"{path}.described has {describe(name)}, not a chain resource.")
            for arn, fact in table.items():
                where = f"{path}.described.{name}[{arn!r}]"
                if not isinstance(fact, dict) or fact.get(r.arn_member) != arn:
                    raise SvstateError(f"{where} is {describe(fact)}, not a fact about {arn!r}.")
                for key, value in fact.items():
                    nested = r.updates is not None and key == r.updates.member
                    if not (isinstance(value, str) or (nested and isinstance(value, dict))):
                        raise SvstateError(f"{where}.{key} is {describe(value)}, not a string.")
                memory.described.setdefault(name, {})[arn] = dict(fact)
        listed = raw.get("listed", [])
        if not isinstance(listed, list):
            raise SvstateError(f"{path}.listed is {describe(listed)}, not a list.")
        for i, entry in enumerate(listed):
            ok = isinstance(entry, list) and len(entry) == 3 and entry[0] in BY_NAME
            if not ok or not isinstance(entry[1], str) or not isinstance(entry[2], list):
                raise SvstateError(
                    f"{path}.listed[{i}] is {describe(entry)}, not [name, parent, arns]."
                )
            table = memory.described.get(entry[0], {})
            missing = [a for a in entry[2] if a not in table]
            if missing:
                raise SvstateError(
                    f"{path}.listed[{i}] lists {missing[0]!r}, which is not described."
                )
            memory.listed[entry[0], entry[1]] = {a: table[a] for a in entry[2]}
        return memory

    # -- asking -------------------------------------------------------------------------

    def facts(self, request: dict[Any, Any]) -> dict[str, Any]:
        """The facts known about every resource the request names, as preflight takes them."""
        out: dict[str, Any] = {}
        for name, table in self.described.items():
            arn = request.get(BY_NAME[name].arn_member)
            if isinstance(arn, str) and arn in table:
                out[name] = table[arn]
        for plural, name in PLURALS.items():
            parent = request.get(_PARENT_MEMBER[name])
            listing = self.listed.get((name, parent)) if isinstance(parent, str) else None
            if listing is not None:
                out[plural] = list(listing.values())
        return out


def chain_refresh(
    missing: tuple[str, ...], params: object
) -> list[tuple[str, bool, dict[str, str]]]:
    """The boto3 calls that would fetch the ``missing`` facts of a chain request:
    ``(method, paginated, kwargs)``, each at most once.

    >>> chain_refresh(("dataset_group", "datasets"), {"datasetGroupArn": "arn:...:dataset-group/g"})
    [('describe_dataset_group', False, {'datasetGroupArn': 'arn:...:dataset-group/g'}), ('list_datasets', True, {'datasetGroupArn': 'arn:...:dataset-group/g'})]
    """
    request = params if isinstance(params, dict) else {}
    calls: list[tuple[str, bool, dict[str, str]]] = []
    for fact in missing:
        name = fact.partition(".")[0]
        if name in PLURALS:
            r = BY_NAME[PLURALS[name]]
            member = _PARENT_MEMBER[r.name]
            call = (snake_case(r.list_op), True, {member: request.get(member)})
        elif name == "versions":
            arn = request.get("solutionVersionArn")
            solution = arn[: -len("/$LATEST")] if isinstance(arn, str) else None
            call = ("list_solution_versions", True, {"solutionArn": solution})
        elif name in BY_NAME:
            r = BY_NAME[name]
            call = (snake_case(r.describe), False, {r.arn_member: request.get(r.arn_member)})
        else:
            continue
        if all(isinstance(v, str) for v in call[2].values()) and call not in calls:
            calls.append(call)  # type: ignore[arg-type]
    return calls
