"""The operator console's widgets via pytest-qt. Commands go through the real CoreBridge, whose
dispatch is a recording list; events come in through the bridge's own signal."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from vhost.base import commands as cmd
from vhost.ui.bridge import CoreBridge
from vhost.ui.console import ConsoleWindow
from vhost.ui.i18n import Translator


def draft_event(i, change="created", **fields):
    d = {"id": f"d{i}", "chat_id": f"c{i}", "user": f"user{i}", "chat_text": f"question {i}?", "lang": "en",
         "text": f"answer {i}", "original_text": f"answer {i}", "state": "pending", "pinned": False,
         "touched": False, "reasons": [], "held_back": [], "source": "reply", "created_at": 10.0,
         "deadline": None, "edits": [], "heard_text": None, "interrupted": False, **fields}
    return {"change": change, "draft": d}


@pytest.fixture
def console(qtbot, tmp_path):
    sent: list = []
    bridge = CoreBridge(dispatch=sent.append)
    w = ConsoleWindow(bridge, [("mug", "Mug"), ("lamp", "Lamp")], config_path=tmp_path / "vhost.toml",
                      tr=Translator("en"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.sent = sent
    return w


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_approve_skip_and_pin_buttons_send_draft_commands(qtbot, console):
    console.bridge.deliver("draft", draft_event(1))
    console.bridge.deliver("draft", draft_event(2))
    card = console.drafts_panel.card_for("d2")
    click(qtbot, card.approve_button)
    click(qtbot, console.drafts_panel.card_for("d1").skip_button)
    click(qtbot, card.pin_button)
    assert console.sent == [cmd.ApproveDraft("d2"), cmd.SkipDraft("d1"), cmd.PinDraft("d2", True)]


def test_inline_edit_holds_the_draft_and_enter_approves_the_edited_text(qtbot, console):
    console.bridge.deliver("draft", draft_event(1))
    card = console.drafts_panel.card_for("d1")
    click(qtbot, card.edit_button)
    assert console.sent == [cmd.HoldDraft("d1")]  # the assisted timer stops before any typing
    assert card.editing and card.editor.toPlainText() == "answer 1"
    card.editor.selectAll()
    qtbot.keyClicks(card.editor, "It is $24.99 today")
    qtbot.keyClick(card.editor, Qt.Key.Key_Escape)  # Esc closes the editor, and does NOT interrupt
    assert not card.editing and cmd.Interrupt() not in console.sent
    click(qtbot, card.edit_button)
    card.editor.selectAll()
    qtbot.keyClicks(card.editor, "It is $24.99 today")
    qtbot.keyClick(card.editor, Qt.Key.Key_Return)
    assert console.sent[-1] == cmd.EditDraft("d1", "It is $24.99 today", approve=True)
    assert not card.editing


def test_edited_held_and_counting_cards_show_what_the_operator_must_see(qtbot, console):
    console.bridge.deliver("state", {"clock": 100.0, "mode": "assisted", "auto_reply": True, "muted": False})
    console.bridge.deliver("draft", draft_event(1, reasons=["compliance: medical claim"]))
    console.bridge.deliver("draft", draft_event(2, text="new", original_text="old"))
    console.bridge.deliver("draft", draft_event(3, created_at=100.0, deadline=106.0))
    held, edited, counting = (console.drafts_panel.card_for(f"d{i}") for i in (1, 2, 3))
    assert not held.held.isHidden() and "compliance: medical claim" in held.held.text()
    assert not edited.original.isHidden() and edited.original.text() == "Original: old"
    assert counting.badge.text() in ("speaks in 6 s", "speaks in 5 s")
    console.bridge.deliver("draft", draft_event(3, change="spoken", state="spoken"))
    assert console.drafts_panel.card_for("d3") is None
    assert console.drafts_panel.title.text() == "Drafts (2)"


def test_show_controls_send_commands(qtbot, console):
    click(qtbot, console.show_bar.mode_buttons["manual"])
    click(qtbot, console.show_bar.pause_button)
    click(qtbot, console.show_bar.mute_button)
    click(qtbot, console.cut_in.emotion_buttons["excited"])
    console.cut_in.product_box.setCurrentIndex(1)
    click(qtbot, console.cut_in.interrupt_button)
    qtbot.keyClicks(console.cut_in.say_box, "Flash sale now!")
    qtbot.keyClick(console.cut_in.say_box, Qt.Key.Key_Return)
    qtbot.keyClick(console.cut_in.say_box, Qt.Key.Key_Return)  # empty box: nothing sent
    assert console.sent == [cmd.SetMode("manual"), cmd.SetAutoReply(False), cmd.SetMuted(True),
                            cmd.SetEmotion("excited"), cmd.SwitchProduct("lamp"), cmd.Interrupt(),
                            cmd.SayNow("Flash sale now!")]
    assert console.cut_in.say_box.text() == ""
    assert console.show_bar.pause_button.text() == "Resume replies"


def test_state_events_set_controls_without_sending(qtbot, console):
    console.bridge.deliver("state", {"mode": "manual", "auto_reply": False, "muted": True,
                                     "product": {"id": "lamp", "name": "Lamp"}, "emotion": "sad", "clock": 3.0})
    assert console.show_bar.mode == "manual"
    assert console.show_bar.pause_button.isChecked() and console.show_bar.mute_button.isChecked()
    assert console.cut_in.product_box.currentData() == "lamp"
    assert console.cut_in.emotion_buttons["sad"].isChecked()
    assert console.sent == []  # an echo of the show's state is not a new command


def test_shortcuts_act_on_the_first_pending_draft(qtbot, console):
    console.bridge.deliver("draft", draft_event(1))
    console.bridge.deliver("draft", draft_event(2))
    qtbot.keyClick(console, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(console, Qt.Key.Key_Escape)
    qtbot.keyClick(console, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert console.sent == [cmd.ApproveDraft("d1"), cmd.Interrupt(), cmd.SetMode("auto")]


def test_chat_health_latency_token_and_obs_from_events(qtbot, console):
    b = console.bridge
    b.deliver("chat", {"id": "c1", "user": "Ben", "text": "how much?", "accepted": True, "reason": "queued",
                       "intent": "question", "rank": 3, "platform": "twitch", "received_at": 1.0})
    b.deliver("health", {"connector": "twitch:#shop", "state": "reconnecting", "detail": "dropped"})
    b.deliver("reply", {"chat_id": "c1", "user": "Ben", "heard_text": "It is $24.99.", "reply_text": "",
                        "interrupted": False, "grounded": True, "mismatches": [], "latency_s": 1.25})
    b.deliver("control", {"url": "http://127.0.0.1:8765", "token": "secret-token"})
    b.deliver("obs", {"state": "connected", "detail": "OBS 30"})
    b.deliver("warning", {"text": "could not speak", "restore": "my typed line"})
    assert console.chat_model.rows[0]["state"] == "answered"
    lights = console.chat_panel.lights
    assert "twitch:#shop" in lights.text() and "reconnecting" in lights.text()
    assert "twitch:#shop: dropped" in lights.toolTip()
    assert "p50 1.25 s" in console.chat_panel.latency_label.text()
    assert "It is $24.99." in console.log.toPlainText()
    assert console.cut_in.say_box.text() == "my typed line"  # a line that could not be spoken is not lost
    assert console.footer.token.text() == "secret-token"
    click(qtbot, console.footer.copy_button)
    assert QGuiApplication.clipboard().text() == "secret-token"
    assert "connected" in console.footer.obs_label.text()


def test_language_switch_relabels_the_open_console(qtbot, console):
    console.bridge.deliver("draft", draft_event(1))
    console.bridge.deliver("chat", {"id": "c1", "user": "Ben", "text": "hi", "accepted": True,
                                    "reason": "queued", "intent": "greeting", "rank": 1})
    assert console.cut_in.say_button.text() == "Say now"
    console.tr_.set_language("zh")
    assert console.cut_in.say_button.text() == "立即说"
    assert console.cut_in.interrupt_button.text() == "打断 (Esc)"
    assert console.show_bar.mode_buttons["assisted"].text() == "辅助"
    assert console.drafts_panel.card_for("d1").approve_button.text() == "通过"
    assert console.chat_model.data(console.chat_model.index(0)).startswith("[问候")
    assert console.windowTitle() == "vhost — 主播控制台"


def test_commands_before_the_show_is_ready_are_kept_then_delivered(qtbot):
    bridge = CoreBridge()  # no loop, no show yet
    infos = []
    bridge.event.connect(lambda kind, data: infos.append(kind))
    bridge.send(cmd.SayNow("hello"))
    assert bridge.pending == [cmd.SayNow("hello")] and infos == ["info"]

    class Show:
        def __init__(self):
            self.got = []

        def control(self, command):
            self.got.append(command)

    show = Show()
    bridge.attach(show)
    bridge.send(cmd.Interrupt())
    assert show.got == [cmd.SayNow("hello"), cmd.Interrupt()] and bridge.pending == []


def test_text_typed_into_a_card_that_leaves_the_queue_is_not_lost(qtbot, console):
    console.bridge.deliver("draft", draft_event(1))
    card = console.drafts_panel.card_for("d1")
    click(qtbot, card.edit_button)
    card.editor.selectAll()
    qtbot.keyClicks(card.editor, "my careful rewrite")
    console.bridge.deliver("draft", draft_event(1, change="expired", state="expired"))
    assert console.drafts_panel.card_for("d1") is None
    assert console.cut_in.say_box.text() == "my careful rewrite"
    assert "left the queue" in console.log.toPlainText()


def test_product_switcher_shows_the_catalogs_name_in_the_console_language(qtbot, tmp_path):
    sent = []
    w = ConsoleWindow(CoreBridge(dispatch=sent.append), [("mug", "Travel Mug", {"zh": "旅行保温杯"}), ("lamp", "Lamp")],
                      config_path=tmp_path / "v.toml", tr=Translator("en"))
    qtbot.addWidget(w)
    assert [w.cut_in.product_box.itemText(i) for i in range(2)] == ["Travel Mug", "Lamp"]
    w.tr_.set_language("zh")
    assert [w.cut_in.product_box.itemText(i) for i in range(2)] == ["旅行保温杯", "Lamp"]
    assert sent == []  # relabelling is not a product switch


def test_a_chat_burst_keeps_the_newest_rows_and_follows_them(qtbot, console):
    """2,000 messages (a raid, a flood): the list stays bounded and scrolling is coalesced. How
    long the GUI thread spends on such a burst is measured by `python -m bench.chat`
    ("console_burst"), not asserted here."""
    console.resize(1400, 900)
    for i in range(2000):
        console.bridge.deliver("chat", {"id": f"c{i}", "user": f"user{i}", "text": f"how much is mug {i}?",
                                        "accepted": True, "reason": "queued", "intent": "question", "rank": 2})
    qtbot.wait(150)  # the coalesced scroll runs once
    assert console.chat_model.rowCount() <= 500 and console.chat_model.rows[-1]["id"] == "c1999"
    bar = console.chat_panel.view.verticalScrollBar()
    assert bar.value() == bar.maximum()  # following the newest line


def test_a_chat_burst_from_the_core_thread_crosses_to_the_gui_in_a_few_batches_in_order(qtbot):
    import threading

    bridge = CoreBridge(dispatch=lambda _c: None)
    got: list[int] = []
    gui = threading.get_ident()
    threads: set[int] = set()

    def slot(kind, data):
        threads.add(threading.get_ident())
        got.append(data["n"])

    bridge.event.connect(slot)
    burst = threading.Thread(target=lambda: [bridge.deliver("chat", {"n": i}) for i in range(2000)])
    burst.start()
    burst.join()
    qtbot.waitUntil(lambda: len(got) == 2000, timeout=5000)
    assert got == list(range(2000)) and threads == {gui}  # all of it, in order, on the GUI thread
    assert bridge.wakes < 20  # one queued crossing per burst, not 2,000
