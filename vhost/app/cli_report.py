"""`vhost report SESSION_ID --out report.html [--format html|pdf|json] [--compare OTHER_ID]` and
the headline figures of `vhost session list`.

Products are recognised in chat by the catalog's names and aliases: `--catalog`, else the catalog
the session recorded in its meta, else the default one; without any, by the names in the record.
Bad input (no database, unknown session, unreadable catalog) is one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import Any

from vhost.show import insights

log = logging.getLogger(__name__)


def _products(catalog_arg: str | None, meta: dict[str, Any]) -> insights.Products:
    from vhost.brain.catalog import CatalogError, load_catalog
    from vhost.config.settings import load_config

    explicit = Path(catalog_arg) if catalog_arg else None
    recorded = Path(meta["catalog"]) if meta.get("catalog") else None
    path = explicit or (recorded if recorded and recorded.is_file() else None) or load_config(None).show.catalog
    try:
        return insights.Products.from_catalog(load_catalog(path))
    except (CatalogError, OSError) as exc:
        if explicit is not None:
            raise
        log.warning("catalog %s not usable (%s): products by the names in the record only", path, exc)
        return insights.Products()


def _analyze(session: insights.SessionData, args: argparse.Namespace, embedder) -> dict[str, Any]:  # noqa: ANN001
    return insights.analyze(session, _products(args.catalog, session.meta), embedder)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = Path(args.out).suffix.lower().lstrip(".") if args.out else ""
    return suffix if suffix in ("html", "pdf", "json") else "html"


def cmd_report(args: argparse.Namespace) -> int:
    from vhost.brain.catalog import CatalogError
    from vhost.report import write_report

    fmt = _format(args)
    out = Path(args.out) if args.out else Path(f"report-{args.session_id}.{fmt}")
    db = Path(args.db) if args.db else None
    try:
        if not out.parent.is_dir():
            raise OSError(f"no folder {out.parent} to write {out.name} in")
        sessions = [insights.load_session(sid, db) for sid in (args.session_id, args.compare) if sid]
        embedder = None
        if not args.no_embeddings:
            from vhost.brain.embedding import default_embedder

            embedder = default_embedder()
        data = [_analyze(s, args, embedder) for s in sessions]
        write_report(data[0], out, fmt, insights.compare(data[0], data[1]) if len(data) > 1 else None)
    except (insights.SessionNotFound, CatalogError, OSError) as exc:
        print(f"vhost: {exc}", file=sys.stderr)
        return 2
    print(f"report of session {args.session_id} ({fmt}) written to {out}", file=sys.stderr)
    return 0


def _cell(v: float | None, fmt: str) -> str:
    return "-" if v is None else format(v, fmt)


def cmd_session_list(args: argparse.Namespace) -> int:
    """Every recorded session with its headline figures, oldest first."""
    db = Path(args.db) if getattr(args, "db", None) else None
    try:
        rows = insights.session_rows(db)
    except insights.SessionNotFound as exc:
        if db is not None:
            print(f"vhost: {exc}", file=sys.stderr)
            return 2
        rows = []
    if not rows:
        print("no recorded sessions")
        return 0
    print(f"{'id':<24} {'started':<19} {'min':>6} {'msgs':>5} {'asked':>5} {'covered':>7} {'p50 s':>6} "
          f"{'buys':>4} {'unans':>5} {'gifts':>5} {'events':>6}")
    for s in rows:
        h = insights.headline(insights.load_session(s["id"], db))
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(s["started_at"]))
        cov = "-" if h["coverage"] is None else f"{h['coverage'] * 100:.0f}%"
        print(f"{s['id']:<24} {started:<19} {h['duration_min']:>6.1f} {h['messages']:>5} {h['questions']:>5} "
              f"{cov:>7} {_cell(h['latency_p50_s'], '.2f'):>6} {h['purchase_signals']:>4} {h['unanswered']:>5} "
              f"{h['gifts']:>5} {s['events']:>6}{'' if s['ended_at'] else '  (unfinished)'}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="the post-stream report of a recorded session: HTML, PDF or JSON")
    p.add_argument("session_id", help="the session's id (see `vhost session list`)")
    p.add_argument("--out", help="file to write (default: report-SESSION_ID.FORMAT)")
    p.add_argument("--format", choices=["html", "pdf", "json"], help="default: from --out's suffix, else html")
    p.add_argument("--db", help="session database (default: sessions.sqlite3 in the data dir)")
    p.add_argument("--compare", metavar="OTHER_ID", help="a second session, side by side")
    p.add_argument("--catalog", help="catalog for product names (default: the session's, else the demo's)")
    p.add_argument("--no-embeddings", action="store_true", help="group questions by shared words only")
    p.set_defaults(func=cmd_report)
