"""SOURCE specs, the plugin entry point, merging sources, and `vhost chat-tap` end to end."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from pydantic import SecretStr

from vhost.chat.bilibili import BilibiliConnector
from vhost.chat.config import ChatConfig, ConnectorConfig
from vhost.chat.ingest import IngestServer
from vhost.chat.sources import ReplayConnector, SourceError, make_source, merge
from vhost.chat.streamerbot import StreamerBotConnector
from vhost.chat.twitch import TwitchConnector
from vhost.chat.youtube import YouTubeConnector
from vhost.config.settings import VhostConfig

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "assets" / "demo" / "chat.jsonl"


def test_specs_build_the_right_connectors() -> None:
    tw = make_source("twitch:#ShopDemo", server="ws://127.0.0.1:1")
    assert isinstance(tw, TwitchConnector) and (tw.channel, tw.url) == ("shopdemo", "ws://127.0.0.1:1")
    bl = make_source("bilibili:42", token="k")
    assert isinstance(bl, BilibiliConnector) and bl.room_id == 42 and bl.url is None
    yt = make_source("youtube:abc123", api_key="AIza", server="http://127.0.0.1:9/yt")
    assert isinstance(yt, YouTubeConnector) and yt.base_url == "http://127.0.0.1:9/yt"
    ing = make_source("ingest:8765", token="t")
    assert isinstance(ing, IngestServer) and (ing.host, ing.port) == ("127.0.0.1", 8765)
    sb = make_source("streamerbot:")
    assert isinstance(sb, StreamerBotConnector) and sb.url == "ws://127.0.0.1:8080/"
    rp = make_source(f"replay:{DEMO}@4")
    assert isinstance(rp, ReplayConnector) and rp.source.speed == 4.0


@pytest.mark.parametrize(("spec", "words"), [
    ("nope", "platform:target"), ("bilibili:abc", "number"), ("ingest:http", "port"),
    ("youtube:vid", "API key"), ("replay:/no/such/file.jsonl", "not found"), ("twitch:#", "empty"),
    ("myspace:x", "unknown chat source"),
])  # fmt: skip
def test_bad_specs_say_what_is_wrong(spec: str, words: str) -> None:
    with pytest.raises((SourceError, ValueError), match=words):
        make_source(spec)


def test_config_keeps_secrets_secret() -> None:
    cfg = VhostConfig.model_validate({"chat": {"connectors": [
        {"source": "twitch:#a", "token": "oauth:abcdefsecret"},
        {"source": "youtube:v", "api_key": "AIzaSECRETKEY"}],
        "triage": {"answers_per_minute": 4}}})  # fmt: skip
    assert isinstance(cfg.chat.connectors[0].token, SecretStr)
    shown = repr(cfg) + str(cfg.model_dump()) + cfg.model_dump_json()
    assert "abcdefsecret" not in shown and "AIzaSECRETKEY" not in shown
    assert cfg.chat.triage.answers_per_minute == 4
    assert ChatConfig().connectors == []
    src = make_source(cfg.chat.connectors[0])
    assert isinstance(src, TwitchConnector) and src.token is not None
    assert "abcdefsecret" not in repr(src)
    with pytest.raises(ValueError):
        ConnectorConfig(source="x", tokn="typo")  # type: ignore[call-arg]


def test_plugin_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real distribution on sys.path registers a `douyin` scheme through the entry-point group."""
    (tmp_path / "fake_douyin.py").write_text(
        "from vhost.chat.events import ChatMessage\n"
        "class Src:\n"
        "    def __init__(self, target, server):\n"
        "        self.name = 'douyin:' + target; self.server = server\n"
        "    async def events(self):\n"
        "        yield ChatMessage('d1', 'douyin', '抖音用户', '多少钱', 0.0)\n"
        "def make_source(target, *, server, options, on_health, clock):\n"
        "    return Src(target, server)\n"
    )
    dist = tmp_path / "fake_douyin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-douyin\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[vhost.chat_sources]\ndouyin = fake_douyin:make_source\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    src = make_source("douyin:room9", server="ws://127.0.0.1:1")
    assert src.name == "douyin:room9"

    async def first() -> list:
        return [ev async for ev in src.events()]

    assert [e.text for e in asyncio.run(first())] == ["多少钱"]


def test_merge_keeps_running_when_one_source_stops(tmp_path: Path) -> None:
    a = tmp_path / "a.jsonl"
    a.write_text('{"t": 0, "user": "a", "text": "one"}\n{"t": 0.05, "user": "a", "text": "two"}\n')
    b = tmp_path / "b.jsonl"
    b.write_text('{"t": 0.02, "user": "b", "text": "three", "id": "b1"}\n')

    async def run() -> list[str]:
        return [ev.text async for ev in merge([ReplayConnector(str(a)), ReplayConnector(str(b))])]

    assert sorted(asyncio.run(run())) == ["one", "three", "two"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_chat_tap_replay_prints_json_lines() -> None:
    r = subprocess.run([sys.executable, "-m", "vhost", "chat-tap", f"replay:{DEMO}@1000", "--limit", "4"],
                       capture_output=True, text=True, timeout=60, cwd=ROOT)  # fmt: skip
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(lines) == 4
    for key in ("type", "platform", "user", "text", "amount", "currency", "id", "withdraws"):
        assert key in lines[0]
    assert lines[1]["text"] == "how much is the mug?" and lines[1]["type"] == "message"


@pytest.mark.slow
def test_chat_tap_ingest_until_ctrl_c() -> None:
    port = _free_port()
    env = {**os.environ, "VHOST_CHAT_TOKEN": "tap-secret-123"}
    p = subprocess.Popen([sys.executable, "-m", "vhost", "chat-tap", f"ingest:{port}"], cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        body = json.dumps({"type": "paid", "user": "Ann", "text": "price?", "amount": 5, "currency": "USD",
                           "id": "i1"}).encode()  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/events", data=body, method="POST",
                                         headers={"Authorization": "Bearer tap-secret-123"})  # fmt: skip
            try:
                with urllib.request.urlopen(req, timeout=2) as r:
                    assert json.load(r)["accepted"] == 1
                break
            except OSError:
                assert time.monotonic() < deadline and p.poll() is None, "ingest never came up"
                time.sleep(0.2)
        line = json.loads(p.stdout.readline())
        assert (line["type"], line["amount"], line["currency"], line["id"]) == ("paid", 5.0, "USD", "i1")
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=15)
        assert p.returncode == 0, err
        assert "Traceback" not in err and "tap-secret-123" not in err + out
        assert f"[ingest:{port}] live" in err
    finally:
        if p.poll() is None:
            p.kill()
