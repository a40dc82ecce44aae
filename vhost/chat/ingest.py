"""Generic ingest on 127.0.0.1: any tool can push chat in, over WebSocket or HTTP POST.

    POST /events        body: one event object, or a list of them   → 200 {"accepted": n, "errors": [...]}
    GET  /ws            WebSocket; each text message one object or a list; errors come back as JSON

Auth: `Authorization: Bearer <token>` or `?token=<token>` (Social Stream Ninja can only set a URL);
a token is required (no token configured: the connector does not start); a wrong or missing one is 401. The access log is off: a query token must not reach a log.

Our schema (only `user` and `text` are required for a message):
    {"type": "message|paid|gift|membership|raid|withdraw", "platform": "...", "id": "...",
     "user": "...", "user_id": "...", "text": "...", "amount": 5.0, "currency": "USD",
     "gift": "...", "count": 1, "badges": ["..."], "withdraws": ["id"], "withdraw_user": "...",
     "sent_at": 1700000000.0}
Social Stream Ninja's flat shape (`chatname`, `chatmessage`, `hasDonation`, `membership`, `type`
= source platform, `userid`, `event`, `textonly`) is recognised and mapped.
"""

from __future__ import annotations

import asyncio
import hmac
import html
import itertools
import json
import logging
import math
import re
from typing import Any

from aiohttp import WSMsgType, web
from pydantic import SecretStr

from vhost.chat.connector import Connector, ParseError, secret
from vhost.chat.events import KINDS, ChatMessage

log = logging.getLogger(__name__)

MAX_BODY = 256 * 1024
MAX_BATCH = 500
_TAG = re.compile(r"<[^>]{0,500}>")
_MONEY = re.compile(r"([^\d\s.,]*)\s*([\d][\d,]*(?:\.\d+)?)\s*([A-Za-z]{3})?")
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₩": "KRW", "₹": "INR", "CA$": "CAD",
            "A$": "AUD", "R$": "BRL", "NT$": "TWD", "HK$": "HKD", "CN¥": "CNY", "￥": "CNY"}  # fmt: skip
_ids = itertools.count(1)


def parse_money(text: str) -> tuple[float | None, str | None]:
    """"$5.00" → (5.0, "USD"); "5 EUR" → (5.0, "EUR"); unknown → (None, None)."""
    m = _MONEY.search(text.strip())
    if not m:
        return None, None
    amount = float(m.group(2).replace(",", ""))
    cur = m.group(3) or _SYMBOLS.get(m.group(1).strip(), m.group(1).strip() or None)
    return amount, cur.upper() if cur else None


def _str(obj: dict, key: str, default: str = "") -> str:
    v = obj.get(key, default)
    if v is None:
        return default
    if not isinstance(v, str | int | float) or isinstance(v, bool):
        raise ParseError(f"'{key}' must be a string")
    if isinstance(v, str) and any("\ud800" <= c <= "\udfff" for c in v):
        raise ParseError(f"'{key}' is not valid Unicode (a lone surrogate)")
    return str(v)


def _ssn(obj: dict, at: float) -> ChatMessage | None:
    text = _str(obj, "chatmessage")
    if not obj.get("textonly"):
        text = html.unescape(_TAG.sub("", text))  # SSN sends HTML (emotes as <img>) by default
    user = _str(obj, "chatname") or "viewer"
    platform = _str(obj, "type") or "ingest"
    mid = _str(obj, "id") or f"ssn-{next(_ids)}"
    base = {"platform": platform, "user": user, "received_at": at, "user_id": _str(obj, "userid"),
            "raw": obj}  # fmt: skip
    donation = _str(obj, "hasDonation")
    if donation:
        amount, cur = parse_money(donation)
        return ChatMessage(mid, text=text, kind="paid", amount=amount, currency=cur, **base)
    if _str(obj, "membership"):
        return ChatMessage(mid, text=text or _str(obj, "membership"), kind="membership", **base)
    event = obj.get("event")
    if event and not text:
        name = str(event).lower()
        if "raid" in name:
            return ChatMessage(mid, text=name, kind="raid", **base)
        if "gift" in name:
            return ChatMessage(mid, text=name, kind="gift", **base)
        return None  # joins, follows, likes: not for the host to answer
    if not text:
        raise ParseError("SSN message without 'chatmessage'")
    return ChatMessage(mid, text=text, **base)


def parse_event(obj: Any, received_at: float) -> ChatMessage | None:
    """One ingest object (ours or SSN's) → event. ParseError says which field is wrong."""
    if not isinstance(obj, dict):
        raise ParseError("an event must be a JSON object")
    if "chatname" in obj or "chatmessage" in obj:
        return _ssn(obj, received_at)
    kind = _str(obj, "type", "message") or "message"
    if kind not in KINDS:
        raise ParseError(f"'type' must be one of {', '.join(KINDS)}")
    user, text = _str(obj, "user"), _str(obj, "text")
    if kind == "message" and not (user.strip() and user.isprintable() and text.strip()):
        raise ParseError("a message needs 'user' and 'text'")
    amount = obj.get("amount")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int | float)
                               or not math.isfinite(amount) or amount < 0):  # fmt: skip
        raise ParseError("'amount' must be a number >= 0")
    count = obj.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 1_000_000:
        raise ParseError("'count' must be an integer 0..1000000")
    lists = {}
    for key in ("badges", "withdraws"):
        v = obj.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ParseError(f"'{key}' must be a list of strings")
        lists[key] = tuple(v)
    if kind == "withdraw" and not lists["withdraws"] and not obj.get("withdraw_user"):
        raise ParseError("a withdraw needs 'withdraws' or 'withdraw_user'")
    sent_at = obj.get("sent_at")
    if sent_at is not None and (isinstance(sent_at, bool) or not isinstance(sent_at, int | float)):
        raise ParseError("'sent_at' must be epoch seconds")
    return ChatMessage(
        _str(obj, "id") or f"ingest-{next(_ids)}", _str(obj, "platform", "ingest") or "ingest",
        user, text, received_at, _str(obj, "user_id"), kind=kind,
        amount=float(amount) if amount is not None else None,
        currency=_str(obj, "currency") or None, gift=_str(obj, "gift") or None, count=count,
        badges=lists["badges"], withdraws=lists["withdraws"],
        withdraw_user=_str(obj, "withdraw_user") or None,
        sent_at=float(sent_at) if sent_at is not None else None, raw=obj,
    )  # fmt: skip


class IngestServer(Connector):
    """Listens (127.0.0.1 by default) and turns what tools push into events."""

    platform = "ingest"

    def __init__(self, port: int, *, host: str = "127.0.0.1", token: str | SecretStr | None = None,
                 max_body: int = MAX_BODY, **kw) -> None:  # fmt: skip
        super().__init__(f"ingest:{port}", **kw)
        self.host, self.port = host, port
        self.token = secret(token)
        if self.token is None or not self.token.get_secret_value():
            # Without one, any web page the streamer opens could POST chat into the show.
            raise ValueError("ingest needs a token (token = \"...\" in its [[chat.connectors]] entry, "
                             "or --token / $VHOST_CHAT_TOKEN)")
        self.max_body = max_body
        self.bound_port: int | None = None

    def _authorized(self, request: web.Request) -> bool:
        if self.token is None:  # never: the constructor requires one
            return False
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        given = given or request.query.get("token", "")
        return hmac.compare_digest(given.encode(), self.token.get_secret_value().encode())

    def _take(self, payload: Any) -> tuple[int, list[str]]:
        items = payload if isinstance(payload, list) else [payload]
        if len(items) > MAX_BATCH:
            self._skip("batch", f"{len(items)} events, over {MAX_BATCH}")  # the operator hears of it too
            return 0, [f"at most {MAX_BATCH} events per batch"]
        accepted, errors, now = 0, [], self.clock()
        for i, item in enumerate(items):
            try:
                ev = parse_event(item, now)
            except ParseError as exc:
                self._skip(f"event {i}", exc)
                errors.append(f"event {i}: {exc}")
                continue
            if ev is not None and self._emit(ev):
                accepted += 1
        return accepted, errors

    async def _post(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return web.json_response({"error": "bad or missing token"}, status=401)
        try:
            payload = json.loads(await request.read())
        except web.HTTPRequestEntityTooLarge:
            self._skip("POST", "body too large")
            return web.json_response({"error": f"body over {self.max_body} bytes"}, status=413)
        except (ValueError, RecursionError) as exc:
            self._skip("POST", f"not JSON: {exc}")
            return web.json_response({"error": "body is not JSON"}, status=400)
        accepted, errors = self._take(payload)
        return web.json_response({"accepted": accepted, "errors": errors},
                                 status=400 if errors and not accepted else 200)  # fmt: skip

    async def _ws(self, request: web.Request) -> web.StreamResponse:
        if not self._authorized(request):
            return web.json_response({"error": "bad or missing token"}, status=401)
        ws = web.WebSocketResponse(max_msg_size=self.max_body, heartbeat=30)
        await ws.prepare(request)
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                if msg.type in (WSMsgType.ERROR, WSMsgType.BINARY):  # events are JSON text, never binary
                    self._skip("WebSocket", ws.exception() or "error" if msg.type == WSMsgType.ERROR
                               else "a binary message")  # fmt: skip
                continue
            try:
                payload = json.loads(msg.data)
            except (ValueError, RecursionError):
                self._skip("WebSocket message", "not JSON")
                await ws.send_json({"error": "not JSON"})
                continue
            accepted, errors = self._take(payload)
            await ws.send_json({"accepted": accepted, "errors": errors})
        return ws

    async def _session(self) -> None:
        app = web.Application(client_max_size=self.max_body)
        app.router.add_post("/events", self._post)
        app.router.add_get("/ws", self._ws)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            self.bound_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            self._live(f"listening on http://{self.host}:{self.bound_port}")
            await asyncio.Event().wait()  # until cancelled
        finally:
            await runner.cleanup()
