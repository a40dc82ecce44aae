"""Claims in a model-written line that no catalog fact backs: links, shop policies, product names,
certifications, and a "yes" to a question the facts do not answer.

vhost.brain.guard already checks numbers (and units, via vhost.brain.grounding) and the compliance
rules; this adds the claims a 0.5B model invents most on a shopping stream and that a number check
cannot see: "the link is in my bio", "we ship to Canada", "it's cruelty-free", "the Pro version".
Each check looks for its words in the line and lets them through only when the catalog's facts
(product and shop) contain them.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from vhost.brain.catalog import Catalog, Product
from vhost.brain.materials import unbacked_materials

_LINK = re.compile(r"https?://|www\.|\.(?:com|cn|net|org|io|shop)\b|\blink\s+(?:is\s+)?in\s+(?:my|the)\s+bio"
                   r"|\b(?:dm|message)\s+me\b|\bcoupon\s+code\b|\bpromo\s+code\b|优惠码|私信|加微信|二维码"
                   r"|主页链接|评论区链接|扫码", re.IGNORECASE)
# Words that make a policy or certification claim: said only when a fact says them too.
_POLICY_EN = re.compile(
    r"\b(?:ship(?:s|ping)?\s+(?:to|worldwide|internationally|overseas|abroad)|free\s+(?:shipping|returns?"
    r"|delivery|gift|sample)|returns?|refunds?|exchanges?|warrant(?:y|ies)|cash\s+on\s+delivery"
    r"|installments?|cruelty[- ]free|animal[- ]test\w*|vegan|organic|natural|hypoallergenic|certified"
    r"|fda|ce\s+mark|patent\w*|award[- ]winning|authentic|genuine|official\s+store|limited\s+edition"
    r"|gluten[- ]free|sugar[- ]free|halal|kosher)\b", re.IGNORECASE)
_POLICY_ZH = re.compile(r"包邮|运费|退货|退款|换货|退换|保修|质保|保价|七天无理由|7天无理由|货到付款|分期|"
                        r"正品|官方|授权|认证|专利|获奖|有机|纯天然|天然|无添加|不含|动物实验|零添加|"
                        r"赠品|送礼|限量|海外|国际|港澳台")

# The same policy in the other language: a Chinese line about a warranty the catalog states in
# English ("3-year warranty" -> "3年保修") is backed, and the reverse.
_SAME_POLICY = (("保修", "质保", "warrant"), ("分期", "installment", "instalment"), ("退货", "退款", "退换", "return", "refund"),
                ("换货", "exchange"), ("包邮", "free shipping", "ships free", "free delivery"), ("认证", "certified", "certificat"),
                ("正品", "authentic", "genuine"), ("官方", "official"), ("有机", "organic"), ("纯天然", "天然", "natural"),
                ("赠品", "free gift"), ("限量", "limited edition"), ("专利", "patent"), ("货到付款", "cash on delivery"),
                ("海外", "国际", "overseas", "international"), ("无添加", "零添加", "no additives"))


def _backed(word: str, facts: str) -> bool:
    if word in facts:
        return True
    return any(any(word.startswith(w) or w.startswith(word) for w in group) and any(w in facts for w in group)
               for group in _SAME_POLICY)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def catalog_text(product: Product | None, catalog: Catalog) -> str:
    """Everything the catalog states that a line may repeat: the product's facts in every
    language, its notices, and the shop's policies."""
    parts: list[str] = []
    if product is not None:
        parts += [product.facts_text(lang) for lang in ["en", *product.i18n]]
        parts += [product.tagline, *product.notices]
        for over in product.i18n.values():
            parts += [over.tagline or "", *(over.notices or [])]
    for key, text in catalog.shop.policies.items():
        parts += [key.replace("_", " "), text]
    for over in catalog.shop.i18n.values():
        parts += list(over.values())
    return _norm("\n".join(parts))


def unbacked_claims(text: str, product: Product | None, catalog: Catalog) -> list[str]:
    """Reasons a line claims something the catalog does not (empty: nothing unbacked found)."""
    t = _norm(text)
    facts = catalog_text(product, catalog)
    reasons = []
    for m in _LINK.finditer(t):
        if m.group(0) not in facts:
            reasons.append(f"invented: a link or contact '{m.group(0).strip()}'")
            break
    for pattern in (_POLICY_EN, _POLICY_ZH):
        for m in pattern.finditer(t):
            word = m.group(0).strip()
            if not _backed(word, facts) and not _near_negation(t, m.start()):
                reasons.append(f"invented: a policy or certification '{word}'")
                break
    reasons += [f"invented: a material '{m}'" for m in unbacked_materials(t, facts)]
    reasons += _other_versions(t, product, catalog)
    return reasons


_DIGITS = re.compile(r"(?<![A-Za-z0-9.])(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)")


def _stated_numbers(catalog: Catalog) -> frozenset[float]:
    """Every number the catalog writes in digits, in any product, language or policy (a line
    comparing two products may give either's), plus each product's discount, stock and age."""
    key = id(catalog)
    if (hit := _NUMBERS.get(key)) is not None and hit[0] is catalog:
        return hit[1]
    parts = [catalog_text(p, catalog) for p in catalog.products] + [catalog_text(None, catalog)]
    found = {float(n.replace(",", "")) for n in _DIGITS.findall("\n".join(parts))}
    for p in catalog.products:
        found |= {float(v) for v in (p.discount_percent, p.stock, p.min_age, p.price, p.original_price) if v is not None}
    out = frozenset(found | {0.0, 1.0})
    _NUMBERS.clear()
    _NUMBERS[key] = (catalog, out)
    return out


_NUMBERS: dict[int, tuple[Catalog, frozenset[float]]] = {}


def unbacked_numbers(text: str, catalog: Catalog, names: tuple[str, ...] = ()) -> list[str]:
    """Numbers written in digits that the catalog never writes ("it goes to 260℃", "999 sold
    today"): a unit the claim check does not know must not carry an invented figure past it.
    A viewer's name ("Tom123") is theirs."""
    t = unicodedata.normalize("NFKC", text)
    for name in names:
        t = t.replace(unicodedata.normalize("NFKC", name), " ")
    known = _stated_numbers(catalog)
    bad = [n for n in _DIGITS.findall(t) if float(n.replace(",", "")) not in known]
    return [f"invented: a number '{bad[0]}' the catalog never states"] if bad else []


def _near_negation(text: str, start: int) -> bool:
    before = text[max(0, start - 12):start]
    return bool(re.search(r"\b(?:not sure|don'?t know|no info|not in my notes|check)\b", before)) \
        or any(w in before for w in ("不确定", "没有资料", "不清楚"))


def _other_versions(text: str, product: Product | None, catalog: Catalog) -> list[str]:
    """A model, edition or version the catalog has never heard of ("the Pro version", "Max款")."""
    facts = catalog_text(product, catalog)
    for m in re.finditer(r"\b(pro|max|plus|mini|lite|ultra|\d+(?:th|nd|rd|st)\s+gen(?:eration)?)\s+"
                         r"(?:version|model|edition)s?\b|\bthe\s+(pro|max|mini|lite|ultra)\b", text):
        word = m.group(1) or m.group(2)
        if word not in facts and not any(word in _norm(p.name) for p in catalog.products):
            return [f"invented: a version '{m.group(0)}'"]
    return []


# A run this long copied from the viewer's message into the model's line is the viewer's own
# claim said back as the host's ("听说一盆放三勺没事吧" -> "一盆放三勺没事。").
ECHO_HAN = 6
ECHO_WORDS = 5  # English: "show the red one" (4) is a natural echo, "the quietest blender out there" not


def echoed_claim(text: str, question: str, product: Product | None, catalog: Catalog) -> str | None:
    """Why `text` repeats a claim from `question` that the catalog does not state, or None."""
    if not question:
        return None
    facts = catalog_text(product, catalog)
    t, q = _norm(text), _norm(question)
    if any("\u4e00" <= ch <= "\u9fff" for ch in q):
        a, b = _han(t), _han(q)
        m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
        run = a[m.a:m.a + m.size]
        if m.size >= ECHO_HAN and run not in _han(facts):
            return f"echoes the viewer's claim '{run}'"
        return None
    a, b = re.findall(r"[a-z0-9']+", t), re.findall(r"[a-z0-9']+", q)
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    run = " ".join(a[m.a:m.a + m.size])
    if m.size >= ECHO_WORDS and run not in " ".join(re.findall(r"[a-z0-9']+", facts)):
        return f"echoes the viewer's claim '{run}'"
    return None


def _han(text: str) -> str:
    """The text's Han characters and digits, in order (punctuation and spaces dropped)."""
    return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff" or ch.isdigit())
