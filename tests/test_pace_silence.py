"""bench.pace's dead-air measure: the voice silent while a viewer waits for a reply."""

from bench.pace import silence_while_waiting


def reply(cid: str, received: float, first: float, last: float) -> dict:
    return {"chat_id": cid, "received_at": received, "first_audio_at": first, "last_audio_at": last}


def test_silence_counts_only_dead_air_while_someone_waits() -> None:
    # a asked at 0, heard 1-4; b asked at 2, heard only at 6 (2 s of silence after a ended);
    # a thanks line 8-9 plays while nobody waits; c asked at 10, heard at 10.5.
    replies = [reply("a", 0.0, 1.0, 4.0), reply("b", 2.0, 6.0, 8.0), reply("c", 10.0, 10.5, 12.0)]
    spoken = [{"first_audio_at": 8.0, "last_audio_at": 9.0}]
    total, each = silence_while_waiting(replies, spoken)
    assert each == {"a": 1.0, "b": 2.0, "c": 0.5}
    assert total == 1.0 + 2.0 + 0.5


def test_overlapping_waits_are_counted_once() -> None:
    # two viewers wait through the same 3 s of silence
    replies = [reply("a", 0.0, 3.0, 5.0), reply("b", 0.0, 5.0, 6.0)]
    total, each = silence_while_waiting(replies, [])
    assert each == {"a": 3.0, "b": 3.0}
    assert total == 3.0
