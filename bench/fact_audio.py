"""First audio of facts-first answers, with and without the lines prepared ahead.

    python -m bench.fact_audio [--sets kitchen,baby,bags] [--per-set 12] [--langs zh,en]

The real voices as the show runs them (the default `[voice]`: Piper for English, a native Kokoro
style for Mandarin, 1 thread each): the live voice worker and the "voice-ahead" worker at nice 19.
For each eval set (bench/data/brain_eval/*, catalogs and chats written by other hands), the chat's
messages in --langs are answered by the facts-first brain without an LLM (as the show does for a
fact, an honest unknown, a refusal or an age verdict); then for each answer line:
- "unprepared": the live voice synthesizes the line's first fragment, cut as the show cuts a ready
  line (vhost.speech.speaker.split_line): its synthesis time is the answer's first audio;
- "prepared": the on-screen product's likely lines were prepared by the voice-ahead worker first
  (ShowBrain.likely_lines, as the show does when a product comes on screen); the line is cut by
  PhraseCache.fragments and its first fragment synthesized (the asker's name, or nothing when the
  whole line was prepared);
- "prepared_name_last": the same first question as the show says it: where the voice would take
  longer than phrase_cache.QUICK_START_S for the new name, the name goes after the prepared answer
  (vhost.show.reply_flow: "30毫升。小鹿问的。");
- "prepared_with_name": the same, after the askers' names were prepared too (the show prepares a
  viewer's name when their first message arrives: a viewer who asks again, or greeted first);
- "while_preparing": the same unprepared cut, timed while the voice-ahead worker is busy preparing
  another product's lines (what nice 19 costs the live voice on this CPU).
Prints one JSON object: per language p50/p95 of each, the share of answers that found a prepared
phrase ("hit_rate"), and the seconds the preparing took per product.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time

from bench._stats import pct
from bench.brain_eval import load_set
from vhost.app.compose import show_brain
from vhost.base.workers import WorkerClient
from vhost.brain.clients import WorkerTTS
from vhost.brain.persona import load_persona
from vhost.config.settings import ASSETS
from vhost.speech.phrase_cache import PhraseCache
from vhost.speech.speaker import split_line
from vhost.voice.config import VoiceConfig


def note(text: str) -> None:
    print(f"[fact_audio] {text}", file=sys.stderr, flush=True)


def answers(name: str, langs: set[str], per_set: int) -> tuple[object, dict[str, list[tuple[str, str, str]]]]:
    """The facts-first answers to the set's messages in `langs`: {on-screen product: [(lang, line, user)]}."""
    catalog, items = load_set(name)
    brain = show_brain(catalog, load_persona(ASSETS / "persona.toml"), lambda _e: None)
    out: dict[str, list[tuple[str, str, str]]] = {}
    taken = 0
    for i, item in enumerate(items):
        if item["lang"] not in langs or taken >= per_set * len(langs):
            continue
        product = catalog.get(item["on_screen"])
        fast = brain.fast_reply(item["text"], item["user"], product, item["lang"], now=4.0 * i)
        if fast is None or not fast.text or fast.translate:
            continue  # small talk (the LLM phrases it) or a translation: not a ready line
        out.setdefault(product.id, []).append((item["lang"], fast.text, item["user"]))
        taken += 1
    return brain, out


async def first_audio(tts, line: str, lang: str, cut) -> float:  # noqa: ANN001
    frags = cut(line, lang)
    t0 = time.perf_counter()
    await tts.synthesize(frags[0], lang)
    return time.perf_counter() - t0


def quick_start(cache: PhraseCache, brain, line: str, user: str, lang: str) -> str:  # noqa: ANN001
    """The line as ReplyFlow._quick_start orders it (the same PhraseCache.slow_start decision)."""
    return (brain.name_last(line, [user], lang) or line) if cache.slow_start(line, lang) else line


async def run(args: argparse.Namespace) -> dict:
    voice = VoiceConfig().model_dump(mode="json")
    live_w = WorkerClient("tts", "vhost.voice.tts_worker:TTSWorker", {"voice": voice})
    ahead_w = WorkerClient("voice-ahead", "vhost.voice.tts_worker:TTSWorker", {"voice": voice, "nice": 19},
                           reply_timeout_s=None, heartbeat_timeout_s=180.0)
    live_w.start()
    ahead_w.start()
    await live_w.wait_ready()
    await ahead_w.wait_ready()
    live, ahead = WorkerTTS(live_w), WorkerTTS(ahead_w)
    langs = args.langs.split(",")
    kinds = ("unprepared", "prepared", "prepared_name_last", "prepared_with_name", "while_preparing")
    res: dict = {lang: {**{k: [] for k in kinds}, "hits": 0, "n": 0} for lang in langs}
    prepare_s: list[float] = []
    try:
        for lang in langs:  # warm both voices (first calls load G2P tables and sessions)
            for tts in (live, ahead):
                await tts.synthesize("好的，谢谢大家。" if lang == "zh" else "Thanks, everyone.", lang)
        for name in args.sets.split(","):
            brain, by_product = answers(name, set(langs), args.per_set)
            catalog = brain.catalog
            for pid, lines in by_product.items():
                product = catalog.get(pid)
                cache = PhraseCache(live, warm_tts=ahead)
                for lang, line, _user in lines:  # the live voice alone, nothing prepared
                    res[lang]["unprepared"].append(await first_audio(live, line, lang, lambda t, _l: split_line(t)))
                t0 = time.perf_counter()
                cache.warm([(lang, text) for lang in langs for text in brain.likely_lines(product, lang)])
                # while the ahead voice prepares: the live voice's first audio, unprepared cut
                for lang, line, _user in lines[:3]:
                    if cache.pending():
                        res[lang]["while_preparing"].append(
                            await first_audio(live, line, lang, lambda t, _l: split_line(t)))
                while cache.pending():
                    await asyncio.sleep(0.05)
                prepare_s.append(time.perf_counter() - t0)
                for lang, line, _user in lines:  # a viewer's first question: their name is new
                    res[lang]["hits"] += any(cache.has(lang, f) for f in cache.fragments(line, lang))
                    res[lang]["n"] += 1
                    res[lang]["prepared"].append(await first_audio(cache, line, lang, cache.fragments))
                for lang, line, user in lines:  # the same, as the show orders it (the name last)
                    res[lang]["prepared_name_last"].append(
                        await first_audio(cache, quick_start(cache, brain, line, user, lang), lang, cache.fragments))
                # a viewer who wrote before: the show prepared their name when their message came
                cache.warm_first([(lang, lead) for lang, _line, user in lines for lead in brain.leads(user, lang)])
                while cache.pending():
                    await asyncio.sleep(0.05)
                for lang, line, _user in lines:
                    res[lang]["prepared_with_name"].append(await first_audio(cache, line, lang, cache.fragments))
                note(f"{name}/{pid}: {len(lines)} answers, prepared in {prepare_s[-1]:.1f} s")
    finally:
        await live_w.close()
        await ahead_w.close()
    report: dict = {"sets": args.sets.split(","), "voice": "default [voice] (Piper en, Kokoro native zh), 1 thread",
                    "cpus": os.cpu_count(), "loadavg_end": [round(x, 2) for x in os.getloadavg()],
                    "prepare_s_per_product": pct(prepare_s)}
    for lang, r in res.items():
        report[lang] = {"answers": r["n"], "hit_rate": round(r["hits"] / r["n"], 3) if r["n"] else None,
                        **{k: pct(r[k]) for k in kinds}}
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="kitchen,baby,bags", help="eval sets under bench/data/brain_eval")
    ap.add_argument("--per-set", type=int, default=12, help="answers per language per set")
    ap.add_argument("--langs", default="zh,en")
    args = ap.parse_args()
    print(json.dumps(asyncio.run(run(args)), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
