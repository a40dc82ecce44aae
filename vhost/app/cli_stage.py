"""Stage commands: `vhost render-stage`, `vhost avatar gallery`, `vhost avatar new`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from vhost.avatar.character import CONSTRAINT_FIELDS


def parse_seeds(text: str) -> list[int]:
    """'1-12', '3,7,9' or '1-4,10' -> seeds; ValueError on anything else."""
    seeds: list[int] = []
    for part in text.split(","):
        part = part.strip()
        lo, dash, hi = part.partition("-")
        try:
            if dash and lo:
                a, b = int(lo), int(hi)
                if b < a or b - a > 400:
                    raise ValueError
                seeds.extend(range(a, b + 1))
            else:
                seeds.append(int(part))
        except ValueError:
            raise ValueError(f"seeds must look like 1-12 or 3,7,9; got {text!r}") from None
    return seeds


def _qt():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication([])


def _character(args: argparse.Namespace):
    from vhost.avatar.character import generate_character, load_character

    if getattr(args, "character", None):
        return load_character(args.character)
    constraints = {k: v for k in CONSTRAINT_FIELDS if (v := getattr(args, k, None)) is not None}
    return generate_character(args.seed, constraints)


def cmd_render_stage(args: argparse.Namespace) -> int:
    _qt()
    from PySide6.QtCore import QSize

    from vhost.config.background import resolve_background
    from vhost.stage.avatar.sprites import SpritePack
    from vhost.stage.demo_scene import DemoShow
    from vhost.stage.renderer import StageRenderer
    from vhost.stage.visuals import product_visual
    from vhost.stage.visuals_worker import default_cache_dir

    background = resolve_background(args.background, args.background_color)
    avatar = SpritePack(args.sprites) if args.sprites else None
    show = DemoShow(args.catalog, seed=args.seed)
    if not args.no_visuals:
        for p in show.products:
            v = product_visual(p.id, p.name, str(p.images[0]) if p.images else None,
                               args.cache_dir or default_cache_dir())
            show.visuals[p.id] = (v.image, v.accent)
    renderer = StageRenderer(_character(args), args.layout, background, avatar=avatar)
    size = None
    if args.width:
        s = args.width / renderer.size.width()
        size = QSize(args.width, round(renderer.size.height() * s))
    img = renderer.render_image(show.scene_at(args.at, args.emotion), size)
    if not img.save(str(args.out)):
        raise SystemExit(f"vhost: cannot write {args.out}")
    print(f"wrote {args.out} ({img.width()}x{img.height()}, t={args.at}s)")
    return 0


def cmd_gallery(args: argparse.Namespace) -> int:
    _qt()
    from vhost.stage.gallery import render_gallery

    img = render_gallery(parse_seeds(args.seeds), columns=args.columns, cell=args.cell)
    if not img.save(str(args.out)):
        raise SystemExit(f"vhost: cannot write {args.out}")
    print(f"wrote {args.out} ({img.width()}x{img.height()})")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from vhost.avatar.character import save_character

    character = _character(args)
    save_character(character, args.out)
    print(f"wrote {args.out}: {character}")
    return 0


def _add_constraints(p: argparse.ArgumentParser) -> None:
    from vhost.avatar import character as c

    choices = {"face_shape": c.FACE_SHAPES, "hair_style": c.HAIR_STYLES, "eye_shape": c.EYE_SHAPES,
               "brows": c.BROWS, "outfit_style": c.OUTFIT_STYLES, "accessory": c.ACCESSORIES,
               "presentation": c.PRESENTATIONS}
    for name in CONSTRAINT_FIELDS:
        flag = "--" + name.replace("_", "-")
        if name in choices:
            p.add_argument(flag, dest=name, choices=choices[name])
        else:
            extra = " or light/medium/deep" if name == "skin_tone" else ""
            p.add_argument(flag, dest=name, help=f"#RRGGBB{extra}")


def _wrap(fn):
    def run(args: argparse.Namespace) -> int:
        try:
            return fn(args)
        except ValueError as exc:  # bad seeds, constraint, character file, sprite pack
            print(f"vhost: {exc}", file=sys.stderr)
            return 2

    return run


def register(sub) -> None:
    rs = sub.add_parser("render-stage", help="render one frame of the demo show to a PNG")
    rs.add_argument("--seed", type=int, default=7)
    rs.add_argument("--layout", choices=["landscape", "portrait"], default="landscape")
    rs.add_argument("--at", type=float, default=5.0, help="show time in seconds")
    rs.add_argument("--out", type=Path, required=True)
    rs.add_argument("--background", default="chroma",
                    help="chroma | gradient | transparent | a colour")
    rs.add_argument("--background-color", help="chroma key colour / gradient theme")
    rs.add_argument("--emotion", help="override the demo's emotion")
    rs.add_argument("--character", help="character TOML instead of the seed")
    rs.add_argument("--sprites", help="PNGTuber sprite pack folder instead of the character")
    rs.add_argument("--catalog", help="catalog TOML (default: the demo catalog)")
    rs.add_argument("--width", type=int, help="output width (default: full stage size)")
    rs.add_argument("--no-visuals", action="store_true", help="raw photos, no cut-out/palette")
    rs.add_argument("--cache-dir", help="product visuals cache")
    rs.set_defaults(func=_wrap(cmd_render_stage))

    av = sub.add_parser("avatar", help="generated characters").add_subparsers(dest="avatar_cmd",
                                                                                required=True)
    gal = av.add_parser("gallery", help="contact sheet of seeds to pick a character from")
    gal.add_argument("--seeds", default="1-12")
    gal.add_argument("--out", type=Path, required=True)
    gal.add_argument("--columns", type=int, default=4)
    gal.add_argument("--cell", type=int, default=360, help="cell width in px")
    gal.set_defaults(func=_wrap(cmd_gallery))

    new = av.add_parser("new", help="write an editable character file (TOML)")
    new.add_argument("--seed", type=int, required=True)
    new.add_argument("--out", type=Path, required=True)
    _add_constraints(new)
    new.set_defaults(func=_wrap(cmd_new))
