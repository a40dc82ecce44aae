"""Named operator actions (what a hotkey or a Stream Deck button is bound to) → commands.

Toggles and "the top draft" depend on the show's state, so an action is resolved on the core loop,
at the moment it fires, not when it is bound.
"""

from __future__ import annotations

from vhost.base import commands as cmd
from vhost.config.control import check_action


def resolve(action: str, show) -> cmd.Command | None:  # noqa: ANN001 - vhost.show.show.Show
    """The command for `action` given the show's current state (None: nothing to do)."""
    check_action(action)
    pending = show.desk.pending()
    if action == "interrupt":
        return cmd.Interrupt()
    if action == "approve_top":
        return cmd.ApproveDraft(None) if pending else None
    if action == "skip_top":
        return cmd.SkipDraft(None) if pending else None
    if action == "pin_top":
        return cmd.PinDraft(pending[0].id, not pending[0].pinned) if pending else None
    if action in ("toggle_pause", "pause", "resume"):
        return cmd.SetAutoReply(not show.auto_reply if action == "toggle_pause" else action == "resume")
    if action in ("toggle_mute", "mute", "unmute"):
        muted = show.state()["muted"]
        return cmd.SetMuted(not muted if action == "toggle_mute" else action == "mute")
    if action.startswith("mode_"):
        return cmd.SetMode(action.removeprefix("mode_"))
    kind, _, arg = action.partition(":")
    arg = arg.strip()
    if kind == "emotion":
        return cmd.SetEmotion(arg)
    if kind == "product":
        return cmd.SwitchProduct(arg)
    return cmd.SayNow(arg)
