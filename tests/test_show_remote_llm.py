"""`[llm] backend = "openai"`: the app wires the OpenAI-compatible client instead of the local LLM
worker, and the show answers through it, against a real local server streaming server-sent
events (aiohttp on 127.0.0.1). Only the voice is scripted (in-process, same request surface as
the TTS worker), so no model is loaded."""

from __future__ import annotations

import asyncio

from tests.fakes import ScriptedTTS
from tests.test_brain_openai_client import KEY, PIECES, Server, _serve
from tests.test_show_pipeline import chat, until
from vhost.app import compose as app
from vhost.audio.sinks import VirtualSink
from vhost.config.settings import VhostConfig
from vhost.stage.live import LiveStage
from vhost.voice.tts_worker import encode_chunk


class ToneWorker:
    """The TTS worker's surface (`call("synth", ...)` -> an encoded chunk), without a process."""

    name = "tts"
    restarts = 0
    is_ready = True

    def __init__(self) -> None:
        self.tts = ScriptedTTS(seconds_per_char=0.012)

    def start(self) -> None:
        pass

    async def wait_ready(self) -> None:
        pass

    async def call(self, op: str, **kw) -> dict:
        assert op == "synth"
        return encode_chunk(await self.tts.synthesize(kw["text"], kw.get("lang")))

    async def close(self) -> None:
        pass


class NoVisuals:
    def __init__(self, **_kw) -> None:
        pass

    def start(self) -> None:
        pass

    async def close(self) -> None:
        pass


def _patch(monkeypatch) -> list[str]:
    spawned: list[str] = []

    def worker_client(name, *args, **kw):
        spawned.append(name)
        assert name in ("tts", "voice-ahead"), "no local LLM process may start with the openai backend"
        return ToneWorker()

    monkeypatch.setattr(app, "WorkerClient", worker_client)
    monkeypatch.setattr(app, "ProductVisuals", NoVisuals)
    return spawned


def _run(monkeypatch, key: str):
    spawned = _patch(monkeypatch)
    monkeypatch.setenv("VHOST_TEST_LLM_KEY", key)

    async def go():
        server = Server()
        runner, url = await _serve(server)
        cfg = VhostConfig.model_validate({"llm": {"backend": "openai", "base_url": url, "remote_model": "m",
                                                  "api_key_env": "VHOST_TEST_LLM_KEY"}})
        events: list = []
        workers = await app.start_workers(cfg, lambda *_: None)
        assert await app.wait_workers(workers) == []
        sink = VirtualSink(16000, block_s=0.005)
        show = app.build_show(cfg, workers, sink, LiveStage(7), lambda e: events.append((e.kind, e.data())))
        sink.start()
        task = asyncio.create_task(show.run())
        try:
            await show.offer_chat(chat(show, "What do you think of the mug?"))
            await until(lambda: show.replies or any(k == "warning" for k, _ in events))
        finally:
            task.cancel()
            sink.stop()
            await workers.close()
            await runner.cleanup()
        return show, server, events, spawned

    return asyncio.run(go())


def test_the_show_answers_through_an_openai_compatible_server(monkeypatch):
    show, server, events, spawned = _run(monkeypatch, KEY)
    assert spawned == ["tts", "voice-ahead"]  # the live voice and the one that prepares lines ahead
    rep = show.replies[0]
    assert rep["path"] == "llm" and rep["heard_text"] == "".join(PIECES) and rep["grounded"]
    body = server.requests[0]
    assert body["model"] == "m" and body["stream"] is True
    assert body["messages"][0]["role"] == "system" and "Voyager" in body["messages"][0]["content"]
    assert body["messages"][-1] == {"role": "user", "content": "What do you think of the mug?"}


def test_a_refused_key_turns_auto_replies_off_with_the_servers_reason(monkeypatch):
    show, server, events, spawned = _run(monkeypatch, "sk-wrong")
    assert not show.auto_reply and show.replies == [] and server.requests == []
    warning = next(d["text"] for k, d in events if k == "warning")
    assert "refused the API key" in warning and [m.id for m in show.queue.triage.pending] == ["c1"]


def test_each_spoken_fragment_is_compliance_checked_once(monkeypatch):
    # The replier checks every fragment (vhost.brain.guard); the app used to add a second,
    # identical compliance guard on the voice (and against the product on screen, not the one
    # the reply is about).
    from vhost.brain import compliance, guard

    checked: list[str] = []

    def counting(text, *args, **kw):
        checked.append(text)
        return compliance.check_compliance(text, *args, **kw)

    monkeypatch.setattr(guard, "check_compliance", counting)
    monkeypatch.setattr(app, "check_compliance", counting, raising=False)
    show, server, events, spawned = _run(monkeypatch, KEY)
    assert show.replies[0]["heard_text"] == "".join(PIECES)
    assert checked and len(checked) == len(set(checked))
