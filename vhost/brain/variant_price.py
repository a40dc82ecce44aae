"""The price of one size or variant that a fact prices row by row ("90 x 190 cm: 599 CNY;
150 x 200 cm: 899 CNY; 180 x 200 cm: 1099 CNY"): "1米8的多少钱" is the 180 row's 1099, never
the product's base price, which is another size's."""

from __future__ import annotations

import re

from vhost.brain import attributes
from vhost.brain.grounding import _to_digits
from vhost.brain.knowledge import Fact
from vhost.brain.reading import stated_prices
from vhost.brain.retrieval import tokens
from vhost.brain.rivals import MONEY
from vhost.brain.sizing import _cut

# A bed or roll width as chat says it: "1米8", "一米五", "1.8m", "1.8米" (metres; 180 cm in a table).
_METRES = re.compile(r"(?<![\d.])([1-3])\s*米\s*(\d{1,2})?|(?<![\d.])(\d(?:\.\d{1,2})?)\s*(?:m(?![a-z])|米)", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _asked_numbers(text: str) -> set[float]:
    """The numbers a message names, a length in metres also in centimetres (1米8 -> 1.8 and 180)."""
    t = _to_digits(text)  # "一米五" -> "1米5" (vhost.brain.grounding)
    out: set[float] = set()
    for m in _METRES.finditer(t):
        metres = float(m.group(3)) if m.group(3) else int(m.group(1)) + (int(m.group(2)) / 10 ** len(m.group(2)) if m.group(2) else 0)
        out |= {metres, round(metres * 100)}
    written_one = re.search(r"(?<![\d.])1(?![\d.])", text) is not None  # "一次充电能用多久" names no 1-unit row
    out |= {float(n) for n in _NUMBER.findall(_METRES.sub(" ", t)) if float(n) != 1 or written_one}
    return out


def _rows(text: str) -> list[tuple[str, str]]:
    """(what the row names, the row) of a text that prices two rows or more, else none."""
    rows = []
    for seg in _cut(text, ";；\n", stops=False):
        m = MONEY.search(seg)
        if m is None:  # "no crib sizes"
            continue
        num = re.search(r"\d+(?:\.\d+)?\s*$", seg[:m.start()]) if not seg[m.start()].isdigit() else None
        key = seg[:num.start() if num else m.start()]
        if not rows:  # "Grades: JJ (28-30 mm): 169 CNY": the table's label names no row
            key = re.sub(r"^[^:：]{1,24}[:：](?=[^:：]+[:：])", "", key)
        rows.append((key, seg))
    return rows if len(rows) > 1 else []


def _picks(text: str, keys: list[str], names: tuple[str, ...]) -> set[int]:
    """The rows whose key holds a number or word of the message that no other key holds; a word
    of a product's name names the product ("the RO purifier"), not a row ("RO cartridge")."""
    asked_n, named = _asked_numbers(text), set(tokens(" ".join(names)))
    asked_w = {w for w in tokens(text) if not attributes.detect(w)} - named  # "price" names no row
    nums = [{float(n) for n in _NUMBER.findall(k)} for k in keys]
    words = [set(tokens(k)) - {str(int(n)) if n.is_integer() else str(n) for n in ns} for k, ns in zip(keys, nums, strict=True)]
    picks = set()
    for i in range(len(keys)):
        others_n = set().union(*(nums[j] for j in range(len(keys)) if j != i))
        others_w = set().union(*(words[j] for j in range(len(keys)) if j != i))
        if asked_n & (nums[i] - others_n) or asked_w & (words[i] - others_w):
            picks.add(i)
    return picks


def variant_price(facts: list[Fact], text: str, lang: str, names: tuple[str, ...] = ()) -> tuple[Fact, str] | None:
    """A price asked of one row of a priced table ("kids mattress for a 1.2m bed how much?"):
    that fact and that row, in `lang`; None when the message names no one row."""
    if "price" not in attributes.detect(text, names) and not stated_prices(text):  # "jjj is only 189?"
        return None
    prices = {float(n) for m in MONEY.finditer(" ".join(t for f in facts for t in f.texts.values()))
              for n in _NUMBER.findall(m.group(0))}
    asked = re.sub(r"\d+(?:\.\d+)?", lambda m: " " if float(m.group(0)) in prices else m.group(0), text)
    for f in facts:
        line = f.text(lang)
        rows = _rows(line or "")
        picks = _picks(asked, [k for k, _row in rows], names) if rows else set()
        if len(picks) == 1:
            row = rows[picks.pop()][1].strip().rstrip("。.")
            return f, row + ("。" if lang == "zh" else ".")
    return None


def misstated(text: str, row: str) -> bool:
    """The viewer states a price ("jjj is only 189?") that a priced row ("JJJ: 219 CNY") does not
    give; a size row ("M: 160-170 cm") prices nothing, so nothing said of it is corrected."""
    said = {float(n) for n in _NUMBER.findall(row)}
    return MONEY.search(row) is not None and any(float(n) not in said for n in stated_prices(text))
