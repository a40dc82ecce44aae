"""Where the stage and the console go, as a pure function of the screen: the stage is never shrunk
(OBS captures it 1:1), the console never runs past the screen's edge."""

import itertools

import pytest
from PySide6.QtCore import QMargins, QRect, QSize

from vhost.stage.window import window_size_for
from vhost.ui.placement import DEFAULT_FRAME, keep_within, place_windows

CONSOLE = QSize(1280, 860)  # the console's preferred client size
CONSOLE_MIN = QSize(573, 609)  # its layout's minimum (measured)
LANDSCAPE, PORTRAIT = QSize(1920, 1080), QSize(1080, 1920)


@pytest.mark.parametrize("dpr, expected", [(1.0, (1920, 1080)), (2.0, (960, 540)), (1.5, (1280, 720)),
                                           (1.25, (1536, 864))])
def test_the_stage_window_covers_the_output_in_device_pixels(dpr, expected):
    size = window_size_for(LANDSCAPE, dpr)
    assert (size.width(), size.height()) == expected
    assert size.width() * dpr == 1920 and size.height() * dpr == 1080


def test_at_a_scale_factor_that_does_not_divide_the_stage_is_never_cut():
    size = window_size_for(LANDSCAPE, 1.75)
    assert size.width() * 1.75 >= 1920 and size.height() * 1.75 >= 1080
    assert size.width() * 1.75 < 1920 + 2 and size.height() * 1.75 < 1080 + 2


def test_full_hd_screen_with_a_taskbar_stage_unshrunk_console_within_the_screen():
    screen = QRect(0, 0, 1920, 1040)  # available geometry: a 40 px taskbar below
    where = place_windows(screen, LANDSCAPE, CONSOLE, CONSOLE_MIN)
    assert where.stage == QRect(0, 0, 1920, 1080)  # reaches past the taskbar: captured whole anyway
    assert screen.contains(where.console_frame) and not where.beside
    assert where.console_frame.right() == screen.right()  # over the stage's right side
    assert where.console_size == CONSOLE  # its preferred size fits on this screen


def test_a_wide_screen_puts_the_console_beside_the_stage():
    screen = QRect(0, 0, 3840, 2160)
    where = place_windows(screen, LANDSCAPE, CONSOLE, CONSOLE_MIN)
    assert where.beside and where.console_frame.left() == 1920
    assert where.console_size == CONSOLE and screen.contains(where.console_frame)
    assert not where.console_frame.intersects(where.stage)


def test_a_second_monitor_keeps_both_windows_on_it():
    screen = QRect(1920, 0, 2560, 1440)
    where = place_windows(screen, LANDSCAPE, CONSOLE, CONSOLE_MIN)
    assert where.stage.topLeft() == screen.topLeft()
    assert screen.contains(where.console_frame)


def test_a_small_screen_shrinks_the_console_not_the_stage():
    screen = QRect(0, 0, 1366, 728)
    where = place_windows(screen, LANDSCAPE, CONSOLE, CONSOLE_MIN)
    assert where.stage.size() == LANDSCAPE
    assert screen.contains(where.console_frame)
    assert where.console_size.width() <= 1366 - 16 and where.console_size.height() <= 728 - 40


@pytest.mark.parametrize("screen, stage, frame", list(itertools.product(
    [QRect(0, 0, 800, 600), QRect(0, 0, 1280, 720), QRect(0, 0, 1920, 1080), QRect(0, 25, 1920, 1055),
     QRect(0, 0, 2560, 1440), QRect(-1080, 0, 1080, 1920), QRect(0, 0, 3840, 2160), QRect(0, 0, 5120, 1440)],
    [LANDSCAPE, PORTRAIT, QSize(960, 540)],
    [DEFAULT_FRAME, QMargins(0, 0, 0, 0), QMargins(1, 37, 1, 1)])))
def test_the_console_frame_is_always_inside_the_screen(screen, stage, frame):
    where = place_windows(screen, stage, CONSOLE, CONSOLE_MIN, frame)
    assert screen.contains(where.console_frame), (screen, where)
    assert where.console_frame.size() == where.console_size.grownBy(frame)
    assert where.stage == QRect(screen.topLeft(), stage)  # the stage: top-left, its own size, always
    assert where.beside == (not where.console_frame.intersects(where.stage))


def test_a_shown_window_past_the_edge_is_moved_back_not_shrunk():
    screen = QRect(0, 0, 1920, 1040)
    frame = QMargins(1, 30, 1, 1)
    outer = QRect(649, 0, 1282, 891)  # 9 px past the right edge (the bug this replaced)
    pos, size = keep_within(screen, outer, frame)
    assert QRect(pos, size.grownBy(frame)) == QRect(638, 0, 1282, 891)
    assert screen.contains(QRect(pos, size.grownBy(frame)))
    pos, size = keep_within(QRect(0, 0, 800, 600), outer, frame)  # too big: shrunk to the screen
    assert QRect(pos, size.grownBy(frame)) == QRect(0, 0, 800, 600)
