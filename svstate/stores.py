"""Where a :class:`~svstate.Tracker` keeps what it has seen: one process, or a fleet.

A tracker always holds its records in memory. Given a store
(``svstate.Tracker(store=...)``) it also writes every solution's and
version's latest state there on :meth:`~svstate.Tracker.observe`, and reads
the solution's state back on :meth:`~svstate.Tracker.preflight`, so every
worker sharing the store decides on every worker's observations.

Rules in this file:

* A store holds strings, by solution: one field per solution fact and per
  version, each value an ordering key of :data:`ORDER_WIDTH` characters
  followed by its payload. :meth:`Store.merge` keeps, per field, the value
  with the greater key, compared in the store in one atomic step (a Lua
  script on Redis, a lock in memory): an older observation never overwrites
  a newer one, whichever worker writes last. The keys are made by the
  tracker (lifecycle position first, then the service's
  ``lastUpdatedDateTime``, then observed over inferred), so a version never
  moves backwards.
* Leases (single flight) are values with an expiry, taken only when free
  and released only by their holder: ``SET NX PX`` and a compare-and-delete
  script on Redis.
* A store that cannot be reached raises :class:`StoreUnavailable`, naming
  the store and what to do; the tracker turns it into an UNKNOWN verdict
  (SV404), never into an ALLOW.

The protocol is small on purpose: any store with an atomic compare-and-set
per field can take it (DynamoDB conditional writes, for one: docs/fleet.md).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from svstate._errors import SvstateError
from svstate._extras import missing
from svstate._text import describe

__all__ = ["ORDER_WIDTH", "MemoryStore", "RedisStore", "Store", "StoreUnavailable"]

#: The width of the ordering key that starts every value a tracker writes.
ORDER_WIDTH = 20


class StoreUnavailable(SvstateError):
    """A shared store could not be read or written (Redis down, a timeout).

    Nothing the tracker holds locally is lost: what it could not write is
    written again on its next successful call.

    >>> import pickle
    >>> e = StoreUnavailable("Redis at redis://127.0.0.1:1/0 did not answer.")
    >>> pickle.loads(pickle.dumps(e)).args == e.args
    True
    """

    __module__ = "svstate.stores"


@runtime_checkable
class Store(Protocol):
    """What a tracker needs of a store; :class:`MemoryStore` and :class:`RedisStore` have it.

    Values are strings whose first :data:`ORDER_WIDTH` characters are an
    ordering key; a store compares those keys as strings.
    """

    def merge(self, solution: str, fields: Iterable[tuple[str, str]]) -> None:
        """Set each field of ``solution`` whose stored value has a smaller key (or none),
        atomically per call."""

    def load(self, solution: str) -> dict[str, str]:
        """Every field of ``solution``: ``{}`` if none was written."""

    def solutions(self) -> list[str]:
        """The ARNs of every solution written, sorted."""

    def acquire(self, name: str, holder: str, ttl: float, note: str = "") -> str | None:
        r"""Take the lease ``name`` for ``ttl`` seconds unless another holds it: ``None``
        once taken, else the value held, ``"{holder}\n{note}"``."""

    def release(self, name: str, holder: str) -> bool:
        """Give the lease back, only if ``holder`` still holds it."""


def _checked_ttl(ttl: object) -> float:
    if isinstance(ttl, bool) or not isinstance(ttl, int | float) or not 0 < ttl < 86_400:
        raise SvstateError(
            f"ttl is {describe(ttl)}; pass the lease's lifetime in seconds, more than 0 "
            "and less than a day."
        )
    return float(ttl)


def _checked_name(what: str, value: object) -> str:
    if not isinstance(value, str) or not value or "\n" in value:
        raise SvstateError(f"{what} is {describe(value)}; pass a non-empty string on one line.")
    return value


class MemoryStore:
    r"""A store in this process's memory: shared by the trackers (and threads) given it.

    >>> s = MemoryStore()
    >>> s.merge("sol", [("v:1", "00" + "0" * 18 + "CREATE PENDING")])
    >>> s.merge("sol", [("v:1", "02" + "0" * 18 + "ACTIVE"), ("v:2", "00" + "0" * 18 + "x")])
    >>> s.merge("sol", [("v:1", "01" + "0" * 18 + "CREATE IN_PROGRESS")])  # older: kept out
    >>> sorted(v[20:] for v in s.load("sol").values())
    ['ACTIVE', 'x']
    >>> s.acquire("sol", "worker-1", 30), s.acquire("sol", "worker-2", 30)
    (None, 'worker-1\n')
    >>> s.release("sol", "worker-2"), s.release("sol", "worker-1")
    (False, True)
    """

    __module__ = "svstate.stores"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[str, dict[str, str]] = {}
        self._leases: dict[str, tuple[str, float]] = {}

    def merge(self, solution: str, fields: Iterable[tuple[str, str]]) -> None:
        with self._lock:
            held = self._data.setdefault(solution, {})
            for field, value in fields:
                old = held.get(field)
                if old is None or old[:ORDER_WIDTH] < value[:ORDER_WIDTH]:
                    held[field] = value

    def load(self, solution: str) -> dict[str, str]:
        with self._lock:
            return dict(self._data.get(solution, {}))

    def solutions(self) -> list[str]:
        with self._lock:
            return sorted(self._data)

    def acquire(self, name: str, holder: str, ttl: float, note: str = "") -> str | None:
        _checked_name("name", name)
        _checked_name("holder", holder)
        seconds = _checked_ttl(ttl)
        now = time.monotonic()
        with self._lock:
            current = self._leases.get(name)
            if current is not None and current[1] > now:
                return current[0]
            self._leases[name] = (f"{holder}\n{note}", now + seconds)
            return None

    def release(self, name: str, holder: str) -> bool:
        with self._lock:
            current = self._leases.get(name)
            if current is None or current[0].partition("\n")[0] != holder:
                return False
            del self._leases[name]
            return True

    def __repr__(self) -> str:
        return f"MemoryStore({len(self._data)} solutions)"


# One round trip each. KEYS[1]: the solution's hash, KEYS[2]: the set of solutions;
# ARGV[1]: the solution ARN, then field, value pairs.
_MERGE = """
local width = tonumber(ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
for i = 3, #ARGV, 2 do
  local old = redis.call('HGET', KEYS[1], ARGV[i])
  if (not old) or string.sub(old, 1, width) < string.sub(ARGV[i + 1], 1, width) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
return 0
"""
_RELEASE = """
local held = redis.call('GET', KEYS[1])
if held and string.sub(held, 1, #ARGV[1] + 1) == ARGV[1] .. "\\n" then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
# Take the lease if free, else answer who holds it: one atomic step.
_ACQUIRE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return false
end
return redis.call('GET', KEYS[1])
"""


class RedisStore:
    """A store in Redis, shared by every worker that names the same server and prefix.

    ``url_or_client`` is a ``redis://`` URL or a ``redis.Redis`` client
    (redis-py, the ``redis`` extra). Keys are ``{prefix}:solution:{arn}``
    (a hash), ``{prefix}:solutions`` (a set) and ``{prefix}:lease:{name}``.
    ``timeout`` bounds each round trip, in seconds, when a URL is given.

    Each :meth:`merge` is one Lua script, run atomically by the server:
    compare-and-set per field, never read-modify-write in Python.

    >>> store = RedisStore("redis://127.0.0.1:1/0", timeout=0.2)  # nothing listens there
    >>> store.load("arn:aws:personalize:us-east-1:123456789012:solution/movies")
    Traceback (most recent call last):
    ...
    svstate.stores.StoreUnavailable: Redis at redis://127.0.0.1:1/0 could not be reached ...
    """

    __module__ = "svstate.stores"

    def __init__(self, url_or_client: Any, prefix: str = "svstate", *, timeout: float = 2.0):
        try:
            import redis
        except ImportError:  # pragma: no cover - the redis extra is installed in the tests
            raise missing("redis", "svstate.stores.RedisStore", "redis") from None
        if not isinstance(prefix, str) or not prefix or any(c.isspace() for c in prefix):
            raise SvstateError(
                f"prefix is {describe(prefix)}; pass a non-empty string without spaces "
                "(the same one on every worker that shares the state)."
            )
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise SvstateError(f"timeout is {describe(timeout)}; pass seconds, more than 0.")
        if isinstance(url_or_client, str):
            try:
                client = redis.Redis.from_url(
                    url_or_client,
                    socket_timeout=timeout,
                    socket_connect_timeout=timeout,
                    decode_responses=True,
                )
            except ValueError as error:
                raise SvstateError(
                    f"url {describe(url_or_client)} is not a Redis URL ({error}); pass "
                    "redis://host:port/db, rediss://... or unix://..."
                ) from None
            self.where = url_or_client
        elif isinstance(url_or_client, redis.Redis):
            client = url_or_client
            kwargs = client.connection_pool.connection_kwargs
            self.where = f"redis://{kwargs.get('host', '?')}:{kwargs.get('port', '?')}"
        else:
            raise SvstateError(
                f"url_or_client is {describe(url_or_client)}; pass a redis:// URL or a "
                "redis.Redis client."
            )
        self._redis = client
        self._decode = not client.connection_pool.connection_kwargs.get("decode_responses")
        self.prefix = prefix
        self._errors = (redis.ConnectionError, redis.TimeoutError)
        self._merge = client.register_script(_MERGE)
        self._release = client.register_script(_RELEASE)
        self._acquire = client.register_script(_ACQUIRE)

    def _call(self, what: str, do: Any) -> Any:
        try:
            return do()
        except self._errors as error:
            raise StoreUnavailable(
                f"Redis at {self.where} could not be reached to {what} ({error}); start it or "
                "fix the URL. The tracker keeps what it saw and writes it on its next call."
            ) from None

    def _text(self, value: Any) -> str:
        return value.decode() if self._decode and isinstance(value, bytes) else str(value)

    def _key(self, solution: str) -> str:
        return f"{self.prefix}:solution:{solution}"

    def merge(self, solution: str, fields: Iterable[tuple[str, str]]) -> None:
        args: list[str] = [solution, str(ORDER_WIDTH)]
        for field, value in fields:
            args += (field, value)
        if len(args) > 2:
            keys = [self._key(solution), f"{self.prefix}:solutions"]
            self._call("write", lambda: self._merge(keys=keys, args=args))

    def load(self, solution: str) -> dict[str, str]:
        raw = self._call("read", lambda: self._redis.hgetall(self._key(solution)))
        return {self._text(k): self._text(v) for k, v in raw.items()}

    def solutions(self) -> list[str]:
        raw = self._call("read", lambda: self._redis.smembers(f"{self.prefix}:solutions"))
        return sorted(self._text(v) for v in raw)

    def acquire(self, name: str, holder: str, ttl: float, note: str = "") -> str | None:
        _checked_name("name", name)
        _checked_name("holder", holder)
        milliseconds = max(1, int(_checked_ttl(ttl) * 1000))
        key = f"{self.prefix}:lease:{name}"
        held = self._call(
            "take a lease",
            lambda: self._acquire(keys=[key], args=[f"{holder}\n{note}", milliseconds]),
        )
        return None if held is None else self._text(held)

    def release(self, name: str, holder: str) -> bool:
        key = f"{self.prefix}:lease:{name}"
        return bool(
            self._call("release a lease", lambda: self._release(keys=[key], args=[holder]))
        )

    def clear(self) -> None:
        """Delete every key under this store's prefix (for tests and fresh starts)."""

        def wipe() -> None:
            keys = list(self._redis.scan_iter(match=f"{self.prefix}:*", count=1000))
            if keys:
                self._redis.delete(*keys)

        self._call("clear", wipe)

    def __repr__(self) -> str:
        return f"RedisStore({self.where!r}, prefix={self.prefix!r})"
