"""Twitch connector against a local IRC-over-WebSocket server that speaks Twitch's dialect."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import pytest
from websockets.asyncio.server import ServerConnection

from tests.chat_helpers import ScriptedWsServer, collect
from vhost.chat.connector import Backoff
from vhost.chat.events import ChatMessage
from vhost.chat.twitch import TwitchConnector, parse_line, parse_tags, to_event

TOKEN = "s3cr3tt0k3nabcdef"
WELCOME = [":tmi.twitch.tv 001 {nick} :Welcome, GLHF!", ":tmi.twitch.tv 002 {nick} :Your host is tmi",
           ":tmi.twitch.tv 376 {nick} :>"]  # fmt: skip
PRIV = ("@badge-info=subscriber/8;badges=subscriber/6,premium/1;color=#1E90FF;display-name=Viewer_One;"
        "emotes=;id={id};mod=0;room-id=1001;subscriber=1;tmi-sent-ts=1700000000000;user-id=2001;"
        "user-type= :viewer_one!viewer_one@viewer_one.tmi.twitch.tv PRIVMSG #shopdemo :{text}")  # fmt: skip
BITS = ("@badges=bits/1000;bits=100;display-name=Cheerer;id=b-1;room-id=1001;user-id=2002 "
        ":cheerer!cheerer@cheerer.tmi.twitch.tv PRIVMSG #shopdemo :cheer100 take my money")
RESUB = ("@display-name=Resubber;login=resubber;msg-id=resub;msg-param-cumulative-months=6;"
         "msg-param-sub-plan=1000;system-msg=Resubber\\ssubscribed\\sat\\sTier\\s1.;user-id=2003;id=n-1 "
         ":tmi.twitch.tv USERNOTICE #shopdemo :Great stream!")
RAID = ("@display-name=Raider;login=raider;msg-id=raid;msg-param-viewerCount=15;id=n-2;"
        "system-msg=15\\sraiders\\sfrom\\sRaider\\shave\\sjoined! :tmi.twitch.tv USERNOTICE #shopdemo")
GIFT = ("@display-name=Giver;login=giver;msg-id=submysterygift;msg-param-mass-gift-count=5;id=n-3;"
        "system-msg=Giver\\sis\\sgifting\\s5 :tmi.twitch.tv USERNOTICE #shopdemo")
CLEARMSG = ("@login=viewer_one;room-id=1001;target-msg-id=q-1;tmi-sent-ts=1700000001000 "
            ":tmi.twitch.tv CLEARMSG #shopdemo :how much is the blue one?")
CLEARCHAT = ("@ban-duration=600;room-id=1001;target-user-id=2002;tmi-sent-ts=1700000002000 "
             ":tmi.twitch.tv CLEARCHAT #shopdemo :cheerer")

Session = Callable[["Client"], Awaitable[None]]


class Client:
    """The server's view of one connection: what it sent, and helpers to answer it."""

    def __init__(self, ws: ServerConnection) -> None:
        self.ws = ws
        self.lines: list[str] = []
        self.nick = ""

    async def expect(self, command: str) -> str:
        while True:
            frame = await asyncio.wait_for(self.ws.recv(), 5)
            for line in str(frame).split("\r\n"):
                self.lines.append(line)
                if line.startswith("NICK "):
                    self.nick = line[5:]
                if line.split(" ", 1)[0] == command:
                    return line

    async def login(self) -> None:
        await self.expect("NICK")
        await self.ws.send("\r\n".join(x.format(nick=self.nick) for x in WELCOME) + "\r\n")
        join = await self.expect("JOIN")
        await self.ws.send(f":{self.nick}!{self.nick}@{self.nick}.tmi.twitch.tv {join}\r\n")


class FakeTwitch(ScriptedWsServer[Client]):
    def __init__(self, sessions: list[Session]) -> None:
        super().__init__(sessions, Client)

    @property
    def clients(self) -> list[Client]:
        return self.conns


def connector(url: str, **kw) -> TwitchConnector:
    kw.setdefault("backoff", Backoff(base=0.01, cap=0.05))
    return TwitchConnector("#ShopDemo", url=url, **kw)


# ------------------------------------------------------------------ parser


def test_parse_tags_escapes() -> None:
    tags = parse_tags("a=x\\sy;b=1\\:2;c=back\\\\slash;d=cr\\rlf\\n;e=;f;g=trail\\")
    assert tags == {"a": "x y", "b": "1;2", "c": "back\\slash", "d": "cr\rlf\n", "e": "", "f": "",
                    "g": "trail"}  # fmt: skip


def test_parse_privmsg_and_to_event() -> None:
    m = parse_line(PRIV.format(id="q-1", text="how much is the blue one? :)"))
    assert (m.command, m.nick, m.params) == ("PRIVMSG", "viewer_one", ["#shopdemo", "how much is the blue one? :)"])
    ev = to_event(m, 5.0)
    assert ev is not None
    assert (ev.id, ev.user, ev.user_id, ev.text, ev.kind) == ("q-1", "Viewer_One", "2001",
                                                             "how much is the blue one? :)", "message")  # fmt: skip
    assert ev.badges == ("subscriber/6", "premium/1") and ev.sent_at == 1_700_000_000.0
    paid = to_event(parse_line(BITS), 1.0)
    assert paid is not None and (paid.kind, paid.amount, paid.currency) == ("paid", 100.0, "bits")


def test_bad_lines_raise_parse_error() -> None:
    from vhost.chat.connector import ParseError

    for bad in ["", "@tags-only", ":prefix-only", "@a=b :p", "12 x", "x" * 20_000, "A\x00B"]:
        with pytest.raises(ParseError):
            parse_line(bad)


# ------------------------------------------------------------------ against the server


def test_full_session_events_reconnect_and_no_duplicates(caplog: pytest.LogCaptureFixture) -> None:
    async def first(c: Client) -> None:
        await c.login()
        # Several lines per frame, a malformed line among them (skipped, not fatal).
        await c.ws.send("\r\n".join([PRIV.format(id="q-1", text="how much is the blue one?"), BITS,
                                     ":bogus-prefix-no-command", RESUB, RAID]) + "\r\n")  # fmt: skip
        await c.ws.send(GIFT + "\r\n" + CLEARMSG + "\r\n" + CLEARCHAT + "\r\n")
        await c.ws.send("PING :tmi.twitch.tv\r\n")
        await c.expect("PONG")
        await c.ws.send(":tmi.twitch.tv RECONNECT\r\n")

    async def second(c: Client) -> None:
        await c.login()
        # Twitch may re-deliver: the same id must not reach triage twice.
        await c.ws.send(PRIV.format(id="q-1", text="how much is the blue one?") + "\r\n")
        await c.ws.send(PRIV.format(id="q-2", text="does it come in red?") + "\r\n")

    server = FakeTwitch([first, second])
    health: list[str] = []

    async def run() -> list[ChatMessage]:
        async with server as url:
            conn = connector(url, on_health=lambda _n, s, _d: health.append(s))
            evs = await collect(conn, 8)
            assert conn.skipped == 1
            return evs

    with caplog.at_level(logging.WARNING):
        evs = asyncio.run(run())
    assert [(e.kind, e.id) for e in evs] == [
        ("message", "q-1"), ("paid", "b-1"), ("membership", "n-1"), ("raid", "n-2"), ("gift", "n-3"),
        ("withdraw", "clearmsg-q-1"), ("withdraw", "clearchat-2002-1700000002000"), ("message", "q-2"),
    ]  # fmt: skip
    assert [e.id for e in evs].count("q-1") == 1
    kinds = {e.kind: e for e in evs}
    assert kinds["membership"].count == 6 and kinds["membership"].text == "Great stream!"
    assert kinds["raid"].count == 15 and kinds["raid"].user == "Raider"
    assert kinds["gift"].count == 5
    withdraws = [e for e in evs if e.kind == "withdraw"]
    assert withdraws[0].withdraws == ("q-1",) and withdraws[1].withdraw_user == "2002"
    assert evs[-1].id == "q-2"
    assert "skipped IRC line" in caplog.text
    assert health[:2] == ["connecting", "live"] and "reconnecting" in health
    assert health.count("live") == 2 and health[-1] == "stopped"
    assert len(server.clients) == 2
    assert all(any(x == "JOIN #shopdemo" for x in c.lines) for c in server.clients)  # re-joined
    assert server.clients[0].nick.startswith("justinfan")


def test_drop_mid_frame_reconnects_without_losing_what_arrived() -> None:
    async def first(c: Client) -> None:
        await c.login()
        await c.ws.send(PRIV.format(id="a-1", text="first question?") + "\r\n")
        await asyncio.sleep(0.05)
        # A text frame header announcing 256 bytes, then only a few, then the TCP link dies.
        c.ws.transport.write(b"\x81\x7e\x01\x00@id=a-2 :x!x@x PRIV")
        c.ws.transport.abort()

    async def second(c: Client) -> None:
        await c.login()
        await c.ws.send(PRIV.format(id="a-2", text="second question?") + "\r\n")

    server = FakeTwitch([first, second])

    async def run() -> list[ChatMessage]:
        async with server as url:
            return await collect(connector(url), 2)

    assert [e.id for e in asyncio.run(run())] == ["a-1", "a-2"]
    assert len(server.clients) == 2


def test_auth_failure_stops_without_a_reconnect_loop(caplog: pytest.LogCaptureFixture) -> None:
    async def reject(c: Client) -> None:
        await c.expect("NICK")
        await c.ws.send(":tmi.twitch.tv NOTICE * :Login authentication failed\r\n")
        await c.ws.close()

    server = FakeTwitch([reject])
    states: list[tuple[str, str]] = []

    async def run() -> list[ChatMessage]:
        async with server as url:
            conn = connector(url, nick="hostbot", token=TOKEN,
                             on_health=lambda _n, s, d: states.append((s, d)))  # fmt: skip
            evs = await collect(conn, 1)  # ends by itself: the connector stopped
            await asyncio.sleep(0.2)  # a hot loop would have reconnected by now
            assert repr(conn).count(TOKEN) == 0
            return evs

    with caplog.at_level(logging.DEBUG):
        assert asyncio.run(run()) == []
    assert states[-1] == ("auth failed", "Login authentication failed")
    assert len(server.clients) == 1
    assert f"PASS oauth:{TOKEN}" in server.clients[0].lines  # it was sent to the server...
    # ...and never written to a log by our side, even at DEBUG (the test server's own log is not ours).
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("websockets.server")]
    assert ours and not any(TOKEN in line for line in ours)


def test_oversized_frame_and_line_are_skipped_and_silence_reconnects() -> None:
    async def first(c: Client) -> None:
        await c.login()
        await c.ws.send("@x=" + "y" * 20_000 + " :a!a@a PRIVMSG #shopdemo :huge line\r\n"
                        + PRIV.format(id="o-1", text="still here?") + "\r\n")  # fmt: skip
        await c.ws.send("z" * (2 << 20))  # 2 MiB: over the frame limit, the link closes

    async def second(c: Client) -> None:
        await c.login()
        await c.ws.send(PRIV.format(id="o-2", text="after the big frame?") + "\r\n")
        # then silence: the read timeout must notice and reconnect

    async def third(c: Client) -> None:
        await c.login()
        await c.ws.send(PRIV.format(id="o-3", text="after the silence?") + "\r\n")

    server = FakeTwitch([first, second, third])

    async def run() -> tuple[list[ChatMessage], TwitchConnector]:
        async with server as url:
            conn = connector(url, read_timeout_s=0.5)
            return await collect(conn, 3), conn

    evs, conn = asyncio.run(run())
    assert [e.id for e in evs] == ["o-1", "o-2", "o-3"]
    assert conn.skipped >= 1 and len(server.clients) == 3
    assert any("nothing received" in d for s, d in conn.history if s == "reconnecting")


def test_tcp_variant_line_cut_by_a_drop_is_not_half_delivered() -> None:
    """`irc://` (the TLS `ircs://` route minus TLS): lines split across TCP reads, a line cut by
    a dropped link, and the same message re-sent after the reconnect: delivered exactly once."""
    conns: list[list[str]] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        got: list[str] = []
        conns.append(got)
        nick = ""
        while not nick:
            line = (await reader.readline()).decode().strip()
            got.append(line)
            nick = line[5:] if line.startswith("NICK ") else ""
        writer.write(f":tmi.twitch.tv 001 {nick} :Welcome\r\n".encode())
        while not (line := (await reader.readline()).decode().strip()).startswith("JOIN"):
            pass
        writer.write(f":{nick}!{nick}@{nick}.tmi.twitch.tv {line}\r\n".encode())
        first = PRIV.format(id="t-1", text="split across reads?") + "\r\n"
        second = PRIV.format(id="t-2", text="cut by the drop?") + "\r\n"
        if len(conns) == 1:
            writer.write(first[:50].encode())
            await writer.drain()
            await asyncio.sleep(0.05)
            writer.write(first[50:].encode() + second[:40].encode())
            await writer.drain()
            await asyncio.sleep(0.05)
            writer.transport.abort()
            return
        writer.write((first + second).encode())  # both again: t-1 is a repeat, t-2 is new
        await writer.drain()
        await asyncio.sleep(30)

    async def run() -> list[ChatMessage]:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            return await collect(connector(f"irc://127.0.0.1:{port}"), 2)
        finally:
            server.close()

    evs = asyncio.run(run())
    assert [(e.id, e.text) for e in evs] == [("t-1", "split across reads?"), ("t-2", "cut by the drop?")]
    assert len(conns) == 2
