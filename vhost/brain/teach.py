"""Teaching the catalog live: the operator's answer to a viewer question the FAQ lacked is saved
into the catalog file, so the rest of this show and every later one can answer it.

The catalog is the operator's hand-edited file, so it is edited with tomlkit, not re-dumped from
data: tomlkit keeps the comments, key order, blank lines and quoting and only adds the entry.
Safety: nothing is written until the edit is known to be possible; the old file is first copied
to `<name>.bak-<YYYYmmdd-HHMMSS>`; the new text replaces it atomically (vhost.base.files); the
result must load with `load_catalog`, else the old content is put back. JSON and CSV catalogs are
not taught: the entry must be added by hand.

FAQ lists in `[products.i18n.<lang>]` are parallel to the base `faq` list by index (see
vhost.brain.knowledge). An English entry is appended to the base list only: a shorter i18n list is
allowed and simply does not cover it. An entry in another language goes to the end of both lists,
at the same index; the base entry carries the same text, as the fallback. An i18n list shorter
than the base list first has its gap filled with copies of the base entries' q/a (the text a
missing entry falls back to anyway), so the pair lines up without inventing facts. An i18n list
longer than the base list cannot be kept parallel by appending, and is refused (fix it by hand).
"""

from __future__ import annotations

import shutil
import stat
from collections.abc import MutableMapping
from datetime import datetime
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Array, Whitespace

from vhost.base.files import atomic_write_bytes, atomic_write_text
from vhost.brain.catalog import load_catalog


class TeachError(RuntimeError):
    """The FAQ entry could not be saved; the message names the file and the reason."""


def save_faq(catalog_path: str | Path, product_id: str, question: str, answer: str,
             lang: str = "en") -> Path:
    """Append a FAQ entry to product `product_id` in the catalog file, safely; returns the backup
    path (`<name>.bak-<YYYYmmdd-HHMMSS>`, or with `-<n>` added if that name is taken).

    TeachError (file untouched): not TOML, unreadable, unknown product, empty text, FAQ lists not
    parallel, a failed write; (file restored from the backup) the result fails `load_catalog`.
    """
    path = Path(catalog_path)
    q, a, lang = question.strip(), answer.strip(), lang.strip()
    if path.suffix.lower() in (".json", ".csv"):
        raise TeachError(f"{path}: only TOML catalogs can be taught; add the FAQ entry by hand")
    if not q or not a or not lang:
        raise TeachError(f"{path}: the question, the answer and the language must not be empty")
    original, doc = _load_doc(path)
    _add_entry(_find_product(doc, product_id, path), q, a, lang, path)
    mode = stat.S_IMODE(path.stat().st_mode)
    try:
        backup = _backup(path, original)
        atomic_write_text(path, tomlkit.dumps(doc), mode=mode)
    except OSError as e:
        raise TeachError(f"{path}: cannot save the FAQ entry (file unchanged): {e}") from e
    try:
        load_catalog(path)
    except Exception as e:
        atomic_write_bytes(path, original, mode=mode)
        msg = f"the catalog fails to load with the new FAQ entry, restored from {backup}"
        raise TeachError(f"{path}: {msg}: {e}") from e
    return backup


def _load_doc(path: Path) -> tuple[bytes, tomlkit.TOMLDocument]:
    """The file's bytes (for the backup) and its tomlkit document."""
    try:
        original = path.read_bytes()
        return original, tomlkit.parse(original.decode("utf-8"))
    except FileNotFoundError as e:
        raise TeachError(f"{path}: catalog file not found") from e
    except (OSError, UnicodeDecodeError) as e:
        raise TeachError(f"{path}: cannot read catalog: {e}") from e
    except TOMLKitError as e:
        raise TeachError(f"{path}: not valid TOML: {e}") from e


def _find_product(doc: tomlkit.TOMLDocument, product_id: str, path: Path) -> MutableMapping:
    products = doc.get("products")
    found = [p for p in products or [] if isinstance(p, MutableMapping)]
    for p in found:
        if p.get("id") == product_id:
            return p
    known = ", ".join(str(p.get("id")) for p in found) or "none"
    raise TeachError(f"{path}: unknown product id '{product_id}' (known: {known})")


def _add_entry(product: MutableMapping, q: str, a: str, lang: str, path: Path) -> None:
    """Append {q, a} in `lang`, keeping every i18n FAQ list parallel to the base list."""
    where = f"{path}: product '{product.get('id')}'"
    base = _faq_list(product, where + ": faq", tables=True)
    i18n = product.get("i18n", {})
    for code, over in (i18n.items() if isinstance(i18n, MutableMapping) else []):
        other = over.get("faq") if isinstance(over, MutableMapping) else None
        if isinstance(other, list) and len(other) > len(base):
            raise TeachError(f"{where}: i18n.{code}.faq has more entries than faq; fix it by hand")
    if lang != "en":  # English is the base list
        i18n = product.setdefault("i18n", tomlkit.table(is_super_table=True))
        over = i18n.setdefault(lang, tomlkit.table()) if isinstance(i18n, MutableMapping) else None
        if not isinstance(over, MutableMapping):
            raise TeachError(f"{where}: i18n.{lang} must be a table")
        local = _faq_list(over, f"{where}: i18n.{lang}.faq", tables=False)
        for entry in list(base)[len(local):]:
            _append(local, str(entry.get("q", "")), str(entry.get("a", "")))
        _append(local, q, a)
    _append(base, q, a)


def _faq_list(table: MutableMapping, where: str, *, tables: bool) -> AoT | Array:
    """The table's `faq` list; created if missing, as [[...faq]] tables or a multi-line array."""
    if "faq" not in table:
        table["faq"] = tomlkit.aot() if tables else tomlkit.array().multiline(True)
    faq = table["faq"]
    if not isinstance(faq, AoT | Array) or not all(isinstance(e, MutableMapping) for e in faq):
        raise TeachError(f"{where}: must be a list of {{q, a}} tables")
    return faq


def _append(faq: AoT | Array, q: str, a: str) -> None:
    entry: Any = tomlkit.table() if isinstance(faq, AoT) else tomlkit.inline_table()
    entry.update({"q": q, "a": a})
    # Followed by a blank line when the entry before it is (as hand-written [[...faq]] tables are).
    last = faq[-1].value.body[-1:] if isinstance(faq, AoT) and faq else []
    if any(isinstance(v, Whitespace) for _, v in last):
        entry.add(tomlkit.nl())
    faq.append(entry)


def _backup(path: Path, original: bytes) -> Path:
    """Write `original` to a new `<name>.bak-<stamp>[-n]` beside `path`, never overwriting one."""
    stem = f"{path.name}.bak-{datetime.now():%Y%m%d-%H%M%S}"
    for n in range(1000):
        backup = path.with_name(stem if n == 0 else f"{stem}-{n}")
        try:
            with open(backup, "xb") as fh:
                fh.write(original)
        except FileExistsError:
            continue
        shutil.copystat(path, backup)
        return backup
    raise TeachError(f"{path}: too many backups named {stem}-*; clean some up (unchanged)")
