"""YouTube connector against a local HTTP server implementing the Data API v3 endpoints it uses."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiohttp import web

from tests.chat_helpers import collect, http_server
from vhost.chat.connector import Backoff, ParseError
from vhost.chat.events import ChatMessage
from vhost.chat.youtube import YouTubeConnector, parse_item

KEY = "AIzaSy-test-key-0123456789"


def text_item(mid: str, text: str, user: str = "Ann", channel: str = "UC1") -> dict:
    return {"kind": "youtube#liveChatMessage", "id": mid,
            "snippet": {"type": "textMessageEvent", "liveChatId": "chat-1", "authorChannelId": channel,
                        "publishedAt": "2026-11-24T10:00:00.5Z", "displayMessage": text,
                        "textMessageDetails": {"messageText": text}},
            "authorDetails": {"channelId": channel, "displayName": user, "isChatSponsor": True}}  # fmt: skip


SUPER = {"id": "sc1", "snippet": {"type": "superChatEvent", "displayMessage": "$5.00 from Bo",
         "superChatDetails": {"amountMicros": "5000000", "currency": "USD", "userComment": "take my money",
                              "tier": 2}}, "authorDetails": {"channelId": "UC2", "displayName": "Bo"}}  # fmt: skip
MILESTONE = {"id": "ms1", "snippet": {"type": "memberMilestoneChatEvent", "displayMessage": "",
             "memberMilestoneChatDetails": {"memberMonth": 6, "userComment": "love the shop"}},
             "authorDetails": {"channelId": "UC3", "displayName": "Cy"}}  # fmt: skip
GIFTING = {"id": "gf1", "snippet": {"type": "membershipGiftingEvent", "displayMessage": "gifted 5",
           "membershipGiftingDetails": {"giftMembershipsCount": 5, "giftMembershipsLevelName": "Fan"}},
           "authorDetails": {"channelId": "UC4", "displayName": "Di"}}  # fmt: skip
DELETED = {"id": "del1", "snippet": {"type": "messageDeletedEvent",
           "messageDeletedDetails": {"deletedMessageId": "m1"}}, "authorDetails": {}}  # fmt: skip
BANNED = {"id": "ban1", "snippet": {"type": "userBannedEvent", "userBannedDetails": {
          "banType": "temporary", "bannedUserDetails": {"channelId": "UC9"}}}, "authorDetails": {}}  # fmt: skip


class FakeYouTube:
    def __init__(self, pages: list, videos_status: int = 200) -> None:
        self.pages = pages  # each: a dict body (200) or (status, reason)
        self.videos_status = videos_status
        self.calls: list[tuple[str, dict, dict]] = []

    def _error(self, status: int, reason: str) -> web.Response:
        return web.json_response({"error": {"code": status, "message": reason,
                                            "errors": [{"reason": reason, "domain": "youtube"}]}},
                                 status=status)  # fmt: skip

    async def videos(self, req: web.Request) -> web.Response:
        self.calls.append(("videos", dict(req.query), dict(req.headers)))
        if self.videos_status != 200:
            return self._error(self.videos_status, "forbidden")
        return web.json_response({"items": [{"id": req.query["id"],
                                             "liveStreamingDetails": {"activeLiveChatId": "chat-1"}}]})  # fmt: skip

    async def messages(self, req: web.Request) -> web.Response:
        self.calls.append(("messages", dict(req.query), dict(req.headers)))
        assert req.query["liveChatId"] == "chat-1" and "snippet" in req.query["part"]
        page = self.pages.pop(0) if self.pages else {"items": [], "pollingIntervalMillis": 20,
                                                     "nextPageToken": req.query.get("pageToken", "")}  # fmt: skip
        if isinstance(page, tuple):
            return self._error(*page)
        return web.json_response(page)

    async def __aenter__(self) -> str:
        app = web.Application()
        app.router.add_get("/youtube/v3/videos", self.videos)
        app.router.add_get("/youtube/v3/liveChat/messages", self.messages)
        self._http = http_server(app)
        return f"{await self._http.__aenter__()}/youtube/v3"

    async def __aexit__(self, *exc: object) -> None:
        await self._http.__aexit__(None, None, None)


def run_conn(server: FakeYouTube, n: int = 10**6, **kw) -> tuple[list[ChatMessage], YouTubeConnector]:
    async def run() -> tuple[list[ChatMessage], YouTubeConnector]:
        async with server as base:
            kw.setdefault("api_key", KEY)
            conn = YouTubeConnector("vid123", base_url=base, min_interval_s=0.01,
                                    backoff=Backoff(base=0.01, cap=0.05), **kw)  # fmt: skip
            return await collect(conn, n), conn

    return asyncio.run(run())


def test_paging_interval_quota_reconnect_and_quota_exceeded(caplog: pytest.LogCaptureFixture) -> None:
    pages = [
        {"items": [text_item("m1", "how much is the mug?"), SUPER, {"id": "bad", "snippet": {}}],
         "nextPageToken": "p2", "pollingIntervalMillis": 30},
        {"items": [MILESTONE, GIFTING, DELETED, BANNED], "nextPageToken": "p3", "pollingIntervalMillis": 30},
        (503, "backendError"),  # a hiccup: retried with the same page token
        {"items": [text_item("m2", "does it ship to Canada?", "Eve", "UC5")], "nextPageToken": "p4",
         "pollingIntervalMillis": 30},
        (403, "quotaExceeded"),
    ]  # fmt: skip
    server = FakeYouTube(pages)
    with caplog.at_level(logging.DEBUG):
        evs, conn = run_conn(server)
    assert [(e.id, e.kind) for e in evs] == [
        ("m1", "message"), ("sc1", "paid"), ("ms1", "membership"), ("gf1", "gift"), ("del1", "withdraw"),
        ("ban1", "withdraw"), ("m2", "message")]  # fmt: skip
    sc, ms, gf, dl, bn = evs[1:6]
    assert (sc.amount, sc.currency, sc.text, sc.user) == (5.0, "USD", "take my money", "Bo")
    assert ms.count == 6 and gf.count == 5 and dl.withdraws == ("m1",) and bn.withdraw_user == "UC9"
    assert evs[0].badges == ("member",) and evs[0].sent_at == pytest.approx(1795514400.5)
    tokens = [q.get("pageToken") for what, q, _ in server.calls if what == "messages"]
    assert tokens == [None, "p2", "p3", "p3", "p4"]
    assert conn.quota_used == 1 + 5 * 5
    assert conn.history[-1] == ("stopped", "quota exceeded (26 units used today)")
    assert "reconnecting" in [s for s, _ in conn.history] and conn.skipped == 1
    assert all(h.get("X-Goog-Api-Key") == KEY for _, _, h in server.calls)
    assert all("key" not in q for _, q, _ in server.calls)
    assert KEY not in caplog.text and KEY not in repr(conn)


@pytest.mark.parametrize(("status", "reason"), [(401, "authError"), (403, "forbidden"), (400, "keyInvalid")])
def test_auth_errors_stop_without_retrying(status: int, reason: str) -> None:
    server = FakeYouTube([(status, reason)])
    evs, conn = run_conn(server, oauth_token="ya29.token")
    assert evs == [] and conn.health == "auth failed"
    assert [w for w, _, _ in server.calls] == ["videos", "messages"]
    assert server.calls[0][2]["Authorization"] == "Bearer ya29.token"


def test_chat_ended_stops() -> None:
    server = FakeYouTube([{"items": [text_item("m1", "bye?"), {"id": "end", "snippet": {"type": "chatEndedEvent"}}],
                           "pollingIntervalMillis": 10}])  # fmt: skip
    evs, conn = run_conn(server)
    assert [e.id for e in evs] == ["m1"] and conn.history[-1] == ("stopped", "live chat ended")


def test_parse_item_errors() -> None:
    assert parse_item({"id": "t", "snippet": {"type": "tombstone"}}, 0.0) is None
    for bad in [None, [], {"id": "x"}, {"id": "x", "snippet": {"type": "superChatEvent"}},
                {"id": "x", "snippet": {"type": "superChatEvent", "superChatDetails": {"amountMicros": "lots",
                                                                                       "currency": "USD"}}}]:  # fmt: skip
        with pytest.raises(ParseError):
            parse_item(bad, 0.0)
