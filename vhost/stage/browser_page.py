"""The browser source's page: shows the stage from its first paint, then keeps it current from
delta messages (browser_codec.py) over a WebSocket.

- First paint: the latest frame is inlined as an <img> (a data: URL), so the page is never
  blank; the canvas above it takes over once that image is copied into it.
- Then it connects with `?epoch=E&have=N` (the frame it shows). The server answers with a delta
  from N, or a keyframe when N is unknown to it (a restarted show: another epoch), too old, or 0.
- Every message is decoded (createImageBitmap, off the main thread) as soon as it arrives and
  drawn in order: clearRect + drawImage per rect, so alpha is replaced, not blended. The page
  acknowledges each drawn frame with its number; the server sends a client at most two frames
  ahead of its acknowledgements, so a slow browser gets fewer (larger) deltas, never a backlog.
- `window.vhostStage` counts what was drawn (frames, keyframes, seq) for the bench and tests.
- A dropped connection reconnects a second later and re-syncs from the frame it shows; a
  message that does not apply (wrong base) is counted as an error and forces a keyframe.
"""

from __future__ import annotations

import json

_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>vhost stage</title>
<style>html,body{margin:0;height:100%;background:transparent;overflow:hidden}
#stage,#first{position:fixed;left:0;top:0;width:100vw;height:100vh;object-fit:contain;display:block}
</style></head>
<body>__FIRST__<canvas id="stage"></canvas>
<script>
const EPOCH = __EPOCH__;
const S = window.vhostStage = {frames: 0, keyframes: 0, seq: 0, inline: false, errors: 0,
                               bytes: 0, connects: 0};
const canvas = document.getElementById("stage");
const ctx = canvas.getContext("2d");
let chain = Promise.resolve();

function fit(w, h) {
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  ctx.imageSmoothingEnabled = false;
}

const first = document.getElementById("first");
if (first) {
  chain = first.decode().then(() => {
    fit(first.naturalWidth, first.naturalHeight);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(first, 0, 0);
    S.seq = __SEQ__; S.inline = true;
  }).catch(() => { S.seq = 0; }).finally(() => first.remove());
}

function draw(head, bmp) {
  if (head.base === null) {
    fit(head.w, head.h);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    S.keyframes++;
  } else if (head.base !== S.seq) {
    throw new Error(`delta from frame ${head.base}, but the page shows ${S.seq}`);
  }
  const r = head.rects;
  for (let i = 0; i < r.length; i += 6) {
    ctx.clearRect(r[i], r[i + 1], r[i + 2], r[i + 3]);
    ctx.drawImage(bmp, r[i + 4], r[i + 5], r[i + 2], r[i + 3], r[i], r[i + 1], r[i + 2], r[i + 3]);
  }
  S.seq = head.seq;
  S.frames++;
}

function connect() {
  S.connects++;
  const ws = new WebSocket(`ws://${location.host}/stage/ws?epoch=${EPOCH}&have=${S.seq}`);
  ws.binaryType = "arraybuffer";
  ws.onmessage = (ev) => {
    const n = new DataView(ev.data).getUint32(4, true);
    const head = JSON.parse(new TextDecoder().decode(new Uint8Array(ev.data, 8, n)));
    const blob = new Blob([new Uint8Array(ev.data, 8 + n)], {type: head.mime});
    const decoded = createImageBitmap(blob);  // starts now, while earlier frames are drawn
    S.bytes += ev.data.byteLength;
    chain = chain.then(async () => {
      const bmp = await decoded;
      try { draw(head, bmp); } finally { bmp.close(); }
      if (ws.readyState === WebSocket.OPEN) ws.send(String(head.seq));
    }).catch((err) => {
      S.errors++; S.seq = 0;  // re-sync from a keyframe
      console.error("stage:", err);
      ws.close();
    });
  };
  ws.onclose = () => {
    chain = chain.then(() => new Promise((ok) => setTimeout(ok, 1000))).then(connect);
  };
}
chain = chain.then(connect);
</script></body></html>
"""


def render_page(epoch: str, still: tuple[int, bytes] | None) -> str:
    """The page, with the latest frame (seq, PNG) inlined when there is one."""
    import base64

    first, seq = "", 0
    if still is not None:
        seq = still[0]
        first = ('<img id="first" alt="" src="data:image/png;base64,'
                 + base64.b64encode(still[1]).decode("ascii") + '">')
    return (_HTML.replace("__FIRST__", first).replace("__EPOCH__", json.dumps(epoch))
            .replace("__SEQ__", str(int(seq))))
