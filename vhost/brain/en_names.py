"""Names an English question gives that the catalog may not: a capitalised word ("ship to
Singapore?", "made by Zeiss?"), a lower-case one after "to/in/with/for/from/on/by" where the
question is about where it goes, what it works with, how to pay or who made it ("ship to
iceland", "works with a garmin", "made by zeiss"), a place's short name ("to the us"), and a
guess asked on its own ("what brand are the beads? philips?")."""

from __future__ import annotations

import re
from collections.abc import Callable

from vhost.brain import attributes

_DESTINATION = frozenset({"shipping", "compatibility", "payment", "installment", "charging"})
_SHORT_PLACE = re.compile(r"\b(?:to|in|into)\s+(?:the\s+)?(us|usa|uk|eu|hk|uae|nz|au|sg)\b", re.IGNORECASE)
_MAKER = re.compile(r"\b(?:made|produced|manufactured|designed|built|licensed)\s+by\s+([a-z][a-z-]{2,})|"
                    r"\bbrand\b[^?]{0,40}\?\s*([a-z][a-z-]{2,})\s*\??\s*$", re.IGNORECASE)


def names_in(clause: str, known: Callable[[str], bool], vocab: set[str], common: frozenset[str]) -> list[str]:
    """The names `clause` gives that `known` does not know."""
    out = []
    destination = bool(set(attributes.detect(clause)) & _DESTINATION)
    # "can I use it in India with 230V?": where the viewer is, not what is asked (unless it is
    # asked where it goes: "does it ship in India?")
    there = set() if destination else set(re.findall(r"\b(?:in|at|from)\s+([A-Z][a-z]+)", clause))
    first = True
    for w in re.findall(r"[A-Za-z][A-Za-z0-9-]*", clause):
        # an acronym ("NFC", "LDAC"), not a word shouted ("FINALLY the jogger!!")
        named = w.isupper() and 2 <= len(w) <= 5 or (not first and w[:1].isupper() and w[1:].islower()) \
            or bool(re.fullmatch(r"[a-z]{2,}\d{1,4}[a-z]?", w))  # a model typed lower-case: "ps5", "rtx4090"
        first = False
        if named and w not in there and not known(w) and w.lower() not in common and w.lower() not in ("i", "ok"):
            out.append(w)
    # Lower-case names typed after "to/in/with/for/from" ("ship to iceland", "works with a
    # garmin"): a phrase the catalog never uses there is what the question is about - in a
    # question about where it goes, what it works with or how to pay; elsewhere the phrase
    # tells the viewer's situation ("pop out to the shops", "good for lefties").
    if not destination:
        return out
    # A place by its short name, typed lower-case ("ship to the us?", "deliver to uk"): a name
    # unless the catalog uses it.
    out += [m.group(1) for m in _SHORT_PLACE.finditer(clause)
            if m.group(1) not in vocab and m.group(1) not in out and m.group(1).upper() not in out]
    for m in re.finditer(r"\b(?:to|in|into|with|for|from|on)\s+(?:an?\s+|the\s+|my\s+)?([a-z][a-z-]{3,})"
                         r"(?:\s+([a-z][a-z-]{2,}))?", clause):
        phrase = [w for w in m.groups() if w]
        if any(known(w) or attributes.detect(w) for w in phrase):
            continue
        w = phrase[0]
        if w not in common and w not in out and w.capitalize() not in out:
            out.append(w)
    return out


def maker_names(text: str, known: Callable[[str], bool], common: frozenset[str]) -> list[str]:
    """A maker asked by its name, typed lower-case ("made by zeiss?", "what brand are the beads? philips?")."""
    return [w for m in _MAKER.finditer(text) for w in m.groups() if w and not known(w) and w.lower() not in common]
