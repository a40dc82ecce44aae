"""Everything the live show asks the sales brain between chat and speech, in one object.

The show (vhost.show.show) stays wiring: it calls `on_chat` for every chat event, `fast_reply`
before starting the LLM, `history` for the LLM's earlier turns, `heard` when a reply was heard,
`thanks_line` and `script_segment` when chat is quiet, and `guard` as its compliance hook. The
parts live in their own modules (faq, memory, thanks, script_loop, recommend, compliance).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from itertools import zip_longest

from vhost.brain import polarity
from vhost.brain.answerer import Answerer, Decision
from vhost.brain.catalog import Catalog, Product
from vhost.brain.compliance import as_notice, check_compliance
from vhost.brain.embedding import Embedder
from vhost.brain.injection import DEFLECT, detect_injection, question_part
from vhost.brain.memory import ConversationMemory
from vhost.brain.persona import Persona
from vhost.brain.phrasing import RecentTopics, source_line
from vhost.brain.recommend import InterestTracker
from vhost.brain.script_loop import ScriptLoop, Segment
from vhost.brain.thanks import ThanksBatcher

# Which facts are asked about most (prepared first when a product comes on screen).
_LIKELY = {k: i for i, k in enumerate(("price", "discount", "stock", "age", "notice", "spec", "faq", "policy", "point"))}


@dataclass
class FastReply:
    text: str  # say this instead of asking the LLM
    path: str  # "facts", "unknown", "refuse", "suitability" or "guard" (an injection deflected)
    reasons: list[str] = field(default_factory=list)  # for the operator (injection, held lines)
    decision: Decision | None = None
    # A fact the catalog has only in another language: its words, for the model to translate
    # (`text` is then the catalog's own words with a lead, said if the translation fails).
    translate: str | None = None
    users: list[str] = field(default_factory=list)

    @property
    def unanswered(self) -> bool:
        """The catalog did not answer it: the operator should see the question."""
        return self.path == "unknown"


class ShowBrain:
    def __init__(self, catalog: Catalog, persona: Persona, *, thanks_window_s: float = 8.0,
                 interest_half_life_s: float = 180.0, embedder: Embedder | None = None,
                 answerer: Answerer | None = None) -> None:
        self.catalog = catalog
        self.persona = persona
        self.answerer = answerer or Answerer(catalog, embedder)
        self.recent = RecentTopics()
        self.memory = ConversationMemory()
        self.thanks = ThanksBatcher(window_s=thanks_window_s)
        self.interest = InterestTracker(catalog, half_life_s=interest_half_life_s)
        self._scripts: dict[str, ScriptLoop] = {}
        self._last_suggestion: str | None = None

    def on_chat(self, msg: object, now: float, current_id: str) -> dict | None:
        """Note one chat event (memory, interest, gifts). Returns the "recommendation" event
        payload ({"scores", "suggested", "reason"}) when the suggestion changed, else None."""
        user = getattr(msg, "user", "")
        self.memory.seen(user, now, getattr(msg, "user_id", ""))
        if self.thanks.add_message(msg, at=now):
            return None
        if getattr(msg, "kind", "message") != "message":
            return None
        self.interest.observe(getattr(msg, "text", ""), now, current_id)
        event = self.interest.event(now, current_id)
        if event["suggested"] != self._last_suggestion:
            self._last_suggestion = event["suggested"]
            return event
        return None

    def fast_reply(self, text: str, user: str, about: Product, lang: str, *,
                   users: list[str] | None = None, now: float = 0.0, brief: bool = False) -> FastReply | None:
        """An answer without the LLM: an injection deflected, or the facts-first decision
        (vhost.brain.answerer: a fact, an honest unknown, a refusal, an age verdict). None: small
        talk, for the LLM to phrase (its words are verified before they are spoken). `about`: the
        product on screen or named; `users`: every viewer who asked (a merged question); `brief`:
        other viewers are waiting (an honest unknown then leaves out "what I know: ...")."""
        injected = detect_injection(text)
        reasons = [f"injection: '{injected}'"] if injected else []
        if injected is not None:
            rest = question_part(text)
            if not rest:
                return FastReply(DEFLECT.get(lang, DEFLECT["en"]), "guard", reasons)
            text = rest
        d = self.answerer.decide(text, users or [user], about, self.recent.get(user, now, about.id), lang)
        if d.kind == "chat":
            return None
        product = d.product or about
        if brief and d.kind == "unknown" and d.text:  # others waiting: the honest line, not also what is known
            d.text = self.answerer.composer.unknown(users or [user], lang)
        translate = None
        if not d.text:  # a fact the catalog has only in another language: its own words
            fact = self.answerer.kb.get(d.facts[0])
            translate = next(iter(fact.texts.values())) if fact else None
            if translate and polarity.DROPPED in d.reasons:
                translate = polarity.without_lead(translate)
            d.text = source_line(translate, lang) if translate else ""
        # Every word of the line is the catalog's (or the operator's, taught live), so numbers need
        # no grounding; the rules still apply: a catalog line that breaks one is never said as is.
        comp = check_compliance(d.text, lang, product, self.catalog, names=users or [user])
        held = comp.reasons
        attached = [n for f in self.answerer.kb.notices(product.id) if (n := f.text(lang)) and n in d.text]
        if d.facts and all(getattr(self.answerer.kb.get(i), "kind", "") == "notice" for i in d.facts):
            held = as_notice(held, d.text)  # a mandatory notice as written
        elif held and attached:  # "... Do not use if pregnant ... a health condition": the answer's notice as written
            rest = functools.reduce(lambda t, n: t.replace(n, " "), attached, d.text)
            held = check_compliance(rest, lang, product, self.catalog, names=users or [user]).reasons + [
                r for n in attached for r in as_notice(check_compliance(n, lang, product, self.catalog).reasons, n)]
        if held:
            reasons += [f"held: {d.text!r} ({'; '.join(held)})"]
            d.kind, d.text = "unknown", self.answerer.composer.unknown(users or [user], lang)
            translate = None
        self.recent.note(user, product, now, about.id)
        path = "facts" if d.kind == "fact" else d.kind
        return FastReply(d.text, path, reasons + d.reasons, d, translate, users or [user])

    @property
    def embedder(self) -> Embedder | None:
        """The multilingual sentence embedding the facts are found with (None: words only)."""
        return self.answerer.retriever.embedder

    def fact_line(self, text: str, users: list[str], lang: str) -> str:
        """A fact's words (e.g. translated) as a spoken answer to these viewers."""
        return self.answerer.composer.fact(text, users, lang)

    def name_last(self, line: str, users: list[str], lang: str) -> str | None:
        """The line with the askers named at its end (None: it does not open with their name)."""
        return self.answerer.composer.name_last(line, users, lang)

    def likely_lines(self, product: Product, lang: str) -> list[str]:
        """The words answers about `product` will say after the asker's name, in `lang`: its facts
        (price first, selling points last), the shop's policies, then the honest unknowns."""
        facts = sorted(self.answerer.kb.facts(product.id), key=lambda f: _LIKELY.get(f.kind, len(_LIKELY)))
        return [t for f in facts if (t := f.text(lang))] + self.answerer.composer.fixed_lines(lang)

    def likely_in(self, product: Product, langs: list[str]) -> list[tuple[str, str]]:
        """(lang, line) of `likely_lines` in every language, interleaved: the price in each
        language before the first spec in any (the order they are prepared in)."""
        per_lang = [self.likely_lines(product, lang) for lang in langs]
        return [(lang, line) for row in zip_longest(*per_lang) for lang, line in zip(langs, row, strict=True) if line]

    def leads(self, user: str, lang: str) -> list[str]:
        """How an answer to `user` may open, in `lang` (their name, as the composer says it)."""
        return self.answerer.composer.openings([user], lang)

    def learn(self, product_id: str, question: str, answer: str, lang: str) -> None:
        """The operator's answer to a question the catalog lacked: a fact from now on."""
        self.answerer.learn(product_id, question, answer, lang)

    def llm_question(self, text: str) -> str:
        """The part of a message the LLM may see (an injection in front is cut off)."""
        return question_part(text) if detect_injection(text) else text

    def history(self, user: str, about: Product, lang: str, user_id: str = "") -> list[tuple[str, str]]:
        return self.memory.history(user, user_id, lang, product_id=about.id)

    def heard(self, user: str, question: str, heard_text: str, about_id: str,
              user_id: str = "", now: float = 0.0) -> None:
        self.memory.answered(user, question, heard_text, user_id, now, product_id=about_id)

    def guard(self, text: str, lang: str, product: Product) -> list[str]:
        """Compliance reasons for a line about to be spoken (empty: fine). For Show's guard hook;
        operator lines may be checked too and shown as a warning rather than blocked."""
        return check_compliance(text, lang, product, self.catalog).reasons

    def thanks_line(self, now: float, lang: str) -> str | None:
        return self.thanks.take_if_due(now, lang)

    def script_segment(self, product: Product, lang: str) -> Segment:
        """The next quiet-time segment for `product` (same one again until `script_heard`)."""
        loop = self._scripts.get(lang)
        if loop is None:
            loop = self._scripts[lang] = ScriptLoop(product, lang)
        elif loop.product.id != product.id:
            loop.set_product(product)
        return loop.current()

    def script_heard(self, segment: Segment) -> None:
        """The segment was heard to the end: move on. (Interrupted: do not call; it resumes.)"""
        loop = self._scripts.get(segment.lang)
        if loop is not None and loop.product.id == segment.product_id and \
                loop.current().kind == segment.kind:
            loop.advance()
