"""Short, safe descriptions of arbitrary values for messages.

A message must name the value it complains about, but the value may be a
10 MB string, a list nested ten thousand deep, or a dict with hostile keys.
:func:`describe` never recurses and never returns more than about 280
characters.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["describe", "did_you_mean", "snake_case", "type_name", "what"]

_LIMIT = 256  # an ARN's maximum: ARNs are always shown whole


def type_name(value: object) -> str:
    """A plain name for a value's type, as a user would say it."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bytes | bytearray):
        return "bytes"
    if isinstance(value, dict):
        return "a dict"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def describe(value: object) -> str:
    """The value in a few characters: scalars shown, containers summarised.

    >>> describe("x" * 1000)[-23:]
    "x'... (1000 characters)"
    >>> describe([[[]]])
    'a list of 1 item'
    """
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, str):
        if len(value) > _LIMIT:
            return f"{value[:_LIMIT]!r}... ({len(value)} characters)"
        return repr(value[:])  # a slice is a plain str: a subclass's __repr__ never runs
    if isinstance(value, int):
        return (
            str(value) if value.bit_length() < 200 else f"an integer of {value.bit_length()} bits"
        )
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    if isinstance(value, bytes | bytearray):
        return f"bytes of length {len(value)}"
    if isinstance(value, dict):
        n = len(value)
        return f"a dict of {n} key{'s' if n != 1 else ''}"
    if isinstance(value, list | tuple):
        n = len(value)
        return f"a list of {n} item{'s' if n != 1 else ''}"
    return f"a {type(value).__name__}"


def what(value: object) -> str:
    """The value's kind and the value, for "X is ..., not ..." messages.

    >>> what(None), what(True), what([1, 2])
    ('None', 'the boolean True', 'a list (a list of 2 items)')
    """
    if value is None:
        return "None"
    if isinstance(value, bool):
        return f"the boolean {value}"
    return f"{type_name(value)} ({describe(value)})"


def did_you_mean(word: object, choices: Iterable[str]) -> str | None:
    """The nearest choice to ``word`` (case-insensitive), or ``None``.

    >>> did_you_mean("trainingmode", ["trainingMode", "solutionArn"])
    'trainingMode'
    """
    if not isinstance(word, str) or len(word) > 200:
        return None
    options = list(choices)
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered:
        return lowered[word.lower()]
    import difflib  # only on the error path: keeps `import svstate` light

    near = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[near[0]] if near else None


def snake_case(name: str) -> str:
    """boto3's method name for an API operation name.

    >>> snake_case("CreateSolutionVersion")
    'create_solution_version'
    """
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
