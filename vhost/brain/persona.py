"""The on-air character: name, speaking style and the topics the host stays away from."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from vhost.base.schema import Frozen
from vhost.base.tomlfile import key_line, read_toml


class PersonaError(ValueError):
    """The persona file is missing, not TOML, or fails validation (message says where)."""


class Persona(Frozen):
    name: str = Field(min_length=1, max_length=40)
    role: str = "host of a live shopping stream"
    style: str = Field(min_length=1, max_length=200)
    # ISO-639-1 codes the host answers in; the first is the default.
    languages: list[str] = Field(default_factory=lambda: ["en"], min_length=1)
    catchphrases: list[str] = Field(default_factory=list, max_length=5)
    avoid_topics: list[str] = Field(default_factory=list)
    # The character's voice in every language (a native Kokoro style of this gender per language);
    # None: `[voice] gender` decides (by default that of the English voice).
    gender: Literal["female", "male"] | None = None

    def speaks(self, lang: str) -> bool:
        return lang in self.languages


def load_persona(path: str | Path) -> Persona:
    """Read and validate a persona TOML file; raise PersonaError naming the file and field."""
    path = Path(path)
    data = read_toml(path, "persona", PersonaError)
    try:
        return Persona.model_validate(data)
    except ValidationError as e:
        lines = []
        for err in e.errors():
            field = ".".join(str(x) for x in err["loc"]) or "(persona)"
            msg = "unknown field (typo?)" if err["type"] == "extra_forbidden" else err["msg"]
            line = key_line(path, err["loc"])
            lines.append(f"{path}: {field}: {msg}" + (f" (line {line})" if line else ""))
        raise PersonaError("invalid persona:\n  " + "\n  ".join(lines)) from e
