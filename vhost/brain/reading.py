"""Reading a viewer's message: its language, the numbers it states (a price, a child's age, a
size), whether it asks something, and what it asks for that a catalog never holds (a link to a
video, a coupon code). Pure functions over text; the answerer (vhost.brain.answerer) decides.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from vhost.base.language import detect_language
from vhost.brain.attributes import value_kinds
from vhost.brain.dimensions import asked, other_dimension, overall_first
from vhost.brain.grounding import _to_digits
from vhost.brain.retrieval import Scored, tokens

# "I heard it's only 99?", "是不是199": a bare number with one of these is a stated price.
_PRICE_CUE = re.compile(r"\b(?:only|heard|price|costs?|bucks|yuan|rmb|today|yesterday|last (?:week|night|time|stream|live|month|year))\b|"
                        r"只要|(?<![刚方])才|听说|不是说|说是|块|元|价|今天|昨天|上次", re.IGNORECASE)
_UNIT_AFTER = re.compile(r"^\s*(?:%|[x×*]\s*\d|mah|ml|g|kg|cm|mm|m|w|v|h|tc|岁|小时|天|片|件|个|层|克|毫|厘|寸|码|根|颗|粒|支|包|袋|"
                         r"盒|张|只|双|套|瓶|罐|条|块|度|°|本|道|页|册|卷|种|次|台|把|位|人|斤|升|米|周|月|年|瓦|伏|档|节|款|色|部|"
                         r"集|首|篇|课|枚|副|顶|辆|点(?![\d一二三四五六七八九])|点钟|号|am|pm|o'?clock|hours?|days?|pieces?|pcs|years?|layers?|inch|"  # "6本一套?", "100道菜吧"
                         r"(?:books?|volumes?|recipes?|pages?|pairs?|sets?|packs?|colou?rs?|speeds?|levels?|modes?|cups?|"
                         r"people|servings?|loaf|loaves|minutes?|mins?|weeks?|months?|lit(?:re|er)s?|l|watts?|volts?|"
                         r"degrees?|lbs?|oz|grams?|kilos?|kgs?|feet|ft|met(?:re|er)s?|miles?|km|c|f|p|fps|hz|gb|tb|mb|ppi|dpi|mp|mbps|pa)\b)", re.IGNORECASE)
_QUESTION = re.compile(
    r"[?？]|吗|么|呢|多少|几|什么|怎么|哪|能不能|可不可以|是不是|有没有|会不会|要不要|咋|啥|是吧|对吧|的吧|(?:没事|没问题|安全|可以|不会\w{0,4})吧|还是|木有|"
    r"([\u4e00-\u9fff])不\1|(?![还也都就并绝决从再可了我你他她它])[\u4e00-\u9fff]不(?=\W|$)|(?:能|会|可以|有|是|要|够|行)[\u4e00-\u9fff]{0,6}不(?=\W|$)|"
    r"多[粗细厚薄远亮高快热冷久重长宽大深]|多钱|"
    r"(?:^|\b)(?:is|are|does|do|did|can|could|will|would|how|what|which|where|when|why|who|any|whats|hows|"
    r"should|has|have)\b", re.IGNORECASE)
_AGE = re.compile(r"(\d{1,2})\s*(?:岁|周岁|-?\s*years?[- ]?olds?|\s*yo\b|\s*y/o|\s*yrs?\b)", re.IGNORECASE)
# Who a warning is for, by group: "怀孕5个月了 能喝吗" is answered by a notice naming 孕妇.
_GROUPS = tuple((name, re.compile(p, re.IGNORECASE)) for name, p in (
    ("pregnancy", r"pregnan\w*|孕妇|孕期|怀孕|备孕|有孕"),
    ("nursing", r"breast-?feeding|nursing|哺乳"),
    ("diabetes", r"diabet\w*|糖尿病"),
    ("blood pressure", r"high blood pressure|hypertension|高血压"),
    ("heart", r"heart (?:condition|disease|problems?)|心脏病"),
    ("eczema", r"eczema|湿疹"),
    ("pacemaker", r"pacemakers?|起搏器"),
    ("life support", r"life[- ]support|oxygen concentrators?|ventilators?|\bc?pap\b|dialysis|呼吸机|制氧机|透析|生命支持"),
    ("sudden hearing loss", r"sudden(?:ly)?\s+(?:\w+\s+){0,2}(?:hearing loss|deaf\w*|lost\s+(?:\w+\s+)?hearing|can'?t hear)|"
                            r"突发性\S{0,2}(?:耳聋|听力下降)|突聋|突然\S{0,4}(?:听不见|听不到|耳聋|听力下降)"),
    ("gluten", r"coeliac|celiac|gluten|麸质|乳糜泻"),  # the group and the notice naming it ("Contains wheat (gluten)")
    ("pets", r"\b(?:cats?|kitt(?:en|y|ies)s?|dogs?|pupp(?:y|ies)|pets?)\b|猫|狗|宠物"),
    ("children", r"\b(?:child|children|kids?|toddlers?|bab(?:y|ies)|infants?|\d{1,2}\s*(?:yo|y/o|-?years?-?old))\b|"
                 r"儿童|小孩|孩子|宝宝|婴儿|幼儿|\d{1,2}\s*岁"),
))


# Any of those words but a child's: who it is for, when that is a safety matter (coverage reads
# it: only a fact that names the group answers a question naming it).
_SENSITIVE = re.compile("|".join(p.pattern for name, p in _GROUPS if name not in ("children", "pets")), re.IGNORECASE)
# A pet named with a risk to it ("家里俩猫 天天啃叶子 没事吧", "ok around my cats?"): a warning's case.
PET_RISK = re.compile(r"\b(?:safe|toxic|poison\w*|harm\w*|ok(?:ay)? (?:around|with|for)|chew\w*|eat\w*|lick\w*)\b|"
                      r"没事|安全|有毒|中毒|毒|啃|咬|舔|吃了|误食", re.IGNORECASE)


def sensitive_groups(text: str) -> set[str]:
    """The groups a text names that a warning may concern (pregnancy, nursing, diabetes...)."""
    t = unicodedata.normalize("NFKC", text)
    return {name for name, p in _GROUPS if p.search(t)}


_CHILD = re.compile(r"\b(?:son|daughter|kid|child|boy|girl|toddler|baby|grandson|granddaughter|nephew|niece|"
                    r"grandkid|grandchild|little one|younger one|older one|twin|triplet|bro|brother|sis|sister|"
                    r"youngest|oldest|eldest|middle one|little guy|little girl|lil one|"
                    r"cousin)s?\b|孩子|宝宝|儿子|女儿|小孩|娃|弟弟|妹妹|双胞胎|"
                    r"外甥|侄子|侄女|孙子|孙女|闺女|老大|老二|老三|老幺", re.IGNORECASE)
_AGE_IS = re.compile(r"(?:\b(?:is|are|turned|turns|turning|aged?)|(?<=[a-z])['’]s)\s+(?:only\s+|just\s+)?(\d{1,2})\b(?!\s*(?:%|cm|kg|yuan|元|块|today|now|bucks|dollars?|rmb|usd|off\b))",
                     re.IGNORECASE)
_MONTHS_OLD = re.compile(r"\d{1,2}\s*(?:-?\s*months?[- ]?old|个月大|个月的)", re.IGNORECASE)
_MONTHS = re.compile(r"\d{1,2}\s*-?\s*months?[- ]?olds?|\b(?:she|he|son|daughter|baby|kid|child|girl|boy|toddler|infant|little one|grandson|granddaughter|nephew|niece|twins?)(?:['’]s| is| was)?\s+(?:(?:only|just|now|turned|turning|about|almost|nearly)\s+){0,2}\d{1,2}\s*months?\b|"  # not "warranty is 12 months"
                     r"(?:孩子|宝宝|宝贝|儿子|女儿|小孩|娃|闺女|孙子|孙女|外孙|老二|老大|老三|二宝|大宝|小宝|baby)[^\d，,。？?！!]{0,4}\d{1,2}\s*个多?月|\d{1,2}\s*个多?月(?:大|了|的?(?:宝宝|孩子|娃|宝贝|小孩|baby))", re.IGNORECASE)
_WEEKS = re.compile(r"(\d{1,2})\s*(?:-?\s*weeks?[- ]?olds?|周大|周的|个?星期大)", re.IGNORECASE)

def reply_lang(text: str) -> str:
    return "zh" if detect_language(text) == "zh" else "en"


def _digits(text: str) -> str:
    """Digits as written; Chinese numerals too (五十 -> 50), but not English words ("one charge"
    states no number)."""
    t = unicodedata.normalize("NFKC", text)
    return _to_digits(t) if any("\u3400" <= ch <= "\u9fff" for ch in t) else t


def child_age(text: str) -> int | None:
    """The age of the child a viewer asks for ("my 3-year-old", "三岁宝宝", "my son just turned
    5", "6个月" -> 0, "14个月" -> 1), or None."""
    t = _to_digits(unicodedata.normalize("NFKC", text))
    if _WEEKS.search(t):
        return 0  # "7 weeks old"
    if (mo := _MONTHS.search(t)) and (_CHILD.search(unicodedata.normalize("NFKC", text)) or _MONTHS_OLD.search(t)
                                      or re.match(r"(?:she|he)\b", mo.group(0), re.IGNORECASE)):
        return int(re.search(r"\d+", mo.group(0)).group(0)) // 12  # whole years: "14个月" is 1; "一个月能掉几斤" no baby
    m = _AGE.search(t) or (_AGE_IS.search(t) if _CHILD.search(unicodedata.normalize("NFKC", text)) else None)
    return int(m.group(1)) if m and (m.re is _AGE or int(m.group(1)) < 18) else None  # "kids one is 79?"


def child_months(text: str) -> int | None:
    """"my 10-month-old" -> 10, "7 weeks old" -> 1 (None when the age was given in years)."""
    t = _to_digits(unicodedata.normalize("NFKC", text))
    w = _WEEKS.search(t)
    if w:
        return int(int(w.group(1)) * 7 / 30.44)
    m = _MONTHS.search(t)
    return int(re.search(r"\d+", m.group(0)).group(0)) if m else None


def child_weeks(text: str) -> int | None:
    """"my kitten is only 6 weeks old" -> 6."""
    w = _WEEKS.search(_to_digits(unicodedata.normalize("NFKC", text)))
    return int(w.group(1)) if w else None


def is_question(text: str) -> bool:
    return bool(_QUESTION.search(text))


@lru_cache(maxsize=512)
def _tagged(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's part-of-speech tags of a message's words of two characters or more, once per
    message (names, brands and nouns are all read from one tagging)."""
    if not any("\u3400" <= ch <= "\u9fff" for ch in text):
        return ()
    tokens("中")  # jieba's dictionary, loaded once and quietly
    import jieba.posseg as pseg

    return tuple((w.word, w.flag) for w in pseg.cut(text, HMM=False) if len(w.word) >= 2)


def zh_brands(text: str) -> set[str]:
    """Words jieba tags as other proper nouns (nz): brands and names ("顺丰"), but also some common
    nouns; the caller keeps those no dictionary knows."""
    return {w for w, flag in _tagged(text) if flag == "nz"}


def zh_nouns(text: str) -> set[str]:
    """Chinese common nouns of two characters or more (jieba tags n, nz, vn): what a question is
    about ("甲醛", "胶水")."""
    return {w for w, flag in _tagged(text) if flag in ("n", "nz", "vn")}


# jieba's tags for words that frame a question rather than name a thing or a quality: time (刚才),
# numerals and measures (一点, 一个), pronouns, adverbs (直接, 自己), conjunctions, prepositions,
# particles, directions (里).
_FRAMING_TAGS = ("t", "m", "mq", "q", "r", "d", "ad", "c", "p", "u", "uj", "ul", "uz", "ug", "uv", "ud", "y", "f")


def zh_framing(text: str) -> set[str]:
    """Chinese words of a message that only frame it (see _FRAMING_TAGS): never what it asks about."""
    return {w for w, flag in _tagged(text) if flag in _FRAMING_TAGS}


def zh_verbs(text: str) -> set[str]:
    """Chinese verbs of two characters or more ("放进", "拆开"): what is done, not what is asked about."""
    return {w for w, flag in _tagged(text) if flag in ("v", "vd", "vi", "vq")}


def zh_names(text: str) -> set[str]:
    """Chinese proper names in a message: places, people, organisations (jieba's tags ns, nr, nt;
    e.g. 香港 ns). Not nz: jieba tags common nouns such as 赠品 with it."""
    return {w for w, flag in _tagged(text) if flag in ("ns", "nr", "nt")}


# A stated number asked back for confirmation ("it's 109, right?", "蜡烛是109吧？", "不是699吗"):
# a price when it is near the product's price (a size, a count or a model number is not).
_CONFIRM = re.compile(r"\b(?:right|rite|correct|isn'?t it|is it|is that|really|too|here|same|thought|was told|"
                      r"said|told|now|rn|match|elsewhere|earlier|before|yesterday|wasn'?t|last (?:time|week|night))\b|\b(?:saw|seen|found|got) it\b|"
                      r"\b(?:another|other) (?:app|shop|store|site|stream|live)s?\b|别家|别的店|其他平台|别的直播间|"
                      r"某宝|某东|拼多多|淘宝|京东|吧|对吧|是不是|不是|以为|上次|之前|刚才|昨天|"
                      r"对吗|是吗|吗|说|\d\s*[?？]", re.IGNORECASE)
_NOT_PRICE_BEFORE = re.compile(r"(?:sizes?|码|号|身高|胸围|腰围|体重|脚长|海拔|高度|height|chest|waist|weigh\w*|model|altitude|elevation|"
                               r"version|型号|iphone|no\.|#|第|ip|usb|type|\d\s*[x×*]|"
                               r"那[把款台部]|周|星期|礼拜)\s*$", re.IGNORECASE)  # "刚才那把75": the K75 named, not "这个159"


def stated_prices(text: str, price: float | None = None) -> list[str]:
    """Bare numbers stated as a price: with a price word ("only 99 today?") any number not
    followed by a unit; asked back for confirmation ("the rope is 109, right?") a number between
    a third and three times the product's `price`."""
    t = _digits(text)
    if child_age(text) is not None:
        return []
    cue, confirm = bool(_PRICE_CUE.search(t)), bool(_CONFIRM.search(t))
    if not cue and not (confirm and price):
        return []
    out = []
    for m in re.finditer(r"\d+(?:\.\d+)?", t):
        n = float(m.group(0))
        if _UNIT_AFTER.match(t[m.end():]) or _NOT_PRICE_BEFORE.search(t[:m.start()]) or n < 5:
            continue
        if cue or (price and price / 3 <= n <= price * 3):
            out.append(m.group(0))
    return out


_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:-|–|~|～|到|至)\s*(\d+(?:\.\d+)?)")
_ASKED_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:cm|厘米|公分|码|mm|kg|公斤|斤)|(?:身高|胸围|腰围|臀围|头围|腕围|膝围|脚长|height|chest|"
                         r"waist|hips?|head|wrist|knee|foot|size)\D{0,8}?(\d+(?:\.\d+)?)", re.IGNORECASE)


def asked_measure(text: str) -> float | None:
    """The measurement a viewer gives to be fitted ("我身高165", "his chest is 72 cm")."""
    t = _digits(text)
    m = _ASKED_SIZE.search(t)
    if not m:
        return None
    n = float(m.group(1) or m.group(2))
    if "斤" in t[m.start():m.end()]:
        n /= 2
    if re.search(r"一米|1\.\d+\s*m\b", t) and n < 3:
        n *= 100
    return n


# What kind of answer a question wants ("多久/how long" a duration, "多少度" a temperature): a fact
# that gives one is the likelier answer among facts of the asked attribute.
_WANTS = (
    # "how long is its cord?" asks a length; "how long is the warranty / battery life?" a duration.
    (re.compile(r"多久|多长时间|几天|几个月|how long(?!\s+(?:is|are|r)\s+(?![^?]*\b(?:life|warranty|guarantee|shipping|"
                r"delivery|battery|charg\w*|shelf|return|trial|wait|run\s?time|time|period|season|good|valid|fresh|keep|last))|"
                r"\s+(?:does|do|can|will)\s+(?:the\s+|it\s+|this\s+|that\s+)?(?:[a-z]+\s+)?(?:go|get|extend|reach|stretch)\b)|how often|"
                r"how many (?:days|hours|weeks|months)", re.I),
     re.compile(r"\d\s*(?:[-–~到至]\s*\d+\s*)?-?(?:[a-z]+\s+){0,2}?(?:months?|weeks?|days?|hours?|h\b|minutes?|mins?|"
                r"years?|seconds?|secs?)|\d\s*(?:[-–~到至]\s*\d+\s*)?(?:个)?(?:工作)?(?:月|周|天|小时|分钟|年|日|秒)|"
                r"\bevery\s+(?:\d+\s*[-–~]\s*)?\d+\s+[a-z]+|每[^，,。\d]{0,3}\d+(?:\s*[-–~]\s*\d+)?次", re.I)),  # "every 15-20 wears"
    # "多少度" is also a drink's strength: "53% vol" answers it as well as "16-18 °C".
    (re.compile(r"多少度(?!电)|几度(?!电)|温度|水温|what temp\w*|water temp\w*|how hot|°|℃|\d{2,}\s*[CF]\b", re.I),  # 度电: kWh; "260C right?"
     re.compile(r"\d\s*°|\d\s*度|degrees|\d\s*%\s*(?:vol|abv)\b", re.I)),
    (re.compile(r"how loud|how noisy|多吵|噪音多大|声音多大|声音大不大|噪音大不大|吵不吵|响不响|多少分贝|几分贝|decibels?", re.I),
     re.compile(r"\d\s*(?:db|分贝)", re.I)),
    (re.compile(r"多重|多少克|多少斤|how heavy|weighs?\b", re.I), re.compile(r"\d\s*(?:g|kg|克|公斤|斤)\b", re.I)),
    # "how far can it go before losing signal?", "能飞多远": a distance, whatever the spec is called
    (re.compile(r"how far(?!\s+(?:in advance|ahead|back|along))|多远|最远|射程", re.I),
     re.compile(r"\d\s*(?:km|kilomet(?:re|er)s?|m|met(?:re|er)s?|miles?|ft|feet|公里|千米|米)(?![a-z²³/])", re.I)),
    # "how many times can i reuse them?", "能用几次": a count of times, not how long each lasts
    (re.compile(r"how many (?:times|uses|washes|wears)|几次|多少次", re.I),
     re.compile(r"\d\s*(?:[-–~到至]\s*\d+\s*)?(?:[a-z]+\s+){0,2}?(?:times|uses|washes|wears|x\b|次|回)|\b(?:once|twice)\b", re.I)),
    # "when's the restock?", "啥时候补货": a date or a wait, not how many are left now
    (re.compile(r"restock|back in stock|补货|到货|什么时候有货|啥时候有货", re.I),
     re.compile(r"\d\s*(?:月|号|日|天|周|days?|weeks?)|tomorrow|next (?:week|month)|明天|下周|月底|月初", re.I)),
    (re.compile(r"\b(?:show|display|indicat|see|check|tell)\w*\b[^?.!]{0,25}\b(?:how much|left|remaining)\b|显示[^，,。？?]{0,6}(?:电量|剩|多少)|看[^，,。？?]{0,4}(?:剩多少|剩余|电量)", re.I),
     re.compile(r"display|indicator|\bled\b|screen|window|\bshows?\b|显示|指示灯|屏|窗", re.I)),  # "does it show how much battery is left?"
    # last: a size, which only ranks facts (typed_first); "多大" may be a volume or a weight too
    (re.compile(r"多大|多长|多宽|多高|尺寸|how big|how long (?:is|are|r)\b(?![^?]*\b(?:good|valid|fresh|last)\b)|"
                r"dimensions?|how tall|how high up|how wide|how long (?:does|do|can|will)\b[^?]{0,20}\b(?:go|get|extend|reach|stretch)\b", re.I),
     re.compile(r"\d\s*(?:x|×|\*)\s*\d|\d\s*(?:cm|mm|m\b|厘米|毫米|米|inch|英寸|寸|\")", re.I)),
)
_TYPED_KINDS = len(_WANTS) - 1  # the kinds of value wanted_value asks for: all but the size


# Which state or part of the thing a measurement is of: a question "收起来多大?" wants the packed
# size, "里面多长?" the inside length, "拼好有多大?" the finished size. (question, fact) patterns.
_QUALIFIERS = tuple((re.compile(p, re.I), re.compile(p, re.I)) for p in (
    r"pack(?:ed|s)?\b|fold(?:ed|s)?\b|roll(?:ed|s)? up|rolled|collaps\w+|transport|taken apart|breaks? down|\bclosed\b|收起来|折叠|折起|收纳|卷起|收好|拆开|拆分|收拢|合上",
    r"assembled|finished|complete[d]?\b|拼好|拼完|完成|组装好|装好",
    r"inside|interior|inner|internal|里面|内部|内径|内长|内空|躺",
    r"unfold(?:ed)?|展开|撑开",
    r"\bopen(?:ed|ing|s)?\b|(?<![未不没])(?:开封|开盖|拆封|打开)",  # not "未开封" (unopened)
    r"\bbody\b|车身|机身|主体|壶身|杯身",
    r"handle|手柄|把手|提手",
    r"strap|肩带|表带",
))


def qualified(text: str) -> bool:
    """The text measures a state or part (packed, inside, assembled...), not the thing as a whole."""
    return any(f.search(text) for _q, f in _QUALIFIERS)


def qualifier_bonus(question: str, fact_text: str) -> float:
    """A fact measured in the state or part the question names (packed, inside, assembled...);
    a plain question ("竿子多长") wants the thing as it is used, not packed or inside (2.1 m,
    not the 109 cm transport length)."""
    if any(q.search(question) and f.search(fact_text) for q, f in _QUALIFIERS):
        return 0.15
    return -0.1 if any(f.search(fact_text) and not q.search(question)  # "里面多长?" is not packed either
                       for q, f in (_QUALIFIERS[0], _QUALIFIERS[2])) else 0.0


def answer_type_bonus(question: str, fact_text: str) -> float:
    return 0.15 if any(q.search(question) and a.search(fact_text) for q, a in _WANTS) else 0.0


# "what's the wheel size?", "一瓶多大", "how many cm": a magnitude, which only a number gives (a
# fact naming the wheels' material is no answer); which unit is left open ("750 ml" is how big a
# bottle is).
_MAGNITUDE = re.compile(r"多大|多长|多宽|多高|多低|多粗|多厚|多深|how big|how long is|how tall|how wide|how thick|"
                        r"how deep|dimensions?|what(?:'s| is| are) the (?:\w+ ){1,2}(?:size|length|width|height|"
                        r"diameter)s?\b|how many (?:cm|mm|inch(?:es)?|ml|lit(?:re|er)s?)\b", re.I)


def typed_first(question: str, scored: list[Scored]) -> list[Scored]:
    """Of facts scored for a measure question, those giving the kind of value asked (a size for
    "多大", a weight for "多重"), when any does; else all of them, in the same order. A spec named
    after another dimension than the one asked goes ("多长?" is no "peak_height"), unless all are."""
    want = asked(question)  # once per question, not per fact
    scored = [s for s in scored if not other_dimension(want, s.fact)] or scored
    whole = {id(f) for f in overall_first(question, [s.fact for s in scored])}
    scored = [s for s in scored if id(s.fact) in whole] or scored  # "how big" is no "desktop_thickness"
    typed = [s for s in scored if answer_type_bonus(question, " ".join(s.fact.texts.values()))]
    return typed or scored


def wanted_value(question: str) -> re.Pattern[str] | None:
    """The kind of value a question asks for (a duration for "多久", a temperature for "多少度"),
    as a pattern a fact answering it must hold; None when it asks no typed value."""
    for q, a in _WANTS[:_TYPED_KINDS]:
        if q.search(question):
            return a
    return None


def asks_magnitude(question: str) -> bool:
    return bool(_MAGNITUDE.search(question))


# "耐磨多少转?", "珍珠是几A级的?", "how many washes?": an amount, which a fact stating no number at
# all does not give ("面料是科技布，防泼水" is no abrasion rating). Not a list ("几种颜色?", "how many
# colours?" are answered by naming them), nor the price ("多少钱": the price fact always has one).
_ASKS_AMOUNT = re.compile(r"多少(?!钱|种|款|样|色|颜色)|(?<![好没])几(?:[A-Za-z]|[个件片克毫升厘米寸度瓦伏年天小时分钟次本册卷瓶粒颗只条道节双套张支包袋根块层级档转]"
                          r"(?!色|颜色|\S{0,2}(?:就|后|以后|之后)))|"
                          r"\bhow many\b(?!\s+(?:colou?rs?|flavou?rs?|kinds?|types?|styles?|designs?|patterns?|"
                          r"scents?|options?|shades?|sizes?|models?|versions?|variants?)\b)", re.I)
_STATES_NUMBER = re.compile(r"\d|[一二两三四五六七八九十百千万半双]|\b(?:one|two|three|four|five|six|seven|eight|"
                            r"nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|dozen|single|"
                            r"double|triple|half|pair)\b", re.I)


# "能看每个月用了多少度电不", "does it show how many steps?": whether it shows an amount, which a
# fact saying that it does answers.
_SHOWS_AMOUNT = re.compile(r"(?:看|显示|查|记录|监测|统计|测|提醒)[^，,。？?]{0,8}(?:多少|几)|"
                           r"\b(?:show|display|tell|track|record|monitor|count|see|measure)s?\b[^?.!]{0,25}\bhow many", re.I)


def amount_unstated(question: str, fact_numbers: tuple[str, ...], fact_text: str) -> bool:
    """The question wants a magnitude or an amount that the fact does not state."""
    return (asks_magnitude(question) and not fact_numbers) or bool(
        _ASKS_AMOUNT.search(question) and not _SHOWS_AMOUNT.search(question) and not _STATES_NUMBER.search(fact_text))


# "浅烘还是深烘", "塑料的还是铝的", "duck or goose down?": a question offering alternatives is
# answered by a fact stating one of them, whichever it is.
_EN_OR = re.compile(r"(?i)\b([a-z][a-z0-9-]+)\s+or\s+(?:an?\s+|the\s+)?([a-z][a-z0-9-]+)")
_EN_NOT_ALT = frozenset("more less not no yes so is it this that either and one two three later now "
                        "something anything".split())
_ZH_NOT_ALT = frozenset("的 呀 呢 啊 了 吗 嘛 哦 是 这个 那个 这款 那款 它 用 有 就 都 也 还 会 要".split())


@lru_cache(maxsize=256)
def alternatives(text: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """The two sides of each "A还是B" / "A or B" in a message, as the words nearest the "or" (once
    per message: a decision asks this of every candidate fact)."""
    t = unicodedata.normalize("NFKC", text)
    out = [(frozenset({m.group(1).casefold()}), frozenset({m.group(2).casefold()}))
           for m in _EN_OR.finditer(t)
           if m.group(1).casefold() not in _EN_NOT_ALT and m.group(2).casefold() not in _EN_NOT_ALT
           and m.group(1).casefold() != m.group(2).casefold()]
    if "还是" not in t:
        return tuple(out)
    tokens("中")  # jieba's dictionary, loaded once and quietly
    import jieba

    for clause in re.split(r"[，。！？?!,;；\s]+", t):
        left, sep, right = clause.partition("还是")
        if not sep:
            continue
        lw = [w for w in jieba.lcut(left) if w.strip() and w not in _ZH_NOT_ALT][-2:]
        rw = [w for w in jieba.lcut(right) if w.strip() and w not in _ZH_NOT_ALT][:2]
        a, b = frozenset(lw) - frozenset(rw), frozenset(rw) - frozenset(lw)
        if a and b:
            out.append((a, b))
    return tuple(out)


def stated_alternative(text: str, fact_text: str, english=None) -> frozenset[str]:  # noqa: ANN001
    """The words of the question's alternatives ("塑料", "铝") when the fact states one side, in
    its words or (given `english`, a Chinese word's English glosses) in English ("化学": chemical)."""
    low = unicodedata.normalize("NFKC", fact_text).casefold()
    out: set[str] = set()
    for a, b in alternatives(text):
        words = a | b
        glosses = {g for w in words if english is not None and not w.isascii() for g in english(w) if len(g) > 2}
        if any(w in low for w in words) or any(re.search(rf"\b{re.escape(g)}\b", low) for g in glosses):
            out |= words
        elif all(value_kinds(" ".join(_glossed(side, english))) & value_kinds(low) for side in (a, b)):
            out |= words  # "plastic or glass?" and "steel": neither, the fact says which
    return frozenset(out)


def _glossed(words: frozenset[str], english) -> set[str]:  # noqa: ANN001
    return set(words) | {g for w in words if english is not None and not w.isascii() for g in english(w)}
