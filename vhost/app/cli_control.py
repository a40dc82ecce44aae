"""`vhost session list` (headline figures: vhost.app.cli_report) and
`vhost session export ID --format jsonl|csv [--out FILE]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vhost.app.cli_report import cmd_session_list
from vhost.show import session_record as rec


def cmd_export(args: argparse.Namespace) -> int:
    db = Path(args.db) if args.db else None
    try:
        if args.out:
            with open(args.out, "w", encoding="utf-8", newline="") as f:
                n = rec.export(args.id, args.format, f, db)
            print(f"{n} events written to {args.out}", file=sys.stderr)
        else:
            rec.export(args.id, args.format, sys.stdout, db)
    except KeyError as exc:
        print(f"vhost: {exc.args[0]}", file=sys.stderr)
        return 2
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("session", help="recorded shows: list them, export one")
    p.add_argument("--db", help="session database (default: sessions.sqlite3 in the data dir)")
    ss = p.add_subparsers(dest="session_command", required=True)
    ls = ss.add_parser("list", help="list recorded sessions with their headline figures")
    ls.add_argument("--db", default=argparse.SUPPRESS, help="session database (as `vhost session --db`)")
    ls.set_defaults(func=cmd_session_list)
    ex = ss.add_parser("export", help="export one session's events")
    ex.add_argument("id")
    ex.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    ex.add_argument("--out", help="write here instead of stdout")
    ex.set_defaults(func=cmd_export)
