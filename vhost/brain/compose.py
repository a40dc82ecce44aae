"""Spoken lines built from facts: short, in the viewer's language, never beyond the facts.

Every line here is a template around a catalog fact (or around nothing: the honest "I don't have
that detail"). Wording rotates so a busy chat does not hear the same sentence twice in a row; the
viewer is named at most once and only the viewer who asked (or the askers of a merged line).
"""

from __future__ import annotations

import re
from itertools import count

_LEADS = {  # short on purpose: at 15 questions a minute every spoken second is queue time
    "en": ["{name}: ", "{name}, ", "{name} — "],
    "zh": ["{name}，", "{name}：", "好的{name}，"],
}
_UNKNOWN = {
    "en": ["{name}I don't have that detail, I'll check with the team.",
           "{name}that one isn't in my notes, I'll ask the team.",
           "{name}I'm not sure about that, let me check with the team."],
    "zh": ["{name}这个我手上没有资料，我问一下团队哦。",
           "{name}这个信息我暂时没有，稍后帮你确认。",
           "{name}这个我不确定，我去问问同事。"],
}
_PARTIAL = {
    "en": "{name}not sure about that part, I'll check. What I know: {fact}",
    "zh": "{name}这个细节我不确定，我去问问。我知道的是：{fact}",
}
# "send me the link": the host posts none (it would be invented); the cart is how to buy
_NO_LINK = {
    "en": "{name}I can't send links here, but {how}",
    "zh": "{name}这里发不了链接哦，{how}",
}
_NOT_QUITE = {"en": "Not quite{c}{name}! ", "zh": "{name}不是哦，"}
def _article(who: str) -> str:
    """"an 8-year-old", "an 11-month-old", "a 15-year-old"."""
    return "an" if who.startswith(("8", "11", "18")) else "a"


_TOO_OLD = {
    "en": "{name}it's made for ages {min}-{max}, so {a} {age} would likely find it too young for them.",
    "zh": "{name}这款适合{min}-{max}岁，{age}的孩子不太合适哦。",
}
_NOT_SUITABLE = {
    "en": "{name}not for {a} {age}, sorry: it's for ages {min} and up{months}.",
    "zh": "{name}{age}的小朋友不适合哦，适合{min}岁{months}及以上。",
}
_SUITABLE = {
    "en": "{name}yes, {a} {age} is fine: it's for ages {min} and up{months}.",
    "zh": "{name}{age}可以的，适合{min}岁{months}及以上。",
}
# A limit in months (babies, pets): said in months, to an age the viewer gave in months or weeks.
_NOT_SUITABLE_M = {
    "en": "{name}not for {a} {age}, sorry: it's for {min} months and up.",
    "zh": "{name}{age}还不适合哦，适合{min}个月及以上。",
}
_SUITABLE_M = {
    "en": "{name}yes, {a} {age} is fine: it's for {min} months and up.",
    "zh": "{name}{age}可以的，适合{min}个月及以上。",
}
_IN_MONTHS = {"en": " ({m} months+)", "zh": "（{m}个月）"}
# min_age 0 says it may be used from birth, not that it suits every age (an infant seat stops at 87 cm)
_ALL_AGES = {"en": "{name}by age yes: it can be used from birth (0+).", "zh": "{name}按年龄是可以的，从出生起就能用。"}
_REFUSE = {
    "en": "{name}I can't claim that. What I can say: {fact}",
    "zh": "{name}这个我不能乱说哦。可以告诉你的是：{fact}",
}
_REFUSE_BARE = {"en": "{name}I can't claim that one!", "zh": "{name}这个我可不能乱说哦！"}
_AND = {"en": " and ", "zh": "和"}
# The askers named after the answer instead of before it: when the voice would need longer for a
# new viewer's name than the listener should wait, and the answer itself is ready to play.
_CLOSE = {"en": " That's for {name}.", "zh": "{name}问的。"}


def names(users: list[str], lang: str) -> str:
    """"Tom", "Tom and Kim", "Tom, Kim and Ann" (zh: 顿号 and 和)."""
    users = list(dict.fromkeys(u for u in users if u))
    if not users:
        return ""
    if len(users) == 1:
        return users[0]
    sep = "、" if lang == "zh" else ", "
    return sep.join(users[:-1]) + _AND.get(lang, " and ") + users[-1]


def _name(users: list[str], lang: str, style: str) -> dict[str, str]:
    n = names(users, lang)
    if lang == "zh":  # "小鹿，这个…" (a name run into the sentence reads as part of it: "小鹿3岁")
        return {"name": f"{n}，" if n and style == "start" else n, "c": ""}
    if style == "start":  # "Tom: ..." / "Tom, I don't..."
        return {"name": f"{n}, " if n else "", "c": ""}
    return {"name": n, "c": ", " if n else ""}


def sentence(text: str, lang: str) -> str:
    """`text` ending with a full stop (a selling point is written without one)."""
    text = text.rstrip()
    return text if not text or text[-1] in ".!?。！？…" else text + ("。" if lang == "zh" else ".")


def _unsaid(notice: str, said: str) -> str:
    """The sentences of a notice the line has not said already ("适合6岁及以上。" of the age fact
    is not said twice when the notice opens with it)."""
    parts = re.findall(r"[^。！？.!?]+[。！？.!?]*", notice)
    return "".join(p for p in parts if p.strip(" 。.") and p.strip(" 。.").casefold() not in said.casefold()).strip()


class Composer:
    """Turns a decision into words; keeps the rotation state (one per show)."""

    def __init__(self) -> None:
        self._turn = count()

    def _pick(self, options: list[str]) -> str:
        return options[next(self._turn) % len(options)]

    def fact(self, fact_text: str, users: list[str], lang: str, correcting: bool = False,
             notices: list[str] | None = None) -> str:
        if notices:  # "每袋4种坚果加3种果干" and a notice after it: two sentences, not one run-on
            fact_text = sentence(fact_text, lang)
        notices = [u for n in notices or [] if (u := _unsaid(n, fact_text))]
        tail = "".join(" " + sentence(n, lang) if lang != "zh" else sentence(n, lang) for n in notices)
        users = [u for u in users if u]  # an anonymous viewer: no ", " lead
        if correcting:
            lead = _NOT_QUITE[_lang(lang)].format(**_name(users, lang, "inline"))
            return lead + fact_text + tail
        lead = self._pick(_LEADS[_lang(lang)])
        if not users and "{name}" in lead and lead.startswith("{name}"):
            return fact_text + tail
        return lead.format(**_name(users, lang, "inline")) + fact_text + tail

    def unknown(self, users: list[str], lang: str, related: str | None = None) -> str:
        if related:
            return _fill(_PARTIAL[_lang(lang)], users, lang, fact=related)
        return _fill(self._pick(_UNKNOWN[_lang(lang)]), users, lang)

    def no_link(self, users: list[str], lang: str, how_to_buy: str | None) -> str:
        """No link from the host, then the shop's how-to-buy policy as the catalog writes it (in
        the viewer's language; the plain unknown without it)."""
        if not how_to_buy:
            return self.unknown(users, lang)
        if lang != "zh" and not how_to_buy[:2].isupper():  # "…, but tap the yellow cart"
            how_to_buy = how_to_buy[:1].lower() + how_to_buy[1:]
        return _fill(_NO_LINK[_lang(lang)], users, lang, how=how_to_buy)

    def suitability(self, users: list[str], lang: str, age: int, min_age: int,
                    notices: list[str], months: int | None = None, floor_months: int | None = None) -> str:
        """`age` in years; `months` when the viewer said it in months ("my 10-month-old"), and
        `floor_months` the floor in months where the catalog states it ("1岁（12个月）以下"): said
        too, so nobody converts. Never computed here: "36 months+" is a number no fact states."""
        table = _NOT_SUITABLE if age < min_age else _SUITABLE
        in_months = _IN_MONTHS[_lang(lang)].format(m=floor_months) if months is not None and floor_months else ""
        if min_age == 0:
            table = _ALL_AGES
        if lang == "zh":
            who = f"{months}个月" if months is not None else f"{age}岁"
        else:
            who = f"{months}-month-old" if months is not None else f"{age}-year-old"
        article = _article(who)
        line = _fill(table[_lang(lang)], users, lang, age=who, min=min_age, a=article, months=in_months)
        return line + "".join((" " if lang != "zh" else "") + n for n in notices)

    def too_old(self, users: list[str], lang: str, age: int, lo: int, hi: int) -> str:
        """An age past the range the catalog gives ("5-12 years" and a 15-year-old)."""
        who = f"{age}岁" if lang == "zh" else f"{age}-year-old"
        article = _article(who)
        return _fill(_TOO_OLD[_lang(lang)], users, lang, age=who, min=lo, max=hi, a=article)

    def suitability_months(self, users: list[str], lang: str, months: int, min_months: int,
                           notices: list[str], weeks: int | None = None) -> str:
        """A limit in months ("3 months+") against an age in months, or in weeks ("7 weeks old")."""
        table = _NOT_SUITABLE_M if months < min_months else _SUITABLE_M
        if lang == "zh":
            who = f"{weeks}周大" if weeks is not None else f"{months}个月"
        else:
            who = f"{weeks}-week-old" if weeks is not None else f"{months}-month-old"
        article = _article(who)
        line = _fill(table[_lang(lang)], users, lang, age=who, min=min_months, a=article)
        return line + "".join((" " if lang != "zh" else "") + n for n in notices)

    def leads(self, users: list[str], lang: str) -> list[str]:
        """The ways an answer to these viewers may open ("小鹿，", "好的小鹿，"; "Tom:", "Tom —")."""
        users = [u for u in users if u]
        if not users:
            return []
        return list(dict.fromkeys(t.format(**_name(users, lang, "inline")).strip() for t in _LEADS[_lang(lang)]))

    def openings(self, users: list[str], lang: str) -> list[str]:
        """`leads`, and the opening of a correction ("小鹿不是哦，"): the phrases worth preparing
        for a viewer (name_last moves only a lead: a correction keeps its "不是哦")."""
        users = [u for u in users if u]
        fix = _NOT_QUITE[_lang(lang)].format(**_name(users, lang, "inline")).strip() if users else ""
        return list(dict.fromkeys([*self.leads(users, lang), *([fix] if fix else [])]))

    def name_last(self, line: str, users: list[str], lang: str) -> str | None:
        """`line` with the askers' name moved from its opening to a short closing ("小鹿，30毫升。"
        -> "30毫升。小鹿问的。"); None when it does not open with their name."""
        users = [u for u in users if u]
        if not users:
            return None
        n = names(users, lang)
        opens = {*self.leads(users, lang), f"{n}，", f"{n}, ", f"{n}:"}
        lead = next((o for o in sorted(opens, key=len, reverse=True) if line.startswith(o)), None)
        body = line[len(lead):].strip() if lead else ""
        if not body:
            return None
        body = body if lang == "zh" else _cap(body)
        end = "" if body[-1] in "。！？!?." else ("。" if lang == "zh" else ".")
        return body + end + _CLOSE[_lang(lang)].format(name=n)

    def fixed_lines(self, lang: str) -> list[str]:
        """The lines said without a fact (honest unknowns, the bare refusal) as they follow a
        viewer's name and as they open an anonymous answer: the same words every time."""
        out = []
        for template in [*_UNKNOWN[_lang(lang)], _REFUSE_BARE[_lang(lang)]]:
            body = template.format(name="", c="")
            out += [body, _cap(body)]
        # and the words before a fact: "这个细节我不确定，我去问问。我知道的是：" + the fact
        for template in (_PARTIAL[_lang(lang)], _REFUSE[_lang(lang)]):
            body = template.split("{fact}")[0].format(name="").strip()
            out += [body, _cap(body)]
        return list(dict.fromkeys(out))

    def refuse(self, users: list[str], lang: str, safe_fact: str | None) -> str:
        if safe_fact:
            return _fill(_REFUSE[_lang(lang)], users, lang, fact=safe_fact)
        return _fill(_REFUSE_BARE[_lang(lang)], users, lang)


def _fill(template: str, users: list[str], lang: str, **kw: object) -> str:
    """The template with the askers' names as written (never re-cased: "anna" stays "anna");
    capitalised only when it starts with a word of ours."""
    users = [u for u in users if u]
    text = template.format(**_name(users, lang, "start"), **kw)
    return text if users else _cap(text)


def _lang(lang: str) -> str:
    return "zh" if lang == "zh" else "en"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
