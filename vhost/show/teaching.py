"""Questions the catalog could not answer, and the operator's answers to them (teach live).

When the host says "I don't have that detail, I'll check with the team" the question lands here
(from the `unanswered` event) and in the console. The operator types the answer once
(`AnswerQuestion`): it is spoken to the viewer at once, learnt by the brain so the next viewer who
asks gets it from the facts, and saved to the catalog's FAQ with a backup (vhost.brain.teach) so
later shows know it too. A typed answer that breaks a compliance rule is neither spoken nor saved:
it goes back to the operator's box with the reasons.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from vhost.base import commands as cmd
from vhost.base.events import Event, OperatorWarning, QuestionAnswered, UnansweredQuestion
from vhost.brain.host import ShowBrain
from vhost.show.ports import EventSink
from vhost.speech.handle import PRIORITY_OPERATOR
from vhost.speech.speaker import Speaker

log = logging.getLogger(__name__)
MAX_OPEN = 200  # a long show's oldest unanswered questions make room


class Teacher:
    def __init__(self, brain: ShowBrain, speaker: Speaker, emit: EventSink, catalog_path: Path | None,
                 save: Callable[..., Path] | None = None) -> None:
        self.brain = brain
        self.speaker = speaker
        self.emit = emit
        self.catalog_path = catalog_path
        if save is None:
            from vhost.brain.teach import save_faq as save
        self._save = save
        self._open: OrderedDict[str, UnansweredQuestion] = OrderedDict()
        self._tasks: set[asyncio.Task] = set()

    def on_event(self, event: Event) -> None:
        """Listens to the show's events: keeps every `unanswered` question until it is answered."""
        if isinstance(event, UnansweredQuestion):
            self._open[event.id] = event
            while len(self._open) > MAX_OPEN:
                self._open.popitem(last=False)

    def pending(self) -> list[dict]:
        return [q.data() for q in self._open.values()]

    def check(self, question_id: str) -> UnansweredQuestion:
        """The open question, or KeyError naming it (for the API's 404)."""
        try:
            return self._open[question_id]
        except KeyError:
            raise KeyError(f"no open question {question_id!r}") from None

    def answer(self, c: cmd.AnswerQuestion) -> None:
        q = self.check(c.question_id)
        text = c.text.strip()
        if not text:
            raise KeyError("the answer is empty")
        product = self.brain.catalog.get(q.product_id)
        reasons = self.brain.guard(text, q.lang, product)
        if reasons:  # never said on air nor saved; the operator gets the text back to rework it
            self.emit(OperatorWarning(text=f"answer to {q.user} not spoken: {'; '.join(reasons)}", restore=text))
            return
        del self._open[q.id]
        if q.lang == "zh":
            line = f"{q.user}，{text}"
        else:  # "anna, yes, ..." (an acronym keeps its capitals)
            line = f"{q.user}, " + (text[:1].lower() + text[1:] if text[1:2].islower() else text)
        self.speaker.say(line, source="operator", priority=PRIORITY_OPERATOR, lang=q.lang,
                         meta={"question_id": q.id})
        self.brain.learn(q.product_id, q.text, text, q.lang)
        if c.save and self.catalog_path is not None:
            task = asyncio.create_task(self._write(q, text))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        else:
            why = "not saved (no catalog file)" if c.save else "not saved (asked not to)"
            self.emit(QuestionAnswered(id=q.id, text=text, saved=False, detail=why))

    async def _write(self, q: UnansweredQuestion, text: str) -> None:
        try:
            backup = await asyncio.to_thread(self._save, self.catalog_path, q.product_id, q.text, text, q.lang)
        except Exception as exc:  # noqa: BLE001 - a file problem must not end the show
            log.warning("could not save the answer to %s: %s", self.catalog_path, exc)
            self.emit(OperatorWarning(text=f"answer spoken and learnt for this show, but not saved: {exc}"))
            self.emit(QuestionAnswered(id=q.id, text=text, saved=False, detail=str(exc)))
            return
        self.emit(QuestionAnswered(id=q.id, text=text, saved=True,
                                   detail=f"saved to {self.catalog_path} (backup {Path(backup).name})"))
