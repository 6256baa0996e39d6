"""What the sync and async shipit clients share: configuration, request bodies, and the
decoding of the JSON answers (the generated types load with the first answer, not with
the client, so ``from agentstream import Shipit`` stays cheap)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..._config import base_url_hint, check_base_url

if TYPE_CHECKING:
    from ...types import shipit

__all__ = [
    "DEFAULT_BASE_URL",
    "URL_HINT",
    "as_completion",
    "as_health",
    "auth_headers",
    "chat_body",
    "resolve",
    "stream_body",
]

#: Where ``AgentServer.serve_forever()`` listens by default.
DEFAULT_BASE_URL = "http://127.0.0.1:8399"
#: What an UnreachableError says about where the URL comes from.
URL_HINT = base_url_hint("base_url=", "SHIPIT_BASE_URL")


def resolve(api_key: str | None, base_url: str | None) -> tuple[str | None, str]:
    """Arguments first, then ``SHIPIT_API_KEY`` / ``SHIPIT_BASE_URL``, then the default URL.

    The key is optional: an AgentServer started without one accepts every request.

    Raises:
        ConfigError: a base URL without its scheme or host.
    """
    key = api_key or os.environ.get("SHIPIT_API_KEY") or None
    url = base_url or os.environ.get("SHIPIT_BASE_URL") or DEFAULT_BASE_URL
    return key, check_base_url(url, "SHIPIT_BASE_URL")


def auth_headers(api_key: str | None) -> dict[str, str]:
    """``Authorization: Bearer <key>`` when there is a key (``/health`` ignores it)."""
    headers = {"Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    return headers


def stream_body(prompt: str) -> dict[str, Any]:
    """The body of ``POST /v1/stream``.

    Raises:
        ValueError: the prompt is empty (the server would answer 400 anyway).
    """
    if not prompt:
        raise ValueError("prompt must not be empty")
    return {"prompt": prompt}


def chat_body(
    messages: Iterable[Mapping[str, Any]], stream: bool, model: str | None
) -> dict[str, Any]:
    """The body of ``POST /v1/chat/completions`` (AgentServer runs the last user message)."""
    body: dict[str, Any] = {"messages": [dict(m) for m in messages], "stream": stream}
    if model is not None:
        body["model"] = model
    return body


def _structure(data: Any, name: str) -> Any:
    from ..._converter import structure
    from ...types import shipit

    return structure(data, getattr(shipit, name))


def as_health(data: Any) -> shipit.Health:
    """A ``GET /health`` answer, decoded."""
    health: shipit.Health = _structure(data, "Health")
    return health


def as_completion(data: Any) -> shipit.ChatCompletion:
    """A non-streamed chat completion, decoded."""
    completion: shipit.ChatCompletion = _structure(data, "ChatCompletion")
    return completion
