import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from vhost.avatar.animator import Animator, LipTrack  # noqa: E402
from vhost.avatar.pose import EMOTIONS, VISEME_OPENNESS, RigPose  # noqa: E402
from vhost.base.audio_types import VisemeSpan  # noqa: E402


def _track(start: float = 10.0) -> LipTrack:
    return LipTrack(
        start=start,
        visemes=[
            VisemeSpan(0.0, 0.1, "rest"),
            VisemeSpan(0.1, 0.4, "AI"),
            VisemeSpan(0.4, 0.6, "MBP"),
            VisemeSpan(0.6, 0.9, "O"),
        ],
        text="hi mom",
    )


def _blink_groups(anim: Animator, t0: float, t1: float, dt: float = 0.005) -> list[float]:
    """Start times of blinks (closure crossing 0.5), merging double blinks into one group."""
    ts = np.arange(t0, t1, dt)
    closed = np.array([anim.blink_at(t) > 0.5 for t in ts])
    starts = ts[1:][closed[1:] & ~closed[:-1]]
    groups: list[float] = []
    for s in starts:
        if not groups or s - groups[-1] > 1.0:
            groups.append(float(s))
    return groups


def test_blink_schedule_is_deterministic():
    a, b = Animator(5), Animator(5)
    ts = np.arange(0.0, 30.0, 0.01)
    assert [a.blink_at(t) for t in ts] == [b.blink_at(t) for t in ts]
    other = Animator(6)
    assert [a.blink_at(t) for t in ts] != [other.blink_at(t) for t in ts]


def test_blinks_every_two_to_six_seconds_with_some_doubles():
    anim = Animator(11)
    groups = _blink_groups(anim, 0.0, 240.0)
    gaps = np.diff(groups)
    assert len(groups) > 40
    assert gaps.min() >= 1.9 and gaps.max() <= 6.1
    # A double blink shows as two closures ~0.3 s apart; some must occur over 60 slots.
    doubles = sum(1 for k in range(60) if anim.blink_at(anim.blink_start(k) + 0.3 + 0.085) > 0.9)
    assert 1 <= doubles <= 30


def test_blink_shape_closes_fully_and_briefly():
    anim = Animator(2)
    start = anim.blink_start(3)
    ts = np.arange(start - 0.05, start + 0.25, 0.002)
    closure = np.array([anim.blink_at(t) for t in ts])
    assert closure.max() == pytest.approx(1.0)
    closed_time = (closure > 0.05).sum() * 0.002
    assert 0.12 <= closed_time <= 0.25
    assert anim.blink_at(start - 0.5) == 0.0


def test_blinks_work_far_into_a_stream_and_before_zero():
    anim = Animator(9)
    assert len(_blink_groups(anim, 36_000.0, 36_030.0)) >= 5
    assert len(_blink_groups(anim, -30.0, 0.0)) >= 5


def test_mouth_follows_visemes():
    anim = Animator(1)
    tracks = [_track()]
    ai = anim.pose_at(10.25, tracks)
    assert ai.viseme == "AI" and ai.talking
    assert ai.mouth_open == pytest.approx(VISEME_OPENNESS["AI"])
    mbp = anim.pose_at(10.5, tracks)
    assert mbp.viseme == "MBP" and mbp.mouth_open == pytest.approx(0.0, abs=1e-9)
    o = anim.pose_at(10.75, tracks)
    assert o.viseme == "O" and o.mouth_open == pytest.approx(VISEME_OPENNESS["O"])


def test_outside_tracks_is_rest():
    anim = Animator(1)
    for t in (0.0, 9.5, 11.0, 100.0):
        pose = anim.pose_at(t, [_track()])
        assert pose.viseme == "rest" and pose.mouth_open == 0.0 and not pose.talking
    silent = anim.pose_at(5.0, [])
    assert silent.viseme == "rest" and not silent.talking


def test_coarticulation_blends_edges():
    anim = Animator(1)
    tracks = [_track()]
    edge = 10.4  # AI (0.9) -> MBP (0.0)
    assert anim.pose_at(edge, tracks).mouth_open == pytest.approx(0.45, abs=1e-6)
    ts = np.linspace(edge - 0.03, edge + 0.03, 61)
    values = np.array([anim.pose_at(t, tracks).mouth_open for t in ts])
    assert np.all(np.diff(values) <= 1e-12)  # glides monotonically from AI to MBP
    inner = values[np.abs(ts - edge) < 0.0175]
    assert np.all((inner > 0.01) & (inner < 0.89))  # genuinely intermediate
    # The edge lasts ~50 ms: plateaus are back to the pure shapes 30 ms either side.
    assert values[0] == pytest.approx(0.9) and values[-1] == pytest.approx(0.0, abs=1e-9)
    # Onset from silence ramps too instead of snapping open.
    onset = [anim.pose_at(10.1 + d, tracks).mouth_open for d in (-0.03, -0.01, 0.0, 0.01, 0.03)]
    assert onset[0] == pytest.approx(0.0, abs=1e-9) and onset[-1] == pytest.approx(0.9)
    assert 0.0 < onset[1] < onset[2] < onset[3] < 0.9


def test_back_to_back_tracks_are_continuous():
    anim = Animator(1)
    first = LipTrack(0.0, [VisemeSpan(0.0, 1.0, "E")])
    second = LipTrack(1.0, [VisemeSpan(0.0, 1.0, "E")])
    values = [anim.pose_at(t, [first, second]).mouth_open for t in np.linspace(0.95, 1.05, 21)]
    assert values == pytest.approx([VISEME_OPENNESS["E"]] * 21)


def test_pose_is_a_pure_function():
    tracks = [_track()]
    for t in (0.0, 3.3, 10.2, 10.41, 57.0):
        for emotion in EMOTIONS:
            p1 = Animator(4).pose_at(t, tracks, emotion)
            p2 = Animator(4).pose_at(t, tracks, emotion)
            assert p1 == p2 and isinstance(p1, RigPose) and p1.emotion == emotion


def test_breath_and_sway_are_slow_and_bounded():
    anim = Animator(8)
    ts = np.arange(0.0, 120.0, 1 / 30)
    breath = np.array([anim.breath_at(t) for t in ts])
    sway = np.array([anim.sway_at(t) for t in ts])
    assert breath.min() >= -1 and breath.max() <= 1 and breath.max() > 0.99
    assert sway.min() >= -1 and sway.max() <= 1 and np.ptp(sway) > 0.8
    # Per-frame change is tiny at 30 fps: no jitter.
    assert np.abs(np.diff(breath)).max() < 0.06
    assert np.abs(np.diff(sway)).max() < 0.05
    # Breathing runs at roughly 0.25 Hz: ~30 cycles in 2 minutes.
    crossings = np.sum((breath[1:] > 0) & (breath[:-1] <= 0))
    assert 24 <= crossings <= 36


def test_validation():
    with pytest.raises(ValueError, match="unknown emotion"):
        Animator(1).pose_at(0.0, [], "furious")
    with pytest.raises(ValueError, match="unknown viseme"):
        LipTrack(0.0, [VisemeSpan(0.0, 0.1, "XX")])
    with pytest.raises(ValueError, match="ends before"):
        LipTrack(0.0, [VisemeSpan(0.2, 0.1, "AI")])
    assert _track().end == pytest.approx(10.9)
    assert LipTrack(3.0, []).end == 3.0


def test_emphasis_nods_on_stressed_syllables():
    from vhost.avatar.animator import stress_onsets
    from vhost.base.audio_types import PhonemeTiming

    # "this ˈmug is ˈgreat": Piper's timeline carries the stress mark as its own symbol.
    phonemes = [PhonemeTiming(p, s, d) for p, s, d in [
        ("ð", 0.0, 0.05), ("ɪ", 0.05, 0.05), ("s", 0.1, 0.05), (" ", 0.15, 0.02),
        ("ˈ", 0.17, 0.0), ("m", 0.17, 0.06), ("ʌ", 0.23, 0.1), ("ɡ", 0.33, 0.05),
        (" ", 0.38, 0.02), ("ɪ", 0.4, 0.05), ("z", 0.45, 0.05), (" ", 0.5, 0.02),
        ("ˈɡ", 0.52, 0.05), ("ɹ", 0.57, 0.05), ("eɪ", 0.62, 0.12), ("t", 0.74, 0.05),
        ("ˈ", 0.8, 0.0), ("a", 0.8, 0.1)]]
    onsets = stress_onsets(phonemes)
    assert onsets == (0.17, 0.52, 0.8)
    track = LipTrack(start=10.0, visemes=[VisemeSpan(0.0, 0.9, "E")], stresses=onsets)
    anim = Animator(2)
    ts = np.arange(9.9, 11.5, 0.005)
    nod = np.array([anim.pose_at(t, [track]).nod for t in ts])
    assert nod.max() == pytest.approx(1.0, abs=0.02)
    assert np.all(nod[ts < 10.1] == 0.0)  # nothing before the first stress
    peaks = ts[1:-1][(nod[1:-1] > nod[:-2]) & (nod[1:-1] >= nod[2:]) & (nod[1:-1] > 0.9)]
    # Two nods: 10.17 and 10.8; 10.52 is too close to the first (a twitch, not emphasis).
    assert len(peaks) == 2 and abs(peaks[0] - 10.23) < 0.03 and abs(peaks[1] - 10.86) < 0.03
    assert np.all(nod[ts > 11.2] == 0.0)
    # Without stresses (amplitude fallback, espeak without marks) the head does not nod.
    bare = LipTrack(start=10.0, visemes=[VisemeSpan(0.0, 0.9, "E")])
    assert max(anim.pose_at(t, [bare]).nod for t in ts) == 0.0


def test_gaze_goes_to_the_card_only_while_pitching():
    anim = Animator(4)
    ts = np.arange(0.0, 30.0, 0.02)
    look = np.array([anim.pose_at(t, [], pitching=True).look for t in ts])
    assert look.min() == 0.0 and look.max() == pytest.approx(1.0)
    assert 0.3 < look.mean() < 0.7  # glances at the card, and back to the viewers
    assert np.abs(np.diff(look)).max() < 0.25  # turns smoothly, no snapping
    assert all(anim.pose_at(t, []).look == 0.0 for t in ts[::25])
    assert np.array_equal(look, [Animator(4).pose_at(t, [], pitching=True).look for t in ts])

