"""The Redis store: standalone, TLS and ACL, or cluster mode (MemoryDB, Memorystore)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisClusterException, RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from hello.store.base import StoreUnavailableError


if TYPE_CHECKING:
    from collections.abc import Awaitable

    from hello.config import RedisSettings

__all__ = ("RedisStore",)

_T = TypeVar("_T")

# Backoff between retries: from 50 ms, doubling, at most 500 ms, with full jitter so that
# many clients reconnecting after a Redis restart do not arrive in step.
_BACKOFF_BASE = 0.05
_BACKOFF_CAP = 0.5


class RedisStore:
    """Keeps birthdays in Redis as ISO date strings under ``<prefix>user:<username>``."""

    kind = "redis"

    def __init__(
        self,
        client: Redis | RedisCluster,
        *,
        key_prefix: str = "hello:",
        operation_timeout: float = 2.0,
    ) -> None:
        self._client = client
        self._key_prefix = key_prefix
        self._operation_timeout = operation_timeout

    @classmethod
    def from_settings(cls, settings: RedisSettings) -> RedisStore:
        """Build a store from settings; no connection is opened until the first call.

        Args:
            settings: Settings whose ``url`` is set.
        """
        if settings.url is None:
            raise ValueError("RedisStore needs settings.url")
        options: dict[str, Any] = {
            "socket_connect_timeout": settings.connect_timeout,
            "socket_timeout": settings.socket_timeout,
            "retry": Retry(
                ExponentialWithJitterBackoff(base=_BACKOFF_BASE, cap=_BACKOFF_CAP),
                settings.retries,
            ),
            "retry_on_error": [RedisConnectionError, RedisTimeoutError],
            "health_check_interval": 30,
            "client_name": "hello",
        }
        if settings.tls_ca_file and settings.url.startswith("rediss://"):
            options["ssl_ca_certs"] = settings.tls_ca_file

        client: Redis | RedisCluster
        if settings.cluster:
            client = RedisCluster.from_url(
                settings.url, max_connections=settings.max_connections, **options
            )
        else:
            # A blocking pool makes a burst of requests wait for a free connection
            # (bounded by the operation timeout) instead of failing at once.
            pool = BlockingConnectionPool.from_url(
                settings.url,
                max_connections=settings.max_connections,
                timeout=settings.operation_timeout,
                **options,
            )
            client = Redis(connection_pool=pool)
        return cls(
            client,
            key_prefix=settings.key_prefix,
            operation_timeout=settings.operation_timeout,
        )

    def key(self, username: str) -> str:
        """Return the Redis key that holds ``username``'s date of birth."""
        return f"{self._key_prefix}user:{username}"

    async def _call(self, operation: str, call: Awaitable[_T]) -> _T:
        """Await ``call`` within the operation timeout, turning failures into one error."""
        try:
            async with asyncio.timeout(self._operation_timeout):
                return await call
        except TimeoutError:
            raise StoreUnavailableError(operation, "timed out") from None
        # The cluster client's own errors (no reachable node, a slot no node serves) do not
        # derive from RedisError; uncaught they fail start-up and turn into 500s.
        except (RedisError, RedisClusterException, OSError) as exc:
            raise StoreUnavailableError(operation, type(exc).__name__) from exc

    async def get_birthday(self, username: str) -> date | None:
        """Return the date saved for ``username``, or ``None``."""
        raw: bytes | str | None = await self._call("get", self._client.get(self.key(username)))
        if raw is None:
            return None
        try:
            text = raw.decode("ascii") if isinstance(raw, bytes) else raw
            return date.fromisoformat(text)
        except (UnicodeDecodeError, ValueError):
            raise StoreUnavailableError("get", "unreadable stored value") from None

    async def put_birthday(self, username: str, date_of_birth: date) -> None:
        """Save ``date_of_birth`` for ``username`` as ``YYYY-MM-DD``."""
        await self._call("put", self._client.set(self.key(username), date_of_birth.isoformat()))

    async def ping(self) -> None:
        """Check that Redis answers (in cluster mode, every primary)."""
        await self._call("ping", self._client.ping())

    async def close(self) -> None:
        """Close every connection in the pool."""
        if isinstance(self._client, RedisCluster):
            await self._client.aclose()
        else:
            await self._client.aclose(close_connection_pool=True)
