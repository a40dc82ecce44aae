"""Bilibili live danmaku framing: 16-byte big-endian headers, zlib (ver 2) / brotli (ver 3) batches.

Pure functions, fuzzed: anything that isn't a well-formed packet raises `ParseError`; a batch
that would inflate past `MAX_INFLATED` is refused (a decompression bomb must not eat the
stage's memory).
"""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import dataclass
from typing import Any

import brotli

from vhost.chat.connector import ParseError
from vhost.chat.events import ChatMessage

HEADER = struct.Struct(">IHHII")  # packet_len, header_len, protover, op, seq
OP_HEARTBEAT, OP_HEARTBEAT_REPLY, OP_MESSAGE, OP_AUTH, OP_AUTH_REPLY = 2, 3, 5, 7, 8
VER_JSON, VER_PLAIN, VER_ZLIB, VER_BROTLI = 0, 1, 2, 3
MAX_INFLATED = 8 << 20
_MAX_DEPTH = 2  # a compressed batch holds plain packets; nesting deeper is not Bilibili


@dataclass(frozen=True)
class Packet:
    op: int
    ver: int
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise ParseError(f"op {self.op}: body is not JSON ({exc})") from None


def encode(op: int, body: bytes | dict | str = b"", ver: int = VER_PLAIN, seq: int = 1) -> bytes:
    if isinstance(body, dict):
        body = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    if isinstance(body, str):
        body = body.encode()
    return HEADER.pack(HEADER.size + len(body), HEADER.size, ver, op, seq) + body


def encode_batch(packets: list[bytes], ver: int = VER_BROTLI) -> bytes:
    """Several encoded packets compressed into one op-5 packet, as the server sends them."""
    joined = b"".join(packets)
    body = brotli.compress(joined) if ver == VER_BROTLI else zlib.compress(joined)
    return encode(OP_MESSAGE, body, ver)


def _inflate(ver: int, body: bytes, budget: int) -> bytes:
    try:
        if ver == VER_ZLIB:
            d = zlib.decompressobj()
            out = d.decompress(body, budget + 1)
            if not d.eof and not d.unconsumed_tail and len(out) <= budget:
                raise ParseError("truncated zlib batch")
        else:
            bd = brotli.Decompressor()
            out = bd.process(body, output_buffer_limit=budget + 1)
            if len(out) <= budget and not bd.is_finished():
                raise ParseError("truncated brotli batch")
    except (zlib.error, brotli.error) as exc:
        raise ParseError(f"bad {'zlib' if ver == VER_ZLIB else 'brotli'} batch: {exc}") from None
    if len(out) > budget:
        raise ParseError(f"batch inflates past {budget} bytes")
    return out


def decode(data: bytes, *, _depth: int = 0, _budget: list[int] | None = None) -> list[Packet]:
    """All packets in one WebSocket message, compressed batches expanded (in order)."""
    budget = _budget if _budget is not None else [MAX_INFLATED]
    out: list[Packet] = []
    pos = 0
    if not data:
        raise ParseError("empty frame")
    while pos < len(data):
        if len(data) - pos < HEADER.size:
            raise ParseError(f"{len(data) - pos} trailing bytes, shorter than a header")
        plen, hlen, ver, op, _seq = HEADER.unpack_from(data, pos)
        if hlen < HEADER.size or plen < hlen or pos + plen > len(data):
            raise ParseError(f"bad header: packet_len={plen} header_len={hlen} at {pos}/{len(data)}")
        body = bytes(data[pos + hlen : pos + plen])
        pos += plen
        if op == OP_MESSAGE and ver in (VER_ZLIB, VER_BROTLI):
            if _depth >= _MAX_DEPTH:
                raise ParseError("compressed batch nested too deep")
            inflated = _inflate(ver, body, budget[0])
            budget[0] -= len(inflated)
            out.extend(decode(inflated, _depth=_depth + 1, _budget=budget))
        elif ver in (VER_JSON, VER_PLAIN, VER_ZLIB, VER_BROTLI):
            out.append(Packet(op, ver, body))
        else:
            raise ParseError(f"unknown protocol version {ver}")
    return out


def popularity(p: Packet) -> int:
    if len(p.body) < 4:
        raise ParseError("heartbeat reply shorter than 4 bytes")
    return int.from_bytes(p.body[:4], "big")


# --- commands → events --------------------------------------------------------------------


def _uid(value: Any) -> str:
    return "" if value in (None, "", 0) else str(value)


def _danmu(obj: dict, at: float) -> ChatMessage:
    info = obj["info"]
    meta, text, user = info[0], info[1], info[2]
    if not isinstance(text, str) or not isinstance(user, list) or not isinstance(meta, list):
        raise ParseError("DANMU_MSG info has the wrong shape")
    uid, uname = _uid(user[0]), str(user[1])
    ts_ms = meta[4] if len(meta) > 4 and isinstance(meta[4], int) else 0
    mid = ""
    extra = meta[15] if len(meta) > 15 and isinstance(meta[15], dict) else {}
    try:
        mid = str(json.loads(extra.get("extra", "{}")).get("id_str", ""))
    except (TypeError, ValueError, AttributeError):
        mid = ""
    mid = mid or f"bili-dm-{uid or uname}-{ts_ms}-{zlib.crc32(text.encode()):08x}"
    medal = info[3] if len(info) > 3 and isinstance(info[3], list) and len(info[3]) > 1 else None
    badges = (f"medal:{medal[1]}:{medal[0]}",) if medal else ()
    return ChatMessage(mid, "bilibili", uname, text, at, uid, badges=badges,
                       sent_at=ts_ms / 1000 if ts_ms else None, raw=obj)  # fmt: skip


def to_event(obj: Any, at: float) -> ChatMessage | None:
    """A Bilibili command (web or open-platform route) → event; None for commands we ignore."""
    if not isinstance(obj, dict) or not isinstance(obj.get("cmd"), str):
        raise ParseError("message without a 'cmd'")
    cmd = obj["cmd"].split(":", 1)[0]  # "DANMU_MSG:4:0:2:2:2:0" in some versions
    try:
        if cmd == "DANMU_MSG":
            return _danmu(obj, at)
        d = obj.get("data")
        if cmd == "SEND_GIFT":
            gold = d.get("coin_type") == "gold"
            total = float(d.get("total_coin") or d["price"] * d["num"])
            mid = f"bili-gift-{d.get('tid') or d.get('rnd') or d['uid']}-{d.get('timestamp', '')}"
            return ChatMessage(mid, "bilibili", str(d["uname"]), "", at, _uid(d["uid"]), kind="gift",
                               gift=str(d["giftName"]), count=int(d["num"]),
                               amount=total / 1000 if gold else None, currency="CNY" if gold else None,
                               raw=obj)  # fmt: skip
        if cmd == "SUPER_CHAT_MESSAGE":
            return ChatMessage(f"bili-sc-{d['id']}", "bilibili", str(d["user_info"]["uname"]),
                               str(d["message"]), at, _uid(d["uid"]), kind="paid",
                               amount=float(d["price"]), currency="CNY", raw=obj)  # fmt: skip
        if cmd == "GUARD_BUY":
            return ChatMessage(f"bili-guard-{d['uid']}-{d.get('start_time', '')}", "bilibili",
                               str(d["username"]), "", at, _uid(d["uid"]), kind="membership",
                               gift=f"guard{d.get('guard_level', '')}", count=int(d.get("num", 1)),
                               raw=obj)  # fmt: skip
        # The open-platform route (开放平台): same framing, its own commands.
        if cmd == "LIVE_OPEN_PLATFORM_DM":
            return ChatMessage(f"bili-{d['msg_id']}", "bilibili", str(d["uname"]), str(d["msg"]), at,
                               str(d.get("open_id", "")), sent_at=d.get("timestamp"), raw=obj)  # fmt: skip
        if cmd == "LIVE_OPEN_PLATFORM_SEND_GIFT":
            paid = bool(d.get("paid"))
            return ChatMessage(f"bili-{d['msg_id']}", "bilibili", str(d["uname"]), "", at,
                               str(d.get("open_id", "")), kind="gift", gift=str(d["gift_name"]),
                               count=int(d["gift_num"]),
                               amount=float(d["price"]) * int(d["gift_num"]) / 1000 if paid else None,
                               currency="CNY" if paid else None, raw=obj)  # fmt: skip
        if cmd == "LIVE_OPEN_PLATFORM_SUPER_CHAT":
            return ChatMessage(f"bili-sc-{d['message_id']}", "bilibili", str(d["uname"]),
                               str(d["message"]), at, str(d.get("open_id", "")), kind="paid",
                               amount=float(d["rmb"]), currency="CNY", raw=obj)  # fmt: skip
        if cmd == "LIVE_OPEN_PLATFORM_GUARD":
            u = d["user_info"]
            return ChatMessage(f"bili-{d['msg_id']}", "bilibili", str(u["uname"]), "", at,
                               str(u.get("open_id", "")), kind="membership",
                               gift=f"guard{d.get('guard_level', '')}", count=int(d.get("guard_num", 1)),
                               raw=obj)  # fmt: skip
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise ParseError(f"{cmd}: unexpected shape ({type(exc).__name__}: {exc})") from None
    return None
