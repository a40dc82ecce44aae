"""Browser source: the tile-delta codec (frames round-trip exactly), the server over a real local
HTTP/WebSocket connection (keyframe first, deltas, acknowledgements, re-sync), and the page in a
real headless Chromium (first paint, alpha, new content, a restarted source)."""

import asyncio
import base64
import re

import aiohttp
import cv2
import numpy as np
import pytest
from PySide6.QtCore import QSize

from bench import chromium
from vhost.avatar.character import generate_character
from vhost.avatar.pose import RigPose
from vhost.stage.browser import MAX_IN_FLIGHT, BrowserSource, to_bgra
from vhost.stage.browser_codec import DeltaStream, apply_delta, changed_tiles, parse
from vhost.stage.renderer import StageRenderer
from vhost.stage.scene import StageScene


@pytest.fixture
def source(qapp):
    src = BrowserSource(port=0)
    src.start()
    yield src
    src.stop()


SMALL = QSize(640, 360)


def _frame(caption: str = "Hello", size: QSize | None = SMALL, t: float = 1.0):
    """A transparent stage; `t` also moves the host (mouth, breath), as in a show."""
    r = StageRenderer(generate_character(3), "landscape", "transparent")
    pose = RigPose(mouth_open=(t * 3) % 1.0, breath=np.sin(t * 5), blink=0.0)
    return r.render_image(StageScene(t=t, pose=pose, caption=caption), size)


def _random_frame(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    return rng.integers(0, 256, (h, w, 4), dtype=np.uint8)


# -- the codec ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["png", "webp"])
@pytest.mark.parametrize("shape", [(360, 640), (201, 333)])  # tiles that fit, and ragged edges
def test_deltas_round_trip_exactly(fmt, shape):
    rng = np.random.default_rng(1)
    h, w = shape
    stream = DeltaStream(tile=64, fmt=fmt)
    a = _random_frame(rng, h, w)
    a[:, : w // 3, 3] = 0  # fully transparent, with colour under it (must survive too)
    assert stream.advance(a)
    seq_a, got = apply_delta(None, stream.message(None))
    assert seq_a == stream.seq and np.array_equal(got, a)

    b = a.copy()
    b[h - 5:, w - 7:] = rng.integers(0, 256, (5, 7, 4), dtype=np.uint8)  # the corner tile
    b[10:12, 70:200, 3] = 17  # alpha only, across tiles
    assert stream.advance(b)
    msg = stream.message(seq_a)
    head, _ = parse(msg)
    assert head["base"] == seq_a
    seq_b, got_b = apply_delta(got, msg)
    assert seq_b == stream.seq and np.array_equal(got_b, b)

    c = b.copy()
    c[100:140, 0:30] = 255
    assert stream.advance(c)
    # A client still on `a` catches up in one message: the union of both steps' tiles.
    _, from_a = apply_delta(a, stream.message(seq_a))
    _, from_b = apply_delta(got_b, stream.message(seq_b))
    assert np.array_equal(from_a, c) and np.array_equal(from_b, c)


@pytest.mark.parametrize("w", [640, 333])
def test_changed_tiles_finds_the_one_changed_pixel(w):
    a = np.zeros((200, w, 4), np.uint8)
    for y, x in [(0, 0), (63, 64), (64, 63), (199, w - 1), (100, 129)]:
        b = a.copy()
        b[y, x, 3] = 1
        mask = changed_tiles(a, b, 64)
        assert mask.shape == (4, -(-w // 64))
        assert list(zip(*np.nonzero(mask), strict=True)) == [(y // 64, x // 64)]


def test_stage_frames_round_trip_and_deltas_are_small(qapp):
    frames = [to_bgra(_frame("Hello", QSize(1280, 720), t=1.0 + i / 30)) for i in range(3)]
    frames.append(to_bgra(_frame("A new caption", QSize(1280, 720), t=1.1)))
    stream = DeltaStream()
    stream.advance(frames[0])
    seq, shown = apply_delta(None, key := stream.message(None))
    for i, f in enumerate(frames[1:], 1):
        stream.advance(f)
        msg = stream.message(seq)
        seq, shown = apply_delta(shown, msg)
        assert np.array_equal(shown, f)
        if i < 3:  # the host moves; most of the stage does not
            assert len(msg) < len(key) / 2
    assert (frames[-1][:, :, 3] == 0).mean() > 0.3  # a transparent stage: alpha went through


def test_unchanged_old_and_bad_input():
    rng = np.random.default_rng(2)
    stream = DeltaStream(history=3)
    a = _random_frame(rng, 100, 130)
    stream.advance(a)
    assert not stream.advance(a.copy())  # the same picture: no new frame, nothing to send
    assert stream.message(stream.seq) is None
    first = stream.seq
    for i in range(5):
        f = a.copy()
        f[i, i] ^= 1
        assert stream.advance(f)
    assert parse(stream.message(first))[0]["base"] is None  # beyond the history: a keyframe
    assert parse(stream.message(stream.seq + 7))[0]["base"] is None  # another source's numbers
    assert parse(stream.message(stream.seq - 1))[0]["base"] == stream.seq - 1
    assert changed_tiles(a, f).sum() == 1
    with pytest.raises(ValueError, match="needs that"):
        apply_delta(None, stream.message(stream.seq - 1))
    with pytest.raises(ValueError, match="magic"):
        parse(b"\x89PNG\r\n\x1a\n....")
    with pytest.raises(ValueError, match="same"):
        changed_tiles(a, a[:50])
    with pytest.raises(ValueError, match="unknown image format"):
        DeltaStream(fmt="gif")


# -- the server -----------------------------------------------------------------------------


async def _recv(ws) -> bytes:
    msg = await ws.receive(timeout=10)
    assert msg.type == aiohttp.WSMsgType.BINARY, msg
    return msg.data


def test_page_frame_keyframe_then_deltas(source):
    first, second = _frame("first"), _frame("second, a different caption")

    async def run():
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{source.url}/frame.png") as resp:
                assert resp.status == 503  # nothing rendered yet: said so, not a blank image
            async with http.get(source.url) as resp:
                assert resp.status == 200 and resp.content_type == "text/html"
                page = await resp.text()
                assert "<canvas" in page and "/stage/ws" in page and "clearRect" in page
                assert 'id="first"' not in page  # no frame to inline yet
            source.publish(first)
            async with http.get(source.url) as resp:
                page = await resp.text()
            async with http.get(f"{source.url}/frame.png") as resp:
                assert resp.status == 200 and resp.content_type == "image/png"
                still = cv2.imdecode(np.frombuffer(await resp.read(), np.uint8), cv2.IMREAD_UNCHANGED)
            async with http.ws_connect(f"ws://127.0.0.1:{source.port}/stage/ws") as ws:
                seq, shown = apply_delta(None, await _recv(ws))  # a new client: keyframe first
                await ws.send_str(str(seq))
                keyframe = shown
                source.publish(second)
                delta = await _recv(ws)
                assert parse(delta)[0]["base"] == seq
                seq2, shown = apply_delta(shown, delta)
        return page, still, keyframe, shown, seq2

    page, still, keyframe, shown, seq2 = asyncio.run(run())
    inline = re.search(r'src="data:image/png;base64,([^"]+)"', page)
    assert inline is not None  # the first paint shows the stage, before any WebSocket
    inlined = cv2.imdecode(np.frombuffer(base64.b64decode(inline.group(1)), np.uint8),
                           cv2.IMREAD_UNCHANGED)
    expected = to_bgra(first)
    assert np.array_equal(inlined, expected) and np.array_equal(still, expected)
    assert np.array_equal(keyframe, expected)
    assert np.array_equal(shown, to_bgra(second)) and seq2 == source._stream.seq
    alpha = expected[:, :, 3]
    assert (alpha == 0).mean() > 0.3 and (alpha == 255).mean() > 0.05  # real alpha, both ends
    assert source.frames_sent >= 2


def test_acks_bound_what_is_in_flight_and_reconnects_resync(source):
    frames = [_frame("same", t=1.0 + i / 30) for i in range(12)]

    async def run():
        async with aiohttp.ClientSession() as http:
            source.publish(frames[0])
            async with http.ws_connect(f"ws://127.0.0.1:{source.port}/stage/ws") as ws:
                got = [await _recv(ws)]
                for f in frames[1:]:  # faster than this client acknowledges: it is never sent
                    source.publish(f)  # more than MAX_IN_FLIGHT frames ahead
                    await asyncio.sleep(0.03)
                while len(got) < MAX_IN_FLIGHT:
                    got.append(await _recv(ws))
                with pytest.raises(TimeoutError):
                    await ws.receive(timeout=0.5)
                shown, seq = None, 0
                for m in got:
                    seq, shown = apply_delta(shown, m)
                    await ws.send_str(str(seq))
                seq, shown = apply_delta(shown, await _recv(ws))  # caught up in one delta
                assert np.array_equal(shown, to_bgra(frames[-1]))
            # The page reconnects with what it shows: a delta from there, not a keyframe.
            source.publish(_frame("after the reconnect"))
            q = f"epoch={source.epoch}&have={seq}"
            async with http.ws_connect(f"ws://127.0.0.1:{source.port}/stage/ws?{q}") as ws:
                delta = await _recv(ws)
                assert parse(delta)[0]["base"] == seq
                assert np.array_equal(apply_delta(shown, delta)[1], to_bgra(_frame("after the reconnect")))
            # Another epoch (a restarted show): whatever it claims to have, a keyframe.
            async with http.ws_connect(f"ws://127.0.0.1:{source.port}/stage/ws?epoch=x&have={seq}") as ws:
                assert parse(await _recv(ws))[0]["base"] is None

    asyncio.run(run())


def test_publish_does_not_wait_for_encoding(source):
    big, other = _frame("x", size=None), _frame("y", size=None)  # 1080p

    async def run() -> int:
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(f"ws://127.0.0.1:{source.port}/stage/ws") as ws:
                for i in range(60):  # far faster than encoding and the client can keep up with
                    source.publish(big if i % 2 else other)
                    await asyncio.sleep(0.005)
                n = 0
                while True:
                    try:
                        msg = await ws.receive(timeout=1.0)
                    except TimeoutError:
                        return n
                    n += 1
                    await ws.send_str(str(parse(msg.data)[0]["seq"]))

    received = asyncio.run(run())
    assert received >= 1
    # Latest-frame-only: frames were skipped instead of queued. What publishing itself costs
    # the painter is measured by `python -m bench.stage --browser` ("browser.publish_ms").
    assert source.frames_sent < 60
    assert len(source.publish_ms) == 60


def test_port_in_use_is_a_clear_error(source):
    other = BrowserSource(port=source.port)
    with pytest.raises(RuntimeError, match="cannot listen"):
        other.start()


# -- the page in a real Chromium ------------------------------------------------------------


def _premultiplied(bgra: np.ndarray) -> np.ndarray:
    a = bgra[:, :, 3:4].astype(np.int32)
    return np.concatenate([bgra[:, :, :3].astype(np.int32) * a // 255, a], axis=2)


async def _assert_shows(browser: chromium.Chromium, expected_bgra: np.ndarray) -> None:
    """The canvas matches the frame, alpha included (compared premultiplied, as the canvas
    stores it: colour under low alpha is rounded there)."""
    w, h, rgba = await browser.canvas_rgba("#stage")
    assert (w, h) == (expected_bgra.shape[1], expected_bgra.shape[0])
    got = cv2.cvtColor(np.frombuffer(rgba, np.uint8).reshape(h, w, 4), cv2.COLOR_RGBA2BGRA)
    diff = np.abs(_premultiplied(got) - _premultiplied(expected_bgra))
    assert np.abs(got[:, :, 3].astype(int) - expected_bgra[:, :, 3]).max() <= 1
    assert diff.max() <= 3, f"{(diff > 3).sum()} values differ"


@pytest.mark.slow
@pytest.mark.skipif(not chromium.available(), reason=f"no Chromium at {chromium.CHROMIUM}")
def test_page_in_headless_chromium(qapp):
    first, second = _frame("On air"), _frame("Now something else entirely", t=2.0)
    third = _frame("After a restart", t=3.0)
    src = BrowserSource(port=0)
    src.start()
    port = src.port

    async def run():
        nonlocal src
        async with chromium.Chromium(960, 540) as browser:
            src.publish(first)
            await browser.navigate(src.url)
            await browser.wait_for("vhostStage.inline")  # drawn from the inlined frame
            await _assert_shows(browser, to_bgra(first))
            assert await browser.evaluate("vhostStage.keyframes") == 0
            shown = await browser.evaluate("vhostStage.seq")
            src.publish(second)
            await browser.wait_for(f"vhostStage.seq > {shown}")
            await _assert_shows(browser, to_bgra(second))
            src.stop()  # the show restarts: another source, another epoch, the same port
            src = BrowserSource(port=port)
            src.start()
            src.publish(third)
            await browser.wait_for("vhostStage.keyframes >= 1 && vhostStage.connects >= 2", 15)
            await _assert_shows(browser, to_bgra(third))
            assert await browser.evaluate("vhostStage.errors") == 0
            shot = cv2.imdecode(np.frombuffer(await browser.screenshot(), np.uint8),
                                cv2.IMREAD_UNCHANGED)
            assert shot.shape[2] == 4 and (shot[:, :, 3] == 0).mean() > 0.2  # alpha kept

    try:
        asyncio.run(run())
    finally:
        src.stop()
