"""Load profiles and their SLO thresholds, read from ``load/profiles.toml``.

Run as a script, it prints the locust options of one profile, one per line:
``python load/profiles.py smoke`` is how ``scripts/load-test.sh`` sizes a run.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any


__all__ = (
    "DEFAULT_FILE",
    "Breach",
    "Mix",
    "Profile",
    "ProfileError",
    "Slo",
    "load_profile",
    "parse_mix",
    "with_slo_overrides",
)

DEFAULT_FILE = Path(__file__).with_name("profiles.toml")
_MIX_KEYS = ("read-known", "read-unknown", "write")
_SLO_KEYS = ("p95-ms", "p99-ms", "max-failure-ratio", "min-rps")
_PROFILE_KEYS = ("users", "spawn-rate", "run-time", "wait-seconds", "stop-timeout", "mix", "slo")


class ProfileError(ValueError):
    """The profiles file is missing a profile, or a value in it is out of range."""


@dataclass(frozen=True, kw_only=True)
class Mix:
    """Relative weights of the actions a simulated user picks from."""

    read_known: float = 80
    """GET a user this run registered; expects 200 and the right greeting."""
    read_unknown: float = 10
    """GET a name nobody registered; expects 404."""
    write: float = 10
    """PUT a new user with a realistic date of birth; expects 204."""

    def weights(self) -> dict[str, float]:
        """Return the weights keyed by action name, as they are spelled in the file."""
        return {
            "read-known": self.read_known,
            "read-unknown": self.read_unknown,
            "write": self.write,
        }


@dataclass(frozen=True, kw_only=True)
class Breach:
    """One SLO threshold that a run did not meet."""

    name: str
    measured: float
    limit: float
    unit: str

    def __str__(self) -> str:
        """Describe the breach in one line, e.g. ``p95 latency 310 ms > 200 ms``."""
        relation = "<" if self.name == "throughput" else ">"
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.name} {self.measured:.10g}{unit} {relation} {self.limit:.10g}{unit}"


@dataclass(frozen=True, kw_only=True)
class Slo:
    """The thresholds a run must meet; all four are checked on the aggregate of requests."""

    p95_ms: float
    """95th percentile of response times must not exceed this, in milliseconds."""
    p99_ms: float
    """99th percentile of response times must not exceed this, in milliseconds."""
    max_failure_ratio: float
    """Failed requests divided by all requests must not exceed this."""
    min_rps: float
    """Requests per second over the whole run must reach this."""

    def evaluate(
        self, *, p95_ms: float, p99_ms: float, failure_ratio: float, rps: float
    ) -> list[Breach]:
        """Compare the measured figures with the thresholds.

        Returns:
            The thresholds that broke, empty when the run meets every one.
        """
        breaches = []
        if p95_ms > self.p95_ms:
            breaches.append(
                Breach(name="p95 latency", measured=p95_ms, limit=self.p95_ms, unit="ms")
            )
        if p99_ms > self.p99_ms:
            breaches.append(
                Breach(name="p99 latency", measured=p99_ms, limit=self.p99_ms, unit="ms")
            )
        if failure_ratio > self.max_failure_ratio:
            breaches.append(
                Breach(
                    name="failure ratio",
                    measured=round(failure_ratio, 6),
                    limit=self.max_failure_ratio,
                    unit="",
                )
            )
        if rps < self.min_rps:
            breaches.append(
                Breach(name="throughput", measured=round(rps, 2), limit=self.min_rps, unit="req/s")
            )

        return breaches


@dataclass(frozen=True, kw_only=True)
class Profile:
    """How many users a run starts, for how long, what they do, and what it must meet."""

    name: str
    users: int
    spawn_rate: float
    run_time: str
    wait_seconds: tuple[float, float]
    stop_timeout: float
    mix: Mix = field(default_factory=Mix)
    slo: Slo

    def locust_options(self) -> list[str]:
        """Return the locust command-line options that size a run of this profile."""
        return [
            f"--users={self.users}",
            f"--spawn-rate={self.spawn_rate:g}",
            f"--run-time={self.run_time}",
            f"--stop-timeout={self.stop_timeout:g}",
        ]


def _number(table: dict[str, Any], key: str, where: str, *, low: float = 0) -> float:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < low:
        raise ProfileError(f"{where}.{key}: expected a number >= {low:g}, got {value!r}")
    return float(value)


def _run_time(table: dict[str, Any], where: str) -> str:
    value = table.get("run-time")
    if not isinstance(value, str) or not re.fullmatch(r"(\d+h)?(\d+m)?(\d+s)?", value) or not value:
        raise ProfileError(
            f"{where}.run-time: expected a span like 30s, 2m or 1h30m, got {value!r}"
        )
    return value


def _check_keys(table: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise ProfileError(f"{where}: unknown keys {', '.join(unknown)}")


def _merge(defaults: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    merged = {**defaults, **own}
    for nested in ("mix", "slo"):
        merged[nested] = {**defaults.get(nested, {}), **own.get(nested, {})}
    return merged


def parse_mix(text: str, base: Mix) -> Mix:
    """Override ``base`` with weights written as ``read-known=70,write=30``.

    Raises:
        ProfileError: An action is unknown, a weight is negative, or all weights are zero.
    """
    weights = base.weights()
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, _, raw = item.partition("=")
        key = key.strip()
        if key not in weights:
            raise ProfileError(f"--mix: unknown action {key!r}; expected {', '.join(_MIX_KEYS)}")
        try:
            weights[key] = float(raw)
        except ValueError:
            raise ProfileError(f"--mix: {key} needs a number, got {raw!r}") from None
        if weights[key] < 0:
            raise ProfileError(f"--mix: {key} must not be negative")
    if weights["read-known"] + weights["read-unknown"] + weights["write"] <= 0:
        raise ProfileError("--mix: at least one weight must be above zero")

    return Mix(
        read_known=weights["read-known"],
        read_unknown=weights["read-unknown"],
        write=weights["write"],
    )


def load_profile(name: str, path: Path = DEFAULT_FILE) -> Profile:
    """Read profile ``name`` from ``path``, filled in from its ``[defaults]``.

    Raises:
        ProfileError: The profile does not exist, or a key is unknown or out of range.
    """
    with path.open("rb") as file:
        document = tomllib.load(file)
    profiles = document.get("profiles", {})
    if name not in profiles:
        known = ", ".join(sorted(profiles)) or "none"
        raise ProfileError(f"{path}: no profile {name!r} (known: {known})")
    where = f"profiles.{name}"
    _check_keys(profiles[name], _PROFILE_KEYS, where)
    table = _merge(document.get("defaults", {}), profiles[name])
    _check_keys(table["mix"], _MIX_KEYS, f"{where}.mix")
    _check_keys(table["slo"], _SLO_KEYS, f"{where}.slo")

    wait = table.get("wait-seconds", [0.5, 1.5])
    if not (isinstance(wait, list) and len(wait) == 2 and 0 <= wait[0] <= wait[1]):
        raise ProfileError(f"{where}.wait-seconds: expected [low, high] with 0 <= low <= high")
    mix_text = ",".join(f"{key}={value}" for key, value in table["mix"].items())
    slo = table["slo"]

    return Profile(
        name=name,
        users=int(_number(table, "users", where, low=1)),
        spawn_rate=_number(table, "spawn-rate", where),
        run_time=_run_time(table, where),
        wait_seconds=(float(wait[0]), float(wait[1])),
        stop_timeout=_number(table, "stop-timeout", where),
        mix=parse_mix(mix_text, Mix()),
        slo=Slo(
            p95_ms=_number(slo, "p95-ms", f"{where}.slo"),
            p99_ms=_number(slo, "p99-ms", f"{where}.slo"),
            max_failure_ratio=_number(slo, "max-failure-ratio", f"{where}.slo"),
            min_rps=_number(slo, "min-rps", f"{where}.slo"),
        ),
    )


def with_slo_overrides(profile: Profile, **overrides: float | None) -> Profile:
    """Return ``profile`` with the SLO thresholds that are not ``None`` replaced."""
    changes = {key: value for key, value in overrides.items() if value is not None}
    return replace(profile, slo=replace(profile.slo, **changes)) if changes else profile


def main(argv: list[str] | None = None) -> int:
    """Print the locust options of one profile, one per line; 2 when it cannot be read."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    args = parser.parse_args(argv)
    try:
        profile = load_profile(args.profile, args.file)
    except (OSError, tomllib.TOMLDecodeError, ProfileError) as exc:
        sys.stderr.write(f"load profile: {exc}\n")
        return 2
    sys.stdout.write("".join(f"{option}\n" for option in profile.locust_options()))

    return 0


if __name__ == "__main__":
    sys.exit(main())
