"""The thing a Chinese wh-question asks about: the word just before "多长/多大/多重/多久/多少次"
("那根线多长" -> 线, "快门寿命多少次" -> 快门 and 寿命). A fact that never names it (in either
language) is related, not the answer: "耳机那根线多长" is not answered by "单元是50毫米动圈",
"快门寿命多少次" not by the battery's "约380次充电" (vhost.brain.coverage.unnamed_focus)."""

from __future__ import annotations

import re

from vhost.brain import attributes
from vhost.brain.dictionary import ONE_CHAR_WORDS
from vhost.brain.retrieval import tokens

_ZH_TIMES = re.compile(r"多少次|几次")  # "能循环多少次" asks cycles, not the charges a fact counts in 次
_ZH_WH = re.compile(r"多长|多大|多重|多宽|多高|多厚|多粗|多深|多久|多少次|几次")
# How it is asked, not what: "那根线", "能用多久", "大概多重", "收起来多大".
_FRAME = frozenset("能用 使用 可以 一共 总共 大概 大约 一般 最多 至少 一天 每天 一年 一周 一个 用了 那根 这根 那个 这个 "
                   "这款 那款 它 的 能 有 是 要 得 会 还 起来 收起来 展开 打开 到底 大 多 一次 一下 本身 自身 整个 整体 实际 "
                   "具体 差不多 里面 外面 内部 外部 上面 下面 自己 我 我们 我家 你 你们 大家".split())
_MEASURE = re.compile(r"^[一每两几单]\w$")  # "一瓶多大": how much one holds, not a thing
# A property of the thing ("寿命" of 快门寿命): the thing is the word before it too.
_PROPERTY = frozenset("寿命 时间 长度 尺寸 重量 大小 次数 距离 高度 宽度 厚度".split())

# One character naming a part, which ONE_CHAR_WORDS (words that ask) leaves out: "那根线多长".
_PARTS = frozenset("线 毛 盖 带 绳 杆 轮 腿 柄 刃 管 袋 链 针 嘴 灯 屏 壳 垫 套".split())


def zh_focus(text: str) -> list[str]:
    m = _ZH_WH.search(text)
    if m is None:
        return []
    after = re.match(r"的([\u4e00-\u9fff]{2,4})", text[m.end():])  # "支持多大的内存卡": the thing after it
    if after is not None and (thing := [w for w in tokens(after.group(1)) if w not in _FRAME][:1]):
        return [] if attributes.detect(thing[0]) else thing
    clause = re.split(r"[，,。！？?!；;\s]", text[:m.start()])[-1]
    words = [w for w in tokens(clause) if w not in _FRAME and not w.isascii() and not _MEASURE.match(w)]
    last = words[-1:]
    if last and (last[0] in _PROPERTY or attributes.detect(last[0])) and len(words) >= 2:
        last = [words[-2], last[0]]  # "快门寿命": the shutter's
    return [w for w in last if (len(w) >= 2 or w in ONE_CHAR_WORDS or w in _PARTS) and w not in _FRAME
            and not (_ZH_TIMES.match(text, m.start()) is None and attributes.detect(w))]
