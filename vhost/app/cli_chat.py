"""`vhost chat-tap SOURCE`: print a source's normalized events as JSON lines until Ctrl-C.

Streamers run it before going live to check that a connection works; health changes go to
stderr, events to stdout (one JSON object a line), so `| jq` sees only events.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys

from vhost.chat.sources import SourceError, make_source


def _health(name: str, state: str, detail: str) -> None:
    print(f"[{name}] {state}{': ' + detail if detail else ''}", file=sys.stderr, flush=True)


async def tap(source: str, server: str | None, secrets: dict, limit: int | None = None) -> int:
    src = make_source(source, server=server, on_health=_health, **secrets)
    n = 0
    async for ev in src.events():
        print(json.dumps(ev.to_json(), ensure_ascii=False), flush=True)
        n += 1
        if limit is not None and n >= limit:
            break
    return 0


def cmd_chat_tap(args: argparse.Namespace) -> int:
    secrets = {k: v for k, v in (("token", args.token), ("api_key", args.api_key),
                                 ("password", args.password), ("cookie", args.cookie),
                                 ("nick", args.nick)) if v}  # fmt: skip
    try:
        return asyncio.run(tap(args.source, args.server, secrets, args.limit))
    except SourceError as exc:
        print(f"vhost chat-tap: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0  # Ctrl-C is how a tap ends


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("chat-tap", help="print a chat source's events as JSON lines (connection check)")
    p.add_argument("source", help="twitch:#channel, bilibili:ROOMID, youtube:VIDEO_ID, ingest:PORT, "
                                  "streamerbot:[URL], replay:FILE[@SPEED]")  # fmt: skip
    p.add_argument("--server", help="connect to this endpoint instead (e.g. a local test server)")
    # Secrets also come from the environment, so they stay out of shell history and `ps`.
    env = os.environ.get
    p.add_argument("--token", default=env("VHOST_CHAT_TOKEN"),
                   help="Twitch OAuth token / ingest token / Bilibili key [$VHOST_CHAT_TOKEN]")
    p.add_argument("--api-key", default=env("VHOST_YOUTUBE_API_KEY"),
                   help="YouTube Data API key [$VHOST_YOUTUBE_API_KEY]")
    p.add_argument("--password", default=env("VHOST_STREAMERBOT_PASSWORD"),
                   help="Streamer.bot password [$VHOST_STREAMERBOT_PASSWORD]")
    p.add_argument("--cookie", default=env("VHOST_BILIBILI_COOKIE"),
                   help="Bilibili login cookie [$VHOST_BILIBILI_COOKIE]")
    p.add_argument("--nick", help="Twitch login name for --token")
    p.add_argument("--limit", type=int, help="stop after this many events")
    p.set_defaults(func=cmd_chat_tap)
