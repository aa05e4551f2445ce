"""A Griffe extension for the docs build: docstring examples render as code.

svstate's docstrings hold doctests (``>>>`` sessions, run by pytest). Markdown
reads a bare ``>>>`` line as a nested block quote and ``[...][...]`` as a
reference link, so each session is fenced as a ``pycon`` block when the API
pages are built. The docstrings themselves stay plain doctests.
"""

from __future__ import annotations

from typing import Any

import griffe

PROMPT = ">>>"


def fence_sessions(text: str) -> str:
    """Wrap every interactive session (``>>>`` lines and their output) in a code fence.

    A session runs from a ``>>>`` line to the next blank line, as doctest reads it.

    >>> fence_sessions("Intro.\\n\\n>>> 1 + 1\\n2\\n\\nMore.").splitlines()
    ['Intro.', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'More.']
    """
    out: list[str] = []
    inside = False
    for line in text.splitlines():
        if not inside and line.lstrip().startswith(PROMPT):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}```pycon")
            inside = True
        elif inside and not line.strip():
            out.append(f"{indent}```")
            inside = False
        out.append(line)
    if inside:
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence the doctest sessions of every docstring Griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None and PROMPT in obj.docstring.value:
            obj.docstring.value = fence_sessions(obj.docstring.value)
