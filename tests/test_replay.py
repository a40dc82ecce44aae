from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from vhost.chat.events import ChatMessage
from vhost.chat.replay import ReplaySource, load_replay
from vhost.chat.triage import classify

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo" / "chat.jsonl"


class FakeClock:
    """A show clock that only moves when the replay sleeps: exact, instant tests."""

    def __init__(self, start: float = 100.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, dt: float) -> None:
        self.sleeps.append(dt)
        self.now += dt


def write_lines(tmp_path: Path, lines: list[object]) -> Path:
    p = tmp_path / "chat.jsonl"
    p.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
        encoding="utf-8",
    )
    return p


async def take(it: AsyncIterator[ChatMessage], n: int) -> list[ChatMessage]:
    out = []
    async for m in it:
        out.append(m)
        if len(out) == n:
            break
    return out


def collect(src: ReplaySource, clock: FakeClock, n: int = 1000) -> list[ChatMessage]:
    return asyncio.run(take(src.events(clock), n))


# ------------------------------------------------------------------ the demo script


def test_demo_chat_script() -> None:
    lines, errors = load_replay(DEMO)
    assert errors == []
    assert 12 <= len(lines) <= 16
    ts = [x.t for x in lines]
    assert ts == sorted(ts)
    assert 2.0 <= ts[0] <= 4.0 and 60.0 <= ts[-1] <= 75.0
    zh = [x for x in lines if any("\u4e00" <= ch <= "\u9fff" for ch in x.text)]
    assert len(zh) == 3
    assert "这个杯子多少钱？" in [x.text for x in zh]
    intents = [classify(x.text) for x in lines]
    assert intents.count("spam") == 1
    assert intents.count("greeting") >= 1
    assert intents.count("question") >= 9
    keys = ["".join(c for c in x.text.casefold() if c.isalnum()) for x in lines]
    assert len(keys) - len(set(keys)) == 1  # exactly one duplicate
    assert all(x.platform == "replay" and x.id == f"replay-{x.line_no}" for x in lines)


# ------------------------------------------------------------------ parsing


def test_malformed_lines_are_skipped_and_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_lines(
        tmp_path,
        [
            {"t": 1, "user": "a", "text": "ok one"},
            "{not json",
            {"t": -1, "user": "b", "text": "negative"},
            {"t": True, "user": "b", "text": "bool time"},
            {"t": 2, "text": "no user"},
            {"t": 2, "user": "c", "text": "  "},
            [1, 2, 3],
            "",
            {"t": 3, "user": "d", "text": "dup id", "id": "x"},
            {"t": 4, "user": "e", "text": "dup id again", "id": "x"},
            {"t": 5, "user": "f", "text": "bad id", "id": ["x"]},
            {"t": 6, "user": "g", "text": "bad platform", "platform": 7},
            {"t": 7, "user": "h", "text": "ok two", "platform": "twitch", "user_id": "u7"},
        ],
    )
    with caplog.at_level(logging.WARNING, logger="vhost.chat.replay"):
        lines, errs = load_replay(path)
    assert [x.text for x in lines] == ["ok one", "dup id", "ok two"]
    errors = {e.line_no: e.message for e in errs}
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 10, 11, 12]  # blank line 8 is not an error
    assert errors[2].startswith("not JSON")
    assert "'t'" in errors[3] and "'t'" in errors[4]
    assert "'user'" in errors[5] and "'text'" in errors[6]
    assert "object" in errors[7]
    assert "duplicate id 'x'" in errors[10]
    assert "'id'" in errors[11] and "'platform'" in errors[12]
    assert f"{path}:2: skipped" in caplog.text
    last = lines[-1]
    assert (last.platform, last.user_id, last.id, last.line_no) == ("twitch", "u7", "replay-13", 13)


def test_lines_are_sorted_by_time_stably(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path,
        [
            {"t": 5, "user": "a", "text": "late"},
            {"t": 1, "user": "b", "text": "early"},
            {"t": 5, "user": "c", "text": "late too"},
            {"t": 2, "user": "d", "text": "given id", "id": 42},
        ],
    )
    lines = load_replay(path).lines
    assert [x.text for x in lines] == ["early", "given id", "late", "late too"]
    assert lines[1].id == "42"


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_replay(tmp_path / "nope.jsonl")


# ------------------------------------------------------------------ playback


def test_events_follow_the_script_times(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path,
        [
            {"t": 0, "user": "a", "text": "first"},
            {"t": 3, "user": "b", "text": "second", "id": "given"},
            {"t": 4.5, "user": "c", "text": "third"},
        ],
    )
    clock = FakeClock(100.0)
    msgs = collect(ReplaySource(path, sleep=clock.sleep), clock)
    assert [m.received_at for m in msgs] == [100.0, 103.0, 104.5]
    assert [m.id for m in msgs] == ["replay-1", "given", "replay-3"]
    assert msgs[0] == ChatMessage("replay-1", "replay", "a", "first", 100.0, "")


def test_speed_divides_the_waits(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path, [{"t": 2, "user": "a", "text": "x"}, {"t": 6, "user": "b", "text": "y"}]
    )
    clock = FakeClock(0.0)
    msgs = collect(ReplaySource(path, speed=2.0, sleep=clock.sleep), clock)
    assert [m.received_at for m in msgs] == [1.0, 3.0]


def test_loop_repeats_with_fresh_ids(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path, [{"t": 1, "user": "a", "text": "x"}, {"t": 2, "user": "b", "text": "y"}]
    )
    clock = FakeClock(0.0)
    src = ReplaySource(path, loop=True, loop_gap_s=3.0, sleep=clock.sleep)
    msgs = collect(src, clock, n=6)
    assert [m.id for m in msgs] == ["replay-1", "replay-2", "replay-1~1", "replay-2~1",
                                    "replay-1~2", "replay-2~2"]  # fmt: skip
    # Period = last line (2 s) + gap (3 s).
    assert [m.received_at for m in msgs] == [1.0, 2.0, 6.0, 7.0, 11.0, 12.0]


def test_slow_consumer_does_not_shift_the_schedule(tmp_path: Path) -> None:
    path = write_lines(tmp_path, [{"t": t, "user": "a", "text": str(t)} for t in (1, 2, 3)])
    clock = FakeClock(0.0)

    async def run() -> list[float]:
        out = []
        async for m in ReplaySource(path, sleep=clock.sleep).events(clock):
            out.append(m.received_at)
            clock.now += 1.5  # the consumer takes 1.5 s per message
        return out

    # Lines already due are yielded at once, stamped when they were actually handed over.
    assert asyncio.run(run()) == [1.0, 2.5, 4.0]


def test_empty_script_ends_even_when_looping(tmp_path: Path) -> None:
    path = write_lines(tmp_path, ["{bad"])
    clock = FakeClock()
    src = ReplaySource(path, loop=True, sleep=clock.sleep)
    assert len(src.errors) == 1
    assert collect(src, clock) == []


@pytest.mark.parametrize("speed", [0.0, -1.0, float("inf"), float("nan")])
def test_bad_speed_rejected(tmp_path: Path, speed: float) -> None:
    path = write_lines(tmp_path, [{"t": 0, "user": "a", "text": "x"}])
    with pytest.raises(ValueError, match="speed"):
        ReplaySource(path, speed=speed)


def test_real_clock_and_sleep(tmp_path: Path) -> None:
    """Never early, and scaled by speed. How late a line comes on this machine (timer jitter)
    is measured by `python -m bench.chat` ("replay"), not asserted here."""
    path = write_lines(tmp_path, [{"t": t, "user": "a", "text": str(t)} for t in (0.0, 5.0, 10.0)])
    src = ReplaySource(path, speed=100.0)  # 0, 50 and 100 ms; unscaled it would be 5 s and 10 s

    async def run() -> list[float]:
        start = time.monotonic()
        return [m.received_at - start async for m in src.events(time.monotonic)]

    offsets = asyncio.run(run())
    assert offsets == sorted(offsets)
    for got, want in zip(offsets, [0.0, 0.05, 0.1], strict=True):
        assert want - 1e-3 <= got < want + 4.0
