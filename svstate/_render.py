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


# Why an operation is not modelled yet, by the resource it acts on (the first match wins).
_NOT_MODELLED: tuple[tuple[str, str], ...] = (
    ("Recommender", "domain recommenders are a managed alternative to solutions and campaigns"),
    ("BatchSegmentJob", "batch segment jobs (user segments) are off the training pipeline's path"),
    ("DatasetExportJob", "dataset export jobs are off the training pipeline's path"),
    ("DataDeletionJob", "data deletion jobs are off the training pipeline's path"),
    ("MetricAttribution", "metric attributions are off the training pipeline's path"),
    ("Recipe", "a read-only catalogue: no lifecycle, no preconditions"),
    ("Algorithm", "a read-only catalogue: no lifecycle, no preconditions"),
    ("FeatureTransformation", "a read-only catalogue: no lifecycle, no preconditions"),
    ("Tag", "tags are checked as members of the create calls (SV106); tagging has no lifecycle"),
    ("GetSolutionMetrics", "read-only; it changes no state"),
    ("", "part of the training chain: not modelled yet"),
)


def operations_table() -> str:
    """Markdown: every operation of the service model, and what svstate does with it."""
    from svstate._chaintrack import OBSERVED_CHAIN
    from svstate._model import OPERATIONS
    from svstate._preflight import OPERATIONS as CHECKED
    from svstate._tracker import OBSERVED
    from svstate.testing._fake import faked_operations

    lines = [
        "| Operation | Since | Checked (preflight, guard) | Observed (Tracker) | Faked | Why not |",
        "|---|---|---|---|---|---|",
    ]
    counts = {"checked": 0, "observed": 0, "faked": 0, "none": 0}
    for name, (_, _, since, _, _) in sorted(OPERATIONS.items()):
        checked = name in CHECKED
        seen = name in OBSERVED or name in OBSERVED_CHAIN
        faked = name in faked_operations()
        why = ""
        if not (checked or seen or faked):
            why = next(text for key, text in _NOT_MODELLED if key in name)
            counts["none"] += 1
        counts["checked"] += checked
        counts["observed"] += seen
        counts["faked"] += faked
        marks = ["yes" if flag else "" for flag in (checked, seen, faked)]
        lines.append(f"| {name} | {since} | {' | '.join(marks)} | {why} |")
    summary = (
        f"{len(OPERATIONS)} operations: {counts['checked']} checked, {counts['observed']} "
        f"observed, {counts['faked']} faked, {counts['none']} not modelled."
    )
    return summary + "\n\n" + "\n".join(lines)
