"""What messages and stored headers may show: no secret header value, no query string,
no user info. Plain text rules, used by the exceptions (``_exceptions`` re-exports them),
the redirect rules and the log records."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

__all__ = ["SECRET_HEADERS", "public_url", "redact_headers", "scrub"]

#: Header names whose values are secrets. Compared case-insensitively.
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "x-api-key", "api-key", "cookie", "set-cookie"}
)


#: A query string inside a message: ``?`` right after a path or host character.
_QUERY = re.compile(r"(?<=[\w/.%~-])\?[^\s'\"<>()\[\]{},]+")
#: User info inside a URL in a message: ``//user:password@``.
_USERINFO = re.compile(r"(?<=//)[^\s/@'\"]+@")


def public_url(url: str) -> str:
    """`url` as messages may show it: no user:password, query string or fragment."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return url.split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1]
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def scrub(text: str) -> str:
    """`text` (an HTTP library's error message, say) with every URL's query string and
    user info replaced: a token in a query must not travel in an exception."""
    return _USERINFO.sub("", _QUERY.sub("?<redacted>", text))


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Return a copy of `headers` with every secret value replaced by ``"<redacted>"``."""
    return {
        name: ("<redacted>" if name.lower() in SECRET_HEADERS else value)
        for name, value in headers.items()
    }
