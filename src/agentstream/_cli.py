"""The ``agentstream`` command: demo, run, replay, tail and serve.

    agentstream demo [--platform NAME]    stream a scripted turn from a built-in emulator
    agentstream run "message"             stream a run from any m8tes-compatible server
    agentstream replay FILE               render a recording (--record) or --json output
    agentstream tail URL                  print any SSE endpoint's events as they arrive
    agentstream serve m8tes --port 8765   run an emulator (m8tes, everruns, managed-agents)

Output is rendered with rich on a terminal and as plain text otherwise; ``--json``
prints one event per line instead. ``run`` and ``tail`` take ``--record FILE``: what
arrived, as SSE, each event after a ``: +SECONDS`` comment (its arrival time), which
``replay`` reads (and so does any SSE decoder). A failed run exits 1, with one line
on stderr saying why.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson

from . import __version__
from ._accumulate import Transcript
from ._converter import unstructure
from ._exceptions import AgentStreamError
from ._render import Renderer

__all__ = ["main"]

#: What ``agentstream serve`` runs; the emulators' registry is ``testing._serve.EMULATORS``
#: (not imported here: it loads the server libraries, and the CLI must start fast).
SERVE_PLATFORMS = ("everruns", "m8tes", "managed-agents")
#: What to install when a demo's import fails, by the missing top-level module.
_INSTALL_HINTS = {
    "starlette": "the emulators: pip install 'agentstream[server]'",
    "uvicorn": "the emulators: pip install 'agentstream[server]'",
    "shipit_agent": "shipit-agent: pip install shipit-agent",
}
#: What ``agentstream demo --platform`` streams (``_demos.DEMOS``, not imported here).
DEMO_PLATFORMS = ("m8tes", "everruns", "managed-agents", "shipit")


class Recorder:
    """Writes what arrived to a file replay reads: each event as SSE, after a comment
    with its arrival time (seconds since the recording started)."""

    def __init__(self, path: str | None) -> None:
        self._file = open(path, "wb") if path else None  # noqa: SIM115 (closed by close())
        self._started = time.monotonic()

    def write(self, sse: Any) -> None:
        """Record one ServerSentEvent (nothing without a file)."""
        if self._file is None or sse is None:
            return
        from ._sse import encode, encode_comment

        self._file.write(encode_comment(f"+{time.monotonic() - self._started:.3f}"))
        event = None if sse.event == "message" else sse.event
        self._file.write(encode(sse.data, event=event, id=sse.id or None))
        self._file.flush()

    def close(self) -> None:
        """Close the file."""
        if self._file is not None:
            self._file.close()


def _emit_json(events: Iterable[Any]) -> None:
    for event in events:
        data = event.raw if hasattr(event, "raw") else unstructure(event)
        sys.stdout.write(orjson.dumps(data).decode() + "\n")
        sys.stdout.flush()


def _show(
    stream: Any,
    as_json: bool,
    renderer: Renderer,
    label: Callable[[], str | None],
    recorder: Recorder | None = None,
) -> int:
    """Render `stream` (or print it as JSON lines), then a summary naming what ran
    (`label`, asked once the stream is done); the exit status of what it ran: 1, with
    one line on stderr saying why, when it failed."""
    started = time.monotonic()
    record = recorder or Recorder(None)
    if as_json:
        _emit_json(_recorded(stream, record))
        transcript: Transcript = stream.transcript
    else:
        transcript = stream.on(
            event=lambda _: record.write(stream._sse),
            text=renderer.text,
            reasoning=renderer.reasoning,
            tool_call=renderer.tool_started,
            tool_result=renderer.tool_finished,
            error=renderer.error,
        )
        renderer.summary(label(), transcript, time.monotonic() - started)
    if transcript.errors:
        return _fail(f"{label() or 'the run'} failed: {transcript.errors[0].message}", 1)
    return 0


def _recorded(stream: Any, recorder: Recorder) -> Iterable[Any]:
    for event in stream:
        recorder.write(stream._sse)
        yield event


def _stream_run(client: Any, args: argparse.Namespace) -> int:
    recorder = Recorder(args.record)
    try:
        with client.runs.create(message=args.message, timeout=args.timeout) as stream:
            renderer = Renderer(plain=args.plain)
            return _show(stream, args.json, renderer, lambda: f"run {stream.run_id}", recorder)
    finally:
        recorder.close()


def cmd_demo(args: argparse.Namespace) -> int:
    from ._demos import DEMOS

    renderer = Renderer(plain=args.plain)
    try:
        with DEMOS[args.platform](args.message, args.speed) as (banner, stream, label):
            if not args.json:  # JSON lines stay pure
                renderer.banner(banner)
            return _show(stream, args.json, renderer, label)
    except ModuleNotFoundError as exc:  # shipit-agent, or the server extra, is missing
        hint = _INSTALL_HINTS.get((exc.name or "").split(".")[0], str(exc))
        raise UsageError(f"the {args.platform} demo needs {hint}") from None


def cmd_run(args: argparse.Namespace) -> int:
    from ._config import base_url_hint
    from .providers.m8tes import M8tes

    if not args.api_key:
        raise UsageError("no API key: pass --api-key or set M8TES_API_KEY")
    with M8tes(api_key=args.api_key, base_url=args.base_url) as client:
        client._http.hint = base_url_hint("--base-url", "M8TES_BASE_URL")  # the CLI's own option
        return _stream_run(client, args)


def cmd_replay(args: argparse.Namespace) -> int:
    from ._sse import ServerSentEvent, SSEDecoder
    from .providers.m8tes._adapter import M8tesAdapter
    from .providers.m8tes._policy import RunResumePolicy

    adapter = M8tesAdapter(RunResumePolicy(""))
    decoder = SSEDecoder()
    data = Path(args.file).read_bytes()
    if data.lstrip()[:1] == b"{":  # the --json output of run, demo, replay or tail
        items: list[Any] = [_json_line(line) for line in data.splitlines() if line.strip()]
    else:
        items = decoder.feed(data) + decoder.feed_eof()
    events = [adapter.decode(item) for item in items if type(item) is ServerSentEvent]
    if args.json:
        _emit_json(events)
        return 0
    renderer = Renderer(plain=args.plain)
    from ._accumulate import Accumulator

    acc = Accumulator()
    for event in events:
        for item in adapter.normalize(event):
            acc.add(item)
            renderer.common(item, acc)
    renderer.summary(None, acc.snapshot(), 0.0)
    return 0


def _json_line(line: bytes) -> Any:
    """One line of --json output as the ServerSentEvent it stood for: tail's lines carry
    the event's fields, the others the event's data itself."""
    from ._sse import ServerSentEvent

    try:
        item = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise UsageError(f"not a line of --json output: {line[:60]!r}") from None
    if isinstance(item, dict) and set(item) == {"event", "data", "id"}:
        return ServerSentEvent(event=item["event"] or "message", data=item["data"] or "")
    return ServerSentEvent(data=line.decode())


class UsageError(Exception):
    """A command line that cannot work as given: one line saying what to fix."""


def _headers(given: Sequence[str]) -> dict[str, str]:
    headers = {}
    for header in given:
        name, colon, value = header.partition(":")
        if not colon or not name.strip():
            raise UsageError(f"--header {header!r} needs the form 'Name: value'")
        headers[name.strip()] = value.strip()
    return headers


def cmd_tail(args: argparse.Namespace) -> int:
    from ._sync import EventSource

    recorder = Recorder(args.record)
    with EventSource(args.url, headers=_headers(args.header)) as source:
        for event in source:
            recorder.write(event)
            if args.json:
                line = {"event": event.event, "data": event.data, "id": event.id}
                sys.stdout.write(orjson.dumps(line).decode() + "\n")
            else:
                sys.stdout.write(f"{event.event}\t{event.id}\t{event.data}\n")
            sys.stdout.flush()
    recorder.close()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .testing import serve

    try:
        serve(
            args.platform,
            host=args.host,
            port=args.port,
            database=args.database,
            api_key=args.api_key,
            speed=args.speed,
        )
    except ModuleNotFoundError as exc:  # the server extra is missing
        hint = _INSTALL_HINTS.get((exc.name or "").split(".")[0])
        if hint is None:
            raise
        raise UsageError(f"agentstream serve needs {hint}") from None
    except OSError as exc:
        if exc.filename is not None:
            raise  # the database file: reported as it is
        raise UsageError(
            f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}"
            " (is another server there? pick another --port)"
        ) from None
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agentstream", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"agentstream {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def output(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="one JSON event per line")
        p.add_argument("--plain", action="store_true", help="plain text even on a terminal")

    demo = sub.add_parser("demo", help="stream the built-in demo run from an emulator")
    demo.add_argument("--platform", choices=DEMO_PLATFORMS, default="m8tes")
    demo.add_argument("--message", default="Triage my support inbox")
    demo.add_argument("--speed", type=float, default=0.02, help="seconds between deltas")
    output(demo)
    demo.set_defaults(func=cmd_demo)

    run = sub.add_parser("run", help="stream a run from an m8tes-compatible server")
    run.add_argument("message")
    run.add_argument("--base-url", default=os.environ.get("M8TES_BASE_URL"))
    run.add_argument("--api-key", default=os.environ.get("M8TES_API_KEY"))
    run.add_argument("--timeout", type=float, default=None, help="seconds the run may take")
    run.add_argument("--record", metavar="FILE", help="save what arrived, for replay")
    output(run)
    run.set_defaults(func=cmd_run)

    replay = sub.add_parser("replay", help="render a recorded m8tes stream or --json output")
    replay.add_argument("file")
    output(replay)
    replay.set_defaults(func=cmd_replay)

    tail = sub.add_parser("tail", help="print any SSE endpoint's events")
    tail.add_argument("url")
    tail.add_argument("--header", "-H", action="append", default=[], help="Name: value")
    tail.add_argument("--json", action="store_true")
    tail.add_argument("--record", metavar="FILE", help="save what arrived, for replay")
    tail.set_defaults(func=cmd_tail)

    serve = sub.add_parser("serve", help="run a platform emulator in the foreground")
    serve.add_argument("platform", choices=SERVE_PLATFORMS)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--database", default=None, help="SQLite file (default: in memory)")
    serve.add_argument("--api-key", default="test-key")
    serve.add_argument("--speed", type=float, default=0.02)
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure is one line on stderr and an exit status."""
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except AgentStreamError as exc:
        return _fail(f"{type(exc).__name__}: {exc}", 1)
    except UsageError as exc:
        return _fail(str(exc), 2)
    except BrokenPipeError:
        # The reader went away (`agentstream tail URL | head`): stop quietly, and keep
        # Python from complaining when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:  # a missing file, a port in use: the system's own words
        where = f" {exc.filename}" if exc.filename else ""
        return _fail(f"{exc.strerror or exc}{where}", 1)
    except KeyboardInterrupt:
        return 130


def _fail(message: str, status: int) -> int:
    print(f"agentstream: {message}", file=sys.stderr)
    return status
