"""Rewrite the generated parts of the docs and README from svstate's declarations.

Each generated part sits between ``<!-- generated: NAME -->`` and
``<!-- end generated -->`` markers. Run ``python docs/generate.py`` after
changing the lifecycle, the catalogue or the rulesets; ``tests/test_docs.py``
fails while a committed copy is out of date.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import svstate
from svstate._catalogue import CATALOGUE, Rule
from svstate._render import mermaid, operations_table, rules_table, rulesets_table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rule_examples import EXAMPLES, NOTES

ROOT = Path(__file__).resolve().parent.parent
PARTS: dict[str, Callable[[], str]] = {
    "mermaid": lambda: f"```mermaid\n{mermaid('latest')}\n```",
    "rules": lambda: rules_table("latest"),
    "rulesets": rulesets_table,
    "operations": operations_table,
}
FILES = (
    "README.md",
    "docs/index.md",
    "docs/rules.md",
    "docs/rulesets.md",
    "docs/operations.md",
)
_BLOCK = re.compile(r"(<!-- generated: (\w+) -->\n)(.*?)(\n?<!-- end generated -->)", re.S)


def render(text: str) -> str:
    """``text`` with every generated block rewritten."""
    return _BLOCK.sub(lambda m: f"{m.group(1)}{PARTS[m.group(2)]()}\n<!-- end generated -->", text)


def _verdict_of(source: str) -> svstate.Verdict:
    verdict = eval(source, {"svstate": svstate, "t": svstate.Tracker()})  # our own examples
    assert isinstance(verdict, svstate.Verdict), source
    return verdict


def _notes(rule_id: str) -> str:
    note = NOTES.get(rule_id)
    return f"\n## What svstate decides\n\n{note}" if note else ""


def rule_page(rule: Rule) -> str:
    """The page of one rule: what it checks, why, its source, and two checked examples."""
    triggers, passes = EXAMPLES[rule.id]
    found = next(f for f in _verdict_of(triggers).findings if f.rule == rule.id)
    setup = ">>> t = svstate.Tracker()\n" if "t." in triggers else ""
    severity = {
        "error": "error: it denies",
        "warning": "warning: it informs, never denies",
        "info": "info",
    }[str(rule.severity)]
    return f"""# {rule.id}: {rule.title}

| | |
|---|---|
| severity | {severity} |
| predicts | {rule.error_code or "no AWS error: a fault of the service or of the facts"} |
| in force from | {rule.since.isoformat()} |
| applies to | {", ".join(rule.applies_to)} |
| confirmed by a public source | {"yes" if rule.confirmed else "no: modelled as a warning"} |

**Source.** {rule.source}.
{_notes(rule.id)}
## A call that triggers it

```python
>>> import svstate
{setup}>>> verdict = {triggers}
>>> finding = [f for f in verdict.findings if f.rule == "{rule.id}"][0]
>>> print(finding.message)
{found.message}
>>> print(finding.hint)
{found.hint}

```

## On its boundary: a call that does not

```python
{setup if "t." in passes else ""}>>> verdict = {passes}
>>> "{rule.id}" in [f.rule for f in verdict.findings]
False

```

[All rules](../rules.md)
"""


def rule_pages() -> dict[str, str]:
    """Every rule page, by path."""
    return {f"docs/rules/{rule.id}.md": rule_page(rule) for rule in CATALOGUE}


def main() -> int:
    changed = []
    for name in FILES:
        path = ROOT / name
        old = path.read_text()
        new = render(old)
        if new != old:
            path.write_text(new)
            changed.append(name)
    (ROOT / "docs" / "rules").mkdir(exist_ok=True)
    for name, text in rule_pages().items():
        path = ROOT / name
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            changed.append(name)
    print("rewrote: " + (", ".join(changed) or "nothing"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
