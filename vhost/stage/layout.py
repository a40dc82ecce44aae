"""Where each layer goes on the logical stage, per orientation.

Portrait output goes to phone-first platforms whose own UI (top bar, comment list, buttons)
covers roughly the top and bottom 12% of the frame, so all portrait content stays inside
that safe band.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize

LAYOUTS = ("landscape", "portrait")
SAFE_MARGIN = 0.12  # fraction of the portrait height kept clear at top and bottom


@dataclass(frozen=True)
class StageLayout:
    name: str
    size: QSize
    avatar: QRectF  # the bust stands on this rect's bottom edge
    card: QRectF
    card_vertical: bool  # image above text (landscape) or beside it (portrait)
    caption: QRectF  # max extent; the box grows upwards from the bottom edge
    caption_px: float
    caption_max_lines: int
    question: QRectF  # max extent; the bubble grows downwards from the top edge
    safe: QRectF  # where overlays may go


def stage_layout(name: str) -> StageLayout:
    if name == "landscape":
        return StageLayout(
            name=name,
            size=QSize(1920, 1080),
            avatar=QRectF(130, 150, 905, 930),
            card=QRectF(1160, 64, 700, 760),
            card_vertical=True,
            caption=QRectF(80, 850, 1760, 190),
            caption_px=46,
            caption_max_lines=2,
            question=QRectF(60, 28, 1000, 150),
            safe=QRectF(0, 0, 1920, 1080),
        )
    if name == "portrait":
        top = round(1920 * SAFE_MARGIN) + 4
        bottom = 1920 - round(1920 * SAFE_MARGIN) - 4
        return StageLayout(
            name=name,
            size=QSize(1080, 1920),
            avatar=QRectF(60, 320, 960, 800),  # the card covers the cut-off chest
            card=QRectF(40, 1070, 1000, 370),
            card_vertical=False,
            caption=QRectF(40, bottom - 236, 1000, 236),
            caption_px=44,
            caption_max_lines=3,
            question=QRectF(40, top + 46, 1000, 140),
            safe=QRectF(0, top, 1080, bottom - top),
        )
    raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}; got {name!r}")
