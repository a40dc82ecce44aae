"""The last check before a fragment is spoken: numbers against the catalog, then compliance.

One place for both checks, so the live replier, `vhost ask`, the FAQ path and the script loop
apply the same rules. A wrong number is corrected when the catalog says unambiguously what it
should be (vhost.brain.repair), else the fragment is held; a compliance violation is always held
with its reason, for the operator to see. Nothing held is ever spoken.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vhost.base.language import detect_language, is_han
from vhost.brain.catalog import Catalog, Product
from vhost.brain.compliance import AFFIRM, check_compliance
from vhost.brain.emotion import strip_emotion_tags
from vhost.brain.grounding import check_grounding
from vhost.brain.repair import repair_claims
from vhost.brain.verify import echoed_claim, unbacked_claims, unbacked_numbers


@dataclass
class Verdict:
    text: str  # what may be spoken (corrected, tags stripped); "" when held
    held: bool
    corrections: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)  # unresolved grounding problems
    compliance_reasons: list[str] = field(default_factory=list)  # incl. "language: ..."
    emotions: list[str] = field(default_factory=list)


def wrong_language(text: str, lang: str) -> str | None:
    """Why `text` is not in the viewer's language `lang` ("en"/"zh"), or None.

    A 0.5B model sometimes answers an English question in Chinese (or the reverse); a reply the
    viewer cannot read is held. Product names and model numbers inside a reply are fine.
    """
    if lang == "en" and detect_language(text) == "zh":
        return "language: answered in Chinese to an English question"
    if lang == "zh" and not any(is_han(ch) for ch in text) and len(text.split()) >= 3:
        return "language: answered in English to a Chinese question"
    return None


def check_fragment(text: str, lang: str, product: Product, catalog: Catalog,
                   correct: bool = True, question: str = "", names: tuple[str, ...] = (),
                   chat_text: str = "") -> Verdict:
    """Grounding (with correction), language and compliance for one fragment about `product`.

    question: the viewer's message, so a bare "Yes!" to a forbidden question is caught too.
    chat_text: the viewer's message for every fragment of the answer: a claim of theirs said back
    as the host's, not stated by the catalog, is held (vhost.brain.verify.echoed_claim).
    """
    clean, emotions = strip_emotion_tags(text)
    v = Verdict(clean, held=False, emotions=emotions)
    if (why := wrong_language(clean, lang)) is not None:
        v.compliance_reasons = [why]
        v.held, v.text = True, ""
        return v
    if question and AFFIRM.search(clean):
        # "I heard it lasts 20 hours, true?" -> "Yes, ..." agrees to a number the catalog
        # does not back, even when the fragment itself has no number.
        asked = check_grounding(question, product, catalog)
        if not asked.grounded:
            v.mismatches = [f"affirms the viewer's {m}" for m in asked.mismatches]
            v.held, v.text = True, ""
            return v
    grounding = check_grounding(clean, product, catalog)
    if not grounding.grounded:
        fixed = repair_claims(clean, product, catalog) if correct else None
        if fixed is None or not fixed.ok:
            v.mismatches = list(grounding.mismatches)
            v.held, v.text = True, ""
            return v
        v.text, v.corrections = fixed.text, list(fixed.corrections)
    comp = check_compliance(v.text, lang, product, catalog, question=question, names=names)
    # Links, policies, certifications and versions the catalog never states (vhost.brain.verify).
    invented = unbacked_claims(v.text, product, catalog) + unbacked_numbers(v.text, catalog, names)
    if (echo := echoed_claim(v.text, chat_text or question, product, catalog)) is not None:
        invented.append(echo)
    if not comp.ok or invented:
        v.compliance_reasons = list(comp.reasons) + invented
        v.held, v.text = True, ""
    return v
