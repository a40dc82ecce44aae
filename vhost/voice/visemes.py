"""Phonemes (or plain loudness) to the avatar's mouth shapes.

Piper and espeak-ng speak IPA one code point at a time: stress marks ("ˈ", "ˌ") come before a
syllable, length ("ː"), tone digits and diacritics after a sound, and diphthongs arrive as two
vowels ("a", "ɪ"); Kokoro's Mandarin puts a tone arrow after each syllable's vowel ("ɤ↘").
`group_phonemes` folds those into whole sounds first so that a stress mark's
time goes to the vowel it stresses instead of flashing a shape of its own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np

from vhost.base.audio_types import PhonemeTiming, VisemeSpan

REST = "rest"

_PREFIX_MARKS = frozenset("ˈˌ")
# Length, aspiration, palatalization, labialization, rhoticity, pharyngealization, tone letters
# and digits, and the tone arrows Kokoro's Mandarin phonemes carry (misaki: → ↗ ↓ ↘).
_SUFFIX_MARKS = frozenset("ːˑʰʲʷ˞ˤ˥˦˧˨˩↓↑→↗↘0123456789")

# Silence and punctuation (Piper's BOS "^", EOS "$" and PAD "_" included): mouth at rest.
_PAUSES = frozenset('^$_.,!?;:…—–"()#|‖。，！？；：、')
# Word gaps: too short to close the mouth, so the previous shape is held.
_HOLDS = frozenset(" -'")

_SOUNDS_BY_SHAPE = {
    "MBP": "pbmɓʙ",
    "FV": "fvɱʋⱱɸβ",
    "L": "lɫɭʎʟɬɮɺ",
    "WQ": "wʍɥɰ",
    "E": "ɛeɪiɨᵻɜɘεɝɤ",
    "AI": "aɑæʌɐɶä",
    "O": "oɔɒɵøœ",
    "U": "uʊɯʉyʏ",
}
_SHAPES = {ch: shape for shape, sounds in _SOUNDS_BY_SHAPE.items() for ch in sounds}

# Whole diphthongs take the shape of their (longer, more open) first part.
_DIPHTHONG_SHAPES = {
    "aɪ": "AI",
    "aʊ": "AI",
    "ai": "AI",
    "au": "AI",
    "eɪ": "E",
    "ei": "E",
    "oʊ": "O",
    "ou": "O",
    "əʊ": "O",
    "ɔɪ": "O",
    "ɪə": "E",
    "eə": "E",
    "ʊə": "U",
}
# Kokoro's (misaki) one-letter diphthongs: A = eɪ, I = aɪ, O = oʊ, Q = əʊ, W = aʊ, Y = ɔɪ.
_DIPHTHONG_SHAPES.update({"A": "E", "I": "AI", "O": "O", "Q": "O", "W": "AI", "Y": "O"})
_DIPHTHONGS = frozenset(_DIPHTHONG_SHAPES)


def _base(phoneme: str) -> str:
    """The phoneme without stress, length, tone or combining diacritics."""
    return "".join(
        ch
        for ch in unicodedata.normalize("NFD", phoneme)
        if ch not in _PREFIX_MARKS and ch not in _SUFFIX_MARKS and not unicodedata.combining(ch)
    )


def _is_suffix(phoneme: str) -> bool:
    return bool(phoneme) and all(ch in _SUFFIX_MARKS or unicodedata.combining(ch) for ch in phoneme)


def _is_prefix(phoneme: str) -> bool:
    return bool(phoneme) and all(ch in _PREFIX_MARKS for ch in phoneme)


def viseme_for(phoneme: str) -> str | None:
    """Mouth shape for one phoneme; None means "keep the previous shape" (a word gap)."""
    if phoneme in _HOLDS:
        return None
    base = _base(phoneme)
    if not base:
        return None if phoneme else REST
    if base in _DIPHTHONG_SHAPES:
        return _DIPHTHONG_SHAPES[base]
    if base[0] in _PAUSES:
        return REST
    return _SHAPES.get(base[0], "etc")


def group_phonemes(phonemes: Sequence[PhonemeTiming]) -> list[PhonemeTiming]:
    """Fold stress/length/tone marks and diphthong halves into whole, timed sounds.

    Idempotent, so it is safe to apply to timings that were already grouped.
    """
    out: list[PhonemeTiming] = []
    prefix: PhonemeTiming | None = None
    for p in phonemes:
        if _is_prefix(p.phoneme):
            if prefix is None:
                prefix = p
            else:
                prefix = PhonemeTiming(
                    prefix.phoneme + p.phoneme, prefix.start, p.start + p.duration - prefix.start
                )
            continue
        if prefix is not None:
            p = PhonemeTiming(
                prefix.phoneme + p.phoneme, prefix.start, p.start + p.duration - prefix.start
            )
            prefix = None
            out.append(p)
            continue
        if out and (
            _is_suffix(p.phoneme)
            or (_base(out[-1].phoneme) + _base(p.phoneme) in _DIPHTHONGS and _base(p.phoneme))
        ):
            last = out[-1]
            out[-1] = PhonemeTiming(
                last.phoneme + p.phoneme, last.start, p.start + p.duration - last.start
            )
            continue
        out.append(p)
    if prefix is not None:  # a stress mark with nothing after it: keep its time
        out.append(prefix)
    return out


def visemes_from_phonemes(phonemes: Sequence[PhonemeTiming]) -> list[VisemeSpan]:
    """Timed mouth shapes from timed phonemes: identical neighbours merged, empty spans dropped."""
    spans: list[VisemeSpan] = []
    for p in group_phonemes(phonemes):
        start, end = p.start, p.start + p.duration
        if spans:
            start = max(start, spans[-1].end)  # never overlap the previous shape
        if end - start <= 1e-9:
            continue
        shape = viseme_for(p.phoneme)
        if shape is None:
            if spans and abs(spans[-1].end - start) < 1e-6:
                spans[-1] = VisemeSpan(spans[-1].start, end, spans[-1].viseme)
                continue
            shape = REST
        if spans and spans[-1].viseme == shape and abs(spans[-1].end - start) < 1e-6:
            spans[-1] = VisemeSpan(spans[-1].start, end, shape)
        else:
            spans.append(VisemeSpan(start, end, shape))
    return spans


# Loudness (relative to the fragment's loud frames) to jaw opening, most open last.
_ENVELOPE_LEVELS = ((0.12, REST), (0.35, "E"), (0.65, "O"), (float("inf"), "AI"))
_SILENCE_RMS = 0.005  # about -46 dBFS: below this a frame is silence whatever the reference


def visemes_from_envelope(
    pcm: np.ndarray, sample_rate: int, frame_s: float = 0.04
) -> list[VisemeSpan]:
    """Mouth shapes from loudness alone, for voices that give no phoneme timings.

    Quiet frames rest the mouth; louder ones open it through E, O and AI. Levels are relative to
    the fragment's loud frames (95th percentile), so a quiet voice still moves its mouth.
    """
    audio = np.asarray(pcm, dtype=np.float32).reshape(-1)
    if audio.size == 0 or sample_rate <= 0:
        return []
    frame = max(1, int(round(frame_s * sample_rate)))
    n_frames = -(-audio.size // frame)
    padded = np.zeros(n_frames * frame, dtype=np.float32)
    padded[: audio.size] = audio
    rms = np.sqrt(np.mean(padded.reshape(n_frames, frame) ** 2, axis=1))
    ref = max(float(np.percentile(rms, 95)), _SILENCE_RMS)
    duration = audio.size / float(sample_rate)

    spans: list[VisemeSpan] = []
    for k, level in enumerate(rms):
        shape = REST
        if level >= _SILENCE_RMS:
            rel = level / ref
            shape = next(name for limit, name in _ENVELOPE_LEVELS if rel < limit)
        start = k * frame / sample_rate
        end = min((k + 1) * frame / sample_rate, duration)
        if spans and spans[-1].viseme == shape:
            spans[-1] = VisemeSpan(spans[-1].start, end, shape)
        else:
            spans.append(VisemeSpan(start, end, shape))
    return spans


def rest_in_silence(
    spans: Sequence[VisemeSpan], pcm: np.ndarray, sample_rate: int, min_s: float = 0.08
) -> list[VisemeSpan]:
    """Close the mouth wherever the audio is silent for at least `min_s`.

    For timelines that do not mark pauses (espeak-ng sends no event for a comma's silence, so the
    phoneme before it would hold the mouth open through the pause).
    """
    audio = np.asarray(pcm, dtype=np.float32).reshape(-1)
    frame = max(1, int(0.02 * sample_rate))
    if audio.size < frame or not spans:
        return list(spans)
    n = audio.size // frame
    quiet = np.sqrt(np.mean(audio[: n * frame].reshape(n, frame) ** 2, axis=1)) < _SILENCE_RMS
    runs: list[tuple[float, float]] = []
    k = 0
    while k < n:
        if not quiet[k]:
            k += 1
            continue
        j = k
        while j < n and quiet[j]:
            j += 1
        if (j - k) * frame >= min_s * sample_rate:
            runs.append((k * frame / sample_rate, j * frame / sample_rate))
        k = j
    out: list[VisemeSpan] = []

    def add(start: float, end: float, shape: str) -> None:
        if end - start <= 1e-9:
            return
        if out and out[-1].viseme == shape and abs(out[-1].end - start) < 1e-6:
            out[-1] = VisemeSpan(out[-1].start, end, shape)
        else:
            out.append(VisemeSpan(start, end, shape))

    for s in spans:
        t = s.start
        for a, b in runs:
            if b <= t or a >= s.end:
                continue
            add(t, max(t, a), s.viseme)
            add(max(t, a), min(s.end, b), REST)
            t = min(s.end, b)
        add(t, s.end, s.viseme)
    return out
