"""Prepared phrases kept on disk, so a restarted show (or the next show of the same catalog) does
not spend its first minutes synthesizing them again.

On a CPU without bf16 units a product's likely lines take the background voice about a minute and
a half to prepare, and a question asked meanwhile waits for its Mandarin answer to be synthesized
(2-3 s). `PhraseStore` keeps each prepared line as a small `.npz` (16-bit PCM, sample rate, text,
engine, voice, phoneme and viseme timings) under a folder named after the voice's identity
(`vhost.voice.identity`: its settings and its code), so a changed voice, style, speed or reading
rule never plays an old recording.

The folder's name changes with anything that changes the sound (the installed styles included,
so a Mandarin voice that fell back to a Japanese style never finds the native recordings), and
`PhraseCache` still forgets a stored line whose engine or voice differs from what this show's
voice spoke in that language.

Files are written atomically (a temporary name, then a rename); an unreadable one is deleted and
skipped; a folder that cannot be written is reported once and the show goes on without it. The
`phrases/` folder is bounded (MAX_BYTES over every voice's folder, least recently used first out;
a load refreshes a file's time).

Written here rather than with a cache library (diskcache, joblib): those pickle, and a cache file
must never run code when it is read; `numpy.load(allow_pickle=False)` cannot.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from pathlib import Path

import numpy as np

from vhost.base.audio_types import AudioChunk, PhonemeTiming, VisemeSpan

log = logging.getLogger(__name__)

# A line is ~120 KB (2.5 s at 24 kHz, 16-bit): 500 MB is ~4,000 lines, a few catalogs' worth.
MAX_BYTES = 500 * 1024 * 1024
FORMAT = 1  # bump when the file layout changes
_ENGINE_NAMES = {"espeak": "espeak-ng"}  # a [voice] engine name -> the name its lines carry


class PhraseStore:
    def __init__(self, root: Path, *, max_bytes: int = MAX_BYTES, engines: dict[str, str] | None = None) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        # language -> the engine configured to speak it: a line another engine spoke (the chosen
        # one failed to load, so the chain skipped it without a per-line warning) is not kept
        self.engines = {lang: _ENGINE_NAMES.get(e, e) for lang, e in (engines or {}).items()}
        self._broken = False
        self.loaded = 0
        self.saved = 0
        self.refused = 0  # lines not kept: spoken by another engine than the configured one

    def _path(self, lang: str, key: str) -> Path:
        digest = hashlib.sha256(f"{FORMAT}\0{lang}\0{key}".encode()).hexdigest()[:32]
        return self.root / f"{digest}.npz"

    def load(self, lang: str, key: str) -> AudioChunk | None:
        """The line stored for (lang, key), PCM still 16-bit; None when there is none (or it is
        unreadable, or it was stored for another text that shares its name)."""
        path = self._path(lang, key)
        if self._broken or not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as z:
                if str(z["lang"]) != lang or str(z["key"]) != key:
                    return None
                chunk = _chunk(z)
            os.utime(path)  # recently used: pruned last
        except Exception as exc:  # noqa: BLE001 - any damaged file is only a miss
            log.warning("stored phrase %s unreadable (%s): removed", path.name, exc)
            path.unlink(missing_ok=True)
            return None
        if self.engines.get(lang, chunk.engine) != chunk.engine:
            return None
        self.loaded += 1
        return chunk

    def save(self, lang: str, key: str, chunk: AudioChunk) -> None:
        """Keep `chunk` (PCM 16-bit or float) for (lang, key); a failure is logged, never raised."""
        if self._broken:
            return
        if self.engines.get(lang, chunk.engine) != chunk.engine:
            self.refused += 1
            return
        path = self._path(lang, key)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as fh:
                np.savez(fh, **_arrays(lang, key, chunk))
            os.replace(tmp, path)
        except OSError as exc:
            self._broken = True
            log.warning("prepared phrases not kept on disk (%s): %s", self.root, exc)
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            return
        self.saved += 1
        if self.saved % 100 == 1:  # a walk over every file: off the show's loop
            threading.Thread(target=self.prune, name="phrase-prune", daemon=True).start()

    def prune(self) -> int:
        """Remove the least recently used files while the folder is over max_bytes (the whole
        `phrases/` folder: other voices' lines count too, and go first when older); returns how
        many went."""
        try:
            files = sorted((p.stat().st_mtime, p.stat().st_size, p) for p in self.root.parent.glob("*/*.npz"))
        except OSError:
            return 0
        total, gone = sum(size for _, size, _ in files), 0
        for _, size, p in files:
            if total <= self.max_bytes:
                break
            p.unlink(missing_ok=True)
            total, gone = total - size, gone + 1
        return gone


def _arrays(lang: str, key: str, chunk: AudioChunk) -> dict[str, np.ndarray]:
    pcm = chunk.pcm if chunk.pcm.dtype == np.int16 else (np.clip(chunk.pcm, -1.0, 1.0) * 32767.0).astype(np.int16)
    return {
        "lang": np.array(lang), "key": np.array(key), "text": np.array(chunk.text), "pcm": pcm,
        "sample_rate": np.array(chunk.sample_rate), "engine": np.array(chunk.engine), "voice": np.array(chunk.voice),
        "ph_names": np.array([p.phoneme for p in chunk.phonemes], dtype=str),
        "ph_times": np.array([(p.start, p.duration) for p in chunk.phonemes], dtype=np.float64).reshape(-1, 2),
        "vi_names": np.array([v.viseme for v in chunk.visemes], dtype=str),
        "vi_times": np.array([(v.start, v.end) for v in chunk.visemes], dtype=np.float64).reshape(-1, 2),
    }


def _chunk(z) -> AudioChunk:  # noqa: ANN001 - an open NpzFile
    pcm = z["pcm"]
    if pcm.dtype != np.int16 or pcm.ndim != 1:
        raise ValueError(f"pcm is {pcm.dtype} {pcm.shape}")
    phonemes = [PhonemeTiming(str(n), float(s), float(d)) for n, (s, d) in zip(z["ph_names"], z["ph_times"], strict=True)]
    visemes = [VisemeSpan(float(s), float(e), str(n)) for n, (s, e) in zip(z["vi_names"], z["vi_times"], strict=True)]
    return AudioChunk(pcm=pcm, sample_rate=int(z["sample_rate"]), text=str(z["text"]), phonemes=phonemes,
                      visemes=visemes, engine=str(z["engine"]), voice=str(z["voice"]))
