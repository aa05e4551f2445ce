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

from svstate._render import mermaid, rules_table, rulesets_table

ROOT = Path(__file__).resolve().parent.parent
PARTS: dict[str, Callable[[], str]] = {
    "mermaid": lambda: f"```mermaid\n{mermaid('latest')}\n```",
    "rules": lambda: rules_table("latest"),
    "rulesets": rulesets_table,
}
FILES = ("README.md", "docs/index.md", "docs/rules.md", "docs/rulesets.md")
_BLOCK = re.compile(r"(<!-- generated: (\w+) -->\n)(.*?)(\n?<!-- end generated -->)", re.S)


def render(text: str) -> str:
    """``text`` with every generated block rewritten."""
    return _BLOCK.sub(lambda m: f"{m.group(1)}{PARTS[m.group(2)]()}\n<!-- end generated -->", text)


def main() -> int:
    changed = []
    for name in FILES:
        path = ROOT / name
        old = path.read_text()
        new = render(old)
        if new != old:
            path.write_text(new)
            changed.append(name)
    print("rewrote: " + (", ".join(changed) or "nothing"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
