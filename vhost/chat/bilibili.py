"""Bilibili live danmaku over WebSocket (web route), framing in `bilibili_frames`.

Auth packet first (op 7), the server answers op 8 `{"code":0}`; then a heartbeat (op 2) every
30 s, answered with the popularity (op 3). Silence longer than `heartbeat_timeout_s` means the
link is dead even if TCP has not noticed: reconnect. Code -101 is a token error: with a token
fetched from `getDanmuInfo` we fetch a fresh one once; a second refusal is "auth failed".

Without a login cookie Bilibili masks usernames ("张*") since 2023; that is the platform's choice,
the cookie (kept as a secret) is optional. The open-platform route (signed app start) uses the
same framing and its commands are parsed in `bilibili_frames.to_event`.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

import httpx
from pydantic import SecretStr
from websockets.asyncio.client import connect

from vhost.chat import bilibili_frames as bf
from vhost.chat.connector import (
    WIRE_LOG,
    AuthFailed,
    Connector,
    ParseError,
    Reconnect,
    secret,
)

log = logging.getLogger(__name__)

DANMU_INFO_URL = "https://api.live.bilibili.com/xlive/web-room/v1/index/getDanmuInfo"
DEFAULT_WS = "wss://broadcastlv.chat.bilibili.com/sub"
MAX_FRAME = 4 << 20


class BilibiliConnector(Connector):
    platform = "bilibili"

    def __init__(
        self,
        room_id: int,
        *,
        url: str | None = None,
        key: str | SecretStr | None = None,
        cookie: str | SecretStr | None = None,
        info_url: str = DANMU_INFO_URL,
        heartbeat_s: float = 30.0,
        heartbeat_timeout_s: float | None = None,
        auth_timeout_s: float = 10.0,
        fetch_token: bool | None = None,
        **kw,
    ) -> None:
        if room_id <= 0:
            raise ValueError("bilibili room id must be a positive number")
        super().__init__(f"bilibili:{room_id}", **kw)
        self.room_id = room_id
        self.url = url  # None: ask getDanmuInfo for the host and a token
        self.key = secret(key)
        self.cookie = secret(cookie)
        self.info_url = info_url
        self.buvid = uuid.uuid4().hex.upper()
        self.heartbeat_s = heartbeat_s
        # Two missed replies and a bit: one late reply on a slow network is not a dead link.
        self.heartbeat_timeout_s = heartbeat_timeout_s or heartbeat_s * 2.5
        self.auth_timeout_s = auth_timeout_s
        self.popularity = 0
        # getDanmuInfo gives the host and a token; by default only when no endpoint was given.
        self.fetch_token = url is None if fetch_token is None else fetch_token
        self._fetched_key = False
        self._auth_refusals = 0

    async def _fetch_info(self) -> None:
        headers = {"User-Agent": "Mozilla/5.0 vhost"}
        if self.cookie is not None:
            headers["Cookie"] = self.cookie.get_secret_value()
        async with httpx.AsyncClient(timeout=10) as client:
            r = await client.get(self.info_url, params={"id": self.room_id, "type": 0}, headers=headers)
        try:
            body = r.json()
            data = body["data"]
            if body.get("code") != 0:
                raise ParseError(f"getDanmuInfo code {body.get('code')}: {body.get('message', '')}")
            host = data["host_list"][0]
            self.url = self.url or f"wss://{host['host']}:{host.get('wss_port', 443)}/sub"
            self.key = SecretStr(str(data["token"]))
            self._fetched_key = True
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ParseError(f"getDanmuInfo: unexpected reply ({exc})") from None

    async def _session(self) -> None:
        if self.url is None or (self.fetch_token and (not self._fetched_key or self._auth_refusals)):
            await self._fetch_info()
        assert self.url is not None
        # uid 0: an anonymous viewer (a cookie, if given, only goes to getDanmuInfo).
        auth = {"uid": 0, "roomid": self.room_id, "protover": 3, "platform": "web",
                "type": 2, "buvid": self.buvid}  # fmt: skip
        if self.key is not None:
            auth["key"] = self.key.get_secret_value()
        await self._read(self.url, auth)

    async def _read(self, url: str, auth: dict | str) -> None:
        """One link: send the auth packet, wait for its reply, then read until the link drops.
        Shared with the open-platform route, which only gets `url` and `auth` another way."""
        async with connect(url, max_size=MAX_FRAME, open_timeout=15, ping_interval=None,
                           logger=WIRE_LOG) as ws:  # fmt: skip
            await ws.send(bf.encode(bf.OP_AUTH, auth))
            await self._await_auth(ws)
            beat = asyncio.create_task(self._heartbeat(ws), name=f"{self.name}-heartbeat")
            try:
                while True:
                    try:
                        frame = await asyncio.wait_for(ws.recv(), self.heartbeat_timeout_s)
                    except TimeoutError:
                        raise Reconnect(f"heartbeat timeout ({self.heartbeat_timeout_s:g} s)") from None
                    self._handle(frame)
            finally:
                beat.cancel()

    async def _await_auth(self, ws) -> None:
        try:
            async with asyncio.timeout(self.auth_timeout_s):
                while True:
                    for p in self._decode(await ws.recv(), "frame before auth reply"):
                        if p.op != bf.OP_AUTH_REPLY:
                            continue
                        code = p.json().get("code") if isinstance(p.json(), dict) else None
                        if code == 0:
                            self._auth_refusals = 0
                            self._live(f"room {self.room_id}")
                            return
                        self._auth_refusals += 1
                        if code == -101 and self._fetched_key and self._auth_refusals == 1:
                            raise Reconnect("token expired (-101): fetching a new one")
                        raise AuthFailed(f"auth reply code {code}")
        except TimeoutError:
            raise Reconnect("no auth reply") from None

    async def _heartbeat(self, ws) -> None:
        while True:
            await ws.send(bf.encode(bf.OP_HEARTBEAT))
            await asyncio.sleep(self.heartbeat_s)

    def _decode(self, frame: bytes | str, what: str) -> list[bf.Packet]:
        """The frame's packets; a malformed frame is logged, counted and skipped (no packets)."""
        try:
            return bf.decode(frame if isinstance(frame, bytes) else frame.encode())
        except ParseError as exc:
            self._skip(what, exc)
            return []

    def _handle(self, frame: bytes | str) -> None:
        now = self.clock()
        for p in self._decode(frame, "frame"):
            try:
                if p.op == bf.OP_HEARTBEAT_REPLY:
                    self.popularity = bf.popularity(p)
                elif p.op == bf.OP_MESSAGE:
                    ev = bf.to_event(p.json(), now)
                    if ev is not None:
                        self._emit(ev)
            except ParseError as exc:
                self._skip("packet", exc)
