"""The console footer shows the OBS link's state and, while it is down, when it retries."""

import pytest

from vhost.base.events import ObsState
from vhost.ui.i18n import Translator
from vhost.ui.status_bar import StatusFooter


@pytest.fixture
def footer(qtbot):
    f = StatusFooter(Translator("en"))
    qtbot.addWidget(f)
    return f


def feed(footer, event):
    footer.on_event(event.kind, event.data())  # as the bridge delivers it
    return footer.obs_label.text()


def test_auth_failed_shows_the_retry_and_the_detail_as_tooltip(footer):
    text = feed(footer, ObsState(state="auth_failed", detail="wrong password; retry in 10 s", retry_in_s=10.0))
    assert "OBS:" in text and "auth failed — retry in 10 s" in text
    assert footer.obs_text() == "auth failed — retry in 10 s"
    assert footer.obs_label.toolTip() == "wrong password; retry in 10 s"


def test_connected_shows_no_retry(footer):
    feed(footer, ObsState(state="disconnected", detail="refused", retry_in_s=2.5))
    assert footer.obs_text() == "disconnected — retry in 2.5 s"
    text = feed(footer, ObsState(state="connected", detail="OBS 30"))
    assert "connected" in text and "retry" not in text and "disconnected" not in text
    assert footer.obs_text() == "connected"
    feed(footer, ObsState(state="connecting"))
    assert footer.obs_text() == "connecting"


def test_retry_follows_the_console_language(footer):
    feed(footer, ObsState(state="auth_failed", retry_in_s=10))
    footer.tr_.set_language("zh")
    assert footer.obs_text() == "认证失败 — 10 秒后重试"
    assert "OBS：" in footer.obs_label.text()
