"""Coqui TTS (optional extra): a clear message without it; with it, a tiny model the test builds
and saves is loaded from disk and spoken, alone and through the router."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from vhost.voice.config import VoiceConfig
from vhost.voice.coqui_engine import CoquiEngine, CoquiUnavailable, import_coqui


def test_missing_coqui_names_the_extra(monkeypatch, tmp_path) -> None:
    monkeypatch.setitem(sys.modules, "TTS", None)  # as if not installed
    monkeypatch.setitem(sys.modules, "TTS.api", None)
    with pytest.raises(CoquiUnavailable, match=r'pip install "vhost\[coqui\]"'):
        import_coqui()
    with pytest.raises(CoquiUnavailable, match="not installed"):
        CoquiEngine(tmp_path / "model.pth", tmp_path / "config.json")


def test_a_coqui_voice_that_cannot_load_leaves_its_language_to_espeak(monkeypatch, tmp_path) -> None:
    from vhost.voice.factory import build_router

    monkeypatch.setitem(sys.modules, "TTS", None)
    monkeypatch.setitem(sys.modules, "TTS.api", None)
    monkeypatch.setenv("VHOST_DATA_DIR", str(tmp_path))
    cfg = VoiceConfig(engine="coqui", languages={}, coqui_model_path=tmp_path / "voice.pth")
    built = build_router(cfg, warmup=False)
    assert len(built.warnings) == 1
    assert "voice coqui unavailable" in built.warnings[0] and "en falls back" in built.warnings[0]
    assert built.router.engine_for("en") == "espeak-ng"


def build_tiny_vits(folder) -> tuple:  # noqa: ANN001
    """A randomly initialised, very small VITS saved the way a trained one is: checkpoint + config."""
    import torch
    from TTS.config.shared_configs import BaseAudioConfig
    from TTS.tts.configs.vits_config import VitsArgs, VitsConfig
    from TTS.tts.models.vits import Vits

    args = VitsArgs(hidden_channels=16, hidden_channels_ffn_text_encoder=32, num_heads_text_encoder=2,
                    num_layers_text_encoder=1, num_layers_flow=1, num_layers_posterior_encoder=1,
                    resblock_type_decoder="2", resblock_kernel_sizes_decoder=[3],
                    resblock_dilation_sizes_decoder=[[1, 3]], upsample_rates_decoder=[8, 8, 4],
                    upsample_initial_channel_decoder=32, upsample_kernel_sizes_decoder=[16, 16, 8],
                    init_discriminator=False, use_sdp=False)
    config = VitsConfig(model_args=args, use_phonemes=False, text_cleaner="basic_cleaners",
                        audio=BaseAudioConfig(sample_rate=16000, hop_length=256, win_length=1024,
                                              fft_size=1024))
    model = Vits(config)
    model_path, config_path = folder / "model.pth", folder / "config.json"
    torch.save({"model": model.state_dict(), "config": config.to_dict()}, model_path)
    config.save_json(str(config_path))
    return model_path, config_path


def test_tiny_model_from_disk_speaks(tmp_path, monkeypatch) -> None:
    pytest.importorskip("TTS.api", reason='Coqui TTS not installed (pip install "vhost[coqui]")')
    from vhost.voice.factory import build_router

    model_path, config_path = build_tiny_vits(tmp_path)
    engine = CoquiEngine(model_path, config_path, device="cpu")
    assert engine.sample_rate == 16000 and engine.languages == frozenset({"en"})
    chunk = engine.synthesize("hello there, welcome in.")
    assert chunk.sample_rate == 16000 and chunk.duration > 0.2
    assert chunk.pcm.dtype == np.float32 and np.abs(chunk.pcm).max() > 0
    assert chunk.visemes and chunk.visemes[-1].end == pytest.approx(chunk.duration, abs=0.05)
    assert engine.synthesize("  ").duration == 0.0

    monkeypatch.setenv("VHOST_DATA_DIR", str(tmp_path / "data"))
    cfg = VoiceConfig(engine="coqui", languages={}, coqui_model_path=model_path,
                      coqui_config_path=config_path, device="cpu")
    built = build_router(cfg, warmup=False)
    assert built.warnings == []
    spoken = built.router.synthesize("This is my own voice.")
    assert spoken.engine == "coqui" and spoken.voice == "model" and spoken.duration > 0.2
