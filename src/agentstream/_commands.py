"""The vocabulary of the stream machine: the inputs a driver feeds it, the commands it
returns. Plain frozen records with no behaviour; see ``_machine.py`` for what they mean."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Union

import attrs

from ._policy import Request
from ._sse import Comment, ServerSentEvent

__all__ = [
    "Close",
    "Command",
    "Connect",
    "Ended",
    "Fail",
    "Fetch",
    "Fetched",
    "Finish",
    "Input",
    "Lost",
    "Opened",
    "Received",
    "Restart",
    "Start",
    "TimedOut",
    "Wait",
    "Waited",
]


# -- inputs ---------------------------------------------------------------------------


@attrs.frozen
class Start:
    """The user started iterating."""


@attrs.frozen
class Opened:
    """The response status and headers arrived (and, for an error status, its body)."""

    status: int
    headers: Mapping[str, str]
    body: bytes = b""


@attrs.frozen
class Received:
    """Bytes of the body arrived."""

    data: bytes


@attrs.frozen
class Ended:
    """The body ended cleanly."""


@attrs.frozen
class Lost:
    """The connection failed or broke (refused, reset, incomplete body, connect timeout)."""

    cause: BaseException


@attrs.frozen
class TimedOut:
    """No bytes arrived for ``read_timeout`` seconds."""


@attrs.frozen
class Waited:
    """A Wait command has elapsed."""


@attrs.frozen
class Fetched:
    """The answer to a Fetch command."""

    status: int
    body: bytes


@attrs.frozen
class Close:
    """The user closed the stream."""


@attrs.frozen
class Restart:
    """The user asked to drop the connection and reconnect now."""


Input = Union[  # noqa: UP007 (a runtime alias: 3.10 needs Union here)
    Start, Opened, Received, Ended, Lost, TimedOut, Waited, Fetched, Close, Restart
]

# -- commands -------------------------------------------------------------------------


@attrs.frozen
class Connect:
    request: Request


@attrs.frozen
class Wait:
    seconds: float


@attrs.frozen
class Fetch:
    """Make this extra request (a backfill) and send its answer back as Fetched."""

    request: Request


@attrs.frozen
class Finish:
    """The stream is complete."""


@attrs.frozen
class Fail:
    error: BaseException


Command = Union[  # noqa: UP007
    Connect, Wait, Fetch, Finish, Fail, ServerSentEvent, Comment
]
