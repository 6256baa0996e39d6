"""AsyncShipit: the client of a shipit-agent server (``AgentServer`` and apps like it).

This file is the async source; its sync twin is generated from it.

shipit-agent ships a server and no client. Its ``AgentServer`` answers ``GET /health``,
``POST /v1/stream`` (the framed transcript of one run) and an OpenAI-compatible
``POST /v1/chat/completions``. One request is one run: the server never re-joins one,
so a run's stream is never re-sent; an app that does serve ``Last-Event-ID`` from
shipit's ``replay_from`` is resumed with ``resume=True`` (see ``_policy.py``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Coroutine, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, overload

import httpx
from typing_extensions import Unpack

from ..._async import AsyncEventSource
from ..._async_client_base import AsyncClientBase
from ..._async_http import AsyncHTTP
from ..._async_stream import AsyncEventStream
from ..._config import FIRST_CONNECT_TIMEOUT
from ..._exceptions import AgentStreamError
from ..._http import RequestExtras, check_extras
from ..._manager import AsyncStreamManager
from ..._redirects import MAX_REDIRECTS
from ._common import (
    URL_HINT,
    as_completion,
    as_health,
    auth_headers,
    chat_body,
    resolve,
    stream_body,
)
from ._policy import ChatPolicy, ShipitResumePolicy
from ._run_stream import ChatEvent, ChatStreamParts, RunStreamParts, ShipitEvent

if TYPE_CHECKING:
    from ...types import shipit

#: AgentServer's OpenAI-compatible route.
CHAT_PATH = "/v1/chat/completions"

__all__ = ["AsyncChat", "AsyncChatStream", "AsyncCompletions", "AsyncRunStream", "AsyncShipit"]


class AsyncRunStream(RunStreamParts, AsyncEventStream[ShipitEvent]):
    """The stream of one shipit run: typed events, the generation, the canonical record.

    Iterating it yields ``shipit.AnyEvent | UnknownEvent`` (``stream_hello`` is read,
    not yielded: see ``generation``); the last event is ``DoneEvent``. An ``event:
    error`` frame raises ShipitServerError. A stream cut before ``done`` raises
    StreamInterruptedError whose context holds ``events`` (the canonical events
    delivered), ``generation`` and ``last_sequence``. With ``raise_on_error``, a run
    that failed (``run_failed``) raises RunFailedError at the end.
    """

    def __init__(
        self, source: AsyncEventSource, policy: ShipitResumePolicy, raise_on_error: bool
    ) -> None:
        from ._adapter import ShipitAdapter  # with the generated types, on first use

        super().__init__(source, ShipitAdapter(policy))
        self._policy = policy
        self.raise_on_error = raise_on_error
        self._init_parts()

    async def _interrupted(self, exc: AgentStreamError) -> AgentStreamError:
        return self._map_error(exc)


class AsyncChatStream(ChatStreamParts, AsyncEventStream[ChatEvent]):
    """A streamed chat completion: ``ChatCompletionChunk`` items, and for each side-band
    chunk the typed shipit event it carries; ``DoneEvent`` last. ``iter_text()`` gives
    the content; tool calls and usage reach the transcript. An in-band error raises
    ShipitServerError."""

    def __init__(self, source: AsyncEventSource, policy: ChatPolicy) -> None:
        from ._chat import ChatAdapter  # with the generated types, on first use

        super().__init__(source, ChatAdapter(policy))


class AsyncCompletions:
    """``client.chat.completions``: AgentServer's OpenAI-compatible endpoint."""

    def __init__(self, client: AsyncShipit) -> None:
        self._client = client

    @overload
    def create(
        self,
        *,
        messages: Iterable[Mapping[str, Any]],
        stream: Literal[False] = False,
        model: str | None = None,
        **extras: Unpack[RequestExtras],
    ) -> Coroutine[Any, Any, shipit.ChatCompletion]: ...

    @overload
    def create(
        self,
        *,
        messages: Iterable[Mapping[str, Any]],
        stream: Literal[True],
        model: str | None = None,
        **extras: Unpack[RequestExtras],
    ) -> AsyncStreamManager[AsyncChatStream]: ...

    def create(
        self,
        *,
        messages: Iterable[Mapping[str, Any]],
        stream: bool = False,
        model: str | None = None,
        **extras: Unpack[RequestExtras],
    ) -> AsyncStreamManager[AsyncChatStream] | Coroutine[Any, Any, shipit.ChatCompletion]:
        """Run the agent on the last user message of `messages`.

        Not streamed: the ChatCompletion (a failed run is an InternalServerError carrying
        the run's error). Streamed: an AsyncChatStream. The request extras (see
        ``RequestExtras``) go with the request either way.
        """
        body = chat_body(messages, stream, model)
        extras = check_extras("chat.completions.create", extras)
        if not stream:
            return self._complete(body, extras)
        policy = ChatPolicy()
        source = self._client._source(CHAT_PATH, body, policy, reconnects=0, extras=extras)
        chat_stream = AsyncChatStream(source, policy)
        return AsyncStreamManager(chat_stream)

    async def _complete(self, body: dict[str, Any], extras: RequestExtras) -> shipit.ChatCompletion:
        data = await self._client._http.request("POST", CHAT_PATH, json=body, **extras)
        return as_completion(data)


class AsyncChat:
    """``client.chat``: the OpenAI-compatible chat API."""

    def __init__(self, client: AsyncShipit) -> None:
        self._completions = AsyncCompletions(client)

    @property
    def completions(self) -> AsyncCompletions:
        """``client.chat.completions.create(messages=[...], stream=...)``."""
        return self._completions


class AsyncShipit(AsyncClientBase):
    """The client of a shipit-agent server.

    Args:
        api_key: the server's Bearer token, if it has one; default ``SHIPIT_API_KEY``.
        base_url: default ``SHIPIT_BASE_URL``, else ``http://127.0.0.1:8399``.
        timeout: seconds to connect, and to wait for a JSON answer (a whole run, for
            ``run()`` and unstreamed completions).
        max_retries: retries of a failed request that is safe to repeat (``health()``).
        stream_read_timeout: seconds without any byte before a stream counts as cut.
        max_stream_reconnects: failed resumes in a row before giving up (``resume=True``).
        reconnect_delay: the base delay (s) before a resume; failures in a row double it.
        idle_timeout: seconds a stream may go without a real event (``stream_hello``
            doesn't count) before StreamIdleTimeout; None (the default): no limit.
        secret_headers: header names that are secrets besides Authorization, Cookie,
            X-Api-Key and the like: none follows a redirect to another origin.
        max_redirects: redirects followed per request (RemoteProtocolError past it).
        first_connect_timeout: seconds (retries included) to reach a server never
            reached before UnreachableError names the URL and ``SHIPIT_BASE_URL``.
        client: an httpx.AsyncClient to use; the caller keeps ownership.

    Raises:
        ConfigError: a base URL without its scheme or host.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 300.0,
        max_retries: int = 2,
        stream_read_timeout: float = 300.0,
        max_stream_reconnects: int = 5,
        reconnect_delay: float = 0.5,
        idle_timeout: float | None = None,
        secret_headers: Iterable[str] = (),
        max_redirects: int = MAX_REDIRECTS,
        first_connect_timeout: float | None = FIRST_CONNECT_TIMEOUT,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        key, self.base_url = resolve(api_key, base_url)
        self.timeout = timeout
        self.stream_read_timeout = stream_read_timeout
        self.max_stream_reconnects = max_stream_reconnects
        self.reconnect_delay = reconnect_delay
        self._http = AsyncHTTP(
            self.base_url,
            auth_headers(key),
            timeout=timeout,
            max_retries=max_retries,
            client=client,
            secret_headers=secret_headers,
            max_redirects=max_redirects,
            first_connect_timeout=first_connect_timeout,
            hint=URL_HINT,
            idle_timeout=idle_timeout,
        )
        self._bind()

    def _bind(self) -> None:
        self._chat = AsyncChat(self)

    @property
    def chat(self) -> AsyncChat:
        """``client.chat.completions``: the OpenAI-compatible endpoint, side-band typed."""
        return self._chat

    async def health(self, **extras: Unpack[RequestExtras]) -> shipit.Health:
        """``GET /health``: status, model name and stream generation."""
        extras = check_extras("health", extras)
        return as_health(await self._http.request("GET", "/health", **extras))

    def stream(
        self,
        *,
        prompt: str,
        resume: bool = False,
        raise_on_error: bool = False,
        **extras: Unpack[RequestExtras],
    ) -> AsyncStreamManager[AsyncRunStream]:
        """Run `prompt` and stream its framed transcript (``POST /v1/stream``).

        Args:
            prompt: what the agent is asked.
            resume: the server re-joins a run from ``Last-Event-ID`` (an app built on
                shipit's ``replay_from``): reconnect after a drop. AgentServer does not
                (a repeated POST is a new run), so by default a drop raises.
            raise_on_error: a run that failed raises RunFailedError at its end.
            **extras: the request extras (``extra_body``, ``extra_headers``,
                ``extra_query``): on the stream's request, and on every resume.

        Raises:
            ValueError: `prompt` is empty.
            TypeError: another keyword (the message names the valid ones).
        """
        extras = check_extras("stream", extras)
        body = stream_body(prompt)
        return self._run_stream("POST", "/v1/stream", body, resume, raise_on_error, extras)

    def subscribe(
        self,
        path: str,
        *,
        method: str = "GET",
        json: Any = None,
        resume: bool = True,
        last_sequence: int = 0,
        generation: str | None = None,
        raise_on_error: bool = False,
        **extras: Unpack[RequestExtras],
    ) -> AsyncStreamManager[AsyncRunStream]:
        """Stream any SSE route of a shipit-based app, in either format (framed, or the
        plain ``sse_event_packet`` one), typed the same way.

        `last_sequence` and `generation` continue an earlier stream (its
        ``last_sequence`` and ``generation``): only what it missed is delivered. The
        request extras go on the stream's request and on every resume.

        Raises:
            TypeError: an unknown keyword (the message names the valid ones).
        """
        extras = check_extras("subscribe", extras)
        policy = ShipitResumePolicy(
            resume=resume, last_sequence=last_sequence, generation=generation
        )
        reconnects = self.max_stream_reconnects if resume else 0
        source = self._source(
            path, json, policy, reconnects=reconnects, method=method, extras=extras
        )
        stream = AsyncRunStream(source, policy, raise_on_error)
        return AsyncStreamManager(stream)

    async def stream_text(
        self, *, prompt: str, raise_on_error: bool = True, **extras: Unpack[RequestExtras]
    ) -> AsyncIterator[str]:
        """Run `prompt` and yield its answer text as it streams: the one-liner. A run
        that fails raises RunFailedError at its end (``raise_on_error=False`` to just
        stop). The request extras go on the stream's request, as with ``stream``."""
        extras = check_extras("stream_text", extras)
        manager = self.stream(prompt=prompt, raise_on_error=raise_on_error, **extras)
        async with manager as stream:
            async for text in stream.iter_text():
                yield text

    async def run(self, *, prompt: str, **extras: Unpack[RequestExtras]) -> str:
        """Run `prompt` to the end without streaming; return the final output.

        Uses the unstreamed chat endpoint, which answers with the run's output only (the
        request extras go with that request).

        Raises:
            InternalServerError: the run failed (the message is the run's error).
        """
        messages = [{"role": "user", "content": stream_body(prompt)["prompt"]}]
        extras = check_extras("run", extras)
        completion = await self._chat.completions.create(messages=messages, **extras)
        if not completion.choices:
            return ""
        return completion.choices[0].message.content or ""

    def _run_stream(
        self,
        method: str,
        path: str,
        body: Any,
        resume: bool,
        raise_on_error: bool,
        extras: RequestExtras,
    ) -> AsyncStreamManager[AsyncRunStream]:
        policy = ShipitResumePolicy(resume=resume)
        reconnects = self.max_stream_reconnects if resume else 0
        source = self._source(
            path, body, policy, reconnects=reconnects, method=method, extras=extras
        )
        stream = AsyncRunStream(source, policy, raise_on_error)
        return AsyncStreamManager(stream)

    def _source(
        self,
        path: str,
        body: Any,
        policy: ShipitResumePolicy | ChatPolicy,
        *,
        reconnects: int,
        method: str = "POST",
        extras: RequestExtras | None = None,
    ) -> AsyncEventSource:
        return self._http.event_source(
            path,
            method=method,
            json=body,
            extras=extras,
            read_timeout=self.stream_read_timeout,
            max_reconnect_attempts=reconnects,
            retry=self.reconnect_delay,
            policy=policy,
        )
