"""The emulators' SQLite store: runs, their event logs, gates and idempotency keys.

Everything an emulator must still know after a restart lives here, written through on
every change: run records and gate records as JSON documents, every frame of every
turn in order, the idempotency keys, and the tools a user chose to always allow.

One connection, guarded by a lock, in autocommit mode: the server thread does nearly
all the work, and a test thread may read frames while it does. A file database runs in
WAL mode without a sync per commit, because an emulator writes a row per frame and
durability against power loss is not its job.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson

__all__ = ["Store"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS frames (
    run_id INTEGER NOT NULL, turn INTEGER NOT NULL, seq INTEGER NOT NULL, frame TEXT NOT NULL,
    PRIMARY KEY (run_id, turn, seq)
);
CREATE TABLE IF NOT EXISTS gates (
    run_id INTEGER NOT NULL, request_id TEXT NOT NULL, record TEXT NOT NULL,
    PRIMARY KEY (run_id, request_id)
);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, run_id INTEGER NOT NULL, turn INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS policies (tool TEXT PRIMARY KEY);
"""

Record = dict[str, Any]


class Store:
    """SQLite persistence; `path` None keeps everything in memory."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._db = sqlite3.connect(
            ":memory:" if path is None else os.fspath(path),
            check_same_thread=False,
            isolation_level=None,
        )
        self._lock = threading.Lock()
        with self._cursor() as cur:
            if path is not None:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _cursor(self) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            cur = self._db.cursor()
            try:
                yield cur
            finally:
                cur.close()

    # Runs ------------------------------------------------------------------------

    def new_run_id(self) -> int:
        """Reserve the next run id (ids are never reused, even after a restart)."""
        with self._cursor() as cur:
            cur.execute("INSERT INTO runs (record) VALUES ('{}')")
            return int(cur.lastrowid or 0)

    def save_run(self, run_id: int, record: Record) -> None:
        with self._cursor() as cur:
            cur.execute("UPDATE runs SET record = ? WHERE id = ?", (_dump(record), run_id))

    def load_run(self, run_id: int) -> Record | None:
        with self._cursor() as cur:
            row = cur.execute("SELECT record FROM runs WHERE id = ?", (run_id,)).fetchone()
        return _load(row[0]) if row and row[0] != "{}" else None

    def list_runs(
        self, *, limit: int, before: int | None = None, where: dict[str, Any] | None = None
    ) -> list[Record]:
        """Up to `limit` runs, newest first, with ids below `before`, matching `where`."""
        sql = "SELECT record FROM runs WHERE record != '{}'"
        args: list[Any] = []
        if before is not None:
            sql += " AND id < ?"
            args.append(before)
        for field, value in (where or {}).items():
            sql += f" AND json_extract(record, '$.{field}') = ?"
            args.append(value)
        sql += " ORDER BY id DESC LIMIT ?"
        args.append(limit)
        with self._cursor() as cur:
            return [_load(row[0]) for row in cur.execute(sql, args)]

    def unfinished_runs(self, statuses: tuple[str, ...]) -> list[Record]:
        marks = ",".join("?" * len(statuses))
        sql = f"SELECT record FROM runs WHERE json_extract(record, '$.status') IN ({marks})"
        with self._cursor() as cur:
            return [_load(row[0]) for row in cur.execute(sql, statuses)]

    # Frames ----------------------------------------------------------------------

    def add_frame(self, run_id: int, turn: int, seq: int, frame: Record) -> None:
        with self._cursor() as cur:
            cur.execute(
                "INSERT INTO frames (run_id, turn, seq, frame) VALUES (?, ?, ?, ?)",
                (run_id, turn, seq, _dump(frame)),
            )

    def frames(self, run_id: int, turn: int | None = None) -> list[Record]:
        """The frames of one turn, or of every turn when `turn` is None, in order."""
        sql = "SELECT frame FROM frames WHERE run_id = ?"
        args: list[Any] = [run_id]
        if turn is not None:
            sql += " AND turn = ?"
            args.append(turn)
        with self._cursor() as cur:
            rows = cur.execute(sql + " ORDER BY turn, seq", args).fetchall()
        return [_load(row[0]) for row in rows]

    # Gates -----------------------------------------------------------------------

    def save_gate(self, run_id: int, gate: Record) -> None:
        with self._cursor() as cur:
            cur.execute(
                "INSERT OR REPLACE INTO gates (run_id, request_id, record) VALUES (?, ?, ?)",
                (run_id, gate["request_id"], _dump(gate)),
            )

    def gates(self, run_id: int) -> list[Record]:
        with self._cursor() as cur:
            rows = cur.execute(
                "SELECT record FROM gates WHERE run_id = ? ORDER BY rowid", (run_id,)
            ).fetchall()
        return [_load(row[0]) for row in rows]

    # Idempotency keys and remembered approvals -----------------------------------

    def claim_key(self, key: str, fingerprint: str, run_id: int, turn: int) -> None:
        with self._cursor() as cur:
            cur.execute(
                "INSERT INTO idempotency (key, fingerprint, run_id, turn) VALUES (?, ?, ?, ?)",
                (key, fingerprint, run_id, turn),
            )

    def find_key(self, key: str) -> tuple[str, int, int] | None:
        """(fingerprint, run id, turn) of an idempotency key already used."""
        with self._cursor() as cur:
            row = cur.execute(
                "SELECT fingerprint, run_id, turn FROM idempotency WHERE key = ?", (key,)
            ).fetchone()
        return (row[0], int(row[1]), int(row[2])) if row else None

    def remember_tool(self, tool: str) -> None:
        with self._cursor() as cur:
            cur.execute("INSERT OR IGNORE INTO policies (tool) VALUES (?)", (tool,))

    def is_remembered(self, tool: str) -> bool:
        with self._cursor() as cur:
            return (
                cur.execute("SELECT 1 FROM policies WHERE tool = ?", (tool,)).fetchone() is not None
            )


def _dump(record: Record) -> str:
    return orjson.dumps(record).decode()


def _load(text: str) -> Record:
    result: Record = orjson.loads(text)
    return result
