"""Settings read from environment variables into one typed, validated object."""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


__all__ = (
    "ApiSettings",
    "ConfigError",
    "LogSettings",
    "RedisSettings",
    "ServerSettings",
    "Settings",
    "get_settings",
    "redact_url",
)

_T = TypeVar("_T")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
_LOG_LEVELS = ("debug", "info", "warning", "error")
_LOG_FORMATS = ("auto", "json", "console")
_KEY_PREFIX = re.compile(r"[A-Za-z0-9:_{}.-]{0,64}")


class ConfigError(ValueError):
    """A setting has a value the service cannot start with; the message names the variable."""


def _read(env: Mapping[str, str], name: str, default: _T, parse: Callable[[str], _T]) -> _T:
    """Parse ``env[name]`` with ``parse``, or return ``default`` when it is unset or empty."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return parse(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from None


def _boolean(raw: str) -> bool:
    value = raw.lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"expected true or false, got {raw!r}")


def _integer(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"expected a whole number, got {raw!r}") from None
        if not low <= value <= high:
            raise ValueError(f"expected a whole number from {low} to {high}, got {raw!r}")
        return value

    return parse


def _seconds(low: float, high: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"expected a number of seconds, got {raw!r}") from None
        if not low <= value <= high:  # also refuses nan
            raise ValueError(f"expected seconds from {low:g} to {high:g}, got {raw!r}")
        return value

    return parse


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw.lower() not in options:
            raise ValueError(f"expected one of {', '.join(options)}, got {raw!r}")
        return raw.lower()

    return parse


def _time_zone(raw: str) -> ZoneInfo:
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {raw!r}") from None


def _host(raw: str) -> str:
    if raw == "localhost":
        return raw
    try:
        ipaddress.ip_address(raw)
    except ValueError:
        raise ValueError(f"expected an IP address or localhost, got {raw!r}") from None
    return raw


def _trusted_proxies(raw: str) -> str:
    if raw == "*":
        return raw
    for item in raw.split(","):
        try:
            ipaddress.ip_network(item.strip(), strict=False)
        except ValueError:
            raise ValueError(f"expected *, or IP addresses and networks, got {item!r}") from None
    return raw


def _redis_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError("expected a redis:// or rediss:// URL")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValueError("the port is not a number from 0 to 65535") from None
    if not parts.hostname:
        raise ValueError("the URL names no host")
    return raw


def _key_prefix(raw: str) -> str:
    if not _KEY_PREFIX.fullmatch(raw):
        raise ValueError("expected up to 64 of A-Z a-z 0-9 : _ { } . -")
    return raw


def _file(raw: str) -> str:
    if not Path(raw).is_file():
        raise ValueError(f"no such file {raw!r}")
    return raw


def redact_url(url: str) -> str:
    """Return ``url`` with any password replaced by ``***``, safe to log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{user}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


@dataclass(frozen=True, kw_only=True)
class ServerSettings:
    """How ``hello serve`` runs uvicorn."""

    host: str = "127.0.0.1"
    """``HELLO_HOST``: the address to listen on; ``0.0.0.0`` in a container."""
    port: int = 8000
    """``HELLO_PORT``: the TCP port to listen on."""
    workers: int = 1
    """``HELLO_WORKERS``: uvicorn worker processes; one per pod on Kubernetes."""
    reload: bool = False
    """``HELLO_RELOAD``: restart on source changes (development only)."""
    proxy_headers: bool = False
    """``HELLO_PROXY_HEADERS``: trust ``X-Forwarded-*`` from ``forwarded_allow_ips``."""
    forwarded_allow_ips: str = "127.0.0.1"
    """``HELLO_FORWARDED_ALLOW_IPS``: comma-separated proxies (or ``*``) trusted for headers."""
    keepalive_timeout: float = 75.0
    """``HELLO_KEEPALIVE_TIMEOUT``: idle keep-alive seconds; above the load balancer's 60 s."""
    drain_seconds: float = 0.0
    """``HELLO_DRAIN_SECONDS``: after SIGTERM, fail readiness and keep serving this long."""
    shutdown_timeout: float = 20.0
    """``HELLO_SHUTDOWN_TIMEOUT``: seconds in-flight requests get to finish after the drain."""
    limit_concurrency: int | None = None
    """``HELLO_LIMIT_CONCURRENCY``: connections and tasks before answering 503 (unset: none)."""


@dataclass(frozen=True, kw_only=True)
class RedisSettings:
    """Where and how the Redis store connects; ``url`` unset means the embedded store."""

    url: str | None = field(default=None, repr=False)
    """``REDIS_URL``: ``redis://`` or ``rediss://`` with optional ACL user and password."""
    cluster: bool = False
    """``REDIS_CLUSTER``: use the cluster protocol (MemoryDB, Memorystore cluster)."""
    key_prefix: str = "hello:"
    """``REDIS_KEY_PREFIX``: prepended to every key, so services can share a Redis."""
    connect_timeout: float = 1.0
    """``REDIS_CONNECT_TIMEOUT``: seconds to open a connection."""
    socket_timeout: float = 0.5
    """``REDIS_SOCKET_TIMEOUT``: seconds to wait for one reply."""
    operation_timeout: float = 2.0
    """``REDIS_OPERATION_TIMEOUT``: seconds for a whole store call, retries included."""
    retries: int = 2
    """``REDIS_RETRIES``: retries after a connection error or timeout, with backoff."""
    max_connections: int = 32
    """``REDIS_MAX_CONNECTIONS``: pool size per process (per node in cluster mode)."""
    tls_ca_file: str | None = None
    """``REDIS_TLS_CA_FILE``: CA bundle for ``rediss://``; the system store when unset."""


@dataclass(frozen=True, kw_only=True)
class ApiSettings:
    """Rules of the birthday API."""

    time_zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    """``HELLO_TIME_ZONE``: the IANA zone whose calendar date is "today"."""
    max_body_bytes: int = 1024
    """``HELLO_MAX_BODY_BYTES``: larger request bodies are answered 413."""


@dataclass(frozen=True, kw_only=True)
class LogSettings:
    """Where and how much the service logs."""

    level: str = "info"
    """``HELLO_LOG_LEVEL``: debug, info, warning or error."""
    format: str = "auto"
    """``HELLO_LOG_FORMAT``: json, console, or auto (console on a terminal, else JSON)."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Every setting of the service, grouped by concern."""

    server: ServerSettings = field(default_factory=ServerSettings)
    redis: RedisSettings = field(default_factory=RedisSettings)
    api: ApiSettings = field(default_factory=ApiSettings)
    log: LogSettings = field(default_factory=LogSettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and check every setting.

        Args:
            env: The variables to read; ``os.environ`` when omitted.

        Raises:
            ConfigError: A variable has a value the service cannot use.
        """
        env = os.environ if env is None else env
        server = ServerSettings(
            host=_read(env, "HELLO_HOST", "127.0.0.1", _host),
            port=_read(env, "HELLO_PORT", 8000, _integer(1, 65535)),
            workers=_read(env, "HELLO_WORKERS", 1, _integer(1, 64)),
            reload=_read(env, "HELLO_RELOAD", False, _boolean),
            proxy_headers=_read(env, "HELLO_PROXY_HEADERS", False, _boolean),
            forwarded_allow_ips=_read(
                env, "HELLO_FORWARDED_ALLOW_IPS", "127.0.0.1", _trusted_proxies
            ),
            keepalive_timeout=_read(env, "HELLO_KEEPALIVE_TIMEOUT", 75.0, _seconds(1, 3600)),
            drain_seconds=_read(env, "HELLO_DRAIN_SECONDS", 0.0, _seconds(0, 300)),
            shutdown_timeout=_read(env, "HELLO_SHUTDOWN_TIMEOUT", 20.0, _seconds(0, 3600)),
            limit_concurrency=_read(env, "HELLO_LIMIT_CONCURRENCY", None, _integer(1, 1_000_000)),
        )
        redis = RedisSettings(
            url=_read(env, "REDIS_URL", None, _redis_url),
            cluster=_read(env, "REDIS_CLUSTER", False, _boolean),
            key_prefix=_read(env, "REDIS_KEY_PREFIX", "hello:", _key_prefix),
            connect_timeout=_read(env, "REDIS_CONNECT_TIMEOUT", 1.0, _seconds(0.01, 60)),
            socket_timeout=_read(env, "REDIS_SOCKET_TIMEOUT", 0.5, _seconds(0.01, 60)),
            operation_timeout=_read(env, "REDIS_OPERATION_TIMEOUT", 2.0, _seconds(0.01, 120)),
            retries=_read(env, "REDIS_RETRIES", 2, _integer(0, 10)),
            max_connections=_read(env, "REDIS_MAX_CONNECTIONS", 32, _integer(1, 10_000)),
            tls_ca_file=_read(env, "REDIS_TLS_CA_FILE", None, _file),
        )
        if redis.cluster and redis.url is None:
            raise ConfigError("REDIS_CLUSTER: cluster mode needs REDIS_URL")
        api = ApiSettings(
            time_zone=_read(env, "HELLO_TIME_ZONE", ZoneInfo("UTC"), _time_zone),
            max_body_bytes=_read(env, "HELLO_MAX_BODY_BYTES", 1024, _integer(64, 1_048_576)),
        )
        log = LogSettings(
            level=_read(env, "HELLO_LOG_LEVEL", "info", _choice(_LOG_LEVELS)),
            format=_read(env, "HELLO_LOG_FORMAT", "auto", _choice(_LOG_FORMATS)),
        )
        return cls(server=server, redis=redis, api=api, log=log)

    def secrets(self) -> list[str]:
        """Return every secret in the settings, as written and URL-decoded, to keep out of logs."""
        password = urlsplit(self.redis.url).password if self.redis.url else None
        return [password, unquote(password)] if password else []


def get_settings() -> Settings:
    """Return the settings of this process, read from its environment."""
    return Settings.from_env()
