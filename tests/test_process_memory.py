"""Large short-lived buffers go back to the system when freed (vhost.base.memory), in a fresh
process so the test sees the allocator as the app sets it up."""

import subprocess
import sys

import pytest

CHILD = r"""
import sys, psutil
from vhost.base.memory import return_large_buffers
fix = sys.argv[1] == "fix"
if fix:
    assert return_large_buffers()
p = psutil.Process()
# Free a large block first: without the fix glibc then raises its mmap threshold to its size.
big = bytearray(8 << 20); del big
before = p.memory_info().rss
keep, pins = [], []
for _ in range(20):  # 60 MB of frame-sized buffers, each followed by a small long-lived object
    keep.append(bytearray(3 << 20))
    pins.append(bytearray(2000))
del keep  # the buffers go; the small objects between them stay, as in a running show
print((p.memory_info().rss - before) / 2**20)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_frame_sized_buffers_are_returned_when_freed():
    def held(mode: str) -> float:
        out = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True, check=True)
        return float(out.stdout.strip())

    assert held("fix") < 5  # MB still held after freeing 60 MB
    assert held("nofix") > 30  # the control: glibc's default keeps them
