"""`vhost render-stage`, `vhost avatar gallery`, `vhost avatar new` through the real CLI parser."""

import numpy as np
import pytest
from PySide6.QtGui import QImage

from tests.test_stage_renderer import to_array
from vhost.app.cli import main
from vhost.app.cli_stage import parse_seeds
from vhost.avatar.character import generate_character, load_character


@pytest.mark.slow
def test_render_stage_both_layouts(qapp, tmp_path):
    cache = str(tmp_path / "cache")
    outs = {}
    for layout, size in (("landscape", (960, 540)), ("portrait", (540, 960))):
        out = tmp_path / f"{layout}.png"
        assert main(["render-stage", "--seed", "7", "--layout", layout, "--at", "5",
                     "--width", str(size[0]), "--cache-dir", cache, "--out", str(out)]) == 0
        img = QImage(str(out))
        assert (img.width(), img.height()) == size
        outs[layout] = to_array(img)
    # Transparent background really is transparent around the avatar and the card.
    out = tmp_path / "alpha.png"
    assert main(["render-stage", "--background", "transparent", "--width", "480", "--no-visuals",
                 "--out", str(out)]) == 0
    alpha = to_array(QImage(str(out)), 4)[:, :, 3]
    assert alpha[0, 0] == 0 and (alpha == 255).mean() > 0.2


def test_render_stage_same_seed_same_frame(qapp, tmp_path):
    frames = []
    for i, seed in enumerate((3, 3, 4)):
        out = tmp_path / f"{i}.png"
        main(["render-stage", "--seed", str(seed), "--at", "9.5", "--width", "480",
              "--no-visuals", "--out", str(out)])
        frames.append(to_array(QImage(str(out))).astype(int))
    assert np.array_equal(frames[0], frames[1])
    assert np.abs(frames[0] - frames[2]).mean() > 2.0


def test_gallery_and_new_character(qapp, tmp_path, capsys):
    grid = tmp_path / "grid.png"
    assert main(["avatar", "gallery", "--seeds", "1-6", "--columns", "3", "--cell", "120",
                 "--out", str(grid)]) == 0
    img = QImage(str(grid))
    assert img.width() == 360 and img.height() == 2 * round(120 * 1.12)
    char = tmp_path / "host.toml"
    assert main(["avatar", "new", "--seed", "5", "--presentation", "feminine",
                 "--skin-tone", "light", "--out", str(char)]) == 0
    c = load_character(char)
    assert c == generate_character(5, {"presentation": "feminine", "skin_tone": "light"})
    # The edited file drives render-stage.
    out = tmp_path / "f.png"
    assert main(["render-stage", "--character", str(char), "--width", "320", "--no-visuals",
                 "--out", str(out)]) == 0
    assert main(["avatar", "gallery", "--seeds", "x-3", "--out", str(grid)]) == 2
    assert "seeds must look like" in capsys.readouterr().err


def test_parse_seeds():
    assert parse_seeds("1-4,9") == [1, 2, 3, 4, 9]
    with pytest.raises(ValueError):
        parse_seeds("5-1")
