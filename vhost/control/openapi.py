"""The control API's OpenAPI 3 document (served at /api/openapi.json and kept in docs/openapi.json:
`python -m vhost.control.openapi docs/openapi.json` regenerates it; a test checks it is current)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from vhost.base.commands import MODES

_OK = {"202": {"description": "accepted: the command is queued on the show's control lane",
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Accepted"}}}},
       "400": {"$ref": "#/components/responses/BadRequest"},
       "401": {"$ref": "#/components/responses/Unauthorized"}}
_DRAFT_ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}, "example": "d3"}]
_NOT_PENDING = {"404": {"$ref": "#/components/responses/NotFound"},
                "409": {"description": "the draft is no longer pending (spoken, skipped, expired)",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}


def _body(props: dict, required: list[str]) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "properties": props, "required": required, "additionalProperties": False}}}}


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


def _draft_schema() -> dict:
    return {"type": "object", "description": "a drafted reply (see vhost/show/drafts.py)", "properties": {
        "id": {"type": "string"}, "chat_id": {"type": ["string", "null"]}, "user": {"type": "string"},
        "chat_text": {"type": "string"}, "lang": {"type": "string"}, "text": {"type": "string"},
        "original_text": {"type": "string"},
        "state": {"enum": ["pending", "approved", "skipped", "expired", "spoken", "failed"]},
        "pinned": {"type": "boolean"}, "touched": {"type": "boolean"},
        "reasons": {"type": "array", "items": {"type": "string"}},
        "held_back": {"type": "array", "items": {"type": "string"}}, "source": {"enum": ["reply", "guard"]},
        "created_at": {"type": "number"}, "deadline": {"type": ["number", "null"]},
        "edits": {"type": "array", "items": {"type": "object"}}, "heard_text": {"type": ["string", "null"]},
        "interrupted": {"type": "boolean"}}}


def _state_schema() -> dict:
    return {"type": "object", "properties": {
        "mode": {"enum": list(MODES)}, "auto_reply": {"type": "boolean"}, "muted": {"type": "boolean"},
        "product": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
        "emotion": {"type": "string"}, "speaking": {"type": ["object", "null"]},
        "pending_drafts": {"type": "integer"}, "clock": {"type": "number"}, "obs": {"type": "object"}}}


def _command_paths() -> dict:
    """The show commands (POST), in the document's order: up to /api/emotion."""
    return {
        "/api/say": _post("Say now: interrupt, flush, then speak this line first", _body(
            {"text": {"type": "string", "minLength": 1, "maxLength": 1000}}, ["text"])),
        "/api/interrupt": _post("Silence now; only the heard part is recorded"),
        "/api/pause": _post("Pause replies (no new drafts, no assisted auto-approvals)"),
        "/api/resume": _post("Resume replies"),
        "/api/mute": _post("Mute or unmute the voice", _body({"muted": {"type": "boolean"}}, ["muted"])),
        "/api/mode": _post("Set the reply mode", _body({"mode": {"enum": list(MODES)}}, ["mode"])),
        "/api/product": _post("Switch the live product (card, LLM facts, OBS scene)", _body(
            {"id": {"type": "string"}}, ["id"]), {"404": {"$ref": "#/components/responses/NotFound"}}),
        "/api/emotion": _post("Set the avatar's emotion", _body({"name": {"type": "string"}}, ["name"])),
    }


def _read_paths() -> dict:
    """State, drafts (and their commands), the event stream and this document."""
    return {
        "/api/state": {"get": {"summary": "The show's state", "responses": {
            "200": {"description": "state", "content": {"application/json": {"schema": _state_schema()}}},
            "401": {"$ref": "#/components/responses/Unauthorized"}}}},
        "/api/drafts": {"get": {"summary": "Drafts, oldest first", "parameters": [
            {"name": "state", "in": "query", "required": False, "schema": {"type": "string"},
             "description": "only drafts in this state, e.g. pending"}], "responses": {
            "200": {"description": "drafts", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"mode": {"enum": list(MODES)}, "drafts": {
                    "type": "array", "items": {"$ref": "#/components/schemas/Draft"}}}}}}},
            "401": {"$ref": "#/components/responses/Unauthorized"}}}},
        **_draft_paths(),
        "/api/events": {"get": {"summary": "WebSocket stream of show events", "description": (
            "Upgrade to a WebSocket. Each message is JSON {kind, data, t}: kind is chat, draft, "
            "spoken, reply, state, mode, product, warning, obs, ... (shapes in vhost/show/drafts.py). "
            "The first message is the current state. Browsers, which cannot set headers on a "
            "WebSocket, may pass ?token=..."), "responses": {
            "101": {"description": "switching protocols"},
            "401": {"$ref": "#/components/responses/Unauthorized"}}}},
        "/api/openapi.json": {"get": {"summary": "This document", "security": [],
                                      "responses": {"200": {"description": "OpenAPI 3 document"}}}},
    }


def _draft_paths() -> dict:
    return {
        "/api/drafts/{id}/approve": _post("Speak a pending draft", None, _NOT_PENDING, _DRAFT_ID),
        "/api/drafts/{id}/skip": _post("Drop a pending draft unspoken", None, _NOT_PENDING, _DRAFT_ID),
        "/api/drafts/{id}/edit": _post("Replace a draft's text (the original is kept); approve=true also speaks it",
                                       _body({"text": {"type": "string", "minLength": 1},
                                              "approve": {"type": "boolean", "default": False}}, ["text"]),
                                       _NOT_PENDING, _DRAFT_ID),
        "/api/drafts/{id}/pin": _post("Pin (never expires, never auto-spoken) or unpin a draft", _body(
            {"pinned": {"type": "boolean", "default": True}}, []), _NOT_PENDING, _DRAFT_ID),
    }


def _components() -> dict:
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Accepted": {"type": "object", "properties": {"accepted": {"type": "boolean"},
                                                          "command": {"type": "string"}}},
            "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
            "Draft": _draft_schema(),
        },
        "responses": {
            "Unauthorized": {"description": "missing or wrong bearer token; nothing was done", "content": error},
            "BadRequest": {"description": "malformed body or value", "content": error},
            "NotFound": {"description": "no such draft or product", "content": error},
        },
    }


def render() -> str:
    return json.dumps(build_openapi(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "docs/openapi.json"
    Path(out).write_text(render(), encoding="utf-8")
    print(f"wrote {out}")
