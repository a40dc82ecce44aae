"""Twitch chat: IRC over WebSocket (`wss://irc-ws.chat.twitch.tv`) or TLS TCP
(`ircs://irc.chat.twitch.tv:6697`), anonymous or with OAuth.

Read-only by default (`justinfan<digits>`, no PASS). One WebSocket frame may carry several
`\\r\\n`-separated lines; each is parsed on its own, and a malformed one is logged and skipped.
PRIVMSG (with bits → "paid"), USERNOTICE (sub/resub → "membership", subgift → "gift",
raid → "raid"), CLEARMSG / CLEARCHAT (→ "withdraw"), PING → PONG, RECONNECT → reconnect.
"""

from __future__ import annotations

import asyncio
import codecs
import logging
import random
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pydantic import SecretStr
from websockets.asyncio.client import connect

from vhost.chat.connector import WIRE_LOG, AuthFailed, Connector, ParseError, Reconnect, secret
from vhost.chat.events import ChatMessage

log = logging.getLogger(__name__)

DEFAULT_URL = "wss://irc-ws.chat.twitch.tv:443"
MAX_LINE = 16_384  # Twitch lines are ≤ 512 bytes of message plus ≤ 8 KB of tags
MAX_FRAME = 1 << 20  # a bigger WebSocket frame closes the link (and we reconnect)
_ESCAPES = {"s": " ", ":": ";", "\\": "\\", "r": "\r", "n": "\n"}
_SUB_IDS = {"sub", "resub", "primepaidupgrade", "giftpaidupgrade", "anongiftpaidupgrade"}
_GIFT_IDS = {"subgift", "anonsubgift", "submysterygift", "anonsubmysterygift"}


@dataclass(frozen=True)
class IrcMessage:
    command: str
    params: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    prefix: str = ""

    @property
    def nick(self) -> str:
        return self.prefix.split("!", 1)[0] if "!" in self.prefix else ""

    @property
    def trailing(self) -> str:
        return self.params[-1] if self.params else ""


def unescape_tag(value: str) -> str:
    out, it = [], iter(value)
    for ch in it:
        if ch != "\\":
            out.append(ch)
            continue
        nxt = next(it, "")
        out.append(_ESCAPES.get(nxt, nxt))  # unknown escape: the char itself; trailing \: dropped
    return "".join(out)


def parse_tags(raw: str) -> dict[str, str]:
    tags = {}
    for part in raw.split(";"):
        if part:
            key, _, value = part.partition("=")
            tags[key] = unescape_tag(value)
    return tags


def parse_line(line: str) -> IrcMessage:
    """One IRC line (without CRLF) → IrcMessage. ParseError on anything that isn't IRC."""
    if not line or len(line) > MAX_LINE:
        raise ParseError("empty line" if not line else f"line of {len(line)} chars")
    if "\x00" in line or "\r" in line or "\n" in line:
        raise ParseError("control character in line")
    rest, tags, prefix = line, {}, ""
    if rest.startswith("@"):
        raw_tags, sep, rest = rest[1:].partition(" ")
        if not sep:
            raise ParseError("tags without a command")
        tags = parse_tags(raw_tags)
        rest = rest.lstrip(" ")
    if rest.startswith(":"):
        prefix, sep, rest = rest[1:].partition(" ")
        if not sep:
            raise ParseError("prefix without a command")
        rest = rest.lstrip(" ")
    head, sep, trailing = rest.partition(" :")
    words = head.split()
    if not words or not (words[0].isalpha() or (words[0].isdigit() and len(words[0]) == 3)):
        raise ParseError(f"no valid command in {line[:60]!r}")
    params = words[1:] + ([trailing] if sep else [])
    return IrcMessage(words[0].upper(), params, tags, prefix)


def _ts(tags: dict[str, str]) -> float | None:
    try:
        return int(tags["tmi-sent-ts"]) / 1000.0
    except (KeyError, ValueError):
        return None


def _badges(tags: dict[str, str]) -> tuple[str, ...]:
    return tuple(b for b in tags.get("badges", "").split(",") if b)


def to_event(m: IrcMessage, received_at: float) -> ChatMessage | None:
    """The normalized event for a chat-relevant IRC message, or None (JOIN, ROOMSTATE, ...)."""
    t = m.tags
    login = m.nick or t.get("login", "")
    user = t.get("display-name") or login
    common = {"platform": "twitch", "received_at": received_at, "user_id": t.get("user-id", ""),
              "badges": _badges(t), "sent_at": _ts(t), "raw": m}  # fmt: skip
    if m.command == "PRIVMSG":
        if len(m.params) < 2 or not m.params[0].startswith("#"):
            raise ParseError("PRIVMSG without a channel and a text")
        if not login:
            raise ParseError("PRIVMSG without a sender")
        text = m.trailing
        if text.startswith("\x01ACTION ") and text.endswith("\x01"):  # /me
            text = text[8:-1]
        mid = t.get("id") or f"twitch-{login}-{t.get('tmi-sent-ts', '')}-{hash(text) & 0xFFFF}"
        bits = t.get("bits", "")
        if bits.isdigit() and int(bits) > 0:
            return ChatMessage(mid, user=user, text=text, kind="paid", amount=float(bits),
                               currency="bits", **common)  # fmt: skip
        return ChatMessage(mid, user=user, text=text, **common)
    if m.command == "USERNOTICE":
        msg_id = t.get("msg-id", "")
        mid = t.get("id") or f"twitch-notice-{login}-{t.get('tmi-sent-ts', '')}"
        text = m.trailing if len(m.params) > 1 else ""
        system = t.get("system-msg", "")
        if msg_id in _SUB_IDS:
            months = t.get("msg-param-cumulative-months", "1")
            return ChatMessage(mid, user=user, text=text or system, kind="membership",
                               count=int(months) if months.isdigit() else 1,
                               gift=t.get("msg-param-sub-plan"), **common)  # fmt: skip
        if msg_id in _GIFT_IDS:
            n = t.get("msg-param-mass-gift-count") or t.get("msg-param-gift-months") or "1"
            return ChatMessage(mid, user=user, text=system, kind="gift", gift="sub",
                               count=int(n) if n.isdigit() else 1, **common)  # fmt: skip
        if msg_id == "raid":
            n = t.get("msg-param-viewerCount", "0")
            return ChatMessage(mid, user=t.get("msg-param-displayName") or user, text=system,
                               kind="raid", count=int(n) if n.isdigit() else 0, **common)  # fmt: skip
        return None  # announcements, bits badges, ...: nothing for the host to act on
    if m.command == "CLEARMSG":
        target = t.get("target-msg-id", "")
        if not target:
            raise ParseError("CLEARMSG without target-msg-id")
        return ChatMessage(f"clearmsg-{target}", user=t.get("login", ""), text=m.trailing,
                           kind="withdraw", withdraws=(target,), **common)  # fmt: skip
    if m.command == "CLEARCHAT":
        who = t.get("target-user-id") or (m.params[1] if len(m.params) > 1 else "")
        stamp = t.get("tmi-sent-ts", "")
        # No target: the whole chat was cleared; every queued Twitch message goes ("*").
        return ChatMessage(f"clearchat-{who or 'all'}-{stamp}", user=m.trailing if who else "",
                           text="", kind="withdraw", withdraw_user=who or "*", **common)  # fmt: skip
    return None


class TwitchConnector(Connector):
    platform = "twitch"

    def __init__(
        self,
        channel: str,
        *,
        url: str = DEFAULT_URL,
        nick: str | None = None,
        token: str | SecretStr | None = None,
        read_timeout_s: float = 360.0,
        **kw,
    ) -> None:
        channel = channel.strip().lstrip("#").lower()
        if not channel:
            raise ValueError("twitch channel must not be empty")
        super().__init__(f"twitch:#{channel}", **kw)
        self.channel = channel
        self.url = url
        self.token = secret(token)
        # Anonymous logins are read-only and need no token: the usual case for a host.
        self.nick = (nick or f"justinfan{random.randint(10_000, 99_999)}").lower()
        # Twitch PINGs about every 5 minutes; silence longer than that means a dead link.
        self.read_timeout_s = read_timeout_s

    @asynccontextmanager
    async def _link(self) -> AsyncIterator[tuple[Callable[[], Awaitable[str]], Callable[[str], Awaitable[None]]]]:
        """(recv, send) over WebSocket, or over TCP for `irc://` / `ircs://` (TLS) URLs.

        recv() returns one or more whole lines joined by CRLF; over TCP a line cut by a dropped
        link is never returned (it was not received)."""
        if self.url.startswith(("irc://", "ircs://")):
            u = urlsplit(self.url)
            tls = ssl.create_default_context() if u.scheme == "ircs" else None
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(u.hostname, u.port or (6697 if tls else 6667), ssl=tls), 15)
            decoder = codecs.getincrementaldecoder("utf-8")("replace")
            pending = [""]

            async def recv() -> str:
                data = await reader.read(65536)
                if not data:
                    raise ConnectionError("server closed the connection")
                *lines, rest = (pending[0] + decoder.decode(data)).split("\r\n")
                if len(rest) > MAX_LINE:
                    self._skip("IRC line", f"over {MAX_LINE} chars without CRLF")
                    rest = ""
                pending[0] = rest
                return "\r\n".join(lines)

            async def send(line: str) -> None:
                writer.write(line.encode() + b"\r\n")
                await writer.drain()

            try:
                yield recv, send
            finally:
                writer.close()
            return
        async with connect(self.url, max_size=MAX_FRAME, open_timeout=15, ping_interval=30,
                           logger=WIRE_LOG) as ws:  # fmt: skip

            async def ws_recv() -> str:
                frame = await ws.recv()
                return frame.decode("utf-8", "replace") if isinstance(frame, bytes) else frame

            yield ws_recv, ws.send

    async def _session(self) -> None:
        async with self._link() as (recv, send):
            await send("CAP REQ :twitch.tv/tags twitch.tv/commands")
            if self.token is not None:
                tok = self.token.get_secret_value()
                await send(f"PASS {tok if tok.startswith('oauth:') else 'oauth:' + tok}")
            await send(f"NICK {self.nick}")
            joined = False
            while True:
                try:
                    frame = await asyncio.wait_for(recv(), self.read_timeout_s)
                except TimeoutError:
                    raise Reconnect(f"nothing received for {self.read_timeout_s:.0f} s") from None
                now = self.clock()
                for line in frame.split("\r\n"):
                    if not line:
                        continue
                    try:
                        m = parse_line(line)
                    except ParseError as exc:
                        self._skip("IRC line", exc)
                        continue
                    if m.command == "PING":
                        await send(f"PONG :{m.trailing or 'tmi.twitch.tv'}")
                    elif m.command == "RECONNECT":
                        raise Reconnect("server sent RECONNECT")
                    elif m.command == "NOTICE" and "authentication failed" in m.trailing.lower():
                        raise AuthFailed(m.trailing)
                    elif m.command == "NOTICE" and "improperly formatted auth" in m.trailing.lower():
                        raise AuthFailed(m.trailing)
                    elif m.command == "001" and not joined:
                        await send(f"JOIN #{self.channel}")
                        joined = True
                    elif m.command == "JOIN" and m.nick == self.nick:
                        self._live(f"joined #{self.channel}")
                    else:
                        try:
                            ev = to_event(m, now)
                        except (ParseError, ValueError) as exc:
                            self._skip(m.command, exc)
                            continue
                        if ev is not None:
                            self._emit(ev)
