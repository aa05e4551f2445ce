"""``python -m svstate``: the same as the ``svstate`` command."""

from svstate._cli import entry

entry()
