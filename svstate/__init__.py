"""svstate: a formal, executable model of the Amazon Personalize solution-version lifecycle.

Before a pipeline sends a Personalize call, :func:`preflight` says whether the
call is legal given what is known, and why not; after a call,
:func:`check_transition` and :func:`validate` check that what the service
reported is a legal step.

>>> import svstate
>>> svstate.check_transition("CREATE PENDING", "ACTIVE").decision
<Decision.ALLOW: 'allow'>
"""

from svstate._catalogue import Rule, rule, rules
from svstate._errors import (
    IllegalTransition,
    PreconditionFailed,
    PreflightDenied,
    SvstateError,
    UnknownRuleset,
    UnknownStatus,
    UnsupportedOperation,
)
from svstate._explore import Exploration, explore
from svstate._objects import Solution, SolutionVersion
from svstate._observe import check_transition, validate
from svstate._preflight import preflight
from svstate._replay import IllegalStep, Replay, partition, partition_key, replay
from svstate._rulesets import ApiChange, Ruleset
from svstate._tracker import Tracker
from svstate._verdict import Finding, Verdict
from svstate._vocab import Decision, Severity, Status, TrainingMode, TrainingType

__version__ = "0.1.0"

__all__ = [
    "ApiChange",
    "Decision",
    "Exploration",
    "Finding",
    "IllegalStep",
    "IllegalTransition",
    "PreconditionFailed",
    "PreflightDenied",
    "Replay",
    "Rule",
    "Ruleset",
    "Severity",
    "Solution",
    "SolutionVersion",
    "Status",
    "SvstateError",
    "Tracker",
    "TrainingMode",
    "TrainingType",
    "UnknownRuleset",
    "UnknownStatus",
    "UnsupportedOperation",
    "Verdict",
    "check_transition",
    "explore",
    "partition",
    "partition_key",
    "preflight",
    "replay",
    "rule",
    "rules",
    "validate",
]
