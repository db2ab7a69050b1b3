"""Benchmark the service against the raw-ASGI baseline under wrk, on a machine of two cores.

One uvicorn worker of each server is pinned to the first CPU; wrk and redis-server share the
second. Both servers read the same Redis, and measured runs alternate between them round by
round, so that drift of the machine hits both alike. Printed per scenario: requests per
second, p50 and p99 latency (medians over the rounds), answers with status >= 400 and socket
errors (totals), and the service/baseline throughput ratio. Then: GET with many stored users,
two workers, memory per worker, and the time from process start to a ready answer. The figures
also go to ``reports/bench/results.json``.

Run through ``make bench`` (``scripts/bench.sh``), which installs wrk when it is missing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import redis


if TYPE_CHECKING:
    from collections.abc import Sequence

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = {"get": "bench/get.lua", "mixed": "bench/mixed.lua"}
KEY_PREFIX = "hello:user:"
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0
_BENCH_LINE = re.compile(r"^BENCH (\{.*\})$", re.MULTILINE)


@dataclass
class Sample:
    """One wrk run against one server."""

    rps: float
    p50_ms: float
    p99_ms: float
    status_errors: int
    socket_errors: int


@dataclass
class Arm:
    """A server under test and the samples it gave in one scenario."""

    url: str
    samples: list[Sample] = field(default_factory=list)

    def median(self, name: str) -> float:
        return float(statistics.median(getattr(sample, name) for sample in self.samples))

    def total(self, name: str) -> int:
        return int(sum(getattr(sample, name) for sample in self.samples))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def username(index: int) -> str:
    """Return user ``index`` the way bench/common.lua names it."""
    letters = ""
    while True:
        index, digit = divmod(index, 26)
        letters = chr(97 + digit) + letters
        if index == 0:
            return "bench" + letters


def birth_date(index: int) -> str:
    """Return a date of birth for user ``index``; the dates cover the whole year."""
    return f"{1950 + index % 50}-{1 + index % 12:02d}-{1 + index % 28:02d}"


def rss_mib(pid: int) -> float:
    """Return the resident set size of process ``pid`` in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_pids(pid: int) -> list[int]:
    """Return the uvicorn worker processes of supervisor ``pid`` (not multiprocessing helpers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [
        int(child)
        for child in children
        if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


class Processes:
    """Every process the benchmark starts; each is stopped by its PID, newest first."""

    def __init__(self) -> None:
        self._started: list[subprocess.Popen[bytes]] = []

    def start(
        self, command: Sequence[str], env: dict[str, str], log: Path
    ) -> subprocess.Popen[bytes]:
        with log.open("ab") as out:
            process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=out)
        self._started.append(process)
        return process

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._started.remove(process)

    def stop_all(self) -> None:
        for process in reversed(self._started):
            self.stop(process)


def wait_ready(url: str, process: subprocess.Popen[bytes]) -> float:
    """Poll ``url`` until it answers 200; return the seconds that took."""
    started = time.monotonic()
    while time.monotonic() - started < READY_TIMEOUT:
        if process.poll() is not None:
            raise SystemExit(f"{process.args} exited with {process.returncode}")
        with (
            contextlib.suppress(urllib.error.URLError, OSError),
            urllib.request.urlopen(url, timeout=1) as response,  # noqa: S310 - loopback only
        ):
            if response.status == 200:
                return time.monotonic() - started
        time.sleep(0.01)
    raise SystemExit(f"{url} was not ready within {READY_TIMEOUT:g} s")


class Bench:
    """Starts redis-server and the servers, runs wrk, and keeps the figures."""

    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) < 2:
            raise SystemExit("make bench needs two CPUs: one for the server, one for wrk")
        self.args = args
        self.workdir = workdir
        self.processes = Processes()
        self.server_cpu = str(cpus[0])
        self.load_cpu = str(cpus[1])
        self.redis_port = free_port()
        self.results: dict[str, Any] = {"cpus": [self.server_cpu, self.load_cpu]}

    def start_redis(self) -> redis.Redis:
        command = [
            "taskset", "-c", self.load_cpu, "redis-server", "--port", str(self.redis_port),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", str(self.workdir),
        ]  # fmt: skip
        self.processes.start(command, dict(os.environ), self.workdir / "redis.log")
        client = redis.Redis(port=self.redis_port)
        for _ in range(200):
            with contextlib.suppress(redis.ConnectionError):
                if client.ping():
                    return client
            time.sleep(0.05)
        raise SystemExit("redis-server did not answer")

    def store_users(self, client: redis.Redis, first: int, last: int) -> None:
        """Store users ``first`` to ``last - 1`` as the service writes them."""
        pipe = client.pipeline(transaction=False)
        for index in range(first, last):
            pipe.set(f"{KEY_PREFIX}{username(index)}", birth_date(index))
            if index % 10_000 == 9_999:
                pipe.execute()
        pipe.execute()

    def start_server(
        self,
        kind: str,
        *,
        workers: int = 1,
        cpus: str | None = None,
        env: dict[str, str] | None = None,
    ) -> tuple[subprocess.Popen[bytes], str, float]:
        """Start the service or the baseline; return its process, URL and seconds to ready."""
        port = free_port()
        command = ["taskset", "-c", cpus or self.server_cpu, sys.executable, "-m"]
        command += ["hello", "serve"] if kind == "service" else ["bench.baseline"]
        base = {k: v for k, v in os.environ.items() if not k.startswith(("HELLO_", "REDIS_"))}
        settings = {
            "HELLO_HOST": "127.0.0.1",
            "HELLO_PORT": str(port),
            "HELLO_WORKERS": str(workers),
            "HELLO_LOG_FORMAT": "json",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
        }
        log = self.workdir / f"{kind}-{port}.log"
        process = self.processes.start(command, base | settings | (env or {}), log)
        url = f"http://127.0.0.1:{port}"

        return process, url, wait_ready(f"{url}/readyz", process)

    def wrk(self, url: str, scenario: str, seconds: float, users: int) -> Sample:
        command = [
            "taskset", "-c", self.load_cpu, "wrk", "--threads", "1",
            "--connections", str(self.args.connections), "--duration", f"{seconds:g}s",
            "--timeout", "5s", "--script", SCENARIOS[scenario], url,
        ]  # fmt: skip
        result = subprocess.run(
            command,
            cwd=REPO,
            env=os.environ | {"BENCH_USERS": str(users)},
            capture_output=True,
            text=True,
            timeout=seconds + 30,
            check=True,
        )
        match = _BENCH_LINE.search(result.stdout)
        if match is None:
            raise SystemExit(f"wrk printed no summary:\n{result.stdout}{result.stderr}")
        raw = json.loads(match[1])

        return Sample(
            rps=raw["requests"] / (raw["duration_us"] / 1e6),
            p50_ms=raw["p50_us"] / 1000,
            p99_ms=raw["p99_us"] / 1000,
            status_errors=raw["status_errors"],
            socket_errors=raw["socket_errors"],
        )

    def compare(
        self, urls: dict[str, str], scenario: str, rounds: int, users: int
    ) -> dict[str, Arm]:
        """Warm every server up, then alternate measured runs between them, round by round."""
        arms = {name: Arm(url) for name, url in urls.items()}
        for arm in arms.values():
            self.wrk(arm.url, scenario, self.args.warmup, users)
        names = list(arms)
        for round_ in range(rounds):
            for name in names if round_ % 2 == 0 else names[::-1]:
                arms[name].samples.append(
                    self.wrk(arms[name].url, scenario, self.args.duration, users)
                )

        return arms

    def report(self, key: str, title: str, arms: dict[str, Arm]) -> None:
        """Print one scenario's table and keep its figures under ``key``."""
        print(f"\n{title}")
        print(
            f"  {'server':<12} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'>=400':>6} {'sockerr':>7}"
        )
        figures: dict[str, Any] = {}
        for name, arm in arms.items():
            print(
                f"  {name:<12} {arm.median('rps'):>8.0f} {arm.median('p50_ms'):>8.2f}"
                f" {arm.median('p99_ms'):>8.2f} {arm.total('status_errors'):>6}"
                f" {arm.total('socket_errors'):>7}"
            )
            figures[name] = [asdict(sample) for sample in arm.samples]
        if "baseline" in arms:
            for name, arm in arms.items():
                if name != "baseline":
                    ratio = arm.median("rps") / arms["baseline"].median("rps")
                    figures[f"{name}/baseline"] = round(ratio, 3)
                    print(f"  {name}/baseline throughput: {ratio:.2f}")
        self.results[key] = figures

    def run(self) -> None:
        args = self.args
        client = self.start_redis()
        self.store_users(client, 0, args.users)

        service, service_url, _ = self.start_server("service")
        baseline, baseline_url, _ = self.start_server("baseline")
        urls = {"service": service_url, "baseline": baseline_url}
        servers = [service, baseline]
        for name, assignments in args.variant:
            variant, urls[name], _ = self.start_server("service", env=assignments)
            servers.append(variant)
        for scenario in SCENARIOS:
            arms = self.compare(urls, scenario, args.rounds, args.users)
            title = f"{scenario.upper()}, {args.users} stored users, 1 worker, {args.rounds} rounds"
            self.report(scenario, title, arms)
        self.results["rss_mib_1_worker"] = {
            "service": rss_mib(service.pid),
            "baseline": rss_mib(baseline.pid),
        }

        if args.many_users > args.users:
            self.store_users(client, args.users, args.many_users)
            redis_mib = client.info("memory")["used_memory"] / 2**20
            pair = {"service": service_url, "baseline": baseline_url}
            arms = self.compare(pair, "get", args.rounds, args.many_users)
            title = f"GET, {args.many_users} stored users (Redis {redis_mib:.0f} MiB), 1 worker"
            self.report("get_many_users", title, arms)
        for server in servers:
            self.processes.stop(server)

        # Two workers over both CPUs, wrk and Redis sharing the second: this shows the cost of
        # a second process on this machine, not the gain it would bring on idle cores.
        both = f"{self.server_cpu},{self.load_cpu}"
        service2, url2, _ = self.start_server("service", workers=2, cpus=both)
        time.sleep(2)  # the supervisor answers before every worker has started
        arms = self.compare({"service x2": url2}, "get", args.rounds, args.users)
        self.report("get_2_workers", "GET, service with 2 workers on both CPUs", arms)
        self.results["rss_mib_2_workers"] = [rss_mib(pid) for pid in worker_pids(service2.pid)]
        self.processes.stop(service2)

        startups = []
        for _ in range(args.startups):
            process, _, seconds = self.start_server("service")
            startups.append(seconds)
            self.processes.stop(process)
        self.results["start_to_ready_s"] = startups

        one = self.results["rss_mib_1_worker"]
        two = ", ".join(f"{mib:.0f}" for mib in self.results["rss_mib_2_workers"])
        print(f"\nRSS per worker: service {one['service']:.0f} MiB, ", end="")
        print(f"baseline {one['baseline']:.0f} MiB; service with 2 workers: {two} MiB")
        ready_ms = statistics.median(startups) * 1000
        print(f"start to ready: median {ready_ms:.0f} ms over {len(startups)} starts")


def _variant(text: str) -> tuple[str, dict[str, str]]:
    name, _, assignments = text.partition(":")
    pairs = [item.partition("=") for item in assignments.split(",") if item]
    if not name or not pairs or any(not key or not sep for key, sep, _ in pairs):
        raise argparse.ArgumentTypeError("expected NAME:VAR=VALUE[,VAR=VALUE...]")
    return name, {key: value for key, _, value in pairs}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per measured run")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per server")
    parser.add_argument("--rounds", type=int, default=3, help="measured runs per server")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument("--users", type=int, default=10_000, help="stored users")
    parser.add_argument("--many-users", type=int, default=200_000, help="stored users, large")
    parser.add_argument("--startups", type=int, default=5, help="starts timed to readiness")
    parser.add_argument(
        "--variant",
        type=_variant,
        action="append",
        default=[],
        help="also run the service with these settings, e.g. quiet:HELLO_LOG_LEVEL=warning",
    )
    parser.add_argument("--output", type=Path, default=REPO / "reports" / "bench" / "results.json")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="hello-bench-") as tmp:
        bench = Bench(args, Path(tmp))
        try:
            bench.run()
        finally:
            bench.processes.stop_all()
    bench.results["options"] = {k: v for k, v in vars(args).items() if k != "output"}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(bench.results, indent=2, default=str) + "\n")
    print(f"\nfigures written to {args.output}")

    return 0


if __name__ == "__main__":
    sys.exit(main())
