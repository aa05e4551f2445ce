"""Seeding a fake from what a real account showed: the JSON of ``describe-*`` and ``list-*``.

Rules in this file:

* A source is the JSON the AWS CLI prints (``aws personalize describe-solution
  ... > solution.json``, ``aws personalize list-solution-versions ...``) or
  the same dict from boto3: one top-level key per resource, a describe
  output's (``"solution"``) holding one resource, a list output's
  (``"solutionVersions"``) a list of summaries. ``nextToken`` and
  ``ResponseMetadata`` are ignored.
* Every source is read and checked before anything is loaded: all the
  problems found are reported at once, in one error, and then the fake is
  left as it was. Loading is all or nothing.
* The same ARN in several sources is one resource: a describe output's
  members win over a list summary's, which only fill what is missing.
* What a resource needs to be answered must be there: its status and
  creationDateTime, its parent (a dataset's group, a version's solution, a
  campaign's version, ...), loaded here or already in the fake. List
  summaries lack some of it (a campaign summary has no solutionVersionArn);
  the error names the describe command that has it.
* ARNs must be the fake's region and account, and times no later than its
  clock: a fake in another account or time would answer a different world.
* A resource loaded in a passing status (CREATE PENDING, DELETE IN_PROGRESS,
  ...) goes on from the fake's now along its declared lifecycle, with the
  fake's durations, as it would have in the account; automatic trainings
  already due when it was saved are taken as done.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from svstate._chain import CHAIN, Resource
from svstate._errors import SvstateError
from svstate._lifecycle import lifecycle_for
from svstate._text import describe
from svstate._vocab import Status
from svstate.testing._fake_base import GONE, deletion_times
from svstate.testing._fake_base import Resource as Held
from svstate.testing._fake_chain import GENERIC, name_member

if TYPE_CHECKING:
    from svstate.testing._fake import FakePersonalize

__all__ = ["load_state"]

_BY_KEY: dict[str, Resource] = {r.key: r for r in CHAIN}
_BY_LIST_KEY: dict[str, Resource] = {r.list_key: r for r in CHAIN}
_IGNORED = frozenset({"nextToken", "NextToken", "ResponseMetadata"})
_TIMES = ("creationDateTime", "lastUpdatedDateTime")
#: Members of a saved resource that the fake derives itself and never stores.
_DERIVED = frozenset({"status", *_TIMES, "latestSolutionVersion", "autoMLResult", "accountId"})
#: The durations of each resource's two creation phases, by chain name.
_PHASES = {
    "solution": ("solution_pending", "solution_in_progress"),
    "solution_version": ("version_pending", "training"),
    "campaign": ("campaign_pending", "campaign_in_progress"),
}
_DESCRIBE = {r.name: f"describe-{r.name.replace('_', '-')}" for r in CHAIN}


def _noun(r: Resource) -> str:
    return r.name.replace("_", " ")


def _parse_time(value: object) -> _dt.datetime | None:
    """A CLI time: ISO 8601 (the CLI v2's default) or epoch seconds (v1's), or a datetime."""
    if isinstance(value, _dt.datetime):
        when = value
    elif isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return _dt.datetime.fromtimestamp(value, _dt.UTC)
    elif isinstance(value, str):
        try:
            when = _dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=_dt.UTC)


class _Reader:
    """Reads every source into one record per ARN, keeping every problem found."""

    def __init__(self, fake: FakePersonalize):
        self.fake = fake
        self.problems: list[str] = []
        self.records: dict[str, tuple[Resource, dict[str, Any], str]] = {}

    def read(self, source: object) -> None:
        origin, document = self._open(source)
        if document is None:
            return
        if not isinstance(document, Mapping):
            self.problems.append(
                f"{origin} holds {describe(document)}, not the JSON object a describe-* or "
                "list-* command prints"
            )
            return
        for key, value in document.items():
            if key in _IGNORED:
                continue
            if key in _BY_KEY:
                self._add(_BY_KEY[key], value, f"{origin} ({key})", summary=False)
            elif key in _BY_LIST_KEY and isinstance(value, list):
                for i, item in enumerate(value):
                    self._add(_BY_LIST_KEY[key], item, f"{origin} ({key}[{i}])", summary=True)
            else:
                known = ", ".join(sorted(_BY_KEY) + sorted(_BY_LIST_KEY))
                self.problems.append(
                    f"{origin} has the member {key!r} ({describe(value)}), which is not the "
                    f"output of a describe-* or list-* command svstate models (one of {known})"
                )

    def _open(self, source: object) -> tuple[str, object]:
        if isinstance(source, Mapping):
            return "a mapping", source
        if not isinstance(source, str | os.PathLike):
            self.problems.append(
                f"a source is {describe(source)}; pass the path of a saved JSON file or "
                "the dict a describe or list call returned"
            )
            return "?", None
        path = os.fspath(source)
        try:
            with open(path, encoding="utf-8") as f:
                return path, json.load(f)
        except OSError as error:
            self.problems.append(f"{path} cannot be read ({error.strerror or error})")
        except (ValueError, UnicodeDecodeError) as error:
            self.problems.append(f"{path} is not JSON ({error})")
        return path, None

    def _add(self, r: Resource, item: object, origin: str, *, summary: bool) -> None:
        arn = item.get(r.arn_member) if isinstance(item, Mapping) else None
        if not isinstance(arn, str) or not arn:
            self.problems.append(
                f"{origin} is {describe(item)}; a {_noun(r)} needs its {r.arn_member}"
            )
            return
        assert isinstance(item, Mapping)
        known = self.records.get(arn)
        if known is None:
            self.records[arn] = (r, dict(item), origin)
        elif known[0] is not r:
            self.problems.append(f"{origin}: {arn} is also a {_noun(known[0])} in {known[2]}")
        elif summary:
            for k, v in item.items():
                known[1].setdefault(k, v)
        else:
            known[1].update(item)


class _Builder:
    """Turns the records into the fake's resources, keeping every problem found."""

    def __init__(self, fake: FakePersonalize, reader: _Reader):
        self.fake = fake
        self.clock = fake.clock
        self.now = fake.clock.seconds()
        self.records = reader.records
        self.problems = reader.problems

    def seconds(self, value: object, member: str, arn: str) -> float | None:
        when = _parse_time(value)
        if when is None:
            self.problems.append(
                f"{arn} has {member} {describe(value)}; pass the time as the CLI prints it "
                "(ISO 8601 or epoch seconds)"
            )
            return None
        at = self.now + (when - self.clock.now()).total_seconds()
        if at > self.now:
            self.problems.append(
                f"{arn} has {member} {when.isoformat()}, after the fake's clock "
                f"({self.clock.now().isoformat()}); start the clock later "
                "(FakeClock(start=...), or mock_personalize, whose clock starts now)"
            )
            return None
        return at

    def parent_known(self, r: Resource, data: dict[str, Any], arn: str, origin: str) -> bool:
        if r.parent is None:
            return True
        name, member = r.parent
        parent = data.get(member)
        if r.name == "solution_version" and parent is None:
            parent = data[member] = arn.rpartition("/")[0]
        if r.name == "dataset" and parent is None:  # ListDatasets summaries lack it
            group = arn.split(":", 5)[-1].split("/")[1] if arn.count("/") >= 2 else ""
            parent = data[member] = f"{arn.split(':dataset/')[0]}:dataset-group/{group}"
        if not isinstance(parent, str):
            self.problems.append(
                f"{origin}: the {_noun(r)} {arn} lacks its {member} (list summaries do not "
                f"carry it); add the output of `aws personalize {_DESCRIBE[r.name]}` for it"
            )
            return False
        held = self.records.get(parent)
        if (held is None or held[0].name != name) and self.fake._find(name, parent) is None:
            self.problems.append(
                f"{origin}: the {_noun(r)} {arn} belongs to {parent}, which is neither in the "
                f"saved state nor in the fake; add the output of "
                f"`aws personalize {_DESCRIBE[name]}` for it"
            )
            return False
        return True

    def timeline(
        self, r: Resource, status: Status, updated: float
    ) -> list[tuple[float, Status | None]]:
        """From ``status`` at ``updated``, on along the declared lifecycle from the fake's now."""
        d = self.fake.durations
        pending, running = _PHASES.get(r.name, (f"{r.name}_pending", f"{r.name}_in_progress"))
        table = (
            lifecycle_for(self.fake.ruleset).next_status
            if r.name == "solution_version"
            else (r.compiled.next_status if r.compiled is not None else {})
        )
        steps: dict[Status, tuple[Status | None, float]] = {}
        for (here, event), there in table.items():
            if event == "start":
                steps[here] = (there, d[pending])
            elif event == "succeed":
                steps[here] = (there, d[running])
            elif event == "finish_stop":
                steps[here] = (there, d["stopping"])
        deletion = (*r.deletion, GONE)
        held_for = deletion_times(r.deletion, d)
        for i, here in enumerate(r.deletion):
            steps[here] = (deletion[i + 1], held_for[i])
        points: list[tuple[float, Status | None]] = [(updated, status)]
        at = self.now
        here_or_gone: Status | None = status
        while here_or_gone is not None and here_or_gone in steps:
            after, held = steps[here_or_gone]
            at += held
            points.append((at, after))
            here_or_gone = after
        return points

    def build(self, arn: str) -> tuple[Resource, Held] | None:
        r, data, origin = self.records[arn]
        parts = arn.split(":", 5)
        if len(parts) != 6 or parts[3] != self.fake.region or parts[4] != self.fake.account:
            self.problems.append(
                f"{origin}: {arn} is not of the fake's region and account "
                f"({self.fake.region}, {self.fake.account}); create the fake or mock with "
                "that region= and account="
            )
            return None
        status: Status | None = Status.ACTIVE
        if r.lifecycle is not None or r.name in _PHASES:
            raw = data.get("status")
            try:
                status = Status(raw)
            except ValueError:
                self.problems.append(
                    f"{origin}: {arn} has the status {describe(raw)}; a saved {_noun(r)} needs "
                    "the status the service showed (ACTIVE, CREATE IN_PROGRESS, ...)"
                )
                status = None
        created = self.seconds(data.get("creationDateTime"), "creationDateTime", arn)
        updated = created
        if data.get("lastUpdatedDateTime") is not None:
            updated = self.seconds(data["lastUpdatedDateTime"], "lastUpdatedDateTime", arn)
        parent_ok = self.parent_known(r, data, arn, origin)
        if status is None or created is None or updated is None or not parent_ok:
            return None
        name = data.get(name_member(r))
        if r.name == "solution_version":
            name = arn.rpartition("/")[2]
        if not isinstance(name, str):
            name = arn.rpartition("/")[2]
        fields = {
            k: v
            for k, v in data.items()
            if k not in _DERIVED and k not in (r.arn_member, name_member(r))
        }
        if r.name == "solution_version":
            fields = {
                "trainingMode": data.get("trainingMode", "FULL"),
                "trainingType": data.get("trainingType", "MANUAL"),
                "failureReason": data.get("failureReason"),
                **({"name": data["name"]} if isinstance(data.get("name"), str) else {}),
            }
        held = Held(arn, name, self.timeline(r, status, updated), created, fields)
        if r.name == "campaign":
            fields.setdefault("minProvisionedTPS", 1)
            update = fields.pop("latestCampaignUpdate", None)
            if isinstance(update, Mapping):
                fields["update"] = self.campaign_update(r, arn, update)
        if r.name == "solution":
            self.auto_trainings_done(held)
        return r, held

    def campaign_update(self, r: Resource, arn: str, update: Mapping[str, Any]) -> Held | None:
        try:
            status = Status(update.get("status"))
        except ValueError:
            self.problems.append(
                f"{arn}'s latestCampaignUpdate has the status {describe(update.get('status'))}; "
                "a saved update needs the status the service showed (ACTIVE, CREATE FAILED, ...)"
            )
            return None
        created = self.seconds(update.get("creationDateTime"), "latestCampaignUpdate time", arn)
        if created is None:
            return None
        wanted = {k: v for k, v in update.items() if k not in (*_DERIVED, "failureReason")}
        held = Held(arn, arn.rpartition("/")[2], self.timeline(r, status, created), created, {})
        failed = status is Status.CREATE_FAILED
        held.fields.update(
            wanted=wanted,
            reason=(update.get("failureReason") or "Campaign update failed.") if failed else None,
            applied=status is Status.ACTIVE,
        )
        return held

    def auto_trainings_done(self, sol: Held) -> None:
        """Count the automatic trainings already due as made: the saved list has them."""
        from svstate.testing._fake import auto_training_period

        period = auto_training_period(sol)
        due = sol.timeline[0][0] + self.fake.durations["auto_training_delay"]
        sol.fields["autoVersions"] = 0 if due > self.now else int((self.now - due) // period) + 1


def load_state(fake: FakePersonalize, sources: Iterable[object]) -> list[str]:
    """Load ``sources`` into ``fake``, all or nothing; the ARNs loaded, parents first."""
    reader = _Reader(fake)
    for source in sources:
        reader.read(source)
    order = {r.name: i for i, r in enumerate(CHAIN)}
    with fake._lock:
        builder = _Builder(fake, reader)
        built = [
            b
            for b in (
                builder.build(arn)
                for arn in sorted(reader.records, key=lambda a: order[reader.records[a][0].name])
            )
            if b is not None
        ]
        if not reader.problems and not reader.records:
            reader.problems.append(
                "the sources hold no resource; pass the files a describe-* or list-* command wrote"
            )
        if reader.problems:
            n = len(reader.problems)
            raise SvstateError(
                f"{n} problem{'s' if n > 1 else ''} in the saved state, so nothing was loaded: "
                + "; ".join(reader.problems)
                + "."
            )
        tables = {
            "solution": fake._solutions,
            "solution_version": fake._versions,
            "campaign": fake._campaigns,
        }
        generic = {r.name for r in GENERIC}
        for r, held in built:
            table = fake.chain.tables[r.name] if r.name in generic else tables[r.name]
            table[held.arn] = held
        return [held.arn for _, held in built]
