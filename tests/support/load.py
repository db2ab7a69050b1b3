"""A small, bounded HTTP load loop for fault tests: it records every answer and checks it."""

from __future__ import annotations

import asyncio
import json
import random
import string
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import httpx

from hello.birthday import days_until_birthday, greeting, today_in


if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ("REPORT_DIR", "Load", "LoadResult", "Outcome", "record_figures")

REPORT_DIR = Path(__file__).resolve().parents[2] / "reports" / "reliability"
_UTC = ZoneInfo("UTC")


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """One request of the load loop."""

    method: str
    started: float
    """Seconds since the load started (``time.monotonic`` based)."""
    seconds: float
    """How long the answer took."""
    status: int | None
    """The HTTP status; ``None`` when no answer came (connection error or client timeout)."""
    error: str = ""
    """The transport error's class name, or ``wrong answer`` when a greeting was wrong."""

    @property
    def ended(self) -> float:
        """Seconds since the load started when the answer came."""
        return self.started + self.seconds


@dataclass
class LoadResult:
    """Every outcome of one load run, and the questions fault tests ask of them."""

    outcomes: list[Outcome]
    origin: float
    """The ``time.monotonic()`` reading that outcome times count from."""

    def since(self, moment: float) -> float:
        """Turn a ``time.monotonic()`` reading into seconds since the load started."""
        return moment - self.origin

    def statuses(self) -> Counter[int | None]:
        """Count answers by status (``None``: no answer)."""
        return Counter(outcome.status for outcome in self.outcomes)

    def unexpected(self, allowed: Iterable[int]) -> list[Outcome]:
        """Return the outcomes whose status is not in ``allowed``, or whose answer was wrong."""
        allowed = set(allowed)
        return [o for o in self.outcomes if o.status not in allowed or o.error]

    def failures(self) -> list[Outcome]:
        """Return the outcomes that were not a success (2xx or 404) or were wrong."""
        return [o for o in self.outcomes if not _succeeded(o)]

    def slowest(self) -> float:
        """Return the longest time any request took."""
        return max((o.seconds for o in self.outcomes), default=0.0)

    def recovered_after(self, moment: float) -> float | None:
        """Seconds from ``moment`` to the end of the last failed request; ``None`` if none failed.

        Args:
            moment: A ``time.monotonic()`` reading, such as the restart of Redis.
        """
        at = self.since(moment)
        ends = [o.ended for o in self.failures() if o.ended >= at]
        return max(ends) - at if ends else None

    def first_success_after(self, moment: float) -> float | None:
        """Seconds from ``moment`` to the first success of a request started after it."""
        at = self.since(moment)
        ends = [o.ended for o in self.outcomes if o.started >= at and _succeeded(o)]
        return min(ends) - at if ends else None

    def successes_after(self, moment: float) -> int:
        """Count successful requests that started after ``moment`` (``time.monotonic()``)."""
        at = self.since(moment)
        return sum(1 for o in self.outcomes if o.started >= at and _succeeded(o))

    def most_in_flight(self) -> int:
        """Return the largest number of requests that were waiting for an answer at once."""
        edges = sorted(
            [(o.started, 1) for o in self.outcomes] + [(o.ended, -1) for o in self.outcomes]
        )
        in_flight = most = 0
        for _, step in edges:
            in_flight += step
            most = max(most, in_flight)
        return most

    def figures(self) -> dict[str, object]:
        """Summarise the run for the reliability record."""
        seconds = sorted(o.seconds for o in self.outcomes)
        return {
            "requests": len(self.outcomes),
            "statuses": {str(k): v for k, v in sorted(self.statuses().items(), key=str)},
            "failures": len(self.failures()),
            "wrong_answers": sum(1 for o in self.outcomes if o.error == "wrong answer"),
            "p50_ms": round(seconds[len(seconds) // 2] * 1000, 1) if seconds else None,
            "max_ms": round(self.slowest() * 1000, 1),
        }


def _succeeded(outcome: Outcome) -> bool:
    return outcome.status is not None and (
        200 <= outcome.status < 300 or outcome.status == 404
    ) and not outcome.error  # fmt: skip


def _username(worker: int, index: int) -> str:
    letters = string.ascii_letters
    return f"Load{letters[worker % 52]}{letters[index % 52]}"


@dataclass
class _User:
    """The dates a GET of one user may name: the last one acknowledged, or an unknown fate.

    A PUT that timed out may still reach Redis later, even after a newer PUT was acknowledged,
    so unknown dates stay possible for the rest of the run.
    """

    acknowledged: date | None = None
    unknown: set[date] = field(default_factory=set)

    @property
    def possible(self) -> set[date]:
        """Every date a GET of this user may answer with."""
        known = {self.acknowledged} if self.acknowledged else set()
        return known | self.unknown


@dataclass
class Load:
    """Send PUT and GET requests from ``workers`` tasks on a thread of their own.

    Each worker owns its users, so it knows which dates a GET may return: the last PUT
    that was acknowledged, or one whose answer was lost (it may have been saved). A GET
    that answers any other date counts as a wrong answer. The run stops after
    ``max_requests`` requests, after ``max_seconds``, or at ``stop()``, whichever is first.
    """

    base_url: str
    workers: int = 6
    interval: float = 0.02
    """Pause of each worker between its requests, so the load leaves CPU to the service."""
    max_requests: int = 20_000
    max_seconds: float = 60.0
    timeout: float = 10.0
    """Client timeout; far above any answer the service should give, so slowness is seen."""
    users_per_worker: int = 5
    seed: int = 1
    _outcomes: list[Outcome] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _origin: float = 0.0

    def start(self) -> Load:
        """Start sending in the background and return at once."""
        self._origin = time.monotonic()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)
        self._thread.start()
        return self

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> None:
        """Block until at least ``count`` requests have been answered."""
        deadline = time.monotonic() + timeout
        while len(self._outcomes) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the load sent only {len(self._outcomes)} requests")
            time.sleep(0.02)

    def stop(self) -> LoadResult:
        """Stop sending, wait for requests in flight and return every outcome."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout + 5)
        return LoadResult(list(self._outcomes), self._origin)

    async def _run(self) -> None:
        limits = httpx.Limits(max_connections=self.workers, max_keepalive_connections=self.workers)
        async with httpx.AsyncClient(
            base_url=self.base_url, timeout=self.timeout, limits=limits
        ) as client:
            await asyncio.gather(*(self._work(client, n) for n in range(self.workers)))

    def _done(self) -> bool:
        return (
            self._stop.is_set()
            or len(self._outcomes) >= self.max_requests
            or time.monotonic() - self._origin > self.max_seconds
        )

    async def _work(self, client: httpx.AsyncClient, worker: int) -> None:
        rng = random.Random(self.seed * 1000 + worker)
        users = {_username(worker, i): _User() for i in range(self.users_per_worker)}
        while not self._done():
            name = rng.choice(list(users))
            if rng.random() < 0.5:
                await self._put(client, name, users[name], rng)
            else:
                await self._get(client, name, users[name])
            await asyncio.sleep(self.interval)

    async def _send(
        self, client: httpx.AsyncClient, method: str, path: str, **kwargs: object
    ) -> tuple[httpx.Response | None, float, float, str]:
        started = time.monotonic()
        try:
            response = await client.request(method, path, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            return None, started, time.monotonic() - started, type(exc).__name__
        return response, started, time.monotonic() - started, ""

    async def _put(
        self, client: httpx.AsyncClient, name: str, user: _User, rng: random.Random
    ) -> None:
        born = date(rng.randint(1950, 2010), rng.randint(1, 12), rng.randint(1, 28))
        body = {"dateOfBirth": born.isoformat()}
        response, started, seconds, error = await self._send(
            client, "PUT", f"/hello/{name}", json=body
        )
        status = response.status_code if response is not None else None
        if status == 204:
            user.acknowledged = born
        elif status is None or status >= 500:
            user.unknown.add(born)  # the write may or may not have landed
        self._record("PUT", started, seconds, status, error)

    async def _get(self, client: httpx.AsyncClient, name: str, user: _User) -> None:
        response, started, seconds, error = await self._send(client, "GET", f"/hello/{name}")
        status = response.status_code if response is not None else None
        if status == 200 and response is not None:
            today = today_in(_UTC)
            expected = {greeting(name, days_until_birthday(d, today)) for d in user.possible}
            if response.json().get("message") not in expected:
                error = "wrong answer"
        self._record("GET", started, seconds, status, error)

    def _record(
        self, method: str, started: float, seconds: float, status: int | None, error: str
    ) -> None:
        self._outcomes.append(
            Outcome(
                method=method,
                started=started - self._origin,
                seconds=seconds,
                status=status,
                error=error,
            )
        )


def record_figures(name: str, figures: dict[str, object]) -> None:
    """Write one test's measured figures to ``reports/reliability/<name>.json`` and print them.

    ``docs/reliability.md`` quotes these files; ``pytest -s`` shows them as they are made.
    """
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    text = json.dumps(figures, indent=2, sort_keys=True, default=str)
    (REPORT_DIR / f"{name}.json").write_text(text + "\n")
    print(f"\n{name}: {text}")  # noqa: T201 - shown with -s, and kept in the report file
