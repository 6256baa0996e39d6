"""The size cap of the SSE decoder (``max_event_bytes``): what it counts, and when it
looks. A base class of ``SSEDecoder``, apart because it is its own concern and runs only
off the hot path: when an incomplete line has used up its room, or the cap is crossed.

The rule, the same at any chunking: an event counts its data (joined with line feeds)
plus its incomplete last line as that line will count once complete (``line_cost``).
"""

from __future__ import annotations

from typing import Any

from ._exceptions import RemoteProtocolError

__all__ = ["LOOK", "UNLIMITED", "SizeCap", "line_cost"]

#: Stands for "no cap" in size comparisons.
UNLIMITED = float("inf")
#: The room is never more than this: when an incomplete line outgrows it, its pieces so
#: far are joined into one (see ``_spill``).
LOOK = 16 * 1024


class SizeCap:
    """The cap's bookkeeping over the decoder's state (set by ``SSEDecoder.__init__``)."""

    max_event_bytes: int | None
    _error: RemoteProtocolError | None
    _pending: list[bytes]
    _held: list[bytes]
    _held_size: int
    _limit: float
    _room: float
    _at_start: bool
    _data: list[bytes]
    _data_size: int

    def _fail(self, out: list[Any] | None) -> None:
        """Fail (or, failed already, raise again); raise now unless `out` has events that
        must be returned first."""
        if self._error is None:
            self._error = RemoteProtocolError(
                f"event larger than max_event_bytes={self.max_event_bytes} bytes"
            )
        self._room = -UNLIMITED
        self._pending, self._held, self._data = [], [], []
        self._held_size = 0
        if not out:
            raise self._error

    def _spill(self) -> None:
        """The room ran out on bytes without a line ending: fail if the event outgrew
        the cap; else join the incomplete line's pieces so far (all but the last, which
        keeps ``_pending`` non-empty) and look again LOOK bytes on. A piece costs ~40-60
        bytes of memory however short, so a line arriving in 2-byte chunks would
        otherwise hold ~30 times its size; joined every LOOK bytes it holds its size."""
        if self._error is not None:
            raise self._error
        pending = self._pending  # never empty here: feed() just added the bytes
        if len(pending) > 1:
            last = pending.pop()
            piece = pending[0] if len(pending) == 1 else b"".join(pending)
            self._held.append(piece)
            self._held_size += len(piece)
            pending[:] = [last]
        self._look(None)

    def _look(self, out: list[Any] | None) -> None:
        """The room ran out: measure the incomplete line as its event will count it once
        complete (``line_cost``), and fail if the event outgrew the cap. The room itself is
        counted from a bound, the line's raw size plus one, which no cost can exceed
        however its bytes go on (a cost can jump: "dat" counts 1, "date" 5): so the next
        look comes before the cap can be crossed, and a line that ends a chunk is always
        measured when it might be over. Never more than one byte early for a data line."""
        pending = self._pending
        size = self._held_size + sum(len(piece) for piece in pending)
        if self._limit - self._data_size - self._incomplete_cost(size) < 0:
            self._fail(out)
            return
        room = self._limit - self._data_size - size - 1
        self._room = room if room < LOOK else LOOK

    def _incomplete_cost(self, total: int) -> int:
        """What the incomplete line (`total` raw bytes) will cost, at least, once complete
        (see ``line_cost``); a BOM not yet stripped does not count."""
        pieces = [*self._held, *self._pending]
        head = b""
        for piece in pieces:  # the first bytes: enough to tell a data line
            head += piece[: 9 - len(head)]
            if len(head) >= 9:
                break
        if self._at_start:
            if head[:3] == _BOM:
                head, total = head[3:], total - 3
            elif _BOM.startswith(head):
                return 0  # part of a BOM so far: it may be all there is
        return line_cost(head, total)


_BOM = b"\xef\xbb\xbf"


def line_cost(head: bytes, size: int) -> int:
    """What a line of `size` bytes starting with `head` counts towards the cap: a data
    line its value plus one (the event's data, joined with line feeds), any other line
    its length plus one, since it is held in full until its line ending arrives. A line
    cut short counts what it will count at least, whatever comes: "dat" may yet be a data
    line (1). So a cost only grows as a line's bytes arrive, and a line fails the cap at
    the same point whether it came whole or in pieces."""
    if head[:5] == b"data:":
        return size - (6 if head[5:6] == b" " else 5) + 1
    if size < 5 and b"data:".startswith(head):
        return 1 if size else 0
    return size + 1
