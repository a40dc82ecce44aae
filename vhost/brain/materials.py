"""What a thing is made of, in English and Chinese: a material a model-written line names must be
one the catalog names too (in either language).

A number check cannot see a wrong material: the packaged 0.5B model translated "Material: 2 mm
recycled cardboard" as "塑料：2 mm recycled cardboard" ("plastic: ..."), and a small-talk line may
call an aluminium rack "stainless steel". Each material below is one group of spellings; a line
naming a group the facts never name is an invented claim.
"""

from __future__ import annotations

import re
import unicodedata

# (name, English spellings, Chinese spellings). The Chinese ones are whole words where a single
# character would also mean something else (皮 is also skin, 丝 a thread, 纸 a leaflet).
_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("plastic", r"plastics?|polypropylene|abs plastic", r"塑料|塑胶"),
    ("steel", r"(?:stainless )?steel", r"钢(?!琴|化|笔)"),  # not 钢琴 (piano), 钢化玻璃
    ("aluminium", r"alumin(?:i)?um", r"铝"),
    ("iron", r"cast iron|iron pan|iron pot", r"铸铁|生铁|熟铁"),
    ("copper", r"copper|brass", r"紫铜|黄铜|铜"),
    ("wood", r"wood(?:en)?", r"木头|木质|木制|实木|原木|木材|胡桃木|橡木|榉木|松木"),
    ("bamboo", r"bamboo", r"竹"),
    ("glass", r"glass(?! of)|borosilicate", r"玻璃"),  # not "glasses", "a glass of"
    ("ceramic", r"ceramics?|porcelain|stoneware", r"(?<!搪)瓷"),
    ("enamel", r"enamel", r"搪瓷|珐琅"),
    ("silicone", r"silicone", r"硅胶"),
    ("nylon", r"nylon", r"尼龙"),
    ("polyester", r"polyester", r"涤纶|聚酯"),
    ("cotton", r"cotton", r"(?<!记忆)(?<!珍珠)棉"),  # 记忆棉 is memory foam
    ("wool", r"wool|merino|cashmere", r"羊毛|羊绒|毛呢"),
    ("silk", r"silk", r"真丝|蚕丝|桑蚕丝"),
    ("leather", r"leather", r"真皮|皮革|牛皮(?!纸)|羊皮(?!纸)|头层皮"),
    ("linen", r"linen", r"亚麻"),
    ("rubber", r"rubber|latex", r"橡胶|乳胶"),
    ("paper", r"cardboard|paperboard|kraft paper", r"纸板|硬纸|卡纸|牛皮纸|纸质"),
    ("foam", r"foam|sponge", r"泡沫|海绵|记忆棉"),
)
_PATTERNS = tuple((name, re.compile(rf"(?<![a-z])(?:{en})(?![a-z])"), re.compile(zh)) for name, en, zh in _GROUPS)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def materials_in(text: str) -> set[str]:
    """The materials a text names ("2 mm recycled cardboard" -> {"paper"}, "不锈钢" -> {"steel"})."""
    t = _norm(text)
    found = set()
    for name, en, zh in _PATTERNS:
        if en.search(t) or zh.search(t):
            found.add(name)
    return found


def unbacked_materials(line: str, facts: str) -> list[str]:
    """The materials `line` names that `facts` (the catalog's words) never name."""
    return sorted(materials_in(line) - materials_in(facts))
