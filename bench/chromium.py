"""A real headless Chromium driven over the DevTools protocol (CDP), for the browser source's
benchmark and tests: it waits in real time for what a page draws from WebSocket messages
(`--screenshot --virtual-time-budget` does not, and captures a blank page).

    async with Chromium() as browser:
        await browser.navigate("http://127.0.0.1:8766/stage")
        await browser.wait_for("window.vhostStage && vhostStage.frames > 0")
        fps = await browser.evaluate("vhostStage.frames")
        png = await browser.screenshot()

Flags as in ../shared/notes/obs.md (they work as root, with no GPU and no network).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

CHROMIUM = os.environ.get("VHOST_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--mute-audio"]

# The canvas's pixels as straight RGBA, base64: what the page shows, alpha included.
CANVAS_RGBA_JS = """(() => {
  const c = document.querySelector(%s);
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let s = "";
  for (let i = 0; i < d.length; i += 0x8000) s += String.fromCharCode.apply(null, d.subarray(i, i + 0x8000));
  return {w: c.width, h: c.height, rgba: btoa(s)};
})()"""


def process_tree_cpu(root: int) -> float:
    """utime + stime in seconds of `root` and its descendants, from /proc (0.0 without it)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            stat = entry.read_text()
        except OSError:
            continue  # exited meanwhile
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        pid = int(entry.parent.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


class CDPError(RuntimeError):
    pass


def available() -> bool:
    return Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)


class Chromium:
    """One headless Chromium process with one page, for `async with`."""

    def __init__(self, width: int = 1920, height: int = 1080, start_timeout: float = 30.0) -> None:
        self.width, self.height = width, height
        self.start_timeout = start_timeout
        self._proc: asyncio.subprocess.Process | None = None
        self._profile: str | None = None
        self._ws: ClientConnection | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self._events: dict[str, list[asyncio.Future]] = {}
        self._reader: asyncio.Task | None = None

    async def __aenter__(self) -> Chromium:
        if not available():
            raise FileNotFoundError(f"no Chromium at {CHROMIUM}")
        self._profile = tempfile.mkdtemp(prefix="vhost-chromium-")
        self._proc = await asyncio.create_subprocess_exec(
            CHROMIUM, *FLAGS, f"--user-data-dir={self._profile}", "--remote-debugging-port=0",
            f"--window-size={self.width},{self.height}", "about:blank",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        try:
            await self._attach()
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _attach(self) -> None:
        """Chromium writes its DevTools port to DevToolsActivePort (port 0 = a free one); the
        page target's WebSocket URL comes from /json/list."""
        assert self._profile is not None
        port_file = Path(self._profile) / "DevToolsActivePort"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.start_timeout
        while not port_file.exists() or not port_file.read_text().strip():
            if self._proc is not None and self._proc.returncode is not None:
                raise RuntimeError(f"Chromium exited at start (code {self._proc.returncode})")
            if loop.time() > deadline:
                raise TimeoutError("Chromium did not open its DevTools port")
            await asyncio.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        import aiohttp

        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as resp:
                targets = await resp.json()
        page = next(t for t in targets if t.get("type") == "page")
        self._ws = await connect(page["webSocketDebuggerUrl"], max_size=None, ping_interval=None)
        self._reader = asyncio.create_task(self._read())
        await self.send("Page.enable")
        await self.send("Runtime.enable")
        # The page gets exactly width x height CSS pixels, as in OBS's Browser Source (the
        # headless window's viewport is smaller than --window-size).
        await self.send("Emulation.setDeviceMetricsOverride", width=self.width,
                        height=self.height, deviceScaleFactor=1, mobile=False)
        # Screenshots keep the page's alpha (a transparent stage stays transparent).
        await self.send("Emulation.setDefaultBackgroundColorOverride",
                        color={"r": 0, "g": 0, "b": 0, "a": 0})

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self._ws is not None:
            await self._ws.close()
        if self._proc is not None and self._proc.returncode is None:
            self._proc.terminate()
            try:
                await asyncio.wait_for(self._proc.wait(), 10)
            except TimeoutError:
                self._proc.kill()
                await self._proc.wait()
        if self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    async def _read(self) -> None:
        assert self._ws is not None
        async for raw in self._ws:
            msg = json.loads(raw)
            if "id" in msg:
                fut = self._pending.pop(msg["id"], None)
                if fut is not None and not fut.done():
                    if "error" in msg:
                        fut.set_exception(CDPError(f"{msg['error']}"))
                    else:
                        fut.set_result(msg.get("result", {}))
            else:
                for fut in self._events.pop(msg.get("method", ""), []):
                    if not fut.done():
                        fut.set_result(msg.get("params", {}))

    async def send(self, method: str, timeout: float = 30.0, **params: Any) -> dict:
        assert self._ws is not None, "use `async with Chromium()`"
        msg_id = next(self._ids)
        fut = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = fut
        await self._ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        return await asyncio.wait_for(fut, timeout)

    def event(self, method: str) -> asyncio.Future:
        """A future for the next `method` event (register before the action that causes it)."""
        fut = asyncio.get_running_loop().create_future()
        self._events.setdefault(method, []).append(fut)
        return fut

    async def navigate(self, url: str, timeout: float = 30.0) -> None:
        loaded = self.event("Page.loadEventFired")
        result = await self.send("Page.navigate", url=url)
        if result.get("errorText"):
            raise CDPError(f"cannot load {url}: {result['errorText']}")
        await asyncio.wait_for(loaded, timeout)

    async def evaluate(self, expression: str, timeout: float = 30.0) -> Any:
        result = await self.send("Runtime.evaluate", timeout=timeout, expression=expression,
                                 returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise CDPError(f"{expression[:80]!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 10.0, poll: float = 0.02) -> Any:
        """Poll a JS expression until it is truthy (in real time); returns its value."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if loop.time() > deadline:
                raise TimeoutError(f"still false after {timeout} s: {expression}")
            await asyncio.sleep(poll)

    async def canvas_rgba(self, selector: str = "canvas") -> tuple[int, int, bytes]:
        """(width, height, straight RGBA bytes) of a canvas, read with getImageData."""
        got = await self.evaluate(CANVAS_RGBA_JS % json.dumps(selector))
        return got["w"], got["h"], base64.b64decode(got["rgba"])

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by Chromium and all its processes (Linux /proc;
        0.0 elsewhere): what the page costs, independent of how busy the machine is."""
        return process_tree_cpu(self._proc.pid) if self._proc is not None else 0.0

    async def screenshot(self) -> bytes:
        """A PNG of the viewport as composited (alpha kept)."""
        got = await self.send("Page.captureScreenshot", format="png")
        return base64.b64decode(got["data"])


class ChromiumThread:
    """A Chromium with one page, driven from its own asyncio thread: for synchronous callers
    such as the Qt stage bench, whose main thread runs Qt's event loop."""

    def __init__(self, width: int = 1920, height: int = 1080) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="chromium-cdp",
                                        daemon=True)
        self._browser = Chromium(width, height)

    def _call(self, coro: Any, timeout: float) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def start(self, url: str | None = None, timeout: float = 60.0) -> None:
        self._thread.start()
        self._call(self._browser.__aenter__(), timeout)
        if url is not None:
            self.navigate(url, timeout)

    def navigate(self, url: str, timeout: float = 60.0) -> None:
        self._call(self._browser.navigate(url), timeout)

    def evaluate(self, expression: str, timeout: float = 30.0) -> Any:
        return self._call(self._browser.evaluate(expression), timeout + 5)

    def wait_for(self, expression: str, timeout: float = 10.0) -> Any:
        return self._call(self._browser.wait_for(expression, timeout), timeout + 5)

    def cpu_seconds(self) -> float:
        return self._browser.cpu_seconds()

    def screenshot(self) -> bytes:
        return self._call(self._browser.screenshot(), 60)

    def stop(self) -> None:
        if self._thread.is_alive():
            self._call(self._browser.close(), 30)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
