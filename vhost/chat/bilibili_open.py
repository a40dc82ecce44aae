"""Bilibili live open platform (直播开放平台): the sanctioned route, with unmasked names.

The streamer gives their identity code (身份码); our app's access key signs each API call:
headers `x-bili-*` (content MD5, timestamp, nonce, key id, method, version) sorted, joined as
`key:value` lines, HMAC-SHA256 with the access key secret → `Authorization`. `POST /v2/app/start`
returns the game id, `auth_body` and `wss_link`s; the same binary framing as the web route
follows (auth packet body = `auth_body`). The project must be kept alive with
`POST /v2/app/heartbeat` every 20 s (Bilibili closes it after 60 s) and ended with
`POST /v2/app/end` when we stop, or the room stays "in use" for a minute.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
import uuid

import httpx
from pydantic import SecretStr

from vhost.chat.bilibili import BilibiliConnector
from vhost.chat.connector import AuthFailed, ParseError, Reconnect, secret

log = logging.getLogger(__name__)

OPEN_API = "https://live-open.biliapi.com"
PROJECT_HEARTBEAT_S = 20.0


def sign(body: bytes, key_id: str, key_secret: str, *, nonce: str | None = None,
         timestamp: int | None = None) -> dict[str, str]:  # fmt: skip
    """The signed headers for one open-platform request."""
    headers = {
        "x-bili-accesskeyid": key_id,
        "x-bili-content-md5": hashlib.md5(body).hexdigest(),
        "x-bili-signature-method": "HMAC-SHA256",
        "x-bili-signature-nonce": nonce or uuid.uuid4().hex,
        "x-bili-signature-version": "1.0",
        "x-bili-timestamp": str(int(time.time()) if timestamp is None else timestamp),
    }
    text = "\n".join(f"{k}:{headers[k]}" for k in sorted(headers))
    headers["Authorization"] = hmac.new(key_secret.encode(), text.encode(), hashlib.sha256).hexdigest()
    headers.update({"Accept": "application/json", "Content-Type": "application/json"})
    return headers


class BilibiliOpenConnector(BilibiliConnector):
    """`bilibili-open:<identity code>` with the app's id and access key."""

    def __init__(self, identity_code: str | SecretStr, *, app_id: int, access_key_id: str | SecretStr,
                 access_key_secret: str | SecretStr, api: str = OPEN_API,
                 project_heartbeat_s: float = PROJECT_HEARTBEAT_S, **kw) -> None:  # fmt: skip
        super().__init__(1, url="unused", fetch_token=False, **kw)
        self.name = "bilibili-open"  # the identity code is a credential: not in the name
        self.code = secret(identity_code)
        self.app_id = app_id
        self.key_id, self.key_secret = secret(access_key_id), secret(access_key_secret)
        self.api = api.rstrip("/")
        self.project_heartbeat_s = project_heartbeat_s
        self.game_id: str | None = None
        self._fetched_key = True  # a -101 means a stale auth_body: start again once, then give up

    async def _call(self, client: httpx.AsyncClient, path: str, payload: dict) -> dict:
        assert self.key_id is not None and self.key_secret is not None
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = sign(body, self.key_id.get_secret_value(), self.key_secret.get_secret_value())
        r = await client.post(f"{self.api}{path}", content=body, headers=headers)
        try:
            reply = r.json()
            code = reply["code"]
        except (ValueError, KeyError, TypeError):
            raise ParseError(f"{path}: HTTP {r.status_code}, not an API reply") from None
        if code != 0:
            if path.endswith("/start"):
                raise AuthFailed(f"app start refused: code {code} {reply.get('message', '')}".strip())
            raise Reconnect(f"{path}: code {code} {reply.get('message', '')}".strip())
        return reply.get("data") or {}

    async def _session(self) -> None:
        assert self.code is not None
        async with httpx.AsyncClient(timeout=10) as client:
            data = await self._call(client, "/v2/app/start",
                                    {"code": self.code.get_secret_value(), "app_id": self.app_id})  # fmt: skip
            try:
                self.game_id = str(data["game_info"]["game_id"])
                ws_info = data["websocket_info"]
                auth_body, links = str(ws_info["auth_body"]), list(ws_info["wss_link"])
                self.room_id = int((data.get("anchor_info") or {}).get("room_id") or 0) or self.room_id
            except (KeyError, TypeError, ValueError) as exc:
                raise ParseError(f"app start: unexpected reply ({exc})") from None
            project = asyncio.create_task(self._project_heartbeat(client), name=f"{self.name}-project")
            try:
                await self._read(links[0], auth_body)
            finally:
                project.cancel()
                try:  # end the project, or the room stays taken for a minute
                    await self._call(client, "/v2/app/end", {"app_id": self.app_id, "game_id": self.game_id})
                except Exception as exc:
                    log.warning("%s: app end failed: %s", self.name, exc)

    async def _project_heartbeat(self, client: httpx.AsyncClient) -> None:
        while True:
            await asyncio.sleep(self.project_heartbeat_s)
            try:
                await self._call(client, "/v2/app/heartbeat", {"game_id": self.game_id})
            except Exception as exc:  # a missed beat is retried; 60 s without one ends the project
                log.warning("%s: project heartbeat failed: %s", self.name, exc)
