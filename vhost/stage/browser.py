"""Browser source: the stage's rendered frames served at http://127.0.0.1:PORT/stage for OBS's
Browser Source (which keeps the page's alpha, so a transparent stage composites cleanly).

    GET /stage            the page (browser_page.py): the latest frame inlined for its first
                          paint, then a <canvas> kept current over the WebSocket
    GET /stage/ws         WebSocket (?epoch=E&have=N): binary delta messages (browser_codec.py),
                          a keyframe first for a new client; the page answers each drawn frame
                          with its number as text
    GET /stage/frame.png  the latest frame, once (thumbnails, health checks)

One renderer feeds both outputs: whoever renders a frame (the stage window, the headless
recorder) calls `publish(image)`. Publishing only swaps a reference and pokes the server's loop;
diffing and encoding happen on the server's own encoder thread (numpy and OpenCV release the
GIL), and only the newest frame is ever encoded — a slow browser gets fewer frames, the stage
never waits.

Why deltas: measured December 2026 on the 2-core build machine, which is shared (load 3-13
from other jobs, so absolute fps are noisy; CPU ms per frame are not). 1920x1080 demo stage,
transparent background, headless Chromium counting the frames its page drew, candidates run
side by side in interleaved rounds:

  A. `python -m bench.stage --browser --no-workers --browser-format F --browser-tile T` (the
     GUI stage window rendering at 30 fps in the same process), 2 rounds, load ~4:

     transport                       delivered fps  stage p99 ms  encode p50 ms  KB/frame  Chromium CPU ms/frame
     changed 64 px tiles, PNG atlas  30.3, 30.4     36.6, 38.5     8.0,  8.3      124      9.2, 10.3   (kept)
     changed 64 px tiles, WebP       30.3, 30.2     35.3, 37.4     9.1, 10.2       74     11.4, 10.9
     whole frame as PNG (T=4096)     26.8, 19.4     38.4, 60.4    27.2, 35.9      332     16.6, 19.2

  B. pre-rendered demo frames published at 30 fps (no GUI), the old transport (git 16b5885,
     frames counted by wrapping drawImage) against the new, 3 rounds, load 4-7:

     transport                       delivered fps      server CPU ms/frame  Chromium CPU ms/frame
     old: full PNG, no flow control  29.8, 27.5, 24.0   26, 26, 27           17, 18, 21
     changed 64 px tiles, PNG atlas  30.0, 30.0, 30.1   11, 10, 10           11, 10, 10
     changed 64 px tiles, WebP       29.2, 30.1, 30.2   13, 13, 12           12, 12, 11

     At load 7-13 the same harness gave old 5-15 fps, PNG tiles 13-30 fps.

About 10 % of the 64 px tiles change per frame (the host breathes and talks; captions and cards
change now and then). PNG tiles win: the least CPU on both sides (WebP's atlas is 40 % smaller,
which a local socket does not need, and costs more to encode). WebP with alpha of a whole frame
takes 80-600 ms here (libwebp through PIL or OpenCV), so it cannot reach 30 fps at all. Context
options on the page's canvas (desynchronized, willReadFrequently) did not lower Chromium's cost.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from aiohttp import WSMsgType, web
from PySide6.QtGui import QImage

from vhost.stage.browser_codec import TILE, DeltaStream, encode_image
from vhost.stage.browser_page import render_page

log = logging.getLogger(__name__)

MAX_IN_FLIGHT = 2  # frames sent to a client and not yet acknowledged


def _lower_thread_priority() -> None:
    """Linux: nice this thread (only) so encoding yields to the stage's painting when the
    CPU is short; the browser then gets fewer frames instead of the stage stuttering."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass  # other platforms: unchanged priority


def to_bgra(img: QImage) -> np.ndarray:
    """A new HxWx4 BGRA array with straight (non-premultiplied) alpha, as browsers expect."""
    argb = img.convertToFormat(QImage.Format.Format_ARGB32)  # BGRA bytes on little-endian hosts
    arr = np.frombuffer(argb.constBits(), np.uint8).reshape(argb.height(), argb.bytesPerLine())
    return arr[:, : argb.width() * 4].reshape(argb.height(), argb.width(), 4).copy()


def encode_png(img: QImage, level: int = 1) -> bytes:
    """PNG with straight alpha of a whole frame."""
    return encode_image(to_bgra(img), "png")


@dataclass(eq=False)
class _Client:
    ws: web.WebSocketResponse
    have: int | None  # the frame the client will show once it has drawn what was sent
    in_flight: int = 0
    sending: asyncio.Future | None = field(default=None, repr=False)


class BrowserSource:
    def __init__(self, port: int = 0, host: str = "127.0.0.1", image_format: str = "png",
                 tile: int = TILE) -> None:
        """`image_format` ("png" or "webp") and `tile` (pixels) choose the transport's encoding;
        the defaults are the measured best (see the module docstring)."""
        self.host = host
        self.requested_port = port
        self.port: int | None = None  # the bound port once started (port=0 picks a free one)
        self.epoch = secrets.token_hex(4)  # a restarted source is another epoch: clients re-sync
        self._stream = DeltaStream(tile=tile, fmt=image_format)
        self._latest: QImage | None = None
        self._seq = 0  # frames published
        self._taken = 0  # the published frame the stream last took
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._clients: set[_Client] = set()
        self._encoder = ThreadPoolExecutor(1, thread_name_prefix="stage-encode",
                                           initializer=_lower_thread_priority)
        self._started = threading.Event()
        self._error: BaseException | None = None
        self.encode_ms: list[float] = []
        self.publish_ms: list[float] = []
        self.frames_sent = 0  # frames encoded and sent (to one client or more)
        self.bytes_sent = 0

    # -- lifecycle ------------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> int:
        """Start serving on a thread of its own; returns the bound port."""
        self._thread = threading.Thread(target=self._run, name="browser-source", daemon=True)
        self._thread.start()
        if not self._started.wait(timeout):
            raise RuntimeError("browser source did not start")
        if self._error is not None:
            raise RuntimeError(
                f"browser source cannot listen on {self.host}:{self.requested_port}: {self._error}"
            )
        assert self.port is not None
        return self.port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/stage"

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._encoder.shutdown(wait=False)

    # -- producer side (any thread) -------------------------------------------------------

    def publish(self, image: QImage) -> None:
        """Offer a freshly rendered frame. Never blocks on encoding or on the network.

        The caller must not paint into `image` afterwards (renderers make a new one per frame;
        QImage's copy-on-write protects the rest)."""
        t0 = time.perf_counter()
        with self._lock:
            self._latest = image
            self._seq += 1
        if self._loop is not None and self._wake is not None and self._clients:
            self._loop.call_soon_threadsafe(self._wake.set)
        self.publish_ms.append((time.perf_counter() - t0) * 1000.0)
        if len(self.publish_ms) > 10000:
            del self.publish_ms[:5000]

    # -- encoder thread -------------------------------------------------------------------

    def _take_latest(self) -> None:
        """Move the stream to the newest published frame, if it has not taken it yet."""
        with self._lock:
            img, seq = self._latest, self._seq
        if img is not None and seq != self._taken:
            self._stream.advance(to_bgra(img))
            self._taken = seq  # after: the pump reads it to skip work

    def _encode_for(self, haves: set[int | None]) -> tuple[int, dict[int | None, bytes]]:
        t0 = time.perf_counter()
        self._take_latest()
        out = {have: msg for have in haves if (msg := self._stream.message(have)) is not None}
        if out:
            self.encode_ms.append((time.perf_counter() - t0) * 1000.0)
            if len(self.encode_ms) > 10000:
                del self.encode_ms[:5000]
        return self._stream.seq, out

    def _still(self) -> tuple[int, bytes] | None:
        self._take_latest()
        return self._stream.still()

    # -- server side ----------------------------------------------------------------------

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported by start()
            self._error = exc
            self._started.set()
            return
        self._started.set()
        loop.run_forever()
        loop.close()

    async def _serve(self) -> None:
        self._wake = asyncio.Event()
        app = web.Application()
        app.router.add_get("/stage", self._page)
        app.router.add_get("/stage/", self._page)
        app.router.add_get("/stage/ws", self._ws)
        app.router.add_get("/stage/frame.png", self._frame)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.requested_port)
        await site.start()
        sockets = site._server.sockets if site._server else []  # noqa: SLF001 - bound port
        self.port = sockets[0].getsockname()[1] if sockets else self.requested_port
        self._pump_task = asyncio.get_running_loop().create_task(self._pump())

    async def _shutdown(self) -> None:
        self._pump_task.cancel()
        for c in list(self._clients):
            await c.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _pump(self) -> None:
        """Whenever a frame arrived or a client caught up: one message per distinct frame the
        ready clients have (usually one), encoded on the encoder thread, sent to each."""
        assert self._wake is not None
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            self._wake.clear()
            ready = [c for c in self._clients if c.in_flight < MAX_IN_FLIGHT]
            if not ready or self._latest is None:
                continue
            if self._seq == self._taken and all(c.have == self._stream.seq for c in ready):
                continue
            try:
                seq, messages = await loop.run_in_executor(
                    self._encoder, self._encode_for, {c.have for c in ready})
            except Exception:  # a bad frame must not end the stream; the next one may do
                log.exception("browser source: encoding a frame failed")
                continue
            if messages:
                self.frames_sent += 1
            for c in ready:
                msg = messages.get(c.have)
                if msg is not None and c in self._clients:
                    c.have, c.in_flight = seq, c.in_flight + 1
                    c.sending = asyncio.ensure_future(self._send(c, c.sending, msg))

    async def _send(self, client: _Client, before: asyncio.Future | None, data: bytes) -> None:
        """Send after the client's previous message (in order; a slow socket holds up only its
        own client)."""
        if before is not None:
            await asyncio.gather(before, return_exceptions=True)
        try:
            await client.ws.send_bytes(data)
            self.bytes_sent += len(data)
        except (ConnectionError, RuntimeError):
            self._clients.discard(client)

    async def _page(self, request: web.Request) -> web.Response:
        still = await asyncio.get_running_loop().run_in_executor(self._encoder, self._still)
        return web.Response(text=render_page(self.epoch, still), content_type="text/html",
                            charset="utf-8", headers={"Cache-Control": "no-store"})

    async def _frame(self, request: web.Request) -> web.Response:
        still = await asyncio.get_running_loop().run_in_executor(self._encoder, self._still)
        if still is None:
            return web.Response(status=503, text="no frame rendered yet")
        return web.Response(body=still[1], content_type="image/png",
                            headers={"Cache-Control": "no-store"})

    async def _ws(self, request: web.Request) -> web.WebSocketResponse:
        have: int | None = None
        if request.query.get("epoch") == self.epoch:
            try:
                have = int(request.query.get("have", "")) or None
            except ValueError:
                have = None  # a keyframe, as for a new client
        ws = web.WebSocketResponse(heartbeat=20.0, compress=False)  # PNG does not deflate
        await ws.prepare(request)
        client = _Client(ws, have)
        self._clients.add(client)
        assert self._wake is not None
        self._wake.set()  # a keyframe (or the delta from `have`) at once
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:  # "N": frame N drawn
                    client.in_flight = max(0, client.in_flight - 1)
                    self._wake.set()
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            self._clients.discard(client)
        return ws
