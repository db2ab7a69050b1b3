"""The birthday API over HTTP, in process, over the embedded store and Redis."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest


if TYPE_CHECKING:
    from litestar import Litestar
    from litestar.testing import TestClient

    Client = TestClient[Litestar]


def put(client: Client, username: str, body: Any) -> Any:
    return client.put(f"/hello/{username}", json=body)


@pytest.mark.parametrize(
    ("born", "message"),
    [
        ("1990-12-05", "Hello, Alice! Your birthday is in 1 day(s)"),
        ("1990-12-04", "Hello, Alice! Happy birthday!"),
        ("1990-12-03", "Hello, Alice! Your birthday is in 364 day(s)"),
        ("2000-02-29", "Hello, Alice! Your birthday is in 86 day(s)"),
        ("2026-12-03", "Hello, Alice! Your birthday is in 364 day(s)"),
    ],
)
def test_put_then_get_greets_by_next_birthday(client: Client, born: str, message: str) -> None:
    """A saved date of birth gives the exact greeting, counted from today."""
    saved = put(client, "Alice", {"dateOfBirth": born})
    greeted = client.get("/hello/Alice")

    assert saved.status_code == 204
    assert saved.content == b""
    assert greeted.status_code == 200
    assert greeted.headers["content-type"] == "application/json"
    assert greeted.json() == {"message": message}


def test_put_overwrites(client: Client) -> None:
    """A second PUT replaces the first date."""
    put(client, "Bob", {"dateOfBirth": "1980-01-01"})
    put(client, "Bob", {"dateOfBirth": "1980-12-06"})

    assert client.get("/hello/Bob").json() == {
        "message": "Hello, Bob! Your birthday is in 2 day(s)"
    }


def test_usernames_are_case_sensitive(client: Client) -> None:
    """Alice and alice are two users, each echoed as given."""
    put(client, "Alice", {"dateOfBirth": "1990-12-05"})

    assert client.get("/hello/alice").status_code == 404
    assert client.get("/hello/Alice").json()["message"].startswith("Hello, Alice!")


def test_unknown_user_is_404_problem(client: Client) -> None:
    """A user with no saved date gets 404 with a problem body."""
    answer = client.get("/hello/Nobody")

    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["status"] == 404


@pytest.mark.parametrize(
    ("username", "body", "field"),
    [
        ("Carol", {"dateOfBirth": "2026-12-04"}, "dateOfBirth"),  # today
        ("Carol", {"dateOfBirth": "2027-01-01"}, "dateOfBirth"),  # future
        ("Carol", {"dateOfBirth": "1990-02-30"}, "dateOfBirth"),  # no such day
        ("Carol", {"dateOfBirth": "1990-2-3"}, "dateOfBirth"),
        ("Carol", {"dateOfBirth": "1990-02-03T00:00:00"}, "dateOfBirth"),
        ("Carol", {"dateOfBirth": 19900203}, "dateOfBirth"),
        ("Carol", {"dateOfBirth": None}, "dateOfBirth"),
        ("Carol", {}, "body"),
        ("Carol", [], "body"),
        ("Carol", "1990-02-03", "body"),
        ("Carol", {"dateOfBirth": "1990-02-03", "extra": 1}, "body"),
        ("Car0l", {"dateOfBirth": "1990-02-03"}, "username"),
        ("Ca_rol", {"dateOfBirth": "1990-02-03"}, "username"),
        ("Zoë", {"dateOfBirth": "1990-02-03"}, "username"),
        ("a" * 65, {"dateOfBirth": "1990-02-03"}, "username"),
        ("Carol%0A", {"dateOfBirth": "1990-02-03"}, "username"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_saves_nothing(
    client: Client, username: str, body: Any, field: str
) -> None:
    """Invalid input gets 400 problem details naming the field, and changes nothing."""
    answer = put(client, username, body)

    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 400
    assert [error["field"] for error in problem["errors"]] == [field]
    assert "Traceback" not in answer.text
    assert client.get("/hello/Carol").status_code == 404


@pytest.mark.parametrize(
    "raw", [b"", b"{", b"\xff\xfe\x00", b'{"dateOfBirth": "1990-01-01"', b"null", b"1e999999"]
)
def test_unparsable_body_is_400(client: Client, raw: bytes) -> None:
    """A body that is not a JSON object gets 400 naming the body."""
    answer = client.put("/hello/Dave", content=raw, headers={"content-type": "application/json"})

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "body"
    assert client.get("/hello/Dave").status_code == 404


def test_oversized_body_is_413(client: Client) -> None:
    """A body over the limit gets 413 and saves nothing."""
    body = b'{"dateOfBirth": "1990-01-01", "pad": "' + b"x" * 2048 + b'"}'

    answer = client.put("/hello/Erin", content=body, headers={"content-type": "application/json"})

    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"
    assert client.get("/hello/Erin").status_code == 404


def test_invalid_username_on_get_is_400(client: Client) -> None:
    """GET with a username that breaks the rule gets 400, not 404."""
    answer = client.get("/hello/al1ce")

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "username"


@pytest.mark.parametrize(("method", "path"), [("DELETE", "/hello/Alice"), ("POST", "/livez")])
def test_unsupported_method_is_405_problem(client: Client, method: str, path: str) -> None:
    """A method the route does not serve gets 405 with a problem body."""
    answer = client.request(method, path)

    assert answer.status_code == 405
    assert answer.headers["content-type"] == "application/problem+json"


def test_unknown_path_is_404_problem(client: Client) -> None:
    """A path no route serves gets 404 with a problem body."""
    answer = client.get("/nowhere")

    assert answer.status_code == 404
    assert answer.json()["title"] == "Not found"


def test_request_id_is_echoed_or_made(client: Client) -> None:
    """A safe caller request id is echoed; otherwise the server makes one."""
    echoed = client.get("/livez", headers={"x-request-id": "abc-123"})
    made = client.get("/livez", headers={"x-request-id": "bad id\twith spaces"})

    assert echoed.headers["x-request-id"] == "abc-123"
    assert len(made.headers["x-request-id"]) == 32
