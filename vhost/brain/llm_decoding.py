"""Decoding helpers for the hand-written generation loop: sampling one token from logits, and
turning a growing token list into text pieces that never split a character."""

from __future__ import annotations

from typing import Any

import torch


class IncrementalDecoder:
    """Turns a growing token list into text deltas that never split a character.

    Decodes a short window (the previous piece plus new tokens) and emits only what the window
    adds, holding back while the text ends in U+FFFD (a multi-byte character not yet complete).
    This is the windowed scheme TGI/vLLM use: O(1) per token and stable for byte-level BPE.
    """

    def __init__(self, tokenizer: Any) -> None:
        self._tok = tokenizer
        self._ids: list[int] = []
        self._prefix_at = 0  # window start
        self._read_at = 0  # tokens before this are already emitted

    def _text(self, ids: list[int]) -> str:
        return self._tok.decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=False)

    def push(self, token: int) -> str:
        self._ids.append(token)
        before = self._text(self._ids[self._prefix_at:self._read_at])
        now = self._text(self._ids[self._prefix_at:])
        if len(now) > len(before) and not now.endswith("\ufffd"):
            self._prefix_at, self._read_at = self._read_at, len(self._ids)
            return now[len(before):]
        return ""

    def flush(self) -> str:
        """Whatever is still held back, minus an unfinished trailing character."""
        if self._read_at == len(self._ids):
            return ""
        before = self._text(self._ids[self._prefix_at:self._read_at])
        now = self._text(self._ids[self._prefix_at:]).rstrip("\ufffd")
        self._prefix_at = self._read_at = len(self._ids)
        return now[len(before):]


def sample(logits: torch.Tensor, temperature: float, top_p: float,
           generator: torch.Generator) -> int:
    """One token id: greedy when temperature <= 0, else nucleus (top_p) sampling."""
    if temperature <= 0:
        return int(torch.argmax(logits))
    probs = torch.softmax(logits / temperature, dim=-1)
    if top_p < 1.0:
        sorted_probs, order = torch.sort(probs, descending=True)
        # Keep the smallest head whose mass reaches top_p (the top token always survives).
        drop = torch.cumsum(sorted_probs, dim=-1) - sorted_probs > top_p
        sorted_probs[drop] = 0.0
        choice = torch.multinomial(sorted_probs, 1, generator=generator)
        return int(order[choice])
    return int(torch.multinomial(probs, 1, generator=generator))
