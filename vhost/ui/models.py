"""The console's Qt item models, each testable without any view (as Vorta tests its models)."""

from vhost.ui.chat_model import ChatModel
from vhost.ui.drafts_model import DraftsModel
from vhost.ui.health_model import ConnectorHealthModel, LatencyMeter

ChatListModel = ChatModel  # the foundation's name

__all__ = ["ChatListModel", "ChatModel", "ConnectorHealthModel", "DraftsModel", "LatencyMeter"]
