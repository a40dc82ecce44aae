"""Operator commands never wait on slow work, and an interrupted line stops using the voice."""

import asyncio

from tests.fakes import ScriptedLLM, ScriptedTTS
from tests.showkit import make_show
from tests.test_show_pipeline import running, until
from vhost.base import commands as cmd
from vhost.base.vclock import run_virtual

LONG_LINE = " ".join(f"Sentence number {i} of the operator's long announcement is here." for i in range(1, 13))


class SlowPrefixLLM(ScriptedLLM):
    """Caching a prompt takes `delay` seconds once the show is live (the real worker is slower
    while it generates)."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay
        self.slow = False

    async def set_prefix(self, system: str) -> None:
        self.prefixes.append(system)
        if self.slow:
            await asyncio.sleep(self.delay)


def test_an_interrupt_right_after_a_product_switch_silences_within_100_ms():
    llm = SlowPrefixLLM(delay=2.0)

    async def go():
        show, sink, events = make_show(llm, ScriptedTTS(delay=0.02), auto_reply=False)
        async with running(show, sink):
            await until(lambda: show.ready.is_set())
            llm.slow = True
            show.control(cmd.SayNow(LONG_LINE))
            await until(lambda: show.speaker.current is not None and show.speaker.current.first_audio_at)
            await asyncio.sleep(0.3)
            handle = show.speaker.current
            t0 = sink.clock()
            show.control(cmd.SwitchProduct("lamp"))
            show.control(cmd.Interrupt())
            await until(lambda: handle.done)
            switched_at_once = show.product.id == "lamp"
            silence_after = max(pb.end for pb in handle.playbacks if pb.end) - t0
        return silence_after, switched_at_once, events

    silence_after, switched_at_once, events = run_virtual(go())
    assert silence_after < 0.1, f"silence {silence_after * 1000:.0f} ms after the interrupt"
    assert switched_at_once
    assert ("product", {"id": "lamp", "name": "Aurora Desk Lamp"}) in events or any(
        k == "product" and d["id"] == "lamp" for k, d in events)


def test_an_interrupted_say_now_stops_synthesizing_and_frees_the_voice():
    tts = ScriptedTTS(delay=0.15)

    async def go():
        show, sink, events = make_show(ScriptedLLM(), tts, auto_reply=False)
        async with running(show, sink):
            show.control(cmd.SayNow(LONG_LINE))
            await until(lambda: show.speaker.current is not None and show.speaker.current.first_audio_at)
            handle = show.speaker.current
            show.control(cmd.Interrupt())
            await until(lambda: handle.done)
            synthesized_at_cut = len(tts.texts)
            task = handle.task
            await asyncio.sleep(1.0)  # long enough for several more fragments, were it still running
            return synthesized_at_cut, len(tts.texts), task, show

    at_cut, later, task, show = run_virtual(go())
    assert at_cut < 12 and later == at_cut, f"{later - at_cut} fragments synthesized after the interrupt"
    assert task.cancelled()
    op = [s for s in show.spoken if s["source"] == "operator"]
    assert op and op[0]["interrupted"]


def test_a_question_after_an_interrupted_say_now_is_answered_at_once():
    tts = ScriptedTTS(delay=0.15)

    async def go():
        show, sink, events = make_show(ScriptedLLM(reply="It keeps tea hot for six hours."), tts)
        async with running(show, sink):
            show.control(cmd.SayNow(LONG_LINE))
            await until(lambda: show.speaker.current is not None and show.speaker.current.first_audio_at)
            show.control(cmd.Interrupt())
            from tests.test_show_pipeline import chat

            await show.offer_chat(chat(show))
            await until(lambda: show.replies)
        return show

    show = run_virtual(go())
    rep = show.replies[0]
    # the voice was free: the reply's first audio follows its own synthesis, not 11 more fragments
    assert rep["heard_text"] and rep["latency_s"] < 1.0


def test_say_now_puts_a_reply_nobody_heard_yet_back_in_line_and_an_interrupt_does_not():
    from tests.test_show_pipeline import chat

    async def go(command):
        tts = ScriptedTTS(delay=0.6)  # the reply is still being synthesized when the operator acts
        show, sink, events = make_show(ScriptedLLM(reply="It keeps tea hot for six hours."), tts)
        async with running(show, sink):
            await until(lambda: show.ready.is_set())
            await show.offer_chat(chat(show))
            await until(lambda: show.speaker.current is not None and show.speaker.current.source == "reply")
            show.control(command)
            await asyncio.sleep(20.0)
        return show

    show = run_virtual(go(cmd.SayNow("One moment, everyone!")))
    heard = [r for r in show.replies if r["heard_text"]]
    assert [s["source"] for s in show.spoken if s["heard_text"]][:1] == ["operator"]
    assert len(heard) == 1 and heard[0]["chat_id"] == "c1"  # answered after the typed line
    show = run_virtual(go(cmd.Interrupt()))
    assert not [r for r in show.replies if r["heard_text"]]  # "not this": not retried
