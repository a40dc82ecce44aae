"""LiveStage: what the show feeds the stage becomes nods, glances at the card, the card's
slide-in, stock and the product's visual."""

import numpy as np
import pytest

from vhost.audio.playback import Playback
from vhost.brain.catalog import load_catalog
from vhost.core.paths import repo_root
from vhost.stage.live import LiveStage
from vhost.stage.renderer import card_progress
from vhost.voice.types import AudioChunk, PhonemeTiming, VisemeSpan


def playback(start: float, text: str = "this mug is great", dur: float = 1.0) -> Playback:
    phonemes = [PhonemeTiming("m", 0.1, 0.05), PhonemeTiming("ˈʌ", 0.15, 0.1),
                PhonemeTiming("ɡ", 0.25, 0.05), PhonemeTiming("ˈeɪ", 0.9, 0.1)]
    chunk = AudioChunk(np.zeros(int(24000 * dur), np.float32), 24000, text, phonemes,
                       [VisemeSpan(0.0, dur, "E")])
    return Playback(1, chunk, np.zeros(int(48000 * dur), np.float32), 48000, start=start,
                    end=start + dur)


@pytest.fixture(scope="module")
def mug():
    return load_catalog(repo_root() / "assets/demo/catalog.toml").get("mug")


def test_stressed_syllables_nod_the_head(mug):
    stage = LiveStage(3)
    stage.add_playback(playback(5.0))
    nods = [stage.scene_at(t).pose.nod for t in np.arange(5.0, 6.2, 0.01)]
    assert max(nods) > 0.95
    assert stage.scene_at(4.9).pose.nod == 0.0


def test_gaze_follows_the_card_while_pitching_not_while_answering(mug):
    stage = LiveStage(3)
    stage.set_product(mug, now=0.0)
    stage.add_playback(playback(5.0, dur=8.0))
    looks = [stage.scene_at(t).pose.look for t in np.arange(5.0, 13.0, 0.02)]
    answering = LiveStage(3)
    answering.set_product(mug, now=0.0)
    answering.add_playback(playback(5.0, dur=8.0), question=("ana", "is it hot?"))
    looks_q = [answering.scene_at(t).pose.look for t in np.arange(5.0, 13.0, 0.02)]
    assert max(looks) == pytest.approx(1.0)  # pitching: glances at the card
    idle = [stage.scene_at(t).pose.look for t in np.arange(13.1, 16.0, 0.05)]
    assert max(looks_q) == 0.0 and max(idle) == 0.0  # eyes on the viewer
    stage.set_pitching(True)
    forced = [stage.scene_at(t).pose.look for t in np.arange(0.0, 12.0, 0.05)]
    assert max(forced) == pytest.approx(1.0)
    stage.set_pitching(False)
    assert max(stage.scene_at(t).pose.look for t in np.arange(0.0, 12.0, 0.05)) == 0.0


def test_card_slides_in_on_switch_and_carries_stock_and_visual(mug, tmp_path):
    stage = LiveStage(3)
    stage.set_product(mug, now=10.0, offer_s=60.0)
    s = stage.scene_at(10.1)
    assert s.product_since == 10.0 and card_progress(s.t, s.product_since) < 1.0
    assert card_progress(10.0 + 1.0, 10.0) == 1.0
    assert s.product.stock == mug.stock and s.product.stock_initial == mug.stock
    stage.set_stock(12)
    assert stage.scene_at(11.0).product.stock == 12
    # The same product again (e.g. a price update) does not replay the entrance.
    stage.set_product(mug, now=20.0, offer_s=60.0)
    assert stage.scene_at(20.5).product_since == 10.0
    stage.set_product_visual("mug", str(tmp_path / "cut.png"), "#A25540")
    p = stage.scene_at(21.0).product
    assert p.visual_path.endswith("cut.png") and p.accent == "#A25540"


def test_unknown_emotion_is_rejected_and_the_face_keeps_working():
    stage = LiveStage(3)
    stage.set_emotion("excited")
    with pytest.raises(ValueError, match="unknown emotion"):
        stage.set_emotion("furious")
    assert stage.scene_at(1.0).pose.emotion == "excited"


def test_stage_config_builds_renderer_and_browser_source(qapp, tmp_path):
    from tests.test_avatar_sprites import make_pack
    from vhost.avatar.character import generate_character, save_character
    from vhost.config import ConfigError, StageConfig, load_config
    from vhost.stage.setup import build_renderer, start_browser_source

    char = tmp_path / "host.toml"
    save_character(generate_character(99), char)
    make_pack(tmp_path / "pack")
    cfg = StageConfig(character=char, background="gradient", background_color="#225588",
                      sprites=tmp_path / "pack")
    r = build_renderer(cfg)
    assert r.character == generate_character(99) and r.avatar is not None
    assert cfg.background == "gradient:#225588" and r.opaque
    assert build_renderer(StageConfig(background="transparent")).opaque is False
    assert start_browser_source(StageConfig()) is None  # off by default
    bad = tmp_path / "bad.toml"
    bad.write_text('[stage]\nbackground = "sparkles"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="stage: .*background must be"):
        load_config(bad)
