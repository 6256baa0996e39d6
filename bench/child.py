"""The benches' servers run in child processes, so that their CPU is not the clients':
a child prints its port on its first line and serves until its stdin closes.

``child_server(module, args)`` starts ``python -m module *args`` and yields the base
URL; ``serve_tcp(handler)`` is the child's side for a ``socketserver`` handler.
"""

from __future__ import annotations

import contextlib
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator

__all__ = ["child_server", "serve_tcp"]


@contextlib.contextmanager
def child_server(
    module: str, args: list[str], *, path: str = "", stop_within: float = 5.0
) -> Iterator[str]:
    """Run ``python -m module *args`` (it prints its port, then serves until its stdin
    closes); yield ``http://127.0.0.1:<port><path>``; stop it, by its PID if it does
    not stop within `stop_within` seconds of its stdin closing."""
    proc = subprocess.Popen(
        [sys.executable, "-m", module, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        yield f"http://127.0.0.1:{int(proc.stdout.readline())}{path}"
    finally:
        assert proc.stdin is not None
        proc.stdin.close()  # asks it to stop
        try:
            proc.wait(timeout=stop_within)
        except subprocess.TimeoutExpired:
            proc.kill()  # our own child, by PID
            proc.wait()


def serve_tcp(handler: type[socketserver.BaseRequestHandler]) -> None:
    """Serve `handler` on 127.0.0.1 (a free port, printed) until stdin closes."""
    socketserver.ThreadingTCPServer.daemon_threads = True
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        print(server.server_address[1], flush=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        sys.stdin.read()
        server.shutdown()
