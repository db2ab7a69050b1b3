"""The load profiles file and the SLO arithmetic behind the locust exit code."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from load.profiles import DEFAULT_FILE, Mix, ProfileError, Slo, load_profile, parse_mix


if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize("name", ["smoke", "review", "soak"])
def test_shipped_profiles_load(name: str) -> None:
    """Every profile the Makefile documents exists and has sane sizes and thresholds."""
    profile = load_profile(name, DEFAULT_FILE)

    assert profile.users >= 1
    assert 0 < profile.slo.p95_ms <= profile.slo.p99_ms
    assert 0 <= profile.slo.max_failure_ratio < 0.05
    # The think time caps what the users can send; the floor must be reachable.
    mean_wait = sum(profile.wait_seconds) / 2
    assert profile.slo.min_rps < profile.users / mean_wait


def test_smoke_profile_sizes_a_short_run() -> None:
    """The smoke profile runs a few users for about half a minute."""
    options = load_profile("smoke", DEFAULT_FILE).locust_options()

    assert "--run-time=30s" in options
    assert "--users=5" in options


def test_unknown_profile_names_the_known_ones() -> None:
    """Asking for a missing profile fails and lists those that exist."""
    with pytest.raises(ProfileError, match="known: review, smoke, soak"):
        load_profile("nightly", DEFAULT_FILE)


def test_unknown_keys_are_refused(tmp_path: Path) -> None:
    """A misspelt threshold fails loudly instead of being ignored."""
    path = tmp_path / "profiles.toml"
    path.write_text(
        '[profiles.x]\nusers = 1\nspawn-rate = 1\nrun-time = "1s"\nstop-timeout = 0\n'
        "wait-seconds = [0, 0]\n[profiles.x.slo]\np59-ms = 1\n"
    )

    with pytest.raises(ProfileError, match="unknown keys p59-ms"):
        load_profile("x", path)


def test_slo_reports_every_broken_threshold() -> None:
    """Each threshold a run misses is reported, with the measured figure and the limit."""
    slo = Slo(p95_ms=100, p99_ms=200, max_failure_ratio=0.01, min_rps=10)

    breaches = slo.evaluate(p95_ms=150, p99_ms=150, failure_ratio=0.02, rps=5)

    assert [str(breach) for breach in breaches] == [
        "p95 latency 150 ms > 100 ms",
        "failure ratio 0.02 > 0.01",
        "throughput 5 req/s < 10 req/s",
    ]


def test_slo_met_exactly_is_no_breach() -> None:
    """Figures equal to the limits meet them."""
    slo = Slo(p95_ms=100, p99_ms=200, max_failure_ratio=0.01, min_rps=10)

    assert slo.evaluate(p95_ms=100, p99_ms=200, failure_ratio=0.01, rps=10) == []


def test_mix_override_keeps_unnamed_weights() -> None:
    """``--mix write=50`` changes the write weight and keeps the others."""
    mix = parse_mix("write=50", Mix(read_known=80, read_unknown=10, write=10))

    assert mix.weights() == {"read-known": 80, "read-unknown": 10, "write": 50}


@pytest.mark.parametrize("text", ["delete=5", "write=-1", "read-known=0,read-unknown=0,write=0"])
def test_mix_override_refuses_nonsense(text: str) -> None:
    """Unknown actions, negative weights and an all-zero mix are refused."""
    with pytest.raises(ProfileError):
        parse_mix(text, Mix())
