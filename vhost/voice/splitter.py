"""Cut streaming LLM text into fragments the voice can start speaking before the reply is done.

Time-to-first-audio is what viewers notice, so the very first fragment is released at the first
clause boundary (",", "，", ...) once it holds a few words; after that the text is cut at sentence
ends, which keeps the prosody of each utterance natural.

A boundary is only confirmed once the character after it has arrived: "$12." may still become
"$12.99", "Mr." is followed by a name, and "e.g. the" continues in lowercase. That costs one token
of latency and makes the output independent of how the stream was chunked.
"""

from __future__ import annotations

import re

from vhost.base.language import count_words, is_cjk
from vhost.voice.cleaning import clean_for_speech, is_emoji

SENTENCE_END = ".!?。！？…"
_CJK_SENTENCE_END = "。！？"
CLAUSE_END = ",;:—–，、；："
_ASCII_CLAUSE = ",;:"
_CLOSERS = "\"'”’)]}»」』）】"
_OPENERS = "\"'“‘([{*«「『（【"

# Words whose trailing "." does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms mx dr prof sr jr st mt vs etc approx apt dept est inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun".split()
)
# Only abbreviations when a number follows: "No. 5", but "Just say no. Then...".
_NUMBER_ABBREVIATIONS = frozenset("no nos vol pg pp fig ch ver".split())
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")  # e.g, i.e, u.s, a.m


class SentenceSplitter:
    """Stateful splitter for one reply: `push()` deltas as they stream, then `flush()` the rest."""

    def __init__(self, first_fragment_words: int = 4, max_fragment_chars: int = 220) -> None:
        if first_fragment_words < 1:
            raise ValueError("first_fragment_words must be >= 1")
        if max_fragment_chars < 8:
            raise ValueError("max_fragment_chars must be >= 8")
        self.first_fragment_words = first_fragment_words
        self.max_fragment_chars = max_fragment_chars
        self._buf = ""
        self._first_done = False
        self._line_start = True  # the buffer begins at the start of a line

    def push(self, text_delta: str) -> list[str]:
        """Add streamed text; return the fragments that are now complete (possibly none)."""
        self._buf += text_delta
        return self._drain(final=False)

    def flush(self) -> list[str]:
        """End of the reply: return everything left, then reset for the next reply."""
        out = self._drain(final=True)
        if self._buf:
            self._emit(len(self._buf), out)
        self._buf = ""
        self._first_done = False
        self._line_start = True
        return out

    # --- internals ----------------------------------------------------------------------
    def _drain(self, final: bool) -> list[str]:
        out: list[str] = []
        while self._buf:
            cut = self._find_cut(self._buf, final)
            if cut is None and len(self._buf) > self.max_fragment_chars:
                cut = self._forced_cut(self._buf)
            if cut is None:
                break
            self._emit(cut, out)
        return out

    def _emit(self, cut: int, out: list[str]) -> None:
        raw, self._buf = self._buf[:cut], self._buf[cut:]
        self._line_start = raw.endswith("\n")
        fragment = clean_for_speech(raw)
        if fragment:
            out.append(fragment)
            self._first_done = True

    def _find_cut(self, buf: str, final: bool) -> int | None:
        """Index just past the first confirmed boundary, or None (none yet / need more text)."""
        n = len(buf)
        i = 0
        in_emote = False
        while i < n:
            ch = buf[i]
            if ch == "*":
                # A lone "*" starting a word opens an emote, the next one closes it (same rule
                # as clean_for_speech); "**" is bold and ignored.
                j = i
                while j < n and buf[j] == "*":
                    j += 1
                if j - i == 1:
                    if in_emote:
                        in_emote = False
                    elif j < n and buf[j].isalnum() and (i == 0 or not buf[i - 1].isalnum()):
                        in_emote = True
                i = j
                continue
            if ch == "\n":
                return i + 1
            if in_emote:
                i += 1
                continue
            if ch in SENTENCE_END:
                j = i
                while j < n and (buf[j] in SENTENCE_END or buf[j] in _CLOSERS):
                    j += 1
                verdict = self._is_sentence_end(buf, i, j, final)
                if verdict is None:
                    return None
                if verdict:
                    return j
                i = j
                continue
            if ch in CLAUSE_END and not self._first_done:
                j = i + 1
                while j < n and buf[j] in _CLOSERS:
                    j += 1
                verdict = _is_clause_end(buf, i, j, final)
                if verdict is None:
                    return None
                if verdict and count_words(clean_for_speech(buf[:j])) >= self.first_fragment_words:
                    return j
                i = j
                continue
            i += 1
        return None

    def _is_sentence_end(self, buf: str, i: int, j: int, final: bool) -> bool | None:
        """Decide the terminator run buf[i:j]; None means the deciding text has not arrived."""
        core = buf[i:j].rstrip(_CLOSERS)
        if any(ch in _CJK_SENTENCE_END for ch in core):
            return True
        if j == len(buf):
            return True if final else None
        nxt = buf[j]
        if is_cjk(nxt):
            return True
        if nxt.isalnum():  # "12.99", "e.g", "v1.2", "Yahoo!Japan"
            return False

        if core == ".":
            word = _word_before(buf, i)
            if _is_abbreviation(word):
                return False
            if word.isdigit() and self._at_line_start(buf, i - len(word)):
                return False  # "1. " list marker
            if word.lower() in _NUMBER_ABBREVIATIONS:
                k = _next_visible(buf, j)
                if k is None:
                    return True if final else None
                if buf[k].isdigit():
                    return False
        if core.endswith((".", "…")) or len(core) < j - i:
            # Lowercase after a dot means an abbreviation we don't know ("approx. two") or a
            # trailing-off ellipsis ("well... maybe"); after a closing quote it is dialogue
            # ("Really?" she asked): one utterance either way.
            k = _next_visible(buf, j)
            if k is None:
                return True if final else None
            if buf[k] != "\n" and buf[k].islower():
                return False
        return True

    def _at_line_start(self, buf: str, k: int) -> bool:
        line = buf[:k]
        if "\n" in line:
            line = line.rsplit("\n", 1)[1]
        elif not self._line_start:
            return False
        return line.strip(" \t-*+•>#") == ""

    def _forced_cut(self, buf: str) -> int:
        """Cut an over-long run with no sentence end: at a clause mark, else a space, else hard."""
        limit = self.max_fragment_chars
        window = buf[:limit]
        floor = limit // 3  # avoid leaving a tiny fragment
        for k in range(len(window) - 1, floor, -1):
            if window[k] in CLAUSE_END and (k + 1 >= len(buf) or not buf[k + 1].isalnum()):
                return k + 1
        for k in range(len(window) - 1, floor, -1):
            if window[k].isspace():
                return k + 1
        return limit


def _is_clause_end(buf: str, i: int, j: int, final: bool) -> bool | None:
    if buf[i] not in _ASCII_CLAUSE:
        return True  # CJK marks and dashes are unambiguous
    if j == len(buf):
        return True if final else None
    nxt = buf[j]
    # "1,299", "10:30" and "https://" have no space after the mark.
    return nxt.isspace() or is_cjk(nxt) or is_emoji(nxt)


def _word_before(buf: str, i: int) -> str:
    k = i
    while k > 0 and not buf[k - 1].isspace():
        k -= 1
    return buf[k:i].lstrip(_OPENERS)


def _is_abbreviation(word: str) -> bool:
    low = word.lower()
    if low in _ABBREVIATIONS or _DOTTED.fullmatch(low):
        return True
    # A capital initial ("J. K. Rowling"), but not the pronoun "I".
    return len(word) == 1 and word.isalpha() and word.isupper() and word != "I"


def _next_visible(buf: str, j: int) -> int | None:
    """Index of the next non-blank character (a newline counts as visible), or None."""
    for k in range(j, len(buf)):
        if buf[k] == "\n" or not buf[k].isspace():
            return k
    return None
