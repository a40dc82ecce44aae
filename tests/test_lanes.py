import asyncio

import pytest

from vhost.base.lanes import CONTROL, DATA, TwoLaneQueue


def test_control_events_jump_the_data_queue():
    async def go():
        q: TwoLaneQueue[str] = TwoLaneQueue(data_maxsize=10)
        await q.put_data("d1")
        await q.put_data("d2")
        q.put_control("interrupt")
        return [await q.get() for _ in range(3)]

    assert asyncio.run(go()) == [(CONTROL, "interrupt"), (DATA, "d1"), (DATA, "d2")]


def test_data_lane_is_bounded_and_applies_backpressure():
    async def go():
        q: TwoLaneQueue[int] = TwoLaneQueue(data_maxsize=2)
        await q.put_data(1)
        await q.put_data(2)
        assert not q.put_data_nowait(3)
        blocked = asyncio.create_task(q.put_data(3))
        await asyncio.sleep(0.01)
        assert not blocked.done()
        assert await q.get() == (DATA, 1)
        await asyncio.wait_for(blocked, 1)
        # control is never refused, even when data is full
        q.put_control("stop")
        return q.data_len, q.control_len

    assert asyncio.run(go()) == (2, 1)


def test_drop_data_returns_what_was_dropped_and_keeps_control():
    async def go():
        q: TwoLaneQueue[str] = TwoLaneQueue()
        for x in ("a1", "b1", "a2"):
            await q.put_data(x)
        q.put_control("c")
        dropped = q.drop_data(lambda s: s.startswith("a"))
        return dropped, [await q.get() for _ in range(2)]

    dropped, rest = asyncio.run(go())
    assert dropped == ["a1", "a2"]
    assert rest == [(CONTROL, "c"), (DATA, "b1")]


def test_maxsize_must_be_positive():
    with pytest.raises(ValueError):
        TwoLaneQueue(data_maxsize=0)
