"""Delta frames for the browser source: only the tiles that changed since the frame a client
has, packed into one image (an atlas) with the rectangles to copy.

A frame is a BGRA uint8 array (straight alpha, OpenCV's channel order). `DeltaStream` keeps the
last frame and which tiles changed at each of its recent steps, so it can take any client from
the frame it has (`since`) to the current one — one message, the union of the steps' changed
tiles — or send a keyframe (every tile) to a new or too-far-behind client.

Message (one WebSocket binary message):

    b"VHD1" | u32 little-endian header length | header JSON (UTF-8) | image bytes

    header: {"seq": n, "base": since or null (keyframe: clear everything first), "w", "h",
             "mime": "image/png", "rects": [dx, dy, w, h, sx, sy, ...]}

Each rect is copied from the atlas at (sx, sy) to the frame at (dx, dy). Rects are runs of
horizontally adjacent changed tiles; the atlas stacks them on shelves one tile high, as wide as
the frame (a keyframe's atlas is the frame itself). `apply_delta` is the reference decoder; the
page (browser_page.py) does the same with clearRect + drawImage per rect, so alpha is replaced,
not blended.
"""

from __future__ import annotations

import io
import json
import struct
from collections import deque
from dataclasses import dataclass

import cv2
import numpy as np

MAGIC = b"VHD1"
TILE = 64
FORMATS = {"png": "image/png", "webp": "image/webp"}


def changed_tiles(prev: np.ndarray, cur: np.ndarray, tile: int = TILE) -> np.ndarray:
    """bool (rows, cols): which tile x tile cells differ in any pixel (the last row and column
    of tiles may be smaller). One 64-bit compare per two pixels (32-bit for odd widths), then
    an OR over each tile."""
    if prev.shape != cur.shape or prev.ndim != 3 or prev.shape[2] != 4:
        raise ValueError(f"frames must be the same HxWx4 shape, got {prev.shape} and {cur.shape}")
    h, w = cur.shape[:2]
    per = 2 if w % 2 == 0 and tile % 2 == 0 else 1  # pixels per compared word
    diff = _as_words(prev, per) != _as_words(cur, per)  # (h, w / per)
    rows = np.bitwise_or.reduceat(diff.view(np.uint8), np.arange(0, h, tile), axis=0)
    return np.bitwise_or.reduceat(rows, np.arange(0, w // per, tile // per), axis=1).astype(bool)


def _as_words(frame: np.ndarray, per: int) -> np.ndarray:
    h, w = frame.shape[:2]
    return np.ascontiguousarray(frame).reshape(h, w * 4).view(np.uint64 if per == 2 else np.uint32)


def tile_runs(mask: np.ndarray, tile: int, width: int, height: int) -> list[tuple[int, int, int, int]]:
    """(x, y, w, h) of each run of horizontally adjacent changed tiles, clipped to the frame."""
    rects = []
    for r, c0, c1 in _runs(mask):
        x, y = c0 * tile, r * tile
        rects.append((x, y, min(c1 * tile, width) - x, min(tile, height - y)))
    return rects


def _runs(mask: np.ndarray) -> list[tuple[int, int, int]]:
    """(row, first col, end col) of each run of True in each row."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    starts, ends = np.nonzero(edges == 1), np.nonzero(edges == -1)
    return list(zip(starts[0].tolist(), starts[1].tolist(), ends[1].tolist(), strict=True))


def pack(rects: list[tuple[int, int, int, int]], width: int) -> tuple[int, list[tuple[int, int]]]:
    """Shelf packing into an atlas `width` wide: (atlas height, (sx, sy) per rect)."""
    places, x, y, shelf = [], 0, 0, 0
    for _, _, w, h in rects:
        if x + w > width:
            x, y, shelf = 0, y + shelf, 0
        places.append((x, y))
        x += w
        shelf = max(shelf, h)
    return y + shelf, places


def encode_image(rgba: np.ndarray, fmt: str = "png") -> bytes:
    """BGRA -> PNG (no row filters, level 1: flat stage graphics compress well without them and
    it is 3x faster) or lossless WebP (fastest method)."""
    if fmt == "png":
        ok, buf = cv2.imencode(".png", rgba, [cv2.IMWRITE_PNG_COMPRESSION, 1,
                                              cv2.IMWRITE_PNG_FILTER, cv2.IMWRITE_PNG_FILTER_NONE])
        if not ok:
            raise RuntimeError("PNG encoding failed")
        return buf.tobytes()
    if fmt == "webp":
        from PIL import Image

        out = io.BytesIO()
        Image.fromarray(cv2.cvtColor(rgba, cv2.COLOR_BGRA2RGBA), "RGBA").save(
            out, "WEBP", lossless=True, quality=0, method=0, exact=True)
        return out.getvalue()
    raise ValueError(f"unknown image format {fmt!r} (known: {', '.join(FORMATS)})")


def encode_delta(frame: np.ndarray, rects: list[tuple[int, int, int, int]], seq: int,
                 base: int | None, fmt: str = "png") -> bytes:
    """One message: `rects` of `frame`, packed into an atlas."""
    h, w = frame.shape[:2]
    atlas_h, places = pack(rects, w)
    atlas = np.zeros((max(atlas_h, 1), w, 4), np.uint8)
    flat: list[int] = []
    for (x, y, rw, rh), (sx, sy) in zip(rects, places, strict=True):
        atlas[sy:sy + rh, sx:sx + rw] = frame[y:y + rh, x:x + rw]
        flat += [x, y, rw, rh, sx, sy]
    header = json.dumps({"seq": seq, "base": base, "w": w, "h": h, "mime": FORMATS[fmt],
                         "rects": flat}, separators=(",", ":")).encode()
    return MAGIC + struct.pack("<I", len(header)) + header + encode_image(atlas, fmt)


def parse(message: bytes) -> tuple[dict, bytes]:
    """(header, image bytes) of a message; ValueError when it is not one."""
    if len(message) < 8 or message[:4] != MAGIC:
        raise ValueError("not a stage delta message (bad magic)")
    (n,) = struct.unpack_from("<I", message, 4)
    if 8 + n > len(message):
        raise ValueError("truncated stage delta message")
    return json.loads(message[8:8 + n]), message[8 + n:]


def apply_delta(frame: np.ndarray | None, message: bytes) -> tuple[int, np.ndarray]:
    """The reference decoder: (seq, new frame) from the frame a client has and a message.
    A keyframe needs no frame; a delta on a missing or wrong-sized frame is a ValueError."""
    head, data = parse(message)
    w, h = head["w"], head["h"]
    if head["base"] is None:
        out = np.zeros((h, w, 4), np.uint8)
    elif frame is None or frame.shape != (h, w, 4):
        raise ValueError(f"a delta from frame {head['base']} needs that {w}x{h} frame first")
    else:
        out = frame.copy()
    atlas = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if atlas is None or atlas.ndim != 3 or atlas.shape[2] != 4:
        raise ValueError("the message's atlas is not a BGRA image")
    r = head["rects"]
    for i in range(0, len(r), 6):
        x, y, rw, rh, sx, sy = r[i:i + 6]
        out[y:y + rh, x:x + rw] = atlas[sy:sy + rh, sx:sx + rw]
    return head["seq"], out


@dataclass
class _Step:
    seq: int
    mask: np.ndarray


class DeltaStream:
    """The encoder's state: the current frame, its number, and the changed tiles of the last
    `history` steps. Not thread-safe: one thread (the encoder's) owns it."""

    def __init__(self, tile: int = TILE, history: int = 90, fmt: str = "png") -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown image format {fmt!r} (known: {', '.join(FORMATS)})")
        self.tile, self.fmt = tile, fmt
        self.seq = 0  # 0: no frame yet
        self.frame: np.ndarray | None = None
        self._steps: deque[_Step] = deque(maxlen=history)
        self._still: tuple[int, bytes] | None = None

    def advance(self, frame: np.ndarray) -> bool:
        """Make `frame` (not to be written to afterwards) the current one; False when it shows
        exactly what the current one does (nothing to send)."""
        if self.frame is None or self.frame.shape != frame.shape:
            self._steps.clear()  # a new size: everyone needs a keyframe
        else:
            mask = changed_tiles(self.frame, frame, self.tile)
            if not mask.any():
                return False
            self._steps.append(_Step(self.seq + 1, mask))
        self.seq += 1
        self.frame = frame
        return True

    def dirty_since(self, since: int | None) -> np.ndarray | None:
        """Tiles that changed after frame `since`; None when a keyframe is needed (no `since`,
        one from before the kept history, or from the future)."""
        if since is None or since > self.seq or self.frame is None:
            return None
        if since == self.seq:
            return np.zeros((0, 0), bool)
        if not self._steps or self._steps[0].seq > since + 1:
            return None
        masks = [s.mask for s in self._steps if s.seq > since]
        return np.logical_or.reduce(masks)

    def message(self, since: int | None) -> bytes | None:
        """What takes a client from frame `since` to the current one; None when it is current."""
        if self.frame is None:
            return None
        h, w = self.frame.shape[:2]
        dirty = self.dirty_since(since)
        if dirty is None:
            rects, base = [(0, y, w, min(self.tile, h - y)) for y in range(0, h, self.tile)], None
        elif not dirty.any():
            return None
        else:
            rects, base = tile_runs(dirty, self.tile, w, h), since
        return encode_delta(self.frame, rects, self.seq, base, self.fmt)

    def still(self) -> tuple[int, bytes] | None:
        """(seq, PNG) of the current frame, encoded once per frame."""
        if self.frame is None:
            return None
        if self._still is None or self._still[0] != self.seq:
            self._still = (self.seq, encode_image(self.frame, "png"))
        return self._still
