"""A school grade a viewer gives against the grades a product's own words cover: "我家老大高二了
能用吗" against "1-9年级同步课本", "my son starts 3rd grade" against "grades 3-6". Inside the span
the fact answers; outside it the product is not made for that grade, and the host says so with
the span (a learning tablet that stops at grade 9 never gets a "yes" for senior high school).

Grades are counted as Chinese schools do, 1-12: 小学 1-6, 初中 7-9, 高中 10-12 (初一 = 7, 高二 =
11); English ordinals and "grade N" are taken as written, "middle school" 6-8 and "high school"
9-12 as American schools count them."""

from __future__ import annotations

import re
import unicodedata

from vhost.brain.grounding import _to_digits
from vhost.brain.knowledge import Fact
from vhost.brain.ranges import RangeVerdict, limit_verdict, range_verdict
from vhost.brain.temperatures import temperature_verdict

_ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth").split()
_EN_ORDINAL = "|".join(_ORDINALS)
# One grade: "3年级", "高二" (not "高一点", a bit higher; not "正月初一", a date), "10th grade",
# "sixth grader", "in grade 4" (not "grade 5 titanium": a grade of a person needs "in"/"for"...).
_ONE = re.compile(
    r"(?<![\d\-~～至到])(\d{1,2})\s*年级"
    r"|(?<![年月正])初\s*([123])(?![\d点些号日])|(?<![最再很更太])高\s*([123])(?![\d点些截倍档度米])"
    rf"|\b(\d{{1,2}})(?:st|nd|rd|th)[- ]grader?s?\b|\b({_EN_ORDINAL})[- ]grader?s?\b"
    r"|\b(?:in|into|entering|starting|starts|start|for|is|going into)\s+(?:the\s+)?grade\s+(\d{1,2})\b",
    re.IGNORECASE)
# A stage of school: "高中", "上初中", "high schooler", "middle school", "小学".
_STAGES: tuple[tuple[re.Pattern[str], int, int], ...] = (
    (re.compile(r"高中|\bhigh[- ]school(?:er)?s?\b|\bhighschool\b", re.IGNORECASE), 10, 12),
    (re.compile(r"初中|\bmiddle[- ]school(?:er)?s?\b|\bjunior high\b", re.IGNORECASE), 7, 9),
    (re.compile(r"大学生|上大学|\bcollege\b|\buniversity\b", re.IGNORECASE), 13, 16),
)
# The grades a fact covers: "grades 1-9", "grade 3 to 6", "1-9年级", "一至九年级".
_SPAN = re.compile(r"(?i)\bgrades?\s*(\d{1,2})\s*(?:-|–|~|to|through)\s*(?:grade\s*)?(\d{1,2})\b"
                   r"|(\d{1,2})\s*(?:-|–|~|～|至|到)\s*(\d{1,2})\s*年级")


def asked_grades(text: str) -> tuple[int, int, str] | None:
    """The school grade a message gives ("高二" -> 11, 11, "高二"; "high school" -> 9, 12), with
    the viewer's own words for it; None when it names none."""
    t = _to_digits(unicodedata.normalize("NFKC", text))
    if _SPAN.search(t):
        return None  # the viewer states a span ("1-9年级的吗"): a claim, not their grade
    m = _ONE.search(t)
    if m:
        g = next(x for x in m.groups() if x)
        if g.isdigit():
            n = int(g) + (6 if m.group(2) else 9 if m.group(3) else 0)
        else:
            n = _ORDINALS.index(g.casefold()) + 1
        words = f"grade {g}" if m.group(6) else _said(text, m.group(0))
        return (n, n, words) if 1 <= n <= 12 else None
    for pattern, lo, hi in _STAGES:
        s = pattern.search(t)
        if s:
            return lo, hi, _said(text, s.group(0))
    return None


_BACK = {"初1": "初一", "初2": "初二", "初3": "初三", "高1": "高一", "高2": "高二", "高3": "高三"}


def _said(text: str, found: str) -> str:
    """The viewer's own words for a grade ("高二", not the digits "高2" it was read from)."""
    found = found.strip()
    return _BACK[found] if found in _BACK and _BACK[found] in text else found


def grade_spans(fact: Fact) -> list[tuple[int, int]]:
    """The grade spans a fact states, in any of its languages."""
    spans = []
    for t in fact.texts.values():
        for m in _SPAN.finditer(_to_digits(unicodedata.normalize("NFKC", t))):
            lo, hi = (int(g) for g in m.groups() if g)
            if 0 <= lo < hi <= 16:
                spans.append((lo, hi))
    return spans


def grade_verdict(text: str, facts: list[Fact]) -> RangeVerdict | None:
    """The grade a viewer gives against the grades the product's facts cover: inside, the fact whose
    span holds it; outside every span, the widest the product covers (not suitable)."""
    asked = asked_grades(text)
    if asked is None:
        return None
    lo, hi, said = asked
    spans = [(f, s) for f in facts if f.product_id is not None for s in grade_spans(f)]
    if not spans:
        return None
    holding = next(((f, s) for f, s in spans if s[0] <= lo and hi <= s[1]), None)
    if holding is not None:
        fact, (low, high) = holding
        return RangeVerdict(fact, float(lo), float(low), float(high), "grade", said=said)
    low, high = min(s[0] for _, s in spans), max(s[1] for _, s in spans)
    fact = next(f for f, s in spans if s == (low, high)) if any(s == (low, high) for _, s in spans) else spans[0][0]
    # the grades asked are not all inside [low, high] ("high school", 9-12, and grades 1-9): the
    # value is an end of them past the span
    value = float(hi) if hi > high else float(lo)
    return RangeVerdict(fact, value, float(low), float(high), "grade", said=said)


def fit_verdict(text: str, ranked: list[Fact], facts: list[Fact]) -> RangeVerdict | None:
    """A viewer's own measure, weight or school grade against what the product is made for: the
    range among the facts `ranked` for the message, else the product's most or its grades."""
    return (range_verdict(text, ranked) or limit_verdict(text, facts) or temperature_verdict(text, facts)
            or grade_verdict(text, facts))
