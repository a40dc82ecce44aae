"""Which products a shop's warranty speaks of. "The KeyForge K75 keyboard has a 1-year warranty" is
no warranty for the wrist rest: a warranty that names some of the shop's products, and not this
one, does not answer for it (the wrist rest's warranty is unknown, not the keyboard's). Other
policies name products for an option, an exception, a bundle or a gift ("choose the flex for the
driver", "a 2 ml sample of the perfume over 199"): they stay shop-wide (measured on 63 catalogs:
scoping them lost six right answers).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from vhost.brain.catalog import Catalog, Product

if TYPE_CHECKING:
    from vhost.brain.knowledge import Fact
    from vhost.brain.retrieval import Scored

SCOPED = frozenset({"warranty"})


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def distinctive_names(product: Product) -> list[str]:
    """Names that say this product and no other: its full names, and aliases with a capital or a
    digit ("K75", "AeroSpin"); "balls", "the mat" or "三脚架" may be a kind of product."""
    full = [product.name, *(o.name for o in product.i18n.values() if o.name)]
    marked = [a for a in product.aliases if len(a) >= 3 and re.search(r"[A-Z0-9]", a)]
    return [_fold(n) for n in (*full, *marked)]


def named_products(fact: Fact, catalog: Catalog) -> frozenset[str]:
    """The ids of the products a fact's text names by a distinctive name."""
    text = _fold(" ".join(fact.texts.values()))
    return frozenset(p.id for p in catalog.products if any(n in text for n in distinctive_names(p)))


def applies(fact: Fact, product_id: str, catalog: Catalog) -> bool:
    """A product's own fact, a shop-wide policy, or a warranty naming this product or none."""
    if fact.product_id is not None or not set(fact.attrs) & SCOPED:
        return True
    named = named_products(fact, catalog)
    return not named or product_id in named


def own_first(hits: list[Scored], wanted: set[str]) -> list[Scored]:
    """A product's own spec of the attribute asked beats the shop's policy of it: "the foot
    massager's warranty is 3 years?" is its "24 months", not the shop's "listed for each product"."""
    own = any(h.fact.product_id is not None and h.fact.kind == "spec" and wanted & set(h.fact.attrs) for h in hits)
    return [h for h in hits if not own or h.fact.product_id is not None or not wanted & set(h.fact.attrs)]
