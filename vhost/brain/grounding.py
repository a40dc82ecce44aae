"""Check that every number the host is about to say comes from the catalog.

A 0.5B model invents prices and specs readily, and a wrong price spoken on a shopping stream
is a real problem. So before a reply is spoken, its numeric claims (money, percentages,
numbers with units) are extracted, in English and Chinese, and each must match a number of
the same kind and unit in the product's facts. A reply with no numeric claims is grounded:
this checks numbers, not prose.

Text is first rewritten to digits (Chinese numerals, English number words, 万, 百分之, 折), then
one set of digit patterns finds the claims. The same extractor runs over the facts, so
"1-2 business days" in the catalog and "ships in 1 to 2 days" in a reply agree by construction.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from vhost.brain.catalog import Catalog, Product

# ---------------------------------------------------------------- numbers to digits

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_MULT = {"十": 10, "百": 100, "千": 1000}
# Not after 这/那/哪 ("这一款颜色" is "this colorway", not "1 color"), 第 (an ordinal), 老 (老二 is a child) or a digit
# ("5万" is handled as 5 x 10000 below); after 每 only a count ("每三个月" is every 3 months,
# "每一个" just "each").
_CN_RUN = re.compile(
    r"(?<![这那哪第老\d])(?!(?<=每)一(?![零〇一二两三四五六七八九十百千万点]))"
    r"[零〇一二两三四五六七八九十百千万]+(?:点[零〇一二三四五六七八九]+)?"
)

_EN_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}  # fmt: skip
_EN_TENS = {w: 10 * (i + 2) for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())}  # fmt: skip
_EN_WORD = (
    "(?:"
    + "|".join(sorted([*_EN_TENS, *_EN_UNITS, "hundred", "thousand"], key=len, reverse=True))
    + ")"
)
# No "and" inside a run: "between two and three hours" must stay two numbers.
_EN_RUN = re.compile(
    rf"\b{_EN_WORD}(?:[\s-]+{_EN_WORD})*(?:\s+point(?:\s+{_EN_WORD})+)?\b", re.IGNORECASE
)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _cn_int(s: str) -> int | None:
    if not any(c in _CN_MULT or c == "万" for c in s):
        # "二零二四" / "七五" are read digit by digit.
        return int("".join(str(_CN_DIGITS[c]) for c in s)) if s else None
    total = section = digit = 0
    for c in s:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c in _CN_MULT:
            section += (digit or 1) * _CN_MULT[c]
            digit = 0
        else:  # 万
            total += (section + digit or 1) * 10000
            section = digit = 0
    return total + section + digit


def _cn_to_digits(m: re.Match[str]) -> str:
    whole, _, frac = m.group(0).partition("点")
    n = _cn_int(whole)
    if n is None:
        return m.group(0)
    if frac:
        return f"{n}." + "".join(str(_CN_DIGITS[c]) for c in frac)
    return str(n)


def _en_to_digits(m: re.Match[str]) -> str:
    words = re.split(r"[\s-]+", m.group(0).lower())
    total = current = 0
    frac = ""
    in_frac = False
    for w in words:
        if w == "point":
            in_frac = True
        elif in_frac:
            frac += str(_EN_UNITS.get(w, 0) % 10)
        elif w in _EN_UNITS:
            current += _EN_UNITS[w]
        elif w in _EN_TENS:
            current += _EN_TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w == "thousand":
            total += (current or 1) * 1000
            current = 0
    n = total + current
    return f"{n}.{frac}" if frac else str(n)


def _to_digits(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)  # full-width digits, ％, ＄, ￥
    # 百分之三十 -> 三十% before the numeral pass turns 百 into a multiplier.
    text = re.sub(r"百分之", "%PCT%", text)
    # "挂一块", "放一块儿" is "together", not one yuan
    text = re.sub(r"(?<=[挂放在装洗用搭配混凑堆拼绑粘缝叠跟和])一块(?=儿|[^钱一二两三四五六七八九\d]|$)", "一起", text)
    text = _CN_RUN.sub(_cn_to_digits, text)
    text = re.sub(r"%PCT%\s*(\d+(?:\.\d+)?)", r"\1%", text).replace("%PCT%", "百分之")
    text = _EN_RUN.sub(_en_to_digits, text)
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)  # 50,000 -> 50000, 2,200米 -> 2200米
    # 24块9毛9 / 9元5毛 -> 24.99块 / 9.5元 (毛 = dime, 分 = cent).
    text = re.sub(r"(\d+)\s*(块|元)\s*(\d)\s*毛\s*(\d)?\s*分?",
                  lambda m: f"{m.group(1)}.{m.group(3)}{m.group(4) or ''}{m.group(2)}", text)
    # 5万 / 1.2万 -> 50000 / 12000 (a digit before 万 survives the numeral pass).
    text = re.sub(
        r"(\d+(?:\.\d+)?)\s*万", lambda m: _fmt(round(float(m.group(1)) * 10000, 6)), text
    )
    return text


# ---------------------------------------------------------------- claim patterns

_NUM = r"(?<![A-Za-z0-9.])(\d+(?:\.\d+)?)"
_RANGE = rf"{_NUM}(?:\s*(?:-|–|~|to|and|or|到|至|或)\s*(\d+(?:\.\d+)?))?"

_SYMBOL_CURRENCY = {"us$": "USD", "$": "USD", "usd": "USD", "¥": "CNY", "rmb": "CNY",
                    "cny": "CNY", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP"}  # fmt: skip
_MONEY_PREFIX = re.compile(r"(US\$|\$|USD|¥|RMB|CNY|€|EUR|£|GBP)\s*(\d+(?:\.\d+)?)", re.IGNORECASE)
_MONEY_SUFFIX = re.compile(
    rf"{_NUM}\s*(dollars?|bucks?|usd|美元|美金|euros?|人民币|rmb|yuan|元|块钱|块)(?![A-Za-z])(\d{{1,2}})?",  # "1 bucket" is no money
    re.IGNORECASE,
)
_SUFFIX_CURRENCY = {"dollar": "USD", "dollars": "USD", "buck": "USD", "bucks": "USD",
                    "usd": "USD", "美元": "USD", "美金": "USD", "euro": "EUR",
                    "euros": "EUR", "人民币": "CNY", "rmb": "CNY", "yuan": "CNY",
                    "元": "CNY"}  # fmt: skip
# 元 alone means renminbi ("24.99元" on a USD product is a wrong currency); 块/块钱 is colloquial
# for any currency unit, so it stays unsaid ("").
_PERCENT = re.compile(rf"{_NUM}\s*(?:%|percent\b|per\s+cent\b|pct\b)", re.IGNORECASE)
_ZHE = re.compile(rf"{_NUM}\s*折")  # 7折 = 30% off, 8.5折 = 15% off
_STOCK_PREFIX = re.compile(rf"(?:还剩|剩下|剩余|只剩|库存)(?:还有|只有)?\s*{_NUM}")
_STOCK_SUFFIX = re.compile(
    rf"{_NUM}\s*(?:(?:[A-Za-z]+\s+)?(?:left|in\s+stock|remaining)\b|units?\b|pieces?\b|pcs\b|件|台)",
    re.IGNORECASE,
)

# Canonical unit -> spellings (the alternation is built longest first). No seconds: "give me
# one second" is filler, not a spec.
_UNITS: dict[str, tuple[str, ...]] = {
    "hour": ("hours", "hour", "hrs", "hr", "h", "小时", "钟头"),
    "minute": ("minutes", "minute", "mins", "min", "分钟"),
    "day": ("days", "day", "工作日", "天", "日"),
    "week": ("weeks", "week", "周", "星期"),
    "month": ("months", "month", "月"),
    "year": ("years", "year", "yrs", "yr", "年"),
    "ml": ("milliliters", "millilitres", "ml", "毫升"),
    "l": ("liters", "litres", "liter", "litre", "升", "l"),  # "38 L"
    "oz": ("ounces", "ounce", "oz", "盎司"),
    "kg": ("kilograms", "kilogram", "kg", "公斤", "千克"),
    "g": ("grams", "gram", "g", "克"),
    "mah": ("mah", "毫安时", "毫安"),
    "w": ("watts", "watt", "w", "瓦"),
    "v": ("volts", "volt", "v", "伏"),
    "k": ("kelvin", "k"),
    "lm": ("lumens", "lumen", "lm", "流明"),
    "degree": ("degrees", "degree", "°c", "℃", "摄氏度", "°", "度"),  # Celsius: "-20 °C", "40℃"
    "fahrenheit": ("°f", "℉", "fahrenheit", "华氏度"),
    "cm": ("centimeters", "centimetres", "cm", "厘米", "公分"),
    "mm": ("millimeters", "millimetres", "mm", "毫米"),
    "m": ("meters", "metres", "meter", "metre", "m", "米"),  # "5m cable", "7米线"
    "km": ("kilometers", "kilometres", "kilometer", "kilometre", "km", "公里", "千米"),
    "inch": ("inches", "inch", "英寸"),
    "level": ("levels", "level", "档", "挡", "级"),
    "mode": ("modes", "mode", "settings", "种模式", "种色温", "种光", "模式", "色温"),
    "color": ("colors", "colours", "color", "colour", "种颜色", "款颜色", "个颜色", "颜色", "色"),
}
_UNIT_OF = {s: u for u, spellings in _UNITS.items() for s in spellings}
UNIT_SPELLINGS = frozenset(_UNIT_OF)  # every unit word a quantity is read with ("hours", "毫升")


def unit_of(spelling: str) -> str | None:
    """The unit a spelling names ("litres", "升", "L" -> "l"), None when it names none."""
    return _UNIT_OF.get(spelling.casefold())


# A few words may sit between a number and its unit ("5 brightness levels", "2 business days").
_FILLER = (
    r"(?:(?:brightness|color|colour|light|lighting|business|working|play|playback|listening"
    r"|battery|more|extra|full|total)\s+)?"
)
_UNIT_ALT = "|".join(sorted((re.escape(s) for s in _UNIT_OF), key=len, reverse=True))
_QUANTITY = re.compile(
    # Latin units end at a word boundary (so "8 hot" is not 8 h); CJK units need none.
    rf"{_RANGE}\s*-?\s*个?\s*{_FILLER}({_UNIT_ALT})(?![A-Za-z])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Claim:
    kind: str  # "money", "percent", "stock" or "quantity"
    value: float
    unit: str  # currency code ("" when unsaid, e.g. 元/块), "%", "stock" or a canonical unit
    text: str  # the matched text, after numbers were rewritten to digits


@dataclass(frozen=True)
class GroundingResult:
    grounded: bool
    claims: list[str]
    mismatches: list[str]


def extract_claims(text: str) -> list[Claim]:
    """Numeric claims in `text` (English or Chinese), in reading order."""
    t = _to_digits(text)
    found: list[tuple[int, int, list[Claim]]] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], claims: list[Claim]) -> None:
        s, e = m.span()
        if any(s < te and ts < e for ts, te in taken):
            return  # already claimed by a more specific pattern
        taken.append((s, e))
        found.append((s, e, claims))

    for m in _MONEY_PREFIX.finditer(t):
        add(
            m, [Claim("money", float(m.group(2)), _SYMBOL_CURRENCY[m.group(1).lower()], m.group(0))]
        )
    for m in _MONEY_SUFFIX.finditer(t):
        word, cents = m.group(2).lower(), m.group(3)
        value = float(m.group(1))
        if cents and word in ("块", "元"):  # 9块9 = 9.90, 24块99 = 24.99
            value = float(f"{m.group(1)}.{cents}")
        add(m, [Claim("money", value, _SUFFIX_CURRENCY.get(word, ""), m.group(0))])
    for m in _PERCENT.finditer(t):
        add(m, [Claim("percent", float(m.group(1)), "%", m.group(0))])
    for m in _ZHE.finditer(t):
        v = float(m.group(1))
        off = 100 - v * 10 if v < 10 else 100 - v  # 7折 / 75折
        add(m, [Claim("percent", round(off, 6), "%", m.group(0))])
    for m in _STOCK_PREFIX.finditer(t):
        add(m, [Claim("stock", float(m.group(1)), "stock", m.group(0))])
    for m in _QUANTITY.finditer(t):
        unit = _UNIT_OF[m.group(3).lower()]
        values = [m.group(1)] + ([m.group(2)] if m.group(2) else [])
        add(m, [Claim("quantity", float(v), unit, m.group(0)) for v in values])
    for m in _STOCK_SUFFIX.finditer(t):
        add(m, [Claim("stock", float(m.group(1)), "stock", m.group(0))])
    found.sort(key=lambda x: x[0])
    return [c for _, _, claims in found for c in claims]


def _list_count(value: str) -> int:
    return len([x for x in re.split(r"\s*(?:,|、|，|/|\band\b)\s*", value) if x.strip()])


def allowed_claims(product: Product, catalog: Catalog) -> list[Claim]:
    """Every numeric fact the host may state while `product` is on screen."""
    facts: list[Claim] = [
        Claim("money", product.price, product.currency, "price"),
        Claim("stock", float(product.stock), "stock", "stock"),
    ]
    if product.original_price is not None:
        facts.append(Claim("money", product.original_price, product.currency, "was"))
        facts.append(
            Claim(
                "money",
                round(product.original_price - product.price, 2),
                product.currency,
                "saving",
            )
        )
    if product.discount_percent is not None:
        facts.append(Claim("percent", float(product.discount_percent), "%", "discount"))
    for lang in ["en", *product.i18n]:
        facts.extend(extract_claims(product.facts_text(lang)))
        own = product.localized(lang)  # the name and tagline are said as facts too ("一年四季")
        facts.extend(extract_claims(f"{own.name} {own.tagline or ''}"))
    # "comes in three colors" is true when the colors spec lists three.
    for key, value in product.specs.items():
        if key.lower().replace("colour", "color") in ("color", "colors"):
            facts.append(Claim("quantity", float(_list_count(value)), "color", key))
    # The shop's policies ("free shipping over 88元", "7-day returns") and the product's notices
    # are facts as well.
    shop = catalog.shop
    for text in [*shop.policies.values(), *(t for o in shop.i18n.values() for t in o.values()),
                 *product.notices, *(n for o in product.i18n.values() for n in (o.notices or []))]:
        facts.extend(extract_claims(text))
    # The prompt names the other products with their prices, so those may be spoken too.
    for other in catalog.others(product.id):
        facts.append(Claim("money", other.price, other.currency, other.id))
    return facts


def _matches(claim: Claim, fact: Claim) -> bool:
    if claim.kind != fact.kind:
        return False
    if claim.kind == "money":
        return abs(claim.value - fact.value) < 0.005
    if claim.kind == "percent":
        return abs(claim.value - fact.value) <= 1.0  # 28.6% may be said as 28% or 29%
    if claim.unit != fact.unit:
        return False
    return abs(claim.value - fact.value) <= 1e-6 * max(1.0, abs(fact.value))


# Words that make an amount a saving ("save $20", "$20 off", "省20美元", "便宜了20块").
_SAVING_CUE = re.compile(r"save|saving|off|less|cheaper|discount|省|便宜|优惠|减|少", re.IGNORECASE)


def backed(claim: Claim, digits_text: str, facts: list[Claim]) -> bool:
    """Does a fact back `claim` as it is said in `digits_text` (the reply after _to_digits)?

    An amount that equals only the saving ($59.99 - $39.99 = $20) is backed only when said as a
    saving: measured on held-out questions, "是不是二十美元？" got "是的，价格是二十美元" past a
    value-only check.
    """
    matching = [f for f in facts if _matches(claim, f)]
    if not matching:
        return False
    if claim.kind == "money" and all(f.text == "saving" for f in matching):
        pos = digits_text.find(claim.text)
        around = digits_text[max(0, pos - 16):pos + len(claim.text) + 10] if pos >= 0 else ""
        return bool(_SAVING_CUE.search(around))
    return True


def check_grounding(reply: str, product: Product, catalog: Catalog) -> GroundingResult:
    """Is every number in `reply` backed by the facts of `product` (or the other prices)?"""
    claims = extract_claims(reply)
    digits = _to_digits(reply)
    facts = allowed_claims(product, catalog)
    currencies = {product.currency, *(o.currency for o in catalog.others(product.id))}
    mismatches: list[str] = []
    for c in claims:
        if c.kind == "money" and c.unit and c.unit not in currencies:
            mismatches.append(f"'{c.text}': prices are in {product.currency}, not {c.unit}")
        elif not backed(c, digits, facts):
            if any(_matches(c, f) for f in facts):
                mismatches.append(f"'{c.text}': only the saving is {_fmt(c.value)}, said as a price")
                continue
            what = c.unit if c.kind == "quantity" else c.kind
            mismatches.append(f"'{c.text}': no {what} of {_fmt(c.value)} in the facts")
    return GroundingResult(not mismatches, [c.text for c in claims], mismatches)
