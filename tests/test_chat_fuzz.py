"""Fuzzed parsers: whatever arrives, the only exception is our ParseError (and no hang)."""

from __future__ import annotations

import json
import zlib

import brotli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vhost.chat import bilibili_frames as bf
from vhost.chat.connector import ParseError
from vhost.chat.events import ChatMessage
from vhost.chat.ingest import parse_event as ingest_parse
from vhost.chat.streamerbot import parse_event as sb_parse
from vhost.chat.triage import Triage
from vhost.chat.twitch import parse_line, parse_tags, to_event, unescape_tag
from vhost.chat.youtube import parse_item

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=6,
)


def keyed(keys: list[str]) -> st.SearchStrategy[dict]:
    """Objects that use the parser's own keys, so fuzzing reaches past the first check."""
    leaf = st.none() | st.integers() | st.text(max_size=8) | st.lists(st.integers(), max_size=3)
    return st.dictionaries(st.sampled_from(keys), leaf | st.dictionaries(st.sampled_from(keys), leaf, max_size=4),
                           max_size=8)  # fmt: skip


def only_parse_errors(fn, *args) -> None:
    try:
        fn(*args)
    except ParseError:
        pass


# ------------------------------------------------------------------ Twitch IRC

irc_like = st.builds(
    lambda tags, prefix, cmd, params, trailing: (
        (f"@{tags} " if tags else "") + (f":{prefix} " if prefix else "") + cmd
        + "".join(" " + p for p in params) + (f" :{trailing}" if trailing is not None else "")),
    st.text(alphabet="abc-=;\\s:x1 ", max_size=40),
    st.text(alphabet="a!@.tmi", max_size=15),
    st.sampled_from(["PRIVMSG", "USERNOTICE", "CLEARMSG", "CLEARCHAT", "PING", "001", "JOIN", "X", ""]),
    st.lists(st.text(alphabet="#abc", max_size=8), max_size=3),
    st.none() | st.text(max_size=40),
)  # fmt: skip


@FAST
@given(st.text(max_size=300) | irc_like)
def test_irc_line(line: str) -> None:
    try:
        m = parse_line(line)
    except ParseError:
        return
    assert m.command
    try:
        ev = to_event(m, 0.0)
    except ParseError:
        return
    assert ev is None or isinstance(ev, ChatMessage)


@FAST
@given(st.text(max_size=200))
def test_irc_tags(raw: str) -> None:
    tags = parse_tags(raw)
    assert all(";" not in k and "=" not in k for k in tags)


@FAST
@given(st.text(alphabet=st.characters(blacklist_characters="\\"), max_size=50))
def test_tag_escape_round_trip(value: str) -> None:
    esc = value.replace(";", "\\:").replace(" ", "\\s").replace("\r", "\\r").replace("\n", "\\n")
    assert unescape_tag(esc) == value


# ------------------------------------------------------------------ Bilibili

packet = st.builds(lambda op, ver, body: bf.encode(op, body, ver), st.sampled_from([2, 3, 5, 7, 8]),
                   st.sampled_from([0, 1, 2, 3, 4]), st.binary(max_size=60))  # fmt: skip


def _batch(parts: list[bytes], ver: int) -> bytes:
    joined = b"".join(parts)
    return bf.encode(5, zlib.compress(joined) if ver == 2 else brotli.compress(joined), ver)


frames = st.one_of(
    st.binary(max_size=200),
    st.lists(packet, max_size=4).map(b"".join),
    st.builds(_batch, st.lists(packet | st.binary(max_size=30), max_size=4), st.sampled_from([2, 3])),
    st.builds(lambda f, n: f[: max(0, len(f) - n)], st.lists(packet, min_size=1, max_size=3).map(b"".join),
              st.integers(0, 20)),
)  # fmt: skip


@FAST
@given(frames)
def test_bilibili_frames(data: bytes) -> None:
    try:
        packets = bf.decode(data)
    except ParseError:
        return
    for p in packets:
        if p.op == bf.OP_MESSAGE:
            try:
                bf.to_event(p.json(), 0.0)
            except ParseError:
                pass


BILI_KEYS = ["cmd", "info", "data", "giftName", "num", "uname", "uid", "price", "coin_type", "total_coin",
             "id", "message", "user_info", "username", "msg", "msg_id", "gift_name", "gift_num", "paid",
             "rmb", "message_id", "open_id", "timestamp", "guard_level"]  # fmt: skip
bili_cmds = st.builds(lambda cmd, rest: {**rest, "cmd": cmd},
                      st.sampled_from(["DANMU_MSG", "SEND_GIFT", "SUPER_CHAT_MESSAGE", "GUARD_BUY",
                                       "LIVE_OPEN_PLATFORM_DM", "LIVE_OPEN_PLATFORM_SEND_GIFT",
                                       "LIVE_OPEN_PLATFORM_SUPER_CHAT", "LIVE_OPEN_PLATFORM_GUARD", "X"]),
                      keyed(BILI_KEYS))  # fmt: skip


@FAST
@given(bili_cmds | json_values)
def test_bilibili_commands(obj: object) -> None:
    only_parse_errors(bf.to_event, obj, 0.0)


@FAST
@given(st.text(max_size=80))
def test_bilibili_json_body(text: str) -> None:
    only_parse_errors(lambda: bf.Packet(5, 0, text.encode("utf-8", "surrogatepass")).json())


# ------------------------------------------------------------------ ingest, Streamer.bot, YouTube

INGEST_KEYS = ["type", "platform", "id", "user", "user_id", "text", "amount", "currency", "gift", "count",
               "badges", "withdraws", "withdraw_user", "sent_at", "chatname", "chatmessage", "hasDonation",
               "membership", "userid", "event", "textonly"]  # fmt: skip


@FAST
@given(keyed(INGEST_KEYS) | json_values)
def test_ingest_objects(obj: object) -> None:
    only_parse_errors(ingest_parse, obj, 0.0)


@FAST
@given(st.text(max_size=200))
def test_ingest_raw_text(text: str) -> None:
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        return
    only_parse_errors(ingest_parse, obj, 0.0)


SB_KEYS = ["event", "data", "source", "type", "message", "user", "text", "msgId", "userId", "username",
           "displayName", "bits", "amount", "currencyCode", "microAmount", "cumulativeMonths", "gifts",
           "viewers", "targetMessageId", "login", "name", "id", "timeStamp"]  # fmt: skip
sb_events = st.builds(lambda src, typ, data: {"event": {"source": src, "type": typ}, "data": data},
                      st.sampled_from(["Twitch", "YouTube", ""]),
                      st.sampled_from(["ChatMessage", "Message", "Cheer", "SuperChat", "Sub", "GiftBomb", "Raid",
                                       "ChatMessageDeleted", "UserBanned", "Other"]),
                      keyed(SB_KEYS))  # fmt: skip


@FAST
@given(sb_events | keyed(SB_KEYS) | json_values)
def test_streamerbot_events(obj: object) -> None:
    only_parse_errors(sb_parse, obj, 0.0)


YT_KEYS = ["id", "snippet", "authorDetails", "type", "displayMessage", "textMessageDetails", "messageText",
           "superChatDetails", "superStickerDetails", "amountMicros", "currency", "userComment",
           "memberMilestoneChatDetails", "memberMonth", "membershipGiftingDetails", "giftMembershipsCount",
           "messageDeletedDetails", "deletedMessageId", "userBannedDetails", "bannedUserDetails", "channelId",
           "displayName", "publishedAt"]  # fmt: skip
yt_items = st.builds(lambda typ, sn, rest: {**rest, "id": "x", "snippet": {**sn, "type": typ}},
                     st.sampled_from(["textMessageEvent", "superChatEvent", "superStickerEvent", "newSponsorEvent",
                                      "memberMilestoneChatEvent", "membershipGiftingEvent", "messageDeletedEvent",
                                      "userBannedEvent", "tombstone"]),
                     keyed(YT_KEYS), keyed(YT_KEYS))  # fmt: skip


@FAST
@given(yt_items | keyed(YT_KEYS) | json_values)
def test_youtube_items(obj: object) -> None:
    only_parse_errors(parse_item, obj, 0.0)


# ------------------------------------------------------------------ triage never raises

kinds = st.sampled_from(["message", "paid", "gift", "membership", "raid", "withdraw"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=60), st.sampled_from(["a", "b", "c"]), kinds,
                          st.sampled_from(["m1", "m2", "m3", "m4", "m5", "m6"])), max_size=30))  # fmt: skip
def test_triage_any_sequence(events: list) -> None:
    tr = Triage(max_queue=3, per_user_per_minute=2, answers_per_minute=30)
    offered = 0
    for i, (text, user, kind, mid) in enumerate(events):
        tr.offer(ChatMessage(f"{mid}-{i % 4}", "twitch", user, text, float(i), user, kind=kind,
                             amount=1.0 if kind == "paid" else None, withdraws=(f"{mid}-0",)
                             if kind == "withdraw" else ()))  # fmt: skip
        offered += 1
        assert len(tr.snapshot(float(i))) <= 3
        if i % 3 == 0:
            tr.next(float(i))
    assert len({d.msg_id for d in tr.decisions}) >= min(1, offered)
