"""The console's unanswered questions: the model without a view, then the panel in the real
console (pytest-qt, offscreen), commands through the real CoreBridge into a recording list."""

import pytest
from PySide6.QtCore import Qt

from tests.test_console import console  # noqa: F401 - the fixture
from vhost.base import commands as cmd
from vhost.ui.questions import QuestionsModel


def unanswered(i, user="anna"):
    return {"id": f"c{i}", "user": user, "text": f"does it ship to place {i}?", "product_id": "mug", "lang": "en",
            "at": float(i), "said": "I don't have that detail, I'll check with the team."}


def test_the_model_keeps_open_questions_until_answered():
    m = QuestionsModel()
    for i in range(3):
        m.on_event("unanswered", unanswered(i))
    m.on_event("unanswered", unanswered(1))  # the same question twice: one row
    assert [r["id"] for r in m.rows] == ["c0", "c1", "c2"]
    m.on_event("answered", {"id": "c1", "text": "yes", "saved": True, "detail": ""})
    m.on_event("answered", {"id": "zz", "text": "yes", "saved": True, "detail": ""})  # unknown: ignored
    assert [r["id"] for r in m.rows] == ["c0", "c2"]
    assert m.data(m.index(0), QuestionsModel.UserRole) == "anna"
    assert "place 0" in m.data(m.index(0), Qt.ItemDataRole.DisplayRole)


@pytest.mark.usefixtures("console")
def test_the_panel_sends_the_answer_and_a_refused_one_comes_back(qtbot, console):  # noqa: F811
    console.bridge.deliver("unanswered", unanswered(1, "bo"))
    console.bridge.deliver("unanswered", unanswered(2, "kim"))
    panel = console.questions_panel
    assert "(2)" in panel.title.text()
    panel.list.setCurrentIndex(panel.model.index(1))
    qtbot.keyClicks(panel.answer_box, "Yes, 10 days.")
    qtbot.keyClick(panel.answer_box, Qt.Key.Key_Return)
    assert console.sent[-1] == cmd.AnswerQuestion("c2", "Yes, 10 days.", True)
    assert panel.answer_box.text() == ""
    console.bridge.deliver("warning", {"text": "answer to kim not spoken: absolute: 'best'", "restore": "the best"})
    assert panel.answer_box.text() == "the best" and console.cut_in.say_box.text() == ""
    console.bridge.deliver("answered", {"id": "c2", "text": "Yes, 10 days.", "saved": True, "detail": "saved"})
    assert [r["id"] for r in panel.model.rows] == ["c1"] and "(1)" in panel.title.text()
