"""Everything the show tells the outside, as typed events.

One type per kind. The console, the control API's WebSocket (`{"kind", "data", "t"}`), the session
record and the headless report all consume these same objects; `event.data()` is the JSON payload
(the shape the WebSocket sends and the record stores), `event.kind` its name. The control API's
OpenAPI document takes its event schemas from these models (`event_schemas()`).

Times (`received_at`, `first_audio_at`, `now`, `clock`...) are on the show clock: the audio sink's
sample clock, in seconds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from vhost.base.commands import Mode

DraftSource = Literal["reply", "guard", "thanks", "script"]
DraftState = Literal["pending", "approved", "skipped", "expired", "spoken", "failed"]
DraftChange = Literal["created", "edited", "approved", "skipped", "pinned", "unpinned", "held", "expired",
                      "spoken", "failed"]


class Event(BaseModel):
    """Base of every show event. `OPTIONAL`: keys left out of `data()` when they are None (they
    only appear on some events of the kind, e.g. a warning's `restore`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: ClassVar[str] = ""
    OPTIONAL: ClassVar[frozenset[str]] = frozenset()

    def data(self) -> dict[str, Any]:
        d = self.model_dump(mode="json")
        for key in self.OPTIONAL:
            if d.get(key) is None:
                d.pop(key, None)
        return d

    def wire(self) -> dict[str, Any]:
        return {"kind": self.kind, "data": self.data()}


class _Open(Event):
    """An event whose payload is another part's own record (kept as the part builds it)."""

    model_config = ConfigDict(extra="allow", frozen=True)


# --- chat and triage -------------------------------------------------------------------------
class TriageDecision(Event):
    kind: ClassVar[str] = "triage"
    id: str
    accepted: bool
    intent: str
    rank: int | None = None
    reason: str
    merged_into: str | None = None
    merged_count: int = 1
    target_count: int | None = None
    detail: str = ""


class ChatReceived(TriageDecision):
    """A chat event on arrival, with what triage decided for it."""

    kind: ClassVar[str] = "chat"
    user: str
    text: str
    platform: str
    received_at: float
    # the chat event's own kind (message, gift, paid...): "kind" in data() and in the schema
    kind_: str = Field("message", serialization_alias="kind")
    amount: float | None = None
    currency: str | None = None

    def data(self) -> dict[str, Any]:
        d = super().data()
        d["kind"] = d.pop("kind_")
        return d


class Recommendation(Event):
    kind: ClassVar[str] = "recommendation"
    scores: dict[str, float]
    suggested: str | None = None
    reason: str = ""


class Health(Event):
    """A connector's state: connecting | live | reconnecting | auth failed | stopped, or "warning"
    (a notice such as skipped bad frames that leaves the state as it is)."""

    kind: ClassVar[str] = "health"
    connector: str
    state: str
    detail: str = ""


# --- the operator's side ----------------------------------------------------------------------
class OperatorWarning(Event):
    """For the operator (console, API), never the stage. `restore`: text to put back in the box."""

    kind: ClassVar[str] = "warning"
    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"restore"})
    text: str
    restore: str | None = None


class CommandSeen(_Open):
    """A command as received: {command: class name, **its fields}."""

    kind: ClassVar[str] = "command"
    command: str


@dataclass
class Draft:
    """A drafted reply, as the draft book keeps it (vhost.show.drafts.DraftBook changes it in place)
    and as `DraftChanged`, GET /api/drafts and the record carry it (`to_dict()`)."""

    __pydantic_config__ = ConfigDict(extra="forbid")
    id: str
    chat_id: str | None
    user: str
    chat_text: str
    lang: str
    text: str
    created_at: float
    reasons: list[str] = field(default_factory=list)
    held_back: list[str] = field(default_factory=list)
    source: DraftSource = "reply"
    original_text: str = ""
    state: DraftState = "pending"
    pinned: bool = False
    touched: bool = False
    deadline: float | None = None
    edits: list[dict[str, Any]] = field(default_factory=list)
    heard_text: str | None = None
    interrupted: bool = False

    def __post_init__(self) -> None:
        if not self.original_text:
            self.original_text = self.text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class DraftChanged(Event):
    kind: ClassVar[str] = "draft"
    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"before", "after", "auto"})
    change: DraftChange
    draft: Draft
    now: float
    before: str | None = None
    after: str | None = None
    auto: bool | None = None


class ModeChanged(Event):
    kind: ClassVar[str] = "mode"
    mode: Mode


class ProductChanged(Event):
    kind: ClassVar[str] = "product"
    id: str
    name: str


class AutoReplyChanged(Event):
    kind: ClassVar[str] = "auto_reply"
    enabled: bool


class MutedChanged(Event):
    kind: ClassVar[str] = "muted"
    muted: bool


class Speaking(BaseModel):
    source: str
    text: str


class StateChanged(Event):
    """The show's state after every operator command (and on request)."""

    kind: ClassVar[str] = "state"
    mode: Mode
    auto_reply: bool
    muted: bool
    product: dict[str, str]
    emotion: str
    speaking: Speaking | None
    pending_drafts: int
    clock: float


class ControlStarted(Event):
    kind: ClassVar[str] = "control"
    url: str
    token: str


class Status(Event):
    """Start-up progress for the console's status line (a worker loading, the browser source)."""

    kind: ClassVar[str] = "status"
    text: str


class Ready(Event):
    """The show is live (or live, degraded: the reason is in `text`)."""

    kind: ClassVar[str] = "ready"
    text: str


class ObsState(Event):
    """The OBS link: connecting, connected, auth_failed, disconnected (or disabled). While not
    connected, `retry_in_s` says when the next attempt is (new settings retry at once)."""

    kind: ClassVar[str] = "obs"
    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"retry_in_s"})
    state: str
    detail: str = ""
    retry_in_s: float | None = None


# --- speech ----------------------------------------------------------------------------------
class ReplyStarted(Event):
    kind: ClassVar[str] = "reply_started"
    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"draft"})
    chat_id: str
    user: str
    draft: bool | None = None


class ReplySpeaking(Event):
    """A reply's first audio is heard."""

    kind: ClassVar[str] = "speaking"
    chat_id: str


class ReplyHeard(_Open):
    """A finished reply: what was asked, what was said and heard, how fast, which path, what the
    guards did (vhost.show.transcript.reply_record has every key)."""

    kind: ClassVar[str] = "reply"
    chat_id: str
    reply_text: str
    heard_text: str
    interrupted: bool
    latency_s: float | None
    path: str
    draft_id: str | None = None


class UnansweredQuestion(Event):
    """A viewer's question the catalog does not answer: the host said so ("I'll check with the
    team"); the operator may answer it once (AnswerQuestion), spoken and saved to the FAQ."""

    kind: ClassVar[str] = "unanswered"
    id: str  # the chat message's id
    user: str
    text: str
    product_id: str
    lang: str
    at: float
    said: str


class QuestionAnswered(Event):
    kind: ClassVar[str] = "answered"
    id: str
    text: str
    saved: bool
    detail: str = ""


class Spoken(Event):
    """Speech that answered no viewer: the operator's line, a script segment, a thanks line."""

    kind: ClassVar[str] = "spoken"
    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"segment", "variant", "template", "last_audio_at"})
    source: str
    heard_text: str
    interrupted: bool
    first_audio_at: float | None
    last_audio_at: float | None = None  # when its last sample was heard (sink clock)
    segment: str | None = None
    variant: int | None = None  # a script segment's template number (1-based): which pitch was said
    template: str | None = None


SHOW_EVENTS: tuple[type[Event], ...] = (
    ChatReceived, TriageDecision, Recommendation, Health, OperatorWarning, CommandSeen, DraftChanged, ModeChanged,
    ProductChanged, AutoReplyChanged, MutedChanged, StateChanged, ControlStarted, ObsState, Status, Ready, ReplyStarted,
    ReplySpeaking, ReplyHeard, Spoken, UnansweredQuestion, QuestionAnswered,
)
BY_KIND: dict[str, type[Event]] = {e.kind: e for e in SHOW_EVENTS}


def event_schemas() -> dict[str, dict]:
    """JSON schemas of every event's `data`, by kind (for the OpenAPI document)."""
    return {kind: cls.model_json_schema(mode="serialization") for kind, cls in BY_KIND.items()}
