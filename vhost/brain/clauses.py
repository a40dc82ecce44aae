"""The clauses of a message that ask, apart from those that only tell about the viewer ("I'm in
Beijing, when will it ship?", "租的房子不能打孔 不挂墙能充电吗"): what the viewer asks is what an
answer must cover; the context frames it."""

from __future__ import annotations

import re
import unicodedata

from vhost.brain.reading import is_question

# A clause that tells about the viewer rather than asks: context, not the question.
_CONTEXT = re.compile(r"^\s*(?:i'?m|i am|i live|i have|i've|i don'?t|i do not|i want|i need|i was|my|we|"
                      r"我在|我是|我家|我住|我们|我想|我有|我要|我一般|我平时|我经常|家里|想(?!问|请教|了解|咨询|知道)|打算|准备)", re.IGNORECASE)
_ME = re.compile(r"^\s*(?:我|i\b|my\b)", re.IGNORECASE)  # "我爸两百六十斤" tells, unless it asks
# What it is for, told after the question ("wanna film my cat from above"), unless it asks
_PURPOSE = re.compile(r"^\s*(?:wanna|want to|gonna|going to|planning to|thinking of|hoping to|need it for|"
                      r"so i can|cuz|cause|because|since)\b", re.IGNORECASE)
_CLAUSES = re.compile(r"[,，.。!！;；?？]+|\s+-\s+")


def asked_clauses(text: str) -> list[str]:
    """The clauses of a message that ask, without the ones that only tell about the viewer."""
    parts = [p for p in _CLAUSES.split(unicodedata.normalize("NFKC", text)) if p.strip()]
    asked = [p for p in parts if not _CONTEXT.match(p) and not ((_ME.match(p) or _PURPOSE.match(p)) and not is_question(p))]
    return asked or parts


# Chinese chat separates clauses by a space ("租的房子不能打孔 不挂墙能充电吗").
ZH_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_TELLING = 5  # a Chinese clause this long that does not ask, beside one that does, tells context


def asking_clauses(text: str) -> list[str]:
    """`asked_clauses`, and of a Chinese message's space-separated clauses only those that ask:
    "租的房子不能打孔" beside "不挂墙能充电吗" tells why, it does not name what is asked."""
    parts = [p for c in asked_clauses(text) for p in ZH_SPACE.split(c) if p.strip()]
    parts = [p for p in parts if not _CONTEXT.match(p)] or parts  # "能打ABS不 想给车上打几个卡扣"
    asks = [clause_asks(p, text) for p in parts]
    if len(parts) > 1 and any(asks):
        last = max(i for i, a in enumerate(asks) if a)  # "...on its canopy? HK summers are brutal": told after

        def kept(i: int, p: str) -> bool:
            if p.isascii():  # English: any clause up to the last question, none after it
                return i <= last
            return i <= last and (is_question(p) or len(p.strip()) < _TELLING and not _ME.match(p))

        parts = [p for i, p in enumerate(parts) if kept(i, p)]
    return parts


def clause_asks(clause: str, text: str) -> bool:
    """A clause of `text` asks: it ends in a question mark there, or opens as an English question
    ("what's the UPF"), or reads as a Chinese one; "HK summers are brutal" tells."""
    asks = _ASKS_EN.match(clause) if clause.isascii() else is_question(clause)
    return bool(asks) or bool(re.search(re.escape(clause.strip()) + r"\s*[?？]", unicodedata.normalize("NFKC", text)))


_ASKS_EN = re.compile(r"(?i)^\s*(?:is|are|does|do|did|can|could|will|would|how|what|which|where|when|why|who|should|has|have)\b")
