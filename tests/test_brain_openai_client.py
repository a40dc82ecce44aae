"""The OpenAI-compatible client against a real local HTTP server streaming server-sent events
(aiohttp on 127.0.0.1): deltas, the request body, early close, a mid-stream disconnect, a 401,
a 404, an error event, and an unreachable server."""

from __future__ import annotations

import asyncio
import json
import socket

import pytest
from aiohttp import web

from vhost.brain.openai_client import LLMBackendError, OpenAIChatClient

KEY = "sk-test"
PIECES = ["The ", "mug ", "is ", "$24.99", " today", "!"]


def _chunk(content: str | None = None, finish: str | None = None) -> bytes:
    delta = {"content": content} if content is not None else {}
    body = {"id": "c1", "object": "chat.completion.chunk", "model": "m",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(body)}\n\n".encode()


class Server:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.mode = "ok"
        self.closed_early = asyncio.Event()

    async def models(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {KEY}":
            return web.json_response({"error": {"message": "Invalid API key"}}, status=401)
        return web.json_response({"data": [{"id": "m"}]})

    async def chat(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Authorization") != f"Bearer {KEY}":
            return web.json_response({"error": {"message": "Invalid API key",
                                                "type": "invalid_request_error"}}, status=401)
        body = await request.json()
        self.requests.append(body)
        if body["model"] != "m":
            return web.json_response({"error": {"message": f"model '{body['model']}' not found"}},
                                     status=404)
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        await resp.write(b": keep-alive\n\n")
        await resp.write(b'data: {"choices":[{"index":0,"delta":{"role":"assistant"}}]}\n\n')
        for i, piece in enumerate(PIECES):
            if self.mode == "disconnect" and i == 3:
                request.transport.close()  # the server dies mid-reply
                return resp
            if self.mode == "error_event" and i == 2:
                await resp.write(b'data: {"error": {"message": "CUDA out of memory"}}\n\n')
                return resp
            try:
                await resp.write(_chunk(piece))
            except (ConnectionResetError, RuntimeError):
                self.closed_early.set()
                return resp
            await asyncio.sleep(0.01)
        await resp.write(_chunk(finish="stop"))
        await resp.write(b'data: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":6}}'
                         b"\n\n")
        await resp.write(b"data: [DONE]\n\n")
        return resp


async def _serve(server: Server) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_get("/v1/models", server.models)
    app.router.add_post("/v1/chat/completions", server.chat)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/v1"


def _with_server(test):
    def run() -> None:
        async def main() -> None:
            server = Server()
            runner, url = await _serve(server)
            try:
                await test(server, url)
            finally:
                await runner.cleanup()
        asyncio.run(main())
    return run


async def _collect(client: OpenAIChatClient, text: str = "how much?", **kw) -> list[str]:
    return [d async for d in client.stream(text, **kw)]


def test_streams_deltas_and_sends_the_prompt() -> None:
    @_with_server
    async def t(server: Server, url: str) -> None:
        client = OpenAIChatClient(url, "m", api_key=KEY, temperature=0.2)
        await client.set_prefix("You are Max.")
        out = await _collect(client, "how much?", max_new_tokens=40,
                             history=[("user", "Ann: hi"), ("assistant", "Hi Ann!")])
        assert out == PIECES
        body = server.requests[0]
        assert body["stream"] is True and body["max_tokens"] == 40 and body["temperature"] == 0.2
        assert body["messages"] == [
            {"role": "system", "content": "You are Max."},
            {"role": "user", "content": "Ann: hi"}, {"role": "assistant", "content": "Hi Ann!"},
            {"role": "user", "content": "how much?"}]
        st = client.last_stats
        assert st["decode_tokens"] == len(PIECES) and st["stop_reason"] == "stop"
        assert st["usage"]["completion_tokens"] == 6 and st["first_token_s"] is not None
        # A per-reply system prompt replaces the cached one.
        await _collect(client, "q", system="You are Mia.")
        assert server.requests[1]["messages"][0]["content"] == "You are Mia."
        await client.aclose()
    t()


def test_mid_stream_disconnect_is_a_clear_error_after_the_pieces_that_arrived() -> None:
    @_with_server
    async def t(server: Server, url: str) -> None:
        server.mode = "disconnect"
        client = OpenAIChatClient(url, "m", api_key=KEY)
        got: list[str] = []
        with pytest.raises(LLMBackendError, match="mid-reply|without finishing") as e:
            async for d in client.stream("how much?"):
                got.append(d)
        assert got == PIECES[:3]
        assert url in str(e.value)
        await client.aclose()
    t()


def test_401_names_the_key_at_start_up_and_per_reply() -> None:
    @_with_server
    async def t(server: Server, url: str) -> None:
        client = OpenAIChatClient(url, "m", api_key="wrong")
        with pytest.raises(LLMBackendError, match=r"refused the API key \(HTTP 401: Invalid API key"):
            await client.set_prefix("sys")
        with pytest.raises(LLMBackendError, match="HTTP 401"):
            await _collect(client)
        await client.aclose()
    t()


def test_404_model_and_error_event() -> None:
    @_with_server
    async def t(server: Server, url: str) -> None:
        client = OpenAIChatClient(url, "nope", api_key=KEY)
        with pytest.raises(LLMBackendError, match="HTTP 404.*model 'nope' not found"):
            await _collect(client)
        await client.aclose()
        server.mode = "error_event"
        client = OpenAIChatClient(url, "m", api_key=KEY)
        with pytest.raises(LLMBackendError, match="CUDA out of memory"):
            await _collect(client)
        await client.aclose()
    t()


def test_closing_early_stops_the_stream() -> None:
    @_with_server
    async def t(server: Server, url: str) -> None:
        client = OpenAIChatClient(url, "m", api_key=KEY)
        stream = client.stream("how much?")
        first = await stream.__anext__()
        await stream.aclose()
        assert first == PIECES[0]
        await asyncio.wait_for(server.closed_early.wait(), 2.0)
        await client.aclose()
    t()


def test_unreachable_server() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed

    async def t() -> None:
        client = OpenAIChatClient(f"http://127.0.0.1:{port}/v1", "m", connect_timeout_s=1.0)
        with pytest.raises(LLMBackendError, match="cannot reach the LLM server"):
            await client.set_prefix("sys")
        await client.aclose()
    asyncio.run(t())
