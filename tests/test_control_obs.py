"""The obs-websocket v5 client against a local server that speaks the protocol (Hello with a
challenge/salt, Identify, Identified, Request/RequestResponse, Event, close 4009 on a bad password)."""

import asyncio
import base64
import hashlib
import json
import secrets

from websockets.asyncio.server import serve

from vhost.control.obs import AUTH_FAILED, CONNECTED, ObsClient, ObsProductLink

PASSWORD = "s3cret-obs"


class FakeObs:
    """Just enough OBS: scenes, scene items, a program scene, events on change."""

    def __init__(self, password: str | None = PASSWORD) -> None:
        self.password = password
        self.program = "Intro"
        self.items = {("Products", "mug card"): (1, True), ("Products", "lamp card"): (2, True)}
        self.requests: list[dict] = []
        self.identified = 0

    def expected_auth(self, salt: str, challenge: str) -> str:
        secret = base64.b64encode(hashlib.sha256((self.password + salt).encode()).digest()).decode()
        return base64.b64encode(hashlib.sha256((secret + challenge).encode()).digest()).decode()

    async def handler(self, ws):
        salt, challenge = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        hello = {"obsWebSocketVersion": "5.5.0", "rpcVersion": 1}
        if self.password:
            hello["authentication"] = {"challenge": challenge, "salt": salt}
        await ws.send(json.dumps({"op": 0, "d": hello}))
        ident = json.loads(await ws.recv())
        assert ident["op"] == 1 and ident["d"]["rpcVersion"] == 1
        if self.password and ident["d"].get("authentication") != self.expected_auth(salt, challenge):
            await ws.close(4009, "Authentication failed.")
            return
        self.identified += 1
        await ws.send(json.dumps({"op": 2, "d": {"negotiatedRpcVersion": 1}}))
        async for raw in ws:
            msg = json.loads(raw)
            assert msg["op"] == 6
            d = msg["d"]
            self.requests.append(d)
            data, status = {}, {"result": True, "code": 100}
            rt, rd = d["requestType"], d.get("requestData", {})
            if rt == "SetCurrentProgramScene":
                self.program = rd["sceneName"]
                await ws.send(json.dumps({"op": 5, "d": {"eventType": "CurrentProgramSceneChanged",
                                                         "eventIntent": 4, "eventData": {"sceneName": self.program}}}))
            elif rt == "GetSceneItemId":
                key = (rd["sceneName"], rd["sourceName"])
                if key in self.items:
                    data = {"sceneItemId": self.items[key][0]}
                else:
                    status = {"result": False, "code": 600, "comment": f"No source was found by the name of `{rd['sourceName']}`."}
            elif rt == "SetSceneItemEnabled":
                for key, (iid, _on) in self.items.items():
                    if key[0] == rd["sceneName"] and iid == rd["sceneItemId"]:
                        self.items[key] = (iid, rd["sceneItemEnabled"])
            elif rt == "GetVersion":
                data = {"obsVersion": "30.0.0", "rpcVersion": 1}
            else:
                status = {"result": False, "code": 204, "comment": "unknown request"}
            await ws.send(json.dumps({"op": 7, "d": {"requestType": rt, "requestId": d["requestId"],
                                                     "requestStatus": status, "responseData": data}}))


async def with_server(fake, body):
    async with serve(fake.handler, "127.0.0.1", 0, subprotocols=["obsws.json"]) as server:
        port = server.sockets[0].getsockname()[1]
        return await body(f"ws://127.0.0.1:{port}")


def test_auth_requests_events_and_product_switch_drive_obs():
    fake = FakeObs()
    states, events, warnings = [], [], []

    async def body(url):
        client = ObsClient(url, PASSWORD, on_state=lambda s, d: states.append(s),
                           on_event=lambda t, d: events.append((t, d)))
        await client.connect()
        version = await client.request("GetVersion")
        link = ObsProductLink(client, {"mug": "Mug scene"}, {"mug": ["mug card"], "lamp": ["lamp card"]},
                              "Products", warnings.append)
        await link.apply("mug")
        await link.apply("lamp")  # lamp has no scene: only its sources switch
        await asyncio.sleep(0.05)
        await client.close()
        return version

    version = asyncio.run(with_server(fake, body))
    assert version["obsVersion"] == "30.0.0" and fake.identified == 1
    assert states[:2] == ["connecting", CONNECTED]
    assert fake.program == "Mug scene"
    assert ("CurrentProgramSceneChanged", {"sceneName": "Mug scene"}) in events
    assert fake.items[("Products", "lamp card")] == (2, True) and fake.items[("Products", "mug card")] == (1, False)
    assert warnings == []


def test_switches_at_once_end_on_the_last_product_not_interleaved():
    """The reconnect's switch and the operator's next one, at the same moment: OBS ends on the
    last product's card (their requests used to interleave and could leave the older card on)."""
    fake = FakeObs()

    async def body(url):
        client = ObsClient(url, PASSWORD)
        await client.connect()
        link = ObsProductLink(client, {"mug": "Mug scene", "lamp": "Lamp scene"},
                              {"mug": ["mug card"], "lamp": ["lamp card"]}, "Products", lambda _m: None)
        for _ in range(5):
            await asyncio.gather(link.apply("mug"), link.apply("lamp"))
            await asyncio.gather(link.apply("lamp"), link.apply("mug"))
        await asyncio.gather(link.apply("mug"), link.apply("lamp"))
        await client.close()

    asyncio.run(with_server(fake, body))
    assert fake.program == "Lamp scene"
    assert fake.items[("Products", "lamp card")] == (2, True) and fake.items[("Products", "mug card")] == (1, False)


def test_wrong_password_is_auth_failed_then_a_new_password_connects_at_once():
    fake = FakeObs()
    states = []

    async def body(url):
        client = ObsClient(url, "wrong", on_state=lambda s, d: states.append((s, d, client.retry_in_s)))
        task = asyncio.create_task(client.run_forever(max_backoff=10.0))
        await until_true(lambda: client.state == AUTH_FAILED)
        await asyncio.sleep(0.5)
        refused = (client.state, client.detail, client.retry_in_s, client.attempts)
        client.set_password(PASSWORD)  # the settings changed: no restart, no 10 s wait
        await until_true(lambda: client.state == CONNECTED, timeout=3.0)
        task.cancel()
        await client.close()
        return refused

    state, detail, retry_in_s, attempts = asyncio.run(with_server(fake, body))
    assert state == AUTH_FAILED and "refused the password" in detail and "retry in 10 s" in detail
    assert retry_in_s == 10.0 and attempts == 1  # a refused password is not retried in a storm
    assert fake.identified == 1
    kinds = [s for s, _d, _r in states]
    assert kinds[:4] == ["connecting", AUTH_FAILED, "connecting", CONNECTED]  # each change told once
    assert states[3][2] is None  # connected: no retry pending


async def until_true(predicate, timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


def test_a_failed_request_is_reported_and_the_link_warns_instead_of_crashing():
    fake = FakeObs(password=None)  # OBS with authentication off: no challenge in Hello
    warnings = []

    async def body(url):
        client = ObsClient(url)
        await client.connect()
        link = ObsProductLink(client, {}, {"mug": ["no such source"]}, "Products", warnings.append)
        await link.apply("mug")
        await client.close()

    asyncio.run(with_server(fake, body))
    assert len(warnings) == 1 and "No source was found" in warnings[0] and "600" in warnings[0]


def test_unreachable_obs_retries_quietly_with_a_capped_backoff():
    states = []

    async def body():
        client = ObsClient("ws://127.0.0.1:9", on_state=lambda s, d: states.append((s, d, client.retry_in_s)))  # port 9: discard
        task = asyncio.create_task(client.run_forever(max_backoff=0.2, first_backoff=0.05))
        await asyncio.sleep(1.5)
        task.cancel()
        return client

    client = asyncio.run(body())
    assert client.state == "disconnected" and client.attempts >= 5  # it kept trying
    assert [s for s, _d, _r in states].count("connecting") == 1  # retries are quiet
    # 0.05 s doubling to the cap, then quiet: each new delay told once, the same one not again
    assert [r for s, _d, r in states if s == "disconnected"] == [0.05, 0.1, 0.2]
    assert all("Error" in d and "retry in" in d for s, d, _r in states if s == "disconnected")
    assert len(states) == len(set(states))  # no state told twice


def test_the_control_surface_follows_product_switches_in_obs_and_reports_its_state():
    from tests.test_show_pipeline import make_show, running, until
    from vhost.base import commands as cmd
    from vhost.config.control import ControlConfig
    from vhost.control.surface import ControlSurface

    fake = FakeObs()

    async def body(url):
        show, sink, events = make_show()
        first = show.product.id
        cfg = ControlConfig(obs={"url": url, "password": PASSWORD, "scenes": {first: "First scene", "lamp": "Lamp scene"}})
        surface = ControlSurface(cfg, record=False)
        show.listen(surface.publish)
        async with running(show, sink):
            await surface.start(show)
            await until(lambda: fake.program == "First scene")  # the live product's scene on connect
            show.control(cmd.SwitchProduct("lamp"))
            await until(lambda: fake.program == "Lamp scene")
            state = surface.state()
        await surface.close()
        return events, state

    events, state = asyncio.run(with_server(fake, body))
    assert state["obs"]["state"] == CONNECTED
    assert [d["state"] for k, d in events if k == "obs"][:2] == ["connecting", CONNECTED]
    assert not [d for k, d in events if k == "warning"]


def test_the_control_surface_takes_a_new_obs_password_from_the_settings_without_restart():
    from tests.test_show_pipeline import make_show, running, until
    from vhost.config.control import ControlConfig
    from vhost.control.surface import ControlSurface

    fake = FakeObs()

    async def body(url):
        show, sink, events = make_show()
        scenes = {show.product.id: "First scene"}
        surface = ControlSurface(ControlConfig(obs={"url": url, "password": "old", "scenes": scenes}), record=False)
        show.listen(surface.publish)
        async with running(show, sink):
            await surface.start(show)
            await until(lambda: surface.obs.state == AUTH_FAILED)
            surface.reconfigure(ControlConfig(obs={"url": url, "password": PASSWORD, "scenes": scenes}))
            await until(lambda: fake.program == "First scene")  # well before the 10 s retry
            state = surface.state()
        await surface.close()
        return events, state

    events, state = asyncio.run(with_server(fake, body))
    obs = [d for k, d in events if k == "obs"]
    assert [d["state"] for d in obs][:4] == ["connecting", AUTH_FAILED, "connecting", CONNECTED]
    assert obs[1]["retry_in_s"] == 10.0 and "retry_in_s" not in obs[3]
    assert state["obs"]["state"] == CONNECTED


def test_emptying_the_obs_url_in_the_settings_stops_the_link_without_restart():
    from tests.test_show_pipeline import make_show, running, until
    from vhost.config.control import ControlConfig
    from vhost.control.surface import ControlSurface

    fake = FakeObs()

    async def body(url):
        show, sink, events = make_show()
        surface = ControlSurface(ControlConfig(obs={"url": url, "password": PASSWORD}), record=False)
        show.listen(surface.publish)
        async with running(show, sink):
            await surface.start(show)
            await until(lambda: surface.obs is not None and surface.obs.state == CONNECTED)
            client = surface.obs
            surface.reconfigure(ControlConfig(obs={"url": None}))
            await until(lambda: any(k == "obs" and d["state"] == "disabled" for k, d in events))
            await asyncio.sleep(0.2)
            closed = client._ws is None or client._ws.close_code is not None  # noqa: SLF001
            state = surface.state()
        await surface.close()
        return events, state, closed, surface

    events, state, closed, surface = asyncio.run(with_server(fake, body))
    assert surface.obs is None and closed
    assert [d["state"] for k, d in events if k == "obs"][-1] == "disabled"


def test_a_malformed_obs_frame_is_skipped_and_a_malformed_hello_is_retried_not_fatal():
    # A plugin's broken frame (not JSON, a JSON list) must not end the link; a Hello without
    # its "d" must not end run_forever: the operator sees "disconnected" and it tries again.
    hellos = []

    async def handler(ws):
        hellos.append(1)
        if len(hellos) == 1:
            await ws.send(json.dumps({"op": 0}))  # no "d": malformed
            await asyncio.sleep(0.5)
            return
        await ws.send(json.dumps({"op": 0, "d": {"rpcVersion": 1}}))
        await ws.recv()
        await ws.send(json.dumps({"op": 2, "d": {"negotiatedRpcVersion": 1}}))
        await ws.send("{not json")
        await ws.send("[1, 2]")
        await ws.send(json.dumps({"op": 5, "d": {"eventType": "Later", "eventData": {"n": 1}}}))
        await asyncio.sleep(1.0)

    states, events = [], []

    async def body():
        async with serve(handler, "127.0.0.1", 0, subprotocols=["obsws.json"]) as server:
            url = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}"
            client = ObsClient(url, on_state=lambda s, d: states.append((s, d)),
                               on_event=lambda t, d: events.append(t))
            task = asyncio.create_task(client.run_forever(max_backoff=0.1))
            for _ in range(60):
                await asyncio.sleep(0.05)
                if events:
                    break
            state, done = client.state, task.done()
            task.cancel()
            await client.close()
            return state, done

    state, done = asyncio.run(body())
    assert not done  # the loop survived the bad Hello
    assert any(s == "disconnected" and "KeyError" in d for s, d in states)
    assert events == ["Later"] and state == CONNECTED  # the bad frames were skipped, the link kept
