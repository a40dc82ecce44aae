"""An OpenAI-compatible streaming chat client: a bigger model on a vLLM, llama.cpp-server or
Ollama machine, behind the same interface as the local worker (vhost.brain.clients.WorkerLLM).

Same prompts, same guards: the show hands it the same system prompt and user turn; the replier
checks what comes back exactly as for the local model. `POST {base_url}/chat/completions` with
`stream: true`; the reply arrives as server-sent events (`data: {json}` lines, `data: [DONE]` at
the end). Errors become `LLMBackendError` (a WorkerError, so the show's existing handling applies:
a failed reply keeps the question for a retry; a failure while caching the prompt turns
auto-replies off with the reason) with a message that says what to fix.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx

from vhost.base.workers import WorkerError


class LLMBackendError(WorkerError):
    """The remote LLM failed; the message says why and what to check."""


def _server_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return response.text[:200].strip()
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, dict):
        return str(err.get("message") or err)[:200]
    return str(err or body)[:200]


class OpenAIChatClient:
    """base_url: e.g. "http://gpu-box:8000/v1" (vLLM), "http://localhost:8080/v1" (llama.cpp),
    "http://localhost:11434/v1" (Ollama). api_key: sent as a Bearer token (default
    $OPENAI_API_KEY; local servers usually need none)."""

    def __init__(self, base_url: str, model: str, *, api_key: str | None = None,
                 temperature: float = 0.3, timeout_s: float = 30.0, connect_timeout_s: float = 5.0,
                 include_usage: bool = True, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.temperature = temperature
        self.include_usage = include_usage
        key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY", "")
        headers = {"Accept": "text/event-stream"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self._client = httpx.AsyncClient(
            headers=headers, transport=transport,
            timeout=httpx.Timeout(timeout_s, connect=connect_timeout_s))
        self.timeout_s = timeout_s
        self.system: str | None = None
        self.last_stats: dict[str, Any] = {}
        self._verified = False

    async def aclose(self) -> None:
        await self._client.aclose()

    async def set_prefix(self, system: str) -> None:
        """Remember the system prompt (the server may cache it itself). The first call also
        checks that the server answers and accepts the key, so a bad setup shows at start-up."""
        self.system = system
        if not self._verified:
            await self._verify()
            self._verified = True

    async def _verify(self) -> None:
        try:
            r = await self._client.get(f"{self.base_url}/models")
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from exc
        if r.status_code in (401, 403):
            raise self._status_error(r)
        # 404 and friends: not every compatible server lists models; the first reply will tell.

    def _transport_error(self, exc: Exception) -> LLMBackendError:
        if isinstance(exc, httpx.TimeoutException):
            return LLMBackendError(f"LLM server {self.base_url} did not answer within "
                                   f"{self.timeout_s:g} s ({type(exc).__name__})")
        if isinstance(exc, httpx.ConnectError):
            return LLMBackendError(f"cannot reach the LLM server at {self.base_url} ({exc}); "
                                   "is it running, and is the address right?")
        return LLMBackendError(f"LLM server {self.base_url}: connection failed ({exc})")

    def _status_error(self, r: httpx.Response) -> LLMBackendError:
        detail = _server_message(r)
        if r.status_code in (401, 403):
            return LLMBackendError(f"LLM server {self.base_url} refused the API key (HTTP "
                                   f"{r.status_code}: {detail}); set the key (OPENAI_API_KEY)")
        if r.status_code == 404:
            return LLMBackendError(f"LLM server {self.base_url}: not found (HTTP 404: {detail}); "
                                   f"check the base URL (ends in /v1) and the model name "
                                   f"'{self.model}'")
        if r.status_code == 429:
            return LLMBackendError(f"LLM server {self.base_url} is rate-limiting (HTTP 429: {detail})")
        return LLMBackendError(f"LLM server {self.base_url} failed (HTTP {r.status_code}: {detail})")

    def _messages(self, user_text: str, history: list[tuple[str, str]] | None,
                  system: str | None) -> list[dict[str, str]]:
        system = system if system is not None else self.system
        messages = [{"role": "system", "content": system}] if system else []
        for role, text in history or []:
            if role not in ("user", "assistant"):
                raise ValueError(f"history roles are 'user' or 'assistant', not {role!r}")
            messages.append({"role": role, "content": text})
        messages.append({"role": "user", "content": user_text})
        return messages

    async def stream(self, user_text: str, *, history: list[tuple[str, str]] | None = None,
                     max_new_tokens: int = 64, system: str | None = None) -> AsyncIterator[str]:
        """Yield the reply's text deltas as they arrive; raise LLMBackendError on failure
        (after the deltas that did arrive). Closing the iterator early closes the connection,
        which stops generation on the server."""
        if system is not None:
            self.system = system
        body: dict[str, Any] = {
            "model": self.model, "messages": self._messages(user_text, history, system),
            "stream": True, "max_tokens": max_new_tokens, "temperature": self.temperature,
        }
        if self.include_usage:
            body["stream_options"] = {"include_usage": True}
        started = time.perf_counter()
        stats: dict[str, Any] = {"backend": "openai", "model": self.model, "first_token_s": None,
                                 "decode_tokens": 0, "total_s": 0.0, "stop_reason": None}
        finished = False
        try:
            async with self._client.stream("POST", f"{self.base_url}/chat/completions",
                                           json=body) as r:
                if r.status_code != 200:
                    await r.aread()
                    raise self._status_error(r)
                async for data in _sse_data(r):
                    if data == "[DONE]":
                        finished = True
                        break
                    chunk = _parse_chunk(data)
                    if "error" in chunk:
                        err = chunk["error"]
                        msg = err.get("message") if isinstance(err, dict) else err
                        raise LLMBackendError(f"LLM server {self.base_url} error mid-reply: {msg}")
                    if chunk.get("usage"):
                        stats["usage"] = chunk["usage"]
                    for choice in chunk.get("choices") or []:
                        delta = (choice.get("delta") or {}).get("content")
                        if choice.get("finish_reason"):
                            stats["stop_reason"] = choice["finish_reason"]
                        if delta:
                            if stats["first_token_s"] is None:
                                stats["first_token_s"] = time.perf_counter() - started
                            stats["decode_tokens"] += 1
                            yield delta
        except httpx.HTTPError as exc:
            if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
                raise LLMBackendError(
                    f"LLM server {self.base_url} closed the stream mid-reply after "
                    f"{stats['decode_tokens']} pieces ({exc})") from exc
            raise self._transport_error(exc) from exc
        finally:
            stats["total_s"] = time.perf_counter() - started
            self.last_stats = stats
        if not finished and stats["stop_reason"] is None:
            raise LLMBackendError(f"LLM server {self.base_url} ended the stream without finishing "
                                  f"the reply (after {stats['decode_tokens']} pieces)")


def _parse_chunk(data: str) -> dict[str, Any]:
    try:
        chunk = json.loads(data)
    except json.JSONDecodeError as exc:
        raise LLMBackendError(f"LLM server sent a malformed event: {data[:120]!r}") from exc
    if not isinstance(chunk, dict):
        raise LLMBackendError(f"LLM server sent an unexpected event: {data[:120]!r}")
    return chunk


async def _sse_data(response: httpx.Response) -> AsyncIterator[str]:
    """The `data` of each server-sent event (multi-line data joined with newlines)."""
    lines: list[str] = []
    async for line in response.aiter_lines():
        if line == "":
            if lines:
                yield "\n".join(lines)
                lines = []
            continue
        if line.startswith(":"):
            continue  # comment / keep-alive
        field, _, value = line.partition(":")
        if field == "data":
            lines.append(value[1:] if value.startswith(" ") else value)
    if lines:
        yield "\n".join(lines)
