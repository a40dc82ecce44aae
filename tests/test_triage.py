from __future__ import annotations

from pathlib import Path

import pytest

from vhost.chat.events import ChatMessage
from vhost.chat.replay import load_replay
from vhost.chat.triage import MAX_TEXT_CHARS, Triage, classify, normalize_text

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo" / "chat.jsonl"

_ids = iter(range(10**9))


def msg(text: str, t: float = 0.0, user: str = "anna", mid: str | None = None) -> ChatMessage:
    return ChatMessage(
        id=mid or f"m{next(_ids)}", platform="replay", user=user, text=text, received_at=t
    )


# ------------------------------------------------------------------ classify


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("how much is the mug?", "question"),
        ("price", "question"),
        ("what colors does it come in", "question"),
        ("is it dishwasher safe", "question"),
        ("any discount today", "question"),
        ("这个杯子多少钱？", "question"),
        ("耳机防水吗", "question"),
        ("台灯怎么充电", "question"),
        ("I'll take two!", "purchase"),
        ("how do I buy this?", "purchase"),  # buying beats asking
        ("just ordered one", "purchase"),
        ("我要买一个", "purchase"),
        ("已经下单了", "purchase"),
        ("hi!", "greeting"),
        ("Hello from Toronto!", "greeting"),
        ("good evening everyone", "greeting"),
        ("大家好", "greeting"),
        ("主播好！", "greeting"),
        ("家人们晚上好", "greeting"),
        ("主播今天好漂亮", "other"),  # a compliment, not a hello
        ("主播好漂亮", "other"),
        ("hi, how long is shipping?", "question"),  # a greeting with a question is a question
        ("FOLLOW ME FOR FREE FOLLOWERS www.spam.example", "spam"),
        ("check out my channel", "spam"),
        ("cheap stuff at bestdeals.shop", "spam"),
        ("https://x.example/a", "spam"),
        ("!!!!!!!!!!!!", "spam"),
        ("loooooooooove it", "spam"),
        ("关注我 互粉", "spam"),
        ("love this stream", "other"),
        ("lol", "other"),
        ("666", "other"),
    ],
)
def test_classify(text: str, intent: str) -> None:
    assert classify(text) == intent
    assert Triage.classify(text) == intent


def test_normalize_text() -> None:
    assert normalize_text("ｈｏｗ　ｍｕｃｈ？") == "how much?"  # NFKC folds full-width forms
    assert normalize_text("a\x00b\u200bc\x1b[31m") == "abc[31m"  # control/format chars go
    assert normalize_text("  two\n\tlines  ") == "two lines"
    assert len(normalize_text("x" * 1000)) == MAX_TEXT_CHARS


# ------------------------------------------------------------------ offer


def test_offer_queues_with_normalized_text() -> None:
    tr = Triage()
    d = tr.offer(msg("ｈｏｗ ｍｕｃｈ？\u200b", mid="a"))
    assert (d.accepted, d.intent, d.reason, d.msg_id) == (True, "question", "queued", "a")
    assert tr.pending[0].text == "how much?"


def test_spam_and_empty_are_dropped_with_a_reason() -> None:
    tr = Triage()
    spam = tr.offer(msg("follow me www.x.example"))
    empty = tr.offer(msg(" \u200b\x00 "))
    assert (spam.accepted, spam.reason) == (False, "spam")
    assert (empty.accepted, empty.reason) == (False, "empty")
    assert tr.pending == []


def test_same_question_from_others_merges_within_the_queue() -> None:
    tr = Triage()
    assert tr.offer(msg("how much is the mug?", 0.0, "ben", mid="q")).accepted
    dup = tr.offer(msg("How much is the mug??", 10.0, "eli"))  # other user, same question
    near = tr.offer(msg("how much is the mugs", 20.0, "flo"))  # a letter off
    assert (dup.accepted, dup.reason, dup.merged_into, dup.merged_count) == (True, "merged", "q", 2)
    assert (near.accepted, near.reason, near.merged_count) == (True, "merged", 3)
    again = tr.offer(msg("how much is the mug", 21.0, "ben"))  # ben again: not a new asker
    assert (again.accepted, again.reason) == (False, "duplicate")
    other = tr.offer(msg("how much is the lamp?", 21.0))  # a different question
    assert other.accepted and other.reason == "queued"
    item = tr.next_item(22.0)
    assert item is not None and item.users == ["ben", "eli", "flo"] and item.count == 3
    again = tr.offer(msg("how much is the mug?", 40.0, "eli"))  # eli was answered 18 s ago
    assert (again.accepted, again.reason, again.detail) == (False, "duplicate", "just answered")
    late = tr.offer(msg("how much is the mug?", 40.0, "gus"))  # a new asker is answered too
    assert (late.accepted, late.reason) == (True, "queued")
    later = tr.offer(msg("how much is the mug", 41.0, "hal"))  # ...together with the next one
    assert (later.reason, later.merged_count) == ("merged", 2)
    assert tr.next_item(45.0).users == ["anna"]  # the lamp question has waited 24 s: it goes first
    assert tr.next_item(46.0).users == ["gus", "hal"]
    past = tr.offer(msg("how much is the mug?", 53.0, "ben"))  # ben's answer is 31 s old: asked anew
    assert past.accepted


def test_short_texts_are_only_exact_duplicates() -> None:
    tr = Triage()
    assert tr.offer(msg("hi!", 0.0)).accepted
    assert tr.offer(msg("Hi", 1.0)).reason == "duplicate"  # same user, same greeting
    assert tr.offer(msg("yo", 2.0)).accepted


def test_redelivered_id_is_a_duplicate() -> None:
    tr = Triage()
    assert tr.offer(msg("is it dishwasher safe?", 0.0, mid="x")).accepted
    assert tr.offer(msg("something else entirely", 1.0, mid="x")).reason == "duplicate"


# ------------------------------------------------------------------ next


def test_next_picks_highest_rank_then_oldest() -> None:
    tr = Triage()
    for text, t in [("love it", 0.0), ("hello!", 1.0), ("price?", 3.0),
                    ("is it leak-proof?", 2.0), ("I'll take one", 4.0)]:  # fmt: skip
        assert tr.offer(msg(text, t)).accepted
    order = [tr.next(5.0) for _ in range(5)]
    assert [m.text for m in order if m] == [
        "I'll take one", "is it leak-proof?", "price?", "hello!", "love it",
    ]  # fmt: skip
    assert tr.next(5.0) is None


def test_pending_is_in_dispatch_order() -> None:
    tr = Triage()
    tr.offer(msg("hi", 0.0))
    tr.offer(msg("price?", 1.0))
    assert [m.text for m in tr.pending] == ["price?", "hi"]


def test_next_drops_stale_messages() -> None:
    tr = Triage(stale_after_s=45.0)
    tr.offer(msg("old question?", 0.0, mid="old"))
    tr.offer(msg("greeting hello", 40.0, mid="new"))
    m = tr.next(50.0)
    assert m is not None and m.id == "new"  # the question is 50 s old: stale
    stale = [d for d in tr.decisions if d.reason == "stale"]
    assert [(d.msg_id, d.accepted, d.intent) for d in stale] == [("old", False, "question")]
    assert tr.next(50.0) is None


def test_a_welcome_goes_sooner_than_a_question_and_the_config_sets_how_soon() -> None:
    from vhost.chat.config import TriageConfig

    tr = Triage.from_config(TriageConfig(welcome_max_age_s=20.0))
    tr.offer(msg("hi everyone", 0.0, user="tom", mid="hello"))
    tr.offer(msg("how much is the mug?", 0.0, user="kim", mid="q"))
    tr.offer(msg("主播好", 10.0, user="lin", mid="hello2"))
    assert tr.next(25.0).id == "q"  # the question, 25 s old, is still answered
    stale = [(d.msg_id, d.intent) for d in tr.decisions if d.reason == "stale"]
    assert stale == [("hello", "greeting")]  # a 25 s old hello went, visibly
    assert tr.next(40.0) is None  # the 30 s old hello went too
    assert [d.msg_id for d in tr.decisions if d.reason == "stale"] == ["hello", "hello2"]


def test_a_waiting_welcome_never_goes_ahead_of_a_question() -> None:
    tr = Triage(welcome_stale_after_s=20.0)
    tr.offer(msg("hi everyone", 0.0, user="tom", mid="hello"))
    tr.offer(msg("台灯的power是多少？", 16.0, user="kiki", mid="q"))  # a plain question, rank 2
    assert [tr.next(17.0).id, tr.next(19.0).id] == ["q", "hello"]  # the hello, 17 s old, is not aged up


def test_withdraw() -> None:
    tr = Triage()
    tr.offer(msg("is it dishwasher safe?", 0.0, mid="a"))
    assert tr.withdraw("a") == 1
    assert tr.withdraw("a") == 0
    assert tr.pending == []
    assert tr.decisions[-1].reason == "withdrawn" and tr.decisions[-1].msg_id == "a"


# ------------------------------------------------------------------ bounded queue


def test_full_queue_evicts_lowest_ranked_oldest() -> None:
    tr = Triage(max_queue=3)
    tr.offer(msg("nice stream", 0.0, mid="other-old"))
    tr.offer(msg("cool colors", 1.0, mid="other-new"))
    tr.offer(msg("price?", 2.0, mid="q1"))
    d = tr.offer(msg("is it leak-proof?", 3.0, mid="q2"))
    assert d.accepted
    assert [m.id for m in tr.pending] == ["q1", "q2", "other-new"]
    evicted = [x for x in tr.decisions if x.reason == "queue full"]
    assert [(x.msg_id, x.accepted) for x in evicted] == [("other-old", False)]


def test_full_queue_rejects_a_newcomer_that_ranks_lowest() -> None:
    tr = Triage(max_queue=2)
    tr.offer(msg("price?", 0.0, mid="q1"))
    tr.offer(msg("is it leak-proof?", 1.0, mid="q2"))
    d = tr.offer(msg("hello there", 2.0, mid="g"))
    assert (d.accepted, d.reason, d.msg_id) == (False, "queue full", "g")
    assert [m.id for m in tr.pending] == ["q1", "q2"]


def test_max_queue_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Triage(max_queue=0)


# ------------------------------------------------------------------ nothing silent


def test_every_message_gets_a_decision_on_the_demo_chat() -> None:
    tr = Triage()
    lines, _ = load_replay(DEMO)
    for line in lines:
        tr.offer(ChatMessage(line.id, line.platform, line.user, line.text, line.t))
    offered = tr.decisions[:]
    assert len(offered) == len(lines)
    assert [d.reason for d in offered].count("spam") == 1
    assert [d.reason for d in offered].count("merged") == 1  # Eli asks Ben's question again
    # Drain as the host would: one answer every 6 s from the last message on.
    now = lines[-1].t
    answered = []
    while (m := tr.next(now)) is not None:
        answered.append(m.id)
        now += 6.0
    queued = {d.msg_id for d in offered if d.accepted}
    final = {d.msg_id: d.reason for d in tr.decisions[len(offered) :]}
    dispatched = {i for i, r in final.items() if r == "dispatched"}
    merged = {d.msg_id: d.merged_into for d in offered if d.reason == "merged"}
    # each queued message was dispatched (itself or the item it merged into) or went stale
    assert set(final) | {m for m, into in merged.items() if into in dispatched} == queued
    assert set(final.values()) <= {"dispatched", "stale"}
    assert all(m in final or into in dispatched for m, into in merged.items())  # each asker's fate recorded
    # the purchase goes first, but for questions that have waited 15 s or more (they move up a rank)
    at = {ln.id: ln.t for ln in lines}
    ahead = answered[: answered.index(lines[-1].id)]
    assert all(at[i] <= lines[-1].t - 15.0 for i in ahead), ahead


def test_a_viewer_welcomed_is_not_welcomed_again_for_ten_minutes() -> None:
    tr = Triage()
    assert tr.offer(msg("hi everyone", 0.0, "tom")).reason == "queued"
    assert tr.next_item(1.0).users == ["tom"]
    again = tr.offer(msg("大家晚上好", 30.0, "tom"))  # another greeting, in another language
    assert (again.accepted, again.reason, again.detail) == (False, "duplicate", "welcomed 29 s ago")
    assert tr.offer(msg("how much is the mug?", 31.0, "tom")).reason == "queued"  # a question still is
    assert tr.offer(msg("hello!", 32.0, "ann")).reason == "queued"  # someone else is welcomed
    assert tr.offer(msg("hey again", 700.0, "tom")).accepted  # ten minutes later: welcomed back


def test_a_waiting_question_moves_up_so_higher_ranked_ones_cannot_starve_it() -> None:
    tr = Triage(product_words=["lamp", "mug", "bottle"])
    kiki = tr.offer(msg("what's the wattage of the lamp?", 0.0, "kiki"))
    noah = tr.offer(msg("how do I buy the mug?", 1.0, "noah"))
    assert noah.rank > kiki.rank  # a purchase question outranks a product question...
    assert tr.next_item(2.0).users == ["noah"]
    tr.offer(msg("where do I order the bottle?", 16.0, "chloe"))
    assert tr.next_item(17.0).users == ["kiki"]  # ...but not one that has waited 17 s
    assert tr.next_item(20.0).users == ["chloe"]
