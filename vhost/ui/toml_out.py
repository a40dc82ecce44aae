"""Writing a config back as TOML (the standard library only reads it).

Covers what a vhost config holds: tables, arrays of tables (`[[chat.connectors]]`), strings,
numbers, booleans, dates, arrays. `None` cannot be written in TOML; a None value is left out,
which means "the default" on reading.
"""

from __future__ import annotations

import datetime
import json
import math
from pathlib import Path
from typing import Any


def _key(key: str) -> str:
    return key if key and all(c.isalnum() or c in "-_" for c in key) else json.dumps(key, ensure_ascii=False)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
        return repr(v)
    if isinstance(v, str | Path):
        # JSON string escapes are valid TOML basic-string escapes.
        return json.dumps(str(v), ensure_ascii=False)
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_value(x) for x in v if x is not None) + "]"
    if isinstance(v, dict):  # a table inside an array: inline
        return "{" + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items() if x is not None) + "}"
    if isinstance(v, datetime.datetime | datetime.date | datetime.time):  # tomllib reads these
        return v.isoformat()
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def dumps(data: dict[str, Any]) -> str:
    lines: list[str] = []

    def table(d: dict[str, Any], prefix: str) -> None:
        # `[[chat.connectors]]`: a non-empty list of tables is written as an array of tables,
        # after this table's scalars (a key after a header would belong to that header).
        arrays = {k: v for k, v in d.items()
                  if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)}  # fmt: skip
        scalars = {k: v for k, v in d.items() if v is not None and not isinstance(v, dict) and k not in arrays}
        tables = {k: v for k, v in d.items() if isinstance(v, dict)}
        if prefix and (scalars or not (tables or arrays)):
            lines.append(f"\n[{prefix}]")
        for k, v in scalars.items():
            lines.append(f"{_key(k)} = {_value(v)}")
        for k, v in tables.items():
            table(v, f"{prefix}.{_key(k)}" if prefix else _key(k))
        for k, items in arrays.items():
            name = f"{prefix}.{_key(k)}" if prefix else _key(k)
            for item in items:
                lines.append(f"\n[[{name}]]")
                for ik, iv in item.items():
                    if iv is not None:
                        lines.append(f"{_key(ik)} = {_value(iv)}")

    table(data, "")
    return "\n".join(lines).lstrip("\n") + "\n"

