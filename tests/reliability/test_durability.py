"""Durability: acknowledged PUTs survive `kill -9` of a Redis with the append-only file on."""

from __future__ import annotations

import asyncio
import re
import signal
import string
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import redis as redis_client

from tests.support.load import record_figures
from tests.support.redis import RedisServer


if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.support.service import ServiceProcess

CHART_REDIS_CONF = Path(__file__).parents[2] / "helm/hello/templates/redis/configmap.yaml"
# The durability settings of the in-chart Redis; the rest of its file is not about this test.
DURABILITY_KEYS = ("appendonly", "appendfsync", "save")
# Redis may postpone the write of its AOF buffer for up to two seconds while an fsync is slow,
# answering clients meanwhile (redis.conf, "appendfsync everysec"): the loss window on a crash.
EVERYSEC_WINDOW = 2.0


def chart_durability() -> list[str]:
    """Return the chart's Redis durability settings as redis-server arguments."""
    text = CHART_REDIS_CONF.read_text()
    found = re.findall(rf"^\s*({'|'.join(DURABILITY_KEYS)})\s+(\S+)\s*$", text, re.MULTILINE)
    arguments = []
    for key, value in found:
        arguments += [f"--{key}", "" if value == '""' else value]
    return arguments


def _username(number: int) -> str:
    letters = string.ascii_letters
    name = ""
    while True:
        number, digit = divmod(number, 52)
        name += letters[digit]
        if number == 0:
            return f"Durable{name}"


@dataclass
class _Writer:
    """PUTs of distinct users from a few tasks; remembers which were acknowledged, and when."""

    base_url: str
    workers: int = 4
    max_seconds: float = 20.0
    acknowledged: dict[str, tuple[date, float]] = field(default_factory=dict)
    refused: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    _next: int = 0

    async def run(self) -> None:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=10) as client:
            await asyncio.gather(*(self._work(client) for _ in range(self.workers)))

    async def _work(self, client: httpx.AsyncClient) -> None:
        deadline = time.monotonic() + self.max_seconds
        while not self.stop.is_set() and time.monotonic() < deadline:
            number, self._next = self._next, self._next + 1
            name = _username(number)
            born = date(1950, 1, 1) + timedelta(days=number % 20_000)
            try:
                response = await client.put(f"/hello/{name}", json={"dateOfBirth": str(born)})
            except httpx.TransportError:
                self.refused += 1
                continue
            if response.status_code == 204:
                self.acknowledged[name] = (born, time.monotonic())
            else:
                self.refused += 1


@pytest.mark.slow
@pytest.mark.parametrize(
    "durability",
    [
        pytest.param(chart_durability(), id="as-the-chart"),
        pytest.param(["--appendonly", "yes", "--appendfsync", "always"], id="fsync-always"),
    ],
)
def test_acknowledged_puts_survive_kill_9_of_redis(
    tmp_path: Path, start_service: Callable[..., ServiceProcess], durability: list[str]
) -> None:
    """Every PUT answered 204 is in Redis after `kill -9` and a restart on the same files."""
    assert "--appendonly" in durability  # the chart still turns the append-only file on
    server = RedisServer(tmp_path / "aof", extra=durability).start()
    try:
        service = start_service({"REDIS_URL": server.url()})
        writer = _Writer(service.base_url)
        thread = threading.Thread(target=lambda: asyncio.run(writer.run()))
        thread.start()
        time.sleep(2.0)
        killed = time.monotonic()
        server.stop(signal.SIGKILL)
        time.sleep(0.5)
        writer.stop.set()
        thread.join()
        server.start()
        with redis_client.Redis(port=server.port, decode_responses=True) as reader:
            names = list(writer.acknowledged)
            stored = dict(zip(names, reader.mget([f"hello:user:{n}" for n in names]), strict=True))
    finally:
        server.stop()

    lost = [n for n, (born, _) in writer.acknowledged.items() if stored[n] != str(born)]
    fsync = dict(zip(durability[::2], durability[1::2], strict=True)).get(
        "--appendfsync",
        "everysec",  # Redis's default
    )
    if fsync == "always":
        assert lost == []
    else:
        assert all(killed - writer.acknowledged[n][1] < EVERYSEC_WINDOW for n in lost)
    assert len(writer.acknowledged) > 100
    record_figures(
        f"durability-{fsync}",
        {
            "acknowledged_puts": len(writer.acknowledged),
            "refused_puts": writer.refused,
            "lost_after_kill_9": len(lost),
        },
    )
