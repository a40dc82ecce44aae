"""The stage under a busy show: the headless show recorded while the chat keeps every worker busy.

    python -m bench.busy_show [--minutes 3] [--every 4] [--model NAME] [--record-size 1280x720]

`vhost demo --headless` as a user runs it (vhost.app.headless.run_headless: the LLM and voice
workers, the show on its core thread, this thread rendering each frame when the audio clock passes
its time, ffmpeg encoding), with a chat of one message every --every seconds generated from the
catalog as bench/pace.py does (bilingual questions and small talk), replayed on the show clock.
A frame is late when it is finished more than one frame period after its due time
(vhost.stage.video.VideoRecorder). Prints one JSON object: frames rendered and late, the late
fraction (goal <= 0.5 %), render ms percentiles, replies heard, and the CPU count.

The GUI stage's frame p99 in the same chat is `python -m bench.pace --rates 15 --minutes 3`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.pace import questions, schedule
from vhost.brain.catalog import load_catalog
from vhost.config.settings import VhostConfig


def write_chat(path: Path, cfg: VhostConfig, minutes: float, every: float, seed: int) -> int:
    lines = schedule(questions(load_catalog(cfg.show.catalog)), 60.0 / every, minutes, seed)
    with path.open("w", encoding="utf-8") as f:
        for ln in lines:
            f.write(json.dumps({"t": round(ln.at + 2.0, 2), "user": ln.user, "text": ln.text}, ensure_ascii=False) + "\n")
    return len(lines)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=3.0)
    ap.add_argument("--every", type=float, default=4.0, help="seconds between chat messages")
    ap.add_argument("--model", help="LLM (default: the configured default model)")
    ap.add_argument("--record-size", default="1280x720")
    ap.add_argument("--fps", type=int, default=30)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args(argv)
    from vhost.app.headless import run_headless

    cfg = VhostConfig()
    cfg.llm.model = args.model or cfg.llm.model
    cfg.stage.fps = args.fps
    folder = Path(tempfile.mkdtemp(prefix="vhost-busy-"))
    n = write_chat(folder / "chat.jsonl", cfg, args.minutes, args.every, args.seed)
    cfg.show.chat = folder / "chat.jsonl"
    w, h = (int(v) for v in args.record_size.split("x"))
    t0 = time.monotonic()
    report = run_headless(cfg, args.minutes * 60.0, folder / "show.mp4", None, record_size=(w, h),
                          record_session=False)
    rendered, late = report["frames_rendered"], report["frames_late"]
    return {
        "minutes": args.minutes, "message_every_s": args.every, "messages": n, "cpus": os.cpu_count(),
        "model": report["model"], "voice": report["voice"], "record_size": args.record_size, "fps": args.fps,
        "frames_rendered": rendered, "frames_late": late,
        "late_fraction": round(late / rendered, 4) if rendered else None,
        "render_ms_p50": report["render_ms_p50"], "render_ms_p95": report["render_ms_p95"],
        "replies_spoken": report["replies_spoken"], "latency_p50_s": report["latency_p50_s"],
        "latency_p95_s": report["latency_p95_s"], "boot_s": report["boot_s"],
        "wall_s": round(time.monotonic() - t0, 1),
    }


if __name__ == "__main__":
    result = main()
    print(json.dumps(result, indent=2), flush=True)
    sys.exit(0)
