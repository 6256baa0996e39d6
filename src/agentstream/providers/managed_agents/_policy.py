"""How a Managed Agents stream resumes: attach the stream, list history, dedupe by id.

The platform's stream does not replay: it carries only what is emitted after it opens.
What it offers instead is the event list (``GET .../events``), ordered by processing
time, filterable by ``created_at[gte]``, and ids on every stored event. So every
connection goes:

1. (first connection only) a *baseline*: the newest stored event (``order=desc``,
   ``limit=1``), whose time becomes the cursor and whose id counts as seen. It is
   fetched *before* the stream opens, so everything after it is ours to deliver, and
   nothing before it is (the stream was asked for "from now on"). Thread lists take
   no filters: there the baseline is every id already listed.
2. the stream request; once it opens, and before a byte of it is read, a *backfill*:
   the events since the cursor (``created_at[gte]``, inclusive, because timestamps can
   tie), page after page. Those never delivered are delivered, in order.
3. (a turn, first connection only) the ``POST .../events`` that sends the turn's
   message, then one more listing, so the message and whatever followed it arrive in
   processing order.
4. the live frames, which waited in the socket meanwhile: those whose id was already
   delivered are SKIP; ``ping`` and frames without an ``event:`` line are CONTROL.

The machine reads no live byte while a backfill or a send is pending, so a frame
emitted between the stream opening and the history arriving is in both: the listing
delivers it and the live copy is skipped. A drop at any point (even before the first
listing) reconnects and starts again at step 2 with the cursor of the last delivered
event: nothing lost, nothing twice, order kept.

Ends: ``session.deleted`` and ``session.status_terminated`` end every stream; a turn
also ends at ``session.status_idle`` for any reason but ``requires_action``, once its
own message has been seen. A clean end of the body is a drop (the platform's streams
end only with the session).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson

from ..._exceptions import RemoteProtocolError, error_from_response
from ..._policy import Request, Verdict
from ..._sse import ServerSentEvent
from ._common import refine

__all__ = ["SessionResumePolicy"]

#: Events per backfill page (the platform's maximum and default).
PAGE = 1000
END_TYPES = frozenset({"session.deleted", "session.status_terminated"})
_JSON = {"Accept": "application/json"}
_SKIP_HEADERS = frozenset({"accept", "last-event-id", "content-type", "content-length"})


class SessionResumePolicy:
    """Resume a session (or thread) stream; see the module docstring.

    Args:
        list_url: the event list of the streamed session or thread.
        filtered: the list takes ``order`` and ``created_at[...]`` (a session's does; a
            thread's takes only ``limit`` and ``page``).
        send: a turn: the JSON body of ``POST .../events`` to send once the stream is
            open, and the URL to send it to.
        baseline: the baseline, already taken (the stream starts "now" when it was):
            its cursor and the ids it saw. None takes it before the first connection.
    """

    reconnect_delay = 0.0

    def __init__(
        self,
        list_url: str,
        *,
        filtered: bool = True,
        send: tuple[str, bytes] | None = None,
        baseline: tuple[str | None, Iterable[str]] | None = None,
    ) -> None:
        self.list_url = list_url
        self.filtered = filtered
        #: Ids of every event delivered (and of the baseline): a live copy is skipped.
        self.seen: set[str] = set(baseline[1]) if baseline is not None else set()
        #: ``processed_at`` of the last delivered event that had one.
        self.cursor = baseline[0] if baseline is not None else None
        #: Parsed JSON of delivered frames, by ``id()`` of their ServerSentEvent.
        self.parsed: dict[int, Any] = {}
        #: The id of the event that ended the stream, once one did.
        self.terminal_id: str | None = None
        self.turn = send is not None
        self._send = send
        self._sent_ids: set[str] = set()
        self._message: Any = _message_content(send[1]) if send is not None else None
        #: A turn's stream ends only after its own message was seen.
        self.started = not self.turn
        self._baseline = baseline is None
        self._original: Request | None = None
        self._listing: Request | None = None
        self._fetching = "list"
        self._attempted = False  # the send went out (its answer may have been lost)

    # -- connections ----------------------------------------------------------------

    def request(self, original: Request, last_event_id: str) -> Request:
        """The baseline listing first (once); then the stream request itself."""
        self._original = original
        if self._baseline:
            if self.filtered:
                return self._list(order="desc", limit="1")
            return self._list(limit=str(PAGE))
        return original

    def follow(self, status: int, headers: Mapping[str, str], body: bytes) -> Request | None:
        """The baseline's answer: take its cursor, then (next page or) the stream."""
        data = _loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            return None
        for event in data["data"]:
            if isinstance(event, dict):
                self._mark(event)
        next_page = data.get("next_page")
        if not self.filtered and isinstance(next_page, str) and next_page:
            return self._list(limit=str(PAGE), page=next_page)
        self._baseline = False
        assert self._original is not None
        return self._original

    def opened(self, status: int, headers: Mapping[str, str]) -> Request | None:
        """The stream is open: list what happened since the cursor."""
        self._fetching = "list"
        return self._since()

    def backfill(self, status: int, body: bytes) -> Sequence[ServerSentEvent | Request]:
        """A listing's events never delivered (and its next page, or the turn's send);
        or, for the send's answer, the listing that brings the message in order.

        Raises:
            APIStatusError: the listing or the send failed (404: the session is gone).
        """
        if status >= 400:
            sending = self._fetching == "send"
            method, url = ("POST", self._send_url) if sending else ("GET", self.list_url)
            raise refine(error_from_response(method, url, status, {}, body))
        data = _loads(body)
        if self._fetching == "send":
            self._sent(data)
            self._fetching = "list"
            return [self._since()]
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            raise RemoteProtocolError("the event list answered without a data array")
        out: list[ServerSentEvent | Request] = []
        for event in data["data"]:
            if not isinstance(event, dict) or self.terminal_id is not None:
                continue
            self._recognise_sent(event)
            if self._is_new(event):
                sse = ServerSentEvent(str(event.get("type")), orjson.dumps(event).decode())
                self.parsed[id(sse)] = event
                out.append(sse)
        next_page = data.get("next_page")
        if self.terminal_id is None and isinstance(next_page, str) and next_page:
            out.append(self._page(next_page))
        elif self.terminal_id is None and self._send is not None:
            self._fetching = "send"
            self._attempted = True
            url, payload = self._send
            out.append(Request(method="POST", url=url, headers=self._headers(True), body=payload))
        return out

    def classify(self, event: ServerSentEvent) -> Verdict:
        """``ping`` and id-less frames are CONTROL, ids already delivered SKIP, the end
        of the session (or of a turn) TERMINAL; the rest DELIVER."""
        kind = event.event
        if kind == "ping" or kind == "message":
            return Verdict.CONTROL
        if kind == "error":
            return Verdict.DELIVER  # the adapter raises it as a typed error
        parsed = _loads(event.data)
        if not isinstance(parsed, dict):
            return Verdict.DELIVER  # the adapter makes it an UnknownEvent
        if _previewed(parsed) in self.seen or not self._is_new(parsed):
            # A preview of a message already delivered (a listing brought it first)
            # would repeat its text.
            return Verdict.SKIP
        self.parsed[id(event)] = parsed
        return Verdict.TERMINAL if self.terminal_id is not None else Verdict.DELIVER

    def ended(self) -> bool:
        """Never complete at a clean end: the stream ends only with the session."""
        return False

    # -- bookkeeping ----------------------------------------------------------------

    def _is_new(self, event: dict[str, Any]) -> bool:
        """Record a delivered event; False for one already delivered."""
        event_id = event.get("id")
        if isinstance(event_id, str):
            if event_id in self.seen:
                return False
            self._mark(event)
            if event_id in self._sent_ids:
                self.started = True
        if self._ends(event):
            self.terminal_id = event_id if isinstance(event_id, str) else ""
        return True

    def _mark(self, event: dict[str, Any]) -> None:
        event_id, at = event.get("id"), event.get("processed_at")
        if isinstance(event_id, str):
            self.seen.add(event_id)
        if isinstance(at, str) and (self.cursor is None or at >= self.cursor):
            self.cursor = at

    def _ends(self, event: dict[str, Any]) -> bool:
        kind = event.get("type")
        if kind in END_TYPES:
            return True
        if kind != "session.status_idle" or not self.turn or not self.started:
            return False
        reason = event.get("stop_reason")
        return not (isinstance(reason, dict) and reason.get("type") == "requires_action")

    def _sent(self, data: Any) -> None:
        """The send's answer: the ids its events were stored under."""
        self._send = None
        echoed = data.get("data") if isinstance(data, dict) else None
        for event in echoed or []:
            if isinstance(event, dict) and isinstance(event.get("id"), str):
                self._sent_ids.add(event["id"])
        if not self._sent_ids:
            self.started = True  # nothing to recognise the turn by: any idle ends it

    def _recognise_sent(self, event: dict[str, Any]) -> None:
        """A send whose answer was lost may still have been stored: the first new
        ``user.message`` with the turn's content is taken as it, and not sent again."""
        if (
            self._send is not None
            and self._attempted
            and event.get("type") == "user.message"
            and event.get("content") == self._message
            and event.get("id") not in self.seen
        ):
            self._send = None
            self._sent_ids.add(str(event.get("id")))

    # -- requests -------------------------------------------------------------------

    @property
    def _send_url(self) -> str:
        return self._send[0] if self._send is not None else self.list_url

    def _headers(self, json_body: bool = False) -> dict[str, str]:
        assert self._original is not None
        kept = {k: v for k, v in self._original.headers.items() if k.lower() not in _SKIP_HEADERS}
        kept.update(_JSON)
        if json_body:
            kept["Content-Type"] = "application/json"
        return kept

    def _list(self, **params: str) -> Request:
        return Request(url=self.list_url, headers=self._headers()).with_query(**params)

    def _since(self) -> Request:
        params = {"limit": str(PAGE)}
        if self.filtered:
            params["order"] = "asc"
            if self.cursor is not None:
                params["created_at[gte]"] = self.cursor
        self._listing = self._list(**params)
        return self._listing

    def _page(self, token: str) -> Request:
        # The filters of the first page stay as they were: a page token belongs to them.
        assert self._listing is not None
        return self._listing.with_query(page=token)


def _previewed(frame: dict[str, Any]) -> str | None:
    """The id of the event an ``event_start``/``event_delta`` previews (else None)."""
    kind = frame.get("type")
    if kind == "event_delta":
        return frame.get("event_id")
    if kind == "event_start":
        inner = frame.get("event")
        return inner.get("id") if isinstance(inner, dict) else None
    return None


def _loads(data: str | bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return None


def _message_content(body: bytes) -> Any:
    """The content of the first ``user.message`` a turn sends (to recognise it)."""
    data = _loads(body)
    for event in data.get("events", []) if isinstance(data, dict) else []:
        if isinstance(event, dict) and event.get("type") == "user.message":
            return event.get("content")
    return None
