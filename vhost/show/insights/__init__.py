"""What a recorded show taught: aggregates over the session record (SQLite, written by
vhost.show.session_record), pure Python — no Qt, no plotting. vhost.report draws them.

    session = load_session(session_id, db_path)        # SessionNotFound if there is none
    data = analyze(session, Products.from_catalog(catalog), default_embedder())
    headline(session)                                   # the figures `vhost session list` shows
    compare(data_a, data_b)

Parts: `messages` (chat volume, intent and sentiment over time), `products` (screen time, the
funnel), `answers` (latency, coverage, top and unanswered questions), `clusters` (questions grouped
across languages), `script` (which pitch sells), `operator` (holds, edits, gifts).
"""

from vhost.show.insights.products import Products
from vhost.show.insights.record import SessionData, SessionNotFound, load_session, session_rows
from vhost.show.insights.summary import analyze, compare, headline

__all__ = ["Products", "SessionData", "SessionNotFound", "analyze", "compare", "headline", "load_session",
           "session_rows"]
