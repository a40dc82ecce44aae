"""LiveStage: what the show feeds the stage becomes nods, glances at the card, the card's
slide-in, stock and the product's visual."""

import numpy as np
import pytest

from vhost.audio.playback import Playback
from vhost.base.audio_types import AudioChunk, PhonemeTiming, VisemeSpan
from vhost.base.paths import repo_root
from vhost.brain.catalog import load_catalog
from vhost.stage.live import LiveStage
from vhost.stage.renderer import card_progress


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
    from vhost.config.settings import ConfigError, StageConfig, load_config
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


def test_product_photo_is_decoded_off_the_stage_thread_and_downscaled(qapp, mug, tmp_path):
    from PySide6.QtGui import QColor, QImage

    from vhost.avatar.character import generate_character
    from vhost.stage.renderer import StageRenderer

    big = QImage(3000, 2000, QImage.Format.Format_RGB32)  # a phone shot
    big.fill(QColor("#1040E0"))
    path = tmp_path / "phone-shot.png"
    assert big.save(str(path))
    stage = LiveStage(3)
    stage.set_product(mug.model_copy(update={"images": [path]}), now=0.0)
    # The stage thread must not be the one reading the file: by the first frame it is decoded.
    path.unlink()
    renderer = StageRenderer(generate_character(7), "landscape")
    img = renderer.render_image(stage.scene_at(5.0))
    card = renderer.layout.card.toRect()
    blue = sum(img.pixelColor(x, y).name() == "#1040e0"
               for x in range(card.left(), card.right(), 8) for y in range(card.top(), card.bottom(), 8))
    assert blue > 100  # the photo, not the placeholder letter
    kept = renderer._card.source_image(str(path))
    assert kept is not None and max(kept.width(), kept.height()) <= 1024


def test_broken_character_file_or_sprite_pack_falls_back_with_a_reason(qapp, tmp_path):
    from vhost.avatar.character import generate_character
    from vhost.config.settings import StageConfig
    from vhost.stage.setup import build_renderer, stage_character

    bad_char = tmp_path / "host.toml"
    bad_char.write_text("skin = [unclosed\n", encoding="utf-8")
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "manifest.toml").write_bytes(b"\xff\xfe\x00garbage")  # not even UTF-8
    cfg = StageConfig(character=bad_char, sprites=pack, seed=5)
    warnings: list[str] = []
    r = build_renderer(cfg, warnings)
    assert r.avatar is None and r.character == generate_character(5)
    assert any("sprite pack" in w and "manifest" in w for w in warnings)
    assert any(str(bad_char) in w and "default character" in w for w in warnings)
    assert not r.render_image(LiveStage(1).scene_at(0.5)).isNull()
    assert stage_character(StageConfig(character=tmp_path / "gone.toml", seed=5)) == generate_character(5)


def test_busy_browser_port_is_reported_and_the_show_goes_on(tmp_path):
    import socket

    from vhost.config.settings import StageConfig
    from vhost.stage.setup import start_browser_source

    with socket.socket() as other:  # another app (or a second vhost) holds the port
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        warnings: list[str] = []
        assert start_browser_source(StageConfig(browser_port=port), warnings) is None
    assert len(warnings) == 1 and f"127.0.0.1:{port}" in warnings[0]


def test_lip_tracks_are_built_once_per_playback_not_per_frame(monkeypatch):
    import vhost.stage.live as live_mod

    built = []
    real = live_mod._lip_track if hasattr(live_mod, "_lip_track") else None

    def counting(pb, end):
        built.append(pb.id)
        return real(pb, end)

    stage = LiveStage(3)
    pbs = [playback(float(i) * 1.5) for i in range(4)]
    for pb in pbs:
        stage.add_playback(pb)
    reference = [stage.scene_at(3.0 + k / 30).pose for k in range(30)]
    assert real is not None
    monkeypatch.setattr(live_mod, "_lip_track", counting)
    fresh = LiveStage(3)
    for pb in pbs:
        fresh.add_playback(pb)
    poses = [fresh.scene_at(3.0 + k / 30).pose for k in range(30)]
    assert poses == reference and len(built) == 4  # 30 frames, 4 utterances: 4 tracks built
    # An interruption changes what the mouth may play: that track alone is rebuilt.
    pbs[3].interrupted, pbs[3].end = True, pbs[3].start + 0.2
    fresh.scene_at(5.0)
    assert len(built) == 5


def test_showing_the_same_product_again_keeps_its_countdown_a_switch_restarts_it(mug):
    stage = LiveStage(3)
    stage.set_product(mug, now=0.0, offer_s=600.0)  # on air before the show starts
    stage.set_product(mug, now=25.0, offer_s=600.0)  # the show starts on the same product
    assert stage.scene_at(30.0).product.offer_ends_in_s == 570.0
    other = mug.model_copy(update={"id": "other"})
    stage.set_product(other, now=40.0, offer_s=600.0)
    assert stage.scene_at(41.0).product.offer_ends_in_s == 599.0
