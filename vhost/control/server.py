"""The control API: HTTP + a WebSocket event stream on 127.0.0.1, for Stream Deck buttons,
scripts and second screens. Runs on the show's own loop, so a command goes straight onto the
control lane (handled before any chat). Every route but the OpenAPI document needs the bearer
token (compared in constant time); a missing or wrong one gets 401 before anything is looked at,
and a browser page from another site (its Origin header, or a Host that is not this machine's:
DNS rebinding) gets 403 even with the token.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web
from pydantic import ValidationError

from vhost.base import commands as cmd
from vhost.control import bodies
from vhost.control.hub import EventHub
from vhost.control.openapi import build_openapi
from vhost.show.drafts import DraftError

log = logging.getLogger(__name__)

HOST = "127.0.0.1"  # never 0.0.0.0: the API speaks for the host, on this machine only
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PUBLIC = {"/api/openapi.json"}
MAX_BODY = 64 * 1024  # a command is a few hundred bytes
B = TypeVar("B", bound=bodies.Body)


def _error(status: int, text: str) -> web.Response:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return web.json_response({"error": text}, status=status, headers=headers)


def _parse(model: type[B], body: dict, context: dict | None = None) -> B | web.Response:
    """`body` as a `model`, or the model's refusal (status and message) as the error response."""
    try:
        return model.model_validate(body, context=context or None)
    except ValidationError:
        return _error(*model.refusal(body))


def local_origin(origin: str | None) -> bool:
    """Whether a request's Origin may drive the show: none (not a browser: Companion, Stream Deck,
    scripts) or a page served from this machine. A web page the streamer merely visits sends its
    own site as Origin, so even with a leaked token it cannot open the event stream or send a command."""
    if origin is None:
        return True
    try:
        url = urlsplit(origin.strip())
        host = url.hostname
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False
    return url.scheme in ("http", "https") and (host or "") in LOOPBACK


def local_host(host: str | None) -> bool:
    """Whether the Host a request was sent to names this machine. A page that re-points its own
    domain name at 127.0.0.1 (DNS rebinding) still sends its domain as Host: refused."""
    if not host:
        return True  # HTTP/1.0 without a Host header: not a browser
    try:
        name = urlsplit(f"//{host.strip()}").hostname
    except ValueError:
        return False
    return (name or "") in LOOPBACK


class ControlServer:
    def __init__(self, show, token: str, hub: EventHub, *, port: int = 0,  # noqa: ANN001 - Show
                 extra_state: Callable[[], dict] | None = None) -> None:
        if not token:
            raise ValueError("the control API needs a token")
        self.show = show
        self.token = token
        self.hub = hub
        self.port = port
        self.extra_state = extra_state or dict
        self._runner: web.AppRunner | None = None
        self.app = self._build()

    # --- lifecycle -----------------------------------------------------------------------
    async def start(self) -> str:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self.url

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- app --------------------------------------------------------------------------------
    def _build(self) -> web.Application:
        app = web.Application(middlewares=[self._auth], client_max_size=MAX_BODY)
        r = app.router
        r.add_get("/api/openapi.json", self._openapi)
        r.add_get("/api/state", self._state)
        r.add_get("/api/drafts", self._drafts)
        r.add_get("/api/events", self._events)
        r.add_post("/api/say", self._say)
        r.add_post("/api/interrupt", self._fixed(cmd.Interrupt()))
        r.add_post("/api/pause", self._fixed(cmd.SetAutoReply(False)))
        r.add_post("/api/resume", self._fixed(cmd.SetAutoReply(True)))
        r.add_post("/api/mute", self._mute)
        r.add_post("/api/mode", self._mode)
        r.add_post("/api/product", self._product)
        r.add_post("/api/emotion", self._emotion)
        r.add_post("/api/drafts/{id}/approve", self._approve)
        r.add_post("/api/drafts/{id}/skip", self._skip)
        r.add_post("/api/drafts/{id}/edit", self._edit)
        r.add_post("/api/drafts/{id}/pin", self._pin)
        r.add_get("/api/questions", self._questions)
        r.add_post("/api/questions/{id}/answer", self._answer)
        return app

    def _authorized(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        given = header[7:].strip() if header[:7].lower() == "bearer " else ""
        if not given and request.path == "/api/events":
            given = request.query.get("token", "")  # browsers cannot set WebSocket headers
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())

    @web.middleware
    async def _auth(self, request: web.Request, handler):  # noqa: ANN001, ANN202 - aiohttp middleware
        if request.path not in PUBLIC and not local_origin(request.headers.get("Origin")):
            return _error(403, "cross-site request refused: only pages served from this machine may connect")
        if request.path not in PUBLIC and not local_host(request.headers.get("Host")):
            return _error(403, "request for another host name refused: use http://127.0.0.1")
        if request.path not in PUBLIC and not self._authorized(request):
            return _error(401, "missing or wrong bearer token")
        return await handler(request)

    def _fixed(self, command: cmd.Command):  # noqa: ANN202 - an aiohttp handler
        async def handler(_request: web.Request) -> web.Response:
            return self._send(command)
        return handler

    def _send(self, command: cmd.Command) -> web.Response:
        self.show.control(command)  # same loop: straight onto the control lane
        return web.json_response({"accepted": True, "command": type(command).__name__}, status=202)

    @staticmethod
    async def _json(request: web.Request) -> dict:
        try:
            body = await request.json()
        except web.HTTPRequestEntityTooLarge:
            raise web.HTTPRequestEntityTooLarge(  # the same clear JSON error as the rest, not aiohttp's text
                MAX_BODY, request.content_length or 0, text=f'{{"error": "body over {MAX_BODY} bytes"}}',
                content_type="application/json") from None
        except (ValueError, RecursionError):  # bad JSON, bad UTF-8, or nesting deep enough to recurse out
            raise web.HTTPBadRequest(text='{"error": "body must be JSON"}', content_type="application/json") from None
        if not isinstance(body, dict):
            raise web.HTTPBadRequest(text='{"error": "body must be a JSON object"}', content_type="application/json")
        return body

    # --- reads -------------------------------------------------------------------------------
    async def _openapi(self, _request: web.Request) -> web.Response:
        return web.json_response(build_openapi())

    async def _state(self, _request: web.Request) -> web.Response:
        return web.json_response({**self.show.state(), **self.extra_state()})

    async def _drafts(self, request: web.Request) -> web.Response:
        want = request.query.get("state")
        drafts = [d.to_dict() for d in self.show.desk.all() if want is None or d.state == want]
        return web.json_response({"mode": self.show.mode, "drafts": drafts})

    async def _questions(self, _request: web.Request) -> web.Response:
        return web.json_response({"questions": self.show.teacher.pending()})

    async def _answer(self, request: web.Request) -> web.Response:
        qid = request.match_info["id"]
        try:
            self.show.teacher.check(qid)
        except KeyError as exc:
            return _error(404, str(exc.args[0]))
        return await self._command(request, bodies.AnswerBody, lambda b: cmd.AnswerQuestion(qid, b.text, b.save))

    async def _events(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(heartbeat=20)
        if not ws.can_prepare(request).ok:  # a plain GET: the same clear JSON error as the rest
            return _error(400, "this route is a WebSocket: send an Upgrade: websocket request")
        await ws.prepare(request)
        q = self.hub.subscribe()
        try:
            await ws.send_json({"kind": "state", "data": {**self.show.state(), **self.extra_state()}})
            reader = asyncio.ensure_future(ws.receive())
            while not ws.closed:
                getter = asyncio.ensure_future(q.get())
                done, _ = await asyncio.wait({getter, reader}, return_when=asyncio.FIRST_COMPLETED)
                if getter in done:
                    await ws.send_str(getter.result())
                else:
                    getter.cancel()
                if reader in done:
                    if reader.result().type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED,
                                                WSMsgType.ERROR):
                        break
                    reader = asyncio.ensure_future(ws.receive())  # clients only listen; ignore text
            reader.cancel()
        except ConnectionResetError:
            pass  # the client went away mid-send: nothing to tell it
        finally:
            self.hub.unsubscribe(q)
            await ws.close()
        return ws

    # --- commands ---------------------------------------------------------------------------
    async def _command(self, request: web.Request, model: type[B], make: Callable[[B], cmd.Command],
                       **context: object) -> web.Response:
        """Validate the body through `model`, then send the command `make` builds from it."""
        body = _parse(model, await self._json(request), context)
        return body if isinstance(body, web.Response) else self._send(make(body))

    async def _say(self, request: web.Request) -> web.Response:
        return await self._command(request, bodies.SayBody, lambda b: cmd.SayNow(b.text))

    async def _mute(self, request: web.Request) -> web.Response:
        return await self._command(request, bodies.MuteBody, lambda b: cmd.SetMuted(b.muted))

    async def _mode(self, request: web.Request) -> web.Response:
        return await self._command(request, bodies.ModeBody, lambda b: cmd.SetMode(b.mode))

    async def _product(self, request: web.Request) -> web.Response:
        return await self._command(request, bodies.ProductBody, lambda b: cmd.SwitchProduct(b.id),
                                   products={p.id for p in self.show.catalog.products})

    async def _emotion(self, request: web.Request) -> web.Response:
        return await self._command(request, bodies.EmotionBody, lambda b: cmd.SetEmotion(b.name))

    def _pending(self, request: web.Request) -> str | web.Response:
        draft_id = request.match_info["id"]
        try:
            self.show.desk.check_pending(draft_id)
        except DraftError as exc:
            return _error(404 if exc.kind == "not_found" else 409, str(exc))
        return draft_id

    async def _approve(self, request: web.Request) -> web.Response:
        d = self._pending(request)
        return d if isinstance(d, web.Response) else self._send(cmd.ApproveDraft(d))

    async def _skip(self, request: web.Request) -> web.Response:
        d = self._pending(request)
        return d if isinstance(d, web.Response) else self._send(cmd.SkipDraft(d))

    async def _edit(self, request: web.Request) -> web.Response:
        d = self._pending(request)
        if isinstance(d, web.Response):
            return d
        return await self._command(request, bodies.DraftEditBody, lambda b: cmd.EditDraft(d, b.text, b.approve))

    async def _pin(self, request: web.Request) -> web.Response:
        d = self._pending(request)
        if isinstance(d, web.Response):
            return d
        body = _parse(bodies.DraftPinBody, await self._json(request) if request.can_read_body else {})
        return body if isinstance(body, web.Response) else self._send(cmd.PinDraft(d, body.pinned))
