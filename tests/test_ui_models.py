"""The console's Qt models, tested without any view: rows, roles, and the signals views rely on."""

from PySide6.QtCore import Qt

from vhost.ui.chat_model import ChatModel
from vhost.ui.drafts_model import DraftsModel
from vhost.ui.health_model import ConnectorHealthModel, LatencyMeter
from vhost.ui.i18n import Translator


def chat(i, accepted=True, reason="queued", intent="question", **extra):
    return {"id": f"c{i}", "user": f"user{i}", "text": f"question {i}?", "accepted": accepted,
            "reason": reason, "intent": intent, "platform": "test", "received_at": float(i), **extra}


def draft(i, change="created", **fields):
    d = {"id": f"d{i}", "chat_id": f"c{i}", "user": f"user{i}", "chat_text": f"question {i}?", "lang": "en",
         "text": f"answer {i}", "original_text": f"answer {i}", "state": "pending", "pinned": False,
         "touched": False, "reasons": [], "held_back": [], "source": "reply", "created_at": 10.0 + i,
         "deadline": None, "edits": [], "heard_text": None, "interrupted": False}
    d.update(fields)
    return {"change": change, "draft": d}


# --- chat -------------------------------------------------------------------------------------
def test_chat_rows_roles_intent_rank_and_why(qtmodeltester):
    m = ChatModel(max_rows=50)
    m.on_event("chat", chat(1, rank=3))
    m.on_event("chat", chat(2, accepted=False, reason="spam", intent="spam"))
    m.on_event("chat", chat(3, intent="purchase", rank=4, amount=5.0, currency="USD"))
    assert m.rowCount() == 3
    i0, i1, i2 = (m.index(r) for r in range(3))
    assert m.data(i0, ChatModel.IntentRole) == "question"
    assert m.data(i0, ChatModel.RankRole) == 3
    assert m.data(i0, Qt.ItemDataRole.DisplayRole) == "[question rank 3] user1: question 1?"
    assert m.data(i1, ChatModel.StateRole) == "dropped"
    assert m.data(i1, Qt.ItemDataRole.ToolTipRole) == "dropped: spam"
    assert "[paid rank 4]" in m.data(i2) and "[5.0 USD]" in m.data(i2)
    assert m.roleNames()[ChatModel.MergedCountRole] == b"merged_count"
    qtmodeltester.check(m)


def test_chat_merge_counts_and_points_at_the_kept_question(qtbot):
    m = ChatModel()
    m.on_event("chat", chat(1))
    with qtbot.waitSignal(m.dataChanged) as sig:
        m.on_event("chat", chat(2, accepted=False, reason="merged", merged_into="c1"))
    assert sig.args[0].row() == 0  # the kept question's row changed: its count went up
    assert m.data(m.index(0), ChatModel.MergedCountRole) == 2
    assert "×2" in m.data(m.index(0))
    assert m.data(m.index(1), ChatModel.StateRole) == "merged"
    assert m.data(m.index(1), Qt.ItemDataRole.ToolTipRole) == "merged → user1"
    # triage's own count wins over ours when it sends one
    m.on_event("triage", {"id": "c1", "merged_count": 5})
    assert m.data(m.index(0), ChatModel.MergedCountRole) == 5


def test_chat_state_follows_triage_drafts_and_replies(qtbot):
    m = ChatModel()
    m.on_event("chat", chat(1))
    m.on_event("chat", chat(2))
    m.on_event("triage", {"id": "c2", "accepted": False, "reason": "stale"})
    assert m.rows[1]["state"] == "dropped" and m.why(m.rows[1]) == "dropped: too old"
    m.on_event("triage", {"id": "c1", "accepted": True, "reason": "dispatched"})
    assert m.rows[0]["state"] == "dispatched"
    m.on_event("draft", draft(1))
    assert m.rows[0]["state"] == "drafted"
    with qtbot.waitSignal(m.dataChanged):
        m.on_event("reply_started", {"chat_id": "c1", "user": "user1"})
    assert m.rows[0]["state"] == "answering"
    m.on_event("reply", {"chat_id": "c1", "interrupted": True})
    assert m.rows[0]["state"] == "interrupted"
    m.on_event("triage", {"id": "c1", "reason": "queued", "accepted": True})  # late decision: still cut
    assert m.rows[0]["state"] == "interrupted"
    m.on_event("reply", {"chat_id": "gone"})  # a reply to a message no longer listed is ignored


def test_chat_evicts_oldest_in_a_batch_and_keeps_ids_straight(qtmodeltester):
    m = ChatModel(max_rows=50)
    for i in range(60):
        m.on_event("chat", chat(i))
    assert 40 <= m.rowCount() <= 50
    assert m.rows[-1]["id"] == "c59"
    m.set_state("c59", "answered")
    assert m.rows[-1]["state"] == "answered"
    m.on_event("chat", chat(59))  # the same id again updates, never duplicates
    assert sum(r["id"] == "c59" for r in m.rows) == 1
    qtmodeltester.check(m)


def test_chat_labels_follow_the_language():
    tr = Translator("en")
    m = ChatModel(labels=tr.t)
    m.on_event("chat", chat(1, accepted=False, reason="duplicate", rank=2))
    assert m.data(m.index(0)).startswith("[question rank 2]")
    tr.set_language("zh")
    m.set_labels(tr.t)
    assert m.data(m.index(0)).startswith("[提问 优先级 2]")
    assert "已丢弃: 重复" in m.data(m.index(0))


# --- drafts -----------------------------------------------------------------------------------
def test_drafts_rows_roles_and_held_reasons(qtmodeltester):
    m = DraftsModel()
    m.on_event("draft", draft(1))
    m.on_event("draft", draft(2, reasons=["compliance: medical claim", "grounding: $19 not in catalog"]))
    assert m.rowCount() == 2
    i = m.index(1)
    assert m.data(i, DraftsModel.IdRole) == "d2"
    assert m.data(i, DraftsModel.QuestionRole) == "question 2?"
    assert m.data(i, DraftsModel.HeldRole) == ["compliance: medical claim", "grounding: $19 not in catalog"]
    assert m.data(i, DraftsModel.StatusRole) == "pending"
    assert m.data(i, DraftsModel.OriginalRole) is None  # not edited: no "original" line on the card
    qtmodeltester.check(m)


def test_drafts_edit_keeps_original_and_signals_the_row(qtbot):
    m = DraftsModel()
    m.on_event("draft", draft(1))
    with qtbot.waitSignal(m.dataChanged) as sig:
        m.on_event("draft", draft(1, change="edited", text="better answer", touched=True))
    assert sig.args[0].row() == 0
    assert m.data(m.index(0), DraftsModel.TextRole) == "better answer"
    assert m.data(m.index(0), DraftsModel.OriginalRole) == "answer 1"
    assert m.data(m.index(0), DraftsModel.EditedRole) is True


def test_drafts_pinned_first_and_finished_ones_leave(qtbot, qtmodeltester):
    m = DraftsModel()
    for i in (1, 2, 3):
        m.on_event("draft", draft(i))
    with qtbot.waitSignal(m.rowsInserted):
        m.on_event("draft", draft(3, change="pinned", pinned=True))
    assert [r["id"] for r in m.rows] == ["d3", "d1", "d2"]
    assert m.top()["id"] == "d3"
    m.on_event("draft", draft(3, change="unpinned", pinned=False))
    assert [r["id"] for r in m.rows] == ["d1", "d2", "d3"]  # back in arrival order
    m.on_event("draft", draft(1, change="approved", state="approved"))
    assert m.rows[0]["status"] == "approved" and m.top()["id"] == "d2"
    with qtbot.waitSignal(m.rowsRemoved):
        m.on_event("draft", draft(1, change="spoken", state="spoken"))
    m.on_event("draft", draft(2, change="skipped", state="skipped"))
    m.on_event("draft", draft(9, change="expired", state="expired"))  # unknown and final: no row
    assert [r["id"] for r in m.rows] == ["d3"]
    qtmodeltester.check(m)


def test_drafts_assisted_countdown_uses_the_show_clock():
    now = [1000.0]  # this process's clock
    m = DraftsModel(clock=lambda: now[0])
    # created at show time 50, to be spoken at show time 58: 8 s left when the event arrives
    m.on_event("draft", draft(1, created_at=50.0, deadline=58.0))
    assert m.data(m.index(0), DraftsModel.CountdownRole) == 8.0
    now[0] += 3
    assert m.data(m.index(0), DraftsModel.CountdownRole) == 5.0
    m.on_event("state", {"clock": 56.0})  # the show clock is a little ahead of our estimate
    assert m.data(m.index(0), DraftsModel.CountdownRole) == 2.0
    m.on_event("draft", draft(1, change="held", touched=True, deadline=None))
    assert m.data(m.index(0), DraftsModel.CountdownRole) is None


def test_drafts_snapshot_replaces_rows(qtmodeltester):
    m = DraftsModel()
    m.on_event("draft", draft(1))
    m.on_event("drafts", {"drafts": [draft(5)["draft"], draft(6, state="spoken")["draft"]]})
    assert [r["id"] for r in m.rows] == ["d5"]
    qtmodeltester.check(m)


# --- health and latency -----------------------------------------------------------------------
def test_health_rows_states_and_lights(qtbot, qtmodeltester):
    m = ConnectorHealthModel()
    m.on_event("health", {"connector": "twitch:#shop", "state": "connecting", "detail": ""})
    m.on_event("health", {"connector": "youtube:abc", "state": "live", "detail": "quota 120/10000"})
    assert m.rowCount() == 2 and m.columnCount() == 3
    with qtbot.waitSignal(m.dataChanged) as sig:
        m.on_event("health", {"connector": "twitch:#shop", "state": "auth failed", "detail": "bad token"})
    assert sig.args[0].row() == 0
    assert m.data(m.index(0, 1), ConnectorHealthModel.StateRole) == "auth_failed"
    assert m.data(m.index(0, 1)) == "auth failed"
    m.set_labels(Translator("zh").t)
    assert m.data(m.index(0, 1)) == "认证失败"
    assert m.data(m.index(0, 0), Qt.ItemDataRole.DecorationRole).name() == "#d62828"
    assert m.worst() == "auth_failed"
    m.on_event("health", {"name": "youtube:abc", "state": "reconnecting", "retry_in_s": 4})
    assert m.rows[1]["detail"] == "(retry in 4 s)"
    qtmodeltester.check(m)


def test_latency_meter_p50_of_recent_replies(qtbot):
    meter = LatencyMeter(window=3)
    assert meter.p50 is None
    with qtbot.waitSignal(meter.changed):
        meter.on_event("reply", {"latency_s": 4.0})
    for v in (1.0, 2.0, 3.0):
        meter.on_event("reply", {"latency_s": v})
    meter.on_event("reply", {"latency_s": None})  # an interrupted reply never heard: no sample
    meter.on_event("spoken", {"latency_s": 9.0})
    assert list(meter.samples) == [1.0, 2.0, 3.0]  # 4.0 fell out of the window
    assert meter.p50 == 2.0 and meter.last == 3.0


def test_chat_takes_triage_decisions_that_arrive_before_the_message():
    """Triage reports from inside offer(): its decision (rank, merge, detail) may come first."""
    m = ChatModel()
    m.on_event("chat", chat(1, rank=2))
    m.on_event("triage", {"id": "c2", "accepted": False, "intent": "question", "rank": 2, "reason": "merged",
                          "merged_into": "c1", "merged_count": 3, "target_count": 3, "detail": "3 viewers asked"})
    m.on_event("chat", {"id": "c2", "user": "Eli", "text": "how much??", "accepted": False,
                        "intent": "question", "reason": "merged"})
    assert m.rows[1]["state"] == "merged" and m.rows[1]["rank"] == 2
    assert m.why(m.rows[1]) == "merged → user1 (3 viewers asked)"
    assert "viewers asked)" not in m.data(m.index(1)).split("—")[0]  # the count shows on the kept one
    assert m.rows[0]["merged_count"] == 3
    m.on_event("triage", {"id": "c9", "reason": "stale"})  # never shown: kept briefly, then forgotten
    assert m.rowCount() == 2


def test_chat_filter_hides_what_triage_set_aside_and_follows_state_changes(qtmodeltester):
    from vhost.ui.chat_panel import ActiveChatFilter

    m = ChatModel()
    f = ActiveChatFilter(m)
    m.on_event("chat", chat(1))
    m.on_event("chat", chat(2, accepted=False, reason="spam", intent="spam"))
    m.on_event("chat", chat(3, accepted=False, reason="merged", merged_into="c1"))
    assert f.rowCount() == 3
    f.set_hide_inactive(True)
    assert [f.index(r, 0).data(ChatModel.IdRole) for r in range(f.rowCount())] == ["c1"]
    m.on_event("chat", chat(4))
    m.on_event("triage", {"id": "c4", "accepted": False, "reason": "stale"})  # leaves the view
    assert f.rowCount() == 1
    qtmodeltester.check(f)


def test_chat_withdraw_event_marks_every_named_message():
    m = ChatModel()
    for i in range(3):
        m.on_event("chat", chat(i))
    m.on_event("withdraw", {"withdraws": ["c0", "c2"]})  # a CLEARMSG-style event names a list
    m.on_event("withdraw", {"id": "c1"})
    assert [r["state"] for r in m.rows] == ["withdrawn", "withdrawn", "withdrawn"]


def test_chat_appends_do_not_renumber_every_row(monkeypatch):
    # A 2,000 msgs/s burst lands on the GUI thread: an append must not rebuild the id index of
    # all 500 rows; only the batched evictions renumber.
    m = ChatModel(max_rows=500)
    calls = []
    real = m._reindex
    monkeypatch.setattr(m, "_reindex", lambda: (calls.append(1), real()))
    for i in range(1000):
        m.on_event("chat", {"id": f"c{i}", "user": "u", "text": f"q{i}?", "accepted": True})
    assert len(calls) <= 15  # ~one per eviction of the oldest tenth
    assert all(m.row_of(r["id"]) == i for i, r in enumerate(m.rows)) and m.rows[-1]["id"] == "c999"
