"""Schemathesis checks for the birthday rules that OpenAPI cannot express.

``dateOfBirth`` must be strictly before today in the service's time zone. JSON Schema has no
"before today", so the schema says only ``format: date``; this module checks the rule itself.
Schemathesis loads it through ``hooks`` in ``contract/schemathesis.toml``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import schemathesis


if TYPE_CHECKING:
    from schemathesis import Case, CheckContext, Response

__all__ = ("birth_date_rule",)

# The service counts in HELLO_TIME_ZONE, unknown to the client; "today" there is within a day
# of the UTC date, so dates that close to it may go either way and are not judged.
ZONE_SLACK = dt.timedelta(days=1)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_USERNAME = re.compile(r"[A-Za-z]{1,64}")


def _valid_date(raw: Any) -> dt.date | None:
    if not isinstance(raw, str) or not _ISO_DATE.fullmatch(raw):
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def _date_of_a_well_formed_put(case: Case[Any]) -> dt.date | None:
    """Return the date of a PUT that breaks no rule but, possibly, the date one; else None."""
    username = (case.path_parameters or {}).get("username")
    media_type = (case.media_type or "application/json").split(";")[0].strip()
    body = case.body
    if (
        case.method.upper() != "PUT"
        or not isinstance(username, str)
        or _USERNAME.fullmatch(username) is None
        or not isinstance(body, dict)
        or set(body) != {"dateOfBirth"}
        or media_type != "application/json"
    ):
        return None
    return _valid_date(body["dateOfBirth"])


def _names_field(response: Response, field: str) -> bool:
    try:
        errors = response.json().get("errors", [])
    except (ValueError, AttributeError):
        return False
    return any(isinstance(error, dict) and error.get("field") == field for error in errors)


@schemathesis.check
def birth_date_rule(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A well-formed PUT saves a past date (204) and refuses a future one (400 on the field)."""
    del ctx
    born = _date_of_a_well_formed_put(case)
    if born is None or response.status_code >= 500 or response.status_code == 413:
        return None  # other checks judge these
    today = dt.datetime.now(dt.UTC).date()
    if born < today - ZONE_SLACK and response.status_code != 204:
        raise AssertionError(
            f"A date of birth in the past ({born}) must be saved with 204, "
            f"got {response.status_code}"
        )
    if born > today + ZONE_SLACK:
        if response.status_code != 400:
            raise AssertionError(
                f"A date of birth after today ({born}) must be refused with 400, "
                f"got {response.status_code}"
            )
        if not _names_field(response, "dateOfBirth"):
            raise AssertionError("The 400 for a future date must name the field dateOfBirth")
    return None
