"""The live dashboard's Qt side: the model coalesces events into one update a second, the interest
table is a model tested without a view, the headline figures read in both languages, and the
panel in the console suggests a switch the operator can make with one click."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from vhost.base import commands as cmd
from vhost.brain.catalog import load_catalog
from vhost.config.settings import ASSETS
from vhost.show.insights import Products
from vhost.ui.bridge import CoreBridge
from vhost.ui.console import ConsoleWindow
from vhost.ui.dashboard_model import COLUMNS, DashboardModel, ProductInterestModel, ShowClock, tiles
from vhost.ui.dashboard_panel import DashboardPanel
from vhost.ui.i18n import Translator

CATALOG = load_catalog(ASSETS / "catalog.toml")
PRODUCTS = [(p.id, p.name, {lang: t.name for lang, t in p.i18n.items() if t.name}) for p in CATALOG.products]


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def chat(i, text, intent="question", t=0.0, **extra):
    return {"id": f"c{i}", "user": f"u{i}", "text": text, "intent": intent, "accepted": True, "reason": "queued",
            "received_at": t, **extra}


LAMP_RUSH = [("state", {"product": {"id": "mug", "name": "Mug"}, "clock": 0.0}),
             *(("chat", chat(i, q, t=10.0 + i)) for i, q in enumerate(
                 ["how bright is the lamp?", "台灯多少钱？", "does the lamp have a timer?", "how much?"]))]


# --- the model ---------------------------------------------------------------------------------
def test_a_burst_of_events_is_one_update_a_second(qtbot) -> None:
    model = DashboardModel(Products.from_catalog(CATALOG))
    assert not model.timer.isActive()
    model.on_event("health", {"connector": "twitch", "state": "live"})  # not the dashboard's
    assert not model.timer.isActive()
    for i in range(2000):
        model.on_event("chat", chat(i, "how much is the mug?", t=i * 0.001))
    assert model.updates == 0 and model.timer.isActive() and model.timer.interval() == 1000
    with qtbot.waitSignal(model.updated, timeout=3000) as sig:
        pass
    assert model.updates == 1 and sig.args[0]["messages"] == 2000
    assert model.snapshot["products"][0]["questions"] == 2000


def test_the_show_clock_follows_the_events_and_runs_on_between_them() -> None:
    now = FakeTime()
    clock = ShowClock(now)
    clock.sync(100.0)
    now.t += 2.5
    assert clock.now() == pytest.approx(102.5)
    clock.sync(102.0)  # stamped a moment earlier (a message's arrival, published after triage)
    assert clock.now() == pytest.approx(102.5)
    clock.sync(50.0)  # a real step back (a new show clock)
    assert clock.now() == pytest.approx(50.0)


def test_events_without_a_time_are_placed_on_the_clock() -> None:
    now = FakeTime()
    model = DashboardModel(Products.from_catalog(CATALOG), monotonic=now)
    model.on_event("chat", chat(1, "how much is the mug?", t=40.0))
    now.t += 5.0
    model.on_event("reply", {"chat_id": "c1", "heard_text": "$24.99", "path": "facts", "latency_s": 1.2})
    now.t += 3.0
    model.tick()
    a = model.snapshot["answers"]
    assert model.snapshot["now"] == pytest.approx(48.0)
    assert a["last_answer_ago_s"] == pytest.approx(3.0) and a["coverage"] == 1.0


def test_interest_table_model(qtmodeltester) -> None:
    names = {pid: {"": name, **zh} for pid, name, zh in PRODUCTS}
    m = ProductInterestModel(names)
    dash = DashboardModel(Products.from_catalog(CATALOG), monotonic=FakeTime())
    for kind, data in LAMP_RUSH:
        dash.on_event(kind, data)
    dash.tick()
    with_reset = []
    m.modelReset.connect(lambda: with_reset.append(1))
    m.set_snapshot(dash.snapshot)
    assert m.rowCount() == 3 and m.columnCount() == len(COLUMNS) and with_reset == [1]
    assert [m.data(m.index(r, 0), m.ProductRole) for r in range(3)] == ["mug", "earbuds", "lamp"]
    mug, lamp = 0, 2
    assert m.data(m.index(mug, 0)) == "Voyager Insulated Travel Mug  (on screen)"
    assert m.data(m.index(mug, 0), Qt.ItemDataRole.FontRole).bold()
    assert m.data(m.index(lamp, COLUMNS.index("questions"))) == 3
    assert m.data(m.index(lamp, COLUMNS.index("recent_questions"))) == 3
    assert m.data(m.index(lamp, 0), Qt.ItemDataRole.BackgroundRole).name() == "#d9f2e1"  # suggested
    changed = []
    m.dataChanged.connect(lambda *a: changed.append(a))
    m.set_snapshot(dash.snapshot)
    assert changed == []  # nothing new: the view is not told to repaint
    dash.on_event("chat", chat(9, "earbuds battery?", t=20.0))
    dash.tick()
    m.set_snapshot(dash.snapshot)  # the same products: an update in place, no reset
    assert with_reset == [1] and len(changed) == 1
    assert m.data(m.index(1, COLUMNS.index("questions"))) == 1
    tr = Translator("zh")
    m.set_labels(tr, "zh")
    assert m.headerData(0, Qt.Orientation.Horizontal) == "各商品关注度"
    assert m.headerData(4, Qt.Orientation.Horizontal) == "近 3 分钟提问"
    assert m.data(m.index(mug, 0)) == "Voyager 旅行保温杯  (当前)"
    qtmodeltester.check(m)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_headline_tiles_in_both_languages(lang) -> None:
    dash = DashboardModel(Products.from_catalog(CATALOG), monotonic=FakeTime())
    for kind, data in [*LAMP_RUSH, ("reply", {"chat_id": "c0", "heard_text": "ok", "path": "facts", "latency_s": 2.0}),
                       ("chat", {**chat(9, "", t=20.0), "kind": "gift", "amount": 5, "currency": "USD"}),
                       ("unanswered", {"id": "c1", "user": "u1", "text": "台灯多少钱？", "product_id": "lamp",
                                       "lang": "zh", "at": 20.0, "said": "我去问一下。"})]:
        dash.on_event(kind, data)
    dash.tick()
    got = tiles(dash.snapshot, Translator(lang))
    assert len(got) == 6
    values = [v for _, v, _ in got]
    if lang == "en":
        assert got[0] == ("Chat, last minute", "4/min", "4 messages in all")
        assert values[1:] == ["25%", "2.0 s", "2", "1", "1"]
        assert got[1][2] == "1 of 4 questions" and got[5][2] == "1 in 5 min · 5 USD"
    else:
        assert got[0] == ("近一分钟弹幕", "4 条/分钟", "共 4 条")
        assert values[1:] == ["25%", "2.0 秒", "2", "1", "1"]
        assert got[3][2].startswith("最久 ")


# --- the panel, in the console -------------------------------------------------------------------
@pytest.fixture
def console(qtbot, tmp_path):
    sent: list = []
    w = ConsoleWindow(CoreBridge(dispatch=sent.append), PRODUCTS, config_path=tmp_path / "vhost.toml",
                      tr=Translator("en"), catalog_products=Products.from_catalog(CATALOG))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.sent = sent
    return w


def test_the_console_suggests_a_switch_and_one_click_makes_it(qtbot, console) -> None:
    tabs, panel = console.left_tabs, console.dashboard_panel
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Chat", "Dashboard"]
    for kind, data in LAMP_RUSH:
        console.bridge.deliver(kind, data)
    console.dashboard_model.tick()
    assert tabs.tabText(1) == "Dashboard ●"  # seen from the chat tab too
    assert panel.intent_chart.series == []  # hidden: nothing drawn yet
    tabs.setCurrentWidget(panel)
    assert panel.banner.isVisible()
    assert panel.banner.text.text() == "Viewers are asking about Lumen Arc LED Desk Lamp — switch?"
    assert panel.intent_chart.totals()[-1] == 4 and panel.tiles[0].value.text() == "4/min"
    qtbot.mouseClick(panel.banner.button, Qt.MouseButton.LeftButton)
    assert console.sent == [cmd.SwitchProduct("lamp")]
    console.bridge.deliver("product", {"id": "lamp", "name": "Lumen Arc LED Desk Lamp"})
    console.dashboard_model.tick()
    assert not panel.banner.isVisible() and tabs.tabText(1) == "Dashboard"


def test_the_dashboard_relabels_on_a_language_switch(qtbot, console) -> None:
    for kind, data in LAMP_RUSH:
        console.bridge.deliver(kind, data)
    console.dashboard_model.tick()
    console.left_tabs.setCurrentWidget(console.dashboard_panel)
    console.tr_.set_language("zh")
    panel = console.dashboard_panel
    assert console.left_tabs.tabText(0) == "弹幕" and console.left_tabs.tabText(1) == "数据看板 ●"
    assert panel.banner.text.text() == "观众在问「Lumen Arc LED 台灯」— 要切换吗？"
    assert panel.tiles[0].title.text() == "近一分钟弹幕"
    assert panel.intent_chart.series[0].label == "提问"
    assert panel.table_model.headerData(1, Qt.Orientation.Horizontal) == "提及"


def test_charts_paint_with_and_without_data(qtbot) -> None:
    panel = DashboardPanel(DashboardModel(), CoreBridge(dispatch=lambda c: None), Translator("en"))
    qtbot.addWidget(panel)
    panel.resize(700, 500)
    panel.show()
    qtbot.waitExposed(panel)
    assert not panel.intent_chart.grab().isNull()  # the empty chart says so
    panel.model.on_event("chat", chat(1, "how much?", t=1.0))
    panel.model.tick()
    assert panel.intent_chart.totals()[-1] == 1 and not panel.sentiment_bar.grab().isNull()
