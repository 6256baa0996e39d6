"""A stream that survives a dropped connection.

Starts a tiny SSE server on 127.0.0.1 that sends five events, cuts the connection in the
middle of the sixth, and on the reconnect resumes after the ``Last-Event-ID`` the client
sends. The client prints one unbroken stream.

Run it with ``make demo`` (or ``python examples/resume_demo.py``).
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import agentstream

SENTENCE = "Streams that resume lose nothing and repeat nothing , even when the wire drops ."
WORDS = SENTENCE.split()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        start = int(self.headers.get("Last-Event-ID") or 0)
        first_connection = start == 0
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(agentstream.encode(retry=100))
        for n in range(start + 1, len(WORDS) + 1):
            frame = agentstream.encode(WORDS[n - 1], id=str(n))
            if first_connection and n == 6:
                self.wfile.write(frame[:7])  # half a frame, then the connection dies
                self.wfile.flush()
                return
            self.wfile.write(frame)
            self.wfile.flush()
            time.sleep(0.05)
        self.wfile.write(agentstream.encode("[DONE]", event="done"))

    def log_message(self, format: str, *args: object) -> None:
        cursor = self.headers.get("Last-Event-ID")
        print(f"  [server] {self.command} {self.path} Last-Event-ID={cursor}")


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/stream"
    try:
        with agentstream.EventSource(url) as source:
            for event in source:
                if event.event == "done":
                    break
                print(f"  id={event.id:>2}  {event.data}")
        print(f"done: last_event_id={source.last_event_id}, state={source.state.name}")
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
