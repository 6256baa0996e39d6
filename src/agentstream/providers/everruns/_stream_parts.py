"""What the Everruns streams of both twins share: the session, the cursor, the turn."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from ..._exceptions import RunFailedError
from ..._stream import StreamCore
from ._policy import SessionResumePolicy

if TYPE_CHECKING:
    from ...types import UnknownEvent, everruns

#: What iterating an Everruns stream yields (an annotation: the generated types load
#: with the first event, not with the client).
EverrunsEvent: TypeAlias = "everruns.AnyEvent | UnknownEvent"


class SessionStreamParts(StreamCore[EverrunsEvent]):
    """The session id, the resume cursor and the end-of-turn rules of a stream."""

    _policy: SessionResumePolicy
    _session_id: str
    raise_on_error: bool

    @property
    def session_id(self) -> str:
        """The session this stream reads."""
        return self._session_id

    @property
    def cursor(self) -> str | None:
        """The id of the last event delivered: pass it as ``since_id`` to resume later."""
        return self._policy.cursor

    @property
    def turn_id(self) -> str | None:
        """The turn this stream follows (a turn stream, once ``turn.started`` came)."""
        return self._policy.turn_id

    def _check_complete(self) -> None:
        super()._check_complete()
        errors = self._acc.snapshot().errors
        if self.raise_on_error and errors:
            raise RunFailedError(
                errors[0].message,
                errors=errors,
                text=self.text,
                session_id=self._session_id,
                turn_id=self.turn_id,
            )
