"""Streamer.bot client: connect to its WebSocket server, authenticate, subscribe, read events.

Streamer.bot (default `ws://127.0.0.1:8080/`) greets with `{"request":"Hello", ...}`, carrying
`authentication: {challenge, salt}` when a password is set; the answer is
`b64(sha256(b64(sha256(password + salt)) + challenge))`, the obs-websocket scheme. Then
`Subscribe` to the events we map. Event payloads differ by Streamer.bot version
(`data.message.{username,message}` vs `data.user.{login,name}` + `data.text`); both are read.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
from typing import Any

from pydantic import SecretStr
from websockets.asyncio.client import connect

from vhost.chat.connector import WIRE_LOG, AuthFailed, Connector, ParseError, Reconnect, secret
from vhost.chat.events import ChatMessage
from vhost.chat.ingest import parse_money

log = logging.getLogger(__name__)

DEFAULT_URL = "ws://127.0.0.1:8080/"
SUBSCRIBE: dict[str, list[str]] = {
    "Twitch": ["ChatMessage", "Cheer", "Sub", "ReSub", "GiftSub", "GiftBomb", "Raid",
               "ChatMessageDeleted", "UserBanned", "UserTimedOut"],
    "YouTube": ["Message", "SuperChat", "SuperSticker", "NewSponsor", "MembershipGift",
                "MessageDeleted", "UserBanned"],
}  # fmt: skip
_MEMBERSHIP = {"Sub", "ReSub", "NewSponsor", "MemberMileStone"}
_GIFT = {"GiftSub", "GiftBomb", "MembershipGift"}
_PAID = {"Cheer", "SuperChat", "SuperSticker"}


def auth_response(password: str, salt: str, challenge: str) -> str:
    secret_ = base64.b64encode(hashlib.sha256((password + salt).encode()).digest()).decode()
    return base64.b64encode(hashlib.sha256((secret_ + challenge).encode()).digest()).decode()


def _s(value: Any, what: str) -> str:
    """A field as text; a list or an object where text belongs makes the event malformed
    (never "['a', 'list']" read out as chat)."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        raise ParseError(f"'{what}' must be text, not a JSON {'object' if isinstance(value, dict) else 'array'}")
    return str(value)


def _user_fields(data: dict) -> tuple[str, str, str, str, Any]:
    """(display name, user id, text, message id, bits) from either data shape."""
    m = data.get("message")
    if isinstance(m, dict):  # data.message.{username, displayName, message, msgId, userId}
        return (_s(m.get("displayName") or m.get("username"), "displayName"), _s(m.get("userId"), "userId"),
                _s(m.get("message"), "message"), _s(m.get("msgId") or m.get("id"), "msgId"), m.get("bits"))  # fmt: skip
    u = data.get("user")
    if isinstance(u, dict):  # data.user.{login, name, id} + data.text / data.message (str)
        text = data.get("text") if isinstance(data.get("text"), str) else data.get("message")
        return (_s(u.get("name") or u.get("display") or u.get("login"), "name"), _s(u.get("id"), "id"),
                _s(text, "text"), _s(data.get("messageId") or data.get("id"), "messageId"), data.get("bits"))  # fmt: skip
    # Flat older payloads: data.{displayName|userName, message, msgId, userId}
    return (_s(data.get("displayName") or data.get("userName") or data.get("user"), "displayName"),
            _s(data.get("userId"), "userId"), _s(data.get("message") or data.get("text"), "message"),
            _s(data.get("msgId") or data.get("messageId"), "msgId"), data.get("bits"))  # fmt: skip


def parse_event(obj: Any, received_at: float, seq: int = 0) -> ChatMessage | None:
    """One Streamer.bot event message → event; None for other messages (request replies)."""
    try:
        return _parse(obj, received_at, seq)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        if isinstance(exc, ParseError):
            raise
        raise ParseError(f"Streamer.bot event: unexpected shape ({type(exc).__name__}: {exc})") from None


def _parse(obj: Any, received_at: float, seq: int) -> ChatMessage | None:
    if not isinstance(obj, dict):
        raise ParseError("Streamer.bot message must be a JSON object")
    ev, data = obj.get("event"), obj.get("data")
    if ev is None:
        return None
    if not isinstance(ev, dict) or not isinstance(data, dict):
        raise ParseError("event without 'event'/'data' objects")
    source, etype = str(ev.get("source", "")), str(ev.get("type", ""))
    platform = source.lower() or "streamerbot"
    user, uid, text, mid, bits = _user_fields(data)
    mid = mid or f"sb-{platform}-{etype}-{obj.get('timeStamp', '')}-{seq}"
    base = {"platform": platform, "user": user, "received_at": received_at, "user_id": uid, "raw": obj}
    if etype in ("ChatMessage", "Message"):
        if not text or not user:
            raise ParseError(f"{source} {etype} without {'text' if not text else 'a user'}")
        if isinstance(bits, int) and not isinstance(bits, bool) and bits > 0:
            return ChatMessage(mid, text=text, kind="paid", amount=float(bits), currency="bits", **base)
        return ChatMessage(mid, text=text, **base)
    if etype in _PAID:
        if etype == "Cheer":
            n = bits if isinstance(bits, int) else data.get("bits", 0)
            return ChatMessage(mid, text=text, kind="paid", amount=float(n or 0), currency="bits", **base)
        amount, cur = parse_money(str(data.get("amount", "")))
        if data.get("microAmount") is not None:
            amount = float(data["microAmount"]) / 1e6
        cur = str(data.get("currencyCode") or cur or "") or None
        return ChatMessage(mid, text=text, kind="paid", amount=amount, currency=cur, **base)
    if etype in _MEMBERSHIP:
        months = data.get("cumulativeMonths") or data.get("months") or 1
        return ChatMessage(mid, text=text, kind="membership", count=int(months), **base)
    if etype in _GIFT:
        n = data.get("gifts") or data.get("count") or data.get("total") or 1
        return ChatMessage(mid, text=text, kind="gift", gift="sub", count=int(n), **base)
    if etype == "Raid":
        n = data.get("viewers") or data.get("viewerCount") or 0
        return ChatMessage(mid, text=text, kind="raid", count=int(n), **base)
    if etype in ("ChatMessageDeleted", "MessageDeleted"):
        target = str(data.get("targetMessageId") or data.get("messageId") or data.get("msgId") or "")
        if not target:
            raise ParseError(f"{etype} without a message id")
        return ChatMessage(f"sb-del-{target}", text="", kind="withdraw", withdraws=(target,), **base)
    if etype in ("UserBanned", "UserTimedOut"):
        who = uid or user
        if not who:
            raise ParseError(f"{etype} without a user")
        return ChatMessage(mid, text="", kind="withdraw", withdraw_user=who, **base)
    return None


class StreamerBotConnector(Connector):
    platform = "streamerbot"

    def __init__(self, url: str = DEFAULT_URL, *, password: str | SecretStr | None = None,
                 events: dict[str, list[str]] | None = None, **kw) -> None:  # fmt: skip
        super().__init__(f"streamerbot:{url}", **kw)
        self.url = url
        self.password = secret(password)
        self.subscribe = events or SUBSCRIBE
        self._seq = 0

    async def _request(self, ws, request: dict, timeout: float = 10.0) -> dict:
        await ws.send(json.dumps(request))
        async with asyncio.timeout(timeout):
            while True:
                reply = self._loads(await ws.recv())
                if isinstance(reply, dict) and reply.get("id") == request["id"]:
                    return reply
                if reply is not None:
                    self._handle(reply)  # an event racing the reply: keep it

    def _loads(self, frame: str | bytes) -> Any:
        try:
            return json.loads(frame)
        except (ValueError, RecursionError):
            self._skip("message", "not JSON")
            return None

    async def _session(self) -> None:
        async with connect(self.url, max_size=1 << 20, open_timeout=10, logger=WIRE_LOG) as ws:
            try:
                async with asyncio.timeout(10):
                    hello = self._loads(await ws.recv())
            except TimeoutError:
                raise Reconnect("no Hello from Streamer.bot") from None
            if not isinstance(hello, dict) or hello.get("request") != "Hello":
                raise ParseError("first message was not Hello")
            auth = hello.get("authentication")
            if isinstance(auth, dict):
                if self.password is None:
                    raise AuthFailed("Streamer.bot requires a password")
                answer = auth_response(self.password.get_secret_value(), str(auth.get("salt", "")),
                                       str(auth.get("challenge", "")))  # fmt: skip
                reply = await self._request(ws, {"request": "Authenticate", "id": "vhost-auth",
                                                 "authentication": answer})  # fmt: skip
                if reply.get("status") != "ok":
                    raise AuthFailed(f"Streamer.bot refused the password: {reply.get('error', '')}")
            reply = await self._request(ws, {"request": "Subscribe", "id": "vhost-subscribe",
                                             "events": self.subscribe})  # fmt: skip
            if reply.get("status") != "ok":
                raise AuthFailed(f"Subscribe refused: {reply.get('error', '')}")
            self._live(self.url)
            async for frame in ws:
                obj = self._loads(frame)
                if obj is not None:
                    self._handle(obj)

    def _handle(self, obj: Any) -> None:
        self._seq += 1
        try:
            ev = parse_event(obj, self.clock(), self._seq)
        except ParseError as exc:
            self._skip("event", exc)
            return
        if ev is not None:
            self._emit(ev)
