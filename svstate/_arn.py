"""ARNs: the service's pattern, and what kind of resource an ARN names.

The model's pattern ``arn:([a-z\\d-]+):personalize:.*:.*:.+`` is not
anchored (a value must contain a match) and backtracks quadratically on long
runs of colons, so the 256-character maximum is checked first and the
expression never sees a longer string.
"""

from __future__ import annotations

import functools
import re

__all__ = ["ARN_MAX", "ARN_PATTERN", "arn_kind", "arn_matches", "is_version_under"]

ARN_MAX = 256
ARN_PATTERN = "arn:([a-z\\d-]+):personalize:.*:.*:.+"
# A well-formed Personalize ARN: partition, empty-or-set region and account, resource.
_SEGMENT = r"[a-zA-Z0-9][a-zA-Z0-9\-_]*"
# A well-formed resource path: segments of the Name shape's characters, and for a
# solution, optionally "/$LATEST".
_WELL_FORMED = rf"arn:[a-z\d-]+:personalize:[^:]*:[^:]*:({_SEGMENT}(?:/{_SEGMENT})*)(/\$LATEST)?"

SOLUTION = "solution"
SOLUTION_VERSION = "solution version"
SOLUTION_LATEST = "solution $LATEST"


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    # Compiled on first use, so `import svstate` compiles no expression.
    # ASCII: the service's patterns are Java regular expressions, whose \d means [0-9]
    return re.compile(pattern, re.ASCII)


def arn_matches(value: str) -> bool:
    """Whether ``value`` satisfies the service's Arn shape (length first, then pattern)."""
    return len(value) <= ARN_MAX and _compiled(ARN_PATTERN).search(value) is not None


def arn_kind(value: str) -> str:
    """The kind of resource a well-formed ARN names, e.g. ``"solution version"``.

    Returns ``"unknown"`` for a string that is not a well-formed Personalize ARN.

    >>> arn_kind("arn:aws:personalize:us-east-1:123456789012:solution/movies/0a1b2c3d")
    'solution version'
    >>> arn_kind("arn:aws:personalize:::recipe/aws-hrnn-coldstart")
    'recipe'
    """
    if len(value) > ARN_MAX:
        return "unknown"
    match = _compiled(_WELL_FORMED).fullmatch(value)
    if match is None:
        return "unknown"  # a stray space, an empty segment, ...
    parts = match.group(1).split("/")
    if match.group(2):
        return SOLUTION_LATEST if parts[0] == "solution" and len(parts) == 2 else "unknown"
    if parts[0] == "solution":
        if len(parts) == 2:
            return SOLUTION
        if len(parts) == 3:
            return SOLUTION_VERSION
        return "unknown"
    return parts[0] if len(parts) >= 2 else "unknown"


def is_version_under(value: str, solution_arn: str) -> bool:
    """Whether ``value`` is a version ARN of ``solution_arn``, itself a well-formed solution ARN.

    The same answer as ``arn_matches(value) and arn_kind(value) == SOLUTION_VERSION``
    for such a solution, for the cost of one segment: the solution's ARN already
    matched both expressions, and one more ``/segment`` keeps it matching.

    >>> sol = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
    >>> is_version_under(sol + "/0a1b2c3d", sol), is_version_under(sol + "/0a/b", sol)
    (True, False)
    """
    cut = len(solution_arn)
    if len(value) > ARN_MAX or not value.startswith(solution_arn) or value[cut : cut + 1] != "/":
        return False
    segment = value[cut + 1 :]
    # Letters and digits only (the usual hex id) satisfy _SEGMENT at once.
    return (segment.isascii() and segment.isalnum()) or _compiled(_SEGMENT).fullmatch(
        segment
    ) is not None


def solution_of(version_arn: str) -> str:
    """The solution ARN a version ARN lies under (everything before its last ``/``)."""
    return version_arn.rpartition("/")[0]
