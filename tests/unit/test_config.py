"""Settings from the environment: defaults, parsing, and errors that name the variable."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from hello.config import ConfigError, Settings, redact_url


def test_defaults_need_no_environment() -> None:
    """With nothing set, the service runs on loopback with the embedded store, UTC."""
    settings = Settings.from_env({})

    assert settings.server.host == "127.0.0.1"
    assert settings.server.port == 8000
    assert settings.redis.url is None
    assert settings.api.time_zone == ZoneInfo("UTC")
    assert settings.api.max_body_bytes == 1024
    assert settings.server.keepalive_timeout > 60


def test_every_variable_is_read() -> None:
    """Each documented variable lands in its field, parsed to its type."""
    env = {
        "HELLO_HOST": "0.0.0.0",  # noqa: S104
        "HELLO_PORT": "9000",
        "HELLO_WORKERS": "2",
        "HELLO_RELOAD": "yes",
        "HELLO_PROXY_HEADERS": "true",
        "HELLO_FORWARDED_ALLOW_IPS": "*",
        "HELLO_KEEPALIVE_TIMEOUT": "90",
        "HELLO_DRAIN_SECONDS": "5",
        "HELLO_SHUTDOWN_TIMEOUT": "25",
        "HELLO_LIMIT_CONCURRENCY": "100",
        "HELLO_TIME_ZONE": "Europe/Lisbon",
        "HELLO_MAX_BODY_BYTES": "2048",
        "HELLO_LOG_LEVEL": "DEBUG",
        "HELLO_LOG_FORMAT": "console",
        "REDIS_URL": "rediss://app:pw@cache.internal:6380/0",
        "REDIS_CLUSTER": "on",
        "REDIS_KEY_PREFIX": "{hello}:",
        "REDIS_CONNECT_TIMEOUT": "0.3",
        "REDIS_SOCKET_TIMEOUT": "0.2",
        "REDIS_OPERATION_TIMEOUT": "1.5",
        "REDIS_RETRIES": "3",
        "REDIS_MAX_CONNECTIONS": "64",
    }

    settings = Settings.from_env(env)

    assert (settings.server.host, settings.server.port, settings.server.workers) == (
        "0.0.0.0",  # noqa: S104
        9000,
        2,
    )
    assert settings.server.reload
    assert settings.server.proxy_headers
    assert settings.server.forwarded_allow_ips == "*"
    assert (settings.server.keepalive_timeout, settings.server.drain_seconds) == (90, 5)
    assert (settings.server.shutdown_timeout, settings.server.limit_concurrency) == (25, 100)
    assert settings.api.time_zone == ZoneInfo("Europe/Lisbon")
    assert settings.api.max_body_bytes == 2048
    assert (settings.log.level, settings.log.format) == ("debug", "console")
    assert settings.redis.url == env["REDIS_URL"]
    assert settings.redis.cluster
    assert settings.redis.key_prefix == "{hello}:"
    assert (settings.redis.connect_timeout, settings.redis.socket_timeout) == (0.3, 0.2)
    assert (settings.redis.operation_timeout, settings.redis.retries) == (1.5, 3)
    assert settings.redis.max_connections == 64


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HELLO_HOST", "not-an-ip"),
        ("HELLO_FORWARDED_ALLOW_IPS", "10.0.0.0/8,not/an/ip"),
        ("HELLO_PORT", "0"),
        ("HELLO_PORT", "http"),
        ("HELLO_WORKERS", "-1"),
        ("HELLO_RELOAD", "maybe"),
        ("HELLO_KEEPALIVE_TIMEOUT", "nan"),
        ("HELLO_DRAIN_SECONDS", "-3"),
        ("HELLO_TIME_ZONE", "Nowhere/City"),
        ("HELLO_TIME_ZONE", "../../etc/passwd"),
        ("HELLO_MAX_BODY_BYTES", "1"),
        ("HELLO_LOG_LEVEL", "verbose"),
        ("HELLO_LOG_FORMAT", "xml"),
        ("REDIS_URL", "memcached://cache:11211"),
        ("REDIS_URL", "redis://:6379"),
        ("REDIS_URL", "redis://cache:notaport"),
        ("REDIS_KEY_PREFIX", "has space"),
        ("REDIS_OPERATION_TIMEOUT", "0"),
        ("REDIS_RETRIES", "100"),
        ("REDIS_TLS_CA_FILE", "/no/such/ca.pem"),
    ],
)
def test_bad_value_names_the_variable(variable: str, value: str) -> None:
    """A value the service cannot use is refused with the variable's name."""
    with pytest.raises(ConfigError, match=f"^{variable}: "):
        Settings.from_env({variable: value})


def test_cluster_needs_a_url() -> None:
    """Cluster mode without a Redis URL is refused."""
    with pytest.raises(ConfigError, match="REDIS_CLUSTER"):
        Settings.from_env({"REDIS_CLUSTER": "true"})


def test_errors_never_echo_the_redis_password() -> None:
    """A rejected REDIS_URL does not put its password in the message."""
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"REDIS_URL": "redis://user:hunter2@cache:99999"})

    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("url", "redacted"),
    [
        ("redis://cache:6379/0", "redis://cache:6379/0"),
        ("redis://user:pw@cache:6379/0", "redis://user:***@cache:6379/0"),
        ("rediss://:pw@cache/0", "rediss://:***@cache/0"),
        ("redis://u:p%40ss@[::1]:6379", "redis://u:***@[::1]:6379"),
    ],
)
def test_redact_url(url: str, redacted: str) -> None:
    """Passwords are masked and everything else is kept."""
    assert redact_url(url) == redacted


def test_secrets_lists_the_password_raw_and_decoded() -> None:
    """Both spellings of a URL-encoded password are known secrets."""
    settings = Settings.from_env({"REDIS_URL": "redis://u:p%40ss@cache:6379/0"})

    assert settings.secrets() == ["p%40ss", "p@ss"]
