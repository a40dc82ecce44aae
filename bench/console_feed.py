"""For `python -m bench.stage --dashboard`: the operator console in the stage's process (as in
`vhost demo`), fed from another thread the way the show feeds it (CoreBridge.deliver from the core
loop's thread): chat at a steady rate with triage's intent, a reply to each question a second
later, a gift now and then, a product switch each minute.
"""

from __future__ import annotations

import itertools
import threading
import time

TEXTS = ["how much is the mug?", "这个杯子多少钱？", "is it dishwasher safe?", "I'll take two, added to cart!",
         "hi everyone", "大家好", "love it, so pretty", "太贵了吧", "my order never arrived, refund please",
         "how bright is the lamp?", "台灯有几档亮度？", "do the earbuds work with iPhone?", "耳机防水吗？", "lol",
         "check out my channel www.spam.example", "what colours does the mug come in?"]


def open_console(dashboard: bool):  # noqa: ANN201 - (ConsoleWindow, CoreBridge)
    from vhost.brain.catalog import load_catalog
    from vhost.config.settings import ASSETS
    from vhost.show.insights.products import Products
    from vhost.ui.bridge import CoreBridge
    from vhost.ui.console import ConsoleWindow
    from vhost.ui.i18n import Translator

    catalog = load_catalog(ASSETS / "catalog.toml")
    products = [(p.id, p.name, {lang: t.name for lang, t in p.i18n.items() if t.name}) for p in catalog.products]
    bridge = CoreBridge(dispatch=lambda _command: None)
    try:
        console = ConsoleWindow(bridge, products, tr=Translator("en"), catalog_products=Products.from_catalog(catalog))
    except TypeError:  # a console from before the dashboard, to compare against
        console = ConsoleWindow(bridge, products, tr=Translator("en"))
    console.resize(1280, 860)
    console.show()
    if dashboard and hasattr(console, "dashboard_panel"):
        console.left_tabs.setCurrentWidget(console.dashboard_panel)
    return console, bridge


class ChatFeed:
    """Delivers show events to `bridge` from its own thread at `rate` chat messages a second."""

    def __init__(self, bridge, rate: float) -> None:  # noqa: ANN001 - CoreBridge
        from vhost.chat.intent import classify

        self.bridge, self.rate = bridge, rate
        self.intents = {t: classify(t) for t in TEXTS}
        self.sent = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._t0 = time.perf_counter()

    def prefill(self, n: int = 600) -> None:
        """`n` messages at once, before any phase: the chat list at its steady size (it keeps 500
        rows), so the phases compare like with like."""
        replies: list[tuple[float, str]] = []
        for i in range(n):
            self._chat(-n + i, -1.0, replies)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        replies: list[tuple[float, str]] = []
        products = itertools.cycle(["earbuds", "lamp", "mug"])
        next_switch = 60.0
        for i in itertools.count():
            if self._stop.is_set():
                return
            now = time.perf_counter() - self._t0
            self._chat(i, now, replies)
            due = [r for r in replies if r[0] <= now]
            for _, cid in due:
                self.bridge.deliver("reply", {"chat_id": cid, "user": "bench", "heard_text": "It is $24.99 today.",
                                              "reply_text": "", "path": "facts", "latency_s": 1.0,
                                              "interrupted": False, "grounded": True, "mismatches": []})
            replies = [r for r in replies if r[0] > now]
            if now >= next_switch:
                pid = next(products)
                self.bridge.deliver("product", {"id": pid, "name": pid})
                next_switch += 60.0
            self._stop.wait(max(0.0, (i + 1) / self.rate - (time.perf_counter() - self._t0)))

    def _chat(self, i: int, now: float, replies: list[tuple[float, str]]) -> None:
        text = TEXTS[i % len(TEXTS)]
        intent = self.intents[text]
        cid = f"b{i}"
        kind = "gift" if i % 50 == 49 else "message"
        self.bridge.deliver("triage", {"id": cid, "accepted": intent != "spam", "intent": intent, "rank": 2,
                                       "reason": "spam" if intent == "spam" else "queued"})
        self.bridge.deliver("chat", {"id": cid, "user": f"viewer{i % 40}", "text": text, "platform": "bench",
                                     "received_at": now, "accepted": intent != "spam", "intent": intent, "rank": 2,
                                     "reason": "spam" if intent == "spam" else "queued", "kind": kind})
        self.sent += 1
        if intent == "question":
            replies.append((now + 1.0, cid))
