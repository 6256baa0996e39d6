"""The body of an HTTP/1.1 response, framed as its headers say, without IO (sans-IO).

Why we frame bodies ourselves: an event stream arrives as one small HTTP chunk per event,
and the HTTP libraries hand every chunk up their whole stack separately (httpcore → h11
for httpx, http.client for requests), which costs more than parsing the event. The
drivers read the socket themselves once the response head is in (``_httpx_io`` and
``_requests_io`` say when they may), and this turns whatever one read returned into the
body bytes it carries: every chunk in it, joined, in one piece, with nothing held back
(a chunk's payload is passed on as soon as its bytes arrive, however long the chunk).

Three framings, as RFC 9112 §6 gives them: ``Transfer-Encoding: chunked``, a
``Content-Length``, or the body running until the connection closes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ._exceptions import RemoteProtocolError

__all__ = ["READ_SIZE", "BodyFramer", "framer_for"]

# Bytes asked of the socket per read: a read returns what has arrived, up to this.
READ_SIZE = 64 * 1024

# A chunk-size line (size, extensions) or a trailer line longer than this is refused: it
# is not something a server sends, and it would otherwise be held without bound.
MAX_LINE = 4096

_SIZE, _DATA, _DATA_END, _TRAILER, _DONE = range(5)
_HEX = frozenset(b"0123456789abcdefABCDEF")


class BodyFramer:
    """Feed what the socket gave; get back the body bytes in it.

    ``done`` turns true when the body is complete (the last chunk and its trailers, or
    ``Content-Length`` bytes); bytes after that are not body and are ignored. ``eof()``
    says whether the connection closing now ends the body cleanly.
    """

    __slots__ = ("_buffer", "_chunked", "_left", "_state")

    def __init__(self, *, chunked: bool, length: int | None) -> None:
        self._chunked = chunked
        self._buffer = b""  # an incomplete size/trailer line, or a partial chunk end
        self._state = _SIZE if chunked else _DATA
        # Bytes of the current chunk (or of the whole body) still to come; -1: no end.
        self._left = 0 if chunked else (-1 if length is None else length)
        if not chunked and length == 0:
            self._state = _DONE

    @property
    def done(self) -> bool:
        return self._state == _DONE

    def eof(self) -> bool:
        """True if the body may end here: complete, or delimited by the close."""
        return self._state == _DONE or (not self._chunked and self._left < 0)

    def feed(self, data: bytes) -> bytes:
        """The body bytes in `data`.

        Raises:
            RemoteProtocolError: the chunked framing is broken.
        """
        if not self._chunked:
            return self._plain(data)
        if self._buffer:
            data, self._buffer = self._buffer + data, b""
        elif self._state == _SIZE and data.endswith(b"\r\n"):
            # A read that is exactly one whole chunk: what a stream that keeps up gets
            # for every event. Taken here without a loop or a call.
            cut = data.find(b"\r\n")
            if 0 < cut <= 16 and data[:cut].isalnum() and data[1:2] not in (b"x", b"X"):
                try:
                    size = int(data[:cut], 16)
                except ValueError:
                    size = 0
                if size and cut + 4 + size == len(data):
                    return data[cut + 2 : cut + 2 + size]
        pieces: list[bytes] = []
        pos, end = 0, len(data)
        append = pieces.append
        while pos < end:
            state = self._state
            if state == _SIZE:
                pos = self._whole_chunks(data, pos, append)
                if pos < end:
                    pos = self._size_line(data, pos)
            elif state == _DATA:
                take = min(self._left, end - pos)
                append(data[pos : pos + take])
                pos += take
                self._left -= take
                if self._left == 0:
                    self._state = _DATA_END
            elif state == _DATA_END:
                pos = self._data_end(data, pos)
            elif state == _TRAILER:
                pos = self._trailer_line(data, pos)
            else:  # _DONE: what follows is not body
                break
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    @staticmethod
    def _whole_chunks(data: bytes, pos: int, append: Callable[[bytes], None]) -> int:
        """The common case, in a loop of its own: whole chunks (a size line of hex
        digits only, the data, CRLF), each found with one ``find`` and taken with one
        slice. Where the next chunk is not whole, is the last, or has a size line of any
        other form (extensions, spaces, a bare LF), the general path takes over."""
        find = data.find
        while (cut := find(b"\r\n", pos)) > pos:
            line = data[pos:cut]
            # isalnum() and int(..., 16) together accept hex digits and a "0x" prefix;
            # the prefix is not HTTP, so a second byte x/X goes the general way.
            if cut - pos > 16 or not line.isalnum() or line[1:2] in (b"x", b"X"):
                break
            try:
                size = int(line, 16)
            except ValueError:
                break
            start = cut + 2
            stop = start + size
            if not size or not data.startswith(b"\r\n", stop):
                break
            append(data[start:stop])
            pos = stop + 2
        return pos

    def _plain(self, data: bytes) -> bytes:
        if self._state == _DONE:
            return b""
        if self._left < 0:
            return data
        if len(data) >= self._left:
            data, self._left, self._state = data[: self._left], 0, _DONE
        else:
            self._left -= len(data)
        return data

    def _line(self, data: bytes, pos: int) -> tuple[bytes | None, int]:
        """The line starting at `pos` (without its CRLF) and where the next begins; None
        and the end of `data` if the line is not complete (its start is kept)."""
        cut = data.find(b"\n", pos)
        if cut < 0:
            if len(data) - pos > MAX_LINE:
                raise RemoteProtocolError("a chunk-size or trailer line is too long")
            self._buffer = data[pos:]
            return None, len(data)
        if cut - pos > MAX_LINE:
            raise RemoteProtocolError("a chunk-size or trailer line is too long")
        line = data[pos:cut]
        return (line[:-1] if line.endswith(b"\r") else line), cut + 1

    def _size_line(self, data: bytes, pos: int) -> int:
        line, pos = self._line(data, pos)
        if line is None:
            return pos
        digits = line.split(b";", 1)[0].strip(b" \t")
        if not digits or not _HEX.issuperset(digits) or len(digits) > 16:
            raise RemoteProtocolError(f"bad chunk size line {line[:40]!r}")
        size = int(digits, 16)
        self._left = size
        self._state = _DATA if size else _TRAILER
        return pos

    def _data_end(self, data: bytes, pos: int) -> int:
        """The CRLF that closes a chunk's data (a bare LF is tolerated, as h11 does)."""
        rest = data[pos : pos + 2]
        if rest == b"\r\n" or rest[:1] == b"\n":
            self._state = _SIZE
            return pos + (2 if rest == b"\r\n" else 1)
        if rest == b"\r":  # the LF is in the next read
            self._buffer = rest
            return pos + 1
        raise RemoteProtocolError("a chunk's data is not followed by CRLF")

    def _trailer_line(self, data: bytes, pos: int) -> int:
        line, pos = self._line(data, pos)
        if line is not None and not line:  # the empty line that ends the trailers
            self._state = _DONE
        return pos


def framer_for(headers: Mapping[str, str]) -> BodyFramer | None:
    """The framer for a response with these (lower-cased) headers, or None when the body
    is encoded (gzip and the like: the HTTP library must decode it) or its framing is
    not one we read (a transfer coding other than chunked)."""
    coding = headers.get("content-encoding", "identity").strip().lower()
    if coding not in ("", "identity"):
        return None
    transfer = headers.get("transfer-encoding", "").strip().lower()
    if transfer:
        return BodyFramer(chunked=True, length=None) if transfer == "chunked" else None
    length = headers.get("content-length")
    if length is None:
        return BodyFramer(chunked=False, length=None)
    if not length.strip().isdigit():
        return None
    return BodyFramer(chunked=False, length=int(length))
