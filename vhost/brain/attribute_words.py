"""Where a message says an attribute in the attribute's own words: the English phrases that say
it ("switch itself off" for auto_off), and the positions of its Chinese words ("发票" in "开发票"),
for vhost.brain.coverage to tell what a viewer asked from what merely names the attribute."""

from __future__ import annotations

import unicodedata

from vhost.brain.attributes import ATTRIBUTES


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def phrases(text: str, names: set[str]) -> str:
    """The English words of `text` that say one of the attributes `names` ("switch itself off" for
    auto_off): a fact stating the attribute answers them, in any language."""
    return " ".join(m.group(0) for a in ATTRIBUTES if a.name in names for m in a.en.finditer(_norm(text)))


def covered_chars(text: str, names: set[str] | None = None) -> set[int]:
    """Positions of `text` (NFKC, casefolded) inside an attribute's words (of `names` only, when
    given): a word cut across one ("开发" in "开发票", where 发票 asks about invoices) is not a
    word the viewer wrote."""
    t = _norm(text)
    out: set[int] = set()
    for a in (a for a in ATTRIBUTES if names is None or a.name in names):
        for word in a.zh:
            start = t.find(word)
            while start >= 0:
                out.update(range(start, start + len(word)))
                start = t.find(word, start + 1)
    return out
