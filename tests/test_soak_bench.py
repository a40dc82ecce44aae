"""The soak bench's short version (CI): two minutes of the whole show with a chat through the real
ingest connector, the recorder switched on and off. Speed is reported, not asserted here; what is
asserted is that nothing is lost and that every process and queue was sampled."""

import json
import subprocess
import sys

import pytest


@pytest.mark.realmodel
@pytest.mark.slow
def test_two_minute_soak_loses_no_message_and_samples_every_process(tmp_path):
    png = tmp_path / "soak.png"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.soak", "--minutes", "2", "--warmup", "0.5", "--record-period", "0.5",
         "--sample-s", "5", "--model", "smollm2-135m-instruct", "--png", str(png)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    r = json.loads(proc.stdout)
    msgs = r["messages"]
    assert r["chat"]["posted"] == r["chat"]["generated"] == msgs["posted"] == 40
    assert msgs["lost"] == [], msgs
    assert msgs["answered"] + msgs["merged"] + msgs["queued_at_end"] + sum(msgs["dropped"].values()) == 40
    assert msgs["answered"] >= 10, msgs
    assert {"main", "llm", "tts", "chat", "visuals"} <= set(r["rss"]), r["rss"].keys()
    assert all(v["rss_end_mb"] and v["fds_end"] for v in r["rss"].values())
    assert r["queues"]["triage"]["max_second_half"] <= 20  # [chat.triage] max_queue
    assert len(r["frames_per_minute"]) == 2 and r["frames_total"] > 0
    assert r["recording"]["frames"] > 0 and r["recording"]["windows_min"]
    assert png.stat().st_size > 10_000
