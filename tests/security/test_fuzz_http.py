"""Property-based fuzzing over raw HTTP, beyond what schemathesis sends from the schema.

Hypothesis writes bodies, paths and headers as bytes on a socket to a real ``hello serve``:
raw binary, invalid UTF-8, huge numbers, deep JSON, duplicate keys, wrong content types.
Every answer must be below 500, error bodies must not show internals, and whatever the
service refuses must leave Redis exactly as it was.
"""

from __future__ import annotations

import json
import re
import string
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hello.birthday import today_in
from hello.config import ApiSettings
from tests.support.leaks import internal_names
from tests.support.load import record_figures
from tests.support.logs import log_events
from tests.support.rawhttp import RawResponse, build_request, send_raw


if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.support.service import ServiceProcess

    Snapshot = Callable[[], dict[str, str]]

MAX_BODY = ApiSettings().max_body_bytes
PROBLEM = "application/problem+json"
FUZZ = settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_USERNAME = re.compile(r"[A-Za-z]{1,64}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def _not_utf8(data: bytes) -> bool:
    try:
        data.decode()
    except UnicodeDecodeError:
        return True
    return False


usernames = st.from_regex(r"[A-Za-z]{1,12}", fullmatch=True)
dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
huge_numbers = st.one_of(
    st.integers(min_value=10**18).map(str),
    st.integers(min_value=20, max_value=900).map(lambda n: "9" * n),
    st.sampled_from(["1e999999", "-1e999999", "1e-999999", "-0", "0.0e0", "NaN", "Infinity"]),
)
deep_json = st.integers(min_value=1, max_value=MAX_BODY + 64).flatmap(
    lambda depth: st.sampled_from(
        [
            "[" * depth + "]" * depth,
            "[" * depth,
            '{"a":' * depth + "1" + "}" * depth,
            '{"dateOfBirth":' + "[" * depth + "]" * depth + "}",
        ]
    )
)
plain_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
).map(json.dumps)
date_bodies = st.one_of(
    dates.map(lambda d: json.dumps({"dateOfBirth": d})),
    st.tuples(dates, dates).map(lambda ds: f'{{"dateOfBirth":"{ds[0]}","dateOfBirth":"{ds[1]}"}}'),
    huge_numbers.map(lambda n: f'{{"dateOfBirth":{n}}}'),
    st.text(max_size=30).map(lambda t: json.dumps({"dateOfBirth": t})),
)
bodies = st.one_of(
    date_bodies.map(str.encode),
    deep_json.map(str.encode),
    plain_json.map(str.encode),
    st.binary(max_size=MAX_BODY + 256),
    # invalid UTF-8 inside an otherwise well-formed body
    st.binary(min_size=1, max_size=8)
    .filter(_not_utf8)
    .map(lambda b: b'{"dateOfBirth":"' + b + b'"}'),
)
content_types = st.one_of(
    st.sampled_from(
        [
            b"application/json",
            b"application/json; charset=utf-8",
            b"application/json; charset=latin-1",
            b"application/problem+json",
            b"text/plain",
            b"application/x-www-form-urlencoded",
            b"multipart/form-data; boundary=xyz",
            b"application/xml",
            b"",
        ]
    ),
    st.binary(max_size=40).filter(lambda b: b"\r" not in b and b"\n" not in b),
)


def check_answer(response: RawResponse, sent: bytes = b"", *, may_close: bool = False) -> None:
    """Hold one answer to the rules: below 500, and no internals in an error body."""
    if response.status is None:
        assert may_close, f"no answer: {response.data[:200]!r}"
        assert response.closed, "the server neither answered nor closed the connection"
        return
    assert response.status < 500, response.data[:500]
    if response.status >= 400:
        assert internal_names(response.body, sent) == [], response.body[:500]


def check_store(
    before: dict[str, str], after: dict[str, str], status: int | None, key: str | None = None
) -> None:
    """Only an accepted PUT changes Redis: one user's key (``key`` if known), to a past date."""
    if status != 204:
        assert after == before
        return
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert len(changed) <= 1
    for changed_key in changed:
        assert changed_key == key or key is None
        assert _USERNAME.fullmatch(changed_key.removeprefix("hello:user:"))
        assert _ISO_DATE.fullmatch(after[changed_key])
        assert date.fromisoformat(after[changed_key]) < today_in(ZoneInfo("UTC"))


def assert_no_unhandled_errors(service: ServiceProcess) -> None:
    """The service logged no unhandled exception and is still alive."""
    unhandled = [e for e in log_events(service) if e.get("event") == "unhandled error"]
    assert unhandled == [], unhandled[0].get("exception", "")[-2000:]
    check_answer(send_raw(service.port, build_request(b"GET", b"/livez")))


@pytest.mark.slow
def test_any_put_body_gets_an_answer_below_500_and_refusals_store_nothing(
    service: ServiceProcess, stored: Snapshot
) -> None:
    """Bodies of every shape and content type: never a 500; refused ones change nothing."""
    statuses: Counter[str] = Counter()

    @FUZZ
    @given(username=usernames, body=bodies, content_type=content_types)
    @example(username="Deep", body=b"[" * 1000, content_type=b"application/json")
    @example(username="Deep", body=b'{"a":' * 200 + b"1" + b"}" * 200, content_type=b"text/plain")
    @example(username="Dup", body=b'{"dateOfBirth":"1990-01-01","dateOfBirth":"2999-01-01"}',
             content_type=b"application/json")  # fmt: skip
    @example(username="Huge", body=b'{"dateOfBirth":1e999999}', content_type=b"application/json")
    @example(username="Echo", body=b'{"AError": 1}', content_type=b"application/json")
    def check(username: str, body: bytes, content_type: bytes) -> None:
        before = stored()
        request = build_request(
            b"PUT", f"/hello/{username}".encode(), [(b"Content-Type", content_type)], body
        )

        response = send_raw(service.port, request)
        statuses[str(response.status)] += 1

        check_answer(response, request)
        assert response.status in (204, 400, 413), response.data[:300]
        if len(body) > MAX_BODY and response.headers["content-type"] == PROBLEM:
            assert response.status == 413  # the application saw it: too large, before all else
        check_store(before, stored(), response.status, f"hello:user:{username}")

    check()
    assert_no_unhandled_errors(service)
    record_figures("fuzz-bodies", {"requests": sum(statuses.values()), "statuses": dict(statuses)})


path_segments = st.one_of(
    usernames,
    st.text(max_size=80).map(lambda t: quote(t, safe="")),
    st.binary(max_size=40).map(lambda b: quote(b, safe="")),
    st.sampled_from(["..", ".", "", "%2e%2e", "%2F", "%00", "%ff%fe", "a" * 65, "A" * 5000]),
)
targets = st.one_of(
    st.lists(path_segments, min_size=1, max_size=4).map(lambda s: "/hello/" + "/".join(s)),
    st.lists(path_segments, max_size=4).map(lambda s: "/" + "/".join(s)),
    st.tuples(usernames, st.text(max_size=40)).map(
        lambda t: f"/hello/{t[0]}?{quote(t[1], safe='=&')}"
    ),
).map(str.encode)
raw_targets = st.binary(min_size=1, max_size=200).filter(lambda b: b"\r\n" not in b)
methods = st.one_of(
    st.sampled_from([b"GET", b"PUT", b"POST", b"DELETE", b"PATCH", b"OPTIONS", b"HEAD", b"TRACE"]),
    st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=10).map(str.encode),
)


@pytest.mark.slow
def test_any_path_and_method_gets_an_answer_below_500(
    service: ServiceProcess, stored: Snapshot
) -> None:
    """Odd paths, encodings and methods: never a 500, and nothing stored but by a valid PUT."""
    statuses: Counter[str] = Counter()

    @FUZZ
    @given(method=methods, target=st.one_of(targets, raw_targets), body=date_bodies)
    @example(method=b"GET", target=b"/hello/%ff%fe", body="{}")
    @example(method=b"PUT", target=b"/hello/Ann/../Bob", body='{"dateOfBirth":"1990-01-01"}')
    @example(method=b"GET", target=b"/hello/" + b"a" * 100_000, body="{}")
    def check(method: bytes, target: bytes, body: str) -> None:
        before = stored()
        request = build_request(
            method, target, [(b"Content-Type", b"application/json")], body.encode()
        )

        response = send_raw(service.port, request)
        statuses[str(response.status)] += 1

        check_answer(response, request, may_close=True)
        check_store(before, stored(), response.status)

    check()
    assert_no_unhandled_errors(service)
    record_figures("fuzz-paths", {"requests": sum(statuses.values()), "statuses": dict(statuses)})


header_names = st.one_of(
    st.sampled_from(
        [b"Content-Length", b"Transfer-Encoding", b"Content-Type", b"Expect", b"Host",
         b"X-Request-Id", b"Connection", b"Content-Encoding", b"Accept", b"Range"]
    ),
    st.text(alphabet=string.ascii_letters + "-_!#$%&'*+.^`|~", min_size=1, max_size=30).map(
        str.encode
    ),
    st.binary(min_size=1, max_size=20).filter(lambda b: b"\r" not in b and b"\n" not in b),
)  # fmt: skip
header_values = st.one_of(
    st.sampled_from(
        [b"-1", b"abc", b"1, 2", b"99999999999999999999", b"chunked", b"gzip", b"chunked, chunked",
         b"identity", b"100-continue", b"nonsense", b"", b"\x00", b"a" * 8000,
         b"'; DROP TABLE users; --", b"$(id)", b"${jndi:ldap://127.0.0.1/x}", b"\xff\xfe"]
    ),
    st.binary(max_size=60).filter(lambda b: b"\r" not in b and b"\n" not in b),
)  # fmt: skip


@pytest.mark.slow
def test_any_headers_get_an_answer_below_500_and_refusals_store_nothing(
    service: ServiceProcess, stored: Snapshot
) -> None:
    """Odd, contradictory or huge headers: never a 500, and only safe request ids echoed."""
    statuses: Counter[str] = Counter()

    @FUZZ
    @given(
        method=st.sampled_from([b"GET", b"PUT"]),
        headers=st.lists(st.tuples(header_names, header_values), max_size=6),
        username=usernames,
        born=dates,
    )
    @example(method=b"PUT", headers=[(b"Content-Length", b"5")], username="Ann", born="1990-01-01")
    @example(method=b"PUT", headers=[(b"Transfer-Encoding", b"chunked")], username="Ann",
             born="1990-01-01")  # fmt: skip
    @example(method=b"GET", headers=[(b"X-Request-Id", b"a\x00b")], username="Ann", born="x")
    def check(method: bytes, headers: list[tuple[bytes, bytes]], username: str, born: str) -> None:
        before = stored()
        body = json.dumps({"dateOfBirth": born}).encode() if method == b"PUT" else None
        request = build_request(method, f"/hello/{username}".encode(), headers, body)

        response = send_raw(service.port, request)
        statuses[str(response.status)] += 1

        check_answer(response, request, may_close=True)
        check_store(before, stored(), response.status, f"hello:user:{username}")
        echoed = response.headers.get("x-request-id")
        sent = [v for n, v in headers if n.lower() == b"x-request-id"]
        if (
            echoed is not None
            and sent
            and not _SAFE_REQUEST_ID.fullmatch(sent[0].decode("latin-1"))
        ):
            assert echoed.encode() != sent[0]

    check()
    assert_no_unhandled_errors(service)
    record_figures("fuzz-headers", {"requests": sum(statuses.values()), "statuses": dict(statuses)})
