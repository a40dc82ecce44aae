import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import colorsys  # noqa: E402
import json  # noqa: E402
from dataclasses import asdict, replace  # noqa: E402

import pytest  # noqa: E402

from vhost.avatar.character import (  # noqa: E402
    Character,
    character_from_dict,
    generate_character,
    load_character,
    save_character,
)


def test_same_seed_same_character():
    assert generate_character(7) == generate_character(7)
    assert generate_character(123456789) == generate_character(123456789)


def test_different_seeds_differ():
    chars = [generate_character(s) for s in range(40)]
    looks = {tuple(v for k, v in asdict(c).items() if k != "seed") for c in chars}
    assert len(looks) == len(chars)  # no two of the first 40 seeds look alike
    # ...and they vary along every axis, not just one.
    for field in ("face_shape", "hair_style", "skin_tone", "outfit_style", "presentation"):
        assert len({getattr(c, field) for c in chars}) >= 3, field


def test_generated_outfits_avoid_chroma_green():
    key_hue = colorsys.rgb_to_hsv(0x00 / 255, 0xB1 / 255, 0x40 / 255)[0] * 360
    for seed in range(300):
        c = generate_character(seed)
        rgb = [int(c.outfit_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        h, s, _ = colorsys.rgb_to_hsv(*rgb)
        if s > 0.2:
            assert abs(h * 360 - key_hue) > 50, (seed, c.outfit_color)


def test_save_load_round_trip(tmp_path):
    c = generate_character(42)
    path = tmp_path / "host.json"
    save_character(c, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["hair_style"] == c.hair_style
    assert load_character(path) == c
    # A streamer's hand edit survives the round trip.
    data["hair_color"] = "#C97B98"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_character(path) == replace(c, hair_color="#C97B98")


def test_bad_json_is_a_clear_value_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"seed": 1, "face_shape": ', encoding="utf-8")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_character(path)
    with pytest.raises(ValueError, match="cannot read"):
        load_character(tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"hair_style": "mohawk"}, "hair_style must be one of"),
        ({"skin_tone": "peach"}, "skin_tone must be a color"),
        ({"seed": "seven"}, "seed must be an integer"),
        ({"sparkles": True}, "unknown field"),
        ({"version": 9}, "unsupported character file version"),
    ],
)
def test_invalid_fields_are_named(tmp_path, edit, message):
    data = {"version": 1, **asdict(generate_character(3)), **edit}
    path = tmp_path / "c.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_character(path)


def test_missing_field_is_named():
    data = asdict(generate_character(3))
    del data["eye_color"]
    with pytest.raises(ValueError, match="missing field.*eye_color"):
        character_from_dict(data)
    with pytest.raises(ValueError, match="JSON object"):
        character_from_dict([1, 2, 3])


def test_character_validates_on_construction():
    with pytest.raises(ValueError):
        Character(**{**asdict(generate_character(1)), "accessory": "cape"})


def test_toml_character_file_round_trip_and_edit(tmp_path):
    import tomllib

    c = generate_character(11)
    path = tmp_path / "host.toml"
    save_character(c, path)
    text = path.read_text(encoding="utf-8")
    assert "# long | bob" in text  # the allowed values are right there for the streamer
    assert tomllib.loads(text)["hair_style"] == c.hair_style
    assert load_character(path) == c
    path.write_text(text.replace(f'outfit_color = "{c.outfit_color}"', 'outfit_color = "#123456"'),
                    encoding="utf-8")
    assert load_character(path) == replace(c, outfit_color="#123456")
    path.write_text(text.replace('face_shape = "', 'face_shape = "triangle'), encoding="utf-8")
    with pytest.raises(ValueError, match="face_shape"):
        load_character(path)
    path.write_text("seed = ", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid TOML"):
        load_character(path)


def test_constraints_pin_traits_and_stay_deterministic():
    pinned = {"presentation": "masculine", "skin_tone": "deep", "hair_color": "#8C76B8",
              "accessory": "glasses", "outfit_style": "hoodie"}
    for seed in range(30):
        c = generate_character(seed, pinned)
        assert c.presentation == "masculine" and c.accessory == "glasses"
        assert c.outfit_style == "hoodie" and c.hair_color == "#8C76B8"
        assert c.skin_tone in ("#9C6443", "#7C4B31", "#5E3825")
        assert c.hair_style in ("short", "side_part", "quiff", "curly")
        assert generate_character(seed, pinned) == c
    # Unpinned traits still vary with the seed.
    assert len({generate_character(s, pinned).face_shape for s in range(30)}) >= 3


@pytest.mark.parametrize(
    ("constraints", "message"),
    [({"hair_style": "mohawk"}, "hair_style must be one of"),
     ({"skin_tone": "tanned"}, "light/medium/deep"),
     ({"wings": "yes"}, "unknown character constraint")],
)
def test_bad_constraints_are_named(constraints, message):
    with pytest.raises(ValueError, match=message):
        generate_character(1, constraints)
