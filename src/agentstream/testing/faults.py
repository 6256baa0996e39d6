"""Fault injection for the emulators' event streams.

Every fault is bounded: a dropped connection ends, a stall ends (then the connection
drops), an error status is answered to a counted number of requests. Faults apply to
stream requests only (a streaming create or reply, a join); everything else is left
alone, so a test can always inspect the run afterwards.

Set them for a whole emulator (``faults=`` when it is made, or ``emulator.faults``)::

    import agentstream
    from agentstream.testing import Faults, M8tesEmulator

    # The run must still be going when the client re-joins it (m8tes refuses to
    # re-join a finished run, as the platform does): deltas 5 ms apart, and a re-join
    # at most 20 ms after the drop (reconnect_delay is the jittered wait's ceiling).
    with M8tesEmulator(speed=0.005) as emulator:
        emulator.faults = Faults(drop_after_events=3, times=1)  # the next stream only
        client = agentstream.M8tes(
            api_key=emulator.api_key, base_url=emulator.base_url, reconnect_delay=0.02
        )
        with client.runs.create(message="Triage my inbox") as stream:
            text = "".join(stream.iter_text())
        assert stream.stats.reconnects == 1 and "Refund not received" in text

or for one request, with a header (the same names, ``key=value`` pairs)::

    X-Emulator-Faults: drop_after_events=3,crlf=1

A header's `times` counts the requests that carry that exact header value, so a client
that sends it on every reconnect sees the fault `times` times and then a clean stream.
"""

from __future__ import annotations

import threading
from typing import Any

import attrs

__all__ = ["HEADER", "Faults"]

#: The request header that sets faults for one request.
HEADER = "X-Emulator-Faults"

#: The longest stall allowed: a stall is a fault, not a hang.
MAX_STALL_SECONDS = 60.0


def _non_negative(_: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, not {value}")


def _error_status(_: object, __: object, value: int | None) -> None:
    if value is not None and value != 429 and not 500 <= value <= 599:
        raise ValueError(f"status must be 429 or 5xx, not {value}")


def _stall(_: object, __: object, value: float) -> None:
    if not 0 <= value <= MAX_STALL_SECONDS:
        raise ValueError(f"stall_seconds must be within 0..{MAX_STALL_SECONDS}, not {value}")


def _split(_: object, __: object, value: int | None) -> None:
    if value is not None and value < 1:
        raise ValueError(f"split must be >= 1 byte, not {value}")


@attrs.frozen(kw_only=True)
class Faults:
    """What to break on a stream.

    Args:
        drop_after_events: close the connection, without ending the chunked body, after
            this many frames (keep-alives not counted).
        drop_after_bytes: close it after this many body bytes, usually mid-frame.
        stall_after_events: after this many frames, send nothing at all (not even
            keep-alives) for `stall_seconds`, then drop the connection.
        stall_seconds: how long a stall lasts (at most 60 s).
        status: answer with this status (429 or 5xx) and an error body instead of a stream.
        retry_after: the ``Retry-After`` seconds sent with `status`; None sends none.
        split: write every frame in pieces of this many bytes (several small writes).
        bom: start the body with a UTF-8 byte order mark.
        crlf: end lines with CRLF instead of LF.
        times: how many stream requests these faults apply to; None for every one.
    """

    drop_after_events: int | None = attrs.field(default=None, validator=_non_negative)
    drop_after_bytes: int | None = attrs.field(default=None, validator=_non_negative)
    stall_after_events: int | None = attrs.field(default=None, validator=_non_negative)
    stall_seconds: float = attrs.field(default=1.0, converter=float, validator=_stall)
    status: int | None = attrs.field(default=None, validator=_error_status)
    retry_after: int | None = attrs.field(default=1, validator=_non_negative)
    split: int | None = attrs.field(default=None, validator=_split)
    bom: bool = False
    crlf: bool = False
    times: int | None = attrs.field(default=None, validator=_non_negative)

    @classmethod
    def parse(cls, header: str) -> Faults:
        """Read a header value such as ``drop_after_bytes=100,bom=1,status=503``.

        Raises:
            ValueError: an unknown name, a missing ``=``, or a bad value.
        """
        fields = {a.name: a for a in attrs.fields(cls)}
        values: dict[str, object] = {}
        for item in filter(None, (part.strip() for part in header.split(","))):
            name, sep, raw = (s.strip() for s in item.partition("="))
            if not sep or name not in fields:
                raise ValueError(f"bad fault {item!r}; known: {', '.join(fields)}")
            values[name] = _value(fields[name].type, raw, name)
        return cls(**values)  # type: ignore[arg-type]

    def to_header(self) -> str:
        """This value as an ``X-Emulator-Faults`` header (only what differs from the defaults)."""
        parts = []
        for field in attrs.fields(type(self)):
            value = getattr(self, field.name)
            if value != field.default:
                shown = (
                    "none" if value is None else int(value) if isinstance(value, bool) else value
                )
                parts.append(f"{field.name}={shown}")
        return ",".join(parts)


def _value(kind: object, raw: str, name: str) -> object:
    if raw.lower() == "none" and "None" in str(kind):
        return None
    try:
        if kind == "bool":
            if raw.lower() not in {"0", "1", "true", "false"}:
                raise ValueError(raw)
            return raw.lower() in {"1", "true"}
        return float(raw) if kind == "float" else int(raw)
    except ValueError:
        raise ValueError(f"bad value {raw!r} for fault {name!r}") from None


class FaultPlan:
    """Which faults the next stream request gets, counting down each setting's `times`.

    Thread-safe: tests set faults from their own thread while the server reads them.
    """

    def __init__(self, faults: Faults | None = None) -> None:
        self._lock = threading.Lock()
        self._faults = faults
        self._left = faults.times if faults else None
        self._per_header: dict[str, int | None] = {}

    @property
    def faults(self) -> Faults | None:
        return self._faults

    @faults.setter
    def faults(self, faults: Faults | None) -> None:
        with self._lock:
            self._faults = faults
            self._left = faults.times if faults else None

    def take(self, header: str | None) -> Faults | None:
        """The faults for one stream request (the header's, else the emulator's).

        Raises:
            ValueError: the header does not parse.
        """
        if header is not None:
            faults = Faults.parse(header)
            with self._lock:
                left = self._per_header.get(header, faults.times)
                if left is not None:
                    self._per_header[header] = max(left - 1, 0)
            return faults if left is None or left > 0 else None
        with self._lock:
            if self._faults is None or self._left == 0:
                return None
            if self._left is not None:
                self._left -= 1
            return self._faults
