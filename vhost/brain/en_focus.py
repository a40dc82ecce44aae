"""The thing an English question asks about where no "what is the X" frames it: the measure after
"max"/"min" ("max water pressure for the faucet filter?" -> pressure) and what a filter or a cleaner
is asked to take away ("does the pitcher remove fluoride?" -> fluoride). A fact that never names it
is related, not the answer: "Max temperature: 40 °C" says nothing of pressure, and "reduces water
hardness" nothing of fluoride (vhost.brain.coverage.unnamed_focus)."""

from __future__ import annotations

import re

_EXTREME = re.compile(r"\b(?:max|maximum|min|minimum|rated)\s+([a-z]{3,})(?:\s+([a-z]{3,}))?", re.IGNORECASE)
_TAKES_AWAY = re.compile(r"\b(?:removes?|filters? out|blocks?|kills?|eliminates?|reduces?|gets? rid of|takes? out)\s+"
                         r"(?:the\s+|any\s+|all\s+)?([a-z]{4,})\b", re.IGNORECASE)
# Words after "max" that say how it is asked, not what: "max for the kids?", "max 2 people".
_NOT_THING = frozenset("for the and with per in on of to is are can will does do it its this that how what "
                       "about around like one ones".split())
# How long the thing lives, not what the warranty covers: "how many years does the motor last?"
# against "Warranty: motor 1 year" is unanswered (a fact that gives the life names it: "life").
LIFESPAN = re.compile(r"(?i)\bhow many years (?:does|do|will|would|can|should)\b[^?]{0,30}\blast\b|\blife ?span\b|"
                      r"\bhow long (?:will|would) (?:the|it|this|its)\b[^?]{0,20}\blast\b(?![^?]{0,15}\b(?:charge|battery)\b)")
_WARRANTY = re.compile(r"(?i)warrant|guarantee|保修|质保")


def en_focus(text: str) -> list[str]:
    out: list[str] = ["life"] if LIFESPAN.search(text) and not _WARRANTY.search(text) else []
    for m in _EXTREME.finditer(text):
        first, second = m.group(1).casefold(), (m.group(2) or "").casefold()
        word = second if second and second not in _NOT_THING else first
        if word not in _NOT_THING:
            out.append(word)  # "max temp": retrieval's tokens read temp as temperature
    out += [m.group(1).casefold() for m in _TAKES_AWAY.finditer(text) if m.group(1).casefold() not in _NOT_THING]
    return list(dict.fromkeys(out))
