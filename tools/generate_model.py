"""Write ``svstate/_model.py``: Amazon Personalize's service model, every part dated.

The model is the installed botocore's ``personalize/2018-05-22/service-2.json``
(operations, shapes, members, enums, errors, constraints and paginators); each
part carries the date of the first botocore release on PyPI that has it, and
each ``required``, ``min``, ``max`` and ``pattern`` its history, all read from
``tools/personalize-history.json`` (written by ``tools/date_model.py``).
Nothing is typed by hand: svstate's own knowledge (rule ids, patterns the
model cannot express, the facts' corrections of a date) is layered on top in
``svstate/_shapes.py``.

Run it from the repository root::

    python tools/generate_model.py [--check]

``--check`` writes nothing and exits 1, naming the difference, when the file
is not what this script would write (``tests/test_drift.py`` runs the same
comparison). When botocore adds to the model, rerun ``tools/date_model.py``
first: a part the history does not date is an error, not a guess.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HISTORY = ROOT / "tools" / "personalize-history.json"
OUT = ROOT / "svstate" / "_model.py"

HEADER = '''"""Amazon Personalize's service model, every part dated. Generated: do not edit.

Written by ``python tools/generate_model.py`` from botocore {botocore}'s
``personalize/2018-05-22`` model; each date is the upload date of the first
botocore release on PyPI with that part (``tools/personalize-history.json``).

* ``OPERATIONS``: name -> (input shape, output shape, date, ((error, date), ...),
  paginated list member or ``None``).
* ``SHAPES``: name -> (type, date, facets, members, enum, item, key). ``facets``
  is ((facet, ((date, value), ...)), ...) for ``min``, ``max`` and ``pattern``,
  a value of ``None`` meaning the facet was absent from that date on;
  ``members`` is ((member, shape, date, ((date, required), ...)), ...); ``enum``
  is ((value, date), ...); ``item`` is a list's member or a map's value shape,
  ``key`` a map's key shape.
"""

from __future__ import annotations

from typing import Final

Dated = tuple[tuple[str, object], ...]
Operation = tuple[str | None, str | None, str, tuple[tuple[str, str], ...], str | None]
ShapeData = tuple[
    str,
    str,
    tuple[tuple[str, Dated], ...],
    tuple[tuple[str, str, str, tuple[tuple[str, bool], ...]], ...],
    tuple[tuple[str, str], ...],
    str | None,
    str | None,
]

BOTOCORE: Final = {botocore!r}
FIRST_DATE: Final = {first!r}
LAST_DATE: Final = {last!r}

'''


class Undated(Exception):
    """A part of the model that the history does not date."""


def _date(table: dict[str, Any], key: str, undated: list[str]) -> str:
    entry = table.get(key)
    if entry is None:
        undated.append(key)
        return "?"
    return str(entry["date"])


def _history(entries: list[dict[str, Any]]) -> tuple[tuple[str, object], ...]:
    """A constraint's (date, value) changes, in order, merged per day."""
    out: list[tuple[str, object]] = []
    for entry in entries:
        change = (str(entry["date"]), entry["value"])
        if out and out[-1][0] == change[0]:
            out[-1] = change
        elif not out or out[-1][1] != change[1]:
            out.append(change)
    return tuple(out)


def build(model: dict[str, Any], history: dict[str, Any], paginators: dict[str, Any]) -> str:
    """The text of ``svstate/_model.py`` for ``model`` dated by ``history``."""
    undated: list[str] = []
    mismatched: list[str] = []
    constraints = history["constraints"]
    operations: list[str] = []
    for name in sorted(model["operations"]):
        op = model["operations"][name]
        errors = tuple(
            (e["shape"], _date(history["errors"], f"{name}!{e['shape']}", undated))
            for e in sorted(op.get("errors", []), key=lambda e: str(e["shape"]))
        )
        page = paginators.get(name, {}).get("result_key")
        entry = (
            op.get("input", {}).get("shape"),
            op.get("output", {}).get("shape"),
            _date(history["operations"], name, undated),
            errors,
            page if isinstance(page, str) else None,
        )
        operations.append(f"    {name!r}: {entry!r},")
    shapes: list[str] = []
    for name in sorted(model["shapes"]):
        shape = model["shapes"][name]
        facets = []
        for facet in ("min", "max", "pattern"):
            changes = _history(constraints[facet].get(name, []))
            now = changes[-1][1] if changes else None
            if now != shape.get(facet):
                mismatched.append(f"{name}.{facet}: model {shape.get(facet)!r}, history {now!r}")
            if changes:
                facets.append((facet, changes))
        members = []
        for member, target in shape.get("members", {}).items():
            key = f"{name}.{member}"
            required = _history(constraints["required"].get(key, []))
            now = bool(required and required[-1][1])
            if now != (member in shape.get("required", [])):
                mismatched.append(f"{key}.required: model and history disagree")
            members.append(
                (
                    member,
                    target["shape"],
                    _date(history["members"], key, undated),
                    tuple((when, bool(value)) for when, value in required),
                )
            )
        enum = tuple(
            (value, _date(history["enums"], f"{name}={value}", undated))
            for value in shape.get("enum", [])
        )
        item = shape.get("member", shape.get("value", {})).get("shape")
        entry = (
            shape["type"],
            _date(history["shapes"], name, undated),
            tuple(facets),
            tuple(members),
            enum,
            item,
            shape.get("key", {}).get("shape"),
        )
        shapes.append(f"    {name!r}: {entry!r},")
    if undated or mismatched:
        raise Undated(
            f"tools/personalize-history.json does not date {len(undated)} part(s) of the "
            f"installed model ({', '.join(undated[:8])}{'...' if len(undated) > 8 else ''}) "
            f"and disagrees on {len(mismatched)} ({'; '.join(mismatched[:4])}); rerun "
            "python tools/date_model.py, then this script."
        )
    source = history["source"]
    head = HEADER.format(
        botocore=_botocore_version(),
        first=source["first_with_model"]["date"],
        last=source["last_with_model"]["date"],
    )
    return (
        head
        + "OPERATIONS: Final[dict[str, Operation]] = {\n"
        + "\n".join(operations)
        + "\n}\n\nSHAPES: Final[dict[str, ShapeData]] = {\n"
        + "\n".join(shapes)
        + "\n}\n"
    )


def _botocore_version() -> str:
    import botocore

    return str(botocore.__version__)


def generate() -> str:
    """The text this script writes, from the installed botocore and the history file."""
    from botocore.loaders import Loader

    loader = Loader()
    model = loader.load_service_model("personalize", "service-2")
    paginators = loader.load_service_model("personalize", "paginators-1")["pagination"]
    history = json.loads(HISTORY.read_text(encoding="utf-8"))
    return build(model, history, paginators)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    try:
        text = generate()
    except Undated as error:
        print(error, file=sys.stderr)
        return 2
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current == text:
            return 0
        diff = difflib.unified_diff(
            current.splitlines(), text.splitlines(), "svstate/_model.py", "generated", lineterm=""
        )
        print("\n".join(list(diff)[:40]), file=sys.stderr)
        print("svstate/_model.py is stale: run python tools/generate_model.py", file=sys.stderr)
        return 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {text.count(chr(10))} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
