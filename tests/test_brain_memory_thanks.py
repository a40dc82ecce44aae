"""Per-viewer memory and summary; batched thanks for gifts, super chats and memberships."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from vhost.brain.memory import ConversationMemory
from vhost.brain.thanks import ThanksBatcher


def test_returning_viewer_is_remembered_with_their_question() -> None:
    mem = ConversationMemory()
    mem.seen("Ben", 1.0)
    assert mem.history("Ben") == [] and mem.greeting_hint("Ben") == ""
    mem.answered("Ben", "how much is the mug?", "It's $24.99 today.", now=2.0)
    rec = mem.recall("ben")
    assert rec is not None and rec.returning and rec.questions[-1][0] == "how much is the mug?"
    assert "Ben" in mem.greeting_hint("Ben") and "how much is the mug?" in mem.greeting_hint("Ben")
    assert "上次你问了" in mem.greeting_hint("Ben", lang="zh")
    hist = mem.history("Ben")
    assert hist[-2:] == [("user", "Ben: how much is the mug?"), ("assistant", "It's $24.99 today.")]


def test_summary_and_history_hold_other_viewers_recent_questions() -> None:
    mem = ConversationMemory(summary_pairs=2)
    mem.answered("Ann", "dishwasher safe?", "Lid yes.")
    mem.answered("Bo", "colors?", "Black and white.")
    mem.answered("Cy", "shipping?", "1-2 days.")
    assert mem.summary() == "Bo asked 'colors?', answered 'Black and white.'; " \
                            "Cy asked 'shipping?', answered '1-2 days.'"
    assert "Cy问「shipping?」" in mem.summary("zh")
    hist = mem.history("Dee")
    assert [t for r, t in hist if r == "user"] == ["Bo: colors?", "Cy: shipping?"]
    # Cy's own exchange is not repeated twice.
    assert [t for r, t in mem.history("Cy") if r == "user"] == ["Bo: colors?", "Cy: shipping?"]


def test_history_respects_the_token_budget_and_keeps_the_viewers_own_turn() -> None:
    mem = ConversationMemory(summary_pairs=3, history_token_budget=30)
    for i in range(3):
        mem.answered(f"U{i}", "a fairly long question about the product number " + str(i),
                     "and a fairly long answer that goes on for a while " + str(i))
    mem.answered("Me", "short?", "yes.")
    hist = mem.history("Me")
    assert hist[-2:] == [("user", "Me: short?"), ("assistant", "yes.")]
    assert len(hist) < 8


def test_memory_is_bounded_and_keyed_by_platform_id() -> None:
    mem = ConversationMemory()
    mem.seen("Ann", 0, user_id="yt:1")
    mem.seen("Ann B", 1, user_id="yt:1")  # renamed, same account
    rec = mem.recall("whatever", user_id="yt:1")
    assert rec is not None and rec.name == "Ann B" and rec.messages == 2
    mem.answered("Ann B", "q", "", user_id="yt:1")  # nothing heard: nothing remembered
    assert not rec.questions


def test_thanks_batch_names_the_biggest_first_and_counts_the_rest() -> None:
    t = ThanksBatcher(window_s=5.0, max_names=2)
    t.add("Ann", "gift", amount=1, at=0.0)
    t.add("Bo", "gift", amount=10, at=0.5)
    t.add("Cy", "gift", amount=2, at=1.0)
    t.add("Bo", "gift", amount=1, at=1.2)  # one name per viewer
    t.add("Dee", "gift", amount=1, at=1.3)
    t.add("Eve", "gift", amount=1, at=1.4)
    assert not t.due(3.0)
    assert t.take_if_due(3.0) is None
    assert t.due(5.0)
    line = t.take("en")
    assert line == "Thanks Bo, Cy and 3 others for the gifts!"
    assert t.pending == 0 and t.take() is None


def test_thanks_kinds_and_chinese() -> None:
    t = ThanksBatcher(max_names=2)
    t.add("小雨", "paid", amount=30)
    t.add("Ann", "membership")
    t.add("阿杰", "gift", amount=5)
    t.add("美美", "gift", amount=3)
    t.add("Bo", "gift", amount=1)
    assert t.take("zh") == "感谢阿杰、美美等3位朋友送的礼物，感谢小雨的打赏，感谢Ann的加入会员！"
    t.add("Ann", "membership")
    t.add("Bo", "membership")
    assert t.take("en") == "Thanks Ann and Bo for joining!"
    with pytest.raises(ValueError, match="kind must be one of"):
        t.add("x", "follow")


@dataclass
class _Msg:
    user: str
    kind: str = "message"
    amount: float = 0.0
    count: int = 1
    received_at: float = 0.0


def test_add_message_takes_only_support_events_and_fills_the_batch() -> None:
    t = ThanksBatcher(max_batch=3, window_s=60)
    assert not t.add_message(_Msg("Ann"))  # a plain chat line
    assert not t.add_message(_Msg("Ann", kind="raid"))
    for u in "ABC":
        assert t.add_message(_Msg(u, kind="gift", amount=1, count=2))
    assert t.due(0.0)  # max_batch reached before the window
