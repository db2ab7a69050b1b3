"""Where birthdays are kept: the store interface, its backends and the factory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hello.store.base import Store, StoreUnavailableError
from hello.store.memory import MemoryStore
from hello.store.redis import RedisStore


if TYPE_CHECKING:
    from hello.config import RedisSettings

__all__ = ("MemoryStore", "RedisStore", "Store", "StoreUnavailableError", "create_store")


def create_store(settings: RedisSettings) -> Store:
    """Return the Redis store when ``settings.url`` is set, else the embedded store."""
    if settings.url is None:
        return MemoryStore()
    return RedisStore.from_settings(settings)
