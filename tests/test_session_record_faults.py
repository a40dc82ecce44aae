"""The session record under a locked database and a full disk: nothing recorded is lost, the
operator is told once per outage, and the record catches up when writes work again."""

import os
import sqlite3
import time

import pytest

from vhost.show import session_record as rec


def test_a_database_locked_past_the_busy_timeout_loses_nothing(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(rec, "BUSY_TIMEOUT_S", 0.2)
    path = tmp_path / "s.sqlite3"
    record = rec.SessionRecord(path)
    told: list[str] = []
    record.on_error = told.append
    record.event("chat", {"id": "m0"})
    assert record.flush(5)
    other = sqlite3.connect(path, timeout=0)
    other.execute("BEGIN EXCLUSIVE")  # another program (a backup tool, a viewer) holds the lock
    for i in range(1, 400):
        record.event("chat", {"id": f"m{i}"})
    assert not record.flush(1.5)  # not written yet, and flush says so
    assert record.error is not None and len(told) == 1 and "cannot write" in told[0]
    other.rollback()
    other.close()
    assert record.flush(10)
    record.close()
    ids = [e["data"]["id"] for e in rec.read_events(record.id, path)]
    assert ids == [f"m{i}" for i in range(400)]  # all of them, once, in order
    assert len(told) == 2 and "writes again" in told[1] and record.error is None


@pytest.mark.skipif(os.geteuid() != 0 or not os.path.exists("/bin/mount"), reason="needs root to mount a tmpfs")
def test_a_full_disk_loses_nothing_once_space_is_back(tmp_path) -> None:
    import subprocess

    mnt = tmp_path / "small"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        record = rec.SessionRecord(mnt / "s.sqlite3")
        told: list[str] = []
        record.on_error = told.append
        filler = mnt / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)  # the disk fills up (another program's logs)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        for i in range(2000):
            record.event("chat", {"id": f"m{i}", "text": "x" * 200})
        deadline = time.monotonic() + 10
        while not told and time.monotonic() < deadline:
            time.sleep(0.05)
        assert told and "cannot write" in told[0]
        filler.unlink()  # space again
        assert record.flush(20)
        record.close()
        ids = [e["data"]["id"] for e in rec.read_events(record.id, mnt / "s.sqlite3")]
        assert ids == [f"m{i}" for i in range(2000)]
    finally:
        subprocess.run(["umount", "-l", str(mnt)])


def test_a_locked_record_reaches_the_operator_as_a_console_warning(tmp_path, monkeypatch) -> None:
    import asyncio

    from tests.test_show_pipeline import make_show, running, until
    from vhost.config.control import ControlConfig
    from vhost.control.surface import ControlSurface

    monkeypatch.setattr(rec, "BUSY_TIMEOUT_S", 0.2)
    path = tmp_path / "s.sqlite3"

    async def body():
        show, sink, events = make_show()
        surface = ControlSurface(ControlConfig(), record_path=path)
        show.listen(surface.publish)
        async with running(show, sink):
            await surface.start(show)
            assert surface.record.flush(5)
            other = sqlite3.connect(path, timeout=0)
            other.execute("BEGIN EXCLUSIVE")
            show.emit(rec_probe())
            await until(lambda: any(k == "warning" and "cannot write" in d["text"] for k, d in events), 10)
            other.rollback()
            other.close()
            await until(lambda: any(k == "warning" and "writes again" in d["text"] for k, d in events), 10)
        await surface.close()

    def rec_probe():
        from vhost.base.events import Status

        return Status(text="probe")

    asyncio.run(body())
