"""Does OBS's Chroma Key filter key the stage cleanly? Measured in real OBS, printed as JSON.

    .venv/bin/python -m bench.obs_key [--screenshot docs/screenshots/obs-chroma-key.png]

For each candidate (stage background colour + Chroma Key filter settings) the demo stage is
rendered offscreen to a PNG, loaded into real OBS (bench/obs_real.py) as an image source with a
`chroma_key_filter_v2`, and OBS's own composite of that source is read back with
GetSourceScreenshot (RGBA). Which pixel is background and which is stage content comes from
rendering the same instant over two different flat colours: a pixel that is the same over both
is content, one that equals the background colour in both is background, the rest (anti-aliased
edges, the card's soft shadow) is left out, as are the 2 px next to them.

- `background_removed`: share of background pixels OBS made transparent (alpha ≤ 8 of 255);
- `content_kept`: share of content pixels left opaque (alpha ≥ 247) and unchanged (every channel
  within 12 of the render); also per region: host, card, caption.

A second scene puts a green product photo on the card ("green_product"): a green key cannot tell
a green product from the backdrop, so its `card` figure shows what such a product loses.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bench.obs_real import RealObs, missing

ALPHA_GONE, ALPHA_KEPT, CHANNEL_TOL = 8, 247, 12
PROBES = ("#00FF00", "#FF00FF")  # two flat backgrounds: the content is what they agree on


@dataclass(frozen=True)
class Candidate:
    name: str
    background: str  # the stage's flat background colour
    settings: dict = field(default_factory=dict)  # Chroma Key filter settings; {} = OBS's defaults


def obs_color(hex_color: str) -> int:
    """'#RRGGBB' -> OBS's colour integer (0xAABBGGRR, opaque)."""
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return 0xFF000000 | b << 16 | g << 8 | r


CANDIDATES = (
    Candidate("00B140 custom key, OBS defaults", "#00B140",
              {"key_color_type": "custom", "key_color": obs_color("#00B140")}),
    Candidate("00B140 custom key, similarity 200", "#00B140",
              {"key_color_type": "custom", "key_color": obs_color("#00B140"), "similarity": 200}),
    Candidate("00B140, OBS defaults (green preset)", "#00B140", {}),
    Candidate("00FF00, OBS defaults (green preset)", "#00FF00", {}),
    Candidate("FF00FF, magenta preset", "#FF00FF", {"key_color_type": "magenta"}),
    Candidate("0000FF, blue preset", "#0000FF", {"key_color_type": "blue"}),
)
# How far can the Similarity slider move before the key breaks, per background colour?
SWEEP = tuple(Candidate(f"{bg[1:]}, green preset, similarity {s}", bg, {"similarity": s})
              for bg in ("#00B140", "#00FF00") for s in (50, 100, 150, 200, 250, 300, 500, 600, 700))


# --- the stage, offscreen ------------------------------------------------------------------
class StageFrames:
    """One frozen instant of the demo show (a caption and a viewer's question on screen)."""

    def __init__(self, seed: int = 7, green_product: Path | None = None) -> None:
        from PySide6.QtGui import QGuiApplication

        from vhost.avatar.character import generate_character
        from vhost.stage.demo_scene import DemoShow
        from vhost.stage.visuals import product_visual
        from vhost.stage.visuals_worker import default_cache_dir

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # renders offscreen; no screen needed
        self._app = QGuiApplication.instance() or QGuiApplication([])
        self.show = DemoShow(seed=seed)
        for p in self.show.products:
            v = product_visual(p.id, p.name, str(p.images[0]) if p.images else None, default_cache_dir())
            self.show.visuals[p.id] = (v.image, v.accent)
        if green_product is not None:
            self.show.visuals[self.show.products[0].id] = (str(green_product), "#2E7D32")
        self.character = generate_character(seed)
        self.at = next(t / 10 for t in range(10, 400)
                       if (s := self.show.scene_at(t / 10)).caption and s.question_text)

    def render(self, background: str) -> np.ndarray:
        """The frame over `background`, as RGB uint8 (H, W, 3)."""
        from PySide6.QtGui import QImage

        from vhost.stage.renderer import StageRenderer

        renderer = StageRenderer(self.character, "landscape", background)
        self.layout = renderer.layout
        img = renderer.render_image(self.show.scene_at(self.at)).convertToFormat(QImage.Format.Format_RGB888)
        rows = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
        return rows[:, : img.width() * 3].reshape(img.height(), img.width(), 3).copy()

    def masks(self) -> tuple[np.ndarray, np.ndarray]:
        """(content, background) boolean masks, edges and 2 px around them left out of both."""
        import cv2

        a, b = (self.render(c) for c in PROBES)
        same = np.all(a == b, axis=2)
        bg = np.all(a == _rgb(PROBES[0]), axis=2) & np.all(b == _rgb(PROBES[1]), axis=2)
        kernel = np.ones((5, 5), np.uint8)
        content = cv2.erode((same & ~bg).astype(np.uint8), kernel).astype(bool)
        background = cv2.erode(bg.astype(np.uint8), kernel).astype(bool)
        self.edges = cv2.dilate((~same & ~bg).astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
        return content, background

    def regions(self) -> dict[str, tuple[slice, slice]]:
        lay = self.layout
        return {name: (slice(int(r.top()), int(r.bottom())), slice(int(r.left()), int(r.right())))
                for name, r in (("host", lay.avatar), ("card", lay.card), ("caption", lay.caption))}


def _rgb(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)], np.uint8)


def save_png(rgb: np.ndarray, path: Path) -> Path:
    import cv2

    if not cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)):
        raise OSError(f"cannot write {path}")
    return path


def green_product_photo(path: Path) -> Path:
    """A product shot that is mostly green (a plant pot with leaves) on a light backdrop."""
    import cv2

    img = np.full((600, 600, 3), (246, 246, 242), np.uint8)  # BGR
    cv2.rectangle(img, (200, 360), (400, 560), (60, 90, 170), -1)  # terracotta pot
    for i, (cx, cy) in enumerate(((300, 220), (220, 280), (380, 280), (260, 150), (340, 150))):
        cv2.ellipse(img, (cx, cy), (70, 40), 30 * i, 0, 360, (40 + 10 * i, 140 + 15 * i, 40), -1)
    cv2.imwrite(str(path), img)
    return path


# --- OBS ----------------------------------------------------------------------------------
async def keyed_screenshot(client, png: Path, settings: dict, name: str,
                           backdrop: str | None = None) -> np.ndarray:
    """Put `png` in a new scene `name` as an image source with a Chroma Key filter (`settings`
    over OBS's defaults), and return OBS's render as RGBA: of the source alone, or of the scene
    with a flat `backdrop` colour behind it."""
    await client.request("CreateScene", {"sceneName": name})
    if backdrop is not None:
        await client.request("CreateInput", {
            "sceneName": name, "inputName": f"{name} backdrop", "inputKind": await _color_kind(client),
            "inputSettings": {"color": obs_color(backdrop), "width": 1920, "height": 1080}})
    await client.request("CreateInput", {"sceneName": name, "inputName": f"{name} stage",
                                         "inputKind": "image_source", "inputSettings": {"file": str(png.resolve())}})
    await client.request("CreateSourceFilter", {"sourceName": f"{name} stage", "filterName": "Chroma Key",
                                                "filterKind": "chroma_key_filter_v2",
                                                "filterSettings": settings})
    deadline = time.monotonic() + 10.0
    while True:  # the image source loads its texture on a later video tick
        shot = await screenshot(client, f"{name} stage")
        if shot[..., 3].any():
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"OBS rendered nothing of {png} in 10 s (unreadable file?)")
        await asyncio.sleep(0.1)
    return shot if backdrop is None else await screenshot(client, name)


async def screenshot(client, source: str, width: int = 1920, height: int = 1080) -> np.ndarray:
    import cv2

    data = await client.request("GetSourceScreenshot", {
        "sourceName": source, "imageFormat": "png", "imageWidth": width, "imageHeight": height})
    raw = base64.b64decode(data["imageData"].split(",", 1)[1])
    bgra = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_UNCHANGED)
    if bgra.ndim == 2 or bgra.shape[2] == 3:
        bgra = cv2.cvtColor(bgra, cv2.COLOR_GRAY2BGRA if bgra.ndim == 2 else cv2.COLOR_BGR2BGRA)
    return cv2.cvtColor(bgra, cv2.COLOR_BGRA2RGBA)


async def _color_kind(client) -> str:
    kinds = (await client.request("GetInputKindList", {"unversioned": False}))["inputKinds"]
    return next(k for k in sorted(kinds, reverse=True) if k.startswith("color_source"))


def score(shot: np.ndarray, render: np.ndarray, content: np.ndarray, background: np.ndarray,
          regions: dict[str, tuple[slice, slice]], edges: np.ndarray | None = None) -> dict:
    alpha = shot[..., 3]
    kept = (alpha >= ALPHA_KEPT) & np.all(
        np.abs(shot[..., :3].astype(int) - render.astype(int)) <= CHANNEL_TOL, axis=2)
    out = {"background_removed": round(float((alpha[background] <= ALPHA_GONE).mean()), 4),
           "content_kept": round(float(kept[content].mean()), 4)}
    if edges is not None:  # edge pixels over mid grey: how many show a green or magenta fringe?
        a = alpha[edges][:, None] / 255.0
        rgb = shot[..., :3][edges] * a + 128.0 * (1.0 - a)
        tint = np.abs(rgb[:, 1] - (rgb[:, 0] + rgb[:, 2]) / 2.0)
        out["edge_fringe"] = round(float((tint > 40).mean()), 4)
    for name, (rows, cols) in regions.items():
        region = content[rows, cols]
        out[name] = round(float(kept[rows, cols][region].mean()), 4) if region.any() else None
    return out


async def measure(obs: RealObs, candidates=CANDIDATES, workdir: Path | None = None,
                  green_product: bool = True) -> list[dict]:
    """Every candidate in one running OBS: the demo stage, and the stage with a green product."""
    from vhost.control.obs import ObsClient

    workdir = workdir or Path(tempfile.mkdtemp(prefix="obs-key-"))
    stages = {"demo": StageFrames()}
    if green_product:
        stages["green_product"] = StageFrames(green_product=green_product_photo(workdir / "plant.png"))
    masks = {k: (s.masks(), s.regions()) for k, s in stages.items()}
    client = ObsClient(obs.url, obs.password)
    await client.connect()
    results = []
    try:
        for i, cand in enumerate(candidates):
            row: dict = {"candidate": cand.name, "background": cand.background, "settings": cand.settings}
            for key, stage in stages.items():
                render = stage.render(cand.background)
                png = save_png(render, workdir / f"{key}-{i}.png")
                shot = await keyed_screenshot(client, png, cand.settings, f"{key} {i}")
                (content, background), regions = masks[key]
                row[key] = score(shot, render, content, background, regions, stage.edges)
            results.append(row)
    finally:
        await client.close()
    return results


async def composite(obs: RealObs, background: str, settings: dict, out: Path,
                    backdrop: str = "#2B4CC8") -> np.ndarray:
    """The keyed stage over a flat `backdrop` colour, as OBS composites its scene; saved to `out`."""
    from vhost.control.obs import ObsClient

    png = save_png(StageFrames().render(background), out.with_suffix(".stage.png"))
    client = ObsClient(obs.url, obs.password)
    await client.connect()
    try:
        shot = await keyed_screenshot(client, png, settings, "composite", backdrop=backdrop)
    finally:
        await client.close()
    png.unlink()
    import cv2

    small = cv2.resize(shot[..., :3], (1280, 720), interpolation=cv2.INTER_AREA)  # docs-sized
    save_png(np.ascontiguousarray(small), out)
    return shot


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--screenshot", type=Path, help="save the default key over a blue backdrop here (1280×720)")
    ap.add_argument("--no-green-product", action="store_true")
    ap.add_argument("--sweep", action="store_true", help="also sweep the Similarity slider")
    args = ap.parse_args()
    if reason := missing():
        raise SystemExit(f"obs_key: {reason}")
    from vhost.config.background import CHROMA_GREEN, CHROMA_KEY_FILTER

    with tempfile.TemporaryDirectory(prefix="obs-key-") as tmp, RealObs.start(Path(tmp) / "obs") as obs:
        candidates = CANDIDATES + (SWEEP if args.sweep else ())
        results = asyncio.run(measure(obs, candidates, Path(tmp), not args.no_green_product))
        if args.screenshot:
            args.screenshot.parent.mkdir(parents=True, exist_ok=True)
            asyncio.run(composite(obs, CHROMA_GREEN, dict(CHROMA_KEY_FILTER), args.screenshot))
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
