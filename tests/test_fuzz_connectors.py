"""Every connector fed 10,000 malformed or hostile frames over a real socket, valid messages
interleaved: nothing crashes, nothing stalls (each valid message, and one sent after all the
garbage, arrives within a deadline), the link stays up (one session), every frame that is surely
malformed is counted in `skipped`, and the operator hears of it in a few throttled notices, not
one per frame. The local servers are the ones the connector tests use (tests/test_chat_*.py)."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import zlib

import pytest

from tests.test_chat_bilibili import FakeBilibili, Peer, danmu
from tests.test_chat_bilibili import connector as bili_connector
from tests.test_chat_ingest import FakeStreamerBot
from tests.test_chat_twitch import PRIV, Client, FakeTwitch
from tests.test_chat_twitch import connector as twitch_connector
from vhost.chat import bilibili_frames as bf
from vhost.chat.connector import NOTICE, Backoff, Connector
from vhost.chat.streamerbot import StreamerBotConnector

pytestmark = pytest.mark.slow

N = 10_000  # hostile frames per connector
EVERY = 250  # one valid message after this many hostile ones
DEADLINE_S = 5.0  # a valid message sent after the garbage is seen within this
MB = 1_000_000


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def bad_utf8(rng: random.Random) -> bytes:
    return bytes(rng.choice([0x80, 0xC0, 0xFF, 0xED, 0xF8]) for _ in range(rng.randint(1, 40)))


def json_junk(rng: random.Random) -> str:
    """JSON of the wrong shape: wrong types, deep nesting, NaN, huge numbers, control chars."""
    return rng.choice([
        lambda: json.dumps(rng.choice([None, 1, -1e308, "x", [], [1, [2]], True])),
        lambda: nested(rng.choice([50, 5_000, 100_000])),
        lambda: '{"a": NaN, "b": Infinity, "c": ' + "9" * 5000 + "}",
        lambda: json.dumps({"\x00\u202e": "\x07" * 50, "text": ["list"], "user": {"o": 1}}),
        lambda: '{"unterminated": "' + "x" * rng.randint(0, 200),
    ])()  # fmt: skip


class Run:
    """Collects a connector's events while a peer sends; counts the operator's skip notices."""

    def __init__(self, conn: Connector) -> None:
        self.conn = conn
        self.events: list = []
        self.notices: list[str] = []
        conn._on_health = lambda _name, state, detail: self.notices.append(detail) if state == NOTICE else None
        self.task = asyncio.create_task(self._pump())

    async def _pump(self) -> None:
        async for ev in self.conn.events():
            self.events.append(ev)

    def texts(self) -> list[str]:
        return [e.text for e in self.events]

    async def wait_for(self, text: str, timeout: float = DEADLINE_S) -> float:
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        while text not in self.texts():
            if self.task.done():
                raise AssertionError(f"connector ended: {self.conn.history[-3:]}")
            if loop.time() - t0 > timeout:
                raise TimeoutError(f"{text!r} not seen in {timeout} s; health {self.conn.history[-3:]}")
            await asyncio.sleep(0.005)
        return loop.time() - t0

    async def close(self) -> None:
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


def check(run: Run, valid: list[str], must_skip: int, last_latency: float) -> dict:
    texts = run.texts()
    got = [t for t in texts if t in set(valid)]
    assert got == valid, f"{len(got)}/{len(valid)} valid messages, in order"
    assert run.conn.sessions == 1 and run.conn.health == "live", run.conn.history[-5:]
    assert run.conn.skipped >= must_skip, (run.conn.skipped, must_skip)
    assert len(texts) == len(got), f"garbage became events: {[t for t in texts if t not in valid][:5]}"
    assert 1 <= len(run.notices) <= 3, f"{len(run.notices)} operator notices for one burst"
    assert last_latency < DEADLINE_S
    return {"sent": N, "skipped": run.conn.skipped, "extra_events": len(texts) - len(got)}


def drive(coro_fn) -> dict:  # noqa: ANN001
    """Run one scenario; the connector's per-frame log lines are counted, at WARNING."""
    counts = {"log_lines": 0}

    class Count(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            counts["log_lines"] += 1

    h = Count(logging.WARNING)
    logging.getLogger("vhost.chat").addHandler(h)
    try:
        return {**asyncio.run(asyncio.wait_for(coro_fn(), 50)), **counts}
    finally:
        logging.getLogger("vhost.chat").removeHandler(h)


# ------------------------------------------------------------------ Twitch IRC over WebSocket


def irc_junk(rng: random.Random, i: int) -> tuple[str | bytes, bool]:
    """(frame, surely a parse error). Some junk is valid IRC of no interest (ignored, not counted)."""
    k = i % 9
    if k == 0:
        return rng.randbytes(rng.randint(1, 300)), False  # binary: decoded with replacement chars
    if k == 1:
        return "@" + "".join(rng.choice("=;\\ ab") for _ in range(rng.randint(0, 80))), True  # tags only
    if k == 2:
        return ":" + "x" * rng.randint(0, 50), True  # a prefix and no command
    if k == 3:
        return PRIV.format(id=f"j{i}", text="")[: rng.randint(1, 60)], False  # truncated
    if k == 4:
        return b"PRIVMSG #shopdemo :" + bad_utf8(rng), True  # no sender
    if k == 5:
        return "\x00\x01\x1b[31m" + "\u202e\u200b" * rng.randint(1, 30), False
    if k == 6:
        return "@id=;user-id= :a!a@a PRIVMSG", True  # PRIVMSG without a channel
    if k == 7 and i % 3000 == 7:
        return "PRIVMSG #shopdemo :" + "A" * MB, True  # a 1 MB line (Twitch caps a message at 500)
    return "\r\n".join(["", "  ", ":tmi.twitch.tv 421 x :Unknown", "NOTICE * :" + rng.choice("ab")]), False


def interleave(junk, rng: random.Random, valid_frame) -> tuple[list, int]:  # noqa: ANN001
    """N junk frames from `junk(rng, i)` with `valid_frame(j)` after every EVERY; (frames, must-skip)."""
    frames, must = [], 0
    for i in range(N):
        f, surely = junk(rng, i)
        frames.append(f)
        must += surely
        if i % EVERY == EVERY - 1:
            frames.append(valid_frame(i // EVERY))
    return frames, must


VALID = N // EVERY  # interleaved valid messages; one more is sent after all the garbage


def test_twitch_irc_10k_hostile_frames() -> None:
    valid = [f"valid twitch {j}" for j in range(VALID + 1)]
    frames, must = interleave(irc_junk, random.Random(1), lambda j: PRIV.format(id=f"v{j}", text=valid[j]))
    peers: list[Client] = []

    async def session(c: Client) -> None:
        peers.append(c)
        await c.login()
        for f in frames:
            await c.ws.send(f)

    async def go() -> dict:
        async with FakeTwitch([session]) as url:
            run = Run(twitch_connector(url))
            await run.wait_for(valid[-2], 40)
            await peers[0].ws.send(PRIV.format(id="last", text=valid[-1]))
            out = check(run, valid, must, await run.wait_for(valid[-1]))
            await run.close()
            return out

    print("twitch", drive(go))


# ------------------------------------------------------------------ Bilibili binary frames


def bili_junk(rng: random.Random, i: int) -> tuple[bytes | str, bool]:
    k = i % 10
    good = danmu("junk", ts=i)
    if k == 0:
        return rng.randbytes(rng.randint(1, 15)), True  # shorter than a header
    if k == 1:
        return good[: rng.randint(1, len(good) - 1)], True  # truncated
    if k == 2:
        return bf.HEADER.pack(rng.choice([2**31 - 1, 17, 16 + 10**7]), 16, 0, 5, 1) + b"{}", True  # huge length
    if k == 3:
        return bf.encode(bf.OP_MESSAGE, rng.randbytes(rng.randint(1, 200)), bf.VER_ZLIB), True  # bad zlib
    if k == 4:
        return bf.encode(bf.OP_MESSAGE, b"\xff" + rng.randbytes(rng.randint(1, 200)), bf.VER_BROTLI), True
    if k == 5:
        return bf.encode(bf.OP_MESSAGE, b'{"cmd": "' + bad_utf8(rng) + b'"}', bf.VER_JSON), True
    if k == 6:
        info = rng.choice(["x", [], [1], [[0], 5, "uid"], {"a": 1}, None])
        return bf.encode(bf.OP_MESSAGE, json.dumps({"cmd": "DANMU_MSG", "info": info}), bf.VER_JSON), True
    if k == 7:
        return bf.encode(bf.OP_MESSAGE, nested(rng.choice([5_000, 100_000])), bf.VER_JSON), True
    if k == 8:
        return "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(1, 5))), True  # a text frame
    if i % 3000 == 9:
        return bf.encode(bf.OP_MESSAGE, b"x" * MB, bf.VER_JSON), True  # a 1 MB body that is not JSON
    batch = zlib.compress(b"".join([danmu("z", ts=i)[:20], b"\x00" * 5]))  # a batch of broken packets
    return bf.encode(bf.OP_MESSAGE, batch, bf.VER_ZLIB), True


def test_bilibili_10k_hostile_frames() -> None:
    valid = [f"有效弹幕 {j}" for j in range(VALID + 1)]
    frames, must = interleave(bili_junk, random.Random(2), lambda j: danmu(valid[j], ts=10**12 + j))
    peers: list[Peer] = []

    async def session(p: Peer) -> None:
        peers.append(p)
        await p.accept()
        for f in frames:
            await p.ws.send(f)

    async def go() -> dict:
        async with FakeBilibili([session]) as url:
            run = Run(bili_connector(url, heartbeat_s=1.0, heartbeat_timeout_s=30))
            await run.wait_for(valid[-2], 40)
            await peers[0].ws.send(danmu(valid[-1], ts=2 * 10**12))
            out = check(run, valid, must, await run.wait_for(valid[-1]))
            await run.close()
            return out

    print("bilibili", drive(go))


# ------------------------------------------------------------------ Streamer.bot


def sb_event(mid: str, text: str) -> dict:
    return {"event": {"source": "Twitch", "type": "ChatMessage"},
            "data": {"message": {"msgId": mid, "userId": "11", "username": "ann", "displayName": "Ann",
                                 "message": text}}}  # fmt: skip


def sb_junk(rng: random.Random, i: int) -> tuple[str | bytes, bool]:
    k = i % 8
    if k == 0:
        return rng.randbytes(rng.randint(1, 200)), True  # binary, not JSON
    if k == 1:
        return json_junk(rng), False  # some of it is valid JSON of no interest
    if k == 2:
        return json.dumps(sb_event(f"j{i}", "x"))[: rng.randint(1, 80)], True  # truncated
    if k == 3:
        bad = rng.choice([{"message": "text, not an object"}, {"message": {"message": ["a list"]}},
                          {"message": {"msgId": 5, "message": {"nested": 1}, "username": None}}])
        return json.dumps({"event": {"source": "Twitch", "type": "ChatMessage"}, "data": bad}), True
    if k == 4:
        return json.dumps({"event": "ChatMessage", "data": 5}), False
    if k == 5:
        return b'{"event": {"source": "Twitch", "type": "ChatMessage"}, "data": "' + bad_utf8(rng) + b'"}', True
    if k == 6 and i % 3000 == 6:
        return '{"x": "' + "y" * (MB - 20) + '"}', False  # a 1 MB message, under the 1 MiB frame limit
    return nested(rng.choice([100, 100_000])), False


class HeldStreamerBot(FakeStreamerBot):
    """The test_chat_ingest fake, keeping each link so a test can send more after the script."""

    links: list = []

    async def handler(self, ws) -> None:  # noqa: ANN001
        self.links.append(ws)
        await super().handler(ws)


def test_streamerbot_10k_hostile_frames() -> None:
    valid = [f"valid sb {j}" for j in range(VALID + 1)]
    frames, must = interleave(sb_junk, random.Random(3), lambda j: sb_event(f"v{j}", valid[j]))

    async def go() -> dict:
        server = HeldStreamerBot(None, frames)
        async with server as url:
            run = Run(StreamerBotConnector(url, backoff=Backoff(base=0.01, cap=0.05)))
            await run.wait_for(valid[-2], 40)
            await server.links[0].send(json.dumps(sb_event("last", valid[-1])))
            out = check(run, valid, must, await run.wait_for(valid[-1]))
            await run.close()
            return out

    print("streamerbot", drive(go))
