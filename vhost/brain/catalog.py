"""The product catalog: the only source of facts the host may speak about.

Loaded from TOML. Validation errors name the file, the product (id and index) and the field,
because the catalog is hand-edited by a non-programmer before a show.
"""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from vhost.base.schema import Frozen
from vhost.base.tomlfile import key_line, read_toml

CURRENCY_SYMBOLS: dict[str, str] = {
    "USD": "$",
    "CAD": "C$",
    "AUD": "A$",
    "EUR": "€",
    "GBP": "£",
    "CNY": "¥",
    "JPY": "¥",
}

# Labels for the compact fact sheet, per language; English is the fallback.
_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "deal": " (was {was}, {pct}% off)",
        "stock": "{n} in stock",
        "sold_out": "sold out",
        "colon": ": ",
        "end": ".",
        "sep": "; ",
        "gap": " ",
        "points": "Points",
        "specs": "Specs",
        "faq": "FAQ",
    },
    "zh": {
        "deal": "（原价{was}，优惠{pct}%）",
        "stock": "库存{n}件",
        "sold_out": "已售罄",
        "colon": "：",
        "end": "。",
        "sep": "；",
        "gap": "",
        "points": "卖点",
        "specs": "规格",
        "faq": "问答",
    },
}


class CatalogError(ValueError):
    """The catalog file is missing, not TOML, or fails validation (message says where)."""


class FaqItem(Frozen):
    q: str = Field(min_length=1)
    a: str = Field(min_length=1)


class ProductI18n(Frozen):
    """Per-language overrides; anything left out falls back to the base (English) text."""

    name: str | None = None
    tagline: str | None = None
    selling_points: list[str] | None = None
    faq: list[FaqItem] | None = None
    specs: dict[str, str] | None = None
    notices: list[str] | None = None

    @field_validator("specs", mode="before")
    @classmethod
    def _specs_as_text(cls, v: Any) -> Any:
        return _specs_text(v)


Category = Literal["cosmetics", "kids", "food", "health", "electronics", "apparel", "kitchen", "home", "other"]
CATEGORIES: tuple[str, ...] = get_args(Category)


class Product(Frozen):
    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = Field(min_length=1)
    tagline: str = ""
    price: float = Field(gt=0)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    original_price: float | None = Field(default=None, gt=0)
    stock: int = Field(ge=0)
    images: list[Path] = Field(default_factory=list)
    selling_points: list[str] = Field(default_factory=list, max_length=8)
    specs: dict[str, str] = Field(default_factory=dict)
    faq: list[FaqItem] = Field(default_factory=list)
    compliance_notes: list[str] = Field(default_factory=list)
    # Overrides the catalog-wide countdown for this product.
    offer_minutes: float | None = Field(default=None, gt=0)
    i18n: dict[str, ProductI18n] = Field(default_factory=dict)
    # Words viewers use for it ("cup", "耳机"); only for spotting which product a message is
    # about, never shown to the model.
    aliases: list[str] = Field(default_factory=list)
    # What rules apply (vhost.brain.compliance: cosmetics efficacy, children's age, health claims).
    category: Category = "other"
    # The youngest age it is suitable for; "can my 3-year-old...?" is answered from it.
    min_age: int | None = Field(default=None, ge=0, le=99)
    # Notices the host must attach to answers they concern ("contains small parts").
    notices: list[str] = Field(default_factory=list)

    @field_validator("price", "original_price")
    @classmethod
    def _finite(cls, v: float | None) -> float | None:
        if v is not None and not math.isfinite(v):
            raise ValueError("must be a finite number")
        return v

    @field_validator("compliance_notes", "notices", mode="before")
    @classmethod
    def _notes_as_list(cls, v: Any) -> Any:
        # A single note is naturally written as a plain string.
        return [v] if isinstance(v, str) else v

    @field_validator("specs", mode="before")
    @classmethod
    def _specs_as_text(cls, v: Any) -> Any:
        return _specs_text(v)

    @model_validator(mode="after")
    def _was_price_not_lower(self) -> Product:
        if self.original_price is not None and self.original_price < self.price:
            raise ValueError(
                f"original_price ({self.original_price}) is lower than price ({self.price})"
            )
        return self

    @property
    def currency_symbol(self) -> str:
        return CURRENCY_SYMBOLS.get(self.currency, self.currency + " ")

    @property
    def discount_percent(self) -> int | None:
        """Whole-percent discount off the original price, rounded half up; None if no discount."""
        if self.original_price is None or self.original_price <= self.price:
            return None
        return int(math.floor((1 - self.price / self.original_price) * 100 + 0.5))

    @property
    def image_path(self) -> Path | None:
        return self.images[0] if self.images else None

    def format_price(self, amount: float) -> str:
        """`$24.99`, or `$25` for whole amounts, which read better when spoken."""
        text = f"{amount:.0f}" if float(amount).is_integer() else f"{amount:.2f}"
        return self.currency_symbol + text

    def localized(self, lang: str) -> Product:
        """A copy with the `lang` overrides applied (name, tagline, selling points, FAQ, specs)."""
        over = self.i18n.get(lang)
        if over is None:
            return self
        update = {
            k: v
            for k, v in over.model_dump(exclude_none=True).items()
            if k in ("name", "tagline", "selling_points", "specs", "notices")
        }
        if over.faq is not None:
            update["faq"] = list(over.faq)
        return self.model_copy(update=update)

    def facts_text(self, lang: str = "en") -> str:
        """A compact fact sheet for the system prompt, in `lang` where overrides exist.

        Dense on purpose: every token here is prefilled for each product and a 0.5B model
        follows short labelled lines better than prose.
        """
        p = self.localized(lang)
        lab = _LABELS.get(lang, _LABELS["en"])
        sep, colon, end = lab["sep"], lab["colon"], lab["end"]
        price = p.format_price(p.price)
        if p.original_price is not None and p.discount_percent is not None:
            price += lab["deal"].format(
                was=p.format_price(p.original_price), pct=p.discount_percent
            )
        stock = lab["stock"].format(n=p.stock) if p.stock > 0 else lab["sold_out"]
        lines = [p.name + colon + price + end + lab["gap"] + stock + end]
        if p.selling_points:
            lines.append(lab["points"] + colon + sep.join(p.selling_points) + end)
        if p.specs:
            specs = sep.join(f"{k.replace('_', ' ')} {v}" for k, v in p.specs.items())
            lines.append(lab["specs"] + colon + specs + end)
        if p.faq:
            lines.append(lab["faq"] + colon + " | ".join(f"{f.q} {f.a}" for f in p.faq))
        return "\n".join(lines)


class Shop(Frozen):
    """Shop-wide policies, `[shop]` in the catalog: key = text (how_to_buy, shipping, returns,
    payment, warranty... any key). What is not here is unknown: the host says so."""

    model_config = ConfigDict(extra="allow", frozen=True)
    i18n: dict[str, dict[str, str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _texts(self) -> Shop:
        for k, v in (self.model_extra or {}).items():
            if not isinstance(v, str) or not v.strip():
                raise ValueError(f"shop.{k}: must be a non-empty text")
        return self

    @property
    def policies(self) -> dict[str, str]:
        return {k: str(v) for k, v in (self.model_extra or {}).items()}

    def policy(self, key: str, lang: str = "en") -> str | None:
        return self.i18n.get(lang, {}).get(key) or self.policies.get(key)


class Catalog(Frozen):
    products: list[Product] = Field(min_length=1)
    offer_minutes: float = Field(default=15.0, gt=0)
    shop: Shop = Field(default_factory=Shop)

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalog:
        seen: set[str] = set()
        for p in self.products:
            if p.id in seen:
                raise ValueError(f"duplicate product id '{p.id}'")
            seen.add(p.id)
        return self

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.products]

    def get(self, product_id: str) -> Product:
        """The product with this id; KeyError (listing the known ids) if there is none."""
        for p in self.products:
            if p.id == product_id:
                return p
        raise KeyError(f"unknown product id '{product_id}' (known: {', '.join(self.ids)})")

    def __contains__(self, product_id: object) -> bool:
        return any(p.id == product_id for p in self.products)

    def others(self, product_id: str) -> list[Product]:
        return [p for p in self.products if p.id != product_id]

    def offer_seconds(self, product_id: str) -> float:
        """Length of the on-screen countdown for this product, in seconds."""
        p = self.get(product_id)
        return 60.0 * (p.offer_minutes if p.offer_minutes is not None else self.offer_minutes)

    def find_mentioned(self, text: str) -> Product | None:
        """The product a chat message is about (by id, name or alias), earliest mention first.

        Lets the caller answer "how long do the earbuds last?" with the earbuds' facts even
        while another product is on screen. None if no product is named.
        """
        text = unicodedata.normalize("NFKC", text).casefold()
        best: tuple[int, int, Product] | None = None
        for p in self.products:
            for name in product_names(p):
                pos = _find_term(text, name.casefold())
                if pos is not None and (best is None or (pos, -len(name)) < best[:2]):
                    best = (pos, -len(name), p)
        return best[2] if best else None

    def mentioned(self, text: str) -> list[Product]:
        """Every product a message names (by id, name or alias)."""
        text = unicodedata.normalize("NFKC", text).casefold()
        return [p for p in self.products if any(_find_term(text, n.casefold()) is not None for n in product_names(p))]

    def missing_images(self) -> list[Path]:
        """Image files named by the catalog that do not exist (for a pre-show check)."""
        return [img for p in self.products for img in p.images if not img.is_file()]


def product_names(p: Product) -> list[str]:
    """What a viewer may call a product: its id, name, aliases and translated names."""
    return [p.id, p.name, *p.aliases, *(o.name for o in p.i18n.values() if o.name)]


def _specs_text(v: Any) -> Any:
    # `weight = 320` in TOML is an int; the fact sheet only needs text.
    if isinstance(v, dict):
        return {k: str(x) if isinstance(x, int | float) and not isinstance(x, bool) else x
                for k, x in v.items()}
    return v


# "super light", "so mini": an alias that is also a plain word, said as one, names no product.
_INTENSIFIED = re.compile(r"(?<![a-z])(?:super|so|very|too|really|rly|pretty|quite|soo+)\s+$")
# "washing machine" is no "machine" of the catalog's (a "sewing machine" is found by that name):
# a word the alias is the head of, with a verb's -ing before it.
_GERUND = re.compile(r"(?<![a-z])(?!(?:amazing|stunning|charming|interesting|exciting|matching|darling)\s)[a-z]{2,}ing\s+$")


def _find_term(text: str, term: str) -> int | None:
    """Position of `term` in `text`: whole words (plural s allowed) for Latin, substring for CJK."""
    if not term:
        return None
    if term.isascii():
        # "chili cards" is also "the chili card thing"
        stem = term[:-1] if len(term) > 4 and term.endswith("s") and not term.endswith("ss") else term
        for m in re.finditer(rf"(?<![a-z0-9]){re.escape(stem)}(?:s|es)?(?![a-z0-9])", text):
            before = text[:m.start()]
            if not _INTENSIFIED.search(before) and not _GERUND.search(before):
                return m.start()
        return None
    pos = text.find(term)
    return pos if pos >= 0 else None


def _format_errors(err: ValidationError, where: str, toml: Path | None = None, at: tuple = ()) -> list[str]:
    """One line per error: where, the field, what is wrong, and the line of `toml` (a TOML catalog;
    `at` is the error's location prefix in that file, e.g. ("products", 1))."""
    out = []
    for e in err.errors():
        field = ".".join(str(x) for x in e["loc"]) or "(product)"
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown field (typo?)"
        line = key_line(toml, (*at, *e["loc"])) if toml is not None else None
        out.append(f"{where}: {field}: {msg}" + (f" (line {line})" if line else ""))
    return out


def _resolve_images(raw: dict[str, Any], base: Path) -> None:
    images = raw.get("images")
    if isinstance(images, list):
        raw["images"] = [
            str(base / img) if isinstance(img, str) and not Path(img).is_absolute() else img
            for img in images
        ]


def _read_catalog_file(path: Path) -> tuple[dict[str, Any], list[int] | None]:
    from vhost.brain.catalog_import import ImportProblem, read_csv, read_json

    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv"):
        return read_toml(path, "catalog", CatalogError), None
    try:
        if suffix == ".json":
            return read_json(path), None
        return read_csv(path)
    except FileNotFoundError as e:
        raise CatalogError(f"{path}: catalog file not found") from e
    except OSError as e:
        raise CatalogError(f"{path}: cannot read catalog: {e}") from e
    except ImportProblem as e:
        raise CatalogError(f"{path}: {e}") from e


def load_catalog(path: str | Path) -> Catalog:
    """Read and validate a catalog (.toml; .json with the same structure; or a .csv export, see
    vhost.brain.catalog_import); raise CatalogError naming every bad field."""
    path = Path(path)
    data, rows = _read_catalog_file(path)

    raw_products = data.pop("products", None)
    if not isinstance(raw_products, list) or not raw_products:
        raise CatalogError(f"{path}: needs at least one [[products]] table")

    # Validate each product on its own so an error can name the product, not just an index.
    toml = path if rows is None and path.suffix.lower() not in (".json", ".csv") else None  # lines: TOML only
    errors: list[str] = []
    products: list[Product] = []
    for i, raw in enumerate(raw_products):
        pid = raw.get("id") if isinstance(raw, dict) else None
        at = f"row {rows[i]}" if rows else f"index {i}"
        where = f"{path}: product '{pid}' ({at})" if pid else f"{path}: product {at}"
        if not isinstance(raw, dict):
            errors.append(f"{where}: must be a table")
            continue
        raw = dict(raw)
        _resolve_images(raw, path.parent)
        try:
            products.append(Product.model_validate(raw))
        except ValidationError as e:
            errors.extend(_format_errors(e, where, toml, ("products", i)))
    if errors:
        raise CatalogError("invalid catalog:\n  " + "\n  ".join(errors))

    try:
        return Catalog.model_validate({**data, "products": products})
    except ValidationError as e:
        raise CatalogError(
            "invalid catalog:\n  " + "\n  ".join(_format_errors(e, str(path), toml))
        ) from e
