"""The one pydantic base every file schema shares: unknown keys are errors, not silently ignored
(a typo in a config, catalog or manifest names the field instead of doing nothing)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Frozen(Strict):
    """Strict, and immutable once validated (so also hashable): for records read from files that
    the program only reads (catalog, persona, model manifests)."""

    model_config = ConfigDict(frozen=True)
