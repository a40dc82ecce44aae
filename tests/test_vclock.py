"""The virtual-time loop: timers fire in order at their exact times without waiting, and real
wake-ups from other threads are still served."""

import asyncio
import threading
import time

from vhost.base.vclock import run_virtual


def test_an_hour_of_sleeps_passes_at_once_in_order_and_on_time():
    async def go():
        loop = asyncio.get_running_loop()
        seen = []

        async def at(t: float, name: str) -> None:
            await asyncio.sleep(t)
            seen.append((name, loop.time()))

        await asyncio.gather(at(3600.0, "late"), at(0.25, "early"), at(60.0, "middle"))
        return seen

    t0 = time.perf_counter()
    seen = run_virtual(go())
    assert time.perf_counter() - t0 < 2.0  # generous: an hour of virtual time, not of wall time
    assert seen == [("early", 0.25), ("middle", 60.0), ("late", 3600.0)]


def test_timeouts_use_virtual_time():
    async def go():
        try:
            await asyncio.wait_for(asyncio.Event().wait(), 30.0)
        except TimeoutError:
            return asyncio.get_running_loop().time()

    assert run_virtual(go()) == 30.0


def test_a_wake_up_from_another_thread_is_served():
    async def go():
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        threading.Thread(target=lambda: (time.sleep(0.05), loop.call_soon_threadsafe(fut.set_result, "hi"))).start()
        return await fut  # no timer pending: the loop waits for the thread, it does not spin

    assert run_virtual(go()) == "hi"
