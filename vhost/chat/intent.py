"""What a chat line is: normalized text, intent (EN + ZH), topic, prompt-injection screen.

Pure functions on one line of text, shared by triage and the show; regexes rather than a model
because they run on every message of a 2,000 msgs/s burst and must explain themselves.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

MAX_TEXT_CHARS = 300
INTENTS = ("safety", "purchase", "question", "complaint", "greeting", "spam", "other")

_SPAM = re.compile(
    r"https?://|www\.|\b[\w-]+\.(?:com|net|org|io|gg|xyz|ly|me|tv|co|top|site|shop)\b"
    r"|\bfollow\s*(?:me|back|4|for)\b|free\s+(?:followers|subs|views|likes)|\bsub\s*4\s*sub\b"
    r"|check\s+(?:out\s+)?my\s+(?:profile|channel|page)|\bdm\s+me\b"
    r"|关注我|加我|加微信|加v|免费粉|刷粉|互粉",
    re.IGNORECASE,
)
# The same character 7+ times ("!!!!!!!", "aaaaaaaa"): flooding, not a message.
_REPEAT = re.compile(r"(\S)\1{6,}")
_COMPLAINT = re.compile(
    r"\b(?:scam|fake|broken|broke|terrible|awful|worst|refund|rip\s*-?\s*off|waste\s+of\s+money"
    r"|never\s+(?:arrived|came|got)|(?:didn'?t|did\s+not|hasn'?t|has\s+not)\s+(?:arrive|come)"
    r"|not\s+(?:received|delivered)|disappointed|doesn'?t\s+work|stopped\s+working|poor\s+quality"
    r"|complain\w*|cheated|overpriced)\b"
    r"|骗子|骗人|假货|坏了|退款|退货|差评|没收到|还没到|没到货|太差|质量差|不满意|投诉|上当|垃圾货|坑人",
    re.IGNORECASE,
)
# A question where a wrong or late answer could hurt someone: answered first (allergies, a child's
# age, pregnancy, choking, burns, batteries, medicine).
_SAFETY = re.compile(
    r"\b(?:allerg\w*|anaphyla\w*|nut[- ]free|gluten|lactose|pregnan\w*|breast-?feeding|choke|choking|swallow\w*"
    r"|small\s+parts|toxic|poison\w*|burns?|overheat\w*|explode\w*|fire\s+hazard|safe\s+for\s+(?:my\s+)?"
    r"(?:baby|babies|kids?|child(?:ren)?|toddlers?|dogs?|cats?|pets?)|(?:\d+|one|two|three|four|five)[- ]?"
    r"(?:years?|months?)[- ]old|medication|medicine|eczema|rash)\b"
    r"|过敏|孕妇|孕期|哺乳|误食|吞|噎|卡喉|小零件|有毒|毒性|烫伤|爆炸|自燃|起火|安全吗|\d+岁|[一二两三四五六]岁|个月大|宝宝能|孩子能|湿疹",
    re.IGNORECASE,
)
_PURCHASE = re.compile(
    r"\b(?:buy|buying|purchase|order(?:ing|ed)?|checkout|check\s+out|add(?:ed)?\s+to\s+cart"
    r"|i'?ll\s+take|i\s+want\s+(?:one|two|it|this|that|the)|take\s+my\s+money|in\s+my\s+cart)\b"
    r"|买|下单|购买|付款|拍了|拍一|拍下|要一个|要两个|上链接|链接在哪",
    re.IGNORECASE,
)
_QUESTION = re.compile(
    r"[?？]"
    r"|^\s*(?:how|what|what's|whats|when|where|which|who|why|is|are|does|do|did|can|could"
    r"|will|would|should|any)\b"
    r"|\b(?:how\s+much|how\s+long|how\s+many|price|cost|ship(?:ping)?|discount|deal)\b"
    r"|多少|怎么|吗|什么|几|哪|呢|能不能|是不是|有没有|价格|价钱|包邮|发货",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^\s*(?:hi|hii+|hello|hey|heya|hiya|yo|howdy|hola|sup|greetings"
    r"|good\s+(?:morning|afternoon|evening)|what'?s\s+up)\b"
    r"|你好|您好|大家好|哈喽|嗨|早上好|晚上好|下午好|来了"
    # "主播好", "家人们晚上好", not "主播好漂亮" (a compliment)
    r"|^\s*(?:主播|各位|家人们|宝宝们|姐妹们|老铁们?)(?:早上|中午|下午|晚上)?好(?=$|[\s!！~～。，,呀啊哇鸭])",
    re.IGNORECASE,
)
# Obvious attempts to steer the host's model: not answered (the operator sees why).
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+|these\s+)*"
    r"(?:previous\s+|prior\s+|above\s+|earlier\s+|system\s+|original\s+)*"
    r"(?:instructions?|prompts?|rules|directions|guidelines|programming)\b"
    r"|\b(?:system|developer)\s+(?:prompt|message|mode)\b|\bjailbreak|\bDAN\s+mode\b"
    r"|\b(?:reveal|show|print|repeat|tell\s+me)\s+(?:me\s+)?(?:your|the)\s+(?:system\s+)?"
    r"(?:prompt|instructions|rules)\b"
    r"|\byou\s+are\s+now\s+(?:a|an|my|in)\b|\bpretend\s+(?:to\s+be|you\s+are)\b"
    r"|\b(?:act|role-?play)\s+as\s+(?:a|an|my|the)\b"
    r"|<\|(?:im_start|im_end|system|endoftext)\|>|\[/?INST\]|<</?SYS>>|^\s*(?:system|assistant)\s*:"
    r"|忽略(?:之前|以上|前面|上面|所有|你的)?的?(?:所有)?(?:指令|指示|提示|规则|设定|要求)"
    r"|无视(?:之前|以上|你的)?的?(?:指令|规则|设定)|系统提示|提示词|你现在是|扮演|开发者模式|越狱",
    re.IGNORECASE,
)
# Product topics: a question about one of these is a product question (ranked above small talk),
# and two questions on the same topic about the same thing are merged.
TOPICS: dict[str, re.Pattern[str]] = {
    name: re.compile(p, re.IGNORECASE)
    for name, p in {
        "price": r"how\s+much|price|cost|\$|多少钱|价格|价钱|几块|贵",
        "discount": r"discount|coupon|deal|sale|promo|code|优惠|打折|折扣|便宜|券|活动",
        "shipping": r"ship|deliver|arrive|postage|包邮|发货|快递|邮费|运费|到货",
        "size": r"\bsize|how\s+big|dimension|\bml\b|capacity|fit|尺寸|尺码|多大|容量|大小|毫升",
        "color": r"colou?r|\bred\b|\bblue\b|\bblack\b|\bwhite\b|\bgreen\b|颜色|色|黑|白|红|蓝",
        "stock": r"in\s+stock|sold\s+out|available|left|库存|还有吗|有货|卖完|现货",
        "material": r"material|made\s+of|plastic|steel|ceramic|cotton|材质|材料|什么做的|陶瓷|不锈钢",
        "usage": r"dishwasher|microwave|waterproof|leak|battery|charge|wash|warrant|洗碗机|微波炉|防水|电池|充电|保修",
    }.items()
}
_STOP = set(
    "a an the is it its this that these those of to for in on at do does did can could will would"
    " you your i me my we our and or be are was how much what which when where who why any there"
    " please pls plz hi hey hello lol lmao haha hahaha xd omg ok okay yes yeah thx thanks ty".split()
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_MENTION = re.compile(r"[@#]\w+")
_STOP_ZH = set("这个那的了吗呢啊吧是有么嘛请问一下你们我")


def normalize_text(text: str) -> str:
    """NFKC (full-width → ASCII), control/format chars dropped, spaces collapsed, capped."""
    if text.isascii() and text.isprintable():  # most chat: nothing to fold (a burst's hot path)
        return " ".join(text.split())[:MAX_TEXT_CHARS]
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    return " ".join(text.split())[:MAX_TEXT_CHARS]


def classify(text: str) -> str:
    """Intent of one chat line: safety, purchase, question, complaint, greeting, spam or other."""
    return classify_normalized(normalize_text(text))


def classify_normalized(t: str) -> str:
    """`classify` for text already through `normalize_text` (triage normalizes once)."""
    if _SPAM.search(t) or _REPEAT.search(t):
        return "spam"
    if _SAFETY.search(t):  # "my kid swallowed a part" is a safety matter before it is a complaint
        return "safety"
    if _COMPLAINT.search(t):  # "I ordered and it never arrived" is a complaint, not a sale
        return "complaint"
    if _PURCHASE.search(t):
        return "purchase"
    if _QUESTION.search(t):
        return "question"
    if _GREETING.search(t):
        return "greeting"
    return "other"


def injection(text: str, normalized: bool = False) -> str | None:
    """The matched phrase when the line tries to instruct the model, else None."""
    m = _INJECTION.search(text if normalized else normalize_text(text))
    return m.group(0) if m else None


def topic(text: str) -> str:
    for name, pattern in TOPICS.items():
        if pattern.search(text):
            return name
    return ""


def content_tokens(text: str) -> frozenset[str]:
    """Words that say *what* is asked about (stop words and topic words removed; CJK by char)."""
    low = _MENTION.sub(" ", text.casefold())  # "@Max" / "#532" say who, not what
    for pattern in TOPICS.values():
        low = pattern.sub(" ", low)
    words = {w[:-1] if len(w) > 3 and w.endswith("s") else w  # "mugs" asks about the mug
             for w in re.findall(r"[a-z0-9]+", low) if w not in _STOP and len(w) > 1}
    words |= {ch for ch in _CJK.findall(low) if ch not in _STOP_ZH}
    return frozenset(words)


def dedupe_key(text: str) -> str:
    # Case, spacing and punctuation don't make a message new ("How much??" == "how much").
    # "@Max" and "#42" address someone or tag a line; they don't change the question.
    bare = _MENTION.sub("", text)
    return "".join(ch for ch in (bare if bare.strip() else text).casefold() if ch.isalnum())


class Analysis(NamedTuple):
    intent: str
    injection: str | None
    key: str
    tokens: frozenset[str]
    topic: str


@lru_cache(maxsize=16_384)
def analyze(normalized: str) -> Analysis:
    """Everything triage needs about one normalized text, cached: a burst repeats itself
    ("666", "how much?"), and the regexes are most of triage's cost per message."""
    return Analysis(classify_normalized(normalized), injection(normalized, normalized=True),
                    dedupe_key(normalized) or normalized, content_tokens(normalized), topic(normalized))
