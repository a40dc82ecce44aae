"""Scripted chat for the demo: a JSONL file replayed on the show clock.

One JSON object per line: {"t": seconds, "user": "...", "text": "...", "platform"?: "...",
"id"?: "...", "user_id"?: "..."}. Here a malformed line is logged with its line number and skipped
(`chat-tap replay:FILE` goes on); `vhost demo` checks the file before the show starts and names
the bad lines instead (vhost.app.preflight), so no scripted message is silently lost on air.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from vhost.chat.events import ChatMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReplayLine:
    t: float  # seconds after the replay starts (at speed 1)
    user: str
    text: str
    id: str
    line_no: int  # 1-based line in the file
    platform: str = "replay"
    user_id: str = ""


@dataclass(frozen=True)
class ReplayLineError:
    line_no: int
    message: str


class ReplayScript(NamedTuple):
    """The good lines, sorted by time, and the skipped ones: `lines, errors = load_replay(p)`."""

    lines: list[ReplayLine]
    errors: list[ReplayLineError]


def _parse_line(raw: str, line_no: int) -> ReplayLine:
    try:
        obj: Any = json.loads(raw)
    except json.JSONDecodeError as e:
        raise ValueError(f"not JSON ({e.msg})") from e
    if not isinstance(obj, dict):
        raise ValueError("must be a JSON object")
    t = obj.get("t")
    if isinstance(t, bool) or not isinstance(t, int | float) or not math.isfinite(t) or t < 0:
        raise ValueError("'t' must be a number of seconds >= 0")
    fields: dict[str, str] = {}
    for key, required in (("user", True), ("text", True), ("platform", False), ("user_id", False)):
        value = obj.get(key)
        if value is None and not required:
            continue
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"'{key}' must be a non-empty string")
        fields[key] = value.strip()
    given_id = obj.get("id")
    if given_id is not None and (isinstance(given_id, bool) or not isinstance(given_id, str | int)):
        raise ValueError("'id' must be a string or integer")
    msg_id = str(given_id).strip() if given_id is not None else f"replay-{line_no}"
    if not msg_id:
        raise ValueError("'id' must not be empty")
    return ReplayLine(
        t=float(t),
        user=fields["user"],
        text=fields["text"],
        id=msg_id,
        line_no=line_no,
        platform=fields.get("platform", "replay"),
        user_id=fields.get("user_id", ""),
    )


def load_replay(path: str | Path, *, warn: bool = True) -> ReplayScript:
    """Parse a JSONL replay script. Bad lines are returned in `errors` (and logged, with `warn`),
    not raised.

    A missing or unreadable file does raise (OSError): there is nothing to replay.
    """
    path = Path(path)
    lines: list[ReplayLine] = []
    errors: list[ReplayLineError] = []
    seen_ids: set[str] = set()
    for line_no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = _parse_line(raw, line_no)
            if line.id in seen_ids:
                # Ids key withdrawals and the UI; a repeat would make two messages one.
                raise ValueError(f"duplicate id '{line.id}'")
        except ValueError as e:
            errors.append(ReplayLineError(line_no, str(e)))
            if warn:
                log.warning("%s:%d: skipped: %s", path, line_no, e)
            continue
        seen_ids.add(line.id)
        lines.append(line)
    lines.sort(key=lambda x: (x.t, x.line_no))  # stable: equal times keep file order
    return ReplayScript(lines, errors)


class ReplaySource:
    """Yields the script's messages at their times on the caller's show clock."""

    def __init__(
        self,
        path: str | Path,
        speed: float = 1.0,
        loop: bool = False,
        *,
        loop_gap_s: float = 5.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        if not (speed > 0 and math.isfinite(speed)):
            raise ValueError("speed must be a positive number")
        if loop_gap_s < 0:
            raise ValueError("loop_gap_s must be >= 0")
        self.path = Path(path)
        self.speed = speed
        self.loop = loop
        self.loop_gap_s = loop_gap_s
        self._sleep = sleep  # injectable so tests run on a fake clock
        self.script = load_replay(self.path)

    @property
    def errors(self) -> list[ReplayLineError]:
        return self.script.errors

    async def events(self, clock: Callable[[], float]) -> AsyncIterator[ChatMessage]:
        """Each line at `start + t / speed` on `clock`; with `loop`, again after the last line.

        Ids are the line's own (or `replay-<line>`); later loop passes add `~<pass>` so a
        message id is never reused within a show.
        """
        lines = self.script.lines
        if not lines:
            return
        # Schedule from the start, not from the previous yield, so a slow consumer doesn't
        # make the script drift later and later.
        start = clock()
        period = (lines[-1].t + self.loop_gap_s) / self.speed
        pass_no = 0
        while True:
            for line in lines:
                due = start + line.t / self.speed
                # Re-check after every sleep: the show clock (audio device time) need not
                # advance exactly like the event loop's timer.
                while (wait := due - clock()) > 0:
                    await self._sleep(wait)
                yield ChatMessage(
                    id=line.id if pass_no == 0 else f"{line.id}~{pass_no}",
                    platform=line.platform,
                    user=line.user,
                    text=line.text,
                    received_at=clock(),
                    user_id=line.user_id,
                )
            if not self.loop:
                return
            pass_no += 1
            start += max(period, 1e-3)  # a script of only t=0 lines still moves on
