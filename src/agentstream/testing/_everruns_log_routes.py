"""The Everruns emulator's event-log endpoints: ``GET .../events`` (both APIs),
``GET .../events/summary`` and the SSE stream, with the faults a stream request takes.

``LogRoutes`` is a part of ``EverrunsEmulator``, which supplies the session lookup, the
fault plan and the stream timings it names below.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from ._everruns_events import EventQuery, agent_page, summary
from ._everruns_sessions import LiveSession
from ._everruns_stream import StreamQuery, event_frames
from ._http import json_response
from ._stream import EventStreamResponse
from .faults import FaultPlan, Faults

__all__ = ["LogRoutes"]


class LogRoutes:
    """The event list (management and agent APIs), the summary and the SSE stream."""

    cycle_interval: float
    _fault_plan: FaultPlan

    if TYPE_CHECKING:  # supplied by EverrunsEmulator (stubs here would shadow them)

        @property
        def heartbeat_interval(self) -> float:
            raise NotImplementedError

        @property
        def _stopping(self) -> asyncio.Event:
            raise NotImplementedError

        def _live(self, request: Request) -> LiveSession:
            raise NotImplementedError

        def _take_faults(self, request: Request) -> Faults | None:
            raise NotImplementedError

    async def _list_events(self, request: Request) -> Response:
        query = EventQuery.parse(request.query_params)
        return json_response(query.page(self._live(request).events))

    async def _agent_events(self, request: Request) -> Response:
        return json_response(agent_page(self._live(request).events, request.query_params))

    async def _summary(self, request: Request) -> Response:
        return json_response(summary(self._live(request).events))

    async def _sse(self, request: Request) -> Response:
        faults = self._take_faults(request)
        live = self._live(request)
        query = StreamQuery.parse(request.query_params)
        frames = event_frames(
            live,
            query,
            closing=self._stopping,
            heartbeat_interval=self.heartbeat_interval,
            cycle_interval=self.cycle_interval,
        )
        return EventStreamResponse(frames, faults=faults, closing=self._stopping)
