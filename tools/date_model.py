"""Date every part of botocore's Amazon Personalize model by its first release.

For the service model ``botocore/data/personalize/2018-05-22/service-2.json``
(shipped as ``service-2.json.gz`` by newer wheels) this script finds the first
botocore release on PyPI that contains:

* every operation (key: operation name);
* every shape (key: shape name);
* every member of every structure shape (key: ``Shape.member``);
* every enum value (key: ``Shape=VALUE``);
* every error an operation declares (key: ``Operation!Error``);

and records the history of each member's ``required`` status and of each
shape's ``min``, ``max`` and ``pattern`` as a list of (release, value) changes.

How it works:

1. The list of releases and their dates comes from PyPI's JSON API
   (``https://pypi.org/pypi/botocore/json``). A release's date is the UTC upload
   date of its wheel, which can lag the service's own API change by a day or so.
2. Releases are sampled coarsely (the first release of every calendar month from
   ``--since`` on, plus the newest release); between two neighbouring samples
   whose dated facts differ, the interval is bisected until every change is
   pinned to one release. A change that is undone before the next sample is
   not seen.
3. From each examined wheel only the one model file is read: the wheel is
   opened as a zip over HTTP range requests, so only its central directory and
   that member are transferred (a plain download is the fallback when the
   server ignores ranges). The extracted models are cached under ``--cache``
   (default ``~/.cache/svstate-model-history``), so a rerun downloads nothing
   but the release list, and ``--offline`` not even that.

Run it from the repository root::

    python tools/date_model.py [--cache DIR] [--out tools/personalize-history.json]

The output is JSON with sorted keys and no run-dependent fields, so two runs
over the same release list give identical files.
"""

from __future__ import annotations

import argparse
import gzip
import io
import itertools
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PYPI_JSON_URL = "https://pypi.org/pypi/botocore/json"
MODEL_PATH = "botocore/data/personalize/2018-05-22/service-2.json"
DEFAULT_CACHE = Path("~/.cache/svstate-model-history")
DEFAULT_OUT = Path(__file__).resolve().parent / "personalize-history.json"
DEFAULT_SINCE = "2018-11-01"
CONSTRAINT_KINDS = ("required", "min", "max", "pattern")
USER_AGENT = "svstate-date-model/1 (+python urllib)"
TIMEOUT = 60.0
RETRIES = 4
BLOCK = 256 * 1024
TAIL = 64 * 1024

_VERSION_RE = re.compile(r"\d+\.\d+\.\d+")


class FetchError(RuntimeError):
    """A request to PyPI failed after retries."""


@dataclass(frozen=True)
class Release:
    """One botocore release that has a wheel on PyPI."""

    version: str
    date: str
    url: str
    size: int

    @property
    def key(self) -> tuple[int, ...]:
        return version_key(self.version)

    def ref(self) -> dict[str, str]:
        return {"botocore": self.version, "date": self.date}


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# HTTP


def _request(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET ``url``, retrying transient failures; return (status, body)."""
    all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    last: Exception | None = None
    for attempt in range(RETRIES):
        req = urllib.request.Request(url, headers=all_headers)
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            if exc.code < 500 and exc.code != 429:
                raise FetchError(f"GET {url}: HTTP {exc.code} {exc.reason}") from exc
            last = exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            last = exc
        time.sleep(2**attempt)
    raise FetchError(f"GET {url}: failed after {RETRIES} tries: {last}")


class HttpRangeFile(io.RawIOBase):
    """A read-only, seekable file over HTTP range requests, with a block cache.

    ``zipfile`` reads the end of the archive and then one member, so only a
    small part of a wheel is ever transferred.
    """

    def __init__(self, url: str, size: int) -> None:
        super().__init__()
        self.url = url
        self.size = size
        self.pos = 0
        self.bytes_fetched = 0
        self._blocks: dict[int, bytes] = {}
        self._whole: bytes | None = None
        self._prefetch(max(0, size - TAIL), size)

    def _prefetch(self, start: int, end: int) -> None:
        """Fetch [start, end) and store it as cache blocks."""
        first = start // BLOCK
        start = first * BLOCK
        status, body = _request(self.url, {"Range": f"bytes={start}-{end - 1}"})
        if status != 206:
            # The server ignored the range: keep the whole file.
            self._whole = body
            self.size = len(body)
            self.bytes_fetched += len(body)
            return
        self.bytes_fetched += len(body)
        for i in range(0, len(body), BLOCK):
            self._blocks[first + i // BLOCK] = body[i : i + BLOCK]

    def _block(self, index: int) -> bytes:
        if index not in self._blocks:
            start = index * BLOCK
            self._prefetch(start, min(self.size, start + BLOCK))
        return self._blocks[index]

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        want = min(len(view), self.size - self.pos)
        if want <= 0:
            return 0
        if self._whole is None:
            # Fetch every missing block of the span in one request.
            first, last = self.pos // BLOCK, (self.pos + want - 1) // BLOCK
            missing = [i for i in range(first, last + 1) if i not in self._blocks]
            if missing:
                end = min(self.size, (missing[-1] + 1) * BLOCK)
                self._prefetch(missing[0] * BLOCK, end)
        if self._whole is not None:
            view[:want] = self._whole[self.pos : self.pos + want]
        else:
            done = 0
            while done < want:
                at = self.pos + done
                block = self._block(at // BLOCK)
                chunk = block[at % BLOCK : at % BLOCK + want - done]
                view[done : done + len(chunk)] = chunk
                done += len(chunk)
        self.pos += want
        return want


# --------------------------------------------------------------------------
# Release list and model cache


def parse_index(data: dict[str, Any], base_url: str) -> list[Release]:
    """Releases with a non-yanked wheel, oldest first."""
    releases = []
    for version, files in data.get("releases", {}).items():
        if not _VERSION_RE.fullmatch(version):
            continue  # pre-releases such as 1.0.0rc1
        wheels = [
            f for f in files if f.get("packagetype") == "bdist_wheel" and not f.get("yanked")
        ]
        if not wheels:
            continue
        wheel = wheels[0]
        uploaded = wheel.get("upload_time_iso_8601") or wheel["upload_time"]
        releases.append(
            Release(
                version=version,
                date=uploaded[:10],
                url=urllib.parse.urljoin(base_url, wheel["url"]),
                size=int(wheel["size"]),
            )
        )
    releases.sort(key=lambda r: r.key)
    return releases


def load_index(cache: Path, offline: bool) -> list[Release]:
    """Fetch the release list from PyPI (or take the cached copy offline)."""
    cached = cache / "botocore-index.json"
    if offline:
        if not cached.exists():
            raise SystemExit(f"--offline: no cached release list at {cached}")
        return parse_index(json.loads(cached.read_text()), PYPI_JSON_URL)
    log(f"fetching the release list from {PYPI_JSON_URL}")
    try:
        _, body = _request(PYPI_JSON_URL, {"Accept": "application/json"})
    except FetchError as exc:
        hint = " (a cached copy exists: rerun with --offline)" if cached.exists() else ""
        raise SystemExit(f"cannot reach PyPI's JSON API: {exc}{hint}") from exc
    data = json.loads(body)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    tmp.write_bytes(body)
    tmp.replace(cached)
    return parse_index(data, PYPI_JSON_URL)


class ModelStore:
    """Extracted Personalize models by botocore version, cached on disk."""

    def __init__(self, cache: Path, offline: bool) -> None:
        self.dir = cache / "personalize"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.offline = offline
        self.downloaded = 0
        self.bytes_fetched = 0

    def get(self, release: Release) -> dict[str, Any] | None:
        """The model in ``release``, or None if the wheel has none."""
        present = self.dir / f"{release.version}.json.gz"
        absent = self.dir / f"{release.version}.absent"
        if present.exists():
            cached: dict[str, Any] = json.loads(gzip.decompress(present.read_bytes()))
            return cached
        if absent.exists():
            return None
        if self.offline:
            raise SystemExit(f"--offline: botocore {release.version} is not cached")
        raw = self._extract(release)
        self.downloaded += 1
        if raw is None:
            absent.touch()
            return None
        model: dict[str, Any] = json.loads(raw)
        tmp = present.with_suffix(".tmp")
        tmp.write_bytes(gzip.compress(raw, mtime=0))
        tmp.replace(present)
        return model

    def _extract(self, release: Release) -> bytes | None:
        try:
            remote = HttpRangeFile(release.url, release.size)
            with zipfile.ZipFile(io.BufferedReader(remote, BLOCK)) as wheel:
                names = set(wheel.namelist())
                if MODEL_PATH in names:
                    raw = wheel.read(MODEL_PATH)
                elif MODEL_PATH + ".gz" in names:
                    raw = gzip.decompress(wheel.read(MODEL_PATH + ".gz"))
                else:
                    raw = None
        except FetchError as exc:
            raise SystemExit(f"cannot download botocore {release.version}: {exc}") from exc
        self.bytes_fetched += remote.bytes_fetched
        log(
            f"  botocore {release.version} ({release.date}): "
            f"{'model' if raw else 'no model'}, {remote.bytes_fetched // 1024} KiB read"
        )
        return raw


# --------------------------------------------------------------------------
# Facts


@dataclass(frozen=True)
class Facts:
    """The dated parts of one model; equal facts mean nothing dated changed."""

    operations: frozenset[str]
    shapes: frozenset[str]
    members: frozenset[str]
    enums: frozenset[str]
    errors: frozenset[str]
    constraints: frozenset[tuple[str, str, str]]  # (kind, key, json value)


_NONE: frozenset[Any] = frozenset()
EMPTY = Facts(_NONE, _NONE, _NONE, _NONE, _NONE, _NONE)


def extract_facts(model: dict[str, Any] | None) -> Facts:
    if model is None:
        return EMPTY
    shapes: dict[str, dict[str, Any]] = model.get("shapes", {})
    members: set[str] = set()
    enums: set[str] = set()
    constraints: set[tuple[str, str, str]] = set()
    for name, shape in shapes.items():
        if shape.get("type") == "structure":
            required = set(shape.get("required", []))
            for member in shape.get("members", {}):
                key = f"{name}.{member}"
                members.add(key)
                constraints.add(("required", key, json.dumps(member in required)))
        for value in shape.get("enum", []):
            enums.add(f"{name}={value}")
        for kind in ("min", "max", "pattern"):
            constraints.add((kind, name, json.dumps(shape.get(kind))))
    errors = {
        f"{op}!{error['shape']}"
        for op, spec in model.get("operations", {}).items()
        for error in spec.get("errors", [])
    }
    return Facts(
        operations=frozenset(model.get("operations", {})),
        shapes=frozenset(shapes),
        members=frozenset(members),
        enums=frozenset(enums),
        errors=frozenset(errors),
        constraints=frozenset(constraints),
    )


# --------------------------------------------------------------------------
# Sampling and bisection


def monthly_samples(releases: list[Release]) -> list[int]:
    """Indices of the first release of each month, and of the newest one."""
    picked: list[int] = []
    month = ""
    for i, release in enumerate(releases):
        if release.date[:7] != month:
            month = release.date[:7]
            picked.append(i)
    if releases and picked[-1] != len(releases) - 1:
        picked.append(len(releases) - 1)
    return picked


def examine(releases: list[Release], store: ModelStore) -> dict[int, Facts]:
    """Facts for the monthly samples and for every release bisection needs."""
    facts: dict[int, Facts] = {}

    def at(i: int) -> Facts:
        if i not in facts:
            facts[i] = extract_facts(store.get(releases[i]))
        return facts[i]

    samples = monthly_samples(releases)
    log(f"sampling {len(samples)} monthly releases")
    for i in samples:
        at(i)
    if at(samples[0]) != EMPTY:
        log(f"warning: botocore {releases[0].version} already has the model; use --since")
    pending = list(itertools.pairwise(samples))
    log("bisecting intervals where something changed")
    while pending:
        lo, hi = pending.pop()
        if hi - lo <= 1 or at(lo) == at(hi):
            continue
        mid = (lo + hi) // 2
        at(mid)
        pending.extend([(mid, hi), (lo, mid)])
    return facts


# --------------------------------------------------------------------------
# Histories


def presence(steps: list[tuple[Release, Facts]], field: str) -> dict[str, dict[str, Any]]:
    """First release of every key of ``field``; later removals if any."""
    out: dict[str, dict[str, Any]] = {}
    history: dict[str, list[dict[str, Any]]] = {}
    previous: frozenset[str] = frozenset()
    for release, facts in steps:
        current: frozenset[str] = getattr(facts, field)
        for key in current - previous:
            history.setdefault(key, []).append({**release.ref(), "present": True})
        for key in previous - current:
            history[key].append({**release.ref(), "present": False})
        previous = current
    for key, changes in history.items():
        first = changes[0]
        entry: dict[str, Any] = {"botocore": first["botocore"], "date": first["date"]}
        if len(changes) > 1:
            entry["history"] = changes
        if not changes[-1]["present"]:
            entry["removed"] = {
                "botocore": changes[-1]["botocore"],
                "date": changes[-1]["date"],
            }
        out[key] = entry
    return out


def constraint_history(
    steps: list[tuple[Release, Facts]],
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Per kind and key, the (release, value) changes from the key's first release.

    Only keys whose value is ever set (``required`` true, a ``min``, ``max`` or
    ``pattern`` present) are listed. A value of None means the shape has no such
    constraint; a key that vanishes from the model (see ``members``/``shapes``
    for removals) simply gets no further entries.
    """
    values: dict[tuple[str, str], list[dict[str, Any]]] = {}
    previous: dict[tuple[str, str], str] = {}
    for release, facts in steps:
        current = {(kind, key): value for kind, key, value in facts.constraints}
        for ident, value in current.items():
            if previous.get(ident) != value:
                values.setdefault(ident, []).append({**release.ref(), "value": json.loads(value)})
        previous = current
    out: dict[str, dict[str, list[dict[str, Any]]]] = {k: {} for k in CONSTRAINT_KINDS}
    for (kind, key), changes in values.items():
        if any(c["value"] is not None and c["value"] is not False for c in changes):
            out[kind][key] = changes
    return out


def build_report(releases: list[Release], facts: dict[int, Facts]) -> dict[str, Any]:
    order = sorted(facts)
    steps = [(releases[i], facts[i]) for i in order]
    with_model = [releases[i] for i in order if facts[i] != EMPTY]
    return {
        "source": {
            "index": PYPI_JSON_URL,
            "model": MODEL_PATH,
            "dates": "UTC upload date of the release's wheel on PyPI",
            "method": (
                "first release of each month sampled, bisected between neighbouring "
                "samples whose dated facts differ; a change undone between two "
                "samples is not seen"
            ),
            "releases_considered": len(releases),
            "newest_in_index": releases[-1].ref(),
            "first_with_model": with_model[0].ref() if with_model else None,
            "last_with_model": with_model[-1].ref() if with_model else None,
        },
        "releases_examined": [
            {**releases[i].ref(), "has_model": facts[i] != EMPTY} for i in order
        ],
        "operations": presence(steps, "operations"),
        "shapes": presence(steps, "shapes"),
        "members": presence(steps, "members"),
        "enums": presence(steps, "enums"),
        "errors": presence(steps, "errors"),
        "constraints": constraint_history(steps),
    }


# --------------------------------------------------------------------------
# Command line


def parse_args(argv: Iterable[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(os.environ.get("SVSTATE_MODEL_CACHE", DEFAULT_CACHE)),
        help="where extracted models are kept (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="output JSON (default: %(default)s)",
    )
    parser.add_argument(
        "--since",
        default=DEFAULT_SINCE,
        help="first upload date to sample, before Personalize appeared (default: %(default)s)",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="use only the cache: the cached release list and models",
    )
    return parser.parse_args(None if argv is None else list(argv))


def main(argv: Iterable[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    cache = args.cache.expanduser()
    releases = [r for r in load_index(cache, args.offline) if r.date >= args.since]
    if not releases:
        raise SystemExit(f"no botocore release uploaded on or after {args.since}")
    log(f"{len(releases)} releases from {releases[0].version} to {releases[-1].version}")
    store = ModelStore(cache, args.offline)
    facts = examine(releases, store)
    report = build_report(releases, facts)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")
    log(
        f"examined {len(facts)} releases, downloaded {store.downloaded} "
        f"({store.bytes_fetched / 2**20:.1f} MiB read); "
        f"{len(report['operations'])} operations, {len(report['shapes'])} shapes, "
        f"{len(report['members'])} members, {len(report['enums'])} enum values, "
        f"{len(report['errors'])} operation errors; "
        f"wrote {args.out} in {time.monotonic() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
