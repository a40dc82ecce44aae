"""Where the two windows go on the desktop, as a pure function of the screen (tested without one).

The stage window is never shrunk: it sits at the screen's top-left at the output size (in device
pixels; see vhost.stage.window), reaching past the screen's edge when the screen is smaller — OBS's
window capture takes it whole. The console, a normal resizable window, always lies fully within
the screen's available area, frame included: beside the stage where there is room, else over the
stage's right side (the capture is not affected by what covers the window).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMargins, QPoint, QRect, QSize

# Until a window is shown its frame (title bar, borders) is unknown; assume a typical one.
DEFAULT_FRAME = QMargins(8, 32, 8, 8)


@dataclass(frozen=True)
class Placement:
    stage: QRect  # the stage window's client area (logical pixels)
    console_frame: QRect  # the console's outer rectangle, frame included: within the screen
    console_size: QSize  # its client size (what QWidget.resize takes)
    beside: bool  # the console is beside the stage (else over its right side)

    @property
    def console_pos(self) -> QPoint:
        """What QWidget.move takes for a top-level window (the frame's top-left)."""
        return self.console_frame.topLeft()


def place_windows(screen: QRect, stage_size: QSize, console_preferred: QSize, console_minimum: QSize,
                  frame: QMargins = DEFAULT_FRAME) -> Placement:
    """`screen`: the available geometry (no taskbar); `stage_size`: the stage window's fixed size
    (logical); the console's preferred and minimum client sizes; `frame`: the console's frame."""
    stage = QRect(screen.topLeft(), stage_size)
    fw, fh = frame.left() + frame.right(), frame.top() + frame.bottom()
    # The largest client area that fits on the screen with its frame.
    max_w, max_h = max(1, screen.width() - fw), max(1, screen.height() - fh)
    height = min(max(console_preferred.height(), console_minimum.height()), max_h)
    room = screen.right() - stage.right() - fw  # client width left beside the stage
    if room >= console_minimum.width():
        width = min(max(console_preferred.width(), console_minimum.width()), room)
        left, beside = stage.right() + 1, True
    else:
        width = min(max(console_preferred.width(), console_minimum.width()), max_w)
        left, beside = screen.right() + 1 - (width + fw), False
    outer = QRect(left, screen.top(), width + fw, height + fh)
    return Placement(stage, outer, QSize(width, height), beside)


def keep_within(screen: QRect, outer: QRect, frame: QMargins) -> tuple[QPoint, QSize]:
    """A shown window's outer rectangle moved (and shrunk only if it must) to lie within the
    screen: (the position for QWidget.move, the client size for QWidget.resize)."""
    w, h = min(outer.width(), screen.width()), min(outer.height(), screen.height())
    x = min(max(outer.left(), screen.left()), screen.right() + 1 - w)
    y = min(max(outer.top(), screen.top()), screen.bottom() + 1 - h)
    return QPoint(x, y), QSize(w - frame.left() - frame.right(), h - frame.top() - frame.bottom())
