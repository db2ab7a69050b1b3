"""The Redis store against real redis-server processes: standalone, ACL, cluster."""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from datetime import date
from typing import TYPE_CHECKING

import pytest

from hello.config import RedisSettings
from hello.store import RedisStore, StoreUnavailableError
from tests.conftest import ACL_PASSWORD, ACL_USER
from tests.support.ports import free_port


if TYPE_CHECKING:
    from tests.support.redis import RedisCluster, RedisServer

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _prefix() -> str:
    return f"t{uuid.uuid4().hex[:8]}:"


async def test_saves_iso_dates_readable_with_redis_cli(redis_server: RedisServer) -> None:
    """A saved date is an ISO string under <prefix>user:<name>, and reads back."""
    prefix = _prefix()
    store = RedisStore.from_settings(RedisSettings(url=redis_server.url(), key_prefix=prefix))

    await store.put_birthday("Alice", date(1990, 2, 28))
    found = await store.get_birthday("Alice")
    missing = await store.get_birthday("alice")
    await store.close()

    assert found == date(1990, 2, 28)
    assert missing is None
    assert redis_server.cli("GET", f"{prefix}user:Alice") == "1990-02-28"


async def test_acl_user_and_password(redis_acl_server: RedisServer) -> None:
    """An ACL user with a password, limited to the hello: keys, is enough to serve."""
    url = redis_acl_server.url(ACL_USER, ACL_PASSWORD)
    store = RedisStore.from_settings(RedisSettings(url=url, key_prefix="hello:"))

    await store.ping()
    await store.put_birthday("Bob", date(1985, 7, 1))
    found = await store.get_birthday("Bob")
    await store.close()

    assert found == date(1985, 7, 1)
    assert redis_acl_server.cli("GET", "hello:user:Bob", user=ACL_USER, password=ACL_PASSWORD) == (
        "1985-07-01"
    )


async def test_tls_with_acl(redis_tls_server: RedisServer) -> None:
    """rediss:// with a CA file and an ACL user works end to end."""
    url = redis_tls_server.url(ACL_USER, ACL_PASSWORD)
    ca_file = str(redis_tls_server.ca_file)
    store = RedisStore.from_settings(RedisSettings(url=url, tls_ca_file=ca_file))

    await store.put_birthday("Tess", date(1999, 9, 9))
    found = await store.get_birthday("Tess")
    await store.close()

    assert found == date(1999, 9, 9)
    assert redis_tls_server.cli("GET", "hello:user:Tess", user=ACL_USER, password=ACL_PASSWORD) == (
        "1999-09-09"
    )


async def test_tls_rejects_an_untrusted_server(redis_tls_server: RedisServer) -> None:
    """Without the CA that signed the server, the TLS handshake fails: no silent downgrade."""
    url = redis_tls_server.url(ACL_USER, ACL_PASSWORD)
    store = RedisStore.from_settings(RedisSettings(url=url))

    with pytest.raises(StoreUnavailableError):
        await store.ping()
    await store.close()


async def test_wrong_password_is_unavailable_and_hides_the_password(
    redis_acl_server: RedisServer,
) -> None:
    """A refused login is a store error whose message holds no password."""
    url = redis_acl_server.url(ACL_USER, "not-the-password")
    store = RedisStore.from_settings(RedisSettings(url=url))

    with pytest.raises(StoreUnavailableError) as caught:
        await store.ping()
    await store.close()

    assert "not-the-password" not in str(caught.value)
    assert ACL_PASSWORD not in str(caught.value)


async def test_cluster_mode_spreads_keys_over_slots(redis_cluster: RedisCluster) -> None:
    """In cluster mode every user lands on its slot's primary and reads back."""
    prefix = _prefix()
    settings = RedisSettings(url=redis_cluster.url, cluster=True, key_prefix=prefix)
    store = RedisStore.from_settings(settings)
    users = [f"User{chr(65 + i)}{chr(97 + i)}" for i in range(20)]

    await store.ping()
    for index, user in enumerate(users):
        await store.put_birthday(user, date(1980 + index, 1, 1 + index))
    found = [await store.get_birthday(user) for user in users]
    await store.close()

    assert found == [date(1980 + i, 1, 1 + i) for i in range(20)]
    holders = {
        node.port for node in redis_cluster.nodes for user in users
        if node.cli("--no-raw", "EXISTS", f"{prefix}user:{user}") == "(integer) 1"
    }  # fmt: skip
    assert len(holders) == 3


async def test_absent_redis_fails_fast() -> None:
    """With nothing listening, a call fails within the operation timeout."""
    settings = RedisSettings(url=f"redis://127.0.0.1:{free_port()}/0", operation_timeout=1.0)
    store = RedisStore.from_settings(settings)

    started = time.monotonic()
    with pytest.raises(StoreUnavailableError):
        await store.get_birthday("Alice")
    elapsed = time.monotonic() - started
    await store.close()

    assert elapsed < 1.5


async def test_paused_redis_times_out(fresh_redis: RedisServer) -> None:
    """A Redis that stops answering gives an error by the operation timeout, not a hang."""
    settings = RedisSettings(
        url=fresh_redis.url(), socket_timeout=0.2, operation_timeout=0.6, retries=1
    )
    store = RedisStore.from_settings(settings)
    await store.ping()
    fresh_redis.process.send_signal(signal.SIGSTOP)  # type: ignore[union-attr]
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailableError):
            await store.get_birthday("Alice")
        elapsed = time.monotonic() - started
    finally:
        fresh_redis.process.send_signal(signal.SIGCONT)  # type: ignore[union-attr]
    await store.close()

    assert elapsed < 1.0


async def test_recovers_when_redis_returns(fresh_redis: RedisServer) -> None:
    """After Redis restarts, the same store answers again without being rebuilt."""
    store = RedisStore.from_settings(RedisSettings(url=fresh_redis.url(), operation_timeout=1.0))
    await store.put_birthday("Carol", date(1970, 5, 5))

    fresh_redis.stop(signal.SIGKILL)
    with pytest.raises(StoreUnavailableError):
        await store.get_birthday("Carol")
    fresh_redis.start()
    await asyncio.sleep(0.1)
    await store.put_birthday("Carol", date(1971, 6, 6))
    found = await store.get_birthday("Carol")
    await store.close()

    assert found == date(1971, 6, 6)


async def test_unreadable_value_is_a_store_error(redis_server: RedisServer) -> None:
    """A value someone else wrote under our key is reported, not turned into a crash."""
    prefix = _prefix()
    store = RedisStore.from_settings(RedisSettings(url=redis_server.url(), key_prefix=prefix))
    redis_server.cli("SET", f"{prefix}user:Mallory", "not a date")

    with pytest.raises(StoreUnavailableError, match="unreadable"):
        await store.get_birthday("Mallory")
    await store.close()
