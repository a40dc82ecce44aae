"""The chat worker process: connectors run in a child, events arrive batched and restamped."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import urllib.request
from contextlib import aclosing

import pytest

from vhost.chat.config import ConnectorConfig
from vhost.chat.events import ChatMessage
from vhost.chat.worker import ChatProcess
from vhost.config.settings import VhostConfig


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(port: int, body: object) -> None:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/events", data=json.dumps(body).encode(),
                                 method="POST", headers={"Authorization": "Bearer wtok"})  # fmt: skip
    with urllib.request.urlopen(req, timeout=5) as r:
        assert r.status == 200


def test_worker_runs_connectors_in_a_child_and_restamps() -> None:
    port = _free_port()
    configs = [ConnectorConfig(source=f"ingest:{port}", token="wtok"),
               ConnectorConfig(source="bilibili:not-a-room")]  # reported, the other still runs
    health: list[tuple[str, str, str]] = []
    show_clock = [1000.0]

    async def run() -> list[ChatMessage]:
        proc = ChatProcess(configs, clock=lambda: show_clock[0], on_health=lambda *h: health.append(h))
        out: list[ChatMessage] = []

        async def post_when_live() -> None:
            while not any(s == "live" for _, s, _ in health):
                await asyncio.sleep(0.05)
            await asyncio.to_thread(_post, port, [{"user": f"u{i}", "text": f"question {i}?", "id": f"w{i}"}
                                                  for i in range(250)])  # fmt: skip
            await asyncio.to_thread(_post, port, {"type": "withdraw", "withdraws": ["w3"], "id": "wd"})

        poster = asyncio.create_task(post_when_live())
        async with aclosing(proc.events()) as events:
            async for ev in events:
                out.append(ev)
                show_clock[0] += 1.0
                if len(out) == 251:
                    break
        await poster
        assert proc._proc is not None and not proc._proc.is_alive()  # stopped with the iterator
        return out

    evs = asyncio.run(asyncio.wait_for(run(), 60))
    assert [e.id for e in evs[:3]] == ["w0", "w1", "w2"] and evs[-1].withdraws == ("w3",)
    assert evs[0].received_at >= 1000.0 and evs[0].raw is None  # the show clock, no raw payload
    assert (f"ingest:{port}", "connecting", "") in health
    assert any(name == "bilibili:not-a-room" and s == "stopped" and "number" in d for name, s, d in health)


def test_app_chat_source_picks_connectors_else_replay() -> None:
    from vhost.app.compose import chat_source

    cfg = VhostConfig()
    replay = chat_source(cfg, lambda: 0.0)
    assert replay is not None and replay.__qualname__.startswith("ReplaySource")
    cfg = VhostConfig.model_validate({"chat": {"connectors": [{"source": "twitch:#x"}]}})
    live = chat_source(cfg, lambda: 0.0)
    assert live is not None and live.__qualname__.startswith("ChatProcess")


def test_a_dead_worker_is_reported_to_the_operator_and_a_broken_callback_is_survived() -> None:
    port = _free_port()
    health: list[tuple[str, str, str]] = []

    def on_health(*h: str) -> None:
        health.append(h)
        raise RuntimeError("UI bug")  # must not end the stream

    async def run() -> list[ChatMessage]:
        proc = ChatProcess([ConnectorConfig(source=f"ingest:{port}", token="wtok")], on_health=on_health,
                           max_restarts=0)  # no restart: what the operator sees when chat is given up
        out: list[ChatMessage] = []

        async def kill_when_live() -> None:
            while not any(s == "live" for _, s, _ in health):
                await asyncio.sleep(0.05)
            await asyncio.to_thread(_post, port, {"user": "u", "text": "still there?", "id": "k1"})
            while not out:
                await asyncio.sleep(0.05)
            proc._proc.kill()  # what the OOM killer does

        killer = asyncio.create_task(kill_when_live())
        async for ev in proc.events():
            out.append(ev)
        await killer
        return out

    evs = asyncio.run(asyncio.wait_for(run(), 60))
    assert [e.id for e in evs] == ["k1"]
    name, state, detail = health[-1]
    assert (name, state) == ("chat-worker", "stopped") and "exited" in detail


def test_a_killed_worker_is_restarted_its_connector_reconnects_and_nothing_is_delivered_twice() -> None:
    port = _free_port()
    health: list[tuple[str, str, str]] = []

    async def run() -> list[ChatMessage]:
        proc = ChatProcess([ConnectorConfig(source=f"ingest:{port}", token="wtok")],
                           on_health=lambda *h: health.append(h))
        out: list[ChatMessage] = []

        async def live_count() -> int:
            return sum(1 for _, s, _ in health if s == "live")

        async def drive() -> None:
            while await live_count() < 1:
                await asyncio.sleep(0.05)
            await asyncio.to_thread(_post, port, {"user": "u", "text": "before the crash", "id": "k1"})
            while not out:
                await asyncio.sleep(0.05)
            proc._proc.kill()  # what the OOM killer does
            while await live_count() < 2:  # restarted, and its ingest server listens again
                await asyncio.sleep(0.05)
            # the same message again (a platform re-sends after a reconnect) and a new one
            await asyncio.to_thread(_post, port, {"user": "u", "text": "before the crash", "id": "k1"})
            await asyncio.to_thread(_post, port, {"user": "v", "text": "after the crash", "id": "k2"})

        async with aclosing(proc.events()) as events:
            driver = asyncio.create_task(drive())
            async for ev in events:
                out.append(ev)
                if len(out) == 2:
                    break
            await driver
        return out

    evs = asyncio.run(asyncio.wait_for(run(), 90))
    assert [e.id for e in evs] == ["k1", "k2"]
    restarts = [d for name, s, d in health if name == "chat-worker" and s == "reconnecting"]
    assert len(restarts) == 1 and "restarting" in restarts[0]
    assert not any(name == "chat-worker" and s == "stopped" for name, s, _ in health)


def _post_until_accepted(port: int, body: object, deadline_s: float = 30.0) -> int:
    """What an ingest client does: retry until the server answers 200 (connection refused while
    the chat worker restarts, a reset mid-request when it dies). Returns the attempts it took."""
    import time

    end = time.monotonic() + deadline_s
    attempts = 0
    while True:
        attempts += 1
        try:
            _post(port, body)
            return attempts
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.05)


@pytest.mark.slow
def test_messages_before_during_and_after_a_kill_9_arrive_exactly_once() -> None:
    port = _free_port()
    health: list[tuple[str, str, str]] = []
    n = 80
    retried: list[int] = []

    async def run() -> list[ChatMessage]:
        proc = ChatProcess([ConnectorConfig(source=f"ingest:{port}", token="wtok")],
                           on_health=lambda *h: health.append(h))
        out: list[ChatMessage] = []

        def steady_chat() -> None:  # a viewer tool posting one message every 30 ms, come what may
            import time

            for i in range(n):
                attempts = _post_until_accepted(port, {"user": f"u{i}", "text": f"message {i}", "id": f"m{i}"})
                if attempts > 1:
                    retried.append(i)
                time.sleep(0.03)

        async def kill_mid_stream() -> None:
            while len(out) < 20:
                await asyncio.sleep(0.005)
            os.kill(proc._proc.pid, signal.SIGKILL)

        async def post_when_live() -> None:
            while not any(s == "live" for _, s, _ in health):
                await asyncio.sleep(0.05)
            await asyncio.to_thread(steady_chat)

        async with aclosing(proc.events()) as events:
            poster = asyncio.create_task(post_when_live())
            killer = asyncio.create_task(kill_mid_stream())
            async for ev in events:
                out.append(ev)
                if len(out) == n:
                    break
            await asyncio.gather(poster, killer)
            await asyncio.sleep(0.5)  # nothing more may come (a duplicate would)
        return out

    evs = asyncio.run(asyncio.wait_for(run(), 90))
    assert [e.id for e in evs] == [f"m{i}" for i in range(n)]  # every one, once, in order
    assert retried  # some were sent while the worker was down, and came through after its restart
    assert sum(1 for name, s, _ in health if name == "chat-worker" and s == "reconnecting") == 1
