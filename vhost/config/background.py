"""The stage background as the config names it, checked without Qt (the config must load in a
process that never imports Qt: the headless show, the workers)."""

from __future__ import annotations

import re

# The stage's default chroma key colour: pure green, OBS's own default key colour, so OBS's Chroma
# Key filter keys it at its default settings. Measured in real OBS 29 (bench/obs_key.py,
# tests/test_obs_real.py): background 100 % removed, host, card and caption 100 % kept, for
# Similarity 50..400; #00B140 (broadcast chroma green) needed Similarity 250..400 with the "Green"
# preset and, keyed as a custom colour at Similarity 400, lost 99.7 % of the stage.
CHROMA_GREEN = "#00FF00"

# The Chroma Key filter settings the README tells the operator to use (= OBS 29's defaults for
# `chroma_key_filter_v2`; above Similarity ~450 white and skin start to key out).
CHROMA_KEY_FILTER: dict[str, str | int] = {"key_color_type": "green", "similarity": 400,
                                           "smoothness": 80, "spill": 100}

# QColor's own syntax: #RGB, #RRGGBB, #AARRGGBB, #RRRGGGBBB, #RRRRGGGGBBBB, or an SVG colour name.
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8}|[0-9a-fA-F]{9}|[0-9a-fA-F]{12})$")
SVG_COLOR_NAMES = frozenset("""
aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown
burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan
darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid
darkred darksalmon darkseagreen darkslateblue darkslategray darkslategrey darkturquoise darkviolet
deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro
ghostwhite gold goldenrod gray grey green greenyellow honeydew hotpink indianred indigo ivory khaki
lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow
lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray
lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine
mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen
mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace
olive olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred
papayawhip peachpuff peru pink plum powderblue purple red rosybrown royalblue saddlebrown salmon
sandybrown seagreen seashell sienna silver skyblue slateblue slategray slategrey snow springgreen
steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow yellowgreen
""".split())


def is_color(text: str) -> bool:
    return bool(_HEX.match(text)) or text.strip().lower() in SVG_COLOR_NAMES


def resolve_background(kind: str, color: str | None = None) -> str:
    """Config (kind, colour) -> the spec the stage renderer takes: 'chroma' + colour -> the colour
    (CHROMA_GREEN by default), 'gradient' + colour -> 'gradient:<colour>' (themed),
    'transparent', or a colour given directly. ValueError names what is wrong."""
    if color is not None and not is_color(color):
        raise ValueError(f"background_color must be a colour like '#00FF00'; got {color!r}")
    if kind == "chroma":
        return color or CHROMA_GREEN
    if kind == "gradient" and color:
        return f"gradient:{color}"
    if kind in ("gradient", "transparent"):
        return kind
    if kind.startswith("gradient:") and is_color(kind.partition(":")[2]):
        return kind
    if is_color(kind):
        return kind
    raise ValueError(f"background must be chroma, gradient, transparent or a colour; got {kind!r}")
