"""The control API's request bodies: one model per JSON body a route accepts.

The server validates every body through these (a `ValidationError` becomes the model's `refusal`:
the status and message the API answers), and the OpenAPI document takes its request schemas from
them (`model_json_schema()`). Strict, as the API always was: booleans are JSON true/false, text is a
JSON string, nothing is coerced. Keys a model does not name are ignored.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from vhost.avatar.pose import EMOTIONS
from vhost.base.commands import MODES, Mode

MAX_SAY_CHARS = 1000
Emotion = Literal[EMOTIONS]


def _not_blank(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValueError("text is blank")
    return text


# A line to speak: a string with something in it but whitespace, stripped once valid (the length
# limit counts it as sent). The pattern only tells API readers what the validator checks.
_SOMETHING = {"pattern": r"\S"}
Line = Annotated[str, Field(min_length=1, json_schema_extra=_SOMETHING), AfterValidator(_not_blank)]
SayLine = Annotated[str, Field(min_length=1, max_length=MAX_SAY_CHARS, json_schema_extra=_SOMETHING),
                    AfterValidator(_not_blank)]


class Body(BaseModel):
    """Base of the request bodies. `ERROR` and `STATUS`: the answer to a body that does not validate."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)
    ERROR: ClassVar[str] = "malformed body"
    STATUS: ClassVar[int] = 400

    @classmethod
    def refusal(cls, body: dict[str, Any]) -> tuple[int, str]:
        """(status, message) for `body`, which did not validate."""
        return cls.STATUS, cls.ERROR


class SayBody(Body):
    """POST /api/say."""

    ERROR: ClassVar[str] = f"text must be a non-empty string of at most {MAX_SAY_CHARS} characters"
    text: SayLine


class MuteBody(Body):
    """POST /api/mute."""

    ERROR: ClassVar[str] = "muted must be true or false"
    muted: bool


class ModeBody(Body):
    """POST /api/mode."""

    ERROR: ClassVar[str] = f"mode must be one of {', '.join(MODES)}"
    mode: Mode


class ProductBody(Body):
    """POST /api/product. Validated with `context={"products": ids}`, an id outside them is refused
    (404, like one of the wrong type: either way there is no such product)."""

    STATUS: ClassVar[int] = 404
    id: str

    @field_validator("id")
    @classmethod
    def _in_catalog(cls, pid: str, info: ValidationInfo) -> str:
        known = (info.context or {}).get("products")
        if known is not None and pid not in known:
            raise ValueError("not in the catalog")
        return pid

    @classmethod
    def refusal(cls, body: dict[str, Any]) -> tuple[int, str]:
        return cls.STATUS, f"no product {body.get('id')!r} in the catalog"


class EmotionBody(Body):
    """POST /api/emotion."""

    ERROR: ClassVar[str] = f"emotion must be one of {', '.join(EMOTIONS)}"
    name: Emotion


class DraftEditBody(Body):
    """POST /api/drafts/{id}/edit."""

    ERROR: ClassVar[str] = "text must be a non-empty string; approve, if given, true or false"
    text: Line
    approve: bool = False


class DraftPinBody(Body):
    """POST /api/drafts/{id}/pin (the body may be left out: pin)."""

    ERROR: ClassVar[str] = "pinned must be true or false"
    pinned: bool = True


class AnswerBody(Body):
    """POST /api/questions/{id}/answer."""

    ERROR: ClassVar[str] = "text must be a non-empty string; save, if given, true or false"
    text: SayLine
    save: bool = True


BODIES: tuple[type[Body], ...] = (SayBody, MuteBody, ModeBody, ProductBody, EmotionBody, DraftEditBody, DraftPinBody,
                                  AnswerBody)
