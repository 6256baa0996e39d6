"""Stand-ins that let the peers read replayed chunks through their real entry points:
a ``requests.Session`` whose response's raw stream yields them, an ``aiohttp``
``ClientSession`` whose response reads a StreamReader they were fed into, and the
switches that keep the peers quiet and skip their reconnect sleeps after a replay."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from types import SimpleNamespace
from typing import Any


def quiet() -> None:
    """Silence the peers' loggers (aiohttp-sse-client warns on every bad ``retry``)."""
    for name in ("aiohttp_sse_client", "requests_sse", "ld_eventsource", "sseclient"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def skip_reconnect_waits() -> None:
    """requests-sse and aiohttp-sse-client sleep (twice the server's ``retry``) before
    reconnecting at the end of a stream, which is when a replay ends: skip that sleep,
    which comes after every event was parsed."""
    for module, name in (("requests_sse.client", "time"), ("aiohttp_sse_client.client", "asyncio")):
        try:
            target = import_module(module)
        except ImportError:
            continue
        real = getattr(target, name)
        if not isinstance(real, SimpleNamespace):
            fake = SimpleNamespace(**vars(real))
            fake.sleep = _no_sleep_async if name == "asyncio" else _no_sleep
            setattr(target, name, fake)


def _no_sleep(seconds: float) -> None:
    pass


async def _no_sleep_async(seconds: float) -> None:
    pass


class Finished(Exception):
    """The replayed stream is over (raised by stand-ins when a library reconnects)."""


class RawReplay:
    """What ``requests.Response.iter_content`` reads: ``raw.stream()`` yields the chunks."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    def stream(self, amt: int, decode_content: bool = True) -> Iterator[bytes]:
        return iter(self.chunks)

    def close(self) -> None:
        pass


class RequestsSession:
    """A ``requests.Session`` stand-in: the first request replays, reconnects end."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks: list[bytes] | None = chunks

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        import requests

        class Over(Finished, requests.ConnectionError):
            pass

        if self.chunks is None:
            raise Over("replay finished")
        response = requests.Response()
        response.status_code, response.url = 200, url
        response.headers["Content-Type"] = "text/event-stream"
        response.raw, self.chunks = RawReplay(self.chunks), None
        return response

    def close(self) -> None:
        pass


class StreamProtocol:
    """What a StreamReader tells when its buffer fills or drains: nothing to do here."""

    def pause_reading(self, **kwargs: Any) -> None:
        pass

    def resume_reading(self, **kwargs: Any) -> None:
        pass


class AiohttpSession:
    """An ``aiohttp.ClientSession`` stand-in whose response reads a fed StreamReader."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader

    async def request(self, method: str, url: Any, **kwargs: Any) -> Any:
        import aiohttp
        import yarl

        if self.reader is None:
            raise type("Over", (Finished, aiohttp.ClientConnectionError), {})("finished")
        response = AiohttpResponse(self.reader, yarl.URL(str(url)))
        self.reader = None
        return response


@dataclass
class AiohttpResponse:
    content: Any
    real_url: Any
    status: int = 200
    content_type: str = "text/event-stream"

    def close(self) -> None:
        pass
