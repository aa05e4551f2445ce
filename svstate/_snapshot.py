"""A :class:`~svstate.Tracker`'s durable state: snapshot documents, files, restore.

Rules in this file:

* A snapshot stores facts only (each solution's and version's fields, and the
  chain memory's); the indexes are derived again on restore, by the same
  code that keeps them on ``observe``.
* Restore reads strictly: the first field that is not as ``snapshot()``
  writes it is an error naming it, and a tracker is returned whole or not at
  all.
* A file is written atomically: a temporary file beside the target, flushed
  and fsynced, renamed over it, the directory fsynced. A process killed at
  any moment leaves the previous file or the new one, whole.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar

from svstate._arn import SOLUTION, SOLUTION_VERSION, arn_kind, arn_matches
from svstate._chaintrack import ChainMemory
from svstate._errors import SvstateError
from svstate._records import VersionRecord
from svstate._text import describe
from svstate._vocab import MODE_BY_VALUE, Status, read_status

if TYPE_CHECKING:
    from svstate._tracker import Tracker

__all__ = ["SNAPSHOT_FORMAT", "document", "file_path", "read", "restore", "write"]

SNAPSHOT_FORMAT = "svstate.tracker/2"
# Format 1 (svstate 0.1) had no record of which statuses were inferred: all read as observed.
_SNAPSHOT_FORMATS = ("svstate.tracker/1", SNAPSHOT_FORMAT)

T = TypeVar("T", bound="Tracker")


def document(tracker: Tracker) -> dict[str, Any]:
    """The tracker's whole state as a JSON-serialisable dict (facts only)."""
    with tracker._lock:
        return {
            "format": SNAPSHOT_FORMAT,
            "ruleset": tracker._rs.name,
            "solutions": [
                {
                    "arn": s.arn,
                    "status": None if s.status is None else s.status.value,
                    "inferred": s.inferred,
                    "recipe": s.recipe,
                    "automl": s.automl,
                    "updated": s.updated,
                    "complete": s.complete,
                    "campaigns": {
                        arn: None if st is None else st.value
                        for arn, st in sorted(s.campaigns.items())
                    },
                    "campaigns_complete": s.campaigns_complete,
                    "campaigns_inferred": dict(sorted(s.campaigns_inferred.items())),
                    "listing": None
                    if s.listing is None
                    else {"seen": sorted(s.listing[0]), "next_token": s.listing[1]},
                }
                for s in sorted(tracker._solutions.values(), key=lambda s: s.arn)
            ],
            "versions": [
                [
                    v.arn,
                    v.status.value,
                    None if v.mode is None else v.mode.value,
                    v.created,
                    v.updated,
                    v.inferred,
                ]
                # in the order first seen: it orders versions whose creation time
                # the tracker never saw (created under observation)
                for v in tracker._versions.values()
            ],
            # the rest of the chain: dataset groups to filters (absent when empty)
            **({"chain": tracker._chain.dump()} if len(tracker._chain) else {}),
        }


def write(target: str, text: str) -> None:
    """Write ``text`` to the file ``target`` atomically (see the rules above)."""
    directory = os.path.dirname(os.path.abspath(target))
    try:
        fd, temporary = tempfile.mkstemp(prefix=".svstate-", suffix=".tmp", dir=directory)
    except OSError as error:
        raise SvstateError(
            f"cannot write the snapshot beside {target[:200]!r}: {error.strerror or error}."
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def read(source: str) -> bytes:
    """The bytes of a snapshot file, or an error naming why they cannot be read."""
    try:
        with open(source, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise SvstateError(
            f"cannot read the snapshot {source[:200]!r}: {error.strerror or error}."
        ) from None
    return data


def restore(cls: type[T], document: object) -> T:
    """A tracker of class ``cls`` from a snapshot document (a dict, or its JSON text)."""
    if isinstance(document, str | bytes | bytearray):
        try:
            document = json.loads(document)
        except (ValueError, RecursionError) as error:
            raise SvstateError(
                f"the snapshot is not valid JSON ({error}); pass what Tracker.snapshot() wrote."
            ) from None
    doc = _Reader(document)
    version = doc.get("format", str)
    if version not in _SNAPSHOT_FORMATS:
        raise SvstateError(
            f"format is {describe(doc.raw.get('format'))}, not "
            f"{SNAPSHOT_FORMAT!r}; pass what Tracker.snapshot() wrote."
        )
    current = version == SNAPSHOT_FORMAT
    try:
        tracker = cls(ruleset=doc.get("ruleset", str))
    except SvstateError as error:
        raise SvstateError(f"ruleset: {error}") from None
    for i, raw in enumerate(doc.get("solutions", list)):
        item = _Reader(raw, f"solutions[{i}]")
        arn = item.get("arn", str)
        if not _is_arn(arn, SOLUTION):
            raise SvstateError(f"{item.path}.arn {describe(arn)} is not a solution ARN.")
        if arn in tracker._solutions:
            raise SvstateError(f"{item.path}.arn {describe(arn)} is listed twice.")
        sol = tracker._solution(arn)
        sol.status = item.status("status", optional=True)
        sol.inferred = item.get("inferred", str, optional=True) if current else None
        sol.recipe = item.get("recipe", str, optional=True)
        sol.automl = item.get("automl", bool)
        sol.updated = item.number("updated")
        sol.complete = item.get("complete", bool)
        campaigns = item.get("campaigns", dict)
        for arn_, status in campaigns.items():
            if not isinstance(arn_, str):
                raise SvstateError(f"{item.path}.campaigns has a key {describe(arn_)}.")
            sol.campaigns[arn_] = _Reader({"s": status}, f"{item.path}.campaigns.{arn_}").status(
                "s", optional=True
            )
        sol.campaigns_complete = item.get("campaigns_complete", bool)
        if current:
            for arn_, how in item.get("campaigns_inferred", dict).items():
                if not isinstance(how, str) or arn_ not in sol.campaigns:
                    raise SvstateError(
                        f"{item.path}.campaigns_inferred has {describe(arn_)}: "
                        f"{describe(how)}, not a listed campaign and a call name."
                    )
                sol.campaigns_inferred[arn_] = how
        listing = item.get("listing", dict, optional=True)
        if listing is not None:
            reader = _Reader(listing, f"{item.path}.listing")
            seen = reader.get("seen", list)
            if not all(isinstance(a, str) for a in seen):
                raise SvstateError(f"{item.path}.listing.seen holds a non-string ARN.")
            sol.listing = (set(seen), reader.get("next_token", str))
    for i, row in enumerate(doc.get("versions", list)):
        path = f"versions[{i}]"
        columns: tuple[str, ...] = ("arn", "status", "mode", "created", "updated", "inferred")
        if not current:
            columns = columns[:5]
        if not isinstance(row, list) or len(row) != len(columns):
            raise SvstateError(f"{path} is {describe(row)}, not [{', '.join(columns)}].")
        item = _Reader(dict(zip(columns, row, strict=True)), path)
        arn = item.get("arn", str)
        if not _is_arn(arn, SOLUTION_VERSION) or arn in tracker._versions:
            raise SvstateError(f"{path}.arn {describe(arn)} is not a new solution version ARN.")
        status = item.status("status")
        assert status is not None
        if status not in tracker._lc.reachable:
            raise SvstateError(
                f"{path}.status {status.value!r} is not a version status in "
                f"ruleset {tracker._rs.name}."
            )
        mode_raw = item.get("mode", str, optional=True)
        if mode_raw is not None and mode_raw not in MODE_BY_VALUE:
            raise SvstateError(f"{path}.mode {describe(mode_raw)} is not a training mode.")
        owner = arn.rpartition("/")[0]
        if owner not in tracker._solutions:
            raise SvstateError(
                f"{path}.arn {describe(arn)} belongs to a solution the snapshot does not list."
            )
        sol = tracker._solutions[owner]
        v = VersionRecord(
            arn,
            sol,
            status,
            MODE_BY_VALUE.get(mode_raw) if mode_raw else None,
            item.number("created"),
            item.number("updated"),
            item.get("inferred", str, optional=True) if current else None,
        )
        tracker._versions[arn] = v
        sol.hold(v)
    if "chain" in doc.raw:
        tracker._chain = ChainMemory.load(doc.raw["chain"])
        tracker._handlers = tracker._observers()
    return tracker


class _Reader:
    """Strict reading of a snapshot document, with errors that name the field."""

    def __init__(self, raw: object, path: str = "snapshot"):
        if not isinstance(raw, dict):
            raise SvstateError(
                f"{path} is {describe(raw)}, not a dict as Tracker.snapshot() writes."
            )
        self.raw: dict[Any, Any] = raw
        self.path = path

    def _value(self, key: str) -> Any:
        if key not in self.raw:
            raise SvstateError(
                f"{self.path}.{key} is missing; Tracker.snapshot() always writes it."
            )
        return self.raw[key]

    def get(self, key: str, kind: type, *, optional: bool = False) -> Any:
        value = self._value(key)
        if value is None and optional:
            return None
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise SvstateError(f"{self.path}.{key} is {describe(value)}, not {kind.__name__}.")
        return value

    def number(self, key: str) -> float | None:
        value = self._value(key)
        if value is None:
            return None
        try:
            finite = isinstance(value, int | float) and math.isfinite(value)
        except OverflowError:
            finite = False
        if isinstance(value, bool) or not finite:
            raise SvstateError(f"{self.path}.{key} is {describe(value)}, not epoch seconds.")
        return float(value)

    def status(self, key: str, *, optional: bool = False) -> Status | None:
        value = self._value(key)
        if value is None and optional:
            return None
        read = read_status(value)
        if read is None or read[1]:
            raise SvstateError(f"{self.path}.{key} is {describe(value)}, not a status.")
        return read[0]


def file_path(path: object) -> str:
    """A file path the user passed, checked: never a file descriptor, never a NUL byte."""
    if not isinstance(path, str | os.PathLike):
        raise SvstateError(f"path is {describe(path)}; pass a file path (str or pathlib.Path).")
    text = os.fspath(path)
    if not isinstance(text, str) or not text or "\x00" in text:
        raise SvstateError(f"path {describe(text)} is not a usable file path.")
    return text


def _is_arn(value: object, kind: str) -> TypeGuard[str]:
    return isinstance(value, str) and arn_matches(value) and arn_kind(value) == kind
