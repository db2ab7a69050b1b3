"""Benchmark the service against the raw-ASGI baseline under wrk, on a machine of two cores.

One uvicorn worker of each server is pinned to the first CPU; wrk and redis-server share the
second. Both servers read the same Redis, and measured runs alternate between them round by
round, so that drift of the machine hits both alike.

Printed per scenario and server: requests per second, p50 and p99 latency (medians over the
rounds), CPU time the server spent per request (median), answers with status >= 400 and socket
errors (totals). Then two ratios to the baseline, each the median over the rounds:
throughput (the runs of one round side by side) and CPU time per request (baseline over service),
which other processes on a shared machine disturb far less. Then: GET with many stored users,
one and two workers, memory per worker, and the time from process start to a ready answer.
The figures also go to ``reports/bench/results.json``.

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

__all__ = ("main",)

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
    cpu_us: float
    """CPU time (user and system) the server's processes spent per request, microseconds."""
    status_errors: int
    socket_errors: int


@dataclass
class Server:
    """A running service or baseline."""

    process: subprocess.Popen[bytes]
    url: str
    ready_s: float

    def pids(self) -> list[int]:
        """Return the process and its uvicorn workers, when it has several."""
        return [self.process.pid, *worker_pids(self.process.pid)]

    def cpu_seconds(self) -> float:
        """Return the CPU time the process and its workers have used so far."""
        return sum(cpu_seconds(pid) for pid in self.pids())


@dataclass
class Arm:
    """A server under test and the samples it gave in one scenario."""

    server: Server
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


def cpu_seconds(pid: int) -> float:
    """Return the user and system CPU time of process ``pid``, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    """Return the resident set size of process ``pid`` in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_pids(pid: int) -> list[int]:
    """Return the uvicorn worker processes of supervisor ``pid`` (not multiprocessing helpers)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    children = path.read_text().split() if path.exists() else []
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
            raise SystemExit(f"{process.args!r} exited with {process.returncode}")
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
    ) -> Server:
        """Start the service or the baseline and wait until it is ready."""
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

        return Server(process, url, wait_ready(f"{url}/readyz", process))

    def wrk(self, server: Server, scenario: str, seconds: float, users: int) -> Sample:
        command = [
            "taskset", "-c", self.load_cpu, "wrk", "--threads", "1",
            "--connections", str(self.args.connections), "--duration", f"{seconds:g}s",
            "--timeout", "5s", "--script", SCENARIOS[scenario], server.url,
        ]  # fmt: skip
        cpu_before = server.cpu_seconds()
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
        cpu = server.cpu_seconds() - cpu_before

        return Sample(
            rps=raw["requests"] / (raw["duration_us"] / 1e6),
            p50_ms=raw["p50_us"] / 1000,
            p99_ms=raw["p99_us"] / 1000,
            cpu_us=cpu * 1e6 / max(raw["requests"], 1),
            status_errors=raw["status_errors"],
            socket_errors=raw["socket_errors"],
        )

    def compare(
        self, servers: dict[str, Server], scenario: str, rounds: int, users: int
    ) -> dict[str, Arm]:
        """Warm every server up, then alternate measured runs between them, round by round."""
        arms = {name: Arm(server) for name, server in servers.items()}
        for arm in arms.values():
            self.wrk(arm.server, scenario, self.args.warmup, users)
        names = list(arms)
        for round_ in range(rounds):
            for name in names if round_ % 2 == 0 else names[::-1]:
                arms[name].samples.append(
                    self.wrk(arms[name].server, scenario, self.args.duration, users)
                )

        return arms

    def report(
        self, key: str, title: str, arms: dict[str, Arm], reference: str = "baseline"
    ) -> None:
        """Print one scenario's table and keep its figures under ``key``.

        Every arm's throughput is also given as a ratio to the ``reference`` arm's.
        """
        print(f"\n{title}")
        print(
            f"  {'server':<10} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'CPU us/req':>10}", end=""
        )
        print(f" {'>=400':>6} {'sockerr':>7}")
        figures: dict[str, Any] = {}
        for name, arm in arms.items():
            print(
                f"  {name:<10} {arm.median('rps'):>7.0f} {arm.median('p50_ms'):>7.1f}"
                f" {arm.median('p99_ms'):>7.1f} {arm.median('cpu_us'):>10.0f}"
                f" {arm.total('status_errors'):>6} {arm.total('socket_errors'):>7}"
            )
            figures[name] = [asdict(sample) for sample in arm.samples]
        for name, arm in arms.items():
            if name == reference:
                continue
            # Ratios within a round, so that drift of the machine between rounds cancels.
            pairs = list(zip(arm.samples, arms[reference].samples, strict=True))
            by_rps = sorted(ours.rps / theirs.rps for ours, theirs in pairs)
            by_cpu = sorted(theirs.cpu_us / ours.cpu_us for ours, theirs in pairs)
            figures[f"{name}/{reference}"] = {
                "throughput": round(statistics.median(by_rps), 3),
                "cpu_per_request": round(statistics.median(by_cpu), 3),
            }
            print(
                f"  {name}/{reference}: throughput {statistics.median(by_rps):.2f}"
                f" ({by_rps[0]:.2f} to {by_rps[-1]:.2f}),"
                f" by CPU per request {statistics.median(by_cpu):.2f}"
                f" ({by_cpu[0]:.2f} to {by_cpu[-1]:.2f})"
            )
        self.results[key] = figures

    def run(self) -> None:
        args = self.args
        client = self.start_redis()
        self.store_users(client, 0, args.users)

        servers = {
            "service": self.start_server("service"),
            "baseline": self.start_server("baseline"),
        }
        for name, assignments in args.variant:
            servers[name] = self.start_server("service", env=assignments)
        for scenario in SCENARIOS:
            arms = self.compare(servers, scenario, args.rounds, args.users)
            title = f"{scenario.upper()}, {args.users} stored users, 1 worker, {args.rounds} rounds"
            self.report(scenario, title, arms)
        one = {name: rss_mib(servers[name].process.pid) for name in ("service", "baseline")}
        self.results["rss_mib_1_worker"] = one

        if args.many_users > args.users:
            self.store_users(client, args.users, args.many_users)
            redis_mib = client.info("memory")["used_memory"] / 2**20
            pair = {name: servers[name] for name in ("service", "baseline")}
            arms = self.compare(pair, "get", args.rounds, args.many_users)
            title = f"GET, {args.many_users} stored users (Redis {redis_mib:.0f} MiB), 1 worker"
            self.report("get_many_users", title, arms)
        for name, server in servers.items():
            if name != "service":
                self.processes.stop(server.process)

        # Two workers over both CPUs, wrk and Redis sharing the second: on this machine that
        # shows what a second process costs and gives, not what it would give on idle cores.
        both = f"{self.server_cpu},{self.load_cpu}"
        two = self.start_server("service", workers=2, cpus=both)
        time.sleep(2)  # the supervisor answers before every worker has started
        pair = {"1 worker": servers["service"], "2 workers": two}
        arms = self.compare(pair, "get", args.rounds, args.users)
        self.report("get_2_workers", "GET, service with 1 or 2 workers", arms, "1 worker")
        self.results["rss_mib_2_workers"] = [rss_mib(pid) for pid in worker_pids(two.process.pid)]
        self.processes.stop(two.process)
        self.processes.stop(servers["service"].process)

        startups = []
        for _ in range(args.startups):
            server = self.start_server("service")
            startups.append(server.ready_s)
            self.processes.stop(server.process)
        self.results["start_to_ready_s"] = startups

        workers = ", ".join(f"{mib:.0f}" for mib in self.results["rss_mib_2_workers"])
        print(f"\nRSS per worker: service {one['service']:.0f} MiB, ", end="")
        print(f"baseline {one['baseline']:.0f} MiB; service with 2 workers: {workers} MiB")
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
    parser.add_argument("--duration", type=float, default=5, help="seconds per measured run")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per server")
    parser.add_argument("--rounds", type=int, default=7, help="measured runs per server")
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
