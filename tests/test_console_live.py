"""The console against the real show on its own core thread (scripted LLM and voice): in manual
mode a chat message becomes a draft card, nothing is spoken until the operator acts, and what the
operator approved — or edited — is what is heard."""

import pytest
from PySide6.QtCore import Qt

from tests.fakes import ScriptedLLM, ScriptedTTS
from tests.showkit import build_show
from tests.test_show_pipeline import chat
from vhost.audio.sinks import VirtualSink
from vhost.base.runtime import CoreThread
from vhost.ui.bridge import CoreBridge
from vhost.ui.console import ConsoleWindow
from vhost.ui.i18n import Translator


@pytest.fixture
def live(qtbot, tmp_path):
    core = CoreThread()
    core.start()
    bridge = CoreBridge(core)
    heard = []
    bridge.event.connect(lambda kind, data: heard.append(data["heard_text"]) if kind == "reply" else None)

    async def build():
        sink = VirtualSink(16000, block_s=0.005)
        # every event crosses to the GUI thread as a queued signal, as in `vhost demo`
        show = build_show(llm=ScriptedLLM(reply="The mug is $24.99 today."), tts=ScriptedTTS(), sink=sink,
                          on_event=bridge.publish, mode="manual")
        return show, sink

    show, sink = core.submit(build()).result(10)
    console = ConsoleWindow(bridge, [("mug", "Mug")], config_path=tmp_path / "vhost.toml", tr=Translator("en"))
    qtbot.addWidget(console)
    console.show()
    sink.start()
    running = core.submit(show.run())
    bridge.attach(show)
    try:
        yield show, console, heard, core
    finally:
        running.cancel()
        sink.stop()
        core.stop()


def offer(core, show, **kw):
    async def go():
        await show.offer_chat(chat(show, **kw))
    core.submit(go()).result(5)


@pytest.mark.slow
def test_manual_mode_speaks_only_what_the_operator_approved_or_edited(qtbot, live):
    show, console, heard, core = live
    offer(core, show)
    qtbot.waitUntil(lambda: "d1" in console.drafts_panel.cards, timeout=10_000)
    card = console.drafts_panel.card_for("d1")
    assert "$24.99" in card.text.text()
    qtbot.wait(300)
    assert heard == [] and show.parts.tts.texts == []  # manual: nothing synthesized, nothing heard

    qtbot.mouseClick(card.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: heard == ["The mug is $24.99 today."], timeout=10_000)
    qtbot.waitUntil(lambda: "d1" not in console.drafts_panel.cards, timeout=5_000)  # spoken: gone
    assert console.chat_model.rows[0]["state"] == "answered"

    offer(core, show, text="What do you think of it for road trips?", user="ben", mid="c2")
    qtbot.waitUntil(lambda: "d2" in console.drafts_panel.cards, timeout=10_000)
    card = console.drafts_panel.card_for("d2")
    qtbot.mouseClick(card.edit_button, Qt.MouseButton.LeftButton)
    card.editor.selectAll()
    qtbot.keyClicks(card.editor, "Yes, top rack safe.")
    qtbot.keyClick(card.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(heard) == 2, timeout=10_000)
    assert heard[1] == "Yes, top rack safe."
    assert show.desk.book.get("d2").original_text == "The mug is $24.99 today."  # kept for the record
