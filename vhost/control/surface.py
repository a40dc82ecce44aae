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
from vhost.config.control import ControlConfig, ObsConfig
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
        self._obs_task: asyncio.Task | None = None
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

    def _spawn(self, coro) -> asyncio.Task:  # noqa: ANN001
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # --- lifecycle (core loop) -----------------------------------------------------------------
    async def start(self, show) -> None:  # noqa: ANN001 - vhost.show.show.Show
        self._show = show
        if self.record is not None:
            self.record.clock = show.clock
            loop = asyncio.get_running_loop()  # the record's writer thread reports a failing disk here
            self.record.on_error = lambda text: loop.call_soon_threadsafe(show.emit, OperatorWarning(text=text))
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
                where = "given in the config or on the command line" if cfg.token else "in the data dir, file control-token"
                log.info("control API at %s (token %s)", url, where)
            except OSError as exc:
                self.server = None
                show.emit(OperatorWarning(text=f"control API could not listen on 127.0.0.1:{cfg.control_port}: {exc}"))
        if cfg.obs.url:
            self._start_obs(cfg.obs)
        if cfg.global_hotkeys:
            loop = asyncio.get_running_loop()
            hk = GlobalHotkeys(cfg.hotkeys, lambda action: loop.call_soon_threadsafe(self._action, action))
            try:
                await loop.run_in_executor(None, hk.start)
                self.hotkeys = hk
            except HotkeysUnavailable as exc:
                show.emit(OperatorWarning(text=str(exc)))

    def _start_obs(self, obs: ObsConfig) -> None:
        show = self._show
        warn = lambda text: show.emit(OperatorWarning(text=text))  # noqa: E731
        client = ObsClient(obs.url, _secret(obs.password))
        client.on_state = lambda s, d: show.emit(ObsState(state=s, detail=d or "", retry_in_s=client.retry_in_s))
        self.obs = client
        self.obs_link = ObsProductLink(client, obs.scenes, obs.sources, obs.sources_scene, warn)
        self.obs_link.product_id = show.product.id
        client.on_connected = self.obs_link.reapply  # OBS restarted: put the right scene back
        self._obs_task = self._spawn(client.run_forever())

    def _stop_obs(self) -> None:
        """OBS turned off in the settings: stop retrying, close the link, say so."""
        client, task = self.obs, self._obs_task
        self.obs = self.obs_link = self._obs_task = None
        if task is not None:
            task.cancel()
        if client is not None:
            client.on_state = lambda _s, _d: None  # its closing is not news: "disabled" is
            self._spawn(client.close())
        if self._show is not None:
            self._show.emit(ObsState(state="disabled", detail="turned off in the settings"))

    def reconfigure(self, cfg: ControlConfig) -> None:
        """Saved settings, applied without a restart (core loop): a new OBS password or URL is
        tried at once (after "auth failed" too), new scene/source mappings apply from the next
        product switch, OBS turned on starts the link, an emptied URL stops it."""
        self.cfg = cfg
        obs = cfg.obs
        if self._show is None:
            return
        if not obs.url:
            if self.obs is not None:
                self._stop_obs()
            return
        if self.obs is None:
            self._start_obs(obs)
            return
        if self.obs_link is not None:
            self.obs_link.scenes, self.obs_link.sources = obs.scenes, obs.sources
            self.obs_link.sources_scene = obs.sources_scene
        self.obs.configure(obs.url, _secret(obs.password))

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


def _secret(value) -> str | None:  # noqa: ANN001 - SecretStr | None
    return value.get_secret_value() if value is not None else None
