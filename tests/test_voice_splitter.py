"""SentenceSplitter / clean_for_speech: pure text tests, fed the way an LLM streams."""

from __future__ import annotations

import random

import pytest

from vhost.voice.cleaning import clean_for_speech
from vhost.voice.splitter import SentenceSplitter


def split_whole(text: str, **kw) -> list[str]:
    s = SentenceSplitter(**kw)
    return s.push(text) + s.flush()


def split_streamed(text: str, seed: int = 0, **kw) -> list[str]:
    """Feed random 1..7-character deltas, like tokens."""
    s = SentenceSplitter(**kw)
    rnd = random.Random(seed)
    out: list[str] = []
    i = 0
    while i < len(text):
        k = rnd.randint(1, 7)
        out += s.push(text[i : i + k])
        i += k
    return out + s.flush()


CASES = {
    "first clause early": (
        "This ceramic mug is amazing, it keeps your coffee hot for six hours. Only $12.99 today! Want one?",
        [
            "This ceramic mug is amazing,",
            "it keeps your coffee hot for six hours.",
            "Only $12.99 today!",
            "Want one?",
        ],
    ),
    "short first clause waits": (
        "Hi there, welcome to the stream! Let's go.",
        ["Hi there, welcome to the stream!", "Let's go."],
    ),
    "only the first fragment splits at clauses": (
        "Okay so listen to this, it is great, it is cheap, and it ships today. Yes, really, it does.",
        [
            "Okay so listen to this,",
            "it is great, it is cheap, and it ships today.",
            "Yes, really, it does.",
        ],
    ),
    "decimals and prices": (
        "The battery lasts 3.5 hours and costs $1,299.99 total. Version 2.0 ships at 10:30 am.",
        [
            "The battery lasts 3.5 hours and costs $1,299.99 total.",
            "Version 2.0 ships at 10:30 am.",
        ],
    ),
    "abbreviations": (
        "Ask Mr. Smith about the U.S. model, e.g. the blue one. Dr. Lee agrees.",
        ["Ask Mr. Smith about the U.S. model,", "e.g. the blue one.", "Dr. Lee agrees."],
    ),
    "number abbreviation": (
        "It is the No. 1 seller. Just say no. Then buy it.",
        ["It is the No. 1 seller.", "Just say no.", "Then buy it."],
    ),
    "ellipsis": (
        "Wait... what? Well… maybe. It trails off... and comes back.",
        ["Wait... what?", "Well… maybe.", "It trails off... and comes back."],
    ),
    "quotes and dialogue": (
        'She said "I love it!" Then she bought two. "Really?" he asked.',
        ['She said "I love it!"', "Then she bought two.", '"Really?" he asked.'],
    ),
    "chinese": (
        "大家好，欢迎来到直播间！这款杯子可以保温六个小时，只要99元。喜欢的朋友赶紧下单吧",
        [
            "大家好，欢迎来到直播间！",
            "这款杯子可以保温六个小时，只要99元。",
            "喜欢的朋友赶紧下单吧",
        ],
    ),
    "chinese long first clause": (
        "这款保温杯真的非常好用，我自己每天都在用。",
        ["这款保温杯真的非常好用，", "我自己每天都在用。"],
    ),
    "newlines and lists": (
        "Features:\n1. Long battery life\n2. Fast charging.\n\n- Ships free",
        ["Features:", "Long battery life", "Fast charging.", "Ships free"],
    ),
    "markdown and emotes": (
        "*smiles warmly* Welcome back, **everyone**! Check the [link](https://x.y/z) below. *waves*",
        ["Welcome back, everyone!", "Check the link below."],
    ),
    "emoji": (
        "This is 🔥🔥 so good! 😍 Grab yours now 👉",
        ["This is so good!", "Grab yours now"],
    ),
    "numbers, initials and glued punctuation": (
        "It was $5. 10 are left. J. K. Rowling signed v1.2 copies at Yahoo!Japan. Wow!",
        ["It was $5.", "10 are left.", "J. K. Rowling signed v1.2 copies at Yahoo!Japan.", "Wow!"],
    ),
    "mixed chinese and english": (
        "这个 iPhone 15 Pro 手机壳，真的超级好用。Only $9.99 today!",
        ["这个 iPhone 15 Pro 手机壳，", "真的超级好用。", "Only $9.99 today!"],
    ),
    "rating asterisk is not an emote": (
        "Customers rate it 5*. Great value!",
        ["Customers rate it 5.", "Great value!"],
    ),
    "arithmetic asterisk is not an emote": (
        "Two packs cost 2 * 5 dollars. Nice.",
        ["Two packs cost 2 5 dollars.", "Nice."],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_cases(name: str) -> None:
    text, expected = CASES[name]
    assert split_whole(text) == expected


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_chunking_does_not_matter(name: str, seed: int) -> None:
    text, expected = CASES[name]
    assert split_streamed(text, seed) == expected
    # One character at a time is the harshest stream.
    s = SentenceSplitter()
    assert [f for ch in text for f in s.push(ch)] + s.flush() == expected


def test_first_fragment_released_before_sentence_ends() -> None:
    s = SentenceSplitter()
    assert s.push("Hey everyone, this mug is") == []
    assert s.push(" great, ") == ["Hey everyone, this mug is great,"]
    assert s.push("and it is cheap") == []
    assert s.flush() == ["and it is cheap"]


def test_waits_for_the_character_after_a_dot() -> None:
    s = SentenceSplitter()
    assert s.push("It costs $12.") == []  # could become $12.99
    assert s.push("99") == []
    assert s.push(". Buy") == ["It costs $12.99."]
    assert s.flush() == ["Buy"]


def test_waits_for_next_word_after_dot_then_space() -> None:
    s = SentenceSplitter(first_fragment_words=50)
    assert s.push("See the colors, sizes, etc. ") == []  # "etc." usually continues
    assert s.push("and more. ") == []
    assert s.push("Next") == ["See the colors, sizes, etc. and more."]


def test_question_released_as_soon_as_space_arrives() -> None:
    s = SentenceSplitter()
    assert s.push("Want one?") == []
    assert s.push(" ") == ["Want one?"]


def test_cjk_terminator_released_immediately() -> None:
    s = SentenceSplitter()
    assert s.push("谢谢大家。") == ["谢谢大家。"]


def test_flush_resets_for_next_reply() -> None:
    s = SentenceSplitter()
    s.push("First reply is here, and it continues.")
    s.flush()
    assert s.push("Second reply starts now, right here") == ["Second reply starts now,"]


def test_first_fragment_words_parameter() -> None:
    assert split_whole("Yes, of course. Ok.", first_fragment_words=1) == [
        "Yes,",
        "of course.",
        "Ok.",
    ]
    assert split_whole("Yes, of course. Ok.", first_fragment_words=4) == ["Yes, of course.", "Ok."]


def test_max_fragment_chars_cuts_long_runs() -> None:
    text = "word " * 120  # no punctuation at all
    frags = split_streamed(text, max_fragment_chars=100)
    assert len(frags) >= 6
    assert all(len(f) <= 100 for f in frags)
    assert " ".join(frags).split() == text.split()


def test_max_fragment_chars_prefers_clause_marks() -> None:
    text = "We have red, blue and green ones " + "in every size and shape you want, " * 5 + "really"
    frags = split_whole(text, first_fragment_words=100, max_fragment_chars=80)
    assert all(len(f) <= 80 for f in frags)
    assert all(f.endswith(",") for f in frags[:-1])


def test_long_chinese_without_punctuation_is_cut() -> None:
    text = "这个杯子很好" * 60
    frags = split_whole(text, max_fragment_chars=50)
    assert all(0 < len(f) <= 50 for f in frags)
    assert "".join(frags) == text


def test_never_returns_empty_or_blank() -> None:
    s = SentenceSplitter()
    out = s.push("*smiles*\n\n... 🔥🔥 \n**  **\n!!! ") + s.flush()
    assert out == []
    for text, _ in CASES.values():
        assert all(f.strip() for f in split_streamed(text, seed=5))


def test_unclosed_emote_is_held_then_cleaned() -> None:
    s = SentenceSplitter()
    assert s.push("*leans in, whispering. ") == []  # may still close
    assert s.push("softly* Here it is. ") == []  # a dot waits for the next word
    assert s.push("Bye") == ["Here it is."]


@pytest.mark.parametrize(
    ("raw", "spoken"),
    [
        ("**Bold** and __strong__ and `code`", "Bold and strong and code"),
        ("*laughs* That's funny!", "That's funny!"),
        ("Hello 👋🏽 friends ❤️", "Hello friends"),
        ("## Big sale", "Big sale"),
        ("Nike® shoes™", "Nike shoes"),
        ("Great deal :) right?", "Great deal right?"),
        ("[laughs] Okay.", "Okay."),
        ("  , and then  ", "and then"),
        ("...", ""),
        ("🔥", ""),
        ("这个很好用😍！", "这个很好用！"),
    ],
)
def test_clean_for_speech(raw: str, spoken: str) -> None:
    assert clean_for_speech(raw) == spoken
