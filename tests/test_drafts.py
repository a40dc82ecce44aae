"""Draft modes: manual (nothing spoken unapproved), assisted (spoken after N s unless touched),
auto with a guard (a flagged fragment is held), and the draft book's bookkeeping."""

import asyncio

import pytest

from tests.fakes import ScriptedLLM
from tests.test_show_pipeline import chat, make_show, running, until
from vhost.base import commands as cmd
from vhost.base.vclock import run_virtual
from vhost.show.drafts import DraftBook, DraftError


def test_book_edit_keeps_the_original_and_every_before_after_pair():
    book = DraftBook("manual")
    d = book.add(chat_id="c1", user="anna", chat_text="price?", lang="en", text="It is $19.", now=1.0)
    book.edit(d.id, "It is nineteen dollars.", now=2.0)
    book.edit(d.id, "Only nineteen dollars today!", now=3.0)
    assert d.original_text == "It is $19." and d.text == "Only nineteen dollars today!"
    assert [e["before"] for e in d.edits] == ["It is $19.", "It is nineteen dollars."]
    with pytest.raises(DraftError):
        book.edit(d.id, "   ", now=4.0)
    book.skip(d.id)
    with pytest.raises(DraftError, match="not pending"):
        book.approve(d.id)
    with pytest.raises(DraftError, match="no draft"):
        book.approve("d99")


def test_book_assisted_deadlines_touch_pin_and_expiry():
    book = DraftBook("assisted", assisted_delay_s=5.0, ttl_s=60.0)
    a = book.add(chat_id="a", user="u", chat_text="q", lang="en", text="A", now=0.0)
    b = book.add(chat_id="b", user="u", chat_text="q", lang="en", text="B", now=0.0)
    flagged = book.add(chat_id="c", user="u", chat_text="q", lang="en", text="C", now=0.0, reasons=["banned claim"])
    pinned = book.add(chat_id="p", user="u", chat_text="q", lang="en", text="P", now=0.0)
    book.hold(b.id)
    book.pin(pinned.id, True)
    assert book.due(4.9) == []
    assert [d.id for d in book.due(5.0)] == [a.id]  # b touched, c flagged, p pinned: none speak alone
    assert flagged.deadline is None and b.deadline is None
    expired = book.expire(61.0)
    assert {d.id for d in expired} == {b.id, flagged.id} and pinned.state == "pending"  # pinned never expires
    book.set_mode("manual", 62.0)
    assert all(d.deadline is None for d in book.pending)
    with pytest.raises(DraftError, match="unknown mode"):
        book.set_mode("yolo", 0.0)


def drafts(events, change=None):
    return [d for k, d in events if k == "draft" and (change is None or d["change"] == change)]


def test_manual_mode_speaks_nothing_until_approved_then_speaks_the_draft():
    async def go():
        show, sink, events = make_show(mode="manual")
        async with running(show, sink):
            await show.offer_chat(chat(show))
            await until(lambda: drafts(events, "created"))
            await asyncio.sleep(0.8)  # plenty of time in which auto mode would have spoken
            silent = list(show.spoken), list(show.parts.tts.texts)
            draft_id = drafts(events, "created")[0]["draft"]["id"]
            show.control(cmd.ApproveDraft(draft_id))
            await until(lambda: show.replies)
        return show, events, silent, draft_id

    show, events, (spoken_before, synth_before), draft_id = run_virtual(go())
    assert spoken_before == [] and synth_before == []  # not even synthesized before approval
    created = drafts(events, "created")[0]["draft"]
    assert created["text"].startswith("Hi there, this mug") and created["chat_id"] == "c1"
    rep = show.replies[0]
    assert rep["draft_id"] == draft_id and rep["heard_text"] == created["text"]
    assert drafts(events, "spoken")[0]["draft"]["heard_text"] == created["text"]


def test_manual_edit_speaks_the_edited_text_and_keeps_the_original():
    async def go():
        show, sink, events = make_show(mode="manual")
        async with running(show, sink):
            await show.offer_chat(chat(show))
            await until(lambda: drafts(events, "created"))
            did = drafts(events, "created")[0]["draft"]["id"]
            show.control(cmd.EditDraft(did, "Yes, the mug is in stock, grab it now.", approve=True))
            await until(lambda: show.replies)
        return show, events

    show, events = run_virtual(go())
    edited = drafts(events, "edited")[0]
    assert edited["after"] == "Yes, the mug is in stock, grab it now."
    assert edited["before"].startswith("Hi there") and edited["draft"]["original_text"] == edited["before"]
    assert show.replies[0]["heard_text"] == "Yes, the mug is in stock, grab it now."
    assert "Hi there" not in " ".join(show.parts.tts.texts)


def test_assisted_mode_speaks_after_the_delay_unless_touched():
    async def go():
        show, sink, events = make_show(mode="assisted", assisted_delay_s=0.6)
        async with running(show, sink):
            await show.offer_chat(chat(show))
            await show.offer_chat(chat(show, "What do you think of the lamp?", "bo", "c2"))
            await until(lambda: len(drafts(events, "created")) == 2)
            created = [d["draft"] for d in drafts(events, "created")]
            show.control(cmd.HoldDraft(created[1]["id"]))  # the operator opened the second card
            t_created = created[0]["created_at"]
            await until(lambda: show.replies)
            await asyncio.sleep(1.0)
        return show, events, created, t_created

    show, events, created, t_created = run_virtual(go())
    assert len(show.replies) == 1 and show.replies[0]["chat_id"] == "c1"
    assert show.replies[0]["first_audio_at"] >= t_created + 0.6  # not before the delay
    assert show.desk.book.get(created[1]["id"]).state == "pending"  # touched: waits for a human
    assert drafts(events, "approved")[0].get("auto") is True


def test_auto_mode_guard_holds_the_flagged_fragment_as_a_draft():
    llm = ScriptedLLM(reply="This mug keeps drinks hot for hours. It is way better than the BrandX mug, trust me!")

    def guard(text, lang):
        return ["names a competitor"] if "BrandX" in text else []

    async def go():
        show, sink, events = make_show(llm, guard=guard)
        async with running(show, sink):
            await show.offer_chat(chat(show))
            await until(lambda: show.replies and drafts(events, "created"))
        return show, events

    show, events = run_virtual(go())
    held = drafts(events, "created")[0]["draft"]
    assert held["reasons"] == ["names a competitor"] and held["source"] == "guard" and "BrandX" in held["text"]
    assert held["deadline"] is None
    heard = " ".join(s["heard_text"] for s in show.spoken)
    assert "BrandX" not in heard and "BrandX" not in " ".join(show.parts.tts.texts)
    assert show.replies[0]["heard_text"].startswith("This mug keeps drinks hot")


def test_a_crashing_guard_holds_instead_of_speaking():
    def guard(text, lang):
        raise RuntimeError("filter list missing")

    async def go():
        show, sink, events = make_show(mode="assisted", assisted_delay_s=0.2, guard=guard)
        async with running(show, sink):
            await show.offer_chat(chat(show))
            await until(lambda: drafts(events, "created"))
            await asyncio.sleep(0.6)
        return show, events

    show, events = run_virtual(go())
    d = drafts(events, "created")[0]["draft"]
    assert d["reasons"] and "guard failed" in d["reasons"][0]
    assert show.spoken == []  # flagged drafts never speak on their own


def test_bad_draft_commands_warn_and_the_show_goes_on():
    async def go():
        show, sink, events = make_show(mode="manual")
        async with running(show, sink):
            show.control(cmd.ApproveDraft("d42"))
            show.control(cmd.SkipDraft(None))
            show.control(cmd.SayNow("Still here!"))
            await until(lambda: show.spoken)
        return show, events

    show, events = run_virtual(go())
    warnings = [d["text"] for k, d in events if k == "warning"]
    assert any("d42" in w for w in warnings) and any("no pending draft" in w for w in warnings)
    assert show.spoken[0]["heard_text"] == "Still here!"
    assert [d for k, d in events if k == "state"][-1]["mode"] == "manual"


def test_a_manual_draft_says_what_the_live_reply_would_not_a_cut_off_tail():
    # The token limit cut the model mid-sentence: live, "And it" is left unsaid; the draft the
    # operator approves must be the same words, not "..., very warm. And it".
    cut = "Lovely mug, very warm. And it"

    async def go(mode):
        show, sink, events = make_show(ScriptedLLM(reply=cut), mode=mode)
        async with running(show, sink):
            await show.offer_chat(chat(show))
            if mode == "auto":
                await until(lambda: show.replies)
                return show.replies[0]["reply_text"]
            await until(lambda: [d for k, d in events if k == "draft"])
            return next(d for k, d in events if k == "draft")["draft"]["text"]

    live, drafted = run_virtual(go("auto")), run_virtual(go("manual"))
    assert live == "Lovely mug, very warm."
    assert drafted == live


def test_a_manual_faq_card_runs_the_operators_filter_once():
    seen: list[str] = []

    def guard(text, lang):
        seen.append(text)
        return []

    async def go():
        show, sink, events = make_show(mode="manual", guard=guard, script_after_s=60)
        async with running(show, sink):
            await show.offer_chat(chat(show, "Is the mug dishwasher safe?"))
            await until(lambda: [d for k, d in events if k == "draft"])
        return show, events

    show, events = run_virtual(go())
    card = next(d for k, d in events if k == "draft")["draft"]
    assert "top rack" in card["text"] and show.parts.llm.requests == []
    assert seen == [card["text"]]


def test_book_stays_bounded_over_a_long_show_and_never_drops_a_pending_draft():
    from vhost.show import drafts as drafts_mod

    book = DraftBook("manual")
    first = book.add(chat_id="c0", user="u", chat_text="q", lang="en", text="pending since the start", now=0.0)
    for i in range(1, 3 * drafts_mod.MAX_RESOLVED):
        d = book.add(chat_id=f"c{i}", user="u", chat_text="q", lang="en", text=f"line {i}", now=float(i))
        book.skip(d.id)
    kept = book.all()
    assert len(kept) <= drafts_mod.MAX_RESOLVED + drafts_mod.MAX_RESOLVED // 10 + 1
    assert book.get(first.id) is first and book.pending == [first]
    assert kept[-1].text == f"line {3 * drafts_mod.MAX_RESOLVED - 1}"  # the newest are the ones kept


def test_an_approved_draft_reads_the_catalogs_words_in_their_own_languages_voice():
    # the draft says the catalog's English words for a Chinese viewer (a fact the demo catalog has
    # in English only): approved, the English part goes to the English voice, the lead to the Mandarin
    async def go():
        show, sink, events = make_show(mode="manual")
        async with running(show, sink):
            await show.offer_chat(chat(show, "这个杯子是什么材质的？", "小鹿", "c1"))
            await until(lambda: drafts(events, "created"))
            show.control(cmd.ApproveDraft(drafts(events, "created")[0]["draft"]["id"]))
            await until(lambda: show.replies)
        return show

    show = run_virtual(go())
    assert "steel, ceramic-coated inside" in show.replies[0]["heard_text"]
    said = list(zip(show.parts.tts.texts, show.parts.tts.langs, strict=True))
    assert [lang for text, lang in said if "ceramic" in text] == ["en"]
    assert {lang for text, lang in said if "资料" in text} == {"zh"}
