"""The `[voice]` table: which engine speaks which language, on which device, how loud."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from vhost.base.schema import Strict


class VoiceConfig(Strict):
    # The English engine; "espeak" makes espeak-ng speak everything (no neural voice loaded).
    engine: Literal["piper", "kokoro", "coqui", "espeak"] = "piper"
    threads: int = Field(1, ge=1, le=64, description="CPU threads for the voice (the LLM gets the rest)")
    # Engine per language; wins over `engine` for the languages it names. Mandarin goes to Kokoro
    # so a Chinese reply is spoken by a neural voice, not espeak-ng.
    languages: dict[str, Literal["piper", "kokoro", "coqui", "espeak"]] = Field(
        default_factory=lambda: {"zh": "kokoro"})
    device: Literal["auto", "cpu", "cuda"] = "auto"
    piper_model: Path | None = Field(None, description="a Piper .onnx (with .onnx.json beside it); none = joe")
    # "auto": each language in a native Kokoro style of `gender` (zf_/zm_ for Mandarin); a style
    # name (`vhost voices` lists them) speaks every language; `kokoro_voices` picks per language.
    kokoro_voice: str = "auto"
    kokoro_voices: dict[str, str] = Field(default_factory=dict, description='e.g. {zh = "zf_xiaoyi"}')
    # The host's voice gender, the same in every language. "auto": that of the English voice
    # (the packaged Piper joe is male). A female host with joe gets a Kokoro English style.
    gender: Literal["auto", "female", "male"] = "auto"
    kokoro_speed: float = Field(1.0, ge=0.5, le=2.0)
    # On a CPU: "auto" = OpenVINO for the decoder where the CPU has bf16 units (vhost.voice.kokoro_split;
    # 2.6x as fast there), else onnxruntime's int8 graph (faster than OpenVINO in f32), also where
    # OpenVINO is missing or fails. "onnxruntime" and "openvino" force one.
    kokoro_backend: Literal["auto", "onnxruntime", "openvino"] = "auto"
    coqui_model_path: Path | None = Field(None, description="Coqui checkpoint file or model folder")
    coqui_config_path: Path | None = None
    coqui_speaker: str | None = None
    coqui_languages: list[str] = Field(default_factory=lambda: ["en"])
    espeak_voices: dict[str, str] = Field(default_factory=dict, description='e.g. {de = "de"}')
    # A second voice process at the lowest CPU priority synthesizes the on-screen product's facts
    # ahead of time, so a fact answer's first audio waits only for the asker's name.
    prepare_phrases: bool = Field(True, description="prepare the product's facts in a background voice")
    # Prepared lines are also kept on disk (the data dir's phrases/, per voice), so a restart or the
    # next show of the catalog finds them ready instead of spending minutes preparing them again.
    keep_prepared: bool = Field(True, description="keep prepared lines on disk for the next show")
    loudness_lufs: float = Field(-16.0, ge=-40.0, le=-6.0, description="target integrated loudness")
    true_peak_dbtp: float = Field(-1.0, ge=-12.0, le=0.0, description="true-peak ceiling")

    def routes(self) -> dict[str, str]:
        """Language -> engine name, as the voice router takes it."""
        if self.engine == "espeak":
            return {}
        english = self.engine
        if english == "piper" and self.piper_model is None and self.host_gender() == "female":
            english = "kokoro"  # joe is a man's voice: one character keeps one gender
        return {"en": english, **self.languages}

    def host_gender(self) -> Literal["female", "male"]:
        """`gender`, or when "auto" the gender of the voice the host speaks English with."""
        if self.gender != "auto":
            return self.gender
        english = self.kokoro_voices.get("en") or self.kokoro_voice
        if self.engine == "kokoro" and english[1:3] in ("f_", "m_"):
            return "female" if english[1] == "f" else "male"
        return "male"  # the packaged English voice (Piper joe)

