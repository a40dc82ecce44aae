"""LLMEngine: streaming, the cached system prefix, stopping, UTF-8 safety, int8 quantization.

Tests marked `realmodel` load SmolLM2-135M, converted once per session into a temporary data dir
(~30 s). Set VHOST_TEST_DATA_DIR to a persistent folder to reuse the conversion across runs.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

from vhost.brain.llm_decoding import IncrementalDecoder, sample
from vhost.brain.llm_engine import LLMEngine
from vhost.brain.llm_quantize import MAX_INT8_KL

SMOL = "smollm2-135m-instruct"
SYSTEM = ("You are Mia, a cheerful live-stream shopping host. Product: GlowUp vitamin C serum, "
          "30 ml, $24.99, free shipping over $35. Keep replies under two sentences.")
QUESTION = "How much is the serum?"


@pytest.fixture(scope="module")
def data_env(session_data_dir: Path) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VHOST_DATA_DIR", str(session_data_dir))
        yield session_data_dir


@pytest.fixture(scope="module")
def engine(data_env: Path) -> LLMEngine:
    """float32 engine: its cached and uncached prefills agree with HF generate to the token."""
    eng = LLMEngine(SMOL, quantize="none")
    eng.set_prefix(SYSTEM)
    return eng


@pytest.fixture(scope="module")
def int8_engine(data_env: Path) -> LLMEngine:
    eng = LLMEngine(SMOL, quantize="int8")
    eng.set_prefix(SYSTEM)
    return eng


def _hf_greedy(eng: LLMEngine, user: str, max_new_tokens: int) -> tuple[str, list[int]]:
    """Reference reply from transformers' own generate() on the full prompt."""
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
    ids = eng.tokenizer.apply_chat_template(messages, add_generation_prompt=True,
                                            return_tensors="pt")
    out = eng.model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False,
                             max_new_tokens=max_new_tokens, pad_token_id=eng.eos_token_ids[0])
    new = [t for t in out[0, ids.shape[1]:].tolist() if t not in eng.eos_token_ids]
    return eng.tokenizer.decode(new, skip_special_tokens=True), new


# --- pure units --------------------------------------------------------------------------------


def test_sample_greedy_and_seeded() -> None:
    logits = torch.tensor([0.1, 3.0, 2.9, -1.0])
    assert sample(logits, 0.0, 0.9, torch.Generator().manual_seed(0)) == 1
    draws = [sample(logits, 1.0, 0.5, torch.Generator().manual_seed(s)) for s in range(20)]
    assert set(draws) == {1}  # top_p 0.5 keeps only the top token (p ~0.5)
    wide = [sample(logits, 1.0, 1.0, torch.Generator().manual_seed(s)) for s in range(40)]
    assert {1, 2} <= set(wide)
    again = [sample(logits, 1.0, 1.0, torch.Generator().manual_seed(s)) for s in range(40)]
    assert wide == again


# --- real model --------------------------------------------------------------------------------


@pytest.mark.realmodel
@pytest.mark.slow
def test_engine_setup(engine: LLMEngine) -> None:
    assert engine.eos_token_ids == [2, 0]  # from the manifest
    assert engine.model.generation_config.eos_token_id == [2, 0]
    assert engine.model_dir.name == "smollm2-135m-instruct-b179c952"
    assert not engine.quantized and engine.model.dtype == torch.float32
    assert engine.system_text == SYSTEM
    assert torch.get_num_threads() == os.cpu_count()


@pytest.mark.realmodel
@pytest.mark.slow
def test_stream_matches_hf_generate(engine: LLMEngine) -> None:
    pieces = list(engine.stream(QUESTION, temperature=0, max_new_tokens=40))
    expected, _ = _hf_greedy(engine, QUESTION, 40)
    assert len(pieces) > 3 and all(pieces)
    assert "".join(pieces) == expected
    assert engine.generate(QUESTION, temperature=0, max_new_tokens=40) == expected


@pytest.mark.realmodel
@pytest.mark.slow
def test_seeded_sampling_is_reproducible(engine: LLMEngine) -> None:
    def run(seed: int) -> str:
        return "".join(engine.stream(QUESTION, temperature=0.9, top_p=0.95, seed=seed,
                                     max_new_tokens=24))

    assert run(7) == run(7) == engine.generate(QUESTION, temperature=0.9, top_p=0.95, seed=7,
                                               max_new_tokens=24)
    assert len({run(s) for s in range(4)}) > 1


@pytest.mark.realmodel
@pytest.mark.slow
def test_prefix_cache_is_reused(engine: LLMEngine) -> None:
    prefix_len = len(engine._prefix[1])  # type: ignore[index]
    cache = engine._prefix[2]  # type: ignore[index]
    full_len = len(engine.tokenizer.apply_chat_template(
        [{"role": "system", "content": SYSTEM}, {"role": "user", "content": QUESTION}],
        add_generation_prompt=True))

    cached = engine.generate(QUESTION, temperature=0, max_new_tokens=16)
    stats = engine.last_stats
    assert stats["prefix_reused"] and stats["prefix_tokens"] == prefix_len
    assert stats["suffix_tokens"] == full_len - prefix_len  # only the new turn was prefilled
    assert cache.get_seq_length() == prefix_len  # cropped back after the reply

    engine.generate(QUESTION, temperature=0, max_new_tokens=16)  # second reply reuses it too
    assert engine.last_stats["prefix_reused"] and cache.get_seq_length() == prefix_len

    full = engine.generate(QUESTION, temperature=0, max_new_tokens=16, reuse_prefix=False)
    assert engine.last_stats["prefix_tokens"] == 0
    assert engine.last_stats["suffix_tokens"] == full_len
    assert full == cached
    for key in ("prefill_s", "first_token_s", "decode_tok_s", "total_s"):
        assert stats[key] > 0


@pytest.mark.realmodel
@pytest.mark.slow
def test_history_goes_into_the_prompt(engine: LLMEngine) -> None:
    engine.generate(QUESTION, temperature=0, max_new_tokens=4)
    plain = engine.last_stats["suffix_tokens"]
    engine.generate(QUESTION, history=[("user", "hi"), ("assistant", "Hello!")], temperature=0,
                    max_new_tokens=4)
    assert engine.last_stats["prefix_reused"] and engine.last_stats["suffix_tokens"] > plain
    with pytest.raises(ValueError, match="roles"):
        engine.generate(QUESTION, history=[("system", "x")])


@pytest.mark.realmodel
@pytest.mark.slow
def test_should_stop_and_close_restore_the_prefix(engine: LLMEngine) -> None:
    prefix_len = len(engine._prefix[1])  # type: ignore[index]
    seen: list[str] = []
    for piece in engine.stream(QUESTION, temperature=0, max_new_tokens=60,
                               should_stop=lambda: len(seen) >= 3):
        seen.append(piece)
    assert len(seen) == 3
    assert engine.last_stats["stop_reason"] == "should_stop"
    assert engine.last_stats["decode_tokens"] <= 4
    assert engine._prefix[2].get_seq_length() == prefix_len  # type: ignore[index]

    stream = engine.stream(QUESTION, temperature=0, max_new_tokens=60)
    next(stream)
    with pytest.raises(RuntimeError, match="already streaming"):
        next(engine.stream(QUESTION))
    stream.close()  # a consumer dropping the stream mid-reply
    assert engine.last_stats["stop_reason"] == "closed"
    assert engine._prefix[2].get_seq_length() == prefix_len  # type: ignore[index]

    assert engine.generate(QUESTION, temperature=0, max_new_tokens=40) == _hf_greedy(
        engine, QUESTION, 40)[0]


@pytest.mark.realmodel
@pytest.mark.slow
def test_max_new_tokens(engine: LLMEngine) -> None:
    engine.generate(QUESTION, temperature=0.8, seed=1, max_new_tokens=5)
    assert engine.last_stats["decode_tokens"] <= 5


@pytest.mark.realmodel
@pytest.mark.slow
def test_product_change_replaces_the_prefix(engine: LLMEngine) -> None:
    other = "You are Leo, a gadget host. Product: AeroBuds earbuds, $59, IPX5."
    try:
        assert engine.set_prefix(other) > 0
        engine.generate("Are they waterproof?", temperature=0, max_new_tokens=8)
        assert engine.last_stats["prefix_reused"]
        assert engine.last_stats["prefix_tokens"] == len(engine._prefix[1])  # type: ignore[index]
    finally:
        engine.set_prefix(SYSTEM)


@pytest.mark.realmodel
@pytest.mark.slow
def test_incremental_decoder_never_splits_characters(engine: LLMEngine) -> None:
    text = "你好！这款面霜多少钱？🎉 Café, 保湿24小时。"
    ids = engine.tokenizer.encode(text, add_special_tokens=False)
    # Byte-level BPE splits some of these characters over several tokens.
    assert any("\ufffd" in engine.tokenizer.decode([i]) for i in ids)
    decoder = IncrementalDecoder(engine.tokenizer)
    pieces = [decoder.push(i) for i in ids] + [decoder.flush()]
    assert all("\ufffd" not in p for p in pieces)
    assert "".join(pieces) == text


@pytest.mark.realmodel
@pytest.mark.slow
def test_chinese_reply_streams_whole_characters(engine: LLMEngine) -> None:
    question = "这个精华多少钱？包邮吗？"
    pieces = list(engine.stream(question, temperature=0, max_new_tokens=32))
    expected, _ = _hf_greedy(engine, question, 32)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in expected)  # the model does answer in Chinese
    assert all("\ufffd" not in p for p in pieces)
    # Same text as a one-shot decode, minus a character cut off by max_new_tokens.
    assert "".join(pieces) == expected.rstrip("\ufffd")


@pytest.mark.realmodel
@pytest.mark.slow
def test_int8_engine(int8_engine: LLMEngine) -> None:
    report = int8_engine.quantization
    assert int8_engine.quantized and report["mode"] == "int8" and report["smoothed"]
    assert report["kl"] < MAX_INT8_KL
    assert report["kept_fp32"] and report["quantized_linears"] > 150
    reply = int8_engine.generate(QUESTION, temperature=0, max_new_tokens=24)
    assert reply.strip() and "\ufffd" not in reply
    assert int8_engine.last_stats["prefix_reused"]


@pytest.mark.realmodel
@pytest.mark.slow
def test_cache_that_fails_to_load_is_rebuilt(engine: LLMEngine, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Passes the quick checks (marker, sizes, safetensors header) but does not load."""
    data = tmp_path / "data"
    target = data / "models" / engine.model_dir.name
    shutil.copytree(engine.model_dir, target)
    config = target / "config.json"
    config.write_bytes(b"{" + b" " * (config.stat().st_size - 1))  # same size, invalid JSON
    monkeypatch.setenv("VHOST_DATA_DIR", str(data))
    rebuilt = LLMEngine(SMOL, quantize="none")
    assert rebuilt.model_dir == target
    assert json.loads(config.read_text())["model_type"] == "llama"
    with pytest.raises(OSError):  # a folder named directly is never deleted or rebuilt
        config.write_bytes(b"{" + b" " * (config.stat().st_size - 1))
        LLMEngine(str(target), quantize="none")
    assert target.is_dir()


@pytest.mark.realmodel
@pytest.mark.slow
def test_prefixes_of_earlier_products_are_kept_and_reused(engine: LLMEngine) -> None:
    other = SYSTEM.replace("GlowUp vitamin C serum", "AeroBuds earbuds")
    try:
        assert engine.set_prefix(other) > 0  # new: prefilled
        kept = engine._spare[SYSTEM]
        engine.set_prefix(SYSTEM)  # seen before: taken from the spares, not prefilled again
        assert engine._prefix is kept and SYSTEM not in engine._spare  # its cost: bench.llm "prefix_from_spare_us"
        text = engine.generate(QUESTION, max_new_tokens=4, temperature=0, system=other)
        stats = engine.last_stats
        assert text and stats["prefix_reused"] and engine.system_text == other
        assert stats["suffix_tokens"] < 20  # only the question was prefilled
    finally:
        engine.set_prefix(SYSTEM)
