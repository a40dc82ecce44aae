"""Security review, as tests that fail when a rule is broken: the control API and the ingest endpoint
listen on 127.0.0.1 only, need a token and compare it in constant time; the event WebSocket refuses
a web page from another site (its Origin) even with the token; the browser source serves the stage
and nothing else; and no configured secret reaches a log, the session record, a report or an export
(a real headless show, then every file it wrote is searched)."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import http.client
import json

import aiohttp
import pytest

from tests.test_show_pipeline import make_show, running
from vhost.chat.ingest import IngestServer
from vhost.chat.sources import SourceError, make_source
from vhost.control import server as control_server
from vhost.control.hub import EventHub
from vhost.control.server import ControlServer

TOKEN = "sec-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FOREIGN = ["https://evil.example", "http://127.0.0.1.evil.example", "null", "http://192.168.1.20:8765",
           "chrome-extension://abcdef"]
LOCAL = [None, "http://127.0.0.1:8766", "http://localhost:3000", "http://[::1]:8765"]


@contextlib.asynccontextmanager
async def control_api(show):  # noqa: ANN001
    hub = EventHub()
    show.listen(hub.publish)
    server = ControlServer(show, TOKEN, hub, port=0)
    url = await server.start()
    try:
        async with aiohttp.ClientSession(base_url=url) as http_session:
            yield server, http_session
    finally:
        await server.stop()


class DigestSpy:
    """Stands in for hmac.compare_digest and records its calls: a check done with == would not call it."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.real = hmac.compare_digest

    def __call__(self, a, b) -> bool:  # noqa: ANN001
        self.calls.append((a, b))
        return self.real(a, b)


# --- control API ----------------------------------------------------------------------------------
def test_control_api_listens_on_loopback_only_and_every_route_needs_the_token(monkeypatch) -> None:
    spy = DigestSpy()
    monkeypatch.setattr(control_server.hmac, "compare_digest", spy)

    async def go():  # noqa: ANN202
        show, sink, _events = make_show(mode="manual")
        results = []
        async with running(show, sink), control_api(show) as (server, http_session):
            addresses = list(server._runner.addresses)
            assert await refused_elsewhere(server.port), "the control API answered on another address"
            for route in server.app.router.routes():
                path = route.resource.canonical.replace("{id}", "d1")
                if path in control_server.PUBLIC:
                    continue
                for headers in ({}, {"Authorization": "Bearer not-the-token-0123456789"}):
                    async with http_session.request(route.method, path, json={}, headers=headers) as r:
                        results.append((route.method, path, bool(headers), r.status))
        return addresses, results, show

    addresses, results, show = asyncio.run(go())
    assert addresses and all(host == "127.0.0.1" for host, *_ in addresses), addresses
    assert len(results) >= 30 and all(status == 401 for *_, status in results), results
    assert show.spoken == []
    # the wrong token was compared, in constant time, against the real one
    assert (b"not-the-token-0123456789", TOKEN.encode()) in spy.calls


@pytest.mark.parametrize("origin", FOREIGN)
def test_event_websocket_refuses_a_foreign_origin_even_with_the_token(origin: str) -> None:
    async def go():  # noqa: ANN202
        show, sink, _events = make_show(mode="manual")
        async with running(show, sink), control_api(show) as (_server, http_session):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http_session.ws_connect(f"/api/events?token={TOKEN}", headers={"Origin": origin})
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused_header:
                await http_session.ws_connect("/api/events", headers={**AUTH, "Origin": origin})
            async with http_session.post("/api/say", json={"text": "buy now"}, headers={**AUTH, "Origin": origin}) as r:
                say = r.status
            await asyncio.sleep(0.2)
        return refused.value.status, refused_header.value.status, say, show

    ws_status, ws_header_status, say_status, show = asyncio.run(go())
    assert (ws_status, ws_header_status, say_status) == (403, 403, 403)
    assert show.spoken == []  # nothing was said


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.nip.io:8765", "[::2]:80"])
def test_a_request_for_another_host_name_is_refused_even_with_the_token(host: str) -> None:
    """DNS rebinding: a page re-points its own name at 127.0.0.1; its requests carry that name as Host."""
    async def go():  # noqa: ANN202
        show, sink, _events = make_show(mode="manual")
        async with running(show, sink), control_api(show) as (_server, http_session):
            async with http_session.post("/api/say", json={"text": "buy now"}, headers={**AUTH, "Host": host}) as r:
                say = r.status
            async with http_session.get("/api/state", headers={**AUTH, "Host": f"localhost:{_server.port}"}) as r:
                local = r.status
            await asyncio.sleep(0.2)
        return say, local, show

    say, local, show = asyncio.run(go())
    assert (say, local) == (403, 200)
    assert show.spoken == []


@pytest.mark.parametrize("origin", LOCAL)
def test_event_websocket_accepts_no_origin_and_this_machines_pages(origin: str | None) -> None:
    async def go():  # noqa: ANN202
        show, sink, _events = make_show(mode="manual")
        async with running(show, sink), control_api(show) as (_server, http_session):
            headers = {"Origin": origin} if origin else {}
            ws = await http_session.ws_connect(f"/api/events?token={TOKEN}", headers=headers)
            first = json.loads((await asyncio.wait_for(ws.receive(), 5)).data)
            await ws.close()
            async with http_session.get("/api/state", headers={**AUTH, **headers}) as r:
                state_status = r.status
        return first, state_status

    first, state_status = asyncio.run(go())
    assert first["kind"] == "state" and state_status == 200


# --- ingest ---------------------------------------------------------------------------------------
def test_ingest_will_not_start_without_a_token() -> None:
    with pytest.raises(ValueError, match="needs a token"):
        IngestServer(0)
    with pytest.raises(SourceError, match="needs a token"):
        make_source("ingest:8767")


def test_ingest_listens_on_loopback_only_and_checks_the_token_in_constant_time(monkeypatch) -> None:
    from vhost.chat import ingest

    spy = DigestSpy()
    monkeypatch.setattr(ingest.hmac, "compare_digest", spy)

    async def go():  # noqa: ANN202
        server = IngestServer(0, token=TOKEN)
        assert server.host == "127.0.0.1"
        events = []

        async def pump() -> None:
            async for ev in server.events():
                events.append(ev)

        task = asyncio.create_task(pump())
        for _ in range(500):
            if server.bound_port:
                break
            await asyncio.sleep(0.01)
        statuses = []
        one = json.dumps({"user": "Mallory", "text": "free stuff at evil.example"})
        async with aiohttp.ClientSession(f"http://127.0.0.1:{server.bound_port}") as http_session:
            # what a web page can send without a CORS preflight: a text/plain POST, with its Origin
            for headers, query in (({"Content-Type": "text/plain", "Origin": "https://evil.example"}, ""),
                                   ({"Authorization": "Bearer wrong-token-0123456789"}, ""),
                                   ({}, "?token=wrong-token-0123456789")):
                async with http_session.post(f"/events{query}", data=one, headers=headers) as r:
                    statuses.append(r.status)
            with pytest.raises(aiohttp.WSServerHandshakeError) as ws_refused:
                await http_session.ws_connect("/ws", headers={"Origin": "https://evil.example"})
            async with http_session.post("/events", data=one, headers=AUTH) as r:
                statuses.append(r.status)
        await asyncio.sleep(0.1)
        other = await refused_elsewhere(server.bound_port)
        task.cancel()
        return statuses, ws_refused.value.status, events, other

    statuses, ws_status, events, other = asyncio.run(go())
    assert statuses == [401, 401, 401, 200] and ws_status == 401
    assert [e.user for e in events] == ["Mallory"]  # only the authorized one got in
    assert other, "the ingest answered on another address than 127.0.0.1"
    assert (b"wrong-token-0123456789", TOKEN.encode()) in spy.calls


async def refused_elsewhere(port: int) -> bool:
    """Whether `port` refuses connections on 127.0.0.2: loopback too, so a server bound to 0.0.0.0
    (every address) would answer there; one bound to 127.0.0.1 does not."""
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.2", port), 3)
    except OSError:
        return True
    writer.close()
    return False


# --- browser source -------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/etc/passwd", "/stage/../x", "/stage/..%2f..%2fetc%2fpasswd",
                                  "/%2e%2e/%2e%2e/etc/passwd", "/static", "/static/", "/stage/x", "/stage/ws/..",
                                  "/api/state", "/favicon.ico", "/stage/frame.png/../../etc/passwd"])
def test_browser_source_serves_the_stage_and_nothing_else(path: str) -> None:
    from vhost.stage.browser import BrowserSource

    src = BrowserSource(port=0)
    src.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", src.port, timeout=5)
        conn.request("GET", path)  # sent as written: no client-side normalising of ".."
        r = conn.getresponse()
        body = r.read()
        conn.request("GET", "/stage")
        page = conn.getresponse()
        page_status = page.status
        page.read()
        conn.close()
    finally:
        src.stop()
    assert r.status == 404, (path, r.status, body[:200])
    assert b"root:" not in body and b"Index of" not in body and b"<a href" not in body
    assert page_status == 200


def test_browser_source_listens_on_loopback_only() -> None:
    from vhost.stage.browser import BrowserSource

    src = BrowserSource(port=0)
    src.start()
    try:
        assert src.url.startswith("http://127.0.0.1:")
        assert asyncio.run(refused_elsewhere(src.port)), "the browser source answered on another address"
    finally:
        src.stop()


# --- secrets in artefacts (a real headless show) --------------------------------------------------
SECRETS = {"control": "ctl-Z9q7SECRETx41", "obs": "obs-K3wSECRETp08", "twitch": "oauth:tw-M5tSECRETv27",
           "youtube": "AIza-yt-R8jSECRETn66", "ingest": "ing-B2cSECRETd95", "streamerbot": "sb-H4kSECRETf13",
           "bili_cookie": "SESSDATA=bili-W7pSECRETq52", "bili_key": "bk-T6ySECRETu39"}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _refusing_youtube():  # noqa: ANN202
    """A local stand-in for the YouTube API that refuses every call (403, keyInvalid), so the
    connector's error path (which sees the URL carrying the key) runs."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Refuse(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            server.calls += 1  # type: ignore[attr-defined]
            body = json.dumps({"error": {"code": 403, "message": "API key not valid",
                                         "errors": [{"reason": "keyInvalid"}]}}).encode()
            self.send_response(403)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args) -> None:  # noqa: ANN002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    server.calls = 0  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _secrets_config(folder, ports: dict) -> str:  # noqa: ANN001
    closed = ports["closed"]
    return f"""
[control]
control_port = {ports["control"]}
token = "{SECRETS["control"]}"
[control.obs]
url = "ws://127.0.0.1:{closed}"
password = "{SECRETS["obs"]}"

[[chat.connectors]]
source = "ingest:{ports["ingest"]}"
token = "{SECRETS["ingest"]}"
[[chat.connectors]]
source = "twitch:#shopdemo"
server = "ws://127.0.0.1:{closed}"
nick = "shopbot"
token = "{SECRETS["twitch"]}"
[[chat.connectors]]
source = "youtube:vid123"
server = "http://127.0.0.1:{ports["youtube"]}/youtube/v3"
api_key = "{SECRETS["youtube"]}"
[[chat.connectors]]
source = "streamerbot:ws://127.0.0.1:{closed}/"
password = "{SECRETS["streamerbot"]}"
[[chat.connectors]]
source = "bilibili:12345"
server = "ws://127.0.0.1:{closed}/sub"
cookie = "{SECRETS["bili_cookie"]}"
token = "{SECRETS["bili_key"]}"
"""


async def _use_the_secrets(ports: dict, deadline_s: float = 240) -> dict:
    """While the show runs: chat in through the ingest (token in the query, as Social Stream Ninja
    sends it, and as a bearer), and the control API read and its event stream opened with the token."""
    import time

    done = {"ingest": 0, "control": 0}
    t_end = time.monotonic() + deadline_s
    async with aiohttp.ClientSession() as http_session:
        while time.monotonic() < t_end and not (done["ingest"] >= 2 and done["control"] >= 2):
            try:
                if done["ingest"] < 2:
                    url = f"http://127.0.0.1:{ports['ingest']}/events"
                    one = {"user": "Ann", "text": "how much is the mug?", "id": f"s{done['ingest']}"}
                    kw = ({"params": {"token": SECRETS["ingest"]}} if done["ingest"] == 0
                          else {"headers": {"Authorization": f"Bearer {SECRETS['ingest']}"}})
                    async with http_session.post(url, json=one, **kw) as r:
                        done["ingest"] += r.status == 200
                if done["control"] < 2:
                    base = f"http://127.0.0.1:{ports['control']}"
                    async with http_session.get(f"{base}/api/state",
                                                headers={"Authorization": f"Bearer {SECRETS['control']}"}) as r:
                        done["control"] += r.status == 200
                    ws = await http_session.ws_connect(f"{base}/api/events", params={"token": SECRETS["control"]})
                    await asyncio.wait_for(ws.receive(), 5)
                    await ws.close()
                    done["control"] += 1
            except (TimeoutError, aiohttp.ClientError):
                await asyncio.sleep(0.25)
    return done


def _run(args: list[str], env: dict) -> str:
    import subprocess
    import sys

    from vhost.base.paths import repo_root

    r = subprocess.run([sys.executable, "-m", "vhost", *args], capture_output=True, text=True, timeout=300,
                       cwd=repo_root(), env=env)
    assert r.returncode == 0, (args, r.stderr[-3000:])
    return r.stdout + r.stderr


@pytest.mark.slow
@pytest.mark.realmodel
def test_no_secret_reaches_a_log_report_export_or_any_file_the_show_wrote(tmp_path) -> None:
    import os
    import subprocess
    import sys

    from vhost.base.paths import data_dir, repo_root

    shared = data_dir()  # the converted test model lives there: linked, not copied, and not searched
    data = tmp_path / "data"
    data.mkdir()
    for name in ("models", "voice", "visuals"):
        if (shared / name).exists():
            (data / name).symlink_to(shared / name)
    youtube = _refusing_youtube()
    ports = {"control": _free_port(), "ingest": _free_port(), "closed": _free_port(),
             "youtube": youtube.server_address[1]}
    (tmp_path / "vhost.toml").write_text(_secrets_config(tmp_path, ports), encoding="utf-8")
    env = {**os.environ, "VHOST_DATA_DIR": str(data), "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
           "QT_QPA_PLATFORM": "offscreen"}
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "vhost", "-v", "demo", "--headless", "--duration", "8",
                             "--model", "smollm2-135m-instruct", "--mode", "auto", "--config", str(tmp_path / "vhost.toml"),
                             "--report", str(out_dir / "report.json"), "--record", str(out_dir / "show.mp4")],
                            cwd=repo_root(), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        done = asyncio.run(_use_the_secrets(ports))
        stdout, stderr = proc.communicate(timeout=300)
    finally:
        proc.kill()
        youtube.shutdown()
    assert proc.returncode == 0, stderr[-3000:]
    assert done == {"ingest": 2, "control": 2}, done  # every secret was in use during the show
    session = json.loads((out_dir / "report.json").read_text())["session_id"]
    captured = [stdout, stderr, _run(["session", "list"], env)]
    for fmt in ("jsonl", "csv"):
        captured.append(_run(["session", "export", session, "--format", fmt], env))
    for fmt in ("html", "json"):
        captured.append(_run(["report", session, "--out", str(out_dir / f"report.{fmt}"), "--format", fmt], env))
    files = [p for root in (data, out_dir) for p in root.rglob("*") if p.is_file() and not _linked(p, root)]
    assert any(p.name.startswith("sessions.sqlite3") for p in files), files
    # the search can find what is there: the ingest's chat reached the export, the key reached YouTube
    assert "how much is the mug?" in captured[3] and youtube.calls >= 1
    for name, value in SECRETS.items():
        for text in captured:
            assert value not in text, (name, text[max(0, text.find(value) - 300):text.find(value) + 100])
        for path in files:
            assert value.encode() not in path.read_bytes(), (name, path)


def _linked(path, root) -> bool:  # noqa: ANN001
    """Under one of the symlinked shared folders (the model cache): not written by this run."""
    rel = path.relative_to(root)
    return any((root / part).is_symlink() for part in [rel, *rel.parents][:-1])
