"""A synthetic show written through the session record's own API (SessionRecord with a show
clock), as the show writes it: the events are the show's own models (vhost.base.events), so the
report reads exactly the shape a real show records. `PLAN` says, for each chat line, which product
it is about by design — the tests compute what the report must say from the plan, not from the
record."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vhost.base import events as ev
from vhost.brain.catalog import load_catalog
from vhost.brain.script_loop import _STEP, SEGMENTS, ScriptLoop
from vhost.show.session_record import SessionRecord

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "assets" / "demo" / "catalog.toml"
NAMES = {"mug": "Voyager Insulated Travel Mug", "earbuds": "Pulse Air Wireless Earbuds",
         "lamp": "Lumen Arc LED Desk Lamp"}


@dataclass(frozen=True)
class Line:
    """One chat line of the plan: t (show seconds), user, text, intent, the product it is about
    (None: no product), the reply's latency (None: no reply), and what else happens to it."""

    t: float
    user: str
    text: str
    intent: str
    about: str | None
    latency: float | None = None
    path: str = "facts"
    unanswered: bool = False
    reason: str = "queued"
    accepted: bool = True
    detail: str = ""
    merged_into: str | None = None
    kind: str = "message"
    amount: float | None = None
    currency: str | None = None


# mug on screen 0-300 s, earbuds 300-480 s, lamp 480-600 s
SWITCHES = [(300.0, "earbuds"), (480.0, "lamp")]
DURATION = 600.0
PLAN: list[Line] = [
    Line(5, "Anna", "hi Max!", "greeting", None, 0.2, "greeting"),
    Line(20, "Ben", "how much is the mug?", "question", "mug", 0.5),
    Line(35, "小雨", "这个杯子多少钱？", "question", "mug", 1.5),
    Line(50, "Eli", "How much is the mug??", "question", "mug", None, reason="duplicate", accepted=False,
         detail="just answered"),
    Line(66, "Dev", "price?", "question", "mug", 2.0),
    Line(70, "Gus", "多少钱", "question", "mug", None, reason="merged", merged_into="c5"),
    Line(90, "Kai", "I'll take the mug!", "purchase", "mug"),
    Line(100, "Hana", "love it, so cute ❤", "other", None),
    Line(110, "Ivy", "does the mug come with a gift box?", "question", "mug", 3.0, "unknown", unanswered=True),
    Line(125, "阿杰", "杯子有礼盒包装吗？", "question", "mug", 4.0, "unknown", unanswered=True),
    Line(140, "gr0wth_b0t", "FOLLOW ME FOR FREE FOLLOWERS www.free.example", "spam", None, reason="spam",
         accepted=False),
    Line(150, "Lou", "this is a scam, my order never arrived", "complaint", None),
    Line(170, "Zoe", "", "other", None, kind="gift", amount=5.0, currency="USD"),
    Line(175, "Zoe", "", "other", None, kind="paid", amount=10.0, currency="USD"),
    Line(185, "美美", "", "other", None, kind="gift", amount=30.0, currency="CNY"),
    Line(200, "Max2", "buy buy buy, add to cart", "purchase", "mug"),
    Line(230, "Ola", "is it dishwasher safe?", "question", "mug", 6.0),
    Line(250, "Pia", "too expensive", "other", None),
    Line(320, "Quin", "how long does the battery last?", "question", "earbuds", 1.0),
    Line(330, "Rui", "耳机电池能用多久？", "question", "earbuds", 1.2),
    Line(345, "Sam", "I want one!", "purchase", "earbuds"),
    Line(350, "Tao", "我要下单", "purchase", "earbuds"),
    Line(360, "Uma", "how much is the mug now?", "question", "mug", 0.8),
    Line(420, "Vic", "do the earbuds come with a gift box?", "question", "earbuds", 2.5, "unknown", unanswered=True),
    Line(455, "Zed", "I want one, can I pay with PayPal?", "purchase", "earbuds", 2.2, "unknown", unanswered=True),
    Line(500, "Wen", "台灯多少钱？", "question", "lamp", 0.9),
    Line(530, "Xia", "I'll take the lamp", "purchase", "lamp"),
    Line(590, "Yan", "what colors does the lamp come in?", "question", "lamp", None),  # the show ended first
]
# (start, end, segment kind, cycle, interrupted): the mug's script (lang en)
SEGMENT_PLAN = [(60.0, 64.0, "offer", 0, False), (80.0, 84.0, "cta", 0, False), (190.0, 193.0, "offer", 1, True),
                (240.0, 244.0, "offer", 0, False)]
EDITS = [("d1", "It's $24.99!", "It's $24.99 today.")]


def chat_id(i: int) -> str:
    return f"c{i + 1}"


def expected_variant(kind: str, cycle: int) -> str:
    """What the script loop picks (its own formula), independent of matching the heard text."""
    return f"{kind}#{(cycle * _STEP[kind] + SEGMENTS.index(kind)) % 5 + 1}"


@dataclass
class ShowWriter:
    """Writes show events at chosen show times through SessionRecord."""

    db: Path
    meta: dict = field(default_factory=dict)
    now: float = 0.0

    def __post_init__(self) -> None:
        self.record = SessionRecord(self.db, meta=self.meta, clock=lambda: self.now)

    def emit(self, t: float, event: ev.Event) -> None:
        self.now = t
        self.record.event(event.kind, event.data())

    def close(self) -> str:
        assert self.record.flush()
        self.record.close()
        return self.record.id


def _chat(w: ShowWriter, i: int, line: Line) -> None:
    cid = chat_id(i)
    w.emit(line.t, ev.ChatReceived(
        id=cid, accepted=line.accepted, intent=line.intent, reason=line.reason, merged_into=line.merged_into,
        detail=line.detail, user=line.user, text=line.text, platform="replay", received_at=line.t,
        kind_=line.kind, amount=line.amount, currency=line.currency))
    if line.unanswered:
        w.emit(line.t + 0.1, ev.UnansweredQuestion(id=cid, user=line.user, text=line.text, product_id=line.about,
                                                   lang="zh" if not line.text.isascii() else "en", at=line.t + 0.1,
                                                   said="I'll check with the team."))
    if line.latency is not None:
        w.emit(line.t + line.latency + 2.0, ev.ReplyHeard(
            chat_id=cid, reply_text="ok", heard_text="ok", interrupted=False, latency_s=line.latency,
            path=line.path, user=line.user, chat_text=line.text))


def _script(w: ShowWriter) -> None:
    loop = ScriptLoop(load_catalog(CATALOG).get("mug"), "en")
    for start, end, kind, cycle, cut in SEGMENT_PLAN:
        text = loop.render(kind, cycle)
        heard = text[: len(text) // 2] if cut else text
        w.emit(end, ev.Spoken(source="script", heard_text=heard, interrupted=cut, first_audio_at=start, segment=kind))


def _drafts(w: ShowWriter) -> None:
    held = ev.Draft(id="d2", chat_id="c17", user="Ola", chat_text="is it dishwasher safe?", lang="en",
                    text="It is 100% safe forever.", created_at=231.0, reasons=["compliance: 'safe forever'"],
                    source="guard")
    w.emit(231.0, ev.DraftChanged(change="created", draft=held, now=231.0))
    w.emit(260.0, ev.DraftChanged(change="skipped", draft=held, now=260.0))
    for did, before, after in EDITS:
        d = ev.Draft(id=did, chat_id="c2", user="Ben", chat_text="how much is the mug?", lang="en", text=before,
                     created_at=21.0)
        w.emit(21.0, ev.DraftChanged(change="created", draft=d, now=21.0))
        w.emit(22.0, ev.DraftChanged(change="edited", draft=d, now=22.0, before=before, after=after))
        w.emit(23.0, ev.DraftChanged(change="spoken", draft=d, now=23.0))
    w.emit(400.0, ev.OperatorWarning(text="script line held (compliance): Never call it unbreakable"))


def write_show(db: Path, plan: list[Line] | None = None, *, answer_gift_box: bool = True) -> str:
    """The synthetic show (PLAN unless `plan` is given) in `db`; returns its session id."""
    plan = PLAN if plan is None else plan
    w = ShowWriter(db, {"mode": "auto", "product": "mug", "catalog": str(CATALOG)})
    for i, line in enumerate(plan):
        _chat(w, i, line)
    for t, pid in SWITCHES:
        w.emit(t, ev.ProductChanged(id=pid, name=NAMES[pid]))
    _script(w)
    _drafts(w)
    if answer_gift_box:
        w.emit(130.0, ev.QuestionAnswered(id="c9", text="Yes, a gift box is included.", saved=True))
    w.emit(DURATION, ev.Status(text="show ended"))
    return w.close()
