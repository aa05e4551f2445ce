"""Optional dependencies: one clear ImportError that names the extra to install."""

from __future__ import annotations

__all__ = ["missing"]


def missing(module: str, feature: str, extra: str) -> ImportError:
    """The ImportError to raise when ``feature`` cannot import ``module``.

    >>> raise missing("hypothesis", "svstate.testing.strategies", "testing")
    Traceback (most recent call last):
    ...
    ImportError: svstate.testing.strategies needs hypothesis, which is not installed; install it with pip install "svstate[testing]".
    """
    return ImportError(
        f"{feature} needs {module}, which is not installed; install it with "
        f'pip install "svstate[{extra}]".',
        name=module,
    )
