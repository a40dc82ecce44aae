"""Worker processes: streaming, cancel, errors, and restart after a crash."""

import asyncio
import os
import signal
import time

import pytest

from vhost.base.workers import WorkerClient, WorkerCrashed, WorkerError


async def _client(factory="tests.worker_handlers:CountWorker", reply_timeout_s=60.0, heartbeat_timeout_s=20.0, **kw):
    statuses = []
    c = WorkerClient("test", factory, kw, on_status=lambda n, m: statuses.append(m), reply_timeout_s=reply_timeout_s,
                     heartbeat_timeout_s=heartbeat_timeout_s)
    c.start()
    return c, statuses


def test_streams_replies_in_order():
    async def go():
        c, _ = await _client()
        await c.wait_ready(30)
        got = [m["value"] async for m in c.request("count", n=5) if m["type"] == "item"]
        await c.close()
        return got

    assert asyncio.run(go()) == [0, 1, 2, 3, 4]


def test_closing_the_stream_early_cancels_the_work_in_the_worker():
    async def go():
        c, _ = await _client(delay=0.05)
        await c.wait_ready(30)
        got = []
        agen = c.request("count", n=1000)
        async for m in agen:
            got.append(m)
            if len(got) == 3:
                break
        await agen.aclose()
        # the worker is free again quickly (it saw the cancel), so the next request is served
        follow = await asyncio.wait_for(c.call("pid"), 5)
        await c.close()
        return got, follow

    got, follow = asyncio.run(go())
    assert len(got) == 3 and follow["type"] == "pid"


def test_handler_error_is_reported_and_the_worker_lives_on():
    async def go():
        c, _ = await _client()
        await c.wait_ready(30)
        with pytest.raises(WorkerError, match="bad request"):
            await c.call("fail")
        ok = await c.call("pid")
        await c.close()
        return ok

    assert asyncio.run(go())["type"] == "pid"


def test_crash_fails_inflight_request_and_restarts_the_process():
    async def go():
        c, statuses = await _client()
        await c.wait_ready(30)
        pid1 = (await c.call("pid"))["pid"]
        with pytest.raises(WorkerCrashed):
            await c.call("die")
        pid2 = (await asyncio.wait_for(c.call("pid"), 30))["pid"]
        await c.close()
        return pid1, pid2, c.restarts, statuses

    pid1, pid2, restarts, statuses = asyncio.run(go())
    assert pid1 != pid2 and restarts == 1
    assert any(s.get("type") == "restarting" for s in statuses)


def test_a_worker_that_cannot_start_says_why():
    async def go():
        c, statuses = await _client("tests.worker_handlers:BrokenWorker")
        with pytest.raises(WorkerError, match="pip install something"):
            await c.wait_ready(30)
        await c.close()
        return c.fatal

    assert "pip install something==1.0" in asyncio.run(go())


def test_a_hung_worker_is_detected_by_its_deadline_killed_and_restarted():
    async def go():
        c, statuses = await _client(reply_timeout_s=1.0)
        await c.wait_ready(30)
        pid1 = (await c.call("pid"))["pid"]
        with pytest.raises(WorkerCrashed, match="hung"):
            await c.call("hang")
        pid2 = (await asyncio.wait_for(c.call("pid"), 30))["pid"]
        await c.close()
        return pid1, pid2, c.restarts, statuses

    pid1, pid2, restarts, statuses = asyncio.run(go())
    assert pid1 != pid2 and restarts == 1
    notices = [s for s in statuses if s.get("type") != "ready"]
    assert len(notices) == 1 and notices[0]["type"] == "restarting" and notices[0]["hung"]  # told once
    assert "hung" in notices[0]["text"] and "hang" in notices[0]["text"]


@pytest.mark.slow
def test_a_stopped_worker_is_caught_by_its_heartbeat_even_with_a_request_in_flight():
    """SIGSTOP: no reply, no exit, and the request deadline (60 s) far away. The heartbeat
    (1.5 s here) catches it; the request in flight fails with a clear error (the caller keeps its
    input and retries) and the restarted worker serves the retry."""

    async def go():
        c, statuses = await _client(heartbeat_timeout_s=1.5, delay=0.2)
        await c.wait_ready(30)
        pid1 = (await c.call("pid"))["pid"]
        agen = c.request("count", n=1000)
        await anext(agen)
        os.kill(pid1, signal.SIGSTOP)
        t0 = time.monotonic()
        with pytest.raises(WorkerCrashed, match="died"):
            async for _ in agen:
                pass
        detected_s = time.monotonic() - t0
        pid2 = (await asyncio.wait_for(c.call("pid"), 30))["pid"]
        await c.close()
        return pid1, pid2, detected_s, statuses

    pid1, pid2, detected_s, statuses = asyncio.run(go())
    assert pid1 != pid2 and 1.0 < detected_s < 10.0
    notices = [s for s in statuses if s.get("type") != "ready"]
    assert len(notices) == 1 and notices[0]["hung"] and "heartbeat" in notices[0]["text"]
    with pytest.raises(ProcessLookupError):  # the stopped one was killed, not left behind
        os.kill(pid1, 0)


def test_a_worker_that_keeps_dying_is_given_up_after_max_restarts_in_a_minute():
    async def go():
        statuses = []
        c = WorkerClient("test", "tests.worker_handlers:CountWorker", {}, max_restarts=2,
                         on_status=lambda n, m: statuses.append(m))
        c.start()
        for _ in range(3):
            await c.wait_ready(30)
            with pytest.raises(WorkerCrashed):
                await c.call("die")
        await asyncio.sleep(0.2)
        await c.close()
        return [s["type"] for s in statuses if s["type"] != "ready"]

    assert asyncio.run(go()) == ["restarting", "restarting", "fatal"]
