"""Fixtures shared by every test level: real Redis processes and the service."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

import pytest

from tests.support.ports import free_port
from tests.support.redis import RedisCluster, RedisServer
from tests.support.runner import ServiceRunner


if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

ACL_USER = "hello"
ACL_PASSWORD = "s3cret-Pa55word"  # noqa: S105 - a test-only password, checked absent from logs


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """Yield a standalone redis-server shared by the session; tests use their own keys."""
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_acl_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """Yield a redis-server that admits only an ACL user limited to the ``hello:`` keys."""
    server = RedisServer(
        tmp_path_factory.mktemp("redis-acl"),
        extra=[
            "--user", "default", "off",
            "--user", ACL_USER, "on", f">{ACL_PASSWORD}", "~hello:*",
            "+@read", "+@write", "+@connection",
        ],
    ).start()  # fmt: skip
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisCluster]:
    """Yield a three-primary Redis cluster without replicas."""
    cluster = RedisCluster(tmp_path_factory.mktemp("redis-cluster"), masters=3)
    try:
        yield cluster.start()
    finally:
        cluster.stop()


@pytest.fixture
def fresh_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """Yield a redis-server of this test's own, to stop, kill or pause at will."""
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


def _make_certificates(directory: Path) -> tuple[Path, Path, Path]:
    """Make a throwaway CA and a server certificate for 127.0.0.1 with openssl."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, capture_output=True, check=True)

    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=hello test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
    )
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    )
    (directory / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "san.ext",
        "-out",
        "server.crt",
    )
    return directory / "ca.crt", directory / "server.crt", directory / "server.key"  # fmt: skip


@pytest.fixture(scope="session")
def redis_tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """Yield a redis-server that speaks only TLS, with an ACL user; ``.ca_file`` trusts it."""
    workdir = tmp_path_factory.mktemp("redis-tls")
    ca, cert, key = _make_certificates(workdir)
    port = free_port()
    server = RedisServer(
        workdir / "data",
        port=port,
        ca_file=ca,
        extra=[
            "--port", "0", "--tls-port", str(port),
            "--tls-cert-file", str(cert), "--tls-key-file", str(key),
            "--tls-ca-cert-file", str(ca), "--tls-auth-clients", "no",
            "--user", "default", "off",
            "--user", ACL_USER, "on", f">{ACL_PASSWORD}", "~hello:*",
            "+@read", "+@write", "+@connection",
        ],
    )  # fmt: skip
    server.start()
    yield server
    server.stop()


@pytest.fixture
def services(tmp_path: Path) -> Iterator[ServiceRunner]:
    """Start HTTP services for one test; each is stopped by its PID when the test ends."""
    runner = ServiceRunner(tmp_path)
    try:
        yield runner
    finally:
        runner.close()
