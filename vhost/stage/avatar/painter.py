"""Paints the whole bust for one RigPose: body, then the head layers under a small sway/breath
transform. Static layers are cached as images per (character, scale); the result depends only
on the arguments, so a pose always looks the same."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QTransform

from vhost.avatar.character import Character
from vhost.avatar.pose import RigPose
from vhost.stage.avatar.accessories import paint_earrings, paint_glasses, paint_headband
from vhost.stage.avatar.body import paint_body, paint_necklace
from vhost.stage.avatar.face import (
    MOUTH_Y,
    paint_blush,
    paint_brows,
    paint_ears,
    paint_eyes,
    paint_face,
    paint_nose,
)
from vhost.stage.avatar.hair import paint_hair_back, paint_hair_front
from vhost.stage.avatar.mouth import paint_mouth

# The bust in head-local units (origin between the eyes): shoulders +-425, bun/quiff tops
# near -335, cut off at the chest.
BUST_BOX = QRectF(-460.0, -345.0, 920.0, 945.0)
_NECK_PIVOT = QPointF(0.0, 250.0)

# Per-emotion head carriage: (extra tilt degrees, extra y offset). Small, but it is what makes
# "thinking" and "sad" read from a distance.
_CARRIAGE = {
    "neutral": (0.0, 0.0),
    "happy": (1.5, -2.0),
    "excited": (-1.0, -6.0),
    "surprised": (0.0, -8.0),
    "thinking": (5.0, 0.0),
    "sad": (-3.0, 7.0),
}


def bust_transform(rect: QRectF) -> QTransform:
    """Maps head-local units into `rect`: uniform scale, centred, standing on rect's bottom."""
    s = min(rect.width() / BUST_BOX.width(), rect.height() / BUST_BOX.height())
    t = QTransform()
    t.translate(
        rect.center().x() - BUST_BOX.center().x() * s, rect.bottom() - BUST_BOX.bottom() * s
    )
    t.scale(s, s)
    return t


def mouth_rect(rect: QRectF, character: Character) -> QRectF:
    """Where the mouth sits in `rect` coordinates (rest pose), with margin for sway."""
    del character  # every face shape shares the mouth anchor; kept for API stability
    return bust_transform(rect).mapRect(QRectF(-95.0, MOUTH_Y - 55.0, 190.0, 120.0))


def head_transform(pose: RigPose) -> QTransform:
    tilt, dy = _CARRIAGE.get(pose.emotion, (0.0, 0.0))
    t = QTransform()
    t.translate(pose.sway * 7.0, -pose.breath * 3.0 + dy + pose.nod * 9.0)
    t.translate(_NECK_PIVOT.x(), _NECK_PIVOT.y())
    t.rotate(pose.sway * 2.2 + tilt)
    # A 2D nod: the head drops and foreshortens a little around the neck, as a chin dip does.
    t.scale(1.0, 1.0 - 0.025 * pose.nod)
    t.translate(-_NECK_PIVOT.x(), -_NECK_PIVOT.y())
    return t


def _paint_back(p: QPainter, character: Character, emotion: str) -> None:
    paint_hair_back(p, character)


def _paint_body(p: QPainter, character: Character, emotion: str) -> None:
    paint_body(p, character)
    if character.accessory == "necklace":
        paint_necklace(p)


def _paint_face(p: QPainter, character: Character, emotion: str) -> None:
    paint_ears(p, character)
    if character.accessory == "earrings":
        paint_earrings(p)
    paint_face(p, character)
    paint_blush(p, character, emotion)
    paint_nose(p, character)


def _paint_front(p: QPainter, character: Character, emotion: str) -> None:
    if character.accessory == "glasses":
        paint_glasses(p, character)
    paint_hair_front(p, character)
    if character.accessory == "headband":
        paint_headband(p, character)


_LAYERS = {  # name -> (painter, bounds in local units)
    "back": (_paint_back, QRectF(-250.0, -350.0, 500.0, 730.0)),
    "body": (_paint_body, QRectF(-430.0, 90.0, 860.0, 530.0)),
    "face": (_paint_face, QRectF(-200.0, -230.0, 400.0, 450.0)),
    "front": (_paint_front, QRectF(-250.0, -340.0, 500.0, 720.0)),
}
_SCALE_STEPS = 200.0  # cache key resolution: 0.5% steps of device pixels per unit


@lru_cache(maxsize=48)
def _layer_image(
    character: Character, layer: str, scale_key: int, emotion: str
) -> tuple[QImage, QRectF]:
    """A static layer rendered once at device resolution, cropped to its opaque pixels.

    Hair, skin, outfit and their gradients cost ~15 ms per 1080p frame as vectors but never
    change for a character (the face layer only per emotion, for the blush); a cached image
    blitted under the head transform costs a fraction of that. Returns (image, where it goes
    in local units).
    """
    paint, bounds = _LAYERS[layer]
    scale = scale_key / _SCALE_STEPS
    img = QImage(
        max(1, math.ceil(bounds.width() * scale)),
        max(1, math.ceil(bounds.height() * scale)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.scale(scale, scale)
    p.translate(-bounds.left(), -bounds.top())
    paint(p, character, emotion)
    p.end()
    # Crop away the transparent margin: blit cost is proportional to the image area.
    rows = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
    alpha = rows[:, 3 : img.width() * 4 : 4]  # BGRA in memory on little-endian hosts
    ys = np.flatnonzero(alpha.any(axis=1))
    xs = np.flatnonzero(alpha.any(axis=0))
    if len(ys) == 0:
        return QImage(), QRectF()
    x0, x1, y0, y1 = int(xs[0]), int(xs[-1]) + 1, int(ys[0]), int(ys[-1]) + 1
    cropped = img.copy(x0, y0, x1 - x0, y1 - y0)
    where = QRectF(
        bounds.left() + x0 / scale, bounds.top() + y0 / scale, (x1 - x0) / scale, (y1 - y0) / scale
    )
    return cropped, where


def _blit(p: QPainter, character: Character, layer: str, scale_key: int, emotion: str = "") -> None:
    img, where = _layer_image(character, layer, scale_key, emotion)
    if img.isNull():
        return
    t = p.transform()
    if abs(t.m12()) < 1e-9 and abs(t.m21()) < 1e-9 and t.m11() > 0 and t.m22() > 0:
        # Unrotated (the body): snap to whole device pixels and blit 1:1, the raster
        # engine's fast path; a one-pixel step in a slow breath is invisible.
        top_left = t.map(where.topLeft())
        p.save()
        p.resetTransform()
        p.drawImage(QPointF(round(top_left.x()), round(top_left.y())), img)
        p.restore()
    else:
        p.drawImage(where, img)


def paint_character(
    painter: QPainter,
    rect: QRectF,
    character: Character,
    pose: RigPose,
    look_dir: tuple[float, float] = (1.0, 0.0),
) -> None:
    """`look_dir`: unit direction (viewer space) from the face to the product card; the eyes
    turn that way by `pose.look`."""
    p = painter
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    p.setTransform(bust_transform(rect), True)
    base = p.transform()
    scale_key = max(1, round(math.sqrt(abs(base.determinant())) * _SCALE_STEPS))
    emotion = pose.emotion if pose.emotion in _CARRIAGE else "neutral"
    head = head_transform(pose) * base
    # Shoulders rise with the breath and follow the sway less than the head does.
    body = QTransform().translate(pose.sway * 2.5, -pose.breath * 4.0) * base

    p.setTransform(head)
    _blit(p, character, "back", scale_key)
    p.setTransform(body)
    _blit(p, character, "body", scale_key)
    p.setTransform(head)
    _blit(p, character, "face", scale_key, emotion)
    # Everything that moves frame to frame stays vector.
    gaze = (look_dir[0] * pose.look, look_dir[1] * pose.look)
    paint_eyes(p, character, emotion, pose.blink, pose.sway, gaze)
    paint_brows(p, character, emotion)
    p.save()
    p.translate(0.0, MOUTH_Y)
    paint_mouth(p, character, pose.viseme, pose.mouth_open, emotion)
    p.restore()
    _blit(p, character, "front", scale_key)
    p.restore()
