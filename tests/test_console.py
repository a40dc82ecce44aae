"""The operator console: its chat model without any view, and the widget's actions via pytest-qt."""

from PySide6.QtCore import Qt

from vhost.core import commands as cmd
from vhost.ui.console import ConsoleWindow
from vhost.ui.models import ChatListModel


class RecordingBridge:
    """Stands in for CoreBridge's command side; events are fed straight to the console."""

    def __init__(self):
        from PySide6.QtCore import QObject, Signal

        class _Sig(QObject):
            event = Signal(str, object)

        self._sig = _Sig()
        self.event = self._sig.event
        self.sent = []

    def send(self, command):
        self.sent.append(command)


def chat(i, accepted=True, reason="queued", intent="question"):
    return {"id": f"c{i}", "user": f"user{i}", "text": f"question {i}?", "accepted": accepted,
            "reason": reason, "intent": intent, "platform": "test", "received_at": float(i)}


def test_chat_model_rows_states_and_roles(qtmodeltester):
    m = ChatListModel(max_rows=3)
    for i in range(4):
        m.add_chat(chat(i, accepted=i != 2, reason="spam" if i == 2 else "queued"))
    assert m.rowCount() == 3  # oldest evicted
    assert m.data(m.index(0)) == "[question] user1: question 1?"
    assert m.data(m.index(1), ChatListModel.StateRole) == "dropped: spam"
    m.set_state("c3", "answered")
    assert m.data(m.index(2)).startswith("[answered] user3")
    m.set_state("unknown", "answered")  # a reply to a message no longer listed is ignored
    qtmodeltester.check(m)


def test_say_now_sends_the_line_and_clears_the_box(qtbot):
    bridge = RecordingBridge()
    w = ConsoleWindow(bridge, [("mug", "Mug"), ("lamp", "Lamp")])
    qtbot.addWidget(w)
    qtbot.keyClicks(w.say_box, "Flash sale now!")
    qtbot.keyClick(w.say_box, Qt.Key.Key_Return)
    assert bridge.sent == [cmd.SayNow("Flash sale now!")]
    assert w.say_box.text() == ""
    qtbot.keyClick(w.say_box, Qt.Key.Key_Return)  # empty box: nothing sent
    assert len(bridge.sent) == 1


def test_buttons_send_interrupt_auto_reply_and_product(qtbot):
    bridge = RecordingBridge()
    w = ConsoleWindow(bridge, [("mug", "Mug"), ("lamp", "Lamp")])
    qtbot.addWidget(w)
    qtbot.mouseClick(w.interrupt_button, Qt.MouseButton.LeftButton)
    w.auto_reply.setChecked(False)
    w.product_box.setCurrentIndex(1)
    assert bridge.sent == [cmd.Interrupt(), cmd.SetAutoReply(False), cmd.SwitchProduct("lamp")]


def test_events_fill_the_chat_list_and_a_failed_line_comes_back(qtbot):
    bridge = RecordingBridge()
    w = ConsoleWindow(bridge, [("mug", "Mug")])
    qtbot.addWidget(w)
    bridge.event.emit("chat", chat(1))
    bridge.event.emit("reply", {"chat_id": "c1", "user": "user1", "interrupted": False, "grounded": True,
                                "mismatches": [], "heard_text": "It is $24.99.", "reply_text": "It is $24.99."})
    bridge.event.emit("warning", {"text": "could not speak", "restore": "my typed line"})
    assert w.chat_model.rows[0]["state"] == "answered"
    assert "It is $24.99." in w.log.toPlainText()
    assert w.say_box.text() == "my typed line"
