"""``extra_headers=`` / ``extra_query=`` / ``extra_body=`` on the streaming and polling
entry points: a stream's request carries all three, on its first connection and on the
reconnect after a dropped connection (with the resume cursor still in the query), sync
and async, over real loopback against the emulators (a recorder in front of their app).
Polls carry them on every GET. Unknown keywords stay a TypeError naming the valid ones,
and a secret extra header does not follow a stream's redirect to another origin."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

import agentstream
from agentstream.testing import EverrunsEmulator, Faults, M8tesEmulator, ManagedAgentsEmulator
from agentstream.testing.shipit import ResumingShipitServer
from tests.sse_server import Reply, SSEServer
from tests.test_request_extras import KEY, Recorder, Seen, done, recorded

EXTRAS: dict[str, Any] = {
    "extra_headers": {"X-Trace": "t-1"},
    "extra_query": {"trace": "q-1"},
    "extra_body": {"extra_note": 1},
}
MODES = ["sync", "async"]


def carries_all(seen: Seen) -> bool:
    return seen.carries("extra_note")


def query_names(seen: Seen) -> set[str]:
    return {part.split("=", 1)[0] for part in seen.query.split("&") if part}


def streams(log: list[Seen], suffix: str) -> list[Seen]:
    return [seen for seen in log if seen.path.endswith(suffix)]


def play(mode: str, client: Any, scenario: Callable[[Any], Any]) -> Any:
    async def main() -> Any:
        try:
            return await scenario(client)
        finally:
            await done(client.close() if mode == "sync" else client.aclose())

    return asyncio.run(main())


async def read(manager: Any) -> list[Any]:
    """Every item of a stream manager (sync or async), read in its context."""
    if hasattr(manager, "__aenter__"):
        async with manager as stream:
            return [item async for item in stream]
    with manager as stream:
        return list(stream)


def client_of(mode: str, sync_class: Any, async_class: Any, **options: Any) -> Any:
    return (sync_class if mode == "sync" else async_class)(api_key=KEY, **options)


# -- Everruns --------------------------------------------------------------------------


def everruns(mode: str, emulator: Any) -> Any:
    return client_of(
        mode,
        agentstream.Everruns,
        agentstream.AsyncEverruns,
        base_url=emulator.base_url,
        reconnect_delay=0.01,
        max_stream_reconnects=20,
        stream_read_timeout=5,
    )


@pytest.mark.parametrize("mode", MODES)
def test_an_everruns_turn_sends_the_extras_on_every_connection(mode: str) -> None:
    emulator, log = recorded(EverrunsEmulator)
    with emulator:

        async def scenario(client: Any) -> Any:
            session = await done(client.sessions.create())
            emulator.faults = Faults(drop_after_events=3, times=1)
            turn = client.sessions.turn(session.id, message="triage my inbox", **EXTRAS)
            events = await read(turn)
            emulator.faults = None
            text = "".join(
                await done(client.sessions.stream_text(session.id, message="hi", **EXTRAS))
            )
            return events, text

        events, text = play(mode, everruns(mode, emulator), scenario)
    assert events[-1].type == "turn.completed"
    first, again, *rest = streams(log, "/sse")
    assert all(carries_all(seen) for seen in [first, again, *rest]), log
    assert "since_id" in query_names(again)  # the cursor joins the extra query
    assert len(rest) == 1 and text  # stream_text's stream
    posted = [seen for seen in log if seen.method == "POST" and seen.path.endswith("/messages")]
    assert posted and not any(seen.carries(None) for seen in posted)  # the stream's, only


@pytest.mark.parametrize("mode", MODES)
def test_everruns_events_stream_and_poll_send_the_extras(mode: str) -> None:
    emulator, log = recorded(EverrunsEmulator)
    with emulator:

        async def scenario(client: Any) -> Any:
            session = await done(client.sessions.create())
            await done(client.messages.create(session.id, text="triage my inbox"))
            mark = len(log)
            await done(client.sessions.poll(session.id, timeout=10, interval=0.02, **EXTRAS))
            polled = log[mark:]
            emulator.faults = Faults(drop_after_events=2, times=1)
            manager = client.events.stream(session.id, replay=True, **EXTRAS)
            wanted = len(emulator.events(session.id))
            got: list[Any] = []
            if mode == "sync":
                with manager as stream:
                    got = [event for _, event in zip(range(wanted), stream, strict=False)]
            else:
                async with manager as stream:
                    async for event in stream:
                        got.append(event)
                        if len(got) == wanted:
                            break
            return polled, got, wanted

        polled, got, wanted = play(mode, everruns(mode, emulator), scenario)
    assert polled and all(carries_all(seen) for seen in polled)
    assert len(got) == wanted
    first, again, *_ = streams(log, "/sse")
    assert carries_all(first) and carries_all(again)
    assert "after_sequence" in query_names(first) and "since_id" in query_names(again)


# -- Managed Agents --------------------------------------------------------------------


def managed(mode: str, emulator: Any) -> Any:
    return client_of(
        mode,
        agentstream.ManagedAgents,
        agentstream.AsyncManagedAgents,
        base_url=emulator.base_url,
        reconnect_delay=0.01,
        max_stream_reconnects=20,
        stream_read_timeout=5,
    )


@pytest.mark.parametrize("mode", MODES)
def test_a_managed_agents_turn_sends_the_extras_on_every_connection(mode: str) -> None:
    log: list[Seen] = []
    emulator = ManagedAgentsEmulator(api_key=KEY, speed=0.005)
    emulator.app.add_middleware(Recorder, log=log)
    with emulator:

        async def scenario(client: Any) -> Any:
            sessions = client.sessions
            session = await done(sessions.create(agent="a", environment_id="e"))
            emulator.faults = Faults(drop_after_events=3, times=1)
            turn = sessions.turn(session.id, message="Triage my inbox", **EXTRAS)
            events = await read(turn)
            emulator.faults = None
            mark = len(log)
            await done(sessions.poll(session.id, timeout=10, interval=0.02, **EXTRAS))
            polled = log[mark:]
            text = "".join(await done(sessions.stream_text(session.id, message="hi", **EXTRAS)))
            return events, polled, text

        events, polled, text = play(mode, managed(mode, emulator), scenario)
    assert events and text
    assert polled and all(carries_all(seen) for seen in polled)
    made = streams(log, "/events/stream")
    assert len(made) == 3, "\n".join(f"{s.method} {s.path} {s.query}" for s in log)
    assert all(carries_all(seen) for seen in made)  # the turn's two connections, stream_text's
    assert all("event_deltas%5B%5D" in query_names(seen) for seen in made)  # its own query kept
    sent = [seen for seen in log if seen.method == "POST" and seen.path.endswith("/events")]
    assert sent and all(seen.headers.get("x-trace") == "t-1" for seen in sent)


@pytest.mark.parametrize("mode", MODES)
def test_managed_agents_events_stream_sends_the_extras(mode: str) -> None:
    emulator, log = recorded(ManagedAgentsEmulator)
    with emulator:
        client = managed(mode, emulator)

        async def scenario(client: Any) -> Any:
            session = await done(client.sessions.create(agent="a", environment_id="e"))
            stream = client.sessions.events.stream(session.id, **EXTRAS)
            if mode == "async":
                stream = await stream  # (done() would read it to its end)
            message = [{"type": "user.message", "content": [{"type": "text", "text": "hi"}]}]
            await done(client.sessions.events.send(session.id, events=message))
            kinds = []
            if mode == "sync":
                with stream:
                    for event in stream:
                        kinds.append(event.type)
                        if event.type == "session.status_idle":
                            break
            else:
                async with stream:
                    async for event in stream:
                        kinds.append(event.type)
                        if event.type == "session.status_idle":
                            break
            return kinds

        assert "session.status_idle" in play(mode, client, scenario)
    (made,) = streams(log, "/events/stream")
    assert carries_all(made)


# -- m8tes -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_m8tes_poll_and_wait_send_the_extras_with_each_get(mode: str) -> None:
    emulator, log = recorded(M8tesEmulator)
    with emulator:

        async def scenario(client: Any) -> Any:
            runs = client.runs
            waiting = await done(runs.create(message="[scenario:approval] a", stream=False))
            mark = len(log)
            run = await done(
                runs.wait(
                    waiting.id, on_approval=lambda r: True, interval=0.02, timeout=10, **EXTRAS
                )
            )
            waited = log[mark:]
            mark = len(log)
            again = await done(runs.poll(run.id, interval=0.02, timeout=10, **EXTRAS))
            return run, again, waited, log[mark:]

        client = client_of(
            mode, agentstream.M8tes, agentstream.AsyncM8tes, base_url=emulator.base_url
        )
        run, again, waited, polled = play(mode, client, scenario)
    assert run.status == again.status == "completed"
    gets = [seen for seen in waited + polled if seen.method == "GET"]
    assert {seen.path.rsplit("/", 2)[-1] for seen in gets} >= {"permissions"}
    assert gets and all(carries_all(seen) for seen in gets)
    answers = [seen for seen in waited if seen.method == "POST"]
    assert answers and all(seen.carries(None) for seen in answers)


@pytest.mark.parametrize("mode", MODES)
def test_an_m8tes_rejoin_keeps_the_extra_query(mode: str) -> None:
    log: list[Seen] = []
    emulator = M8tesEmulator(api_key=KEY, speed=0.005)
    emulator.app.add_middleware(Recorder, log=log)
    with emulator:
        emulator.faults = Faults(drop_after_events=3, times=1)
        client = client_of(
            mode,
            agentstream.M8tes,
            agentstream.AsyncM8tes,
            base_url=emulator.base_url,
            reconnect_delay=0.02,
        )

        async def scenario(client: Any) -> Any:
            return await read(client.runs.create(message="Triage my inbox", **EXTRAS))

        assert play(mode, client, scenario)
    created, joined = [seen for seen in log if seen.path.startswith("/api/v2/runs")]
    assert created.method == "POST" and carries_all(created)
    assert joined.path.endswith("/stream") and joined.carries(None)


# -- shipit ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_shipit_streams_send_the_extras_on_every_connection(mode: str) -> None:
    log: list[Seen] = []
    server = ResumingShipitServer()
    server.app.add_middleware(Recorder, log=log)
    with server:
        server.faults = Faults(drop_after_events=4, times=1)
        client = (agentstream.Shipit if mode == "sync" else agentstream.AsyncShipit)(
            base_url=server.base_url, reconnect_delay=0.01
        )

        async def scenario(client: Any) -> Any:
            events = await read(client.stream(prompt="go", resume=True, **EXTRAS))
            text = "".join(await done(client.stream_text(prompt="go", **EXTRAS)))
            body = {"prompt": "go"}
            sub = client.subscribe("/v1/stream?x=1", method="POST", json=body, **EXTRAS)
            return events, text, await read(sub)

        events, text, subscribed = play(mode, client, scenario)
    assert events and text and subscribed
    first, again, one_liner, sub = streams(log, "/v1/stream")
    assert all(carries_all(seen) for seen in (first, again, one_liner, sub))
    assert again.headers["last-event-id"] == "3" and "last-event-id" not in first.headers
    assert query_names(sub) == {"x", "trace"}


def test_a_secret_extra_header_does_not_follow_a_stream_redirect_elsewhere() -> None:
    with SSEServer() as home, SSEServer() as elsewhere:
        sse = Reply(headers={"Content-Type": "text/event-stream"}, body=b"data: [DONE]\n\n")
        elsewhere.script("/s", sse)
        home.script("/s", Reply(status=307, headers={"Location": elsewhere.url("/s")}, body=b""))
        for secret in ([], ["X-Tenant"]):
            client = agentstream.Shipit(base_url=home.base_url, secret_headers=secret)
            with client.subscribe("/s", resume=False, extra_headers={"X-Tenant": "acme"}) as s:
                list(s)
            client.close()
        plain, marked = elsewhere.requests("/s")
    assert plain.headers.get("X-Tenant") == "acme"
    assert marked.headers.get("X-Tenant") is None


def test_unknown_keywords_of_the_streams_name_the_valid_ones() -> None:
    everruns_ = agentstream.Everruns(api_key=KEY, base_url="http://127.0.0.1:9/api")
    managed_ = agentstream.ManagedAgents(api_key=KEY, base_url="http://127.0.0.1:9")
    m8tes = agentstream.M8tes(api_key=KEY, base_url="http://127.0.0.1:9/api/v2")
    shipit = agentstream.Shipit(base_url="http://127.0.0.1:9")
    calls: list[tuple[str, Callable[[], Any]]] = [
        ("sessions.turn", lambda: everruns_.sessions.turn("s", message="m", extra_header={})),
        ("events.stream", lambda: everruns_.events.stream("s", extra_json={})),
        ("sessions.poll", lambda: everruns_.sessions.poll("s", extra_header={})),
        (
            "sessions.stream_text",
            lambda: next(everruns_.sessions.stream_text("s", message="m", extra_header={})),
        ),
        ("turn", lambda: managed_.sessions.turn("s", message="m", extra_header={})),
        ("stream", lambda: managed_.sessions.events.stream("s", extra_header={})),
        ("poll", lambda: managed_.sessions.poll("s", extra_header={})),
        ("runs.poll", lambda: m8tes.runs.poll(1, extra_header={})),
        ("runs.wait", lambda: m8tes.runs.wait(1, extra_header={})),
        ("stream", lambda: shipit.stream(prompt="p", extra_header={})),
        ("subscribe", lambda: shipit.subscribe("/s", extra_header={})),
        ("stream_text", lambda: next(shipit.stream_text(prompt="p", extra_header={}))),
    ]
    for name, call in calls:
        with pytest.raises(TypeError, match=rf"^{name}\(\) got unexpected .*valid: extra_body"):
            call()
