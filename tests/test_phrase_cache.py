"""Lines prepared ahead (vhost.speech.phrase_cache): a fact answer's fact plays from memory and only
the asker's name is synthesized; the live voice is never made to wait for the preparing."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from tests.fakes import ScriptedLLM, ScriptedTTS
from tests.showkit import make_show
from tests.test_show_pipeline import running, until
from vhost.base.vclock import run_virtual
from vhost.base.workers import WorkerError
from vhost.chat.events import ChatMessage
from vhost.speech.phrase_cache import PhraseCache
from vhost.speech.speaker import split_line

FACT = "这款精华三十毫升，一百二十九元。"


def test_a_prepared_fact_is_one_fragment_played_from_memory_and_only_the_name_is_synthesized():
    async def body():
        live, ahead = ScriptedTTS(), ScriptedTTS()
        cache = PhraseCache(live, warm_tts=ahead)
        cache.warm([("zh", FACT), ("en", "30 ml, 129 yuan.")])
        await until(lambda: cache.pending() == 0 and cache.warmed == 2)
        frags = cache.fragments("小鹿，" + FACT, "zh")
        chunks = [await cache.synthesize(f, "zh") for f in frags]
        return live.texts, ahead.texts, frags, chunks

    live, ahead, frags, chunks = run_virtual(body())
    assert ahead == [FACT, "30 ml, 129 yuan."]  # the background voice prepared both
    assert frags == ["小鹿，", FACT]
    assert live == ["小鹿，"]  # the live voice only said the name
    assert [c.cached for c in chunks] == [False, True]
    assert chunks[1].duration > 0.5 and chunks[1].visemes  # the mouth moves as when it was made
    made = run_virtual(ScriptedTTS().synthesize(FACT, "zh"))
    assert chunks[1].pcm.dtype == np.float32 and np.abs(chunks[1].pcm - made.pcm).max() < 1e-4  # kept 16-bit


def test_every_kept_phrase_in_a_line_is_a_fragment_of_its_own_so_a_refusal_plays_from_memory():
    from vhost.brain.compose import Composer

    composer = Composer()
    line = composer.refuse(["小周"], "zh", "符合大多数航空公司的登机尺寸要求。")
    fixed = composer.fixed_lines("zh")
    assert "这个我不能乱说哦。可以告诉你的是：" in fixed and "这个细节我不确定，我去问问。我知道的是：" in fixed
    assert "小周不是哦，" in composer.openings(["小周"], "zh") and "小周不是哦，" not in composer.leads(["小周"], "zh")

    async def body():
        cache = PhraseCache(ScriptedTTS(), warm_tts=ScriptedTTS())
        cache.warm([("zh", "符合大多数航空公司的登机尺寸要求。"), *(("zh", t) for t in fixed)])
        cache.warm_first([("zh", t) for t in composer.openings(["小周"], "zh")])
        await until(lambda: cache.pending() == 0)
        return cache

    cache = run_virtual(body())
    frags = cache.fragments(line, "zh")
    assert frags == ["小周，", "这个我不能乱说哦。可以告诉你的是：", "符合大多数航空公司的登机尺寸要求。"]
    assert all(cache.has("zh", f) for f in frags)
    fix = composer.fact("今天599元。", ["小周"], "zh", correcting=True)
    assert cache.fragments(fix, "zh")[0] == "小周不是哦，" and cache.has("zh", "小周不是哦，")


def test_a_phrase_only_matches_at_clause_boundaries_and_in_its_own_language():
    async def body():
        cache = PhraseCache(ScriptedTTS(), warm_tts=ScriptedTTS())
        cache.warm([("en", "30 ml"), ("en", "Tom: it's 30 ml, and it ships today.")])
        await until(lambda: cache.pending() == 0)
        return cache

    cache = run_virtual(body())
    assert cache.fragments("Anna — 30 ml, 129 yuan.", "en")[:2] == ["Anna —", "30 ml"]
    assert "30 ml" not in cache.fragments("It's 130 ml, 129 yuan.", "en")  # "130 ml" is not "30 ml"
    assert "30 ml" not in cache.fragments("Anna — 30 ml, 129 yuan.", "zh")  # kept for English only
    # the longest kept phrase wins
    assert cache.fragments("Tom: it's 30 ml, and it ships today. Enjoy!", "en")[0] == "Tom: it's 30 ml, and it ships today."
    # nothing kept inside: the ordinary cut
    line = "No idea about that one, sorry. I'll check."
    assert cache.fragments(line, "en") == split_line(line)


def test_without_a_background_voice_lines_are_prepared_only_while_the_speaker_is_idle():
    async def body():
        live = ScriptedTTS()
        busy = [True]
        cache = PhraseCache(live, is_busy=lambda: busy[0], idle_s=0.5)
        cache.warm([("zh", FACT)])
        await asyncio.sleep(5.0)
        before = list(live.texts)
        busy[0] = False
        await until(lambda: cache.warmed == 1)
        return before, live.texts

    before, after = run_virtual(body())
    assert before == []  # a busy speaker is never made to wait behind a line nobody asked for
    assert after == [FACT]


def test_a_newer_product_replaces_what_is_pending_and_failures_are_skipped():
    class Failing(ScriptedTTS):
        async def synthesize(self, text, lang=None):
            if text.startswith("坏"):
                self.texts.append(text)
                raise WorkerError("voice busy")
            return await super().synthesize(text, lang)

    async def body():
        ahead = Failing(delay=1.0)
        cache = PhraseCache(ScriptedTTS(), warm_tts=ahead)
        cache.warm([("zh", "旧产品一号的事实。"), ("zh", "旧产品二号的事实。"), ("zh", "旧产品三号的事实。")])
        await asyncio.sleep(0.5)  # the first is being made
        cache.warm([("zh", "坏掉的一句话。"), ("zh", "新产品的事实。")])
        await until(lambda: cache.pending() == 0 and cache.warmed == 2)
        return ahead.texts, cache

    made, cache = run_virtual(body())
    assert made == ["旧产品一号的事实。", "坏掉的一句话。", "新产品的事实。"]
    assert cache.fragments("新产品的事实。", "zh") == ["新产品的事实。"]


def test_kept_audio_is_bounded_least_recently_used_first_and_fallback_voices_are_not_kept():
    class Fallback(ScriptedTTS):
        async def synthesize(self, text, lang=None):
            chunk = await super().synthesize(text, lang)
            chunk.warning = "kokoro unavailable; espeak-ng spoke" if "fallback" in text else ""
            return chunk

    async def body():
        cache = PhraseCache(ScriptedTTS(), warm_tts=Fallback(seconds_per_char=0.1), max_audio_s=4.0)
        cache.warm([("en", "first line here."), ("en", "second line here."), ("en", "fallback voice line.")])
        await until(lambda: cache.pending() == 0)
        await cache.synthesize("first line here.", "en")  # used: the second is now the oldest
        cache.warm([("en", "third line here.")])
        await until(lambda: cache.pending() == 0)
        return cache

    cache = run_virtual(body())
    assert cache.kept_s <= 4.0
    kept = [f for f in ("first line here.", "second line here.", "third line here.", "fallback voice line.")
            if cache.fragments(f, "en") == [f] and f in {k for _, k in cache._kept}]
    assert kept == ["first line here.", "third line here."]


@pytest.mark.parametrize("lang, question, user", [("zh", "这个多少钱？", "小鹿"), ("en", "how much is it?", "Tom")])
def test_in_the_show_a_price_answer_after_preparing_synthesizes_only_the_asker_name(lang, question, user):
    async def body():
        live, ahead = ScriptedTTS(), ScriptedTTS()
        show, sink, events = make_show(ScriptedLLM(), live, prepare_phrases=True, tts_ahead=ahead)
        async with running(show, sink):
            await until(lambda: show.phrases.pending() == 0 and show.phrases.warmed > 5, timeout=60)
            await show.offer_chat(ChatMessage("c1", "test", user, question, show.clock()))
            await until(lambda: show.replies and show.replies[-1].get("heard_text"), timeout=30)
        return live.texts, ahead.texts, show.replies[-1]

    live, ahead, reply = run_virtual(body())
    prepared = [t for t in ahead if t in reply["heard_text"]]
    assert prepared and reply["heard_text"].startswith(user)  # the price line, prepared ahead
    assert len(live) == 1 and user in live[0]  # the live voice said the name only


def test_a_viewer_who_wrote_has_their_name_prepared_so_their_next_answer_needs_no_live_synthesis():
    async def body():
        live, ahead = ScriptedTTS(), ScriptedTTS()
        show, sink, events = make_show(ScriptedLLM(), live, prepare_phrases=True, tts_ahead=ahead)
        async with running(show, sink):
            await until(lambda: show.phrases.pending() == 0, timeout=60)
            await show.offer_chat(ChatMessage("c1", "test", "阿强", "主播晚上好！", show.clock()))
            await until(lambda: show.phrases.has("zh", "阿强，"), timeout=30)
            await until(lambda: not show.speaker.busy and show.phrases.pending() == 0, timeout=60)
            before = list(live.texts)
            await show.offer_chat(ChatMessage("c2", "test", "阿强", "这个多少钱？", show.clock()))
            n = len(show.replies)
            await until(lambda: len(show.replies) > n and show.replies[-1].get("heard_text"), timeout=30)
        return before, live.texts, ahead.texts, show.replies[-1]

    before, after, ahead, reply = run_virtual(body())
    assert "阿强，" in ahead and "好的阿强，" in ahead  # both ways an answer to them may open
    assert after == before, (before, after, reply)  # the price answer came from memory entirely
    assert reply["heard_text"].startswith(("阿强", "好的阿强"))


class _SlowVoice(ScriptedTTS):
    """Synthesis time grows with the text, as Kokoro's does on a CPU (~0.25 s per 汉字)."""

    def __init__(self, seconds_per_char_made: float) -> None:
        super().__init__()
        self.made = seconds_per_char_made

    async def synthesize(self, text, lang=None):
        await asyncio.sleep(self.made * len(text))
        return await super().synthesize(text, lang)


@pytest.mark.parametrize("made, name_last", [(0.25, True), (0.002, False)])
def test_a_new_askers_name_goes_last_only_when_the_voice_would_keep_the_prepared_answer_waiting(made, name_last):
    async def body():
        live, ahead = _SlowVoice(made), _SlowVoice(made)
        show, sink, events = make_show(ScriptedLLM(), live, prepare_phrases=True, tts_ahead=ahead)
        async with running(show, sink):
            await until(lambda: show.phrases.pending() == 0 and show.phrases.warmed > 5, timeout=600)
            n = len(live.texts)
            await show.offer_chat(ChatMessage("c1", "test", "小鹿", "这个多少钱？", show.clock()))
            await until(lambda: show.replies and show.replies[-1].get("heard_text"), timeout=60)
        return live.texts[n:], show.replies[-1]

    live, reply = run_virtual(body())
    heard = reply["heard_text"]
    if name_last:  # the prepared price plays first; the name is made while it plays
        assert heard.endswith("小鹿问的。") and not heard.startswith("小鹿"), heard
        assert live == ["小鹿问的。"]  # the answer itself came from memory
    else:  # a fast voice: the usual opening with the name
        assert heard.startswith(("小鹿", "好的小鹿")), heard
    assert [t for t in live if "小鹿" in t]  # the name was synthesized live either way


def test_name_last_moves_the_askers_from_the_opening_to_a_short_closing():
    from vhost.brain.compose import Composer

    c = Composer()
    assert c.name_last("小鹿，这款精华三十毫升，一百二十九元。", ["小鹿"], "zh") == "这款精华三十毫升，一百二十九元。小鹿问的。"
    assert c.name_last("好的小鹿，三十毫升", ["小鹿"], "zh") == "三十毫升。小鹿问的。"
    assert c.name_last("Tom and Kim — it's 30 ml, $129.", ["Tom", "Kim"], "en") == "It's 30 ml, $129. That's for Tom and Kim."
    assert c.name_last("Tom: 30 ml", ["Tom"], "en") == "30 ml. That's for Tom."
    assert c.name_last("这款三十毫升。", ["小鹿"], "zh") is None  # no name to move
    assert c.name_last("小鹿，", ["小鹿"], "zh") is None  # nothing but the name
    assert c.name_last("Tom: 30 ml", [], "en") is None


def test_the_expected_synthesis_time_follows_what_this_voice_took():
    async def body():
        live = _SlowVoice(0.0)
        cache = PhraseCache(live)
        assert cache.expected_s("小鹿，", "zh") is None  # nothing measured yet

        async def timed(text, base, per_char):
            live.made = 0.0
            live.delay = base + per_char * len(text)  # a fixed cost per call and one per character
            await cache.synthesize(text, "zh")

        await timed("这款精华三十毫升，一百二十九元。", 0.6, 0.08)
        await timed("好的，谢谢大家。", 0.6, 0.08)
        await timed("适合三岁及以上。", 0.6, 0.08)
        await timed("发货后三天到。这款是不锈钢的，可以洗碗机洗。", 0.6, 0.08)
        return cache.expected_s("小鹿，", "zh"), cache.expected_s("小鹿，", "en")

    short, other_lang = run_virtual(body())
    assert short == pytest.approx(0.6 + 0.08 * 3, abs=0.05)  # the fixed cost is not spread thin
    assert other_lang is None


def test_the_other_products_are_prepared_after_the_one_on_screen_and_only_while_there_is_room():
    async def body():
        ahead = ScriptedTTS()
        cache = PhraseCache(ScriptedTTS(), warm_tts=ahead, max_audio_s=6.0)
        cache.warm([("zh", FACT)], spare=[("en", "30 ml, 129 yuan."), ("zh", FACT), ("en", "Ships in 48 hours.")]
                   + [("en", f"Spare line number {i} for another product.") for i in range(20)])
        await until(lambda: cache.pending() == 0)
        return ahead.texts, cache

    made, cache = run_virtual(body())
    assert made[:3] == [FACT, "30 ml, 129 yuan.", "Ships in 48 hours."]  # on screen first, no line twice
    assert cache.has("zh", FACT) and cache.kept_s <= 6.0
    assert len(made) < 23  # the spare lines stopped at the room left: nothing on screen was pushed out
