"""HTTP plumbing for the Managed Agents emulator: Anthropic's error shape, the headers
every request must carry, bounded bodies, and the query encodings the SDK uses.

The platform answers errors as ``{"type": "error", "error": {"type", "message"},
"request_id"}`` with a ``request-id`` header; the anthropic SDK picks its exception
class from the status code alone (400 BadRequest, 401 Authentication, 403
PermissionDenied, 404 NotFound, 409 Conflict, 413 ContentTooLarge, 422
UnprocessableEntity, 429 RateLimit, 5xx InternalServer), so the status is what must be
right; the ``error.type`` names follow the platform's documented error types.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, TypeVar

import orjson
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from .._converter import structure
from .._exceptions import EventDecodeError
from ._http import ApiError as _LooseApiError
from ._http import json_response, parse_body

__all__ = [
    "BETA",
    "MaError",
    "check_headers",
    "new_request_id",
    "query_list",
    "query_time",
    "read_json",
    "validate",
]

T = TypeVar("T")

#: The beta every Managed Agents request must name in ``anthropic-beta``.
BETA = "managed-agents-2026-04-01"

#: The platform's ``error.type`` for each status the emulator answers.
ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    409: "invalid_request_error",
    413: "request_too_large",
    422: "invalid_request_error",
    429: "rate_limit_error",
    500: "api_error",
    502: "api_error",
    503: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}


def new_request_id() -> str:
    return "req_011C" + secrets.token_urlsafe(18).replace("-", "x").replace("_", "y")[:20]


class MaError(Exception):
    """An error answer in the platform's shape; raised below an endpoint, rendered by it."""

    def __init__(
        self, status: int, message: str, *, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})

    @property
    def error_type(self) -> str:
        return ERROR_TYPES.get(self.status, "api_error" if self.status >= 500 else "error")

    def response(self, request_id: str) -> Response:
        body = {
            "type": "error",
            "error": {"type": self.error_type, "message": self.message},
            "request_id": request_id,
        }
        return json_response(body, self.status, {**self.headers, "request-id": request_id})


def check_headers(request: Request, api_key: str) -> None:
    """Authenticate the request and check its version and beta headers.

    The SDK sends ``x-api-key``; a bearer token (what the SDK's session tool runner
    sends with an environment key) is accepted as well.

    Raises:
        MaError: 401 for a missing or wrong key; 400 for a missing version or beta.
    """
    key = request.headers.get("x-api-key")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if key is None and scheme.lower() == "bearer":
        key = token.strip()
    if key is None:
        raise MaError(401, "x-api-key header is required")
    if not secrets.compare_digest(key.encode(), api_key.encode()):
        raise MaError(401, "invalid x-api-key")
    if not request.headers.get("anthropic-version"):
        raise MaError(400, "anthropic-version: header is required")
    betas = {b.strip() for b in request.headers.get("anthropic-beta", "").split(",")}
    if BETA not in betas:
        raise MaError(
            400,
            f"The Managed Agents API is in beta: add '{BETA}' to the anthropic-beta header "
            f"(anthropic-beta: {BETA}).",
        )


async def read_json(request: Request, limit: int) -> dict[str, Any]:
    """The request's JSON object, read without ever holding more than `limit` bytes.

    Raises:
        MaError: 413 past `limit`; 400 when the body is not a JSON object.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise _too_large(limit)
    except ClientDisconnect:
        raise MaError(400, "the request body ended early") from None
    try:
        data = orjson.loads(body) if body else None
    except orjson.JSONDecodeError as exc:
        raise MaError(400, f"the request body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise MaError(400, "the request body must be a JSON object")
    return data


def _too_large(limit: int) -> MaError:
    return MaError(413, f"Request exceeds the maximum allowed size of {limit} bytes.")


def validate(data: dict[str, Any], cls: type[T], what: str = "body") -> T:
    """`data` as `cls`, strictly: wrong JSON types and unknown fields are a 400, as the
    platform's validation rejects them ("Extra inputs are not permitted").

    Raises:
        MaError: 400 naming the offending field.
    """
    try:
        parse_body(data, cls)  # JSON types checked without cattrs' coercion
        result: T = structure(data, cls, strict=True)
    except _LooseApiError as exc:
        raise MaError(400, exc.message.replace("request body", what)) from None
    except EventDecodeError as exc:
        raise MaError(400, f"invalid {what}: {exc}") from None
    return result


def query_list(request: Request, name: str) -> list[str]:
    """A query array, bracket style as the SDK sends it (``types[]=a&types[]=b``);
    repeated plain names are taken too."""
    params = request.query_params
    return [*params.getlist(name + "[]"), *params.getlist(name)]


def query_time(raw: str, name: str) -> str:
    """A timestamp filter as the canonical text stored timestamps compare against.

    Raises:
        MaError: 400 when `raw` is not an RFC 3339 timestamp.
    """
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise MaError(400, f"{name}: invalid datetime {raw!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def query_int(request: Request, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high].

    Raises:
        MaError: 400 when it is not an integer in range.
    """
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise MaError(400, f"{name}: must be an integer") from None
    if not low <= value <= high:
        raise MaError(400, f"{name}: must be between {low} and {high}")
    return value


def query_order(request: Request, default: str) -> str:
    order = request.query_params.get("order", default)
    if order not in ("asc", "desc"):
        raise MaError(400, "order: must be 'asc' or 'desc'")
    return order
