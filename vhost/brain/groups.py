"""Who a product is for, asked by a viewer's group or measure: the row of a size table (or a
size's own price) for a measurement, the catalog's warning for a group it names (pregnancy,
diabetes, a child), a child's age beside the product's minimum age. Mixed into `Answerer`
(vhost.brain.answerer) beside `FactChooser` (vhost.brain.choosing), which ranks the candidates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vhost.brain.ages import min_age_of
from vhost.brain.catalog import Product, product_names
from vhost.brain.reading import PET_RISK, child_age, child_months, is_question, sensitive_groups
from vhost.brain.sizing import fit_row
from vhost.brain.variant_price import variant_price

if TYPE_CHECKING:
    from vhost.brain.knowledge import Fact, KnowledgeBase
    from vhost.brain.retrieval import Scored


class GroupChooser:
    kb: KnowledgeBase
    _names: tuple[str, ...]

    def _candidates(self, text: str, product: Product, lang: str) -> list[Scored]:
        raise NotImplementedError

    def _without_names(self, text: str) -> str:
        raise NotImplementedError

    def _fit(self, text: str, product: Product, lang: str) -> tuple[Fact, str] | None:
        facts = self.kb.facts(product.id)  # a size row (vhost.brain.sizing), or a size's own price
        return fit_row(facts, text, lang, self._names) or variant_price(facts, text, lang, self._names)

    def _age_aside(self, age: int | None, product: Product, attrs: list[str]) -> bool:
        """A child old enough for the product, named while something else is asked ("is it heavy?
        my 6yo wants to carry it"): what is asked is answered; the age only says who it is for."""
        floor = self._min_age(product)[0]
        return age is not None and floor is not None and age >= floor and attrs[:1] not in ([], ["age"])

    def _warning(self, text: str, product: Product, lang: str, attrs: list[str]) -> Scored | None:
        """The product's fact that speaks to the group the viewer names (pregnancy, diabetes...),
        a notice first: what the catalog warns is the answer, never a guess either way."""
        # A child counts when given an age ("my 4yo"), not old enough while something else is asked.
        named = sensitive_groups(self._without_names(text))
        baby = child_months(text) is not None and "pregnancy" not in named  # "my 10 month old", not "怀孕5个月"
        age = 0 if baby else child_age(text)
        groups = (named | ({"children"} if baby else set())) - ({"children"} if age is None or self._age_aside(age, product, attrs)
                                                                or self._fit(text, product, lang) else set())  # "5 yo, which size": the row
        if "pets" in sensitive_groups(" ".join(product_names(product))) or not (is_question(text) and PET_RISK.search(text)):
            groups.discard("pets")  # "我家猫超爱", "猫砂一袋多重": no risk to a pet asked about
        if not groups:
            return None
        ranked = [s for s in self._candidates(text, product, lang)
                  if groups & sensitive_groups(" ".join(s.fact.texts.values()))]
        return min(ranked, key=lambda s: (s.fact.kind != "notice", -s.score), default=None)

    def _min_age(self, product: Product) -> tuple[int | None, str]:
        return min_age_of(product, self.kb.facts(product.id))  # vhost.brain.ages

