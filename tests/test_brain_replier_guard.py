"""The live replier with the guard: emotion tags stripped and reported, wrong numbers corrected,
banned claims held with the reason, memory turns passed to the LLM; plus the ask pipeline."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.fakes import ScriptedLLM, ScriptedTTS
from vhost.brain.catalog import Catalog, load_catalog
from vhost.brain.emotion import emotion_of, infer_emotion, strip_emotion_tags
from vhost.brain.persona import Persona, load_persona
from vhost.speech.answer import Brain
from vhost.speech.handle import SpeechHandle
from vhost.speech.replier import FALLBACK_LINE, Replier, ReplyTrace, refusal_line

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DEMO / "catalog.toml")


@pytest.fixture(scope="module")
def persona() -> Persona:
    return load_persona(DEMO / "persona.toml")


def test_emotion_tags() -> None:
    assert strip_emotion_tags("[happy] Hi there! (excited) Grab it.") == (
        "Hi there! Grab it.", ["happy", "excited"])
    assert strip_emotion_tags("IPX5 (sweat proof) [sic]") == ("IPX5 (sweat proof) [sic]", [])
    assert strip_emotion_tags("【开心】欢迎！") == ("欢迎！", ["happy"])
    assert emotion_of("[joy] yay") == ("happy", True)
    assert infer_emotion("Sorry, it's sold out.") == "sad"
    assert infer_emotion("Let me check that for you.") == "thinking"
    assert infer_emotion("Great, welcome in!") == "happy"
    assert infer_emotion("It is steel.") == "neutral"


def _run(llm: ScriptedLLM, catalog: Catalog, pid: str, lang: str = "en",
         history=None) -> tuple[ReplyTrace, ScriptedTTS]:
    async def go() -> tuple[ReplyTrace, ScriptedTTS]:
        tts = ScriptedTTS(delay=0.0)
        replier = Replier(llm, tts, lambda: 0.0, max_new_tokens=60)
        trace = ReplyTrace("c1", "question", "Ben", lang, 0.0)
        handle = SpeechHandle("reply", 1, lookahead=16)
        p = catalog.get(pid)
        await replier.reply("question", trace, handle, p, catalog, system="sys", history=history)
        return trace, tts
    return asyncio.run(go())


def test_replier_corrects_strips_and_holds(catalog: Catalog) -> None:
    llm = ScriptedLLM("[happy] It's only $19.99 today! The best mug ever, guaranteed.",
                      first_token_delay=0, token_delay=0)
    trace, tts = _run(llm, catalog, "mug")
    assert trace.emotion == "happy"
    assert trace.corrections == ["'$19.99' -> '$24.99' (price)"]
    assert trace.spoken_fragments == ["It's only $24.99 today!"]
    assert tts.texts == ["It's only $24.99 today!"]
    assert any("absolute" in r for r in trace.compliance_reasons)
    assert trace.dropped_fragments and trace.grounded  # held for compliance, not numbers
    assert not any("[" in t for t in tts.texts)


def test_replier_falls_back_when_everything_is_held(catalog: Catalog) -> None:
    llm = ScriptedLLM("Great for swimming, the best earbuds ever!", first_token_delay=0,
                      token_delay=0)
    trace, tts = _run(llm, catalog, "earbuds")
    # Held for a rule: a refusal plus a true catalog fact, not silence.
    line = refusal_line(catalog.get("earbuds"), "en")
    assert line == "I can't promise that, but here's what I can tell you: active noise cancelling."
    assert trace.spoken_fragments == [] and trace.fallback == line and tts.texts == [line]
    assert trace.compliance_reasons
    # Held for a number only: the neutral "let me check".
    trace, tts = _run(ScriptedLLM("It lasts 99 hours and more.", first_token_delay=0,
                                  token_delay=0), catalog, "earbuds")
    assert trace.fallback == FALLBACK_LINE["en"] and trace.mismatches


def test_replier_passes_history_to_the_llm(catalog: Catalog) -> None:
    seen = {}

    class Recording(ScriptedLLM):
        async def stream(self, user_text, *, history=None, max_new_tokens=64, system=None):
            seen["history"] = history
            async for d in super().stream(user_text, max_new_tokens=max_new_tokens,
                                          system=system):
                yield d

    hist = [("user", "Ben: price?"), ("assistant", "$24.99.")]
    _run(Recording("Sure, it's $24.99.", first_token_delay=0, token_delay=0), catalog, "mug",
         history=hist)
    assert seen["history"] == hist


def test_brain_faq_then_llm_with_memory(catalog: Catalog, persona: Persona) -> None:
    llm = ScriptedLLM("[excited] It keeps drinks hot for 6 hours!", first_token_delay=0,
                      token_delay=0)
    llm_histories = []
    orig = llm.stream

    def spy(user_text, **kw):
        llm_histories.append(kw.get("history"))
        return orig(user_text, **{k: v for k, v in kw.items() if k != "history"})

    llm.stream = spy  # type: ignore[method-assign]
    brain = Brain(catalog, persona, llm, product_id="mug")

    async def go():
        a1 = await brain.ask("is it dishwasher safe?", user="Ann")
        a2 = await brain.ask("what do you think of it?", user="Ann")
        a3 = await brain.ask("这个杯子多少钱？", user="小雨")
        return a1, a2, a3

    a1, a2, a3 = asyncio.run(go())
    assert a1.path == "facts" and "top rack" in a1.reply and llm.requests == [llm.requests[0]]
    assert a2.path == "llm" and a2.reply == "It keeps drinks hot for 6 hours!"
    assert a2.emotion == "excited" and a2.grounded and a2.compliance.ok
    # Ann's earlier (FAQ) exchange went to the LLM as an earlier turn.
    assert ("user", "Ann: is it dishwasher safe?") in llm_histories[0]
    assert a3.path == "facts" and a3.lang == "zh" and "24.99美元" in a3.reply  # read as a Chinese viewer hears it
    j = a2.as_json()
    assert set(j) >= {"reply", "lang", "path", "grounded", "corrections", "compliance"}


def test_ask_drops_a_tail_cut_off_mid_sentence(catalog: Catalog, persona: Persona) -> None:
    llm = ScriptedLLM("It keeps drinks hot for 6 hours. It fits car cup holders. It",
                      first_token_delay=0, token_delay=0)
    brain = Brain(catalog, persona, llm, product_id="mug")
    a = asyncio.run(brain.ask("what do you think of it?"))
    assert a.reply == "It keeps drinks hot for 6 hours. It fits car cup holders."


def test_nothing_after_a_held_fragment_is_said(catalog: Catalog) -> None:
    llm = ScriptedLLM("AirPods are better than these for several reasons. Secondly, the case is "
                      "nicer. Thirdly, whatever.", first_token_delay=0, token_delay=0)
    trace, tts = _run(llm, catalog, "earbuds")
    assert trace.spoken_fragments == [] and tts.texts == [refusal_line(catalog.get("earbuds"), "en")]
    assert trace.compliance_reasons == ["competitor: 'AirPods'"]
    assert llm.cancelled or trace.reply_text.count(".") <= 2  # generation was stopped


def test_yes_to_a_wrong_number_in_the_question_is_held(catalog: Catalog) -> None:
    from vhost.brain.guard import check_fragment

    buds = catalog.get("earbuds")
    v = check_fragment("Yes, the Pulse Air Wireless Earbuds:", "en", buds, catalog,
                       question="I heard the battery lasts 20 hours, true?")
    assert v.held and "affirms the viewer's" in v.mismatches[0]
    v = check_fragment("Yes, 8 hours per charge.", "en", buds, catalog,
                       question="does the battery last 8 hours?")
    assert not v.held


def test_a_viewers_claim_said_back_as_the_hosts_is_held_unless_the_catalog_states_it(catalog: Catalog) -> None:
    from vhost.brain.guard import check_fragment

    mug = catalog.get("mug")
    # every fragment of the answer, not only the first ("asked" goes with each)
    v = check_fragment("一盆放三勺没事。", "zh", mug, catalog, chat_text="听说多放点长得快 一盆放三勺没事吧")
    assert v.held and "echoes the viewer's claim" in v.compliance_reasons[-1]
    v = check_fragment("Sure, it keeps coffee hot for two whole days!", "en", mug, catalog,
                       chat_text="does it keep coffee hot for two whole days?")
    assert v.held
    # words of the catalog's own, or a few words shared, are not an echo
    fact = next(t for t in mug.selling_points if len(t.split()) >= 5)
    v = check_fragment(fact, "en", mug, catalog, chat_text=f"so is it true that {fact.lower()}")
    assert not v.held, v.compliance_reasons
    v = check_fragment("Great question, the mug is lovely.", "en", mug, catalog, chat_text="is the mug nice?")
    assert not v.held


def test_a_line_addressed_to_an_earlier_asker_in_the_history_loses_that_name(catalog: Catalog) -> None:
    """The 0.5B model copied "小鱼儿" from the history into a reply to another viewer (evaluation,
    paddle_sports): a name of the prompt's history in front of the line is dropped, in any script."""
    history = [("user", "小鱼儿: 这个杯子能进洗碗机吗"), ("assistant", "可以。")]
    llm = ScriptedLLM("小鱼儿，周末玩得开心！", first_token_delay=0, token_delay=0)
    trace, tts = _run(llm, catalog, "mug", "zh", history=history)
    assert trace.others == ("小鱼儿",)
    assert tts.texts and not any("小鱼儿" in t for t in tts.texts), tts.texts
    assert "周末玩得开心" in "".join(tts.texts)
