"""Reading a user's TOML file (config, catalog, persona) with errors that name the file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any


def read_toml(path: str | Path, what: str, error: type[Exception]) -> dict[str, Any]:
    """Parse `path`; any failure becomes `error("<path>: ...")` saying which `what` file is wrong."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise error(f"{path}: {what} file not found") from e
    except (OSError, UnicodeDecodeError) as e:
        raise error(f"{path}: cannot read {what}: {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise error(f"{path}: not valid TOML: {e}") from e


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _dotted(text: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", text)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def _toml_paths(text: str) -> list[tuple[tuple, int]]:
    """(key path, 1-based line) for every table header and `key =` line; array-of-tables entries
    get their index in the path, like a validator's error location: ("products", 1, "price")."""
    out: list[tuple[tuple, int]] = []
    table: tuple = ()
    counts: dict[tuple, int] = {}
    in_string = False
    for n, line in enumerate(text.splitlines(), start=1):
        was_in_string = in_string
        in_string ^= bool(line.count('"""') % 2 or line.count("'''") % 2)  # a multi-line string opens/closes
        if was_in_string:
            continue
        header = _HEADER.match(line)
        if header:
            path = tuple(_dotted(header.group(2)))
            resolved: tuple = ()
            for i, part in enumerate(path):  # [[a]] then [a.b]: b belongs to a's latest entry
                resolved += (part,)
                if i < len(path) - 1 and resolved in counts:
                    resolved += (counts[resolved] - 1,)
            if header.group(1) == "[[":
                counts[resolved] = counts.get(resolved, 0) + 1
                out.append((resolved, n))
                resolved += (counts[resolved] - 1,)
            table = resolved
            out.append((table, n))
            continue
        key = _KEY.match(line)
        if key:
            out.append((table + tuple(_dotted(key.group(1))), n))
    return out


def key_line(path: str | Path, loc: tuple | list) -> int | None:
    """The line of `path` (a TOML file) that sets the field at `loc` (a validator's error location,
    e.g. ("products", 1, "price")), or of the nearest table or key above it; None when not found
    (another format, or a field the file leaves out)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    want = tuple(loc)
    best, best_len = None, 0
    for found, n in _toml_paths(text):
        if len(found) > best_len and want[: len(found)] == found:
            best, best_len = n, len(found)
    return best
