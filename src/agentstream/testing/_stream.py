"""The ASGI response that writes an emulator's event stream, faults included.

The frames come from an async generator (the run's log, then live frames and
keep-alives); this module only decides how their bytes reach the socket: whole or in
small pieces, with LF or CRLF, with a BOM, and whether the body ends cleanly.

Dropping a connection has to look dropped to the client: the chunked body must stop
without its terminating zero-length chunk. ASGI has no "abort" message, so the writer
returns without sending the final ``more_body=False`` message; uvicorn then closes the
transport, which flushes what was written and nothing more.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Mapping
from typing import NamedTuple

import anyio
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from .faults import Faults

__all__ = ["EventStreamResponse", "Frame", "StreamAborted"]

BOM = "\ufeff".encode()


class Frame(NamedTuple):
    """One encoded SSE block; heartbeats don't count as events for the fault counters."""

    data: bytes
    heartbeat: bool = False


class StreamAborted(Exception):
    """Raised by a frame source that must stop mid-stream (the emulator is stopping)."""


class EventStreamResponse(Response):
    """A ``text/event-stream`` response fed by `frames` and broken by `faults`."""

    media_type = "text/event-stream"

    def __init__(
        self,
        frames: AsyncGenerator[Frame, None],
        *,
        faults: Faults | None,
        closing: asyncio.Event,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        # Not Response.__init__: it would render an empty body and a Content-Length.
        self.frames = frames
        self.faults = faults or Faults()
        self.closing = closing
        self.status_code = 200
        self.background = None
        self.init_headers(
            {"Cache-Control": "no-cache", "X-Accel-Buffering": "no", **(headers or {})}
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with anyio.create_task_group() as group:

                async def watch_disconnect() -> None:
                    # Writing to a gone client is a silent no-op in uvicorn, so without
                    # this a stream to nobody would run until the run ends.
                    while (await receive())["type"] != "http.disconnect":
                        pass
                    group.cancel_scope.cancel()

                group.start_soon(watch_disconnect)
                await self._write(send)
                group.cancel_scope.cancel()
        finally:
            await self.frames.aclose()

    async def _write(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        writer = _Writer(send, self.faults, self.closing)
        try:
            if not await writer.opened():
                return
            async for frame in self.frames:
                if not await writer.write(frame):
                    return
        except StreamAborted:
            return
        await send({"type": "http.response.body", "body": b"", "more_body": False})


class _Writer:
    """Applies one stream's faults; `opened` and `write` return False to drop."""

    def __init__(self, send: Send, faults: Faults, closing: asyncio.Event) -> None:
        self.send = send
        self.faults = faults
        self.closing = closing
        self.events = 0
        self.sent = 0
        self.prefix = BOM if faults.bom else b""

    async def opened(self) -> bool:
        if self.faults.drop_after_bytes == 0:
            return False
        return await self._after_event()

    async def write(self, frame: Frame) -> bool:
        data = frame.data.replace(b"\n", b"\r\n") if self.faults.crlf else frame.data
        data, self.prefix = self.prefix + data, b""
        limit = self.faults.drop_after_bytes
        if limit is not None and self.sent + len(data) >= limit:
            await self._send(data[: limit - self.sent])
            return False
        await self._send(data)
        self.sent += len(data)
        if frame.heartbeat:
            return True
        self.events += 1
        return await self._after_event()

    async def _after_event(self) -> bool:
        faults = self.faults
        if faults.drop_after_events is not None and self.events >= faults.drop_after_events:
            return False
        if faults.stall_after_events is not None and self.events >= faults.stall_after_events:
            # Silence, not even keep-alives, cut short only by the emulator stopping.
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.closing.wait(), faults.stall_seconds)
            return False
        return True

    async def _send(self, data: bytes) -> None:
        size = self.faults.split or len(data) or 1
        for start in range(0, len(data), size):
            body = data[start : start + size]
            await self.send({"type": "http.response.body", "body": body, "more_body": True})
