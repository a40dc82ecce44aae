"""YouTube live chat through the official Data API v3 (`liveChatMessages.list` polling).

`videos.list` (1 quota unit) finds the video's active live chat; then `liveChatMessages.list`
(5 units a call) pages with `pageToken`, waiting `pollingIntervalMillis` between calls as the
API asks. The default daily quota is 10,000 units — about 33 minutes at a 1 s poll — so the
quota used is counted and shown in the health detail; "quotaExceeded" stops the connector
with that reason instead of retrying into a wall. The key travels in the `X-Goog-Api-Key`
header, not the URL, because HTTP client logs print URLs.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

import httpx
from pydantic import SecretStr

from vhost.chat.connector import (
    AuthFailed,
    Connector,
    ParseError,
    Reconnect,
    StopConnector,
    secret,
)
from vhost.chat.events import ChatMessage

log = logging.getLogger(__name__)

DEFAULT_BASE = "https://www.googleapis.com/youtube/v3"
COST_LIST, COST_VIDEOS = 5, 1
MAX_ITEMS = 5_000  # items in one page; a page asks for maxResults=2000
_AUTH_REASONS = {"forbidden", "keyInvalid", "insufficientPermissions", "authError", "unauthorized",
                 "accessNotConfigured", "ipRefererBlocked", "keyExpired"}  # fmt: skip
_ENDED_REASONS = {"liveChatEnded", "liveChatDisabled", "liveChatNotFound"}


def _ts(text: Any) -> float | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _t(value: Any) -> str:
    """A field as text: a list or an object where text belongs is a malformed item (TypeError),
    never "{'o': 1}" read out as chat."""
    if isinstance(value, dict | list):
        raise TypeError(f"text expected, got a JSON {'object' if isinstance(value, dict) else 'array'}")
    return "" if value is None else str(value)


def parse_item(item: Any, received_at: float) -> ChatMessage | None:
    """One `liveChatMessage` resource → event; None for kinds the host ignores."""
    try:
        mid, sn = _t(item["id"]), item["snippet"]
        author = item.get("authorDetails") or {}
        typ = sn["type"]
        badges = tuple(b for b, key in (("owner", "isChatOwner"), ("moderator", "isChatModerator"),
                                        ("member", "isChatSponsor"), ("verified", "isVerified"))
                       if author.get(key))  # fmt: skip
        base = {"platform": "youtube", "received_at": received_at, "badges": badges, "raw": item,
                "user": _t(author.get("displayName", "")),
                "user_id": _t(author.get("channelId") or sn.get("authorChannelId", "")),
                "sent_at": _ts(sn.get("publishedAt"))}  # fmt: skip
        text = _t(sn.get("displayMessage", ""))
        if typ == "textMessageEvent":
            text = _t(sn.get("textMessageDetails", {}).get("messageText", text))
            if not text.strip() or not base["user"].strip():
                raise ValueError("a text message without text or author")
            return ChatMessage(mid, text=text, **base)
        if typ in ("superChatEvent", "superStickerEvent"):
            d = sn["superChatDetails" if typ == "superChatEvent" else "superStickerDetails"]
            return ChatMessage(mid, text=_t(d.get("userComment", "")), kind="paid",
                               amount=int(d["amountMicros"]) / 1e6, currency=str(d["currency"]),
                               **base)  # fmt: skip
        if typ in ("newSponsorEvent", "memberMilestoneChatEvent"):
            d = sn.get("memberMilestoneChatDetails", {})
            return ChatMessage(mid, text=_t(d.get("userComment", text)), kind="membership",
                               count=int(d.get("memberMonth", 1)), **base)  # fmt: skip
        if typ == "membershipGiftingEvent":
            d = sn["membershipGiftingDetails"]
            return ChatMessage(mid, text=text, kind="gift", gift="membership",
                               count=int(d["giftMembershipsCount"]), **base)  # fmt: skip
        if typ == "messageDeletedEvent":
            target = str(sn["messageDeletedDetails"]["deletedMessageId"])
            return ChatMessage(mid, text="", kind="withdraw", withdraws=(target,), **base)
        if typ == "userBannedEvent":
            who = str(sn["userBannedDetails"]["bannedUserDetails"]["channelId"])
            return ChatMessage(mid, text="", kind="withdraw", withdraw_user=who, **base)
        return None  # tombstone, chatEndedEvent, sponsorOnlyModeStarted, polls, ...
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise ParseError(f"liveChatMessage: unexpected shape ({type(exc).__name__}: {exc})") from None


def _reason(r: httpx.Response) -> str:
    try:
        err = r.json()["error"]
        return str((err.get("errors") or [{}])[0].get("reason") or err.get("status") or "")
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return ""


class YouTubeConnector(Connector):
    platform = "youtube"

    def __init__(self, video_id: str = "", *, api_key: str | SecretStr | None = None,
                 oauth_token: str | SecretStr | None = None, live_chat_id: str | None = None,
                 base_url: str = DEFAULT_BASE, quota_per_day: int = 10_000,
                 min_interval_s: float = 1.0, **kw) -> None:  # fmt: skip
        if not video_id and not live_chat_id:
            raise ValueError("youtube needs a video id or a live chat id")
        super().__init__(f"youtube:{video_id or live_chat_id}", **kw)
        self.video_id = video_id
        self.api_key = secret(api_key)
        self.oauth_token = secret(oauth_token)
        if self.api_key is None and self.oauth_token is None:
            raise ValueError("youtube needs an API key or an OAuth token")
        self.live_chat_id = live_chat_id
        self.base_url = base_url.rstrip("/")
        self.quota_per_day = quota_per_day
        self.quota_used = 0
        self.min_interval_s = min_interval_s
        self.page_token: str | None = None  # kept across reconnects: nothing re-read, nothing lost
        self.polls = 0

    def _headers(self) -> dict[str, str]:
        if self.oauth_token is not None:
            return {"Authorization": f"Bearer {self.oauth_token.get_secret_value()}"}
        assert self.api_key is not None
        return {"X-Goog-Api-Key": self.api_key.get_secret_value()}

    async def _get(self, client: httpx.AsyncClient, path: str, params: dict, cost: int) -> dict:
        r = await client.get(f"{self.base_url}{path}", params=params, headers=self._headers())
        self.quota_used += cost  # failed calls cost quota too
        if r.status_code == 200:
            try:
                body = r.json()
            except (ValueError, RecursionError):  # bad JSON, bad UTF-8, nesting deep enough to recurse out
                raise ParseError(f"{path}: reply is not JSON") from None
            if not isinstance(body, dict):
                raise ParseError(f"{path}: reply is not an object")
            return body
        reason = _reason(r)
        if reason in ("quotaExceeded", "dailyLimitExceeded"):
            raise StopConnector(f"quota exceeded ({self.quota_used} units used today)")
        if r.status_code == 401 or reason in _AUTH_REASONS:
            raise AuthFailed(f"HTTP {r.status_code} {reason}".strip())
        if reason in _ENDED_REASONS or r.status_code == 404:
            raise StopConnector(f"live chat ended ({reason or r.status_code})")
        raise Reconnect(f"HTTP {r.status_code} {reason}".strip())

    async def _find_chat(self, client: httpx.AsyncClient) -> str:
        body = await self._get(client, "/videos", {"part": "liveStreamingDetails", "id": self.video_id},
                               COST_VIDEOS)  # fmt: skip
        try:
            chat_id = body["items"][0]["liveStreamingDetails"].get("activeLiveChatId")
        except (KeyError, IndexError, TypeError, AttributeError):
            chat_id = None
        if not chat_id:
            raise StopConnector(f"video {self.video_id} has no active live chat")
        return str(chat_id)

    async def _session(self) -> None:
        async with httpx.AsyncClient(timeout=20) as client:
            if self.live_chat_id is None:
                self.live_chat_id = await self._find_chat(client)
            while True:
                params = {"liveChatId": self.live_chat_id, "part": "snippet,authorDetails",
                          "maxResults": 2000}  # fmt: skip
                if self.page_token:
                    params["pageToken"] = self.page_token
                try:
                    body = await self._get(client, "/liveChat/messages", params, COST_LIST)
                except ParseError as exc:  # one garbled page: counted, and the next poll goes on
                    self._skip("page", exc)
                    await asyncio.sleep(self.min_interval_s)
                    continue
                self.polls += 1
                now = self.clock()
                items = body.get("items")
                if (items is not None and not isinstance(items, list)) or len(items or ()) > MAX_ITEMS:
                    self._skip("page", f"'items' is not a list of at most {MAX_ITEMS}")  # we ask for 2,000
                    items = None
                for item in items if isinstance(items, list) else []:
                    try:
                        ev = parse_item(item, now)
                    except ParseError as exc:
                        self._skip("item", exc)
                        continue
                    if ev is not None:
                        self._emit(ev)
                    if isinstance(item, dict) and (item.get("snippet") or {}).get("type") == "chatEndedEvent":
                        raise StopConnector("live chat ended")
                if isinstance(body.get("nextPageToken"), str):
                    self.page_token = body["nextPageToken"]
                if self.polls == 1 or self.polls % 20 == 0:
                    self._live(f"quota used {self.quota_used}/{self.quota_per_day}")
                wait = body.get("pollingIntervalMillis")
                wait_s = wait / 1000 if isinstance(wait, int | float) and wait >= 0 else 5.0
                await asyncio.sleep(max(self.min_interval_s, wait_s))
