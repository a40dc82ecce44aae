"""Generic ingest (WebSocket + HTTP POST, our schema and Social Stream Ninja's) and the
Streamer.bot client against a local server speaking its handshake."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging

import aiohttp
import pytest
from websockets.asyncio.server import ServerConnection, serve

from tests.chat_helpers import collect
from vhost.chat.connector import Backoff, ParseError
from vhost.chat.events import ChatMessage
from vhost.chat.ingest import IngestServer, parse_event, parse_money
from vhost.chat.streamerbot import StreamerBotConnector
from vhost.chat.streamerbot import parse_event as sb_parse

TOKEN = "ingest-token-abcdef123456"
PASSWORD = "sb-password-98765"


async def start(server: IngestServer) -> tuple[asyncio.Task, asyncio.Queue]:
    out: asyncio.Queue[ChatMessage] = asyncio.Queue()

    async def pump() -> None:
        async for ev in server.events():
            out.put_nowait(ev)

    task = asyncio.create_task(pump())
    for _ in range(200):
        if server.bound_port:
            break
        await asyncio.sleep(0.01)
    assert server.health == "live"
    return task, out


async def drain(q: asyncio.Queue, n: int) -> list[ChatMessage]:
    return [await asyncio.wait_for(q.get(), 5) for _ in range(n)]


def test_parse_our_schema_and_ssn() -> None:
    ev = parse_event({"type": "paid", "platform": "kick", "id": "k1", "user": "Ann", "text": "hi?",
                      "amount": 5, "currency": "USD", "badges": ["vip"]}, 1.0)  # fmt: skip
    assert ev is not None and (ev.kind, ev.amount, ev.currency, ev.badges, ev.platform) == (
        "paid", 5.0, "USD", ("vip",), "kick")
    ssn = parse_event({"chatname": "Bo", "chatmessage": "how <b>much</b> &amp; when?<img src=x>",
                       "type": "youtube", "userid": "u9", "hasDonation": "", "membership": ""}, 2.0)  # fmt: skip
    assert ssn is not None and (ssn.user, ssn.text, ssn.platform, ssn.user_id, ssn.kind) == (
        "Bo", "how much & when?", "youtube", "u9", "message")
    don = parse_event({"chatname": "Cy", "chatmessage": "take it", "hasDonation": "€3.50"}, 0.0)
    assert don is not None and (don.kind, don.amount, don.currency) == ("paid", 3.5, "EUR")
    assert parse_event({"chatname": "Di", "chatmessage": "", "event": "joined"}, 0.0) is None
    assert parse_money("5,000 JPY") == (5000.0, "JPY") and parse_money("CA$2") == (2.0, "CAD")
    for bad in [[], {"text": "no user"}, {"type": "nope", "user": "a", "text": "b"},
                {"user": "a", "text": "b", "amount": -1}, {"user": "a", "text": "b", "badges": "x"},
                {"type": "withdraw"}, {"user": {"x": 1}, "text": "b"}]:  # fmt: skip
        with pytest.raises(ParseError):
            parse_event(bad, 0.0)


def test_http_post_and_websocket_with_token(caplog: pytest.LogCaptureFixture) -> None:
    async def run() -> None:
        server = IngestServer(0, token=TOKEN, max_body=4096)
        task, q = await start(server)
        base = f"http://127.0.0.1:{server.bound_port}"
        auth = {"Authorization": f"Bearer {TOKEN}"}
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{base}/events", json={"user": "a", "text": "x"}) as r:
                assert r.status == 401
            async with http.post(f"{base}/events?token=wrong", json={"user": "a", "text": "x"}) as r:
                assert r.status == 401
            batch = [{"user": "Ann", "text": "price?", "id": "p1"}, {"user": "bad"},
                     {"type": "gift", "user": "Gus", "gift": "rose", "count": 3, "id": "g1"}]  # fmt: skip
            async with http.post(f"{base}/events", json=batch, headers=auth) as r:
                body = await r.json()
                assert r.status == 200 and body["accepted"] == 2 and body["errors"][0].startswith("event 1")
            async with http.post(f"{base}/events", data=b"{nope", headers=auth) as r:
                assert r.status == 400
            async with http.post(f"{base}/events", data=b"[" + b" " * 8000 + b"]", headers=auth) as r:
                assert r.status == 413
        # aiohttp answers a refused upgrade with 401 before any WebSocket exists.
        async with aiohttp.ClientSession() as http:
            with pytest.raises(aiohttp.WSServerHandshakeError) as err:
                await http.ws_connect(f"{base}/ws")
            assert err.value.status == 401
            async with http.ws_connect(f"{base}/ws?token={TOKEN}") as ws:
                await ws.send_str("{not json")
                assert (await ws.receive_json())["error"] == "not JSON"
                await ws.send_json({"chatname": "Sam", "chatmessage": "is it in stock?", "type": "tiktok",
                                    "id": "s1"})  # fmt: skip
                assert (await ws.receive_json())["accepted"] == 1
                await ws.send_json({"type": "withdraw", "withdraws": ["p1"], "id": "w1"})
                assert (await ws.receive_json())["accepted"] == 1
                await ws.send_json({"user": "Ann", "text": "price?", "id": "p1"})  # a resend
                assert (await ws.receive_json())["accepted"] == 0
        evs = await drain(q, 4)
        assert [(e.id, e.kind) for e in evs] == [("p1", "message"), ("g1", "gift"), ("s1", "message"),
                                                 ("w1", "withdraw")]  # fmt: skip
        assert evs[2].platform == "tiktok" and evs[3].withdraws == ("p1",)
        assert server.skipped >= 3
        assert TOKEN not in repr(server)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    with caplog.at_level(logging.DEBUG):
        asyncio.run(run())
    assert TOKEN not in caplog.text  # no access log with ?token=, nothing of ours


# ------------------------------------------------------------------ Streamer.bot


class FakeStreamerBot:
    """Speaks Streamer.bot's WebSocket server protocol: Hello (+auth), Authenticate, Subscribe."""

    def __init__(self, password: str | None, events: list[dict], drop_first: bool = False) -> None:
        self.password = password
        self.events = events
        self.drop_first = drop_first
        self.connections = 0
        self.subscribed: list[dict] = []

    async def handler(self, ws: ServerConnection) -> None:
        self.connections += 1
        hello: dict = {"request": "Hello", "info": {"name": "Streamer.bot", "version": "0.2.4"}}
        if self.password is not None:
            hello["authentication"] = {"challenge": "Y2hhbGxlbmdl", "salt": "c2FsdA=="}
        await ws.send(json.dumps(hello))
        req = json.loads(await ws.recv())
        if self.password is not None:
            s = base64.b64encode(hashlib.sha256((self.password + "c2FsdA==").encode()).digest()).decode()
            want = base64.b64encode(hashlib.sha256((s + "Y2hhbGxlbmdl").encode()).digest()).decode()
            ok = req.get("request") == "Authenticate" and req.get("authentication") == want
            await ws.send(json.dumps({"id": req.get("id"), "status": "ok" if ok else "error",
                                      **({} if ok else {"error": "Authentication failed"})}))  # fmt: skip
            if not ok:
                await ws.close()
                return
            req = json.loads(await ws.recv())
        assert req["request"] == "Subscribe"
        self.subscribed.append(req["events"])
        await ws.send(json.dumps({"id": req["id"], "status": "ok", "events": req["events"]}))
        events = self.events[:2] if self.drop_first and self.connections == 1 else self.events
        for e in events:
            await ws.send(json.dumps(e) if isinstance(e, dict) else e)
        if self.drop_first and self.connections == 1:
            ws.transport.abort()
            return
        await asyncio.sleep(30)

    async def __aenter__(self) -> str:
        self._server = await serve(self.handler, "127.0.0.1", 0).__aenter__()
        return f"ws://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/"

    async def __aexit__(self, *exc: object) -> None:
        self._server.close()


SB_EVENTS: list = [
    {"timeStamp": "2026-11-24T10:00:00", "event": {"source": "Twitch", "type": "ChatMessage"},
     "data": {"message": {"msgId": "t1", "userId": "11", "username": "ann", "displayName": "Ann",
                          "message": "how much is it?", "bits": 0}}},
    {"timeStamp": "2026-11-24T10:00:01", "event": {"source": "YouTube", "type": "Message"},
     "data": {"user": {"id": "UC2", "login": "bo", "name": "Bo"}, "text": "does it ship to EU?",
              "messageId": "y1"}},
    "not json at all",
    {"timeStamp": "2026-11-24T10:00:02", "event": {"source": "YouTube", "type": "SuperChat"},
     "data": {"user": {"id": "UC3", "name": "Cy"}, "message": "take my money", "amount": "$5.00",
              "messageId": "y2"}},
    {"event": {"source": "Twitch", "type": "ChatMessageDeleted"}, "data": {"targetMessageId": "t1"}},
    {"event": {"source": "Twitch", "type": "Raid"}, "data": {"user": {"id": "77", "name": "Raider"},
                                                             "viewers": 15}},
]  # fmt: skip


def sb_collect(server: FakeStreamerBot, n: int, password: str | None) -> tuple[list, StreamerBotConnector]:
    async def run() -> tuple[list, StreamerBotConnector]:
        async with server as url:
            conn = StreamerBotConnector(url, password=password, backoff=Backoff(base=0.01, cap=0.05))
            return await collect(conn, n), conn

    return asyncio.run(run())


def test_streamerbot_auth_subscribe_both_shapes(caplog: pytest.LogCaptureFixture) -> None:
    server = FakeStreamerBot(PASSWORD, SB_EVENTS)
    with caplog.at_level(logging.DEBUG):
        evs, conn = sb_collect(server, 5, PASSWORD)
    assert [(e.platform, e.kind, e.user, e.id) for e in evs] == [
        ("twitch", "message", "Ann", "t1"), ("youtube", "message", "Bo", "y1"),
        ("youtube", "paid", "Cy", "y2"), ("twitch", "withdraw", "", "sb-del-t1"),
        ("twitch", "raid", "Raider", evs[4].id)]  # fmt: skip
    assert evs[2].amount == 5.0 and evs[2].currency == "USD" and evs[3].withdraws == ("t1",)
    assert evs[4].count == 15 and conn.skipped == 1
    assert "Twitch" in server.subscribed[0] and "ChatMessage" in server.subscribed[0]["Twitch"]
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("websockets.server")]
    assert not any(PASSWORD in x for x in ours) and PASSWORD not in repr(conn)


def test_streamerbot_wrong_password_is_auth_failed_once() -> None:
    server = FakeStreamerBot(PASSWORD, SB_EVENTS)
    evs, conn = sb_collect(server, 1, "wrong")
    assert evs == [] and conn.health == "auth failed" and server.connections == 1
    server2 = FakeStreamerBot(PASSWORD, SB_EVENTS)
    evs, conn = sb_collect(server2, 1, None)
    assert evs == [] and conn.history[-1] == ("auth failed", "Streamer.bot requires a password")


def test_streamerbot_drop_and_reconnect_no_duplicates() -> None:
    server = FakeStreamerBot(None, SB_EVENTS, drop_first=True)
    evs, conn = sb_collect(server, 5, None)
    assert [e.id for e in evs][:2] == ["t1", "y1"] and len({e.id for e in evs}) == 5
    assert server.connections == 2 and "reconnecting" in [s for s, _ in conn.history]


def test_streamerbot_parse_errors() -> None:
    assert sb_parse({"id": "x", "status": "ok"}, 0.0) is None  # a request reply, not an event
    for bad in [[1], {"event": "x", "data": {}},
                {"event": {"source": "Twitch", "type": "ChatMessage"}, "data": {"message": {}}}]:  # fmt: skip
        with pytest.raises(ParseError):
            sb_parse(bad, 0.0)


def test_oversized_websocket_message_closes_that_client_only() -> None:
    async def run() -> None:
        server = IngestServer(0, token=TOKEN, max_body=4096)
        task, q = await start(server)
        url = f"http://127.0.0.1:{server.bound_port}/ws?token={TOKEN}"
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(url) as ws:
                await ws.send_str(json.dumps({"user": "a", "text": "x" * 5000}))
                msg = await ws.receive()
                assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING)
            async with http.ws_connect(url) as ws:  # the server is fine
                await ws.send_json({"user": "b", "text": "still there?", "id": "ok"})
                assert (await ws.receive_json())["accepted"] == 1
        assert [e.id for e in await drain(q, 1)] == ["ok"] and server.health == "live"
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(run())


def test_bad_events_reach_the_operator_as_a_throttled_warning_not_only_a_log_line() -> None:
    from vhost.ui.health_model import ConnectorHealthModel

    model = ConnectorHealthModel()
    notices: list[tuple[str, str]] = []

    def health(name: str, state: str, detail: str) -> None:
        notices.append((state, detail))
        model.update({"connector": name, "state": state, "detail": detail})

    async def run() -> None:
        server = IngestServer(0, token=TOKEN, on_health=health)
        task, q = await start(server)
        url = f"http://127.0.0.1:{server.bound_port}/events"
        async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {TOKEN}"}) as http:
            for _ in range(3):  # a burst of garbage: one notice, not three
                async with http.post(url, json=[{"user": "a"}, {"user": "b", "text": "ok?"}]) as r:
                    assert r.status == 200
            async with http.post(url, json=[{"user": "c", "text": "x"}] * 501) as r:  # over MAX_BATCH
                assert r.status == 400
        assert len(await drain(q, 3)) == 3  # the good events are all kept
        assert server.health == "live" and server.skipped == 4
        row = model.rows[0]
        assert row["state"] == "live" and "bad event(s) skipped" in row["detail"]  # light stays green
        task.cancel()

    asyncio.run(run())
    warnings = [d for s, d in notices if s == "warning"]
    assert len(warnings) == 1 and "1 bad event(s) skipped" in warnings[0] and "'user' and 'text'" in warnings[0]
