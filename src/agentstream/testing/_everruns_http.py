"""HTTP plumbing of the Everruns emulator: credentials, bounded bodies, ids, errors.

Every error answers the platform's envelope and nothing more, ``{"error": {"code",
"message"}}`` (the official SDK reads exactly these two fields); the request id
travels in the ``X-Request-Id`` header instead. A body that is not JSON is a 400, one
of the wrong shape a 422, one above the size limit a 413 (read no further than the
limit). A malformed id is a 404, like an unknown one: the id names nothing.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ._http import ApiError, json_response, parse_body

__all__ = [
    "SESSION_ID",
    "agent_auth",
    "check_session_id",
    "error_response",
    "management_auth",
    "read_body",
    "read_model",
]

T = TypeVar("T")
SESSION_ID = re.compile(r"session_[0-9a-f]{32}")


def error_response(exc: ApiError, request_id: str) -> Response:
    body = {"error": {"code": exc.code, "message": exc.message}}
    return json_response(body, exc.status, {**exc.headers, "X-Request-Id": request_id})


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def management_auth(request: Request, api_key: str) -> None:
    """The management API: ``Authorization: <token>``, as the official SDK sends it, or
    ``Bearer <token>``, as the documentation's curl examples do. ``X-Org-Id`` is optional.

    Raises:
        ApiError: 401.
    """
    value = request.headers.get("Authorization", "").strip()
    scheme, _, token = value.partition(" ")
    if value != api_key and not (scheme.lower() == "bearer" and token.strip() == api_key):
        raise _unauthorized("Invalid or missing credentials; send 'Authorization: <token>'.")


def agent_auth(request: Request, credential: str) -> None:
    """The agent execution API reads only ``Authorization: Bearer <credential>``.

    Raises:
        ApiError: 401.
    """
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or token.strip() != credential:
        raise _unauthorized("Invalid or missing credentials; send 'Authorization: Bearer <key>'.")


def check_session_id(session_id: str) -> str:
    """`session_id` if it is well formed.

    Raises:
        ApiError: 404, as for an unknown session.
    """
    if not SESSION_ID.fullmatch(session_id):
        raise ApiError(404, "not_found", f"Session {session_id!r} not found.")
    return session_id


async def read_body(request: Request, limit: int) -> Any:
    """The request's JSON body; an empty body reads as ``{}``.

    Raises:
        ApiError: 413 above `limit` bytes, 400 when it is not JSON.
    """
    too_large = ApiError(413, "payload_too_large", f"The request body exceeds {limit} bytes.")
    declared = request.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    if not body.strip():
        return {}
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, "invalid_body", f"Invalid body: {exc}") from None


async def read_model(request: Request, limit: int, cls: type[T]) -> T:
    """The JSON body as `cls` (a generated request type).

    Raises:
        ApiError: 413, 400 (not JSON), 422 (not an object, or the wrong shape).
    """
    body = await read_body(request, limit)
    if not isinstance(body, dict):
        raise ApiError(422, "validation_error", "the body must be a JSON object")
    return parse_body(body, cls)
