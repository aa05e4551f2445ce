"""Drawings and tables made from the declarations themselves.

The Mermaid diagram comes from the lifecycle declaration, the rule table
from the catalogue and the timeline from the dated API changes, so the docs
cannot drift from the code: ``docs/generate.py`` writes them, and a test
fails when a committed copy differs.
"""

from __future__ import annotations

from svstate._catalogue import rules
from svstate._lifecycle import lifecycle_for
from svstate._rulesets import API_CHANGES, DEFAULT_RULESET, resolve_ruleset

__all__ = ["mermaid", "rules_table", "rulesets_table"]


def mermaid(ruleset: object = "latest") -> str:
    """The version lifecycle in force for ``ruleset`` as a Mermaid state diagram.

    >>> print(mermaid("2019-10-14"))
    stateDiagram-v2
        [*] --> CREATE_PENDING
        CREATE_PENDING --> CREATE_IN_PROGRESS: start
        CREATE_IN_PROGRESS --> ACTIVE: succeed
        CREATE_IN_PROGRESS --> CREATE_FAILED: fail
        ACTIVE --> [*]
        CREATE_FAILED --> [*]
    """
    lc = lifecycle_for(resolve_ruleset(ruleset))
    d = lc.declaration
    lines = ["stateDiagram-v2", f"    [*] --> {d.initial.name}"]
    lines += [f"    {e.source.name} --> {e.dest.name}: {e.trigger}" for e in d.edges]
    lines += [f"    {s.name} --> [*]" for s in lc.statuses if s in d.terminal]
    return "\n".join(lines)


def rules_table(ruleset: object = "latest") -> str:
    """The rules in force for ``ruleset`` as a Markdown table."""
    rows = [
        "| id | severity | rule | predicts | since | source |",
        "|---|---|---|---|---|---|",
    ]
    for r in rules(ruleset):
        code = r.error_code or "(none: a fault of the service or of the facts)"
        if not r.confirmed:
            code += ", unconfirmed"
        rows.append(
            f"| [{r.id}](rules/{r.id}.md) | {r.severity} | {r.title} | {code} | "
            f"{r.since.isoformat()} | {r.source.replace('|', '/')} |"
        )
    return "\n".join(rows)


def rulesets_table() -> str:
    """The dated API changes svstate models, as a Markdown table."""
    rows = ["| date | change | source |", "|---|---|---|"]
    for change in API_CHANGES:
        marker = " (default ruleset)" if change.date.isoformat() == DEFAULT_RULESET else ""
        rows.append(f"| {change.date.isoformat()}{marker} | {change.summary} | {change.source} |")
    return "\n".join(rows)
