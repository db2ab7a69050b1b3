"""Simulated clients of the birthday API, and the SLO gate that decides locust's exit code.

Each user registers itself with a realistic date of birth, then mostly reads users that this
run registered, sometimes reads a name nobody registered (404 is the right answer), and now and
then registers someone new. The profile (``--load-profile``, from ``load/profiles.toml``) sets
the mix, the think time and the SLO thresholds; ``--mix`` and ``--slo-*`` override them.
"""

from __future__ import annotations

import logging
import random
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from expectations import (
    check_greeting,
    new_username,
    realistic_birth_date,
    unknown_username,
    utc_today,
)
from locust import HttpUser, events, task
from profiles import (
    DEFAULT_FILE,
    Mix,
    Profile,
    ProfileError,
    load_profile,
    parse_mix,
    with_slo_overrides,
)


if TYPE_CHECKING:
    import datetime as dt

    from locust.env import Environment

__all__ = ("BirthdayClient",)

LOGGER = logging.getLogger("hello.load")
# Memory bound on the users a process remembers for reads; later ones are written only.
KNOWN_CAP = 50_000

# Users registered by this process and their dates of birth, shared by all simulated users.
# Each name is written once, so a read always knows the right answer.
_known: dict[str, dt.date] = {}
_known_names: list[str] = []
_rng = random.Random()


class _Run:
    """The profile of this run, set once locust has parsed the command line."""

    profile: Profile | None = None


@events.init_command_line_parser.add_listener
def add_arguments(parser: Any, **_: Any) -> None:
    """Add the options that pick a profile and override its mix and thresholds."""
    group = parser.add_argument_group("hello", "Profile, mix and SLO thresholds")
    group.add_argument("--load-profile", default="smoke", help="profile name")
    group.add_argument("--load-profiles-file", default=str(DEFAULT_FILE), help="TOML file")
    group.add_argument("--mix", default="", help="weights, e.g. read-known=70,write=30")
    for name, what in (
        ("p95-ms", "p95 latency limit, ms"),
        ("p99-ms", "p99 latency limit, ms"),
        ("max-failure-ratio", "highest failure ratio"),
        ("min-rps", "lowest requests per second"),
    ):
        group.add_argument(f"--slo-{name}", type=float, default=None, help=f"override the {what}")


@events.init.add_listener
def read_profile(environment: Environment, **_: Any) -> None:
    """Load the profile named on the command line, with its overrides, before users start."""
    options = environment.parsed_options
    if options is None:
        return
    try:
        profile = load_profile(options.load_profile, Path(options.load_profiles_file))
        profile = with_slo_overrides(
            profile,
            p95_ms=options.slo_p95_ms,
            p99_ms=options.slo_p99_ms,
            max_failure_ratio=options.slo_max_failure_ratio,
            min_rps=options.slo_min_rps,
        )
        if options.mix:
            profile = replace(profile, mix=parse_mix(options.mix, profile.mix))
    except (OSError, ProfileError) as exc:
        LOGGER.error("cannot read the load profile: %s", exc)
        raise SystemExit(2) from None
    _Run.profile = profile
    LOGGER.info("profile %s, mix %s, %s", profile.name, profile.mix.weights(), profile.slo)


@events.quitting.add_listener
def enforce_slo(environment: Environment, **_: Any) -> None:
    """Set the exit code: 1 and a line per broken threshold on a breach, 0 otherwise."""
    options = environment.parsed_options
    profile = _Run.profile
    if profile is None or environment.runner is None or (options and options.worker):
        return  # a worker holds part of the figures; the master decides
    total = environment.stats.total
    p95 = total.get_response_time_percentile(0.95) or 0
    p99 = total.get_response_time_percentile(0.99) or 0
    breaches = profile.slo.evaluate(
        p95_ms=p95, p99_ms=p99, failure_ratio=total.fail_ratio, rps=total.total_rps
    )
    LOGGER.info(
        "%d requests, %d failed, %.1f req/s, p95 %s ms, p99 %s ms",
        total.num_requests,
        total.num_failures,
        total.total_rps,
        p95,
        p99,
    )
    for breach in breaches:
        LOGGER.error("SLO breach: %s", breach)
    exceptions = len(environment.runner.exceptions)
    if exceptions:
        LOGGER.error("the locustfile raised %d exception(s); see the report", exceptions)
    if breaches or exceptions:
        environment.process_exit_code = 1
        return
    LOGGER.info("SLO met by profile %s", profile.name)
    environment.process_exit_code = 0


class BirthdayClient(HttpUser):
    """A client that registers, then reads known and unknown users in the profile's mix."""

    def wait_time(self) -> float:
        """Think for a random time in the profile's range between two requests."""
        low, high = _Run.profile.wait_seconds if _Run.profile else (0.5, 1.5)
        return _rng.uniform(low, high)

    def on_start(self) -> None:
        """Register one user before anything else, as a new client would."""
        self.register()

    @task
    def act(self) -> None:
        """Pick one action by the profile's weights and run it."""
        weights = (_Run.profile.mix if _Run.profile else Mix()).weights()
        action = _rng.choices(list(weights), weights=list(weights.values()))[0]
        if action == "read-known" and _known_names:
            self.read_known()
        elif action == "read-unknown":
            self.read_unknown()
        else:
            self.register()

    def register(self) -> None:
        """PUT a new user with a realistic date of birth; expect 204."""
        name = new_username(_rng)
        born = realistic_birth_date(_rng, utc_today())
        with self.client.put(
            f"/hello/{name}",
            json={"dateOfBirth": born.isoformat()},
            name="/hello/{username} [new]",
            catch_response=True,
        ) as response:
            if response.status_code != 204:
                response.failure(f"expected 204, got {response.status_code}")
                return
            response.success()
        if len(_known_names) < KNOWN_CAP:
            _known[name] = born
            _known_names.append(name)

    def read_known(self) -> None:
        """GET a user this run registered; expect 200 and the greeting for its date."""
        name = _rng.choice(_known_names)
        with self.client.get(
            f"/hello/{name}", name="/hello/{username} [known]", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"expected 200, got {response.status_code}")
                return
            try:
                message = response.json().get("message")
            except (ValueError, AttributeError):
                response.failure("the body is not a JSON object")
                return
            problem = check_greeting(message, name, _known[name], utc_today())
            if problem:
                response.failure(problem)
            else:
                response.success()

    def read_unknown(self) -> None:
        """GET a name nobody registered; 404 is the right answer and counts as success."""
        name = unknown_username(_rng)
        with self.client.get(
            f"/hello/{name}", name="/hello/{username} [unknown]", catch_response=True
        ) as response:
            if response.status_code == 404:
                response.success()
            else:
                response.failure(f"expected 404, got {response.status_code}")
