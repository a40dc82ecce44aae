"""The host's look: a small set of named choices, generated from a seed and editable as TOML.

A streamer picks a seed they like, saves it, and can then hand-edit single traits (hair colour,
outfit) in the JSON without touching code. Everything is plain strings/ints so the file stays
readable; validation happens on construction so a bad edit fails loudly at start-up, not
mid-stream inside the painter.
"""

from __future__ import annotations

import json
import random
import re
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from vhost.base.tomlfile import key_line

FACE_SHAPES = ("oval", "round", "heart", "square")
HAIR_STYLES = ("long", "bob", "ponytail", "bun", "curly", "short", "side_part", "quiff")
EYE_SHAPES = ("almond", "round", "upturned")
BROWS = ("soft", "straight", "arched", "thick")
OUTFIT_STYLES = ("tee", "blazer", "hoodie", "turtleneck", "blouse")
ACCESSORIES = ("none", "glasses", "earrings", "headband", "necklace")
PRESENTATIONS = ("feminine", "masculine", "androgynous")

# Light to deep; mid-saturation so they sit well under any stage lighting.
SKIN_TONES = (
    "#F9DCC8",
    "#F2C9A8",
    "#E6B48F",
    "#D49C74",
    "#BC8159",
    "#9C6443",
    "#7C4B31",
    "#5E3825",
)
HAIR_COLORS = (
    "#1E1915",
    "#2E231C",
    "#4A3224",
    "#6B4429",
    "#8A3B22",
    "#B98A4E",
    "#D8C29A",
    "#8E8A86",
    "#C97B98",
    "#2A3050",
    "#8C76B8",
)
EYE_COLORS = ("#3B2416", "#5C3A22", "#7A5A32", "#3E6A99", "#66788A", "#2A2422")
# No greens or teals: the default stage background is a #00FF00 chroma key, and a keyer would
# punch holes wherever the outfit came close to it.
OUTFIT_COLORS = (
    "#2B3A67",
    "#7B2D3B",
    "#E0685A",
    "#D4A23A",
    "#3A3D45",
    "#EFE6D8",
    "#8E72C0",
    "#4F8FD0",
    "#232329",
    "#D8779A",
    "#A4553A",
)

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")

# Which hair styles read as which presentation; androgynous draws from the shared middle.
_HAIR_BY_PRESENTATION = {
    "feminine": ("long", "bob", "ponytail", "bun", "curly", "long"),
    "masculine": ("short", "side_part", "quiff", "curly", "short"),
    "androgynous": ("bob", "short", "curly", "side_part", "quiff"),
}

_CHOICES: dict[str, tuple[str, ...]] = {
    "face_shape": FACE_SHAPES,
    "hair_style": HAIR_STYLES,
    "eye_shape": EYE_SHAPES,
    "brows": BROWS,
    "outfit_style": OUTFIT_STYLES,
    "accessory": ACCESSORIES,
    "presentation": PRESENTATIONS,
}
_COLORS = ("skin_tone", "hair_color", "eye_color", "outfit_color")

FORMAT_VERSION = 1


class CharacterError(ValueError):
    """A character file or trait is wrong; `field` names the trait (None: the file as a whole)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Character:
    seed: int
    face_shape: str
    skin_tone: str
    hair_style: str
    hair_color: str
    eye_shape: str
    eye_color: str
    brows: str
    outfit_style: str
    outfit_color: str
    accessory: str
    presentation: str

    def __post_init__(self) -> None:
        if not isinstance(self.seed, int) or isinstance(self.seed, bool):
            raise CharacterError(f"character seed must be an integer, got {self.seed!r}", "seed")
        for name, allowed in _CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                raise CharacterError(
                    f"character {name} must be one of {', '.join(allowed)}; got {value!r}", name
                )
        for name in _COLORS:
            value = getattr(self, name)
            if not isinstance(value, str) or not _HEX.match(value):
                raise CharacterError(f"character {name} must be a color like '#A1B2C3'; got {value!r}", name)


def _luma(hex_color: str) -> float:
    r, g, b = (int(hex_color[i : i + 2], 16) / 255.0 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


SKIN_RANGES = {"light": SKIN_TONES[:3], "medium": SKIN_TONES[2:6], "deep": SKIN_TONES[5:]}
# What `generate_character(constraints=...)` accepts: every choice field, the colours (a hex
# value), and "light" / "medium" / "deep" for the skin tone.
CONSTRAINT_FIELDS = (*_CHOICES, *_COLORS)


def _check_constraints(constraints: dict[str, str]) -> None:
    for name, value in constraints.items():
        if name not in CONSTRAINT_FIELDS:
            raise ValueError(
                f"unknown character constraint {name!r}; expected one of {', '.join(CONSTRAINT_FIELDS)}"
            )
        if name in _CHOICES and value not in _CHOICES[name]:
            raise ValueError(
                f"constraint {name} must be one of {', '.join(_CHOICES[name])}; got {value!r}"
            )
        if name in _COLORS and not (
            (isinstance(value, str) and _HEX.match(value))
            or (name == "skin_tone" and value in SKIN_RANGES)
        ):
            extra = " or light/medium/deep" if name == "skin_tone" else ""
            raise ValueError(f"constraint {name} must be a colour like '#A1B2C3'{extra}; got {value!r}")


def generate_character(seed: int, constraints: dict[str, str] | None = None) -> Character:
    """Deterministic: the same seed (and constraints) always give the same character.

    `random.Random` with an int seed is specified to be stable across platforms and Python
    versions, so a saved seed stays meaningful. Constraints pin single traits (e.g. the
    presentation that matches the voice); the generator still draws every trait in the same
    order, so pinning one trait leaves the seed's other choices as they were wherever they do
    not depend on it.
    """
    fixed = dict(constraints or {})
    _check_constraints(fixed)
    rng = random.Random(seed)

    def pick(name: str, options) -> str:
        drawn = rng.choice(options)
        return fixed.get(name, drawn)

    presentation = pick("presentation", PRESENTATIONS)
    hair_style = pick("hair_style", _HAIR_BY_PRESENTATION[presentation])
    face_shape = pick("face_shape", FACE_SHAPES)
    skin_range = SKIN_RANGES.get(fixed.get("skin_tone", ""), SKIN_TONES)
    skin = rng.choice(skin_range)
    if fixed.get("skin_tone", "") not in SKIN_RANGES:
        skin = fixed.get("skin_tone", skin)
    # Natural colours most of the time; fashion colours now and then. Hair that is as light
    # or dark as the skin melts into the face at stream resolution, so require contrast.
    pool = HAIR_COLORS[:8] if rng.random() < 0.8 else HAIR_COLORS[8:]
    pool = tuple(c for c in pool if abs(_luma(c) - _luma(skin)) >= 0.16) or (HAIR_COLORS[0],)
    hair_color = pick("hair_color", pool)
    eye_shape = pick("eye_shape", EYE_SHAPES)
    eye_color = pick("eye_color", EYE_COLORS)
    brows = pick("brows", BROWS if presentation != "feminine" else ("soft", "arched", "straight"))
    outfit_style = pick("outfit_style", OUTFIT_STYLES)
    outfit_color = pick("outfit_color", OUTFIT_COLORS)
    accessory = rng.choices(ACCESSORIES, weights=(3, 2, 2, 1, 2))[0]
    if accessory == "headband" and hair_style in ("bun", "quiff"):
        accessory = "none"  # a headband would hide the feature that defines those styles
    if accessory == "earrings" and hair_style in ("long", "bob"):
        accessory = "necklace"  # the side locks would cover them completely
    accessory = fixed.get("accessory", accessory)
    return Character(
        seed=int(seed),
        face_shape=face_shape,
        skin_tone=skin,
        hair_style=hair_style,
        hair_color=hair_color,
        eye_shape=eye_shape,
        eye_color=eye_color,
        brows=brows,
        outfit_style=outfit_style,
        outfit_color=outfit_color,
        accessory=accessory,
        presentation=presentation,
    )


def character_to_dict(character: Character) -> dict[str, Any]:
    return {"version": FORMAT_VERSION, **asdict(character)}


def character_from_dict(data: Any) -> Character:
    """Build a Character from parsed JSON; raises ValueError naming the offending field."""
    if not isinstance(data, dict):
        raise ValueError("character file must contain a JSON object")
    data = dict(data)
    version = data.pop("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise CharacterError(f"unsupported character file version {version!r} (expected 1)", "version")
    expected = {f.name for f in fields(Character)}
    missing = sorted(expected - data.keys())
    unknown = sorted(data.keys() - expected)
    if missing:
        raise ValueError(f"character file is missing field(s): {', '.join(missing)}")
    if unknown:
        raise CharacterError(f"character file has unknown field(s): {', '.join(unknown)}", unknown[0])
    return Character(**data)


def character_to_toml(character: Character) -> str:
    """The character file a streamer edits: one `key = "value"` line per trait, with the
    allowed values as comments so no documentation is needed to change one."""
    lines = [
        "# vhost character: edit any trait; `vhost avatar new --seed N` makes a fresh one.",
        f"version = {FORMAT_VERSION}",
        f"seed = {character.seed}",
    ]
    for f in fields(Character):
        if f.name == "seed":
            continue
        value = getattr(character, f.name)
        hint = " | ".join(_CHOICES[f.name]) if f.name in _CHOICES else "any #RRGGBB colour"
        lines.append(f'{f.name} = "{value}"  # {hint}')
    return "\n".join(lines) + "\n"


def save_character(character: Character, path: str | Path) -> None:
    """TOML for `.toml` paths (the default format), JSON otherwise."""
    p = Path(path)
    if p.suffix.lower() == ".toml":
        text = character_to_toml(character)
    else:
        text = json.dumps(character_to_dict(character), indent=2, ensure_ascii=False) + "\n"
    p.write_text(text, encoding="utf-8")


def load_character(path: str | Path) -> Character:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"cannot read character file {p}: {exc}") from exc
    if p.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"character file {p} is not valid TOML: {exc}") from exc
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"character file {p} is not valid JSON: {exc}") from exc
    try:
        return character_from_dict(data)
    except (ValueError, TypeError) as exc:
        field = getattr(exc, "field", None)
        line = key_line(p, (field,)) if field and p.suffix.lower() == ".toml" else None
        raise CharacterError(f"{p}: {exc}" + (f" (line {line})" if line else ""), field) from exc
