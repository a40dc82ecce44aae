"""The connector base: backoff with jitter, health states, de-duplication, a bad callback."""

from __future__ import annotations

import asyncio

import pytest

from vhost.chat.connector import AuthFailed, Backoff, Connector, Reconnect, StopConnector
from vhost.chat.events import ChatMessage


def test_backoff_grows_caps_jitters_and_resets() -> None:
    b = Backoff(base=1.0, factor=2.0, cap=10.0, jitter=0.5, rng=lambda: 0.0)
    assert [b.next_delay() for _ in range(6)] == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    b.reset()
    assert b.next_delay() == 1.0
    j = Backoff(base=1.0, cap=10.0, jitter=0.5, rng=lambda: 1.0)
    assert [j.next_delay() for _ in range(3)] == [0.5, 1.0, 2.0]  # up to half taken off
    import random

    rnd = Backoff(base=0.2, cap=5.0, jitter=0.5, rng=random.Random(3).random)
    delays = [rnd.next_delay() for _ in range(10)]
    assert all(0.1 <= d <= 5.0 for d in delays) and len(set(delays)) == 10  # spread, never zero


class Scripted(Connector):
    """Each session does the next scripted step: emit ids then fail with the given exception."""

    def __init__(self, steps: list[tuple[list[str], BaseException | None]], **kw) -> None:
        super().__init__("scripted", backoff=Backoff(base=0.001, cap=0.002), **kw)
        self.steps = steps

    async def _session(self) -> None:
        ids, exc = self.steps[min(self.sessions, len(self.steps)) - 1]
        self._live()
        for i in ids:
            self._emit(ChatMessage(i, "test", "u", "t", self.clock()))
        if exc is not None:
            raise exc
        await asyncio.sleep(10)


def run_until_done(conn: Connector, limit: int = 100) -> list[str]:
    async def go() -> list[str]:
        out = []
        async for ev in conn.events():
            out.append(ev.id)
            if len(out) >= limit:
                break
        return out

    return asyncio.run(asyncio.wait_for(go(), 5))


def test_health_states_and_dedup_across_reconnects() -> None:
    states: list[str] = []

    def bad_callback(_n: str, state: str, _d: str) -> None:
        states.append(state)
        raise RuntimeError("UI bug")  # must not take the connector down

    conn = Scripted([(["a", "b"], Reconnect("server said so")), (["b", "c"], ConnectionResetError("drop")),
                     (["c", "d"], StopConnector("quota exceeded"))], on_health=bad_callback)  # fmt: skip
    assert run_until_done(conn) == ["a", "b", "c", "d"]
    assert states == ["connecting", "live", "reconnecting", "live", "reconnecting", "live", "stopped"]
    assert conn.history[-1] == ("stopped", "quota exceeded")
    assert "ConnectionResetError: drop" in conn.history[4][1]


@pytest.mark.parametrize("exc", [AuthFailed("bad token")])
def test_auth_failed_ends_the_stream(exc: Exception) -> None:
    conn = Scripted([(["x"], exc)])
    assert run_until_done(conn) == ["x"]
    assert conn.health == "auth failed" and conn.sessions == 1


def test_a_burst_of_bad_frames_is_one_warning_line_not_thousands(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    conn = Scripted([([], None)])
    with caplog.at_level(logging.DEBUG, logger="vhost.chat.connector"):
        for i in range(1000):
            conn._skip("frame", f"bad {i}")  # noqa: SLF001 - what a connector calls per bad frame
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert conn.skipped == 1000
    assert len(warnings) == 1 and "1 skipped so far" in warnings[0].getMessage()
    assert sum(1 for r in caplog.records if r.levelno == logging.DEBUG and "skipped frame" in r.getMessage()) == 999
