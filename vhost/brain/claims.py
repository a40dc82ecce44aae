"""Claims a product's category forbids, and the same claim in every language.

A compliance note is written once, in one language ("never claim it whitens skin"), but the host
speaks Chinese and English: each banned *concept* below has its words in both, so a note that names
a concept in either language bans it in both ("whiten" in a note also bans 美白). A product's
`category` adds the concepts its category never may claim (cosmetics: efficacy claims regulated
as drug claims in the PRC; food: medical and weight-loss claims; children's products: safety
promises). The PRC Advertising Law's absolutes are banned for every product (vhost.brain.compliance).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    name: str
    en: str  # regular expression, word-bounded by the caller
    zh: str  # regular expression


CONCEPTS: tuple[Concept, ...] = (
    Concept("whitening", r"whiten\w*|skin[- ]lightening|lighten\w* (?:your |the )?skin|brighten\w* skin tone",
            r"美白|增白|亮白|变白|淡化肤色"),
    Concept("spot_removal", r"(?:remove|removes|removing|fade|fades|erase|erases|get rid of)\s+"
            r"(?:dark\s+)?(?:spots?|freckles?|melasma|pigmentation)|spot[- ]remov\w*|freckle",
            r"祛斑|去斑|淡斑|消斑|祛黄褐斑"),
    Concept("acne", r"acne|pimples?|zits?|breakouts?", r"祛痘|去痘|消痘|治痘|战痘|痘痘|粉刺|青春痘"),
    Concept("anti_wrinkle", r"anti[- ]?wrinkle|wrinkles?|anti[- ]?aging|anti[- ]?ageing|fine lines|"
            r"younger[- ]looking|reverse aging", r"抗皱|去皱|除皱|祛皱|淡纹|抗衰|抗老|逆龄|冻龄|年轻十岁"),
    Concept("medical", r"medical[- ]grade|medicinal|medicated|pharmaceutical|drug|clinically proven|"
            r"dermatologist[- ]approved|cures?|heal(?:s|ed|ing)?(?![a-z])|treats?|therapeutic",  # not "health"
            r"医用|医疗级|药用|药妆|治疗|治愈|疗效|药效|根治|临床证明|消炎"),
    Concept("hair_growth", r"hair (?:growth|loss|regrowth)|grows? hair|regrow", r"生发|防脱|育发|长头发"),
    Concept("weight_loss", r"weight[- ]loss|lose (?:weight|\d+\s*(?:kg|kilos?|pounds?|lbs?))|slimming|fat[- ]burn\w*|"
            r"burns? fat|diet pill|drop (?:\w+ )?pounds",
            r"减肥|瘦身|燃脂|减脂|刮油|掉秤|掉\S{0,2}斤|瘦\S{0,2}斤|能瘦|减重|掉肉"),
    Concept("blood_sugar", r"blood (?:sugar|glucose|pressure)|diabet\w*|cholesterol",
            r"降血糖|降血压|降血脂|降三高|糖尿病|血糖|血压"),
    Concept("immunity", r"immun\w*|boosts? (?:your )?health|detox\w*|prevents? (?:disease|illness|cancer)",
            r"提高免疫|增强免疫|免疫力|排毒|防癌|抗癌|养生|延年益寿"),
    Concept("cure_disease", r"cancer|disease|illness|insomnia|cures? \w+", r"治病|治疗|治愈|失眠|癌"),
    Concept("child_safety", r"(?:totally|completely|100%|perfectly|absolutely)\s+safe|safe for (?:all|any) ages?|"
            r"non[- ]?toxic|choking[- ]?free|can'?t choke",
            r"绝对安全|完全安全|百分百安全|无毒|不会卡|放心给宝宝吃"),
    Concept("durability", r"unbreakable|indestructible|never (?:breaks?|gets? dull|goes? dull|rusts?|wears? out)|"
            r"lasts? forever|lifetime sharp\w*|stays? sharp forever",
            r"摔不坏|摔不碎|永不损坏|用不坏|永不卷刃|永不生锈|永远锋利|终身不坏|一辈子不坏|永久使用"),
    Concept("eye_area", r"dark circles?|eye bags?|bags under (?:your |the )?eyes|puffy eyes|puffiness",
            r"黑眼圈|眼袋|眼部浮肿|消肿"),
    Concept("sleep_eyes", r"improves? (?:sleep|vision|eyesight)|protects? (?:your )?eyes|eye[- ]care",
            r"助眠|改善睡眠|护眼|保护视力|改善视力"),
)
BY_NAME = {c.name: c for c in CONCEPTS}

# What each category may never claim, whatever its notes say.
CATEGORY_BANS: dict[str, tuple[str, ...]] = {
    "cosmetics": ("whitening", "spot_removal", "acne", "anti_wrinkle", "medical", "hair_growth",
                  "weight_loss"),
    "food": ("medical", "weight_loss", "blood_sugar", "immunity", "cure_disease", "sleep_eyes"),
    "health": ("medical", "weight_loss", "blood_sugar", "immunity", "cure_disease", "sleep_eyes"),
    "kids": ("child_safety", "medical", "sleep_eyes"),
    "electronics": ("medical", "sleep_eyes"),
    "apparel": ("medical", "weight_loss"),
    "kitchen": ("medical", "weight_loss", "blood_sugar"),
    "home": ("medical", "sleep_eyes"),
    "other": (),
}


def _en(c: Concept) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z])(?<!\bre-)(?<!\bpre-)(?:{c.en})", re.IGNORECASE)  # not "re-treat the fabric"


def _zh(c: Concept) -> re.Pattern[str]:
    return re.compile(c.zh)


def concepts_in(text: str) -> list[str]:
    """The concepts a text names, in either language (to read compliance notes)."""
    return [c.name for c in CONCEPTS if _en(c).search(text) or _zh(c).search(text)]


def banned_concepts(category: str, notes: list[str]) -> list[str]:
    out = list(CATEGORY_BANS.get(category, ()))
    for note in notes:
        out += [n for n in concepts_in(note) if n not in out]
    return out


def concept_patterns(name: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    c = BY_NAME[name]
    return _en(c), _zh(c)
