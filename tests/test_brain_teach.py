"""Saving an operator's answer into the catalog's FAQ (vhost.brain.teach)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vhost.brain import teach
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import CatalogError, load_catalog
from vhost.brain.teach import TeachError, save_faq

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "assets" / "demo" / "catalog.toml"


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.toml"
    shutil.copyfile(DEMO, path)
    return path


def _backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".bak-*"))


def test_english_entry_loads_back_and_keeps_comments(catalog: Path) -> None:
    before = catalog.read_text(encoding="utf-8")
    save_faq(catalog, "mug", "  Fits a bike bottle cage? ", "No, it is too wide.")
    mug = load_catalog(catalog).get("mug")
    assert (mug.faq[-1].q, mug.faq[-1].a) == ("Fits a bike bottle cage?", "No, it is too wide.")
    assert len(mug.faq) == 4
    # The zh list is untouched: a shorter i18n list only covers the entries it has.
    assert len(mug.i18n["zh"].faq or []) == 3
    after = catalog.read_text(encoding="utf-8")
    comments = [line for line in before.splitlines() if line.startswith("#")]
    assert comments and all(line in after.splitlines() for line in comments)
    # Only the new entry was added; the rest of the text is byte for byte the same.
    assert after.replace('[[products.faq]]\nq = "Fits a bike bottle cage?"\n'
                         'a = "No, it is too wide."\n\n', "", 1) == before


def test_backup_holds_the_old_content(catalog: Path) -> None:
    before = catalog.read_bytes()
    backup = save_faq(catalog, "lamp", "Dimmable?", "Yes, 5 levels.")
    assert backup.parent == catalog.parent
    assert backup.name.startswith("catalog.toml.bak-")
    assert backup.read_bytes() == before
    assert catalog.read_bytes() != before


def test_failed_write_leaves_the_file_alone(catalog: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    before = catalog.read_bytes()

    def full_disk(path: Path, text: str, *, mode: int | None = None) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(teach, "atomic_write_text", full_disk)
    with pytest.raises(TeachError, match=r"catalog\.toml: cannot save .*No space left"):
        save_faq(catalog, "mug", "Lid color?", "Black.")
    assert catalog.read_bytes() == before


def test_file_mode_is_kept(catalog: Path) -> None:
    catalog.chmod(0o640)
    save_faq(catalog, "mug", "Lid color?", "Black.")
    assert catalog.stat().st_mode & 0o777 == 0o640


def test_backup_names_never_collide(catalog: Path) -> None:
    first = save_faq(catalog, "lamp", "Dimmable?", "Yes, 5 levels.")
    second = save_faq(catalog, "lamp", "Clamp?", "No, it stands on its base.")
    assert first != second and first.exists() and second.exists()
    assert len(_backups(catalog)) == 2
    assert len(load_catalog(catalog).get("lamp").faq) == 6


def test_zh_entry_lands_at_the_same_index_in_both_lists(catalog: Path) -> None:
    save_faq(catalog, "earbuds", "能连两台手机吗？", "可以，同时连两台。", lang="zh")
    p = load_catalog(catalog).get("earbuds")
    zh = p.i18n["zh"].faq or []
    assert len(zh) == len(p.faq) == 5
    assert (zh[-1].q, zh[-1].a) == ("能连两台手机吗？", "可以，同时连两台。")
    assert (p.faq[-1].q, p.faq[-1].a) == (zh[-1].q, zh[-1].a)
    # The brain pairs them by index and answers a Chinese viewer with the new entry.
    d = Answerer(load_catalog(catalog)).decide("能连两台手机吗？", [], p)
    assert d.kind == "fact" and "可以，同时连两台。" in d.text


def test_zh_entry_pads_a_shorter_i18n_list_with_the_base_text(catalog: Path) -> None:
    save_faq(catalog, "mug", "Fits a bike bottle cage?", "No, it is too wide.")
    save_faq(catalog, "mug", "送礼盒吗？", "不送礼盒。", lang="zh")
    p = load_catalog(catalog).get("mug")
    zh = p.i18n["zh"].faq or []
    assert len(zh) == len(p.faq) == 5
    assert (zh[3].q, zh[3].a) == ("Fits a bike bottle cage?", "No, it is too wide.")
    assert zh[4].q == p.faq[4].q == "送礼盒吗？"


def test_new_language_and_missing_faq_are_created(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text('# my shop\n[[products]]\nid = "cap"\nname = "Cap"\nprice = 9.5\nstock = 3\n',
                    encoding="utf-8")
    save_faq(path, "cap", "Adjustable?", "Yes, with a strap.")
    save_faq(path, "cap", "Lavable ?", "Oui, à la main.", lang="fr")
    p = load_catalog(path).get("cap")
    assert [f.q for f in p.faq] == ["Adjustable?", "Lavable ?"]
    assert [f.q for f in p.i18n["fr"].faq or []] == ["Adjustable?", "Lavable ?"]
    assert path.read_text(encoding="utf-8").startswith("# my shop\n")


def test_unknown_product_leaves_the_file_alone(catalog: Path) -> None:
    before = catalog.read_bytes()
    with pytest.raises(TeachError, match=r"catalog\.toml: unknown product id 'kettle'.*mug"):
        save_faq(catalog, "kettle", "Boils fast?", "Yes.")
    assert catalog.read_bytes() == before
    assert _backups(catalog) == []


def test_broken_toml_leaves_the_file_alone(catalog: Path) -> None:
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n[[products]\n", encoding="utf-8")
    before = catalog.read_bytes()
    with pytest.raises(TeachError, match=r"catalog\.toml: not valid TOML"):
        save_faq(catalog, "mug", "Lid color?", "Black.")
    assert catalog.read_bytes() == before
    assert _backups(catalog) == []


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TeachError, match="not found"):
        save_faq(tmp_path / "nope.toml", "mug", "Q?", "A.")


@pytest.mark.parametrize(("question", "answer", "lang"),
                         [("", "A.", "en"), ("Q?", "   ", "en"), ("Q?", "A.", " ")])
def test_empty_text_is_refused(catalog: Path, question: str, answer: str, lang: str) -> None:
    before = catalog.read_bytes()
    with pytest.raises(TeachError, match=r"catalog\.toml: .*must not be empty"):
        save_faq(catalog, "mug", question, answer, lang=lang)
    assert catalog.read_bytes() == before


@pytest.mark.parametrize("name", ["catalog.json", "catalog.csv"])
def test_json_and_csv_catalogs_are_not_taught(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("untouched", encoding="utf-8")
    with pytest.raises(TeachError, match=rf"{name}: only TOML .* by hand"):
        save_faq(path, "mug", "Q?", "A.")
    assert path.read_text(encoding="utf-8") == "untouched"


def test_longer_i18n_list_is_refused(catalog: Path) -> None:
    text = catalog.read_text(encoding="utf-8").replace(
        '  { q = "怎么发货？", a = "1-2个工作日发货，美国包邮。" },\n]',
        '  { q = "怎么发货？", a = "1-2个工作日发货，美国包邮。" },\n'
        '  { q = "多的？", a = "多的。" },\n]',
        1)
    catalog.write_text(text, encoding="utf-8")
    with pytest.raises(TeachError, match=r"product 'mug': i18n\.zh\.faq has more entries"):
        save_faq(catalog, "mug", "Q?", "A.")
    assert catalog.read_text(encoding="utf-8") == text


def test_failed_validation_restores_the_original(catalog: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    before = catalog.read_bytes()

    def broken(path: Path) -> None:
        raise CatalogError(f"{path}: invalid catalog")

    monkeypatch.setattr(teach, "load_catalog", broken)
    with pytest.raises(TeachError, match=r"fails to load with the new FAQ entry, restored from "):
        save_faq(catalog, "mug", "Lid color?", "Black.")
    assert catalog.read_bytes() == before
    assert [b.read_bytes() for b in _backups(catalog)] == [before]


def test_an_already_invalid_catalog_is_restored(catalog: Path) -> None:
    text = catalog.read_text(encoding="utf-8").replace("price = 24.99", "price = -1", 1)
    catalog.write_text(text, encoding="utf-8")
    with pytest.raises(TeachError, match=r"product 'mug' \(index 0\): price"):
        save_faq(catalog, "earbuds", "Case color?", "Same as the buds.")
    assert catalog.read_text(encoding="utf-8") == text

