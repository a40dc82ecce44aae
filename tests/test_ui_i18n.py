"""Console strings: every key in both languages with the same placeholders; the switch signals."""

import string

import pytest

from vhost.ui.i18n import LANGUAGES, STRINGS, Translator, lookup


def fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_has_both_languages_and_the_same_placeholders():
    bad = [k for k, (en, zh) in STRINGS.items() if not en.strip() or not zh.strip() or fields(en) != fields(zh)]
    assert bad == []


def test_switch_signals_once_and_unknown_keys_fall_back(qtbot):
    tr = Translator("en")
    assert tr("say.button") == "Say now"
    with qtbot.waitSignal(tr.changed) as sig:
        tr.set_language("zh")
    assert sig.args == ["zh"] and tr("say.button") == "立即说"
    with qtbot.assertNotEmitted(tr.changed):
        tr.set_language("zh")
    assert tr("reason.some new triage reason") == "some new triage reason"
    assert lookup("latency.value", "zh").startswith("回复延迟")
    assert Translator(None).language in LANGUAGES  # from the system locale
    with pytest.raises(ValueError, match="unknown language"):
        tr.set_language("fr")
