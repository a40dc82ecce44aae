"""The control API over real HTTP/WebSocket on 127.0.0.1, driving a show with scripted LLM/voice:
401 without the token (and nothing done), manual mode speaks nothing until approved, say-now is
heard next, bad input gets a clear 4xx, the OpenAPI document is current."""

import asyncio
import contextlib
import json
import stat
import threading
import time

import aiohttp
import pytest

from tests.fakes import ScriptedLLM, ScriptedTTS
from tests.showkit import build_show as build_test_show
from tests.test_show_pipeline import chat, make_show, running, until
from vhost.app import compose as app
from vhost.base.paths import repo_root
from vhost.control import openapi
from vhost.control.hub import EventHub
from vhost.control.server import ControlServer
from vhost.control.token import load_or_create_token

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@contextlib.asynccontextmanager
async def api(show):
    hub = EventHub()
    show.listen(hub.publish)
    server = ControlServer(show, TOKEN, hub, port=0)
    url = await server.start()
    try:
        async with aiohttp.ClientSession(base_url=url) as http:
            yield http
    finally:
        await server.stop()


def test_missing_or_wrong_token_is_401_and_nothing_is_done():
    calls = [("POST", "/api/say", {"text": "hello"}), ("POST", "/api/interrupt", None), ("POST", "/api/pause", None),
             ("GET", "/api/state", None), ("GET", "/api/drafts", None), ("POST", "/api/drafts/d1/approve", None),
             ("POST", "/api/product", {"id": "lamp"}), ("POST", "/api/emotion", {"name": "happy"}),
             ("POST", "/api/mode", {"mode": "auto"})]
    bad_headers = [{}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": TOKEN},
                   {"Authorization": f"Basic {TOKEN}"}, {"Authorization": "Bearer "}]

    async def go():
        show, sink, events = make_show(mode="manual")
        statuses = []
        async with running(show, sink), api(show) as http:
            for method, path, body in calls:
                for headers in bad_headers:
                    async with http.request(method, path, json=body, headers=headers) as r:
                        statuses.append((path, r.status, r.headers.get("WWW-Authenticate")))
            with pytest.raises(aiohttp.WSServerHandshakeError) as ws_err:
                await http.ws_connect("/api/events?token=wrong")
            async with http.get("/api/openapi.json") as r:
                doc_status = r.status
            await asyncio.sleep(0.3)
            state = show.state()
        return statuses, ws_err.value.status, doc_status, events, show, state

    statuses, ws_status, doc_status, events, show, state = asyncio.run(go())
    assert all(s == 401 and auth == "Bearer" for _, s, auth in statuses), statuses
    assert ws_status == 401 and doc_status == 200
    assert not [k for k, _ in events if k in ("command", "state")] and show.spoken == []
    assert state["auto_reply"] and state["product"]["id"] != "lamp" and state["mode"] == "manual"


@pytest.mark.slow
def test_manual_mode_waits_for_approval_over_http_and_say_now_is_heard_next():
    async def go():
        show, sink, events = make_show(mode="manual")
        async with running(show, sink), api(show) as http:
            ws = await http.ws_connect("/api/events", headers=AUTH)
            first = json.loads((await ws.receive()).data)
            await show.offer_chat(chat(show))
            await until(lambda: show.desk.book.pending)
            await asyncio.sleep(0.8)  # auto mode would be speaking by now
            silent = (list(show.spoken), list(show.parts.tts.texts), sink.clock())
            async with http.get("/api/drafts", params={"state": "pending"}, headers=AUTH) as r:
                pending = (await r.json())["drafts"]
            async with http.post(f"/api/drafts/{pending[0]['id']}/approve", headers=AUTH) as r:
                approve_status = r.status
            await until(lambda: show.speaker.current is not None and show.speaker.current.first_audio_at)
            await asyncio.sleep(0.3)
            async with http.post("/api/say", json={"text": "Flash sale ends in five minutes!"}, headers=AUTH) as r:
                say_status = r.status
            await until(lambda: any(s["source"] == "operator" for s in show.spoken))
            async with http.get("/api/state", headers=AUTH) as r:
                state = await r.json()
            kinds = []
            with contextlib.suppress(TimeoutError):
                while True:
                    msg = await ws.receive(timeout=0.2)
                    kinds.append(json.loads(msg.data))
            await ws.close()
        return show, silent, pending, approve_status, say_status, state, first, kinds

    show, (spoken, synth, t_silent), pending, approve_status, say_status, state, first, kinds = asyncio.run(go())
    assert spoken == [] and synth == []  # nothing spoken, not even synthesized, before approval
    assert len(pending) == 1 and pending[0]["state"] == "pending" and pending[0]["chat_id"] == "c1"
    assert approve_status == 202 and say_status == 202
    reply, operator = show.spoken[0], show.spoken[1]
    assert show.replies[0]["first_audio_at"] > t_silent
    assert reply["source"] == "reply" and reply["interrupted"] and reply["heard_text"]
    assert operator["source"] == "operator" and operator["heard_text"] == "Flash sale ends in five minutes!"
    assert first["kind"] == "state" and first["data"]["mode"] == "manual"
    seen = [(m["kind"], m["data"].get("change")) for m in kinds]
    assert ("draft", "created") in seen and ("draft", "approved") in seen and ("spoken", None) in seen
    assert ("state", None) in seen and state["pending_drafts"] == 0


def test_bad_requests_get_clear_errors_and_edits_keep_the_original():
    async def go():
        show, sink, events = make_show(ScriptedLLM(), ScriptedTTS(), mode="manual")
        out = {}
        async with running(show, sink), api(show) as http:
            async def post(path, body=None, data=None):
                async with http.post(path, json=body, data=data, headers=AUTH) as r:
                    return r.status, await r.json()
            await show.offer_chat(chat(show))
            await show.offer_chat(chat(show, "Does the lamp dim?", "bo", "c2"))
            await until(lambda: len(show.desk.book.pending) == 2)
            d1, d2 = (d.id for d in show.desk.book.pending)
            out["unknown draft"] = await post("/api/drafts/d99/approve")
            out["skip"] = await post(f"/api/drafts/{d1}/skip")
            await until(lambda: show.desk.book.get(d1).state == "skipped")
            out["approve skipped"] = await post(f"/api/drafts/{d1}/approve")
            out["empty say"] = await post("/api/say", {"text": "  "})
            out["not json"] = await post("/api/say", data=b"text=hello")
            out["list body"] = await post("/api/say", [1, 2])
            out["unknown product"] = await post("/api/product", {"id": "yacht"})
            out["bad emotion"] = await post("/api/emotion", {"name": "furious"})
            out["bad mode"] = await post("/api/mode", {"mode": "yolo"})
            out["empty edit"] = await post(f"/api/drafts/{d2}/edit", {"text": ""})
            out["pin"] = await post(f"/api/drafts/{d2}/pin", {"pinned": True})
            out["edit"] = await post(f"/api/drafts/{d2}/edit", {"text": "Yes, it dims in three steps.", "approve": True})
            await until(lambda: show.replies)
            out["product"] = await post("/api/product", {"id": "lamp"})
            await until(lambda: show.product.id == "lamp")
        return out, show

    out, show = asyncio.run(go())
    assert out["unknown draft"][0] == 404 and "d99" in out["unknown draft"][1]["error"]
    assert out["skip"][0] == 202 and out["approve skipped"][0] == 409
    for case in ("empty say", "not json", "list body", "bad emotion", "bad mode", "empty edit"):
        assert out[case][0] == 400 and out[case][1]["error"], case
    assert out["unknown product"][0] == 404
    assert out["pin"][0] == out["edit"][0] == out["product"][0] == 202
    d2 = show.desk.book.all()[1]
    assert d2.text == "Yes, it dims in three steps." and d2.original_text != d2.text and d2.pinned
    assert show.replies[0]["heard_text"] == "Yes, it dims in three steps."


def test_openapi_document_is_published_current_and_covers_every_route():
    doc = openapi.build_openapi()
    on_disk = (repo_root() / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert on_disk == openapi.render(), "run: python -m vhost.control.openapi docs/openapi.json"
    server = ControlServer(object(), TOKEN, EventHub())
    routes = {(r.method.lower(), r.resource.canonical) for r in server.app.router.routes() if r.method != "HEAD"}
    documented = {(m, p) for p, ops in doc["paths"].items() for m in ops}
    assert routes == documented
    assert doc["openapi"].startswith("3.") and doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_token_is_generated_once_and_stored_private(tmp_path):
    path = tmp_path / "control-token"
    t1 = load_or_create_token(None, path)
    assert len(t1) >= 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_token(None, path) == t1  # kept across restarts
    path.chmod(0o644)
    assert load_or_create_token(None, path) == t1 and stat.S_IMODE(path.stat().st_mode) == 0o600
    # a given token is for that run only (tests/test_control_token.py): the stored one is kept
    assert load_or_create_token("given-token-123", path) == "given-token-123"
    assert path.read_text() == t1
    with pytest.raises(ValueError):
        load_or_create_token("short", path)


class FakeWorker:
    is_ready = True
    restarts = 0


class FakeWorkers:
    llm = tts = FakeWorker()

    async def close(self):
        pass


@pytest.mark.slow
def test_headless_demo_in_manual_mode_speaks_only_after_an_api_approval(tmp_path, monkeypatch, qapp):
    """`vhost demo --headless --mode manual --control-port P` with the scripted LLM/voice in place of
    the worker processes: the real headless runner, control surface and session record.
    (`qapp`: Qt's application object must be made on the main thread, not in the runner thread.)"""
    from vhost.app.headless import run_headless
    from vhost.config.settings import VhostConfig
    from vhost.show import session_record

    chat_file = tmp_path / "chat.jsonl"
    chat_file.write_text('{"t": 0.5, "user": "Ben", "text": "how much is the mug?"}\n', encoding="utf-8")
    with socket_port() as port:
        pass
    cfg = VhostConfig.model_validate({"show": {"chat": str(chat_file)}, "audio": {"sample_rate": 16000},
                                      "control": {"mode": "manual", "control_port": port, "token": TOKEN}})

    async def start_workers(cfg, on_status):
        return FakeWorkers()

    async def wait_workers(workers):
        return []

    def build_show(cfg, workers, sink, stage, on_event, guard=None):
        from vhost.brain.catalog import load_catalog
        from vhost.brain.persona import load_persona
        return build_test_show(catalog=load_catalog(cfg.show.catalog), persona=load_persona(cfg.show.persona),
                               llm=ScriptedLLM(), tts=ScriptedTTS(), sink=sink, stage=stage, on_event=on_event,
                               mode=cfg.control.mode)

    monkeypatch.setattr(app, "start_workers", start_workers)
    monkeypatch.setattr(app, "wait_workers", wait_workers)
    monkeypatch.setattr(app, "build_show", build_show)
    monkeypatch.setenv("VHOST_DATA_DIR", str(tmp_path))

    result = {}
    runner = threading.Thread(target=lambda: result.update(run_headless(cfg, 7.0, None, None)))
    runner.start()
    marks = {}
    try:
        marks.update(asyncio.run(drive_headless(port)))
    finally:
        runner.join(30)
    report = result
    assert report["mode"] == "manual"
    spoken = [s for s in report["spoken"] if s["first_audio_at"] is not None]
    assert spoken and all(s["first_audio_at"] >= marks["approved_at"] for s in spoken)
    assert [s["source"] for s in spoken][-1] == "operator"
    assert spoken[-1]["heard_text"] == "Thanks for watching!"
    assert report["replies"][0]["draft_id"] == marks["draft_id"]
    kinds = [e["kind"] for e in session_record.read_events(report["session_id"], tmp_path / "sessions.sqlite3")]
    assert {"chat", "draft", "command", "reply", "spoken", "control"} <= set(kinds)


@contextlib.contextmanager
def socket_port():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    yield port


async def drive_headless(port):
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    async with aiohttp.ClientSession(base_url=url, headers=AUTH) as http:
        pending = []
        while not pending:
            assert time.monotonic() < deadline, "no draft over the API"
            try:
                async with http.get("/api/drafts", params={"state": "pending"}) as r:
                    pending = (await r.json())["drafts"]
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
        async with http.get("/api/state") as r:
            state = await r.json()
        assert state["speaking"] is None
        async with http.post(f"/api/drafts/{pending[0]['id']}/approve") as r:
            assert r.status == 202
        while True:
            async with http.get("/api/state") as r:
                if (await r.json())["speaking"]:
                    break
            await asyncio.sleep(0.05)
        async with http.post("/api/say", json={"text": "Thanks for watching!"}) as r:
            assert r.status == 202
    return {"approved_at": state["clock"], "draft_id": pending[0]["id"]}


@pytest.mark.realmodel
@pytest.mark.slow
def test_real_headless_demo_manual_mode_over_the_api(tmp_path):
    """The real command line with the small real models (SmolLM2, Piper)."""
    import subprocess
    import sys

    report_path = tmp_path / "report.json"
    with socket_port() as port:
        pass
    proc = subprocess.Popen(
        [sys.executable, "-m", "vhost", "demo", "--headless", "--duration", "20", "--model", "smollm2-135m-instruct",
         "--mode", "manual", "--control-port", str(port), "--control-token", TOKEN, "--report", str(report_path)],
        cwd=repo_root(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        marks = asyncio.run(drive_headless_real(port))
        out, err = proc.communicate(timeout=300)
    finally:
        proc.kill()
    assert proc.returncode == 0, err[-3000:]
    report = json.loads(report_path.read_text())
    spoken = [s for s in report["spoken"] if s["first_audio_at"] is not None]
    assert spoken and all(s["first_audio_at"] >= marks["approved_at"] for s in spoken), (marks, spoken)
    assert spoken[-1]["source"] == "operator" and spoken[-1]["heard_text"] == "Thanks for watching!"
    assert any(r["draft_id"] == marks["draft_id"] for r in report["replies"])


async def drive_headless_real(port):
    # boot (model load) happens before the API listens: wait for it generously
    deadline = time.monotonic() + 240
    async with aiohttp.ClientSession(base_url=f"http://127.0.0.1:{port}", headers=AUTH) as http:
        while True:
            assert time.monotonic() < deadline, "the control API never came up"
            try:
                async with http.get("/api/state") as r:
                    if r.status == 200:
                        break
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.25)
        return await drive_headless(port)


def test_deeply_nested_or_oversized_bodies_get_a_clear_json_error_not_a_500():
    async def go():
        server = ControlServer(None, TOKEN, EventHub(), port=0)  # the body is refused before the show is used
        url = await server.start()
        out = {}
        try:
            async with aiohttp.ClientSession(base_url=url) as http:
                for name, body in (("nested", b"[" * 30_000 + b"]" * 30_000), ("huge", b" " * 70_000 + b"{}")):
                    async with http.post("/api/say", data=body, headers=AUTH) as r:
                        out[name] = (r.status, await r.json(content_type=None))
        finally:
            await server.stop()
        return out

    out = asyncio.run(go())
    assert out["nested"] == (400, {"error": "body must be JSON"})
    assert out["huge"][0] == 413 and "body over" in out["huge"][1]["error"]


def test_a_too_short_control_token_is_a_warning_and_the_show_goes_on():
    from vhost.config.control import ControlConfig
    from vhost.control.surface import ControlSurface

    async def go():
        show, sink, events = make_show(ScriptedLLM(), ScriptedTTS())
        surface = ControlSurface(ControlConfig(control_port=65000, token="zq9x7"), record=False)
        async with running(show, sink):
            await surface.start(show)  # used to raise ValueError out of the show's start-up
            state = surface.state()
        await surface.close()
        return events, state

    events, state = asyncio.run(go())
    warnings = [d["text"] for k, d in events if k == "warning"]
    assert any("control API not started" in w and "at least 8 characters" in w for w in warnings)
    assert "zq9x7" not in " ".join(warnings) and state["control"]["url"] is None
