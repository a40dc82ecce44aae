"""The parts of a message that asks several things ("how much, and how big?", "功率多大 转速多少"),
and the phrases that frame a question rather than ask one."""

from __future__ import annotations

import re
import unicodedata

from vhost.brain import attributes
from vhost.brain.clauses import ZH_SPACE
from vhost.brain.reading import is_question
from vhost.brain.retrieval import tokens

# A message asking two things ("how much, and how big?"); the second fact needs this score.
# Chinese chat parts two questions by a space too ("功率多大 转速多少").
SEVERAL = re.compile(rf"[?？].+\S|\band\b|\bn\b|&|\s\+\s|和|还有|以及|、|(?:，|{ZH_SPACE.pattern}).*(?:吗|多少|几|么|多[大久长重厚高宽远深粗]|咋|啥|怎么|什么|哪)",
                     re.IGNORECASE)
# The price of a part bought on its own ("an extra battery on its own? how much", "滤芯单买多少钱"):
# not the product's price, whatever else the line says.
PART_PRICE = re.compile(r"(?i)\b(?:extra|spare|replacement|additional)\s+[a-z]+[^?.!]{0,30}\b(?:on (?:its|their) own|"
                        r"separately|alone|by itself)\b|(?:单买|单独买|单独卖|另买|另外买|单卖)")
# A part that is bought again and again ("refill cartridges for the tap filter, how much?", "替换滤芯
# 多少钱", "how often do u change the filter n how much is a new one?"): its price is not the product's.
PART_WORD = re.compile(r"(?i)\b(?:refills?|replacements?|spares?|cartridges?|filters?|(?:brush|razor|mop|shaver) heads?|"
                       r"membranes?|consumables?|subscriptions?|renewals?|memberships?|cloud plans?)\b|替换|替芯|滤芯|滤网|耗材|备用|补充装|替换装|换一次|换新的|"
                       r"续费|续订|会员费|订阅|云存储")  # a plan paid again is no price of the product

_NEW_ONE = re.compile(r"(?i)\bnew ones?\b|\ba new\b|\bfresh ones?\b|换一次|换新|换的")


def asks_part_price(text: str, names: tuple[str, ...] = ()) -> bool:
    """The price of a part on its own is asked (`PART_PRICE`), not of a product named as bought
    alone ("那个二合一的单买多少钱": the wash station's own price, its name before 单买); or a
    part bought again (`PART_WORD`) that names no product ("the tap filter" is the faucet filter)."""
    def part_in(clause: str) -> bool:
        return any(not any(w.group(0).casefold() in n for n in names) for w in PART_WORD.finditer(clause))
    norm = unicodedata.normalize("NFKC", text)
    priced = [p for p in question_parts(norm) or [norm] if "price" in attributes.detect(p)] or [norm]
    if any(part_in(p) for p in priced) or _NEW_ONE.search(" ".join(priced)) and part_in(norm) and not any(
            len(n) >= 2 and n in p.casefold() for p in priced for n in names):  # "how often do u change the filter n how much is a new one?"
        return True  # not "faucet filter price? and how long does one cartridge last"
    m = PART_PRICE.search(text)
    if m is None:
        return False
    before = unicodedata.normalize("NFKC", text[:m.start()]).casefold().rstrip().removesuffix("的").rstrip()
    return not any(len(n) >= 2 and before.endswith(n) for n in names)


_PARTS = re.compile(r"[?？;；]+|\band\b|\bn\b|&|\s\+\s(?![^?？]*\b(?:together|bundle|combo|set|deal)\b)|还有|以及",
                    re.IGNORECASE)  # "how much n how many?", "price + how heavy?", not "rod + reel together"
# "going back to the purifier - ...", "back to the earbuds: ...", "回到刚才那个净化器，...".
FRAME = re.compile(r"^\s*(?:ok(?:ay)?,?\s*|so,?\s*)?(?:going back|back|coming back|returning)\s+to\s+[^-:,?]{1,40}[-:,]|"
                   r"^\s*(?:回到|说回|再问一下|还是问)[^，,：:？?]{1,15}[，,：:]", re.IGNORECASE)


def _gap_split(part: str) -> list[str]:
    """A Chinese part cut at its spaces when two pieces or more ask ("功率多大 转速多少"), a piece
    that tells kept with the question it goes with ("公司要订50盒发员工 能便宜点不" | "盒子上能印logo吗");
    "我老是忘记关 它多久会自己断电" tells, then asks: one question."""
    pieces = [p for p in ZH_SPACE.split(part) if p.strip()]
    if sum(map(is_question, pieces)) < 2:
        return [part]
    out, told = [], ""  # a piece that tells goes with the question after it, or before it at the end
    for p in pieces:
        if is_question(p):
            out, told = [*out, f"{told} {p}".strip()], ""
        else:
            told = f"{told} {p}".strip()
    return [*out[:-1], f"{out[-1]} {told}".strip()]


# A condition, not a question ("if i pick a colour n hate it, can i return?").
CONDITION = re.compile(r"(?i)(?:^|[\s\-,])(?:if|once)\b|如果|要是|万一|假如")


def question_parts(text: str) -> list[str]:
    """The questions of a message that asks several (none when it asks one)."""
    parts = [q for p in _PARTS.split(text) for q in _gap_split(p)]
    parts = [p for p in parts if p and (tokens(p) or attributes.detect(p))]
    asking = [p for p in parts if is_question(p)]
    parts = asking if asking and len(asking) < len(parts) and len(asking) > 1 else parts
    return parts if len(parts) > 1 and SEVERAL.search(text) else []


# A variant named by what sets it apart ("近视款", "儿童版", "the myopia version"); not "这款".
_VARIANT = re.compile(r"([\u4e00-\u9fff]{1,3})(?:款|版)|\b(?!this\b|that\b|the\b|new\b)([a-z]+)\s+(?:version|edition)\b|"
                      r"\b(?:the\s+)?(bigger|larger|smaller|big|small|large|xl|l|s)\s+(?:one|size)\b|(大号|小号|大码|小码|大尺寸|小尺寸)",
                      re.IGNORECASE)
_NOT_VARIANT = tuple("这那此同哪新爆一两几各")


def names_variant(text: str) -> bool:
    """The message names a variant of the product by what sets it apart."""
    return any(m.group(2) or m.group(3) or m.group(4) or not m.group(1).endswith(_NOT_VARIANT)
               for m in _VARIANT.finditer(text))


# A product named by whom it is for ("儿童这套", "the kids one"): which product, not an age asked.
AUDIENCE_NAME = re.compile(r"(?:儿童|孩子|宝宝|小孩)(?:的)?(?:这|那)(?:套|款|个|件)|(?:儿童|宝宝)款|"
                           r"(?:儿童|小孩|宝宝)的(?=\s*(?:多[大重高长宽少]|几|什么|啥|怎么))|"  # "儿童的多重": the kids' one
                           r"\bthe (?:kids?'?|children'?s|baby) (?:one|set|version)\b", re.IGNORECASE)


# A value guessed after the question that asks it ("哪里产的 海南的吗", "what colour? red?", "保质期多久
# 一年的吧"): the fact giving the value answers the guess too. Only for attributes whose fact states
# the value itself: "哪里发货 顺丰的吗" guesses a courier, which "ships from Hangzhou" does not say.
_VALUE_ATTRS = frozenset({"origin", "material", "color", "scent", "volume", "weight", "size", "count",
                          "shelf_life", "warranty"})
_GUESS_ZH = re.compile(r"^\s*(?:是|是不是)?([^\s，,。？?！!]{1,4})的(?:吗|吧|嘛|么|呀)?\s*[?？!！。]*\s*$")
_GUESS_EN = re.compile(r"^\s*(?:is it|it's|its|or|maybe)?\s*([a-z0-9][a-z0-9 .-]{0,20}?)\s*(?:right|rite)?\s*[?？]+\s*$",
                       re.IGNORECASE)


def guesses_value(part: str, attrs: list[str]) -> bool:
    """`part` only guesses a value of the first attribute asked (`attrs`), a value attribute."""
    if not attrs or attrs[0] not in _VALUE_ATTRS:
        return False
    m = _GUESS_ZH.match(part) or _GUESS_EN.match(part)
    # a value of the attribute asked is what is guessed ("red" is a colour); another attribute is asked
    return m is not None and len(tokens(m.group(1))) <= 2 and not set(attributes.detect(m.group(1))) - {attrs[0]}


# The shop's name is a policy line ("name = Silk & Root Hair Lab"), but its words are a brand, not
# a fact about anything ("is the satin real silk?"): it answers only a question about the shop.
SHOP_NAME_KEYS = frozenset({"name", "shop_name", "store_name", "title"})
ASKS_SHOP_NAME = re.compile(r"(?i)\b(?:shop|store|channel)\b.{0,12}\b(?:name|called)\b|"
                             r"\bwho\s+(?:is|are)\s+(?:this|the)\s+(?:shop|store|seller)|"
                             r"店.{0,3}(?:名|叫)|叫什么店|哪家店|什么店|直播间.{0,3}(?:名|叫)")


_PIECES = re.compile(rf"[，,。!！~～]+|{ZH_SPACE.pattern}")


def asking_piece(text: str) -> str | None:
    """The one piece of a message that asks, when the others tell ("有法式的吗 白边那种 上班戴不会太
    夸张": what is asked is the first; "上班戴" says what for), so the fact is sought by it alone."""
    pieces = [p for p in _PIECES.split(unicodedata.normalize("NFKC", text)) if p and tokens(p)]
    asking = [p for p in pieces if is_question(p)]
    return asking[0] if len(asking) == 1 and len(pieces) > 1 else None
