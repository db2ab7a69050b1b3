"""RFC 9457 problem details: every error the service answers, as one JSON shape."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec
import structlog
from litestar import Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_404_NOT_FOUND,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from hello.store import StoreUnavailableError


if TYPE_CHECKING:
    from litestar import Request
    from litestar.types import ExceptionHandlersMap

    from hello.metrics import Metrics

__all__ = (
    "PROBLEM_MEDIA_TYPE",
    "STORE_UNAVAILABLE_DETAIL",
    "STORE_UNAVAILABLE_HEADERS",
    "UNEXPECTED_DETAIL",
    "FieldError",
    "InvalidFieldError",
    "Problem",
    "UserNotFoundError",
    "body_exception_handlers",
    "encode_problem",
    "exception_handlers",
    "record_store_failure",
    "record_unexpected",
)

PROBLEM_MEDIA_TYPE = "application/problem+json"

_TITLES = {
    400: "Invalid request",
    404: "Not found",
    405: "Method not allowed",
    413: "Request body too large",
    415: "Unsupported media type",
    500: "Internal server error",
    503: "Service unavailable",
}

STORE_UNAVAILABLE_DETAIL = "The data store did not answer; try again shortly."
UNEXPECTED_DETAIL = "The server could not answer."
STORE_UNAVAILABLE_HEADERS = {"Retry-After": "1"}

log = structlog.get_logger("hello")
_encoder = msgspec.json.Encoder()


class FieldError(msgspec.Struct, kw_only=True):
    """One input at fault."""

    field: str
    """Where the bad value is: ``username`` (path), ``dateOfBirth`` or ``body``."""
    message: str
    """What is wrong with it, for a human."""


class Problem(msgspec.Struct, kw_only=True, omit_defaults=True):
    """An RFC 9457 problem details object."""

    type: str
    """A URI naming the kind of problem; ``about:blank`` means the status says it all."""
    title: str
    """A short summary of the kind of problem."""
    status: int
    """The HTTP status code."""
    detail: str
    """What went wrong with this request."""
    errors: list[FieldError] = msgspec.field(default_factory=list)
    """For 400: every input at fault."""


class InvalidFieldError(HTTPException):
    """A request input breaks a rule of the API."""

    status_code = HTTP_400_BAD_REQUEST

    def __init__(self, field: str, message: str) -> None:
        super().__init__(detail=f"{field}: {message}")
        self.field = field
        self.message = message


class UserNotFoundError(HTTPException):
    """No date of birth is saved for the user."""

    status_code = HTTP_404_NOT_FOUND

    @classmethod
    def for_user(cls, username: str) -> UserNotFoundError:
        """Return the error for ``username``, with the detail every 404 of the API carries."""
        return cls(detail=f"No date of birth is saved for {username}.")


def encode_problem(status: int, detail: str, errors: list[FieldError] | None = None) -> bytes:
    """Return the JSON body of a problem answer with ``status``."""
    problem = Problem(
        type="about:blank",
        title=_TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        errors=errors or [],
    )
    return _encoder.encode(problem)


def record_unexpected(exc: BaseException) -> None:
    """Log an error no handler expected, with its traceback, for operators only."""
    log.error("unhandled error", error_type=type(exc).__name__, exc_info=exc)


def record_store_failure(exc: StoreUnavailableError, metrics: Metrics) -> None:
    """Log a failed store call and count it."""
    log.warning("store unavailable", operation=exc.operation, error=exc.reason)
    metrics.store_errors.labels(exc.operation).inc()


def _problem_response(
    status: int,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[bytes]:
    body = encode_problem(status, detail, errors)
    return Response(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _field_of(item: dict[str, Any]) -> FieldError:
    """Name the field of one Litestar validation error, without Python internals."""
    key = item.get("key")
    message = str(item.get("message", "invalid value"))
    if key in (None, "data"):  # the body as a whole
        if message == "'data'":  # Litestar's wording for a missing body
            message = "a JSON object with dateOfBirth is required"
        return FieldError(field="body", message=message)
    return FieldError(field=str(key), message=message)


def _on_validation(_: Request[Any, Any, Any], exc: ValidationException) -> Response[bytes]:
    items = exc.extra if isinstance(exc.extra, list) else []
    errors = [_field_of(item) for item in items if isinstance(item, dict)]
    if not errors:
        errors = [FieldError(field="body", message="the request body is not valid JSON")]
    detail = "; ".join(f"{error.field}: {error.message}" for error in errors)
    return _problem_response(HTTP_400_BAD_REQUEST, detail, errors)


def _on_invalid_field(_: Request[Any, Any, Any], exc: InvalidFieldError) -> Response[bytes]:
    error = FieldError(field=exc.field, message=exc.message)
    return _problem_response(HTTP_400_BAD_REQUEST, exc.detail, [error])


def _on_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    if exc.status_code >= HTTP_500_INTERNAL_SERVER_ERROR:
        return _on_unexpected(request, exc)
    # The only other 400 Litestar raises is a body that is not JSON at all.
    errors = [FieldError(field="body", message=exc.detail)] if exc.status_code == 400 else None
    headers = dict(exc.headers or {})
    return _problem_response(exc.status_code, exc.detail, errors, headers=headers or None)


def _on_store_unavailable(
    request: Request[Any, Any, Any], exc: StoreUnavailableError
) -> Response[bytes]:
    record_store_failure(exc, request.app.state.services.metrics)
    return _problem_response(
        HTTP_503_SERVICE_UNAVAILABLE, STORE_UNAVAILABLE_DETAIL, headers=STORE_UNAVAILABLE_HEADERS
    )


def _on_too_deep(_: Request[Any, Any, Any], __: RecursionError) -> Response[bytes]:
    # Litestar decodes a body into plain objects before checking its type; past about a
    # thousand levels of nesting msgspec raises RecursionError rather than a decode error.
    error = FieldError(field="body", message="the JSON is nested too deeply")
    return _problem_response(HTTP_400_BAD_REQUEST, f"body: {error.message}", [error])


def _on_unexpected(_: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    record_unexpected(exc)
    return _problem_response(HTTP_500_INTERNAL_SERVER_ERROR, UNEXPECTED_DETAIL)


def body_exception_handlers() -> ExceptionHandlersMap:
    """Return the extra handlers of routes that decode a JSON body."""
    return {RecursionError: _on_too_deep}


def exception_handlers() -> ExceptionHandlersMap:
    """Return the handlers that turn every exception into a problem details answer."""
    return {
        ValidationException: _on_validation,
        InvalidFieldError: _on_invalid_field,
        StoreUnavailableError: _on_store_unavailable,
        HTTPException: _on_http,
        Exception: _on_unexpected,
    }
