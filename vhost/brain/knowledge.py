"""The catalog as addressable facts: what the host may state, and nothing else.

Each product becomes a list of `Fact`s (price, discount, stock, the age it suits, every spec, every
selling point, every FAQ entry, every mandatory notice) and the shop's `[shop]` policies become
shop-wide facts. A fact carries its statement in each language the catalog gives it in, the
attributes it answers (vhost.brain.attributes) and the text the retriever matches against. What no
fact states is unknown: the host says so (vhost.brain.compose) instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from vhost.base.language import detect_language
from vhost.brain import attributes
from vhost.brain.catalog import Catalog, Product
from vhost.brain.glossary import chinese_for, chinese_for_value
from vhost.brain.grounding import _to_digits
from vhost.brain.scope import applies

# Units read out in Chinese when a spec value only exists in English ("30 ml" -> "30毫升").
_ZH_UNITS = [
    (r"mAh", "毫安时"), (r"ml", "毫升"), (r"mL", "毫升"), (r"kg", "公斤"), (r"mm", "毫米"), (r"cm", "厘米"),
    (r"g", "克"), (r"L", "升"), (r"W", "瓦"), (r"V", "伏"), (r"hours?|hrs?|h", "小时"),
    (r"minutes?|mins?", "分钟"), (r"seconds?|secs?", "秒"), (r"days?", "天"), (r"months?", "个月"), (r"years?", "年"),
    (r"pcs|pieces?", "件"), (r"layers?", "层"), (r"kHz", "千赫兹"), (r"Hz", "赫兹"), (r"ms", "毫秒"),
    (r"m", "米"), (r"%\s*(?:vol|ABV|abv)", "度"),  # a drink's strength: "41% vol" is 41度
]
_ZH_UNIT_RE = [(re.compile(rf"(?<=\d)\s*(?:{u})(?![A-Za-z])"), zh) for u, zh in _ZH_UNITS]
# How a value is hedged, before its number ("about 2.5 hours" -> "约2.5小时", "up to 20 W").
_ZH_HEDGES = [(re.compile(rf"(?<![A-Za-z])(?:{en})\s*(?=\d)", re.IGNORECASE), zh) for en, zh in [
    (r"about|approx\.?|approximately|around|roughly|~", "约"), (r"up to|max\.?|maximum", "最高"),
    (r"over|more than", "超过"), (r"under|less than", "不到"), (r"min\.?|minimum|at least", "至少")]]
# Unit abbreviations a spec keeps in Latin letters and a Chinese line may carry ("2.4 GHz", "450毫升
# (15 oz)", "35,000 rpm"): read by the voice (vhost.voice.zh_text) or as letters; not English words.
UNIT_WORDS = frozenset("km h ghz mhz khz hz lb lbs oz fps bar rpm lm gsm kpa psi mph kmh db mah wh kwh kw w v "
                       "m mm cm kg g mg ml l".split())
_ZH_RANGE = re.compile(r"(?<=[\d\u4e00-\u9fff°C])\s*\bto\b\s*(?=[-\d])")
_CUR_ZH = {"CNY": "元", "USD": "美元", "EUR": "欧元", "GBP": "英镑", "JPY": "日元", "CAD": "加元",
           "AUD": "澳元", "HKD": "港币"}
_CUR_EN = {"CNY": " yuan", "JPY": " yen", "HKD": " Hong Kong dollars"}


@dataclass(frozen=True)
class Fact:
    id: str  # "serum/spec/volume", "serum/faq/0", "shop/shipping"
    product_id: str | None  # None: a shop-wide policy
    kind: str  # price, discount, stock, age, spec, point, faq, notice, policy
    attrs: tuple[str, ...]  # attributes it answers
    texts: dict[str, str]  # the statement to speak, per language the catalog gives it in
    match: tuple[str, ...]  # texts the retriever compares a message with (all languages)
    key: str = ""  # spec or policy key, or the FAQ's English question
    numbers: tuple[str, ...] = ()  # digits stated, for "is it 99?"-style checks
    questions: tuple[str, ...] = ()  # an FAQ's questions, every language: the first texts of `match`

    def text(self, lang: str) -> str | None:
        return self.texts.get(lang)


# Words that make an "age" spec a person's age ("3+", "ages 3-6", "6岁以上", "from 3 months").
# Not "for": a spirit is "aged for 12 years".
_PERSON_AGE = re.compile(r"\+|\band (?:up|over|older)\b|or older|\bages?\b|\bfrom\s+\d|months?|weeks?|"
                         r"kids?|child|bab(?:y|ies)|toddler|\d\s*[-–~到至]\s*\d|岁|个月|儿童|宝宝|以上|适合|适用", re.I)


def spoken_price(product: Product, amount: float, lang: str) -> str:
    """A price as it is read aloud: "129元" / "24.99美元" in Chinese, "129 yuan" / "$24.99"."""
    num = f"{amount:.0f}" if float(amount).is_integer() else f"{amount:.2f}"
    if lang == "zh":
        return num + _CUR_ZH.get(product.currency, product.currency)
    if product.currency in _CUR_EN:
        return num + _CUR_EN[product.currency]
    return product.format_price(amount)


def zh_value(value: str) -> str | None:
    """An English spec value as Chinese speech when it is only numbers and units, else None."""
    v = value.strip()
    out = v
    for pattern, zh in (*_ZH_HEDGES, *_ZH_UNIT_RE):
        out = pattern.sub(zh, out)
    out = _ZH_RANGE.sub("至", out)  # "-20 °C to 70 °C"
    # What is left in Latin letters may only be codes ("IPX5", "USB-C", "BT") and the "x" of a size:
    # an English word left in ("up to 80小时 on 2.4 GHz", "150毫升 cup on top") is not Chinese
    # speech; the line is then translated, or read as the catalog's own words.
    words = re.findall(r"[A-Za-z]+", out)
    return out if all(w.isupper() or w == "x" or re.fullmatch(r"[A-Z][a-z]{0,3}", w) or w.casefold() in UNIT_WORDS
                      for w in words) else None


_UNIT_ATTRS = [(re.compile(r"\d\s*(?:mah|wh)\b", re.I), "battery"), (re.compile(r"\d\s*(?:ml|l|oz)\b", re.I), "volume"),
               (re.compile(r"\d\s*(?:g|kg|lbs?)\b", re.I), "weight"),
               # "1.4-inch", "40x40", "46码"; not "2 x 5 W" (two speakers of 5 W)
               (re.compile(r"\d\s*-?\s*(?:cm|mm|m|in|inch(?:es)?|met(?:er|re)s?|f(?:ee|oo)?t)\b|"
                           r"\d\s*[x×*]\s*\d+(?:\.\d+)?(?!\s*(?:w|kw|v|mah|wh|g|kg|ml|l|瓦|伏|克|毫升)(?![a-z]))|\d\s*码",
                           re.I), "size"),
               (re.compile(r"\d\s*(?:w|kw)\b", re.I), "charging"),
               (re.compile(r"\d\s*(?:v|vac|volts?)\b|\d\s*伏", re.I), "voltage"),
               (re.compile(r"\bIP[X\d]\d\b", re.I), "waterproof"),  # "protection_rating = 'IP67'": the water rating
               # a reach in metres: night vision "clear up to 8 m", "最远6米" (a length is a size)
               (re.compile(r"(?:up to|最远|可达)\s*\d+(?:\.\d+)?\s*(?:m(?![a-z])|米|met(?:re|er)s?)", re.I), "range"),
               (re.compile(r"\d\s*(?:毫安)"), "battery"), (re.compile(r"\d\s*(?:毫升|升)"), "volume"),
               (re.compile(r"\d\s*(?:克|千克|公斤|斤)"), "weight"), (re.compile(r"\d\s*(?:厘米|毫米|公分|寸)"), "size"),
               # "up to 6 km", "最远6公里": how far it reaches; not a speed ("25 km/h")
               (re.compile(r"\d\s*(?:km|kilomet(?:re|er)s?|miles?|公里|千米)(?!\s*(?:/|per\b|每|一小时))", re.I), "range")]


def unit_attrs(value: str) -> list[str]:
    return [attr for pattern, attr in _UNIT_ATTRS if pattern.search(value)]


def _numbers(*texts: str) -> tuple[str, ...]:
    return tuple(sorted({n for t in texts for n in re.findall(r"\d+(?:\.\d+)?", t)}))


def _key_words(key: str) -> str:
    return key.replace("_", " ").replace("-", " ").strip()


def _parallel(p: Product, field_name: str) -> dict[str, list[str]]:
    base = getattr(p, field_name)
    out = {"en": [x.a for x in base] if field_name == "faq" else list(base)}
    for lang, over in p.i18n.items():
        items = getattr(over, field_name)
        if items:
            out[lang] = [getattr(x, "a", x) for x in items] if field_name == "faq" else list(items)
    return out


def _price_facts(p: Product) -> list[Fact]:
    texts, numbers = {}, [p.price]
    for lang in ("en", "zh"):
        now = spoken_price(p, p.price, lang)
        texts[lang] = f"今天{now}" if lang == "zh" else f"It's {now} today"
        if p.original_price is not None and p.discount_percent is not None:
            was = spoken_price(p, p.original_price, lang)
            texts[lang] += f"，原价{was}" if lang == "zh" else f", down from {was}"
        texts[lang] += "。" if lang == "zh" else "."
    facts = [Fact(f"{p.id}/price", p.id, "price", ("price",), texts, ("price", "价格 多少钱"),
                  numbers=_numbers(str(p.price)))]
    if p.original_price is not None and p.discount_percent is not None:
        numbers.append(p.original_price)
        d = p.discount_percent
        dt = {"en": f"{d}% off: " + texts["en"][0].lower() + texts["en"][1:],
              "zh": f"优惠{d}%，" + texts["zh"]}
        facts.append(Fact(f"{p.id}/discount", p.id, "discount", ("discount",), dt,
                          ("discount", "优惠 折扣"), numbers=_numbers(str(d), str(p.price),
                                                                   str(p.original_price))))
    stock = ({"en": f"{p.stock} left right now.", "zh": f"现在还剩{p.stock}件。"} if p.stock > 0
             else {"en": "It's sold out right now.", "zh": "现在已经卖完了。"})
    facts.append(Fact(f"{p.id}/stock", p.id, "stock", ("stock",), stock, ("in stock", "库存 有货"),
                      numbers=_numbers(str(p.stock))))
    if p.min_age is not None:
        n = p.min_age
        age = ({"en": f"It's for ages {n} and up.", "zh": f"适合{n}岁及以上。"} if n > 0
               else {"en": "It can be used from birth (0+).", "zh": "从出生起就能用。"})
        facts.append(Fact(f"{p.id}/age", p.id, "age", ("age",), age, ("age", "年龄 几岁"),
                          numbers=_numbers(str(n))))
    return facts


def _zh_label(words: str, attr: str | None) -> str:
    """The Chinese name of a spec key when it is sure ("thickness" -> 厚度, "battery life" -> 电池续航,
    "size" -> 尺寸); "" when it is not: "200克（M码）" alone is better than under a wrong name
    ("fill weight" is not 重量)."""
    first = words.split()[0] if words.split() else ""
    if attr and first.startswith(attr[:5]):
        return attributes.label(attr, "zh")
    zh = chinese_for(words).split() if " " not in words else []
    return zh[0] if zh and len(zh[0]) >= 2 else ""


def _richer(texts: dict[str, str]) -> dict[str, str]:
    """When one language's line states numbers the other's leaves out ("Big 2.5 L tank" vs
    "2.5升大容量，一只猫约可喝7天"), only the fuller one is spoken (translated for the other
    language): the shorter would answer "how many days?" without the number."""
    nums = {lang: set(_numbers(t)) for lang, t in texts.items()}
    # a number in Chinese words counts for the line that has it ("两副棒针" states the 2 of "2 pairs"),
    # never against the other ("一键点火" states no 1 the English lacks)
    said = {lang: nums[lang] | (set(_numbers(_to_digits(t))) if lang == "zh" else set()) for lang, t in texts.items()}
    full = [lang for lang in texts if all(said[lang] >= n for n in nums.values())]
    if not full or len(full) == len(texts):
        return texts
    return {lang: t for lang, t in texts.items() if lang in full}


def _spec_facts(p: Product) -> list[Fact]:
    facts = []
    # A spec the catalog gives in Chinese only (a `warranty` in [products.i18n.zh] specs and not in
    # [products.specs]) is still the product's fact, in that language.
    zh_only = {k: v for k, v in ((p.i18n["zh"].specs or {}) if "zh" in p.i18n else {}).items() if k not in p.specs}
    for key, value in {**p.specs, **zh_only}.items():
        attr = attributes.of_key(key)
        words = _key_words(key)
        # A whisky's "age = 12 years" is how old the spirit is, not who may use it.
        thing_age = attr == "age" and not _PERSON_AGE.search(value)
        attr = None if thing_age else attr
        cjk = bool(re.search(r"[\u3400-\u9fff]", value))
        # "size_l = 'Size L: chest 65-80 cm'" already says what it is.
        said = value.casefold().startswith(words.casefold())
        en = value if said else f"{words[:1].upper() + words[1:]}: {value}"
        en, value = en.rstrip(" .。"), value.rstrip(" .。")  # "...after opening." said with one stop
        texts = {} if cjk else {"en": f"{en}." if attr != "color" else f"It comes in {value}."}
        zh_spec = (p.i18n.get("zh").specs or {}).get(key) if "zh" in p.i18n else None
        zh = zh_spec or (value if cjk else zh_value(value))
        if zh is not None:
            lab = "" if thing_age else _zh_label(words, attr)
            zh = zh.rstrip(" .。")
            texts["zh"] = f"{lab}是{zh}。" if lab and not zh.startswith(lab) else f"{zh}。"
        texts = _richer(texts)
        # The key says what it is; the value's units may say more ("capacity = 20000 mAh" is
        # also a battery fact, "size = 30 ml" a volume).
        attrs = tuple(a for a in dict.fromkeys([*([attr] if attr else attributes.detect(words)),
                                                *unit_attrs(value)]) if not (thing_age and a == "age"))
        key_words = words.split()  # "field of view" is asked as "FOV", "power delivery" not as "PD" (too short to tell)
        match = [f"{words} ({''.join(w[0] for w in key_words).upper()}): {value}" if len(key_words) >= 3 else f"{words}: {value}"]
        # The key's Chinese words find it from a Chinese question (glossary, else the attribute's
        # name when the key is nothing but the attribute).
        zh_key = f"{chinese_for(words)} {chinese_for_value(value)} {attributes.label(attr, 'zh') if attr else ''}".strip()
        if zh_key or zh_spec:
            match.append(f"{zh_key} {zh_spec or value}".strip())
        facts.append(Fact(f"{p.id}/spec/{key}", p.id, "spec", attrs, texts, tuple(match), key,
                          _numbers(value, zh_spec or "")))
    return facts


def _list_facts(p: Product, field_name: str, kind: str) -> list[Fact]:
    by_lang = _parallel(p, field_name)
    questions = {"en": [f.q for f in p.faq]} if field_name == "faq" else {}
    if field_name == "faq":
        for lang, over in p.i18n.items():
            if over.faq:
                questions[lang] = [f.q for f in over.faq]
    facts = []
    for n, group in enumerate(_aligned(by_lang, questions)):
        # a line written in Chinese in the main (English) list is Chinese ("孕妇可以吃吗？")
        written = {("zh" if lang == "en" and "zh" not in group and detect_language(a) == "zh" else lang): a
                   for lang, (a, _q) in group.items()}
        texts = _richer(written)
        qs = [q for _a, q in group.values() if q]
        # The one attribute it answers ("Can children use it?" is about age, not use).
        attrs = attributes.detect(" ".join(qs)) if qs else attributes.detect(" ".join(written.values()))
        # A notice is attached to every answer it concerns; an FAQ or a point answers one thing
        # ("Can children use it?" is about age, not use).
        attrs = attrs if kind == "notice" else attrs[:1]
        # An FAQ is found by its question, and by its answer's words too ("sold separately").
        match = (*qs, *written.values()) if qs else tuple(written.values())
        facts.append(Fact(f"{p.id}/{kind}/{n}", p.id, kind, tuple(attrs), texts, match,
                          qs[0] if qs else "", _numbers(*texts.values()), tuple(qs)))
    return facts


def _aligned(by_lang: dict[str, list[str]], questions: dict[str, list[str]]) -> list[dict[str, tuple[str, str]]]:
    """A list field's items in every language, paired by position (the catalog's translations),
    unless the numbers say they are not one item: a Chinese FAQ "有28寸的吗? 有，28寸款899元" beside
    the English "Does it have a warranty? Yes, 3 years" is a fact of its own, never the warranty's
    Chinese answer. Items past the English list's end are facts of their own too."""
    groups: list[dict[str, tuple[str, str]]] = []
    own: list[dict[str, tuple[str, str]]] = []
    for i in range(max(map(len, by_lang.values()), default=0)):
        group: dict[str, tuple[str, str]] = {}
        for lang, items in by_lang.items():
            if i >= len(items):
                continue
            item = (items[i], questions.get(lang, [])[i] if i < len(questions.get(lang, [])) else "")
            base = group.get("en")
            if base is not None and not _same_numbers(base[0], item[0]):
                own.append({lang: item})
            else:
                group[lang] = item
        if group:
            groups.append(group)
    return groups + own


def _same_numbers(a: str, b: str) -> bool:
    """Two translations of one sentence: one's numbers hold the other's (a translation may leave
    a number out, see _richer), or neither states any."""
    x, y = set(_numbers(a)), set(_numbers(b))
    return x <= y or y <= x


def _tagline(p: Product) -> list[Fact]:
    """The tagline and the name: both state facts ("SPF50+ PA++++", "20000 mAh", "67-layer")."""
    out = []
    for kind, base, over in (("tagline", p.tagline, "tagline"), ("name", p.name, "name")):
        if not base or (kind == "name" and not re.search(r"\d", base)):
            continue  # a name without a number states nothing a question could ask
        texts = {"en": base, **{lang: v for lang, o in p.i18n.items() if (v := getattr(o, over))}}
        out.append(Fact(f"{p.id}/{kind}", p.id, "point", tuple(attributes.detect(base))[:1], texts,
                        tuple(texts.values()), "", _numbers(*texts.values())))
    return out


def product_facts(p: Product) -> list[Fact]:
    stating = _price_facts(p) + _spec_facts(p) + _list_facts(p, "faq", "faq")
    # A name or tagline measures too ("Toilet Gel (750 ml)"): the volume, when nothing else says it.
    return (stating + _measuring(_list_facts(p, "selling_points", "point") + _tagline(p), stating)
            + _list_facts(p, "notices", "notice"))


def _measuring(points: list[Fact], stating: list[Fact]) -> list[Fact]:
    """A selling point that measures something no spec or FAQ measures, or a state of it they do
    not ("卷起直径约15厘米" beside a flat size), answers that attribute too."""
    from vhost.brain.reading import qualified  # reading -> retrieval -> this module

    known = {a for f in stating for a in f.attrs}
    out = []
    for f in points:
        text = " ".join(f.texts.values())
        extra = [a for a in unit_attrs(text) if a not in known or qualified(text)]
        out.append(replace(f, attrs=tuple(dict.fromkeys([*f.attrs, *extra]))))
    return out


def shop_facts(catalog: Catalog) -> list[Fact]:
    facts = []
    # A policy the catalog gives in one translation only (an `invoice` under [shop.i18n.zh] and
    # not in [shop]) is still the shop's word, in that language.
    keys = [*catalog.shop.policies, *(k for over in catalog.shop.i18n.values() for k in over)]
    for key in dict.fromkeys(keys):
        base = catalog.shop.policies.get(key)
        # a policy written in Chinese where the English goes ("保价30天：..."): Chinese, to translate
        texts = {"zh" if base and detect_language(base) == "zh" else "en": base} if base else {}
        for lang, over in catalog.shop.i18n.items():
            if over.get(key):
                texts[lang] = over[key]
        if not texts:
            continue
        text = next(iter(texts.values()))
        attr = attributes.of_key(key)
        attrs = (attr,) if attr else ()
        zh_key = chinese_for(_key_words(key))  # an English-only "hemming" is found by "能改短不"
        facts.append(Fact(f"shop/{key}", None, "policy", attrs, texts,
                          (f"{_key_words(key)}: {text}", *texts.values(), *([zh_key] if zh_key and "zh" not in texts else [])),
                          key, _numbers(text)))
    return facts


@dataclass
class KnowledgeBase:
    """Every fact of a catalog, by product, plus the shop's policies."""

    catalog: Catalog
    by_product: dict[str, list[Fact]] = field(default_factory=dict)
    shop: list[Fact] = field(default_factory=list)
    scope: dict[str, list[Fact]] = field(default_factory=dict)  # the shop's facts per product

    @classmethod
    def build(cls, catalog: Catalog) -> KnowledgeBase:
        return cls(catalog, {p.id: product_facts(p) for p in catalog.products}, shop_facts(catalog))

    def facts(self, product_id: str | None) -> list[Fact]:
        """The facts a question about this product may be answered from (its own and the shop's)."""
        if not product_id:
            return list(self.shop)
        if product_id not in self.scope:  # a policy naming other products only is not its policy
            self.scope[product_id] = [f for f in self.shop if applies(f, product_id, self.catalog)]
        return [*self.by_product.get(product_id, []), *self.scope[product_id]]

    def all(self) -> list[Fact]:
        return [f for fs in self.by_product.values() for f in fs] + self.shop

    def get(self, fact_id: str) -> Fact | None:
        return next((f for f in self.all() if f.id == fact_id), None)

    def notices(self, product_id: str) -> list[Fact]:
        return [f for f in self.by_product.get(product_id, []) if f.kind == "notice"]
