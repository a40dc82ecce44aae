"""Everything outside the console that steers or watches the show, started together: the session
record, the control API (+ its WebSocket event hub), OBS and the global hotkeys.

Use: `surface = ControlSurface(cfg.control)` before the show is built; pass `surface.publish` into
the show's event fan-out; `await surface.start(show)` on the core loop once the show exists;
`await surface.close()` at the end. Each part is optional and a part that cannot start says why
(a warning event) without stopping the show.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from vhost.base.events import ControlStarted, Event, ObsState, OperatorWarning
from vhost.config.control import ControlConfig
from vhost.control.actions import resolve
from vhost.control.hotkeys import GlobalHotkeys, HotkeysUnavailable
from vhost.control.hub import EventHub
from vhost.control.obs import DISABLED, ObsClient, ObsProductLink
from vhost.control.server import ControlServer
from vhost.control.token import load_or_create_token
from vhost.show.session_record import SessionRecord

log = logging.getLogger(__name__)


class ControlSurface:
    def __init__(self, cfg: ControlConfig, *, record: bool = True, record_path: Path | None = None,
                 meta: dict | None = None) -> None:
        self.cfg = cfg
        self.hub = EventHub()
        self.record = SessionRecord(record_path, meta=meta) if record else None
        self.server: ControlServer | None = None
        self.obs: ObsClient | None = None
        self.obs_link: ObsProductLink | None = None
        self.hotkeys: GlobalHotkeys | None = None
        self.token: str | None = None
        self._show = None
        self._tasks: set[asyncio.Task] = set()

    # --- the show's events (core loop) ----------------------------------------------------
    def publish(self, event: Event) -> None:
        kind, data = event.kind, event.data()
        if self.record is not None:
            # the token is for the operator's eyes, not for an exported file
            self.record.event(kind, {k: v for k, v in data.items() if k != "token"} if kind == "control" else data)
        self.hub.publish(event)
        if kind == "product" and self.obs_link is not None:
            self._spawn(self.obs_link.apply(data["id"]))

    def state(self) -> dict:
        return {
            "obs": {"state": self.obs.state, "detail": self.obs.detail} if self.obs else {"state": DISABLED},
            "control": {"url": self.server.url if self.server else None, "clients": self.hub.clients},
            "hotkeys": self.hotkeys is not None and self.hotkeys.running,
            "session_id": self.record.id if self.record else None,
        }

    def _spawn(self, coro) -> None:  # noqa: ANN001
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- lifecycle (core loop) -----------------------------------------------------------------
    async def start(self, show) -> None:  # noqa: ANN001 - vhost.show.show.Show
        self._show = show
        if self.record is not None:
            self.record.clock = show.clock
        cfg = self.cfg
        if cfg.control_port:
            try:  # a too-short [control] token or an unwritable data dir: no API, the show goes on
                self.token = load_or_create_token(cfg.token.get_secret_value() if cfg.token else None)
            except (ValueError, OSError) as exc:
                show.emit(OperatorWarning(text=f"control API not started: {exc}"))
        if cfg.control_port and self.token:
            self.server = ControlServer(show, self.token, self.hub, port=cfg.control_port, extra_state=self.state)
            try:
                url = await self.server.start()
                show.emit(ControlStarted(url=url, token=self.token))
                log.info("control API at %s (token in the data dir, file control-token)", url)
            except OSError as exc:
                self.server = None
                show.emit(OperatorWarning(text=f"control API could not listen on 127.0.0.1:{cfg.control_port}: {exc}"))
        if cfg.obs.url:
            warn = lambda text: show.emit(OperatorWarning(text=text))  # noqa: E731
            self.obs = ObsClient(cfg.obs.url, cfg.obs.password.get_secret_value() if cfg.obs.password else None,
                                 on_state=lambda s, d: show.emit(ObsState(state=s, detail=d or "")))
            self.obs_link = ObsProductLink(self.obs, cfg.obs.scenes, cfg.obs.sources, cfg.obs.sources_scene, warn)
            self.obs_link.product_id = show.product.id
            self.obs.on_connected = self.obs_link.reapply  # OBS restarted: put the right scene back
            self._spawn(self.obs.run_forever())
        if cfg.global_hotkeys:
            loop = asyncio.get_running_loop()
            hk = GlobalHotkeys(cfg.hotkeys, lambda action: loop.call_soon_threadsafe(self._action, action))
            try:
                await loop.run_in_executor(None, hk.start)
                self.hotkeys = hk
            except HotkeysUnavailable as exc:
                show.emit(OperatorWarning(text=str(exc)))

    def _action(self, action: str) -> None:
        if self._show is None:
            return
        command = resolve(action, self._show)
        if command is not None:
            self._show.control(command)

    async def close(self) -> None:
        if self.hotkeys is not None:
            self.hotkeys.stop()
        for task in list(self._tasks):
            task.cancel()
        if self.obs is not None:
            await self.obs.close()
        if self.server is not None:
            await self.server.stop()
        if self.record is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.record.close)
