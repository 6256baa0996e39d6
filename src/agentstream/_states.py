"""The stream machine's states and its transition table.

These are the machine's contract: which states a stream can be in, which inputs each
state accepts, and where each input may lead. ``_machine.py`` carries them out. They
live apart so the contract can be read (and tested) on its own, without the handlers.

States and the inputs each accepts are the table TRANSITIONS below; any other input
raises LocalProtocolError and leaves the machine unchanged.
"""

from __future__ import annotations

import enum

from ._commands import (
    Close,
    Ended,
    Fetched,
    Lost,
    Opened,
    Received,
    Restart,
    Start,
    TimedOut,
    Waited,
)

__all__ = ["TRANSITIONS", "StreamState"]


class StreamState(enum.Enum):
    #: Not started.
    IDLE = "idle"
    #: A Connect was issued; waiting for the response status.
    CONNECTING = "connecting"
    #: Reading the event stream.
    OPEN = "open"
    #: Between connections: a Wait was issued.
    WAITING = "waiting"
    #: Finished: complete, 204, or closed by the user. Nothing more will be delivered.
    CLOSED = "closed"
    #: Failed with an error. ``restart()`` may try again.
    FAILED = "failed"


S = StreamState
#: state -> input type -> the states that input may lead to.
TRANSITIONS: dict[StreamState, dict[type, frozenset[StreamState]]] = {
    S.IDLE: {Start: frozenset({S.CONNECTING}), Close: frozenset({S.CLOSED})},
    S.CONNECTING: {
        Opened: frozenset({S.CONNECTING, S.OPEN, S.WAITING, S.CLOSED, S.FAILED}),
        Lost: frozenset({S.WAITING, S.FAILED}),
        Close: frozenset({S.CLOSED}),
        Restart: frozenset({S.CONNECTING}),
    },
    S.OPEN: {
        Received: frozenset({S.OPEN, S.WAITING, S.CLOSED, S.FAILED}),
        Ended: frozenset({S.WAITING, S.CLOSED, S.FAILED}),
        Lost: frozenset({S.WAITING, S.FAILED}),
        TimedOut: frozenset({S.WAITING, S.FAILED}),
        Fetched: frozenset({S.OPEN}),
        Close: frozenset({S.CLOSED}),
        Restart: frozenset({S.CONNECTING}),
    },
    S.WAITING: {
        Waited: frozenset({S.CONNECTING}),
        Close: frozenset({S.CLOSED}),
        Restart: frozenset({S.CONNECTING}),
    },
    S.CLOSED: {Close: frozenset({S.CLOSED})},
    S.FAILED: {Close: frozenset({S.FAILED}), Restart: frozenset({S.CONNECTING})},
}
