"""Emotion tags: the LLM may write "[happy]" or "(excited)"; the avatar shows it, the voice skips it.

A tag is never spoken (the splitter also drops bracketed stage directions, but the emotion must
be read from the raw text first). With no tag, a light guess from the words themselves: an
exclamation with a positive word is "happy", an apology "sad", a "let me check" "thinking".
The names are the avatar's (vhost.avatar.pose.EMOTIONS).
"""

from __future__ import annotations

import re

from vhost.avatar.pose import EMOTIONS

# Synonyms a small model tends to write instead of our names.
_ALIASES = {
    "joy": "happy", "joyful": "happy", "cheerful": "happy", "smile": "happy", "smiling": "happy",
    "laugh": "happy", "laughing": "happy", "glad": "happy", "开心": "happy", "高兴": "happy",
    "excitement": "excited", "enthusiastic": "excited", "激动": "excited", "兴奋": "excited",
    "surprise": "surprised", "shocked": "surprised", "wow": "surprised", "惊讶": "surprised",
    "think": "thinking", "thoughtful": "thinking", "curious": "thinking", "思考": "thinking",
    "sorry": "sad", "apologetic": "sad", "sadness": "sad", "难过": "sad", "calm": "neutral",
    "平静": "neutral",
}
_TAG = re.compile(r"[\[(<（【]\s*([A-Za-z\u4e00-\u9fff]{2,14})\s*[\])>）】]")

_HAPPY = re.compile(r"\b(great|love|awesome|amazing|welcome|thanks|thank you|enjoy)\b|太好了|喜欢|欢迎|谢谢|感谢",
                    re.IGNORECASE)
_SAD = re.compile(r"\b(sorry|unfortunately|sold out|apolog)|抱歉|不好意思|遗憾|卖完", re.IGNORECASE)
_THINK = re.compile(r"\b(let me check|double-check|not sure|i'll check)\b|确认一下|我查一下|不确定",
                    re.IGNORECASE)
_SURPRISE = re.compile(r"\b(wow|whoa|oh my)\b|哇|天哪", re.IGNORECASE)


def _name(word: str) -> str | None:
    w = word.lower()
    if w in EMOTIONS:
        return w
    return _ALIASES.get(w)


def strip_emotion_tags(text: str) -> tuple[str, list[str]]:
    """`text` without emotion tags, and the emotions they named, in order.

    Only tags naming a known emotion are removed; "(IPX5)" or "[sic]" stay for the other cleaners.
    """
    found: list[str] = []

    def sub(m: re.Match[str]) -> str:
        name = _name(m.group(1))
        if name is None:
            return m.group(0)
        found.append(name)
        return ""

    clean = _TAG.sub(sub, text)
    return re.sub(r"\s{2,}", " ", clean).strip(), found


def infer_emotion(text: str) -> str:
    """A guess from the words when the model wrote no tag."""
    if _SAD.search(text):
        return "sad"
    if _THINK.search(text):
        return "thinking"
    if _SURPRISE.search(text):
        return "surprised"
    if _HAPPY.search(text):
        return "excited" if text.count("!") + text.count("！") >= 2 else "happy"
    return "neutral"


def emotion_of(raw: str) -> tuple[str, bool]:
    """(emotion, tagged): the first tag in the raw LLM text, else the inferred one."""
    _clean, tags = strip_emotion_tags(raw)
    if tags:
        return tags[0], True
    return infer_emotion(raw), False
