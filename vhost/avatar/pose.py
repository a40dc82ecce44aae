"""The rig's output for one instant: a small value object the stage paints from."""

from __future__ import annotations

from dataclasses import dataclass

EMOTIONS = ("neutral", "happy", "excited", "surprised", "thinking", "sad")


@dataclass(frozen=True)
class RigPose:
    mouth_open: float = 0.0  # 0 closed .. 1 wide open
    viseme: str = "rest"
    blink: float = 0.0  # 0 eyes open .. 1 closed
    breath: float = 0.0  # -1 .. 1, slow chest/shoulder rise
    sway: float = 0.0  # -1 .. 1, idle head/body sway
    emotion: str = "neutral"
    talking: bool = False
    nod: float = 0.0  # 0 .. 1, emphasis dip of the head on a stressed syllable
    look: float = 0.0  # 0 camera .. 1 looking at the product card (direction set by the layout)

# Mouth shapes (after the Preston Blair set). Voices map their phonemes onto these names
# (vhost/voice/visemes.py); the painter draws one mouth per name.
VISEMES = ("rest", "MBP", "FV", "L", "WQ", "E", "AI", "O", "U", "etc")

# How open the jaw is for each shape, 0..1: drives mouth_open and the rig_trace in reports.
VISEME_OPENNESS = {
    "rest": 0.0,
    "MBP": 0.0,
    "FV": 0.15,
    "L": 0.4,
    "WQ": 0.3,
    "E": 0.5,
    "AI": 0.9,
    "O": 0.7,
    "U": 0.35,
    "etc": 0.3,
}
