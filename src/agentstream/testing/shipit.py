"""The real shipit-agent server, run on 127.0.0.1 for tests (needs ``pip install shipit-agent``).

shipit-agent is a producer library: it has an HTTP server (``shipit_agent.serve.
AgentServer``) and no client. So instead of an emulator, agentstream runs the real
thing: shipit's own ``AgentServer`` request handler and a real ``Agent`` behind it,
with shipit's ``SimpleEchoLLM`` (which answers the system prompt and the user's
message; the prompt is empty here, so it echoes the message) or a ``ScriptedLLM``
playing a scenario through the real runtime::

    import httpx

    from agentstream.testing import say, tool, usage
    from agentstream.testing.shipit import ScriptedLLM, ShipitServer

    llm = ScriptedLLM([tool("lookup", {"id": 7}, result={"ok": True}), say("Done."), usage(
        input_tokens=10, output_tokens=2)])
    with ShipitServer(llm=llm) as server:
        transcript = httpx.post(server.base_url + "/v1/stream", json={"prompt": "go"})
        assert "Done." in transcript.text

The wire (shipit-agent 2.2.1): ``GET /health`` -> ``{"status", "model",
"stream_generation"}``; ``GET /v1/models``; ``POST /v1/stream`` (or ``/stream``) with
``{"prompt"}`` or ``{"input"}`` -> the framed transcript (``stream_hello``, then one frame
per event with ``id: <sequence>``, ``event: <type>`` and a JSON body carrying
``durability``, ``generation`` and ``sequence``, then ``event: done`` / ``data: [DONE]``);
``POST /v1/chat/completions`` (or ``/chat/completions``), OpenAI-shaped, streamed or not.
With an API key, every route but ``/health`` wants ``Authorization: Bearer <key>``.

``ResumingShipitServer`` is the other half: an app built on shipit's ``streaming``
helpers that honours ``Last-Event-ID`` with ``replay_from``, with faults to drop a
connection, so that a client's resume can be tested (AgentServer itself ignores
``Last-Event-ID``: every POST is a new run).
"""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType
from typing import Any

from typing_extensions import Self

from . import _shipit_compat as shipit
from ._shipit_compat import INSTALL_HINT, ShipitNotInstalled
from ._shipit_http import TrackedHTTPServer
from ._shipit_llm import ScriptedFailure, ScriptedLLM, ScriptedTool, ScriptedToolError
from ._shipit_resume import ResumingShipitServer

__all__ = [
    "INSTALL_HINT",
    "ResumingShipitServer",
    "ScriptedFailure",
    "ScriptedLLM",
    "ScriptedTool",
    "ScriptedToolError",
    "ShipitNotInstalled",
    "ShipitServer",
]


class ShipitServer:
    """shipit-agent's own ``AgentServer`` on 127.0.0.1, in a background thread.

    Args:
        llm: any object with shipit's LLM protocol (``complete(*, messages, tools, ...)
            -> LLMResponse``); shipit's ``SimpleEchoLLM`` by default.
        tools: the agent's tools (shipit ``Tool`` objects); by default none, or a
            ``ScriptedLLM``'s own ``tools()``.
        agent: a ready shipit ``Agent`` to serve instead (then give no llm, tools,
            prompt or agent options).
        prompt: the agent's system prompt. Empty, so the echo LLM answers exactly the
            user's message.
        api_key: the Bearer token AgentServer then requires (not on ``/health``).
        model_name: the model name ``/health``, ``/v1/models`` and completions report.
        host: the interface; loopback by default.
        port: the port; 0 picks a free one (bound by ``start()``, see ``.port``).
        shutdown_timeout: how long ``stop()`` may take, at most.
        agent_options: more ``Agent`` fields (``max_iterations``, ``guardrails``, ...).
            Project files, skills, rules and tracing are off unless given here.

    Raises:
        ShipitNotInstalled: (on import) shipit-agent is not installed.
    """

    def __init__(
        self,
        *,
        llm: Any = None,
        tools: Iterable[Any] | None = None,
        agent: Any = None,
        prompt: str = "",
        api_key: str | None = None,
        model_name: str = "shipit",
        host: str = "127.0.0.1",
        port: int = 0,
        shutdown_timeout: float = 5.0,
        **agent_options: Any,
    ) -> None:
        if agent is not None and (llm is not None or tools is not None or prompt or agent_options):
            raise ValueError("give either a ready agent or what to build one from, not both")
        if agent is not None:
            llm = agent.llm
        self.llm: Any = llm if llm is not None else shipit.SimpleEchoLLM()
        if tools is None:
            tools = self.llm.tools() if isinstance(self.llm, ScriptedLLM) else ()
        self.agent: Any = agent or shipit.build_agent(self.llm, tools, prompt, agent_options)
        #: shipit's own server object: its handler serves every request.
        self.agent_server: Any = shipit.AgentServer(
            self.agent, model_name=model_name, api_key=api_key
        )
        self.host = host
        self.shutdown_timeout = shutdown_timeout
        self._requested_port = port
        self._httpd: TrackedHTTPServer | None = None

    # Where it is -------------------------------------------------------------------

    @property
    def api_key(self) -> str | None:
        """The Bearer token required; settable, and effective from the next request."""
        key: str | None = self.agent_server.api_key
        return key

    @api_key.setter
    def api_key(self, key: str | None) -> None:
        self.agent_server.api_key = key

    @property
    def model_name(self) -> str:
        """The model name the server reports (``/health``, ``/v1/models``)."""
        return str(self.agent_server.model_name)

    @property
    def port(self) -> int:
        """The port the server listens on (known once started, even for port 0)."""
        if self._httpd is None:
            raise RuntimeError("the shipit server is not started")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``; the routes are ``/health``, ``/v1/stream``, ..."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    url = base_url

    @property
    def openai_base_url(self) -> str:
        """``base_url + "/v1"``, what an OpenAI client's ``base_url`` should be."""
        return self.base_url + "/v1"

    def headers(self) -> dict[str, str]:
        """The ``Authorization`` header the server wants, if any."""
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}

    # Lifecycle ---------------------------------------------------------------------

    def start(self) -> Self:
        """Bind the port and serve in a background thread; returns at once.

        Raises:
            RuntimeError: already started.
            OSError: the port is taken.
        """
        if self._httpd is not None:
            raise RuntimeError("the shipit server is already started")
        handler = self.agent_server._make_handler()
        self._httpd = TrackedHTTPServer((self.host, self._requested_port), handler)
        self._httpd.start(name=f"agentstream-shipit-server-{self.port}")
        return self

    def stop(self) -> None:
        """Stop: runs are cancelled, open streams cut, every thread joined. Idempotent.

        Takes at most `shutdown_timeout` seconds (a thread still alive then is logged).
        """
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        # Cancel first, so a run whose stream is cut stops at its next checkpoint, and
        # wake a scripted sleep, which no checkpoint interrupts.
        self.agent.cancel()
        if isinstance(self.llm, ScriptedLLM):
            self.llm.interrupt()
        httpd.stop(self.shutdown_timeout)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # Starting binds a socket; stopping is bounded. Neither needs a worker thread.
    async def __aenter__(self) -> Self:
        return self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
