"""The Managed Agents emulator's persistence: sessions and their event log in SQLite.

The emulators share one ``Store`` (one SQLite connection, one lock); this module adds
the two tables Managed Agents needs beside the m8tes ones, through the store's own
cursor, so that a session, its history and its place in a scenario survive a restart
on the same database file.

Every event gets a row number (``seq``) when it is written. The event list is ordered
by ``processed_at``, and the clock below makes every ``processed_at`` of an emulator
strictly greater than the one before, so ordering by ``seq`` is ordering by time and a
page cursor can simply be the last row number it returned.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

import orjson

from ._store import Store

__all__ = ["Clock", "EventFilter", "SessionLog", "decode_cursor", "encode_cursor", "iso"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ma_sessions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ma_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, id TEXT UNIQUE NOT NULL,
    type TEXT NOT NULL, processed_at TEXT NOT NULL, event TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ma_events_session ON ma_events (session_id, seq);
"""

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
Record = dict[str, Any]


def _base62(value: int, width: int) -> str:
    digits = []
    for _ in range(width):
        value, digit = divmod(value, 62)
        digits.append(_B62[digit])
    return "".join(reversed(digits))


def iso(micros: int) -> str:
    """Microseconds since the epoch as the RFC 3339 UTC text every timestamp uses."""
    moment = datetime.fromtimestamp(micros / 1e6, timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Clock:
    """Strictly increasing timestamps and the ids made from them.

    Ids look like the platform's (``sevt_011C...``): the prefix, ``01``, the time in
    fixed-width base 62 (whose alphabet is in ASCII order, so ids sort by time), then
    random characters. Two events never share a ``processed_at``, which keeps the
    ``created_at[gt]`` filters exact.
    """

    def __init__(self, floor: int = 0) -> None:
        self._last = floor
        self._lock = threading.Lock()

    def tick(self) -> int:
        """Now in microseconds, strictly after every earlier tick."""
        with self._lock:
            self._last = max(time.time_ns() // 1000, self._last + 1)
            return self._last

    def stamp(self) -> str:
        return iso(self.tick())

    def new_id(self, prefix: str) -> str:
        random = _base62(secrets.randbits(64), 11)
        return f"{prefix}_01{_base62(self.tick(), 11)}{random}"


def encode_cursor(order: str, seq: int) -> str:
    """An opaque ``page`` token: where a listing stopped and in which direction."""
    return "page_" + base64.urlsafe_b64encode(f"{order}:{seq}".encode()).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[str, int] | None:
    """The (order, seq) a token encodes, or None when it is not one of ours."""
    if not token.startswith("page_"):
        return None
    body = token[5:]
    try:
        order, _, seq = (
            base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode().partition(":")
        )
        return (order, int(seq)) if order in ("asc", "desc") else None
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


class EventFilter:
    """What an event listing asks for: types, a ``processed_at`` window, direction."""

    def __init__(
        self,
        *,
        types: Sequence[str] = (),
        bounds: Sequence[tuple[str, str]] = (),
        order: str = "asc",
        after: int | None = None,
    ) -> None:
        self.types = list(types)
        self.bounds = list(bounds)  # (SQL operator, canonical timestamp)
        self.order = order
        self.after = after

    def sql(self, session_id: str) -> tuple[str, list[Any]]:
        sql = "SELECT seq, event FROM ma_events WHERE session_id = ?"
        args: list[Any] = [session_id]
        if self.types:
            sql += f" AND type IN ({','.join('?' * len(self.types))})"
            args.extend(self.types)
        for operator, stamp in self.bounds:
            sql += f" AND processed_at {operator} ?"
            args.append(stamp)
        if self.after is not None:
            sql += " AND seq > ?" if self.order == "asc" else " AND seq < ?"
            args.append(self.after)
        return sql + f" ORDER BY seq {self.order.upper()} LIMIT ?", args


class SessionLog:
    """Sessions (JSON documents) and their events, in the emulator's store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        with store._cursor() as cur:
            cur.executescript(_SCHEMA)

    def last_micros(self) -> int:
        """The latest timestamp written, so that a restarted clock never goes back."""
        with self.store._cursor() as cur:
            row = cur.execute("SELECT MAX(processed_at) FROM ma_events").fetchone()
        if not row or row[0] is None:
            return 0
        moment = datetime.strptime(row[0], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
        return int(moment.timestamp() * 1_000_000)

    # Sessions ----------------------------------------------------------------------

    def save_session(self, record: Record) -> None:
        with self.store._cursor() as cur:
            cur.execute(
                "INSERT INTO ma_sessions (id, record) VALUES (?, ?) "
                "ON CONFLICT (id) DO UPDATE SET record = excluded.record",
                (record["id"], _dump(record)),
            )

    def load_session(self, session_id: str) -> Record | None:
        with self.store._cursor() as cur:
            row = cur.execute(
                "SELECT record FROM ma_sessions WHERE id = ?", (session_id,)
            ).fetchone()
        return _load(row[0]) if row else None

    def sessions(self) -> list[tuple[int, Record]]:
        """Every session with its row number, oldest first."""
        with self.store._cursor() as cur:
            rows = cur.execute("SELECT seq, record FROM ma_sessions ORDER BY seq").fetchall()
        return [(int(seq), _load(record)) for seq, record in rows]

    def delete_session(self, session_id: str) -> None:
        with self.store._cursor() as cur:
            cur.execute("DELETE FROM ma_sessions WHERE id = ?", (session_id,))
            cur.execute("DELETE FROM ma_events WHERE session_id = ?", (session_id,))

    # Events ------------------------------------------------------------------------

    def add_event(self, session_id: str, event: Record) -> None:
        with self.store._cursor() as cur:
            cur.execute(
                "INSERT INTO ma_events (session_id, id, type, processed_at, event) "
                "VALUES (?, ?, ?, ?, ?)",
                (session_id, event["id"], event["type"], event["processed_at"], _dump(event)),
            )

    def events(
        self, session_id: str, where: EventFilter | None = None, limit: int = -1
    ) -> list[tuple[int, Record]]:
        """Up to `limit` events (all for -1) with their row numbers, as `where` asks."""
        sql, args = (where or EventFilter()).sql(session_id)
        with self.store._cursor() as cur:
            rows = cur.execute(sql, [*args, limit]).fetchall()
        return [(int(seq), _load(event)) for seq, event in rows]


def _dump(record: Record) -> str:
    return orjson.dumps(record).decode()


def _load(text: str) -> Record:
    result: Record = orjson.loads(text)
    return result
