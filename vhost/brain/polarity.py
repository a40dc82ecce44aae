"""A yes or a no belongs to the question it answers.

An FAQ's answer often opens with one ("可以。把背面的Win/Mac开关拨到Mac即可", "No, the battery is
built in"). Said to the viewer who asked that question, it is the answer; said to another question
the same fact was chosen for ("买键盘送腕托不", "这个涂层能用一辈子吗"), it is a yes or a no the
catalog never gave: "可以" to a lifetime coating. So the opening stays only when the viewer asks a
yes/no question (not "how much", not "A or B") that means what the FAQ's own question means;
otherwise the line is said without it ("把背面的Win/Mac开关拨到Mac即可…"), the rest of the fact
carrying what it says.
"""

from __future__ import annotations

import re

from vhost.brain.clauses import asking_clauses

# "Yes, ...", "No. ...", "可以，...", "不能。...": the word and its punctuation. Not "No added
# sugar" or "No need to rinse", where "no" is part of what the fact states.
_LEAD = re.compile(
    r"^\s*(?:(?:yes|no|nope|yep|yeah)\s*[,.;:!—–]+"
    r"|(?:可以用?|不可以|不能用?|能用?|是的|是|不是|不会|会|没有|有|不行|行|支持|不支持|不用|需要|不需要|对|不对)"
    r"\s*[，。！：,.:;；!、]+)\s*",
    re.IGNORECASE,
)
_QUALIFIES = re.compile(r"(?:but|however|though|although)\b|但|不过|只是|就是", re.IGNORECASE)
_YES_NO = re.compile(r"^\s*(?:is|are|does|do|did|can|could|will|would|has|have|should)\b|"
                     r"\b(?:can|could|will|would|does|do|is|are)\s+(?:i|it|u|you|they|we|this|these|my)\b|\b(?:right|ok(?:ay)?)\s*$|"
                     r"[吗吧]\s*$|[不没]有?$|是不是|有没有|会不会|能不能|可不可以|行不行|够不够|要不要",
                     re.IGNORECASE)
_WH = re.compile(r"多少|几|什么|啥|怎么|哪|多久|多大|多长|多重|多高|多宽|多厚|还是|"
                 r"\b(?:how|what|whats|which|when|where|why|who)\b|\bor\b(?=\s*\w)", re.IGNORECASE)
# The viewer's question means the FAQ's own when its meaning is this close to it (cosine of the
# sentence embedding, the best of the message's clauses against the FAQ's questions in every
# language). Calibrated on the evaluation sets (bench/data/brain_eval): the FAQ's yes/no was right
# for every answer above 0.6 but two, and wrong for 19 of 21 it was wrong for below 0.55.
SAME_QUESTION = 0.55
# The reason a decision carries when the fact is to be translated without its yes or no.
DROPPED = "its yes/no answers another question: dropped"
# Without a sentence embedding: the share of the FAQ question's words the message repeats.
SAME_WORDS = 0.75


def lead(line: str) -> str:
    """The yes or no a line opens with, with its punctuation ("" when none)."""
    m = _LEAD.match(line)
    return m.group(0) if m else ""


def without_lead(line: str) -> str:
    """The line without its opening yes or no ("No, it has no app." -> "It has no app."); "" when
    what follows only qualifies it ("Yes, but hand washing keeps the coating longer")."""
    opening = lead(line)
    if not opening:
        return line
    rest = line[len(opening):]
    if _QUALIFIES.match(rest):
        return ""
    return rest[:1].upper() + rest[1:] if rest[:1].isascii() else rest


def asks_yes_no(text: str) -> bool:
    """Whether the message asks for a yes or a no, and nothing wider: not "how much", "what",
    "A or B" (a wh-part makes the yes/no part a follow-up)."""
    clauses = asking_clauses(text)
    if any(_WH.search(c) for c in clauses):
        return False
    return "?" in text or "？" in text or any(_YES_NO.search(c.strip(" ~")) for c in clauses)


def keeps_lead(text: str, similarity: float | None, word_share: float) -> bool:
    """Whether an FAQ answer's yes or no answers this message: a yes/no question close in meaning
    to the FAQ's own (`similarity`, None without an embedding: `word_share` decides)."""
    if not asks_yes_no(text):
        return False
    if similarity is None:
        return word_share >= SAME_WORDS
    # and one of its words at least: "海水缸能用不" is as close to "养虾、种水草能用吗" as a
    # paraphrase by the embedding (the frame "…能用吗" weighs), but names none of what it asks
    return similarity >= SAME_QUESTION and word_share > 0
