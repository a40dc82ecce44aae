"""Everything the stage needs to paint one frame, as plain values (no Qt, no locks).

Only what is on air: the stage has no field for operator status or warnings (a silent audio
device, a chat connector offline) — those go to the console as events, never into the picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from vhost.avatar.pose import RigPose


@dataclass(frozen=True)
class ProductView:
    id: str
    name: str
    price: float
    currency: str
    original_price: float | None = None
    image_path: str | None = None
    tagline: str = ""
    offer_ends_in_s: float | None = None  # countdown; None hides it
    stock: int | None = None  # units left; None hides the stock bar
    stock_initial: int | None = None  # what the bar is measured against (the first count seen)
    visual_path: str | None = None  # cut-out RGBA PNG from vhost.stage.visuals (else the photo)
    accent: str | None = None  # '#RRGGBB' from the product's palette (else the stage red)


@dataclass(frozen=True)
class StageScene:
    t: float  # show time in seconds (the audio device clock)
    pose: RigPose
    product: ProductView | None = None
    caption: str = ""
    question_user: str = ""  # the viewer whose question is being answered
    question_text: str = ""
    product_since: float | None = None  # show time the card's product appeared (slide-in)
