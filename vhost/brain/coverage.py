"""What a message asks that the fact found does not cover: the difference between an answer and
a related fact ("ship to *Iceland*?" finds the shipping policy, which does not name Iceland).

Only what the viewer *asks* counts: context they state ("I'm in Beijing, when will it ship?",
"I don't want it loose in the drawer") frames the question and is left out.
"""

from __future__ import annotations

import re
import unicodedata

from vhost.brain import attribute_words, attributes
from vhost.brain.clauses import asked_clauses, asking_clauses
from vhost.brain.counting import UNITS as _UNITS
from vhost.brain.counting import counts_things
from vhost.brain.dictionary import ONE_CHAR_WORDS, Dictionary
from vhost.brain.en_focus import LIFESPAN, en_focus
from vhost.brain.en_names import maker_names, names_in
from vhost.brain.glossary import chinese_for
from vhost.brain.grounding import _to_digits
from vhost.brain.hypernyms import kind_named, member_named
from vhost.brain.knowledge import Fact
from vhost.brain.opposites import opposite_named
from vhost.brain.reading import (
    _RANGE,
    _SENSITIVE,
    alternatives,
    stated_alternative,
    zh_brands,
    zh_framing,
    zh_names,
    zh_nouns,
    zh_verbs,
)
from vhost.brain.retrieval import terms, tokens
from vhost.brain.zh_focus import zh_focus

# Chat words that name no fact ("家人们", "guys"): not evidence that a question went unanswered.
_FILLER = frozenset("guys sis bro babe host dear friend everyone today now really super very extremely thing stuff product "
                    "item one good bad nice want need know like 家人们 姐妹 宝子 主播 老师 东西 产品 "
                    "这款 那款 今天 现在 真的 一下 请问 知道 想 想问 问问 问 觉得 感觉 刚才 刚刚 之前 谢谢 谢了 thank thx "
                    # "味大不大": the A-not-A question form, not a quality
                    "不大 不小 不多 不少 不重 不高 不长 不贵 不厚 下来 起来 上去 下去 进去 进来 出去 出来 过去 过来 玩意 玩意儿 "
                    # whether it holds up ("扛得住吗"): the fit asked, not a quality
                    "扛 扛得住 扛不住 得住 受得了 耐得住 撑得住 "
                    # chat shorthand ("do u", "w/ a card", "gotta", "btw"), stemmed as retrieval does
                    "u ur r n w gotta gonna wanna btw actua tho lol pls plz smth ya kinda re fr ngl tbh lmao separ seper "
                    "有没有 合适 不合适 定期 平时 问下 咨询 喜欢 不喜欢 有点 有些 稍微 一点 级别 等级 档次 "
                    "老公 老婆 男朋友 女朋友 对象 爸爸 妈妈 婆婆 公公 闺蜜 朋友 同事 husband wife hubby bf gf mom mum dad "  # who for
                    # how a yes/no question is asked ("是不是…做的", "环保的那种"), not what
                    "是不是 不是 不会 是否 会不会 能不能 可不可以 那种 这种 款 款式 version type kind".split())
# Common English words that frame a question rather than name a thing ("how *long* does it *last*",
# "can I *put* it..."): only other words can be what the catalog does not cover.
_COMMON_EN = frozenset("""
able about after again against all almost already always another anyone anything around back
because been before being best better between big both bring but buy call called came come comes coming
could day days does doing done down each easy enough even ever every fast feel few find fine first
for full give given go goes going gone great hand happen hard has hear help here high hold home
hour hours idea into keep kind last late least less let life like little long look looking lot love
made make many maybe mean more most much must need never new next nice night normal often okay
old once only open other our out over own part people pick plan put quick quite rather ready real
same say see seem seen send set should show since size small some someone something soon sound
start still such sure take tell than thank thanks that their them then there these thing things
think those though through time too top try turn under until upon use used using very wait want
way well went were what when where whether which while who whole why wish with without work works
worth would year yes yet you your yours
""".split())
# Words of an attribute that name one specific quality of it: "is it halal?" is not answered by a
# fact about allergens that never says halal.
_SPECIFIC = frozenset("halal vegan glute lacto soy peanu sesam shell nut nuts dairy 清真 素食 麸质 乳糖 大豆 花生 芝麻 坚果".split())
# Who uses or endorses it ("which pro skater rides this?", "哪位明星配的"): a claim only a fact
# naming an endorser makes; a product's name or selling point is no answer.
_ENDORSER = re.compile(r"\b(?:celebrit\w*|influencers?|kols?|endors\w*|athletes?|famous (?:people|person|players?)|"
                       r"pro (?:skaters?|players?|riders?|athletes?|gamers?|golfers?|surfers?|chefs?)|"
                       r"who (?:uses?|used|rides?|wears?|plays?|endorses?))\b|明星|网红|代言|博主|达人|哪位", re.IGNORECASE)
# China's couriers, which jieba's dictionary splits into characters ("顺丰吗?"): a shipping policy
# that names none of them does not say which one carries the parcel.
_COURIERS = {"顺丰": "sf", "圆通": "yto", "中通": "zto", "申通": "sto", "韵达": "yunda", "极兔": "j&t",
             "德邦": "deppon", "百世": "best", "邮政": "ems", "京东快递": "jd", "京东物流": "jd", "菜鸟": "cainiao"}
_NUMERAL = re.compile(r"^[零一二两三四五六七八九十百千万几]+$")
# A yes/no question about a quality ("is it halal?", "防臭吗?"): only a fact naming it answers.
_YES_NO = re.compile(r"^\s*(?:is|are|does|do|can|will|has|have)\b|[吗不]\s*[?？]?\s*$|是不是|有没有|会不会|能不能|可不可以",
                     re.IGNORECASE)

_FREE_OF = re.compile(r"\b([a-z]{2,})[- ]free\b")
_NOT_FREE_OF = frozenset("hands care worry hassle stress tax duty fee toll".split()) | _COMMON_EN
# A fact that says no ("Not for the microwave", "不可用洗碗机", "请勿装碳酸饮料").
_NO = re.compile(r"(?i)^\s*no\b|\bnot\s+(?:for|suitable|safe)|\bnever\b|\bdo not\b|不可|不能|请勿|禁止|不适合|不宜")
_WH = re.compile(r"多少|几|什么|怎么|哪|多久|多大|多长|多重|\b(?:how|what|which|when|where|why|who)\b", re.IGNORECASE)


# "what's the screen *resolution*?", "what's the *wheel* size?": the thing a wh-question names. A
# value word ("size", "percentage", "grade") asks for the fact's value, so then the word before it
# is the thing ("wheel"); attribute words and these value words are never the missing thing.
_FOCUS = re.compile(r"\b(?:what(?:'s|s| is| are)|how (?:long|big|wide|tall|thick|heavy|high|deep) (?:is|are))\s+"
                    r"(?:the|its|their|his|her|this|that)\s+([a-z]+)(?:\s+([a-z]+))?\s*"
                    r"(?=\?|$|\b(?:is|are|on|of|for|in|like|does|do|i|you|u|we)\b)", re.IGNORECASE)
_VALUE_WORDS = frozenset("percentage percent grade level rating size type kind amount number price cost "
                         "color colour temperature capacity weight length width height material brand model "
                         "version age time speed range power voltage deal total max maximum min minimum".split())


# "how many charge cycles does it last?": the counted thing must be what the fact counts; a unit
# ("how many hours/grams/pieces") asks a value of a kind (vhost.brain.reading.wanted_value).
_HOW_MANY = re.compile(r"\bhow many\s+([a-z]+)(?:\s+([a-z]+))?", re.IGNORECASE)
_NOT_NOUN = frozenset("fit fits does do did can could will would is are was were in on of per at for to "
                      "come comes there left does it they you i we".split())


def focus_words(text: str) -> list[str]:
    t = unicodedata.normalize("NFKC", text)
    zh = zh_focus(t)  # "那根线多长", "快门寿命多少次"
    if zh:
        return zh
    many = _HOW_MANY.search(t)
    if many is not None and not LIFESPAN.search(t):  # "how many years does it last" asks its life
        first, second = (many.group(1) or "").casefold(), (many.group(2) or "").casefold()
        w = second if second and second not in _NOT_NOUN and second not in _COMMON_EN else first  # "charge cycles"
        return [] if w in _UNITS or w in _COMMON_EN or attributes.detect(w) else [w]
    m = _FOCUS.search(t)
    if m is None:
        return [w for w in en_focus(t) if w == "life" or w not in _COMMON_EN and not attributes.detect(w)]
    words = [w.casefold() for w in m.groups() if w]
    if words[-1] in _VALUE_WORDS:
        words = words[:-1]
    return [w for w in words[-1:] if w not in _VALUE_WORDS and w not in _COMMON_EN and not attributes.detect(w)]


# Attributes that are the quality itself when named ("waterproof?", "switch itself off?"): a fact
# giving the attribute answers their words in any language.
_FEATURES = frozenset({"auto_off", "waterproof", "noise"})


class Coverage:
    def __init__(self, vocab: set[str], dictionary: Dictionary | None = None,
                 product_words: dict[str, set[str]] | None = None,
                 models: dict[str, set[str]] | None = None) -> None:
        self.vocab = vocab
        self.dictionary = dictionary
        # Model lines the catalog numbers ("iPhone 16", "Galaxy S24"): {"iphone": {"16", "15"}}.
        self.models = models or {}
        # Each product's name words in every language ("卷发" of 无热卷发套装): they say which
        # product, never the quality a yes/no question asks about.
        self.product_words = product_words or {}
        self._words: dict[int, tuple[Fact, frozenset[str]]] = {}

    def fact_words(self, fact: Fact) -> frozenset[str]:
        """The tokens of a fact's match texts and texts, once per fact: each decision asks them
        of several facts, several times (a Fact holds a dict, so it is kept by identity)."""
        hit = self._words.get(id(fact))
        if hit is None or hit[0] is not fact:
            hit = self._words[id(fact)] = (fact, frozenset(t for m in (*fact.match, *fact.texts.values())
                                                           for t in tokens(m)))
        return hit[1]

    def _known(self, word: str) -> bool:
        toks = set(tokens(word))
        if toks <= self.vocab | {""} or kind_named(word, self.vocab):  # "牛奶" where a fact names drinks
            return True
        return any(alts & self.vocab for _t, alts in terms(word, self.dictionary))

    def uncovered(self, text: str, fact: Fact) -> list[str]:
        """Names in the question that no catalog fact mentions ("ship to *Hong Kong*?", "has
        *NFC*?", "寄到*香港*吗"), safety words the fact does not address, and the quality a yes/no
        question asks about when the fact never names it ("鞋子*防臭*吗?")."""
        out: list[str] = self.makers(text)
        for clause in asking_clauses(text):
            out += [w for w in self._names(clause) if w not in out]
            out += [m for m in self.unknown_models(clause) if m not in out]
        asked = " ".join(asking_clauses(text))
        # Who it is for, when that is a safety matter: only a fact that says so answers it.
        fact_text = " ".join(fact.texts.values()).casefold()
        out += [m.group(0) for m in _SENSITIVE.finditer(" ".join(asked_clauses(text)))
                if not any(w in fact_text for w in _SENSITIVE.findall(fact_text))]
        out += [m.group(0) for m in _ENDORSER.finditer(asked) if not _ENDORSER.search(fact_text)][:1]
        out += [t for t in zh_names(asked) if t not in self.vocab and t not in _FILLER and not attributes.detect(t)
                and not _NUMERAL.match(t) and not self._known(t)  # "贺卡" tagged a name: a greeting card
                and not self._refused_anyway(asked, t, fact)  # "能去三亚冲浪不": not for surf, anywhere
                and not any(t in v for v in self.vocab if not v.isascii())]
        # A brand or a service no dictionary knows ("顺丰吗?") that the catalog does not name.
        out += [t for t in zh_brands(asked) if t not in out and t not in self.vocab and t not in _FILLER
                and not _NUMERAL.match(t)
                and self.dictionary is not None and not self.dictionary.english(t)
                and not any(t in v for v in self.vocab if not v.isascii())]
        out += [c for c, en in _COURIERS.items() if c in asked and c not in out and en not in self.vocab
                and not any(c in v for v in self.vocab if not v.isascii())]
        # A thing the catalog never mentions in either language, nor any of its characters
        # ("甲醛含量多少?"; not "车子" for a 遥控车, which names the product in other words).
        chars = {ch for v in self.vocab if not v.isascii() for ch in v}
        out += [t for t in zh_nouns(asked) if t not in out and t not in _FILLER and not attributes.detect(t)
                and not _NUMERAL.match(t)
                and not self._known(t) and not set(t) & chars and not self._refused_anyway(asked, t, fact)]
        # "lead-free?", "BPA free?": only a fact naming the thing it is free of answers it.
        fact_tokens = self.fact_words(fact)
        out += [f"{m.group(1)}-free" for m in _FREE_OF.finditer(asked.casefold())
                if m.group(1) not in _NOT_FREE_OF and not self._names_it(m.group(1), fact, fact_tokens)]
        # "颜体还是欧体": an either-or whose sides no text of the catalog names is unknown, whatever the fact says
        out += [w for pair in alternatives(text) if not any(self._known(w) for side in pair for w in side) for w in sorted(pair[0] | pair[1])]
        # "胶囊壳是塑料的还是铝的": a fact stating one side answers it, the other side unnamed.
        either = stated_alternative(text, fact_text, self.dictionary.english if self.dictionary else None)
        return [w for w in out if not any(w.casefold() in a or a in w.casefold() for a in either)
                and not member_named(w, fact_tokens)]  # "laptop?" against "Windows 10+, macOS 12+"

    def _refused_anyway(self, asked: str, word: str, fact: Fact) -> bool:
        """A yes/no question the fact answers "no" to whatever the rest: "能放微波炉热牛奶吗" against
        "Not for the microwave" (the milk is what they would heat; the answer is no all the same)."""
        said = " ".join(fact.texts.values())
        if not _YES_NO.search(asked) or not _NO.search(said):
            return False
        fact_tokens = self.fact_words(fact)
        return any(t != word and t not in _FILLER and (t in fact_tokens or alts & fact_tokens)
                   for t, alts in terms(asked, self.dictionary) if len(t) >= 2 and not t.isdigit())

    def unknown_models(self, text: str) -> list[str]:
        """Models of a line the catalog numbers that it never names: "iphone 17?" where the
        catalog stops at the iPhone 16 (a model, not a number stated wrong)."""
        return [f"{w} {n}" for w, n in _MODEL.findall(unicodedata.normalize("NFKC", text).casefold())
                if n not in self.models.get(w, {n})]

    def makers(self, text: str) -> list[str]:
        return maker_names(text, self._known, _COMMON_EN)  # "made by zeiss?", "what brand? philips?"

    def _names(self, clause: str) -> list[str]:
        return names_in(clause, self._known, self.vocab, _COMMON_EN)  # vhost.brain.en_names

    def unnamed_focus(self, text: str, fact: Fact) -> list[str]:
        """The thing a wh-question names when the fact never does ("screen resolution" against
        "Screen: 1.43-inch AMOLED"): the fact is related, not the answer."""
        fact_tokens = self.fact_words(fact)
        if _HOW_MANY.search(unicodedata.normalize("NFKC", text)) and counts_things(fact) and not LIFESPAN.search(text):
            return []  # "how many caps in a bottle?" against "90 softgels per bottle": a count, in other words
        named = self.product_words.get(fact.product_id or "", set())  # "书架多高": the product itself
        return [w for w in focus_words(text) if w not in named and (ts := terms(w, self.dictionary)) and not any(
            t in fact_tokens or alts & fact_tokens or member_named(t, fact_tokens) for t, alts in ts)]  # "电源线": 电源 or 电源线

    def unnamed_quality(self, text: str, fact: Fact, attrs: list[str]) -> list[str]:
        """A yes/no question's content words when none of the message's words is in the fact, in
        either language ("鞋子防臭吗? 有没有做抗菌处理?" against "breathable mesh, not waterproof").
        Not when the message also asks what/how much: its yes/no part is then a follow-up."""
        clauses = asking_clauses(text)  # "防静电吗 冬天一梳就炸毛" asks in its first clause
        if not any(_YES_NO.search(c) for c in clauses) or any(_WH.search(c) for c in clauses):
            return []
        fact_tokens = self.fact_words(fact)
        framing = zh_framing(" ".join(clauses))  # "刚才", "直接", "一点": how it is asked, not what
        words = [(t, alts) for t, alts in terms(text, self.dictionary)
                 if t not in _FILLER and t not in _COMMON_EN and (not attributes.detect(t) or t in _SPECIFIC)
                 and t not in framing
                 # "无", "香": one character says too little; "换" in "电池能自己换吗" says it all
                 and (t.isascii() or len(t) >= 2 or t in ONE_CHAR_WORDS)]
        if fact.kind == "spec" and fact.key:
            # The spec's subject ("canopy" in "does the canopy block UV?" against "Canopy: extendable,
            # peek-a-boo window") says which spec, not that it has the quality asked.
            subject = set(tokens(fact.key.replace("_", " ")))
            if any(t in subject or alts & subject for t, alts in words):
                verbs = zh_verbs(" ".join(clauses))  # "能放进烤箱吗?" against oven_safe: 放进 is no quality
                # a value asked of it ("is the camera 4k?") is answered by the value it gives (720p)
                valued = bool(fact.numbers) and any(re.search(r"\d", t) for t, _ in words)
                words = [(t, alts) for t, alts in words if t not in subject and not alts & subject
                         and t not in verbs and not (valued and (re.search(r"\d", t) or len(t) == 1))]
        # Words only of a clause that tells ("租的房子不能打孔" beside "不挂墙能充电吗") are no
        # quality asked; any word the fact holds, even the context's ("手腕"), is enough.
        yes_no = [c for c in clauses if _YES_NO.search(c)]
        if set(attrs[:1]) & set(fact.attrs) and len(yes_no) < len(clauses):  # "投线仪防水吗 工地用": IP54 answers it
            clauses = yes_no  # the quality asked is the attribute the fact gives; the rest says what for
        feature = set(attrs[:1]) & _FEATURES & set(fact.attrs)  # "leave it out in the rain overnight? waterproof?"
        if feature and all(feature & set(attributes.detect(c)) for c in yes_no):
            return []  # and IP67: each clause asks the feature the fact gives ("come with a cover?" asks the cover)
        given = set(fact.attrs) | set(attributes.detect(" ".join(fact.texts.values())))
        if (asked := set(attrs[:1]) & _FEATURES) and yes_no and not asked & given:
            return [attributes.label(min(asked), "en")]  # "is the bamboo top waterproof?" against its material
        asking = {t for t, _ in terms(" ".join(clauses), self.dictionary)}
        # "switch itself off" is in a fact saying 自动断电: a feature asked in its words, not "certified"
        said = set(tokens(attribute_words.phrases(text, set(attrs[:1]) & _FEATURES
                                             & set(attributes.detect(" ".join(fact.texts.values()))))))
        named = self.product_words.get(fact.product_id or "", set())
        words = [(t, alts) for t, alts in words if t not in named]
        inside = attribute_words.covered_chars(text)
        norm = unicodedata.normalize("NFKC", text).casefold()
        policy = attribute_words.covered_chars(text, set(attrs[:1]) & attributes.NARROW & set(fact.attrs))  # "以旧换新": 换新 asks no quality
        words = [(t, alts) for t, alts in words if t.isascii() or not (_across(norm, t, inside) or _inside(norm, t, policy))]
        if not any(t in asking for t, _ in words) \
                or any(t in fact_tokens or alts & fact_tokens or t in said or _in_range(t, fact) or member_named(t, fact_tokens)
                       or opposite_named(t, fact_tokens) for t, alts in words):  # "sharp?" and "Edges: rounded"
            return []
        return [t for t, _ in words]

    def unnamed_kind(self, text: str, fact: Fact) -> list[str]:
        """The word that says which kind of a thing a yes/no question asks about, when the fact
        names only the thing (or not even that): "does the chair have a *cup* holder?" against "rod
        holder clamp", "are the handles *heatproof*?" against "oak handles"."""
        fact_tokens = self.fact_words(fact)
        named = self.product_words.get(fact.product_id or "", set())
        out: list[str] = self.makers(text)
        for clause in asking_clauses(text):
            c = unicodedata.normalize("NFKC", clause).casefold()
            kinds = [m.group(1) for m in _HAS_KIND.finditer(c)] + [m.group(2) for m in _IS_QUALITY.finditer(c)]
            for kind in kinds:
                if not self._in_fact(kind, fact_tokens) and not any(opposite_named(t, fact_tokens) for t in tokens(kind)) \
                        and kind not in _COMMON_EN and kind not in _FILLER and kind not in _NOT_KIND \
                        and not set(tokens(kind)) & named and not attributes.detect(kind) and kind not in out:
                    out.append(kind)
        return out

    def _names_it(self, word: str, fact: Fact, fact_tokens: frozenset[str]) -> bool:
        """The fact names `word` itself; a fact only in Chinese, a translation of two characters
        or more. Never by a translation beside the English: "lead" has a dozen senses in the
        dictionary, and "导致" (lead to) is no lead."""
        if set(tokens(word)) & fact_tokens:
            return True
        zh = " ".join(t for lang, t in fact.texts.items() if lang == "zh")
        return bool(zh) and "en" not in fact.texts and self.dictionary is not None and any(
            len(c) >= 2 and c in zh for c in self.dictionary.chinese(word))

    def _in_fact(self, word: str, fact_tokens: frozenset[str]) -> bool:
        """`word` or any of its translations (all of them, not only the shortest) is in the fact."""
        every = self.dictionary.chinese(word) if self.dictionary is not None and word.isascii() else set()
        every |= set(tokens(chinese_for(word)))  # the spec words ("voice" -> 语音)
        return bool(every & fact_tokens) or any(t in fact_tokens or alts & fact_tokens
                                                for t, alts in terms(word, self.dictionary))


# "have/take/come with (a) KIND THING": the kind word before the thing.
_HAS_KIND = re.compile(r"\b(?:have|has|come with|comes with|include|includes|take|takes|fit|fits|got)\s+"
                       r"(?:an?\s+|the\s+|any\s+|some\s+|my\s+|your\s+)?([a-z][a-z-]{2,})\s+([a-z][a-z-]{2,})\s*(?:\?|$)")
# "is/are the THING QUALITY?" at the end of a clause.
_IS_QUALITY = re.compile(r"^\s*(?:is|are|r)\s+(?:the|its|it'?s|their)\s+([a-z][a-z-]{2,})\s+([a-z][a-z-]{2,})\s*(?:\?|$)")
# Words that are no kind of thing: amounts, and words that say how ("a lot", "any good").
_NOT_KIND = frozenset("lot bit any good bad real proper decent extra the this that too".split())


# A model line and its number ("iPhone 16", "galaxy s24" as "galaxy s" + "24").
_MODEL = re.compile(r"\b([a-z][a-z]{2,})\s?(\d{1,3})\b")
_MODEL_NAME = re.compile(r"\b([A-Z][a-zA-Z]{2,}|[a-z]+[A-Z][a-zA-Z]*)\s?\d{1,3}\b"
                         r"(?!\s*(?:%|[a-z]{1,3}\b|(?:W|V|L|A|EU|US|UK|CM|MM)\b|[\u3400-\u9fff]))")  # not "Candle 200 g"


def model_numbers(texts: list[str]) -> dict[str, set[str]]:
    """The model lines a catalog names with a number ("iPhone 16", "Switch 2"), each with every
    number its texts give beside that name: a viewer's "iphone 17" is then a model it never names."""
    out: dict[str, set[str]] = {}
    for text in texts:
        t = unicodedata.normalize("NFKC", text)
        for name in {m.group(1) for m in _MODEL_NAME.finditer(t)} - {w.capitalize() for w in _COMMON_EN | _VALUE_WORDS}:
            out.setdefault(name.casefold(), set()).update(re.findall(r"\d+", t))
    return out


def _across(text: str, word: str, inside: set[int]) -> bool:
    """`word` runs into an attribute's word without being inside it ("开发" in "开发票")."""
    i = text.find(word)
    span = set(range(i, i + len(word))) if i >= 0 else set()
    return bool(span & inside) and not span <= inside


def _inside(text: str, word: str, chars: set[int]) -> bool:
    return (i := text.find(word)) >= 0 and set(range(i, i + len(word))) <= chars


def _in_range(word: str, fact: Fact) -> bool:
    """A number the fact's range speaks to ("size 45?" and "sizes 36-44": no, but answered; "零下三十度")."""
    if not (said := re.fullmatch(r"(\d+(?:\.\d+)?)(?:度|°c?|℃)?", _to_digits(word))):
        return False
    n = float(said.group(1))
    return any(float(m.group(1)) / 2 <= n <= float(m.group(2)) * 1.5
               for t in fact.texts.values() for m in _RANGE.finditer(t))
