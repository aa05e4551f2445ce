"""What svstate knows about boto3 clients without importing botocore.

Shared by the guard (:mod:`svstate.boto`) and the waiters
(:mod:`svstate._waiters`): whether a client's calls are coroutines, and how
an error class built lazily on top of botocore's pickles.
"""

from __future__ import annotations

import inspect
from typing import Any

__all__ = ["is_async", "restore"]


def is_async(value: Any) -> bool:
    """Whether a client's or session's calls are coroutines (aiobotocore, aioboto3).

    A client's ``_make_api_call``, a botocore session's ``_create_client``, and
    for a boto3-style session those of the botocore session it wraps.

    >>> is_async(object())
    False
    """
    for candidate in (value, getattr(value, "_session", None)):
        if candidate is None:
            continue
        kind = type(candidate)
        for name in ("_make_api_call", "_create_client"):
            if inspect.iscoroutinefunction(getattr(kind, name, None)):
                return True
    return False


def restore(kind: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    """Rebuild an exception of ``kind`` from its ``args`` and ``__dict__`` (for ``__reduce__``).

    The error classes svstate builds on botocore's (made on first use) pickle
    through this, so unpickling neither calls their ``__init__`` nor needs the
    class to be importable by name before it is made.
    """
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(state)
    return error
