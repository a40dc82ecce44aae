"""Prepared lines kept on disk (vhost.speech.phrase_store): a restarted show finds them ready with
the same voice, never with another; a damaged file or an unwritable folder costs only the
preparing."""

from __future__ import annotations

import os

import numpy as np

from tests.fakes import ScriptedTTS
from tests.test_show_pipeline import until
from vhost.base.audio_types import AudioChunk, PhonemeTiming, VisemeSpan
from vhost.base.vclock import run_virtual
from vhost.speech.phrase_cache import PhraseCache
from vhost.speech.phrase_store import PhraseStore
from vhost.voice.config import VoiceConfig
from vhost.voice.identity import voice_identity

FACT = "这款精华三十毫升，一百二十九元。"
PRICE = "这款精华今天一百二十九元。"


class Voice(ScriptedTTS):
    """ScriptedTTS that names its engine and voice, as the real voices do."""

    def __init__(self, voice: str = "zf_xiaoxiao", **kw) -> None:
        super().__init__(**kw)
        self.voice = voice

    async def synthesize(self, text, lang=None):
        chunk = await super().synthesize(text, lang)
        chunk.engine, chunk.voice = "kokoro", self.voice
        return chunk


def test_a_line_comes_back_from_disk_as_it_was_stored(tmp_path):
    chunk = AudioChunk(pcm=np.linspace(-0.5, 0.5, 1600, dtype=np.float32), sample_rate=16000, text="小鹿，",
                       phonemes=[PhonemeTiming("x", 0.0, 0.05), PhonemeTiming("iao", 0.05, 0.05)],
                       visemes=[VisemeSpan(0.0, 0.05, "E"), VisemeSpan(0.05, 0.1, "O")], engine="kokoro",
                       voice="zf_xiaoxiao")
    PhraseStore(tmp_path).save("zh", "小鹿，", chunk)
    back = PhraseStore(tmp_path).load("zh", "小鹿，")
    assert back is not None and back.pcm.dtype == np.int16
    assert np.abs(back.pcm / 32767.0 - chunk.pcm).max() < 1e-4
    assert (back.sample_rate, back.text, back.engine, back.voice) == (16000, "小鹿，", "kokoro", "zf_xiaoxiao")
    assert back.phonemes == chunk.phonemes and back.visemes == chunk.visemes
    assert PhraseStore(tmp_path).load("en", "小鹿，") is None  # another language is another line


def test_a_restarted_show_reads_its_prepared_lines_instead_of_synthesizing_them(tmp_path):
    lines = [("zh", PRICE), ("zh", FACT), ("zh", "可以机洗，不掉色。")]

    async def show(voice: Voice):
        cache = PhraseCache(Voice(), warm_tts=voice, store=PhraseStore(tmp_path))
        cache.warm(lines)
        await until(lambda: cache.pending() == 0)
        chunks = [await cache.synthesize(text, lang) for lang, text in lines]
        return voice.texts, chunks

    made_first, _ = run_virtual(show(Voice()))
    made_again, chunks = run_virtual(show(Voice()))
    assert made_first == [PRICE, FACT, "可以机洗，不掉色。"]
    assert made_again == []  # the restarted show read them all from disk
    assert all(c.cached and c.voice == "zf_xiaoxiao" and c.visemes for c in chunks)


def test_lines_another_voice_stored_are_forgotten_once_this_voice_speaks_and_never_read_after(tmp_path):
    lines = [("zh", PRICE), ("zh", FACT)]

    async def show(ahead: Voice, live_first: bool):
        live = Voice("zf_xiaoxiao")
        cache = PhraseCache(live, warm_tts=ahead, store=PhraseStore(tmp_path))
        if live_first:
            await cache.synthesize("小鹿，", "zh")
        cache.warm(lines)
        await until(lambda: cache.pending() == 0)
        if not live_first:
            await cache.synthesize("小鹿，", "zh")
        return live.texts, ahead.texts, [await cache.synthesize(text, "zh") for _, text in lines]

    run_virtual(show(Voice("jf_alpha"), False))  # a fallback style stored them
    said, made, chunks = run_virtual(show(Voice("zf_xiaoxiao"), False))  # read, then the voice spoke
    assert made == [] and said == ["小鹿，", PRICE, FACT] and {c.voice for c in chunks} == {"zf_xiaoxiao"}
    said, made, chunks = run_virtual(show(Voice("zf_xiaoxiao"), True))  # it spoke first: none read
    assert said == ["小鹿，"] and made == [PRICE, FACT]
    assert [c.cached for c in chunks] == [True, True] and {c.voice for c in chunks} == {"zf_xiaoxiao"}


def test_a_damaged_file_is_a_miss_and_an_unwritable_folder_only_stops_the_keeping(tmp_path):
    store = PhraseStore(tmp_path / "ok")
    store.save("zh", FACT, run_virtual(Voice().synthesize(FACT, "zh")))
    (path,) = list((tmp_path / "ok").glob("*.npz"))
    path.write_bytes(path.read_bytes()[:100])
    assert store.load("zh", FACT) is None and not path.exists()

    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    bad = PhraseStore(blocked / "phrases")
    bad.save("zh", FACT, run_virtual(Voice().synthesize(FACT, "zh")))  # logged, not raised
    assert bad.load("zh", FACT) is None and bad.saved == 0


def test_the_store_is_bounded_least_recently_used_first_across_every_voice(tmp_path):
    old_voice = PhraseStore(tmp_path / "other-voice")
    old_voice.save("zh", "旧声音的事实。", run_virtual(Voice().synthesize("旧声音的事实。", "zh")))
    size = next((tmp_path / "other-voice").glob("*.npz")).stat().st_size
    saving = PhraseStore(tmp_path / "this-voice")  # its own pruning (a background thread) finds room
    for text in ("一号的事实。", "二号的事实。", "三号的事实。"):
        for p in tmp_path.glob("*/*.npz"):  # file times a second apart, oldest first
            os.utime(p, (p.stat().st_atime, p.stat().st_mtime - 1))
        saving.save("zh", text, run_virtual(Voice().synthesize(text, "zh")))
    store = PhraseStore(tmp_path / "this-voice", max_bytes=int(size * 2.5))
    store.load("zh", "一号的事实。")  # used: the second is now the oldest of this voice
    assert store.prune() == 2  # the other voice's old line, then this voice's least used
    assert not list((tmp_path / "other-voice").glob("*.npz"))
    assert [store.load("zh", t) is not None for t in ("一号的事实。", "二号的事实。", "三号的事实。")] == [True, False, True]


def test_the_voice_identity_follows_the_sound_not_the_speed_of_making_it():
    base = VoiceConfig()
    assert voice_identity(base) == voice_identity(VoiceConfig(threads=2, prepare_phrases=False))
    others = {voice_identity(VoiceConfig(**kw)) for kw in (
        {"kokoro_voices": {"zh": "zm_yunxi"}}, {"kokoro_speed": 1.1}, {"gender": "female"},
        {"kokoro_backend": "openvino"}, {"loudness_lufs": -14.0})}
    assert voice_identity(base) not in others and len(others) == 5


def test_a_show_whose_lines_all_came_from_disk_says_a_new_name_last_until_its_voice_is_timed(tmp_path):
    async def show():
        cache = PhraseCache(Voice(), warm_tts=Voice(), store=PhraseStore(tmp_path))
        cache.warm([("zh", FACT)])
        await until(lambda: cache.pending() == 0)
        return cache

    run_virtual(show())
    cache = PhraseCache(Voice(delay=0.05), warm_tts=Voice(), store=PhraseStore(tmp_path))

    async def restarted():
        cache.warm([("zh", FACT)])
        await until(lambda: cache.pending() == 0)
        before = cache.slow_start("小鹿，" + FACT, "zh")  # read, never synthesized: not timed
        await cache.synthesize("阿珍，", "zh")  # the live voice, timed: 0.05 s for a name
        return before, cache.slow_start("小鹿，" + FACT, "zh")

    assert run_virtual(restarted()) == (True, False)


def test_a_line_a_fallback_engine_spoke_is_neither_kept_nor_read_for_the_configured_one(tmp_path):
    # The configured engine failed to load, so the chain spoke with the next one and no per-line
    # warning: its lines must not be replayed as the configured voice's.
    chunk = run_virtual(Voice().synthesize(FACT, "zh"))
    chunk.engine = "espeak-ng"
    store = PhraseStore(tmp_path, engines={"zh": "kokoro", "en": "espeak"})
    store.save("zh", FACT, chunk)
    assert store.refused == 1 and not list(tmp_path.glob("*.npz"))
    store.save("en", "30 ml.", chunk)  # "espeak" configured: espeak-ng's lines are its own
    assert store.load("en", "30 ml.") is not None
    PhraseStore(tmp_path).save("zh", FACT, chunk)  # stored before the voice was set up again
    assert store.load("zh", FACT) is None
