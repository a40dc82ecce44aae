"""Operator commands: what a human can tell the show to do, from any surface (console, hotkey,
control API). They travel on the control lane, so they are handled before any queued data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SayNow:
    text: str


@dataclass(frozen=True)
class Interrupt:
    pass


@dataclass(frozen=True)
class SwitchProduct:
    product_id: str


@dataclass(frozen=True)
class SetAutoReply:
    enabled: bool


@dataclass(frozen=True)
class SetMuted:
    muted: bool


@dataclass(frozen=True)
class SetEmotion:
    emotion: str


Command = SayNow | Interrupt | SwitchProduct | SetAutoReply | SetMuted | SetEmotion
