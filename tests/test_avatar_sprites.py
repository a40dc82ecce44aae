"""PNGTuber sprite packs: a tiny pack drawn with numpy/cv2 in tmp, loaded and rendered on the
real stage; broken manifests fail with the file and key named."""

import json

import cv2
import numpy as np
import pytest
from PySide6.QtGui import QImage

from vhost.avatar.character import generate_character
from vhost.avatar.pose import RigPose
from vhost.stage.avatar.sprites import SpritePack, SpritePackError
from vhost.stage.renderer import StageRenderer
from vhost.stage.scene import StageScene

W, H = 200, 240



def _layer(draw) -> np.ndarray:
    img = np.zeros((H, W, 4), np.uint8)
    draw(img)
    return img


def make_pack(folder, manifest: dict | None = None, fmt: str = "toml") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    layers = {
        "base.png": lambda im: cv2.circle(im, (100, 120), 90, (80, 160, 230, 255), -1),
        "base_sad.png": lambda im: cv2.circle(im, (100, 120), 90, (200, 120, 60, 255), -1),
        "eyes_open.png": lambda im: [cv2.circle(im, (x, 95), 12, (255, 255, 255, 255), -1)
                                     for x in (70, 130)],
        "eyes_closed.png": lambda im: [cv2.line(im, (x - 12, 95), (x + 12, 95), (0, 0, 0, 255), 4)
                                       for x in (70, 130)],
        "mouth_closed.png": lambda im: cv2.line(im, (80, 160), (120, 160), (0, 0, 0, 255), 4),
        "mouth_open.png": lambda im: cv2.ellipse(im, (100, 160), (22, 16), 0, 0, 360,
                                                 (30, 20, 120, 255), -1),
        "mouth_o.png": lambda im: cv2.circle(im, (100, 160), 14, (0, 0, 200, 255), -1),
    }
    for name, draw in layers.items():
        cv2.imwrite(str(folder / name), _layer(draw))
    data = manifest if manifest is not None else {
        "pack": {"name": "Blob"},
        "layers": {"base": "base.png", "eyes_open": "eyes_open.png",
                   "eyes_closed": "eyes_closed.png", "mouth_closed": "mouth_closed.png",
                   "mouth_open": "mouth_open.png"},
        "mouths": {"O": "mouth_o.png"},
        "emotions": {"sad": {"base": "base_sad.png"}},
    }
    if fmt == "json":
        (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    else:
        lines = []
        for section, table in data.items():
            if section == "emotions":
                for emo, sub in table.items():
                    lines.append(f"[emotions.{emo}]")
                    lines += [f'{k} = "{v}"' for k, v in sub.items()]
            else:
                lines.append(f"[{section}]")
                lines += [f'{k} = "{v}"' for k, v in table.items()]
        (folder / "manifest.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _arr(img: QImage) -> np.ndarray:
    img = img.convertToFormat(QImage.Format.Format_RGBA8888)
    rows = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
    return rows[:, : img.width() * 4].reshape(img.height(), img.width(), 4).copy()


def render(renderer, pose: RigPose) -> np.ndarray:
    from PySide6.QtCore import QSize

    return _arr(renderer.render_image(StageScene(t=0.0, pose=pose), QSize(480, 270)))


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_pack_loads_and_picks_layers(qapp, tmp_path, fmt):
    make_pack(tmp_path / "p", fmt=fmt)
    pack = SpritePack(tmp_path / "p")
    assert pack.name == "Blob" and (pack.size.width(), pack.size.height()) == (W, H)
    assert pack.layers_for(RigPose()) == [("layers", "base"), ("layers", "eyes_open"),
                                          ("layers", "mouth_closed")]
    assert pack.layers_for(RigPose(blink=1.0, viseme="AI", mouth_open=0.9))[1:] == [
        ("layers", "eyes_closed"), ("layers", "mouth_open")]
    assert pack.layers_for(RigPose(viseme="O", mouth_open=0.7))[2] == ("mouths", "O")


def test_pack_renders_on_the_stage(qapp, tmp_path):
    make_pack(tmp_path / "p")
    r = StageRenderer(generate_character(1), "landscape", "#00B140", avatar=SpritePack(tmp_path / "p"))
    rest = render(r, RigPose())
    talking = render(r, RigPose(viseme="AI", mouth_open=0.9))
    blink = render(r, RigPose(blink=1.0))
    sad = render(r, RigPose(emotion="sad"))
    # The sprite replaced the generated character: its orange disc is on the stage.
    orange = (rest[:, :, 0] > 200) & (rest[:, :, 2] < 120)
    assert orange.sum() > 2000
    for other in (talking, blink, sad):
        assert np.abs(other.astype(int) - rest.astype(int)).sum() > 5000
    # The sad variant swaps the base colour (to blue), not just a small part.
    assert ((sad[:, :, 2] > 180) & (sad[:, :, 0] < 100)).sum() > 2000
    assert r.mouth_rect().width() > 0


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m["layers"].pop("eyes_closed"), "missing eyes_closed"),
        (lambda m: m["layers"].update(mouth_open="nope.png"), "layers.mouth_open: no such file"),
        (lambda m: m["mouths"].update(XYZ="mouth_o.png"), r"\[mouths\] has unknown key"),
        (lambda m: m["emotions"].update(furious={"base": "base.png"}), r"\[emotions\] has unknown"),
        (lambda m: m.update(extra={"a": "b"}), "unknown section"),
    ],
)
def test_broken_manifest_is_a_clear_error(qapp, tmp_path, edit, message):
    manifest = {
        "layers": {"base": "base.png", "eyes_open": "eyes_open.png",
                   "eyes_closed": "eyes_closed.png", "mouth_closed": "mouth_closed.png",
                   "mouth_open": "mouth_open.png"},
        "mouths": {"O": "mouth_o.png"},
        "emotions": {},
    }
    edit(manifest)
    make_pack(tmp_path / "p", manifest, fmt="json")
    with pytest.raises(SpritePackError, match=message):
        SpritePack(tmp_path / "p")


def test_bad_files_are_clear_errors(qapp, tmp_path):
    with pytest.raises(SpritePackError, match="does not exist"):
        SpritePack(tmp_path / "none")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SpritePackError, match="no manifest"):
        SpritePack(tmp_path / "empty")
    make_pack(tmp_path / "p")
    (tmp_path / "p" / "manifest.toml").write_text("[layers\nbase=", encoding="utf-8")
    with pytest.raises(SpritePackError, match="not valid TOML"):
        SpritePack(tmp_path / "p")
    make_pack(tmp_path / "q")
    (tmp_path / "q" / "mouth_open.png").write_bytes(b"not a png")
    with pytest.raises(SpritePackError, match="not a readable image"):
        SpritePack(tmp_path / "q")
    make_pack(tmp_path / "r")
    cv2.imwrite(str(tmp_path / "r" / "eyes_open.png"), np.zeros((10, 10, 4), np.uint8))
    with pytest.raises(SpritePackError, match="same size"):
        SpritePack(tmp_path / "r")
