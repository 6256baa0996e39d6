"""Failures are loud: every platform's one-liner raises RunFailedError on a failed run or
turn (carrying the run or session and the text so far), ``raise_on_error=False`` opts
out; the CLI exits non-zero with a one-line reason. Real loopback HTTP, sync and async."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import agentstream
from agentstream import RunFailedError
from agentstream._cli import main
from agentstream.testing import EverrunsEmulator, M8tesEmulator, ManagedAgentsEmulator, fail, say
from agentstream.types import m8tes


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def one_liner(mode: str, make: Callable[[], Any], call: Callable[[Any], Any]) -> tuple[str, Any]:
    """Run the one-liner `call(client)` to its end: (its text, the error it raised)."""
    chunks: list[str] = []
    if mode == "sync":
        with make() as client:
            try:
                chunks.extend(call(client))
            except agentstream.AgentStreamError as exc:
                return "".join(chunks), exc
        return "".join(chunks), None

    async def run() -> tuple[str, Any]:
        async with make() as client:
            try:
                async for chunk in call(client):
                    chunks.append(chunk)  # noqa: PERF401
            except agentstream.AgentStreamError as exc:
                return "".join(chunks), exc
        return "".join(chunks), None

    return asyncio.run(run())


@pytest.fixture(scope="module")
def m8tes_server() -> Iterator[M8tesEmulator]:
    with M8tesEmulator(api_key="test-key", speed=0) as emulator:
        yield emulator


def test_m8tes_stream_text_raises_on_a_failed_run(mode: str, m8tes_server: Any) -> None:
    """runs.stream_text raises RunFailedError with the run (fetched) and its text."""
    cls = agentstream.M8tes if mode == "sync" else agentstream.AsyncM8tes

    def make() -> Any:
        return cls(api_key="test-key", base_url=m8tes_server.base_url)

    text, error = one_liner(mode, make, lambda c: c.runs.stream_text(message="[scenario:failure]"))
    assert isinstance(error, RunFailedError)
    assert str(error) == f"run {error.run_id} failed: Gmail token expired"
    assert error.text == text == "Checking the support inbox..."
    assert isinstance(error.run, m8tes.Run) and error.run.status == "failed"
    assert error.run.id == error.run_id and error.errors[0].message == "Gmail token expired"
    quiet, none = one_liner(
        mode,
        make,
        lambda c: c.runs.stream_text(message="[scenario:failure]", raise_on_error=False),
    )
    assert none is None and quiet == text
    ok, none = one_liner(mode, make, lambda c: c.runs.stream_text(message="triage"))
    assert none is None and ok.startswith("Here are")


def test_everruns_stream_text_raises_on_a_failed_turn(mode: str) -> None:
    cls = agentstream.Everruns if mode == "sync" else agentstream.AsyncEverruns
    with EverrunsEmulator(api_key="test-key", speed=0) as emulator:
        session = agentstream.Everruns(api_key="test-key", base_url=emulator.base_url)
        session_id = session.sessions.create().id
        session.close()

        def make() -> Any:
            return cls(api_key="test-key", base_url=emulator.base_url)

        def failing(**options: Any) -> Callable[[Any], Any]:
            return lambda c: c.sessions.stream_text(
                session_id, message="[scenario:failure] go", **options
            )

        text, error = one_liner(mode, make, failing())
        assert isinstance(error, RunFailedError) and error.session_id == session_id
        assert error.text == text and "Gmail token expired" in str(error)
        quiet, none = one_liner(mode, make, failing(raise_on_error=False))
        assert none is None and quiet == text


def test_managed_agents_stream_text_raises_on_a_failed_turn(mode: str) -> None:
    from agentstream.testing import Scenario

    failing = Scenario("failing-loud", [say("Trying. "), fail("the sandbox died")])
    cls = agentstream.ManagedAgents if mode == "sync" else agentstream.AsyncManagedAgents
    with ManagedAgentsEmulator(api_key="test-key", speed=0, scenarios=[failing]) as emulator:
        sync = agentstream.ManagedAgents(api_key="test-key", base_url=emulator.base_url)
        ids = [sync.sessions.create(agent="a", environment_id="e").id for _ in range(2)]
        sync.close()

        def make() -> Any:
            return cls(api_key="test-key", base_url=emulator.base_url)

        text, error = one_liner(
            mode,
            make,
            lambda c: c.sessions.stream_text(ids[0], message="[scenario:failing-loud]"),
        )
        assert isinstance(error, RunFailedError) and error.session_id == ids[0]
        assert str(error) == "the turn failed: the sandbox died"
        assert error.text == text == "Trying. "
        quiet, none = one_liner(
            mode,
            make,
            lambda c: c.sessions.stream_text(
                ids[1], message="[scenario:failing-loud]", raise_on_error=False
            ),
        )
        assert none is None and quiet == text


def test_shipit_stream_text_raises_on_a_failed_run(mode: str) -> None:
    pytest.importorskip("shipit_agent")
    from agentstream.testing.shipit import ScriptedLLM, ShipitServer

    cls = agentstream.Shipit if mode == "sync" else agentstream.AsyncShipit
    steps = [say("Checking. "), fail("mailbox token expired")]
    with ShipitServer(llm=ScriptedLLM(steps)) as server:

        def make() -> Any:
            return cls(base_url=server.base_url)

        text, error = one_liner(mode, make, lambda c: c.stream_text(prompt="go"))
        assert isinstance(error, RunFailedError) and error.text == text
        assert "mailbox token expired" in str(error)
        quiet, none = one_liner(
            mode, make, lambda c: c.stream_text(prompt="go", raise_on_error=False)
        )
        assert none is None and quiet == text


def test_cli_run_exits_non_zero_with_one_line(
    m8tes_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """`agentstream run` on a failed run: exit 1 and one line on stderr saying why, in
    plain and in --json output."""
    base = ["--base-url", m8tes_server.base_url, "--api-key", "test-key"]
    for output in ("--plain", "--json"):
        assert main(["run", "[scenario:failure]", *base, output]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("agentstream: run ")
        assert err[0].endswith("failed: Gmail token expired")


@pytest.mark.parametrize("platform", ["m8tes", "everruns", "managed-agents"])
def test_cli_demo_of_a_failure_exits_non_zero(
    platform: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["demo", "--platform", platform, "--message", "[scenario:failure]", "--speed", "0"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and "failed: Gmail token expired" in err[0]
