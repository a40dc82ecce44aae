"""The control API's OpenAPI 3.1 document (served at /api/openapi.json and kept in docs/openapi.json:
`python -m vhost.control.openapi docs/openapi.json` regenerates it; a test checks it is current).

No data shape is written out here: the request bodies come from their models (vhost.control.bodies),
drafts, the state and the WebSocket's event messages from vhost.base.events (`event_schemas()`), all
under components.schemas (nested `$defs` hoisted there too, their refs pointed at them).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, get_args

from pydantic import TypeAdapter

from vhost.base.commands import MODES
from vhost.base.events import Draft, DraftState, event_schemas
from vhost.control import bodies

_REF = "#/components/schemas/"
_OK = {"202": {"description": "accepted: the command is queued on the show's control lane",
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Accepted"}}}},
       "400": {"$ref": "#/components/responses/BadRequest"},
       "401": {"$ref": "#/components/responses/Unauthorized"}}
_DRAFT_ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}, "example": "d3"}]
_QUESTION_ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
                 "description": "the chat message id of the unanswered question"}]
_NOT_PENDING = {"404": {"$ref": "#/components/responses/NotFound"},
                "409": {"description": "the draft is no longer pending (spoken, skipped, expired)",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}

# ControlSurface.state(): the surface's own keys, next to the show's, in GET /api/state and the
# WebSocket's first message.
_SURFACE_STATE = {
    "obs": {"type": "object", "properties": {"state": {"type": "string"}, "detail": {"type": "string"}}},
    "control": {"type": "object", "properties": {"url": {"type": ["string", "null"]}, "clients": {"type": "integer"}}},
    "hotkeys": {"type": "boolean"},
    "session_id": {"type": ["string", "null"]},
}


def _ref(name: str) -> dict:
    return {"$ref": _REF + name}


def _body(model: type[bodies.Body], required: bool = True) -> dict:
    return {"required": required, "content": {"application/json": {"schema": _ref(model.__name__)}}}


def _post(summary: str, body: dict | None = None, extra: dict | None = None, params: list | None = None) -> dict:
    op: dict = {"summary": summary, "responses": {**_OK, **(extra or {})}}
    if body is not None:
        op["requestBody"] = body
    if params:
        op["parameters"] = params
    return {"post": op}


def build_openapi() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "vhost control API", "version": "1.0.0", "description": (
            "Drive the live show from outside (Stream Deck, scripts, a second screen). Listens on "
            "127.0.0.1 only. Every route except this document needs `Authorization: Bearer <token>` "
            "(the console shows the token; `vhost demo --control-token` sets it); a missing or wrong "
            "token gets 401 and nothing is done. Commands are queued on the show's control lane, "
            "ahead of any chat, and answered 202.")},
        "servers": [{"url": "http://127.0.0.1:{port}", "variables": {"port": {"default": "8765"}}}],
        "security": [{"bearer": []}],
        "paths": {**_command_paths(), **_read_paths()},
        "components": _components(),
    }


def _command_paths() -> dict:
    """The show commands (POST), in the document's order: up to /api/emotion."""
    return {
        "/api/say": _post("Say now: interrupt, flush, then speak this line first", _body(bodies.SayBody)),
        "/api/interrupt": _post("Silence now; only the heard part is recorded"),
        "/api/pause": _post("Pause replies (no new drafts, no assisted auto-approvals)"),
        "/api/resume": _post("Resume replies"),
        "/api/mute": _post("Mute or unmute the voice", _body(bodies.MuteBody)),
        "/api/mode": _post("Set the reply mode", _body(bodies.ModeBody)),
        "/api/product": _post("Switch the live product (card, LLM facts, OBS scene)", _body(bodies.ProductBody),
                              {"404": {"$ref": "#/components/responses/NotFound"}}),
        "/api/emotion": _post("Set the avatar's emotion", _body(bodies.EmotionBody)),
    }


def _read_paths() -> dict:
    """State, drafts (and their commands), the event stream and this document."""
    return {
        "/api/state": {"get": {"summary": "The show's state", "responses": {
            "200": {"description": "state", "content": {"application/json": {"schema": _ref("State")}}},
            "401": {"$ref": "#/components/responses/Unauthorized"}}}},
        "/api/drafts": {"get": {"summary": "Drafts, oldest first", "parameters": [
            {"name": "state", "in": "query", "required": False, "schema": {"enum": list(get_args(DraftState))},
             "description": "only drafts in this state, e.g. pending"}], "responses": {
            "200": {"description": "drafts", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"mode": {"enum": list(MODES)}, "drafts": {
                    "type": "array", "items": _ref("Draft")}}}}}},
            "401": {"$ref": "#/components/responses/Unauthorized"}}}},
        **_draft_paths(),
        **_question_paths(),
        "/api/events": {"get": {"summary": "WebSocket stream of show events", "description": (
            "Upgrade to a WebSocket. Each message is JSON {kind, data, t} (components.schemas."
            "EventMessage; `x-events` names each kind's data schema; t is the Unix time it was sent). "
            "The first message is the current state, as GET /api/state gives it, without t. "
            "Browsers, which cannot set headers on a WebSocket, may pass ?token=..."),
            "x-message": _ref("EventMessage"),
            "x-events": _event_refs(),
            "responses": {
                "101": {"description": "switching protocols"},
                "400": {"description": "not a WebSocket upgrade", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"error": {"type": "string"}}}}}},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "403": {"description": "a browser page from another site (its Origin is not this machine)"}}}},
        "/api/openapi.json": {"get": {"summary": "This document", "security": [],
                                      "responses": {"200": {"description": "OpenAPI 3 document"}}}},
    }


def _draft_paths() -> dict:
    return {
        "/api/drafts/{id}/approve": _post("Speak a pending draft", None, _NOT_PENDING, _DRAFT_ID),
        "/api/drafts/{id}/skip": _post("Drop a pending draft unspoken", None, _NOT_PENDING, _DRAFT_ID),
        "/api/drafts/{id}/edit": _post("Replace a draft's text (the original is kept); approve=true also speaks it",
                                       _body(bodies.DraftEditBody), _NOT_PENDING, _DRAFT_ID),
        "/api/drafts/{id}/pin": _post("Pin (never expires, never auto-spoken) or unpin a draft",
                                      _body(bodies.DraftPinBody, required=False), _NOT_PENDING, _DRAFT_ID),
    }


def _question_paths() -> dict:
    return {
        "/api/questions": {"get": {"summary": "Questions the catalog could not answer, still open, oldest first",
                                   "responses": {"200": {"description": "questions", "content": {"application/json": {
                                       "schema": {"type": "object", "properties": {"questions": {
                                           "type": "array", "items": _ref("UnansweredQuestion")}}}}}},
                                       "401": {"$ref": "#/components/responses/Unauthorized"}}}},
        "/api/questions/{id}/answer": _post(
            "Answer an open question: spoken to the viewer now, learnt for the show, saved to the catalog's FAQ "
            "(a backup kept) unless save=false", _body(bodies.AnswerBody),
            {"404": {"$ref": "#/components/responses/NotFound"}}, _QUESTION_ID),
    }


def _components() -> dict:
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": _schemas(),
        "responses": {
            "Unauthorized": {"description": "missing or wrong bearer token; nothing was done", "content": error},
            "BadRequest": {"description": "malformed body or value", "content": error},
            "NotFound": {"description": "no such draft or product", "content": error},
        },
    }


# --- components.schemas ---------------------------------------------------------------------
def _relink(node: Any) -> Any:
    """`node` with its local refs (#/$defs/X) pointed at components.schemas."""
    if isinstance(node, dict):
        return {k: _REF + v.removeprefix("#/$defs/") if k == "$ref" else _relink(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_relink(v) for v in node]
    return node


def _add(schemas: dict, schema: dict, name: str | None = None) -> dict:
    """Put `schema` into `schemas` (named `name`, else its title), its $defs beside it; its $ref."""
    schema = dict(schema)
    for sub_name, sub in schema.pop("$defs", {}).items():
        _add(schemas, sub, sub_name)
    name = name or schema["title"]
    schema = _relink(schema)
    if schemas.setdefault(name, schema) != schema:
        raise ValueError(f"two different schemas named {name!r}")
    return _ref(name)


def _state(show_state: dict) -> dict:
    """The `state` event's data, with the surface's own keys that GET /api/state adds."""
    state = {k: v for k, v in show_state.items() if k != "additionalProperties"}
    return {**state, "title": "State", "properties": {**state["properties"], **_SURFACE_STATE}, "description": (
        "The show's state (the `state` event's data); GET /api/state and the WebSocket's first message "
        "add the control surface's own keys (obs, control, hotkeys, session_id).")}


def _event_refs(schemas: dict | None = None) -> dict[str, dict]:
    """Each event kind's data schema (its $ref), added to `schemas` when given."""
    schemas = {} if schemas is None else schemas
    return {kind: _add(schemas, _state(schema) if kind == "state" else schema)
            for kind, schema in event_schemas().items()}


def _event_message(refs: dict[str, dict]) -> dict:
    return {"title": "EventMessage", "description": "A message on the /api/events WebSocket, by kind.", "oneOf": [
        {"type": "object", "required": ["kind", "data"], "properties": {
            "kind": {"const": kind}, "data": ref, "t": {"type": "number", "description": "Unix time, when sent"}}}
        for kind, ref in refs.items()]}


def _schemas() -> dict:
    schemas: dict = {
        "Accepted": {"type": "object", "properties": {"accepted": {"type": "boolean"}, "command": {"type": "string"}}},
        "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
    }
    for model in bodies.BODIES:
        _add(schemas, model.model_json_schema(), model.__name__)
    _add(schemas, TypeAdapter(Draft).json_schema(mode="serialization"))
    schemas["EventMessage"] = _event_message(_event_refs(schemas))
    return schemas


def render() -> str:
    return json.dumps(build_openapi(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "docs/openapi.json"
    Path(out).write_text(render(), encoding="utf-8")
    print(f"wrote {out}")
