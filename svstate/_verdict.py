"""What svstate answers: findings and verdicts.

A :class:`Verdict` is immutable and JSON-serialisable through
:meth:`Verdict.to_dict`. The decision follows one rule, written once in
:func:`conclude`: DENY when any error-level finding holds; else UNKNOWN when a
fact an error-level rule needs is missing; else ALLOW.
"""

from __future__ import annotations

from typing import Any

import attrs

from svstate._errors import SvstateError
from svstate._vocab import Decision, Severity

__all__ = ["Finding", "PreconditionFailed", "PreflightDenied", "Verdict", "conclude"]

# Enum members read from module names: reading one off its class costs ~0.1 us on 3.11.
_ERROR = Severity.ERROR
_ALLOW, _DENY, _UNKNOWN = Decision.ALLOW, Decision.DENY, Decision.UNKNOWN


@attrs.frozen(slots=True)
class Finding:
    """One thing a rule found.

    ``rule`` is a rule id such as ``"SV301"``; ``severity`` is ``"error"``,
    ``"warning"`` or ``"info"``; ``message`` is one plain sentence naming the
    value found; ``path`` is the offending field (``"trainingMode"``,
    ``"versions[2].status"``); ``error_code`` is the AWS error the service
    would answer with, or ``None``; ``hint`` says what to do instead.

    >>> f = Finding("SV104", Severity.ERROR, "trainingMode 'FUL' is not a mode.", "trainingMode",
    ...             "InvalidInputException", "Did you mean 'FULL'?")
    >>> f.to_dict()["rule"]
    'SV104'
    """

    __module__ = "svstate"

    rule: str
    severity: Severity
    message: str
    path: str | None = None
    error_code: str | None = None
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The finding as a JSON-serialisable dict."""
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "path": self.path,
            "error_code": self.error_code,
            "hint": self.hint,
        }

    def __str__(self) -> str:
        where = f" {self.path}:" if self.path else ""
        hint = f" Hint: {self.hint}" if self.hint else ""
        return f"{self.severity} {self.rule}{where} {self.message}{hint}"


def conclude(
    findings: list[Finding],
    missing: list[str] | tuple[str, ...],
    ruleset: str,
    operation: str | None,
) -> Verdict:
    """The verdict for a set of findings and missing facts: the decision rule, once.

    DENY when any error-level finding holds; else UNKNOWN when a fact is
    missing; else ALLOW. ``missing`` is kept only for UNKNOWN.
    """
    for f in findings:
        if f.severity is _ERROR:
            return Verdict(_DENY, tuple(findings), (), ruleset, operation)
    if missing:
        return Verdict(_UNKNOWN, tuple(findings), tuple(missing), ruleset, operation)
    return Verdict(_ALLOW, tuple(findings), (), ruleset, operation)


@attrs.frozen(slots=True)
class Verdict:
    """svstate's answer: a decision with every finding and every missing fact.

    ``bool(verdict)`` is true only for ALLOW. ``missing`` names, for UNKNOWN,
    the facts that would settle the question (``"versions"``,
    ``"solution.recipeArn"``). ``ruleset`` is the date of the rules used.

    >>> import svstate
    >>> v = svstate.preflight("CreateSolutionVersion",
    ...     {"solutionArn": "arn:aws:personalize:us-east-1:123456789012:solution/movies",
    ...      "trainingMode": "FUL"})
    >>> v.decision, bool(v)
    (<Decision.DENY: 'deny'>, False)
    >>> print(v)
    DENY CreateSolutionVersion (ruleset 2025-12-01)
      error SV104 trainingMode: trainingMode 'FUL' is not one of FULL, UPDATE, AUTOTRAIN. Hint: Did you mean 'FULL'?
    """

    __module__ = "svstate"

    decision: Decision
    findings: tuple[Finding, ...] = ()
    missing: tuple[str, ...] = ()
    ruleset: str = ""
    operation: str | None = None

    def __bool__(self) -> bool:
        return self.decision is _ALLOW

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The error-level findings, those that deny."""
        return tuple(f for f in self.findings if f.severity is _ERROR)

    def to_dict(self) -> dict[str, Any]:
        """The verdict as a JSON-serialisable dict.

        >>> import json, svstate
        >>> json.dumps(svstate.check_transition("CREATE PENDING", "ACTIVE").to_dict())[:22]
        '{"decision": "allow", '
        """
        return {
            "decision": self.decision.value,
            "operation": self.operation,
            "ruleset": self.ruleset,
            "missing": list(self.missing),
            "findings": [f.to_dict() for f in self.findings],
        }

    def __str__(self) -> str:
        head = self.decision.name
        if self.operation:
            head += f" {self.operation}"
        if self.ruleset:
            head += f" (ruleset {self.ruleset})"
        if self.missing:
            head += "; missing: " + ", ".join(self.missing)
        return "\n".join([head, *(f"  {f}" for f in self.findings)])

    def raise_if_denied(self) -> Verdict:
        """Raise :class:`~svstate.PreflightDenied` on DENY; otherwise return the verdict.

        >>> import svstate
        >>> svstate.preflight("DeleteSolution", {}).raise_if_denied()
        Traceback (most recent call last):
        ...
        svstate.PreflightDenied: DeleteSolution needs solutionArn, and params has none.
        """
        if self.decision is _DENY:
            raise PreflightDenied(self)
        return self


# -- the errors that carry a verdict (here, not in _errors, so that no module imports
# -- back into the one that imports it) ------------------------------------------------


class _VerdictError(SvstateError):
    """An error that carries the :class:`~svstate.Verdict` that denied.

    Built from a verdict (the message is its error findings' messages) or
    from a message alone (then ``verdict`` is ``None``), as any ``ValueError``
    is. Pickling and copying keep the message and the verdict: the default
    ``BaseException.__reduce__`` rebuilds from ``args`` (the message) and then
    restores ``__dict__`` (the verdict).
    """

    verdict: Verdict | None

    def __init__(self, verdict: Verdict | str, /):
        if isinstance(verdict, str):
            super().__init__(verdict)
            self.verdict = None
            return
        lines = [f.message for f in verdict.findings if f.severity == "error"]
        super().__init__(" ".join(lines) or str(verdict))
        self.verdict = verdict


class PreconditionFailed(_VerdictError):
    """A lifecycle object refused a call whose pre-flight verdict was DENY.

    ``.verdict`` holds the whole :class:`~svstate.Verdict`, every finding
    included (``None`` when built from a message alone). It pickles and
    deep-copies with its verdict, so it crosses process boundaries.
    """

    __module__ = "svstate"


class PreflightDenied(_VerdictError):
    """Raised by :meth:`Verdict.raise_if_denied` (and the boto3 guard) on DENY.

    ``.verdict`` holds the whole :class:`~svstate.Verdict`, every finding
    included (``None`` when built from a message alone). It pickles and
    deep-copies with its verdict, so it crosses process boundaries.

    >>> import pickle, svstate
    >>> try:
    ...     svstate.preflight("DeleteSolution", {}).raise_if_denied()
    ... except svstate.PreflightDenied as e:
    ...     copy = pickle.loads(pickle.dumps(e))
    >>> copy.verdict.findings[0].rule, str(copy)
    ('SV101', 'DeleteSolution needs solutionArn, and params has none.')
    """

    __module__ = "svstate"
