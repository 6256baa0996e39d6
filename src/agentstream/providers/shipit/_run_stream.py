"""What RunStream and AsyncRunStream (and the chat streams) share: no IO here.

A run's stream keeps the canonical events it delivered (the record: they survive a
drop), follows the server's generation (a restart makes what was streamed stale, so
the transcript starts again), and turns the ways a stream can stop early into one
StreamInterruptedError that carries the canonical events and the generation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from ..._accumulate import Accumulator
from ..._exceptions import (
    AgentStreamError,
    APIConnectionError,
    APIError,
    ReconnectExhausted,
    RunFailedError,
    StreamInterruptedError,
    UnreachableError,
)
from ..._sse import ServerSentEvent
from ..._stream import StreamCore
from ...types import common
from ._policy import ShipitResumePolicy

if TYPE_CHECKING:
    from ...types import UnknownEvent, shipit
    from ._adapter import ShipitAdapter

__all__ = ["ChatStreamParts", "RunStreamParts", "ShipitEvent", "ShipitServerError"]

#: What iterating a run's stream yields (an annotation: the generated types load with
#: the first event, not with the client).
ShipitEvent: TypeAlias = "shipit.AnyEvent | UnknownEvent"
#: What iterating a chat stream yields: chunks, and the side-band's shipit events.
ChatEvent: TypeAlias = "shipit.ChatCompletionChunk | shipit.AnyEvent | UnknownEvent"


class ShipitServerError(APIError):
    """The server failed mid-stream and said so in-band (``event: error`` on
    ``/v1/stream``, ``{"error": {"message"}}`` in a chat stream). ``message`` is its text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _server_error(event: Any) -> ShipitServerError | None:
    if getattr(event, "type", None) == "error" and isinstance(getattr(event, "error", None), str):
        return ShipitServerError(event.error)
    return None


class RunStreamParts(StreamCore[ShipitEvent]):
    """The generation, the canonical record and the end-of-stream rules of a run."""

    _policy: ShipitResumePolicy
    _adapter: ShipitAdapter
    raise_on_error: bool

    def _init_parts(self) -> None:
        self._canonical: list[Any] = []
        self._restarts = 0
        self._final_output: str | None = None

    @property
    def generation(self) -> str | None:
        """The server's stream generation, from the latest ``stream_hello``."""
        return self._policy.generation

    @property
    def last_sequence(self) -> int:
        """The sequence of the last frame delivered: where a resume starts from."""
        return self._policy.last_sequence

    @property
    def canonical_events(self) -> list[ShipitEvent]:
        """The canonical events delivered so far (the run's record, kept across drops)."""
        return list(self._canonical)

    @property
    def final_output(self) -> str | None:
        """The run's final output, from ``run_completed`` (or ``agent_result``); None
        until it arrives. After a resume it is whole even where ``.text`` is not."""
        return self._final_output

    def _handle(self, sse: ServerSentEvent) -> ShipitEvent:
        if self._policy.restarts != self._restarts:
            # A restarted server re-streams from scratch: what we folded is stale.
            self._restarts = self._policy.restarts
            self._acc = Accumulator()
            self._canonical.clear()
        event = super()._handle(sse)
        if self._adapter.durability == "canonical":
            self._canonical.append(event)
        kind = getattr(event, "type", None)
        if kind == "run_completed" and event.payload.output is not None:  # type: ignore[union-attr]
            self._completed_with(event.payload.output)  # type: ignore[union-attr]
        elif kind == "agent_result":
            self._completed_with(event.output)  # type: ignore[union-attr]
        error = _server_error(event)
        if error is not None:
            raise error
        return event

    def _completed_with(self, output: str) -> None:
        self._final_output = output
        if output and not self._acc.text:
            # An LLM that does not stream (shipit's echo LLM, most non-streaming
            # adapters) gives no text_delta: the output is the text, as shipit's own
            # chat endpoint sends it then.
            whole = common.TextDelta(platform="shipit", raw_type="run_completed", text=output)
            self._last.append(whole)
            self._acc.add(whole)

    def _interruption(self, message: str) -> StreamInterruptedError:
        return StreamInterruptedError(
            message,
            delivered=self.delivered,
            generation=self.generation,
            last_sequence=self.last_sequence,
            events=tuple(self._canonical),
        )

    def _map_error(self, exc: AgentStreamError) -> AgentStreamError:
        """A lost connection -> StreamInterruptedError once the stream had opened; before
        that, the connection error itself (the client never re-sends a run's POST)."""
        if isinstance(exc, (ShipitServerError, UnreachableError)):
            return exc
        cause = exc.last_cause if isinstance(exc, ReconnectExhausted) else exc
        lost = isinstance(exc, (ReconnectExhausted, APIConnectionError))
        if not lost:
            return exc
        if self.generation is None and not self.delivered:
            return cause if isinstance(cause, AgentStreamError) else exc
        return self._interruption(f"the shipit stream was cut ({type(cause).__name__})")

    def _check_complete(self) -> None:
        if not self.completed and not self._closed_by_user:
            raise self._interruption("the shipit stream ended before its done frame")
        errors = self._acc.snapshot().errors
        if self.raise_on_error and errors:
            raise RunFailedError(
                errors[0].message, errors=errors, text=self.text, generation=self.generation
            )


class ChatStreamParts(StreamCore[ChatEvent]):
    """A chat stream's end rules: an in-band error raises, a missing ``[DONE]`` too."""

    def _handle(self, sse: ServerSentEvent) -> ChatEvent:
        event = super()._handle(sse)
        error = _server_error(event)
        if error is not None:
            raise error
        return event
