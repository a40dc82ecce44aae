"""Bilibili connector against a local server speaking the binary danmaku protocol."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable

import pytest
from websockets.asyncio.server import ServerConnection

from tests.chat_helpers import ScriptedWsServer, collect, http_server
from vhost.chat import bilibili_frames as bf
from vhost.chat.bilibili import BilibiliConnector
from vhost.chat.connector import Backoff, ParseError
from vhost.chat.events import ChatMessage

KEY = "bili-key-0123456789secret"


def danmu(text: str, uid: int = 2001, uname: str = "观众甲", ts: int = 1_700_000_000_000) -> bytes:
    meta = [0, 1, 25, 16777215, ts, 0, 0, "", 0, 0, 0, "", 0, "{}", "{}",
            {"extra": json.dumps({"id_str": f"dm-{uid}-{ts}"})}]  # fmt: skip
    info = [meta, text, [uid, uname, 0, 0, 0, 10000, 1, ""], [12, "粉丝牌", "主播", 42], [20]]
    return bf.encode(bf.OP_MESSAGE, {"cmd": "DANMU_MSG", "info": info}, bf.VER_JSON)


GIFT = bf.encode(bf.OP_MESSAGE, {"cmd": "SEND_GIFT", "data": {
    "giftName": "辣条", "num": 5, "uname": "送礼人", "uid": 3001, "price": 100, "coin_type": "gold",
    "total_coin": 500, "tid": "t-1", "timestamp": 1700000001}}, bf.VER_JSON)  # fmt: skip
SC = bf.encode(bf.OP_MESSAGE, {"cmd": "SUPER_CHAT_MESSAGE", "data": {
    "id": 777, "price": 30, "message": "这个杯子能装多少毫升？", "uid": 4001,
    "user_info": {"uname": "醒目"}}}, bf.VER_JSON)  # fmt: skip
UNKNOWN = bf.encode(bf.OP_MESSAGE, {"cmd": "INTERACT_WORD", "data": {}}, bf.VER_JSON)

Session = Callable[["Peer"], Awaitable[None]]


class Peer:
    def __init__(self, ws: ServerConnection) -> None:
        self.ws = ws
        self.auth: dict = {}
        self.heartbeats = 0

    async def accept(self, code: int = 0, *, answer_heartbeats: bool = True) -> None:
        pkt = bf.decode(await asyncio.wait_for(self.ws.recv(), 5))[0]
        assert (pkt.op, pkt.ver) == (bf.OP_AUTH, bf.VER_PLAIN)
        self.auth = pkt.json()
        await self.ws.send(bf.encode(bf.OP_AUTH_REPLY, {"code": code}))
        if answer_heartbeats:
            asyncio.get_running_loop().create_task(self._beats())

    async def _beats(self) -> None:
        try:
            async for frame in self.ws:
                for p in bf.decode(frame):
                    if p.op == bf.OP_HEARTBEAT:
                        self.heartbeats += 1
                        await self.ws.send(bf.encode(bf.OP_HEARTBEAT_REPLY, (4242).to_bytes(4, "big")))
        except Exception:
            pass


class FakeBilibili(ScriptedWsServer[Peer]):
    path = "/sub"

    def __init__(self, sessions: list[Session]) -> None:
        super().__init__(sessions, Peer)

    @property
    def peers(self) -> list[Peer]:
        return self.conns


def connector(url: str, **kw) -> BilibiliConnector:
    kw.setdefault("backoff", Backoff(base=0.01, cap=0.05))
    kw.setdefault("heartbeat_s", 0.05)
    return BilibiliConnector(42, url=url, **kw)


def first_events(server: FakeBilibili, n: int) -> list[ChatMessage]:
    """The first `n` events of a default connector against `server`."""

    async def run() -> list[ChatMessage]:
        async with server as url:
            return await collect(connector(url), n)

    return asyncio.run(run())


# ------------------------------------------------------------------ codec


def test_codec_round_trip_zlib_and_brotli() -> None:
    for ver in (bf.VER_ZLIB, bf.VER_BROTLI):
        frame = bf.encode_batch([danmu("a"), GIFT, danmu("b", ts=2)], ver) + SC
        packets = bf.decode(frame)
        assert [p.op for p in packets] == [5, 5, 5, 5]
        assert [p.json()["cmd"] for p in packets] == ["DANMU_MSG", "SEND_GIFT", "DANMU_MSG",
                                                     "SUPER_CHAT_MESSAGE"]  # fmt: skip


@pytest.mark.parametrize("bad", [b"", b"\x00" * 10, bf.encode(5, b"x")[:-1] + b"",
                                 bf.HEADER.pack(16, 8, 0, 5, 1),  # header_len < 16
                                 bf.encode(5, b"not zlib", bf.VER_ZLIB),
                                 bf.encode(5, b"not brotli", bf.VER_BROTLI),
                                 bf.encode(5, b"{}", 9)])  # fmt: skip
def test_bad_frames_raise_parse_error(bad: bytes) -> None:
    with pytest.raises(ParseError):
        bf.decode(bad)


def test_decompression_bomb_is_refused() -> None:
    import zlib

    bomb = bf.encode(bf.OP_MESSAGE, zlib.compress(b"\x00" * (bf.MAX_INFLATED + 100)), bf.VER_ZLIB)
    assert len(bomb) < 100_000
    with pytest.raises(ParseError, match="inflates past"):
        bf.decode(bomb)


def test_events_from_commands() -> None:
    dm = bf.to_event(bf.decode(danmu("多少钱？"))[0].json(), 3.0)
    assert dm is not None
    assert (dm.id, dm.user, dm.user_id, dm.text, dm.kind) == ("dm-2001-1700000000000", "观众甲",
                                                              "2001", "多少钱？", "message")  # fmt: skip
    assert dm.badges == ("medal:粉丝牌:12",) and dm.sent_at == 1_700_000_000.0
    gift = bf.to_event(bf.decode(GIFT)[0].json(), 3.0)
    assert gift is not None and (gift.kind, gift.gift, gift.count, gift.amount, gift.currency) == (
        "gift", "辣条", 5, 0.5, "CNY")
    sc = bf.to_event(bf.decode(SC)[0].json(), 3.0)
    assert sc is not None and (sc.kind, sc.amount, sc.currency, sc.user) == ("paid", 30.0, "CNY", "醒目")
    assert bf.to_event({"cmd": "INTERACT_WORD"}, 0.0) is None
    with pytest.raises(ParseError):
        bf.to_event({"cmd": "SEND_GIFT", "data": {"num": 1}}, 0.0)


# ------------------------------------------------------------------ against the server


def test_session_compressed_batches_heartbeat_and_bad_frames(caplog: pytest.LogCaptureFixture) -> None:
    async def session(p: Peer) -> None:
        await p.accept()
        await p.ws.send(bf.encode_batch([danmu("这个杯子多少钱？", ts=1), GIFT], bf.VER_BROTLI))
        await p.ws.send(b"\x00\x00\x00\x05garbage")  # malformed: logged and skipped
        await p.ws.send(bf.encode_batch([UNKNOWN, danmu("能便宜点吗", ts=2)], bf.VER_ZLIB))
        await p.ws.send(bf.encode(bf.OP_MESSAGE, b"{not json", bf.VER_JSON) + SC)
        await asyncio.sleep(0.3)  # let a few heartbeats go by
        await p.ws.send(danmu("还在吗", ts=3))

    server = FakeBilibili([session])

    async def run() -> tuple[list[ChatMessage], BilibiliConnector]:
        async with server as url:
            conn = connector(url, key=KEY)
            return await collect(conn, 5), conn

    with caplog.at_level(logging.DEBUG):
        evs, conn = asyncio.run(run())
    assert [e.text for e in evs if e.kind == "message"] == ["这个杯子多少钱？", "能便宜点吗", "还在吗"]
    assert [e.kind for e in evs] == ["message", "gift", "message", "paid", "message"]
    assert conn.skipped == 2 and conn.popularity == 4242
    peer = server.peers[0]
    assert peer.heartbeats >= 3
    assert peer.auth["roomid"] == 42 and peer.auth["protover"] == 3 and peer.auth["key"] == KEY
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("websockets.server")]
    assert not any(KEY in line for line in ours) and KEY not in repr(conn)


def test_heartbeat_timeout_reconnects_and_nothing_is_lost_or_doubled() -> None:
    async def silent(p: Peer) -> None:
        await p.accept(answer_heartbeats=False)
        await p.ws.send(danmu("第一条", ts=1))  # then nothing: no heartbeat replies either

    async def fine(p: Peer) -> None:
        await p.accept()
        await p.ws.send(bf.encode_batch([danmu("第一条", ts=1), danmu("第二条", ts=2)]))

    server = FakeBilibili([silent, fine])

    async def run() -> tuple[list[ChatMessage], BilibiliConnector]:
        async with server as url:
            conn = connector(url, heartbeat_timeout_s=0.4)
            return await collect(conn, 2), conn

    evs, conn = asyncio.run(run())
    assert [e.text for e in evs] == ["第一条", "第二条"]
    assert len(server.peers) == 2
    assert any("heartbeat timeout" in d for s, d in conn.history if s == "reconnecting")


def test_drop_mid_frame_then_resume() -> None:
    async def dropper(p: Peer) -> None:
        await p.accept()
        await p.ws.send(danmu("before", ts=1))
        await asyncio.sleep(0.05)
        p.ws.transport.write(b"\x82\x7e\x01\x00" + danmu("lost", ts=2)[:20])  # binary frame, cut
        p.ws.transport.abort()

    async def resume(p: Peer) -> None:
        await p.accept()
        await p.ws.send(danmu("after", ts=3))

    assert [e.text for e in first_events(FakeBilibili([dropper, resume]), 2)] == ["before", "after"]


def test_auth_failure_stops() -> None:
    server = FakeBilibili([lambda p: p.accept(code=-101)])
    states: list[str] = []

    async def run() -> list[ChatMessage]:
        async with server as url:
            evs = await collect(connector(url, key=KEY, on_health=lambda _n, s, _d: states.append(s)), 1)
            await asyncio.sleep(0.2)
            return evs

    assert asyncio.run(run()) == []
    assert states[-1] == "auth failed" and "live" not in states
    assert len(server.peers) == 1


def test_oversized_frame_reconnects() -> None:
    async def big(p: Peer) -> None:
        await p.accept()
        await p.ws.send(danmu("ok", ts=1))
        await p.ws.send(b"\x00" * (5 << 20))  # over the 4 MiB frame limit

    async def after(p: Peer) -> None:
        await p.accept()
        await p.ws.send(danmu("after big", ts=2))

    assert [e.text for e in first_events(FakeBilibili([big, after]), 2)] == ["ok", "after big"]


def test_token_from_getdanmuinfo_refreshed_once_after_101() -> None:
    """-101 with a fetched token: fetch a fresh one and reconnect; the cookie goes only to the API."""
    from aiohttp import web

    cookie = "SESSDATA=cookie-secret-42"
    fetches: list[str] = []

    async def info(req: web.Request) -> web.Response:
        fetches.append(req.headers.get("Cookie", ""))
        assert req.query["id"] == "42"
        return web.json_response({"code": 0, "data": {"token": f"tok-{len(fetches)}",
                                                      "host_list": [{"host": "unused", "wss_port": 1}]}})  # fmt: skip

    async def session(p: Peer) -> None:
        pkt = bf.decode(await asyncio.wait_for(p.ws.recv(), 5))[0]
        p.auth = pkt.json()
        ok = p.auth.get("key") == "tok-2"  # the first token has "expired"
        await p.ws.send(bf.encode(bf.OP_AUTH_REPLY, {"code": 0 if ok else -101}))
        if ok:
            await p.ws.send(danmu("fresh token works"))

    server = FakeBilibili([session])

    async def run() -> tuple[list[ChatMessage], BilibiliConnector]:
        app = web.Application()
        app.router.add_get("/info", info)
        async with http_server(app) as http, server as url:
            conn = connector(url, info_url=f"{http}/info", fetch_token=True, cookie=cookie)
            return await collect(conn, 1), conn

    evs, conn = asyncio.run(run())
    assert [e.text for e in evs] == ["fresh token works"]
    assert fetches == [cookie, cookie] and [p.auth["key"] for p in server.peers] == ["tok-1", "tok-2"]
    assert any("-101" in d for s, d in conn.history if s == "reconnecting")
    assert "cookie-secret-42" not in repr(conn)


# ------------------------------------------------------------------ open platform


def _verify(req_headers, body: bytes, secret_: str) -> bool:
    """The server side of the signature: recompute it from the x-bili-* headers (sorted)."""
    import hashlib
    import hmac

    h = {k.lower(): v for k, v in req_headers.items() if k.lower().startswith("x-bili-")}
    if h.get("x-bili-content-md5") != hashlib.md5(body).hexdigest():
        return False
    text = "\n".join(f"{k}:{h[k]}" for k in sorted(h))
    want = hmac.new(secret_.encode(), text.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(req_headers.get("Authorization", ""), want)


def test_open_platform_signed_start_heartbeat_and_end() -> None:
    from aiohttp import web

    from vhost.chat.sources import make_source

    calls: list[tuple[str, dict]] = []
    links: dict[str, str] = {}

    async def api(req: web.Request) -> web.Response:
        body = await req.read()
        if not _verify(req.headers, body, "ak-secret-777"):
            return web.json_response({"code": 4102, "message": "invalid signature", "data": {}})
        payload = json.loads(body)
        calls.append((req.path, payload))
        if req.path.endswith("/start"):
            if payload["code"] != "IDCODE123":
                return web.json_response({"code": 7007, "message": "identity code invalid", "data": {}})
            return web.json_response({"code": 0, "data": {
                "game_info": {"game_id": "g-1"}, "anchor_info": {"room_id": 4639581, "uname": "主播"},
                "websocket_info": {"auth_body": '{"roomid":4639581,"key":"abc"}', "wss_link": [links["ws"]]}}})  # fmt: skip
        return web.json_response({"code": 0, "data": {}})

    open_dm = bf.encode(bf.OP_MESSAGE, {"cmd": "LIVE_OPEN_PLATFORM_DM", "data": {
        "uname": "猫裙少年", "open_id": "o-1", "msg": "杯子多少钱？", "msg_id": "eb80", "timestamp": 1650717881,
        "room_id": 4639581}}, bf.VER_JSON)  # fmt: skip
    open_sc = bf.encode(bf.OP_MESSAGE, {"cmd": "LIVE_OPEN_PLATFORM_SUPER_CHAT", "data": {
        "uname": "醒目", "open_id": "o-2", "message": "包邮吗", "message_id": 99, "rmb": 30}}, bf.VER_JSON)  # fmt: skip

    async def session(p: Peer) -> None:
        pkt = bf.decode(await asyncio.wait_for(p.ws.recv(), 5))[0]
        p.auth = pkt.json()
        await p.ws.send(bf.encode(bf.OP_AUTH_REPLY, {"code": 0}))
        await p.ws.send(bf.encode_batch([open_dm, open_sc]))

    server = FakeBilibili([session])

    async def run(secret_: str, code: str = "IDCODE123") -> tuple[list[ChatMessage], object]:
        async with server as ws_url:
            app = web.Application()
            links["ws"] = ws_url
            app.router.add_post("/v2/app/{what}", api)
            async with http_server(app) as base:
                conn = make_source(f"bilibili-open:{code}", server=base, app_id=1650, api_key="ak-id",
                                   token=secret_)  # fmt: skip
                conn.project_heartbeat_s = 0.05
                conn.backoff = Backoff(base=0.01, cap=0.05)
                out: list[ChatMessage] = []

                async def go() -> None:
                    async for ev in conn.events():
                        out.append(ev)
                        if len(out) == 2:
                            await asyncio.sleep(0.2)  # let project heartbeats go by
                            return

                await asyncio.wait_for(go(), 8)
                await asyncio.sleep(0.1)
                return out, conn

    evs, conn = asyncio.run(run("ak-secret-777"))
    assert [(e.kind, e.user, e.text) for e in evs] == [("message", "猫裙少年", "杯子多少钱？"), ("paid", "醒目", "包邮吗")]
    assert evs[1].amount == 30.0 and server.peers[0].auth == {"roomid": 4639581, "key": "abc"}
    paths = [p for p, _ in calls]
    assert paths[0] == "/v2/app/start" and calls[0][1] == {"code": "IDCODE123", "app_id": 1650}
    assert paths.count("/v2/app/heartbeat") >= 2 and paths[-1] == "/v2/app/end"
    assert calls[-1][1] == {"app_id": 1650, "game_id": "g-1"}
    assert "IDCODE123" not in repr(conn) and "ak-secret-777" not in repr(conn)
    # A wrong secret fails the signature; a wrong identity code is refused: both "auth failed".
    calls.clear()
    evs, conn = asyncio.run(run("wrong-secret"))
    assert evs == [] and conn.health == "auth failed" and "4102" in conn.health_detail
    evs, conn = asyncio.run(run("ak-secret-777", code="NOPE"))
    assert evs == [] and conn.health == "auth failed" and "7007" in conn.health_detail
