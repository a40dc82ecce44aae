"""Closing the console never strands a running show: it asks; "keep running" hides it and the stage
window's right-click menu (and the tray, where there is one) brings it back; "stop" quits cleanly.
Also the console's Help → How to capture in OBS, and the log's labels by who asked for a line."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from vhost.avatar.character import generate_character
from vhost.avatar.pose import RigPose
from vhost.stage.renderer import StageRenderer
from vhost.stage.scene import StageScene
from vhost.stage.window import StageWindow
from vhost.ui.bridge import CoreBridge
from vhost.ui.console import ConsoleWindow
from vhost.ui.i18n import Translator, lookup
from vhost.ui.shell import CANCEL, KEEP, STOP, ShowShell


class Answers:
    """Stands in for the "Stop the show?" dialog: the next answers, and what was asked."""

    def __init__(self) -> None:
        self.next: list[str] = []
        self.asked: list[bool] = []

    def __call__(self, can_keep: bool) -> str:
        self.asked.append(can_keep)
        return self.next.pop(0) if self.next else STOP  # teardown closes the windows: stop


@pytest.fixture
def app_windows(qtbot, tmp_path):
    tr = Translator("en")
    console = ConsoleWindow(CoreBridge(dispatch=lambda c: None), [("mug", "Mug")],
                            config_path=tmp_path / "vhost.toml", tr=tr)
    stage = StageWindow(StageRenderer(generate_character(7)), lambda: StageScene(t=0.0, pose=RigPose()), fps=10)
    quits: list[int] = []
    answers = Answers()
    shell = ShowShell(console, stage, tr, quit=lambda: quits.append(1), ask=answers, tray=False)
    console.add_show_menu([shell.show_console_action, shell.stop_action])
    for w in (stage, console):
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
    return console, stage, shell, answers, quits


def test_keep_running_hides_the_console_and_the_stage_menu_brings_it_back(app_windows):
    console, stage, shell, answers, quits = app_windows
    answers.next = [KEEP]
    assert not console.close()  # refused: the console is hidden instead
    assert answers.asked == [True] and not console.isVisible() and stage.isVisible() and quits == []
    menu = {a.text(): a for a in stage.actions()}
    assert stage.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert set(menu) == {"Show console", "Stop the show and quit"}
    menu["Show console"].trigger()
    assert console.isVisible()


def test_cancel_leaves_everything_as_it_was(app_windows):
    console, stage, shell, answers, quits = app_windows
    answers.next = [CANCEL]
    assert not console.close()
    assert console.isVisible() and quits == []


def test_stop_quits_once_and_then_windows_close_without_asking_again(app_windows):
    console, stage, shell, answers, quits = app_windows
    answers.next = [STOP]
    assert console.close()
    assert quits == [1] and answers.asked == [True]
    assert stage.close() and quits == [1] and answers.asked == [True]  # quitting: no second question


def test_closing_the_stage_asks_without_a_keep_option(app_windows):
    console, stage, shell, answers, quits = app_windows
    answers.next = [CANCEL, STOP]
    assert not stage.close() and stage.isVisible()
    assert stage.close() and quits == [1]
    assert answers.asked == [False, False]


def test_the_stage_menu_and_the_console_menu_stop_the_show(app_windows):
    console, stage, shell, answers, quits = app_windows
    stop = [a for a in console.show_menu.actions() if a.text() == "Stop the show and quit"]
    assert stop and console.show_menu.title() == "Show"
    stop[0].trigger()
    assert quits == [1] and answers.asked == []  # an explicit choice: no question


def test_a_tray_icon_where_asked_for(qtbot, tmp_path):
    tr = Translator("en")
    console, stage = QWidget(), QWidget()
    for w in (console, stage):
        qtbot.addWidget(w)
    shell = ShowShell(console, stage, tr, quit=lambda: None, ask=lambda k: CANCEL, tray=True)
    assert shell.tray is not None and shell.tray.toolTip() == "vhost — the show is running"
    assert [a.text() for a in shell.tray.contextMenu().actions()] == ["Show console", "Stop the show and quit"]
    shell.quitting = True


def test_help_shows_how_to_capture_in_obs(app_windows, qtbot):
    console = app_windows[0]
    assert console.help_menu.title() == "Help"
    console.capture_help_action.trigger()
    dialog = console.help_dialog
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "How to capture in OBS"
    shown = dialog.text.toPlainText()
    first_line = lookup("help.capture").split("\n")[0].replace("**", "")
    assert first_line[:40] in shown
    console.tr_.set_language("zh")
    assert dialog.windowTitle() == lookup("menu.capture_help", "zh")
    dialog.close()


@pytest.mark.parametrize("source, label", [("script", "Host (script): "), ("thanks", "Host (thanks): "),
                                           ("operator", "Host (operator line): "), ("reply", "Host (reply): "),
                                           ("teach", "Host (teach): ")])
def test_log_labels_spoken_lines_by_their_origin(app_windows, source, label):
    console = app_windows[0]
    console.on_event("spoken", {"source": source, "heard_text": "Only 12 left!", "interrupted": source == "thanks",
                                "first_audio_at": 3.0})
    last = console.log.toPlainText().splitlines()[-1]
    assert last.startswith(label + "Only 12 left!")
    assert ("operator line" in last) == (source == "operator")
    assert last.endswith(" [cut]") == (source == "thanks")


def test_a_failing_question_keeps_the_show_running(app_windows):
    console, stage, shell, answers, quits = app_windows

    def broken(can_keep):
        raise RuntimeError("no dialog")

    shell.ask = broken
    assert not console.close() and console.isVisible() and quits == []
    shell.ask = answers
