"""An obs-websocket v5 client (OBS Studio ≥ 28) and the product → scene/source link.

Protocol (github.com/obsproject/obs-websocket, docs/generated/protocol.md): the server opens with
Hello (op 0), carrying `authentication: {challenge, salt}` when a password is set; the client
answers Identify (op 1) with base64(sha256(base64(sha256(password + salt)) + challenge)); the
server confirms with Identified (op 2) or closes with 4009 (authentication failed). Then Events
(op 5) arrive, and Requests (op 6) are answered by RequestResponse (op 7) matched on requestId.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import json
import logging
from collections.abc import Callable

import websockets
from websockets.asyncio.client import ClientConnection, connect

log = logging.getLogger(__name__)

OP_HELLO, OP_IDENTIFY, OP_IDENTIFIED, OP_EVENT, OP_REQUEST, OP_RESPONSE = 0, 1, 2, 5, 6, 7
RPC_VERSION = 1
AUTH_FAILED_CLOSE = 4009
EVENTS_GENERAL_SCENES_INPUTS_ITEMS = (1 << 0) | (1 << 2) | (1 << 3) | (1 << 7)
RETRY_CAP_S = 10.0  # the longest wait between two attempts to reach OBS

DISABLED, CONNECTING, CONNECTED, AUTH_FAILED, DISCONNECTED = (
    "disabled", "connecting", "connected", "auth_failed", "disconnected")


def auth_string(password: str, salt: str, challenge: str) -> str:
    secret = base64.b64encode(hashlib.sha256((password + salt).encode()).digest()).decode()
    return base64.b64encode(hashlib.sha256((secret + challenge).encode()).digest()).decode()


class ObsAuthFailed(Exception):
    pass


class ObsRequestError(Exception):
    def __init__(self, request_type: str, code: int, comment: str) -> None:
        super().__init__(f"{request_type} failed ({code}): {comment}")
        self.code = code


class ObsClient:
    def __init__(self, url: str, password: str | None = None, *,
                 on_state: Callable[[str, str], None] | None = None,
                 on_event: Callable[[str, dict], None] | None = None,
                 on_connected: Callable[[], object] | None = None,
                 event_subscriptions: int = EVENTS_GENERAL_SCENES_INPUTS_ITEMS) -> None:
        self.url = url
        self.password = password
        self.on_state = on_state or (lambda _s, _d: None)
        self.on_event = on_event or (lambda _t, _d: None)
        self.on_connected = on_connected
        self.event_subscriptions = event_subscriptions
        self.state, self.detail = DISCONNECTED, ""
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task | None = None
        self._pending: dict[str, asyncio.Future] = {}
        self._ids = itertools.count(1)
        self._background: set[asyncio.Task] = set()
        self._managed = False  # run_forever reports the failures (with the retry time)
        self._wake = asyncio.Event()  # new settings: retry now
        self.retry_in_s: float | None = None  # the next attempt's delay, while not connected
        self.attempts = 0

    def _set(self, state: str, detail: str = "", retry_in_s: float | None = None) -> None:
        """Report a state once: only a change of state, detail or retry delay is told."""
        if (state, detail, retry_in_s) != (self.state, self.detail, self.retry_in_s):
            self.state, self.detail, self.retry_in_s = state, detail, retry_in_s
            self.on_state(state, detail)

    def configure(self, url: str, password: str | None) -> None:
        """New settings, applied without a restart: a waiting retry loop tries at once with
        them; a link to another URL is closed and made again. A new password alone does not
        end a working link (OBS asks for it only when identifying)."""
        if (url, password) == (self.url, self.password):
            return
        moved = url != self.url
        self.url, self.password = url, password
        if moved and self._ws is not None:
            self._spawn(self._ws.close())
        self._wake.set()

    def set_password(self, password: str | None) -> None:
        self.configure(self.url, password)

    def _spawn(self, coro) -> None:  # noqa: ANN001
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)  # keep a reference until it finishes
        task.add_done_callback(self._background.discard)

    # --- one connection -----------------------------------------------------------------
    async def connect(self, timeout: float = 5.0, *, announce: bool = True) -> None:
        """Connect and identify; raises ObsAuthFailed, OSError or TimeoutError. `announce`:
        report "connecting" (run_forever's quiet retries do not)."""
        self.attempts += 1
        if announce:
            self._set(CONNECTING, self.url)
        ws = await asyncio.wait_for(connect(self.url, subprotocols=["obsws.json"], max_size=2**24), timeout)
        try:
            hello = json.loads(await asyncio.wait_for(ws.recv(), timeout))
            if hello.get("op") != OP_HELLO:
                raise ConnectionError(f"expected Hello, got op {hello.get('op')}")
            identify: dict = {"rpcVersion": RPC_VERSION, "eventSubscriptions": self.event_subscriptions}
            challenge = hello["d"].get("authentication")
            if challenge:
                if not self.password:
                    raise ObsAuthFailed("OBS asks for a password: set [control.obs] password")
                identify["authentication"] = auth_string(self.password, challenge["salt"], challenge["challenge"])
            await ws.send(json.dumps({"op": OP_IDENTIFY, "d": identify}))
            try:
                msg = json.loads(await asyncio.wait_for(ws.recv(), timeout))
            except websockets.ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd else None
                if code == AUTH_FAILED_CLOSE:
                    raise ObsAuthFailed("OBS refused the password (check [control.obs] password)") from None
                raise ConnectionError(f"OBS closed the connection while identifying ({code})") from None
            if msg.get("op") != OP_IDENTIFIED:
                raise ConnectionError(f"expected Identified, got op {msg.get('op')}")
        except BaseException as exc:
            await ws.close()
            if isinstance(exc, ObsAuthFailed) and not self._managed:
                self._set(AUTH_FAILED, str(exc))
            raise
        self._ws = ws
        self._reader = asyncio.create_task(self._read(ws), name="obs-reader")
        self._set(CONNECTED, f"{self.url} (rpc {msg['d'].get('negotiatedRpcVersion')})")
        if self.on_connected is not None:
            result = self.on_connected()
            if asyncio.iscoroutine(result):
                self._spawn(result)

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                # One odd frame (not JSON, not an object, a plugin's broken event) or a listener
                # that raised is skipped: it must not end the link, nor the reconnect loop.
                try:
                    msg = json.loads(raw)
                    op, d = msg.get("op"), msg.get("d") or {}
                    if op == OP_RESPONSE:
                        fut = self._pending.pop(d.get("requestId"), None)
                        if fut is not None and not fut.done():
                            fut.set_result(d)
                    elif op == OP_EVENT:
                        self.on_event(d.get("eventType", ""), d.get("eventData") or {})
                except Exception as exc:  # noqa: BLE001 - see above
                    log.warning("obs: skipped a frame: %s: %s", type(exc).__name__, exc)
        except websockets.ConnectionClosed as exc:
            log.info("obs connection ended: %s", exc)
        finally:
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(ConnectionError("OBS connection lost"))
            self._pending.clear()
            self._ws = None
            if self.state == CONNECTED and not self._managed:
                self._set(DISCONNECTED, "connection lost")

    async def request(self, request_type: str, data: dict | None = None, timeout: float = 5.0) -> dict:
        ws = self._ws
        if ws is None:
            raise ConnectionError("not connected to OBS")
        rid = f"vhost-{next(self._ids)}"
        fut = asyncio.get_running_loop().create_future()
        self._pending[rid] = fut
        body: dict = {"requestType": request_type, "requestId": rid}
        if data is not None:
            body["requestData"] = data
        await ws.send(json.dumps({"op": OP_REQUEST, "d": body}))
        try:
            d = await asyncio.wait_for(fut, timeout)
        finally:
            self._pending.pop(rid, None)
        status = d.get("requestStatus") or {}
        if not status.get("result"):
            raise ObsRequestError(request_type, int(status.get("code", 0)), status.get("comment", ""))
        return d.get("responseData") or {}

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    # --- keep connected -------------------------------------------------------------------
    async def run_forever(self, max_backoff: float = RETRY_CAP_S, first_backoff: float = 1.0) -> None:
        """Stay connected. An unreachable OBS or a lost link is retried after `first_backoff`,
        doubling up to `max_backoff`; a refused password after `max_backoff` (OBS logs every
        attempt), or at once when `configure` brings new settings. Retries are quiet: the
        operator sees "disconnected/auth failed, retry in N s" once per change, then
        "connected" when it works."""
        self._managed = True
        self._wake.clear()  # settings given before the loop started are in use already
        first_backoff = min(first_backoff, max_backoff)
        backoff, announce = first_backoff, True
        try:
            while True:
                try:
                    await self.connect(announce=announce)
                    backoff = first_backoff
                    if self._reader is not None:
                        await asyncio.shield(self._reader)  # until OBS goes away
                    state, reason, wait = DISCONNECTED, "connection lost", backoff
                except ObsAuthFailed as exc:
                    state, reason, wait = AUTH_FAILED, str(exc), max_backoff
                except Exception as exc:  # noqa: BLE001 - refused, timed out, a malformed Hello
                    state, reason, wait = DISCONNECTED, f"{type(exc).__name__}: {exc}", backoff
                    backoff = min(max_backoff, backoff * 2)
                self._set(state, f"{reason}; retry in {wait:g} s", retry_in_s=wait)
                announce = await self._pause(wait)
                if announce:
                    backoff = first_backoff
        finally:
            self._managed = False

    async def _pause(self, seconds: float) -> bool:
        """Wait before the next attempt; True when new settings cut the wait short."""
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except TimeoutError:
            return False
        self._wake.clear()
        return True


class ObsProductLink:
    """Switches the scene, or shows this product's sources and hides the others', on a product
    change (`[control.obs] scenes` / `sources` + `sources_scene`)."""

    def __init__(self, client: ObsClient, scenes: dict[str, str], sources: dict[str, list[str]],
                 sources_scene: str | None, warn: Callable[[str], None]) -> None:
        self.client = client
        self.scenes = scenes
        self.sources = sources
        self.sources_scene = sources_scene
        self.warn = warn
        self.product_id: str | None = None
        # One switch at a time: the (re)connect's switch and the operator's next one used to
        # interleave their requests, so OBS could end on the older product's card.
        self._lock = asyncio.Lock()

    async def apply(self, product_id: str) -> None:
        self.product_id = product_id
        if self.client.state != CONNECTED:
            return  # applied on (re)connect
        async with self._lock:
            if self.product_id == product_id:  # a later switch supersedes this one
                await self._switch(product_id)

    async def _switch(self, product_id: str) -> None:
        try:
            if product_id in self.scenes:
                await self.client.request("SetCurrentProgramScene", {"sceneName": self.scenes[product_id]})
            if self.sources and self.sources_scene and product_id in self.sources:
                for pid, names in self.sources.items():
                    for name in names:
                        item = await self.client.request("GetSceneItemId", {
                            "sceneName": self.sources_scene, "sourceName": name})
                        await self.client.request("SetSceneItemEnabled", {
                            "sceneName": self.sources_scene, "sceneItemId": item["sceneItemId"],
                            "sceneItemEnabled": pid == product_id})
        except (ObsRequestError, ConnectionError, TimeoutError, KeyError) as exc:
            self.warn(f"OBS: could not switch to {product_id}: {exc}")

    async def reapply(self) -> None:
        if self.product_id is not None:
            await self.apply(self.product_id)
