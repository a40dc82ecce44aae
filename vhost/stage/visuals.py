"""Product visuals from the catalog: a cut-out photo with a soft shadow and a colour palette that
themes the card, or a generated placeholder when a product has no photo.

Pure OpenCV/numpy (no Qt), because it runs in a worker process: a grabCut on a 600 px photo takes
a few hundred ms, far too long for the stage thread. Results are cached on disk, keyed by the
photo's bytes, so each product is computed once per photo, not once per show.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np

log = logging.getLogger(__name__)

VERSION = 2  # bump when the algorithm changes: old cache entries are then ignored
_MAX_SIDE = 720  # photos are downscaled to this before the cut-out: the card never shows more
_SHADOW_PAD = 0.12  # transparent margin (fraction of the side) that holds the shadow


@dataclass(frozen=True)
class ProductVisual:
    image: str  # RGBA PNG: the cut-out (or placeholder) with its shadow, transparent around
    palette: tuple[str, ...]  # dominant colours, most frequent first, '#RRGGBB'
    accent: str  # the palette colour the card uses for price, badge and stock bar
    cutout: bool  # False: the photo could not be separated, or there was no photo

    def to_dict(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_dict(d: dict) -> ProductVisual:
        return ProductVisual(d["image"], tuple(d["palette"]), d["accent"], bool(d["cutout"]))


def product_visual(
    product_id: str, name: str, image_path: str | None, cache_dir: str | Path
) -> ProductVisual:
    """The visual for one product: from the disk cache when present, else computed and stored."""
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    data = b""
    if image_path:
        try:
            data = Path(image_path).read_bytes()
        except OSError as exc:
            log.warning("product %s: cannot read photo %s (%s); using a placeholder", product_id,
                        image_path, exc)
    key = hashlib.sha1(f"v{VERSION}|{product_id}|{name}|".encode() + data).hexdigest()[:16]
    meta = cache / f"{product_id}-{key}.json"
    if meta.is_file():
        try:
            visual = ProductVisual.from_dict(json.loads(meta.read_text(encoding="utf-8")))
            if Path(visual.image).is_file():
                return visual
        except (ValueError, KeyError, TypeError):
            pass  # a damaged cache entry is recomputed
    photo = _decode(data) if data else None
    if photo is not None:
        rgba, ok = cutout(photo)
    else:
        rgba, ok = placeholder(name), False
    palette = dominant_colors(rgba)
    composed = with_shadow(rgba)
    out = cache / f"{product_id}-{key}.png"
    cv2.imwrite(str(out), composed)
    visual = ProductVisual(str(out), palette, pick_accent(palette), ok)
    meta.write_text(json.dumps(visual.to_dict()), encoding="utf-8")
    return visual


def _decode(data: bytes) -> np.ndarray | None:
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if img is None:
        return None
    if img.ndim == 2:
        img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGRA)
    elif img.shape[2] == 3:
        img = cv2.cvtColor(img, cv2.COLOR_BGR2BGRA)
    s = _MAX_SIDE / max(img.shape[:2])
    if s < 1.0:
        img = cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
    return img


def cutout(bgra: np.ndarray) -> tuple[np.ndarray, bool]:
    """Separate the product from a plain backdrop. Returns (BGRA with a feathered alpha, ok).

    A photo that already has transparency is kept as it is. Otherwise the backdrop colour is
    the median of the border pixels; pixels far from it seed grabCut as probable foreground
    (the rest as probable background, the border as sure background), and grabCut refines the
    edge along colour boundaries. Shadows and highlights on the backdrop stay close to its colour
    and fall away. If the result is implausible (almost nothing or almost everything), the photo
    is used uncut.
    """
    alpha = bgra[:, :, 3]
    if (alpha < 250).mean() > 0.02:
        return bgra.copy(), True
    bgr = np.ascontiguousarray(bgra[:, :, :3])
    h, w = bgr.shape[:2]
    b = max(2, min(h, w) // 40)
    border = np.concatenate([bgr[:b].reshape(-1, 3), bgr[-b:].reshape(-1, 3),
                             bgr[:, :b].reshape(-1, 3), bgr[:, -b:].reshape(-1, 3)])
    backdrop = np.median(border, axis=0)
    lab = cv2.cvtColor(bgr, cv2.COLOR_BGR2LAB).astype(np.float32)
    back_lab = cv2.cvtColor(backdrop.astype(np.uint8).reshape(1, 1, 3), cv2.COLOR_BGR2LAB)
    dist = np.linalg.norm(lab - back_lab.astype(np.float32).reshape(1, 1, 3), axis=2)
    spread = float(np.percentile(np.linalg.norm(
        cv2.cvtColor(border.reshape(-1, 1, 3).astype(np.uint8), cv2.COLOR_BGR2LAB).reshape(-1, 3)
        .astype(np.float32) - back_lab.reshape(1, 3), axis=1), 98))
    fg = (dist > max(14.0, spread * 1.6)).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7))
    fg = cv2.morphologyEx(fg, cv2.MORPH_CLOSE, kernel, iterations=2)
    fg = cv2.morphologyEx(fg, cv2.MORPH_OPEN, kernel)
    if not 0.01 < fg.mean() < 0.95:
        return bgra.copy(), False
    mask = np.where(fg > 0, cv2.GC_PR_FGD, cv2.GC_PR_BGD).astype(np.uint8)
    mask[:b], mask[-b:], mask[:, :b], mask[:, -b:] = (cv2.GC_BGD,) * 4
    sure = cv2.erode(fg, kernel, iterations=3)
    mask[sure > 0] = cv2.GC_FGD
    bg_model = np.zeros((1, 65), np.float64)
    fg_model = np.zeros((1, 65), np.float64)
    try:
        cv2.grabCut(bgr, mask, None, bg_model, fg_model, 3, cv2.GC_INIT_WITH_MASK)
        solid = np.isin(mask, (cv2.GC_FGD, cv2.GC_PR_FGD)).astype(np.uint8)
    except cv2.error:
        solid = fg
    # Keep the pieces that matter (a mug and its handle), drop specks.
    n, labels, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=8)
    if n <= 1:
        return bgra.copy(), False
    biggest = stats[1:, cv2.CC_STAT_AREA].max()
    keep = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= 0.02 * biggest]
    solid = np.isin(labels, keep).astype(np.uint8)
    if not 0.01 < solid.mean() < 0.95:
        return bgra.copy(), False
    feather = cv2.GaussianBlur(solid.astype(np.float32), (0, 0), 1.2)
    out = bgra.copy()
    out[:, :, 3] = np.clip(feather * 255.0, 0, 255).astype(np.uint8)
    return _crop_to_alpha(out), True


def _crop_to_alpha(bgra: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(bgra[:, :, 3] > 8)
    if len(ys) == 0:
        return bgra
    return bgra[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].copy()


def with_shadow(bgra: np.ndarray) -> np.ndarray:
    """Square RGBA canvas: a soft drop shadow (blurred alpha, offset down) under the object,
    plus a contact shadow ellipse where it stands."""
    h, w = bgra.shape[:2]
    side = int(max(h, w) * (1 + 2 * _SHADOW_PAD))
    canvas = np.zeros((side, side, 4), np.float32)
    y0, x0 = (side - h) // 2 - int(side * 0.02), (side - w) // 2
    a = bgra[:, :, 3].astype(np.float32) / 255.0
    shadow = np.zeros((side, side), np.float32)
    dy = int(side * 0.035)
    shadow[y0 + dy : y0 + dy + h, x0 : x0 + w] = a * 0.35
    foot_y = min(side - 1, y0 + h)
    cv2.ellipse(shadow, (side // 2, foot_y), (int(w * 0.42), max(2, int(side * 0.025))), 0, 0, 360,
                0.45, -1)
    shadow = cv2.GaussianBlur(shadow, (0, 0), side * 0.025)
    canvas[:, :, 3] = shadow
    canvas[:, :, :3] = 20.0 / 255.0  # shadow colour: near black
    fg = bgra.astype(np.float32) / 255.0
    region = canvas[y0 : y0 + h, x0 : x0 + w]
    # "Over" compositing in straight alpha.
    out_a = fg[:, :, 3:] + region[:, :, 3:] * (1 - fg[:, :, 3:])
    safe = np.maximum(out_a, 1e-6)
    region[:, :, :3] = (fg[:, :, :3] * fg[:, :, 3:] + region[:, :, :3] * region[:, :, 3:]
                        * (1 - fg[:, :, 3:])) / safe
    region[:, :, 3:] = out_a
    return np.clip(canvas * 255.0 + 0.5, 0, 255).astype(np.uint8)


def dominant_colors(bgra: np.ndarray, k: int = 4) -> tuple[str, ...]:
    """k-means over the opaque pixels (subsampled); cluster centres, most frequent first."""
    px = bgra[bgra[:, :, 3] > 200][:, :3].astype(np.float32)
    if len(px) < k:
        return ("#7C5CFF",)
    step = max(1, len(px) // 6000)
    px = px[::step]
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 1.0)
    cv2.setRNGSeed(1234)  # k-means++ init is random: fix it so the palette is reproducible
    _, labels, centers = cv2.kmeans(px, k, None, criteria, 3, cv2.KMEANS_PP_CENTERS)
    counts = np.bincount(labels.ravel(), minlength=k)
    order = np.argsort(-counts, kind="stable")
    return tuple("#{:02X}{:02X}{:02X}".format(*(int(round(c)) for c in centers[i][::-1]))
                 for i in order)


def pick_accent(palette: tuple[str, ...]) -> str:
    """The most colourful palette entry that is dark enough for white text on it; a neutral
    product gets the stage's default red."""
    best, best_score = "#E5484D", 0.0
    for rank, hexc in enumerate(palette):  # most frequent first: favour what covers the product
        r, g, b = (int(hexc[i : i + 2], 16) for i in (1, 3, 5))
        hsv = cv2.cvtColor(np.uint8([[[b, g, r]]]), cv2.COLOR_BGR2HSV)[0, 0]
        sat, val = hsv[1] / 255.0, hsv[2] / 255.0
        if sat < 0.28 or val < 0.25:
            continue
        score = sat * (1.0 - abs(val - 0.62)) / (1.0 + 0.5 * rank)
        if score > best_score:
            best, best_score = hexc, score
    if best_score == 0.0:
        return best
    r, g, b = (int(best[i : i + 2], 16) for i in (1, 3, 5))
    luma = 0.2126 * r + 0.7152 * g + 0.0722 * b
    if luma > 150:  # too light for white text: darken, keeping the hue
        f = 150 / luma
        best = f"#{int(r * f):02X}{int(g * f):02X}{int(b * f):02X}"
    return best


def placeholder(name: str, side: int = 480) -> np.ndarray:
    """A generated stand-in: a rounded tile in a colour derived from the name, with a simple
    gift-box glyph (Hershey fonts cannot draw CJK names, a glyph works in every language)."""
    hue = int(hashlib.sha1(name.encode()).hexdigest()[:4], 16) % 180
    top = cv2.cvtColor(np.uint8([[[hue, 120, 235]]]), cv2.COLOR_HSV2BGR)[0, 0].astype(np.float32)
    bottom = cv2.cvtColor(np.uint8([[[hue, 170, 170]]]), cv2.COLOR_HSV2BGR)[0, 0].astype(np.float32)
    t = np.linspace(0.0, 1.0, side, dtype=np.float32)[:, None, None]
    img = np.zeros((side, side, 4), np.uint8)
    img[:, :, :3] = (top * (1 - t) + bottom * t).astype(np.uint8).repeat(side, axis=1)
    mask = np.zeros((side, side), np.uint8)
    r = side // 8
    cv2.rectangle(mask, (r, 0), (side - r, side - 1), 255, -1)
    cv2.rectangle(mask, (0, r), (side - 1, side - r), 255, -1)
    for cx, cy in ((r, r), (side - r - 1, r), (r, side - r - 1), (side - r - 1, side - r - 1)):
        cv2.circle(mask, (cx, cy), r, 255, -1, cv2.LINE_AA)
    img[:, :, 3] = mask
    white = (255, 255, 255, 255)
    s = side
    cv2.rectangle(img, (int(s * .28), int(s * .42)), (int(s * .72), int(s * .74)), white, -1, cv2.LINE_AA)
    cv2.rectangle(img, (int(s * .24), int(s * .34)), (int(s * .76), int(s * .44)), white, -1, cv2.LINE_AA)
    ribbon = tuple(int(c) for c in bottom) + (255,)
    cv2.rectangle(img, (int(s * .47), int(s * .34)), (int(s * .53), int(s * .74)), ribbon, -1)
    cv2.ellipse(img, (int(s * .43), int(s * .30)), (int(s * .08), int(s * .05)), 20, 0, 360, white, 10, cv2.LINE_AA)
    cv2.ellipse(img, (int(s * .57), int(s * .30)), (int(s * .08), int(s * .05)), -20, 0, 360, white, 10, cv2.LINE_AA)
    return img
