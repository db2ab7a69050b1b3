"""Make the OpenAPI document say exactly what the server accepts and answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from litestar.openapi.spec import (
    Link,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Reference,
    Schema,
)

from hello.problems import PROBLEM_MEDIA_TYPE
from hello.routes.hello import GREETING_ROUTE


if TYPE_CHECKING:
    from litestar import Litestar
    from litestar.openapi.spec import Operation

__all__ = ("describe_errors",)

_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_GREETING_PATTERN = (
    r"^Hello, [A-Za-z]{1,64}! (Happy birthday!|Your birthday is in [1-9][0-9]{0,2} day\(s\))$"
)

_PROBLEM = Schema(
    type=OpenAPIType.OBJECT,
    title="Problem",
    description="RFC 9457 problem details.",
    required=["type", "title", "status", "detail"],
    additional_properties=False,
    properties={
        "type": Schema(type=OpenAPIType.STRING),
        "title": Schema(type=OpenAPIType.STRING),
        "status": Schema(type=OpenAPIType.INTEGER, minimum=400, maximum=599),
        "detail": Schema(type=OpenAPIType.STRING),
        "errors": Schema(
            type=OpenAPIType.ARRAY,
            description="For 400: every input at fault, by field name.",
            items=Schema(
                type=OpenAPIType.OBJECT,
                required=["field", "message"],
                additional_properties=False,
                properties={
                    "field": Schema(type=OpenAPIType.STRING),
                    "message": Schema(type=OpenAPIType.STRING),
                },
            ),
        ),
    },
)


def _problem(description: str, *, retry_after: bool = False) -> OpenAPIResponse:
    headers: dict[str, OpenAPIHeader | Reference] | None = None
    if retry_after:
        headers = {
            "Retry-After": OpenAPIHeader(
                schema=Schema(type=OpenAPIType.STRING),
                description="Seconds to wait before trying again.",
            )
        }
    return OpenAPIResponse(
        description=description,
        headers=headers,
        content={
            PROBLEM_MEDIA_TYPE: OpenAPIMediaType(
                schema=Reference(ref="#/components/schemas/Problem")
            )
        },
    )


def _set_errors(operation: Operation | None, statuses: dict[str, OpenAPIResponse]) -> None:
    if operation is None or operation.responses is None:
        raise RuntimeError(f"{GREETING_ROUTE} lost an operation; update hello.openapi")
    operation.responses.update(statuses)


def describe_errors(app: Litestar) -> None:
    """Add the rules Litestar cannot infer: error bodies, patterns, links, strictness.

    Call once, before the first request renders the document.
    """
    schema = app.openapi_schema
    if schema.components.schemas is None or schema.paths is None:
        raise RuntimeError("the OpenAPI document has no schemas; update hello.openapi")
    components = schema.components.schemas
    components["Problem"] = _PROBLEM

    birthday = components["Birthday"]
    birthday.additional_properties = False
    birthday.description = "A date of birth."
    date_of_birth = birthday.properties["dateOfBirth"] if birthday.properties else None
    if isinstance(date_of_birth, Schema):
        date_of_birth.pattern = _DATE_PATTERN
        date_of_birth.description = (
            "A calendar date, YYYY-MM-DD, strictly before today in the service's time zone."
        )

    greeting = components["Greeting"]
    greeting.additional_properties = False
    message = greeting.properties["message"] if greeting.properties else None
    if isinstance(message, Schema):
        message.pattern = _GREETING_PATTERN

    invalid = _problem("The username, the date or the body breaks a rule; `errors` names it.")
    unavailable = _problem("The data store did not answer; try again.", retry_after=True)
    path = schema.paths[GREETING_ROUTE]
    _set_errors(
        path.get,
        {
            "400": invalid,
            "404": _problem("No date of birth is saved for this user."),
            "503": unavailable,
        },
    )
    _set_errors(
        path.put,
        {
            "400": invalid,
            "413": _problem("The body is larger than the limit (1 KiB by default)."),
            "503": unavailable,
        },
    )
    if path.put and path.put.responses:
        saved = path.put.responses["204"]
        if isinstance(saved, OpenAPIResponse):
            saved.description = "Saved."
            saved.links = {
                "GetGreeting": Link(
                    operation_id="getGreeting",
                    parameters={"username": "$request.path.username"},
                    description="Greet the user whose date of birth was just saved.",
                )
            }
