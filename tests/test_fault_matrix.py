"""The standing fault matrix: every client (the generic event source and each platform,
sync and async) against the same fault list, over real loopback HTTP.

The matrix is ENTRIES x FAULTS x {sync, async}: an entry knows its platform's wire and
how to open its stream (``tests/fault_matrix_entries.py``), a fault what the server
does and how the cell must end (``tests/fault_matrix_faults.py``). A new platform joins
by adding one entry; a new fault by adding one Fault. Each cell asserts:

- a bounded time to the outcome (every client has deadlines of a fraction of a second);
- either a typed error (the fault's) or a correct resume: every event exactly once, in
  order, picked up where the client left (the cursor it sends names event 2);
- nothing delivered twice, and nothing delivered before the fault lost: events 1 and 2
  are what the caller got first, and, on an error, all it got;
- no secret (API key, bearer token, cookie) in the error, its causes, their reprs, or
  the reasons the reconnects report;
- secret headers never reach another origin on a redirect, and do reach the same one.
"""

from __future__ import annotations

import pytest

from agentstream import APIStatusError, ReconnectExhausted
from tests.fault_matrix_entries import ENTRIES
from tests.fault_matrix_entry import EVENTS, FAULTY, Entry
from tests.fault_matrix_faults import FAULTS, Fault, Scene
from tests.fault_matrix_runner import Outcome, chain, error_texts, expected, read, secrets_in
from tests.fault_matrix_server import LoopServer, Recorded

#: Seconds any cell may take to reach its outcome.
BOUND = 3.0
#: What event 3 reads back as, when the fault changed it but it is still delivered.
REPLACED = {
    "invalid_utf8": "e3-\ufffd\ufffd",  # each byte that is not UTF-8 is one U+FFFD
    "truncated_json": "?",  # an UnknownEvent (lenient), or data that is not JSON
}
#: The faults that cut the first connection after events 1 and 2.
RESUMES_AFTER_TWO = {
    "drop_mid_frame",
    "stall",
    "5xx_storm",
    "429_retry_after",
    "redirect_elsewhere",
    "redirect_same_origin",
}

#: Cells left out of the matrix because the library fails them today, each with the
#: bug it shows (the cell is not skipped: it is not generated; delete the line with
#: the fix and the cell runs).
# Cells not run, each with the library bug that keeps it out (none today: a new entry
# or fault that finds one adds it here with the bug's description, and it is fixed).
LEFT_OUT: dict[tuple[str, str], str] = {}

CELLS = [
    pytest.param(entry, fault, mode, id=f"{entry.name}-{fault.name}-{mode}")
    for entry in ENTRIES
    for fault in FAULTS
    if (entry.name, fault.name) not in LEFT_OUT
    for mode in ("sync", "async")
]


def stream_requests(entry: Entry, *servers: LoopServer) -> list[Recorded]:
    def is_stream(request: Recorded) -> bool:
        return entry.is_stream(request.path.removeprefix("/moved"))

    return [request for server in servers for request in server.requests_to(is_stream)]


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("entry", "fault", "mode"), CELLS)
def test_fault(entry: Entry, fault: Fault, mode: str) -> None:
    scene = Scene(entry, fault)
    with LoopServer(scene.handle, name="a") as main, LoopServer(scene.handle, name="b") as other:
        scene.elsewhere = other.origin
        out = read(entry, mode, main.origin)
        assert out.elapsed < BOUND, f"{out.elapsed:.2f} s to the outcome ({out.error!r})"
        check_outcome(entry, fault, out)
        check_no_secret_told(entry, out)
        if fault.connections is not None:
            assert scene.connections == fault.connections, out
        check_fault(entry, fault, out, main, other)


def check_outcome(entry: Entry, fault: Fault, out: Outcome) -> None:
    """A typed error after exactly what came before the fault, or every event once."""
    assert len(out.markers) == len(set(out.markers)), f"delivered twice: {out.markers}"
    before = expected(entry, upto=FAULTY - 1)
    assert out.markers[: len(before)] == before, f"events before the fault lost: {out}"
    if fault.error is None:
        assert out.error is None, out
        replaced = {FAULTY: REPLACED[fault.name]} if fault.name in REPLACED else {}
        assert out.markers == expected(entry, replaced=replaced)
    else:
        assert isinstance(out.error, fault.error), out
        assert out.markers == before


def check_no_secret_told(entry: Entry, out: Outcome) -> None:
    secrets = entry.secrets.values()
    for text in error_texts(out.error):
        assert not secrets_in(text, secrets), text
    for info in out.reconnects:
        assert not secrets_in(info.reason, secrets), info


def check_fault(
    entry: Entry, fault: Fault, out: Outcome, main: LoopServer, other: LoopServer
) -> None:
    """What each fault shows besides the outcome."""
    requests = stream_requests(entry, main, other)
    if fault.name in RESUMES_AFTER_TWO and entry.has_cursor:
        cursors = [entry.cursor(request) for request in requests[1:]]
        assert cursors == [FAULTY - 1] * len(cursors), cursors
    if fault.reason is not None:  # a deadline: named, with the URL and no query string
        reasons = [info.reason for info in out.reconnects if fault.reason in info.reason]
        assert reasons, out.reconnects
        assert all(main.origin in reason and "?" not in reason for reason in reasons), reasons
    statuses = {info.status for info in out.reconnects}
    assert fault.statuses <= statuses, out.reconnects
    if fault.name == "429_retry_after":  # Retry-After: 0 is waited for, not the backoff
        assert [info.delay for info in out.reconnects if info.status == 429] == [0.0]
    if fault.name == "slow_body":
        message = str(out.error)
        assert "idle_timeout" in message and main.origin in message, message
    if fault.name == "5xx_forever":
        gave_up = [e for e in chain(out.error) if isinstance(e, ReconnectExhausted)]
        assert gave_up, out.error
        assert isinstance(gave_up[0].last_cause, APIStatusError), gave_up
        assert gave_up[0].last_cause.status_code >= 500
    if fault.name == "html_error_page":
        assert isinstance(out.error, APIStatusError) and out.error.status_code == 403
        assert "Forbidden" in str(out.error.body)
    if fault.name == "redirect_elsewhere":
        check_secrets_stay(entry, main, other)
    if fault.name == "redirect_same_origin":
        moved = [r for r in main.requests if r.path.startswith("/moved")]
        assert moved
        for request in moved:
            for name, value in entry.secrets.items():
                assert request.headers.get(name.lower()) == value, (name, request.headers)
    if fault.error is None:
        assert len(out.markers) == EVENTS


def check_secrets_stay(entry: Entry, main: LoopServer, other: LoopServer) -> None:
    """Secret headers went to the first origin, and none reached the other one."""
    first = stream_requests(entry, main)[0]
    for name, value in entry.secrets.items():
        assert first.headers.get(name.lower()) == value, name
    assert other.requests, "the redirect was not followed"
    for request in other.requests:
        assert not secrets_in(request.wire(), entry.secrets.values()), request
        assert not {name.lower() for name in entry.secrets} & set(request.headers), request
