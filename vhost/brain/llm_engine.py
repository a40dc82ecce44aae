"""Streams short chat replies from a local causal LM, token by token, for TTS.

The persona + product system prompt is most of every prompt, so its KV cache is computed once
(`set_prefix`) and each reply only prefills the new turn. The decode loop is hand-written (instead
of `model.generate`) to reuse that cache, stop on a callback, and hand out whole characters.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from time import perf_counter
from typing import Any

import torch

from vhost.base.offline import hub_offline
from vhost.brain.llm_decoding import IncrementalDecoder, sample
from vhost.brain.llm_quantize import CALIBRATION_CHAT, MAX_INT8_KL, quantize_int8
from vhost.brain.model_convert import discard_conversion, ensure_converted, is_cached_conversion
from vhost.brain.model_store import ModelManifest, Progress, find_manifest

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "qwen2.5-coder-0.5b-instruct"
QUANTIZE_MODES = ("auto", "int8", "none")

# Used only when a model folder ships no chat template (base models, some hand-made folders).
CHATML_TEMPLATE = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content']"
    " + '<|im_end|>\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}"
    "{% endif %}"
)
# End-of-turn tokens recognised when no manifest names the eos ids.
_KNOWN_END_TOKENS = ("<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<end_of_turn>", "</s>")


def _never() -> bool:
    return False


class LLMEngine:
    """A loaded chat model with a reusable system-prompt KV cache.

    model: a manifest name (`models/<name>.toml`), a .gguf path or a Hugging Face model folder.
    device: "auto" (CUDA when available, else CPU), "cpu" or "cuda".
    threads: torch CPU threads (process-wide); default os.cpu_count().
    quantize: "auto" (on CPU, int8 when it keeps predictions close to float32, see MAX_INT8_KL;
        none on CUDA), "int8" (always, CPU only) or "none".
    progress: called with (stage, fraction) while a model is verified / converted.
    Attributes worth reading: model_dir, load_s, quantization (report), eos_token_ids, last_stats.
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        device: str = "auto",
        threads: int | None = None,
        quantize: str = "auto",
        progress: Progress | None = None,
    ) -> None:
        if quantize not in QUANTIZE_MODES:
            raise ValueError(f"quantize must be one of {QUANTIZE_MODES}, not {quantize!r}")
        started = perf_counter()
        self.device = _pick_device(device)
        if self.device.type == "cuda" and quantize == "int8":
            raise ValueError("int8 dynamic quantization runs on CPU only; use quantize='none'")
        torch.set_num_threads(threads or os.cpu_count() or 1)
        self.manifest: ModelManifest | None = find_manifest(model)
        self._source: ModelManifest | Path = self.manifest or Path(model).expanduser().resolve()
        self.model_dir: Path = ensure_converted(self._source, progress)
        self.tokenizer, self.model = self._load(progress)
        self.quantization: dict[str, Any] = {"mode": "none"}
        if self.device.type == "cpu" and quantize != "none":
            self.quantization = self._quantize(required=quantize == "int8")
        self.eos_token_ids: list[int] = self._eos_ids()
        self.model.generation_config.eos_token_id = list(self.eos_token_ids)
        self.load_s = perf_counter() - started
        self.last_stats: dict[str, Any] = {}
        # (system text, its token ids, its KV cache); replaced whole by set_prefix, read whole by
        # stream, so a product change mid-reply never mixes two prefixes.
        self._prefix: tuple[str, list[int], Any] | None = None
        self._prefix_lock = threading.Lock()
        # Earlier prefixes, most recent last: one per product, so a question about another product
        # than the one on screen (or switching back) costs no prefill. A few MB each.
        self._spare: OrderedDict[str, tuple[str, list[int], Any]] = OrderedDict()
        self.max_spare_prefixes = 8
        # One reply at a time: replies share the prefix cache, which each one grows and crops.
        self._busy = threading.Lock()

    # --- loading -------------------------------------------------------------------------------

    def _load(self, progress: Progress | None) -> tuple[Any, Any]:
        try:
            return self._load_from(self.model_dir)
        except Exception as exc:
            # Only a conversion we made from a manifest or GGUF can be rebuilt (a folder named
            # directly, even one inside the cache, has nothing to be rebuilt from).
            if not is_cached_conversion(self.model_dir) or self._source == self.model_dir:
                raise
            # A conversion that passed the quick checks but does not load is rebuilt, once.
            logger.warning("model cache %s failed to load (%s); rebuilding", self.model_dir, exc)
            discard_conversion(self.model_dir)
            self.model_dir = ensure_converted(self._source, progress)
            return self._load_from(self.model_dir)

    def _load_from(self, folder: Path) -> tuple[Any, Any]:
        hub_offline()
        from transformers import AutoModelForCausalLM, AutoTokenizer

        on_gpu = self.device.type == "cuda"
        # CPU matmuls are fastest (and int8-quantizable) in float32; the cache is float16 on disk.
        dtype = torch.float32
        if on_gpu:
            dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        # fix_mistral_regex=False: transformers 4.57.3+ flags every local folder saved by 4.57.x as
        # a Mistral tokenizer with a bad regex (a false positive for Qwen/SmolLM2); nothing to fix.
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True,
                                                  fix_mistral_regex=False)
        model = AutoModelForCausalLM.from_pretrained(folder, dtype=dtype, local_files_only=True)
        model.to(self.device).eval()
        if tokenizer.chat_template is None:
            chat_format = self.manifest.chat_format if self.manifest else "chatml"
            if chat_format != "chatml":
                raise ValueError(f"{folder} has no chat template and format {chat_format!r}")
            logger.warning("%s has no chat template; using ChatML", folder)
            tokenizer.chat_template = CHATML_TEMPLATE
        return tokenizer, model

    def _quantize(self, required: bool) -> dict[str, Any]:
        """int8-quantize the Linears that tolerate it; with quantize="auto", keep it only if the
        next-token distributions stay close to float32 (else reload float32 from disk)."""
        ids = self._encode(CALIBRATION_CHAT, False)
        report = quantize_int8(self.model, ids, required)
        if report["mode"] == "int8" and not required and report["kl"] > MAX_INT8_KL:
            logger.info("int8 changes this model's predictions too much (KL %.2f > %.2f); "
                        "using float32", report["kl"], MAX_INT8_KL)
            self.model = self._load_from(self.model_dir)[1]
            report = {**report, "mode": "none", "rejected": True}
        return report

    @property
    def quantized(self) -> bool:
        return self.quantization["mode"] == "int8"

    def _eos_ids(self) -> list[int]:
        if self.manifest and self.manifest.eos_token_ids:
            return list(self.manifest.eos_token_ids)
        ids: list[int] = []
        configured = self.model.generation_config.eos_token_id
        ids += configured if isinstance(configured, list) else [configured]
        ids.append(self.tokenizer.eos_token_id)
        vocab = self.tokenizer.get_vocab()
        ids += [vocab[t] for t in _KNOWN_END_TOKENS if t in vocab]
        return [i for i in dict.fromkeys(ids) if i is not None]

    # --- prompt --------------------------------------------------------------------------------

    @property
    def system_text(self) -> str | None:
        prefix = self._prefix
        return prefix[0] if prefix else None

    def _encode(self, messages: list[dict[str, str]], add_generation_prompt: bool) -> list[int]:
        text = self.tokenizer.apply_chat_template(
            messages, tokenize=False, add_generation_prompt=add_generation_prompt)
        # The template already holds every special token the model expects (as HF's own
        # apply_chat_template(tokenize=True) assumes), so none are added here.
        return self.tokenizer.encode(text, add_special_tokens=False)

    def _new_cache(self) -> Any:
        from transformers import DynamicCache

        return DynamicCache(config=self.model.config)

    @torch.inference_mode()
    def _forward(self, token_ids: list[int], cache: Any) -> torch.Tensor:
        ids = torch.tensor([token_ids], dtype=torch.long, device=self.device)
        # logits_to_keep=1: only the last position's logits (vocabularies are 50k-150k wide).
        out = self.model(input_ids=ids, past_key_values=cache, use_cache=True, logits_to_keep=1)
        return out.logits[0, -1].float().cpu()

    def set_prefix(self, system_text: str) -> float:
        """Precompute the KV cache of the system message (persona + product); returns seconds.

        Call again when the product changes. Safe while a reply streams: that reply keeps the
        prefix it started with, the next one uses the new prefix. A prefix seen before is taken
        from the spare caches instead of being prefilled again.
        """
        started = perf_counter()
        with self._prefix_lock:
            current = self._prefix
            if current is not None and current[0] == system_text:
                return 0.0
            entry = self._spare.pop(system_text, None)
        if entry is None:
            ids = self._encode([{"role": "system", "content": system_text}], False)
            cache = self._new_cache()
            self._forward(ids, cache)
            entry = (system_text, ids, cache)
        with self._prefix_lock:
            if self._prefix is not None:
                self._spare[self._prefix[0]] = self._prefix
                while len(self._spare) > self.max_spare_prefixes:
                    self._spare.popitem(last=False)
            self._prefix = entry
        return perf_counter() - started

    # --- generation ----------------------------------------------------------------------------

    def stream(
        self,
        user_text: str,
        *,
        history: list[tuple[str, str]] | None = None,
        max_new_tokens: int = 64,
        temperature: float = 0.7,
        top_p: float = 0.9,
        seed: int | None = None,
        should_stop: Callable[[], bool] = _never,
        reuse_prefix: bool = True,
        system: str | None = None,
    ) -> Iterator[str]:
        """Yield the reply to user_text as text pieces (whole characters only) as they decode.

        history: earlier turns as (role, text) with role "user" or "assistant", oldest first.
        temperature <= 0 decodes greedily. should_stop() is polled between tokens.
        reuse_prefix=False ignores the cached system prefix (full prefill; for benchmarks).
        system: the system prompt for this reply (becomes the current prefix; cached).
        Stops at an eos token, max_new_tokens or should_stop(); fills `last_stats` when done.
        """
        if not self._busy.acquire(blocking=False):
            raise RuntimeError("LLMEngine is already streaming a reply; finish or close it first")
        if system is not None:
            # This reply's system prompt (e.g. the product the viewer asked about): cached or
            # prefilled once, then kept among the spares.
            self.set_prefix(system)
        try:
            yield from self._stream(user_text, history or [], max_new_tokens, temperature, top_p,
                                    seed, should_stop, reuse_prefix)
        finally:
            self._busy.release()

    def generate(self, user_text: str, **kwargs: Any) -> str:
        """The whole reply as one string (same arguments as `stream`)."""
        return "".join(self.stream(user_text, **kwargs))

    def _stream(
        self,
        user_text: str,
        history: list[tuple[str, str]],
        max_new_tokens: int,
        temperature: float,
        top_p: float,
        seed: int | None,
        should_stop: Callable[[], bool],
        reuse_prefix: bool,
    ) -> Iterator[str]:
        started = perf_counter()
        with self._prefix_lock:
            prefix = self._prefix
        ids = self._prompt_ids(prefix, history, user_text)
        cache, reused = self._start_cache(prefix, ids, reuse_prefix)
        generator = torch.Generator().manual_seed(
            seed if seed is not None else int(torch.randint(0, 2**62, (1,))))
        pick = partial(sample, temperature=temperature, top_p=top_p, generator=generator)
        stats: dict[str, Any] = {
            "prefix_tokens": reused, "suffix_tokens": len(ids) - reused, "prefix_reused": reused > 0,
            "prefill_s": 0.0, "first_token_s": None, "decode_tokens": 0, "decode_tok_s": None,
            "total_s": 0.0, "stop_reason": "max_new_tokens",
        }
        marks = {"started": started, "first_at": 0.0, "last_at": 0.0}
        try:
            if should_stop():
                stats["stop_reason"] = "should_stop"
                return
            t = perf_counter()
            logits = self._forward(ids[reused:], cache)
            stats["prefill_s"] = perf_counter() - t
            yield from self._decode(logits, cache, pick, max_new_tokens, should_stop, stats, marks)
        except GeneratorExit:
            stats["stop_reason"] = "closed"
            raise
        finally:
            if reused:
                self._restore_prefix(prefix, reused)
            first_at, last_at = marks["first_at"], marks["last_at"]
            if stats["decode_tokens"] > 1 and last_at > first_at:
                stats["decode_tok_s"] = (stats["decode_tokens"] - 1) / (last_at - first_at)
            stats["total_s"] = perf_counter() - started
            self.last_stats = stats

    def _prompt_ids(self, prefix: tuple[str, list[int], Any] | None,
                    history: list[tuple[str, str]], user_text: str) -> list[int]:
        """The whole prompt's token ids: system prefix (if any), history, then the new turn."""
        messages = [{"role": "system", "content": prefix[0]}] if prefix else []
        for role, text in history:
            if role not in ("user", "assistant"):
                raise ValueError(f"history roles are 'user' or 'assistant', not {role!r}")
            messages.append({"role": role, "content": text})
        messages.append({"role": "user", "content": user_text})
        return self._encode(messages, True)

    def _start_cache(self, prefix: tuple[str, list[int], Any] | None, ids: list[int],
                     reuse_prefix: bool) -> tuple[Any, int]:
        """The KV cache to prefill into, and how many leading prompt tokens it already holds."""
        if prefix and reuse_prefix:
            prefix_ids, prefix_cache = prefix[1], prefix[2]
            # The KV cache is only valid if the full prompt tokenizes to the same leading tokens.
            if len(prefix_ids) < len(ids) and ids[: len(prefix_ids)] == prefix_ids:
                return prefix_cache, len(prefix_ids)
            logger.warning("prompt does not start with the cached prefix; full prefill")
        return self._new_cache(), 0

    def _decode(self, logits: torch.Tensor, cache: Any, pick: Callable[[torch.Tensor], int],
                max_new_tokens: int, should_stop: Callable[[], bool], stats: dict[str, Any],
                marks: dict[str, float]) -> Iterator[str]:
        """Sample, hand out whole characters, feed the token back: until an eos token,
        max_new_tokens or should_stop(). Counts into stats; times the first and last token."""
        decoder = IncrementalDecoder(self.tokenizer)
        while stats["decode_tokens"] < max_new_tokens:
            token = pick(logits)
            marks["last_at"] = perf_counter()
            if stats["decode_tokens"] == 0:
                marks["first_at"] = marks["last_at"]
                stats["first_token_s"] = marks["first_at"] - marks["started"]
            stats["decode_tokens"] += 1
            if token in self.eos_token_ids:
                stats["stop_reason"] = "eos"
                break
            if piece := decoder.push(token):
                yield piece
            if should_stop():
                stats["stop_reason"] = "should_stop"
                break
            if stats["decode_tokens"] >= max_new_tokens:
                break
            logits = self._forward([token], cache)
        if tail := decoder.flush():
            yield tail

    @torch.inference_mode()
    def _restore_prefix(self, prefix: tuple[str, list[int], Any], length: int) -> None:
        try:
            prefix[2].crop(length)
        except Exception:  # e.g. a sliding-window layer that cannot crop: recompute next time
            logger.warning("could not crop the prefix cache; recomputing it", exc_info=True)
            with self._prefix_lock:
                if self._prefix is prefix:
                    self._prefix = None
            self.set_prefix(prefix[0])


def _pick_device(device: str) -> torch.device:
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device='cuda' but torch sees no CUDA device")
    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'auto', 'cpu' or 'cuda', not {device!r}")
    return torch.device(device)
