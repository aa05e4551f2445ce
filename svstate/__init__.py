"""svstate: a formal, executable model of the Amazon Personalize solution-version lifecycle.

Before a pipeline sends a Personalize call, :func:`preflight` says whether the
call is legal given what is known, and why not; after a call,
:func:`check_transition` and :func:`validate` check that what the service
reported is a legal step.

>>> import svstate
>>> svstate.check_transition("CREATE PENDING", "ACTIVE").decision
<Decision.ALLOW: 'allow'>
"""

from typing import TYPE_CHECKING

from svstate._catalogue import Rule, rule, rules
from svstate._errors import (
    IllegalTransition,
    SvstateError,
    UnknownRuleset,
    UnknownStatus,
    UnsupportedOperation,
)
from svstate._lazy import lazy_names
from svstate._objects import Solution, SolutionVersion
from svstate._observe import check_transition, validate
from svstate._preflight import preflight
from svstate._rulesets import ApiChange, Ruleset
from svstate._verdict import Finding, PreconditionFailed, PreflightDenied, Verdict
from svstate._vocab import Decision, Severity, Status, TrainingMode, TrainingType

if TYPE_CHECKING:  # imported on first use (below), so that `import svstate` stays light
    from svstate._explore import Exploration, explore
    from svstate._explore_chain import ChainExploration, explore_chain
    from svstate._replay import IllegalStep, Replay, partition, partition_key, replay
    from svstate._tracker import Tracker

__version__ = "0.2.0.dev0"  # the one place the version is written (pyproject reads it)

# The faces a pre-flight check does not need, loaded when first named (PEP 562).
_LAZY = {
    "Exploration": "svstate._explore",
    "explore": "svstate._explore",
    "ChainExploration": "svstate._explore_chain",
    "explore_chain": "svstate._explore_chain",
    "IllegalStep": "svstate._replay",
    "Replay": "svstate._replay",
    "partition": "svstate._replay",
    "partition_key": "svstate._replay",
    "replay": "svstate._replay",
    "Tracker": "svstate._tracker",
}


__getattr__, __dir__ = lazy_names("svstate", _LAZY, globals())


__all__ = [
    "ApiChange",
    "ChainExploration",
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
    "explore_chain",
    "partition",
    "partition_key",
    "preflight",
    "replay",
    "rule",
    "rules",
    "validate",
]
