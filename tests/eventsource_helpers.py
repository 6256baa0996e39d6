"""Helpers shared by the EventSource integration tests (test_eventsource.py and
test_eventsource_errors.py)."""

from __future__ import annotations

FAST = {"retry": 0.01, "connect_timeout": 2.0, "read_timeout": 5.0}
