"""espeak-ng through its C library, for the phoneme events the command line cannot give.

With `espeakINITIALIZE_PHONEME_EVENTS | espeakINITIALIZE_PHONEME_IPA`, synchronous synthesis hands
the callback the audio and, for every phoneme, an event with its IPA symbol and the sample where it
starts. Those become the same phoneme timeline Piper and Kokoro give, so espeak-ng's mouth follows
its phonemes instead of its loudness.

The library keeps global state (one voice, one callback), so calls are serialized. Each process
loads its own copy: onnx voices that embed espeak (Piper, phonemizer) use theirs, not this one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from pathlib import Path

import numpy as np

from vhost.base.audio_types import PhonemeTiming

_SYNCHRONOUS = 2
_PHONEME_EVENTS, _PHONEME_IPA, _DONT_EXIT = 0x0001, 0x0002, 0x8000
_CHARS_UTF8, _ENDPAUSE = 1, 0x1000
_POS_CHARACTER = 1
_RATE = 1
_EVENT_END, _EVENT_PHONEME = 5, 7
_EVENT_MSG_TERMINATED = 6


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),  # milliseconds
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.POINTER(_Event))


_shared: EspeakLibrary | None = None
_shared_lock = threading.Lock()


def shared_library(data_dir: str | None = None) -> EspeakLibrary:
    """The process's one EspeakLibrary (the C library has one global state); raises OSError.

    `data_dir` is the `espeak-ng-data` folder of the installed espeak-ng (what `espeak-ng
    --version` prints); the library beside it is loaded by its full path. By bare name, the
    dynamic loader would hand back any copy with the same soname that is already loaded, such as
    the one phonemizer (Kokoro's English) runs with its own data and state.
    """
    global _shared
    with _shared_lock:
        if _shared is None:
            path = None
            if data_dir:
                candidate = Path(data_dir).parent / "libespeak-ng.so.1"
                path = str(candidate) if candidate.exists() else None
            _shared = EspeakLibrary(path, str(Path(data_dir).parent) if data_dir else None)
        return _shared


class EspeakLibrary:
    """One loaded libespeak-ng; `synthesize` returns (pcm float32, sample rate, phoneme timeline)."""

    def __init__(self, path: str | None = None, data_parent: str | None = None) -> None:
        path = path or ctypes.util.find_library("espeak-ng")
        if not path:
            raise OSError("libespeak-ng not found: apt-get install libespeak-ng1")
        self._lib = ctypes.CDLL(path)
        lib = self._lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                     ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        rate = lib.espeak_Initialize(_SYNCHRONOUS, 0, data_parent.encode() if data_parent else None,
                                     _PHONEME_EVENTS | _PHONEME_IPA | _DONT_EXIT)
        if rate <= 0:
            raise OSError(f"espeak_Initialize failed ({rate})")
        self.sample_rate = int(rate)
        self._lock = threading.Lock()
        self._pcm: list[np.ndarray] = []
        self._events: list[tuple[str, int]] = []
        self._callback = _CALLBACK(self._on_synth)  # kept referenced: C holds the pointer
        lib.espeak_SetSynthCallback(self._callback)

    def _on_synth(self, wav, numsamples, events) -> int:  # noqa: ANN001 (ctypes)
        if wav and numsamples > 0:
            self._pcm.append(np.ctypeslib.as_array(wav, shape=(numsamples,)).copy())
        k = 0
        while events[k].type != 0:  # the list ends with espeakEVENT_LIST_TERMINATED
            ev = events[k]
            if ev.type == _EVENT_PHONEME:
                symbol = bytes(ev.id.string).split(b"\0", 1)[0].decode("utf-8", "replace")
                self._events.append((symbol, int(ev.audio_position)))
            k += 1
        return 0

    def synthesize(self, text: str, voice: str, wpm: int) -> tuple[np.ndarray, int, list[PhonemeTiming]]:
        data = text.encode("utf-8") + b"\0"
        with self._lock:
            self._pcm, self._events = [], []
            if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise RuntimeError(f"espeak-ng failed: no voice {voice!r}")
            self._lib.espeak_SetParameter(_RATE, int(wpm), 0)
            err = self._lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0,
                                         _CHARS_UTF8 | _ENDPAUSE, None, None)
            if err != 0:
                raise RuntimeError(f"espeak-ng failed: espeak_Synth returned {err} for voice {voice!r}")
            pcm16 = np.concatenate(self._pcm) if self._pcm else np.zeros(0, np.int16)
            events = list(self._events)
        pcm = pcm16.astype(np.float32) / 32768.0
        return pcm, self.sample_rate, _timeline(events, pcm.size / self.sample_rate)


def _timeline(events: list[tuple[str, int]], duration: float) -> list[PhonemeTiming]:
    """Back-to-back timings from phoneme start times (ms); the gaps before and after are rests."""
    out: list[PhonemeTiming] = []
    starts = [(sym, min(ms / 1000.0, duration)) for sym, ms in events if sym.strip()]
    if not starts or duration <= 0:
        return out
    if starts[0][1] > 1e-4:
        out.append(PhonemeTiming("_", 0.0, starts[0][1]))
    for i, (sym, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else duration
        if end > start:
            out.append(PhonemeTiming(sym, start, end - start))
        elif out and out[-1].phoneme != "_":  # two events at one instant: one sound
            last = out[-1]
            out[-1] = PhonemeTiming(last.phoneme + sym, last.start, last.duration)
    return out
