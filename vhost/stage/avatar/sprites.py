"""Bring-your-own avatar: a PNGTuber sprite pack (a folder of same-size layer PNGs + a manifest).

    my-pack/
      manifest.toml      (or manifest.json, same structure)
      base.png  eyes_open.png  eyes_closed.png  mouth_closed.png  mouth_open.png  ...

    [pack]
    name = "My host"
    [layers]                       # required: base, eyes_open, eyes_closed, mouth_closed, mouth_open
    base = "base.png"
    eyes_open = "eyes_open.png"
    eyes_closed = "eyes_closed.png"
    mouth_closed = "mouth_closed.png"
    mouth_open = "mouth_open.png"
    [mouths]                       # optional: one image per viseme (rest, MBP, FV, L, WQ, E, AI, O, U, etc)
    AI = "mouth_ai.png"
    [emotions.happy]               # optional: per-emotion replacements of any layer above
    base = "base_happy.png"

Layers are drawn base → eyes → mouth, fitted into the avatar area standing on its bottom edge,
and bob with the same breath/sway/nod the generated character uses. Everything is validated at
load time, so a broken pack fails when the show starts with the file and key named, never
mid-stream.

Live2D is deliberately not here: it needs the user's own model and the Cubism SDK licence. The
plugin point is the same duck type as `SpritePack` — any object with
`paint(painter, rect, pose, look_dir)` and `mouth_rect(rect)` can be handed to `StageRenderer`
as `avatar=`.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QTransform

from vhost.avatar.pose import EMOTIONS, VISEMES, RigPose

REQUIRED_LAYERS = ("base", "eyes_open", "eyes_closed", "mouth_closed", "mouth_open")
MANIFEST_NAMES = ("manifest.toml", "manifest.json")
_OPEN_AT = 0.22  # mouth_open above this shows the open mouth when no per-viseme image exists


class SpritePackError(ValueError):
    """A sprite pack that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class _Images:
    layers: dict[str, QImage]
    mouths: dict[str, QImage]


class SpritePack:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.manifest_path = _find_manifest(self.folder)
        data = _read_manifest(self.manifest_path)
        pack = data.get("pack", {})
        if not isinstance(pack, dict):
            raise SpritePackError(f"{self.manifest_path}: [pack] must be a table")
        self.name = str(pack.get("name", self.folder.name))
        unknown = sorted(set(data) - {"pack", "layers", "mouths", "emotions"})
        if unknown:
            raise SpritePackError(f"{self.manifest_path}: unknown section(s): {', '.join(unknown)}")
        layers = self._table(data, "layers")
        missing = [k for k in REQUIRED_LAYERS if k not in layers]
        if missing:
            raise SpritePackError(
                f"{self.manifest_path}: [layers] is missing {', '.join(missing)}"
            )
        self._check_keys(layers, REQUIRED_LAYERS, "[layers]")
        mouths = self._table(data, "mouths")
        self._check_keys(mouths, VISEMES, "[mouths]")
        base = _Images(
            {k: self._load(v, f"layers.{k}") for k, v in layers.items()},
            {k: self._load(v, f"mouths.{k}") for k, v in mouths.items()},
        )
        self.size = base.layers["base"].size()
        self._by_emotion: dict[str, _Images] = {"neutral": base}
        emotions = self._table(data, "emotions")
        self._check_keys(emotions, EMOTIONS, "[emotions]")
        for emotion, table in emotions.items():
            if not isinstance(table, dict):
                raise SpritePackError(f"{self.manifest_path}: [emotions.{emotion}] must be a table")
            allowed = (*REQUIRED_LAYERS, *(f"mouth_{v}" for v in VISEMES))
            self._check_keys(table, allowed, f"[emotions.{emotion}]")
            over_layers = dict(base.layers)
            over_mouths = dict(base.mouths)
            for key, file in table.items():
                img = self._load(file, f"emotions.{emotion}.{key}")
                if key in REQUIRED_LAYERS:
                    over_layers[key] = img
                else:
                    over_mouths[key.removeprefix("mouth_")] = img
            self._by_emotion[emotion] = _Images(over_layers, over_mouths)
        self._scaled: dict[tuple[int, str, str, int], QImage] = {}

    # -- loading --------------------------------------------------------------------------

    def _table(self, data: dict, key: str) -> dict:
        table = data.get(key, {})
        if not isinstance(table, dict):
            raise SpritePackError(f"{self.manifest_path}: [{key}] must be a table")
        return table

    def _check_keys(self, table: dict, allowed, where: str) -> None:
        bad = sorted(set(table) - set(allowed))
        if bad:
            raise SpritePackError(
                f"{self.manifest_path}: {where} has unknown key(s) {', '.join(bad)}; "
                f"allowed: {', '.join(allowed)}"
            )

    def _load(self, file: object, key: str) -> QImage:
        if not isinstance(file, str) or not file:
            raise SpritePackError(f"{self.manifest_path}: {key} must be a file name")
        path = (self.folder / file).resolve()
        if not path.is_file():
            raise SpritePackError(f"{self.manifest_path}: {key}: no such file {path}")
        img = QImage(str(path))
        if img.isNull():
            raise SpritePackError(f"{self.manifest_path}: {key}: {path} is not a readable image")
        size = getattr(self, "size", None)
        if size is not None and img.size() != size:
            raise SpritePackError(
                f"{self.manifest_path}: {key}: {path.name} is {img.width()}x{img.height()}, "
                f"the base is {size.width()}x{size.height()}; all layers must be the same size"
            )
        if key == "layers.base":
            self.size = img.size()
        return img.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)

    # -- painting -------------------------------------------------------------------------

    def layers_for(self, pose: RigPose) -> list[tuple[str, str]]:
        """(source, key) of the layers drawn for `pose`, bottom to top (also for tests)."""
        emotion = pose.emotion if pose.emotion in self._by_emotion else "neutral"
        imgs = self._by_emotion[emotion]
        eyes = "eyes_closed" if pose.blink > 0.5 else "eyes_open"
        if pose.viseme in imgs.mouths:
            mouth = ("mouths", pose.viseme)
        else:
            mouth = ("layers", "mouth_open" if pose.mouth_open > _OPEN_AT else "mouth_closed")
        return [("layers", "base"), ("layers", eyes), mouth]

    def _fit(self, rect: QRectF) -> QRectF:
        s = min(rect.width() / self.size.width(), rect.height() / self.size.height())
        w, h = self.size.width() * s, self.size.height() * s
        return QRectF(rect.center().x() - w / 2.0, rect.bottom() - h, w, h)

    def mouth_rect(self, rect: QRectF) -> QRectF:
        return self._fit(rect)

    def paint(
        self,
        painter: QPainter,
        rect: QRectF,
        pose: RigPose,
        look_dir: tuple[float, float] = (1.0, 0.0),
    ) -> None:
        del look_dir  # flat sprites have no movable eyes
        emotion = pose.emotion if pose.emotion in self._by_emotion else "neutral"
        imgs = self._by_emotion[emotion]
        target = self._fit(rect)
        # The PNGTuber bob: breath, sway and the emphasis nod move the whole sprite a little.
        bob = QTransform()
        bob.translate(pose.sway * 0.006 * target.width(), (pose.nod * 0.012 - pose.breath * 0.004)
                      * target.height())
        dev = painter.transform()
        scale = (dev.m11() ** 2 + dev.m12() ** 2) ** 0.5 * target.width() / self.size.width()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.setTransform(bob, True)
        for source, key in self.layers_for(pose):
            img = (imgs.layers if source == "layers" else imgs.mouths)[key]
            painter.drawImage(target, self._scaled_image(img, emotion, f"{source}.{key}", scale))
        painter.restore()

    def _scaled_image(self, img: QImage, emotion: str, key: str, scale: float) -> QImage:
        """Downscale once per device scale: smooth-scaling a big PNG every frame costs ms."""
        step = max(1, round(scale * 200))
        if step >= 200:
            return img
        cache_key = (id(img), emotion, key, step)
        out = self._scaled.get(cache_key)
        if out is None:
            out = img.scaled(
                max(1, round(img.width() * step / 200)),
                max(1, round(img.height() * step / 200)),
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self._scaled[cache_key] = out
        return out


def _find_manifest(folder: Path) -> Path:
    if not folder.is_dir():
        raise SpritePackError(f"sprite pack folder {folder} does not exist")
    for name in MANIFEST_NAMES:
        if (folder / name).is_file():
            return folder / name
    raise SpritePackError(f"sprite pack {folder} has no {' or '.join(MANIFEST_NAMES)}")


def _read_manifest(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:  # a bad copy or a binary file: name it
        raise SpritePackError(f"{path}: cannot read the manifest: {exc}") from exc
    try:
        data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise SpritePackError(f"{path}: not valid {path.suffix[1:].upper()}: {exc}") from exc
    if not isinstance(data, dict):
        raise SpritePackError(f"{path}: the manifest must be a table/object")
    return data


__all__ = ["SpritePack", "SpritePackError", "REQUIRED_LAYERS"]
