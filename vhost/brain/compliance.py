"""What the host must never say, checked on every fragment before it is spoken.

Lists per locale (English and Chinese; a Chinese reply is checked against both, since code-mixed
replies are common):

- absolute claims banned by China's advertising law (Art. 9: 最好, 第一, 国家级, 最佳, 顶级...) and
  their English counterparts ("best ever", "number one", "guaranteed", "100%"...);
- medical and health claims (cures, treats, protects your eyes/hearing, 治疗, 护眼...);
- price promises the catalog does not make ("lowest price", "free shipping forever", 全网最低);
- disparagement of competitors ("better than AirPods", 别家都是垃圾);
- profanity;
- the product's own `compliance_notes` (see `note_rules`), also when a bare "Yes!" answers a
  question about a forbidden topic ("can I swim with them?" -> "可以。").

Each rule is a regular expression; negated mentions ("not for swimming", "不能游泳") pass for the
rules where a negation makes the sentence safe (health, notes), never for absolutes. A phrase the
catalog itself states (e.g. "free in the US", "100% cotton") is allowed: the catalog is the
operator's word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from vhost.brain.catalog import Catalog, Product, product_names


@dataclass(frozen=True)
class ComplianceResult:
    ok: bool
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Rule:
    category: str  # "absolute", "health", "price_promise", "disparagement", "profanity", "note"
    pattern: re.Pattern[str]
    negatable: bool = False  # "not waterproof for swimming" is fine; "not the best" is rare
    # When this pattern also matches the product's facts, the catalog backs the phrase.
    backed_by: re.Pattern[str] | None = None


def _r(p: str) -> re.Pattern[str]:
    return re.compile(p, re.IGNORECASE)


# --- what a line says, however it is written ---------------------------------------------------
# Letters that look Latin (Cyrillic, Greek): "bеst" with a Cyrillic е still says "best". NFKC
# already folds fullwidth (ｂｅｓｔ) and mathematical letters (𝐛𝐞𝐬𝐭).
_CONFUSABLE = str.maketrans(
    "аеорсухіјѕԁһӏкмтвнАВЕКМНОРСТХІЈЅαεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhlkmtbhABEKMHOPCTXIJSaeikvoptuxABEZHIKMNOPTYX")
# Invisible characters (zero-width, joiners, bidi controls, soft hyphen) go; C0/C1 controls become
# a space.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Spelled out: "b e s t", "b.e.s.t", "f-u-c-k" (three or more single letters), "最 好", "最*好".
_SEP = r"[\s.\-_*·•/|~+]{1,3}"
# Before "100%": not a digit ("1100%"), nor a range's lower end ("0-100%", "20%~100%", "到100%")
_RANGE_TOP = (r"(?<![\d.])(?<!\d[-–~～])(?<!\d\s[-–~～]\s)(?<!\d%[-–~～])(?<!\d%\s[-–~～]\s)(?<!\bto\s)(?<!到)(?<!至)")
_SPACED = re.compile(rf"(?<![^\W\d_])[^\W\d_](?:{_SEP}[^\W\d_]){{2,}}(?![^\W\d_])"
                     rf"|[\u3400-\u9fff](?:{_SEP}[\u3400-\u9fff])+")


# Six or more letters spelled out one by one: never how the host talks, always how a viewer hides
# a word ("t e l l e v e r y o n e ...", "c.u.r.e.s"); a reply that repeats it is held.
SPELLED = re.compile(rf"(?<![^\W\d_])[^\W\d_](?:{_SEP}[^\W\d_]){{5,}}(?![^\W\d_])")


def fold(text: str) -> str:
    """`text` as it reads: NFKC, invisible characters removed, controls as spaces, look-alike
    letters as Latin. The rules (and injection detection) are matched on this."""
    t = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return _CONTROL.sub(" ", t).translate(_CONFUSABLE)


def despace(text: str) -> str:
    """`text` with letters spelled out one by one joined up ("b e s t e v e r" -> "bestever")."""
    return _SPACED.sub(lambda m: re.sub(_SEP, "", m.group(0)), text)


_EN_RULES: list[Rule] = [
    Rule("absolute", _r(r"\b(?:the\s+)?best(?:\s+\w+)?\s+(?:ever|in\s+the\s+world|on\s+the\s+market"
                        r"|anywhere|of\s+all\s+time|money\s+can\s+buy)\b")),
    Rule("absolute", _r(r"\b(?:the|our|world'?s|world)\s+(?:very\s+)?best\b(?!\s+(?:part|way|thing"
                        r"|time|bit|seller|selling|deal\s+today))")),
    Rule("absolute", _r(r"\b(?:number\s+(?:one|1)|no\.\s*1|#\s*1)\b|(?<!\w)#1\b")),
    # Glued up, as a spelled-out "b e s t e v e r" reads once joined (despace).
    Rule("absolute", _r(r"best(?:ever|intheworld|onthemarket)|numberone|worldsbest|lowestprice|bestprice")),
    Rule("absolute", _r(r"\bguarantee[ds]?\b|\bwarranted\s+to\b")),
    # The top of a range is a measure, no absolute: "0-100% in 1.5 hours", "charges to 100%"
    Rule("absolute", _r(_RANGE_TOP + r"100\s*(?:%|percent)"), backed_by=_r(r"100\s*%")),
    Rule("absolute", _r(r"\b(?:flawless|unbeatable|unrivall?ed|world[- ]class|top[- ]rated"
                        r"|highest[- ]quality|finest|the\s+only\s+one)\b")),
    Rule("absolute", _r(r"\b(?:never|won'?t\s+ever)\s+(?:break|fail|leak|wear\s+out)s?\b"),
         backed_by=_r(r"never\s+(?:break|fail|leak)")),
    Rule("health", _r(r"\b(?<!\bre-)(?<!\bpre-)(?:cures?|cured|heals?|treats?|prevents?|therapeutic|clinically"  # not "re-treat the fabric"
                      r"|medical[- ]grade|doctor[- ]recommended|FDA[- ]approved)\b"), negatable=True),
    Rule("health", _r(r"\b(?:protects?|saves?|improves?|good\s+for|better\s+for|boosts?)\s+(?:your\s+)?"
                      r"(?:eyes?|eyesight|vision|hearing|ears?|health|sleep|immune\s+system|skin)\b"),
         negatable=True),
    Rule("health", _r(r"\bhelps?\s+(?:you\s+|your\s+)?(?:sleep|relax|focus|see|hear|heal|recover)\b"
                      r"|\b(?:better|deeper)\s+sleep\b|\breduces?\s+(?:stress|anxiety|pain|strain"
                      r"|fatigue|headaches?)\b"), negatable=True),
    Rule("health", _r(r"\b(?:eye|hearing)[- ](?:protection|protecting|safe|care)\b|\banti[- ]?(?:aging"
                      r"|cancer|bacterial|viral)\b"), negatable=True),
    Rule("price_promise", _r(r"\b(?:lowest|cheapest|best)\s+price|\bprice\s+match|\bcheapest\b"
                             r"|\bprices?\s+(?:will\s+)?never\s+(?:be\s+)?(?:this\s+)?low")),
    Rule("price_promise", _r(r"\bfree\s+(?:shipping|delivery)\s+(?:forever|for\s+life|always"
                             r"|worldwide|everywhere)\b|\b(?:forever|lifetime)\s+free\b")),
    Rule("price_promise", _r(r"\bfree\s+(?:shipping|delivery)\b"),
         backed_by=_r(r"\bfree\b")),
    Rule("price_promise", _r(r"\b(?:buy\s+one,?\s+get\s+one|bogo|money[- ]back|full\s+refund"
                             r"|refund\s+guarantee|free\s+gift)\b"),
         backed_by=_r(r"buy one get one|money[- ]back|refund|free gift")),
    # The product itself given away: only the catalog's own "free" (shipping) may be said.
    Rule("price_promise", _r(r"(?<!shipping )(?<!delivery )(?<!upstairs )(?<!installation )(?<!assembly )(?<!setup )"
                             r"\b(?:is|it'?s|are|they'?re|get\s+(?:it|one)"
                             r"|for)\s+(?:totally\s+|completely\s+|100%\s+)?free\b(?!\s+(?:shipping"
                             r"|delivery|in\s+the|replacements?|parts?|exchanges?|repairs?|returns?|pick-?ups?|installation"
                             r"|engraving|samples?|gift\s+wrap\w*|within\s+\d))|\bfree\s+of\s+charge\b|\bcosts?\s+nothing\b"
                             r"|\bgiv(?:e|ing)\s+(?:it|them|these|this)\s+away\b")),
    # ASCII-only edges: a Chinese reply writes "AirPods比..." and \b sees no edge before 比.
    Rule("competitor", _r(r"(?<![A-Za-z])(?:airpods|bose|sony|beats|galaxy\s+buds|jbl|anker|soundcore"
                          r"|stanley|yeti|hydro\s*flask|contigo|ikea|philips|xiaomi|huawei|benq)"
                          r"(?![A-Za-z])"),
         backed_by=_r(r"airpods|bose|sony|beats|jbl|anker|stanley|yeti|contigo|ikea|philips|benq")),
    Rule("disparagement", _r(r"\b(?:better|cheaper|nicer|stronger)\s+than\s+(?:the\s+)?(?:apple|airpods"
                             r"|sony|bose|samsung|beats|stanley|yeti|ikea|xiaomi|huawei|amazon"
                             r"|walmart|other\s+(?:brands?|shops?|stores?|sellers?)|the\s+competition"
                             r"|competitors?)\b")),
    Rule("disparagement", _r(r"\b(?:other|their|competitors?'?|cheap)\s+(?:brands?|shops?|stores?|sellers?"
                             r"|products?|ones?)\s+(?:are|is)\s+(?:junk|trash|garbage|rubbish|fake"
                             r"|knock-?offs?|a\s+scam|scams|terrible|crap)\b")),
    Rule("disparagement", _r(r"\b(?:apple|airpods|sony|bose|samsung|beats|stanley|yeti|xiaomi|huawei)"
                             r"(?:'s)?\s+(?:\w+\s+)?(?:is|are)\s+(?:junk|trash|garbage|overpriced"
                             r"|a\s+rip-?off|terrible|crap)\b")),
    Rule("profanity", _r(r"\b(?:fuck\w*|shit\w*|bitch\w*|bastard|asshole|dickhead|cunt|motherfuck\w*"
                         r"|wtf|bullshit|damn(?:ed|it)?|crap|piss(?:ed)?)\b")),
]

_ZH_NEG = "不没别非无勿未"
_ZH_RULES: list[Rule] = [
    Rule("absolute", re.compile(r"最好|最佳|最优|最强|最低价|最便宜|最高级|最先进|最新科技|最时尚"
                                r"|第一(?![次步个天])|NO\.?1|顶级|极品|国家级|世界级|全球级|宇宙级|极致|首个|首选"
                                r"|独一无二|绝无仅有|史无前例|万能|绝对|永久|王牌|销量冠军"
                                r"|全网销量|遥遥领先", re.IGNORECASE)),
    # as in English: "100%" is an absolute unless the catalog states one ("罩杯内衬100%棉")
    Rule("absolute", re.compile(_RANGE_TOP + r"100\s*%|百分之百"), backed_by=re.compile(r"100\s*%|百分之百")),
    Rule("absolute", re.compile(r"保证|包你|一定会|零风险|无效退款")),
    Rule("health", re.compile(r"治疗|治愈|疗效|药效|根治|护眼|保护(?:眼睛|视力|听力|耳朵)|改善(?:视力|睡眠"
                              r"|听力)|预防\w{0,3}(?:病|近视)|缓解(?:疲劳|疼痛)|抗癌|抗菌|杀菌|消炎|医用"
                              r"|医疗级|药用|减肥|延年益寿|提高免疫|助眠"), negatable=True),
    Rule("price_promise", re.compile(r"全网最低|史低|价格最低|最低价|永久包邮|终身包邮|终身免费"
                                     r"|买一送一|无理由退款|假一赔十|全球包邮")),
    # price protection only as the shop's policy states it ("保价30天")
    Rule("price_promise", re.compile(r"保价\d*天?"), backed_by=re.compile(r"保价|price protection")),
    Rule("price_promise", re.compile(r"包邮|免运费"), backed_by=re.compile(r"包邮|免运费|free")),
    Rule("price_promise", re.compile(r"免费送(?!上楼|货|到|上门|达)|白送|免费领|免费拿|0元购|零元购|不要钱")),
    Rule("competitor", re.compile(r"小米|华为|索尼|博士|漫步者|倍思|象印|膳魔师|飞利浦|明基")),
    Rule("disparagement", re.compile(r"(?:别家|别人家|其他家|其它家|友商|同行|别的店|外面的|某宝|某东|某多多"
                                     # not a viewer's own story: "之前在别家买到过假货" asks if ours is genuine
                                     r"|苹果|小米|华为|索尼)(?:(?!买到|买过|遇到|碰到|收到)\S){0,6}(?:垃圾|假货|骗人|坑人|智商税|太差|不行|渣"
                                     r"|都是坑|山寨)")),
    Rule("disparagement", re.compile(r"比(?:别家|别人家|其他家|友商|同行|苹果|AirPods|小米|华为|索尼)"
                                     r"\S{0,4}(?:好|强|便宜|划算)", re.IGNORECASE)),
    Rule("profanity", re.compile(r"傻[逼比屄]|他妈的?|妈的|操你|草泥马|卧槽|我靠|滚蛋|王八蛋|混蛋|狗屎|屁话"
                                 r"|贱人|(?<![a-z])sb(?![a-z])", re.IGNORECASE)),
]

# Words in a compliance note -> what to forbid. Notes are free text written by the operator, so
# they are matched by topic; a quoted phrase in a note ("never say 'unbreakable'") is banned as is.
_NOTE_TOPICS: list[tuple[re.Pattern[str], Rule]] = [
    (_r(r"swim"), Rule("note", _r(r"swim\w*|underwater|dive|diving|游泳|潜水|水下"), negatable=True)),
    # Lifted where the catalog itself says waterproof ("10,000 mm waterproof rating"): then only
    # the absolute is a claim ("100% waterproof" is an absolute; the note's quoted phrases stay banned).
    (_r(r"waterproof|防水"), Rule("note", _r(r"(?<!not )(?<!not fully )waterproof|完全防水"),
                                  negatable=True, backed_by=_r(r"(?<!not )(?<!not fully )(?<!non-)waterproof|(?<!不)防水"))),
    (_r(r"waterproof|防水"), Rule("note", _r(r"(?<!not )(?:fully|completely|totally|entirely)\s+waterproof|完全防水|绝对防水"),
                                  negatable=True)),
    (_r(r"delivery date|arriv|送达|到货"),
     Rule("note", _r(r"\b(?:arrives?|delivered|get\s+it|have\s+it)\s+(?:by|on|tomorrow|today|"
                     r"within|in)\b|\bnext[- ]day\b|\bovernight\b|明天到|后天到|\d+天(?:内)?(?:到|送达|到货)"
                     r"|当天到|次日达"))),
    # A claim about hearing, not the word: a hearing aid's own page says "hearing loss" and "听力损失"
    (_r(r"hearing|听力"), Rule("note", _r(r"(?:protect\w*|improv\w*|restor\w*|sav(?:e|es|ing)|good\s+for|better|boost\w*|"
                                         r"heal\w*|enhanc\w*|repair\w*|fix\w*)\s+(?:the\s+|your\s+|my\s+|his\s+|her\s+)?"
                                         r"hearing(?!\s+aids?)|hearing\s+(?:protection|health|recovery)|"
                                         r"护耳|耳朵健康|(?:保护|改善|恢复|提高|提升|增强|修复)听力|听力\S{0,2}(?:变好|恢复|好转|提高|提升|健康)"),
                               negatable=True)),
    # Eyesight claims (a lamp "protects your eyes"); not every note naming an eye ("never claim
    # it removes eye bags" on an eye mask, which must still be called an eye mask).
    (_r(r"eyesight|\bvision\b|\beyes?[\s-]+(?:health|protection|strain|care)|protects?\s+(?:the\s+|your\s+)?eyes|"
        r"myopi|视力|护眼|近视|保护眼睛"),
     # Not the bare word "近视": goggles with prescription lenses are sold as 近视款 ("I'm
     # short-sighted, is there a 近视 version?"); treating or stopping it is the claim.
     Rule("note", _r(r"eyesight|\bvision\b|视力|护眼|(?:防|治|缓解|改善|控制|矫正|减轻|延缓|降低)\w{0,2}近视|"
                     r"近视\w{0,2}(?:好转|恢复|降低|减轻|加深)|(?:treats?|reduces?|stops?|prevents?|slows?|cures?)\s+"
                     r"(?:\w+\s+){0,2}(?:myopia|short-?sightedness|nearsightedness)|保护眼睛|护目|protects?\s+(?:the\s+|your\s+)?eyes|"
                     r"\beyes?[\s-]+(?:health|protection|care|strain|fatigue)|good for (?:the\s+|your\s+)?eyes|"
                     r"对眼睛好|眼疲劳|眼睛疲劳"),
          negatable=True)),
    # A product the catalog states is a registered medical device (a thermometer, a blood pressure
    # monitor: "Class II medical device, 苏械注准...") may be called one, and "see a doctor" said;
    # health claims stay banned.
    # Advice to ask a doctor ("anyone who has to control sugar should ask their doctor", "请先咨询
    # 医生", "遵医嘱") is no medical claim.
    (_r(r"medical|health|医疗|健康"), Rule("note", _r(r"medical|(?<!ask )(?<!ask your )(?<!ask their )(?<!ask a )"
                                                    r"(?<!consult )(?<!consult your )(?<!consult a )(?<!see a )"
                                                    r"(?<!see your )(?<!check with your )doctor|医疗|"
                                                    r"(?<!咨询)(?<!询问)(?<!问问)(?<!问)(?<!请教)医生"), negatable=True,
                                          backed_by=_r(r"class\s+(?:i{1,3}|[123])\s+medical\s+device|"
                                                       r"registered\s+medical\s+device|[一二三]类医疗器械|"
                                                       r"医疗器械注册|械注准|械备"))),
    (_r(r"medical|health|医疗|健康"), Rule("note", _r(r"health|健康"), negatable=True)),
    (_r(r"microwave|微波"), Rule("note", _r(r"microwave[- ]safe|可以(?:放)?微波"), negatable=True)),
]
# Quoted phrases, each quote with its own closing mark; a single quote only at a word's edge
# ("mum's" is not a quote).
_QUOTED = re.compile(r'"([^"]{2,40})"|“([^”]{2,40})”|‘([^’]{2,40})’|「([^」]{2,40})」|『([^』]{2,40})』|'
                     r"(?<![A-Za-z])'([^']{2,40})'(?![A-Za-z])")
_BRACKETED = re.compile(r"[(（]([^()（）]{2,80})[)）]")
_FORBIDS = re.compile(r"\b(?:never|no|not|don'?t|do not|avoid|must not)\b|不得|禁止|不要|不能|不可", re.IGNORECASE)
_WORDY = re.compile(r"[A-Za-z\u3400-\u9fff].*[A-Za-z\u3400-\u9fff]|[\u3400-\u9fff]{2}")
_EN_NEG = re.compile(r"\b(?:not|no|never|don'?t|doesn'?t|isn'?t|aren'?t|can'?t|cannot|won'?t|without"
                     r"|avoid)\b[^.!?]{0,24}$", re.IGNORECASE)


def note_rules(notes: list[str]) -> list[Rule]:
    """Rules derived from a product's compliance notes (see _NOTE_TOPICS and quoted phrases)."""
    rules: list[Rule] = []
    for note in notes:
        for topic, rule in _NOTE_TOPICS:
            if topic.search(note) and rule not in rules:
                rules.append(rule)
        # "Never claim it removes eye bags (去黑眼圈/去眼袋)": each Chinese phrase in brackets too.
        for inner in _BRACKETED.findall(note) if _FORBIDS.search(note) else []:
            for phrase in re.split(r"[/、,，;；]|\bor\b", inner):
                if re.fullmatch(r"\s*[\u3400-\u9fff]{2,12}\s*", phrase):
                    # negatable ("不能去眼袋" is honest) and lifted where the catalog states it itself
                    pattern = re.compile(re.escape(phrase.strip()))
                    rules.append(Rule("note", pattern, negatable=True, backed_by=pattern))
        for groups in _QUOTED.findall(note):
            phrase = next((g for g in groups if g), "").strip()
            if _WORDY.search(phrase):  # never a bare comma or a lone letter; "没有任何安胎功效" is honest
                rules.append(Rule("note", re.compile(re.escape(phrase), re.IGNORECASE), negatable=True))
    return rules


def concept_rules(product: Product) -> list[Rule]:
    """The claims the product's category and notes ban, each in English and Chinese: a note
    naming a claim in one language bans it in both (vhost.brain.claims). A category ban is lifted
    where the catalog itself states the phrase (the operator's word); a note's ban never is."""
    from vhost.brain.claims import CATEGORY_BANS, banned_concepts, concept_patterns

    category = set(CATEGORY_BANS.get(product.category, ()))
    rules = []
    for name in banned_concepts(product.category, product.compliance_notes):
        en, zh = concept_patterns(name)
        for pattern in (en, zh):
            rules.append(Rule("category" if name in category else "note", pattern, negatable=True,
                              backed_by=pattern if name in category else None))
    return rules


# A negation that runs over a list: "not for swimming, showers or diving", "不可游泳、洗澡或潜水".
_EN_NEG_LIST = re.compile(r"\b(?:not|no|never|can'?t|cannot|won'?t)\b[^.!?;:]{0,60},[^.!?;:,]{0,30}\b(?:or|nor)\s+$",
                          re.IGNORECASE)
_ZH_NEG_LIST = re.compile(rf"[{_ZH_NEG}][^，。；！？,.;!?：:]{{0,12}}(?:、|或)$")


_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")


def _negated(text: str, start: int) -> bool:
    # "是不是摔不坏", "会不会漂移": the A-not-A of a question negates nothing
    before = _A_NOT_A.sub("", text[max(0, start - 30):start])
    if _EN_NEG.search(before) or _EN_NEG_LIST.search(text[max(0, start - 100):start]):
        return True
    # Chinese: a negation a few characters before ("不能游泳", "不是医疗器械"), or before the list
    # the word ends ("不可游泳、洗澡或潜水").
    return any(ch in _ZH_NEG for ch in before[-4:]) or bool(_ZH_NEG_LIST.search(before))


def _facts_blob(product: Product | None) -> str:
    if product is None:
        return ""
    langs = ["en", *product.i18n]
    return "\n".join(product.facts_text(lang) for lang in langs) + "\n" + product.tagline


AFFIRM = re.compile(r"^\W*(?:yes|yeah|yep|sure|of\s+course|absolutely|definitely|totally|you\s+can"
                     r"|it\s+can|they\s+can|可以|能|当然|没问题|是的|是啊|对|行)", re.IGNORECASE)


def _affirms_forbidden(question: str, reply: str, rules: list[Rule]) -> tuple[str, str] | None:
    """A bare "Yes!"/"可以。"/"是。" to "can I swim with them?" or "是全网最低价吗？" says the
    forbidden thing without its words; the phrase asked about is returned when the reply
    affirms it. (Conservative: "is delivery guaranteed?" -> "Yes, ..." is held too.)"""
    if not AFFIRM.search(reply) or _EN_NEG.search(reply[:40]) or any(ch in reply[:6] for ch in "不没别"):
        return None
    q = despace(fold(question))
    for rule in rules:
        if rule.category == "profanity":
            continue
        m = rule.pattern.search(q)
        if m and not (rule.negatable and _negated(q, m.start())):
            return rule.category, m.group(0)
    return None


# A notice that warns ("People with diabetes ... should ask a doctor") names a condition; it claims nothing.
_WARNS = re.compile(r"(?i)\b(?:do not|don'?t|should not|shouldn'?t|must not|never|not for|not suitable|ask (?:a|your) doctor|"
                    r"consult)\b|请勿|禁止|不要|不宜|不适合|不能|咨询医生|遵医嘱")


def as_notice(reasons: list[str], text: str = "") -> list[str]:
    """The reasons that hold a product's mandatory notice said as the catalog writes it: the
    general rules (efficacy, price promises), not a word a compliance note bans as a claim ("never
    call it a medical device" beside "not for people with an implanted medical device"), nor a
    condition a warning names (`text` warns: "people with diabetes should not use the heat"), nor
    an absolute in a statement the law asks for ("母乳是婴儿最好的食物" on infant formula: it ranks
    breast milk, the product claims nothing)."""
    return [r for r in reasons if not r.startswith(("note:", "absolute:"))
            and not (r.startswith("category:") and _WARNS.search(text))]


@lru_cache(maxsize=8)
def _product_names(names: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a catalog's product names and aliases (of 3 characters or 2 words and
    more), longest first, in any case: the shop wrote them. Built once per catalog, not per line."""
    kept = sorted({fold(n) for n in names if len(n.split()) >= 2 or len(n) >= 3}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, kept)) or r"(?!x)x", re.IGNORECASE)


def check_compliance(text: str, lang: str = "en", product: Product | None = None,
                     catalog: Catalog | None = None, question: str = "",
                     names: tuple[str, ...] | list[str] = ()) -> ComplianceResult:
    """Is `text` safe to say on air? `reasons` name the category and the phrase.

    `lang` picks the lists (Chinese text is checked against both lists); `product` adds its notes
    and lets its own facts back a phrase; `catalog` gives the shop's policies and product names;
    `question`, the viewer's message, catches a bare "Yes!" to a forbidden question. `names`: the
    viewers the line addresses, never read as a claim ("小米粒" is a viewer, not the brand 小米).
    """
    t = fold(text)
    # A viewer's name only as written (a viewer named "best" must not clear "the best").
    for n in sorted({fold(n) for n in names if n}, key=len, reverse=True):
        t = t.replace(n, " " * len(n))
    if catalog is not None:  # the shop's own product names are no claim ("Wash & Cure Station")
        t = _product_names(tuple(n for p in catalog.products for n in product_names(p))).sub(
            lambda m: " " * len(m.group(0)), t)
    rules = list(_EN_RULES)
    if lang == "zh" or any("\u3400" <= ch <= "\u9fff" for ch in t):
        rules += _ZH_RULES
    if product is not None:
        rules += note_rules(product.compliance_notes) + concept_rules(product)
    facts = _facts_blob(product)
    if catalog is not None:  # the shop's own policies back a phrase too ("包邮" when it ships free)
        facts += "\n" + "\n".join([*catalog.shop.policies.values(),
                                    *(t for over in catalog.shop.i18n.values() for t in over.values())])
    reasons: list[str] = []
    views = dict.fromkeys([t, despace(t)])  # as written, and with spelled-out words joined
    for rule in rules:
        for view in views:
            m = next((m for m in rule.pattern.finditer(view)
                      if not (rule.negatable and _negated(view, m.start()))), None)  # fmt: skip
            if m is None or (rule.backed_by is not None and rule.backed_by.search(facts)):
                continue
            reason = f"{rule.category}: '{m.group(0).strip()}'"
            if reason not in reasons:
                reasons.append(reason)
            break
    if (spelled := SPELLED.search(t)) is not None:
        reasons.append(f"obfuscation: spelled out '{spelled.group(0)[:40]}'")
    if question:
        asked = _affirms_forbidden(question, t, rules)
        if asked is not None:
            reasons.append(f"{asked[0]}: affirms '{asked[1]}' asked by the viewer")
    return ComplianceResult(not reasons, reasons)
