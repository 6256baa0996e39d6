"""HTTP plumbing shared by the emulators: error envelopes, JSON in and out, request ids."""

from __future__ import annotations

import secrets
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, Union

import orjson
from starlette.requests import Request
from starlette.responses import Response

from .._converter import structure
from .._exceptions import EventDecodeError

__all__ = [
    "MAX_BODY_BYTES",
    "ApiError",
    "json_body",
    "json_response",
    "new_request_id",
    "parse_body",
    "read_limited",
]

T = TypeVar("T")


def new_request_id() -> str:
    return "req_" + secrets.token_hex(8)


def json_response(
    data: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(orjson.dumps(data), status, headers, media_type="application/json")


class ApiError(Exception):
    """An error answer: ``{"error": {"message", "code", "request_id", "details"?}}``.

    Raised anywhere below an endpoint; the endpoint wrapper turns it into the response.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = dict(details) if details else None
        self.headers = dict(headers or {})

    def response(self, request_id: str) -> Response:
        error: dict[str, Any] = {
            "message": self.message,
            "code": self.code,
            "request_id": request_id,
        }
        if self.details:
            error["details"] = self.details
        return json_response({"error": error}, self.status, self.headers)


#: The largest request body an emulator reads (``json_body``'s default): a real API
#: refuses far smaller bodies, and an emulator must not be made to buffer 300 MiB.
MAX_BODY_BYTES = 1024 * 1024


async def read_limited(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, read no further than `limit` bytes.

    Raises:
        ApiError: 413 above `limit` (declared by Content-Length, or as it arrives).
    """
    too_large = ApiError(413, "payload_too_large", f"The request body exceeds {limit} bytes.")
    declared = request.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


async def json_body(request: Request, limit: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """The request's JSON object, read no further than `limit` bytes.

    Raises:
        ApiError: 413 above `limit`; 422 when the body is not a JSON object.
    """
    try:
        data = orjson.loads(await read_limited(request, limit))
    except orjson.JSONDecodeError as exc:
        raise ApiError(422, "validation_error", f"the body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ApiError(422, "validation_error", "the body must be a JSON object")
    return data


def parse_body(data: dict[str, Any], cls: type[T]) -> T:
    """`data` as `cls`: a missing field or a value of the wrong JSON type is a 422.

    Unknown fields are ignored, as the platforms' own (pydantic) validation does.

    Raises:
        ApiError: 422 naming the offending field.
    """
    hints = typing.get_type_hints(cls)
    for name, value in data.items():
        if name in hints and not _accepts(hints[name], value):
            raise ApiError(422, "validation_error", f"invalid request body: bad value for {name!r}")
    try:
        result: T = structure(data, cls)
    except EventDecodeError as exc:
        raise ApiError(422, "validation_error", f"invalid request body: {exc}") from None
    return result


_SCALARS: dict[Any, tuple[type, ...]] = {
    str: (str,),
    int: (int,),
    float: (int, float),
    bool: (bool,),
}


def _accepts(tp: Any, value: Any) -> bool:
    """Whether JSON `value` fits annotation `tp` without coercion (cattrs would turn
    ``None`` into ``"None"`` for a str field, which no API does)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (Union, types.UnionType):
        return any(_accepts(arg, value) for arg in args)
    if origin is Literal:
        return value in args
    if tp is type(None):
        return value is None
    if tp in _SCALARS:
        return isinstance(value, _SCALARS[tp]) and (tp is bool or not isinstance(value, bool))
    if origin is list:
        return isinstance(value, list) and all(_accepts(args[0], item) for item in value)
    if origin is dict:
        return isinstance(value, dict) and all(_accepts(args[1], item) for item in value.values())
    return True  # Any, and shapes cattrs checks itself
